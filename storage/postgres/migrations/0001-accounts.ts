/**
 * 0001: organizations, users, sessions, personal access tokens, sign-in attempt counters and the
 * audit log.
 *
 * Every table leads its primary key with org_id, the organization the row belongs to (map
 * tables will add map_id next to it): the column a distributed PostgreSQL (Citus) would shard
 * on, or by which the data could be split per organization, without a redesign. Credentials
 * name their organization too (see server/team/credentials.ts), so even a session lookup is a
 * single-organization query. Requires PostgreSQL 13 or newer (gen_random_uuid()).
 */
import type { PgMigration } from '../migrate';

export const migration0001: PgMigration = {
  version: 1,
  name: 'accounts',
  sql: `
CREATE TABLE organization (
  org_id     uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  is_default boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now()
);
-- The organization sign-in and 'powermap user' use until several are set up.
CREATE UNIQUE INDEX organization_one_default ON organization (is_default) WHERE is_default;
INSERT INTO organization (name, is_default) VALUES ('Default', true);

CREATE TABLE users (
  org_id              uuid NOT NULL REFERENCES organization (org_id),
  user_id             uuid NOT NULL DEFAULT gen_random_uuid(),
  -- Lower-cased and trimmed by the server; unique per organization.
  email               text NOT NULL CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 320),
  name                text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  -- Only ever an argon2id hash: the database itself refuses anything else (a clear password).
  password_hash       text NOT NULL CHECK (password_hash LIKE '$argon2id$v=%'),
  disabled_at         timestamptz,
  created_at          timestamptz NOT NULL DEFAULT now(),
  password_changed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, user_id),
  UNIQUE (org_id, email)
);

-- A signed-in browser. The cookie holds a random secret; only its SHA-256 is kept here.
CREATE TABLE sessions (
  org_id       uuid NOT NULL,
  session_hash bytea NOT NULL CHECK (length(session_hash) = 32),
  user_id      uuid NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL,
  user_agent   text CHECK (length(user_agent) <= 300),
  ip           text CHECK (length(ip) <= 64),
  PRIMARY KEY (org_id, session_hash),
  FOREIGN KEY (org_id, user_id) REFERENCES users (org_id, user_id) ON DELETE CASCADE
);
CREATE INDEX sessions_user ON sessions (org_id, user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

-- Personal access tokens for the command line ('Authorization: Bearer pmat_…'). Shown once at
-- creation; only the SHA-256 of the secret is kept, and the last characters to tell them apart.
CREATE TABLE access_tokens (
  org_id       uuid NOT NULL,
  token_id     uuid NOT NULL DEFAULT gen_random_uuid(),
  user_id      uuid NOT NULL,
  name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  token_hash   bytea NOT NULL CHECK (length(token_hash) = 32),
  hint         text NOT NULL CHECK (length(hint) <= 8),
  created_at   timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz,
  last_used_at timestamptz,
  revoked_at   timestamptz,
  PRIMARY KEY (org_id, token_id),
  UNIQUE (org_id, token_hash),
  FOREIGN KEY (org_id, user_id) REFERENCES users (org_id, user_id) ON DELETE CASCADE
);
CREATE INDEX access_tokens_user ON access_tokens (org_id, user_id);

-- Failed sign-in counters, one row per key ('email:…' or 'ip:…') and fixed window. Kept in the
-- database so the limit holds across every server instance; bumped by one atomic upsert.
CREATE TABLE signin_attempts (
  org_id       uuid NOT NULL,
  key          text NOT NULL CHECK (length(key) <= 400),
  window_start timestamptz NOT NULL,
  failures     integer NOT NULL CHECK (failures >= 0),
  PRIMARY KEY (org_id, key)
);

-- Who did what and when: sign-ins, tokens, account changes; later shares, exports, purges.
-- No foreign key to users: the trail outlives the accounts it names.
CREATE TABLE audit (
  org_id   uuid NOT NULL,
  audit_id bigint GENERATED ALWAYS AS IDENTITY,
  at       timestamptz NOT NULL DEFAULT now(),
  user_id  uuid,
  -- How the actor came: 'session' (browser), 'token' (bearer), 'cli' (an admin command), 'system'.
  via      text NOT NULL CHECK (via IN ('session', 'token', 'cli', 'system')),
  kind     text NOT NULL CHECK (kind ~ '^[a-z]+(\\.[a-z_]+)+$'),
  map_id   uuid,
  payload  jsonb NOT NULL DEFAULT '{}'::jsonb,
  PRIMARY KEY (org_id, audit_id)
);
CREATE INDEX audit_at ON audit (org_id, at);
CREATE INDEX audit_user ON audit (org_id, user_id, at);
CREATE INDEX audit_map ON audit (org_id, map_id, at) WHERE map_id IS NOT NULL;
`,
};
