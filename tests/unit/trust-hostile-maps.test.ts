/**
 * Maps that travel (issue 15, items 1, 2, 9 and 14): a colleague's `.powermap` carrying its own
 * triggers, views, tables or indexes is refused before anything runs, its bytes unchanged; a
 * person deleted the ordinary way can still be erased completely (undo log and snapshots
 * included); a check copy left by a killed PowerMap is cleaned up and none is made in the shared
 * temp folder; a -wal that is a symbolic link is refused with a message that says so.
 */
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../shared/api/errors';
import type { PurgeResult } from '../../shared/api/privacy';
import { errorMessage } from '../../shared/i18n/errors';
import { dispatch } from '../../services/handlers';
import { createMapFile, openMapFile } from '../../services/map/files';
import { createPerson, deletePerson, loadMap, updateProfile } from '../../services/map/rules';
import { createSnapshot } from '../../services/time/snapshots';
import { generateMap } from '../../bench/lib/generate';
import { webSession } from '../helpers/session';
import { bundle, REPO } from '../helpers/trust-process';
import { sha256, useTmpDir } from '../helpers/tmp';

const tmp = useTmpDir();

let cli = '';
beforeAll(async () => {
  const dist = path.join(REPO, 'dist', 'node', 'cli.cjs');
  cli = fs.existsSync(dist) ? dist : await bundle('cli/main.ts');
}, 60_000);

async function plainMap(dir: string, name = 'colleague.powermap'): Promise<string> {
  const file = path.join(dir, name);
  const store = await createMapFile(file, { account: 'Fictional City Bank' });
  await loadMap(store, generateMap(20, { seed: 5 }));
  await store.close();
  return file;
}

const PLANTED: { what: string; sql: string; names: RegExp }[] = [
  {
    what: 'a trigger that copies profiles into the map notes',
    sql: "CREATE TRIGGER leak AFTER UPDATE ON profile BEGIN UPDATE map_meta SET notes = new.data WHERE id = 1; END;",
    names: /trigger leak/,
  },
  { what: 'a hidden table', sql: 'CREATE TABLE stash (data TEXT)', names: /table stash/ },
  { what: 'a view', sql: 'CREATE VIEW everyone AS SELECT * FROM person', names: /view everyone/ },
  { what: 'an index of its own', sql: 'CREATE INDEX person_name ON person(name)', names: /index person_name/ },
  {
    what: 'one of our tables rewritten in place (a default that calls a function)',
    sql: `PRAGMA foreign_keys = OFF;
      CREATE TABLE member_copy AS SELECT * FROM member;
      DROP TABLE member;
      CREATE TABLE member (id TEXT PRIMARY KEY, name TEXT NOT NULL, role TEXT NOT NULL DEFAULT (hex(randomblob(4)))) STRICT;
      INSERT INTO member SELECT * FROM member_copy;
      DROP TABLE member_copy;`,
    names: /table member/,
  },
];

describe('a map file carrying database objects PowerMap did not make', () => {
  for (const p of PLANTED)
    it(`is refused, unchanged: ${p.what}`, async () => {
      const file = await plainMap(tmp());
      const db = new Database(file);
      db.exec(p.sql);
      db.close();
      const before = sha256(file);
      const err = await openMapFile(file).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(ApiError);
      expect((err as ApiError).code).toBe('UNTRUSTED');
      expect((err as ApiError).message).toMatch(p.names);
      expect(errorMessage(err as ApiError, 'zh-CN')).toMatch(/并非 PowerMap 写入/);
      expect(sha256(file)).toBe(before);
      expect(fs.existsSync(`${file}-wal`)).toBe(false);
    });

  it('is refused by every command of the CLI too — strip-personal and purge never run on it', async () => {
    const dir = tmp();
    const file = await plainMap(dir);
    const db = new Database(file);
    db.exec(PLANTED[0]!.sql);
    db.close();
    const before = sha256(file);
    for (const args of [
      ['strip-personal', file, '--out', path.join(dir, 'copy.powermap')],
      ['purge', file, '--person', 'anyone', '--yes'],
      ['export', file, '--format', 'json', '-o', path.join(dir, 'out.json')],
    ]) {
      const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env: { ...process.env, LANG: 'en_US.UTF-8' } });
      expect(r.status, args[0]).toBe(1);
      expect(r.stderr).toMatch(/holds database code PowerMap did not put there/);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
    expect(fs.existsSync(path.join(dir, 'copy.powermap'))).toBe(false);
    expect(fs.existsSync(path.join(dir, 'out.json'))).toBe(false);
    expect(sha256(file)).toBe(before);
  });

  it('a map PowerMap made itself, at every schema version it migrates from, still opens', async () => {
    const file = await plainMap(tmp());
    const s = await openMapFile(file);
    expect(s.location.version).toBeGreaterThanOrEqual(3);
    await s.close();
  });
});

describe('a person deleted the ordinary way can still be erased completely', () => {
  const SECRET = { phone: '+86 139 0000 7788', school: 'Fictional Lakeside Primary No. 2' };

  async function deletedPerson(dir: string) {
    const file = path.join(dir, 'deal.powermap');
    const store = await createMapFile(file, { account: 'Fictional Provincial Power Bureau' });
    const c = await createPerson(store, { name: 'Qiao Mingyuan', title: 'Head of user department' });
    const id = c.people![0]!.id;
    await updateProfile(store, id, { family: `Daughter at ${SECRET.school}`, other: `Mobile ${SECRET.phone}` });
    await createSnapshot(store, 'before the tender');
    await deletePerson(store, id);
    await store.close();
    return { file, id };
  }
  const holds = (file: string, needle: string) =>
    [file, `${file}-wal`].some((f) => fs.existsSync(f) && fs.readFileSync(f).includes(Buffer.from(needle, 'utf8')));

  it('through the API by id: the undo log, the snapshot and the -wal lose every byte of them', async () => {
    const dir = tmp();
    const { file, id } = await deletedPerson(dir);
    expect(holds(file, 'Qiao Mingyuan')).toBe(true);
    const session = webSession(dir);
    const opened = await dispatch(session, 'map.open', { path: file });
    expect(opened.ok).toBe(true);
    const erasable = await dispatch(session, 'privacy.erasable', {});
    expect(erasable.ok && erasable.value).toEqual([{ id, name: 'Qiao Mingyuan', onMap: false, inHistory: true, snapshots: 1 }]);
    const r = await dispatch(session, 'person.purge', { id });
    expect(r.ok, r.ok ? '' : r.error.message).toBe(true);
    if (r.ok) {
      const v = r.value as PurgeResult;
      expect(v.person).toEqual({ id, name: 'Qiao Mingyuan' });
      expect(v.removed.snapshots).toBe(1);
      expect(v.removed.undoSteps).toBeGreaterThan(0);
    }
    await session.close();
    for (const needle of ['Qiao Mingyuan', SECRET.phone, SECRET.school, id]) expect(holds(file, needle), needle).toBe(false);
  });

  it('from the command line by name', async () => {
    const dir = tmp();
    const { file } = await deletedPerson(dir);
    const r = spawnSync(process.execPath, [cli, 'purge', file, '--person', 'qiao  mingyuan', '--yes'], {
      encoding: 'utf8',
      env: { ...process.env, LANG: 'en_US.UTF-8' },
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Erased Qiao Mingyuan/);
    for (const needle of ['Qiao Mingyuan', SECRET.phone, SECRET.school]) expect(holds(file, needle), needle).toBe(false);
  });

  it('an id nobody ever had is still NOT_FOUND', async () => {
    const dir = tmp();
    const { file } = await deletedPerson(dir);
    const session = webSession(dir);
    await dispatch(session, 'map.open', { path: file });
    const r = await dispatch(session, 'person.purge', { id: 'p_never_there' });
    expect(!r.ok && r.error.code).toBe('NOT_FOUND');
    await session.close();
  });
});

/** Copies a map while a connection has it open in WAL mode: the copy has a -wal, as after a crash. */
function mapWithLeftoverWal(dir: string, src: string): string {
  const db = new Database(src);
  db.pragma('journal_mode = WAL');
  db.pragma('wal_autocheckpoint = 0');
  db.prepare("UPDATE map_meta SET notes = 'written just before the crash' WHERE id = 1").run();
  const file = path.join(dir, 'crashed.powermap');
  fs.copyFileSync(src, file);
  fs.copyFileSync(`${src}-wal`, `${file}-wal`);
  db.close();
  return file;
}

describe('a map left with a -wal by a crash', () => {
  it('is checked on a private copy beside the map, not in the shared temp folder, and an old copy of a killed PowerMap is removed', async () => {
    const dir = tmp();
    const src = await plainMap(dir, 'source.powermap');
    const file = mapWithLeftoverWal(dir, src);
    expect(fs.statSync(`${file}-wal`).size).toBeGreaterThan(0);
    // What a PowerMap killed during its check left: a full copy of the map, profiles and all.
    const stale = path.join(dir, '.powermap-check-4194000-Xy12ab');
    fs.mkdirSync(stale);
    fs.copyFileSync(src, path.join(stale, 'check.powermap'));
    const tmpBefore = fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith('powermap-check-'));
    const s = await openMapFile(file);
    try {
      expect(fs.existsSync(stale)).toBe(false);
      expect(fs.readdirSync(dir).filter((n) => n.startsWith('.powermap-check-'))).toEqual([]);
      const tmpAfter = fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith('powermap-check-'));
      expect(tmpAfter).toEqual(tmpBefore);
      expect(String((await s.row('map_meta', { id: 1 }))!.notes)).toBe('written just before the crash');
    } finally {
      await s.close();
    }
  });

  it('a -wal that is a symbolic link is refused, saying what it is, and its target is left alone', async () => {
    const dir = tmp();
    const file = await plainMap(dir);
    const target = path.join(dir, 'elsewhere.bin');
    fs.writeFileSync(target, 'not a journal');
    fs.symlinkSync(target, `${file}-wal`);
    const before = sha256(file);
    const err = (await openMapFile(file).catch((e: unknown) => e)) as ApiError;
    expect(err.code).toBe('UNTRUSTED');
    expect(err.message).toMatch(/-wal beside the map is a symbolic link/);
    expect(err.message).not.toMatch(/read-only/);
    expect(fs.readFileSync(target, 'utf8')).toBe('not a journal');
    expect(sha256(file)).toBe(before);
  });
});
