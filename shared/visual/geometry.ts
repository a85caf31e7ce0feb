/** Plane geometry for layouts, routes and their tests: points, boxes, segments. Pure. */

export interface Point {
  x: number;
  y: number;
}
export interface Box {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

export const boxAround = (c: Point, w: number, h: number): Box => ({ x1: c.x - w / 2, y1: c.y - h / 2, x2: c.x + w / 2, y2: c.y + h / 2 });
export const inflate = (b: Box, d: number): Box => ({ x1: b.x1 - d, y1: b.y1 - d, x2: b.x2 + d, y2: b.y2 + d });
export const boxesOverlap = (a: Box, b: Box, gap = 0): boolean =>
  a.x1 < b.x2 + gap && b.x1 < a.x2 + gap && a.y1 < b.y2 + gap && b.y1 < a.y2 + gap;
export const insideBox = (p: Point, b: Box): boolean => p.x > b.x1 && p.x < b.x2 && p.y > b.y1 && p.y < b.y2;
export const unionBox = (boxes: Iterable<Box>): Box | null => {
  let out: Box | null = null;
  for (const b of boxes)
    out = out ? { x1: Math.min(out.x1, b.x1), y1: Math.min(out.y1, b.y1), x2: Math.max(out.x2, b.x2), y2: Math.max(out.y2, b.y2) } : { ...b };
  return out;
};

/** Does the segment p→q cross the inside of box b (Liang–Barsky clipping; no allocation)? */
export function segmentHitsBox(p: Point, q: Point, b: Box): boolean {
  const dx = q.x - p.x;
  const dy = q.y - p.y;
  let t0 = 0;
  let t1 = 1;
  // Each side: pp·t ≤ qq.
  for (let side = 0; side < 4; side++) {
    const pp = side === 0 ? -dx : side === 1 ? dx : side === 2 ? -dy : dy;
    const qq = side === 0 ? p.x - b.x1 : side === 1 ? b.x2 - p.x : side === 2 ? p.y - b.y1 : b.y2 - p.y;
    if (pp === 0) {
      if (qq <= 0) return false;
    } else {
      const r = qq / pp;
      if (pp < 0) {
        if (r > t1) return false;
        if (r > t0) t0 = r;
      } else {
        if (r < t0) return false;
        if (r < t1) t1 = r;
      }
    }
  }
  return t1 - t0 > 1e-9;
}

/** Distance from point to segment. */
export function pointSegmentDistance(p: Point, a: Point, b: Point): number {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const l2 = dx * dx + dy * dy;
  const t = l2 === 0 ? 0 : Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / l2));
  return Math.hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy));
}

/** Shortest distance between segment a→b and box (0 when they touch or cross). */
export function segmentBoxDistance(a: Point, b: Point, box: Box): number {
  if (segmentHitsBox(a, b, box) || insideBox(a, box) || insideBox(b, box)) return 0;
  const corners: Point[] = [
    { x: box.x1, y: box.y1 },
    { x: box.x2, y: box.y1 },
    { x: box.x2, y: box.y2 },
    { x: box.x1, y: box.y2 },
  ];
  let d = Infinity;
  for (let i = 0; i < 4; i++) d = Math.min(d, pointSegmentDistance(corners[i]!, a, b));
  // Segment end points against the box's sides.
  for (const p of [a, b]) {
    const cx = Math.max(box.x1, Math.min(box.x2, p.x));
    const cy = Math.max(box.y1, Math.min(box.y2, p.y));
    d = Math.min(d, Math.hypot(p.x - cx, p.y - cy));
  }
  return d;
}

/** Shortest distance between a polyline and a box. */
export function polylineBoxDistance(pts: readonly Point[], box: Box): number {
  let d = Infinity;
  for (let i = 1; i < pts.length; i++) d = Math.min(d, segmentBoxDistance(pts[i - 1]!, pts[i]!, box));
  return d;
}

/** Where the ray from the centre of `b` toward `p` leaves `b`. */
export function exitPoint(b: Box, p: Point): Point {
  const cx = (b.x1 + b.x2) / 2;
  const cy = (b.y1 + b.y2) / 2;
  const dx = p.x - cx;
  const dy = p.y - cy;
  if (dx === 0 && dy === 0) return { x: cx, y: cy };
  const hw = (b.x2 - b.x1) / 2;
  const hh = (b.y2 - b.y1) / 2;
  const t = Math.min(dx === 0 ? Infinity : hw / Math.abs(dx), dy === 0 ? Infinity : hh / Math.abs(dy));
  return { x: cx + dx * t, y: cy + dy * t };
}

/**
 * Pushes boxes apart until no two are closer than `gap` (pinned ones never move). Moves along the
 * axis of least overlap, so a layout's shape survives; stable for a given input order.
 */
export function removeOverlaps(
  items: { id: string; x: number; y: number; w: number; h: number; pinned?: boolean }[],
  gap: number,
  maxRounds = 300,
): Record<string, Point> {
  const pos = items.map((it) => ({ ...it }));
  for (let round = 0; round < maxRounds; round++) {
    let moved = false;
    // Sweep along x: only pairs whose x ranges meet can overlap.
    const order = pos.map((_p, i) => i).sort((i, j) => pos[i]!.x - pos[i]!.w / 2 - (pos[j]!.x - pos[j]!.w / 2));
    for (let ii = 0; ii < order.length; ii++) {
      const a = pos[order[ii]!]!;
      for (let jj = ii + 1; jj < order.length; jj++) {
        const b = pos[order[jj]!]!;
        if (b.x - b.w / 2 >= a.x + a.w / 2 + gap) break;
        const ox = (a.w + b.w) / 2 + gap - Math.abs(a.x - b.x);
        const oy = (a.h + b.h) / 2 + gap - Math.abs(a.y - b.y);
        if (ox <= 0 || oy <= 0) continue;
        moved = true;
        const share = a.pinned ? (b.pinned ? 0 : 1) : b.pinned ? 0 : 0.5;
        const shareA = a.pinned ? 0 : b.pinned ? 1 : 0.5;
        if (share === 0 && shareA === 0) continue;
        if (ox < oy) {
          const s = a.x <= b.x ? 1 : -1;
          a.x -= s * ox * shareA;
          b.x += s * ox * share;
        } else {
          const s = a.y <= b.y ? 1 : -1;
          a.y -= s * oy * shareA;
          b.y += s * oy * share;
        }
      }
    }
    if (!moved) break;
  }
  return Object.fromEntries(pos.map((p) => [p.id, { x: p.x, y: p.y }]));
}
