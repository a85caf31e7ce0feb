/**
 * Lines routed around people: every line between two people is drawn as a polyline that keeps a
 * clearance from every other person's card. Shortest paths on the visibility graph of the cards'
 * inflated corners (the textbook obstacle-avoiding router), computed lazily with A*: most lines
 * see their other end directly and cost one visibility test. Several lines between the same two
 * people share one path, offset side by side. Pure; runs in the layout worker, on the main thread
 * and in the report.
 *
 * The result is handed to Cytoscape as `segments` geometry (routeStyleData): source and target
 * endpoints relative to the node centres, and each bend as a weight along / distance across the
 * endpoint line (`edge-distances: endpoints`), so exports draw exactly what the screen draws.
 */
import { boxAround, exitPoint, insideBox, segmentHitsBox, type Box, type Point } from './geometry';

export interface RouteNode {
  id: string;
  x: number;
  y: number;
  w: number;
  h: number;
}
export interface RouteEdge {
  id: string;
  source: string;
  target: string;
}
export interface RouteOptions {
  /** Distance kept from every card that is not an end of the line. */
  clearance?: number;
  /** Distance between lines that join the same two people. */
  spread?: number;
  /** Above this many nodes, lines are not routed (drawn straight). */
  maxNodes?: number;
}

export const ROUTE_CLEARANCE = 16;
export const ROUTE_SPREAD = 8;
/**
 * Routing every line costs about n·√n: measured on generated org charts (departmentalMap, under
 * load on 2 cores) 0.4–1 s for 300 people in the worker, 3.5 s for 500, 15 s for 1,000. Up to this
 * many cards (a 300–400-person map with our team) lines are routed; beyond it they are straight.
 */
export const ROUTE_MAX_NODES = 420;
/** The closer clearance used where the full one leaves no way through. */
export const TIGHT_CLEARANCE = 9;

const pathLength = (pts: readonly Point[]) => {
  let l = 0;
  for (let i = 1; i < pts.length; i++) l += Math.hypot(pts[i]!.x - pts[i - 1]!.x, pts[i]!.y - pts[i - 1]!.y);
  return l;
};

/**
 * A uniform grid over the inflated cards, walked cell by cell along a segment (Amanatides–Woo),
 * so a visibility test looks only at the cards near the segment.
 */
class BoxGrid {
  private readonly cells = new Map<number, number[]>();
  private readonly stamp: Uint32Array;
  private tick = 0;
  constructor(
    private readonly zones: readonly Box[],
    private readonly size: number,
  ) {
    this.stamp = new Uint32Array(zones.length);
    zones.forEach((b, i) => {
      for (let cx = Math.floor(b.x1 / size); cx <= Math.floor(b.x2 / size); cx++)
        for (let cy = Math.floor(b.y1 / size); cy <= Math.floor(b.y2 / size); cy++) {
          const k = cx * 100003 + cy;
          const list = this.cells.get(k);
          if (list) list.push(i);
          else this.cells.set(k, [i]);
        }
    });
  }
  /** True when no zone but `skipA`/`skipB` is crossed by p→q. */
  clear(p: Point, q: Point, skipA: number, skipB: number): boolean {
    const s = this.size;
    if (++this.tick === 0xffffffff) {
      this.stamp.fill(0);
      this.tick = 1;
    }
    const tick = this.tick;
    let cx = Math.floor(p.x / s);
    let cy = Math.floor(p.y / s);
    const ex = Math.floor(q.x / s);
    const ey = Math.floor(q.y / s);
    const dx = q.x - p.x;
    const dy = q.y - p.y;
    const stepX = dx > 0 ? 1 : -1;
    const stepY = dy > 0 ? 1 : -1;
    const tDeltaX = dx === 0 ? Infinity : Math.abs(s / dx);
    const tDeltaY = dy === 0 ? Infinity : Math.abs(s / dy);
    let tMaxX = dx === 0 ? Infinity : ((dx > 0 ? (cx + 1) * s : cx * s) - p.x) / dx;
    let tMaxY = dy === 0 ? Infinity : ((dy > 0 ? (cy + 1) * s : cy * s) - p.y) / dy;
    for (let guard = 0; guard < 100000; guard++) {
      const list = this.cells.get(cx * 100003 + cy);
      if (list)
        for (const j of list) {
          if (this.stamp[j] === tick) continue;
          this.stamp[j] = tick;
          if (j === skipA || j === skipB) continue;
          if (segmentHitsBox(p, q, this.zones[j]!)) return false;
        }
      if (cx === ex && cy === ey) break;
      if (tMaxX < tMaxY) {
        if (tMaxX > 1) break;
        tMaxX += tDeltaX;
        cx += stepX;
      } else {
        if (tMaxY > 1) break;
        tMaxY += tDeltaY;
        cy += stepY;
      }
    }
    return true;
  }
  /** Zones whose cell holds p. */
  at(p: Point): readonly number[] {
    return this.cells.get(Math.floor(p.x / this.size) * 100003 + Math.floor(p.y / this.size)) ?? [];
  }
}

/** A binary min-heap of (key, value). */
class Heap {
  private readonly k: number[] = [];
  private readonly v: number[] = [];
  get size() {
    return this.k.length;
  }
  push(key: number, val: number): void {
    const k = this.k;
    const v = this.v;
    let i = k.length;
    k.push(key);
    v.push(val);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (k[p]! <= key) break;
      k[i] = k[p]!;
      v[i] = v[p]!;
      i = p;
    }
    k[i] = key;
    v[i] = val;
  }
  pop(): number {
    const k = this.k;
    const v = this.v;
    const top = v[0]!;
    const lk = k.pop()!;
    const lv = v.pop()!;
    if (k.length) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= k.length) break;
        const r = l + 1;
        const c = r < k.length && k[r]! < k[l]! ? r : l;
        if (k[c]! >= lk) break;
        k[i] = k[c]!;
        v[i] = v[c]!;
        i = c;
      }
      k[i] = lk;
      v[i] = lv;
    }
    return top;
  }
}

const dist = (a: Point, b: Point) => Math.hypot(a.x - b.x, a.y - b.y);

interface Corner {
  p: Point;
  owner: number;
  /** Outward diagonal of the corner (±1, ±1). */
  sx: number;
  sy: number;
}

/**
 * Is the line through corner c in direction (dx, dy) a tangent of c's card (the card wholly on one
 * side)? Only such lines can carry a shortest path around the card.
 */
function tangentAt(c: Corner, dx: number, dy: number, hw: number, hh: number): boolean {
  // The two neighbouring corners of the (inflated) card, relative to c.
  const ax = -2 * hw * c.sx;
  const by = -2 * hh * c.sy;
  const c1 = dx * 0 - dy * ax; // cross(d, (ax, 0))
  const c2 = dx * by - dy * 0; // cross(d, (0, by))
  return (c1 >= -1e-9 && c2 >= -1e-9) || (c1 <= 1e-9 && c2 <= 1e-9);
}

export class Router {
  private readonly byId = new Map<string, number>();
  private readonly grid: BoxGrid;
  private readonly corners: Corner[] = [];
  /** Visibility graph between corners (bitangent, clear), built once. */
  private readonly adj: { to: number; d: number }[][];

  constructor(
    readonly nodes: readonly RouteNode[],
    readonly clearance = ROUTE_CLEARANCE,
  ) {
    nodes.forEach((n, i) => this.byId.set(n.id, i));
    const c = clearance;
    const zones = nodes.map((n) => boxAround(n, n.w + 2 * (c - 0.75), n.h + 2 * (c - 0.75)));
    const maxSide = nodes.reduce((m, n) => Math.max(m, n.w, n.h), 40);
    this.grid = new BoxGrid(zones, Math.max(80, maxSide + 2 * c));
    for (let i = 0; i < nodes.length; i++) {
      const n = nodes[i]!;
      const hw = n.w / 2 + c;
      const hh = n.h / 2 + c;
      for (const [sx, sy] of [
        [-1, -1],
        [1, -1],
        [1, 1],
        [-1, 1],
      ] as const) {
        const p = { x: n.x + sx * hw, y: n.y + sy * hh };
        // A corner inside another card's clearance cannot be passed.
        if (this.grid.at(p).some((j) => j !== i && insideBox(p, zones[j]!))) continue;
        this.corners.push({ p, owner: i, sx, sy });
      }
    }
    const k = this.corners.length;
    this.adj = Array.from({ length: k }, () => []);
    for (let a = 0; a < k; a++) {
      const A = this.corners[a]!;
      const na = nodes[A.owner]!;
      for (let b = a + 1; b < k; b++) {
        const B = this.corners[b]!;
        if (A.owner === B.owner) {
          // Along a side of the same card.
          if (A.sx === B.sx || A.sy === B.sy) {
            if (this.grid.clear(A.p, B.p, A.owner, -1)) {
              const d = dist(A.p, B.p);
              this.adj[a]!.push({ to: b, d });
              this.adj[b]!.push({ to: a, d });
            }
          }
          continue;
        }
        const nb = nodes[B.owner]!;
        const dx = B.p.x - A.p.x;
        const dy = B.p.y - A.p.y;
        if (!tangentAt(A, dx, dy, na.w / 2 + c, na.h / 2 + c) || !tangentAt(B, dx, dy, nb.w / 2 + c, nb.h / 2 + c)) continue;
        if (!this.grid.clear(A.p, B.p, A.owner, B.owner)) continue;
        const d = Math.hypot(dx, dy);
        this.adj[a]!.push({ to: b, d });
        this.adj[b]!.push({ to: a, d });
      }
    }
  }

  index(id: string): number {
    return this.byId.get(id) ?? -1;
  }

  box(id: string): Box | null {
    const i = this.byId.get(id);
    if (i === undefined) return null;
    const n = this.nodes[i]!;
    return boxAround(n, n.w, n.h);
  }

  /**
   * The shortest path from the centre of `source` to the centre of `target` that keeps the
   * clearance from every other card, or null when none exists.
   */
  path(source: string, target: string): Point[] | null {
    // First among the corners near the straight line (an ellipse around both ends), then, if
    // that finds nothing, among all.
    return this.search(source, target, 1.6, 400) ?? this.search(source, target, Infinity, Infinity);
  }

  private search(source: string, target: string, stretch: number, slack: number): Point[] | null {
    const si = this.byId.get(source);
    const ti = this.byId.get(target);
    if (si === undefined || ti === undefined) return null;
    const s = this.nodes[si]!;
    const t = this.nodes[ti]!;
    if (this.grid.clear(s, t, si, ti)) return [{ x: s.x, y: s.y }, { x: t.x, y: t.y }];
    const c = this.clearance;
    const corners = this.corners;
    const k = corners.length;
    // Vertex k = source, k + 1 = target; corners of the two end cards are not used.
    const S = k;
    const T = k + 1;
    const pt = (v: number): Point => (v === S ? s : v === T ? t : corners[v]!.p);
    const g = new Float64Array(k + 2).fill(Infinity);
    const prev = new Int32Array(k + 2).fill(-1);
    const done = new Uint8Array(k + 2);
    const heap = new Heap();
    const toT = new Map<number, boolean>();
    const seesT = (v: number) => {
      let r = toT.get(v);
      if (r === undefined) {
        const cv = corners[v]!;
        const n = this.nodes[cv.owner]!;
        r = tangentAt(cv, t.x - cv.p.x, t.y - cv.p.y, n.w / 2 + c, n.h / 2 + c) && this.grid.clear(cv.p, t, cv.owner, ti);
        toT.set(v, r);
      }
      return r;
    };
    const limit = dist(s, t) * stretch + slack;
    const near = (p: Point) => dist(s, p) + dist(p, t) <= limit;
    g[S] = 0;
    heap.push(dist(s, t), S);
    let budget = 6000;
    while (heap.size) {
      const u = heap.pop();
      if (done[u]) continue;
      done[u] = 1;
      if (u === T) break;
      if (--budget < 0) return null;
      const pu = pt(u);
      const relax = (v: number, d: number) => {
        const nd = g[u]! + d;
        if (nd >= g[v]!) return;
        g[v] = nd;
        prev[v] = u;
        heap.push(nd + dist(pt(v), t), v);
      };
      if (u === S) {
        for (let v = 0; v < k; v++) {
          const cv = corners[v]!;
          if (cv.owner === si || cv.owner === ti || !near(cv.p)) continue;
          const n = this.nodes[cv.owner]!;
          if (!tangentAt(cv, cv.p.x - s.x, cv.p.y - s.y, n.w / 2 + c, n.h / 2 + c)) continue;
          if (insideBox(cv.p, boxAround(t, t.w, t.h)) || insideBox(cv.p, boxAround(s, s.w, s.h))) continue;
          if (this.grid.clear(s, cv.p, si, cv.owner)) relax(v, dist(s, cv.p));
        }
        continue;
      }
      if (seesT(u)) relax(T, dist(pu, t));
      for (const e of this.adj[u]!) {
        const cv = corners[e.to]!;
        if (done[e.to] || cv.owner === si || cv.owner === ti || !near(cv.p)) continue;
        relax(e.to, e.d);
      }
    }
    if (prev[T] === -1) return null;
    const out: Point[] = [];
    for (let v = T; v !== -1; v = prev[v]!) out.push({ ...pt(v) });
    return out.reverse();
  }
}

/** The point where the segment from `inside` (within b) toward `to` crosses b's border. */
function leaveBox(b: Box, inside: Point, to: Point): Point {
  if (!insideBox(inside, b)) return inside;
  const dx = to.x - inside.x;
  const dy = to.y - inside.y;
  let t = 1;
  if (dx > 0) t = Math.min(t, (b.x2 - inside.x) / dx);
  if (dx < 0) t = Math.min(t, (b.x1 - inside.x) / dx);
  if (dy > 0) t = Math.min(t, (b.y2 - inside.y) / dy);
  if (dy < 0) t = Math.min(t, (b.y1 - inside.y) / dy);
  return { x: inside.x + dx * t, y: inside.y + dy * t };
}

/** The polyline moved sideways by `d` (left of its direction), corners mitred. */
function offsetPolyline(pts: readonly Point[], d: number): Point[] {
  if (d === 0) return pts.map((p) => ({ ...p }));
  const normals: Point[] = [];
  for (let i = 1; i < pts.length; i++) {
    const a = pts[i - 1]!;
    const b = pts[i]!;
    const l = dist(a, b) || 1;
    normals.push({ x: -(b.y - a.y) / l, y: (b.x - a.x) / l });
  }
  return pts.map((p, i) => {
    const n1 = normals[Math.max(0, i - 1)]!;
    const n2 = normals[Math.min(normals.length - 1, i)]!;
    let mx = n1.x + n2.x;
    let my = n1.y + n2.y;
    const ml = Math.hypot(mx, my) || 1;
    mx /= ml;
    my /= ml;
    const cos = Math.max(0.5, mx * n1.x + my * n1.y);
    return { x: p.x + (mx * d) / cos, y: p.y + (my * d) / cos };
  });
}

/** Drops bends that lie on a straight line between their neighbours. */
function simplify(pts: Point[]): Point[] {
  const out: Point[] = [pts[0]!];
  for (let i = 1; i < pts.length - 1; i++) {
    const a = out[out.length - 1]!;
    const b = pts[i]!;
    const c = pts[i + 1]!;
    const cross = (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x);
    if (Math.abs(cross) > 0.5 * dist(a, c)) out.push(b);
  }
  out.push(pts[pts.length - 1]!);
  return out;
}

/**
 * Routes every edge: the points from the source card's border to the target card's border.
 * Edges whose ends are unknown are left out; above `maxNodes` nothing is routed.
 */
export function routeEdges(nodes: readonly RouteNode[], edges: readonly RouteEdge[], opts: RouteOptions = {}): Map<string, Point[]> {
  const out = new Map<string, Point[]>();
  if (nodes.length > (opts.maxNodes ?? ROUTE_MAX_NODES)) return out;
  const clearance = opts.clearance ?? ROUTE_CLEARANCE;
  const router = new Router(nodes, clearance);
  let tight: Router | undefined;
  const usedClearance = new Map<string, number>();
  // Side-by-side lines share the clearance: never closer to a card than half of it.
  const spread = Math.min(opts.spread ?? ROUTE_SPREAD, clearance / 2);
  // Lines between the same two people: one path, side by side.
  const groups = new Map<string, RouteEdge[]>();
  for (const e of edges) {
    if (e.source === e.target || !router.box(e.source) || !router.box(e.target)) continue;
    const key = e.source < e.target ? `${e.source}\u0000${e.target}` : `${e.target}\u0000${e.source}`;
    const g = groups.get(key);
    if (g) g.push(e);
    else groups.set(key, [e]);
  }
  for (const group of groups.values()) {
    const first = group[0]!;
    const a = first.source < first.target ? first.source : first.target;
    const b = a === first.source ? first.target : first.source;
    const k = group.length;
    // Full clearance first; where that finds no way, or only a long detour round a crowd of cards,
    // a closer one (narrow gaps between cards open up).
    let centre = router.path(a, b);
    let used = clearance;
    const straight = dist(nodes[router.index(a)]!, nodes[router.index(b)]!);
    if (!centre || pathLength(centre) > straight * 1.5 + 160) {
      tight ??= new Router(nodes, TIGHT_CLEARANCE);
      const closer = tight.path(a, b);
      if (closer && (!centre || pathLength(closer) < pathLength(centre))) {
        centre = closer;
        used = TIGHT_CLEARANCE;
      }
    }
    const ab = router.box(a)!;
    const bb = router.box(b)!;
    group.forEach((e, i) => {
      let pts: Point[];
      if (!centre) {
        // No clear way: straight, border to border.
        const ca = { x: (ab.x1 + ab.x2) / 2, y: (ab.y1 + ab.y2) / 2 };
        const cb = { x: (bb.x1 + bb.x2) / 2, y: (bb.y1 + bb.y2) / 2 };
        pts = [exitPoint(ab, cb), exitPoint(bb, ca)];
      } else {
        const step = k > 1 ? Math.min(spread, (used - 5) / ((k - 1) / 2)) : 0;
        const off = offsetPolyline(centre, (i - (k - 1) / 2) * step);
        const start = leaveBox(ab, off[0]!, off[1]!);
        const end = leaveBox(bb, off[off.length - 1]!, off[off.length - 2]!);
        pts = simplify([start, ...off.slice(1, -1), end]);
      }
      out.set(e.id, e.source === a ? pts : pts.reverse());
      usedClearance.set(e.id, centre ? used : 0);
    });
  }
  nudge(out, usedClearance);
  return out;
}

/**
 * Lines that bend around the same cards share the same tracks (a row's clearance line), and
 * drawn on top of each other they could not be told apart. Horizontal and vertical stretches that
 * lie on one track and overlap are moved apart into lanes a few px wide, within the clearance.
 */
function nudge(routes: Map<string, Point[]>, clearance: ReadonlyMap<string, number>): void {
  const LANE = 5;
  // Rounded corners (radius 8) cut up to ~3.5 px inward: keep well clear of the cards.
  const room = (id: string) => Math.max(0, (clearance.get(id) ?? 0) - 9);
  type Seg = { id: string; i: number; axis: 'h' | 'v'; at: number; lo: number; hi: number };
  const tracks = new Map<string, Seg[]>();
  for (const [id, pts] of routes)
    for (let i = 1; i < pts.length; i++) {
      // Only inner stretches (both ends are bends): end points sit on the cards' borders.
      if (i === 1 || i === pts.length - 1) continue;
      const a = pts[i - 1]!;
      const b = pts[i]!;
      const axis = Math.abs(a.y - b.y) < 0.5 ? 'h' : Math.abs(a.x - b.x) < 0.5 ? 'v' : null;
      if (!axis) continue;
      const at = axis === 'h' ? a.y : a.x;
      const lo = axis === 'h' ? Math.min(a.x, b.x) : Math.min(a.y, b.y);
      const hi = axis === 'h' ? Math.max(a.x, b.x) : Math.max(a.y, b.y);
      const key = `${axis}${Math.round(at)}`;
      const list = tracks.get(key);
      const seg = { id, i, axis, at, lo, hi } as Seg;
      if (list) list.push(seg);
      else tracks.set(key, [seg]);
    }
  for (const list of tracks.values()) {
    if (list.length < 2) continue;
    list.sort((p, q) => p.lo - q.lo || (p.id < q.id ? -1 : 1));
    // Lanes: each stretch takes the first lane free over its extent.
    const laneEnd: number[] = [];
    const lane = new Map<Seg, number>();
    for (const s of list) {
      let l = laneEnd.findIndex((end) => end < s.lo - 1);
      if (l < 0) {
        l = laneEnd.length;
        laneEnd.push(s.hi);
      } else laneEnd[l] = s.hi;
      lane.set(s, l);
    }
    const lanes = laneEnd.length;
    if (lanes < 2) continue;
    const maxShift = Math.min(...list.map((x) => room(x.id)));
    const step = Math.min(LANE, (2 * maxShift) / (lanes - 1));
    if (step <= 0) continue;
    for (const s of list) {
      const d = (lane.get(s)! - (lanes - 1) / 2) * step;
      const pts = routes.get(s.id)!;
      const a = pts[s.i - 1]!;
      const b = pts[s.i]!;
      if (s.axis === 'h') {
        a.y = s.at + d;
        b.y = s.at + d;
      } else {
        a.x = s.at + d;
        b.x = s.at + d;
      }
    }
  }
}

/** What Cytoscape needs to draw `pts` as an edge between nodes centred at `s` and `t`. */
export interface RouteStyleData {
  /** Source and target endpoints relative to their node centres ("12px -30px"). */
  se: string;
  te: string;
  /** Each bend as weight along, and distance across, the line from endpoint to endpoint. */
  sw: number[];
  sd: number[];
}

export function routeStyleData(pts: readonly Point[], s: Point, t: Point): RouteStyleData | null {
  if (pts.length < 2) return null;
  const S = pts[0]!;
  const T = pts[pts.length - 1]!;
  const dx = T.x - S.x;
  const dy = T.y - S.y;
  const l2 = dx * dx + dy * dy;
  if (l2 < 1) return null;
  const l = Math.sqrt(l2);
  const nx = -dy / l;
  const ny = dx / l;
  const bends = pts.length > 2 ? pts.slice(1, -1) : [{ x: (S.x + T.x) / 2, y: (S.y + T.y) / 2 }];
  const r = (v: number) => Math.round(v * 1000) / 1000;
  return {
    se: `${r(S.x - s.x)}px ${r(S.y - s.y)}px`,
    te: `${r(T.x - t.x)}px ${r(T.y - t.y)}px`,
    sw: bends.map((b) => r(((b.x - S.x) * dx + (b.y - S.y) * dy) / l2)),
    sd: bends.map((b) => r((b.x - S.x) * nx + (b.y - S.y) * ny)),
  };
}
