import { describe, expect, it } from 'vitest';
import { ATTITUDES, RELATION_KINDS, defaultPersonFields, type Person } from '../../shared/domain';
import { GRID_BOUNDS, powerGridPositions, quadrants } from '../../shared/visual/grid';
import {
  ATTITUDE_FILL,
  coverageEdgeId,
  cytoscapeElements,
  cytoscapeStylesheet,
  legend,
  legendSvg,
  memberNodeId,
  parseElementId,
  relationEdgeId,
  roleBadges,
} from '../../shared/visual/style';

const person = (id: string, over: Partial<Person> = {}): Person => ({ id, name: id, ...defaultPersonFields(), ...over });

describe('visual language', () => {
  it('gives every attitude its own fill on a diverging scale and styles each one', () => {
    expect(new Set(Object.values(ATTITUDE_FILL)).size).toBe(ATTITUDES.length);
    for (const theme of ['light', 'dark'] as const) {
      const sheet = cytoscapeStylesheet(theme) as { selector: string; style: Record<string, unknown> }[];
      for (const a of ATTITUDES) expect(sheet.find((b) => b.selector === `node[attitude = "${a}"]`)?.style['background-color']).toBe(ATTITUDE_FILL[a]);
      for (const k of RELATION_KINDS) expect(sheet.some((b) => b.selector === `edge[kind = "${k}"]`)).toBe(true);
      const conflict = sheet.find((b) => b.selector === 'edge[kind = "conflict"]')!.style;
      expect(conflict['line-style']).toBe('dashed');
      for (const cls of ['candidate', 'changed', 'added', 'ghost', 'faded', 'highlighted', 'hidden'])
        expect(sheet.some((b) => b.selector.includes(`.${cls}`))).toBe(true);
    }
  });

  it('builds flat element data with prefixed ids for team, relations and coverage', () => {
    const doc = {
      people: [person('p1', { roles: ['decision-maker', 'coach', 'Budget owner'], influence: 'high' }), person('p2')],
      relations: [{ id: 'r1', kind: 'conflict' as const, source: 'p1', target: 'p2', strength: 3 as const, note: '' }],
      team: [{ id: 'm1', name: 'Lena', role: 'Account manager' }],
      coverage: [{ memberId: 'm1', personId: 'p2', strength: 2 as const }],
    };
    const els = cytoscapeElements(doc, { positions: { p1: { x: 5, y: 6 }, m1: { x: 7, y: 8 } } });
    const ids = els.map((e) => e.data.id);
    expect(ids).toEqual(['p1', 'p2', memberNodeId('m1'), relationEdgeId('r1'), coverageEdgeId('m1', 'p2')]);
    expect(els[0]!.position).toEqual({ x: 5, y: 6 });
    expect(els[1]!.position).toBeUndefined();
    expect(els[2]!.position).toEqual({ x: 7, y: 8 });
    expect(els[0]!.data).toMatchObject({ dm: true, coach: true, label: 'p1\nE C★ +' });
    expect(els[4]!.data).toMatchObject({ source: 't:m1', target: 'p2', kind: 'coverage' });
    for (const id of ids) {
      const ref = parseElementId(id as string);
      expect(ref.type).toBe(id === 'p1' || id === 'p2' ? 'person' : id!.startsWith('t:') ? 'member' : id!.startsWith('r:') ? 'relation' : 'coverage');
    }
    expect(parseElementId('c:m1:p2')).toEqual({ type: 'coverage', memberId: 'm1', personId: 'p2' });
    expect(roleBadges([])).toBe('');
  });

  it('has a legend entry for each attitude, line kind and the coach, in both languages', () => {
    const groups = legend('light');
    const ids = groups.flatMap((g) => g.items.map((i) => i.id));
    for (const id of [...ATTITUDES, ...RELATION_KINDS, 'coach', 'decision-maker', 'member', 'coverage']) expect(ids).toContain(id);
    for (const g of groups) for (const i of g.items) expect(i.label['zh-CN']).not.toBe(i.label['en-US']);
    const svg = legendSvg('dark', 'zh-CN');
    expect(svg).toMatch(/^<svg /);
    expect(svg).toContain('矛盾');
  });
});

describe('power grid', () => {
  it('puts attitude on x and influence on y, and keeps people of one cell apart', () => {
    const people = [
      { id: 'champ', attitude: 'champion' as const, influence: 'high' as const },
      { id: 'opp', attitude: 'strong-opponent' as const, influence: 'high' as const },
      { id: 'low', attitude: 'champion' as const, influence: 'low' as const },
      ...Array.from({ length: 9 }, (_, i) => ({ id: `n${i}`, attitude: 'neutral' as const, influence: 'medium' as const })),
    ];
    const pos = powerGridPositions(people);
    expect(pos.champ!.x).toBeGreaterThan(pos.opp!.x);
    expect(pos.champ!.y).toBeLessThan(pos.low!.y);
    const cell = people.filter((p) => p.id.startsWith('n')).map((p) => pos[p.id]!);
    for (let i = 0; i < cell.length; i++)
      for (let j = i + 1; j < cell.length; j++)
        expect(Math.hypot(cell[i]!.x - cell[j]!.x, cell[i]!.y - cell[j]!.y)).toBeGreaterThan(30);
    for (const p of Object.values(pos)) {
      expect(p.x).toBeGreaterThan(GRID_BOUNDS.x1);
      expect(p.x).toBeLessThan(GRID_BOUNDS.x2);
      expect(p.y).toBeGreaterThan(GRID_BOUNDS.y1);
      expect(p.y).toBeLessThan(GRID_BOUNDS.y2);
    }
    // High-influence supporters land in the "leverage" quadrant, opponents in "manage closely".
    const inQ = (id: string, q: string) => {
      const r = quadrants().find((x) => x.id === q)!;
      return pos[id]!.x >= r.x1 && pos[id]!.x <= r.x2 && pos[id]!.y >= r.y1 && pos[id]!.y <= r.y2;
    };
    expect(inQ('champ', 'leverage')).toBe(true);
    expect(inQ('opp', 'manage-closely')).toBe(true);
    expect(inQ('low', 'keep-informed')).toBe(true);
  });
});
