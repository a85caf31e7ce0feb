/**
 * The Insights panel in real Chromium, against the real loopback API on a real map file: the
 * panel is bundled alone (tests/e2e/insights-harness.tsx) so this runs whatever state the rest of
 * the window is in.
 */
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../services/handlers';
import { startWebServer, type WebServer } from '../../server/web/server';
import type { MapDocument, Person } from '../../shared/domain';
import { closeBrowser, getBrowser, makeTmpDir, removeTmpDirs, REPO } from '../helpers/browser';
import { webSession } from '../helpers/session';

const SHOTS = process.env.POWERMAP_SHOTS; // set to a folder to keep screenshots
let staticDir = '';

beforeAll(async () => {
  staticDir = makeTmpDir('powermap-insights-static-');
  await build({
    entryPoints: [path.join(REPO, 'tests', 'e2e', 'insights-harness.tsx')],
    bundle: true,
    format: 'esm',
    outfile: path.join(staticDir, 'harness.js'),
    jsx: 'automatic',
    loader: { '.css': 'css' },
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'warning',
  });
  fs.writeFileSync(
    path.join(staticDir, 'index.html'),
    '<!doctype html><html><head><meta charset="utf-8"><link rel="stylesheet" href="./harness.css"></head>' +
      '<body><div id="root"></div><script type="module" src="./harness.js"></script></body></html>',
  );
});
afterAll(async () => {
  await closeBrowser();
  removeTmpDirs();
});

let web: WebServer | null = null;
afterEach(async () => {
  await web?.close();
  web = null;
});

async function open(lang: 'en-US' | 'zh-CN') {
  const session = webSession(makeTmpDir());
  const opened = await dispatch(session, 'map.openSample', { lang: 'zh-CN' });
  if (!opened.ok) throw new Error(opened.error.message);
  web = await startWebServer({ session, staticDir });
  const browser = await getBrowser();
  const context = await browser.newContext({ viewport: { width: 440, height: 1400 }, locale: lang });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`http://127.0.0.1:${web.port}/?lang=${lang}#token=${web.token}`);
  await page.waitForSelector('.insights');
  const doc = (opened as { value: MapDocument }).value;
  const person = (title: string): Person => doc.people.find((p) => p.title.startsWith(title))!;
  return { session, page, errors, person };
}

interface Recorded {
  highlights: ({ people: string[]; relations: string[] } | null)[];
  marks: Record<string, Record<string, string[]>>;
}
/** What the harness page recorded (window.__insights; this file is type-checked without the DOM). */
const recorded = (page: Page) => page.evaluate(() => (globalThis as unknown as { __insights: Recorded }).__insights);
type El = { dataset: { section?: string }; open: boolean };

describe('the Insights panel', () => {
  it('shows red flags first, highlights what is clicked, and warns about a meeting at once', async () => {
    const { page, errors, person } = await open('en-US');
    const sections = await page.$$eval('.ins-section', (els) => els.map((e) => (e as unknown as El).dataset.section));
    expect(sections[0]).toBe('flags');
    expect(sections).toEqual(expect.arrayContaining(['coach', 'meeting', 'dms', 'paths', 'ranking', 'conflicts', 'coverage', 'mix']));

    const vpBiz = person('副行长（分管业务）');
    const flag = page.locator('[data-section="flags"] .ins-flag-text[data-kind="dm-uncovered"]');
    await expect(flag.textContent()).resolves.toBe(`Decision maker ${vpBiz.name} is covered by nobody of ours.`);
    await flag.click();
    expect((await recorded(page)).highlights.at(-1)).toEqual({ people: [vpBiz.id], relations: [] });
    await expect(page.locator('[data-section="coach"]').textContent()).resolves.toContain(person('信息中心主任').name);

    // Meeting planner: tick the feuding director and deputy.
    const director = person('电子银行部总经理');
    const deputy = person('电子银行部副总经理');
    const search = page.locator('.ins-search');
    for (const p of [director, deputy]) {
      await search.fill(p.name);
      await page.locator('.ins-results .ins-check', { hasText: p.name }).first().click();
    }
    const result = page.locator('.ins-meeting-result');
    await expect(result.textContent()).resolves.toContain(`${director.name} and ${deputy.name} are in conflict`);
    await result.locator('.ins-flag-text').click();
    const sel = (await recorded(page)).highlights.at(-1)!;
    expect(sel.people.sort()).toEqual([director.id, deputy.id].sort());
    expect(sel.relations).toHaveLength(1);
    // Untick the deputy: the warning goes.
    await page.locator('.ins-chips .ins-chip', { hasText: deputy.name }).click();
    await expect(result.textContent()).resolves.toContain('No conflict among these people.');

    if (SHOTS) {
      await page.screenshot({ path: path.join(SHOTS, 'insights-en.png'), fullPage: true });
      await page.$$eval('details.ins-section', (els) =>
        els.forEach((e) => ((e as unknown as El).open = !(e as unknown as El).dataset.section?.match(/flags|coach/))),
      );
      await page.screenshot({ path: path.join(SHOTS, 'insights-en-sections.png'), fullPage: true });
    }
    expect(errors).toEqual([]);
  });

  it('lists next steps, weighs people by the buying step (with a what-if), rings chokepoints and tables coverage by role', async () => {
    for (const lang of ['en-US', 'zh-CN'] as const) {
      const { page, errors, person } = await open(lang);
      const president = person('行长');
      const steps = page.locator('[data-section="plan"] .ins-step-text');
      await expect.poll(() => steps.count()).toBeGreaterThan(3);
      const first = await steps.first().textContent();
      expect(first).toContain(person('总工程师').name);
      // The president sits across the paths to the business side: a dashed ring on the map.
      await expect.poll(async () => (await recorded(page)).marks.insights?.[president.id]).toEqual(['chokepoint']);
      await expect(page.locator('[data-section="chokepoints"] .ins-group-title').first().textContent()).resolves.toContain(president.name);
      // The role table: five roles, the decision makers' row a gap.
      expect(await page.locator('.ins-roles tbody tr').count()).toBe(5);
      expect(await page.locator('.ins-roles tbody tr.is-gap').first().textContent()).toContain(lang === 'en-US' ? 'decision maker' : '决策者');
      // Show the step on the map: the technical side stands out, people of no buyer role fade.
      await page.locator('[data-section="step"] input[type="checkbox"]').check();
      await expect.poll(async () => (await recorded(page)).marks.insights?.[person('总工程师').id]).toEqual(expect.arrayContaining(['stage-now']));
      await expect.poll(async () => (await recorded(page)).marks.insights?.[person('风险管理部').id]).toEqual(expect.arrayContaining(['stage-dim']));
      // What-if: at the contract review, procurement comes to the front and the list changes.
      await page.locator('[data-section="step"] select').selectOption('contract');
      await expect.poll(() => steps.first().textContent()).not.toBe(first);
      await expect.poll(async () => (await recorded(page)).marks.insights?.[person('集中采购中心主任').id]).toEqual(expect.arrayContaining(['stage-now']));
      await page.locator('[data-section="step"] select').selectOption('');
      await expect.poll(() => steps.first().textContent()).toBe(first);
      if (SHOTS) {
        await page.$$eval('details.ins-section', (els) =>
          els.forEach((e) => ((e as unknown as El).open = !!(e as unknown as El).dataset.section?.match(/plan|step|chokepoints|roles/))),
        );
        await page.screenshot({ path: path.join(SHOTS, `insights-next-steps-${lang}.png`), fullPage: true });
      }
      expect(errors).toEqual([]);
      await web?.close();
      web = null;
    }
  });

  it('proposes the coach when unmarked, marks candidates on the map, and marks as coach in one undoable click', async () => {
    const { session, page, errors, person } = await open('en-US');
    const itDir = person('信息中心主任');
    const unmark = await dispatch(session, 'person.update', { id: itDir.id, patch: { roles: ['technical'] } });
    expect(unmark.ok).toBe(true);
    await page.click('#harness-reload');
    const first = page.locator('[data-section="coach"] .ins-cand').first();
    await expect.poll(() => first.getAttribute('data-person')).toBe(itDir.id);
    await expect(first.textContent()).resolves.toContain('champions us');
    await expect.poll(async () => (await recorded(page)).marks.insights?.[itDir.id]).toEqual(['candidate']);

    await first.locator('.ins-action').click();
    await page.waitForSelector('.ins-note');
    const roles = async () => {
      const r = await dispatch(session, 'map.get', {});
      return (r as { value: MapDocument }).value.people.find((p) => p.id === itDir.id)!.roles;
    };
    expect(await roles()).toEqual(['technical', 'coach']);
    await expect.poll(() => page.locator('[data-section="coach"] .ins-list').first().textContent()).toContain(itDir.name);
    await expect.poll(async () => (await recorded(page)).marks.insights?.[itDir.id]).toBeUndefined();

    await page.locator('.ins-note .ins-link').click();
    await expect.poll(roles).toEqual(['technical']);
    await expect.poll(() => first.getAttribute('data-person')).toBe(itDir.id);
    expect(errors).toEqual([]);
  });

  it('follows edits and speaks Chinese', async () => {
    const { session, page, errors, person } = await open('zh-CN');
    await expect(page.locator('[data-section="flags"] summary').textContent()).resolves.toContain('风险提示');
    const vpBiz = person('副行长（分管业务）');
    const uncovered = page.locator('.ins-flag-text[data-kind="dm-uncovered"]');
    await expect(uncovered.textContent()).resolves.toBe(`决策者 ${vpBiz.name} 没有我方人员覆盖。`);
    if (SHOTS) await page.screenshot({ path: path.join(SHOTS, 'insights-zh.png'), fullPage: true });
    // Cover her: after the edit the flag is gone.
    const doc = ((await dispatch(session, 'map.get', {})) as { value: MapDocument }).value;
    expect((await dispatch(session, 'coverage.set', { memberId: doc.team[0]!.id, personId: vpBiz.id, strength: 3 })).ok).toBe(true);
    await page.click('#harness-reload');
    await expect.poll(() => uncovered.count()).toBe(0);
    expect(errors).toEqual([]);
  });
});
