/**
 * The store's edit path after the edit-latency work (docs/PERFORMANCE.md, "Storage"): what it
 * remembers between edits (revision, history, undo-log size) stays true whatever else writes to
 * the file, the undo log keeps its 500 steps, and a rolled-back edit leaves nothing behind.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MapStore, REV_SQL, UNDO_LIMIT, UNDO_TRIM_SLACK } from '../../electron/core/store/map-store';
import { useTmpDir } from '../helpers/tmp';

const tmp = useTmpDir();

function fresh(): { s: MapStore; a: string; b: string } {
  const s = MapStore.create(path.join(tmp(), 'm.powermap'));
  const a = s.createPerson({ id: 'a', name: 'Ava Lind' }).people![0]!.id;
  const b = s.createPerson({ id: 'b', name: 'Bo Stroud' }).people![0]!.id;
  return { s, a, b };
}

describe('the edit path', () => {
  it('counts the revision up by one per edit, undo and redo, also across reopening', () => {
    const { s, a } = fresh();
    const r0 = s.rev();
    const c1 = s.updatePerson(a, { title: 'CIO' });
    expect(c1.rev).toBe(r0 + 1);
    expect(s.undo().rev).toBe(r0 + 2);
    expect(s.redo().rev).toBe(r0 + 3);
    expect(s.updatePerson(a, { title: 'CTO' }).rev).toBe(r0 + 4);
    const file = s.file;
    s.close();
    const again = MapStore.open(file);
    expect(again.rev()).toBe(r0 + 4);
    expect(again.updatePerson(a, { title: 'CEO' }).rev).toBe(r0 + 5);
    again.close();
  });

  it('keeps history and revision right when something else writes to the file', () => {
    const { s, a } = fresh();
    s.updatePerson(a, { title: 'CIO' });
    expect(s.history()).toMatchObject({ canUndo: true, undoLabel: { key: 'person.edit', params: { name: 'Ava Lind' } } });
    // Behind the store's back: the log emptied, the revision moved.
    s.db.prepare('DELETE FROM undo_log').run();
    s.db.prepare('UPDATE doc_state SET rev = rev + 100').run();
    expect(s.history()).toEqual({ canUndo: false, canRedo: false, undoLabel: null, redoLabel: null });
    const rev = s.rev();
    const c = s.updatePerson(a, { title: 'CTO' });
    expect(c.rev).toBe(rev + 1);
    expect(c.history).toMatchObject({ canUndo: true, canRedo: false });
    s.close();
  });

  it('drops the redo steps on a new edit, and only then', () => {
    const { s, a, b } = fresh();
    s.updatePerson(a, { title: 'one' });
    s.updatePerson(a, { title: 'two' });
    s.undo();
    expect(s.history()).toMatchObject({ canRedo: true, redoLabel: { key: 'person.edit', params: { name: 'Ava Lind' } } });
    const c = s.updatePerson(b, { title: 'three' });
    expect(c.history.canRedo).toBe(false);
    expect(s.redo().people).toBeUndefined(); // nothing to redo
    expect(s.person(a)!.title).toBe('one');
    s.close();
  });

  it(`keeps at least ${UNDO_LIMIT} undo steps and trims the log in batches`, () => {
    const { s, a } = fresh();
    const n = UNDO_LIMIT + UNDO_TRIM_SLACK + 30;
    for (let i = 0; i < n; i++) s.updatePerson(a, { title: `t${i}` });
    const rows = s.db.prepare('SELECT count(*) FROM undo_log').pluck().get() as number;
    expect(rows).toBeGreaterThanOrEqual(UNDO_LIMIT);
    expect(rows).toBeLessThan(UNDO_LIMIT + UNDO_TRIM_SLACK);
    for (let i = 0; i < UNDO_LIMIT; i++) s.undo();
    expect(s.person(a)!.title).toBe(`t${n - 1 - UNDO_LIMIT}`);
    s.close();
  });

  it('leaves no trace of an edit that failed, or of one inside a transaction that rolled back', () => {
    const { s, a, b } = fresh();
    const rev = s.rev();
    const hist = s.history();
    // A rule broken half-way through: the whole edit is rolled back.
    expect(() =>
      s.edit('Two changes', (w) => {
        w.put('person', { ...(s.db.prepare('SELECT * FROM person WHERE id = ?').get(a) as object), title: 'half' } as never);
        w.put('relation', { id: 'r1', kind: 'reports_to', source: a, target: a, strength: 2, note: '' });
      }),
    ).toThrow();
    expect(s.person(a)!.title).toBe('');
    expect([s.rev(), s.history()]).toEqual([rev, hist]);
    // An edit inside someone's transaction that is then rolled back.
    expect(() =>
      s.db.transaction(() => {
        s.updatePerson(b, { title: 'rolled back' });
        throw new Error('abandon');
      })(),
    ).toThrow('abandon');
    expect(s.person(b)!.title).toBe('');
    expect([s.rev(), s.history()]).toEqual([rev, hist]);
    expect(s.updatePerson(b, { title: 'kept' }).rev).toBe(rev + 1);
    s.close();
  });

  it('writes only what changed and returns the stored row', () => {
    const { s, a } = fresh();
    const c = s.updatePerson(a, { roles: ['coach', 'technical'], servesOrg: true, level: 'management' });
    expect(c.people![0]).toEqual(s.person(a));
    expect(s.person(a)).toMatchObject({ roles: ['coach', 'technical'], servesOrg: true, level: 'management', name: 'Ava Lind' });
    s.undo();
    expect(s.person(a)).toMatchObject({ roles: [], servesOrg: false, level: null });
    s.close();
  });

  it('keeps the revision rising when the newest undo steps are deleted, as the file records it', () => {
    const { s, a } = fresh();
    const fromFile = () => (s.db.prepare(REV_SQL).get() as { rev: number }).rev;
    const revs = [s.rev()];
    for (const t of ['one', 'two', 'three']) revs.push(s.updatePerson(a, { title: t }).rev);
    revs.push(s.undo().rev, s.undo().rev);
    // The new edit deletes the two redo steps, the newest rows of the log, then adds one.
    revs.push(s.updatePerson(a, { title: 'four' }).rev);
    for (let i = 1; i < revs.length; i++) expect(revs[i]).toBe(revs[i - 1]! + 1);
    expect(fromFile()).toBe(revs.at(-1));
    // Deleting the newest steps behind the store's back (a purge does) never lowers it either.
    s.db.prepare('DELETE FROM undo_log WHERE seq >= (SELECT max(seq) - 1 FROM undo_log)').run();
    expect(fromFile()).toBe(revs.at(-1));
    s.db.prepare('DELETE FROM undo_log').run();
    expect(fromFile()).toBe(revs.at(-1));
    expect(s.updatePerson(a, { title: 'five' }).rev).toBe(revs.at(-1)! + 1);
    s.close();
  });

  it('stores only what an update changed in the undo log; undo and redo give whole rows back', () => {
    const { s, a, b } = fresh();
    const notes = 'Prefers written briefs; long-standing ties to the incumbent.';
    s.updatePerson(a, { notes, department: 'IT centre' });
    s.createRelation({ id: 'r', kind: 'influence', source: a, target: b });
    s.updatePerson(a, { title: 'CIO' });
    const last = () => JSON.parse(s.db.prepare('SELECT changes FROM undo_log ORDER BY seq DESC LIMIT 1').pluck().get() as string);
    const images = last();
    expect(images).toHaveLength(1);
    expect(Object.keys(images[0].b).sort()).toEqual(['id', 'title', 'updated_at']);
    expect(images[0].a.title).toBe('CIO');
    expect(JSON.stringify(images)).not.toContain(notes);
    // A relation's images always name whom it connects (a purge looks for them).
    s.updateRelation('r', { strength: 3 });
    expect(last()[0].b).toEqual({ id: 'r', source: a, target: b, strength: 2 });
    s.undo();
    const back = s.undo();
    expect(back.people![0]).toEqual({ ...s.person(a)!, title: '' });
    expect(back.people![0]).toMatchObject({ notes, department: 'IT centre' });
    expect(s.redo().people![0]).toMatchObject({ title: 'CIO', notes, department: 'IT centre' });
    expect(s.redo().relations![0]).toEqual({ id: 'r', kind: 'influence', source: a, target: b, strength: 3, note: '' });
    s.close();
  });

  it('never trusts a remembered row once something else wrote to the file', () => {
    const { s, a } = fresh();
    s.updatePerson(a, { title: 'A' });
    s.updatePerson(a, { department: 'Risk' }); // the row is now remembered
    s.db.prepare("UPDATE person SET title = 'X' WHERE id = ?").run(a);
    // Were the remembered title ('A') used as the before image, this edit would look like no
    // change and leave 'X' in the file.
    s.updatePerson(a, { title: 'A' });
    expect(s.person(a)!.title).toBe('A');
    s.undo();
    expect(s.person(a)!.title).toBe('X');
    // The same after undo and redo, which write around the edit path.
    s.redo();
    s.updatePerson(a, { title: 'X' });
    expect(s.person(a)!.title).toBe('X');
    s.undo();
    s.undo();
    expect(s.person(a)!.title).toBe('X');
    s.updatePerson(a, { title: 'Y' });
    expect(s.person(a)).toMatchObject({ title: 'Y', department: 'Risk' });
    s.close();
  });
});
