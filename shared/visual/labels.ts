/**
 * Labels that stay legible: a name is never drawn smaller than a floor (9 px on screen). As the
 * map is zoomed out the label switches to a shorter, larger form (levels of detail), and where
 * the larger labels would collide, the less influential person's label gives way — labels never
 * overlap. Pure: the canvas calls it when the zoom crosses a level or people move; the report
 * calls it once for the scale the page prints at.
 *
 * Levels (classes in the stylesheet): 0 = the full card (11 px text); 1 = name and title at 16 px;
 * 2 = the name alone at 21 px (both still inside the card); 3 and 4 = the name at 40 and 64 px,
 * centred on the card, with a backing; 5 = no labels (a map seen from so far that no name could
 * be read).
 */
import type { Box } from './geometry';
import { FONT, LINE_HEIGHT } from './style';

export type Lod = 0 | 1 | 2 | 3 | 4 | 5;
export const LOD_CLASSES = ['', 'lod-1', 'lod-2', 'lod-3', 'lod-4', 'lbl-off'] as const;

/** Smallest legible text in rendered px: the screen, and print (8 CSS px = 6 pt, issue 22 item 4). */
export const MIN_SCREEN_PX = 9;
export const MIN_PRINT_PX = 8;

/** The level for `scale` rendered px per model px. */
export function lodFor(scale: number, minPx = MIN_SCREEN_PX): Lod {
  if (scale * FONT.full >= minPx) return 0;
  if (scale * FONT.two >= minPx) return 1;
  if (scale * FONT.name >= minPx) return 2;
  if (scale * FONT.lod3 >= minPx) return 3;
  if (scale * FONT.lod4 >= minPx) return 4;
  return 5;
}

export interface LabelNode {
  id: string;
  x: number;
  y: number;
  /** The card's size. */
  w: number;
  h: number;
  /** Higher keeps its label. */
  prio: number;
  /** Width of the overview label (the full name) at 1 px font size. */
  nmw: number;
}

/** The box a node's label takes at a level (model px). */
export function labelBox(n: LabelNode, lod: Lod, fontPx?: number): { x1: number; y1: number; x2: number; y2: number } {
  if (lod <= 2) return { x1: n.x - n.w / 2 + 2, y1: n.y - n.h / 2 + 2, x2: n.x + n.w / 2 - 2, y2: n.y + n.h / 2 - 2 };
  const fs = fontPx ?? (lod === 3 ? FONT.lod3 : FONT.lod4);
  const w = n.nmw * fs + 8;
  // A given size is print's: the box spans the fonts' full ascent to descent (Chinese ~1.45 em).
  const h = fs * (fontPx === undefined ? LINE_HEIGHT : 1.5) + 6;
  return { x1: n.x - w / 2, y1: n.y - h / 2, x2: n.x + w / 2, y2: n.y + h / 2 };
}

/**
 * The nodes whose label must give way at this level: greedily, most influential first, a label
 * is kept when it overlaps no label kept before it, nor any of the `fixed` boxes (labels that
 * always stay, such as the power grid's axes). `fontPx` sets the overview names' size at level 4
 * (a printed overview page whose scale would leave no name at 64 px legible).
 */
export function labelsGivingWay(nodes: readonly LabelNode[], lod: Lod, fixed: readonly Box[] = [], fontPx?: number): Set<string> {
  const off = new Set<string>();
  if (lod === 5) {
    for (const n of nodes) off.add(n.id);
    return off;
  }
  const order = [...nodes].sort((a, b) => b.prio - a.prio || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const cell = Math.max(lod <= 2 ? 240 : lod === 3 ? 400 : 700, (fontPx ?? 0) * 10);
  const grid = new Map<number, { x1: number; y1: number; x2: number; y2: number }[]>();
  const key = (cx: number, cy: number) => cx * 131071 + cy;
  const put = (b: Box) => {
    for (let cx = Math.floor(b.x1 / cell); cx <= Math.floor(b.x2 / cell); cx++)
      for (let cy = Math.floor(b.y1 / cell); cy <= Math.floor(b.y2 / cell); cy++) {
        const k = key(cx, cy);
        const list = grid.get(k);
        if (list) list.push(b);
        else grid.set(k, [b]);
      }
  };
  for (const b of fixed) put(b);
  for (const n of order) {
    const b = labelBox(n, lod, fontPx);
    const cx1 = Math.floor(b.x1 / cell);
    const cx2 = Math.floor(b.x2 / cell);
    const cy1 = Math.floor(b.y1 / cell);
    const cy2 = Math.floor(b.y2 / cell);
    let hit = false;
    for (let cx = cx1; cx <= cx2 && !hit; cx++)
      for (let cy = cy1; cy <= cy2 && !hit; cy++)
        for (const o of grid.get(key(cx, cy)) ?? [])
          if (b.x1 < o.x2 && o.x1 < b.x2 && b.y1 < o.y2 && o.y1 < b.y2) {
            hit = true;
            break;
          }
    if (hit) {
      off.add(n.id);
      continue;
    }
    put(b);
  }
  return off;
}
