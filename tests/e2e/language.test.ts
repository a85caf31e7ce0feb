/**
 * One source of the UI language: the browser build in real Chromium. Switching the language in
 * the UI hands it to the main side (app.setLanguage), so what the main side words on its own —
 * a CSV preview's problems, analysis.run without a `lang` — follows the UI; the next start
 * comes up in the chosen language whatever the OS and browser say; a choice saved in the browser
 * before the main side kept one is handed over at start. Needs dist/ built.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { callApi, closeBrowser, REPO, removeTmpDirs, startWebApp, type WebApp } from '../helpers/browser';
import { byTestId } from './ui';

afterAll(async () => {
  await closeBrowser();
  removeTmpDirs();
});

const FIX = path.join(REPO, 'tests', 'fixtures', 'csv');
const CJK = /[\u4e00-\u9fff]/;

const api = callApi;

const storedLanguage = (app: WebApp): unknown =>
  (JSON.parse(fs.readFileSync(path.join(app.configDir, 'settings.json'), 'utf8')) as { language?: unknown }).language;

interface RunResult {
  lang: string;
  redFlags: { message: string }[];
}

describe('the UI language, kept by the main side', () => {
  it('a switch in the UI reaches CSV preview problems and analysis, and the next start', async () => {
    let app = await startWebApp({ locale: 'en-US' });
    const { docsDir, configDir } = app;
    try {
      const { page } = app;
      await page.waitForSelector(byTestId('welcome'));
      await expect(page.locator(byTestId('open-sample')).textContent()).resolves.toBe('Open the sample');
      expect((await api<{ language: unknown }>(app, 'app.info')).language).toBeNull();

      await page.selectOption(byTestId('lang-switch'), 'zh-CN');
      await expect(page.locator(byTestId('open-sample')).textContent()).resolves.toBe('打开示例');
      await expect.poll(() => storedLanguage(app)).toBe('zh-CN');
      expect((await api<{ language: unknown }>(app, 'app.info')).language).toBe('zh-CN');
      // The sign-in page reads the browser's copy.
      expect(await page.evaluate(() => (globalThis as unknown as { localStorage: { getItem(k: string): string | null } }).localStorage.getItem('powermap.lang'))).toBe('zh-CN');

      // A CSV preview in the Import/export panel: its problems in Chinese.
      await page.click(byTestId('open-sample'));
      await page.waitForSelector(byTestId('workspace'));
      await page.click(byTestId('tab-exchange'));
      const csv = page.locator('.xch-section', { has: page.locator('h3', { hasText: '导入 CSV' }) });
      await csv.locator('input[type="text"]').nth(0).fill(path.join(FIX, 'people-en.csv'));
      await csv.locator('input[type="text"]').nth(1).fill(path.join(FIX, 'bad-relations.csv'));
      await csv.locator('button', { hasText: '预览' }).click();
      await page.waitForSelector(`${byTestId('csv-preview')} .xch-problems li`);
      const problems = await page.locator(`${byTestId('csv-preview')} .xch-problems li`).allTextContents();
      expect(problems).toHaveLength(4);
      for (const p of problems) {
        expect(p).toMatch(CJK);
        expect(p).not.toMatch(/\brow \d|\bcolumn\b/);
      }
      expect(problems[0]).toMatch(/bad-relations\.csv 第 2 行/);

      // analysis.run without a lang: in Chinese (the sample's names are Chinese here, so the
      // words around them are what is checked).
      const map = await api<{ people: { name: string }[]; team: { name: string }[] }>(app, 'map.get');
      const names = [...map.people, ...map.team].map((p) => p.name);
      const words = (m: string) => names.reduce((s, n) => s.split(n).join(' '), m);
      const zh = await api<RunResult>(app, 'analysis.run');
      expect(zh.lang).toBe('zh-CN');
      expect(zh.redFlags.length).toBeGreaterThan(0);
      for (const f of zh.redFlags) {
        expect(words(f.message)).toMatch(CJK);
        expect(words(f.message)).not.toMatch(/[A-Za-z]{3,}/);
      }

      // And back: English from the main side too.
      await page.selectOption(byTestId('lang-switch'), 'en-US');
      await expect.poll(() => storedLanguage(app)).toBe('en-US');
      const en = await api<RunResult>(app, 'analysis.run');
      expect(en.lang).toBe('en-US');
      expect(en.redFlags).toHaveLength(zh.redFlags.length);
      for (const f of en.redFlags) expect(words(f.message)).toMatch(/[A-Za-z]{4,}/);
      await page.selectOption(byTestId('lang-switch'), 'zh-CN');
      await expect.poll(() => storedLanguage(app)).toBe('zh-CN');
    } finally {
      await app.stop();
    }

    // The next start, on the same settings, in a browser that says English (and a new origin,
    // so no localStorage): Chinese, because the main side kept it.
    app = await startWebApp({ locale: 'en-US', docsDir, configDir });
    try {
      await app.page.waitForSelector(byTestId('welcome'));
      await expect(app.page.locator(byTestId('open-sample')).textContent()).resolves.toBe('打开示例');
      await expect(app.page.locator('html').getAttribute('lang')).resolves.toBe('zh-CN');
    } finally {
      await app.stop();
    }
  });

  it('hands a choice saved in the browser before to the main side at start', async () => {
    const app = await startWebApp({ locale: 'en-US', noPage: true });
    try {
      await app.page.addInitScript(() => {
        (globalThis as unknown as { localStorage: { setItem(k: string, v: string): void } }).localStorage.setItem('powermap.lang', 'zh-CN');
      });
      await app.page.goto(app.url);
      await app.page.waitForSelector(byTestId('welcome'));
      await expect(app.page.locator(byTestId('open-sample')).textContent()).resolves.toBe('打开示例');
      await expect.poll(() => storedLanguage(app)).toBe('zh-CN');
      expect((await api<RunResult>(app, 'app.info')) as unknown).toMatchObject({ language: 'zh-CN' });
    } finally {
      await app.stop();
    }
  });
});
