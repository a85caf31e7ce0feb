import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { APPLICATION_ID } from '../../storage/sqlite/file-check';
import { createMapFile, openMapFile } from '../../services/map/files';
import { coverage, meta, people, profile, relations } from '../../services/map/read';
import { createPerson } from '../../services/map/rules';
import { migration0001 } from '../../storage/sqlite/migrations/0001-initial';
import { LATEST_VERSION } from '../../storage/sqlite/migrations';
import { createInteraction, listInteractions } from '../../services/time/log';
import { createSnapshot, listSnapshots } from '../../services/time/snapshots';
import { peek } from '../helpers/map';
import { useTmpDir } from '../helpers/tmp';

const tmp = useTmpDir();

/** A map file exactly as PowerMap wrote it at file version 1 (schema 0001 only), with some data. */
function makeVersion1File(file: string): void {
  const db = new Database(file);
  db.pragma(`application_id = ${APPLICATION_ID}`);
  db.transaction(() => {
    migration0001.up(db);
    db.pragma('user_version = 1');
  })();
  const t = '2024-05-01T08:00:00.000Z';
  db.prepare(
    `INSERT INTO map_meta (id, account, deal, stage, posture, incumbent, competitors, budget, timeline, notes, created_at)
     VALUES (1, 'Riverside power bureau', 'Rural grid upgrade', 'tender', 'comparator', 0, '["Rival Systems"]', '', '', '', ?)`,
  ).run(t);
  const person = db.prepare(
    `INSERT INTO person (id, name, title, department, roles, influence, attitude, last_contact, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  person.run('p_chief', 'Gao Wenbo', 'Bureau chief', 'Head office', '["decision-maker"]', 'high', 'neutral', null, t, t);
  person.run('p_user', 'Lin Xiaoyu', 'Head', 'Power-use department', '["user"]', 'medium', 'supporter', '2024-04-20', t, t);
  db.prepare(`INSERT INTO relation (id, kind, source, target, strength, note) VALUES ('r_1', 'reports_to', 'p_user', 'p_chief', 2, '')`).run();
  db.prepare(`INSERT INTO member (id, name, role) VALUES ('m_rep', 'Rep Zhou', 'account manager')`).run();
  db.prepare(`INSERT INTO coverage (member_id, person_id, strength) VALUES ('m_rep', 'p_user', 3)`).run();
  db.prepare(`INSERT INTO profile (person_id, data) VALUES ('p_user', '{"children":"a daughter studying in the capital"}')`).run();
  db.pragma('journal_mode = WAL');
  db.close();
}

describe('migration 0002 (time)', () => {
  it('migrates a version-1 file: backup first, data kept, new tables usable', async () => {
    const dir = tmp();
    const file = path.join(dir, 'bureau.powermap');
    makeVersion1File(file);
    expect(LATEST_VERSION).toBeGreaterThanOrEqual(2);

    const store = await openMapFile(file);
    try {
      expect(store.location.version).toBe(LATEST_VERSION);
      // Data kept.
      expect(await meta(store)).toMatchObject({ account: 'Riverside power bureau', deal: 'Rural grid upgrade', stage: 'tender', competitors: ['Rival Systems'] });
      expect((await people(store)).map((p) => [p.id, p.name, p.lastContact])).toEqual([
        ['p_chief', 'Gao Wenbo', null],
        ['p_user', 'Lin Xiaoyu', '2024-04-20'],
      ]);
      // Migrated on to the latest version: the line is kept, its evidence unverified (migration 0004).
      expect(await relations(store)).toEqual([
        { id: 'r_1', kind: 'reports_to', source: 'p_user', target: 'p_chief', strength: 2, note: '', evidence: expect.objectContaining({ source: null, verifiedAt: null }) },
      ]);
      expect(await coverage(store)).toEqual([{ memberId: 'm_rep', personId: 'p_user', strength: 3 }]);
      expect((await profile(store, 'p_user')).children).toBe('a daughter studying in the capital');

      // The new tables work: a snapshot, and a logged meeting that moves last contact.
      expect((await createSnapshot(store, 'after upgrade')).people).toBe(2);
      const { change } = await createInteraction(store, { personId: 'p_user', date: '2024-05-02', kind: 'meeting', attendees: ['m_rep'] });
      expect(change.people?.[0]?.lastContact).toBe('2024-05-02');
      expect(await listInteractions(store)).toHaveLength(1);
      expect(await listSnapshots(store)).toHaveLength(1);
    } finally {
      await store.close();
    }
    // The new tables are in the file.
    const tables = peek<{ name: string }>(file, "SELECT name FROM sqlite_master WHERE type = 'table'").map((r) => r.name);
    expect(tables).toEqual(expect.arrayContaining(['snapshot', 'interaction', 'trip', 'time_setting']));

    // The backup is the untouched version-1 file.
    const bak = `${file}.v1.bak`;
    expect(fs.existsSync(bak)).toBe(true);
    const old = new Database(bak, { readonly: true, fileMustExist: true });
    try {
      expect(old.pragma('user_version', { simple: true })).toBe(1);
      expect(old.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
      expect((old.prepare('SELECT count(*) AS n FROM person').get() as { n: number }).n).toBe(2);
      expect(old.prepare("SELECT name FROM sqlite_master WHERE name = 'snapshot'").get()).toBeUndefined();
    } finally {
      old.close();
    }

    // Opening again does not migrate (or back up) a second time.
    fs.rmSync(bak);
    await (await openMapFile(file)).close();
    expect(fs.existsSync(bak)).toBe(false);
  });

  it('refuses a bad interaction or trip at the schema level too', async () => {
    // Rows written straight through the store's door, past every check of the services: the
    // schema itself refuses them, on the store's own connection (foreign keys on).
    const file = path.join(tmp(), 'm.powermap');
    const store = await createMapFile(file);
    try {
      const pid = (await createPerson(store, { name: 'Gao Wenbo' })).people![0]!.id;
      const t = '2025-01-01T00:00:00Z';
      const put = (table: 'trip' | 'interaction', row: Record<string, string>) => store.edit('raw', (tx) => tx.put(table, row));
      await expect(
        put('trip', { id: 't1', person_id: pid, place: 'Beijing', date_from: '2025-03-05', date_to: '2025-03-01', created_at: t }),
      ).rejects.toThrow(/CHECK/);
      await expect(put('interaction', { id: 'i1', person_id: 'nobody', date: '2025-03-05', kind: 'meeting', created_at: t })).rejects.toThrow(
        /FOREIGN KEY/,
      );
      await expect(put('interaction', { id: 'i1', person_id: pid, date: 'yesterday', kind: 'meeting', created_at: t })).rejects.toThrow(/CHECK/);
      expect(await store.rows('trip')).toEqual([]);
      expect(await store.rows('interaction')).toEqual([]);
    } finally {
      await store.close();
    }
  });
});
