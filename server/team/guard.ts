/**
 * Turns an HTTP request into the authenticated user, or a typed refusal. The one door of every
 * /api call on the team server (the map API included):
 *
 *   Authorization: Bearer pmat_…   a personal access token (command line, scripts); no CSRF
 *                                  check: a browser never attaches it by itself
 *   the session cookie             a browser; the call must also come from our own origin
 *                                  (Origin header, Sec-Fetch-Site) and carry the session's
 *                                  CSRF token in X-PowerMap-CSRF
 *
 * Refusals: UNAUTHENTICATED (no or dead credential), FORBIDDEN (CSRF or Origin check),
 * UNAVAILABLE (the database cannot be reached). Nothing that decides is cached: a disabled user,
 * a revoked token or a signed-out session is refused on the next call, on every instance. (A map
 * edit may have its session checked in its own transaction instead: deferredSession below.)
 */
import type { FastifyRequest } from 'fastify';
import { CSRF_HEADER } from '../../shared/api/account';
import { ApiError } from '../../shared/api/errors';
import type { Auth, Principal } from './auth';
import { safeEqual } from './credentials';

export interface GuardConfig {
  /** The session cookie's name (__Host-powermap_session behind https). */
  cookieName: string;
  /** The origin pages are served from, when fixed (--public-url); else the request's own. */
  publicOrigin?: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set for every /api request that passed the guard. */
    principal?: Principal;
  }
}

const header = (req: FastifyRequest, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

/** The origin this request was addressed to: scheme and host as the browser saw them. */
export function expectedOrigin(req: FastifyRequest, cfg: GuardConfig): string {
  return cfg.publicOrigin ?? `${req.protocol}://${req.host}`;
}

/**
 * Refuses a request that a page of another site could have made: Sec-Fetch-Site (sent by every
 * current browser) must say same-origin where present, and Origin must be ours.
 */
export function checkSameOrigin(req: FastifyRequest, cfg: GuardConfig): void {
  const site = header(req, 'sec-fetch-site');
  if (site !== undefined && site !== 'same-origin') throw new ApiError('FORBIDDEN', `a ${site} request`, { reason: 'cross-site' });
  const origin = header(req, 'origin');
  if (!origin) throw new ApiError('FORBIDDEN', 'the Origin header is missing', { reason: 'origin' });
  if (origin !== expectedOrigin(req, cfg)) throw new ApiError('FORBIDDEN', 'a request from another origin', { reason: 'origin' });
}

/**
 * The authenticated user of a request, or a typed refusal (ApiError). `csrf: false` skips the
 * CSRF token and Origin checks, for reads that change nothing (GET /auth/session). `mapId`: the
 * map the request names, checked in the same query as the credential (Principal.map).
 */
export async function authenticateRequest(auth: Auth, cfg: GuardConfig, req: FastifyRequest, opts: { csrf: boolean; mapId?: string }): Promise<Principal> {
  const authorization = header(req, 'authorization');
  if (authorization !== undefined) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!m) throw new ApiError('UNAUTHENTICATED', 'the Authorization header must be "Bearer <token>"');
    return auth.fromAccessToken(m[1]!, opts.mapId);
  }
  const cookie = req.cookies?.[cfg.cookieName];
  if (!cookie) throw new ApiError('UNAUTHENTICATED', 'not signed in');
  if (opts.csrf) checkSameOrigin(req, cfg);
  const principal = await auth.fromSessionCookie(cookie, opts.mapId);
  if (opts.csrf) {
    const sent = header(req, CSRF_HEADER);
    if (!sent) throw new ApiError('FORBIDDEN', `the ${CSRF_HEADER} header is missing`, { reason: 'csrf' });
    if (!principal.csrf || !safeEqual(sent, principal.csrf)) throw new ApiError('FORBIDDEN', `the ${CSRF_HEADER} header is wrong`, { reason: 'csrf' });
  }
  return principal;
}

/**
 * For a map edit: the session cookie's principal with the request's Origin and CSRF token checked
 * here and the session itself left to the edit's transaction (Auth.deferredSession,
 * Principal.unchecked). Null whenever anything is not as expected — a bearer token, no cookie, a
 * failed Origin or CSRF check, a session this instance has not found alive lately — and the
 * request then goes through authenticateRequest, which answers it exactly as always.
 */
export function deferredSession(auth: Auth, cfg: GuardConfig, req: FastifyRequest, mapId: string): Principal | null {
  if (header(req, 'authorization') !== undefined) return null;
  const cookie = req.cookies?.[cfg.cookieName];
  if (!cookie) return null;
  try {
    checkSameOrigin(req, cfg);
  } catch {
    return null;
  }
  const principal = auth.deferredSession(cookie, mapId);
  const sent = header(req, CSRF_HEADER);
  if (!principal?.csrf || !sent || !safeEqual(sent, principal.csrf)) return null;
  return principal;
}

/** The principal the guard put on this request; for handlers behind it. */
export function requirePrincipal(req: FastifyRequest): Principal {
  if (!req.principal) throw new ApiError('UNAUTHENTICATED', 'not signed in');
  return req.principal;
}
