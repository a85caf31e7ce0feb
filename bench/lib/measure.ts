/** Small timing helpers shared by the benchmark cases. */
import { performance } from 'node:perf_hooks';

export const median = (xs: readonly number[]): number => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/** Runs `fn` `warmup` times unmeasured, then `runs` times; returns every duration in ms. */
async function timeRuns(fn: () => unknown, runs: number, warmup = 1): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn();
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    out.push(performance.now() - t0);
  }
  return out;
}

/** Median of `runs` timed calls after `warmup` unmeasured ones. */
export const medianOf = async (fn: () => unknown, runs: number, warmup = 1): Promise<number> =>
  median(await timeRuns(fn, runs, warmup));

/**
 * Times two functions interleaved (a, b, a, b, …) so drift in the machine (other processes,
 * disk cache) hits both alike; returns both medians.
 */
export async function timePair(
  a: () => unknown,
  b: () => unknown,
  runs: number,
  warmup = 3,
): Promise<{ a: number; b: number; aAll: number[]; bAll: number[] }> {
  for (let i = 0; i < warmup; i++) {
    await a();
    await b();
  }
  const aAll: number[] = [];
  const bAll: number[] = [];
  for (let i = 0; i < runs; i++) {
    let t0 = performance.now();
    await a();
    aAll.push(performance.now() - t0);
    t0 = performance.now();
    await b();
    bAll.push(performance.now() - t0);
  }
  return { a: median(aAll), b: median(bAll), aAll, bAll };
}
