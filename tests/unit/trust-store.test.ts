/**
 * The store's edit path after the edit-latency work (docs/PERFORMANCE.md, "Storage"): what it
 * remembers between edits (revision, history, undo-log size) stays true whatever else writes to
 * the file, the undo log keeps its 500 steps, and a rolled-back edit leaves nothing behind.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MapStore, UNDO_LIMIT, UNDO_TRIM_SLACK } from '../../electron/core/store/map-store';
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
    expect(s.history()).toMatchObject({ canUndo: true, undoLabel: 'Edit Ava Lind' });
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
    expect(s.history()).toMatchObject({ canRedo: true, redoLabel: 'Edit Ava Lind' });
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
});
