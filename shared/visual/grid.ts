/**
 * The power grid: the classic influence × support 2×2. x = attitude toward us in five columns
 * (strong opponent left … champion right), y = influence in three rows (high at the top). The
 * high row against and for us, and the lower rows against and for us, are the four quadrants,
 * named; the neutral column between them is the fifth area ("persuade"). Cells size to their
 * content, and people in a cell are packed in rows of chips that never overlap.
 *
 * The backdrop — quadrant tints, cell lines, quadrant names, axis titles and ticks — is returned
 * as element definitions for locked, non-interactive background nodes, so the screen, the PNG,
 * the SVG and the PDF all draw the same grid. Pure.
 */
import type cytoscape from 'cytoscape';
import type { Attitude, Influence } from '../domain';
import { ATTITUDE_LABEL, INFLUENCE_LABEL } from '../i18n/domain';
import type { Lang } from '../i18n/errors';
import type { Box, Point } from './geometry';
import { packCells } from './cells';
import { ATTITUDE_SYMBOL, THEMES, type ThemeName } from './style';

/** Columns left to right, rows top to bottom. */
export const GRID_COLUMNS: readonly Attitude[] = ['strong-opponent', 'opponent', 'neutral', 'supporter', 'champion'];
export const GRID_ROWS: readonly Influence[] = ['high', 'medium', 'low'];

/** Room at the top of a cell for a quadrant's name. */
const HEAD = 50;
const MIN_COL_W = 196;
const MIN_ROW_H = 110;

export type QuadrantId = 'key-opponents' | 'key-supporters' | 'opponents' | 'supporters' | 'undecided';

export const QUADRANT_TITLE: Record<QuadrantId, Record<Lang, string>> = {
  'key-opponents': { 'en-US': 'Key opponents — neutralise', 'zh-CN': '关键反对者 — 化解' },
  'key-supporters': { 'en-US': 'Key supporters — leverage', 'zh-CN': '关键支持者 — 借力' },
  opponents: { 'en-US': 'Opponents — monitor', 'zh-CN': '反对者 — 关注' },
  supporters: { 'en-US': 'Supporters — develop', 'zh-CN': '支持者 — 培养' },
  undecided: { 'en-US': 'Undecided — persuade', 'zh-CN': '中立 — 争取' },
};
export const AXIS_TITLE = {
  x: { 'en-US': 'Attitude toward us  →', 'zh-CN': '对我方态度  →' },
  y: { 'en-US': 'Influence  ↑', 'zh-CN': '影响力  ↑' },
} as const;

/** Which area a cell belongs to. */
export function quadrantOf(attitude: Attitude, influence: Influence): QuadrantId {
  if (attitude === 'neutral') return 'undecided';
  const against = attitude === 'opponent' || attitude === 'strong-opponent';
  if (influence === 'high') return against ? 'key-opponents' : 'key-supporters';
  return against ? 'opponents' : 'supporters';
}

export interface GridPerson {
  id: string;
  attitude: Attitude;
  influence: Influence;
  w: number;
  h: number;
}

export interface GridLayout {
  positions: Record<string, Point>;
  columns: { attitude: Attitude; x1: number; x2: number }[];
  rows: { influence: Influence; y1: number; y2: number }[];
  /** The cells' box, and the box with the axis labels. */
  cells: Box;
  bounds: Box;
  /** Areas (model boxes) by id: the four quadrants and the neutral column. */
  areas: Record<QuadrantId, Box>;
}

/**
 * Places people in their cells, packed in rows (in the order given), and sizes columns and rows
 * to fit. Our team members, if given, stand in a row under the grid.
 */
export function gridLayout(people: readonly GridPerson[], members: readonly { id: string; w: number; h: number }[] = []): GridLayout {
  const g = packCells(
    people.map((p) => ({ id: p.id, col: p.attitude, row: p.influence, w: p.w, h: p.h })),
    GRID_COLUMNS,
    GRID_ROWS,
    { head: HEAD, minColW: MIN_COL_W, minRowH: MIN_ROW_H },
    members,
  );
  const x = g.cells.x2;
  const y = g.cells.y2;
  const columns = g.columns.map((c) => ({ attitude: c.key, x1: c.x1, x2: c.x2 }));
  const rows = g.rows.map((r) => ({ influence: r.key, y1: r.y1, y2: r.y2 }));
  const colX = (a: Attitude) => columns.find((c) => c.attitude === a)!;
  const rowY = (i: Influence) => rows.find((r) => r.influence === i)!;
  const areas: Record<QuadrantId, Box> = {
    'key-opponents': { x1: 0, y1: 0, x2: colX('opponent').x2, y2: rowY('high').y2 },
    'key-supporters': { x1: colX('supporter').x1, y1: 0, x2: x, y2: rowY('high').y2 },
    opponents: { x1: 0, y1: rowY('medium').y1, x2: colX('opponent').x2, y2: y },
    supporters: { x1: colX('supporter').x1, y1: rowY('medium').y1, x2: x, y2: y },
    undecided: { x1: colX('neutral').x1, y1: 0, x2: colX('neutral').x2, y2: y },
  };
  return { positions: g.positions, columns, rows, cells: g.cells, bounds: { x1: -150, y1: -50, x2: x + 10, y2: g.bottom }, areas };
}

/**
 * The grid's backdrop as background elements (kind "grid"): area tints under cell lines, the
 * areas' names in their top corners, the influence ticks left of the rows, the attitude ticks
 * under the columns, and both axis titles. Ids start with "g:".
 */
export function gridBackground(g: GridLayout, lang: Lang, themeName: ThemeName = 'light'): cytoscape.ElementDefinition[] {
  const t = THEMES[themeName];
  const out: cytoscape.ElementDefinition[] = [];
  // Labels-only items are 1 px boxes (Cytoscape draws no label for a node without size).
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
  const fills: Record<QuadrantId, string> = {
    'key-opponents': t.gridAgainst,
    opponents: t.gridAgainst,
    'key-supporters': t.gridFor,
    supporters: t.gridFor,
    undecided: t.gridNeutral,
  };
  for (const id of Object.keys(g.areas) as QuadrantId[]) {
    // Names sit in the area's top corner toward the outside: left for opponents, right for supporters.
    const right = id === 'key-supporters' || id === 'supporters';
    rect(`area-${id}`, g.areas[id], { fill: fills[id], fo: 1, label: QUADRANT_TITLE[id][lang], fs: 20, fw: 'bold' }, right ? 'g-tr' : 'g-tl');
  }
  for (const c of g.columns)
    for (const r of g.rows) rect(`cell-${c.attitude}-${r.influence}`, { x1: c.x1, y1: r.y1, x2: c.x2, y2: r.y2 }, { bw: 1 });
  // The line between high and lower influence: the 2×2's horizontal divide.
  const divide = g.rows[0]!.y2;
  rect('divide', { x1: g.cells.x1, y1: divide - 1.5, x2: g.cells.x2, y2: divide + 1.5 }, { fill: t.gridText, fo: 1 });
  for (const r of g.rows)
    rect(`tick-${r.influence}`, { x1: g.cells.x1 - 10, y1: (r.y1 + r.y2) / 2, x2: g.cells.x1 - 10, y2: (r.y1 + r.y2) / 2 }, { label: INFLUENCE_LABEL[r.influence][lang], fs: 18, fw: 'bold' }, 'g-left');
  for (const c of g.columns)
    rect(
      `tick-${c.attitude}`,
      { x1: (c.x1 + c.x2) / 2, y1: g.cells.y2 + 20, x2: (c.x1 + c.x2) / 2, y2: g.cells.y2 + 20 },
      { label: `${ATTITUDE_SYMBOL[c.attitude]} ${ATTITUDE_LABEL[c.attitude][lang]}`, fs: 18, fw: 'bold' },
    );
  rect('axis-x', { x1: (g.cells.x1 + g.cells.x2) / 2, y1: g.cells.y2 + 58, x2: (g.cells.x1 + g.cells.x2) / 2, y2: g.cells.y2 + 58 }, { label: AXIS_TITLE.x[lang], fs: 22, fw: 'bold' });
  rect('axis-y', { x1: g.cells.x1 - 10, y1: g.cells.y1 - 26, x2: g.cells.x1 - 10, y2: g.cells.y1 - 26 }, { label: AXIS_TITLE.y[lang], fs: 22, fw: 'bold' }, 'g-left');
  return out;
}

