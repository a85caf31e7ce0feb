/**
 * PostgreSQL for test files (see tests/setup/postgres.ts for where the server comes from).
 *
 *   const db = useTestDatabase();        // a fresh, empty database for this file
 *   it('…', async () => { db.url … });   // postgres://…/pmtest_…, dropped after the file
 *
 *   const pg = usePrivateCluster();      // a cluster of this file's own, for fault tests
 *   await pg.cluster.restart();          // crash + start; other test files are not disturbed
 *   const db2 = await createTestDatabase(pg.cluster.url);
 *
 * Never mock the database: every test that needs one gets a real PostgreSQL.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, inject } from 'vitest';
import { startCluster, type PgCluster } from './pg-cluster';

export type { PgCluster } from './pg-cluster';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let shared: Promise<string> | null = null;

/**
 * The URL of the server the tests share: POWERMAP_TEST_PG, else the run's private cluster,
 * started here by the first test file that asks (a lock folder makes exactly one worker start
 * it; the others wait for its cluster.json).
 */
export function sharedPgUrl(): Promise<string> {
  shared ??= (async () => {
    const external = process.env.POWERMAP_TEST_PG || inject('pgUrl');
    if (external) return external;
    const home = inject('pgHome');
    if (!home) throw new Error('no PostgreSQL for the tests: the vitest globalSetup tests/setup/postgres.ts did not run');
    const info = path.join(home, 'cluster.json');
    const failed = path.join(home, 'error');
    let starter = false;
    try {
      fs.mkdirSync(path.join(home, 'lock'));
      starter = true;
    } catch {
      /* another worker starts it */
    }
    if (starter) {
      try {
        const owner = Number(fs.readFileSync(path.join(home, 'owner'), 'utf8'));
        const c = await startCluster({ owner });
        fs.writeFileSync(info + '.tmp', JSON.stringify({ url: c.url, dir: c.dir }));
        fs.renameSync(info + '.tmp', info);
        return c.url;
      } catch (e) {
        fs.writeFileSync(failed, String((e as Error).message));
        throw e;
      }
    }
    for (let waited = 0; waited < 90_000; waited += 100) {
      if (fs.existsSync(info)) return (JSON.parse(fs.readFileSync(info, 'utf8')) as { url: string }).url;
      if (fs.existsSync(failed)) throw new Error(`the test PostgreSQL did not start: ${fs.readFileSync(failed, 'utf8')}`);
      await sleep(100);
    }
    throw new Error('timed out waiting for the test PostgreSQL to start');
  })();
  return shared;
}

export interface TestDatabase {
  /** postgres://…/<name> */
  url: string;
  name: string;
  /** Drops it (WITH (FORCE): connections still open are ended). */
  drop(): Promise<void>;
}

/** Replaces the database name in a postgres:// URL. */
export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = '/' + encodeURIComponent(name);
  return u.toString();
}

async function admin<T>(serverUrl: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 10_000 });
  c.on('error', () => undefined);
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end().catch(() => undefined);
  }
}

/** CREATE DATABASE with a random name on the given server (default: the shared one). */
export async function createTestDatabase(serverUrl?: string): Promise<TestDatabase> {
  const server = serverUrl ?? (await sharedPgUrl());
  const name = `pmtest_${process.pid}_${crypto.randomBytes(5).toString('hex')}`;
  await admin(server, (c) => c.query(`CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8'`));
  return {
    url: withDatabase(server, name),
    name,
    drop: () => admin(server, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

/** A fresh database for this test file: made in beforeAll, dropped in afterAll. */
export function useTestDatabase(): { readonly url: string; readonly name: string } {
  let db: TestDatabase | null = null;
  beforeAll(async () => {
    db = await createTestDatabase();
  }, 120_000);
  afterAll(async () => {
    await db?.drop();
  }, 60_000);
  return {
    get url() {
      if (!db) throw new Error('useTestDatabase(): the database exists only inside tests and hooks');
      return db.url;
    },
    get name() {
      if (!db) throw new Error('useTestDatabase(): the database exists only inside tests and hooks');
      return db.name;
    },
  };
}

/**
 * A PostgreSQL cluster of this test file's own, for tests that stop or restart the server
 * (doing that to the shared one would break the files running beside this one).
 */
export function usePrivateCluster(): { readonly cluster: PgCluster } {
  let c: PgCluster | null = null;
  beforeAll(async () => {
    c = await startCluster();
  }, 120_000);
  afterAll(async () => {
    await c?.destroy();
  }, 60_000);
  return {
    get cluster() {
      if (!c) throw new Error('usePrivateCluster(): the cluster exists only inside tests and hooks');
      return c;
    },
  };
}
