/**
 * zh-CN without English, as rendered: the browser build in Chinese, walked screen by screen —
 * welcome, the sample in each layout, help, filters, every kind of selection in the inspector,
 * the side tabs and the History panel's tabs, connect mode, an undone step and a refused edit —
 * collecting every visible text, title, placeholder, label and option, and finding no Latin word
 * outside the user's own (names, the file's path) and the allow-list of
 * tests/helpers/latin.ts. Needs dist/ built.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { closeBrowser, removeTmpDirs, startWebApp } from '../helpers/browser';
import { latinWords } from '../helpers/latin';
import { byTestId, selectPerson, waitForPeople, type PageGlobals } from './ui';

afterAll(async () => {
  await closeBrowser();
  removeTmpDirs();
});

/** Everything a user can read on the page now: text, tooltips, placeholders, labels, options. */
const visibleText = (page: Page) =>
  page.evaluate(() => {
    const d = (globalThis as unknown as { document: { body: { innerText: string }; querySelectorAll(s: string): ArrayLike<{ getAttribute(a: string): string | null; textContent: string | null }> } }).document;
    const out = [d.body.innerText];
    for (const a of ['title', 'placeholder', 'aria-label', 'alt'])
      for (const el of Array.from(d.querySelectorAll(`[${a}]`))) out.push(el.getAttribute(a) ?? '');
    for (const o of Array.from(d.querySelectorAll('option'))) out.push(o.textContent ?? '');
    return out.join('\n');
  });

describe('the Chinese UI', () => {
  it('shows no English on any screen a user reaches', async () => {
    const app = await startWebApp({ env: { LANG: 'zh_CN.UTF-8' }, locale: 'zh-CN', viewport: { width: 1440, height: 900 } });
    const { page } = app;
    const seen: { where: string; text: string }[] = [];
    const look = async (where: string) => seen.push({ where, text: await visibleText(page) });
    const click = (id: string) => page.click(byTestId(id));
    try {
      await page.waitForSelector(byTestId('welcome'));
      await expect(page.locator(byTestId('open-sample')).textContent()).resolves.toBe('打开示例');
      await look('welcome');

      await click('open-sample');
      await page.waitForSelector(byTestId('workspace'));
      const doc = await page.evaluate(() => (globalThis as unknown as PageGlobals).__powermap!.store.getState().doc as { path: string; people: { id: string; name: string; title: string }[]; relations: { id: string }[]; team: { id: string }[]; coverage: { memberId: string; personId: string }[] });
      expect(doc.path).toMatch(/示例 - 银行总行服务器采购\.powermap$/);
      await waitForPeople(page, doc.people.length);
      for (const l of ['org', 'force', 'grid'] as const) {
        await click(`layout-${l}`);
        await page.waitForTimeout(400);
        await look(`layout ${l}`);
      }
      await page.locator('body').focus();
      await page.keyboard.press('?');
      await page.waitForSelector(byTestId('help-overlay'));
      await look('help');
      await page.keyboard.press('Escape');
      await click('filters-toggle');
      await page.waitForSelector(byTestId('filters'));
      await look('filters');
      await click('filters-toggle');

      // Every kind of selection.
      const store = (fn: string) => page.evaluate(fn);
      await selectPerson(page, doc.people[0]!.name);
      await page.click(`${byTestId('profile-section')} summary`);
      await page.waitForTimeout(300);
      await look('person');
      await store(`window.__powermap.store.getState().select({ type: 'relation', id: ${JSON.stringify(doc.relations.at(-1)!.id)} })`);
      await page.waitForSelector(byTestId('relation-inspector'));
      await look('relation');
      await store(`window.__powermap.store.getState().select({ type: 'member', id: ${JSON.stringify(doc.team[0]!.id)} })`);
      await page.waitForSelector(byTestId('member-inspector'));
      await look('member');
      const c = doc.coverage[0]!;
      await store(`window.__powermap.store.getState().select({ type: 'coverage', id: ${JSON.stringify(`${c.memberId}:${c.personId}`)} })`);
      await page.waitForSelector(byTestId('coverage-inspector'));
      await look('coverage');

      // The side tabs, and the History panel's own tabs.
      for (const tab of ['map', 'insights', 'exchange', 'time'] as const) {
        await click(`tab-${tab}`);
        await page.waitForTimeout(700);
        await look(`tab ${tab}`);
        if (tab === 'time')
          for (const t of await page.locator('.pm-time-tabs [role="tab"]').all()) {
            await t.click();
            await page.waitForTimeout(400);
            await look(`time tab ${await t.textContent()}`);
          }
      }
      await click('tab-inspector');

      // Connect mode, an undone step, a refused edit.
      await click('connect-mode');
      await page.waitForSelector(byTestId('connect-banner'));
      await look('connect mode');
      await page.keyboard.press('Escape');
      await page.waitForSelector(byTestId('notice'));
      await look('left connect mode');
      const president = doc.people.find((p) => p.title === '行长')!;
      const vp = doc.people.find((p) => p.title === '副行长（分管科技）')!;
      await selectPerson(page, president.name);
      await page.click(`${byTestId('person-attitude')} button >> nth=1`);
      await page.waitForTimeout(300);
      await page.locator('body').focus();
      await page.keyboard.press('Escape');
      await page.keyboard.press('Control+z');
      await page.waitForSelector(`${byTestId('notice')}[data-key="notice.undone"]`);
      await expect(page.locator(byTestId('notice')).textContent()).resolves.toContain(`已撤销：编辑 ${president.name}`);
      await look('undone');
      // The president reporting to the vice-president who reports to him: refused, in Chinese.
      await selectPerson(page, president.name);
      await page.locator('body').focus();
      await page.keyboard.press('e');
      await page.waitForSelector(byTestId('edge-target-input'));
      await page.keyboard.type(vp.name);
      await page.keyboard.press('Enter');
      await page.waitForSelector(byTestId('pick-reports_to'));
      await page.keyboard.press('r');
      await page.waitForSelector(byTestId('error'));
      await expect(page.locator(byTestId('error')).textContent()).resolves.toContain(`这条汇报线会形成循环：${vp.name} 已直接或间接向 ${president.name} 汇报。`);
      await look('refused edit');
    } finally {
      await app.stop();
    }
    // The user's own words: the map's path (a temp folder) and the sample's contents (Chinese).
    const own = [doc0Path(seen)];
    const found = seen.map((s) => ({ where: s.where, latin: [...new Set(latinWords(s.text, own))] })).filter((s) => s.latin.length);
    expect(found).toEqual([]);
    expect(seen.length).toBeGreaterThan(15);
  });
});

/** The map file's path as the Map tab shows it. */
function doc0Path(seen: { where: string; text: string }[]): string {
  const m = /(\/[^\n]*\.powermap)/.exec(seen.find((s) => s.where === 'tab map')?.text ?? '');
  return m?.[1] ?? '\u0000';
}
