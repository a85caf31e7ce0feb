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
  const keys = new Set<number>();
  for (let i = 0; i < src.length; i++) if (src[i] !== dst[i]) keys.add(src[i]! * n + dst[i]!);
  // Rows in ascending order of the other end, so walks are the same whatever the edge order.
  const sorted = Float64Array.from(keys).sort();
  const a: number[] = [];
  const b: number[] = [];
  for (const k of sorted) {
    a.push(Math.floor(k / n));
    b.push(k % n);
  }
  const back = Float64Array.from(sorted, (k) => (k % n) * n + Math.floor(k / n)).sort();
  const c: number[] = [];
  const d: number[] = [];
  for (const k of back) {
    c.push(Math.floor(k / n));
    d.push(k % n);
  }
  return { out: csr(n, a, b), in: csr(n, c, d) };
}

function csr(n: number, from: number[], to: number[]): Csr {
  const start = new Int32Array(n + 1);
  for (const u of from) start[u + 1]!++;
  for (let i = 0; i < n; i++) start[i + 1]! += start[i]!;
  const fill = start.slice(0, n);
  const out = new Int32Array(from.length);
  for (let i = 0; i < from.length; i++) out[fill[from[i]!]!++] = to[i]!;
  return { start, to: out };
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
 * after each source's pass with its BFS arrays.
 */
export function subsetBetweenness(
  n: number,
  fwd: Csr,
  back: Csr,
  sources: Uint8Array,
  targets: Uint8Array,
  onRoot?: (pass: RootPass) => void,
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
      const dw = dist[w]! - 1;
      for (let k = back.start[w]!, end = back.start[w + 1]!; k < end; k++) {
        const v = back.to[k]!;
        if (dist[v] !== dw) continue;
        delta[v]! += sigma[v]! * coeff;
        if (onRoot) below[v]! += below[w]!;
      }
      if (w !== s) bc[w]! += delta[w]!;
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
