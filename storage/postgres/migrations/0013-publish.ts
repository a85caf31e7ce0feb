/**
 * 0013: publishing local maps (issue 19). A team map remembers the local map it was published
 * from (`origin_id`, the map file's own id), so publishing the same local map again is noticed;
 * `publish_ops` keeps each publish's operation id with its answer (NULL while it runs), so a
 * publish retried after a dropped connection returns the first answer instead of a second map.
 * `map_id` is the map a running publish is making: when the instance doing it died, the claim goes
 * stale (`at` older than a few minutes) and the next try removes that half-made map and starts again.
 */
import type { PgMigration } from '../migrate';

export const migration0013: PgMigration = {
  version: 13,
  name: 'publish',
  sql: `
ALTER TABLE maps ADD COLUMN origin_id uuid;
CREATE INDEX maps_origin ON maps (org_id, origin_id) WHERE origin_id IS NOT NULL;

CREATE TABLE publish_ops (
  org_id  uuid NOT NULL REFERENCES organization (org_id),
  user_id uuid NOT NULL,
  op_id   text NOT NULL CHECK (length(op_id) BETWEEN 8 AND 100),
  result  text,
  map_id  uuid,
  at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, user_id, op_id)
);
CREATE INDEX publish_ops_at ON publish_ops (at);
`,
};
