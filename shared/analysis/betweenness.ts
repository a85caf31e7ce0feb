/**
 * Subset betweenness (Brandes 2008, "On variants of shortest-path betweenness centrality",
 * section 3.3): for every node v, the sum over source s ∈ S and target t ∈ T (s ≠ t, v ∉ {s, t})
 * of σ_st(v) / σ_st — the share of the shortest s → t paths that pass through v. Unweighted,
 * directed, not normalised: the same numbers as NetworkX's
 * `betweenness_centrality_subset(G, sources, targets, normalized=False)` on a DiGraph
 * (tests/unit/analysis-betweenness.test.ts checks the two agree to 1e-9 on random graphs).
 *
 * Written on typed arrays (CSR adjacency) because the analysis runs it on 10,000-person maps in
 * the renderer; the loop is a transcription of NetworkX's `_single_source_shortest_path_basic`
 * and `_accumulate_subset`, with predecessors found through the reverse adjacency instead of
 * stored lists.
 */

/** A directed graph as compressed rows: node u's successors are to[start[u] … start[u+1]). */
export interface Csr {
  start: Int32Array;
  to: Int32Array;
}

/** Builds the out- and in-adjacency of n nodes from an edge list; parallel edges and loops are dropped. */
export function csrPair(n: number, src: readonly number[], dst: readonly number[]): { out: Csr; in: Csr } {
  return { out: csr(n, src, dst), in: csr(n, dst, src) };
}

/** Rows in ascending order of the other end (walks do not depend on edge order), deduplicated. */
function csr(n: number, from: readonly number[], to: readonly number[]): Csr {
  const count = new Int32Array(n + 1);
  for (let i = 0; i < from.length; i++) if (from[i] !== to[i]) count[from[i]! + 1]!++;
  for (let i = 0; i < n; i++) count[i + 1]! += count[i]!;
  const fill = count.slice(0, n);
  const raw = new Int32Array(count[n]!);
  for (let i = 0; i < from.length; i++) if (from[i] !== to[i]) raw[fill[from[i]!]!++] = to[i]!;
  const start = new Int32Array(n + 1);
  const out = new Int32Array(raw.length);
  let m = 0;
  for (let u = 0; u < n; u++) {
    const row = raw.subarray(count[u]!, count[u + 1]!).sort();
    start[u] = m;
    for (let k = 0; k < row.length; k++) if (k === 0 || row[k] !== row[k - 1]) out[m++] = row[k]!;
  }
  start[n] = m;
  return { start, to: out.slice(0, m) };
}

/** What the caller may read after each root's pass (valid only during the callback). */
export interface RootPass {
  root: number;
  /** Nodes reached, in BFS order (root first); `reached` of them. */
  order: Int32Array;
  reached: number;
  dist: Int32Array;
  /** Number of shortest paths from the root. */
  sigma: Float64Array;
  /**
   * For each node v, the number of shortest-path continuations from v to the targets t ≠ root
   * (paths within the BFS DAG). Shortest root → target paths through v = sigma[v] × below[v];
   * all shortest root → target paths = below[root].
   */
  below: Float64Array;
}

/**
 * Subset betweenness: BFS from every source, accumulation towards targets. `fwd` is the graph
 * walked from the sources, `back` its reverse (to find predecessors). `onRoot`, if given, is called
 * after each source's pass with its BFS arrays. With `maxHops`, only pairs at most that many links
 * apart count (the BFS stops there): the sums over those pairs, exactly.
 */
export function subsetBetweenness(
  n: number,
  fwd: Csr,
  back: Csr,
  sources: Uint8Array,
  targets: Uint8Array,
  onRoot?: (pass: RootPass) => void,
  maxHops = Infinity,
): Float64Array {
  const bc = new Float64Array(n);
  const dist = new Int32Array(n).fill(-1);
  const sigma = new Float64Array(n);
  const delta = new Float64Array(n);
  const below = new Float64Array(n);
  const order = new Int32Array(n);
  for (let s = 0; s < n; s++) {
    if (!sources[s]) continue;
    // BFS from s, counting shortest paths.
    let head = 0;
    let tail = 0;
    order[tail++] = s;
    dist[s] = 0;
    sigma[s] = 1;
    while (head < tail) {
      const v = order[head++]!;
      const dv = dist[v]! + 1;
      if (dv > maxHops) continue;
      const sv = sigma[v]!;
      for (let k = fwd.start[v]!, end = fwd.start[v + 1]!; k < end; k++) {
        const w = fwd.to[k]!;
        if (dist[w] === -1) {
          dist[w] = dv;
          order[tail++] = w;
        }
        if (dist[w] === dv) sigma[w]! += sv;
      }
    }
    // Accumulate from the farthest node back: a target adds its own pair (+1) to what it passes on.
    for (let i = tail - 1; i >= 0; i--) {
      const w = order[i]!;
      const isTarget = targets[w] === 1 && w !== s;
      const coeff = ((isTarget ? 1 : 0) + delta[w]!) / sigma[w]!;
      if (onRoot) below[w]! += isTarget ? 1 : 0;
      if (w === s) break; // the root comes first in BFS order, so last here; it has no predecessors
      const dw = dist[w]! - 1;
      for (let k = back.start[w]!, end = back.start[w + 1]!; k < end; k++) {
        const v = back.to[k]!;
        if (dist[v] !== dw) continue;
        delta[v]! += sigma[v]! * coeff;
        if (onRoot) below[v]! += below[w]!;
      }
      bc[w]! += delta[w]!;
    }
    if (onRoot) onRoot({ root: s, order, reached: tail, dist, sigma, below });
    for (let i = 0; i < tail; i++) {
      const w = order[i]!;
      dist[w] = -1;
      sigma[w] = delta[w] = below[w] = 0;
    }
  }
  return bc;
}
