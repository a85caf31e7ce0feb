/**
 * Screenshots of each layout — the org chart with cards, the routed relationship layout and the
 * power grid — light and dark, English and Chinese, at 1440×900 and 1280×720, taken from the
 * sample map in the browser build and saved to docs/screenshots/ as
 * <layout>-<theme>-<lang>-<width>x<height>.png (the README and the docs use them). Each shot also
 * checks what it shows: every person drawn inside the canvas with a name legible at the fitted
 * zoom (no label smaller than 9 px, none given way), the legend beside the map and not over it,
 * the theme applied, the grid's quadrant names in the UI language.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createFromJson, readSample } from '../../services/sample';
import { QUADRANT_TITLE } from '../../shared/visual/grid';
import { REPO, closeBrowser, makeTmpDir, removeTmpDirs, startWebApp } from '../helpers/browser';
import { settle } from '../helpers/map-geometry';
import { byTestId, waitForPeople, type PageGlobals } from './ui';

const OUT = path.join(REPO, 'docs', 'screenshots');

afterAll(async () => {
  await closeBrowser();
  removeTmpDirs();
});

const SIZES = [
  { width: 1440, height: 900 },
  { width: 1280, height: 720 },
];

describe('screenshots', () => {
  for (const theme of ['light', 'dark'] as const)
    for (const size of SIZES)
      for (const lang of ['en-US', 'zh-CN'] as const)
      it(`shows the sample in each layout, ${theme}, ${size.width}×${size.height}, ${lang}`, async () => {
        // The sample in the language shown (the names too).
        const file = path.join(makeTmpDir(), 'bank.powermap');
        const data = readSample(path.join(REPO, 'resources'), lang);
        await (await createFromJson(file, data)).close();
        const app = await startWebApp({ mapPath: file, colorScheme: theme, viewport: size, locale: lang });
        const { page } = app;
        try {
          await page.waitForSelector(byTestId('workspace'));
          await waitForPeople(page, data.people.length);
          const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
          expect(bg).toBe(theme === 'dark' ? 'rgb(23, 25, 29)' : 'rgb(255, 255, 255)');
          fs.mkdirSync(OUT, { recursive: true });
          {
            await page.selectOption(byTestId('lang-switch'), lang);
            for (const layout of ['org', 'force', 'grid'] as const) {
              await page.click(byTestId(`layout-${layout}`));
              await page.keyboard.press('Escape');
              await settle(page);
              const seen = await page.evaluate(() => {
                const cy = (globalThis as unknown as PageGlobals).__powermap!.cy;
                const w = cy.width();
                const h = cy.height();
                const people = cy.nodes('[kind = "person"]');
                return {
                  inView: people.filter((n) => {
                    const b = n.renderedBoundingBox({ includeLabels: false });
                    return b.x1 >= 0 && b.y1 >= 0 && b.x2 <= w && b.y2 <= h;
                  }).length,
                  // The rendered size of each drawn name, and names that gave way.
                  smallest: Math.min(...people.map((n) => parseFloat(n.style('font-size')) * cy.zoom())),
                  off: people.filter((n) => n.hasClass('lbl-off')).length,
                  grid: cy.nodes('[kind = "grid"]').map((n) => String(n.data('label'))),
                };
              });
              const where = `${layout}, ${lang}, ${theme}, ${size.width}×${size.height}`;
              expect(seen.inView, where).toBe(data.people.length);
              expect(seen.smallest, where).toBeGreaterThanOrEqual(9);
              expect(seen.off, where).toBe(0);
              if (layout === 'grid') for (const q of Object.values(QUADRANT_TITLE)) expect(seen.grid, where).toContain(q[lang]);
              // The legend is docked under the canvas: it takes room, it covers nothing.
              const legend = await page.locator(byTestId('legend')).boundingBox();
              const canvas = await page.locator(byTestId('canvas')).boundingBox();
              expect(legend, where).not.toBeNull();
              expect(legend!.y, where).toBeGreaterThanOrEqual(canvas!.y + canvas!.height - 1);
              const shot = path.join(OUT, `${layout}-${theme}-${lang === 'en-US' ? 'en' : 'zh-CN'}-${size.width}x${size.height}.png`);
              await page.screenshot({ path: shot });
              expect(fs.statSync(shot).size).toBeGreaterThan(20_000);
            }
          }
          // A person selected, with the coaches highlighted, in Chinese.
          if (theme === 'light' && size.width === 1440 && lang === 'zh-CN') {
            await page.click(byTestId('layout-force'));
            await settle(page);
            await page.click(byTestId('toggle-coaches'));
            await page.waitForTimeout(300);
            await page.locator(byTestId('person-item')).filter({ hasText: 'C★' }).first().click();
            await page.waitForTimeout(600);
            await page.screenshot({ path: path.join(OUT, 'coach-zh-CN.png') });
            await expect(page.locator(byTestId('person-inspector')).isVisible()).resolves.toBe(true);
          }
        } finally {
          await app.stop();
        }
      });
});
