/**
 * The strongest chains of influence from our champions, supporters and coaches to each decision
 * maker. A chain's strength is the product of its links (weights.ts); at most MAX_PATH_HOPS
 * links; it never passes through someone against us, nor along a link between two people in
 * conflict.
 *
 * Why not graphology-shortest-path here: its Dijkstra has no hop limit, so every decision maker
 * would cost a search of the whole map (a 10,000-person map with hundreds of decision makers
 * takes seconds). A hop-bounded Bellman–Ford from each decision maker, backwards, touches only
 * its neighbourhood.
 */
import { ATTITUDE_SCORE } from '../domain';
import type { MapModel } from './model';
import type { DecisionMakerPaths, PathEntry, PersonRef } from './types';
import {
  LINK_ALLIANCE,
  LINK_BOSS_TO_REPORT,
  LINK_INFLUENCE,
  LINK_REPORT_TO_BOSS,
  MAX_PATH_HOPS,
  PATHS_PER_DECISION_MAKER,
} from './weights';

/** For every person (by index), the links leading into them: who can sway them, how much. */
interface Incoming {
  start: Int32Array;
  from: Int32Array;
  p: Float64Array;
  /** Index into model.relations. */
  rel: Int32Array;
}

/** One build per model: the decision makers' chains and the next steps' chains share it. */
const built = new WeakMap<MapModel, Incoming>();
function incomingOf(model: MapModel): Incoming {
  let inc = built.get(model);
  if (!inc) built.set(model, (inc = incomingLinks(model)));
  return inc;
}

export function incomingLinks(model: MapModel): Incoming {
  const n = model.people.length;
  const conflict = new Set<number>();
  const ends = model.endpoints();
  const pair = (a: number, b: number) => (a < b ? a * n + b : b * n + a);
  model.relations.forEach((r, ri) => {
    if (r.kind === 'conflict') conflict.add(pair(ends.src[ri]!, ends.dst[ri]!));
  });
  const to: number[] = [];
  const from: number[] = [];
  const ps: number[] = [];
  const rels: number[] = [];
  const add = (u: number, v: number, p: number, ri: number) => {
    if (conflict.has(pair(u, v))) return;
    from.push(u);
    to.push(v);
    ps.push(p);
    rels.push(ri);
  };
  model.relations.forEach((r, ri) => {
    const a = ends.src[ri]!;
    const b = ends.dst[ri]!;
    if (r.kind === 'influence') add(a, b, LINK_INFLUENCE[r.strength], ri);
    else if (r.kind === 'alliance') {
      add(a, b, LINK_ALLIANCE[r.strength], ri);
      add(b, a, LINK_ALLIANCE[r.strength], ri);
    } else if (r.kind === 'reports_to' && model.boss.get(r.source) === r) {
      add(a, b, LINK_REPORT_TO_BOSS, ri);
      add(b, a, LINK_BOSS_TO_REPORT, ri);
    }
  });
  // Counting sort by target, stable (keeps relation order for deterministic ties).
  const start = new Int32Array(n + 1);
  for (const v of to) start[v + 1]!++;
  for (let i = 0; i < n; i++) start[i + 1]! += start[i]!;
  const fill = start.slice(0, n);
  const m = to.length;
  const inc: Incoming = { start, from: new Int32Array(m), p: new Float64Array(m), rel: new Int32Array(m) };
  for (let i = 0; i < m; i++) {
    const at = fill[to[i]!]!++;
    inc.from[at] = from[i]!;
    inc.p[at] = ps[i]!;
    inc.rel[at] = rels[i]!;
  }
  return inc;
}

/**
 * Chains are kept as records (node, parent record, relation, strength), never copied: a record
 * is written once when a node improves in a layer and only read by records of later layers.
 */
class Records {
  node: number[] = [];
  parent: number[] = [];
  rel: number[] = [];
  s: number[] = [];
  hops: number[] = [];
  reset(): void {
    this.node.length = this.parent.length = this.rel.length = this.s.length = this.hops.length = 0;
  }
  add(node: number, parent: number, rel: number, s: number, hops: number): number {
    this.node.push(node);
    this.parent.push(parent);
    this.rel.push(rel);
    this.s.push(s);
    this.hops.push(hops);
    return this.node.length - 1;
  }
}

const round = (x: number) => Math.round(x * 1e4) / 1e4;
/** The strongest any single link carries. */
const MAX_LINK = Math.max(
  ...Object.values(LINK_INFLUENCE),
  ...Object.values(LINK_ALLIANCE),
  LINK_BOSS_TO_REPORT,
  LINK_REPORT_TO_BOSS,
);

interface Found {
  u: number;
  s: number;
  hops: number;
}

export function pathsToDecisionMakers(model: MapModel): DecisionMakerPaths[] {
  return strongestPaths(model, model.people.filter((p) => model.isDecisionMaker(p)).map((p) => p.id));
}

/** The same chains to any people (ids): the next steps use it for the people who matter at this step. */
export function strongestPaths(model: MapModel, targets: readonly string[]): DecisionMakerPaths[] {
  const n = model.people.length;
  const dms = targets.map((id) => model.byId.get(id)).filter((p) => p !== undefined);
  if (dms.length === 0) return [];
  const inc = incomingOf(model);
  const against = new Uint8Array(n);
  const source = new Uint8Array(n);
  model.people.forEach((p, i) => {
    against[i] = ATTITUDE_SCORE[p.attitude] < 0 ? 1 : 0;
    source[i] = ATTITUDE_SCORE[p.attitude] >= 1 || model.isCoach(p) ? 1 : 0;
  });

  const best = new Float64Array(n); // 0 = not reached
  const bestRec = new Int32Array(n);
  const bestLayer = new Int32Array(n);
  const touched: number[] = [];
  const recs = new Records();

  return dms.map((dm) => {
    const t = model.index.get(dm.id)!;
    for (const v of touched) best[v] = bestLayer[v] = 0;
    touched.length = 0;
    recs.reset();
    best[t] = 1;
    touched.push(t);
    // The K strongest sources reached so far bound the search: a chain weaker than the K-th
    // cannot lead to a source that makes the list, so it is not extended (exact, not a heuristic).
    const topU: number[] = [];
    const topS: number[] = [];
    let bound = 0;
    const reachedSource = (u: number, s: number) => {
      const at = topU.indexOf(u);
      if (at >= 0) topS[at] = s;
      else if (topU.length < PATHS_PER_DECISION_MAKER) {
        topU.push(u);
        topS.push(s);
      } else {
        const lo = topS.indexOf(Math.min(...topS));
        if (s <= topS[lo]!) return;
        topU[lo] = u;
        topS[lo] = s;
      }
      if (topU.length === PATHS_PER_DECISION_MAKER) bound = Math.min(...topS);
    };
    let frontier = [recs.add(t, -1, -1, 1, 0)];
    for (let hop = 1; hop <= MAX_PATH_HOPS && frontier.length > 0; hop++) {
      const next: number[] = [];
      for (const r of frontier) {
        const v = recs.node[r]!;
        // v would sit in the middle of the chain: nobody against us carries it.
        if (v !== t && against[v]) continue;
        const sv = recs.s[r]!;
        if (sv * MAX_LINK < bound - 1e-12) continue;
        for (let k = inc.start[v]!, end = inc.start[v + 1]!; k < end; k++) {
          const u = inc.from[k]!;
          if (u === t) continue;
          const s = sv * inc.p[k]!;
          // Links carry less than 1, so a chain through u itself can never beat u's best: no loops.
          if (s <= best[u]! + 1e-12) continue;
          if (best[u] === 0) touched.push(u);
          best[u] = s;
          if (source[u]) reachedSource(u, s);
          if (bestLayer[u] === hop) {
            // Improved twice in this layer: its record is not expanded yet, rewrite it in place.
            const q = bestRec[u]!;
            recs.parent[q] = r;
            recs.rel[q] = inc.rel[k]!;
            recs.s[q] = s;
          } else {
            const q = recs.add(u, r, inc.rel[k]!, s, hop);
            bestRec[u] = q;
            bestLayer[u] = hop;
            next.push(q);
          }
        }
      }
      frontier = next;
    }

    // The best few sources: a running top-k, not a sort of everyone reached.
    const better = (a: Found, b: Found) =>
      // Ties by id, not name: the same chain whatever language the names are written in.
      Math.round(b.s * 1e9) - Math.round(a.s * 1e9) || a.hops - b.hops || model.idRank[a.u]! - model.idRank[b.u]!;
    const found: Found[] = [];
    for (const u of touched) {
      if (u === t || !source[u]) continue;
      const f = { u, s: best[u]!, hops: recs.hops[bestRec[u]!]! };
      if (found.length === PATHS_PER_DECISION_MAKER && better(f, found[found.length - 1]!) >= 0) continue;
      found.push(f);
      found.sort(better);
      if (found.length > PATHS_PER_DECISION_MAKER) found.pop();
    }
    const paths: PathEntry[] = found.map(({ u, s }) => {
      const people: PersonRef[] = [];
      const relations: string[] = [];
      for (let r = bestRec[u]!; r >= 0; r = recs.parent[r]!) {
        people.push(model.ref(model.people[recs.node[r]!]!.id));
        if (recs.rel[r]! >= 0) relations.push(model.relations[recs.rel[r]!]!.id);
      }
      return { from: people[0]!, people, relations, strength: round(s) };
    });
    return { target: model.ref(dm.id), paths };
  });
}
