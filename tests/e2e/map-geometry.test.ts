/**
 * The drawn map, measured (issue 14): on the sample map and on generated 30- and 80-person maps,
 * in each layout, in real Chromium —
 * - no line passes within 4 px of a person (or team member) who is not one of its ends, measured
 *   from Cytoscape's rendered edge geometry (source endpoint, segment points or sampled béziers,
 *   target endpoint) against each node's box with its border;
 * - no two drawn labels overlap — at the fitted zoom, at 100 % and zoomed far out (where labels
 *   give way rather than shrink);
 * - the same for the SVG export (lines sampled along the exported paths, cards and texts by their
 *   boxes), which also carries the map's title and legend.
 * Coverage lines are measured too, with the coverage switch on.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createFromJson, readSample } from '../../services/sample';
import { generateMap } from '../../bench/lib/generate';
import type { MapJson } from '../../shared/exchange/json-format';
import { REPO, closeBrowser, getBrowser, makeTmpDir, removeTmpDirs, startWebApp } from '../helpers/browser';
import { measureCanvas, measureSvg, settle } from '../helpers/map-geometry';
import { byTestId } from './ui';

const CLI = path.join(REPO, 'bin', 'powermap.cjs');
const LAYOUTS = ['org', 'force', 'grid'] as const;
const CLEAR = 4;

afterAll(async () => {
  await closeBrowser();
  removeTmpDirs();
});

const MAPS: { name: string; data: () => MapJson }[] = [
  { name: 'the sample', data: () => readSample(path.join(REPO, 'resources')) as MapJson },
  { name: 'a generated 30-person map', data: () => generateMap(30, { seed: 5, profileShare: 0 }) },
  { name: 'a generated 80-person map', data: () => generateMap(80, { seed: 8, profileShare: 0 }) },
];

describe('the drawn map keeps lines off people and labels apart', () => {
  for (const m of MAPS) {
    it(`${m.name}: on screen, in every layout and zoom`, async () => {
      const file = path.join(makeTmpDir(), 'map.powermap');
      const data = m.data();
      await (await createFromJson(file, data)).close();
      const app = await startWebApp({ mapPath: file, viewport: { width: 1440, height: 900 } });
      const { page } = app;
      try {
        await page.waitForSelector(byTestId('workspace'));
        for (const layout of LAYOUTS) {
          await page.click(byTestId(`layout-${layout}`));
          await settle(page);
          const fit = await measureCanvas(page, CLEAR);
          const where = `${layout} at zoom ${fit.zoom.toFixed(2)} (${fit.lod})`;
          expect(fit.people, where).toBe(data.people.length + data.team.length);
          expect(fit.edges, where).toBe(data.relations.length);
          expect(fit.violations, `lines near people, ${where}`).toEqual([]);
          expect(fit.labelOverlaps, `labels overlapping, ${where}`).toEqual([]);
          expect(fit.labels, where).toBeGreaterThanOrEqual(Math.min(10, data.people.length));
          // Names and titles in full at 100 %, then the map seen from far: labels give way.
          for (const zoom of [1, 0.3, 0.18]) {
            await page.evaluate((z) => {
              const cy = (globalThis as unknown as { __powermap: { cy: import('cytoscape').Core } }).__powermap.cy;
              cy.zoom({ level: z, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
            }, zoom);
            await page.waitForTimeout(150);
            const r = await measureCanvas(page, CLEAR);
            expect(r.labelOverlaps, `labels overlapping, ${layout} at zoom ${zoom} (${r.lod})`).toEqual([]);
            if (zoom === 1) expect(r.lod).toBe('lod-0');
          }
          await page.keyboard.press('Escape');
        }
        // Our coverage lines, all at once: routed around people too.
        await page.click(`${byTestId('coverage-switch')} input`);
        for (const layout of LAYOUTS) {
          await page.click(byTestId(`layout-${layout}`));
          await settle(page);
          const r = await measureCanvas(page, CLEAR);
          expect(r.edges, layout).toBe(data.relations.length + data.coverage.length);
          expect(r.violations, `coverage lines near people, ${layout}`).toEqual([]);
        }
        // Full cards in the other layouts too: room is made for them, lines and labels stay apart.
        for (const layout of ['force', 'grid'] as const) {
          await page.click(byTestId(`layout-${layout}`));
          await settle(page);
          if (!(await page.locator(`${byTestId('cards-switch')} input`).isChecked())) await page.click(`${byTestId('cards-switch')} input`);
          await settle(page);
          const r = await measureCanvas(page, CLEAR);
          const form = await page.evaluate(() =>
            (globalThis as unknown as { __powermap: { cy: import('cytoscape').Core } }).__powermap.cy.nodes('[kind = "person"]').first().width(),
          );
          expect(form, `${layout} with cards`).toBeGreaterThan(160);
          expect(r.violations, `lines near people, ${layout} with cards`).toEqual([]);
          expect(r.labelOverlaps, `labels overlapping, ${layout} with cards`).toEqual([]);
        }
      } finally {
        await app.stop();
      }
    });

    it(`${m.name}: in the SVG export, in every layout`, async () => {
      const dir = makeTmpDir();
      const file = path.join(dir, 'map.powermap');
      const data = m.data();
      await (await createFromJson(file, data)).close();
      const browser = await getBrowser();
      const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
      try {
        for (const layout of LAYOUTS) {
          const out = path.join(dir, `${layout}.svg`);
          const r = spawnSync(process.execPath, [CLI, 'export', file, '--format', 'svg', '--layout', layout, '-o', out], { encoding: 'utf8' });
          expect(r.status, r.stderr).toBe(0);
          const svg = fs.readFileSync(out, 'utf8');
          const g = await measureSvg(page, svg, CLEAR);
          expect(g.cards, layout).toBe(data.people.length);
          expect(g.edges, layout).toBeGreaterThan(data.relations.length * 0.8);
          expect(g.violations, `lines near cards in the ${layout} SVG`).toEqual([]);
          expect(g.textOverlaps, `texts overlapping in the ${layout} SVG`).toEqual([]);
          // A picture that stands alone: the map's title and a legend of what is shown.
          expect(g.allText).toContain(data.meta.account);
          expect(svg).toContain('class="legend"');
          if (data.relations.some((x) => x.kind === 'conflict')) expect(svg).toMatch(/>Conflict</);
        }
      } finally {
        await page.close();
      }
    });
  }
});
