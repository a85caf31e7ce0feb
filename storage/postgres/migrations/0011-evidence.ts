/**
 * 0011: evidence and freshness (issue 20), the mirror of the map file's migration 0004
 * (storage/sqlite/migrations/0004-evidence.ts): one evidence column per fact of a person, one per
 * relation (JSON {source, verifiedAt, verifiedBy, changedAt}), and the map's freshness threshold.
 * Rows stay keyed (org_id, map_id, …). Existing facts become unverified since their last change:
 * a person's since the row last changed, a relation's since the newest edit-log step that touched
 * it, else since the map was made.
 */
import type { PgMigration } from '../migrate';

const UNVERIFIED = (since: string) =>
  `json_build_object('source', NULL, 'verifiedAt', NULL, 'verifiedBy', '', 'changedAt', ${since})::text`;

export const migration0011: PgMigration = {
  version: 11,
  name: 'evidence',
  sql: `
ALTER TABLE person ADD COLUMN ev_attitude text NOT NULL DEFAULT '{}';
ALTER TABLE person ADD COLUMN ev_favours text NOT NULL DEFAULT '{}';
ALTER TABLE person ADD COLUMN ev_roles text NOT NULL DEFAULT '{}';
ALTER TABLE person ADD COLUMN ev_influence text NOT NULL DEFAULT '{}';
ALTER TABLE relation ADD COLUMN evidence text NOT NULL DEFAULT '{}';
ALTER TABLE map_meta ADD COLUMN fresh_days integer CHECK (fresh_days IS NULL OR fresh_days BETWEEN 1 AND 730);

UPDATE person SET
  ev_attitude = ${UNVERIFIED('updated_at')},
  ev_favours = ${UNVERIFIED('updated_at')},
  ev_roles = ${UNVERIFIED('updated_at')},
  ev_influence = ${UNVERIFIED('updated_at')};
UPDATE relation r SET evidence = ${UNVERIFIED(`coalesce(
    (SELECT to_char(max(u.at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') FROM undo_log u
      WHERE u.org_id = r.org_id AND u.map_id = r.map_id AND position(('"id":"' || r.id || '"') IN u.changes) > 0),
    (SELECT m.created_at FROM map_meta m WHERE m.org_id = r.org_id AND m.map_id = r.map_id),
    '1970-01-01T00:00:00.000Z')`)};
`,
};
