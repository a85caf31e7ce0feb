/**
 * The one cell-grid packer behind both grid layouts: the power grid (attitude × influence,
 * grid.ts) and the level × function grid (levels.ts). People go into the cell of their column
 * and row, packed in rows of slots in the order given (a slot fits the largest node plus a gap);
 * every column is as wide as its fullest cell needs (roughly twice as many rows as columns of
 * slots) and every row as tall as its fullest cell. Our team stands in a row under the cells.
 * Pure.
 */
import type { Box, Point } from './geometry';
import { placeTeamRow } from './org';

export interface CellItem<C extends string, R extends string> {
  id: string;
  col: C;
  row: R;
  w: number;
  h: number;
}

export interface CellGridOptions {
  /** Room at the top of every cell (for an area's name). */
  head: number;
  minColW: number;
  minRowH: number;
}

export interface CellGrid<C extends string, R extends string> {
  positions: Record<string, Point>;
  columns: { key: C; x1: number; x2: number }[];
  rows: { key: R; y1: number; y2: number }[];
  /** The cells' box (from 0,0). */
  cells: Box;
  /** The lowest point of what was placed (the team's row, else the cells' bottom). */
  bottom: number;
}

const GAP_X = 28;
const GAP_Y = 24;
const PAD = 14;
const MIN_SLOT_W = 130;
const MIN_SLOT_H = 36;

export function packCells<C extends string, R extends string>(
  items: readonly CellItem<C, R>[],
  columnKeys: readonly C[],
  rowKeys: readonly R[],
  opts: CellGridOptions,
  members: readonly { id: string; w: number; h: number }[] = [],
): CellGrid<C, R> {
  const slotW = Math.max(MIN_SLOT_W, ...items.map((p) => p.w)) + GAP_X;
  const slotH = Math.max(MIN_SLOT_H, ...items.map((p) => p.h)) + GAP_Y;
  const cells = new Map<string, CellItem<C, R>[]>();
  for (const p of items) {
    const k = `${p.col}|${p.row}`;
    const list = cells.get(k);
    if (list) list.push(p);
    else cells.set(k, [p]);
  }
  const count = (c: C, r: R) => cells.get(`${c}|${r}`)?.length ?? 0;
  // Slots across per column: roughly twice as many rows as columns in the fullest cell.
  const perRow = new Map<C, number>();
  for (const c of columnKeys) perRow.set(c, Math.max(1, Math.ceil(Math.sqrt(Math.max(0, ...rowKeys.map((r) => count(c, r))) / 2))));
  const columns: CellGrid<C, R>['columns'] = [];
  let x = 0;
  for (const key of columnKeys) {
    const w = Math.max(opts.minColW, perRow.get(key)! * slotW - GAP_X + 2 * PAD);
    columns.push({ key, x1: x, x2: x + w });
    x += w;
  }
  const rows: CellGrid<C, R>['rows'] = [];
  let y = 0;
  for (const key of rowKeys) {
    const lines = Math.max(0, ...columnKeys.map((c) => Math.ceil(count(c, key) / perRow.get(c)!)));
    const h = Math.max(opts.minRowH, opts.head + lines * slotH - GAP_Y + PAD);
    rows.push({ key, y1: y, y2: y + h });
    y += h;
  }
  const positions: Record<string, Point> = {};
  for (const col of columns)
    for (const row of rows) {
      const list = cells.get(`${col.key}|${row.key}`) ?? [];
      const k = perRow.get(col.key)!;
      const used = Math.min(k, list.length);
      // Centre the block of slots across the cell.
      const left = (col.x1 + col.x2) / 2 - (used * slotW - GAP_X) / 2;
      list.forEach((p, i) => {
        positions[p.id] = { x: left + (i % k) * slotW + (slotW - GAP_X) / 2, y: row.y1 + opts.head + Math.floor(i / k) * slotH + (slotH - GAP_Y) / 2 };
      });
    }
  // Our team: a row under the cells (and under the power grid's axis title).
  if (members.length) placeTeamRow(members, [{ p: { x: x / 2, y: y + 80 }, n: { w: x, h: 0 } }], positions, 30);
  const bottom = members.length ? y + 110 + Math.max(...members.map((m) => m.h)) : y + 84;
  return { positions, columns, rows, cells: { x1: 0, y1: 0, x2: x, y2: y }, bottom };
}
