/**
 * Migration 0005 (PostgreSQL 0012): a version-4 map file gains the person's function (NULL:
 * inferred), the ticked next steps and the map's stage weights; its people, meta and undo history
 * are kept, the new fields are usable and undoable at once.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { documentOf } from '../../services/map/read';
import { openMapFile } from '../../services/map/files';
import { tickStep, updatePerson } from '../../services/map/rules';
import { APPLICATION_ID } from '../../storage/sqlite/file-check';
import { LATEST_VERSION, migrateTo } from '../../storage/sqlite/migrations';
import { useTmpDir } from '../helpers/tmp';

const tmp = useTmpDir();
const T = '2025-03-02T09:00:00.000Z';

function makeVersion4File(file: string): void {
  const db = new Database(file);
  db.pragma(`application_id = ${APPLICATION_ID}`);
  migrateTo(db, 4);
  db.prepare(
    `INSERT INTO map_meta (id, account, deal, stage, posture, incumbent, competitors, budget, timeline, notes, created_at)
     VALUES (1, 'Harbour savings bank', 'Core banking', 'tender', 'comparator', 0, '[]', '', '', '', ?)`,
  ).run(T);
  const p = {
    id: 'p_cfo', name: 'Wen Qiaolin', title: 'CFO', department: 'Finance', roles: '["procurement"]', influence: 'high',
    attitude: 'neutral', favours: '', serves_org: 0, personal_bond: 0, level: 'decision', notes: '', last_contact: null, created_at: T, updated_at: T,
  };
  db.prepare(`INSERT INTO person (${Object.keys(p).join(', ')}) VALUES (${Object.keys(p).map((k) => '@' + k).join(', ')})`).run(p);
  db.close();
}

describe('migration 0005 (function, ticked steps, stage weights)', () => {
  it('migrates a version-4 file: backup first, data kept, new fields empty and usable', async () => {
    const file = path.join(tmp(), 'harbour.powermap');
    makeVersion4File(file);
    const store = await openMapFile(file);
    try {
      expect(LATEST_VERSION).toBeGreaterThanOrEqual(5);
      expect(store.location.version).toBe(LATEST_VERSION);
      expect(fs.existsSync(`${file}.v4.bak`)).toBe(true);
      const doc = await documentOf(store);
      expect(doc.people[0]).toMatchObject({ name: 'Wen Qiaolin', level: 'decision', function: null });
      expect(doc.meta).toMatchObject({ account: 'Harbour savings bank', doneSteps: [], stageWeights: null });
      await updatePerson(store, 'p_cfo', { function: 'procurement' });
      await tickStep(store, 'second-contact:p_cfo', true);
      expect((await documentOf(store)).meta.doneSteps).toEqual(['second-contact:p_cfo']);
      await store.undo();
      await store.undo();
      expect((await documentOf(store)).people[0]!.function).toBeNull();
    } finally {
      await store.close();
    }
    // The database refuses a function outside the four.
    const db = new Database(file);
    expect(() => db.prepare("UPDATE person SET fn = 'sales'").run()).toThrow(/CHECK/);
    db.close();
  });
});
