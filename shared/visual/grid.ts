/**
 * The power grid: x = attitude toward us (strong opponent left … champion right), y = influence
 * (high at the top). The classic influence-vs-support matrix with four labelled quadrants. Pure
 * geometry shared by the screen and the report.
 */
import { ATTITUDES, ATTITUDE_SCORE, INFLUENCE_SCORE, type Attitude, type Influence } from '../domain';
import type { Lang } from '../i18n/errors';

/** Width of one attitude column and height of one influence row, in model px. */
export const GRID_COL = 230;
export const GRID_ROW = 250;
/** Spacing of people sharing a cell. */
const CELL_GAP_X = 78;
const CELL_GAP_Y = 78;

/** Centre of the cell of this attitude and influence. */
export function gridCell(attitude: Attitude, influence: Influence): { x: number; y: number } {
  return { x: ATTITUDE_SCORE[attitude] * GRID_COL, y: (3 - INFLUENCE_SCORE[influence]) * GRID_ROW };
}

export interface GridItem {
  id: string;
  attitude: Attitude;
  influence: Influence;
}

/**
 * Positions of people on the grid: each in the cell of its attitude × influence, several in one
 * cell spread in a small block around the cell centre (stable: ordered as given).
 */
export function powerGridPositions(items: readonly GridItem[]): Record<string, { x: number; y: number }> {
  const cells = new Map<string, GridItem[]>();
  for (const it of items) {
    const k = `${it.attitude}|${it.influence}`;
    const list = cells.get(k);
    if (list) list.push(it);
    else cells.set(k, [it]);
  }
  const out: Record<string, { x: number; y: number }> = {};
  for (const list of cells.values()) {
    const first = list[0]!;
    const c = gridCell(first.attitude, first.influence);
    const cols = Math.max(1, Math.ceil(Math.sqrt(list.length * 1.4)));
    const rows = Math.ceil(list.length / cols);
    // Squeeze big cells so they stay inside their column.
    const gx = Math.min(CELL_GAP_X, (GRID_COL - 40) / Math.max(1, cols - 1));
    const gy = Math.min(CELL_GAP_Y, (GRID_ROW - 60) / Math.max(1, rows - 1));
    list.forEach((it, i) => {
      const col = i % cols;
      const row = Math.floor(i / cols);
      out[it.id] = { x: c.x + (col - (cols - 1) / 2) * gx, y: c.y + (row - (rows - 1) / 2) * gy };
    });
  }
  return out;
}

/** The model-space box of the grid (with a margin for labels). */
export const GRID_BOUNDS = {
  x1: -2.5 * GRID_COL,
  x2: 2.5 * GRID_COL,
  y1: -0.5 * GRID_ROW,
  y2: 2.5 * GRID_ROW,
};

export interface Quadrant {
  id: 'manage-closely' | 'leverage' | 'keep-informed' | 'monitor';
  /** Model-space rectangle. */
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  title: Record<Lang, string>;
  hint: Record<Lang, string>;
}

const MID_Y = 0.5 * GRID_ROW; // between high (y=0) and medium (y=GRID_ROW)… high influence is the top band

/**
 * Four quadrants: high influence above the line between "high" and "medium", supportive to the
 * right of neutral. Neutral people sit on the vertical axis.
 */
export function quadrants(): Quadrant[] {
  const b = GRID_BOUNDS;
  return [
    {
      id: 'manage-closely',
      x1: b.x1,
      y1: b.y1,
      x2: 0,
      y2: MID_Y,
      title: { 'en-US': 'Key risks — convert or neutralise', 'zh-CN': '关键风险 — 转化或中和' },
      hint: { 'en-US': 'High influence, against us', 'zh-CN': '影响力高，反对我方' },
    },
    {
      id: 'leverage',
      x1: 0,
      y1: b.y1,
      x2: b.x2,
      y2: MID_Y,
      title: { 'en-US': 'Key allies — leverage', 'zh-CN': '关键盟友 — 借力' },
      hint: { 'en-US': 'High influence, for us', 'zh-CN': '影响力高，支持我方' },
    },
    {
      id: 'monitor',
      x1: b.x1,
      y1: MID_Y,
      x2: 0,
      y2: b.y2,
      title: { 'en-US': 'Monitor', 'zh-CN': '关注' },
      hint: { 'en-US': 'Lower influence, against us', 'zh-CN': '影响力较低，反对我方' },
    },
    {
      id: 'keep-informed',
      x1: 0,
      y1: MID_Y,
      x2: b.x2,
      y2: b.y2,
      title: { 'en-US': 'Keep informed — develop', 'zh-CN': '保持沟通 — 培养' },
      hint: { 'en-US': 'Lower influence, for us', 'zh-CN': '影响力较低，支持我方' },
    },
  ];
}

/** Axis tick labels: attitude columns along x, influence rows along y. */
export function gridAxes(): { columns: { attitude: Attitude; x: number }[]; rows: { influence: Influence; y: number }[] } {
  return {
    columns: ATTITUDES.map((a) => ({ attitude: a, x: ATTITUDE_SCORE[a] * GRID_COL })),
    rows: (['high', 'medium', 'low'] as const).map((i) => ({ influence: i, y: (3 - INFLUENCE_SCORE[i]) * GRID_ROW })),
  };
}
