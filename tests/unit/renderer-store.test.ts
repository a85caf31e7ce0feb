import { beforeEach, describe, expect, it } from 'vitest';
import { defaultPersonFields, type MapDocument } from '../../shared/domain';
import { patchDoc, resetStore, useStore } from '../../renderer/src/store';
import { parseQuickAdd } from '../../renderer/src/store/parse';

const history = { canUndo: true, canRedo: false, undoLabel: { key: 'person.edit' as const, params: { name: 'x' } }, redoLabel: null };
const doc = (): MapDocument => ({
  path: '/tmp/x.powermap',
  fileVersion: 1,
  rev: 1,
  meta: { account: 'A', deal: 'D', stage: 'need', posture: 'unknown', incumbent: false, competitors: [], budget: '', timeline: '', notes: '' },
  people: [
    { id: 'a', name: 'Ann', ...defaultPersonFields() },
    { id: 'b', name: 'Bo', ...defaultPersonFields() },
  ],
  relations: [{ id: 'r', kind: 'alliance', source: 'a', target: 'b', strength: 2, note: '' }],
  team: [{ id: 'm', name: 'Me', role: '' }],
  coverage: [{ memberId: 'm', personId: 'a', strength: 2 }],
  positions: { org: [], force: [], grid: [], levels: [] },
  history: { canUndo: false, canRedo: false, undoLabel: null, redoLabel: null },
});

beforeEach(() => resetStore());

describe('renderer store', () => {
  it('patches the document with a Change: updates in place, adds, deletes, keeps order', () => {
    const d = patchDoc(doc(), {
      rev: 2,
      history,
      people: [{ id: 'b', name: 'Bob', ...defaultPersonFields() }, { id: 'c', name: 'Cy', ...defaultPersonFields() }],
      deleted: { relations: ['r'], coverage: [{ memberId: 'm', personId: 'a' }] },
    });
    expect(d.people.map((p) => p.name)).toEqual(['Ann', 'Bob', 'Cy']);
    expect(d.relations).toEqual([]);
    expect(d.coverage).toEqual([]);
    expect(d.rev).toBe(2);
    expect(d.history).toEqual(history);
  });

  it('moves and removes stored positions of the layout a Change names, and only those', () => {
    const start = doc();
    start.positions.org = [
      { id: 'a', x: 0, y: 0, pinned: false },
      { id: 'b', x: 9, y: 9, pinned: true },
    ];
    start.positions.force = [{ id: 'a', x: 5, y: 5, pinned: false }];
    const d = patchDoc(start, {
      rev: 2,
      history,
      positions: [{ layout: 'org', id: 'a', x: 40, y: 90, pinned: true }],
      deleted: { positions: [{ layout: 'org', id: 'b' }] },
    });
    expect(d.positions.org).toEqual([{ id: 'a', x: 40, y: 90, pinned: true }]);
    expect(d.positions.force).toBe(start.positions.force);
    expect(patchDoc(start, { rev: 3, history }).positions).toBe(start.positions);
  });

  it('drops a selection whose element an edit deleted, and resets between tests', () => {
    const s = useStore.getState();
    s.loadDoc(doc());
    s.select({ type: 'person', id: 'b' });
    s.toggleCoaches();
    s.applyChange({ rev: 2, history, deleted: { people: ['b'], relations: ['r'] } });
    expect(useStore.getState().selection).toBeNull();
    expect(useStore.getState().doc!.people.map((p) => p.id)).toEqual(['a']);
    resetStore();
    expect(useStore.getState().doc).toBeNull();
    expect(useStore.getState().showCoaches).toBe(false);
  });

  it('reads a quick-add line as name, title, department (commas or Chinese commas)', () => {
    expect(parseQuickAdd('Ann Lee, CIO, IT centre')).toEqual({ name: 'Ann Lee', title: 'CIO', department: 'IT centre' });
    expect(parseQuickAdd('张伟，信息中心主任，信息中心')).toEqual({ name: '张伟', title: '信息中心主任', department: '信息中心' });
    expect(parseQuickAdd('Solo')).toEqual({ name: 'Solo', title: '', department: '' });
    expect(parseQuickAdd('  , x')).toBeNull();
  });

  it('applies a teammate’s live change, but never over a row an edit of ours wrote at a later revision', () => {
    const s = useStore.getState();
    s.loadDoc(doc());
    // Our edit (rev 5) renames Bo; the stream is behind and still brings someone's rev 4.
    s.applyChange({ rev: 5, history, people: [{ id: 'b', name: 'Bob (ours)', ...defaultPersonFields() }] });
    useStore.getState().applyLive({
      rev: 4,
      people: [
        { id: 'a', name: 'Ann (theirs)', ...defaultPersonFields() },
        { id: 'b', name: 'Bo (older)', ...defaultPersonFields() },
      ],
      deleted: { relations: ['r'] },
    });
    let d = useStore.getState().doc!;
    expect(d.people.map((p) => p.name)).toEqual(['Ann (theirs)', 'Bob (ours)']);
    expect(d.relations).toEqual([]);
    expect(d.rev).toBe(5); // never backwards
    expect(d.history).toEqual(history); // the undo state stays ours
    // A later live change of the same row is applied.
    useStore.getState().applyLive({ rev: 6, people: [{ id: 'b', name: 'Bo (newer)', ...defaultPersonFields() }] });
    d = useStore.getState().doc!;
    expect(d.people.map((p) => p.name)).toEqual(['Ann (theirs)', 'Bo (newer)']);
    expect(d.rev).toBe(6);
    expect(d.history).toEqual(history);
  });
});
