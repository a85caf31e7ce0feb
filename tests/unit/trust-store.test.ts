/**
 * The store's edit path after the edit-latency work (docs/PERFORMANCE.md, "Storage"): what it
 * remembers between edits (revision, history, undo-log size, rows) stays true whatever else writes
 * to the file, the undo log keeps its 500 steps, and a rolled-back edit leaves nothing behind.
 *
 * Nothing outside storage/ can write to an open map behind the store's back any more (its database
 * handle is not reachable); what can write around the edit path are the store's own other doors —
 * undo and redo, erasure (purge), loads, positions, settings and snapshots — so those are what
 * these tests drive before checking the next edit's revision and undo image.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createMapFile, openMapFile } from '../../services/map/files';
import { person } from '../../services/map/read';
import { createPerson, createRelation, updatePerson, updateRelation } from '../../services/map/rules';
import { createSnapshot } from '../../services/time/snapshots';
import { REV_SQL, UNDO_LIMIT, UNDO_TRIM_SLACK } from '../../storage/sqlite/journal';
import type { SqliteMapStore } from '../../storage/sqlite/store';
import type { RowChange } from '../../storage/types';
import { peekOne } from '../helpers/map';
import { useTmpDir } from '../helpers/tmp';

const tmp = useTmpDir();

async function fresh(): Promise<{ s: SqliteMapStore; a: string; b: string; file: string }> {
  const file = path.join(tmp(), 'm.powermap');
  const s = await createMapFile(file);
  const a = (await createPerson(s, { id: 'a', name: 'Ava Lind' })).people![0]!.id;
  const b = (await createPerson(s, { id: 'b', name: 'Bo Stroud' })).people![0]!.id;
  return { s, a, b, file };
}

const title = async (s: SqliteMapStore, id: string) => (await person(s, id))!.title;
/** The row images of the newest undo step. */
const lastStep = async (s: SqliteMapStore): Promise<RowChange[]> => (await s.undoSteps()).at(-1)!.changes;

describe('the edit path', () => {
  it('counts the revision up by one per edit, undo and redo, also across reopening', async () => {
    const { s, a, file } = await fresh();
    const r0 = await s.rev();
    const c1 = await updatePerson(s, a, { title: 'CIO' });
    expect(c1.rev).toBe(r0 + 1);
    expect((await s.undo()).rev).toBe(r0 + 2);
    expect((await s.redo()).rev).toBe(r0 + 3);
    expect((await updatePerson(s, a, { title: 'CTO' })).rev).toBe(r0 + 4);
    expect(s.location.path).toBe(file);
    await s.close();
    const again = await openMapFile(file);
    expect(await again.rev()).toBe(r0 + 4);
    expect((await updatePerson(again, a, { title: 'CEO' })).rev).toBe(r0 + 5);
    await again.close();
  });

  it('keeps history and revision right when an erasure rewrites the undo log and moves the revision', async () => {
    const { s, a } = await fresh();
    await updatePerson(s, a, { title: 'CIO' });
    expect(await s.history()).toMatchObject({ canUndo: true, undoLabel: { key: 'person.edit', params: { name: 'Ava Lind' } } });
    const before = await s.rev();
    // Around the edit path: the log emptied, the revision moved (as a purge does).
    await s.erase(async (tx) => {
      for (const e of await tx.undoSteps()) await tx.rewriteUndoStep(e.seq, e.label, null);
      for (let i = 0; i < 100; i++) await tx.bumpRev();
    });
    expect(await s.history()).toEqual({ canUndo: false, canRedo: false, undoLabel: null, redoLabel: null });
    const rev = await s.rev();
    expect(rev).toBe(before + 100);
    const c = await updatePerson(s, a, { title: 'CTO' });
    expect(c.rev).toBe(rev + 1);
    expect(c.history).toMatchObject({ canUndo: true, canRedo: false });
    await s.close();
  });

  it('keeps every edit’s revision and undo image right after each write that goes around the edit path', async () => {
    const { s, a, b } = await fresh();
    await updatePerson(s, a, { department: 'Risk' }); // the row is now remembered (and undone first below)
    const around: [string, number, () => Promise<unknown>][] = [
      ['undo', 1, () => s.undo()],
      ['undo and redo', 2, async () => (await s.undo()) && s.redo()],
      ['positions', 0, () => s.setPositions('org', [{ id: a, x: 1, y: 2, pinned: true }])],
      ['cleared positions', 0, () => s.clearPositions('org')],
      ['settings', 0, () => s.putSettings({ horizonDays: '30' })],
      ['a snapshot', 0, () => createSnapshot(s, 'now')],
      [
        'a load',
        1,
        async () => s.load({ rows: [{ t: 'person', row: { ...(await s.row('person', { id: a }))!, title: 'loaded' } }] }),
      ],
      ['an erasure', 1, () => s.erase(async (tx) => tx.bumpRev())],
      ['a failed edit', 0, () => expect(createRelation(s, { kind: 'influence', source: a, target: 'nobody' })).rejects.toThrow()],
    ];
    for (const [i, [what, bump, write]] of around.entries()) {
      const rev = await s.rev();
      await write();
      expect(await s.rev(), what).toBe(rev + bump);
      const prior = (await person(s, a))!;
      const was = prior.title;
      const c = await updatePerson(s, a, { title: `after ${what}` });
      expect(c.rev, what).toBe(rev + bump + 1);
      expect(c.history, what).toMatchObject({ canUndo: true, canRedo: false, undoLabel: { key: 'person.edit', params: { name: 'Ava Lind' } } });
      const [img] = await lastStep(s);
      expect(img!.b, what).toMatchObject({ id: a, title: was });
      expect(img!.a, what).toMatchObject({ id: a, title: `after ${what}` });
      // Undone, the title is what it was before this edit (not what an earlier one remembered).
      await s.undo();
      expect(await title(s, a), what).toBe(was);
      await s.redo();
      expect(await person(s, a), what).toEqual({ ...prior, title: `after ${what}` });
      // The other person, untouched by the edit, is as it was.
      expect(await title(s, b), `${what} (${i})`).toBe('');
    }
    await s.close();
  });

  it('drops the redo steps on a new edit, and only then', async () => {
    const { s, a, b } = await fresh();
    await updatePerson(s, a, { title: 'one' });
    await updatePerson(s, a, { title: 'two' });
    await s.undo();
    expect(await s.history()).toMatchObject({ canRedo: true, redoLabel: { key: 'person.edit', params: { name: 'Ava Lind' } } });
    const c = await updatePerson(s, b, { title: 'three' });
    expect(c.history.canRedo).toBe(false);
    expect((await s.redo()).people).toBeUndefined(); // nothing to redo
    expect(await title(s, a)).toBe('one');
    await s.close();
  });

  it(`keeps at least ${UNDO_LIMIT} undo steps and trims the log in batches`, async () => {
    const { s, a } = await fresh();
    const n = UNDO_LIMIT + UNDO_TRIM_SLACK + 30;
    for (let i = 0; i < n; i++) await updatePerson(s, a, { title: `t${i}` });
    const rows = (await s.undoSteps()).length;
    expect(rows).toBeGreaterThanOrEqual(UNDO_LIMIT);
    expect(rows).toBeLessThan(UNDO_LIMIT + UNDO_TRIM_SLACK);
    for (let i = 0; i < UNDO_LIMIT; i++) await s.undo();
    expect(await title(s, a)).toBe(`t${n - 1 - UNDO_LIMIT}`);
    await s.close();
  });

  it('leaves no trace of an edit that failed, or of one that threw after writing', async () => {
    const { s, a, b } = await fresh();
    const rev = await s.rev();
    const hist = await s.history();
    const steps = (await s.undoSteps()).length;
    // A rule broken half-way through (the schema refuses a self-relation): the whole edit is rolled back.
    await expect(
      s.edit('Two changes', async (w) => {
        await w.put('person', { ...(await w.row('person', { id: a }))!, title: 'half' });
        await w.put('relation', { id: 'r1', kind: 'reports_to', source: a, target: a, strength: 2, note: '' });
      }),
    ).rejects.toThrow(/CHECK/);
    expect(await title(s, a)).toBe('');
    expect([await s.rev(), await s.history()]).toEqual([rev, hist]);
    // An edit abandoned after it wrote (the services throw when a rule fails late).
    await expect(
      s.edit('Abandoned', async (w) => {
        await w.put('person', { ...(await w.row('person', { id: b }))!, title: 'rolled back' });
        throw new Error('abandon');
      }),
    ).rejects.toThrow('abandon');
    expect(await title(s, b)).toBe('');
    expect([await s.rev(), await s.history()]).toEqual([rev, hist]);
    expect(await s.undoSteps()).toHaveLength(steps);
    // The next edit counts on from where the map was, and its undo image is the stored row.
    expect((await updatePerson(s, b, { title: 'kept' })).rev).toBe(rev + 1);
    expect((await lastStep(s))[0]!.b).toMatchObject({ id: b, title: '' });
    await s.close();
  });

  it('writes only what changed and returns the stored row', async () => {
    const { s, a } = await fresh();
    const c = await updatePerson(s, a, { roles: ['coach', 'technical'], servesOrg: true, level: 'management' });
    expect(c.people![0]).toEqual(await person(s, a));
    expect(await person(s, a)).toMatchObject({ roles: ['coach', 'technical'], servesOrg: true, level: 'management', name: 'Ava Lind' });
    await s.undo();
    expect(await person(s, a)).toMatchObject({ roles: [], servesOrg: false, level: null });
    await s.close();
  });

  it('keeps the revision rising when the newest undo steps are deleted, as the file records it', async () => {
    const fr = await fresh();
    let s = fr.s;
    const { a, file } = fr;
    /** The revision as the file records it: read with a connection of its own while the map is closed. */
    const fromFile = async () => {
      const live = await s.rev();
      await s.close();
      const rev = peekOne<{ rev: number }>(file, REV_SQL)!.rev;
      s = await openMapFile(file);
      expect(await s.rev()).toBe(rev);
      expect(live).toBe(rev);
      return rev;
    };
    const revs = [await s.rev()];
    for (const t of ['one', 'two', 'three']) revs.push((await updatePerson(s, a, { title: t })).rev);
    revs.push((await s.undo()).rev, (await s.undo()).rev);
    // The new edit deletes the two redo steps, the newest rows of the log, then adds one.
    revs.push((await updatePerson(s, a, { title: 'four' })).rev);
    for (let i = 1; i < revs.length; i++) expect(revs[i]).toBe(revs[i - 1]! + 1);
    expect(await fromFile()).toBe(revs.at(-1));
    // Deleting the newest steps (a purge does, through an erasure) never lowers it either.
    await s.erase(async (tx) => {
      for (const e of (await tx.undoSteps()).slice(-2)) await tx.rewriteUndoStep(e.seq, e.label, null);
    });
    expect(await fromFile()).toBe(revs.at(-1));
    await s.erase(async (tx) => {
      for (const e of await tx.undoSteps()) await tx.rewriteUndoStep(e.seq, e.label, null);
    });
    expect(await s.undoSteps()).toEqual([]);
    expect(await fromFile()).toBe(revs.at(-1));
    expect((await updatePerson(s, a, { title: 'five' })).rev).toBe(revs.at(-1)! + 1);
    await s.close();
  });

  it('stores only what an update changed in the undo log; undo and redo give whole rows back', async () => {
    const { s, a, b } = await fresh();
    const notes = 'Prefers written briefs; long-standing ties to the incumbent.';
    await updatePerson(s, a, { notes, department: 'IT centre' });
    await createRelation(s, { id: 'r', kind: 'influence', source: a, target: b });
    await updatePerson(s, a, { title: 'CIO' });
    const images = await lastStep(s);
    expect(images).toHaveLength(1);
    expect(Object.keys(images[0]!.b!).sort()).toEqual(['id', 'title', 'updated_at']);
    expect(images[0]!.a!.title).toBe('CIO');
    expect(JSON.stringify(images)).not.toContain(notes);
    // A relation's images always name whom it connects (a purge looks for them).
    await updateRelation(s, 'r', { strength: 3 });
    // The update also stamps the relation's evidence (issue 20): its image is the other changed column.
    const rel = (await lastStep(s))[0]!.b!;
    expect(Object.keys(rel).sort()).toEqual(['evidence', 'id', 'source', 'strength', 'target']);
    expect(rel).toMatchObject({ id: 'r', source: a, target: b, strength: 2 });
    await s.undo();
    const back = await s.undo();
    expect(back.people![0]).toEqual({ ...(await person(s, a))!, title: '' });
    expect(back.people![0]).toMatchObject({ notes, department: 'IT centre' });
    expect((await s.redo()).people![0]).toMatchObject({ title: 'CIO', notes, department: 'IT centre' });
    expect((await s.redo()).relations![0]).toMatchObject({ id: 'r', kind: 'influence', source: a, target: b, strength: 3, note: '' });
    await s.close();
  });

  it('never trusts a remembered row once something else wrote to the file', async () => {
    const { s, a, b } = await fresh();
    await updatePerson(s, a, { title: 'A' });
    await updatePerson(s, a, { department: 'Risk' }); // the row is now remembered
    // Around the edit path: a load writes the person's row (not recorded for undo).
    await s.load({ rows: [{ t: 'person', row: { ...(await s.row('person', { id: a }))!, title: 'X' } }] });
    // Were the remembered title ('A') used as the before image, this edit would look like no
    // change and leave 'X' in the file.
    await updatePerson(s, a, { title: 'A' });
    expect(await title(s, a)).toBe('A');
    await s.undo();
    expect(await title(s, a)).toBe('X');
    // The same after undo and redo, which write around the edit path.
    await s.redo();
    await updatePerson(s, a, { title: 'X' });
    expect(await title(s, a)).toBe('X');
    await s.undo();
    await s.undo();
    expect(await title(s, a)).toBe('X');
    await updatePerson(s, a, { title: 'Y' });
    expect(await person(s, a)).toMatchObject({ title: 'Y', department: 'Risk' });
    // An erasure deletes a remembered row: the id is free again, and a new person may take it.
    await updatePerson(s, b, { title: 'remembered' });
    await s.erase(async (tx) => {
      await tx.deleteRows('person', { id: b });
    });
    expect(await person(s, b)).toBeNull();
    const c = await createPerson(s, { id: b, name: 'Bea Nyland' });
    expect(c.people![0]).toMatchObject({ id: b, name: 'Bea Nyland', title: '' });
    expect((await lastStep(s))[0]).toMatchObject({ t: 'person', b: null, a: { id: b, name: 'Bea Nyland' } });
    await s.close();
  });
});
