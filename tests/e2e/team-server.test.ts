// `powermap server` and `powermap user` as real processes (the built CLI) on a real PostgreSQL of
// this file's own: one line and a non-zero exit for every start that cannot work, a newer schema
// left untouched, accounts managed from the command line without a password ever on argv or in
// the output, two instances serving one database, PostgreSQL restarted under running instances
// that never exit, and an instance killed while the other carries on.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, usePrivateCluster, withDatabase, type TestDatabase } from '../helpers/pg';
import { findPgBin, freePort } from '../helpers/pg-cluster';
import { call, runCli, signIn, startTeamProcess, trySignIn, type TeamProcess } from '../helpers/team';

const pgc = usePrivateCluster();
const running: TeamProcess[] = [];
afterAll(async () => {
  await Promise.all(running.map((p) => p.kill()));
});

const run = promisify(execFile);
async function dump(url: string): Promise<string> {
  const bin = findPgBin();
  const { stdout } = await run(bin ? path.join(bin, 'pg_dump') : 'pg_dump', ['--no-owner', '--dbname', url], { maxBuffer: 64 << 20 });
  return stdout.replace(/^\\(un)?restrict .*$/gm, '');
}
async function sql(url: string, text: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  c.on('error', () => undefined);
  await c.connect();
  try {
    await c.query(text);
  } finally {
    await c.end();
  }
}

/** A URL with a password in it, to check it is never printed. */
const withPassword = (url: string, password: string) => {
  const u = new URL(url);
  u.password = password;
  return u.toString();
};

const oneLine = (text: string) => text.split('\n').filter(Boolean);

describe('a server that cannot start', () => {
  it('says why in one line on stderr and exits non-zero, never printing a password', async () => {
    const closed = await freePort();
    const cases: [string[], RegExp][] = [
      [['--db', 'not a url'], /the database must be a postgres:\/\/ URL/],
      [['--db', 'mysql://admin:pw-in-url-1@127.0.0.1/db'], /postgres:\/\/ URL, not mysql:/],
      [['--db', `postgres://powermap:pw-in-url-2@127.0.0.1:${closed}/powermap`], /cannot reach the database at postgres:\/\/powermap:\*\*\*@127\.0\.0\.1:\d+\/powermap \(ECONNREFUSED\)/],
      [['--db', withPassword(withDatabase(pgc.cluster.url, 'no_such_db'), 'pw-in-url-3')], /the database "no_such_db" does not exist on postgres:\/\/postgres:\*\*\*@.*createdb no_such_db/],
      [['--db', withDatabase(pgc.cluster.url, 'postgres'), '--port', '99999'], /--port must be a number/],
      [[], /say which database: --db/],
    ];
    for (const [args, message] of cases) {
      const r = await runCli(['server', ...args]);
      expect(r.code, args.join(' ')).not.toBe(0);
      expect(r.stdout, args.join(' ')).toBe('');
      const lines = oneLine(r.stderr);
      expect(lines[0], args.join(' ')).toMatch(message);
      if (!/usage|must be a number|say which/.test(r.stderr)) expect(lines, args.join(' ')).toHaveLength(1);
      expect(r.stderr).not.toMatch(/pw-in-url/);
    }
    const zh = await runCli(['server', '--db', `postgres://x@127.0.0.1:${closed}/y`], { env: { LANG: 'zh_CN.UTF-8' } });
    expect(oneLine(zh.stderr)).toEqual([expect.stringMatching(/^powermap server: 无法连接数据库 /)]);
    expect(zh.code).toBe(1);
  });

  it('refuses a database whose schema is newer than it knows, and leaves it untouched', async () => {
    const db = await createTestDatabase(pgc.cluster.url);
    try {
      const first = await runCli(['user', 'list', '--db', db.url]); // creates the schema
      expect(first.code).toBe(0);
      await sql(db.url, "INSERT INTO schema_version (version, name, app_version) VALUES (9000, 'from-a-newer-powermap', '9.0.0')");
      const before = await dump(db.url);
      const r = await runCli(['server', '--db', db.url]);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(oneLine(r.stderr)).toEqual([expect.stringMatching(/was set up by a newer PowerMap \(schema version 9000; this PowerMap knows up to \d+\); update PowerMap\. Nothing was changed\./)]);
      const u = await runCli(['user', 'list', '--db', db.url]);
      expect(u.code).toBe(1);
      expect(await dump(db.url)).toBe(before);
    } finally {
      await db.drop();
    }
  });

  it('refuses a database that holds other tables, untouched', async () => {
    const db = await createTestDatabase(pgc.cluster.url);
    try {
      await sql(db.url, "CREATE TABLE invoices (id int PRIMARY KEY); INSERT INTO invoices VALUES (1)");
      const before = await dump(db.url);
      const r = await runCli(['server', '--db', db.url]);
      expect(r.code).toBe(1);
      expect(oneLine(r.stderr)).toEqual([expect.stringMatching(/holds tables that are not PowerMap's \(invoices\); give PowerMap an empty database of its own/)]);
      expect(await dump(db.url)).toBe(before);
    } finally {
      await db.drop();
    }
  });
});

describe('powermap user', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(pgc.cluster.url);
  });
  afterAll(async () => {
    await db.drop();
  });

  it('adds, lists, disables, enables and resets, with passwords from stdin or POWERMAP_PASSWORD only', async () => {
    const pw1 = 'Stdin-password-for-ann';
    const pw2 = 'Env-password-for-bo-国';
    const pw3 = 'Reset-password-for-ann';
    const add1 = await runCli(['user', 'add', 'ann@example.com', '--name', 'Ann Example', '--db', db.url], { input: pw1 + '\n' });
    expect(add1).toMatchObject({ code: 0, stdout: 'Added ann@example.com (Ann Example).\n', stderr: '' });
    const add2 = await runCli(['user', 'add', 'Bo@Example.com', '--name', '薄 Example'], { env: { POWERMAP_PASSWORD: pw2, POWERMAP_DB: db.url } });
    expect(add2.stdout).toBe('Added bo@example.com (薄 Example).\n');
    // Refusals: a password on argv, a short one, none at all, a duplicate, a bad address.
    const argv = await runCli(['user', 'add', 'cy@example.com', '--name', 'Cy', '--password', 'Argv-password-123', '--db', db.url]);
    expect(argv.code).toBe(2);
    expect(argv.stderr).toMatch(/never given on the command line/);
    const short = await runCli(['user', 'add', 'cy@example.com', '--name', 'Cy', '--db', db.url], { input: 'short\n' });
    expect(short.code).not.toBe(0);
    expect(oneLine(short.stderr)[0]).toMatch(/at least 10 characters/);
    const none = await runCli(['user', 'add', 'cy@example.com', '--name', 'Cy', '--db', db.url], { input: '' });
    expect(none.stderr).toMatch(/no password on standard input/);
    const dup = await runCli(['user', 'add', 'ANN@example.com', '--name', 'Ann Again', '--db', db.url], { input: 'Another-password-1\n' });
    expect(dup.code).toBe(1);
    expect(dup.stderr).toMatch(/a user with the email ann@example\.com already exists/);
    const bad = await runCli(['user', 'add', 'not-an-email', '--name', 'X', '--db', db.url], { input: 'Another-password-1\n' });
    expect(bad.stderr).toMatch(/is not an email address/);

    const list = await runCli(['user', 'list', '--db', db.url]);
    expect(list.stdout).toMatch(/^email\s+name\s+status\s+sessions\s+tokens\s+last sign-in\n/);
    expect(list.stdout).toMatch(/ann@example\.com\s+Ann Example\s+active\s+0\s+0\s+-/);
    expect(list.stdout).toMatch(/bo@example\.com\s+薄 Example\s+active/);
    const json = JSON.parse((await runCli(['user', 'list', '--json', '--db', db.url])).stdout) as { email: string; disabled: boolean }[];
    expect(json.map((u) => u.email)).toEqual(['ann@example.com', 'bo@example.com']);

    expect((await runCli(['user', 'disable', 'ann@example.com', '--db', db.url])).stdout).toMatch(/^Disabled ann@example\.com/);
    expect((await runCli(['user', 'list', '--db', db.url])).stdout).toMatch(/ann@example\.com\s+Ann Example\s+disabled/);
    expect((await runCli(['user', 'enable', 'ann@example.com', '--db', db.url])).stdout).toBe('Enabled ann@example.com.\n');
    const missing = await runCli(['user', 'disable', 'nobody@example.com', '--db', db.url]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/nobody@example\.com/);
    const reset = await runCli(['user', 'reset-password', 'ann@example.com', '--db', db.url], { env: { POWERMAP_PASSWORD: pw3 } });
    expect(reset.stdout).toBe('New password set for ann@example.com; 0 sessions ended, 0 tokens revoked.\n');
    const zh = await runCli(['user', 'list', '--db', db.url], { env: { LANG: 'zh_CN.UTF-8' } });
    expect(zh.stdout).toMatch(/^邮箱\s+姓名\s+状态/);

    // The passwords are nowhere: not in any output, not in the database.
    const everything = [add1, add2, argv, short, none, dup, list, reset].map((r) => r.stdout + r.stderr).join('\n');
    const stored = await dump(db.url);
    for (const pw of [pw1, pw2, pw3]) {
      expect(everything).not.toContain(pw);
      expect(stored).not.toContain(pw);
    }
    expect(stored.match(/\$argon2id\$v=19\$m=19456,t=2,p=1\$/g)).toHaveLength(2);
  });
});

describe('running instances', () => {
  let db: TestDatabase;
  const PW = 'Instance-test-password';
  beforeAll(async () => {
    db = await createTestDatabase(pgc.cluster.url);
    const r = await runCli(['user', 'add', 'ann@example.com', '--name', 'Ann Example', '--db', db.url], { env: { POWERMAP_PASSWORD: PW } });
    expect(r.code).toBe(0);
  });
  afterAll(async () => {
    await db.drop();
  });

  it('two instances on one database: one line each, the same user signed in on both, sessions shared', async () => {
    const [a, b] = await Promise.all([startTeamProcess(db.url), startTeamProcess(db.url, ['--host', '127.0.0.1'])]);
    running.push(a, b);
    for (const p of [a, b]) {
      expect(p.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      expect(p.stdout()).toBe(p.url + '\n');
    }
    const onA = await signIn(a.url, 'ann@example.com', PW);
    const onB = await signIn(b.url, 'ann@example.com', PW);
    expect((await call(b.url, 'account.me', {}, onA)).status).toBe(200);
    expect((await call(a.url, 'account.me', {}, onB)).status).toBe(200);
    // Killed mid-session: the other instance carries on with the same session.
    await a.kill();
    expect(a.alive()).toBe(false);
    expect((await call(b.url, 'account.me', {}, onA)).status).toBe(200);
    expect(await b.stop()).toBe(0); // SIGTERM: a clean exit
    expect(b.stderr()).toBe('');
  });

  it('PostgreSQL restarted under running instances: clear refusals during the outage, service after, no exit', async () => {
    const [a, b] = await Promise.all([startTeamProcess(db.url), startTeamProcess(db.url)]);
    running.push(a, b);
    const ann = await signIn(a.url, 'ann@example.com', PW);
    const made = await call<{ token: string }>(a.url, 'tokens.create', { name: 'cli' }, ann);
    const token = made.body.ok ? made.body.value.token : '';

    await pgc.cluster.stop('immediate');
    for (const p of [a, b]) {
      const viaCookie = await call(p.url, 'account.me', {}, ann);
      expect(viaCookie.status).toBe(503);
      expect(viaCookie.body).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE', message: 'The server cannot reach its database' } });
      expect((await call(p.url, 'tokens.list', {}, { bearer: token })).status).toBe(503);
      expect((await trySignIn(p.url, 'ann@example.com', PW)).status).toBe(503);
    }
    await new Promise((r) => setTimeout(r, 500));
    expect(a.alive() && b.alive()).toBe(true);

    await pgc.cluster.start();
    for (const p of [a, b]) {
      expect((await call(p.url, 'account.me', {}, ann)).status).toBe(200);
      expect((await call(p.url, 'tokens.list', {}, { bearer: token })).status).toBe(200);
    }
    const again = await signIn(b.url, 'ann@example.com', PW);
    expect((await call(a.url, 'account.me', {}, again)).status).toBe(200);

    // A crash-restart (immediate stop and start) as well.
    await pgc.cluster.restart();
    expect((await call(b.url, 'account.me', {}, ann)).status).toBe(200);
    expect(a.alive() && b.alive()).toBe(true);

    for (const p of [a, b]) {
      expect(p.stdout()).toBe(p.url + '\n'); // still the one line
      expect(p.stderr()).toMatch(/lost the database \(.+\); calls answer UNAVAILABLE until it is back/);
      const all = p.stdout() + p.stderr();
      expect(all).not.toContain(PW);
      expect(all).not.toContain(token.slice(38));
    }
    await Promise.all([a.stop(), b.stop()]);
  });
});
