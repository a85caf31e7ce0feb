/**
 * The org chart arranges itself (issue 14): adding a person or a reporting line, or taking one
 * away, updates the chart at once — the person lands under their boss, nobody overlaps, the
 * others keep their order — with no re-layout step; a person the user dragged stays where they
 * were put.
 */
import path from 'node:path';
import type { Core } from 'cytoscape';
import { afterAll, describe, expect, it } from 'vitest';
import { createFromJson, readSample } from '../../services/sample';
import { REPO, closeBrowser, makeTmpDir, removeTmpDirs, startWebApp } from '../helpers/browser';
import { measureCanvas, settle } from '../helpers/map-geometry';
import { byTestId, keyboardConnect, nodeOnPage, personId, quickAdd, selectPerson, type PageGlobals } from './ui';

afterAll(async () => {
  await closeBrowser();
  removeTmpDirs();
});

type Box = { x1: number; y1: number; x2: number; y2: number };

describe('the org chart arranges itself', () => {
  it('places a new person and a new reporting line at once; pinned people stay', async () => {
    const file = path.join(makeTmpDir(), 'bank.powermap');
    const data = readSample(path.join(REPO, 'resources'), 'zh-CN');
    await (await createFromJson(file, data)).close();
    const app = await startWebApp({ mapPath: file });
    const { page } = app;
    const boxes = () =>
      page.evaluate(() => {
        const c = (globalThis as unknown as PageGlobals).__powermap!.cy as Core;
        // The cards with their borders (outerWidth/Height), not the rings drawn around them (coach, stale facts).
        return Object.fromEntries(
          c.nodes('[kind = "person"], [kind = "member"]').map((n) => {
            const p = n.position();
            const w = n.outerWidth() / 2;
            const h = n.outerHeight() / 2;
            return [n.id(), { x1: p.x - w, y1: p.y - h, x2: p.x + w, y2: p.y + h, w: 2 * w, h: 2 * h }];
          }),
        ) as Record<string, Box>;
      });
    const overlapping = (b: Record<string, Box>) => {
      const list = Object.entries(b);
      const out: string[] = [];
      for (let i = 0; i < list.length; i++)
        for (let j = i + 1; j < list.length; j++) {
          const [p, a] = list[i]!;
          const [q, c] = list[j]!;
          if (a.x1 < c.x2 && c.x1 < a.x2 && a.y1 < c.y2 && c.y1 < a.y2) out.push(`${p} × ${q}`);
        }
      return out;
    };
    try {
      await page.waitForSelector(byTestId('workspace'));
      await settle(page);
      const boss = await personId(page, '吴志强'); // the IT director: one report, the deputy
      const before = await boxes();
      // A new person: placed among the people without a reporting line, nothing overlaps.
      await quickAdd(page, 'Ada Quist, Data architect, IT centre');
      await settle(page);
      const ada = await personId(page, 'Ada Quist');
      let now = await boxes();
      expect(now[ada]).toBeTruthy();
      expect(overlapping(now)).toEqual([]);
      // Her reporting line: she moves under her boss, at once (no re-layout asked for).
      await keyboardConnect(page, 'Ada Quist', '吴志强', 'reports_to');
      await settle(page);
      now = await boxes();
      expect(now[ada]!.y1).toBeGreaterThan(now[boss]!.y2);
      expect(overlapping(now)).toEqual([]);
      // The boss's reports, left to right in the map's order: the deputy first, the new person after.
      const deputy = await personId(page, '郑晓东');
      expect((now[ada]!.x1 + now[ada]!.x2) / 2).toBeGreaterThan((now[deputy]!.x1 + now[deputy]!.x2) / 2);
      // The rest of the chart away from that branch is where it was.
      const president = await personId(page, '赵国栋');
      expect(Math.abs(now[president]!.y1 - before[president]!.y1)).toBeLessThan(0.5);
      const placedUnder = now[ada]!;
      // Lines stay off people after the change.
      const geo = await measureCanvas(page, 4);
      expect(geo.violations).toEqual([]);

      // Drag the risk director somewhere else: pinned, stays through later changes.
      const risk = await personId(page, '杨帆');
      const at = await nodeOnPage(page, risk);
      await page.mouse.move(at.x, at.y);
      await page.mouse.down();
      await page.mouse.move(at.x + 40, at.y + 120, { steps: 8 });
      await page.mouse.up();
      await settle(page);
      const pinned = await page.evaluate((id) => (globalThis as unknown as PageGlobals).__powermap!.cy.getElementById(id).position(), risk);
      await quickAdd(page, 'Bo Lindqvist, Auditor, Audit');
      await settle(page);
      const after = await page.evaluate((id) => (globalThis as unknown as PageGlobals).__powermap!.cy.getElementById(id).position(), risk);
      expect(after.x).toBeCloseTo(pinned.x, 3);
      expect(after.y).toBeCloseTo(pinned.y, 3);
      // Taking the reporting line away (the inspector's picker) sends her back among the people
      // without one: no longer under the boss.
      await selectPerson(page, 'Ada Quist');
      await page.selectOption(byTestId('person-reports-to'), '');
      await page.waitForFunction((id) => (globalThis as unknown as PageGlobals).__powermap!.cy.edges(`[kind = "reports_to"][source = "${id}"]`).empty(), ada);
      await settle(page);
      now = await boxes();
      expect(overlapping(now)).toEqual([]);
      expect(Math.hypot(now[ada]!.x1 - placedUnder.x1, now[ada]!.y1 - placedUnder.y1)).toBeGreaterThan(50);
    } finally {
      await app.stop();
    }
  });
});
