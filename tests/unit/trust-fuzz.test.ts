/**
 * Hostile input on the API (issue 7, item 3): at least 10,000 random and malformed payloads to
 * every API method over each transport's entry point — the dispatcher itself, the Electron IPC
 * handler (electron/main/ipc.ts, with a fake event, payloads structured-cloned as IPC does) and
 * the browser build's loopback HTTP server. Every one is refused with a typed error, nothing
 * throws, the server keeps answering, and the map is unchanged: the same rows in every table and,
 * once closed, the same bytes. Strings with control characters, huge strings, emoji and mixed
 * scripts in names round-trip exactly or are refused.
 *
 * Reproduce a failure with TRUST_FUZZ_SEED=<seed> (printed); TRUST_FUZZ_N sets payloads per transport.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { METHODS, apiSpecs, type Method } from '../../shared/api';
import { ERROR_CODES, type ApiResult } from '../../shared/api/errors';
import { dispatch } from '../../services/handlers';
import type { Session } from '../../services/session';
import { createMapFile, openMapFile } from '../../services/map/files';
import { documentOf, person, profile } from '../../services/map/read';
import { loadMap } from '../../services/map/rules';
import { LAYOUTS } from '../../shared/domain';
import { TABLES, type TableName } from '../../storage/rows';
import type { MapStore } from '../../storage/types';
import { startWebServer, type WebServer } from '../../server/web/server';
import { generateMap } from '../../bench/lib/generate';
import { webSession } from '../helpers/session';
import { NASTY_STRINGS, deep, payloadFor, pick, prng, shapeKeys, type GenOptions } from '../helpers/trust-fuzz';
import { peek, peekOne } from '../helpers/map';
import { useTmpDir } from '../helpers/tmp';

vi.mock('electron', () => import('../helpers/electron-mock'));

const SEED = Number(process.env.TRUST_FUZZ_SEED ?? 20261123);
const PER_TRANSPORT = Number(process.env.TRUST_FUZZ_N ?? 3500);
const tmp = useTmpDir();

type Transport = (method: string, payload: unknown) => Promise<ApiResult<unknown>>;
type Refusal = { ok: false; error: { code: string; message: string } };

const rowText = (r: unknown) => JSON.stringify(r, (_k, v) => (Buffer.isBuffer(v) ? `blob:${crypto.createHash('sha256').update(v).digest('hex')}` : v));

/** Every table of a closed map file, every row, in a stable order: what "the map is unchanged" compares on disk. */
function dumpFile(f: string): string {
  const tables = peek<{ name: string }>(f, "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").map((r) => r.name);
  const out: Record<string, string[]> = {};
  for (const t of tables) out[t] = peek(f, `SELECT * FROM "${t}"`).map(rowText).sort();
  return JSON.stringify(out);
}

/** Everything the open map's store shows — rows, positions, settings, snapshots, undo log, revision, history — in a stable order. */
async function dumpStore(store: MapStore): Promise<string> {
  const out: Record<string, unknown> = {};
  for (const t of Object.keys(TABLES) as TableName[]) out[t] = (await store.rows(t)).map(rowText).sort();
  for (const l of LAYOUTS) out[`position:${l}`] = (await store.positions(l)).map(rowText).sort();
  out.settings = await store.settings();
  const snaps = await store.snapshots.list();
  out.snapshots = snaps.map(rowText);
  out.snapshotBodies = await Promise.all(snaps.map(async (x) => rowText(await store.snapshots.body(x.id))));
  out.undo = (await store.undoSteps()).map(rowText);
  out.rev = await store.rev();
  out.history = await store.history();
  return JSON.stringify(out);
}
const sha = (f: string) => crypto.createHash('sha256').update(fs.readFileSync(f)).digest('hex');

/** POSTs a raw body to the server; resolves with the parsed reply (or a note when it is not JSON). */
function post(web: WebServer, method: string, body: string | Buffer, headers: Record<string, string> = {}): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: web.port,
        method: 'POST',
        path: `/api/${encodeURIComponent(method)}`,
        headers: { host: `127.0.0.1:${web.port}`, 'x-powermap-token': web.token, 'content-type': 'application/json', ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          try {
            resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) });
          } catch {
            resolve({ status: res.statusCode ?? 0, json: { notJson: text.slice(0, 200) } });
          }
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const isTypedRefusal = (r: unknown): r is Refusal =>
  typeof r === 'object' &&
  r !== null &&
  (r as Refusal).ok === false &&
  (ERROR_CODES as readonly string[]).includes((r as Refusal).error?.code) &&
  typeof (r as Refusal).error?.message === 'string';

/** Would the contract accept this payload? (What the dispatcher validates with; a throw is a no.) */
function schemaAccepts(method: Method, payload: unknown): boolean {
  try {
    return apiSpecs[method].input.safeParse(payload === undefined ? {} : payload).success;
  } catch {
    return false;
  }
}

let dir = '';
let file = '';
let session: Session;
let web: WebServer;
let before = '';
let fileBefore = '';
let hashBefore = '';
const counts = { dispatch: 0, ipc: 0, http: 0, httpRaw: 0, unknownMethod: 0, skippedValid: 0, semantic: 0, ipcSender: 0 };
const perMethod = new Map<string, number>();

beforeAll(async () => {
  // Not useTmpDir(): that empties its folders after each test, and this map lives across them.
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'powermap-fuzz-'));
  file = path.join(dir, 'fuzz.powermap');
  const data = generateMap(40, { seed: 8 });
  const s = await createMapFile(file, data.meta);
  await loadMap(s, data);
  await s.close();
  session = webSession(path.join(dir, 'session'));
  const ok = (r: ApiResult<unknown>) => {
    if (!r.ok) throw new Error(r.error.message);
    return r.value;
  };
  ok(await dispatch(session, 'map.open', { path: file }));
  // Some of every kind of thing, so the time and exchange methods have something to refuse on.
  ok(await dispatch(session, 'snapshot.create', { name: 'Before the tender' }));
  ok(await dispatch(session, 'interaction.create', { personId: 'p_000001', date: '2026-03-02', kind: 'meeting', notes: 'Lunch' }));
  ok(await dispatch(session, 'trip.create', { personId: 'p_000002', place: 'Capital', from: '2026-05-01', to: '2026-05-03' }));
  ok(await dispatch(session, 'profile.update', { personId: 'p_000003', patch: { hometown: 'Riverside', children: 'a daughter in the capital' } }));
  ok(await dispatch(session, 'person.update', { id: 'p_000004', patch: { title: 'Director' } })); // an undo step
  // Closed (every page in the file, no -wal): every row of every table, and the bytes; then open again.
  ok(await dispatch(session, 'map.close', {}));
  fileBefore = dumpFile(file);
  hashBefore = sha(file);
  ok(await dispatch(session, 'map.open', { path: file }));
  expect(sha(file)).toBe(hashBefore); // opening writes nothing
  web = await startWebServer({ session, staticDir: path.join(dir, 'static') });
  before = await dumpStore(session.store!);
}, 60_000);

afterAll(async () => {
  await web?.close();
  await session?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Sends `n` schema-invalid payloads through `send`, spread over every method. */
async function fuzz(name: keyof typeof counts, send: Transport, o: GenOptions, seed: number, n: number, serialize?: (p: unknown) => unknown) {
  const r = prng(seed);
  const keys = new Map(METHODS.map((m) => [m, shapeKeys(apiSpecs[m].input)]));
  let sent = 0;
  let i = 0;
  while (sent < n) {
    const method = METHODS[i++ % METHODS.length]!;
    let payload = payloadFor(r, o, keys.get(method)!);
    if (serialize) {
      try {
        payload = serialize(payload);
      } catch {
        continue; // not carried by this transport (e.g. too deep for structured clone)
      }
    }
    if (schemaAccepts(method, payload)) {
      counts.skippedValid++; // a valid call could legitimately change things: not this test's business
      continue;
    }
    let res: ApiResult<unknown>;
    try {
      res = await send(method, payload);
    } catch (e) {
      throw new Error(`${name} #${sent} ${method} threw (seed ${seed}): ${(e as Error).message}`);
    }
    if (!isTypedRefusal(res) || res.error.code !== 'BAD_REQUEST')
      throw new Error(`${name} #${sent} ${method} was not refused as BAD_REQUEST (seed ${seed}): ${JSON.stringify(res).slice(0, 300)}`);
    sent++;
    perMethod.set(`${name}:${method}`, (perMethod.get(`${name}:${method}`) ?? 0) + 1);
  }
  counts[name] += sent;
}

describe('hostile input on the API', () => {
  it(`refuses ${PER_TRANSPORT} malformed payloads sent straight to the dispatcher`, async () => {
    await fuzz('dispatch', (m, p) => dispatch(session, m, p), { exotic: true }, SEED, PER_TRANSPORT);
  }, 120_000);

  it(`refuses ${PER_TRANSPORT} malformed payloads through the Electron IPC handler`, async () => {
    const { createApiHandler } = await import('../../electron/main/ipc');
    const handler = createApiHandler({ lookup: (id) => (id === 1 ? { session, kind: 'map' } : undefined) });
    const event = { sender: { id: 1, isDestroyed: () => false }, senderFrame: { url: 'app://powermap/index.html', parent: null } };
    // Electron copies every IPC argument with the structured clone algorithm.
    await fuzz('ipc', (m, p) => handler(event, m, p), { exotic: true }, SEED + 1, PER_TRANSPORT, (p) => structuredClone(p));

    // Foreign senders are refused before any payload is looked at, whatever they send.
    const r = prng(SEED + 2);
    const senders: unknown[] = [
      null,
      {},
      { sender: null },
      { sender: { id: 2 }, senderFrame: { url: 'app://powermap/', parent: null } },
      { sender: { id: '1' }, senderFrame: { url: 'app://powermap/', parent: null } },
      { sender: { id: 1 }, senderFrame: { url: 'https://evil.example/', parent: null } },
      { sender: { id: 1 }, senderFrame: { url: 'file:///etc/passwd', parent: null } },
      { sender: { id: 1 }, senderFrame: { url: 'app://powermap.evil/', parent: null } },
      { sender: { id: 1 }, senderFrame: { url: 'app://powermap/', parent: {} } },
      { sender: { id: 1, isDestroyed: () => true }, senderFrame: { url: 'app://powermap/', parent: null } },
      {
        sender: { id: 1 },
        get senderFrame() {
          throw new Error('frame disposed');
        },
      },
    ];
    for (let k = 0; k < 300; k++) {
      const ev = pick(r, senders);
      const res = await handler(ev, pick(r, ['person.update', 'map.close', 'map.create', 'exchange.export']), { id: 'p_000001', patch: { title: 'x' } });
      expect(isTypedRefusal(res), JSON.stringify(res)).toBe(true);
      counts.ipcSender++;
    }
  }, 120_000);

  it(`refuses ${PER_TRANSPORT} malformed payloads over the loopback HTTP server`, async () => {
    const send: Transport = async (m, p) => {
      const res = await post(web, m, JSON.stringify(p));
      return res.json as ApiResult<unknown>;
    };
    // What reaches the server is JSON text: check the contract against what it will parse.
    await fuzz('http', send, { exotic: false }, SEED + 3, PER_TRANSPORT, (p) => JSON.parse(JSON.stringify(p) ?? 'null'));

    // Bodies no JSON encoder would make.
    const r = prng(SEED + 4);
    const raw: (string | Buffer)[] = [
      '',
      '{',
      '{"name":',
      'null',
      '[]',
      '"just a string"',
      '{"name":"a"}{"name":"b"}',
      '\u0000\u0001\u0002',
      Buffer.from([0xff, 0xfe, 0xfd, 0x00, 0xc3, 0x28]),
      '{"__proto__":{"polluted":true},"name":"x"}',
      '{"constructor":{"prototype":{"polluted":true}}}',
      '['.repeat(200_000) + ']'.repeat(200_000),
      '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000),
      '{"name":"' + '\\u0000'.repeat(10_000) + '"}',
      '{"name":"\\ud800"}',
      JSON.stringify({ name: 'a'.repeat(5_000_000) }),
      '1e999999',
      '{"id":"p_000001","patch":{"title":"x"},"id":"../../etc"}',
    ];
    for (let k = 0; k < 400; k++) {
      const method = pick(r, METHODS);
      const body = pick(r, raw);
      let parsed: unknown;
      let parses = true;
      try {
        // The server reads an empty body as "no payload", which methods without input accept.
        parsed = body.length === 0 ? undefined : JSON.parse(body.toString());
      } catch {
        parses = false;
      }
      if (parses && schemaAccepts(method, parsed)) continue;
      const res = await post(web, method, body);
      expect(isTypedRefusal(res.json), `${method} ${String(body).slice(0, 60)}: ${JSON.stringify(res.json).slice(0, 200)}`).toBe(true);
      counts.httpRaw++;
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  }, 180_000);

  it('refuses unknown methods on every transport', async () => {
    const r = prng(SEED + 5);
    const names: unknown[] = ['', 'map', 'map.', '.get', 'MAP.GET', 'map.get ', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'map.get\u0000', '../map.get', 'x'.repeat(10_000), 42, null, {}, ['map.get']];
    for (let k = 0; k < 200; k++) {
      const name = pick(r, names);
      const a = await dispatch(session, name, {});
      expect(isTypedRefusal(a) && a.error.code === 'BAD_REQUEST').toBe(true);
      if (typeof name === 'string' && name.length < 2000) {
        const b = await post(web, name, '{}');
        expect(isTypedRefusal(b.json), JSON.stringify(b.json)).toBe(true);
      }
      counts.unknownMethod++;
    }
  });

  it('refuses well-formed calls that break the rules of the map with a typed error', async () => {
    const p = (n: number) => `p_${String(n).padStart(6, '0')}`;
    const doc = await documentOf(session.store!);
    const boss = doc.relations.find((x) => x.kind === 'reports_to')!;
    const existing = path.join(dir, 'existing.json');
    fs.writeFileSync(existing, '{"keep":"me"}');
    const calls: [Method, unknown, string[]][] = [
      ['person.update', { id: 'p_nobody', patch: { title: 'x' } }, ['NOT_FOUND']],
      ['person.delete', { id: 'p_nobody' }, ['NOT_FOUND']],
      ['person.create', { id: p(1), name: 'Duplicate' }, ['INVALID_EDIT']],
      ['profile.get', { personId: 'p_nobody' }, ['NOT_FOUND']],
      ['profile.update', { personId: 'p_nobody', patch: { pets: 'a cat' } }, ['NOT_FOUND']],
      ['relation.create', { kind: 'alliance', source: p(1), target: p(1) }, ['INVALID_EDIT']],
      ['relation.create', { kind: 'influence', source: p(1), target: 'p_nobody' }, ['NOT_FOUND']],
      ['relation.create', { kind: 'reports_to', source: boss.target, target: boss.source }, ['INVALID_EDIT']],
      ['relation.create', { id: boss.id, kind: 'conflict', source: p(2), target: p(3) }, ['INVALID_EDIT']],
      ['relation.update', { id: 'r_nobody', patch: { note: 'x' } }, ['NOT_FOUND']],
      ['relation.update', { id: boss.id, patch: { source: boss.target, target: boss.target } }, ['INVALID_EDIT']],
      ['relation.delete', { id: 'r_nobody' }, ['NOT_FOUND']],
      ['team.create', { id: doc.team[0]!.id, name: 'Again' }, ['INVALID_EDIT']],
      ['team.update', { id: 'm_nobody', patch: { name: 'x' } }, ['NOT_FOUND']],
      ['team.delete', { id: 'm_nobody' }, ['NOT_FOUND']],
      ['coverage.set', { memberId: 'm_nobody', personId: p(1), strength: 2 }, ['NOT_FOUND']],
      ['coverage.set', { memberId: doc.team[0]!.id, personId: 'p_nobody', strength: 2 }, ['NOT_FOUND']],
      ['snapshot.get', { id: 'nosuchsnapshot' }, ['NOT_FOUND']],
      ['snapshot.delete', { id: 'nosuchsnapshot' }, ['NOT_FOUND']],
      ['snapshot.restore', { id: 'nosuchsnapshot' }, ['NOT_FOUND']],
      ['interaction.create', { personId: 'p_nobody', date: '2026-01-05', kind: 'call' }, ['NOT_FOUND']],
      ['interaction.delete', { id: 'nosuchentry' }, ['NOT_FOUND']],
      ['trip.create', { personId: 'p_nobody', place: 'Capital', from: '2026-01-05', to: '2026-01-06' }, ['NOT_FOUND']],
      ['trip.delete', { id: 'nosuchtrip' }, ['NOT_FOUND']],
      ['person.purge', { id: 'p_nobody' }, ['NOT_FOUND']],
      ['map.stripPersonal', { copyTo: file }, ['FILE_EXISTS']],
      ['map.open', { path: path.join(dir, 'does-not-exist.powermap') }, ['FILE_NOT_FOUND']],
      ['map.create', { path: file }, ['FILE_EXISTS']],
      ['exchange.importJson', { jsonPath: path.join(dir, 'none.json'), path: path.join(dir, 'none.powermap') }, ['FILE_NOT_FOUND', 'IMPORT_FAILED']],
      ['exchange.export', { format: 'json', path: existing }, ['FILE_EXISTS']],
    ];
    for (const [method, payload, codes] of calls) {
      if (!METHODS.includes(method)) continue;
      expect(schemaAccepts(method, payload), `${method} ${JSON.stringify(payload)} should be well-formed`).toBe(true);
      for (const send of [(m: string, x: unknown) => dispatch(session, m, x), async (m: string, x: unknown) => (await post(web, m, JSON.stringify(x))).json as ApiResult<unknown>]) {
        const res = await send(method, payload);
        expect(isTypedRefusal(res), `${method}: ${JSON.stringify(res).slice(0, 300)}`).toBe(true);
        expect(codes, `${method}: ${JSON.stringify(res)}`).toContain((res as Refusal).error.code);
        counts.semantic++;
      }
    }
  });

  it('left the map exactly as it was: every row, then every byte', async () => {
    // Still up and answering on every transport.
    expect((await dispatch(session, 'map.get', {})).ok).toBe(true);
    expect(((await post(web, 'map.get', '{}')).json as ApiResult<unknown>).ok).toBe(true);
    expect(await dumpStore(session.store!)).toBe(before);
    await session.close();
    expect(dumpFile(file)).toBe(fileBefore);
    expect(sha(file)).toBe(hashBefore);
    const total = counts.dispatch + counts.ipc + counts.http + counts.httpRaw + counts.unknownMethod + counts.ipcSender + counts.semantic;
    expect(counts.dispatch + counts.ipc + counts.http + counts.httpRaw).toBeGreaterThanOrEqual(10_000);
    // Every method got its share on every transport.
    for (const t of ['dispatch', 'ipc', 'http'])
      for (const m of METHODS) expect(perMethod.get(`${t}:${m}`) ?? 0, `${t}:${m}`).toBeGreaterThanOrEqual(Math.floor(PER_TRANSPORT / METHODS.length / 2));
    console.log(
      `[trust] fuzz (seed ${SEED}): ${total} hostile calls refused with a typed error — ${counts.dispatch} to the dispatcher, ${counts.ipc} through the IPC handler, ` +
        `${counts.http} + ${counts.httpRaw} raw bodies over HTTP, ${counts.unknownMethod} unknown methods, ${counts.ipcSender} foreign IPC senders, ` +
        `${counts.semantic} well-formed rule-breaking calls; ${METHODS.length} methods; ${counts.skippedValid} generated payloads were valid and not sent; map unchanged`,
    );
  });
});

describe('names and notes in any script round-trip exactly or are refused', () => {
  const SAMPLES = [
    '王建国',
    'Иван Петров',
    'Ελένη Παπαδοπούλου',
    'محمد الأحمد',
    'שרה כהן',
    '김민준',
    'Nguyễn Văn An',
    '👩‍💼 Ava Chen 🇨🇳',
    '🧑🏽‍🤝‍🧑🏻',
    'e\u0301 vs \u00e9',
    '\u202eevil\u202c',
    'zero\u200bwidth',
    '𠀀𠀁 (astral CJK)',
    '  padded  ',
    'tab\there',
    'line\nbreak',
    'nul\u0000byte',
    'bell\u0007',
    'esc\u001b[31m',
    'del\u007f',
    'lone \ud800 high',
    'lone \udfff low',
    '\ufffe\uffff noncharacters',
    '<script>alert(1)</script>',
    "Robert'); DROP TABLE person;--",
    '王'.repeat(200),
    '王'.repeat(201),
    'x'.repeat(1_000_000),
  ];

  it('through the dispatcher and over HTTP, and after the file is reopened', async () => {
    const d = tmp();
    const f = path.join(d, 'scripts.powermap');
    const s = webSession(path.join(d, 's'));
    expect((await dispatch(s, 'map.create', { path: f })).ok).toBe(true);
    const w = await startWebServer({ session: s, staticDir: path.join(d, 'static') });
    const stored: { id: string; name: string; notes: string; hometown: string }[] = [];
    let refused = 0;
    try {
      let k = 0;
      for (const text of SAMPLES)
        for (const via of ['dispatch', 'http'] as const) {
          const id = `s${k++}`;
          const send = async (m: string, x: unknown) =>
            via === 'dispatch' ? dispatch(s, m, x) : ((await post(w, m, JSON.stringify(x))).json as ApiResult<unknown>);
          const created = await send('person.create', { id, name: text, notes: text });
          if (!created.ok) {
            expect(isTypedRefusal(created)).toBe(true);
            expect(created.error.code).toBe('BAD_REQUEST');
            refused++;
            continue;
          }
          const prof = await send('profile.update', { personId: id, patch: { hometown: text } });
          const p = (await person(s.store!, id))!;
          // Names are single-line labels: trimmed, otherwise exact; notes exact.
          expect(p.name).toBe(text.trim());
          expect(p.notes).toBe(text);
          if (prof.ok) expect((await profile(s.store!, id)).hometown).toBe(text);
          stored.push({ id, name: text.trim(), notes: text, hometown: prof.ok ? text : '' });
        }
    } finally {
      await w.close();
      await s.close();
    }
    // Reopened from disk: every stored string is what was sent.
    const again = await openMapFile(f);
    try {
      for (const x of stored) {
        const p = (await person(again, x.id))!;
        expect([p.name, p.notes]).toEqual([x.name, x.notes]);
        expect((await profile(again, x.id)).hometown).toBe(x.hometown);
      }
    } finally {
      await again.close();
    }
    expect(peekOne(f, 'PRAGMA integrity_check')).toEqual({ integrity_check: 'ok' });
    expect(stored.length).toBeGreaterThan(20);
    expect(refused).toBeGreaterThan(5);
    console.log(`[trust] scripts: ${stored.length} names/notes round-tripped exactly, ${refused} refused (control characters, lone surrogates, too long)`);
  });

  it('keeps deep JSON and huge strings out without slowing the process to a halt', async () => {
    // A sanity bound, not a benchmark: each refusal returns (no hang, no crash).
    const s = webSession(tmp());
    for (const payload of [deep(100_000, 'object'), deep(100_000, 'array'), { name: 'x'.repeat(50_000_000) }, { name: NASTY_STRINGS }]) {
      const res = await dispatch(s, 'person.create', payload);
      expect(isTypedRefusal(res)).toBe(true);
    }
  });
});
