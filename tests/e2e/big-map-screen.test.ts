/**
 * Big maps on screen (issue 22, item 3), in Chromium on generated organisations whose departments
 * follow the reporting tree (tests/helpers/big-map.ts):
 * - 300 people, light and dark: the org chart is laid out landscape (wide rows of reports wrap
 *   under their boss), not the strip a 300-person tree makes in one row per level; the map opens
 *   at the top of the chart with the head in view and every name on screen drawn at ≥ 9 px, no two
 *   labels overlapping, no line through a card that is not one of its ends; F shows the whole
 *   chart, where names give way instead of overlapping. The opening view is kept as
 *   docs/screenshots/big-map-300-<theme>.png.
 * - 2,000 people (the cheaper big-map drawing): the same opening view, names ≥ 9 px inside their
 *   cards and never overlapping, coverage lines hidden until asked for.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { createFromJson } from '../../services/sample';
import { MIN_SCREEN_PX } from '../../shared/visual/labels';
import { departmentalMap } from '../helpers/big-map';
import { REPO, closeBrowser, makeTmpDir, removeTmpDirs, startWebApp } from '../helpers/browser';
import { measureCanvas, settle } from '../helpers/map-geometry';
import { byTestId, waitForPeople, type PageGlobals } from './ui';

const OUT = path.join(REPO, 'docs', 'screenshots');

afterAll(async () => {
  await closeBrowser();
  removeTmpDirs();
});

/** What the canvas shows now: the chart's shape, the people fully in view and the size of their names. */
function onScreen(page: Page, head: string) {
  return page.evaluate((head) => {
    const cy = (globalThis as unknown as PageGlobals).__powermap!.cy;
    const w = cy.width();
    const h = cy.height();
    const zoom = cy.zoom();
    const people = cy.nodes('[kind = "person"]');
    const xs = people.map((n) => n.boundingBox({ includeLabels: false, includeOverlays: false }));
    const chart = { w: Math.max(...xs.map((b) => b.x2)) - Math.min(...xs.map((b) => b.x1)), h: Math.max(...xs.map((b) => b.y2)) - Math.min(...xs.map((b) => b.y1)) };
    const inView = people.filter((n) => {
      const b = n.renderedBoundingBox({ includeLabels: false, includeOverlays: false });
      return b.x1 >= 0 && b.y1 >= 0 && b.x2 <= w && b.y2 <= h;
    });
    const named = inView.filter((n) => !!n.style('label') && parseFloat(n.style('font-size')) * zoom >= parseFloat(n.style('min-zoomed-font-size')));
    return {
      zoom,
      aspect: chart.w / chart.h,
      inView: inView.length,
      named: named.length,
      smallestName: Math.min(...named.map((n) => parseFloat(n.style('font-size')) * zoom)),
      headInView: inView.some((n) => (n as unknown as { id(): string }).id() === head),
      coverageShown: cy.edges('[kind = "coverage"]').filter((e) => e.style('display') !== 'none').length,
    };
  }, head);
}

async function open(n: number, theme: 'light' | 'dark') {
  const data = departmentalMap(n);
  const file = path.join(makeTmpDir(), `big-${n}.powermap`);
  await (await createFromJson(file, data)).close();
  const app = await startWebApp({ mapPath: file, colorScheme: theme, viewport: { width: 1440, height: 900 } });
  await app.page.waitForSelector(byTestId('workspace'), { timeout: 110_000 });
  await app.page.waitForFunction((count) => (globalThis as unknown as PageGlobals).__powermap?.cy.nodes('[kind = "person"]').length === count, n, { timeout: 110_000 });
  await waitForPeople(app.page, n);
  return { app, data, head: data.people[0]!.id };
}

describe('a 300-person org chart on screen', () => {
  for (const theme of ['light', 'dark'] as const)
    it(`opens landscape, at the top of the chart with names legible, ${theme}`, async () => {
      const { app, data, head } = await open(300, theme);
      const { page } = app;
      try {
        await settle(page);
        const seen = await onScreen(page, head);
        // A chart, not a strip: one row per level made it about 20 times wider than tall.
        expect(seen.aspect).toBeGreaterThan(1);
        expect(seen.aspect).toBeLessThan(3);
        // The top of the chart, readable: the head and a good part of the tree, every name ≥ 9 px.
        expect(seen.headInView).toBe(true);
        expect(seen.inView).toBeGreaterThanOrEqual(15);
        expect(seen.inView).toBeLessThan(data.people.length);
        expect(seen.named).toBe(seen.inView);
        expect(seen.smallestName).toBeGreaterThanOrEqual(MIN_SCREEN_PX);
        // Labels never overlap, lines are routed clear of every card that is not one of their ends.
        const drawn = await measureCanvas(page, 4);
        expect(drawn.labelOverlaps).toEqual([]);
        expect(drawn.violations).toEqual([]);
        expect(seen.coverageShown).toBe(0);
        fs.mkdirSync(OUT, { recursive: true });
        const shot = path.join(OUT, `big-map-300-${theme}.png`);
        await page.screenshot({ path: shot });
        expect(fs.statSync(shot).size).toBeGreaterThan(50_000);

        // F: the whole chart; names too small to read give way rather than overlap.
        await page.locator('body').focus();
        await page.keyboard.press('f');
        await settle(page);
        const all = await onScreen(page, head);
        expect(all.inView).toBe(data.people.length);
        expect(all.zoom).toBeLessThan(seen.zoom);
        expect((await measureCanvas(page, 4)).labelOverlaps).toEqual([]);
      } finally {
        await app.stop();
      }
    });
});

describe('a 2,000-person org chart on screen', () => {
  it('opens at the top of the chart, names legible inside their cards, coverage on demand', async () => {
    const { app, data, head } = await open(2000, 'light');
    const { page } = app;
    try {
      await settle(page);
      const seen = await onScreen(page, head);
      expect(seen.aspect).toBeGreaterThan(1);
      expect(seen.aspect).toBeLessThan(3);
      expect(seen.headInView).toBe(true);
      expect(seen.inView).toBeGreaterThanOrEqual(15);
      expect(seen.named).toBe(seen.inView);
      expect(seen.smallestName).toBeGreaterThanOrEqual(MIN_SCREEN_PX);
      expect((await measureCanvas(page, 0)).labelOverlaps).toEqual([]);
      expect(seen.coverageShown).toBe(0);
      // The legend's switch draws our team's coverage.
      await page.locator(`${byTestId('coverage-switch')} input`).check();
      await expect.poll(async () => (await onScreen(page, head)).coverageShown).toBe(data.coverage.length);
    } finally {
      await app.stop();
    }
  }, 240_000);
});
