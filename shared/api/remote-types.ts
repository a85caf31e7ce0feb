/** What "Send my changes" answers the desktop page (services/team/local-sync.ts SyncOutcome). */
import type { SyncConflict } from './team-sync';

export type SyncOutcomeView =
  | { status: 'conflicts'; rev: number; conflicts: SyncConflict[] }
  | { status: 'merged'; rev: number; applied: number; keptTheirs: SyncConflict[]; localChanges: number };
