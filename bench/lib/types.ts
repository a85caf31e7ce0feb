/**
 * The benchmark contract. Every file in bench/cases/*.ts default-exports one BenchCase (or an
 * array of them); bench/run.ts loads them all and prints one table.
 *
 * A row is one measured figure: its median over `ctx.runs` runs, optionally beside a baseline
 * measured in the same run (same machine, same disk) and a target, either absolute (targetMs)
 * or as a ratio to the baseline (targetRatio). A row with no target is informational.
 */
export interface BenchRow {
  /** What was measured, e.g. "edit latency, 2,000 people (dispatch → durable)". */
  name: string;
  /** Median milliseconds. */
  ms: number;
  /** The side-by-side baseline measured in the same run, e.g. "bare better-sqlite3 UPDATE commit". */
  baselineName?: string;
  baselineMs?: number;
  /** Pass when ms / baselineMs <= targetRatio. */
  targetRatio?: number;
  /** Pass when ms <= targetMs. */
  targetMs?: number;
  /** How many runs the median is of (defaults to ctx.runs). */
  runs?: number;
  /** Anything a reader needs to interpret the figure (sizes, method). */
  note?: string;
}

export interface BenchContext {
  /** How many measured runs per figure (--runs N, default 7). */
  runs: number;
  /** A fresh temporary folder on the same disk as every other case, removed after the suite. */
  tmpDir(): string;
  /** Progress lines go to stderr, so stdout holds only the table. */
  log(line: string): void;
  /** False when --only excludes this figure: a case may skip measuring it. */
  wants(figure: string): boolean;
}

export interface BenchCase {
  /** Short name of the area, e.g. "store", "render". --only matches it and row names. */
  name: string;
  run(ctx: BenchContext): Promise<BenchRow[]>;
}
