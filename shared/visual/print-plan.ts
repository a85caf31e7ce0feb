/**
 * Prints that hold up (issue 22 item 4): how a map that does not fit one page legibly is spread
 * over several. Pure; the report view (renderer/report/print-pages.ts) draws what this plans.
 *
 * "Fits one page legibly" is measured, not counted: at the scale the page prints the whole map,
 * every person's name must be drawn inside its card (label level 0–2, labels.ts) at ≥ 6 pt, and no
 * label may have to give way. Otherwise the map prints as
 * - an overview page: the whole map, names of high-influence people only (where they fit without
 *   overlapping), each department's region labelled with "→ p.N";
 * - one page per department (people without one together), drawn at a readable scale with its own
 *   layout; a department too large for one page is cut into tiles by where its people sit, each
 *   tile a page of its own.
 */
import type { Lang } from '../i18n/errors';
import type { Box } from './geometry';
import type { Lod } from './labels';

/** Smallest printed text: 6 pt. */
export const MIN_PRINT_PT = 6;
/** CSS px per pt (96 px per inch, 72 pt per inch). */
export const PX_PER_PT = 96 / 72;

/** Whether a drawing fits its page legibly: every name inside its card, none giving way. */
export const fitsLegibly = (lod: Lod, givingWay: number): boolean => lod <= 2 && givingWay === 0;

export interface PlanPerson {
  id: string;
  department: string;
}

export interface Department {
  /** The department's name as people wrote it (trimmed); '' for people without one. */
  name: string;
  ids: string[];
}

/**
 * People by department, in the order given by `order` (lower first; ties by name). Names compare
 * trimmed and case-insensitively, so "Finance" and "finance " are one department.
 */
export function departments(people: readonly PlanPerson[], order?: (ids: string[]) => number): Department[] {
  const by = new Map<string, Department>();
  for (const p of people) {
    const name = p.department.trim();
    const key = name.toLocaleLowerCase();
    const d = by.get(key);
    if (d) d.ids.push(p.id);
    else by.set(key, { name, ids: [p.id] });
  }
  const all = [...by.values()];
  const rank = new Map(all.map((d) => [d, order ? order(d.ids) : 0]));
  // People without a department come last.
  return all.sort((a, b) => Number(a.name === '') - Number(b.name === '') || rank.get(a)! - rank.get(b)! || a.name.localeCompare(b.name));
}

export interface TileNode {
  id: string;
  x: number;
  y: number;
  w: number;
  h: number;
}

/**
 * Cuts a drawing too large for one page into tiles: a grid of cells, each at most `capW`×`capH`
 * (model px), people assigned by their centre; empty tiles are dropped. A card never straddles two
 * pages: each tile page draws only its own people, framed by their own bounds.
 */
export function tiles(nodes: readonly TileNode[], capW: number, capH: number): string[][] {
  if (!nodes.length) return [];
  const x1 = Math.min(...nodes.map((n) => n.x - n.w / 2));
  const y1 = Math.min(...nodes.map((n) => n.y - n.h / 2));
  const x2 = Math.max(...nodes.map((n) => n.x + n.w / 2));
  const y2 = Math.max(...nodes.map((n) => n.y + n.h / 2));
  const cols = Math.max(1, Math.ceil((x2 - x1) / capW));
  const rows = Math.max(1, Math.ceil((y2 - y1) / capH));
  const cw = (x2 - x1) / cols;
  const ch = (y2 - y1) / rows;
  const cells: string[][] = Array.from({ length: cols * rows }, () => []);
  for (const n of nodes) {
    const c = Math.min(cols - 1, Math.max(0, Math.floor((n.x - x1) / cw)));
    const r = Math.min(rows - 1, Math.max(0, Math.floor((n.y - y1) / ch)));
    cells[r * cols + c]!.push(n.id);
  }
  return cells.filter((c) => c.length > 0);
}

/** "→ p.4", "→ p.4–6" (both languages read the arrow and page number the same way). */
export function pageRef(pages: readonly number[], lang: Lang): string {
  const first = pages[0]!;
  const last = pages[pages.length - 1]!;
  const span = first === last ? `${first}` : `${first}–${last}`;
  return lang === 'zh-CN' ? `→ 第${span}页` : `→ p.${span}`;
}

export interface RegionLabel {
  /** Centre of the label and its size, model px. */
  x: number;
  y: number;
  w: number;
  h: number;
}

/**
 * Where each region's label goes: the first of a few spots inside the region (top centre, centre,
 * bottom centre, then a scan of the region) where it overlaps no label placed before it; failing
 * that, below everything, in a row. Labels never overlap each other.
 */
export function placeRegionLabels(regions: readonly { box: Box; w: number; h: number }[], below: number): RegionLabel[] {
  const placed: Box[] = [];
  const out: RegionLabel[] = [];
  const free = (b: Box) => placed.every((o) => !(b.x1 < o.x2 && o.x1 < b.x2 && b.y1 < o.y2 && o.y1 < b.y2));
  let rowX: number | null = null;
  for (const r of regions) {
    const { box, w, h } = r;
    const cx = (box.x1 + box.x2) / 2;
    const spots: { x: number; y: number }[] = [
      { x: cx, y: box.y1 + h / 2 + 4 },
      { x: cx, y: (box.y1 + box.y2) / 2 },
      { x: cx, y: box.y2 - h / 2 - 4 },
    ];
    const stepY = h * 1.2;
    for (let y = box.y1 + h / 2; y <= box.y2 - h / 2; y += stepY)
      for (let x = box.x1 + w / 2; x <= box.x2 - w / 2; x += w / 2) spots.push({ x, y });
    let spot = spots.find((s) => free({ x1: s.x - w / 2, y1: s.y - h / 2, x2: s.x + w / 2, y2: s.y + h / 2 }));
    if (!spot) {
      rowX = rowX ?? Math.min(...regions.map((q) => q.box.x1));
      spot = { x: rowX + w / 2, y: below + h };
      rowX += w + h;
    }
    const b = { x1: spot.x - w / 2, y1: spot.y - h / 2, x2: spot.x + w / 2, y2: spot.y + h / 2 };
    placed.push(b);
    out.push({ x: spot.x, y: spot.y, w, h });
  }
  return out;
}
