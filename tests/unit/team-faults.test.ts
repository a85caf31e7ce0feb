// The team server when PostgreSQL goes away and comes back (a cluster of this file's own):
// every kind of request answers a clear UNAVAILABLE during the outage, nothing is half done,
// and everything works again afterwards without restarting the server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser } from '../../server/team/accounts';
import { createTestDatabase, usePrivateCluster, type TestDatabase } from '../helpers/pg';
import { call, signIn, startTeamInProcess, trySignIn, type InProcessServer } from '../helpers/team';

const PASSWORD = 'Fault-tolerant-password-1';
const pgc = usePrivateCluster();
let db: TestDatabase;
let s: InProcessServer;

beforeAll(async () => {
  db = await createTestDatabase(pgc.cluster.url);
  s = await startTeamInProcess(db.url);
  await addUser(s.pool, { email: 'ann@example.com', name: 'Ann Example', password: PASSWORD });
});
afterAll(async () => {
  await s?.close();
});

const waitFor = async (what: () => boolean, ms: number) => {
  const end = Date.now() + ms;
  while (!what() && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
  return what();
};

describe('database outage', () => {
  it('answers UNAVAILABLE while PostgreSQL is down and recovers by itself when it is back', async () => {
    const ann = await signIn(s.url, 'ann@example.com', PASSWORD);
    expect((await call(s.url, 'tokens.create', { name: 'before' }, ann)).status).toBe(200);

    await pgc.cluster.stop('immediate');
    const api = await call(s.url, 'tokens.create', { name: 'during' }, ann);
    expect(api.status).toBe(503);
    expect(api.body).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
    const signin = await trySignIn(s.url, 'ann@example.com', PASSWORD);
    expect(signin.status).toBe(503);
    expect(signin.body).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
    const page = await fetch(s.url, { headers: { cookie: ann.cookie }, redirect: 'manual' });
    expect(page.status).toBe(503);
    expect(await page.text()).toMatch(/cannot reach its database[\s\S]*无法连接数据库/);
    expect((await fetch(new URL('/healthz', s.url))).status).toBe(503);
    expect((await fetch(new URL('/signin', s.url))).status).toBe(200); // the sign-in page itself still shows
    expect(await waitFor(() => s.lines.some((l) => /lost the database/.test(l)), 2000)).toBe(true);
    expect(s.lines.filter((l) => /lost the database/.test(l))).toHaveLength(1); // one line per outage

    await pgc.cluster.start();
    const after = await call<{ name: string }[]>(s.url, 'tokens.list', {}, ann);
    expect(after.status).toBe(200);
    // The refused call left nothing behind; the one before the outage is there.
    expect(after.body.ok && after.body.value.map((t) => t.name)).toEqual(['before']);
    expect((await fetch(new URL('/healthz', s.url))).status).toBe(200);
    expect(await waitFor(() => s.lines.some((l) => /database is back/.test(l)), 5000)).toBe(true);
  });

  it('survives a crash-restart of PostgreSQL in the middle of a stream of requests', async () => {
    const ann = await signIn(s.url, 'ann@example.com', PASSWORD);
    const statuses: number[] = [];
    let stop = false;
    const stream = (async () => {
      while (!stop) statuses.push((await call(s.url, 'account.me', {}, ann)).status);
    })();
    await new Promise((r) => setTimeout(r, 200));
    await pgc.cluster.restart();
    await new Promise((r) => setTimeout(r, 300));
    stop = true;
    await stream;
    expect(new Set(statuses)).toEqual(new Set(statuses.filter((x) => x === 200 || x === 503)));
    expect(statuses.at(-1)).toBe(200);
    expect((await call(s.url, 'account.me', {}, ann)).status).toBe(200);
  });
});
