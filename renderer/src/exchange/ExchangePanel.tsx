/** Import and export: CSV/JSON/GraphML in, PDF/PNG/SVG/JSON/CSV/GraphML out (exchange area). Placeholder until the area lands. */
import type { PanelProps } from '../panels';

export function ExchangePanel(_props: PanelProps) {
  return null;
}
