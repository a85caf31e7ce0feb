/**
 * Accounts in the team database: organizations, users, sessions, personal access tokens and the
 * sign-in attempt counters (tables of migration 0001). Plain queries, no policy: hashing,
 * credential formats and the rules live in server/team/. Every query names the organization.
 */
import { ApiError } from '../../shared/api/errors';
import { accessOf, accessSubquery, isMapId, type AccessDbRow, type MapAccess } from './maps';
import type { Queryable } from './pool';

export interface Organization {
  orgId: string;
  name: string;
}

export interface UserRow {
  orgId: string;
  userId: string;
  email: string;
  name: string;
  disabledAt: Date | null;
  createdAt: Date;
}

/** A user with the hash, for checking a password. Never leaves the server. */
export interface UserWithHash extends UserRow {
  passwordHash: string;
}

const USER_COLS = 'org_id, user_id, email, name, disabled_at, created_at';
type UserDbRow = { org_id: string; user_id: string; email: string; name: string; disabled_at: Date | null; created_at: Date };
const toUser = (r: UserDbRow): UserRow => ({
  orgId: r.org_id,
  userId: r.user_id,
  email: r.email,
  name: r.name,
  disabledAt: r.disabled_at,
  createdAt: r.created_at,
});

/** The organization sign-in and the user commands use (made by migration 0001). */
export async function defaultOrganization(q: Queryable): Promise<Organization> {
  const r = await q.query<{ org_id: string; name: string }>('SELECT org_id, name FROM organization WHERE is_default');
  const row = r.rows[0];
  if (!row) throw new ApiError('INTERNAL', 'the database has no default organization');
  return { orgId: row.org_id, name: row.name };
}

/** Lower-case, trimmed, NFC: how emails are stored and compared. */
export const normalizeEmail = (email: string): string => email.normalize('NFC').trim().toLowerCase();

export async function insertUser(
  q: Queryable,
  u: { orgId: string; email: string; name: string; passwordHash: string },
): Promise<UserRow> {
  try {
    const r = await q.query<UserDbRow>(
      `INSERT INTO users (org_id, email, name, password_hash) VALUES ($1, $2, $3, $4) RETURNING ${USER_COLS}`,
      [u.orgId, normalizeEmail(u.email), u.name, u.passwordHash],
    );
    return toUser(r.rows[0]!);
  } catch (e) {
    if ((e as { code?: string }).code === '23505')
      throw new ApiError('BAD_REQUEST', `a user with the email ${normalizeEmail(u.email)} already exists`, { email: normalizeEmail(u.email) });
    throw e;
  }
}

export async function findUserByEmail(q: Queryable, orgId: string, email: string): Promise<UserWithHash | null> {
  const r = await q.query<UserDbRow & { password_hash: string }>(
    `SELECT ${USER_COLS}, password_hash FROM users WHERE org_id = $1 AND email = $2`,
    [orgId, normalizeEmail(email)],
  );
  const row = r.rows[0];
  return row ? { ...toUser(row), passwordHash: row.password_hash } : null;
}

export async function getUser(q: Queryable, orgId: string, userId: string): Promise<UserRow | null> {
  const r = await q.query<UserDbRow>(`SELECT ${USER_COLS} FROM users WHERE org_id = $1 AND user_id = $2`, [orgId, userId]);
  return r.rows[0] ? toUser(r.rows[0]) : null;
}

export interface UserListRow extends UserRow {
  sessions: number;
  tokens: number;
  lastSignIn: Date | null;
}

export async function listUsers(q: Queryable, orgId: string): Promise<UserListRow[]> {
  const r = await q.query<UserDbRow & { sessions: number; tokens: number; last_sign_in: Date | null }>(
    `SELECT ${USER_COLS.split(', ').map((c) => 'u.' + c).join(', ')},
            (SELECT count(*)::int FROM sessions s WHERE s.org_id = u.org_id AND s.user_id = u.user_id AND s.expires_at > now()) AS sessions,
            (SELECT count(*)::int FROM access_tokens t WHERE t.org_id = u.org_id AND t.user_id = u.user_id AND t.revoked_at IS NULL
                AND (t.expires_at IS NULL OR t.expires_at > now())) AS tokens,
            (SELECT max(s.created_at) FROM sessions s WHERE s.org_id = u.org_id AND s.user_id = u.user_id) AS last_sign_in
       FROM users u WHERE u.org_id = $1 ORDER BY u.email`,
    [orgId],
  );
  return r.rows.map((row) => ({ ...toUser(row), sessions: row.sessions, tokens: row.tokens, lastSignIn: row.last_sign_in }));
}

/** Disables or enables; disabling also ends every session. Null when there is no such user. */
export async function setUserDisabled(q: Queryable, orgId: string, email: string, disabled: boolean): Promise<UserRow | null> {
  const r = await q.query<UserDbRow>(
    `UPDATE users SET disabled_at = CASE WHEN $3 THEN coalesce(disabled_at, now()) ELSE NULL END
      WHERE org_id = $1 AND email = $2 RETURNING ${USER_COLS}`,
    [orgId, normalizeEmail(email), disabled],
  );
  const row = r.rows[0];
  if (!row) return null;
  if (disabled) await deleteUserSessions(q, orgId, row.user_id);
  return toUser(row);
}

/** Replaces the password hash. Null when there is no such user. */
export async function setPasswordHash(q: Queryable, orgId: string, email: string, passwordHash: string): Promise<UserRow | null> {
  const r = await q.query<UserDbRow>(
    `UPDATE users SET password_hash = $3, password_changed_at = now() WHERE org_id = $1 AND email = $2 RETURNING ${USER_COLS}`,
    [orgId, normalizeEmail(email), passwordHash],
  );
  return r.rows[0] ? toUser(r.rows[0]) : null;
}

// ---- sessions ----

export interface SessionInsert {
  orgId: string;
  userId: string;
  hash: Buffer;
  expiresAt: Date;
  userAgent?: string | null;
  ip?: string | null;
}

export async function insertSession(q: Queryable, s: SessionInsert): Promise<void> {
  await q.query(
    'INSERT INTO sessions (org_id, session_hash, user_id, expires_at, user_agent, ip) VALUES ($1, $2, $3, $4, $5, $6)',
    [s.orgId, s.hash, s.userId, s.expiresAt, s.userAgent?.slice(0, 300) ?? null, s.ip?.slice(0, 64) ?? null],
  );
}

export interface SessionFound {
  user: UserRow;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  /** When the look-up named a map: the user's access to it (null: not theirs to see). */
  access?: MapAccess | null;
}

/**
 * With a map to check: the credential query joined to the user's access to that map, so one round
 * trip says who is asking and whether they may see it. `$n` is the map id's parameter.
 */
const withAccess = (sql: string, n: number, mapId: string | undefined): string =>
  mapId === undefined ? sql : `SELECT c.*, a.* FROM (${sql}) c LEFT JOIN LATERAL (${accessSubquery('c.org_id', 'c.user_id', `$${n}::uuid`)}) a ON true`;
/** The map id to check, or undefined; one that is no map id at all is checked as nobody's. */
const mapParam = (mapId: string | undefined): string | null | undefined => (mapId === undefined ? undefined : isMapId(mapId) ? mapId : null);

/**
 * A live session (`s`) and its user (`u`): this hash in this organization, not expired, not idle
 * longer than `idle` seconds, its user not disabled. The one definition of "alive", for the
 * guard's look-up below and the edit's own check (gate.ts); the arguments are SQL parameters.
 */
export const liveSessionSql = (org: string, hash: string, idle: string): string =>
  `sessions s JOIN users u ON u.org_id = s.org_id AND u.user_id = s.user_id
      WHERE s.org_id = ${org} AND s.session_hash = ${hash} AND s.expires_at > now()
        AND s.last_seen_at > now() - make_interval(secs => ${idle}) AND u.disabled_at IS NULL`;

const SESSION_SQL = `SELECT ${USER_COLS.split(', ').map((c) => 'u.' + c).join(', ')},
            s.created_at AS s_created, s.last_seen_at AS s_seen, s.expires_at AS s_expires
       FROM ${liveSessionSql('$1', '$2', '$3')}`;
/**
 * The session look-up with the user's access to a map ($1 organization, $2 session hash, $3 idle
 * seconds, $4 map id): findSession's query, also prepared by the edit's own check (gate.ts).
 */
export const SESSION_MAP_SQL = withAccess(SESSION_SQL, 4, '');
export type SessionDbRow = UserDbRow & AccessDbRow & { s_created: Date; s_seen: Date; s_expires: Date };
/** A row of the session look-up as what it found; null for none. */
export function sessionFoundOf(row: SessionDbRow | undefined, withMap: boolean): SessionFound | null {
  if (!row) return null;
  const found: SessionFound = { user: toUser(row), createdAt: row.s_created, lastSeenAt: row.s_seen, expiresAt: row.s_expires };
  if (withMap) found.access = accessOf(row);
  return found;
}

/**
 * The live session with this hash: not expired, not idle longer than `idleSeconds`, its user
 * not disabled. Null otherwise.
 */
export async function findSession(q: Queryable, orgId: string, hash: Buffer, idleSeconds: number, mapId?: string): Promise<SessionFound | null> {
  const m = mapParam(mapId);
  const r = await q.query<SessionDbRow>({
    // Named: PostgreSQL plans this join once per connection, not on every request.
    name: mapId === undefined ? 'powermap_session' : 'powermap_session_map',
    text: mapId === undefined ? SESSION_SQL : SESSION_MAP_SQL,
    values: m === undefined ? [orgId, hash, idleSeconds] : [orgId, hash, idleSeconds, m],
  });
  return sessionFoundOf(r.rows[0], mapId !== undefined);
}

/** Marks the session used now (the caller throttles: once every few minutes is enough). */
export async function touchSession(q: Queryable, orgId: string, hash: Buffer): Promise<void> {
  await q.query('UPDATE sessions SET last_seen_at = now() WHERE org_id = $1 AND session_hash = $2', [orgId, hash]);
}

export async function deleteSession(q: Queryable, orgId: string, hash: Buffer): Promise<boolean> {
  const r = await q.query('DELETE FROM sessions WHERE org_id = $1 AND session_hash = $2', [orgId, hash]);
  return (r.rowCount ?? 0) > 0;
}

/** Ends every session of a user ("sign out everywhere"); returns how many. */
export async function deleteUserSessions(q: Queryable, orgId: string, userId: string): Promise<number> {
  const r = await q.query('DELETE FROM sessions WHERE org_id = $1 AND user_id = $2', [orgId, userId]);
  return r.rowCount ?? 0;
}

// ---- personal access tokens ----

export interface AccessTokenRow {
  tokenId: string;
  name: string;
  hint: string;
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}
type TokenDbRow = {
  token_id: string;
  name: string;
  hint: string;
  created_at: Date;
  expires_at: Date | null;
  last_used_at: Date | null;
  revoked_at: Date | null;
};
const TOKEN_COLS = 'token_id, name, hint, created_at, expires_at, last_used_at, revoked_at';
const toToken = (r: TokenDbRow): AccessTokenRow => ({
  tokenId: r.token_id,
  name: r.name,
  hint: r.hint,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  lastUsedAt: r.last_used_at,
  revokedAt: r.revoked_at,
});

export async function insertAccessToken(
  q: Queryable,
  t: { orgId: string; userId: string; name: string; hash: Buffer; hint: string; expiresAt: Date | null },
): Promise<AccessTokenRow> {
  const r = await q.query<TokenDbRow>(
    `INSERT INTO access_tokens (org_id, user_id, name, token_hash, hint, expires_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${TOKEN_COLS}`,
    [t.orgId, t.userId, t.name, t.hash, t.hint, t.expiresAt],
  );
  return toToken(r.rows[0]!);
}

/** The usable token with this hash (not revoked, not expired, its user not disabled), or null. */
export async function findAccessToken(
  q: Queryable,
  orgId: string,
  hash: Buffer,
  mapId?: string,
): Promise<{ user: UserRow; token: AccessTokenRow; access?: MapAccess | null } | null> {
  const m = mapParam(mapId);
  const r = await q.query<UserDbRow & TokenDbRow & AccessDbRow>({
    name: mapId === undefined ? 'powermap_token' : 'powermap_token_map',
    text: withAccess(
      `SELECT ${USER_COLS.split(', ').map((c) => 'u.' + c).join(', ')},
            ${TOKEN_COLS.split(', ').map((c) => 't.' + c).join(', ')}
       FROM access_tokens t JOIN users u ON u.org_id = t.org_id AND u.user_id = t.user_id
      WHERE t.org_id = $1 AND t.token_hash = $2 AND t.revoked_at IS NULL
        AND (t.expires_at IS NULL OR t.expires_at > now()) AND u.disabled_at IS NULL`,
      3,
      mapId,
    ),
    values: m === undefined ? [orgId, hash] : [orgId, hash, m],
  });
  const row = r.rows[0];
  if (!row) return null;
  return mapId === undefined ? { user: toUser(row), token: toToken(row) } : { user: toUser(row), token: toToken(row), access: accessOf(row) };
}

/** Records use; at most once a minute per token, so a busy script writes little. */
export async function touchAccessToken(q: Queryable, orgId: string, tokenId: string): Promise<void> {
  await q.query(
    `UPDATE access_tokens SET last_used_at = now()
      WHERE org_id = $1 AND token_id = $2 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`,
    [orgId, tokenId],
  );
}

/** A user's tokens, newest first, revoked ones included (shown as revoked). */
export async function listAccessTokens(q: Queryable, orgId: string, userId: string): Promise<AccessTokenRow[]> {
  const r = await q.query<TokenDbRow>(
    `SELECT ${TOKEN_COLS} FROM access_tokens WHERE org_id = $1 AND user_id = $2 ORDER BY created_at DESC, token_id`,
    [orgId, userId],
  );
  return r.rows.map(toToken);
}

/** Revokes one of the user's own tokens; false when it is not theirs, unknown or already revoked. */
export async function revokeAccessToken(q: Queryable, orgId: string, userId: string, tokenId: string): Promise<AccessTokenRow | null> {
  const r = await q.query<TokenDbRow>(
    `UPDATE access_tokens SET revoked_at = now()
      WHERE org_id = $1 AND user_id = $2 AND token_id = $3 AND revoked_at IS NULL RETURNING ${TOKEN_COLS}`,
    [orgId, userId, tokenId],
  );
  return r.rows[0] ? toToken(r.rows[0]) : null;
}

/** Revokes every token of a user; returns how many. */
export async function revokeUserAccessTokens(q: Queryable, orgId: string, userId: string): Promise<number> {
  const r = await q.query('UPDATE access_tokens SET revoked_at = now() WHERE org_id = $1 AND user_id = $2 AND revoked_at IS NULL', [
    orgId,
    userId,
  ]);
  return r.rowCount ?? 0;
}

// ---- sign-in attempt counters ----

/**
 * Counts one failed (or pending) attempt for `key` in a fixed window of `windowSeconds` and
 * returns the count in the current window and when that window ends. One atomic statement, so
 * concurrent attempts on any number of server instances are all counted.
 */
export async function bumpSigninFailures(
  q: Queryable,
  orgId: string,
  key: string,
  windowSeconds: number,
): Promise<{ failures: number; resetAt: Date }> {
  const r = await q.query<{ failures: number; reset_at: Date }>(
    `INSERT INTO signin_attempts AS a (org_id, key, window_start, failures) VALUES ($1, $2, now(), 1)
     ON CONFLICT (org_id, key) DO UPDATE SET
       failures = CASE WHEN a.window_start <= now() - make_interval(secs => $3) THEN 1 ELSE a.failures + 1 END,
       window_start = CASE WHEN a.window_start <= now() - make_interval(secs => $3) THEN now() ELSE a.window_start END
     RETURNING failures, window_start + make_interval(secs => $3) AS reset_at`,
    [orgId, key.slice(0, 400), windowSeconds],
  );
  const row = r.rows[0]!;
  return { failures: row.failures, resetAt: row.reset_at };
}

/** Takes back one counted attempt (it turned out to succeed). */
export async function forgiveSigninAttempt(q: Queryable, orgId: string, key: string): Promise<void> {
  await q.query('UPDATE signin_attempts SET failures = greatest(failures - 1, 0) WHERE org_id = $1 AND key = $2', [
    orgId,
    key.slice(0, 400),
  ]);
}

/** Deletes expired sessions and stale attempt counters; returns how many rows went. */
export async function pruneAccounts(q: Queryable, windowSeconds: number): Promise<number> {
  const a = await q.query("DELETE FROM sessions WHERE expires_at < now() - interval '1 day'");
  const b = await q.query('DELETE FROM signin_attempts WHERE window_start < now() - make_interval(secs => $1)', [windowSeconds * 2]);
  return (a.rowCount ?? 0) + (b.rowCount ?? 0);
}
