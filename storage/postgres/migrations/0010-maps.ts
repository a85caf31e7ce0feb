/**
 * 0010: team maps. A map, whom it is shared with, and its content in the same tables and columns
 * as a map file (storage/sqlite/migrations 0001–0003, storage/rows.ts), each keyed by
 * (org_id, map_id, …) — the columns a distributed PostgreSQL (Citus) would shard on — so a row
 * image in the edit log, a snapshot body and a purge mean the same thing in both stores. Column
 * types keep SQLite's values as they are (integer for 0/1 flags, text for JSON arrays), so the
 * rows read back equal the map file's.
 *
 * Beside the content: the edit log (undo_log: who made each step, per-user undo), the change
 * feed live clients catch up from, the operation ids that make a retried call a no-op, and who
 * has a map open (presence).
 */
import type { PgMigration } from '../migrate';

const MAP_FK = 'FOREIGN KEY (org_id, map_id) REFERENCES maps (org_id, map_id) ON DELETE CASCADE';
const DATE = `'^[0-9]{4}-[0-9]{2}-[0-9]{2}$'`;

export const migration0010: PgMigration = {
  version: 10,
  name: 'maps',
  sql: `
CREATE TABLE maps (
  org_id     uuid NOT NULL REFERENCES organization (org_id),
  map_id     uuid NOT NULL DEFAULT gen_random_uuid(),
  name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  owner_id   uuid NOT NULL,
  -- The revision: +1 for every edit, undo, redo, load, restore and erasure.
  rev        integer NOT NULL DEFAULT 0,
  -- Revisions below this are gone from the change feed (trimmed or erased): older clients reload.
  feed_floor integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by uuid,
  PRIMARY KEY (org_id, map_id),
  FOREIGN KEY (org_id, owner_id) REFERENCES users (org_id, user_id)
);
CREATE INDEX maps_owner ON maps (org_id, owner_id);

-- Whom the owner shared a map with, and as what. The owner is not listed here.
CREATE TABLE map_shares (
  org_id     uuid NOT NULL,
  map_id     uuid NOT NULL,
  user_id    uuid NOT NULL,
  role       text NOT NULL CHECK (role IN ('editor', 'viewer')),
  granted_by uuid NOT NULL,
  granted_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, map_id, user_id),
  ${MAP_FK},
  FOREIGN KEY (org_id, user_id) REFERENCES users (org_id, user_id) ON DELETE CASCADE
);
CREATE INDEX map_shares_user ON map_shares (org_id, user_id);

CREATE TABLE map_meta (
  org_id      uuid NOT NULL,
  map_id      uuid NOT NULL,
  id          integer NOT NULL CHECK (id = 1),
  account     text NOT NULL DEFAULT '',
  deal        text NOT NULL DEFAULT '',
  stage       text NOT NULL DEFAULT 'need',
  posture     text NOT NULL DEFAULT 'unknown',
  incumbent   integer NOT NULL DEFAULT 0,
  competitors text NOT NULL DEFAULT '[]',
  budget      text NOT NULL DEFAULT '',
  timeline    text NOT NULL DEFAULT '',
  notes       text NOT NULL DEFAULT '',
  created_at  text NOT NULL,
  PRIMARY KEY (org_id, map_id, id),
  ${MAP_FK}
);

CREATE TABLE person (
  org_id        uuid NOT NULL,
  map_id        uuid NOT NULL,
  ord           bigint GENERATED ALWAYS AS IDENTITY,
  id            text NOT NULL,
  name          text NOT NULL,
  title         text NOT NULL DEFAULT '',
  department    text NOT NULL DEFAULT '',
  roles         text NOT NULL DEFAULT '[]',
  influence     text NOT NULL DEFAULT 'medium' CHECK (influence IN ('high', 'medium', 'low')),
  attitude      text NOT NULL DEFAULT 'neutral' CHECK (attitude IN ('champion', 'supporter', 'neutral', 'opponent', 'strong-opponent')),
  favours       text NOT NULL DEFAULT '',
  serves_org    integer NOT NULL DEFAULT 0,
  personal_bond integer NOT NULL DEFAULT 0,
  level         text CHECK (level IS NULL OR level IN ('decision', 'management', 'operations')),
  notes         text NOT NULL DEFAULT '',
  last_contact  text,
  created_at    text NOT NULL,
  updated_at    text NOT NULL,
  PRIMARY KEY (org_id, map_id, id),
  ${MAP_FK}
);

-- The sensitive personal profile, apart from the person row: never sent to a viewer.
CREATE TABLE profile (
  org_id    uuid NOT NULL,
  map_id    uuid NOT NULL,
  ord       bigint GENERATED ALWAYS AS IDENTITY,
  person_id text NOT NULL,
  data      text NOT NULL DEFAULT '{}',
  PRIMARY KEY (org_id, map_id, person_id),
  FOREIGN KEY (org_id, map_id, person_id) REFERENCES person (org_id, map_id, id),
  ${MAP_FK}
);

CREATE TABLE relation (
  org_id   uuid NOT NULL,
  map_id   uuid NOT NULL,
  ord      bigint GENERATED ALWAYS AS IDENTITY,
  id       text NOT NULL,
  kind     text NOT NULL CHECK (kind IN ('reports_to', 'influence', 'alliance', 'conflict')),
  source   text NOT NULL,
  target   text NOT NULL,
  strength integer NOT NULL DEFAULT 2 CHECK (strength BETWEEN 1 AND 3),
  note     text NOT NULL DEFAULT '',
  CHECK (source <> target),
  PRIMARY KEY (org_id, map_id, id),
  FOREIGN KEY (org_id, map_id, source) REFERENCES person (org_id, map_id, id),
  FOREIGN KEY (org_id, map_id, target) REFERENCES person (org_id, map_id, id),
  ${MAP_FK}
);
CREATE INDEX relation_source ON relation (org_id, map_id, source);
CREATE INDEX relation_target ON relation (org_id, map_id, target);
-- One formal line: a person reports to at most one other.
CREATE UNIQUE INDEX relation_one_boss ON relation (org_id, map_id, source) WHERE kind = 'reports_to';

CREATE TABLE member (
  org_id uuid NOT NULL,
  map_id uuid NOT NULL,
  ord    bigint GENERATED ALWAYS AS IDENTITY,
  id     text NOT NULL,
  name   text NOT NULL,
  role   text NOT NULL DEFAULT '',
  PRIMARY KEY (org_id, map_id, id),
  ${MAP_FK}
);

CREATE TABLE coverage (
  org_id    uuid NOT NULL,
  map_id    uuid NOT NULL,
  ord       bigint GENERATED ALWAYS AS IDENTITY,
  member_id text NOT NULL,
  person_id text NOT NULL,
  strength  integer NOT NULL CHECK (strength BETWEEN 1 AND 3),
  PRIMARY KEY (org_id, map_id, member_id, person_id),
  FOREIGN KEY (org_id, map_id, member_id) REFERENCES member (org_id, map_id, id),
  FOREIGN KEY (org_id, map_id, person_id) REFERENCES person (org_id, map_id, id),
  ${MAP_FK}
);
CREATE INDEX coverage_person ON coverage (org_id, map_id, person_id);

CREATE TABLE position (
  org_id  uuid NOT NULL,
  map_id  uuid NOT NULL,
  ord     bigint GENERATED ALWAYS AS IDENTITY,
  layout  text NOT NULL,
  node_id text NOT NULL,
  x       double precision NOT NULL,
  y       double precision NOT NULL,
  pinned  integer NOT NULL DEFAULT 0,
  PRIMARY KEY (org_id, map_id, layout, node_id),
  ${MAP_FK}
);

CREATE TABLE interaction (
  org_id     uuid NOT NULL,
  map_id     uuid NOT NULL,
  ord        bigint GENERATED ALWAYS AS IDENTITY,
  id         text NOT NULL,
  person_id  text NOT NULL,
  date       text NOT NULL CHECK (date ~ ${DATE}),
  kind       text NOT NULL CHECK (kind IN ('meeting', 'call', 'event', 'other')),
  attendees  text NOT NULL DEFAULT '[]',
  notes      text NOT NULL DEFAULT '',
  created_at text NOT NULL,
  PRIMARY KEY (org_id, map_id, id),
  FOREIGN KEY (org_id, map_id, person_id) REFERENCES person (org_id, map_id, id),
  ${MAP_FK}
);
CREATE INDEX interaction_person ON interaction (org_id, map_id, person_id, date);

-- Whereabouts of a client person (PIPL-sensitive): never sent to a viewer.
CREATE TABLE trip (
  org_id     uuid NOT NULL,
  map_id     uuid NOT NULL,
  ord        bigint GENERATED ALWAYS AS IDENTITY,
  id         text NOT NULL,
  person_id  text NOT NULL,
  place      text NOT NULL,
  date_from  text NOT NULL CHECK (date_from ~ ${DATE}),
  date_to    text NOT NULL CHECK (date_to ~ ${DATE} AND date_to >= date_from),
  time_zone  text,
  note       text NOT NULL DEFAULT '',
  created_at text NOT NULL,
  PRIMARY KEY (org_id, map_id, id),
  FOREIGN KEY (org_id, map_id, person_id) REFERENCES person (org_id, map_id, id),
  ${MAP_FK}
);
CREATE INDEX trip_person ON trip (org_id, map_id, person_id);

CREATE TABLE time_setting (
  org_id uuid NOT NULL,
  map_id uuid NOT NULL,
  key    text NOT NULL,
  value  text NOT NULL,
  PRIMARY KEY (org_id, map_id, key),
  ${MAP_FK}
);

CREATE TABLE snapshot (
  org_id    uuid NOT NULL,
  map_id    uuid NOT NULL,
  ord       bigint GENERATED ALWAYS AS IDENTITY,
  id        text NOT NULL,
  name      text NOT NULL,
  taken_at  text NOT NULL,
  rev       integer NOT NULL,
  codec     text NOT NULL,
  people    integer NOT NULL,
  relations integer NOT NULL,
  team      integer NOT NULL,
  coverage  integer NOT NULL,
  raw_bytes integer NOT NULL,
  body      bytea NOT NULL,
  PRIMARY KEY (org_id, map_id, id),
  ${MAP_FK}
);

-- The edit log: each step's row images, who made it and when. seq is the map's revision after
-- the step; undo and redo act on the user's own steps.
CREATE TABLE undo_log (
  org_id  uuid NOT NULL,
  map_id  uuid NOT NULL,
  seq     integer NOT NULL,
  user_id uuid,
  label   text NOT NULL,
  changes text NOT NULL,
  undone  boolean NOT NULL DEFAULT false,
  at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, map_id, seq),
  ${MAP_FK}
);
CREATE INDEX undo_log_user ON undo_log (org_id, map_id, user_id, seq);

-- What each revision changed, as the renderer applies it (no profiles, no trips): live clients
-- catch up from here after a reconnect.
CREATE TABLE map_changes (
  org_id  uuid NOT NULL,
  map_id  uuid NOT NULL,
  rev     integer NOT NULL,
  user_id uuid,
  at      timestamptz NOT NULL DEFAULT now(),
  change  text NOT NULL,
  PRIMARY KEY (org_id, map_id, rev),
  ${MAP_FK}
);

-- Operation ids of calls that changed a map: a call retried after a dropped connection finds
-- its id here and is answered without being applied again.
CREATE TABLE map_ops (
  org_id uuid NOT NULL,
  map_id uuid NOT NULL,
  op_id  text NOT NULL CHECK (length(op_id) BETWEEN 8 AND 100),
  user_id uuid NOT NULL,
  result text NOT NULL,
  at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, map_id, op_id),
  ${MAP_FK}
);
CREATE INDEX map_ops_at ON map_ops (at);

-- Who has a map open, per live connection: refreshed while the connection lives, read as
-- "seen in the last minute", so an instance that was killed leaves nobody behind for long.
CREATE TABLE map_presence (
  org_id  uuid NOT NULL,
  map_id  uuid NOT NULL,
  conn_id uuid NOT NULL,
  user_id uuid NOT NULL,
  seen_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, map_id, conn_id),
  ${MAP_FK}
);
`,
};
