/**
 * The level × function grid Chinese teams draw (决策层/管理层/操作层 × 使用/技术/采购): rows
 * decision / management / operations, columns user / technical / procurement / other. Where a
 * person has no explicit level, it is read from the title, then the decision-maker role, then the
 * place in the reporting line; the function from the buyer roles, then the department (or title).
 * The rules are in docs/ANALYSIS.md, "Level × function". Pure: positions and a backdrop of
 * background elements (kind "grid"), like the power grid, so screen and PDF draw the same.
 */
import type cytoscape from 'cytoscape';
import { FUNCTIONS, LEVELS, type Level, type Person, type PersonFunction, type Relation } from '../domain';
import { FUNCTION_LABEL, LEVEL_LABEL } from '../i18n/domain';
import type { Lang } from '../i18n/errors';
import type { Box, Point } from './geometry';
import { packCells } from './cells';
import { THEMES, type ThemeName } from './style';

export { FUNCTIONS };
export type FunctionName = PersonFunction;
export const LEVEL_ROWS: readonly Level[] = LEVELS;

export const LEVELS_AXIS = {
  x: { 'en-US': 'Function  →', 'zh-CN': '职能  →' },
  y: { 'en-US': 'Level  ↓', 'zh-CN': '层级  ↓' },
} as const;

/** Title words, checked on the title's first part (before a comma), in this order. */
const LEVEL_WORDS: readonly [Level, readonly string[]][] = [
  ['decision', ['president', 'chairman', 'chief', 'general manager', 'ceo', 'cfo', 'cio', '行长', '董事长', '总经理', '总裁', '局长', '总工程师', '总师']],
  ['management', ['director', 'head', 'manager', 'deputy', 'lead', '主任', '处长', '经理', '部长', '科长', '主管', '负责人', '总监']],
  ['operations', ['engineer', 'officer', 'specialist', 'analyst', 'clerk', 'staff', '工程师', '专员', '科员', '职员', '操作员']],
];
/** Department (then title) words for the function, in this order. */
const FUNCTION_WORDS: readonly [Exclude<FunctionName, 'other'>, readonly string[]][] = [
  ['technical', ['it ', 'it centre', 'it center', 'information', 'technology', 'engineering', 'network', 'data', '信息', '科技', '技术', '网络', '数据']],
  ['procurement', ['procurement', 'purchasing', 'materials', 'finance', 'planning', 'tender', 'sourcing', '采购', '物资', '财务', '计划', '招标']],
  ['user', ['business', 'operations', 'e-banking', 'power-use', 'retail', 'sales', 'service', '业务', '运营', '用电', '营业', '网点', '零售', '营销']],
];

const has = (text: string, words: readonly string[]) => {
  const t = ` ${text.toLowerCase()} `;
  return words.some((w) => t.includes(w));
};

export type Source = 'set' | 'title' | 'role' | 'line' | 'department' | 'none';

/**
 * A person's level: the level field; else the first part of the title (before a comma);
 * else decision for a decision maker; else the reporting line (`tier`, from the analysis: top of
 * a line → decision, one below → management, further → operations); else operations.
 */
export function levelOf(p: Pick<Person, 'level' | 'title' | 'roles'>, tier: Level | null = null): { level: Level; from: Source } {
  if (p.level) return { level: p.level, from: 'set' };
  const head = p.title.split(/[,，;；]/)[0] ?? '';
  for (const [level, words] of LEVEL_WORDS) if (has(head, words)) return { level, from: 'title' };
  if (p.roles.includes('decision-maker')) return { level: 'decision', from: 'role' };
  if (tier) return { level: tier, from: 'line' };
  return { level: 'operations', from: 'none' };
}

/**
 * A person's function: the function field; else the first of their buyer roles user / technical / procurement; else the
 * department's words (then the title's); else other.
 */
export function functionOf(p: Pick<Person, 'roles' | 'department' | 'title'> & { function?: PersonFunction | null }): { fn: FunctionName; from: Source } {
  if (p.function) return { fn: p.function, from: 'set' };
  for (const f of ['user', 'technical', 'procurement'] as const) if (p.roles.includes(f)) return { fn: f, from: 'role' };
  for (const text of [p.department, p.title])
    for (const [fn, words] of FUNCTION_WORDS) if (text && has(text, words)) return { fn, from: 'department' };
  return { fn: 'other', from: 'none' };
}

/**
 * The reporting-line tier of everyone in a line (the top of a line decision, one below
 * management, further operations); people outside every line are absent. Loops (a damaged file)
 * end where they close.
 */
export function lineTiers(people: readonly Pick<Person, 'id'>[], relations: readonly Pick<Relation, 'kind' | 'source' | 'target'>[]): Map<string, Level> {
  const boss = new Map<string, string>();
  const hasReports = new Set<string>();
  const known = new Set(people.map((p) => p.id));
  for (const r of relations)
    if (r.kind === 'reports_to' && known.has(r.source) && known.has(r.target)) {
      boss.set(r.source, r.target);
      hasReports.add(r.target);
    }
  const out = new Map<string, Level>();
  for (const p of people) {
    if (!boss.has(p.id) && !hasReports.has(p.id)) continue;
    let d = 0;
    const seen = new Set([p.id]);
    for (let cur = boss.get(p.id); cur !== undefined && !seen.has(cur) && d < 2; cur = boss.get(cur)) {
      seen.add(cur);
      d++;
    }
    out.set(p.id, d === 0 ? 'decision' : d === 1 ? 'management' : 'operations');
  }
  return out;
}

/** Every person's cell, and where it came from: set, or inferred as levelOf / functionOf say. */
export function levelCells(
  people: readonly Person[],
  relations: readonly Pick<Relation, 'kind' | 'source' | 'target'>[],
): Map<string, { level: Level; fn: FunctionName; levelFrom: Source; fnFrom: Source }> {
  const tiers = lineTiers(people, relations);
  const out = new Map<string, { level: Level; fn: FunctionName; levelFrom: Source; fnFrom: Source }>();
  for (const p of people) {
    const l = levelOf(p, tiers.get(p.id) ?? null);
    const f = functionOf(p);
    out.set(p.id, { level: l.level, fn: f.fn, levelFrom: l.from, fnFrom: f.from });
  }
  return out;
}

export interface LevelsPerson {
  id: string;
  level: Level;
  fn: FunctionName;
  w: number;
  h: number;
}

export interface LevelsLayout {
  positions: Record<string, Point>;
  columns: { fn: FunctionName; x1: number; x2: number }[];
  rows: { level: Level; y1: number; y2: number }[];
  cells: Box;
  bounds: Box;
}

/** Room at the top of a cell, minimum sizes. */
const HEAD = 20;
const MIN_COL_W = 220;
const MIN_ROW_H = 110;

/** Places people in their cells, packed in rows in the order given (cells.ts); our team under the grid. */
export function levelsLayout(people: readonly LevelsPerson[], members: readonly { id: string; w: number; h: number }[] = []): LevelsLayout {
  const g = packCells(
    people.map((p) => ({ id: p.id, col: p.fn, row: p.level, w: p.w, h: p.h })),
    FUNCTIONS,
    LEVEL_ROWS,
    { head: HEAD, minColW: MIN_COL_W, minRowH: MIN_ROW_H },
    members,
  );
  return {
    positions: g.positions,
    columns: g.columns.map((c) => ({ fn: c.key, x1: c.x1, x2: c.x2 })),
    rows: g.rows.map((r) => ({ level: r.key, y1: r.y1, y2: r.y2 })),
    cells: g.cells,
    bounds: { x1: -190, y1: -70, x2: g.cells.x2 + 10, y2: g.bottom },
  };
}

/** The backdrop: cell lines, the level names left of the rows, the function names above the columns. */
export function levelsBackground(g: LevelsLayout, lang: Lang, themeName: ThemeName = 'light'): cytoscape.ElementDefinition[] {
  const t = THEMES[themeName];
  const out: cytoscape.ElementDefinition[] = [];
  const rect = (id: string, b: Box, data: Record<string, unknown>, classes = '') =>
    out.push({
      group: 'nodes',
      data: { id: `g:${id}`, kind: 'grid', w: Math.max(1, b.x2 - b.x1), h: Math.max(1, b.y2 - b.y1), fill: t.background, fo: 0, bw: 0, label: '', fs: 12, fw: 'normal', ...data },
      position: { x: (b.x1 + b.x2) / 2, y: (b.y1 + b.y2) / 2 },
      classes,
      selectable: false,
      grabbable: false,
      locked: true,
    });
  g.rows.forEach((r, i) => {
    for (const c of g.columns)
      rect(`cell-${r.level}-${c.fn}`, { x1: c.x1, y1: r.y1, x2: c.x2, y2: r.y2 }, { bw: 1, fill: i === 0 ? t.gridFor : t.background, fo: 1 });
    rect(`tick-${r.level}`, { x1: -10, y1: (r.y1 + r.y2) / 2, x2: -10, y2: (r.y1 + r.y2) / 2 }, { label: LEVEL_LABEL[r.level][lang], fs: 18, fw: 'bold' }, 'g-left');
  });
  for (const c of g.columns)
    rect(`tick-${c.fn}`, { x1: (c.x1 + c.x2) / 2, y1: -22, x2: (c.x1 + c.x2) / 2, y2: -22 }, { label: FUNCTION_LABEL[c.fn][lang], fs: 18, fw: 'bold' });
  rect('axis-x', { x1: (g.cells.x1 + g.cells.x2) / 2, y1: -52, x2: (g.cells.x1 + g.cells.x2) / 2, y2: -52 }, { label: LEVELS_AXIS.x[lang], fs: 20, fw: 'bold' });
  return out;
}
