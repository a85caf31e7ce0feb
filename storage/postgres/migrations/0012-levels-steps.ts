/**
 * 0012: the buying process (issue 21), the mirror of the map file's migration 0005
 * (storage/sqlite/migrations/0005-levels-steps.ts): a person's function set by the user (NULL:
 * inferred), the next steps ticked off and the map's own stage weights on the map record.
 */
import type { PgMigration } from '../migrate';

export const migration0012: PgMigration = {
  version: 12,
  name: 'levels-steps',
  sql: `
ALTER TABLE person ADD COLUMN fn text CHECK (fn IS NULL OR fn IN ('user', 'technical', 'procurement', 'other'));
ALTER TABLE map_meta ADD COLUMN done_steps text NOT NULL DEFAULT '[]';
ALTER TABLE map_meta ADD COLUMN stage_weights text;
`,
};
