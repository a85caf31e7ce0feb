/**
 * The org chart, computed from the reporting lines alone (pure, deterministic, fast enough to run
 * on every edit): each boss above the people who report to them, centred over them; a boss's
 * reports who have nobody under them stacked in a column beside a spine line (as printed org
 * charts do) instead of one long row; separate trees packed in rows to a landscape shape, people
 * without a reporting line in a block after them; our team in a row below.
 *
 * A big organisation in one row per level is a strip (300 people: about 20 times wider than
 * tall, unreadable at any zoom that shows it). When the chart would be more than WRAP_ABOVE times
 * wider than tall, a boss's row of reports wraps into further rows under them, joined by a trunk
 * line down their left side, and wide stacks of leaves get more rows per column; one row width
 * for the whole chart, chosen from fixed steps as the one that makes the chart closest to ASPECT.
 *
 * It also returns the reports-to lines as orthogonal elbow routes (boss's bottom → bus → the
 * report's top, or spine → the report's side; from a wrapped row, bus → trunk → the boss's bus),
 * which by construction run only in the gaps between cards, so they never pass through a card.
 * Sibling order is the order people are given in (the map's order), so adding someone does not
 * reshuffle the others (in a wrapped chart, unless the newcomer moves the chosen row width a step).
 */
import type { Point } from './geometry';

export interface OrgNode {
  id: string;
  w: number;
  h: number;
}

export interface OrgLayout {
  positions: Record<string, Point>;
  /** Reports-to routes by subordinate id, from the subordinate's card to the boss's card. */
  routes: Record<string, Point[]>;
}

/** Horizontal gap between sibling subtrees. */
export const ORG_GAP_X = 28;
/** Vertical gap between a boss's card and the cards of their reports. */
export const ORG_GAP_Y = 56;
/** Vertical gap between stacked cards. */
const STACK_GAP = 14;
/** Room left of a stacked column for its spine line. */
const SPINE = 22;
/** A stacked column holds at most this many cards; more make further columns. */
const MAX_STACK = 6;
/** Gap between trees packed in rows, and between rows. */
const TREE_GAP = 64;
/** Width ÷ height the packed forest aims at (a landscape screen or page). */
const ASPECT = 1.6;

interface Sub {
  w: number;
  h: number;
  /** Place with the box's top-left at (x, y); returns the anchor of the root card (its centre). */
  place(x: number, y: number, out: OrgLayout): Point;
}

export interface OrgOptions {
  /**
   * The widest a boss's row of reports may be (model px) before it wraps into further rows.
   * Default: chosen so the whole chart comes out landscape (ASPECT) rather than a thin strip.
   */
  maxRowWidth?: number;
}

/** A chart wider than this (width ÷ height) unwrapped gets its wide rows wrapped. */
const WRAP_ABOVE = 2.4;
/** Room left of wrapped rows for the trunk line that joins them to their boss. */
const TRUNK = 28;

export function orgLayout(
  people: readonly OrgNode[],
  reportsTo: readonly (readonly [sub: string, boss: string])[],
  members: readonly OrgNode[] = [],
  opts: OrgOptions = {},
): OrgLayout {
  const byId = new Map(people.map((p) => [p.id, p]));
  const boss = new Map<string, string>();
  for (const [s, b] of reportsTo) if (byId.has(s) && byId.has(b) && s !== b && !boss.has(s)) boss.set(s, b);
  // A loop (refused by the store, but be safe): cut it where it is found.
  for (const p of people) {
    const seen = new Set<string>([p.id]);
    let cur = boss.get(p.id);
    while (cur !== undefined) {
      if (seen.has(cur)) {
        boss.delete(p.id);
        break;
      }
      seen.add(cur);
      cur = boss.get(cur);
    }
  }
  const kids = new Map<string, string[]>();
  for (const p of people) {
    const b = boss.get(p.id);
    if (b !== undefined) {
      const list = kids.get(b);
      if (list) list.push(p.id);
      else kids.set(b, [p.id]);
    }
  }
  const forest = (limit: number) => arrangeForest(people, byId, boss, kids, limit);
  let chosen = forest(opts.maxRowWidth ?? Infinity);
  if (opts.maxRowWidth === undefined && chosen.w > WRAP_ABOVE * chosen.h) {
    // A wide organisation (a level with many managers): wrap rows at the width that brings the
    // whole chart closest to a landscape page. Widths come in fixed steps, so one more person
    // rarely changes the wrap (and so the places of everyone else).
    const widest = Math.max(...people.map((p) => p.w));
    const score = (f: { w: number; h: number }) => Math.abs(Math.log(f.w / Math.max(1, f.h) / ASPECT));
    const full = chosen.w;
    for (let limit = 2 * widest; limit < full; limit = Math.round(limit * 1.25)) {
      const f = forest(limit);
      if (score(f) < score(chosen)) chosen = f;
    }
  }
  const out: OrgLayout = { positions: {}, routes: {} };
  chosen.place(out);
  // Our team: a row under the chart, centred.
  if (members.length) placeTeamRow(members, Object.entries(out.positions).map(([id, p]) => ({ p, n: byId.get(id)! })), out.positions, TREE_GAP);
  return out;
}

/** The trees and the people without a line, packed in rows; measured first, placed on demand. */
function arrangeForest(
  people: readonly OrgNode[],
  byId: ReadonlyMap<string, OrgNode>,
  boss: ReadonlyMap<string, string>,
  kids: ReadonlyMap<string, string[]>,
  limit: number,
): { w: number; h: number; place(out: OrgLayout): void } {
  const card = (id: string): Sub => {
    const n = byId.get(id)!;
    return {
      w: n.w,
      h: n.h,
      place: (x, y, o) => {
        const p = { x: x + n.w / 2, y: y + n.h / 2 };
        o.positions[id] = p;
        return p;
      },
    };
  };

  type Item = { sub: Sub; kind: 'tree' | 'stack'; id?: string; leaves?: readonly string[] };

  /** Lines from a boss's bus (at busY) down to one row of items; `via` joins the bus to the boss's. */
  const hang = (items: readonly Item[], rowX: number, top: number, busY: number, via: Point[], o: OrgLayout) => {
    let cx = rowX;
    for (const it of items) {
      if (it.kind === 'tree') {
        const c = it.sub.place(cx, top, o);
        const cTop = c.y - byId.get(it.id!)!.h / 2;
        const tail = [{ x: c.x, y: cTop }, { x: c.x, y: busY }, ...via];
        o.routes[it.id!] = tail.length === 4 && Math.abs(c.x - via[0]!.x) < 0.5 ? [{ x: c.x, y: cTop }, via[1]!] : tail;
      } else {
        // The stack's cards hang off spines: the card's left side → spine → bus.
        it.sub.place(cx, top, o);
        for (const leaf of it.leaves!) {
          const lp = o.positions[leaf]!;
          const left = lp.x - byId.get(leaf)!.w / 2;
          const spineX = left - SPINE / 2;
          o.routes[leaf] = [{ x: left, y: lp.y }, { x: spineX, y: lp.y }, { x: spineX, y: busY }, ...via];
        }
      }
      cx += it.sub.w + ORG_GAP_X;
    }
  };

  const tree = (id: string): Sub => {
    const me = byId.get(id)!;
    const children = kids.get(id) ?? [];
    if (children.length === 0) return card(id);
    const leaves = children.filter((c) => !kids.has(c));
    const stacked = leaves.length >= 2 ? leaves : [];
    const rowIds = children.filter((c) => !stacked.includes(c));
    const items: Item[] = rowIds.map((c) => ({ sub: tree(c), kind: 'tree' as const, id: c }));
    if (stacked.length) items.push({ sub: stack(stacked), kind: 'stack', leaves: stacked });
    const widthOf = (list: readonly Item[]) => list.reduce((n, it) => n + it.sub.w, 0) + ORG_GAP_X * (list.length - 1);
    const rowW = widthOf(items);
    if (rowW <= limit || items.length === 1) {
      const rowH = Math.max(...items.map((it) => it.sub.h));
      const w = Math.max(me.w, rowW);
      return {
        w,
        h: me.h + ORG_GAP_Y + rowH,
        place: (x, y, o) => {
          const b = { x: x + w / 2, y: y + me.h / 2 };
          o.positions[id] = b;
          const bottom = y + me.h;
          const busY = bottom + ORG_GAP_Y / 2;
          hang(items, x + (w - rowW) / 2, bottom + ORG_GAP_Y, busY, [{ x: b.x, y: busY }, { x: b.x, y: bottom }], o);
          return b;
        },
      };
    }
    // Too wide: the reports wrap into rows under the boss, joined by a trunk line down their left side.
    const rows = wrapRows(items, limit - TRUNK, widthOf);
    const blockW = TRUNK + Math.max(...rows.map(widthOf));
    const rowHs = rows.map((r) => Math.max(...r.map((it) => it.sub.h)));
    const w = Math.max(me.w, blockW);
    return {
      w,
      h: me.h + rowHs.reduce((n, v) => n + v + ORG_GAP_Y, 0),
      place: (x, y, o) => {
        const b = { x: x + w / 2, y: y + me.h / 2 };
        o.positions[id] = b;
        const bottom = y + me.h;
        const left = x + (w - blockW) / 2;
        const trunkX = left + TRUNK / 2;
        const bus0 = bottom + ORG_GAP_Y / 2;
        let top = bottom + ORG_GAP_Y;
        rows.forEach((row, i) => {
          const busY = top - ORG_GAP_Y / 2;
          const via = i === 0 ? [{ x: b.x, y: busY }, { x: b.x, y: bottom }] : [{ x: trunkX, y: busY }, { x: trunkX, y: bus0 }, { x: b.x, y: bus0 }, { x: b.x, y: bottom }];
          hang(row, left + TRUNK, top, busY, via, o);
          top += rowHs[i]! + ORG_GAP_Y;
        });
        return b;
      },
    };
  };

  /** Leaves in columns of at most MAX_STACK (more rows per column where columns would pass the limit). */
  const stack = (ids: readonly string[]): Sub => {
    const colWidth = SPINE + Math.max(...ids.map((i) => byId.get(i)!.w));
    const fit = Math.max(1, Math.floor((limit + ORG_GAP_X) / (colWidth + ORG_GAP_X)));
    const cols = Math.min(Math.ceil(ids.length / MAX_STACK), fit);
    const rows = Math.ceil(ids.length / cols);
    const colIds = Array.from({ length: cols }, (_v, c) => ids.slice(c * rows, (c + 1) * rows)).filter((l) => l.length);
    const colW = colIds.map((list) => SPINE + Math.max(...list.map((i) => byId.get(i)!.w)));
    const colH = colIds.map((list) => list.reduce((n, i) => n + byId.get(i)!.h, 0) + STACK_GAP * (list.length - 1));
    const w = colW.reduce((n, v) => n + v, 0) + ORG_GAP_X * (colIds.length - 1);
    return {
      w,
      h: Math.max(...colH),
      place: (x, y, o) => {
        let cx = x;
        colIds.forEach((list, c) => {
          let cy = y;
          for (const i of list) {
            const n = byId.get(i)!;
            o.positions[i] = { x: cx + SPINE + n.w / 2, y: cy + n.h / 2 };
            cy += n.h + STACK_GAP;
          }
          cx += colW[c]! + ORG_GAP_X;
        });
        return { x: x + w / 2, y };
      },
    };
  };

  // Trees (people with reports and no boss) in the map's order, then everyone without a line.
  const roots = people.filter((p) => !boss.has(p.id) && kids.has(p.id)).map((p) => tree(p.id));
  const loners = people.filter((p) => !boss.has(p.id) && !kids.has(p.id));
  const blocks: Sub[] = [...roots];
  if (loners.length) blocks.push(grid(loners, Number.isFinite(limit) ? limit : undefined));
  // Rows of blocks to a landscape shape.
  const area = blocks.reduce((n, b) => n + (b.w + TREE_GAP) * (b.h + TREE_GAP), 0);
  const rowWidth = Math.max(Math.max(0, ...blocks.map((b) => b.w)), Math.sqrt(area * ASPECT));
  const at: Point[] = [];
  let x = 0;
  let y = 0;
  let rowH = 0;
  let w = 0;
  for (const b of blocks) {
    if (x > 0 && x + b.w > rowWidth) {
      x = 0;
      y += rowH + TREE_GAP;
      rowH = 0;
    }
    at.push({ x, y });
    w = Math.max(w, x + b.w);
    x += b.w + TREE_GAP;
    rowH = Math.max(rowH, b.h);
  }
  return {
    w,
    h: y + rowH,
    place: (out) => blocks.forEach((b, i) => b.place(at[i]!.x, at[i]!.y, out)),
  };
}

/** Items into rows no wider than `limit` (at least one each), as even in count as the widths allow. */
function wrapRows<T>(items: readonly T[], limit: number, widthOf: (list: readonly T[]) => number): T[][] {
  const greedy: T[][] = [];
  for (const it of items) {
    const last = greedy[greedy.length - 1];
    if (last && widthOf([...last, it]) <= limit) last.push(it);
    else greedy.push([it]);
  }
  const per = Math.ceil(items.length / greedy.length);
  const even: T[][] = [];
  for (let i = 0; i < items.length; i += per) even.push(items.slice(i, i + per));
  return even.length === greedy.length && even.every((r) => r.length === 1 || widthOf(r) <= limit) ? even : greedy;
}

/** People without a reporting line: a block of cards, a little wider than tall. */
function grid(nodes: readonly OrgNode[], limit?: number): Sub {
  const cellW = Math.max(...nodes.map((n) => n.w)) + ORG_GAP_X;
  const cols = Math.max(1, Math.min(Math.ceil(Math.sqrt(nodes.length * 1.2)), limit ? Math.floor((limit + ORG_GAP_X) / cellW) : Infinity));
  const cellH = Math.max(...nodes.map((n) => n.h)) + STACK_GAP + 10;
  const rows = Math.ceil(nodes.length / cols);
  return {
    w: cols * cellW - ORG_GAP_X,
    h: rows * cellH - STACK_GAP - 10,
    place: (x, y, o) => {
      nodes.forEach((n, i) => {
        o.positions[n.id] = { x: x + (i % cols) * cellW + (cellW - ORG_GAP_X) / 2, y: y + Math.floor(i / cols) * cellH + n.h / 2 };
      });
      return { x, y };
    },
  };
}

/** Our team in a row under everyone else, centred on them. */
export function placeTeamRow(
  members: readonly OrgNode[],
  placed: readonly { p: Point; n: { w: number; h: number } }[],
  out: Record<string, Point>,
  gap: number,
): void {
  const left = placed.length ? Math.min(...placed.map(({ p, n }) => p.x - n.w / 2)) : 0;
  const right = placed.length ? Math.max(...placed.map(({ p, n }) => p.x + n.w / 2)) : 0;
  const bottom = placed.length ? Math.max(...placed.map(({ p, n }) => p.y + n.h / 2)) : 0;
  const rowW = members.reduce((n, m) => n + m.w, 0) + ORG_GAP_X * (members.length - 1);
  let x = (left + right) / 2 - rowW / 2;
  const h = Math.max(...members.map((m) => m.h));
  for (const m of members) {
    out[m.id] = { x: x + m.w / 2, y: bottom + gap + h / 2 };
    x += m.w + ORG_GAP_X;
  }
}
