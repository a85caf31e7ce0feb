// The team server's sign-in page in headless Chromium, in both languages: a page without a
// session is sent to it, a wrong password shows the same translated message as an unknown
// email, the language switch sticks, a right password lands in the app with an httpOnly,
// SameSite cookie the page's scripts cannot read. Screenshots go to docs/screenshots/.
import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser } from '../../server/team/accounts';
import { closeBrowser, getBrowser } from '../helpers/browser';
import { useTestDatabase } from '../helpers/pg';
import { REPO, startTeamInProcess, type InProcessServer } from '../helpers/team';

const OUT = path.join(REPO, 'docs', 'screenshots');
const PASSWORD = 'Browser-signin-password-1';
const db = useTestDatabase();
let server: InProcessServer;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  server = await startTeamInProcess(db.url, { staticDir: path.join(REPO, 'dist', 'renderer') });
  await addUser(server.pool, { email: 'wang.fang@example.com', name: '王芳', password: PASSWORD });
});
afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await closeBrowser();
  await server?.close();
});

async function open(locale: string): Promise<{ page: Page; context: BrowserContext; problems: string[] }> {
  const context = await (await getBrowser()).newContext({ locale, viewport: { width: 960, height: 640 }, colorScheme: 'light' });
  contexts.push(context);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status of 401/.test(m.text())) problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(String(e)));
  await page.goto(server.url);
  await page.waitForURL(/\/signin$/);
  await page.waitForSelector('#heading:not(:empty)');
  return { page, context, problems };
}

const texts = (page: Page) =>
  page.evaluate(() => ({
    heading: document.getElementById('heading')!.textContent,
    email: document.getElementById('email-label')!.textContent,
    submit: document.getElementById('submit')!.textContent,
    error: document.getElementById('error')!.hidden ? null : document.getElementById('error')!.textContent,
    lang: document.documentElement.lang,
  }));

describe('the sign-in page', () => {
  for (const [locale, words] of [
    ['en-US', { heading: 'Sign in to PowerMap', email: 'Email', submit: 'Sign in', wrong: 'The email or the password is wrong.' }],
    ['zh-CN', { heading: '登录 PowerMap', email: '邮箱', submit: '登录', wrong: '邮箱或密码不正确。' }],
  ] as const) {
    it(`speaks ${locale}, refuses a wrong password and an unknown email alike, and is screenshotted`, async () => {
      const { page, problems } = await open(locale);
      expect(await texts(page)).toMatchObject({ heading: words.heading, email: words.email, submit: words.submit, error: null, lang: locale });
      fs.mkdirSync(OUT, { recursive: true });
      const shot = path.join(OUT, `signin-${locale}.png`);
      await page.screenshot({ path: shot });
      expect(fs.statSync(shot).size).toBeGreaterThan(10_000);

      await page.fill('#email', 'wang.fang@example.com');
      await page.fill('#password', 'not-her-password');
      await page.click('#submit');
      await page.waitForSelector('#error:not([hidden])');
      expect((await texts(page)).error).toBe(words.wrong);
      expect(await page.inputValue('#password')).toBe(''); // cleared, never kept
      await page.fill('#email', 'nobody@example.com');
      await page.fill('#password', 'anything-at-all');
      await page.click('#submit');
      await page.waitForFunction((w) => document.getElementById('error')!.textContent === w && !(document.getElementById('submit') as HTMLButtonElement).disabled, words.wrong);
      await page.screenshot({ path: path.join(OUT, `signin-${locale}-error.png`) });
      // Empty fields are caught on the page.
      await page.fill('#email', '');
      await page.click('#submit');
      expect((await texts(page)).error).toBe(locale === 'zh-CN' ? '请输入邮箱和密码。' : 'Enter your email and your password.');
      expect(problems).toEqual([]); // no CSP violation, no script error
    });
  }

  it('switches language and remembers it, then signs in to the app with a cookie scripts cannot read', async () => {
    const { page, context } = await open('en-US');
    await page.click('#lang');
    expect((await texts(page)).heading).toBe('登录 PowerMap');
    await page.reload();
    await page.waitForSelector('#heading:not(:empty)');
    expect((await texts(page)).heading).toBe('登录 PowerMap');
    expect(await page.evaluate(() => localStorage.getItem('powermap.lang'))).toBe('zh-CN');

    await page.fill('#email', 'Wang.Fang@example.com');
    await page.fill('#password', PASSWORD);
    await Promise.all([page.waitForURL(new URL('/', server.url).toString()), page.click('#submit')]);
    expect(await page.evaluate(() => document.cookie)).toBe('');
    const [cookie] = await context.cookies();
    expect(cookie).toMatchObject({ name: 'powermap_session', httpOnly: true, sameSite: 'Lax', secure: false, path: '/' });
    // Signed in, the sign-in page sends the browser on to the app.
    await page.goto(new URL('/signin', server.url).toString());
    await page.waitForURL(new URL('/', server.url).toString());
    // The page's own fetch of the session (same origin) gets the CSRF token for its API calls.
    const session = await page.evaluate(async () => (await fetch('/auth/session')).json());
    expect(session).toMatchObject({ ok: true, value: { user: { email: 'wang.fang@example.com', name: '王芳' } } });
    const csrf = (session as { value: { csrf: string } }).value.csrf;
    const me = await page.evaluate(
      async (token) =>
        (await fetch('/api/account.me', { method: 'POST', headers: { 'content-type': 'application/json', 'x-powermap-csrf': token }, body: '{}' })).json(),
      csrf,
    );
    expect(me).toMatchObject({ ok: true, value: { via: 'session' } });
    const noToken = await page.evaluate(async () => (await fetch('/api/account.me', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status);
    expect(noToken).toBe(403);
  });
});
