/**
 * Issue 21: the level × function layout in Chromium (the browser build). Switched to from the
 * toolbar and with the 4 key; every person of the sample drawn inside the cell the documented
 * rules give (shared/visual/levels.ts), the rows and columns named in the UI language; setting a
 * person's function in the panel moves them to that column and undo moves them back; a next step
 * ticked in Insights is stored and Ctrl+Z opens it again. Screenshots go to docs/screenshots/
 * (levels-light-<lang>-1440x900.png, insights-ticked-en.png). Needs dist/ built.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createFromJson, readSample } from '../../services/sample';
import { FUNCTION_LABEL, LEVEL_LABEL } from '../../shared/i18n/domain';
import { levelCells } from '../../shared/visual/levels';
import { REPO, closeBrowser, makeTmpDir, removeTmpDirs, startWebApp } from '../helpers/browser';
import { settle } from '../helpers/map-geometry';
import { byTestId, waitForPeople, type PageGlobals } from './ui';

const OUT = path.join(REPO, 'docs', 'screenshots');

afterAll(async () => {
  await closeBrowser();
  removeTmpDirs();
});

/** Each person's cell as drawn: the backdrop cell whose box holds the person's centre. */
const drawnCells = () => {
  const cy = (globalThis as unknown as PageGlobals).__powermap!.cy;
  const cells = cy.nodes('[kind = "grid"]').filter((n) => n.id().startsWith('g:cell-'));
  const out: Record<string, string> = {};
  cy.nodes('[kind = "person"]').forEach((p) => {
    const at = p.position();
    const hit = cells.filter((c) => {
      const b = c.boundingBox({ includeLabels: false });
      return at.x > b.x1 && at.x < b.x2 && at.y > b.y1 && at.y < b.y2;
    });
    out[p.id()] = hit.length === 1 ? hit.first().id().slice('g:cell-'.length) : `(${hit.length} cells)`;
  });
  return {
    cells: out,
    labels: cy.nodes('[kind = "grid"]').map((n) => String(n.data('label'))).filter(Boolean),
    layout: (globalThis as unknown as PageGlobals).__powermap!.store.getState().layout as string,
    inView: cy.nodes('[kind = "person"]').filter((n) => {
      const b = n.renderedBoundingBox({ includeLabels: false });
      return b.x1 >= 0 && b.y1 >= 0 && b.x2 <= cy.width() && b.y2 <= cy.height();
    }).length,
  };
};

describe('the level × function layout', () => {
  for (const lang of ['en-US', 'zh-CN'] as const)
    it(`places the sample in its cells, ${lang}`, async () => {
      const file = path.join(makeTmpDir(), 'bank.powermap');
      const data = readSample(path.join(REPO, 'resources'), lang);
      await (await createFromJson(file, data)).close();
      const app = await startWebApp({ mapPath: file, viewport: { width: 1440, height: 900 }, locale: lang });
      const { page } = app;
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      try {
        await page.waitForSelector(byTestId('workspace'));
        await waitForPeople(page, data.people.length);
        await page.selectOption(byTestId('lang-switch'), lang);
        // The 4 key, then the toolbar's button (after another layout).
        await page.locator('body').focus();
        await page.keyboard.press('4');
        await settle(page);
        expect((await page.evaluate(drawnCells)).layout).toBe('levels');
        await page.click(byTestId('layout-grid'));
        await settle(page);
        await page.click(byTestId('layout-levels'));
        await page.keyboard.press('Escape');
        await settle(page);
        const seen = await page.evaluate(drawnCells);
        const want = levelCells(data.people, data.relations);
        expect(seen.cells).toEqual(Object.fromEntries(data.people.map((p) => [p.id, `${want.get(p.id)!.level}-${want.get(p.id)!.fn}`])));
        expect(seen.inView).toBe(data.people.length);
        for (const l of Object.values(LEVEL_LABEL)) expect(seen.labels).toContain(l[lang]);
        for (const f of Object.values(FUNCTION_LABEL)) expect(seen.labels).toContain(f[lang]);
        fs.mkdirSync(OUT, { recursive: true });
        await page.screenshot({ path: path.join(OUT, `levels-light-${lang === 'en-US' ? 'en' : 'zh-CN'}-1440x900.png`) });

        if (lang === 'en-US') {
          // The president has no function: set one in the panel, and the card moves to that column.
          const pres = data.people.find((p) => p.id === 'p_president')!;
          await page.locator(byTestId('person-item'), { hasText: pres.name }).first().click();
          const fnSelect = page.locator(byTestId('person-function'));
          await expect(fnSelect.locator('option').first().textContent()).resolves.toBe(`Automatic (${FUNCTION_LABEL[want.get(pres.id)!.fn]['en-US']})`);
          await fnSelect.selectOption('procurement');
          await settle(page);
          await expect.poll(async () => (await page.evaluate(drawnCells)).cells[pres.id]).toBe(`${want.get(pres.id)!.level}-procurement`);
          await page.click(byTestId('undo'));
          await settle(page);
          await expect.poll(async () => (await page.evaluate(drawnCells)).cells[pres.id]).toBe(`${want.get(pres.id)!.level}-${want.get(pres.id)!.fn}`);

          // Tick the first next step off in Insights; Ctrl+Z opens it again.
          await page.keyboard.press('Escape');
          await page.click(byTestId('tab-insights'));
          const first = page.locator(`[data-section="plan"] ${byTestId('next-step')}`).first();
          const id = await first.getAttribute('data-step');
          // By its id: ticked, the step moves to the end of the list.
          const ticked = page.locator(`[data-section="plan"] ${byTestId('next-step')}[data-step="${id}"]`);
          await ticked.locator('input[type="checkbox"]').click();
          await expect.poll(() => ticked.getAttribute('class')).toContain('is-done');
          const meta = () => page.evaluate(() => ((globalThis as unknown as PageGlobals).__powermap!.store.getState().doc as { meta: { doneSteps?: string[] } }).meta.doneSteps);
          await expect.poll(meta).toEqual([id]);
          // For the picture: the whole grid, the red flags folded, the plan in view.
          await page.click(byTestId('fit'));
          await settle(page);
          await page.$$eval('details.ins-section[data-section="flags"]', (els) => els.forEach((e) => ((e as unknown as { open: boolean }).open = false)));
          await page.$$eval('details[data-testid="weights-editor"]', (els) => els.forEach((e) => ((e as unknown as { open: boolean }).open = true)));
          await ticked.scrollIntoViewIfNeeded();
          await page.locator('[data-section="plan"]').evaluate((e) => (e as unknown as { scrollIntoView(o: unknown): void }).scrollIntoView({ block: 'start' }));
          await page.screenshot({ path: path.join(OUT, 'insights-ticked-en.png') });
          await page.click(byTestId('undo'));
          await expect.poll(meta).toEqual([]);
          await expect.poll(() => ticked.getAttribute('class')).not.toContain('is-done');
        }
        expect(errors).toEqual([]);
      } finally {
        await app.stop();
      }
    }, 120_000);
});
