/**
 * Bad files (issue 7, item 2): empty, random bytes, truncated maps, a foreign SQLite database, a
 * map from a newer version, a read-only file, a file another instance has open, a path that
 * vanishes. Each is refused with a clear message in both UI languages, through the API (what the
 * app's dialog shows) and the CLI (one line on stderr, non-zero exit, no stack trace); the
 * process keeps running; and the bytes of the file and its -wal/-shm side files are unchanged.
 */
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES, type ApiErrorShape, type ErrorCode } from '../../shared/api/errors';
import { ERROR_MESSAGES, errorMessage } from '../../shared/i18n/errors';
import { dispatch } from '../../services/handlers';
import { LATEST_VERSION } from '../../storage/sqlite/migrations';
import { createMapFile, openMapFile } from '../../services/map/files';
import { counts } from '../../services/map/read';
import { loadMap, updatePerson } from '../../services/map/rules';
import { generateMap, prng } from '../../bench/lib/generate';
import { webSession } from '../helpers/session';
import { bundle, REPO, run, type Child } from '../helpers/trust-process';
import { useTmpDir } from '../helpers/tmp';

const tmp = useTmpDir();
const SIDES = ['', '-wal', '-shm', '-journal'];

/** Hash of a file and each side file that exists (absent ones recorded as absent). */
function fingerprint(file: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const s of SIDES) {
    const f = file + s;
    out[s || 'main'] = fs.existsSync(f) && fs.statSync(f).isFile() ? crypto.createHash('sha256').update(fs.readFileSync(f)).digest('hex') : 'absent';
  }
  return out;
}

let cli = '';
let child = '';
beforeAll(async () => {
  // The CLI as shipped (dist/node/cli.cjs, built by `npm test`); bundled afresh when absent.
  const dist = path.join(REPO, 'dist', 'node', 'cli.cjs');
  cli = fs.existsSync(dist) ? dist : await bundle('cli/main.ts');
  child = await bundle('tests/helpers/trust-child.ts');
}, 60_000);

/** A real map with people, relations, team, coverage and profiles, closed (no -wal). */
async function realMap(dir: string, name = 'real.powermap', people = 300): Promise<string> {
  const file = path.join(dir, name);
  const data = generateMap(people, { seed: 3 });
  const s = await createMapFile(file, data.meta);
  await loadMap(s, data);
  await s.close();
  return file;
}

interface Case {
  what: string;
  make(dir: string): string | Promise<string>;
  codes: ErrorCode[];
}

const bytes = (n: number, seed: number) => {
  const r = prng(seed);
  return Buffer.from(Array.from({ length: n }, () => Math.floor(r() * 256)));
};

const tried: string[] = [];

/** Opens through the API and the CLI; asserts the refusal, the messages and unchanged bytes. */
async function refuses(file: string, codes: ErrorCode[], what: string): Promise<ApiErrorShape> {
  tried.push(what);
  const dir = path.dirname(file);
  const session = webSession(tmp());
  // A good map is open first: a refused file must not close it or change it.
  const good = await realMap(tmp(), 'good.powermap', 20);
  expect((await dispatch(session, 'map.open', { path: good })).ok).toBe(true);
  const goodRev = await session.store!.rev();

  const before = fingerprint(file);
  const listing = fs.existsSync(dir) ? fs.readdirSync(dir).sort() : [];
  const r = await dispatch(session, 'map.open', { path: file });
  expect(r.ok, `${what} was opened`).toBe(false);
  const err = (r as { ok: false; error: ApiErrorShape }).error;
  expect(codes, `${what}: ${err.code} ${err.message}`).toContain(err.code);
  expect(fingerprint(file), `${what}: bytes changed by the app`).toEqual(before);
  if (fs.existsSync(dir)) expect(fs.readdirSync(dir).sort(), `${what}: files left beside it`).toEqual(listing);

  // Clear in both languages: the translated line names the file, says what is wrong, and shows
  // no SQLite or Node internals.
  for (const lang of ['en-US', 'zh-CN'] as const) {
    const line = errorMessage(err, lang);
    expect(line).not.toMatch(/SQLITE_|errno|Error:|\bat \w+ \(|undefined|\{\{/);
    if (err.params?.name) expect(line).toContain(String(err.params.name));
    if (lang === 'zh-CN') expect(line).toMatch(/[\u4e00-\u9fff]/);
  }

  // The app keeps running: the map that was open is still open and unchanged, edits still work.
  expect(session.store?.location.path).toBe(path.resolve(good));
  expect(await session.store!.rev()).toBe(goodRev);
  const edit = await dispatch(session, 'map.updateMeta', { notes: 'still here' });
  expect(edit.ok).toBe(true);
  await session.close();

  // The CLI: one line on stderr in the user's language, a non-zero exit, no stack trace.
  for (const [lang, locale] of [
    ['en-US', 'en_US.UTF-8'],
    ['zh-CN', 'zh_CN.UTF-8'],
  ] as const) {
    const res = spawnSync(process.execPath, [cli, 'info', file], {
      encoding: 'utf8',
      env: { ...process.env, LANG: locale, LC_ALL: locale, LC_MESSAGES: locale, NODE_PATH: path.join(REPO, 'node_modules') },
      timeout: 30_000,
    });
    expect(res.status, `${what}: CLI exit (${lang})`).not.toBe(0);
    expect(res.status).not.toBeNull();
    const lines = res.stderr.trimEnd().split('\n');
    expect(lines, `${what}: CLI stderr (${lang}): ${res.stderr}`).toHaveLength(1);
    expect(res.stderr).not.toMatch(/\n\s+at |SQLITE_|node:internal/);
    expect(lines[0]).toContain(errorMessage(err, lang));
    expect(res.stdout).toBe('');
  }
  expect(fingerprint(file), `${what}: bytes changed by the CLI`).toEqual(before);
  return err;
}

describe('bad files are refused, clearly, and left as they were', () => {
  const cases: Case[] = [
    { what: 'an empty file', make: (d) => write(d, 'empty.powermap', Buffer.alloc(0)), codes: ['NOT_A_POWERMAP'] },
    { what: 'random bytes', make: (d) => write(d, 'random.powermap', bytes(64 * 1024, 1)), codes: ['NOT_A_POWERMAP'] },
    {
      what: 'random bytes behind a valid SQLite header with our application id',
      make: async (d) => {
        const real = fs.readFileSync(await realMap(d));
        return write(d, 'garbled.powermap', Buffer.concat([real.subarray(0, 100), bytes(real.length - 100, 2)]));
      },
      codes: ['CORRUPT'],
    },
    {
      what: 'a map with its pages scrambled',
      make: async (d) => {
        const real = fs.readFileSync(await realMap(d));
        // Overwrite a run of pages in the middle with noise: structure damage quick_check finds.
        bytes(8 * 4096, 3).copy(real, 4096 * 5);
        return write(d, 'scrambled.powermap', real);
      },
      codes: ['CORRUPT'],
    },
    {
      what: 'a foreign SQLite database',
      make: (d) => {
        const f = path.join(d, 'crm.sqlite');
        const db = new Database(f);
        db.exec("CREATE TABLE contacts (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO contacts (name) VALUES ('Ada Park');");
        db.close();
        return f;
      },
      codes: ['NOT_A_POWERMAP'],
    },
    {
      what: 'a foreign SQLite database in WAL mode with its -wal file',
      make: (d) => {
        const f = path.join(d, 'crm-wal.sqlite');
        const db = new Database(f);
        db.pragma('journal_mode = WAL');
        db.exec('CREATE TABLE t (x); INSERT INTO t VALUES (1);');
        // Keep the -wal beside it, as a crashed program would leave it.
        fs.copyFileSync(`${f}-wal`, `${f}-wal.keep`);
        db.close();
        fs.renameSync(`${f}-wal.keep`, `${f}-wal`);
        return f;
      },
      codes: ['NOT_A_POWERMAP'],
    },
    {
      what: 'a database that carries our application id but not our tables',
      make: (d) => {
        const f = path.join(d, 'impostor.powermap');
        const db = new Database(f);
        db.pragma('application_id = 1347240272'); // 'PMAP'
        db.pragma(`user_version = ${LATEST_VERSION}`);
        db.pragma('journal_mode = WAL');
        db.exec('CREATE TABLE t (x);');
        db.close();
        return f;
      },
      codes: ['CORRUPT', 'NOT_A_POWERMAP'],
    },
    {
      what: 'a map from a newer version',
      make: async (d) => {
        const f = await realMap(d, 'newer.powermap', 10);
        const db = new Database(f);
        db.pragma(`user_version = ${LATEST_VERSION + 7}`);
        db.close();
        return f;
      },
      codes: ['NEWER_VERSION'],
    },
    {
      what: 'a damaged map with the -wal file of a crashed session beside it',
      make: async (d) => {
        const f = await crashedPair(d, 'crashed-damaged.powermap');
        const buf = fs.readFileSync(f);
        bytes(6 * 4096, 4).copy(buf, 4096 * 4);
        fs.writeFileSync(f, buf);
        return f;
      },
      codes: ['CORRUPT'],
    },
    {
      what: 'a map whose -wal (left by a crash) says it is from a newer version',
      make: async (d) => {
        const f = await realMap(d, 'newer-in-wal.powermap', 10);
        const db = new Database(f);
        db.pragma('journal_mode = WAL');
        db.pragma('wal_autocheckpoint = 0');
        db.pragma(`user_version = ${LATEST_VERSION + 1}`);
        fs.copyFileSync(`${f}-wal`, `${f}.keep`);
        fs.copyFileSync(f, `${f}.main`);
        db.close();
        fs.renameSync(`${f}.main`, f);
        fs.renameSync(`${f}.keep`, `${f}-wal`);
        return f;
      },
      codes: ['NEWER_VERSION'],
    },
    { what: 'a path that does not exist', make: (d) => path.join(d, 'gone.powermap'), codes: ['FILE_NOT_FOUND'] },
    { what: 'a path whose folder does not exist', make: (d) => path.join(d, 'no-such-folder', 'x.powermap'), codes: ['FILE_NOT_FOUND'] },
    {
      what: 'a dangling link (the file it pointed to was moved away)',
      make: async (d) => {
        const real = await realMap(d, 'moved.powermap', 5);
        const link = path.join(d, 'link.powermap');
        fs.symlinkSync(real, link);
        fs.renameSync(real, path.join(d, 'elsewhere.bin'));
        return link;
      },
      codes: ['FILE_NOT_FOUND'],
    },
    { what: 'a folder', make: (d) => (fs.mkdirSync(path.join(d, 'folder.powermap')), path.join(d, 'folder.powermap')), codes: ['NOT_A_POWERMAP'] },
  ];

  it.each(cases)('$what', async ({ what, make, codes }) => {
    await refuses(await make(tmp()), codes, what);
  });

  it('a real map cut short at many lengths', async () => {
    const dir = tmp();
    const real = fs.readFileSync(await realMap(dir));
    expect(real.length).toBeGreaterThan(20 * 4096);
    const cuts = [1, 16, 99, 100, 101, 512, 4095, 4096, 4097, 3 * 4096, Math.floor(real.length / 2), real.length - 4096, real.length - 1];
    for (const n of cuts) {
      const f = write(dir, `cut-${n}.powermap`, real.subarray(0, n));
      await refuses(f, ['NOT_A_POWERMAP', 'CORRUPT'], `a map cut at ${n} of ${real.length} bytes`);
    }
  });

  it('a file another PowerMap process has open', async () => {
    const dir = tmp();
    const file = await realMap(dir, 'busy.powermap');
    const holder: Child = run(child, ['hold', file]);
    try {
      await holder.waitFor(/^ready /);
      await refuses(file, ['LOCKED'], 'a file another process has open');
    } finally {
      holder.proc.kill('SIGKILL');
      await holder.exited;
    }
    // Once the other process is gone, the map opens and is whole.
    const s = await openMapFile(file);
    expect((await counts(s)).people).toBe(300);
    await s.close();
  });

  it('a read-only file, and a file in a read-only folder', async () => {
    const dir = tmp();
    const file = await realMap(dir, 'readonly.powermap');
    fs.chmodSync(file, 0o444);
    const err = await refuses(file, ['READ_ONLY'], 'a read-only file (chmod 0444)');
    expect(err.code).toBe('READ_ONLY');

    const dir2 = tmp();
    const inRo = await realMap(dir2, 'in-readonly-folder.powermap');
    fs.chmodSync(dir2, 0o555);
    try {
      await refuses(inRo, ['READ_ONLY'], 'a map in a read-only folder (chmod 0555)');
    } finally {
      fs.chmodSync(dir2, 0o755);
    }
  });

  it('a read-only file for a user who is not root (the OS refuses the write)', async (ctx) => {
    // Tests run as root here, and root may write a 0444 file: run the CLI as "nobody" too.
    if (process.getuid?.() !== 0) ctx.skip();
    const dir = tmp();
    fs.chmodSync(dir, 0o755);
    const file = await realMap(dir, 'nobody.powermap');
    fs.chmodSync(file, 0o644); // nobody can read but not write it (owned by root)
    const before = fingerprint(file);
    const res = spawnSync(process.execPath, [cli, 'info', file], {
      encoding: 'utf8',
      uid: 65534,
      gid: 65534,
      env: { ...process.env, LANG: 'en_US.UTF-8', LC_ALL: 'en_US.UTF-8', NODE_PATH: path.join(REPO, 'node_modules'), HOME: dir },
      timeout: 30_000,
    });
    expect(res.status).not.toBe(0);
    expect(res.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(res.stderr).toContain(ERROR_MESSAGES['en-US'].READ_ONLY.replace('{{name}}', 'nobody.powermap'));
    expect(fingerprint(file)).toEqual(before);
    tried.push('a file the user may read but not write (as uid 65534)');
  });

  it('a map whose file vanishes while it is open: edits are refused, not silently lost', async () => {
    const dir = tmp();
    const file = await realMap(dir, 'vanishing.powermap', 20);
    const session = webSession(tmp());
    expect((await dispatch(session, 'map.open', { path: file })).ok).toBe(true);
    fs.renameSync(file, path.join(dir, 'moved-away.powermap'));
    const r = await dispatch(session, 'person.update', { id: 'p_000001', patch: { title: 'lost?' } });
    expect(r.ok).toBe(false);
    expect((r as { ok: false; error: ApiErrorShape }).error.code).toBe('FILE_NOT_FOUND');
    // Still running: reading works, and the map can be closed.
    expect((await dispatch(session, 'map.get', {})).ok).toBe(true);
    expect((await dispatch(session, 'map.close', {})).ok).toBe(true);
    tried.push('a map file moved away while open');
  });

  it('a map whose file is replaced by another while it is open (as sync tools do): edits are refused', async () => {
    const dir = tmp();
    const file = await realMap(dir, 'synced.powermap', 20);
    const other = await realMap(dir, 'other.powermap', 5);
    const session = webSession(tmp());
    expect((await dispatch(session, 'map.open', { path: file })).ok).toBe(true);
    expect((await dispatch(session, 'person.update', { id: 'p_000001', patch: { title: 'kept' } })).ok).toBe(true);
    fs.renameSync(other, file);
    // The file watch reports the replacement on the next turn of the event loop.
    await new Promise((r) => setTimeout(r, 50));
    const r = await dispatch(session, 'person.update', { id: 'p_000002', patch: { title: 'lost?' } });
    expect(r.ok).toBe(false);
    expect((r as { ok: false; error: ApiErrorShape }).error.code).toBe('FILE_NOT_FOUND');
    expect((await dispatch(session, 'map.close', {})).ok).toBe(true);
    tried.push('a map file replaced by another while open');
  });
});

afterAll(() => {
  if (tried.length) console.log(`[trust] bad files: ${tried.length} tried, each refused with its bytes unchanged:\n  ${tried.join('\n  ')}`);
});

/** A map and its -wal as a killed PowerMap leaves them: edits committed to the -wal only. */
async function crashedPair(dir: string, name: string): Promise<string> {
  const f = await realMap(dir, name, 40);
  const s = await openMapFile(f);
  for (let i = 0; i < 30; i++) await updatePerson(s, 'p_000001', { title: `t${i}` });
  fs.copyFileSync(f, `${f}.main`);
  fs.copyFileSync(`${f}-wal`, `${f}.wal`);
  await s.close();
  fs.renameSync(`${f}.main`, f);
  fs.renameSync(`${f}.wal`, `${f}-wal`);
  expect(fs.statSync(`${f}-wal`).size).toBeGreaterThan(0);
  return f;
}

function write(dir: string, name: string, data: Buffer): string {
  const f = path.join(dir, name);
  fs.writeFileSync(f, data);
  return f;
}

// Every code a bad file can produce has a message in both languages.
it('has both languages for every error code', () => {
  for (const code of ERROR_CODES) {
    expect(ERROR_MESSAGES['en-US'][code]).toBeTruthy();
    expect(ERROR_MESSAGES['zh-CN'][code]).toMatch(/[\u4e00-\u9fff]/);
  }
});
