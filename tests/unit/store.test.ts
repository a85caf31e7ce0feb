import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createMapFile, openMapFile } from '../../services/map/files';
import { coverage, documentOf, meta, person, profile, relation, relations } from '../../services/map/read';
import {
  createMember,
  createPerson,
  createRelation,
  deletePerson,
  setCoverage,
  updatePerson,
  updateProfile,
} from '../../services/map/rules';
import { APPLICATION_ID } from '../../storage/sqlite/file-check';
import { LATEST_VERSION } from '../../storage/sqlite/migrations';
import type { SqliteMapStore } from '../../storage/sqlite/store';
import { connectionsOf, peek as onDisk } from '../helpers/map';
import { sha256, useTmpDir } from '../helpers/tmp';

const tmp = useTmpDir();

describe('map files', () => {
  it('creates a PowerMap file with its application id, WAL and the latest schema', async () => {
    const file = path.join(tmp(), 'bank.powermap');
    let store!: SqliteMapStore;
    const conns = await connectionsOf(async () => {
      store = await createMapFile(file, { account: 'Northbank head office', deal: 'Online banking servers' });
    });
    // The store's own connection: the one still open on the map (the file is built aside first).
    const live = conns.filter((c) => c.open && c.name === file);
    expect(live).toHaveLength(1);
    expect(live[0]!.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(live[0]!.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(live[0]!.pragma('foreign_keys', { simple: true })).toBe(1);
    expect((await meta(store)).account).toBe('Northbank head office');
    await store.close();
    expect(live[0]!.open).toBe(false);
    const db = new Database(file, { readonly: true });
    expect(db.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('has every edit on disk when the call returns, seen by another connection', async () => {
    const file = path.join(tmp(), 'm.powermap');
    const store = await createMapFile(file);
    const c = await createPerson(store, { name: '林晓', title: 'President', roles: ['decision-maker'] });
    const id = c.people![0]!.id;
    await store.close(); // release the exclusive lock so a plain connection can read
    const rows = onDisk<{ id: string; name: string; roles: string }>(file, 'SELECT id, name, roles FROM person');
    expect(rows).toEqual([{ id, name: '林晓', roles: '["decision-maker"]' }]);
  });

  it('refuses to overwrite an existing file on create', async () => {
    const file = path.join(tmp(), 'x.powermap');
    fs.writeFileSync(file, 'keep me');
    await expect(createMapFile(file)).rejects.toThrowError(expect.objectContaining({ code: 'FILE_EXISTS' }));
    expect(fs.readFileSync(file, 'utf8')).toBe('keep me');
  });

  it.each([
    ['an empty file', () => Buffer.alloc(0), 'NOT_A_POWERMAP'],
    ['random bytes', () => Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256)), 'NOT_A_POWERMAP'],
    ['a text file', () => Buffer.from('name,title\nAva,CIO\n'), 'NOT_A_POWERMAP'],
  ])('refuses %s and leaves its bytes unchanged', async (_what, bytes, code) => {
    const file = path.join(tmp(), 'bad.powermap');
    fs.writeFileSync(file, bytes());
    const before = sha256(file);
    await expect(openMapFile(file)).rejects.toThrowError(expect.objectContaining({ code }));
    expect(sha256(file)).toBe(before);
  });

  it('refuses a foreign SQLite database without changing it', async () => {
    const file = path.join(tmp(), 'other.sqlite');
    const db = new Database(file);
    db.exec('CREATE TABLE t (x); INSERT INTO t VALUES (1);');
    db.close();
    const before = sha256(file);
    await expect(openMapFile(file)).rejects.toThrowError(expect.objectContaining({ code: 'NOT_A_POWERMAP' }));
    expect(sha256(file)).toBe(before);
  });

  it('refuses a map from a newer version without changing it', async () => {
    const file = path.join(tmp(), 'new.powermap');
    await (await createMapFile(file)).close();
    const db = new Database(file);
    db.pragma(`user_version = ${LATEST_VERSION + 5}`);
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    const before = sha256(file);
    await expect(openMapFile(file)).rejects.toThrowError(expect.objectContaining({ code: 'NEWER_VERSION' }));
    expect(sha256(file)).toBe(before);
  });

  it('refuses a file another instance has open', async () => {
    const file = path.join(tmp(), 'busy.powermap');
    const first = await createMapFile(file);
    await expect(openMapFile(file)).rejects.toThrowError(expect.objectContaining({ code: 'LOCKED' }));
    await first.close();
    await (await openMapFile(file)).close();
  });

  it('reports a missing file as FILE_NOT_FOUND', async () => {
    await expect(openMapFile(path.join(tmp(), 'nope.powermap'))).rejects.toThrowError(
      expect.objectContaining({ code: 'FILE_NOT_FOUND' }),
    );
  });
});

describe('edits and undo', () => {
  it('undoes and redoes every kind of edit, durably', async () => {
    const file = path.join(tmp(), 'u.powermap');
    const s = await createMapFile(file);
    const a = (await createPerson(s, { name: 'Ava Chen', attitude: 'champion' })).people![0]!.id;
    const b = (await createPerson(s, { name: 'Bo Li' })).people![0]!.id;
    const rel = (await createRelation(s, { kind: 'conflict', source: a, target: b, note: 'old feud' })).relations![0]!.id;
    const m = (await createMember(s, { name: 'Rep One', role: 'account manager' })).team![0]!.id;
    await setCoverage(s, m, a, 3);
    await updatePerson(s, a, { attitude: 'opponent' });
    expect((await person(s, a))!.attitude).toBe('opponent');

    // Deleting a person takes their relations and coverage with them, and undo brings all back.
    const del = await deletePerson(s, a);
    expect(del.deleted?.people).toEqual([a]);
    expect(del.deleted?.relations).toEqual([rel]);
    expect(await relations(s)).toHaveLength(0);
    expect(await coverage(s)).toHaveLength(0);
    const back = await s.undo();
    expect(back.people?.map((p) => p.id)).toEqual([a]);
    expect((await relation(s, rel))?.note).toBe('old feud');
    expect(await coverage(s)).toEqual([{ memberId: m, personId: a, strength: 3 }]);

    await s.undo(); // the attitude change
    expect((await person(s, a))!.attitude).toBe('champion');
    expect(await s.history()).toMatchObject({ canUndo: true, canRedo: true });
    await s.close();

    // Undo and redo are themselves durable: reopen and redo.
    const s2 = await openMapFile(file);
    expect((await person(s2, a))!.attitude).toBe('champion');
    await s2.redo();
    expect((await person(s2, a))!.attitude).toBe('opponent');
    // A new edit drops the redo tail.
    await updatePerson(s2, b, { influence: 'high' });
    expect((await s2.history()).canRedo).toBe(false);
    await s2.close();
  });

  it('keeps one reporting line per person, refuses loops, self-loops and duplicates', async () => {
    const s = await createMapFile(path.join(tmp(), 'r.powermap'));
    const ids: string[] = [];
    for (const n of ['A', 'B', 'C']) ids.push((await createPerson(s, { name: n })).people![0]!.id);
    const [a, b, c] = ids as [string, string, string];
    await createRelation(s, { kind: 'reports_to', source: a, target: b });
    const moved = await createRelation(s, { kind: 'reports_to', source: a, target: c });
    expect(moved.deleted?.relations).toHaveLength(1);
    expect((await relations(s)).filter((r) => r.kind === 'reports_to')).toEqual([expect.objectContaining({ source: a, target: c })]);
    await expect(createRelation(s, { kind: 'reports_to', source: c, target: a })).rejects.toThrowError(
      expect.objectContaining({ code: 'INVALID_EDIT' }),
    );
    await expect(createRelation(s, { kind: 'alliance', source: a, target: a })).rejects.toThrowError(
      expect.objectContaining({ code: 'INVALID_EDIT' }),
    );
    await createRelation(s, { kind: 'alliance', source: a, target: b });
    await expect(createRelation(s, { kind: 'alliance', source: b, target: a })).rejects.toThrowError(
      expect.objectContaining({ code: 'INVALID_EDIT' }),
    );
    await expect(createRelation(s, { kind: 'influence', source: a, target: 'p_missing' })).rejects.toThrowError(
      expect.objectContaining({ code: 'NOT_FOUND' }),
    );
    await s.close();
  });

  it('keeps the personal profile apart and drops it with the person', async () => {
    const file = path.join(tmp(), 'p.powermap');
    const s = await createMapFile(file);
    const a = (await createPerson(s, { name: 'Ava' })).people![0]!.id;
    await updateProfile(s, a, { hometown: 'Harbourtown', children: 'a daughter at university' });
    expect(await profile(s, a)).toMatchObject({ hometown: 'Harbourtown', children: 'a daughter at university', pets: '' });
    expect(JSON.stringify(await documentOf(s))).not.toContain('Harbourtown');
    await deletePerson(s, a);
    await s.close();
    expect(onDisk(file, 'SELECT count(*) AS n FROM profile')).toEqual([{ n: 0 }]);
  });
});
