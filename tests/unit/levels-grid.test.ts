/** The level × function grid (issue 21): where people land, from explicit fields and inference. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultPersonFields, type Person } from '../../shared/domain';
import { functionOf, levelOf, levelsBackground, levelsLayout, type LevelsPerson } from '../../shared/visual/levels';
import { REPO } from '../helpers/session';

const person = (f: Partial<Person>): Person => ({ ...defaultPersonFields(), name: 'X', id: 'x', ...f });

describe('level and function, set or read from the map', () => {
  it('takes the level field first, then the title, the decision-maker role, the reporting line, else operations', () => {
    expect(levelOf(person({ level: 'operations', title: 'President' }))).toEqual({ level: 'operations', from: 'set' });
    expect(levelOf(person({ title: 'Vice-president, IT' }))).toEqual({ level: 'decision', from: 'title' });
    expect(levelOf(person({ title: '副行长（分管科技）' }))).toEqual({ level: 'decision', from: 'title' });
    // Only the title's first part counts: this director is not a president.
    expect(levelOf(person({ title: "Director, president's office" }))).toEqual({ level: 'management', from: 'title' });
    expect(levelOf(person({ title: '信息中心主任' }))).toEqual({ level: 'management', from: 'title' });
    expect(levelOf(person({ title: 'Chief engineer' }))).toEqual({ level: 'decision', from: 'title' });
    expect(levelOf(person({ title: 'Senior systems engineer' }))).toEqual({ level: 'operations', from: 'title' });
    expect(levelOf(person({ title: 'Advisor', roles: ['decision-maker'] }))).toEqual({ level: 'decision', from: 'role' });
    expect(levelOf(person({ title: 'Advisor' }), 'management')).toEqual({ level: 'management', from: 'line' });
    expect(levelOf(person({ title: 'Advisor' }))).toEqual({ level: 'operations', from: 'none' });
  });

  it('takes the function from the buyer roles, then the department, then the title, else other', () => {
    expect(functionOf(person({ roles: ['decision-maker', 'procurement'], department: 'IT centre' }))).toEqual({ fn: 'procurement', from: 'role' });
    expect(functionOf(person({ department: 'IT centre' }))).toEqual({ fn: 'technical', from: 'department' });
    expect(functionOf(person({ department: '物资公司' }))).toEqual({ fn: 'procurement', from: 'department' });
    expect(functionOf(person({ department: '用电处' }))).toEqual({ fn: 'user', from: 'department' });
    expect(functionOf(person({ department: 'Executive board', title: 'Vice-president, IT' }))).toEqual({ fn: 'technical', from: 'department' });
    expect(functionOf(person({ department: 'Executive board', title: 'President' }))).toEqual({ fn: 'other', from: 'none' });
  });
});

describe('the grid', () => {
  const chip = (id: string, level: LevelsPerson['level'], fn: LevelsPerson['fn']): LevelsPerson => ({ id, level, fn, w: 150, h: 40 });
  it('puts each person inside their row and column, never two on one spot, rows top to bottom decision → operations', () => {
    const people = [
      chip('pres', 'decision', 'other'),
      chip('cio', 'decision', 'technical'),
      ...Array.from({ length: 7 }, (_, i) => chip(`eng${i}`, 'operations', 'technical')),
      chip('buyer', 'management', 'procurement'),
      chip('user', 'management', 'user'),
    ];
    const g = levelsLayout(people, [{ id: 'm1', w: 120, h: 40 }]);
    expect(g.rows.map((r) => r.level)).toEqual(['decision', 'management', 'operations']);
    expect(g.columns.map((c) => c.fn)).toEqual(['user', 'technical', 'procurement', 'other']);
    for (const p of people) {
      const at = g.positions[p.id]!;
      const row = g.rows.find((r) => r.level === p.level)!;
      const col = g.columns.find((c) => c.fn === p.fn)!;
      expect(at.x - p.w / 2).toBeGreaterThanOrEqual(col.x1);
      expect(at.x + p.w / 2).toBeLessThanOrEqual(col.x2);
      expect(at.y - p.h / 2).toBeGreaterThanOrEqual(row.y1);
      expect(at.y + p.h / 2).toBeLessThanOrEqual(row.y2);
    }
    const spots = new Set(people.map((p) => `${Math.round(g.positions[p.id]!.x)},${Math.round(g.positions[p.id]!.y)}`));
    expect(spots.size).toBe(people.length);
    // Our team stands under the grid.
    expect(g.positions.m1!.y).toBeGreaterThan(g.cells.y2);
    // The backdrop names the rows and columns in the language asked for.
    const labels = levelsBackground(g, 'zh-CN').map((e) => e.data.label).filter(Boolean);
    expect(labels).toEqual(expect.arrayContaining(['决策层', '管理层', '操作层', '使用', '技术', '采购', '其他']));
  });

  it('places the sample bank map as a Chinese team would draw it', () => {
    const sample = JSON.parse(fs.readFileSync(path.join(REPO, 'resources', 'samples', 'bank-tender.en-US.json'), 'utf8')) as { people: Person[] };
    const cell = Object.fromEntries(sample.people.map((p) => [p.id, `${levelOf(p).level}/${functionOf(p).fn}`]));
    expect(cell).toMatchObject({
      p_president: 'decision/other',
      p_vp_it: 'decision/technical',
      p_chief_eng: 'decision/technical',
      p_planning: 'management/procurement',
      p_it_dir: 'management/technical',
      p_it_eng1: 'operations/technical',
      p_proc_officer: 'operations/procurement',
      p_ebank_dir: 'management/user',
    });
  });
});
