// The team server's PostgreSQL foundation on a real PostgreSQL: migrations (advisory lock, one
// transaction, refusals that leave the database untouched), tables keyed by organization, the
// pool surviving a PostgreSQL restart, the sign-in counter holding under concurrency.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../shared/api/errors';
import {
  LATEST_VERSION,
  bumpSigninFailures,
  createPool,
  defaultOrganization,
  forgiveSigninAttempt,
  isUnavailable,
  migrate,
  readSchemaVersion,
  redactUrl,
  parseDatabaseUrl,
  toApiError,
  withTransaction,
  type PgMigration,
} from '../../storage/postgres';
import { parseMapWakeUp } from '../../storage/postgres/listen';
import { MIGRATIONS } from '../../storage/postgres/migrations';
import { createTestDatabase, usePrivateCluster, useTestDatabase } from '../helpers/pg';
import { findPgBin } from '../helpers/pg-cluster';

const pools: pg.Pool[] = [];
const pool = (url: string, onError?: (e: Error) => void) => {
  const p = createPool({ url, max: 5, onError });
  pools.push(p);
  return p;
};
afterAll(async () => {
  await Promise.all(pools.map((p) => p.end().catch(() => undefined)));
});

const run = promisify(execFile);
/** Everything in the database, schema and rows, as pg_dump prints it. */
async function dump(url: string): Promise<string> {
  const bin = findPgBin();
  const { stdout } = await run(bin ? path.join(bin, 'pg_dump') : 'pg_dump', ['--no-owner', '--dbname', url], { maxBuffer: 64 << 20 });
  // \restrict lines carry a random key per run (a psql safety feature), not database content.
  return stdout.replace(/^\\(un)?restrict .*$/gm, '');
}

async function refusal(p: Promise<unknown>): Promise<ApiError> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(ApiError);
  return e as ApiError;
}

describe('migrations', () => {
  const db = useTestDatabase();

  it('creates the schema once; a second run has nothing to do', async () => {
    const p = pool(db.url);
    expect(await readSchemaVersion(p)).toBeNull();
    const first = await migrate(p, { appVersion: '9.9.9' });
    expect(first).toEqual({ from: 0, to: LATEST_VERSION, applied: MIGRATIONS.map((m) => m.version) });
    const again = await migrate(p);
    expect(again).toEqual({ from: LATEST_VERSION, to: LATEST_VERSION, applied: [] });
    const rows = (await p.query('SELECT version, name, app_version FROM schema_version ORDER BY version')).rows;
    expect(rows).toEqual(MIGRATIONS.map((m) => ({ version: m.version, name: m.name, app_version: '9.9.9' })));
    expect((await defaultOrganization(p)).name).toBe('Default');
  });

  it('keys every table by its organization (org_id leads each primary key)', async () => {
    const p = pool(db.url);
    const r = await p.query<{ table: string; first: string }>(`
      SELECT c.relname AS table, a.attname AS first
        FROM pg_index i
        JOIN pg_class c ON c.oid = i.indrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
        JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = i.indkey[0]
       WHERE i.indisprimary ORDER BY 1`);
    const tables = (await p.query<{ t: string }>("SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")).rows.map((x) => x.t);
    expect(tables).toEqual(expect.arrayContaining(['organization', 'users', 'sessions', 'access_tokens', 'signin_attempts', 'audit']));
    for (const t of tables) {
      if (t === 'schema_version') continue; // the one table about the database itself
      expect(r.rows.find((x) => x.table === t)?.first, t).toBe('org_id');
    }
  });

  it('never stores a clear password: the database refuses anything but an argon2id hash', async () => {
    const p = pool(db.url);
    const org = await defaultOrganization(p);
    await expect(
      p.query("INSERT INTO users (org_id, email, name, password_hash) VALUES ($1, 'a@example.com', 'A', 'hunter2-hunter2')", [org.orgId]),
    ).rejects.toThrow(/password_hash/);
  });

  it('two instances migrating at once: one applies, the other waits and finds it done', async () => {
    const fresh = await createTestDatabase();
    try {
      const [a, b] = [pool(fresh.url), pool(fresh.url)];
      const results = await Promise.all([migrate(a), migrate(b), migrate(a)]);
      const applied = results.map((r) => r.applied.length);
      expect(applied.filter((n) => n > 0)).toEqual([MIGRATIONS.length]);
      expect(results.every((r) => r.to === LATEST_VERSION)).toBe(true);
      const n = await a.query('SELECT count(*)::int AS n FROM schema_version');
      expect(n.rows[0].n).toBe(MIGRATIONS.length);
    } finally {
      await fresh.drop();
    }
  });

  it('refuses a database whose schema is newer, and leaves it untouched', async () => {
    const fresh = await createTestDatabase();
    try {
      const p = pool(fresh.url);
      await migrate(p);
      await p.query("INSERT INTO schema_version (version, name, app_version) VALUES (9999, 'from-the-future', '99.0.0')");
      await p.query('CREATE TABLE future_things (org_id uuid, x int)');
      const before = await dump(fresh.url);
      const e = await refusal(migrate(p));
      expect(e.code).toBe('NEWER_VERSION');
      expect(e.params).toMatchObject({ version: 9999, supported: LATEST_VERSION });
      expect(await dump(fresh.url)).toBe(before);
    } finally {
      await fresh.drop();
    }
  });

  it('refuses a database that holds other tables and no PowerMap schema, untouched', async () => {
    const fresh = await createTestDatabase();
    try {
      const p = pool(fresh.url);
      await p.query('CREATE TABLE customers (id int PRIMARY KEY, name text)');
      await p.query("INSERT INTO customers VALUES (1, 'Fictional Client Ltd')");
      const before = await dump(fresh.url);
      const e = await refusal(migrate(p, { label: 'crm' }));
      expect(e.code).toBe('NOT_A_POWERMAP');
      expect(e.message).toMatch(/crm holds tables that are not PowerMap's \(customers\)/);
      expect(await dump(fresh.url)).toBe(before);
      expect(await readSchemaVersion(p)).toBeNull();
    } finally {
      await fresh.drop();
    }
  });

  it('a migration that fails leaves nothing behind, earlier ones of the same run included', async () => {
    const fresh = await createTestDatabase();
    try {
      const p = pool(fresh.url);
      const list: PgMigration[] = [
        { version: 1, name: 'good', sql: 'CREATE TABLE good (org_id uuid PRIMARY KEY)' },
        { version: 2, name: 'bad', sql: 'CREATE TABLE bad (org_id uuid PRIMARY KEY); SELECT no_such_function()' },
      ];
      await expect(migrate(p, { migrations: list })).rejects.toThrow(/migration 0002-bad failed: .*no_such_function/);
      expect(await readSchemaVersion(p)).toBeNull();
      expect((await p.query("SELECT to_regclass('good') AS t")).rows[0].t).toBeNull();
      // Fixed, it runs; a later one is added with a gap (ranges per area); one below is refused.
      list[1] = { version: 2, name: 'fixed', sql: 'CREATE TABLE fixed (org_id uuid PRIMARY KEY)' };
      expect((await migrate(p, { migrations: list })).applied).toEqual([1, 2]);
      list.push({ version: 10, name: 'maps', sql: 'CREATE TABLE maps (org_id uuid, map_id uuid, PRIMARY KEY (org_id, map_id))' });
      expect((await migrate(p, { migrations: list })).applied).toEqual([10]);
      const withEarly = [...list.slice(0, 2), { version: 5, name: 'late-arrival', sql: 'SELECT 1' }, list[2]!];
      await expect(migrate(p, { migrations: withEarly })).rejects.toThrow(/older than the database's schema version 10/);
      await expect(migrate(p, { migrations: [list[1]!, list[0]!] })).rejects.toThrow(/versions must rise/);
    } finally {
      await fresh.drop();
    }
  });
});

describe('sign-in attempt counters', () => {
  const db = useTestDatabase();

  it('count every concurrent attempt exactly once, across pools', async () => {
    const a = pool(db.url);
    const b = pool(db.url);
    await migrate(a);
    const org = await defaultOrganization(a);
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => bumpSigninFailures(i % 2 ? a : b, org.orgId, 'email:ann@example.com', 900)),
    );
    const counts = results.map((r) => r.failures).sort((x, y) => x - y);
    expect(counts).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    await forgiveSigninAttempt(a, org.orgId, 'email:ann@example.com');
    expect((await bumpSigninFailures(a, org.orgId, 'email:ann@example.com', 900)).failures).toBe(40);
    // A window that has passed starts again at one.
    await a.query("UPDATE signin_attempts SET window_start = now() - interval '20 minutes'");
    expect((await bumpSigninFailures(b, org.orgId, 'email:ann@example.com', 900)).failures).toBe(1);
  });
});

describe('database URLs', () => {
  it('refuses what is not a postgres:// URL, and never prints a password', () => {
    for (const bad of ['', 'localhost:5432', 'mysql://u:p@h/db', 'http://h/db'])
      expect(() => parseDatabaseUrl(bad)).toThrow(/postgres:\/\/ URL/);
    expect(parseDatabaseUrl('postgresql://u@h:5/db').hostname).toBe('h');
    expect(redactUrl('postgres://ann:s3cret-pw@db.example.com:5432/powermap?sslpassword=zz')).toBe(
      'postgres://ann:***@db.example.com:5432/powermap?sslpassword=***',
    );
  });
});

describe('map notifications', () => {
  it('read the revision, and the feed entry when one rides along (slashes and all); anything else is not ours', () => {
    const org = '11111111-1111-4111-8111-111111111111';
    const map = '22222222-2222-4222-8222-222222222222';
    expect(parseMapWakeUp(`${org}/${map}/7`)).toEqual({ orgId: org, mapId: map, rev: 7 });
    const change = JSON.stringify({ rev: 8, people: [{ id: 'p1', notes: 'a/b // c' }] });
    expect(parseMapWakeUp(`${org}/${map}/8/u1/${change}`)).toEqual({ orgId: org, mapId: map, rev: 8, entry: { userId: 'u1', change } });
    expect(parseMapWakeUp(`${org}/${map}/9//{"reload":true}`)).toEqual({ orgId: org, mapId: map, rev: 9, entry: { userId: null, change: '{"reload":true}' } });
    for (const bad of ['', 'nothing', `${org}/${map}`, `${org}/${map}/x`, `/${map}/3`]) expect(parseMapWakeUp(bad), bad).toBeNull();
  });
});

describe('PostgreSQL restarts under a live pool', () => {
  const pgc = usePrivateCluster();

  it('never crashes the process; queries fail as unavailable during the outage and work after it', async () => {
    const db = await createTestDatabase(pgc.cluster.url);
    const errors: Error[] = [];
    const p = pool(db.url, (e) => errors.push(e));
    await migrate(p);
    // Idle clients in the pool, and one checked out (held by "a request") when the server dies.
    await Promise.all([1, 2, 3].map(() => p.query('SELECT pg_sleep(0.01)')));
    const held = await p.connect();
    await pgc.cluster.stop('immediate');
    await new Promise((r) => setTimeout(r, 200));
    const during = await p.query('SELECT 1').catch((e: unknown) => e);
    expect(isUnavailable(during)).toBe(true);
    expect(toApiError(during).code).toBe('UNAVAILABLE');
    const heldError = await held.query('SELECT 1').catch((e: unknown) => e);
    expect(isUnavailable(heldError)).toBe(true);
    held.release(true);
    const txError = await withTransaction(p, (c) => c.query('SELECT 1')).catch((e: unknown) => e);
    expect(toApiError(txError).code).toBe('UNAVAILABLE');
    await pgc.cluster.start();
    expect((await p.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    expect(await readSchemaVersion(p)).toBe(LATEST_VERSION);
    expect(errors.length).toBeGreaterThan(0); // the listeners did fire: without them the process would have died
  });

  it('rolls a failed transaction back', async () => {
    const db = await createTestDatabase(pgc.cluster.url);
    const p = pool(db.url);
    await p.query('CREATE TABLE t (org_id uuid, x int)');
    await expect(
      withTransaction(p, async (c) => {
        await c.query('INSERT INTO t VALUES (gen_random_uuid(), 1)');
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect((await p.query('SELECT count(*)::int AS n FROM t')).rows[0].n).toBe(0);
  });
});
