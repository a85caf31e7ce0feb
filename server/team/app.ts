/**
 * The team server's HTTP side (fastify): the built renderer and sign-in page, sign-in, the
 * session, and /api/* for signed-in users only.
 *
 *   GET  /                  the app (index.html) when signed in, else 303 to /signin
 *   GET  /signin            the sign-in page (renderer/signin.html), both languages
 *   POST /auth/signin       {email, password} → sets the session cookie, answers SessionInfo
 *   GET  /auth/session      SessionInfo (user, CSRF token) of the cookie's session, or 401
 *   POST /api/<method>      an ApiResult; account.* and tokens.* here, every other method goes
 *                           to the `api` handler (the maps), behind the same guard
 *   GET  /healthz           {ok, database} for load balancers; 503 while the database is away
 *   GET  /<file>            dist/renderer, with the CSP and headers of server/http/static-policy
 *
 * Every body is an ApiResult. The status is 200 for a call that ran (its error, if any, is a
 * domain error in the body) and names transport-level refusals: 400 bad request, 401 not signed
 * in or wrong password, 403 CSRF/Origin, 413 too large, 415 not JSON, 429 rate limited,
 * 503 database unavailable.
 */
import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import http from 'node:http';
import path from 'node:path';
import { hardenServer, parseTarget, serverOptions } from '../http';
import type { Pool } from '../../storage/postgres/pool';
import { z } from 'zod';
import { accountMethods, isAccountMethod, signInInput, type AccountMethod, type SessionInfo } from '../../shared/api/account';
import type { ParsedInputOf } from '../../shared/api/contract';
import { ApiError, type ApiResult, type ErrorCode } from '../../shared/api/errors';
import { MAP_HEADER } from '../../shared/api/team';
import { checkConnection, isUnavailable, toApiError } from '../../storage/postgres/pool';
import { STATIC_HEADERS, mimeType } from '../http/static-policy';
import type { Auth, Principal } from './auth';
import { authenticateRequest, checkSameOrigin, deferredSession, requirePrincipal, type GuardConfig } from './guard';

/** The map API (or anything else) behind the guard: called for every method not handled here. */
export type TeamApiHandler = (principal: Principal, method: string, payload: unknown, request: FastifyRequest) => Promise<ApiResult<unknown>>;

export interface TeamAppOptions {
  pool: Pool;
  auth: Auth;
  /** dist/renderer */
  staticDir: string;
  /** A reverse proxy terminates https in front: Secure __Host- cookie, HSTS. */
  behindHttps?: boolean;
  /** Proxies whose X-Forwarded-For/-Proto/-Host are believed (fastify's trustProxy). */
  trustProxy?: boolean | string | string[];
  /** The origin people open (https://powermap.example.com): pages must come from it. */
  publicOrigin?: string;
  /** Largest /api request body in bytes (default 32 MiB). */
  bodyLimit?: number;
  api?: TeamApiHandler;
  /**
   * Methods `api` takes with the session not yet checked (Principal.unchecked): it checks the
   * session in the edit's own transaction (the map API's edits; storage/postgres/gate.ts).
   */
  defers?: (method: string) => boolean;
  /** One line per event worth an operator's attention (database lost and back, bugs). */
  log?: (line: string) => void;
  /** Called when a call fails because the database is unreachable (for the health tracker). */
  onUnavailable?: (e: unknown) => void;
  /** More routes behind the same guard (the live stream); `authenticate` checks a GET's session without a CSRF token. */
  routes?: (app: FastifyInstance, authenticate: (req: FastifyRequest) => Promise<Principal>) => void;
}

const STATUS: Partial<Record<ErrorCode, number>> = {
  BAD_REQUEST: 400,
  UNAUTHENTICATED: 401,
  BAD_CREDENTIALS: 401,
  FORBIDDEN: 403,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
  INTERNAL: 500,
};
export const httpStatusFor = (code: ErrorCode): number => STATUS[code] ?? 200;

const MAX_ISSUES = 20;
const SIGNIN_BODY_LIMIT = 16 * 1024;

export async function buildTeamApp(opts: TeamAppOptions): Promise<FastifyInstance> {
  const log = opts.log ?? (() => undefined);
  const cfg: GuardConfig = {
    cookieName: opts.behindHttps ? '__Host-powermap_session' : 'powermap_session',
    publicOrigin: opts.publicOrigin,
  };
  const staticDir = path.resolve(opts.staticDir);
  const app = Fastify({
    logger: false,
    trustProxy: opts.trustProxy ?? false,
    bodyLimit: opts.bodyLimit ?? 32 * 1024 * 1024,
    // Keep-alive connections must not hold a stopping instance open for long.
    forceCloseConnections: 'idle',
    return503OnClosing: true,
    routerOptions: { maxParamLength: 200 },
    // The same request-parsing defences as the browser build's server (server/http): Node's parser
    // errors answered 4xx, header and request time limits, no process exit on a bad request.
    serverFactory: (handler) => hardenServer(http.createServer(serverOptions(), handler)),
  });

  // Only plain "/path" targets, with percent-escapes that decode to text (server/http/target.ts).
  app.addHook('onRequest', async (req, reply) => {
    const t = parseTarget(req.raw.url);
    if (!t.ok) return reply.code(t.status).send({ ok: false, error: { code: 'BAD_REQUEST', message: t.reason } } satisfies ApiResult<never>);
  });

  const fail = (reply: FastifyReply, e: unknown): FastifyReply => {
    const err = toApiError(e);
    if (err.code === 'UNAVAILABLE') opts.onUnavailable?.(e);
    if (err.code === 'INTERNAL') log(`internal error: ${err.message}`);
    if (err.code === 'RATE_LIMITED' && typeof err.params?.minutes === 'number') reply.header('retry-after', String(err.params.minutes * 60));
    return reply.code(httpStatusFor(err.code)).send({ ok: false, error: err.toJSON() } satisfies ApiResult<never>);
  };

  await app.register(fastifyCookie);

  app.addHook('onSend', async (req, reply) => {
    if (opts.behindHttps) reply.header('strict-transport-security', 'max-age=31536000');
    if (!reply.hasHeader('content-security-policy')) {
      // API answers and redirects: never cached, never sniffed, never framed.
      reply.header('cache-control', 'no-store');
      reply.header('x-content-type-options', 'nosniff');
      reply.header('x-frame-options', 'DENY');
      reply.header('referrer-policy', 'no-referrer');
    }
  });

  app.setErrorHandler((error: Error & { statusCode?: number; code?: string }, _req, reply) => {
    const status = error.statusCode ?? 500;
    if (status === 413)
      return reply.code(413).send({ ok: false, error: { code: 'BAD_REQUEST', message: 'Request too large' } } satisfies ApiResult<never>);
    if (status >= 400 && status < 500)
      return reply.code(status).send({ ok: false, error: { code: 'BAD_REQUEST', message: error.message } } satisfies ApiResult<never>);
    return fail(reply, error);
  });

  app.setNotFoundHandler((req, reply) => {
    if (req.url.startsWith('/api/') || req.url.startsWith('/auth/'))
      return reply.code(404).send({ ok: false, error: { code: 'BAD_REQUEST', message: 'No such endpoint' } } satisfies ApiResult<never>);
    return reply.code(404).type('text/plain; charset=utf-8').send('Not found');
  });

  await app.register(fastifyStatic, {
    root: staticDir,
    prefix: '/',
    index: false,
    wildcard: true,
    dotfiles: 'deny',
    contentType: false,
    cacheControl: false,
    setHeaders: (reply, file) => {
      reply.headers({ ...STATIC_HEADERS, 'content-type': mimeType(path.extname(file)) });
    },
  });

  const page = (reply: FastifyReply, file: string) => reply.sendFile(file);

  /** The signed-in principal of a page request (no CSRF for a GET), or null. */
  const pagePrincipal = async (req: FastifyRequest): Promise<Principal | null> => {
    const cookie = req.cookies[cfg.cookieName];
    if (!cookie) return null;
    try {
      return await opts.auth.fromSessionCookie(cookie);
    } catch (e) {
      if (e instanceof ApiError && e.code === 'UNAUTHENTICATED') return null;
      throw e;
    }
  };

  const unavailablePage = (reply: FastifyReply, e: unknown) => {
    opts.onUnavailable?.(e);
    return reply
      .code(503)
      .header('retry-after', '5')
      .type('text/plain; charset=utf-8')
      .send('The server cannot reach its database right now. Try again in a moment.\n服务器暂时无法连接数据库，请稍后再试。\n');
  };

  for (const url of ['/', '/index.html']) {
    app.get(url, async (req, reply) => {
      try {
        if (!(await pagePrincipal(req))) return reply.redirect('/signin', 303);
      } catch (e) {
        if (isUnavailable(e) || (e instanceof ApiError && e.code === 'UNAVAILABLE')) return unavailablePage(reply, e);
        throw e;
      }
      return page(reply, 'index.html');
    });
  }

  app.get('/signin', async (req, reply) => {
    // Already signed in: straight to the app. The database away: the page still shows.
    const who = await pagePrincipal(req).catch(() => null);
    if (who) return reply.redirect('/', 303);
    return page(reply, 'signin.html');
  });

  app.post('/auth/signin', { bodyLimit: SIGNIN_BODY_LIMIT }, async (req, reply) => {
    try {
      // Login CSRF: a page of another site must not sign the browser in to an account of its choosing.
      checkSameOrigin(req, cfg);
      const parsed = signInInput.safeParse(req.body);
      if (!parsed.success) throw new ApiError('BAD_REQUEST', 'give an email and a password');
      const result = await opts.auth.signIn(parsed.data.email, parsed.data.password, {
        ip: req.ip,
        userAgent: typeof req.headers['user-agent'] === 'string' ? req.headers['user-agent'] : undefined,
      });
      reply.setCookie(cfg.cookieName, result.cookie, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: !!opts.behindHttps,
        expires: result.expiresAt,
      });
      const value: SessionInfo = {
        user: { id: result.principal.userId, email: result.principal.email, name: result.principal.name },
        csrf: result.principal.csrf!,
        expiresAt: result.expiresAt.toISOString(),
      };
      return reply.send({ ok: true, value } satisfies ApiResult<SessionInfo>);
    } catch (e) {
      return fail(reply, e);
    }
  });

  app.get('/auth/session', async (req, reply) => {
    try {
      const p = await authenticateRequest(opts.auth, cfg, req, { csrf: false });
      if (p.via !== 'session') throw new ApiError('BAD_REQUEST', 'an access token has no browser session');
      const value: SessionInfo = {
        user: { id: p.userId, email: p.email, name: p.name },
        csrf: p.csrf!,
        expiresAt: (p.expiresAt ?? new Date()).toISOString(),
      };
      return reply.send({ ok: true, value } satisfies ApiResult<SessionInfo>);
    } catch (e) {
      return fail(reply, e);
    }
  });

  app.get('/healthz', async (_req, reply) => {
    try {
      await checkConnection(opts.pool);
      return reply.send({ ok: true, database: 'up' });
    } catch (e) {
      opts.onUnavailable?.(e);
      return reply.code(503).send({ ok: false, database: 'down' });
    }
  });

  const clearCookie = (reply: FastifyReply) =>
    reply.clearCookie(cfg.cookieName, { path: '/', httpOnly: true, sameSite: 'lax', secure: !!opts.behindHttps });

  const accountHandlers: {
    [M in AccountMethod]: (p: Principal, input: ParsedInputOf<(typeof accountMethods)[M]>, reply: FastifyReply) => Promise<unknown>;
  } = {
    'account.me': async (p) => ({ user: { id: p.userId, email: p.email, name: p.name }, via: p.via }),
    'account.signOut': async (p, _i, reply) => {
      await opts.auth.signOut(p);
      clearCookie(reply);
      return null;
    },
    'account.signOutEverywhere': async (p, _i, reply) => {
      const sessions = await opts.auth.signOutEverywhere(p);
      if (p.via === 'session') clearCookie(reply);
      return { sessions };
    },
    'tokens.create': (p, i) => opts.auth.createToken(p, i.name, i.expiresInDays),
    'tokens.list': (p) => opts.auth.listTokens(p),
    'tokens.revoke': (p, i) => opts.auth.revokeToken(p, i.id),
  };

  app.post<{ Params: { method: string } }>('/api/:method', async (req, reply) => {
    try {
      const named = req.headers[MAP_HEADER];
      const mapId = typeof named === 'string' ? named : undefined;
      const method = req.params.method;
      req.principal =
        (mapId !== undefined && opts.api && opts.defers?.(method) ? deferredSession(opts.auth, cfg, req, mapId) : null) ??
        (await authenticateRequest(opts.auth, cfg, req, { csrf: true, mapId }));
      const payload = req.body === undefined || req.body === null ? {} : req.body;
      if (isAccountMethod(method)) {
        const parsed = accountMethods[method].input.safeParse(payload);
        if (!parsed.success) {
          const details = parsed.error.issues.slice(0, MAX_ISSUES).map((i) => `${i.path.length ? i.path.join('.') : '(payload)'}: ${i.message}`);
          throw new ApiError('BAD_REQUEST', `Invalid input for ${method}: ${details[0] ?? 'invalid'}`, { method }, details);
        }
        const handler = accountHandlers[method] as (p: Principal, input: unknown, reply: FastifyReply) => Promise<unknown>;
        const value = await handler(requirePrincipal(req), parsed.data, reply);
        return reply.send({ ok: true, value: value ?? null } satisfies ApiResult<unknown>);
      }
      if (!opts.api) throw new ApiError('BAD_REQUEST', `Unknown API method: ${method.slice(0, 80)}`, { method: method.slice(0, 80) });
      const result = await opts.api(requirePrincipal(req), method, payload, req);
      if (!result.ok) {
        if (result.error.code === 'UNAVAILABLE') opts.onUnavailable?.(result.error);
        return reply.code(httpStatusFor(result.error.code)).send(result);
      }
      return reply.send(result);
    } catch (e) {
      if (e instanceof z.ZodError) return fail(reply, new ApiError('BAD_REQUEST', e.issues[0]?.message ?? 'invalid input'));
      return fail(reply, e);
    }
  });

  opts.routes?.(app, (req) => authenticateRequest(opts.auth, cfg, req, { csrf: false }));

  // Any other verb on /api: 405, as an ApiResult.
  app.route({
    method: ['GET', 'PUT', 'PATCH', 'DELETE'],
    url: '/api/:method',
    handler: async (_req, reply) =>
      reply.code(405).header('allow', 'POST').send({ ok: false, error: { code: 'BAD_REQUEST', message: 'Use POST' } } satisfies ApiResult<never>),
  });

  return app;
}

