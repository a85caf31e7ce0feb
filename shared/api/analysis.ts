/** API methods of the analysis area (see docs/ANALYSIS.md and docs/ARCHITECTURE.md). */
import { z } from 'zod';
import type { Analysis } from '../analysis/types';
import { Id, STAGES } from '../domain';
import { query } from './contract';

export const analysisMethods = {
  /**
   * The full analysis of the open map: coaches, decision makers, conflicts, influence ranking,
   * paths, coverage, relationship mix, coach candidates and red flags. With attendees (client
   * person ids) it also checks that meeting for conflicts and alliances. Messages come in `lang`
   * (default: the host's language); `stage` overrides the map's buying step (a what-if). Marking a coach is an ordinary `person.update` of roles.
   */
  'analysis.run': query(
    z
      .object({
        attendees: z.array(Id).max(1000).optional(),
        lang: z.enum(['en-US', 'zh-CN']).optional(),
        /** A what-if: analyse for this buying step instead of the map's own. */
        stage: z.enum(STAGES).optional(),
      })
      .strict(),
  ).returns<Analysis>(),
};
