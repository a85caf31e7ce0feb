/**
 * The team server on PostgreSQL (issue 18's benchmarks), on a private PostgreSQL with its
 * production defaults (fsync on) and server instances run as their own processes
 * (`node dist/node/cli.cjs server`), as they run for real:
 *
 * - an edit's round trip through the server and PostgreSQL on loopback, p50 and p99, beside a bare
 *   `pg` one-row UPDATE commit on the same database and table (target: p50 at most 3×);
 * - an edit reaching 10 watching clients on two instances (target: p50 under 200 ms, p99 under 1 s);
 * - 50 editors at once for a while: sustained edits per second, their latency, and each server
 *   instance's memory at the end.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { addUser } from '../../server/team/accounts';
import { openTeamDatabase } from '../../server/team/start';
import { startCluster, type PgCluster } from '../../tests/helpers/pg-cluster';
import { ROOT } from '../lib/session';
import type { BenchCase, BenchRow } from '../lib/types';

const CLI = path.join(ROOT, 'dist', 'node', 'cli.cjs');
const PW = 'Benchmark-password-42';

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

interface Instance {
  proc: ChildProcess;
  url: string;
  stop(): Promise<void>;
}

/** Runs `args` with Node and waits for the URL it prints on its first line; stops with SIGTERM. */
async function startProcess(args: string[], env: NodeJS.ProcessEnv): Promise<Instance> {
  const proc = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no URL from ${args.join(' ').slice(0, 80)}: ${out}`)), 30_000);
    proc.stdout!.setEncoding('utf8').on('data', (c: string) => {
      out += c;
      const m = /^(http:\/\/\S+\/)\n/.exec(out);
      if (m) {
        clearTimeout(t);
        resolve(m[1]!);
      }
    });
    proc.on('exit', (code) => reject(new Error(`the server exited (${code}): ${out}`)));
  });
  proc.stderr!.resume();
  return {
    proc,
    url,
    stop: () =>
      new Promise<void>((r) => {
        proc.once('exit', () => r());
        proc.kill('SIGTERM');
      }),
  };
}

const startInstance = (db: string): Promise<Instance> => startProcess([CLI, 'server', '--db', db], { LANG: 'en_US.UTF-8' });

/**
 * The floor under the round-trip target: the smallest HTTP service that does the same one-row
 * UPDATE (fastify, one pooled pg connection, no sign-in, no transaction, no validation), as its own
 * process like the team server. What HTTP on loopback adds to a commit, whatever the server does.
 */
const FLOOR_SERVER = `
const Fastify = require('fastify');
const pg = require('pg');
const pool = new pg.Pool({ connectionString: process.env.FLOOR_DB, max: 2 });
pool.on('error', () => {});
const app = Fastify();
app.post('/x', async (req) => {
  const b = req.body;
  await pool.query('UPDATE person SET notes = $4 WHERE org_id = $1 AND map_id = $2 AND id = $3', [b.org, b.map, b.id, b.v]);
  return { ok: true };
});
app.listen({ port: 0, host: '127.0.0.1' }).then((a) => console.log(a + '/'));
`;
const startFloor = (db: string): Promise<Instance> => startProcess(['-e', FLOOR_SERVER], { FLOOR_DB: db });

interface Who {
  cookie: string;
  csrf: string;
}
async function signIn(base: string, email: string): Promise<Who> {
  const res = await fetch(new URL('/auth/signin', base), {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: new URL(base).origin },
    body: JSON.stringify({ email, password: PW }),
  });
  const body = (await res.json()) as { ok: boolean; value: { csrf: string } };
  if (!body.ok) throw new Error(`sign-in failed: ${JSON.stringify(body)}`);
  return { cookie: res.headers.get('set-cookie')!.split(';')[0]!, csrf: body.value.csrf };
}
async function call<T>(base: string, who: Who, method: string, payload: unknown, map?: string): Promise<T> {
  const res = await fetch(new URL(`/api/${method}`, base), {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      origin: new URL(base).origin,
      cookie: who.cookie,
      'x-powermap-csrf': who.csrf,
      ...(map ? { 'x-powermap-map': map } : {}),
    },
    body: JSON.stringify(payload),
  });
  const body = (await res.json()) as { ok: boolean; value: T; error?: unknown };
  if (!body.ok) throw new Error(`${method}: ${JSON.stringify(body.error)}`);
  return body.value;
}

/** A live stream; resolves each change event's revision with the time it arrived. */
async function watch(base: string, who: Who, map: string, since: number, onRev: (rev: number, at: number) => void): Promise<() => void> {
  const ctl = new AbortController();
  const res = await fetch(new URL(`/api/live?map=${map}&since=${since}`, base), { headers: { cookie: who.cookie }, signal: ctl.signal });
  void (async () => {
    const dec = new TextDecoder();
    let buf = '';
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buf += dec.decode(chunk, { stream: true });
        let i;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const data = block.split('\n').find((l) => l.startsWith('data: '));
          if (!data) continue;
          const e = JSON.parse(data.slice(6)) as { type: string; rev?: number };
          if (e.type === 'change' && e.rev !== undefined) onRev(e.rev, performance.now());
        }
      }
    } catch {
      /* closed */
    }
  })();
  return () => ctl.abort();
}

const rssOf = (pid: number | undefined): number => {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
};

const teamCase: BenchCase = {
  name: 'team',
  async run(ctx) {
    if (!fs.existsSync(CLI)) throw new Error('dist/node/cli.cjs is missing: run npm run build');
    const rows: BenchRow[] = [];
    ctx.log('team: starting a private PostgreSQL (fsync on)');
    const cluster: PgCluster = await startCluster({ durable: true });
    const admin = new pg.Client({ connectionString: cluster.url });
    admin.on('error', () => undefined);
    await admin.connect();
    await admin.query('CREATE DATABASE powermap_bench');
    await admin.end();
    const db = cluster.url.replace(/\/postgres$/, '/powermap_bench');
    const pool = await openTeamDatabase(db);
    const instances: Instance[] = [];
    const bare = new pg.Client({ connectionString: db });
    bare.on('error', () => undefined);
    try {
      for (let i = 0; i < 50; i++) await addUser(pool, { email: `e${i}@bench.invalid`, name: `Editor ${i}`, password: PW });
      instances.push(await startInstance(db), await startInstance(db));
      const [a, b] = instances as [Instance, Instance];
      const owner = await signIn(a.url, 'e0@bench.invalid');
      const map = (await call<{ id: string }>(a.url, owner, 'maps.create', { name: 'Bench committee' })).id;
      for (let i = 1; i < 50; i++) await call(a.url, owner, 'maps.share', { id: map, email: `e${i}@bench.invalid`, role: 'editor' });
      const people: string[] = [];
      for (let i = 0; i < 200; i++) people.push((await call<{ people: { id: string }[] }>(a.url, owner, 'person.create', { name: `Person ${i}`, title: 'Director' }, map)).people[0]!.id);
      await bare.connect();
      const orgId = (await bare.query<{ org_id: string }>('SELECT org_id FROM maps WHERE map_id = $1', [map])).rows[0]!.org_id;

      // ---- round trip --------------------------------------------------------------------------
      const rtName = 'edit round trip through the team server and PostgreSQL on loopback (person.update, p50)';
      if (ctx.wants(rtName) || ctx.wants('p99')) {
        const n = Math.max(200, ctx.runs * 30);
        ctx.log(`team: ${n} edits through the server, interleaved with ${n} bare commits`);
        const server: number[] = [];
        const plain: number[] = [];
        const http: number[] = [];
        const floor = await startFloor(db);
        instances.push(floor);
        for (let i = 0; i < n + 20; i++) {
          const id = people[i % people.length]!;
          let t0 = performance.now();
          await call(a.url, owner, 'person.update', { id, patch: { title: `Director ${i}` } }, map);
          const s = performance.now() - t0;
          t0 = performance.now();
          await bare.query('UPDATE person SET notes = $4 WHERE org_id = $1 AND map_id = $2 AND id = $3', [orgId, map, id, `n${i}`]);
          const p = performance.now() - t0;
          t0 = performance.now();
          const res = await fetch(new URL('/x', floor.url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ org: orgId, map, id, v: `h${i}` }) });
          await res.json();
          const h = performance.now() - t0;
          if (i >= 20) {
            server.push(s);
            plain.push(p);
            http.push(h);
          }
        }
        const note = `${n} sequential edits through HTTP (cookie session, CSRF, role check, map lock, undo log, change feed, NOTIFY) on a 200-person map, interleaved with bare commits; PostgreSQL 15 with fsync on, same disk`;
        rows.push({ name: rtName, ms: pct(server, 50), runs: n, baselineName: 'bare pg one-row UPDATE commit, same database and table', baselineMs: pct(plain, 50), targetRatio: 3, note });
        rows.push({
          name: 'round trip floor: the same one-row UPDATE through a minimal HTTP endpoint (p50)',
          ms: pct(http, 50),
          runs: n,
          baselineName: 'bare pg one-row UPDATE commit, same database and table',
          baselineMs: pct(plain, 50),
          note: `the same runs, interleaved: fastify + pg in a process of its own, no sign-in, no transaction, no validation — what HTTP on loopback alone adds to a commit; the team edit is ${(pct(server, 50) / pct(http, 50)).toFixed(2)}× this floor`,
        });
        rows.push({ name: 'edit round trip through the team server and PostgreSQL on loopback (p99)', ms: pct(server, 99), runs: n, baselineName: 'bare pg one-row UPDATE commit (p99)', baselineMs: pct(plain, 99), note: 'the same runs as the p50 row' });
      }

      // ---- 10 watchers on two instances --------------------------------------------------------
      const wName = 'an edit reaching 10 watching clients on two instances (p50)';
      if (ctx.wants(wName) || ctx.wants('watching')) {
        const edits = Math.max(40, ctx.runs * 6);
        const start = await call<{ rev: number }>(a.url, owner, 'map.get', {}, map);
        const sentAt = new Map<number, number>();
        // Arrivals are kept by revision and matched after: a change event often arrives before the
        // POST's own answer has told us which revision the edit got.
        const arrivals: { rev: number; at: number }[] = [];
        const watchers = await Promise.all(
          Array.from({ length: 10 }, async (_, i) => {
            const base = i % 2 ? b.url : a.url;
            const who = await signIn(base, `e${i + 1}@bench.invalid`);
            return watch(base, who, map, start.rev, (rev, at) => {
              arrivals.push({ rev, at });
            });
          }),
        );
        await new Promise((r) => setTimeout(r, 500));
        ctx.log(`team: ${edits} edits watched by 10 clients (5 per instance)`);
        let rev = start.rev;
        for (let i = 0; i < edits; i++) {
          const t0 = performance.now();
          const c = await call<{ rev: number }>(a.url, owner, 'person.update', { id: people[i % people.length]!, patch: { favours: `Vendor ${i}` } }, map);
          sentAt.set(c.rev, t0);
          rev = c.rev;
          await new Promise((r) => setTimeout(r, 40));
        }
        const until = Date.now() + 5000;
        const timed = () => arrivals.filter((x) => sentAt.has(x.rev)).length;
        while (timed() < edits * 10 && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
        for (const stop of watchers) stop();
        const delays = arrivals.flatMap((x) => (sentAt.has(x.rev) ? [x.at - sentAt.get(x.rev)!] : []));
        const note = `${edits} edits through instance A, each timed from before its POST to its change event at each of 10 watchers (5 on instance A, 5 on B); ${delays.length} of ${edits * 10} deliveries seen; last revision ${rev}`;
        rows.push({ name: wName, ms: pct(delays, 50), runs: delays.length, targetMs: 200, note });
        rows.push({ name: 'an edit reaching 10 watching clients on two instances (p99)', ms: pct(delays, 99), runs: delays.length, targetMs: 1000, note: 'the same deliveries as the p50 row' });
      }

      // ---- 50 editors ---------------------------------------------------------------------------
      const lName = '50 editors at once on one map: edit latency under load (p50)';
      if (ctx.wants(lName) || ctx.wants('editors')) {
        const seconds = 10;
        ctx.log(`team: 50 editors for ${seconds} s on two instances`);
        const sessions = await Promise.all(Array.from({ length: 50 }, (_, i) => signIn(i % 2 ? b.url : a.url, `e${i}@bench.invalid`)));
        const lat: number[] = [];
        const end = performance.now() + seconds * 1000;
        await Promise.all(
          sessions.map(async (who, i) => {
            const base = i % 2 ? b.url : a.url;
            for (let k = 0; performance.now() < end; k++) {
              const t0 = performance.now();
              await call(base, who, 'person.update', { id: people[(i * 7 + k) % people.length]!, patch: { department: `D${i}-${k}` } }, map);
              lat.push(performance.now() - t0);
            }
          }),
        );
        const perSecond = lat.length / seconds;
        const rss = instances.map((x) => rssOf(x.proc.pid).toFixed(0)).join(' MB and ');
        rows.push({
          name: lName,
          ms: pct(lat, 50),
          runs: lat.length,
          note: `${lat.length} acknowledged edits in ${seconds} s = ${perSecond.toFixed(0)} edits/s sustained (50 editors, half on each of two instances, each editing as fast as answered); p99 ${pct(lat, 99).toFixed(0)} ms; server memory at the end (RSS): ${rss} MB`,
        });
      }
    } finally {
      await bare.end().catch(() => undefined);
      for (const x of instances) await x.stop().catch(() => undefined);
      await pool.end().catch(() => undefined);
      await cluster.destroy().catch(() => undefined);
    }
    return rows;
  },
};

export default teamCase;
