// The manager's portfolio in Chromium against a real team server (issue 19 item 4): a manager
// signs in through the sign-in page, opens the portfolio from the map list and sees one row per
// deal — four maps built (over the API, as teammates would) to trip one review flag each and one
// clean — with the right flags; sorts by a heading (the order follows), filters by text, stage and
// "flagged only"; a click on a row opens that map in the same canvas; the page in Chinese has no
// English words of ours. Takes the README screenshot docs/screenshots/portfolio.png.
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PortfolioRow } from '../../shared/api/team-sync';
import type { TeamMapInfo } from '../../shared/api/team';
import { addUser } from '../../server/team/accounts';
import { createPool } from '../../storage/postgres/pool';
import { closeBrowser, getBrowser } from '../helpers/browser';
import { createTestDatabase, sharedPgUrl, type TestDatabase } from '../helpers/pg';
import { REPO, call, signIn, startTeamProcess, type Session, type TeamProcess } from '../helpers/team';

const OUT = path.join(REPO, 'docs', 'screenshots');
const PW = 'Portfolio-browser-password-19';
const USERS = {
  mia: { email: 'mia.berg@example.invalid', name: 'Mia Berg' },
  ann: { email: 'ann.lindqvist@example.invalid', name: 'Ann Lindqvist' },
  bo: { email: 'bo.chen@example.invalid', name: 'Bo Chen' },
};

let db: TestDatabase;
let server: TeamProcess;
const problems: string[] = [];

type Who = Session;
const ok = async <T>(p: Promise<{ status: number; body: { ok: boolean; value?: unknown; error?: unknown } }>): Promise<T> => {
  const r = await p;
  if (!r.body.ok) throw new Error(`${r.status} ${JSON.stringify(r.body.error)}`);
  return r.body.value as T;
};

interface P {
  name: string;
  title?: string;
  roles?: string[];
  attitude?: string;
  influence?: string;
}

/** A team map made by `who` over the API: meta, people, our team and coverage; shared with the manager. */
async function makeMap(who: Who, manager: string, m: { name: string; account: string; deal: string; stage: string; posture: string; people: P[]; team?: string[]; cover?: [number, number, number][] }): Promise<string> {
  const info = await ok<TeamMapInfo>(call(server.url, 'maps.create', { name: m.name, meta: { account: m.account, deal: m.deal, stage: m.stage, posture: m.posture } }, who));
  const on = { ...who, headers: { 'x-powermap-map': info.id } };
  const ids: string[] = [];
  for (const p of m.people) ids.push(((await ok<{ people?: { id: string }[] }>(call(server.url, 'person.create', p, on))).people ?? [])[0]!.id);
  const team: string[] = [];
  for (const t of m.team ?? []) team.push(((await ok<{ team?: { id: string }[] }>(call(server.url, 'team.create', { name: t, role: 'Account manager' }, on))).team ?? [])[0]!.id);
  for (const [ti, pi, strength] of m.cover ?? []) await ok(call(server.url, 'coverage.set', { memberId: team[ti]!, personId: ids[pi]!, strength }, on));
  await ok(call(server.url, 'maps.share', { id: info.id, email: manager, role: 'viewer' }, who));
  return info.id;
}

beforeAll(async () => {
  db = await createTestDatabase(await sharedPgUrl());
  server = await startTeamProcess(db.url);
  const pool = createPool({ url: db.url });
  try {
    for (const u of Object.values(USERS)) await addUser(pool, { ...u, password: PW });
  } finally {
    await pool.end();
  }
  const ann = await signIn(server.url, USERS.ann.email, PW);
  const bo = await signIn(server.url, USERS.bo.email, PW);
  const coachFor = (name: string): P => ({ name, title: 'IT manager', roles: ['coach'], attitude: 'supporter', influence: 'medium' });
  // 1. No coach (everything else fine).
  await makeMap(ann, USERS.mia.email, {
    name: 'Harbour Logistics — fleet telematics',
    account: 'Harbour Logistics',
    deal: 'Fleet telematics',
    stage: 'feasibility',
    posture: 'preferred',
    people: [{ name: 'Lena Fictus', title: 'CFO', roles: ['decision-maker'], attitude: 'champion', influence: 'high' }],
    team: ['Ann Lindqvist', 'Bo Chen'],
    cover: [
      [0, 0, 3],
      [1, 0, 2],
    ],
  });
  // 2. A decision maker against us.
  await makeMap(bo, USERS.mia.email, {
    name: 'Northwind Bank — core banking',
    account: 'Northwind Bank',
    deal: 'Core banking renewal',
    stage: 'tender',
    posture: 'comparator',
    people: [{ name: 'Marek Fictus', title: 'COO', roles: ['decision-maker'], attitude: 'opponent', influence: 'high' }, coachFor('Iris Fictus')],
    team: ['Bo Chen', 'Ann Lindqvist'],
    cover: [
      [0, 0, 2],
      [1, 0, 2],
      [0, 1, 3],
      [1, 1, 1],
    ],
  });
  // 3. High influence nobody covers.
  await makeMap(ann, USERS.mia.email, {
    name: '城市商业银行 — 网银服务器',
    account: '城市商业银行',
    deal: '网银服务器',
    stage: 'evaluation',
    posture: 'preferred',
    people: [{ name: '王芳', title: '副行长', roles: ['decision-maker'], attitude: 'supporter', influence: 'high' }, coachFor('李强'), { name: '赵敏', title: '信息科技部总经理', influence: 'high', attitude: 'neutral' }],
    team: ['Ann Lindqvist', 'Bo Chen'],
    cover: [
      [0, 0, 3],
      [1, 0, 2],
      [0, 1, 3],
      [1, 1, 2],
    ],
  });
  // 4. Coverage hanging on one colleague.
  await makeMap(bo, USERS.mia.email, {
    name: 'Fjord Energy — grid analytics',
    account: 'Fjord Energy',
    deal: 'Grid analytics',
    stage: 'approval',
    posture: 'filler',
    people: [{ name: 'Nora Fictus', title: 'CEO', roles: ['decision-maker'], attitude: 'supporter', influence: 'high' }, coachFor('Olav Fictus')],
    team: ['Bo Chen'],
    cover: [
      [0, 0, 3],
      [0, 1, 3],
    ],
  });
}, 180_000);
afterAll(async () => {
  await closeBrowser();
  await server?.kill();
  await db?.drop();
});

async function signedIn(locale: string): Promise<Page> {
  const context = await (await getBrowser()).newContext({ locale, viewport: { width: 1360, height: 720 }, colorScheme: 'light' });
  const page = await context.newPage();
  page.on('pageerror', (e) => problems.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy|Refused to/.test(m.text())) problems.push(m.text());
  });
  await page.goto(server.url);
  await page.waitForURL(/\/signin$/);
  await page.waitForSelector('#heading:not(:empty)');
  await page.fill('#email', USERS.mia.email);
  await page.fill('#password', PW);
  await Promise.all([page.waitForURL(new URL('/', server.url).toString()), page.click('#submit')]);
  await page.waitForSelector('[data-testid="team-map-row"]');
  return page;
}

const shownRows = (page: Page) =>
  page.evaluate(() => (globalThis as unknown as { __powermapPortfolio: { rows(): PortfolioRow[] } }).__powermapPortfolio.rows().map((r) => ({ client: r.client, people: r.people, flags: r.flagCount })));
const rowFlags = (page: Page) =>
  page.$$eval('[data-testid="portfolio-row"]', (trs) => trs.map((tr) => [tr.querySelector('td.client strong')?.textContent ?? '', tr.getAttribute('data-flags') ?? ''] as const));

describe('the portfolio in the browser, on a real team server', () => {
  it('shows one row per deal with the right flags, sorts, filters, opens a map; screenshot', async () => {
    const page = await signedIn('en-US');
    await page.click('[data-testid="open-portfolio"]');
    await page.waitForSelector('[data-testid="portfolio-row"]');
    expect(await page.locator('[data-testid="portfolio-row"]').count()).toBe(4);
    const flags = Object.fromEntries(await rowFlags(page));
    expect(flags).toEqual({
      'Harbour Logistics': 'no-coach',
      'Northwind Bank': 'dm',
      城市商业银行: 'uncovered',
      'Fjord Energy': 'one',
    });
    expect(await page.textContent('[data-testid="portfolio-table"]')).toContain('Decision maker not for us: Marek Fictus');
    expect(await page.textContent('[data-testid="portfolio-table"]')).toContain('High influence uncovered: 赵敏');
    expect(await page.textContent('[data-testid="portfolio-table"]')).toContain('Hangs on Bo Chen alone');

    // Sort by people (most first), then the other way round.
    await page.click('[data-testid="sort-people"]');
    const desc = (await shownRows(page)).map((r) => r.people);
    expect(desc).toEqual([...desc].sort((a, b) => b - a));
    expect(await page.getAttribute('th[aria-sort]', 'aria-sort')).toBe('descending');
    await page.click('[data-testid="sort-people"]');
    const asc = (await shownRows(page)).map((r) => r.people);
    expect(asc).toEqual([...desc].reverse());
    // Sort by client name: the table's order is the rows' order.
    await page.click('[data-testid="sort-client"]');
    const clients = (await rowFlags(page)).map(([c]) => c);
    expect(clients).toEqual((await shownRows(page)).map((r) => r.client));
    expect(clients[0]).toBe('Fjord Energy');

    // Filters: text, stage, both cleared.
    await page.fill('[data-testid="portfolio-filter"]', 'bank');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="portfolio-row"]').length === 1);
    expect((await rowFlags(page))[0]![0]).toBe('Northwind Bank');
    await page.fill('[data-testid="portfolio-filter"]', '');
    await page.selectOption('[data-testid="portfolio-stage"]', 'evaluation');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="portfolio-row"]').length === 1);
    expect((await rowFlags(page))[0]![0]).toBe('城市商业银行');
    await page.selectOption('[data-testid="portfolio-stage"]', '');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="portfolio-row"]').length === 4);
    expect(await page.textContent('[data-testid="portfolio-count"]')).toContain('4 of 4');

    // The screenshot for the README: sorted by red flags, most first.
    await page.click('[data-testid="sort-flags"]');
    await page.setViewportSize({ width: 1280, height: 440 });
    await page.evaluate(() => document.fonts.ready);
    fs.mkdirSync(OUT, { recursive: true });
    await page.screenshot({ path: path.join(OUT, 'portfolio.png'), fullPage: true });

    // A click on a row opens that map: the same workspace, its people on the canvas.
    await page.click('[data-testid="portfolio-row"]:has-text("Northwind Bank")');
    await page.waitForSelector('[data-testid="workspace"]');
    await page.waitForFunction(() => {
      const g = globalThis as unknown as { __powermap?: { store: { getState(): { doc: { people: { name: string }[] } | null } } } };
      return !!g.__powermap?.store.getState().doc?.people.some((p) => p.name === 'Marek Fictus');
    });
    expect(await page.textContent('[data-testid="map-title"]')).toContain('Northwind');
    // Mia is a viewer on it: read-only, and the live stream is on.
    await page.waitForSelector('[data-testid="view-only"]');
    await page.close();
    expect(problems).toEqual([]);
  }, 180_000);

  it('in Chinese: the portfolio says it all in Chinese', async () => {
    const page = await signedIn('zh-CN');
    await page.click('[data-testid="open-portfolio"]');
    await page.waitForSelector('[data-testid="portfolio-row"]');
    const text = (await page.textContent('[data-testid="portfolio"]')) ?? '';
    expect(text).toContain('商机总览');
    expect(text).toContain('没有教练');
    // Without the users' and clients' own names, no Latin words are left.
    const ours = text.replace(/Harbour Logistics|Fleet telematics|Northwind Bank|Core banking renewal|Fjord Energy|Grid analytics|Marek Fictus|Bo Chen|Ann Lindqvist|Mia Berg|PowerMap|CSV|PDF|AM|PM/g, '')
      // The language switch names each language in itself.
      .replace('English', '');
    expect(ours).not.toMatch(/[A-Za-z]{3,}/);
    await page.close();
    expect(problems).toEqual([]);
  }, 120_000);
});
