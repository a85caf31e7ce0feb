import type { Database } from 'better-sqlite3';

/**
 * Evidence and freshness (issue 20): how we know each fact and since when. A person carries one
 * evidence record per assertion (attitude, favoured competitor, buyer roles, influence), a
 * relation one for itself; each is JSON {source, verifiedAt, verifiedBy, changedAt}
 * (shared/evidence.ts). One column per fact, so on a team map two people confirming different
 * facts of one person both keep theirs (the team store writes only changed columns). The map
 * record gains the freshness threshold (days; NULL: the stage's suggestion).
 *
 * Existing facts become "unverified since their last change": a person's since the person row
 * last changed; a relation's since the newest edit-log step that touched it, else since the map
 * was made.
 */
export const migration0004 = {
  version: 4,
  name: 'evidence',
  up(db: Database): void {
    db.exec(`
      ALTER TABLE person ADD COLUMN ev_attitude TEXT NOT NULL DEFAULT '{}';
      ALTER TABLE person ADD COLUMN ev_favours TEXT NOT NULL DEFAULT '{}';
      ALTER TABLE person ADD COLUMN ev_roles TEXT NOT NULL DEFAULT '{}';
      ALTER TABLE person ADD COLUMN ev_influence TEXT NOT NULL DEFAULT '{}';
      ALTER TABLE relation ADD COLUMN evidence TEXT NOT NULL DEFAULT '{}';
      ALTER TABLE map_meta ADD COLUMN fresh_days INTEGER CHECK (fresh_days IS NULL OR fresh_days BETWEEN 1 AND 730);

      UPDATE person SET
        ev_attitude = json_object('source', NULL, 'verifiedAt', NULL, 'verifiedBy', '', 'changedAt', updated_at),
        ev_favours = json_object('source', NULL, 'verifiedAt', NULL, 'verifiedBy', '', 'changedAt', updated_at),
        ev_roles = json_object('source', NULL, 'verifiedAt', NULL, 'verifiedBy', '', 'changedAt', updated_at),
        ev_influence = json_object('source', NULL, 'verifiedAt', NULL, 'verifiedBy', '', 'changedAt', updated_at);
      UPDATE relation SET evidence = json_object('source', NULL, 'verifiedAt', NULL, 'verifiedBy', '', 'changedAt',
        coalesce(
          (SELECT max(u.at) FROM undo_log u WHERE instr(u.changes, '"id":"' || relation.id || '"') > 0),
          (SELECT created_at FROM map_meta WHERE id = 1),
          '1970-01-01T00:00:00.000Z'));
    `);
  },
};
