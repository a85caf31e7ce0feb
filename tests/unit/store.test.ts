import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { APPLICATION_ID } from '../../storage/sqlite/file-check';
import { LATEST_VERSION } from '../../storage/sqlite/migrations';
import { MapStore } from '../../storage/sqlite/map-store';
import { sha256, useTmpDir } from '../helpers/tmp';

const tmp = useTmpDir();

/** Reads a map file with a separate, plain connection: what is really on disk. */
function onDisk<T>(file: string, sql: string): T[] {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all() as T[];
  } finally {
    db.close();
  }
}

describe('map files', () => {
  it('creates a PowerMap file with its application id, WAL and the latest schema', () => {
    const file = path.join(tmp(), 'bank.powermap');
    const store = MapStore.create(file, { account: 'Northbank head office', deal: 'Online banking servers' });
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(store.meta().account).toBe('Northbank head office');
    store.close();
    const db = new Database(file, { readonly: true });
    expect(db.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    db.close();
  });

  it('has every edit on disk when the call returns, seen by another connection', () => {
    const file = path.join(tmp(), 'm.powermap');
    const store = MapStore.create(file);
    const c = store.createPerson({ name: '林晓', title: 'President', roles: ['decision-maker'] });
    const id = c.people![0]!.id;
    store.close(); // release the exclusive lock so a plain connection can read
    const rows = onDisk<{ id: string; name: string; roles: string }>(file, 'SELECT id, name, roles FROM person');
    expect(rows).toEqual([{ id, name: '林晓', roles: '["decision-maker"]' }]);
  });

  it('refuses to overwrite an existing file on create', () => {
    const file = path.join(tmp(), 'x.powermap');
    fs.writeFileSync(file, 'keep me');
    expect(() => MapStore.create(file)).toThrowError(expect.objectContaining({ code: 'FILE_EXISTS' }));
    expect(fs.readFileSync(file, 'utf8')).toBe('keep me');
  });

  it.each([
    ['an empty file', () => Buffer.alloc(0), 'NOT_A_POWERMAP'],
    ['random bytes', () => Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256)), 'NOT_A_POWERMAP'],
    ['a text file', () => Buffer.from('name,title\nAva,CIO\n'), 'NOT_A_POWERMAP'],
  ])('refuses %s and leaves its bytes unchanged', (_what, bytes, code) => {
    const file = path.join(tmp(), 'bad.powermap');
    fs.writeFileSync(file, bytes());
    const before = sha256(file);
    expect(() => MapStore.open(file)).toThrowError(expect.objectContaining({ code }));
    expect(sha256(file)).toBe(before);
  });

  it('refuses a foreign SQLite database without changing it', () => {
    const file = path.join(tmp(), 'other.sqlite');
    const db = new Database(file);
    db.exec('CREATE TABLE t (x); INSERT INTO t VALUES (1);');
    db.close();
    const before = sha256(file);
    expect(() => MapStore.open(file)).toThrowError(expect.objectContaining({ code: 'NOT_A_POWERMAP' }));
    expect(sha256(file)).toBe(before);
  });

  it('refuses a map from a newer version without changing it', () => {
    const file = path.join(tmp(), 'new.powermap');
    MapStore.create(file).close();
    const db = new Database(file);
    db.pragma(`user_version = ${LATEST_VERSION + 5}`);
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    const before = sha256(file);
    expect(() => MapStore.open(file)).toThrowError(expect.objectContaining({ code: 'NEWER_VERSION' }));
    expect(sha256(file)).toBe(before);
  });

  it('refuses a file another instance has open', () => {
    const file = path.join(tmp(), 'busy.powermap');
    const first = MapStore.create(file);
    expect(() => MapStore.open(file)).toThrowError(expect.objectContaining({ code: 'LOCKED' }));
    first.close();
    MapStore.open(file).close();
  });

  it('reports a missing file as FILE_NOT_FOUND', () => {
    expect(() => MapStore.open(path.join(tmp(), 'nope.powermap'))).toThrowError(
      expect.objectContaining({ code: 'FILE_NOT_FOUND' }),
    );
  });
});

describe('edits and undo', () => {
  it('undoes and redoes every kind of edit, durably', () => {
    const file = path.join(tmp(), 'u.powermap');
    const s = MapStore.create(file);
    const a = s.createPerson({ name: 'Ava Chen', attitude: 'champion' }).people![0]!.id;
    const b = s.createPerson({ name: 'Bo Li' }).people![0]!.id;
    const rel = s.createRelation({ kind: 'conflict', source: a, target: b, note: 'old feud' }).relations![0]!.id;
    const m = s.createMember({ name: 'Rep One', role: 'account manager' }).team![0]!.id;
    s.setCoverage(m, a, 3);
    s.updatePerson(a, { attitude: 'opponent' });
    expect(s.person(a)!.attitude).toBe('opponent');

    // Deleting a person takes their relations and coverage with them, and undo brings all back.
    const del = s.deletePerson(a);
    expect(del.deleted?.people).toEqual([a]);
    expect(del.deleted?.relations).toEqual([rel]);
    expect(s.relations()).toHaveLength(0);
    expect(s.coverage()).toHaveLength(0);
    const back = s.undo();
    expect(back.people?.map((p) => p.id)).toEqual([a]);
    expect(s.relation(rel)?.note).toBe('old feud');
    expect(s.coverage()).toEqual([{ memberId: m, personId: a, strength: 3 }]);

    s.undo(); // the attitude change
    expect(s.person(a)!.attitude).toBe('champion');
    expect(s.history()).toMatchObject({ canUndo: true, canRedo: true });
    s.close();

    // Undo and redo are themselves durable: reopen and redo.
    const s2 = MapStore.open(file);
    expect(s2.person(a)!.attitude).toBe('champion');
    s2.redo();
    expect(s2.person(a)!.attitude).toBe('opponent');
    // A new edit drops the redo tail.
    s2.updatePerson(b, { influence: 'high' });
    expect(s2.history().canRedo).toBe(false);
    s2.close();
  });

  it('keeps one reporting line per person, refuses loops, self-loops and duplicates', () => {
    const s = MapStore.create(path.join(tmp(), 'r.powermap'));
    const [a, b, c] = ['A', 'B', 'C'].map((n) => s.createPerson({ name: n }).people![0]!.id) as [string, string, string];
    s.createRelation({ kind: 'reports_to', source: a, target: b });
    const moved = s.createRelation({ kind: 'reports_to', source: a, target: c });
    expect(moved.deleted?.relations).toHaveLength(1);
    expect(s.relations().filter((r) => r.kind === 'reports_to')).toEqual([expect.objectContaining({ source: a, target: c })]);
    expect(() => s.createRelation({ kind: 'reports_to', source: c, target: a })).toThrowError(
      expect.objectContaining({ code: 'INVALID_EDIT' }),
    );
    expect(() => s.createRelation({ kind: 'alliance', source: a, target: a })).toThrowError(
      expect.objectContaining({ code: 'INVALID_EDIT' }),
    );
    s.createRelation({ kind: 'alliance', source: a, target: b });
    expect(() => s.createRelation({ kind: 'alliance', source: b, target: a })).toThrowError(
      expect.objectContaining({ code: 'INVALID_EDIT' }),
    );
    expect(() => s.createRelation({ kind: 'influence', source: a, target: 'p_missing' })).toThrowError(
      expect.objectContaining({ code: 'NOT_FOUND' }),
    );
    s.close();
  });

  it('keeps the personal profile apart and drops it with the person', () => {
    const s = MapStore.create(path.join(tmp(), 'p.powermap'));
    const a = s.createPerson({ name: 'Ava' }).people![0]!.id;
    s.updateProfile(a, { hometown: 'Harbourtown', children: 'a daughter at university' });
    expect(s.profile(a)).toMatchObject({ hometown: 'Harbourtown', children: 'a daughter at university', pets: '' });
    expect(JSON.stringify(s.document())).not.toContain('Harbourtown');
    s.deletePerson(a);
    expect(s.db.prepare('SELECT count(*) AS n FROM profile').get()).toEqual({ n: 0 });
    s.close();
  });
});
