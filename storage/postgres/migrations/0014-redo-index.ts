/**
 * 0014: the redo tail's own index. Every edit deletes the editor's undone steps (a new edit ends
 * their redo), and there are almost never any; `undo_log_user` made that look walk all of the
 * user's steps in the map (up to KEEP_STEPS rows, read on every edit). A partial index on the
 * undone steps finds them, or that there are none, at once; redo's look-up uses it too.
 */
import type { PgMigration } from '../migrate';

export const migration0014: PgMigration = {
  version: 14,
  name: 'redo-index',
  sql: `
CREATE INDEX undo_log_undone ON undo_log (org_id, map_id, user_id, seq) WHERE undone;
`,
};
