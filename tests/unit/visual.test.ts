import { describe, expect, it } from 'vitest';
import { generateMap } from '../../bench/lib/generate';
import { ATTITUDES, RELATION_KINDS, defaultPersonFields, type Person } from '../../shared/domain';
import { boxAround, polylineBoxDistance, removeOverlaps, segmentHitsBox } from '../../shared/visual/geometry';
import { AXIS_TITLE, GRID_COLUMNS, QUADRANT_TITLE, gridBackground, gridLayout, quadrantOf } from '../../shared/visual/grid';
import { labelBox, labelsGivingWay, lodFor } from '../../shared/visual/labels';
import { EVERYTHING, legend, legendContent, legendStrip, legendSvg, opsToSvg } from '../../shared/visual/legend';
import { orgLayout } from '../../shared/visual/org';
import { routeEdges, routeStyleData } from '../../shared/visual/route';
import {
  ATTITUDE_COLOR,
  CARD_SIZE,
  CHIP_SIZE,
  FONT,
  MEMBER_CARD,
  THEMES,
  coverageEdgeId,
  cytoscapeElements,
  cytoscapeStylesheet,
  memberNodeId,
  parseElementId,
  personData,
  relationEdgeId,
  roleBadges,
} from '../../shared/visual/style';
import { ellipsize, estimateWidth } from '../../shared/visual/text';

const person = (id: string, over: Partial<Person> = {}): Person => ({ id, name: id, ...defaultPersonFields(), ...over });
type Block = { selector: string; style: Record<string, unknown> };

/** WCAG contrast ratio of two #rrggbb colours. */
function contrast(a: string, b: string): number {
  const lum = (hex: string) => {
    const c = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
    return 0.2126 * c[0]! + 0.7152 * c[1]! + 0.0722 * c[2]!;
  };
  const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
  return (x! + 0.05) / (y! + 0.05);
}

describe('visual language', () => {
  it('gives every attitude its own band colour, readable on white, and styles each one', () => {
    expect(new Set(Object.values(ATTITUDE_COLOR)).size).toBe(ATTITUDES.length);
    for (const a of ATTITUDES) expect(contrast(ATTITUDE_COLOR[a], '#ffffff')).toBeGreaterThanOrEqual(3);
    for (const theme of ['light', 'dark'] as const)
      for (const form of ['card', 'chip'] as const) {
        const sheet = cytoscapeStylesheet(theme, { form }) as Block[];
        for (const a of ATTITUDES)
          expect(sheet.find((b) => b.selector === `node[attitude = "${a}"]`)?.style['background-gradient-stop-colors']).toContain(ATTITUDE_COLOR[a]);
        for (const k of RELATION_KINDS) expect(sheet.some((b) => b.selector === `edge[kind = "${k}"]`)).toBe(true);
        const conflict = sheet.find((b) => b.selector === 'edge[kind = "conflict"]')!.style;
        expect(conflict['line-style']).toBe('dashed');
        expect(conflict['source-arrow-shape']).toBe('tee');
        for (const cls of ['candidate', 'changed', 'added', 'ghost', 'hidden', 'lod-1', 'lod-2', 'lod-3', 'lbl-off', 'routed', 'cov-show'])
          expect(sheet.some((b) => b.selector.includes(`.${cls}`))).toBe(true);
        // Issue 22 asks for a cheap stylesheet: no function mappers, only data fields and constants.
        for (const b of sheet) for (const v of Object.values(b.style)) expect(typeof v).not.toBe('function');
        // The level-of-detail classes and the giving-way class come after the base label rules.
        const idx = (sel: string) => sheet.findIndex((b) => b.selector === sel);
        expect(idx('node.lbl-off')).toBeGreaterThan(idx('node.lod-2'));
        expect(idx('node.lod-1')).toBeGreaterThan(idx('node[kind = "person"]'));
      }
    // Coverage lines are off until asked for.
    const sheet = cytoscapeStylesheet('light') as Block[];
    expect(sheet.find((b) => b.selector === 'edge[kind = "coverage"]')!.style.display).toBe('none');
    expect(sheet.find((b) => b.selector === 'edge.cov-show')!.style.display).toBe('element');
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
    expect(els[0]!.data).toMatchObject({ dm: true, coach: true, label: 'p1\nE C★ +', cw: CARD_SIZE.high.w, pw: CHIP_SIZE.high.w });
    expect(els[4]!.data).toMatchObject({ source: 't:m1', target: 'p2', kind: 'coverage' });
    for (const id of ids) {
      const ref = parseElementId(id as string);
      expect(ref.type).toBe(id === 'p1' || id === 'p2' ? 'person' : id!.startsWith('t:') ? 'member' : id!.startsWith('r:') ? 'relation' : 'coverage');
    }
    expect(parseElementId('c:m1:p2')).toEqual({ type: 'coverage', memberId: 'm1', personId: 'p2' });
    expect(roleBadges([])).toBe('');
  });

  it('writes a card as name and attitude symbol, title, roles and department — in the UI language, fitted to the card', () => {
    const p = person('p', {
      name: '钱立明',
      title: '副行长（分管科技） Vice-president, IT and operations of the whole bank',
      department: '行领导',
      roles: ['decision-maker', 'technical', 'coach'],
      attitude: 'champion',
      influence: 'medium',
    });
    const zh = personData(p, { lang: 'zh-CN' });
    const [name, title, third] = zh.lc.split('\n');
    expect(name).toBe('钱立明 ★  ++');
    expect(title).toMatch(/^副行长（分管科技）.*…$/);
    expect(third).toBe('决策者、技术 · 行领导');
    const max = CARD_SIZE.medium.w - 22;
    for (const line of zh.lc.split('\n')) expect(estimateWidth(line, FONT.full)).toBeLessThanOrEqual(max);
    for (const line of zh.l2c.split('\n')) expect(estimateWidth(line, FONT.two)).toBeLessThanOrEqual(max);
    expect(estimateWidth(zh.lnc, FONT.name)).toBeLessThanOrEqual(max);
    expect(personData(p, { lang: 'en-US' }).lc.split('\n')[2]).toMatch(/^Decision maker, Technical ·/);
    expect(personData({ ...p, influence: 'high', roles: ['user'] }, { lang: 'en-US' }).lc.split('\n')[2]).toBe('User · 行领导');
    // A name too long for the card keeps its attitude symbol.
    const long = personData(person('q', { name: 'Maximilian Alexander Featherstonehaugh-Worthington', attitude: 'strong-opponent' }));
    expect(long.lc.split('\n')[0]).toMatch(/… {2}−−$/);
    expect(ellipsize('abc', 1000, 11, estimateWidth)).toBe('abc');
  });

  it('explains only what a map shows, in both languages, and draws it as SVG', () => {
    const all = legend('light', EVERYTHING);
    const ids = all.flatMap((g) => g.items.map((i) => i.id));
    for (const id of [...ATTITUDES, ...RELATION_KINDS, 'coach', 'decision-maker', 'member', 'coverage']) expect(ids).toContain(id);
    for (const g of all) for (const i of g.items) expect(i.label['zh-CN']).not.toBe(i.label['en-US']);
    // No role letters: the cards spell roles out.
    expect(ids.filter((id) => /^[A-Z]$/.test(id))).toEqual([]);
    const doc = {
      people: [person('a', { attitude: 'supporter' }), person('b', { attitude: 'opponent', roles: ['coach'] })],
      relations: [{ id: 'r', kind: 'conflict' as const, source: 'a', target: 'b', strength: 2 as const, note: '' }],
      team: [{ id: 'm', name: 'M', role: '' }],
      coverage: [],
    };
    const some = legend('light', legendContent(doc, { team: false, coverage: false }));
    const someIds = some.flatMap((g) => g.items.map((i) => i.id));
    expect(someIds).toEqual(['supporter', 'opponent', 'influence-medium', 'coach', 'conflict']);
    const strip = legendStrip(some, 'zh-CN', THEMES.light, 300);
    expect(strip.height).toBeGreaterThan(20);
    expect(opsToSvg(strip.ops)).toContain('矛盾');
    for (const o of strip.ops) if (o.t === 'text') expect(o.x + estimateWidth(o.text, o.size)).toBeLessThanOrEqual(300 + 40);
    const svg = legendSvg('dark', 'zh-CN');
    expect(svg).toMatch(/^<svg /);
    expect(svg).toContain('矛盾');
  });
});

describe('org chart', () => {
  const cards = (n: number) => Array.from({ length: n }, (_v, i) => ({ id: `p${i}`, ...CARD_SIZE[(['high', 'medium', 'low'] as const)[i % 3]!] }));

  it('puts bosses above their reports, never overlaps cards, and draws reporting lines only through gaps', () => {
    for (const n of [16, 30, 80, 200]) {
      const map = generateMap(n, { seed: n });
      const people = map.people.map((p) => ({ id: p.id, ...CARD_SIZE[p.influence] }));
      const reports = map.relations.filter((r) => r.kind === 'reports_to').map((r) => [r.source, r.target] as const);
      const team = map.team.map((m) => ({ id: m.id, ...MEMBER_CARD }));
      const o = orgLayout(people, reports, team);
      const all = [...people, ...team];
      expect(Object.keys(o.positions).sort()).toEqual(all.map((p) => p.id).sort());
      const box = (id: string) => boxAround(o.positions[id]!, all.find((p) => p.id === id)!.w, all.find((p) => p.id === id)!.h);
      for (let i = 0; i < all.length; i++)
        for (let j = i + 1; j < all.length; j++) {
          const a = box(all[i]!.id);
          const b = box(all[j]!.id);
          const apart = a.x2 + 12 <= b.x1 || b.x2 + 12 <= a.x1 || a.y2 + 12 <= b.y1 || b.y2 + 12 <= a.y1;
          expect(apart, `${all[i]!.id} and ${all[j]!.id} (n=${n})`).toBe(true);
        }
      for (const [sub, boss] of reports) {
        expect(o.positions[boss]!.y).toBeLessThan(o.positions[sub]!.y);
        const route = o.routes[sub]!;
        // Elbows: every stretch horizontal or vertical; from the report's card to the boss's.
        for (let i = 1; i < route.length; i++) expect(Math.min(Math.abs(route[i]!.x - route[i - 1]!.x), Math.abs(route[i]!.y - route[i - 1]!.y))).toBeLessThan(0.5);
        expect(polylineBoxDistance([route[0]!, route[0]!], box(sub))).toBe(0);
        expect(polylineBoxDistance([route.at(-1)!, route.at(-1)!], box(boss))).toBe(0);
        for (const p of all) if (p.id !== sub && p.id !== boss) expect(polylineBoxDistance(route, box(p.id)), `${sub}→${boss} near ${p.id}`).toBeGreaterThanOrEqual(8);
      }
      // Our team: a row under everyone.
      const lowest = Math.max(...people.map((p) => box(p.id).y2));
      for (const m of team) expect(box(m.id).y1).toBeGreaterThan(lowest);
    }
  });

  it('wraps a wide organisation into a landscape chart instead of a strip, its lines still only in the gaps', () => {
    const map = generateMap(300, { seed: 22 });
    const people = map.people.map((p) => ({ id: p.id, ...CARD_SIZE[p.influence] }));
    const reports = map.relations.filter((r) => r.kind === 'reports_to').map((r) => [r.source, r.target] as const);
    const shape = (o: ReturnType<typeof orgLayout>) => {
      const boxes = people.map((p) => boxAround(o.positions[p.id]!, p.w, p.h));
      return (Math.max(...boxes.map((b) => b.x2)) - Math.min(...boxes.map((b) => b.x1))) / (Math.max(...boxes.map((b) => b.y2)) - Math.min(...boxes.map((b) => b.y1)));
    };
    // One row per level: a strip many times wider than tall.
    expect(shape(orgLayout(people, reports, [], { maxRowWidth: Infinity }))).toBeGreaterThan(6);
    const o = orgLayout(people, reports);
    expect(shape(o)).toBeGreaterThan(1);
    expect(shape(o)).toBeLessThan(2.5);
    const box = (id: string) => boxAround(o.positions[id]!, people.find((p) => p.id === id)!.w, people.find((p) => p.id === id)!.h);
    const boxes = people.map((p) => ({ id: p.id, b: box(p.id) }));
    for (let i = 0; i < boxes.length; i++)
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i]!.b;
        const b = boxes[j]!.b;
        expect(a.x2 + 12 <= b.x1 || b.x2 + 12 <= a.x1 || a.y2 + 12 <= b.y1 || b.y2 + 12 <= a.y1, `${boxes[i]!.id} and ${boxes[j]!.id}`).toBe(true);
      }
    for (const [sub, boss] of reports) {
      expect(o.positions[boss]!.y).toBeLessThan(o.positions[sub]!.y);
      const route = o.routes[sub]!;
      for (let i = 1; i < route.length; i++) expect(Math.min(Math.abs(route[i]!.x - route[i - 1]!.x), Math.abs(route[i]!.y - route[i - 1]!.y))).toBeLessThan(0.5);
      expect(polylineBoxDistance([route[0]!, route[0]!], box(sub))).toBe(0);
      expect(polylineBoxDistance([route.at(-1)!, route.at(-1)!], box(boss))).toBe(0);
      for (const { id, b } of boxes) if (id !== sub && id !== boss) expect(polylineBoxDistance(route, b), `${sub}→${boss} near ${id}`).toBeGreaterThanOrEqual(8);
    }
  });

  it('keeps the others in place when a person is added at the end, and stacks reports without reports', () => {
    const people = cards(6);
    const reports = [['p1', 'p0'], ['p2', 'p0'], ['p3', 'p0'], ['p4', 'p1']] as const;
    const a = orgLayout(people, reports);
    // p2 and p3 have nobody under them: one column (left edges aligned on the spine), one above the other.
    expect(a.positions.p2!.x - people[2]!.w / 2).toBeCloseTo(a.positions.p3!.x - people[3]!.w / 2, 6);
    expect(a.positions.p3!.y).toBeGreaterThan(a.positions.p2!.y);
    const b = orgLayout([...people, { id: 'p6', ...CARD_SIZE.low }], reports);
    for (const id of ['p0', 'p1', 'p2', 'p3', 'p4']) expect(b.positions[id]).toEqual(a.positions[id]);
    // A loop (refused by the store) does not hang the layout.
    const loop = orgLayout(cards(3), [['p0', 'p1'], ['p1', 'p2'], ['p2', 'p0']]);
    expect(Object.keys(loop.positions)).toHaveLength(3);
  });
});

describe('routing lines around people', () => {
  it('routes every line of generated maps clear of every card that is not one of its ends', () => {
    for (const [n, seed] of [
      [30, 5],
      [80, 8],
    ] as const) {
      const map = generateMap(n, { seed });
      const people = map.people.map((p) => ({ id: p.id, ...CARD_SIZE[p.influence] }));
      const o = orgLayout(people, map.relations.filter((r) => r.kind === 'reports_to').map((r) => [r.source, r.target] as const));
      const nodes = people.map((p) => ({ ...p, ...o.positions[p.id]! }));
      const edges = map.relations.filter((r) => r.kind !== 'reports_to');
      const routes = routeEdges(nodes, edges);
      expect(routes.size).toBe(edges.length);
      for (const e of edges) {
        const pts = routes.get(e.id)!;
        const end = (id: string) => boxAround(nodes.find((x) => x.id === id)!, nodes.find((x) => x.id === id)!.w, nodes.find((x) => x.id === id)!.h);
        expect(polylineBoxDistance([pts[0]!, pts[0]!], end(e.source))).toBeLessThan(0.01);
        expect(polylineBoxDistance([pts.at(-1)!, pts.at(-1)!], end(e.target))).toBeLessThan(0.01);
        for (const c of nodes) if (c.id !== e.source && c.id !== e.target) expect(polylineBoxDistance(pts, boxAround(c, c.w, c.h)), `${e.id} near ${c.id}`).toBeGreaterThanOrEqual(6);
      }
    }
  });

  it('goes round a card in the way, keeps parallel lines apart, and turns points into Cytoscape geometry', () => {
    const nodes = [
      { id: 'a', x: 0, y: 0, w: 100, h: 40 },
      { id: 'b', x: 500, y: 0, w: 100, h: 40 },
      { id: 'm', x: 250, y: 0, w: 100, h: 40 },
    ];
    const edges = [
      { id: 'e1', source: 'a', target: 'b' },
      { id: 'e2', source: 'b', target: 'a' },
    ];
    const r = routeEdges(nodes, edges);
    const e1 = r.get('e1')!;
    const e2 = r.get('e2')!;
    expect(e1.length).toBeGreaterThan(2);
    expect(polylineBoxDistance(e1, boxAround(nodes[2]!, 100, 40))).toBeGreaterThanOrEqual(6);
    // Side by side: the two lines never meet.
    let closest = Infinity;
    for (const p of e1) closest = Math.min(closest, polylineBoxDistance(e2, { x1: p.x, y1: p.y, x2: p.x, y2: p.y }));
    expect(closest).toBeGreaterThan(3);
    // Straight when nothing is in the way.
    expect(routeEdges(nodes.slice(0, 2), [edges[0]!]).get('e1')).toEqual([
      { x: 50, y: 0 },
      { x: 450, y: 0 },
    ]);
    // Weights along and distances across the endpoint line reproduce the bends.
    const d = routeStyleData(e1, nodes[0]!, nodes[1]!)!;
    const S = e1[0]!;
    const T = e1.at(-1)!;
    const len = Math.hypot(T.x - S.x, T.y - S.y);
    const nx = -(T.y - S.y) / len;
    const ny = (T.x - S.x) / len;
    e1.slice(1, -1).forEach((b, i) => {
      expect(S.x + d.sw[i]! * (T.x - S.x) + d.sd[i]! * nx).toBeCloseTo(b.x, 1);
      expect(S.y + d.sw[i]! * (T.y - S.y) + d.sd[i]! * ny).toBeCloseTo(b.y, 1);
    });
    const [sx, sy] = d.se.split(' ').map((v) => parseFloat(v));
    expect(sx).toBeCloseTo(S.x, 2);
    expect(sy).toBeCloseTo(S.y, 2);
  });

  it('has exact geometry helpers', () => {
    expect(segmentHitsBox({ x: -10, y: 5 }, { x: 20, y: 5 }, { x1: 0, y1: 0, x2: 10, y2: 10 })).toBe(true);
    expect(segmentHitsBox({ x: -10, y: 15 }, { x: 20, y: 15 }, { x1: 0, y1: 0, x2: 10, y2: 10 })).toBe(false);
    expect(polylineBoxDistance([{ x: -10, y: 15 }, { x: 20, y: 15 }], { x1: 0, y1: 0, x2: 10, y2: 10 })).toBeCloseTo(5, 6);
    const apart = removeOverlaps(
      [
        { id: 'a', x: 0, y: 0, w: 100, h: 40 },
        { id: 'b', x: 10, y: 5, w: 100, h: 40 },
        { id: 'c', x: 20, y: 0, w: 100, h: 40, pinned: true },
      ],
      20,
    );
    expect(apart.c).toEqual({ x: 20, y: 0 });
    const ids = ['a', 'b', 'c'];
    for (let i = 0; i < 3; i++)
      for (let j = i + 1; j < 3; j++) {
        const p = apart[ids[i]!]!;
        const q = apart[ids[j]!]!;
        expect(Math.abs(p.x - q.x) >= 119.9 || Math.abs(p.y - q.y) >= 59.9).toBe(true);
      }
  });
});

describe('power grid', () => {
  it('puts attitude on x and influence on y, packs a cell without overlap, and sizes cells to fit', () => {
    const chip = CHIP_SIZE.medium;
    const people = [
      { id: 'champ', attitude: 'champion' as const, influence: 'high' as const, ...chip },
      { id: 'opp', attitude: 'strong-opponent' as const, influence: 'high' as const, ...chip },
      { id: 'low', attitude: 'champion' as const, influence: 'low' as const, ...chip },
      ...Array.from({ length: 23 }, (_, i) => ({ id: `n${i}`, attitude: 'neutral' as const, influence: 'medium' as const, ...chip })),
    ];
    const g = gridLayout(people, [{ id: 't:m', ...MEMBER_CARD }]);
    const pos = g.positions;
    expect(pos.champ!.x).toBeGreaterThan(pos.opp!.x);
    expect(pos.champ!.y).toBeLessThan(pos.low!.y);
    expect(g.columns.map((c) => c.attitude)).toEqual(GRID_COLUMNS);
    for (const p of people) {
      const col = g.columns.find((c) => c.attitude === p.attitude)!;
      const row = g.rows.find((r) => r.influence === p.influence)!;
      const b = boxAround(pos[p.id]!, p.w, p.h);
      expect(b.x1 >= col.x1 && b.x2 <= col.x2 && b.y1 >= row.y1 && b.y2 <= row.y2, p.id).toBe(true);
    }
    for (let i = 0; i < people.length; i++)
      for (let j = i + 1; j < people.length; j++) {
        const a = boxAround(pos[people[i]!.id]!, chip.w, chip.h);
        const b = boxAround(pos[people[j]!.id]!, chip.w, chip.h);
        expect(a.x2 + 8 <= b.x1 || b.x2 + 8 <= a.x1 || a.y2 + 8 <= b.y1 || b.y2 + 8 <= a.y1).toBe(true);
      }
    expect(quadrantOf('champion', 'high')).toBe('key-supporters');
    expect(quadrantOf('opponent', 'low')).toBe('opponents');
    expect(quadrantOf('neutral', 'high')).toBe('undecided');
    const inArea = (id: string, q: keyof typeof g.areas) => {
      const r = g.areas[q];
      return pos[id]!.x >= r.x1 && pos[id]!.x <= r.x2 && pos[id]!.y >= r.y1 && pos[id]!.y <= r.y2;
    };
    expect(inArea('champ', 'key-supporters')).toBe(true);
    expect(inArea('opp', 'key-opponents')).toBe(true);
    expect(inArea('low', 'supporters')).toBe(true);
    expect(pos['t:m']!.y).toBeGreaterThan(g.cells.y2);
  });

  it('draws its backdrop as locked background elements named in both languages', () => {
    const g = gridLayout([{ id: 'a', attitude: 'supporter', influence: 'high', ...CHIP_SIZE.high }]);
    for (const lang of ['en-US', 'zh-CN'] as const) {
      const els = gridBackground(g, lang);
      const labels = els.map((e) => String(e.data.label));
      for (const q of Object.values(QUADRANT_TITLE)) expect(labels).toContain(q[lang]);
      expect(labels).toContain(AXIS_TITLE.x[lang]);
      expect(labels).toContain(AXIS_TITLE.y[lang]);
      for (const e of els) {
        expect(e).toMatchObject({ selectable: false, grabbable: false, locked: true });
        expect(e.data.kind).toBe('grid');
        expect(String(e.data.id)).toMatch(/^g:/);
      }
    }
    expect(QUADRANT_TITLE['key-supporters']['zh-CN']).not.toBe(QUADRANT_TITLE['key-supporters']['en-US']);
  });
});

describe('labels that stay legible', () => {
  it('never draws a name below 9 px on screen: shorter, larger labels as the map is zoomed out', () => {
    expect(lodFor(1)).toBe(0);
    expect(lodFor(0.7)).toBe(1);
    expect(lodFor(0.5)).toBe(2);
    expect(lodFor(0.3)).toBe(3);
    expect(lodFor(0.16)).toBe(4);
    expect(lodFor(0.05)).toBe(5);
    const sizes = [FONT.full, FONT.two, FONT.name, FONT.lod3, FONT.lod4];
    for (const z of [1, 0.9, 0.7, 0.6, 0.5, 0.45, 0.3, 0.25, 0.16, 0.15]) {
      const l = lodFor(z);
      if (l < 5) expect(sizes[l]! * z).toBeGreaterThanOrEqual(9);
    }
  });

  it('lets the less influential label give way where two would collide, and keeps none overlapping', () => {
    const nodes = Array.from({ length: 40 }, (_v, i) => ({ id: `n${i}`, x: (i % 8) * 200, y: Math.floor(i / 8) * 90, w: 184, h: 62, prio: i % 3 === 0 ? 300 : 100, nmw: 6 }));
    for (const lod of [0, 1, 2, 3, 4] as const) {
      const off = labelsGivingWay(nodes, lod, [{ x1: -1000, y1: -200, x2: 2000, y2: -150 }]);
      const kept = nodes.filter((n) => !off.has(n.id)).map((n) => labelBox(n, lod));
      for (let i = 0; i < kept.length; i++)
        for (let j = i + 1; j < kept.length; j++) {
          const a = kept[i]!;
          const b = kept[j]!;
          expect(a.x2 <= b.x1 || b.x2 <= a.x1 || a.y2 <= b.y1 || b.y2 <= a.y1).toBe(true);
        }
      if (lod <= 2) expect(off.size).toBe(0); // cards do not overlap: every label fits inside its own
      else {
        expect(off.size).toBeGreaterThan(0);
        // High influence first: no high-influence label gives way to a low one it collides with.
        for (const n of nodes.filter((x) => off.has(x.id) && x.prio === 300)) {
          const b = labelBox(n, lod);
          const blockers = nodes.filter((m) => !off.has(m.id) && m.id !== n.id).map((m) => ({ m, b: labelBox(m, lod) }));
          const hit = blockers.filter(({ b: o }) => b.x1 < o.x2 && o.x1 < b.x2 && b.y1 < o.y2 && o.y1 < b.y2);
          for (const h of hit) expect(h.m.prio).toBe(300);
        }
      }
    }
  });
});
