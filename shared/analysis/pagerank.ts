/**
 * Weighted PageRank over integer-indexed edge lists (typed arrays).
 *
 * Why not graphology-metrics' pagerank in production: the algorithm is the same (this is a
 * transcription of graphology-metrics 2.4 centrality/pagerank: power iteration, dangling mass
 * spread evenly, convergence when the L1 change < N × tolerance), but building a graphology
 * graph of a 10,000-person map costs more than the whole 200 ms analysis budget on our machines.
 * tests/unit/analysis-oracle.test.ts checks this function against graphology's on random
 * graphs, and the benchmark runs graphology's as the baseline.
 */
export interface PageRankOptions {
  alpha: number;
  maxIterations: number;
  tolerance: number;
}

/**
 * `n` nodes; edge i goes from src[i] to dst[i] with weight w[i] (> 0). Parallel edges add up.
 * Returns one value per node, summing to 1.
 */
export function weightedPageRank(
  n: number,
  src: Int32Array,
  dst: Int32Array,
  w: Float64Array,
  { alpha, maxIterations, tolerance }: PageRankOptions,
): Float64Array {
  if (n === 0) return new Float64Array(0);
  const m = src.length;
  const outW = new Float64Array(n);
  for (let i = 0; i < m; i++) outW[src[i]!]! += w[i]!;
  const dangling: number[] = [];
  for (let i = 0; i < n; i++) if (outW[i] === 0) dangling.push(i);
  const nw = new Float64Array(m);
  for (let i = 0; i < m; i++) nw[i] = w[i]! / outW[src[i]!]!;

  const p = 1 / n;
  let x = new Float64Array(n).fill(p);
  let next = new Float64Array(n);
  for (let iter = 0; iter < maxIterations; iter++) {
    let dangleSum = 0;
    for (const d of dangling) dangleSum += x[d]!;
    const base = alpha * dangleSum * p + (1 - alpha) * p;
    next.fill(base);
    for (let i = 0; i < m; i++) next[dst[i]!]! += alpha * x[src[i]!]! * nw[i]!;
    let error = 0;
    for (let i = 0; i < n; i++) error += Math.abs(next[i]! - x[i]!);
    [x, next] = [next, x];
    if (error < n * tolerance) return x;
  }
  // Power iteration with alpha < 1 always converges; after maxIterations the values are as close
  // as they will get (the cap only guards against a tolerance set too fine for floating point).
  return x;
}
