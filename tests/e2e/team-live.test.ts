// The renderer as a team app, end to end: two `powermap server` processes on one PostgreSQL of
// this file's own, three people signed in through the sign-in page in their own Chromium
// contexts. The owner creates a map and shares it (editor, viewer); an edit in one browser shows
// in the other within 2 s, across instances; presence shows who is there; the instance behind the
// editor is killed mid-session and a small TCP proxy in front (standing in for a load balancer)
// sends the next connections to the other instance: the page's live stream reconnects from the
// revision it had and its next edit is acknowledged; no acknowledged edit is lost (read back
// through the API at the end). A viewer sees a read-only screen and a raw edit of theirs is
// refused. With PostgreSQL stopped, the page says so and refuses the edit, and works again after.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { Core } from 'cytoscape';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MapDocument } from '../../shared/domain';
import { addUser } from '../../server/team/accounts';
import { createPool } from '../../storage/postgres/pool';
import { closeBrowser, getBrowser } from '../helpers/browser';
import { latinWords } from '../helpers/latin';
import { createTestDatabase, usePrivateCluster, type TestDatabase } from '../helpers/pg';
import { REPO, call, signIn, startTeamProcess, type TeamProcess } from '../helpers/team';

const OUT = path.join(REPO, 'docs', 'screenshots');
const PW = 'Team-live-browser-password-1';
const USERS = {
  ann: { email: 'ann.lindqvist@example.invalid', name: 'Ann Lindqvist' },
  bo: { email: 'bo.chen@example.invalid', name: 'Bo Chen' },
  cara: { email: 'cara.diaz@example.invalid', name: '柯拉' },
};

const pgc = usePrivateCluster();
let db: TestDatabase;
let a: TeamProcess;
let b: TeamProcess;
const contexts: BrowserContext[] = [];
/** Script errors and CSP violations of every page. */
const pageProblems: string[] = [];

/**
 * A TCP proxy in front of the instances: new connections go to `target`; a dead target's
 * connections end. `target.cut`: the next request starting with these bytes is passed on, and its
 * connection is cut in the answer's body (the server did it; the page never hears the whole answer).
 */
function tcpProxy(): Promise<{ url: string; target: { port: number; cut: string | null }; close(): Promise<void> }> {
  const target = { port: 0, cut: null as string | null };
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const up = net.connect(target.port, '127.0.0.1');
    sockets.add(client).add(up);
    const end = () => {
      client.destroy();
      up.destroy();
      sockets.delete(client);
      sockets.delete(up);
    };
    client.on('error', end).on('close', end);
    up.on('error', end).on('close', end);
    let cutThis = false;
    client.on('data', (d: Buffer) => {
      if (target.cut && d.toString('latin1').startsWith(target.cut)) {
        target.cut = null;
        cutThis = true;
      }
      up.write(d);
    });
    up.on('data', (d: Buffer) => {
      if (!cutThis) {
        client.write(d);
        return;
      }
      // The answer's head and a few bytes of its body, then nothing: the browser cannot re-send
      // it by itself (Chromium does, for a kept-alive connection closed before the head), so
      // the page's own retry must.
      const head = d.indexOf('\r\n\r\n');
      client.write(d.subarray(0, head < 0 ? 12 : head + 6), () => end());
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      resolve({
        url: `http://127.0.0.1:${port}/`,
        target,
        close: () =>
          new Promise<void>((r) => {
            for (const s of sockets) s.destroy();
            server.close(() => r());
          }),
      });
    }),
  );
}
let proxy: Awaited<ReturnType<typeof tcpProxy>>;

beforeAll(async () => {
  db = await createTestDatabase(pgc.cluster.url);
  [a, b] = await Promise.all([startTeamProcess(db.url), startTeamProcess(db.url)]);
  const pool = createPool({ url: db.url });
  try {
    for (const u of Object.values(USERS)) await addUser(pool, { ...u, password: PW });
  } finally {
    await pool.end();
  }
  proxy = await tcpProxy();
  proxy.target.port = Number(new URL(a.url).port);
}, 120_000);
afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await closeBrowser();
  await proxy?.close();
  await Promise.all([a?.kill(), b?.kill()]);
});

/** What the page exposes to tests (renderer/src/canvas/MapCanvas.tsx, renderer/src/team/actions.ts). */
interface G {
  __powermap?: { cy: Core; store: { getState(): { doc: MapDocument | null } } };
  __powermapTeam?: { state: { getState(): { live: string; map: { id: string } | null } }; client: { seenRev: number; retries: number } };
}

interface Person {
  name: string;
  title: string;
}

/** A browser context signed in through the sign-in page, on the team map list. */
async function signedIn(base: string, who: { email: string }, locale = 'en-US'): Promise<{ page: Page; problems: string[] }> {
  const context = await (await getBrowser()).newContext({ locale, viewport: { width: 1280, height: 760 }, colorScheme: 'light' });
  contexts.push(context);
  const page = await context.newPage();
  const problems = pageProblems;
  page.on('pageerror', (e) => problems.push(String(e)));
  // Network refusals are part of the story (a killed instance, the database away); a script
  // error or a CSP violation is not.
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy|Refused to/.test(m.text())) problems.push(m.text());
  });
  await page.goto(base);
  await page.waitForURL(/\/signin$/);
  await page.waitForSelector('#heading:not(:empty)');
  await page.fill('#email', who.email);
  await page.fill('#password', PW);
  await Promise.all([page.waitForURL(new URL('/', base).toString()), page.click('#submit')]);
  await page.waitForSelector('[data-testid="team-maps"]');
  return { page, problems };
}

const people = (page: Page) => page.evaluate(() => ((globalThis as unknown as G).__powermap?.store.getState().doc?.people ?? []).map((p) => ({ name: p.name, title: p.title })) as Person[]);
const hasPerson = (page: Page, name: string, timeout = 2000) =>
  page.waitForFunction((n) => !!(globalThis as unknown as G).__powermap?.store.getState().doc?.people.some((p) => p.name === n), name, { timeout });
const presenceCount = (page: Page, n: number) =>
  page.waitForFunction((k) => document.querySelectorAll('[data-testid="presence-user"]').length === k, n, { timeout: 20_000 });

/** Adds a person with the quick-add line and waits until the server acknowledged it (in the page's document). */
async function quickAdd(page: Page, line: string): Promise<void> {
  await page.fill('[data-testid="quick-add"]', line);
  await page.press('[data-testid="quick-add"]', 'Enter');
  await hasPerson(page, line.split(',')[0]!.trim(), 10_000);
}

let mapId = '';
let owner: Page;
let editor: Page;
const acknowledged: string[] = [];

describe('a team map in two browsers on two instances', () => {
  it('lists, creates and shares a map; an edit in one browser shows in the other within 2 s; presence shows both', async () => {
    ({ page: owner } = await signedIn(b.url, USERS.ann));
    expect(await owner.textContent('[data-testid="team-user"]')).toContain('Ann Lindqvist');
    await owner.waitForSelector('[data-testid="team-no-maps"]');
    await owner.fill('[data-testid="new-team-map"]', 'Harbour Bank — core banking renewal');
    await owner.click('[data-testid="create-team-map"]');
    await owner.waitForSelector('[data-testid="workspace"]');
    mapId = await owner.evaluate(() => (globalThis as unknown as G).__powermapTeam!.state.getState().map!.id);
    expect(await owner.textContent('[data-testid="map-title"]')).toContain('Harbour Bank');

    // Share: Bo as editor, Cara as viewer.
    await owner.click('[data-testid="share-button"]');
    for (const [u, role] of [
      [USERS.bo, 'editor'],
      [USERS.cara, 'viewer'],
    ] as const) {
      await owner.fill('[data-testid="share-email"]', u.email);
      await owner.selectOption('[data-testid="share-new-role"]', role);
      await owner.click('[data-testid="share-add"]');
      await owner.waitForSelector(`[data-testid="share-member"][data-email="${u.email}"]`);
    }
    expect(await owner.locator('[data-testid="share-member"]').count()).toBe(3);
    expect(await owner.inputValue(`[data-testid="share-member"][data-email="${USERS.cara.email}"] [data-testid="share-role"]`)).toBe('viewer');
    fs.mkdirSync(OUT, { recursive: true });
    await owner.screenshot({ path: path.join(OUT, 'team-share.png') });
    await owner.click('[data-testid="share-close"]');

    await quickAdd(owner, 'Lena Park, CIO, IT');
    acknowledged.push('Lena Park');

    // Bo signs in through the proxy (which sends him to instance A) and finds the map in his list.
    ({ page: editor } = await signedIn(proxy.url, USERS.bo));
    const row = editor.locator('[data-testid="team-map-row"]', { hasText: 'Harbour Bank' });
    await row.waitFor();
    expect(await row.textContent()).toContain('Ann Lindqvist'); // the owner
    expect(await row.textContent()).toContain('Editor'); // his role
    await editor.screenshot({ path: path.join(OUT, 'team-maps.png') });
    expect(await editor.locator('[data-testid="rename-map"]').count()).toBe(0); // not his to rename
    await row.locator('[data-testid="open-team-map"]').click();
    await editor.waitForSelector('[data-testid="workspace"]');
    await hasPerson(editor, 'Lena Park');

    await presenceCount(owner, 2);
    await presenceCount(editor, 2);

    // Owner (instance B) → editor (instance A), and back, each within 2 s of the click.
    await Promise.all([hasPerson(editor, 'Marco Silva', 2000), quickAdd(owner, 'Marco Silva, CFO, Finance')]);
    acknowledged.push('Marco Silva');
    await Promise.all([hasPerson(owner, 'Nadia Rahman', 2000), quickAdd(editor, 'Nadia Rahman, Head of Procurement, Procurement')]);
    acknowledged.push('Nadia Rahman');

    // Who changed what: the History tab lists both authors.
    await owner.click('[data-testid="tab-time"]');
    await owner.waitForFunction(() => document.querySelectorAll('[data-testid="team-step"]').length >= 3);
    const who = await owner.locator('[data-testid="team-step-who"]').allTextContents();
    expect(who.some((w) => w.includes('Bo Chen'))).toBe(true);
    expect(who.some((w) => w.startsWith('You,'))).toBe(true);
    expect(await owner.locator('[data-testid="team-step-label"]').first().textContent()).toBe('Add Nadia Rahman');
    await owner.locator('[data-testid="team-step"] .step-head').first().click();
    await owner.waitForSelector('.step-diff');
    await owner.screenshot({ path: path.join(OUT, 'team-shared-map.png') });
    await owner.click('[data-testid="tab-inspector"]');
  });

  it('an undo leaves what someone changed after it, and a value written over unseen tells its author', async () => {
    const titleIs = (page: Page, want: string) =>
      page.waitForFunction(
        (w) => (globalThis as unknown as G).__powermap?.store.getState().doc?.people.find((p) => p.name === 'Nadia Rahman')?.title === w,
        want,
        { timeout: 2000 },
      );
    // Bo (who added her, and has her selected) changes her title; Ann sees it, then changes it again.
    await editor.fill('[data-testid="person-title"]', 'Procurement Director');
    await Promise.all([titleIs(owner, 'Procurement Director'), editor.press('[data-testid="person-title"]', 'Tab')]);
    await owner.locator('[data-testid="person-item"]', { hasText: 'Nadia Rahman' }).click();
    await owner.fill('[data-testid="person-title"]', 'Chief Procurement Officer');
    await Promise.all([titleIs(editor, 'Chief Procurement Officer'), owner.press('[data-testid="person-title"]', 'Tab')]);
    // Bo undoes his step: Ann's later value stays, and he is told.
    await editor.click('[data-testid="undo"]');
    await editor.waitForSelector('[data-testid="notice"][data-key="team.kept"]');
    expect(await editor.textContent('[data-testid="notice"]')).toContain('Undo left title (Nadia Rahman) as it is');
    await editor.waitForTimeout(500);
    for (const p of [owner, editor]) await titleIs(p, 'Chief Procurement Officer');

    // A write over a value its author had not seen yet (sent with an older X-PowerMap-Rev, as a
    // page that is behind would): the owner, whose value it replaced, is told by name.
    const seen = await editor.evaluate(() => (globalThis as unknown as G).__powermapTeam!.client.seenRev);
    const id = await editor.evaluate(() => (globalThis as unknown as G).__powermap!.store.getState().doc!.people.find((p) => p.name === 'Lena Park')!.id);
    await owner.locator('[data-testid="person-item"]', { hasText: 'Lena Park' }).click();
    await owner.fill('[data-testid="person-department"]', 'Group IT');
    await owner.press('[data-testid="person-department"]', 'Tab');
    await editor.waitForFunction(
      (pid) => (globalThis as unknown as G).__powermap!.store.getState().doc!.people.find((p) => p.id === pid)?.department === 'Group IT',
      id,
    );
    const r = await editor.evaluate(
      async ({ map, pid, rev }) => {
        const s = (await (await fetch('/auth/session')).json()) as { value: { csrf: string } };
        const res = await fetch('/api/person.update', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-powermap-csrf': s.value.csrf, 'x-powermap-map': map, 'x-powermap-rev': String(rev), 'x-powermap-op': 'stale-write-0001' },
          body: JSON.stringify({ id: pid, patch: { department: 'Digital Channels' } }),
        });
        return res.status;
      },
      { map: mapId, pid: id, rev: seen },
    );
    expect(r).toBe(200);
    await owner.waitForSelector('[data-testid="notice"][data-key="team.replaced"]', { timeout: 5000 });
    expect(await owner.textContent('[data-testid="notice"]')).toContain('Bo Chen replaced your value of department (Lena Park): “Group IT” → “Digital Channels”.');
    await owner.waitForFunction(
      (pid) => (globalThis as unknown as G).__powermap!.store.getState().doc!.people.find((p) => p.id === pid)?.department === 'Digital Channels',
      id,
    );

    // The values are said as the reader says them: attitude words, not stored codes.
    const seen2 = await editor.evaluate(() => (globalThis as unknown as G).__powermapTeam!.client.seenRev);
    await owner.click('[data-testid="person-attitude"] [data-value="supporter"]');
    await editor.waitForFunction(
      (pid) => (globalThis as unknown as G).__powermap!.store.getState().doc!.people.find((p) => p.id === pid)?.attitude === 'supporter',
      id,
    );
    const r2 = await editor.evaluate(
      async ({ map, pid, rev }) => {
        const s = (await (await fetch('/auth/session')).json()) as { value: { csrf: string } };
        const res = await fetch('/api/person.update', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-powermap-csrf': s.value.csrf, 'x-powermap-map': map, 'x-powermap-rev': String(rev), 'x-powermap-op': 'stale-write-0002' },
          body: JSON.stringify({ id: pid, patch: { attitude: 'opponent' } }),
        });
        return res.status;
      },
      { map: mapId, pid: id, rev: seen2 },
    );
    expect(r2).toBe(200);
    await owner.waitForFunction(() => document.querySelector('[data-testid="notice"][data-key="team.replaced"]')?.textContent?.includes('attitude'), null, { timeout: 5000 });
    expect(await owner.textContent('[data-testid="notice"]')).toContain('Bo Chen replaced your value of attitude (Lena Park): “Supporter” → “Opponent”.');
  });

  it('a viewer sees a read-only map and a raw edit of theirs is refused', async () => {
    const { page: viewer } = await signedIn(b.url, USERS.cara, 'zh-CN');
    // In Chinese, no English but the map's own words (names, titles, emails).
    const own = async () => [
      'Harbour Bank — core banking renewal',
      ...Object.values(USERS).flatMap((u) => [u.name, u.email]),
      'Group IT', // Lena Park's department before the last write
      'AL', // presence initials of Ann Lindqvist and Bo Chen
      'BC',
      ...(await viewer.evaluate(() => ((globalThis as unknown as G).__powermap?.store.getState().doc?.people ?? []).flatMap((p) => [p.name, p.title, p.department]))),
    ];
    await viewer.locator('[data-testid="team-map-row"]').waitFor();
    expect(latinWords(await viewer.innerText('body'), await own()), 'map list').toEqual([]);
    await viewer.screenshot({ path: path.join(OUT, 'team-maps-zh-CN.png') });
    await viewer.locator('[data-testid="open-team-map"]', { hasText: 'Harbour Bank' }).click();
    await viewer.waitForSelector('[data-testid="workspace"]');
    expect(await viewer.textContent('[data-testid="view-only"]')).toBe('您可以查看这张地图。只有所有者和编辑者可以修改。');
    expect(latinWords(await viewer.innerText('body'), await own()), 'workspace').toEqual([]);
    await viewer.click('[data-testid="tab-time"]');
    await viewer.waitForFunction(() => document.querySelectorAll('[data-testid="team-step"]').length >= 3);
    await viewer.locator('[data-testid="team-step"] .step-head').first().click();
    await viewer.waitForSelector('.step-diff');
    expect(latinWords(await viewer.innerText('[data-testid="team-history"]'), await own()), 'who changed what').toEqual([]);
    await viewer.click('[data-testid="tab-inspector"]');
    expect(await viewer.locator('[data-testid="quick-add"]').count()).toBe(0);
    expect(await viewer.locator('[data-testid="undo"]').count()).toBe(0);
    expect(await viewer.locator('[data-testid="share-button"]').count()).toBe(0);
    expect(await viewer.evaluate(() => (globalThis as unknown as G).__powermap!.cy.autoungrabify())).toBe(true);
    await presenceCount(owner, 3);
    // The server refuses anyway: the same request the page would send, with its session.
    const refused = await viewer.evaluate(async (map) => {
      const s = (await (await fetch('/auth/session')).json()) as { value: { csrf: string } };
      const r = await fetch('/api/person.create', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-powermap-csrf': s.value.csrf, 'x-powermap-map': map, 'x-powermap-op': 'viewer-raw-edit-1' },
        body: JSON.stringify({ name: 'Not allowed' }),
      });
      return { status: r.status, body: await r.json() };
    }, mapId);
    expect(refused).toMatchObject({ status: 403, body: { ok: false, error: { code: 'FORBIDDEN' } } });
    await viewer.context().close();
    await presenceCount(owner, 2);
  });

  it('an answer lost on the way is retried once with its operation id; the editor’s instance is killed: the page carries on through the other one and no acknowledged edit is lost', async () => {
    // An edit whose answer is lost on the way back: sent once more with the same operation id,
    // and applied once.
    proxy.target.cut = 'POST /api/person.create';
    await quickAdd(editor, 'Rosa Lind, Data Protection Officer, Legal');
    acknowledged.push('Rosa Lind');
    expect(proxy.target.cut).toBeNull(); // the cut happened
    expect(await editor.evaluate(() => (globalThis as unknown as G).__powermapTeam!.client.retries)).toBe(1);

    const before = await editor.evaluate(() => (globalThis as unknown as G).__powermapTeam!.client.seenRev);
    await a.kill();
    proxy.target.port = Number(new URL(b.url).port);
    // The stream broke; the page opens it again (now on B) from the revision it had.
    await editor.waitForFunction(() => (globalThis as unknown as G).__powermapTeam!.state.getState().live === 'live', undefined, { timeout: 20_000 });
    expect(await editor.evaluate(() => (globalThis as unknown as G).__powermapTeam!.client.seenRev)).toBeGreaterThanOrEqual(before);
    // An edit made while the editor was away reaches him on reconnection (or live, on B).
    await quickAdd(owner, 'Olga Berg, Enterprise Architect, IT');
    acknowledged.push('Olga Berg');
    await hasPerson(editor, 'Olga Berg', 10_000);
    // His next edit is acknowledged and reaches the owner.
    await Promise.all([hasPerson(owner, 'Pavel Novak', 5000), quickAdd(editor, 'Pavel Novak, Security Lead, IT')]);
    acknowledged.push('Pavel Novak');
    expect(await editor.locator('[data-testid="error"]').count()).toBe(0);

    // Through the API: every acknowledged edit is there, once.
    const ann = await signIn(b.url, USERS.ann.email, PW);
    const doc = await call<MapDocument>(b.url, 'map.get', {}, { ...ann, headers: { 'x-powermap-map': mapId } });
    expect(doc.body.ok).toBe(true);
    const names = doc.body.ok ? doc.body.value.people.map((p) => p.name) : [];
    for (const n of acknowledged) expect(names.filter((x) => x === n), n).toHaveLength(1);
    // Both pages hold the same map as the server.
    for (const p of [owner, editor]) expect((await people(p)).map((x) => x.name).sort()).toEqual([...names].sort());
  });

  it('says when the server cannot reach its database, refuses the edit, and edits again once it is back', async () => {
    await pgc.cluster.stop();
    try {
      await owner.fill('[data-testid="quick-add"]', 'Quinn Ahmed, Buyer, Procurement');
      await owner.press('[data-testid="quick-add"]', 'Enter');
      await owner.waitForSelector('[data-testid="db-down"]', { timeout: 15_000 });
      expect(await owner.textContent('[data-testid="db-down"]')).toBe(
        'The server cannot reach its database. Edits are refused until it is back; nothing is kept to be sent later.',
      );
      await owner.waitForSelector('[data-testid="error"]');
      expect(await owner.textContent('[data-testid="error"]')).toContain('cannot reach its database');
      expect((await people(owner)).some((p) => p.name === 'Quinn Ahmed')).toBe(false);
      await owner.screenshot({ path: path.join(OUT, 'team-db-down.png') });
    } finally {
      await pgc.cluster.start();
    }
    await owner.waitForSelector('[data-testid="db-down"]', { state: 'detached', timeout: 20_000 });
    await Promise.all([hasPerson(editor, 'Quinn Ahmed', 10_000), quickAdd(owner, 'Quinn Ahmed, Buyer, Procurement')]);
    const ann = await signIn(b.url, USERS.ann.email, PW);
    const doc = await call<MapDocument>(b.url, 'map.get', {}, { ...ann, headers: { 'x-powermap-map': mapId } });
    const names = doc.body.ok ? doc.body.value.people.map((p) => p.name) : [];
    expect(names.filter((n) => n === 'Quinn Ahmed')).toHaveLength(1); // refused once, applied once
    expect(pageProblems).toEqual([]);
  });
});
