/**
 * Analysis figures (issue 5): the full analysis of a generated 10,000-person map in-process
 * (target < 300 ms with the buying step of issue 21, beside the analysis before it), the same on 2,000 people (what the Insights panel recomputes after an edit),
 * and `powermap analyze --json` end to end on a 10,000-person map file (target < 2 s). Baselines:
 * graphology-metrics' PageRank alone on the same map's graph (building the graph included), and
 * node starting and reading the same file.
 */
import { build } from 'esbuild';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DirectedGraph } from 'graphology';
import pagerank from 'graphology-metrics/centrality/pagerank';
import { chromium } from 'playwright-core';
import { dispatch } from '../../services/handlers';
import { writeMapFile } from '../lib/maps';
import { startWebServer } from '../../server/web/server';
import { analyze, type MapInput } from '../../shared/analysis';
import { deferenceEdges } from '../../shared/analysis/influence';
import { MapModel } from '../../shared/analysis/model';
import { PAGERANK_ALPHA, PAGERANK_MAX_ITERATIONS, PAGERANK_TOLERANCE } from '../../shared/analysis/weights';
import { generateMap } from '../lib/generate';
import { timePair } from '../lib/measure';
import { benchSession, ROOT } from '../lib/session';
import type { BenchCase, BenchRow } from '../lib/types';

const CLI = path.join(ROOT, 'dist', 'node', 'cli.cjs');
const CHROMIUM = process.env.CHROME_PATH || '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

async function makeMapFile(dir: string, people: number): Promise<string> {
  const data = generateMap(people, { seed: people });
  const file = path.join(dir, `gen-${people}.powermap`);
  await writeMapFile(file, data);
  return file;
}

/**
 * analyze() inside Chromium, where the Insights panel runs it: the panel's test page
 * (tests/e2e/insights-harness.tsx, bundled with esbuild) mounted on a 2,000-person map served by
 * the loopback server; the page times analyze() and graphology's PageRank interleaved.
 */
async function inChromium(dir: string, people: number, runs: number): Promise<{ analyze: number; pagerank: number }> {
  const staticDir = path.join(dir, 'static');
  await build({
    entryPoints: [path.join(ROOT, 'tests', 'e2e', 'insights-harness.tsx')],
    bundle: true,
    format: 'esm',
    outfile: path.join(staticDir, 'harness.js'),
    jsx: 'automatic',
    loader: { '.css': 'css' },
    define: { 'process.env.NODE_ENV': '"production"' },
    minify: true,
    logLevel: 'warning',
  });
  fs.writeFileSync(
    path.join(staticDir, 'index.html'),
    '<!doctype html><html><head><meta charset="utf-8"><link rel="stylesheet" href="./harness.css"></head><body><div id="root"></div><script type="module" src="./harness.js"></script></body></html>',
  );
  const session = benchSession(dir);
  const opened = await dispatch(session, 'map.open', { path: await makeMapFile(dir, people) });
  if (!opened.ok) throw new Error(opened.error.message);
  const web = await startWebServer({ session, staticDir });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${web.port}/#token=${web.token}`);
    await page.waitForSelector('.insights', { timeout: 60_000 });
    return await page.evaluate(
      (n) => (globalThis as unknown as { __insights: { timing(n: number): Promise<{ analyze: number; pagerank: number }> } }).__insights.timing(n),
      runs,
    );
  } finally {
    await browser.close();
    await web.close();
    await session.close();
  }
}

/** The baseline: graphology's own PageRank on the map's who-defers-to-whom graph, graph built from the edge lists. */
function graphologyPageRank(ids: string[], edges: ReturnType<typeof deferenceEdges>): void {
  const g = new DirectedGraph<Record<string, never>, { weight: number }>();
  for (const id of ids) g.addNode(id);
  for (let i = 0; i < edges.src.length; i++) {
    const a = ids[edges.src[i]!]!;
    const b = ids[edges.dst[i]!]!;
    if (g.hasEdge(a, b)) g.updateEdgeAttribute(a, b, 'weight', (x) => (x ?? 0) + edges.w[i]!);
    else g.addEdge(a, b, { weight: edges.w[i]! });
  }
  pagerank(g, { getEdgeWeight: 'weight', alpha: PAGERANK_ALPHA, maxIterations: PAGERANK_MAX_ITERATIONS, tolerance: PAGERANK_TOLERANCE });
}

async function inProcess(people: number, runs: number, targetMs: number, what: string): Promise<BenchRow> {
  const map: MapInput = generateMap(people, { seed: people });
  const model = new MapModel(map);
  const ids = model.people.map((p) => p.id);
  const edges = deferenceEdges(model);
  let flags = 0;
  const r = await timePair(
    () => {
      flags = analyze(map).redFlags.length;
    },
    () => graphologyPageRank(ids, edges),
    runs,
    3,
  );
  const dms = map.people.filter((p) => p.roles.includes('decision-maker')).length;
  return {
    name: `full analysis, ${people.toLocaleString('en-US')} people, in-process (${what})`,
    ms: r.a,
    baselineName: 'graphology-metrics PageRank alone on the same graph (graph built from edge lists)',
    baselineMs: r.b,
    targetMs,
    runs,
    note: `analyze() of bench/lib/generate.ts seed ${people}: ${people} people, ${map.relations.length} relations, ${dms} decision makers, ${map.team.length} team members, ${map.coverage.length} coverage links → ${flags} red flags; every section incl. paths for every decision maker and coach candidates with reasons; interleaved with the baseline`,
  };
}

/**
 * The analysis as it was before the buying step (issue 21): shared/ at that commit, taken with
 * `git archive` and bundled with esbuild, so the same run times the old and the new code on
 * the same map.
 */
const PREVIOUS_ANALYSIS_COMMIT = 'b1e43ad';
async function previousAnalyze(dir: string): Promise<(map: MapInput) => { redFlags: unknown[] }> {
  const src = path.join(dir, 'previous');
  fs.mkdirSync(src, { recursive: true });
  const tar = execFileSync('git', ['-C', ROOT, 'archive', PREVIOUS_ANALYSIS_COMMIT, 'shared'], { maxBuffer: 1 << 28 });
  execFileSync('tar', ['-x', '-C', src], { input: tar });
  const out = path.join(dir, 'previous-analysis.cjs');
  await build({
    entryPoints: [path.join(src, 'shared', 'analysis', 'index.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    outfile: out,
    nodePaths: [path.join(ROOT, 'node_modules')],
    logLevel: 'warning',
  });
  const mod = (await import(pathToFileURL(out).href)) as { default?: { analyze: unknown }; analyze?: unknown };
  return (mod.analyze ?? mod.default?.analyze) as (map: MapInput) => { redFlags: unknown[] };
}

async function beside(dir: string, people: number, runs: number): Promise<BenchRow> {
  const map: MapInput = generateMap(people, { seed: people });
  const prev = await previousAnalyze(dir);
  let steps = 0;
  let chokes = 0;
  const r = await timePair(
    () => {
      const a = analyze(map);
      steps = a.nextSteps.length;
      chokes = a.chokepoints.length;
    },
    () => prev(map),
    runs,
    3,
  );
  const dms = map.people.filter((p) => p.roles.includes('decision-maker')).length;
  return {
    name: `full analysis with the buying step and chokepoints, ${people.toLocaleString('en-US')} people, in-process`,
    ms: r.a,
    baselineName: `the previous analysis (commit ${PREVIOUS_ANALYSIS_COMMIT}, before issue 21) on the same map`,
    baselineMs: r.b,
    targetMs: 300,
    runs,
    note: `analyze() of bench/lib/generate.ts seed ${people} (${map.relations.length} relations, ${dms} decision makers): everything the previous one does plus the stage view, chokepoints (subset betweenness from ${dms} decision makers, ≤ 4 links), coverage by role and next steps (${chokes} chokepoints, ${steps} steps); interleaved with the previous code, bundled from git`,
  };
}

const analysisCase: BenchCase = {
  name: 'analysis',
  async run(ctx) {
    const rows: BenchRow[] = [];
    const runs = Math.max(ctx.runs, 9);

    const big = 'full analysis, 10,000 people, in-process (analyze)';
    if (ctx.wants(big)) rows.push(await inProcess(10_000, runs, 300, 'analyze'));
    const buying = 'full analysis with the buying step and chokepoints, 10,000 people, in-process';
    if (ctx.wants(buying)) rows.push(await beside(ctx.tmpDir(), 10_000, runs));
    const panel = 'full analysis, 2,000 people, in-process (Insights panel recompute)';
    if (ctx.wants(panel)) rows.push(await inProcess(2_000, runs, 50, 'Insights panel recompute'));

    const browserName = 'full analysis, 2,000 people, in Chromium (Insights panel recompute)';
    if (ctx.wants(browserName)) {
      const r = await inChromium(ctx.tmpDir(), 2_000, runs);
      rows.push({
        name: browserName,
        ms: r.analyze,
        baselineName: 'graphology-metrics PageRank alone, same page, same graph',
        baselineMs: r.pagerank,
        targetMs: 50,
        runs,
        note: 'median of analyze() in headless Chromium (the panel test page mounted on the map through the loopback API), interleaved with the baseline; the panel runs it deferred (useDeferredValue), so typing is never blocked behind it',
      });
    }

    const cliName = 'CLI end to end: powermap analyze --json, 10,000-person map file';
    if (ctx.wants(cliName)) {
      if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build:node first`);
      const file = await makeMapFile(ctx.tmpDir(), 10_000);
      let bytes = 0;
      const cli = () => {
        const r = spawnSync(process.execPath, [CLI, 'analyze', file, '--json'], { maxBuffer: 1 << 30, encoding: 'utf8' });
        if (r.status !== 0) throw new Error(`analyze failed: ${r.stderr}`);
        bytes = r.stdout.length;
      };
      const bare = () => {
        const r = spawnSync(process.execPath, ['-e', 'require("fs").readFileSync(process.argv[1])', file]);
        if (r.status !== 0) throw new Error('node -e failed');
      };
      const cliRuns = Math.max(ctx.runs, 5);
      const r = await timePair(cli, bare, cliRuns, 1);
      rows.push({
        name: cliName,
        ms: r.a,
        baselineName: 'node starting and reading the same file (node -e readFileSync)',
        baselineMs: r.b,
        targetMs: 2000,
        runs: cliRuns,
        note: `spawn node dist/node/cli.cjs analyze <file> --json until exit, stdout (${(bytes / 1e6).toFixed(1)} MB of JSON) read through a pipe; includes opening the map (exclusive lock, quick_check), reading it, the analysis and JSON printing`,
      });
    }
    return rows;
  },
};

export default analysisCase;
