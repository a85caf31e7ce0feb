/**
 * The level × function grid Chinese teams draw (决策层/管理层/操作层 × 使用/技术/采购): rows
 * decision / management / operations, columns user / technical / procurement / other. Where a
 * person has no explicit level, it is read from the title, then the decision-maker role, then the
 * place in the reporting line; the function from the buyer roles, then the department (or title).
 * The rules are in docs/ANALYSIS.md, "Level × function". Pure: positions and a backdrop of
 * background elements (kind "grid"), like the power grid, so screen and PDF draw the same.
 */
import type cytoscape from 'cytoscape';
import type { Level, Person } from '../domain';
import { LEVEL_LABEL } from '../i18n/domain';
import type { Lang } from '../i18n/errors';
import type { Box, Point } from './geometry';
import { placeTeamRow } from './org';
import { THEMES, type ThemeName } from './style';

export const FUNCTIONS = ['user', 'technical', 'procurement', 'other'] as const;
export type FunctionName = (typeof FUNCTIONS)[number];
export const LEVEL_ROWS: readonly Level[] = ['decision', 'management', 'operations'];

export const FUNCTION_LABEL: Record<FunctionName, Record<Lang, string>> = {
  user: { 'en-US': 'User (使用)', 'zh-CN': '使用' },
  technical: { 'en-US': 'Technical (技术)', 'zh-CN': '技术' },
  procurement: { 'en-US': 'Procurement (采购)', 'zh-CN': '采购' },
  other: { 'en-US': 'Other', 'zh-CN': '其他' },
};
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
 * A person's function: the first of their buyer roles user / technical / procurement; else the
 * department's words (then the title's); else other.
 */
export function functionOf(p: Pick<Person, 'roles' | 'department' | 'title'>): { fn: FunctionName; from: Source } {
  for (const f of ['user', 'technical', 'procurement'] as const) if (p.roles.includes(f)) return { fn: f, from: 'role' };
  for (const text of [p.department, p.title])
    for (const [fn, words] of FUNCTION_WORDS) if (text && has(text, words)) return { fn, from: 'department' };
  return { fn: 'other', from: 'none' };
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

const GAP_X = 28;
const GAP_Y = 24;
const PAD = 14;
const HEAD = 20;
const MIN_COL_W = 220;
const MIN_ROW_H = 110;

/** Places people in their cells, packed in rows in the order given; our team under the grid. */
export function levelsLayout(people: readonly LevelsPerson[], members: readonly { id: string; w: number; h: number }[] = []): LevelsLayout {
  const slotW = Math.max(130, ...people.map((p) => p.w)) + GAP_X;
  const slotH = Math.max(36, ...people.map((p) => p.h)) + GAP_Y;
  const cells = new Map<string, LevelsPerson[]>();
  for (const p of people) {
    const k = `${p.level}|${p.fn}`;
    const list = cells.get(k);
    if (list) list.push(p);
    else cells.set(k, [p]);
  }
  const count = (l: Level, f: FunctionName) => cells.get(`${l}|${f}`)?.length ?? 0;
  const perRow = new Map<FunctionName, number>();
  for (const f of FUNCTIONS) perRow.set(f, Math.max(1, Math.ceil(Math.sqrt(Math.max(...LEVEL_ROWS.map((l) => count(l, f))) / 2))));
  const columns: LevelsLayout['columns'] = [];
  let x = 0;
  for (const fn of FUNCTIONS) {
    const w = Math.max(MIN_COL_W, perRow.get(fn)! * slotW - GAP_X + 2 * PAD);
    columns.push({ fn, x1: x, x2: x + w });
    x += w;
  }
  const rows: LevelsLayout['rows'] = [];
  let y = 0;
  for (const level of LEVEL_ROWS) {
    const lines = Math.max(...FUNCTIONS.map((f) => Math.ceil(count(level, f) / perRow.get(f)!)));
    const h = Math.max(MIN_ROW_H, HEAD + lines * slotH - GAP_Y + PAD);
    rows.push({ level, y1: y, y2: y + h });
    y += h;
  }
  const positions: Record<string, Point> = {};
  for (const col of columns)
    for (const row of rows) {
      const list = cells.get(`${row.level}|${col.fn}`) ?? [];
      const k = perRow.get(col.fn)!;
      const used = Math.min(k, list.length);
      const left = (col.x1 + col.x2) / 2 - (used * slotW - GAP_X) / 2;
      list.forEach((p, i) => {
        positions[p.id] = { x: left + (i % k) * slotW + (slotW - GAP_X) / 2, y: row.y1 + HEAD + Math.floor(i / k) * slotH + (slotH - GAP_Y) / 2 };
      });
    }
  if (members.length) placeTeamRow(members, [{ p: { x: x / 2, y: y + 80 }, n: { w: x, h: 0 } }], positions, 30);
  const bottom = members.length ? y + 110 + Math.max(...members.map((m) => m.h)) : y + 84;
  return { positions, columns, rows, cells: { x1: 0, y1: 0, x2: x, y2: y }, bounds: { x1: -190, y1: -70, x2: x + 10, y2: bottom } };
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
