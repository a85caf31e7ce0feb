/**
 * Screenshots of each layout, light and dark, taken from the sample map in the browser build and
 * saved to docs/screenshots/ (the README and the docs use them). Each shot also checks what it
 * shows: every person drawn, the legend on screen, the theme applied, the grid's quadrants.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createFromJson, readSample } from '../../services/sample';
import { REPO, closeBrowser, makeTmpDir, removeTmpDirs, startWebApp } from '../helpers/browser';
import { byTestId, waitForPeople, type PageGlobals } from './ui';

const OUT = path.join(REPO, 'docs', 'screenshots');

afterAll(async () => {
  await closeBrowser();
  removeTmpDirs();
});

const settle = async (page: import('playwright-core').Page) => {
  await page.waitForTimeout(300);
  await page.waitForSelector(byTestId('laying-out'), { state: 'detached' });
  await page.waitForTimeout(700); // animations end
};

describe('screenshots', () => {
  for (const theme of ['light', 'dark'] as const) {
    it(`shows the sample in each layout, ${theme}`, async () => {
      const file = path.join(makeTmpDir(), 'bank.powermap');
      const data = readSample(path.join(REPO, 'resources'), 'zh-CN');
      await (await createFromJson(file, data)).close();
      const app = await startWebApp({ mapPath: file, colorScheme: theme, viewport: { width: 1440, height: 900 } });
      const { page } = app;
      try {
        await page.waitForSelector(byTestId('workspace'));
        await waitForPeople(page, data.people.length);
        const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
        expect(bg).toBe(theme === 'dark' ? 'rgb(23, 25, 29)' : 'rgb(255, 255, 255)');
        fs.mkdirSync(OUT, { recursive: true });
        for (const layout of ['org', 'force', 'grid'] as const) {
          await page.click(byTestId(`layout-${layout}`));
          await settle(page);
          // Every person is drawn inside the visible canvas.
          const inView = await page.evaluate(() => {
            const cy = (globalThis as unknown as PageGlobals).__powermap!.cy;
            const w = cy.width();
            const h = cy.height();
            return cy.nodes('[kind = "person"]').filter((n) => {
              const p = n.renderedPosition();
              return p.x >= 0 && p.y >= 0 && p.x <= w && p.y <= h;
            }).length;
          });
          expect(inView).toBe(data.people.length);
          await expect(page.locator(byTestId('legend')).isVisible()).resolves.toBe(true);
          if (layout === 'grid') await expect(page.locator(byTestId('quadrant-manage-closely')).isVisible()).resolves.toBe(true);
          const shot = path.join(OUT, `${layout}-${theme}.png`);
          await page.screenshot({ path: shot });
          expect(fs.statSync(shot).size).toBeGreaterThan(20_000);
        }
        // A person selected, with the coaches highlighted, in Chinese.
        if (theme === 'light') {
          await page.selectOption(byTestId('lang-switch'), 'zh-CN');
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
  }
});
