/**
 * Finding your way on a big map (issue 22, item 5), in Chromium on a generated 300-person map:
 * - a keyboard jump: "/" then part of a Chinese name typed as pinyin initials and digits, Enter —
 *   the person is selected, centred in the canvas, and pulsed (a ring that grows and fades, then
 *   is gone, leaving the person's own look);
 * - Shift+F fits the selected person with their neighbours (zoomed in from the whole map, every
 *   neighbour inside the canvas); F fits the whole map again.
 */
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateMap } from '../../bench/lib/generate';
import { createFromJson } from '../../services/sample';
import { closeBrowser, makeTmpDir, removeTmpDirs, startWebApp } from '../helpers/browser';
import { byTestId, waitForPeople, type PageGlobals } from './ui';

afterAll(async () => {
  await closeBrowser();
  removeTmpDirs();
});


/** Until the viewport's animation (250 ms) has run and nothing moves. */
async function idle(page: import('playwright-core').Page) {
  await page.waitForTimeout(100);
  await page.waitForFunction(() => !(globalThis as unknown as PageGlobals).__powermap!.cy.animated(), undefined, { timeout: 5000 });
  await page.waitForTimeout(100);
}

describe('finding your way on a 300-person map', () => {
  it('jumps to a person by pinyin, centres and pulses them; Shift+F fits them with their neighbours; F fits all', async () => {
    const data = generateMap(300, { seed: 22, profileShare: 0 });
    // A Chinese-named person deep in the list, typed as pinyin initials plus the name's number.
    const target = data.people.filter((p) => /^[\u4e00-\u9fff]/.test(p.name))[40]!;
    const number = /\d+$/.exec(target.name)![0];
    const file = path.join(makeTmpDir(), 'big.powermap');
    await (await createFromJson(file, data)).close();
    const app = await startWebApp({ mapPath: file, viewport: { width: 1440, height: 900 } });
    const { page } = app;
    try {
      await page.waitForSelector(byTestId('workspace'));
      await waitForPeople(page, data.people.length);
      await page.waitForSelector(byTestId('laying-out'), { state: 'detached' });
      // The map opens at the top of its chart (a big org chart's opening view); F shows it whole.
      await page.keyboard.press('f');
      await idle(page);
      const fitZoom = await page.evaluate(() => (globalThis as unknown as PageGlobals).__powermap!.cy.zoom());

      // The jump: "/" focuses the search; the pinyin initials of the name plus its number find one person.
      const { pinyin } = await import('pinyin-pro');
      const initials = pinyin(target.name.replace(/\d+$/, ''), { pattern: 'first', toneType: 'none', type: 'array', surname: 'head' }).join('');
      await page.locator('body').focus();
      await page.keyboard.press('/');
      await page.keyboard.type(`${initials}${number}`);
      await expect.poll(() => page.locator(byTestId('person-item')).count(), { timeout: 5000 }).toBeGreaterThan(0);
      await expect(page.locator(byTestId('person-item')).first().getAttribute('data-person-id')).resolves.toBe(target.id);
      // Every style change of that person is recorded (Cytoscape's 'style' event), so the pulse is
      // seen however slowly this machine draws frames.
      await page.evaluate((id) => {
        const w = globalThis as unknown as PageGlobals & { __pulse: number[] };
        w.__pulse = [];
        w.__powermap!.cy.getElementById(id).on('style', (e) => {
          if (e.target.style('underlay-color') === 'rgb(47,125,225)') w.__pulse.push(Number(e.target.style('underlay-opacity')));
        });
      }, target.id);
      await page.keyboard.press('Enter');

      // Pulsed: a ring that grows and fades (opacity up, then down towards 0), on that person only.
      await expect
        .poll(() => page.evaluate(() => (globalThis as unknown as { __pulse: number[] }).__pulse.filter((o) => o > 0.05).length), { timeout: 5000 })
        .toBeGreaterThan(0);
      await page.waitForFunction((id) => (globalThis as unknown as PageGlobals).__powermap!.cy.getElementById(id).style('underlay-color') !== 'rgb(47,125,225)', target.id, { timeout: 10_000 });
      await idle(page);
      const after = await page.evaluate((id) => {
        const cy = (globalThis as unknown as PageGlobals).__powermap!.cy;
        const n = cy.getElementById(id);
        const r = n.renderedPosition();
        return { x: r.x, y: r.y, w: cy.width(), h: cy.height(), selected: n.selected(), ring: n.style('underlay-color'), bypass: n.numericStyle('underlay-padding') };
      }, target.id);
      expect(after.selected).toBe(true);
      expect(Math.abs(after.x - after.w / 2)).toBeLessThan(after.w * 0.05);
      expect(Math.abs(after.y - after.h / 2)).toBeLessThan(after.h * 0.05);
      // The pulse is over: no bypass left (the stylesheet's underlay padding is back).
      expect(after.ring).not.toBe('rgb(47,125,225)');

      // Shift+F (the search let go of the keys after the jump): the person and their neighbours fill the canvas.
      await expect(page.evaluate(() => (globalThis as unknown as { document: { activeElement: { tagName: string } | null } }).document.activeElement?.tagName)).resolves.not.toBe('INPUT');
      await page.keyboard.press('Shift+F');
      await idle(page);
      const fit = await page.evaluate((id) => {
        const cy = (globalThis as unknown as PageGlobals).__powermap!.cy;
        const hood = cy.getElementById(id).closedNeighborhood().nodes();
        const boxes = hood.map((n) => n.renderedBoundingBox({}));
        return { zoom: cy.zoom(), w: cy.width(), h: cy.height(), n: hood.length, boxes: boxes.map((b) => [b.x1, b.y1, b.x2, b.y2]) };
      }, target.id);
      expect(fit.n).toBeGreaterThan(1);
      expect(fit.zoom).not.toBe(1);
      for (const [x1, y1, x2, y2] of fit.boxes) {
        expect(x1).toBeGreaterThanOrEqual(-1);
        expect(y1).toBeGreaterThanOrEqual(-1);
        expect(x2).toBeLessThanOrEqual(fit.w + 1);
        expect(y2).toBeLessThanOrEqual(fit.h + 1);
      }

      // F: the whole map again.
      await page.keyboard.press('f');
      await idle(page);
      await expect(page.evaluate(() => (globalThis as unknown as PageGlobals).__powermap!.cy.zoom())).resolves.toBeCloseTo(fitZoom, 3);
      expect(app.output()).not.toContain('[page errors]');
    } finally {
      await app.stop();
    }
  });
});
