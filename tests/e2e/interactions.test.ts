/**
 * Issue 14, item 7, in Chromium on the sample: connect mode by two clicks, saying what to do and
 * that it was left; a drag is one undoable step, and Ctrl+Z says what it undid; "Fit" fits the
 * whole map with someone selected; dimmed coach candidates keep their round shape; a second person
 * with a name gets a warning and pickers show titles; the reports-to picker leaves out the
 * person's own staff; the meeting planner finds people by pinyin and finds our team.
 */
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createFromJson, readSample } from '../../services/sample';
import { closeBrowser, makeTmpDir, removeTmpDirs, startWebApp } from '../helpers/browser';
import { REPO } from '../helpers/session';
import { byTestId, edgeCount, nodeOnPage, quickAdd, selectPerson, waitForPeople, type PageGlobals } from './ui';

afterAll(async () => {
  await closeBrowser();
  removeTmpDirs();
});

const poll = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 6_000 });
const settle = async (page: import('playwright-core').Page) => {
  await page.waitForTimeout(300);
  await page.waitForSelector(byTestId('laying-out'), { state: 'detached' });
  await page.waitForTimeout(600);
};
const position = (page: import('playwright-core').Page, id: string) =>
  page.evaluate((eid) => (globalThis as unknown as PageGlobals).__powermap!.cy.getElementById(eid).position(), id);

async function openSample(lang: 'en-US' | 'zh-CN') {
  const file = path.join(makeTmpDir(), 'bank.powermap');
  const data = readSample(path.join(REPO, 'resources'), lang);
  await (await createFromJson(file, data)).close();
  const app = await startWebApp({ mapPath: file, viewport: { width: 1280, height: 720 }, locale: lang, env: lang === 'zh-CN' ? { LANG: 'zh_CN.UTF-8' } : {} });
  await app.page.waitForSelector(byTestId('workspace'));
  await waitForPeople(app.page, data.people.length);
  await settle(app.page);
  const byTitle = (t: string) => data.people.find((p) => p.title === t)!;
  return { app, page: app.page, data, byTitle };
}

describe('interaction fixes', () => {
  it('connect mode: click one person, then another; the banner says what to click; Esc says it left', async () => {
    const { app, page, byTitle } = await openSample('en-US');
    try {
      const a = byTitle('Head of planning');
      const b = byTitle('Chief engineer');
      const before = await edgeCount(page, 'influence');
      await page.click(byTestId('connect-mode'));
      await expect(page.locator(byTestId('connect-step')).textContent()).resolves.toBe('Click the first person.');
      let p = await nodeOnPage(page, a.id);
      await page.mouse.click(p.x, p.y);
      await poll(() => page.locator(byTestId('connect-step')).textContent()).toBe(`Now click the person to connect with ${a.name}.`);
      p = await nodeOnPage(page, b.id);
      await page.mouse.click(p.x, p.y);
      await page.waitForSelector(byTestId('edge-picker'));
      await page.keyboard.press('i');
      await page.waitForSelector(byTestId('edge-picker'), { state: 'detached' });
      await poll(() => edgeCount(page, 'influence')).toBe(before + 1);
      const line = await page.evaluate(
        ([s, t]) => (globalThis as unknown as PageGlobals).__powermap!.cy.edges(`[kind = "influence"][source = "${s}"][target = "${t}"]`).length,
        [a.id, b.id] as const,
      );
      expect(line).toBe(1);
      // Still in connect mode, ready for the next line; Esc leaves and says so.
      await expect(page.locator(byTestId('connect-step')).textContent()).resolves.toBe('Click the first person.');
      await page.locator('body').focus();
      await page.keyboard.press('Escape');
      await page.waitForSelector(byTestId('connect-banner'), { state: 'detached' });
      await expect(page.locator(byTestId('notice')).textContent()).resolves.toContain('Left connect mode.');
      await expect(page.getAttribute(byTestId('connect-mode'), 'aria-pressed')).resolves.toBe('false');
    } finally {
      await app.stop();
    }
  });

  it('a drag is one undoable step: Ctrl+Z puts the person back and says so, Ctrl+Shift+Z moves them again', async () => {
    const { app, page, byTitle, data } = await openSample('en-US');
    try {
      const who = byTitle('Director, risk management');
      // An edit before the drag: undo must take back the drag first, not this.
      await selectPerson(page, byTitle('Network engineer').name);
      await page.fill(byTestId('person-title'), 'Senior network engineer');
      await page.press(byTestId('person-title'), 'Enter');
      await poll(() => page.evaluate(() => ((globalThis as unknown as PageGlobals).__powermap!.store.getState().doc as { history: { undoLabel: { key: string } } }).history.undoLabel.key)).toBe('person.edit');
      await page.click(byTestId('fit')); // the whole map in view
      await page.waitForTimeout(600);
      const start = await position(page, who.id);
      const on = await nodeOnPage(page, who.id);
      await page.mouse.move(on.x, on.y);
      await page.mouse.down();
      await page.mouse.move(on.x - 80, on.y + 60, { steps: 8 });
      await page.mouse.up();
      const dropped = await position(page, who.id);
      expect(Math.hypot(dropped.x - start.x, dropped.y - start.y)).toBeGreaterThan(40);
      await poll(() => page.getAttribute(byTestId('undo'), 'title')).toBe(`Undo: Move ${who.name} in the org chart`);

      await page.locator('body').focus();
      await page.keyboard.press('Control+z');
      await poll(async () => {
        const p = await position(page, who.id);
        return Math.round(Math.hypot(p.x - start.x, p.y - start.y));
      }).toBe(0);
      await expect(page.locator(byTestId('notice')).textContent()).resolves.toContain(`Undone: Move ${who.name} in the org chart`);
      // The title edit is still there: undo took back only the drag.
      expect(
        await page.evaluate((id) => ((globalThis as unknown as PageGlobals).__powermap!.store.getState().doc as { people: { id: string; title: string }[] }).people.find((p) => p.id === id)!.title, byTitle('Network engineer').id),
      ).toBe('Senior network engineer');
      await page.keyboard.press('Control+Shift+z');
      await poll(async () => {
        const p = await position(page, who.id);
        return Math.round(Math.hypot(p.x - dropped.x, p.y - dropped.y));
      }).toBe(0);
      await expect(page.locator(byTestId('notice')).textContent()).resolves.toContain(`Redone: Move ${who.name} in the org chart`);
      expect(data.people.length).toBeGreaterThan(10);
    } finally {
      await app.stop();
    }
  });

  it('"Fit" fits the whole map with someone selected; dimmed coach candidates keep their shape', async () => {
    const { app, page, byTitle, data } = await openSample('en-US');
    try {
      await selectPerson(page, byTitle('Procurement officer').name);
      // Zoomed in on the selection first.
      await page.evaluate((id) => {
        const cy = (globalThis as unknown as PageGlobals).__powermap!.cy;
        cy.zoom({ level: 3, position: cy.getElementById(id).position() });
      }, byTitle('Procurement officer').id);
      await page.click(byTestId('fit'));
      await page.waitForTimeout(600);
      const inView = await page.evaluate(() => {
        const cy = (globalThis as unknown as PageGlobals).__powermap!.cy;
        return cy.nodes('[kind = "person"]').filter((n) => {
          const p = n.renderedPosition();
          return p.x >= 0 && p.y >= 0 && p.x <= cy.width() && p.y <= cy.height();
        }).length;
      });
      expect(inView).toBe(data.people.length);

      // Coach candidates (marked by the Insights panel) dimmed by a selection elsewhere.
      await page.click(byTestId('tab-insights'));
      await page.waitForSelector('.insights');
      await page.waitForTimeout(800);
      const candidates = await page.evaluate(() => (globalThis as unknown as PageGlobals).__powermap!.cy.nodes('.candidate').map((n) => n.id()));
      expect(candidates.length).toBeGreaterThan(0);
      const shapeOf = (ids: string[]) =>
        page.evaluate((xs) => {
          const cy = (globalThis as unknown as PageGlobals).__powermap!.cy;
          return Object.fromEntries(xs.map((id) => [id, cy.getElementById(id).style('shape') as string]));
        }, ids);
      const shapes = await shapeOf(candidates);
      await selectPerson(page, byTitle('Procurement officer').name);
      await page.waitForTimeout(300);
      const faded = await page.evaluate((ids) => {
        const { cy, controller } = (globalThis as unknown as PageGlobals).__powermap!;
        return ids
          .map((id) => cy.getElementById(id))
          .filter((n) => controller.look(n.id()) === 'dimmed')
          .map((n) => ({ id: n.id(), shape: n.style('shape'), underlay: Number(n.style('underlay-opacity')) }));
      }, candidates);
      expect(faded.length).toBeGreaterThan(0);
      // Dimmed, each keeps the shape it had (a card or a chip), with no grey underlay square.
      for (const f of faded) expect(f).toEqual({ id: f.id, shape: shapes[f.id], underlay: 0 });
    } finally {
      await app.stop();
    }
  });

  it('warns about a second person of the same name; pickers show titles; reports-to leaves out their own staff', async () => {
    const { app, page, byTitle } = await openSample('zh-CN');
    try {
      await poll(() => page.locator(byTestId('layout-org')).textContent()).toBe('组织架构');
      const vp = byTitle('副行长（分管科技）');
      await quickAdd(page, `${vp.name}，审计师，审计部`);
      await poll(() => page.locator(byTestId('notice')).textContent()).toContain(`地图上已有一位 ${vp.name}（副行长（分管科技））`);
      await expect(page.locator(byTestId('person-same-name')).textContent()).resolves.toContain(`${vp.name} · 副行长（分管科技）`);

      // The vice-president's reports-to picker: not herself, not the IT director nor anyone below him.
      await selectPerson(page, byTitle('信息中心主任').name);
      await selectPerson(page, vp.name);
      const inspector = page.locator(`${byTestId('person-inspector')}[data-person-id="${vp.id}"]`);
      await inspector.waitFor();
      const options = await inspector.locator(`${byTestId('person-reports-to')} option`).allTextContents();
      const below = ['信息中心主任', '信息中心副主任', '高级工程师', '网络工程师'].map((t) => byTitle(t).name);
      for (const n of below) expect(options.some((o) => o.startsWith(`${n} `) || o === n), n).toBe(false);
      expect(options).toContain(`${byTitle('行长').name} · 行长`);
      await expect(inspector.locator(byTestId('person-reports-to-hint')).textContent()).resolves.toContain('4 人不在列表中');
      // The line picker (E) shows titles beside names.
      await page.locator('body').focus();
      await page.keyboard.press('e');
      await page.waitForSelector(byTestId('edge-target-input'));
      await page.keyboard.type('lizh');
      await poll(() => page.locator(`${byTestId('edge-picker')} .picker-results`).textContent()).toContain('总工程师');
      await page.keyboard.press('Escape');
    } finally {
      await app.stop();
    }
  });

  it('the meeting planner finds people by pinyin and initials, and finds our team', async () => {
    const { app, page, byTitle, data } = await openSample('zh-CN');
    try {
      await page.click(byTestId('tab-insights'));
      await page.waitForSelector('.insights');
      const search = page.locator(byTestId('meeting-search'));
      await search.scrollIntoViewIfNeeded();
      const dir = byTitle('电子银行部总经理');
      const deputy = byTitle('电子银行部副总经理');
      await search.fill('weidongsheng');
      await poll(() => page.locator(`${byTestId('meeting-results')} li[data-id]`).evaluateAll((els) => els.map((e) => e.getAttribute('data-id')))).toEqual([dir.id]);
      await page.locator(`${byTestId('meeting-results')} li[data-id="${dir.id}"] input`).click();
      await search.fill('jwt');
      await poll(() => page.locator(`${byTestId('meeting-results')} li[data-id]`).first().getAttribute('data-id')).toBe(deputy.id);
      await page.locator(`${byTestId('meeting-results')} li[data-id="${deputy.id}"] input`).click();
      // The feud shows at once.
      await poll(() => page.locator('[data-kind="meeting-conflict"]').count()).toBe(1);
      // One of ours, found by pinyin too; the planner says whom nobody of ours in the room covers.
      const lin = data.team.find((m) => m.id === 'm_lin')!;
      await search.fill('linxiaowen');
      await poll(() => page.locator(`${byTestId('meeting-results')} li[data-id]`).first().getAttribute('data-id')).toBe(lin.id);
      await expect(page.locator(`${byTestId('meeting-results')} li[data-id="${lin.id}"]`).textContent()).resolves.toContain('我方');
      await page.locator(`${byTestId('meeting-results')} li[data-id="${lin.id}"] input`).click();
      await poll(() => page.locator(byTestId('meeting-attendees')).textContent()).toContain(lin.name);
      await expect(page.locator(byTestId('meeting-uncovered')).textContent()).resolves.toContain(dir.name);
    } finally {
      await app.stop();
    }
  });
});
