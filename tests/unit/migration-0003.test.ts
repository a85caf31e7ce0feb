/**
 * Migration 0003: the undo log without AUTOINCREMENT. A version-2 file, with undo history written
 * the old way (whole-row images, a counter ahead of the largest seq), keeps its revision, its
 * history and its undo steps.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { APPLICATION_ID } from '../../storage/sqlite/file-check';
import { openMapFile } from '../../services/map/files';
import { updatePerson } from '../../services/map/rules';
import { REV_SQL } from '../../storage/sqlite/journal';
import { LATEST_VERSION } from '../../storage/sqlite/migrations';
import { migration0001 } from '../../storage/sqlite/migrations/0001-initial';
import { migration0002 } from '../../storage/sqlite/migrations/0002-time';
import { peekOne } from '../helpers/map';
import { useTmpDir } from '../helpers/tmp';

const tmp = useTmpDir();
const T = '2025-03-02T09:00:00.000Z';

const personRow = (title: string) => ({
  id: 'p_cfo', name: 'Wen Qiaolin', title, department: 'Finance', roles: '["economic"]', influence: 'high',
  attitude: 'neutral', favours: '', serves_org: 0, personal_bond: 0, level: 'decision', notes: 'Signs off above 2m',
  last_contact: null, created_at: T, updated_at: T,
});

/** A version-2 file as PowerMap wrote it: 5 steps logged, the newest 2 since deleted. */
function makeVersion2File(file: string): void {
  const db = new Database(file);
  db.pragma(`application_id = ${APPLICATION_ID}`);
  db.transaction(() => {
    migration0001.up(db);
    migration0002.up(db);
    db.pragma('user_version = 2');
  })();
  db.prepare(
    `INSERT INTO map_meta (id, account, deal, stage, posture, incumbent, competitors, budget, timeline, notes, created_at)
     VALUES (1, 'Harbour savings bank', 'Core banking', 'tender', 'comparator', 0, '[]', '', '', '', ?)`,
  ).run(T);
  const p = personRow('CFO');
  db.prepare(`INSERT INTO person (${Object.keys(p).join(', ')}) VALUES (${Object.keys(p).map((k) => '@' + k).join(', ')})`).run(p);
  const log = db.prepare('INSERT INTO undo_log (label, changes, undone, at) VALUES (?, ?, 0, ?)');
  // Whole-row images, the format before compact undo records.
  const step = (from: string, to: string) => JSON.stringify([{ t: 'person', b: personRow(from), a: personRow(to) }]);
  log.run('Edit Wen Qiaolin', step('Finance head', 'Deputy CFO'), T);
  log.run('Edit Wen Qiaolin', step('Deputy CFO', 'CFO'), T);
  log.run('Edit Wen Qiaolin', step('CFO', 'CFO'), T);
  log.run('gone', step('CFO', 'CFO'), T);
  log.run('gone', step('CFO', 'CFO'), T);
  db.prepare('DELETE FROM undo_log WHERE seq > 3').run();
  db.prepare('UPDATE doc_state SET rev = 4').run();
  db.pragma('journal_mode = WAL');
  db.close();
}

describe('migration 0003 (undo log without AUTOINCREMENT)', () => {
  it('migrates a version-2 file keeping revision, history and old undo steps', async () => {
    const file = path.join(tmp(), 'harbour.powermap');
    makeVersion2File(file);
    // Before: doc_state.rev 4 + the AUTOINCREMENT counter 5 = revision 9, 3 steps left.
    const store = await openMapFile(file);
    try {
      expect(LATEST_VERSION).toBeGreaterThanOrEqual(3);
      expect(store.location.version).toBe(LATEST_VERSION);
      expect(fs.existsSync(`${file}.v2.bak`)).toBe(true);
      expect(await store.rev()).toBe(9);
      expect(await store.history()).toMatchObject({ canUndo: true, undoLabel: { key: 'person.edit', params: { name: 'Wen Qiaolin' } }, canRedo: false });
      // The old whole-row steps still undo.
      await store.undo();
      const back = await store.undo();
      expect(back.rev).toBe(11);
      expect(back.people![0]).toMatchObject({ title: 'Deputy CFO', notes: 'Signs off above 2m' });
      expect((await store.undo()).people![0]!.title).toBe('Finance head');
      // A new edit drops the 3 redo steps (the newest rows) and still counts up by one.
      expect((await updatePerson(store, 'p_cfo', { title: 'CFO' })).rev).toBe(13);
    } finally {
      await store.close();
    }
    expect(peekOne<{ sql: string }>(file, "SELECT sql FROM sqlite_schema WHERE name = 'undo_log'")!.sql).not.toMatch(/AUTOINCREMENT/i);
    const db = new Database(file, { readonly: true });
    expect((db.prepare(REV_SQL).get() as { rev: number }).rev).toBe(13);
    db.close();
  });
});
