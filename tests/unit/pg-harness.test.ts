// The test PostgreSQL harness itself: fresh databases are empty and separate, a private cluster
// can be crashed and started again, and a dropped database is gone.
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createTestDatabase, sharedPgUrl, useTestDatabase, usePrivateCluster } from '../helpers/pg';

async function q<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  c.on('error', () => undefined);
  await c.connect();
  try {
    return (await c.query<T>(sql)).rows;
  } finally {
    await c.end().catch(() => undefined);
  }
}

describe('fresh databases', () => {
  const db = useTestDatabase();

  it('gives each caller its own empty database, and drops it', async () => {
    const tables = await q(db.url, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'");
    expect(tables).toEqual([]);
    await q(db.url, 'CREATE TABLE marker (x int)');
    const other = await createTestDatabase();
    try {
      expect(other.name).not.toBe(db.name);
      expect(await q(other.url, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).toEqual([]);
    } finally {
      await other.drop();
    }
    const left = await q<{ n: string }>(await sharedPgUrl(), `SELECT count(*) AS n FROM pg_database WHERE datname = '${other.name}'`);
    expect(left[0]!.n).toBe('0');
  });
});

describe('a private cluster', () => {
  const pgc = usePrivateCluster();

  it('restarts: an open connection is cut, a new one works', async () => {
    const c = new pg.Client({ connectionString: pgc.cluster.url });
    const errors: Error[] = [];
    c.on('error', (e) => errors.push(e));
    await c.connect();
    const before = (await c.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
    await pgc.cluster.restart();
    await expect(c.query('SELECT 1')).rejects.toThrow();
    await c.end().catch(() => undefined);
    const rows = await q<{ pid: number }>(pgc.cluster.url, 'SELECT pg_backend_pid() AS pid');
    expect(rows[0]!.pid).not.toBe(before);
  });

  it('stops and starts again', async () => {
    await pgc.cluster.stop();
    await expect(q(pgc.cluster.url, 'SELECT 1')).rejects.toThrow(/ECONNREFUSED/);
    await pgc.cluster.start();
    expect(await q(pgc.cluster.url, 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
  });
});
