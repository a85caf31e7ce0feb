/**
 * Chokepoints: the opponents and neutrals who sit on most of the shortest paths from our
 * supporters to the decision makers. The graph is the one a request travels: an influence edge
 * A → B (A can sway B), and each reporting line both ways (a report briefs the boss, the boss
 * instructs the report). Alliances and conflicts are not in it. Sources: champions, supporters
 * and coaches; targets: decision makers. The score is subset betweenness (betweenness.ts), run
 * from each decision maker over the reversed graph (the same sums, fewer roots); the same pass
 * counts, per decision maker, how many of the shortest paths to them cross each person.
 */
import { ATTITUDE_SCORE } from '../domain';
import { csrPair, subsetBetweenness, type Csr } from './betweenness';
import type { MapModel } from './model';
import type { Chokepoint, ChokepointCut, PersonRef } from './types';
import { CHOKEPOINTS_MAX, CHOKEPOINT_TARGETS, MAX_PATH_HOPS } from './weights';

export interface RequestGraph {
  out: Csr;
  in: Csr;
  sources: Uint8Array;
  targets: Uint8Array;
}

/** The request graph of a map, on people indices (name order). */
export function requestGraph(model: MapModel): RequestGraph {
  const n = model.people.length;
  const src: number[] = [];
  const dst: number[] = [];
  const add = (u: number, v: number) => {
    src.push(u);
    dst.push(v);
  };
  const ends = model.endpoints();
  for (let ri = 0; ri < model.relations.length; ri++) {
    const r = model.relations[ri]!;
    const a = ends.src[ri]!;
    const b = ends.dst[ri]!;
    if (r.kind === 'influence') add(a, b);
    else if (r.kind === 'reports_to' && model.boss.get(r.source) === r) {
      add(a, b);
      add(b, a);
    }
  }
  const { out, in: inc } = csrPair(n, src, dst);
  const sources = new Uint8Array(n);
  const targets = new Uint8Array(n);
  model.people.forEach((p, i) => {
    sources[i] = ATTITUDE_SCORE[p.attitude] >= 1 || model.isCoach(p) ? 1 : 0;
    targets[i] = model.isDecisionMaker(p) ? 1 : 0;
  });
  return { out, in: inc, sources, targets };
}

/** Raw subset betweenness, supporters → decision makers, per person index (for the oracle test). */
export function supporterBetweenness(model: MapModel, g = requestGraph(model), maxHops = MAX_PATH_HOPS): Float64Array {
  return subsetBetweenness(model.people.length, g.in, g.out, g.targets, g.sources, undefined, maxHops);
}

export function chokepoints(model: MapModel): Chokepoint[] {
  const n = model.people.length;
  const g = requestGraph(model);
  if (!g.targets.some((x) => x === 1) || !g.sources.some((x) => x === 1)) return [];
  const candidate = new Uint8Array(n);
  model.people.forEach((p, i) => (candidate[i] = g.sources[i] ? 0 : ATTITUDE_SCORE[p.attitude] <= 0 ? 1 : 0));

  // Per candidate, the K decision makers whose paths it cuts most.
  const K = CHOKEPOINT_TARGETS;
  const topT = new Int32Array(n * K).fill(-1);
  const topShare = new Float64Array(n * K);
  const topThrough = new Float64Array(n * K);
  const topTotal = new Float64Array(n * K);
  const bc = subsetBetweenness(n, g.in, g.out, g.targets, g.sources, ({ root, order, reached, sigma, below }) => {
    const total = below[root]!;
    if (total <= 0) return;
    for (let i = 1; i < reached; i++) {
      const v = order[i]!;
      if (!candidate[v]) continue;
      const through = sigma[v]! * below[v]!;
      if (through <= 0) continue;
      const share = through / total;
      // Insert into v's top K (share, then earlier root — roots come in index order, so `>`).
      let at = K;
      while (at > 0 && (topT[v * K + at - 1]! === -1 || share > topShare[v * K + at - 1]! + 1e-12)) at--;
      if (at >= K) continue;
      for (let j = K - 1; j > at; j--) {
        topT[v * K + j] = topT[v * K + j - 1]!;
        topShare[v * K + j] = topShare[v * K + j - 1]!;
        topThrough[v * K + j] = topThrough[v * K + j - 1]!;
        topTotal[v * K + j] = topTotal[v * K + j - 1]!;
      }
      topT[v * K + at] = root;
      topShare[v * K + at] = share;
      topThrough[v * K + at] = through;
      topTotal[v * K + at] = total;
    }
  }, MAX_PATH_HOPS);

  const picked: number[] = [];
  for (let v = 0; v < n; v++) if (candidate[v] && bc[v]! > 1e-12) picked.push(v);
  picked.sort((a, b) => Math.round(bc[b]! * 1e9) - Math.round(bc[a]! * 1e9) || a - b);
  const ref = (i: number): PersonRef => model.ref(model.people[i]!.id);
  const scratch: Scratch = { dist: new Int32Array(n).fill(-1), parent: new Int32Array(n).fill(-2), queue: new Int32Array(n) };
  return picked.slice(0, CHOKEPOINTS_MAX).map((v, i) => {
    const p = model.people[v]!;
    const cuts: ChokepointCut[] = [];
    for (let k = 0; k < K; k++) {
      const t = topT[v * K + k]!;
      if (t < 0) break;
      const ex = examplePath(g, n, v, t, scratch);
      cuts.push({
        target: ref(t),
        through: topThrough[v * K + k]!,
        total: topTotal[v * K + k]!,
        share: Math.round(topShare[v * K + k]! * 1000) / 1000,
        example: ex.map(ref),
        relations: ex.slice(1).map((x, j) => edgeRelation(model, ex[j]!, x)),
      });
    }
    return {
      id: p.id,
      name: p.name,
      rank: i + 1,
      attitude: p.attitude,
      favours: p.favours,
      betweenness: Math.round(bc[v]! * 1e6) / 1e6,
      cuts,
    };
  });
}

/** The relation that makes the edge u → v: an influence u → v (first by id), else the reporting line. */
function edgeRelation(model: MapModel, u: number, v: number): string {
  const a = model.people[u]!.id;
  const b = model.people[v]!.id;
  const inf = model.influenceOut.get(a)?.find((r) => r.target === b);
  if (inf) return inf.id;
  const up = model.boss.get(a);
  return up && up.target === b ? up.id : model.boss.get(b)!.id;
}

/** One shortest path supporter → … → v → … → t of at most MAX_PATH_HOPS links (the nearest supporter, lowest indices on ties). */
function examplePath(g: RequestGraph, n: number, v: number, t: number, scratch: Scratch): number[] {
  const { dist, parent, queue } = scratch;
  const seen: number[] = [];
  // Distances to t (up to MAX_PATH_HOPS): BFS from t over the reversed graph.
  let head = 0;
  let tail = 0;
  queue[tail++] = t;
  dist[t] = 0;
  seen.push(t);
  while (head < tail) {
    const x = queue[head++]!;
    if (dist[x]! >= MAX_PATH_HOPS) continue;
    for (let k = g.in.start[x]!, end = g.in.start[x + 1]!; k < end; k++) {
      const u = g.in.to[k]!;
      if (dist[u] === -1) {
        dist[u] = dist[x]! + 1;
        queue[tail++] = u;
        seen.push(u);
      }
    }
  }
  // Up from v, one step farther from t each time, until a supporter.
  parent[v] = -1;
  const up: number[] = [v];
  head = tail = 0;
  queue[tail++] = v;
  let found = -1;
  while (head < tail && found < 0) {
    const x = queue[head++]!;
    for (let k = g.in.start[x]!, end = g.in.start[x + 1]!; k < end; k++) {
      const u = g.in.to[k]!;
      if (dist[u] !== dist[x]! + 1 || parent[u] !== -2) continue;
      parent[u] = x;
      up.push(u);
      if (g.sources[u] && u !== t) {
        found = u;
        break;
      }
      queue[tail++] = u;
    }
  }
  const path: number[] = found < 0 ? [v] : [];
  for (let x = found; x >= 0; x = parent[x]!) path.push(x);
  // Down from v to t, one step nearer each time.
  for (let x = v; x !== t; ) {
    let next = -1;
    for (let k = g.out.start[x]!, end = g.out.start[x + 1]!; k < end; k++) {
      const w = g.out.to[k]!;
      if (dist[w] === dist[x]! - 1 && (next < 0 || w < next)) next = w;
    }
    path.push(next);
    x = next;
  }
  for (const x of seen) dist[x] = -1;
  for (const x of up) parent[x] = -2;
  return path;
}

interface Scratch {
  dist: Int32Array;
  parent: Int32Array;
  queue: Int32Array;
}
