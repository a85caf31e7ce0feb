/**
 * Issue 4's "Done when", end to end in Chromium: build the bank's decision committee through the
 * UI alone (clicks and keys), mark the coach and a conflict, toggle both highlights, switch the
 * three layouts and both languages, and check the result in the .powermap file.
 * (Names are fictional.)
 */
import Database from 'better-sqlite3';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { closeBrowser, removeTmpDirs, startWebApp } from '../helpers/browser';
import {
  byTestId,
  createMapFromWelcome,
  dragConnect,
  edgeCount,
  keyboardConnect,
  listedNames,
  nodeOnPage,
  personId,
  quickAdd,
  selectPerson,
  waitForPeople,
  type PageGlobals,
} from './ui';

afterAll(async () => {
  await closeBrowser();
  removeTmpDirs();
});

const PRESIDENT = '郑国华';
const VP_IT = '冯立新';
const VP_BIZ = '陈雅琴';
const CHIEF_ENG = '褚建平';
const PLANNING = '卫明';
const IT_DIR = '蒋志远';

/** Polls a value until it matches (5 s). */
const poll = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 5_000 });

/** How one canvas element is drawn: lifted above the highlight veil, dimmed under it, or plain. */
const lookOf = (page: import('playwright-core').Page, id: string) =>
  page.evaluate((eid) => (globalThis as unknown as PageGlobals).__powermap!.controller.look(eid), id);

describe('the power map, built through the UI', () => {
  it('builds the bank committee with clicks and keys and the file holds it', async () => {
    const app = await startWebApp();
    const file = path.join(app.docsDir, 'Jianghai Bank.powermap');
    const { page } = app;
    try {
      await createMapFromWelcome(page, file, '江海银行总行', 'Online banking servers');

      // --- the deal and our team (Map tab) -------------------------------------------------------
      await page.click(byTestId('tab-map'));
      await page.fill(`${byTestId('meta-competitors')} input`, 'Northwind Systems');
      await page.keyboard.press('Enter');
      await page.locator(`${byTestId('meta-competitors')} .chip`, { hasText: 'Northwind Systems' }).waitFor();
      await page.selectOption(byTestId('meta-stage'), 'tender');
      await page.fill(byTestId('member-new-name'), 'Lena Fischer');
      await page.fill(byTestId('member-new-role'), 'Account manager');
      await page.click(byTestId('member-add'));
      await page.locator(`${byTestId('team-list')} li`, { hasText: 'Lena Fischer' }).waitFor();

      // --- people: one by double-click on the canvas, the rest with the quick-add line ---------
      const canvas = (await page.locator(byTestId('canvas')).boundingBox())!;
      await page.mouse.dblclick(canvas.x + canvas.width * 0.5, canvas.y + 90);
      await page.waitForSelector(`${byTestId('canvas-quick-add')} input`);
      await page.keyboard.type(`${PRESIDENT}, 行长, 行领导`);
      await page.keyboard.press('Enter');
      await waitForPeople(page, 1);
      await quickAdd(page, `${VP_IT}, 副行长（分管科技）, 行领导`);
      await quickAdd(page, `${VP_BIZ}，副行长（分管业务），行领导`); // Chinese commas work too
      await quickAdd(page, `${CHIEF_ENG}, 总工程师, 行领导`);
      await quickAdd(page, `${PLANNING}, 计划处处长, 计划处`);
      await quickAdd(page, `${IT_DIR}, 信息中心主任, 信息中心`);
      await waitForPeople(page, 6);
      expect((await listedNames(page)).sort()).toEqual([PRESIDENT, VP_IT, VP_BIZ, CHIEF_ENG, PLANNING, IT_DIR].sort());

      // --- roles, influence, attitude in the inspector -------------------------------------------
      const setPerson = async (name: string, o: { roles?: string[]; influence?: string; attitude?: string }) => {
        await selectPerson(page, name);
        for (const r of o.roles ?? []) await page.click(byTestId(`role-${r}`));
        if (o.influence) await page.click(`${byTestId('person-influence')} [data-value="${o.influence}"]`);
        if (o.attitude) await page.click(`${byTestId('person-attitude')} [data-value="${o.attitude}"]`);
        if (o.attitude) await page.locator(`${byTestId('person-attitude')} [data-value="${o.attitude}"][aria-checked="true"]`).waitFor();
      };
      await setPerson(PRESIDENT, { roles: ['decision-maker'], influence: 'high', attitude: 'neutral' });
      await setPerson(VP_IT, { roles: ['decision-maker', 'technical'], influence: 'high', attitude: 'champion' });
      await setPerson(VP_BIZ, { roles: ['decision-maker', 'user'], influence: 'high', attitude: 'opponent' });
      await setPerson(CHIEF_ENG, { roles: ['decision-maker', 'technical'], attitude: 'supporter' });
      await setPerson(PLANNING, { roles: ['decision-maker', 'procurement'], attitude: 'neutral' });
      // The coach: the IT centre director.
      await setPerson(IT_DIR, { roles: ['technical', 'coach'], attitude: 'champion' });
      const itDir = await personId(page, IT_DIR);
      await poll(() => page.evaluate((id) => (globalThis as unknown as PageGlobals).__powermap!.cy.getElementById(id).data('coach'), itDir)).toBe(true);
      // A role of our own, the favoured competitor, the relationship switches.
      await selectPerson(page, VP_BIZ);
      await page.fill(`${byTestId('person-custom-roles')} input`, 'Budget owner');
      await page.keyboard.press('Enter');
      await page.selectOption(byTestId('person-favours'), 'Northwind Systems');
      await selectPerson(page, IT_DIR);
      await page.click(`${byTestId('person-serves-org')} + .switch-track`);
      await page.click(`${byTestId('person-personal-bond')} + .switch-track`);
      await poll(() => page.locator(byTestId('person-relationship')).textContent()).toBe('Partner');
      // Our account manager covers the coach strongly.
      const lena = await page.evaluate(() =>
        ((globalThis as unknown as PageGlobals).__powermap!.store.getState().doc as { team: { id: string }[] }).team[0]!.id,
      );
      await page.click(`${byTestId(`coverage-${lena}`)} [data-value="3"]`);
      await poll(() => edgeCountSafe(page, 'coverage')).toBe(1);
      // The sensitive profile: its own collapsible section, children flagged PIPL-sensitive.
      await page.click(`${byTestId('profile-section')} summary`);
      await page.fill(byTestId('profile-hometown'), 'Yangzhou');
      await page.fill(byTestId('profile-children'), 'A daughter at university in the capital');
      await page.locator(byTestId('profile-sports')).focus();
      await expect(page.locator(byTestId('pipl-children')).isVisible()).resolves.toBe(true);
      await expect(page.locator(byTestId('pipl-itinerary')).isVisible()).resolves.toBe(true);

      // --- lines: dragged from one person to another, and from the keyboard ----------------------
      await page.keyboard.press('Escape');
      await page.click(byTestId('layout-force'));
      await page.waitForTimeout(400);
      await page.waitForSelector(byTestId('laying-out'), { state: 'detached' });
      await page.waitForTimeout(600); // the layout animates into place
      const id = (n: string) => personId(page, n);
      await dragConnect(page, await id(VP_IT), await id(PRESIDENT), 'reports_to');
      await dragConnect(page, await id(VP_BIZ), await id(PRESIDENT), 'reports_to');
      await dragConnect(page, await id(IT_DIR), await id(VP_IT), 'influence', '3');
      // The conflict: the business VP and the chief engineer.
      await dragConnect(page, await id(VP_BIZ), await id(CHIEF_ENG), 'conflict');
      await keyboardConnect(page, CHIEF_ENG, VP_IT, 'reports_to');
      await keyboardConnect(page, PLANNING, VP_BIZ, 'reports_to');
      await keyboardConnect(page, IT_DIR, VP_IT, 'alliance');
      expect(await edgeCount(page, 'reports_to')).toBe(4);
      expect(await edgeCount(page, 'conflict')).toBe(1);
      expect(await edgeCount(page, 'influence')).toBe(1);
      expect(await edgeCount(page, 'alliance')).toBe(1);
      // Strength 3 came from the picker's key.
      const strongest = await page.evaluate(() => (globalThis as unknown as PageGlobals).__powermap!.cy.edges('[kind = "influence"]').data('strength'));
      expect(strongest).toBe(3);

      // --- highlights ---------------------------------------------------------------------------
      await page.keyboard.press('Escape');
      await page.locator('body').focus();
      const president = await id(PRESIDENT);
      const planning = await id(PLANNING);
      await page.keyboard.press('c'); // Show coaches
      await poll(() => page.getAttribute(byTestId('toggle-coaches'), 'aria-pressed')).toBe('true');
      await poll(() => lookOf(page, itDir)).toBe('raised');
      expect(await lookOf(page, planning)).toBe('dimmed'); // not tied to the coach
      await page.click(byTestId('toggle-coaches'));
      await poll(() => lookOf(page, planning)).not.toBe('dimmed');
      await page.click(byTestId('toggle-conflicts'));
      const conflictEdge = await page.evaluate(() => (globalThis as unknown as PageGlobals).__powermap!.cy.edges('[kind = "conflict"]').first().id());
      await poll(() => lookOf(page, conflictEdge)).toBe('raised');
      expect(await lookOf(page, await id(VP_BIZ))).toBe('raised');
      expect(await lookOf(page, president)).toBe('dimmed');
      await page.keyboard.press('x');
      await poll(() => lookOf(page, president)).not.toBe('dimmed');
      // Selecting a person fades all but their neighbourhood.
      await page.keyboard.press('f'); // fit, so every person is in view
      await page.waitForTimeout(400);
      const p = await nodeOnPage(page, planning);
      await page.mouse.click(p.x, p.y);
      await page.locator(`${byTestId('person-inspector')} h2`, { hasText: PLANNING }).waitFor();
      await poll(() => lookOf(page, itDir)).toBe('dimmed');
      expect(await lookOf(page, await id(VP_BIZ))).not.toBe('dimmed'); // planning reports to the business VP
      // As drawn: the veil over the IT director's card, a hole over the selected person's.
      const veilAt = (eid: string) => page.evaluate((x) => (globalThis as unknown as PageGlobals).__powermap!.controller.veilAt(x), eid);
      expect(await veilAt(itDir)).toBeGreaterThan(200);
      expect(await veilAt(planning)).toBe(0);
      await page.keyboard.press('Escape');
      await poll(() => lookOf(page, itDir)).not.toBe('dimmed');
      expect(await veilAt(itDir)).toBe(0);

      // --- search by pinyin initials --------------------------------------------------------------
      await page.keyboard.press('/');
      await page.keyboard.type('zgh');
      await poll(() => listedNames(page)).toEqual([PRESIDENT]);
      await page.keyboard.press('Escape');
      await poll(async () => (await listedNames(page)).length).toBe(6);

      // --- a dragged person stays put (pinned) when the layout runs again ------------------------
      await page.keyboard.press('f'); // fit the map in the window
      await page.waitForTimeout(400);
      const before = await nodeOnPage(page, president);
      await page.mouse.move(before.x, before.y);
      await page.mouse.down();
      await page.mouse.move(before.x + 60, before.y + 40, { steps: 8 });
      await page.mouse.up();
      const pinnedAt = await page.evaluate((pid) => (globalThis as unknown as PageGlobals).__powermap!.cy.getElementById(pid).position(), president);
      await page.click(byTestId('relayout'));
      await page.waitForTimeout(300);
      await page.waitForSelector(byTestId('laying-out'), { state: 'detached' });
      await page.waitForTimeout(500);
      const after = await page.evaluate((pid) => (globalThis as unknown as PageGlobals).__powermap!.cy.getElementById(pid).position(), president);
      expect(after.x).toBeCloseTo(pinnedAt.x, 3);
      expect(after.y).toBeCloseTo(pinnedAt.y, 3);

      // --- the three layouts --------------------------------------------------------------------
      await page.keyboard.press('1');
      await poll(() => page.getAttribute(byTestId('layout-org'), 'aria-checked')).toBe('true');
      await page.waitForSelector(byTestId('laying-out'), { state: 'detached' });
      await page.waitForTimeout(500);
      // Org chart: the president sits above those who report to him.
      const y = (pid: string) => page.evaluate((i) => (globalThis as unknown as PageGlobals).__powermap!.cy.getElementById(i).position('y'), pid);
      expect(await y(president)).toBeLessThan(await y(await id(VP_IT)));
      expect(await y(await id(VP_IT))).toBeLessThan(await y(await id(CHIEF_ENG)));
      await page.keyboard.press('3');
      await poll(() => page.evaluate(() => (globalThis as unknown as PageGlobals).__powermap!.cy.nodes('[kind = "grid"]').length)).toBeGreaterThan(0);
      await page.waitForTimeout(500);
      // Power grid: x = attitude (champion right of opponent), y = influence (high above medium).
      const x = (pid: string) => page.evaluate((i) => (globalThis as unknown as PageGlobals).__powermap!.cy.getElementById(i).position('x'), pid);
      expect(await x(await id(VP_IT))).toBeGreaterThan(await x(await id(VP_BIZ)));
      expect(await y(await id(VP_IT))).toBeLessThan(await y(await id(CHIEF_ENG)));
      // The grid's backdrop is drawn on the canvas (so it reaches the exports): quadrant names included.
      const gridLabels = await page.evaluate(() => (globalThis as unknown as PageGlobals).__powermap!.cy.nodes('[kind = "grid"]').map((n) => String(n.data('label'))));
      expect(gridLabels).toContain('Key supporters — leverage');
      await page.keyboard.press('2');
      await poll(() => page.getAttribute(byTestId('layout-force'), 'aria-checked')).toBe('true');

      // --- both languages -----------------------------------------------------------------------
      await page.selectOption(byTestId('lang-switch'), 'zh-CN');
      await poll(() => page.locator(byTestId('layout-org')).textContent()).toBe('组织架构');
      await expect(page.locator(byTestId('legend')).textContent()).resolves.toContain('矛盾');
      await expect(page.locator(byTestId('toggle-coaches')).textContent()).resolves.toContain('显示教练');
      await selectPerson(page, IT_DIR);
      await expect(page.locator(byTestId('person-relationship')).textContent()).resolves.toBe('伙伴');
      await page.selectOption(byTestId('lang-switch'), 'en-US');
      await poll(() => page.locator(byTestId('layout-org')).textContent()).toBe('Org chart');

      // --- help overlay, undo and redo ----------------------------------------------------------
      await page.keyboard.press('Escape');
      await page.locator('body').focus();
      await page.keyboard.press('?');
      await expect(page.locator(byTestId('help-overlay')).textContent()).resolves.toContain('Keyboard shortcuts');
      await page.keyboard.press('Escape');
      await page.locator(byTestId('help-overlay')).waitFor({ state: 'detached' });
      await keyboardConnect(page, PLANNING, CHIEF_ENG, 'influence');
      expect(await edgeCount(page, 'influence')).toBe(2);
      await page.keyboard.press('Escape');
      await page.locator('body').focus();
      await page.keyboard.press('Control+z');
      await poll(() => edgeCount(page, 'influence')).toBe(1);
      await page.keyboard.press('Control+Shift+z');
      await poll(() => edgeCount(page, 'influence')).toBe(2);
      await page.keyboard.press('Control+z');
      await poll(() => edgeCount(page, 'influence')).toBe(1);
    } finally {
      await app.stop();
    }

    // --- the file ---------------------------------------------------------------------------------
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      const people = db.prepare('SELECT id, name, roles, influence, attitude, favours, serves_org, personal_bond FROM person').all() as {
        id: string;
        name: string;
        roles: string;
        influence: string;
        attitude: string;
        favours: string;
        serves_org: number;
        personal_bond: number;
      }[];
      expect(people).toHaveLength(6);
      const by = Object.fromEntries(people.map((p) => [p.name, p]));
      expect(JSON.parse(by[IT_DIR]!.roles).sort()).toEqual(['coach', 'technical']);
      expect(by[IT_DIR]).toMatchObject({ attitude: 'champion', serves_org: 1, personal_bond: 1 });
      expect(JSON.parse(by[PRESIDENT]!.roles)).toEqual(['decision-maker']);
      expect(by[PRESIDENT]!.influence).toBe('high');
      expect(JSON.parse(by[VP_BIZ]!.roles).sort()).toEqual(['Budget owner', 'decision-maker', 'user']);
      expect(by[VP_BIZ]).toMatchObject({ attitude: 'opponent', favours: 'Northwind Systems' });
      const kinds = db.prepare('SELECT kind, count(*) AS n FROM relation GROUP BY kind ORDER BY kind').all();
      expect(kinds).toEqual([
        { kind: 'alliance', n: 1 },
        { kind: 'conflict', n: 1 },
        { kind: 'influence', n: 1 },
        { kind: 'reports_to', n: 4 },
      ]);
      const conflict = db.prepare("SELECT source, target FROM relation WHERE kind = 'conflict'").get() as { source: string; target: string };
      expect([conflict.source, conflict.target].sort()).toEqual([by[VP_BIZ]!.id, by[CHIEF_ENG]!.id].sort());
      const boss = db.prepare("SELECT target FROM relation WHERE kind = 'reports_to' AND source = ?").get(by[VP_IT]!.id) as { target: string };
      expect(boss.target).toBe(by[PRESIDENT]!.id);
      expect(db.prepare('SELECT strength FROM relation WHERE kind = ?').get('influence')).toEqual({ strength: 3 });
      expect(db.prepare('SELECT m.name, c.strength FROM coverage c JOIN member m ON m.id = c.member_id WHERE c.person_id = ?').get(by[IT_DIR]!.id)).toEqual({
        name: 'Lena Fischer',
        strength: 3,
      });
      const profile = JSON.parse((db.prepare('SELECT data FROM profile WHERE person_id = ?').get(by[IT_DIR]!.id) as { data: string }).data);
      expect(profile).toMatchObject({ hometown: 'Yangzhou', children: 'A daughter at university in the capital' });
      const meta = db.prepare('SELECT account, stage, competitors FROM map_meta').get() as { account: string; stage: string; competitors: string };
      expect(meta.account).toBe('江海银行总行');
      expect(meta.stage).toBe('tender');
      expect(JSON.parse(meta.competitors)).toEqual(['Northwind Systems']);
      // The dragged president is pinned in the relationship layout.
      expect(db.prepare("SELECT pinned FROM position WHERE layout = 'force' AND node_id = ?").get(by[PRESIDENT]!.id)).toEqual({ pinned: 1 });
    } finally {
      db.close();
    }
  });
});

const edgeCountSafe = (page: import('playwright-core').Page, kind: string) => edgeCount(page, kind).catch(() => -1);
