/** The level × function grid (issue 21): where people land, from explicit fields and inference. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultMeta, defaultPersonFields, type Person } from '../../shared/domain';
import { packCells } from '../../shared/visual/cells';
import { functionOf, levelCells, levelOf, levelsBackground, levelsLayout, lineTiers, type LevelsPerson } from '../../shared/visual/levels';
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

describe('the cells of hand-built maps (issue 21, as docs/ANALYSIS.md says)', () => {
  const rel = (source: string, target: string) => ({ kind: 'reports_to' as const, source, target });
  it('explicit level and function win over every inference', () => {
    const people = [
      person({ id: 'a', title: '行长', roles: ['technical'], department: '采购部', level: 'operations', function: 'user' }),
      person({ id: 'b', title: '科员', department: '信息科技部', level: 'decision' }),
      person({ id: 'c', title: '总经理', roles: ['procurement'], function: 'other' }),
    ];
    const cells = levelCells(people, []);
    expect(cells.get('a')).toEqual({ level: 'operations', fn: 'user', levelFrom: 'set', fnFrom: 'set' });
    expect(cells.get('b')).toMatchObject({ level: 'decision', levelFrom: 'set', fn: 'technical', fnFrom: 'department' });
    expect(cells.get('c')).toMatchObject({ level: 'decision', levelFrom: 'title', fn: 'other', fnFrom: 'set' });
  });

  it('reads the level from English and Chinese titles', () => {
    const titles: [string, string][] = [
      ['行长', 'decision'],
      ['总经理', 'decision'],
      ['董事长', 'decision'],
      ['General manager', 'decision'],
      ['President', 'decision'],
      ['处长', 'management'],
      ['经理', 'management'],
      ['运营部经理', 'management'],
      ['Manager, procurement', 'management'],
      ['Director of IT', 'management'],
      ['工程师', 'operations'],
      ['Procurement officer', 'operations'],
    ];
    const people = titles.map(([title], i) => person({ id: `p${i}`, title }));
    const cells = levelCells(people, []);
    expect(titles.map((_, i) => cells.get(`p${i}`)!.level)).toEqual(titles.map(([, l]) => l));
    expect(people.every((p) => cells.get(p.id)!.levelFrom === 'title')).toBe(true);
  });

  it('reads the function from buyer roles first, then the department', () => {
    const cells = levelCells(
      [
        person({ id: 'tech', title: 'Advisor', roles: ['technical'], department: '采购中心' }),
        person({ id: 'buy', title: '专员', department: '采购中心' }),
        person({ id: 'buy2', title: 'Officer', department: 'Procurement' }),
        person({ id: 'it', title: '专员', department: '信息科技部' }),
        person({ id: 'use', title: '专员', department: '零售业务部' }),
        person({ id: 'none', title: '专员', department: '办公室' }),
      ],
      [],
    );
    expect(Object.fromEntries([...cells].map(([id, c]) => [id, `${c.fn}/${c.fnFrom}`]))).toEqual({
      tech: 'technical/role',
      buy: 'procurement/department',
      buy2: 'procurement/department',
      it: 'technical/department',
      use: 'user/department',
      none: 'other/none',
    });
  });

  it('falls back on the reporting line, then operations, for titles that say nothing', () => {
    const people = ['top', 'mid', 'low', 'lower', 'alone'].map((id) => person({ id, title: 'Advisor' }));
    const cells = levelCells(people, [rel('mid', 'top'), rel('low', 'mid'), rel('lower', 'low')]);
    expect(['top', 'mid', 'low', 'lower', 'alone'].map((id) => `${cells.get(id)!.level}/${cells.get(id)!.levelFrom}`)).toEqual([
      'decision/line',
      'management/line',
      'operations/line',
      'operations/line',
      'operations/none',
    ]);
    // A loop in a damaged file ends where it closes.
    expect(lineTiers([person({ id: 'x' }), person({ id: 'y' })], [rel('x', 'y'), rel('y', 'x')]).size).toBe(2);
  });

  it('one packer for both grids: the power grid and this grid place the same cells the same way', () => {
    const chips = Array.from({ length: 9 }, (_, i) => ({ id: `c${i}`, w: 150, h: 40 }));
    const viaLevels = levelsLayout(chips.map((c) => ({ ...c, level: 'management' as const, fn: 'technical' as const })));
    const viaCells = packCells(
      chips.map((c) => ({ ...c, col: 'technical' as const, row: 'management' as const })),
      ['user', 'technical', 'procurement', 'other'] as const,
      ['decision', 'management', 'operations'] as const,
      { head: 20, minColW: 220, minRowH: 110 },
    );
    expect(viaLevels.positions).toEqual(viaCells.positions);
    const src = (f: string) => fs.readFileSync(path.join(REPO, 'shared', 'visual', f), 'utf8');
    for (const f of ['grid.ts', 'levels.ts']) {
      expect(src(f)).toContain("from './cells'");
      expect(src(f)).not.toMatch(/slotW|perRow/);
    }
  });
});

describe('level and function in CSV (issue 21)', () => {
  it('reads the 层级 and 职能 columns in either language, refuses an unknown function word, and writes them back', async () => {
    const { buildImport, parseCsv } = await import('../../shared/exchange/csv-import');
    const { peopleCsv } = await import('../../shared/exchange/csv-export');
    const text = '姓名,职位,层级,职能\n甲,行长,决策层,采购\nB,Officer,operations,technical\n丙,处长,,\n';
    const r = buildImport(parseCsv(text, 'people.csv', 'people', 'zh-CN'), null, 'zh-CN');
    expect(r.problems).toEqual([]);
    const byName = new Map(r.data!.people.map((p) => [p.name, p]));
    expect(byName.get('甲')).toMatchObject({ level: 'decision', function: 'procurement' });
    expect(byName.get('B')).toMatchObject({ level: 'operations', function: 'technical' });
    expect(byName.get('丙')).toMatchObject({ level: null, function: null });
    const bad = buildImport(parseCsv('name,function\nA,sales\n', 'people.csv', 'people', 'en-US'), null, 'en-US');
    expect(bad.data).toBeNull();
    expect(bad.problems.length).toBe(1);
    const out = peopleCsv({ meta: defaultMeta(), people: r.data!.people, relations: [], team: [], coverage: [] } as never);
    const [head, ...rows] = out.replace(/^\uFEFF/, '').trim().split(/\r\n/);
    const cols = head!.split(',');
    expect(rows.map((row) => row.split(',')[cols.indexOf('function')])).toEqual(expect.arrayContaining(['procurement', 'technical', '']));
  });
});
