/**
 * Rendering figures (issue 4), in headless Chromium against the browser build, each beside bare
 * Cytoscape doing the same step on the same elements in the same page, interleaved run by run:
 * - open a 200-person map to a drawn, interactive canvas (issue 22: at most 1.5× bare Cytoscape);
 * - open a 2,000-person / 6,000-edge map the same way (at most 1.2×);
 * - toggle a highlight ("Show coaches") on the 200- and 2,000-person maps (issue 22: under 16 ms and
 *   100 ms to the painted frame; the canvas dims the map on a veil of its own, veil.ts).
 *
 * "Open" is what the welcome screen does: map.open over the loopback API, the store loads the
 * document, React mounts the workspace (people list, legend, inspector), the canvas controller
 * creates Cytoscape with our stylesheet and applies the map — until the next painted frame after
 * every person is on the canvas. The maps carry stored positions (as a map does once it has been
 * laid out), so no layout runs. The baseline fetches the same document over the same API
 * (map.get), builds the same element definitions and creates bare Cytoscape (default style plus
 * labels, preset positions) in a same-sized container, until its next painted frame.
 * "Toggle" runs from the store action to the next painted frame; the baseline adds/removes the
 * same faded/highlighted classes in one cy.batch() on bare Cytoscape holding the same elements.
 */
import fs from 'node:fs';
import path from 'node:path';
import type cytoscape from 'cytoscape';
import type { Page } from 'playwright-core';
import type { LayoutName, MapDocument, Position, RelationKind } from '../../shared/domain';
import { createFromJson } from '../../services/sample';
import { closeBrowser, getBrowser, startServer } from '../../tests/helpers/browser';
import { generateMap, prng } from '../lib/generate';
import { median } from '../lib/measure';
import type { BenchCase, BenchContext, BenchRow } from '../lib/types';

/** What the page exposes (renderer/src/bench-hooks.ts and the canvas' test hook), typed here. */
interface PageHooks {
  __powermap?: { cy: cytoscape.Core };
  __powermapBench?: {
    cytoscape: typeof cytoscape;
    api: { call(method: string, input: unknown): Promise<MapDocument> };
    store: { getState(): { doc: MapDocument | null; error: { message: string } | null; showCoaches: boolean; toggleCoaches(): void } };
    openMap(path: string): Promise<boolean>;
    closeMap(): Promise<void>;
    elementsOf(doc: MapDocument, layout: LayoutName): cytoscape.ElementDefinition[];
  };
}

/** The few browser globals the page functions use (this project compiles without the DOM lib). */
interface Box {
  style: { cssText: string };
  remove(): void;
}
interface G extends PageHooks {
  requestAnimationFrame(cb: () => void): number;
  document: { createElement(tag: 'div'): Box; body: { appendChild(b: Box): void } };
}

/** A generated map with `people` people, topped up to `edges` relations, and stored positions. */
async function writeMap(file: string, people: number, edges: number): Promise<{ people: number; relations: number }> {
  const data = generateMap(people, { seed: 7, profileShare: 0 });
  const rnd = prng(99);
  const seen = new Set(data.relations.map((r) => `${r.kind}:${r.source}:${r.target}`));
  const kinds: RelationKind[] = ['influence', 'influence', 'influence', 'alliance', 'conflict'];
  while (data.relations.length < edges) {
    const s = data.people[Math.floor(rnd() * people)]!.id;
    const t = data.people[Math.floor(rnd() * people)]!.id;
    const kind = kinds[Math.floor(rnd() * kinds.length)]!;
    if (s === t || seen.has(`${kind}:${s}:${t}`) || seen.has(`${kind}:${t}:${s}`)) continue;
    seen.add(`${kind}:${s}:${t}`);
    data.relations.push({ id: `r_x${data.relations.length}`, kind, source: s, target: t, strength: 2, note: '' });
  }
  // Stored positions for the org chart (the layout a map opens in): a plain grid.
  const cols = Math.ceil(Math.sqrt(people));
  const org: Position[] = data.people.map((p, i) => ({ id: p.id, x: (i % cols) * 140, y: Math.floor(i / cols) * 130, pinned: false }));
  data.team.forEach((m, i) => org.push({ id: m.id, x: i * 140, y: (Math.ceil(people / cols) + 1) * 130, pinned: false }));
  data.positions = { org };
  await (await createFromJson(file, data)).close();
  return { people: data.people.length, relations: data.relations.length };
}

/** In the page: open through the app until drawn; returns ms. */
const openOurs = (page: Page, file: string, expected: number) =>
  page.evaluate(
    async ({ file, expected }) => {
      const b = (globalThis as unknown as G).__powermapBench!;
      const frame = () => new Promise<void>((r) => (globalThis as unknown as G).requestAnimationFrame(() => r()));
      const t0 = performance.now();
      const ok = await b.openMap(file);
      if (!ok) throw new Error(String(b.store.getState().error?.message));
      // Until the canvas holds every person, then the next painted frame.
      for (;;) {
        const cy = (globalThis as unknown as G).__powermap?.cy;
        if (cy && cy.nodes('[kind = "person"]').length === expected) break;
        await frame();
      }
      await frame();
      await frame();
      const ms = performance.now() - t0;
      await b.closeMap();
      await frame();
      return ms;
    },
    { file, expected },
  );

/** In the page: the same document through the API, bare Cytoscape, until drawn; returns ms. */
const openBare = (page: Page) =>
  page.evaluate(async () => {
    const b = (globalThis as unknown as G).__powermapBench!;
    const frame = () => new Promise<void>((r) => (globalThis as unknown as G).requestAnimationFrame(() => r()));
    const box = (globalThis as unknown as G).document.createElement('div');
    box.style.cssText = 'position:fixed;left:230px;top:50px;width:870px;height:760px;z-index:100;background:#fff';
    (globalThis as unknown as G).document.body.appendChild(box);
    const t0 = performance.now();
    const doc = await b.api.call('map.get', {});
    const cy = b.cytoscape({
      container: box as never,
      elements: b.elementsOf(doc, 'org'),
      style: [{ selector: 'node', style: { label: 'data(label)' } }],
      layout: { name: 'preset', fit: true },
    });
    await frame();
    await frame();
    const ms = performance.now() - t0;
    cy.destroy();
    box.remove();
    return ms;
  });

async function openPair(page: Page, file: string, people: number, runs: number, ctx: BenchContext, label: string) {
  const ours: number[] = [];
  const bare: number[] = [];
  // Warm-up: one of each (JIT, font cache, SQLite page cache).
  await openOurs(page, file, people);
  await page.evaluate((f) => (globalThis as unknown as G).__powermapBench!.api.call('map.open', { path: f }), file);
  await openBare(page);
  await page.evaluate(() => (globalThis as unknown as G).__powermapBench!.closeMap());
  for (let i = 0; i < runs; i++) {
    ours.push(await openOurs(page, file, people));
    // The baseline reads the same open map through the same API.
    await page.evaluate((f) => (globalThis as unknown as G).__powermapBench!.api.call('map.open', { path: f }), file);
    bare.push(await openBare(page));
    await page.evaluate(() => (globalThis as unknown as G).__powermapBench!.api.call('map.close', {}));
    ctx.log(`render: ${label} run ${i + 1}/${runs}: ours ${ours.at(-1)!.toFixed(0)} ms, bare ${bare.at(-1)!.toFixed(0)} ms`);
  }
  return { ours: median(ours), bare: median(bare) };
}

/**
 * Toggling "Show coaches" on the open map, and the same classes on bare Cytoscape, two ways:
 * - work: the main thread's time from the store action to the painted frame — the action and what
 *   it sets off before the next frame (React's render and effects, the canvas), plus what the next
 *   frame runs before its paint (Cytoscape draws in its animation-frame callback, registered before
 *   ours). What the display's refresh adds (waiting for the next frame) is not work and not counted.
 * - wall: from the store action until two animation frames later (the frame after the toggle has
 *   been painted): includes waiting for the display, so it can't go below one frame (16.7 ms at 60 Hz).
 */
async function togglePair(page: Page, runs: number) {
  return page.evaluate(async (n) => {
    const b = (globalThis as unknown as G).__powermapBench!;
    const g = globalThis as unknown as G & { queueMicrotask(cb: () => void): void; setTimeout(cb: () => void, ms: number): number };
    const frame = () => new Promise<void>((r) => g.requestAnimationFrame(() => r()));
    /** The next animation frame: how long it had run when our callback came (Cytoscape's draw). */
    const frameWork = () => new Promise<number>((r) => (g.requestAnimationFrame as unknown as (cb: (ts: number) => void) => number)((ts) => r(performance.now() - ts)));
    const box = g.document.createElement('div');
    box.style.cssText = 'position:fixed;left:0;top:0;width:870px;height:760px;z-index:-1';
    g.document.body.appendChild(box);
    const doc = b.store.getState().doc!;
    const bare = b.cytoscape({
      container: box as never,
      elements: b.elementsOf(doc, 'org'),
      style: [
        { selector: 'node', style: { label: 'data(label)' } },
        { selector: '.faded', style: { opacity: 0.13 } },
      ],
      layout: { name: 'preset', fit: true },
    });
    await frame();
    await frame();
    const ours = g.__powermap!;
    const coach = ours.cy.nodes('[?coach]')[0]!.id();
    const look = () => (ours as unknown as { controller: { look(id: string): string } }).controller.look(coach);
    const toggleBare = (on: boolean) =>
      bare.batch(() => {
        if (on) {
          const focus = bare.nodes('[?coach]').closedNeighborhood();
          bare.elements().difference(focus).addClass('faded');
          focus.addClass('highlighted');
        } else bare.elements().removeClass('faded highlighted');
      });
    /** One toggle: `act`, then until `applied` (our canvas is called from React's render), then the frames. */
    const timed = async (act: () => void, applied: () => Promise<void>) => {
      const t0 = performance.now();
      act();
      await applied();
      const sync = performance.now() - t0;
      const drawn = await frameWork();
      await frame();
      return { work: sync + drawn, wall: performance.now() - t0 };
    };
    const work = { ours: [] as number[], bare: [] as number[] };
    const wall = { ours: [] as number[], bare: [] as number[] };
    for (let i = 0; i < n * 2 + 2; i++) {
      const want = i % 2 === 0 ? 'raised' : 'plain';
      await frame();
      // Ours: the store action; React renders and calls the canvas in a microtask (or a task).
      const a = await timed(
        () => b.store.getState().toggleCoaches(),
        async () => {
          for (let k = 0; k < 20 && look() !== want; k++) await new Promise<void>((r) => g.queueMicrotask(r));
          while (look() !== want) await new Promise<void>((r) => g.setTimeout(r, 0));
        },
      );
      await frame();
      const c = await timed(
        () => toggleBare(want === 'raised'),
        async () => undefined,
      );
      if (i >= 2) {
        work.ours.push(a.work);
        work.bare.push(c.work);
        wall.ours.push(a.wall);
        wall.bare.push(c.wall);
      }
    }
    bare.destroy();
    box.remove();
    if (b.store.getState().showCoaches) b.store.getState().toggleCoaches();
    const med = (xs: number[]) => [...xs].sort((x, y) => x - y)[xs.length >> 1]!;
    return { work: { ours: med(work.ours), bare: med(work.bare) }, wall: { ours: med(wall.ours), bare: med(wall.bare) } };
  }, runs);
}

/** The two highlight rows of one map: the work (with the target) and the wall clock. */
function toggleRows(people: string, r: Awaited<ReturnType<typeof togglePair>>, targetMs: number, toggles: number, size: string): BenchRow[] {
  return [
    {
      name: `toggle "Show coaches" highlight, ${people} people (main-thread work to the painted frame)`,
      ms: r.work.ours,
      baselineName: 'bare Cytoscape: same classes in one batch',
      baselineMs: r.work.bare,
      targetMs,
      note: `store action → React → canvas, plus the next frame's drawing before its paint; on and off alternately; ${toggles} toggles; ${size}`,
    },
    {
      name: `toggle "Show coaches" highlight, ${people} people (wall clock to the frame after)`,
      ms: r.wall.ours,
      baselineName: 'bare Cytoscape: same classes in one batch',
      baselineMs: r.wall.bare,
      note: 'the same toggles, store action until two animation frames later: includes waiting for the display (≥ 16.7 ms at 60 Hz)',
    },
  ];
}

const renderCase: BenchCase = {
  name: 'render',
  async run(ctx) {
    const rows: BenchRow[] = [];
    const dir = ctx.tmpDir();
    const small = path.join(dir, 'map-200.powermap');
    const big = path.join(dir, 'map-2000.powermap');
    const s = await writeMap(small, 200, 400);
    const g = await writeMap(big, 2000, 6000);
    const server = await startServer({ docsDir: path.join(dir, 'docs'), configDir: path.join(dir, 'config') });
    const browser = await getBrowser();
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme: 'light' });
    const page = await context.newPage();
    try {
      // tsx compiles page functions with esbuild's keepNames, which calls a __name helper.
      await page.addInitScript({ content: 'globalThis.__name = (f) => f;' });
      await page.goto(server.url);
      await page.waitForSelector('[data-testid="welcome"]');
      const note = (m: { people: number; relations: number }) =>
        `${m.people} people, ${m.relations} relations, stored positions; headless Chromium 1440×900, median of ${ctx.runs} interleaved runs after a warm-up`;
      if (ctx.wants('open 200')) {
        const r = await openPair(page, small, s.people, ctx.runs, ctx, '200');
        rows.push({ name: 'open 200-person map to a drawn canvas', ms: r.ours, baselineName: 'bare Cytoscape: map.get + create + draw', baselineMs: r.bare, targetRatio: 1.5, note: note(s) });
      }
      if (ctx.wants('highlight')) {
        await page.evaluate((f) => (globalThis as unknown as G).__powermapBench!.openMap(f), small);
        await page.waitForFunction((n) => (globalThis as unknown as G).__powermap?.cy.nodes('[kind = "person"]').length === n, s.people);
        await page.waitForTimeout(500);
        const r = await togglePair(page, ctx.runs);
        ctx.log(`render: highlight toggle (200) work ours ${r.work.ours.toFixed(1)} ms, bare ${r.work.bare.toFixed(1)} ms; wall ${r.wall.ours.toFixed(1)} / ${r.wall.bare.toFixed(1)} ms`);
        rows.push(...toggleRows('200', r, 16, ctx.runs * 2, `${s.people} people, ${s.relations} relations`));
        await page.evaluate(() => (globalThis as unknown as G).__powermapBench!.closeMap());
      }
      if (ctx.wants('open 2,000') || ctx.wants('highlight')) {
        if (ctx.wants('open 2,000')) {
          const r = await openPair(page, big, g.people, ctx.runs, ctx, '2000');
          rows.push({ name: 'open 2,000-person / 6,000-edge map to a drawn canvas', ms: r.ours, baselineName: 'bare Cytoscape: map.get + create + draw', baselineMs: r.bare, targetRatio: 1.2, note: note(g) });
        }
        if (ctx.wants('highlight')) {
          await page.evaluate((f) => (globalThis as unknown as G).__powermapBench!.openMap(f), big);
          await page.waitForFunction((n) => (globalThis as unknown as G).__powermap?.cy.nodes('[kind = "person"]').length === n, g.people);
          const r = await togglePair(page, ctx.runs);
          ctx.log(`render: highlight toggle (2,000) work ours ${r.work.ours.toFixed(1)} ms, bare ${r.work.bare.toFixed(1)} ms; wall ${r.wall.ours.toFixed(1)} / ${r.wall.bare.toFixed(1)} ms`);
          rows.push(...toggleRows('2,000', r, 100, ctx.runs * 2, `${g.people} people, ${g.relations} relations`));
          await page.evaluate(() => (globalThis as unknown as G).__powermapBench!.closeMap());
        }
      }
    } finally {
      await context.close().catch(() => undefined);
      await server.stop();
      await closeBrowser();
      fs.rmSync(path.join(dir, 'docs'), { recursive: true, force: true });
    }
    return rows;
  },
};

export default renderCase;
