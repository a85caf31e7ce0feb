/**
 * Both pages of the renderer (the app and the report view) run under the strict CSP (no
 * 'unsafe-eval') without a single violation: zod's JIT probe (`new Function('')`) is switched off
 * before any schema exists (renderer/zod-csp.ts), so nothing tries to evaluate strings. Checked in
 * the browser build, in Chromium: violations are caught as `securitypolicyviolation` events in the
 * page (and its workers) and as Chromium's own console messages.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { createMapFile } from '../../services/map/files';
import { createPerson, createRelation } from '../../services/map/rules';
import { closeBrowser, makeTmpDir, removeTmpDirs, startWebApp } from '../helpers/browser';

afterAll(async () => {
  await closeBrowser();
  removeTmpDirs();
});

/** Records every CSP violation the page or a worker reports, from before the first script runs. */
async function watchViolations(page: Page) {
  const seen: string[] = [];
  await page.addInitScript(() => {
    const w = window as unknown as { __csp: string[] };
    w.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => w.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
  });
  page.on('console', (m) => {
    if (/Content Security Policy|unsafe-eval|Refused to/i.test(m.text())) seen.push(`console: ${m.text()}`);
  });
  page.on('worker', (w) => w.on('console', (m) => /Content Security Policy|unsafe-eval|Refused to/i.test(m.text()) && seen.push(`worker: ${m.text()}`)));
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Log.enable');
  cdp.on('Log.entryAdded', ({ entry }) => {
    if (/Content Security Policy|unsafe-eval/i.test(entry.text)) seen.push(`log: ${entry.text}`);
  });
  return async () => [...seen, ...((await page.evaluate('window.__csp')) as string[]).map((v) => `event: ${v}`)];
}

describe('the strict CSP', () => {
  it('is not violated by the app page or the report view (zod does not probe for eval)', async () => {
    const dir = makeTmpDir('powermap-csp-');
    const file = path.join(dir, 'Eastbrook.powermap');
    const store = await createMapFile(file, { account: 'Eastbrook Savings Bank' });
    await createPerson(store, { id: 'lin', name: 'Lin Qiu', title: 'CIO' });
    await createPerson(store, { id: 'omar', name: 'Omar Haddad', title: 'Head of Procurement' });
    await createRelation(store, { kind: 'reports_to', source: 'omar', target: 'lin' });
    await store.close();

    const app = await startWebApp({ mapPath: file, noPage: true });
    try {
      const violations = await watchViolations(app.page);
      await app.page.goto(app.url);
      await app.page.waitForFunction(() => document.body.innerText.includes('Lin Qiu'), undefined, { timeout: 60_000 });
      expect(await violations()).toEqual([]);

      await app.page.goto(`${app.origin}/report.html?mode=report&personal=0&layout=org&page=A4&lang=en-US#token=${app.token}`);
      await app.page.waitForFunction(() => document.body.dataset.ready === '1' || document.body.dataset.ready === 'error', undefined, { timeout: 60_000 });
      expect(await app.page.evaluate(() => document.body.dataset.ready)).toBe('1');
      expect(await violations()).toEqual([]);
    } finally {
      await app.stop();
    }
  });
});
