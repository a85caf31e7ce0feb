/**
 * The team server's connection to PostgreSQL: one node-postgres Pool per process.
 *
 * node-postgres emits 'error' on a client whose connection dies (a PostgreSQL restart, a
 * network cut) and on the pool for idle clients; an EventEmitter 'error' with no listener throws
 * and kills the process. So the pool and every client it makes get a listener here, and the
 * query that was running fails with an error that `isUnavailable` recognises. The pool makes new
 * connections on demand, so once PostgreSQL is back the next query simply works: nothing here
 * needs restarting.
 */
import pg from 'pg';
import { ApiError } from '../../shared/api/errors';

export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;
/** Anything that runs a query: the pool, or a client inside a transaction. */
export type Queryable = pg.Pool | pg.PoolClient | pg.Client;

export interface PoolOptions {
  /** postgres://user:password@host:port/database (postgresql:// too; PG* variables fill gaps). */
  url: string;
  /** Connections at most (default 10). */
  max?: number;
  /** Shown in pg_stat_activity. */
  applicationName?: string;
  /** Called for every connection-level error of the pool or a client; never throws. */
  onError?: (error: Error, source: 'pool' | 'client') => void;
  /** How long a query waits for a connection before failing as unavailable (default 5 s). */
  connectTimeoutMs?: number;
  /** Server-side statement_timeout (default 30 s). */
  statementTimeoutMs?: number;
}

/**
 * Checks that `url` is a postgres:// URL and returns it parsed. Refusals are ApiError
 * BAD_REQUEST with a message that never contains the password.
 */
export function parseDatabaseUrl(url: string): URL {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new ApiError('BAD_REQUEST', 'the database must be a postgres:// URL, e.g. postgres://powermap@127.0.0.1:5432/powermap');
  }
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:')
    throw new ApiError('BAD_REQUEST', `the database must be a postgres:// URL, not ${u.protocol}//…`);
  if (u.pathname.length > 1) {
    try {
      decodeURIComponent(u.pathname);
    } catch {
      throw new ApiError('BAD_REQUEST', 'the database name in the URL is not valid');
    }
  }
  return u;
}

/** The URL with its password replaced by ***: safe to print and log. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    for (const k of [...u.searchParams.keys()]) if (/pass|secret|key/i.test(k)) u.searchParams.set(k, '***');
    return u.toString();
  } catch {
    return '(not a URL)';
  }
}

/** The database name a URL points at ('' when the URL leaves it to the defaults). */
export function databaseName(url: string): string {
  try {
    return decodeURIComponent(new URL(url).pathname.slice(1));
  } catch {
    return '';
  }
}

/** A pool whose connection errors never crash the process. */
export function createPool(opts: PoolOptions): pg.Pool {
  parseDatabaseUrl(opts.url);
  const onError = (e: Error, source: 'pool' | 'client') => {
    try {
      opts.onError?.(e, source);
    } catch {
      /* a logger must not take the process down either */
    }
  };
  const pool = new pg.Pool({
    connectionString: opts.url,
    max: opts.max ?? 10,
    application_name: opts.applicationName ?? 'powermap',
    connectionTimeoutMillis: opts.connectTimeoutMs ?? 5_000,
    idleTimeoutMillis: 30_000,
    keepAlive: true,
    statement_timeout: opts.statementTimeoutMs ?? 30_000,
    // A transaction left open (a bug, a hung request) must not hold its locks for ever.
    idle_in_transaction_session_timeout: 60_000,
  });
  pool.on('error', (e) => onError(e, 'pool'));
  // For the whole life of each client, idle or checked out (the pool's own listener covers
  // idle clients only).
  pool.on('connect', (client) => {
    client.on('error', (e) => onError(e, 'client'));
  });
  return pool;
}

/**
 * Runs `fn` in one transaction on one client: COMMIT when it resolves, ROLLBACK when it throws
 * (the error is rethrown). A client whose connection failed is destroyed, not returned.
 */
export async function withTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (e) {
    if (isUnavailable(e)) broken = e as Error;
    else await client.query('ROLLBACK').catch((r: Error) => (broken = r));
    throw e;
  } finally {
    client.release(broken);
  }
}

const NET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'ENOENT', // a Unix socket that is not there
]);
const UNAVAILABLE_SQLSTATES = new Set([
  '57P01', // admin_shutdown: the server is stopping
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: starting up or recovering
  '53300', // too_many_connections
  '3D000', // invalid_catalog_name: the database is gone (dropped, or not created yet)
]);
const UNAVAILABLE_MESSAGES =
  /Connection terminated|connection timeout|timeout exceeded when trying to connect|not queryable|Client was closed|server closed the connection|the database system is (starting up|shutting down|in recovery mode)/i;

/** Whether an error means "cannot reach the database" (as opposed to a query that is wrong). */
export function isUnavailable(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  const code = (e as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (NET_CODES.has(code) || UNAVAILABLE_SQLSTATES.has(code) || code.startsWith('08')) return true;
  }
  if (e instanceof AggregateError) return e.errors.some(isUnavailable);
  return UNAVAILABLE_MESSAGES.test(e.message);
}

/** Turns an error from a query into the typed error an API call answers. */
export function toApiError(e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  if (isUnavailable(e)) return unavailable(e);
  return new ApiError('INTERNAL', `database error: ${(e as Error)?.message ?? String(e)}`);
}

/** UNAVAILABLE, with the reason (never a URL or password) for the logs. */
export function unavailable(e?: unknown): ApiError {
  const reason = e instanceof Error ? ((e as { code?: string }).code ?? e.message) : 'unreachable';
  return new ApiError('UNAVAILABLE', 'The server cannot reach its database', { reason: String(reason).slice(0, 120) });
}

/** Connects once and runs SELECT 1: a clear error at start instead of on the first request. */
export async function checkConnection(pool: pg.Pool): Promise<void> {
  await pool.query('SELECT 1');
}
