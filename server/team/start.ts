/**
 * Starting and stopping a team server instance: connect, create or migrate the schema, listen.
 * An instance keeps nothing that matters in memory (sessions, tokens, limits and audit are in
 * PostgreSQL), so any number of them can serve one database and any can be killed at any time.
 *
 * At start, every failure is a StartupError with one line in the user's language (a bad URL,
 * an unreachable database, wrong credentials, a missing database, a newer schema, a port in
 * use). Once running, a lost database never stops the process: calls answer UNAVAILABLE, the
 * pool reconnects on the next query, and the operator sees one line when it goes and one when
 * it is back.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Pool } from '../../storage/postgres/pool';
import { ApiError } from '../../shared/api/errors';
import type { Lang } from '../../shared/i18n/errors';
import { defaultOrganization, pruneAccounts } from '../../storage/postgres/accounts';
import { migrate, type MigrateResult } from '../../storage/postgres/migrate';
import { checkConnection, createPool, databaseName, isUnavailable, parseDatabaseUrl, redactUrl } from '../../storage/postgres/pool';
import { Auth, type AuthOptions } from './auth';
import { buildTeamApp, type TeamApiHandler } from './app';
import { createLiveHub } from './live';
import { createTeamMapApi, defersSessionCheck } from './maps-api';

export interface TeamServerOptions {
  /** postgres://… */
  db: string;
  /** Where to listen (default 127.0.0.1). */
  host?: string;
  /** Port (default 0: a free one). */
  port?: number;
  /** dist/renderer */
  staticDir: string;
  behindHttps?: boolean;
  trustProxy?: boolean | string | string[];
  /** The address people open, e.g. https://powermap.example.com/ (printed instead of the listening one). */
  publicUrl?: string;
  appVersion?: string;
  api?: TeamApiHandler;
  auth?: Partial<Omit<AuthOptions, 'orgId'>>;
  /** Operator lines (stderr by default). */
  log?: (line: string) => void;
  /** Connections to PostgreSQL at most (default 10). */
  poolMax?: number;
}

export interface TeamServer {
  /** The URL to open: http://127.0.0.1:<port>/ (or the host or public URL given). */
  url: string;
  port: number;
  pool: Pool;
  auth: Auth;
  app: FastifyInstance;
  migration: MigrateResult;
  /** Stops listening, lets running calls finish, closes the pool. */
  close(): Promise<void>;
}

export type StartupProblem = 'BAD_URL' | 'UNREACHABLE' | 'LOGIN_FAILED' | 'NO_DATABASE' | 'NEWER_SCHEMA' | 'FOREIGN_DATABASE' | 'NOT_BUILT' | 'LISTEN';

/** Why an instance could not start, with one line for the terminal. */
export class StartupError extends Error {
  constructor(
    readonly problem: StartupProblem,
    message: string,
    readonly params: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'StartupError';
  }
}

const LINES: Record<StartupProblem, Record<Lang, string>> = {
  BAD_URL: { 'en-US': '{{detail}}', 'zh-CN': '数据库地址无效：{{detail}}' },
  UNREACHABLE: { 'en-US': 'cannot reach the database at {{db}} ({{reason}})', 'zh-CN': '无法连接数据库 {{db}}（{{reason}}）' },
  LOGIN_FAILED: { 'en-US': 'the database at {{db}} refused the user name or password', 'zh-CN': '数据库 {{db}} 拒绝了用户名或密码' },
  NO_DATABASE: {
    'en-US': 'the database "{{name}}" does not exist on {{db}}: create it first (createdb {{name}})',
    'zh-CN': '{{db}} 上没有数据库“{{name}}”：请先创建（createdb {{name}}）',
  },
  NEWER_SCHEMA: {
    'en-US': 'the database at {{db}} was set up by a newer PowerMap ({{detail}}); update PowerMap. Nothing was changed.',
    'zh-CN': '数据库 {{db}} 由更新版本的 PowerMap 建立（{{detail}}），请升级 PowerMap。数据库未被修改。',
  },
  FOREIGN_DATABASE: {
    'en-US': 'the database at {{db}} holds tables that are not PowerMap\'s ({{detail}}); give PowerMap an empty database of its own. Nothing was changed.',
    'zh-CN': '数据库 {{db}} 中已有不属于 PowerMap 的表（{{detail}}），请为 PowerMap 单独建一个空数据库。数据库未被修改。',
  },
  NOT_BUILT: { 'en-US': 'the web app is not built ({{dir}} is missing): run npm run build', 'zh-CN': '网页应用尚未构建（缺少 {{dir}}）：请运行 npm run build' },
  LISTEN: { 'en-US': 'cannot listen on {{address}}: {{reason}}', 'zh-CN': '无法监听 {{address}}：{{reason}}' },
};

/** The one line for a startup failure, in the given language. */
export function startupMessage(e: StartupError, lang: Lang): string {
  const params: Record<string, string> = { detail: e.message, ...e.params };
  return LINES[e.problem][lang].replace(/\{\{(\w+)\}\}/g, (_m, k: string) => params[k] ?? '');
}

/** Maps a connection or migration failure at start to a StartupError (never with a password). */
function startupError(e: unknown, url: string): StartupError {
  const db = redactUrl(url);
  if (e instanceof StartupError) return e;
  if (e instanceof ApiError) {
    if (e.code === 'NEWER_VERSION') return new StartupError('NEWER_SCHEMA', e.details?.[0]?.replace(/\. Nothing was changed\.$/, '') ?? e.message, { db });
    if (e.code === 'NOT_A_POWERMAP') return new StartupError('FOREIGN_DATABASE', /\(([^)]*)\)/.exec(e.message)?.[1] ?? '', { db });
    if (e.code === 'BAD_REQUEST') return new StartupError('BAD_URL', e.message, { db });
  }
  const code = (e as { code?: string })?.code;
  if (code === '3D000') return new StartupError('NO_DATABASE', 'no such database', { db, name: databaseName(url) || '?' });
  if (code === '28P01' || code === '28000') return new StartupError('LOGIN_FAILED', 'authentication failed', { db });
  if (isUnavailable(e)) return new StartupError('UNREACHABLE', 'unreachable', { db, reason: code ?? (e as Error).message });
  const msg = (e as Error)?.message ?? String(e);
  return new StartupError('UNREACHABLE', msg, { db, reason: msg.replaceAll(url, db) });
}

/** Creates or migrates the schema; failures as StartupError. */
async function prepareSchema(pool: Pool, url: string, appVersion?: string): Promise<MigrateResult> {
  try {
    return await migrate(pool, { appVersion, label: redactUrl(url) });
  } catch (e) {
    throw startupError(e, url);
  }
}

/**
 * A pool on the team database with its schema created or migrated: what `powermap user …` uses
 * (an admin may add the first users before any server has started). Failures as StartupError.
 */
export async function openTeamDatabase(url: string, opts: { appVersion?: string } = {}): Promise<Pool> {
  try {
    parseDatabaseUrl(url);
  } catch (e) {
    throw startupError(e, url);
  }
  const pool = createPool({ url, max: 2 });
  try {
    await prepareSchema(pool, url, opts.appVersion);
    return pool;
  } catch (e) {
    await pool.end().catch(() => undefined);
    throw e;
  }
}

const WILDCARD = new Set(['0.0.0.0', '::', '[::]']);
const urlHost = (h: string) => (h.includes(':') && !h.startsWith('[') ? `[${h}]` : h);

export async function startTeamServer(opts: TeamServerOptions): Promise<TeamServer> {
  const log = opts.log ?? ((l: string) => process.stderr.write(`powermap server: ${l}\n`));
  try {
    parseDatabaseUrl(opts.db);
  } catch (e) {
    throw startupError(e, opts.db);
  }
  if (!fs.existsSync(path.join(opts.staticDir, 'index.html')) || !fs.existsSync(path.join(opts.staticDir, 'signin.html')))
    throw new StartupError('NOT_BUILT', 'not built', { dir: path.join(opts.staticDir, 'signin.html') });
  let publicOrigin: string | undefined;
  if (opts.publicUrl) {
    try {
      publicOrigin = new URL(opts.publicUrl).origin;
    } catch {
      throw new StartupError('BAD_URL', `--public-url is not a URL: ${opts.publicUrl}`);
    }
  }

  // Connection errors are reported once per outage, not once per broken client.
  let closing = false;
  let down = false;
  let probe: NodeJS.Timeout | null = null;
  const pool = createPool({
    url: opts.db,
    max: opts.poolMax,
    onError: (e) => markDown(e),
  });
  const markDown = (e: unknown) => {
    if (down || closing) return;
    down = true;
    log(`lost the database (${(e as { code?: string })?.code ?? (e as Error)?.message ?? 'unreachable'}); calls answer UNAVAILABLE until it is back`);
    probe = setInterval(() => {
      checkConnection(pool).then(
        () => {
          if (!down) return;
          down = false;
          if (probe) clearInterval(probe);
          probe = null;
          log('the database is back');
        },
        () => undefined,
      );
    }, 1000);
    probe.unref();
  };

  let migration: MigrateResult;
  let orgId: string;
  try {
    migration = await prepareSchema(pool, opts.db, opts.appVersion);
    orgId = (await defaultOrganization(pool)).orgId;
  } catch (e) {
    closing = true;
    await pool.end().catch(() => undefined);
    throw startupError(e, opts.db);
  }

  const auth = new Auth(pool, { ...opts.auth, orgId });
  const live = createLiveHub({ pool, url: opts.db, log });
  const api = opts.api ?? createTeamMapApi({ pool, version: opts.appVersion ?? 'dev', resourcesDir: path.join(path.dirname(opts.staticDir), '..', 'resources') });
  const behindHttps = !!opts.behindHttps || !!publicOrigin?.startsWith('https:');
  const app = await buildTeamApp({
    pool,
    auth,
    staticDir: opts.staticDir,
    behindHttps,
    trustProxy: opts.trustProxy ?? (behindHttps ? 'loopback' : false),
    publicOrigin,
    api,
    defers: opts.api ? undefined : defersSessionCheck,
    log,
    onUnavailable: markDown,
    routes: (a, authenticate) => live.register(a, authenticate),
  });

  const host = opts.host ?? '127.0.0.1';
  let port: number;
  try {
    await app.listen({ host, port: opts.port ?? 0 });
    const addr = app.server.address();
    port = typeof addr === 'object' && addr ? addr.port : (opts.port ?? 0);
  } catch (e) {
    closing = true;
    await live.close();
    await app.close().catch(() => undefined);
    await pool.end().catch(() => undefined);
    throw new StartupError('LISTEN', 'listen failed', {
      address: `${urlHost(host)}:${opts.port ?? 0}`,
      reason: (e as { code?: string }).code ?? (e as Error).message,
    });
  }

  if (!behindHttps && !/^(127\.|::1$|\[::1\]$|localhost$)/.test(host))
    log(`listening on ${host} over plain http: passwords and session cookies cross the network in clear; put it behind https (--behind-https)`);

  // Expired sessions and stale counters: every instance tidies now and then (idempotent deletes).
  const prune = setInterval(() => void pruneAccounts(pool, auth.windowSeconds).catch(() => undefined), 3_600_000);
  prune.unref();

  const shown = WILDCARD.has(host) ? os.hostname() : host;
  const url = opts.publicUrl ? new URL(opts.publicUrl).toString() : `http://${urlHost(shown)}:${port}/`;
  return {
    url,
    port,
    pool,
    auth,
    app,
    migration,
    async close() {
      closing = true;
      clearInterval(prune);
      if (probe) clearInterval(probe);
      await live.close();
      await app.close().catch(() => undefined);
      await pool.end().catch(() => undefined);
    },
  };
}
