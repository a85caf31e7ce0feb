/**
 * Signing in and out, sessions and personal access tokens: the rules. The SQL is in
 * storage/postgres/accounts.ts, the HTTP side (cookies, CSRF, Origin) in guard.ts and app.ts.
 *
 * Everything is in the database, nothing in this process: any number of server instances share
 * the sessions, tokens and sign-in limits, and any of them can be killed at any moment.
 */
import { SessionGate } from '../../storage/postgres/gate';
import { isMapId, type MapAccess } from '../../storage/postgres/maps';
import type { Pool } from '../../storage/postgres/pool';
import type { AccessTokenInfo } from '../../shared/api/account';
import { ApiError } from '../../shared/api/errors';
import {
  bumpSigninFailures,
  deleteSession,
  deleteUserSessions,
  findAccessToken,
  findSession,
  findUserByEmail,
  forgiveSigninAttempt,
  insertAccessToken,
  insertSession,
  listAccessTokens,
  normalizeEmail,
  revokeAccessToken,
  touchAccessToken,
  touchSession,
  type AccessTokenRow,
} from '../../storage/postgres/accounts';
import { audit, type AuditVia } from '../../storage/postgres/audit';
import { toApiError, withTransaction } from '../../storage/postgres/pool';
import {
  csrfToken,
  formatAccessToken,
  formatSessionCookie,
  newSecret,
  parseAccessToken,
  parseSessionCookie,
  sessionHash,
  tokenHash,
} from './credentials';
import { verifyNobody, verifyPassword } from './passwords';

/** Who is calling: what every authenticated request carries (request.principal). */
export interface Principal {
  orgId: string;
  userId: string;
  email: string;
  name: string;
  via: 'session' | 'token';
  /** The session's hash (hex) or the token's id: which credential this is. */
  credentialId: string;
  /** Sessions only: the CSRF token the page must send back. */
  csrf?: string;
  /** When this credential stops working at the latest. */
  expiresAt: Date | null;
  /**
   * The map the request named (X-PowerMap-Map), checked in the credential's own query: the user's
   * access to it, null when it is not theirs to see. Absent when the request named none.
   */
  map?: { id: string; access: MapAccess | null };
  /**
   * Set when the session has NOT been checked yet (Auth.deferredSession): only a map edit takes
   * such a principal, and its transaction checks the session, the user and their role on `mapId`
   * before anything of the call is answered (storage/postgres/gate.ts). `gate(onAccess)` makes
   * that check; `onAccess` judges the user's access to the map (throws the refusal).
   */
  unchecked?: { mapId: string; gate(onAccess: (a: MapAccess | null) => void): SessionGate };
}

export interface AuthOptions {
  /** The organization people sign in to (the default organization for now). */
  orgId: string;
  /** A session ends this long after sign-in at the latest (default 30 days). */
  sessionDays?: number;
  /** …or when unused this long (default 7 days). */
  idleDays?: number;
  /** Failed sign-ins per email address per window (default 10). */
  emailLimit?: number;
  /** Failed sign-ins per client address per window (default 100: offices share addresses). */
  ipLimit?: number;
  /** The window of those limits, in seconds (default 15 minutes). */
  windowSeconds?: number;
}

export interface SignInResult {
  principal: Principal;
  /** The session cookie's value: set it httpOnly, never show or log it. */
  cookie: string;
  expiresAt: Date;
}

const DAY = 86_400;
/** last_seen_at is written at most this often per session. */
const TOUCH_EVERY_MS = 5 * 60_000;
/**
 * How long this instance remembers who a session belongs to, after a full check found it alive.
 * Only the identity (user id, name, email: a session never changes hands): whether the session is
 * still alive and its user allowed is checked again on every call.
 */
const IDENTITY_MS = 60_000;
const IDENTITY_MAX = 10_000;

export const toTokenInfo = (t: AccessTokenRow): AccessTokenInfo => ({
  id: t.tokenId,
  name: t.name,
  hint: t.hint,
  createdAt: t.createdAt.toISOString(),
  expiresAt: t.expiresAt?.toISOString() ?? null,
  lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
  revokedAt: t.revokedAt?.toISOString() ?? null,
});

const unauthenticated = (why: string) => new ApiError('UNAUTHENTICATED', why);

export class Auth {
  readonly orgId: string;
  readonly sessionSeconds: number;
  readonly idleSeconds: number;
  readonly emailLimit: number;
  readonly ipLimit: number;
  readonly windowSeconds: number;
  /** Sessions seen alive lately on this instance: `<org>.<hash hex>` → who they belong to. */
  private readonly identities = new Map<string, { userId: string; email: string; name: string; at: number }>();

  constructor(
    readonly pool: Pool,
    opts: AuthOptions,
  ) {
    this.orgId = opts.orgId;
    this.sessionSeconds = (opts.sessionDays ?? 30) * DAY;
    this.idleSeconds = (opts.idleDays ?? 7) * DAY;
    this.emailLimit = opts.emailLimit ?? 10;
    this.ipLimit = opts.ipLimit ?? 100;
    this.windowSeconds = opts.windowSeconds ?? 900;
  }

  /**
   * Checks an email and password and opens a session. The same BAD_CREDENTIALS, after the same
   * argon2 work, for an unknown email, a wrong password and a disabled account. Attempts are
   * counted BEFORE the password is checked (one atomic upsert per key, shared by every instance),
   * so a burst of parallel guesses cannot slip past the limit; a success takes its count back.
   */
  async signIn(email: string, password: string, client: { ip: string; userAgent?: string }): Promise<SignInResult> {
    const addr = normalizeEmail(email);
    const keys = [`email:${addr}`, `ip:${client.ip}`];
    try {
      const [byEmail, byIp] = await Promise.all(keys.map((k) => bumpSigninFailures(this.pool, this.orgId, k, this.windowSeconds)));
      if (byEmail!.failures > this.emailLimit || byIp!.failures > this.ipLimit) {
        const resetAt = Math.max(
          byEmail!.failures > this.emailLimit ? byEmail!.resetAt.getTime() : 0,
          byIp!.failures > this.ipLimit ? byIp!.resetAt.getTime() : 0,
        );
        const minutes = Math.max(1, Math.ceil((resetAt - Date.now()) / 60_000));
        // Audited once per window and key, not for every refused attempt of a flood.
        if (byEmail!.failures === this.emailLimit + 1 || byIp!.failures === this.ipLimit + 1)
          await audit(this.pool, { orgId: this.orgId, userId: null, via: 'session', kind: 'signin.rate_limited', payload: { email: addr, ip: client.ip } });
        throw new ApiError('RATE_LIMITED', `too many failed sign-ins; try again in ${minutes} min`, { minutes });
      }
      const user = await findUserByEmail(this.pool, this.orgId, addr);
      const ok = user ? await verifyPassword(user.passwordHash, password) : await verifyNobody(password);
      if (!user || !ok || user.disabledAt) {
        const reason = !user ? 'unknown' : !ok ? 'password' : 'disabled';
        await audit(this.pool, { orgId: this.orgId, userId: user?.userId ?? null, via: 'session', kind: 'signin.failed', payload: { email: addr, ip: client.ip, reason } });
        throw new ApiError('BAD_CREDENTIALS', 'wrong email or password');
      }
      const secret = newSecret();
      const hash = sessionHash(secret);
      const expiresAt = new Date(Date.now() + this.sessionSeconds * 1000);
      await withTransaction(this.pool, async (c) => {
        await insertSession(c, { orgId: this.orgId, userId: user.userId, hash, expiresAt, userAgent: client.userAgent, ip: client.ip });
        await audit(c, { orgId: this.orgId, userId: user.userId, via: 'session', kind: 'signin.ok', payload: { ip: client.ip, userAgent: client.userAgent?.slice(0, 200) ?? null } });
      });
      await Promise.all(keys.map((k) => forgiveSigninAttempt(this.pool, this.orgId, k)));
      return {
        principal: {
          orgId: this.orgId,
          userId: user.userId,
          email: user.email,
          name: user.name,
          via: 'session',
          credentialId: hash.toString('hex'),
          csrf: csrfToken(secret),
          expiresAt,
        },
        cookie: formatSessionCookie(this.orgId, secret),
        expiresAt,
      };
    } catch (e) {
      throw toApiError(e);
    }
  }

  /** The principal of a session cookie's value, or UNAUTHENTICATED. */
  async fromSessionCookie(value: string | undefined, mapId?: string): Promise<Principal> {
    const parsed = parseSessionCookie(value);
    if (!parsed) throw unauthenticated(value ? 'the session cookie is not valid' : 'not signed in');
    const hash = sessionHash(parsed.secret);
    try {
      const found = await findSession(this.pool, parsed.orgId, hash, this.idleSeconds, mapId);
      if (!found) throw unauthenticated('the session has ended');
      if (Date.now() - found.lastSeenAt.getTime() > TOUCH_EVERY_MS)
        touchSession(this.pool, parsed.orgId, hash).catch(() => undefined); // best effort: a lost write costs nothing
      if (this.identities.size >= IDENTITY_MAX) this.identities.clear();
      this.identities.set(`${parsed.orgId}.${hash.toString('hex')}`, { userId: found.user.userId, email: found.user.email, name: found.user.name, at: Date.now() });
      return {
        orgId: parsed.orgId,
        userId: found.user.userId,
        email: found.user.email,
        name: found.user.name,
        via: 'session',
        credentialId: hash.toString('hex'),
        csrf: csrfToken(parsed.secret),
        expiresAt: found.expiresAt,
        ...(mapId === undefined ? {} : { map: { id: mapId, access: found.access ?? null } }),
      };
    } catch (e) {
      throw toApiError(e);
    }
  }

  /**
   * The principal of a session cookie this instance found alive in the last minute, for an edit of
   * `mapId`, WITHOUT checking it now: `unchecked.gate` checks it (alive, user enabled, role on the
   * map) in the edit's own transaction, fresh from the database. Null when the cookie is not one
   * of those: the caller then checks it the usual way (fromSessionCookie).
   */
  deferredSession(value: string, mapId: string): Principal | null {
    const parsed = parseSessionCookie(value);
    if (!parsed || !isMapId(mapId)) return null;
    const hash = sessionHash(parsed.secret);
    const key = `${parsed.orgId}.${hash.toString('hex')}`;
    const who = this.identities.get(key);
    if (!who || Date.now() - who.at > IDENTITY_MS) return null;
    const orgId = parsed.orgId;
    const gate = (onAccess: (a: MapAccess | null) => void) =>
      new SessionGate({ orgId, hash, idleSeconds: this.idleSeconds, userId: who.userId, mapId }, (found) => {
        if (!found) {
          this.identities.delete(key);
          throw unauthenticated('the session has ended');
        }
        if (Date.now() - found.lastSeenAt.getTime() > TOUCH_EVERY_MS) touchSession(this.pool, orgId, hash).catch(() => undefined);
        onAccess(found.access ?? null);
      });
    return {
      orgId,
      userId: who.userId,
      email: who.email,
      name: who.name,
      via: 'session',
      credentialId: hash.toString('hex'),
      csrf: csrfToken(parsed.secret),
      expiresAt: null,
      unchecked: { mapId, gate },
    };
  }

  /** The principal of a personal access token, or UNAUTHENTICATED. */
  async fromAccessToken(token: string, mapId?: string): Promise<Principal> {
    const parsed = parseAccessToken(token);
    if (!parsed) throw unauthenticated('the access token is not valid');
    try {
      const found = await findAccessToken(this.pool, parsed.orgId, tokenHash(parsed.secret), mapId);
      if (!found) throw unauthenticated('the access token is unknown, revoked or expired');
      touchAccessToken(this.pool, parsed.orgId, found.token.tokenId).catch(() => undefined);
      return {
        orgId: parsed.orgId,
        userId: found.user.userId,
        email: found.user.email,
        name: found.user.name,
        via: 'token',
        credentialId: found.token.tokenId,
        expiresAt: found.token.expiresAt,
        ...(mapId === undefined ? {} : { map: { id: mapId, access: found.access ?? null } }),
      };
    } catch (e) {
      throw toApiError(e);
    }
  }

  /** Ends the principal's own session. */
  async signOut(p: Principal): Promise<void> {
    if (p.via !== 'session') throw new ApiError('BAD_REQUEST', 'an access token is not a session: revoke it instead');
    try {
      await withTransaction(this.pool, async (c) => {
        await deleteSession(c, p.orgId, Buffer.from(p.credentialId, 'hex'));
        await audit(c, { orgId: p.orgId, userId: p.userId, via: p.via, kind: 'signout.one' });
      });
    } catch (e) {
      throw toApiError(e);
    }
  }

  /** Ends every session of the principal's user; returns how many. */
  async signOutEverywhere(p: Principal): Promise<number> {
    try {
      return await withTransaction(this.pool, async (c) => {
        const n = await deleteUserSessions(c, p.orgId, p.userId);
        await audit(c, { orgId: p.orgId, userId: p.userId, via: p.via, kind: 'signout.everywhere', payload: { sessions: n } });
        return n;
      });
    } catch (e) {
      throw toApiError(e);
    }
  }

  /** Creates a token for the principal's user: the secret is returned here once and kept nowhere. */
  async createToken(p: Principal, name: string, expiresInDays?: number | null): Promise<{ token: string; info: AccessTokenInfo }> {
    if (p.via !== 'session') throw new ApiError('FORBIDDEN', 'tokens are created in the signed-in web app, not with another token');
    const secret = newSecret();
    const token = formatAccessToken(p.orgId, secret);
    const expiresAt = expiresInDays ? new Date(Date.now() + expiresInDays * DAY * 1000) : null;
    try {
      const row = await withTransaction(this.pool, async (c) => {
        const r = await insertAccessToken(c, { orgId: p.orgId, userId: p.userId, name, hash: tokenHash(secret), hint: token.slice(-4), expiresAt });
        await audit(c, { orgId: p.orgId, userId: p.userId, via: p.via, kind: 'token.create', payload: { tokenId: r.tokenId, name, expiresAt: expiresAt?.toISOString() ?? null } });
        return r;
      });
      return { token, info: toTokenInfo(row) };
    } catch (e) {
      throw toApiError(e);
    }
  }

  async listTokens(p: Principal): Promise<AccessTokenInfo[]> {
    try {
      return (await listAccessTokens(this.pool, p.orgId, p.userId)).map(toTokenInfo);
    } catch (e) {
      throw toApiError(e);
    }
  }

  /** Revokes one of the principal's own tokens; another user's id answers exactly like an unknown one. */
  async revokeToken(p: Principal, tokenId: string): Promise<AccessTokenInfo> {
    try {
      const row = await withTransaction(this.pool, async (c) => {
        const r = await revokeAccessToken(c, p.orgId, p.userId, tokenId);
        if (r) await audit(c, { orgId: p.orgId, userId: p.userId, via: p.via, kind: 'token.revoke', payload: { tokenId, name: r.name } });
        return r;
      });
      if (!row) throw new ApiError('NOT_FOUND', 'no such token (or it is already revoked)');
      return toTokenInfo(row);
    } catch (e) {
      throw toApiError(e);
    }
  }

  /** Writes an audit entry for something the principal did (the lead's map API: shares, exports…). */
  async audit(p: Principal, kind: string, payload?: Record<string, unknown>, mapId?: string | null): Promise<void> {
    const via: AuditVia = p.via;
    await audit(this.pool, { orgId: p.orgId, userId: p.userId, via, kind, mapId: mapId ?? null, payload });
  }
}
