/** Snapshots, compare, interactions and upcoming trips (time area). Placeholder until the area lands. */
import type { PanelProps } from '../panels';

export function TimePanel(_props: PanelProps) {
  return null;
}
