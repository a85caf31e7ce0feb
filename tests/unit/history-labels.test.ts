/**
 * Undo steps named by key and parameters, put into words in the UI language (old files' English
 * phrases read back into keys); the rules an edit breaks as reasons with sentences in both
 * languages; moving people as one undoable step each.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../shared/api/errors';
import { describeError, errorMessage } from '../../shared/i18n/errors';
import { EDIT_LABEL_KEYS, decodeEditLabel, editLabelText, encodeEditLabel, type EditLabel } from '../../shared/i18n/history';
import { createMapFile, openMapFile } from '../../services/map/files';
import { createMember, createPerson, createRelation, movePositions, setCoverage, updatePerson, updateRelation } from '../../services/map/rules';
import { peekOne, writeMapFile } from '../helpers/map';
import { purgePerson } from '../../services/privacy/purge';
import { useTmpDir } from '../helpers/tmp';

const tmp = useTmpDir();

const thrown = async (fn: () => Promise<unknown>): Promise<ApiError> => {
  try {
    await fn();
  } catch (e) {
    if (e instanceof ApiError) return e;
    throw e;
  }
  throw new Error('did not throw');
};

describe('undo labels', () => {
  it('keep key and parameters through the undo log, and read back what earlier versions wrote', () => {
    for (const key of EDIT_LABEL_KEYS) {
      const l: EditLabel = { key, params: { name: '赵丽 "Lily"', a: 'A', b: 'B', count: 3 } };
      expect(decodeEditLabel(encodeEditLabel(l))).toEqual(l);
    }
    expect(decodeEditLabel(encodeEditLabel({ key: 'map.edit' }))).toEqual({ key: 'map.edit' });
    const legacy: [string, EditLabel][] = [
      ['Edit 赵丽', { key: 'person.edit', params: { name: '赵丽' } }],
      ['Add 钱立明', { key: 'person.add', params: { name: '钱立明' } }],
      ['Delete Ava Lind', { key: 'person.delete', params: { name: 'Ava Lind' } }],
      ['Edit map details', { key: 'map.edit' }],
      ['Connect 赵丽 and 钱立明', { key: 'relation.add', params: { a: '赵丽', b: '钱立明' } }],
      ['Delete relation', { key: 'relation.delete' }],
      ['Add Lin Xiaowen to our team', { key: 'member.add', params: { name: 'Lin Xiaowen' } }],
      ['Lin Xiaowen no longer covers 赵丽', { key: 'coverage.remove', params: { member: 'Lin Xiaowen', person: '赵丽' } }],
      ['Lin Xiaowen covers 赵丽', { key: 'coverage.set', params: { member: 'Lin Xiaowen', person: '赵丽' } }],
      ['Edit personal details of 赵丽', { key: 'profile.edit', params: { name: '赵丽' } }],
      ['Restore snapshot “before tender”', { key: 'snapshot.restore', params: { name: 'before tender' } }],
      ['Log call with Gao Wenbo', { key: 'contact.add', params: { kind: 'call', name: 'Gao Wenbo' } }],
      ['Log contact with Gao Wenbo', { key: 'contact.add', params: { kind: 'other', name: 'Gao Wenbo' } }],
      ['Add trip of 赵丽 to Shanghai', { key: 'trip.add', params: { name: '赵丽', place: 'Shanghai' } }],
      ['Something a plug-in wrote', { key: 'text', params: { text: 'Something a plug-in wrote' } }],
      ['{not json', { key: 'text', params: { text: '{not json' } }],
    ];
    for (const [text, label] of legacy) expect(decodeEditLabel(text), text).toEqual(label);
  });

  it('read in Chinese with the names as they are, and an erased name in the UI language', () => {
    expect(editLabelText(decodeEditLabel('Edit 赵丽'), 'zh-CN')).toBe('编辑 赵丽');
    expect(editLabelText({ key: 'relation.add', params: { a: '赵丽', b: '钱立明' } }, 'zh-CN')).toBe('连线 赵丽 与 钱立明');
    expect(editLabelText({ key: 'positions.move', params: { name: '赵丽', layout: 'org' } }, 'en-US')).toBe('Move 赵丽 in the org chart');
    expect(editLabelText({ key: 'positions.move', params: { name: '赵丽', layout: 'grid' } }, 'zh-CN')).toBe('移动 赵丽（权力矩阵）');
    expect(editLabelText({ key: 'positions.move', params: { count: 3 } }, 'zh-CN')).toBe('移动 3 人');
    expect(editLabelText({ key: 'contact.add', params: { kind: 'call', name: '赵丽' } }, 'zh-CN')).toBe('记录与 赵丽 的电话');
    expect(editLabelText({ key: 'person.edit', params: { name: '(erased)' } }, 'zh-CN')).toBe('编辑 （已抹除）');
    expect(editLabelText({ key: 'text', params: { text: 'Older words' } }, 'zh-CN')).toBe('Older words');
  });

  it('are what the store writes and reports, for every kind of edit, and purge erases names inside them', async () => {
    const file = path.join(tmp(), 'labels.powermap');
    let s = await createMapFile(file);
    const a = (await createPerson(s, { name: '赵丽' })).people![0]!.id;
    expect((await s.history()).undoLabel).toEqual({ key: 'person.add', params: { name: '赵丽' } });
    const b = (await createPerson(s, { name: 'Lily "the boss" Wu' })).people![0]!.id;
    const r = (await createRelation(s, { kind: 'influence', source: a, target: b })).relations![0]!.id;
    expect((await s.history()).undoLabel).toEqual({ key: 'relation.add', params: { a: '赵丽', b: 'Lily "the boss" Wu' } });
    await updateRelation(s, r, { strength: 3 });
    expect(editLabelText((await s.history()).undoLabel!, 'zh-CN')).toBe('编辑 赵丽 与 Lily "the boss" Wu 之间的关系线');
    const m = (await createMember(s, { name: '林晓雯' })).team![0]!.id;
    await setCoverage(s, m, b, 2);
    expect((await s.history()).undoLabel).toEqual({ key: 'coverage.set', params: { member: '林晓雯', person: 'Lily "the boss" Wu' } });
    await s.undo();
    expect((await s.history()).redoLabel).toEqual({ key: 'coverage.set', params: { member: '林晓雯', person: 'Lily "the boss" Wu' } });
    await s.close();
    // Stored as JSON in the label column.
    const stored = peekOne<{ label: string }>(file, 'SELECT label FROM undo_log ORDER BY seq DESC LIMIT 1')!.label;
    expect(JSON.parse(stored)).toMatchObject({ key: 'coverage.set' });
    // A step written by an earlier version (English text) reads back as a key.
    writeMapFile(file, (db) => db.prepare("INSERT INTO undo_log (label, changes, undone, at) VALUES ('Edit 赵丽', '[]', 0, 'x')").run());
    s = await openMapFile(file);
    expect((await s.history()).undoLabel).toEqual({ key: 'person.edit', params: { name: '赵丽' } });
    await s.close();
    writeMapFile(file, (db) => db.prepare("DELETE FROM undo_log WHERE label = 'Edit 赵丽'").run());
    s = await openMapFile(file);

    // A step that touches the purged person and someone else stays, with the name erased.
    const c = (await createPerson(s, { name: '孙海燕' })).people![0]!.id;
    await createRelation(s, { kind: 'reports_to', source: a, target: c });
    await createRelation(s, { kind: 'reports_to', source: a, target: b }); // replaces a → c in the same step
    await purgePerson(s, b);
    const labels = (await s.undoSteps()).map((e) => e.label).join('\n');
    expect(labels).not.toContain('the boss');
    expect(labels).toContain('(erased)');
    await s.close();
  });
});

describe('errors an edit can meet', () => {
  it('name the rule, with a sentence in each language and no English detail in Chinese', async () => {
    const s = await createMapFile(path.join(tmp(), 'rules.powermap'));
    const ids: string[] = [];
    for (const n of ['赵丽', '钱立明', '孙海燕']) ids.push((await createPerson(s, { name: n })).people![0]!.id);
    const [a, b, c] = ids as [string, string, string];
    await createRelation(s, { kind: 'reports_to', source: a, target: b });
    await createRelation(s, { kind: 'reports_to', source: b, target: c });
    const loop = await thrown(() => createRelation(s, { kind: 'reports_to', source: c, target: a }));
    expect(loop).toMatchObject({ code: 'INVALID_EDIT', params: { reason: 'reporting_loop', person: '孙海燕', boss: '赵丽' } });
    expect(errorMessage(loop, 'zh-CN')).toBe('这条汇报线会形成循环：赵丽 已直接或间接向 孙海燕 汇报。');
    expect(errorMessage(loop, 'en-US')).toBe('That reporting line would make a loop: 赵丽 already reports, directly or through others, to 孙海燕.');
    const self = await thrown(() => createRelation(s, { kind: 'alliance', source: a, target: a }));
    expect(describeError(self, 'zh-CN')).toEqual({ message: '关系线需要连接两个不同的人。', technical: null });
    await createRelation(s, { kind: 'conflict', source: a, target: c });
    const dup = await thrown(() => createRelation(s, { kind: 'conflict', source: c, target: a }));
    expect(errorMessage(dup, 'zh-CN')).toBe('这两人之间已有同类关系线（矛盾）。');
    await s.close();
    // An error without a known rule: the Chinese message stands alone, the detail is a technical note.
    const io = new ApiError('IO', 'm.powermap: disk I/O error', { name: 'm.powermap' });
    expect(describeError(io, 'zh-CN')).toEqual({ message: '读写文件时出错。', technical: 'm.powermap: disk I/O error' });
    expect(describeError(io, 'en-US')).toEqual({ message: 'A file error occurred: m.powermap: disk I/O error', technical: null });
  });
});

describe('moving people', () => {
  it('is one undoable step per drag: undo puts them back, redo moves them again, across reopening', async () => {
    const file = path.join(tmp(), 'moves.powermap');
    const s = await createMapFile(file);
    const a = (await createPerson(s, { name: '赵丽' })).people![0]!.id;
    const b = (await createPerson(s, { name: '钱立明' })).people![0]!.id;
    await s.setPositions('org', [
      { id: a, x: 0, y: 0, pinned: false },
      { id: b, x: 100, y: 0, pinned: false },
    ]);
    const before = await s.rev();
    const moved = await movePositions(s, 'org', [{ id: a, x: 40, y: 90, pinned: true, from: { x: 0, y: 0 } }]);
    expect(moved.rev).toBe(before + 1);
    expect(moved.positions).toEqual([{ layout: 'org', id: a, x: 40, y: 90, pinned: true }]);
    expect(moved.history.undoLabel).toEqual({ key: 'positions.move', params: { name: '赵丽', layout: 'org' } });
    // A person edit after the move: undo takes the edit back first, then the move, never skipping it.
    await updatePerson(s, b, { title: 'CIO' });
    expect((await s.undo()).people?.[0]?.title).toBe('');
    const back = await s.undo();
    expect(back.positions).toEqual([{ layout: 'org', id: a, x: 0, y: 0, pinned: false }]);
    expect((await s.positions('org')).find((p) => p.id === a)).toEqual({ id: a, x: 0, y: 0, pinned: false });
    await s.close();
    const again = await openMapFile(file);
    expect((await again.history()).redoLabel).toEqual({ key: 'positions.move', params: { name: '赵丽', layout: 'org' } });
    expect((await again.redo()).positions).toEqual([{ layout: 'org', id: a, x: 40, y: 90, pinned: true }]);
    // A node the layout never stored: `from` is stored first, so undo has somewhere to go.
    const c = (await createPerson(again, { name: '孙海燕' })).people![0]!.id;
    await movePositions(again, 'grid', [{ id: c, x: 5, y: 6, pinned: true, from: { x: 1, y: 2 } }]);
    expect((await again.undo()).positions).toEqual([{ layout: 'grid', id: c, x: 1, y: 2, pinned: false }]);
    await again.close();
  });
});
