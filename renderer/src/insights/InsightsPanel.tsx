/** Insights: red flags, coach, power, coverage, meeting planner (analysis area). Placeholder until the area lands. */
import type { PanelProps } from '../panels';

export function InsightsPanel(_props: PanelProps) {
  return null;
}
