import type { Database } from 'better-sqlite3';

/**
 * The buying process (issue 21): a person's function set by the user (使用/技术/采购/其他; NULL:
 * inferred, shared/visual/levels.ts), the next steps ticked off (a JSON array of step ids, each
 * the step's kind and the ids of the people it is about) and the map's own stage weights (JSON
 * {stage: {role: weight}}; NULL: the documented defaults), both on the map record.
 */
export const migration0005 = {
  version: 5,
  name: 'levels-steps',
  up(db: Database): void {
    db.exec(`
      ALTER TABLE person ADD COLUMN fn TEXT CHECK (fn IS NULL OR fn IN ('user','technical','procurement','other'));
      ALTER TABLE map_meta ADD COLUMN done_steps TEXT NOT NULL DEFAULT '[]';
      ALTER TABLE map_meta ADD COLUMN stage_weights TEXT;
    `);
  },
};
