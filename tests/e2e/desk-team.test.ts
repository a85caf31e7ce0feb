// The desktop app's team screens in Chromium (issue 19): the built renderer with a stand-in for the
// Electron preload (window.powermap = { invoke, onEvent }) whose calls reach, in this process, the
// same main-side code the shell runs — the IPC sender check, RemoteLink (electron/main/remote.ts)
// and the dispatcher — against a real team server on PostgreSQL. The page connects (http to a
// non-loopback host refused, said in words), signs in, lists the maps shared with the user, opens
// one (the same workspace; another user's edit arrives live; presence), edits it, and never holds
// the token (not in the DOM, storage or any answer it got). The electron binary does not exist
// here; everything but Electron's own objects is the real code.
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { HostEvent } from '../../shared/api/bridge';
import type { MapDocument } from '../../shared/domain';
import type { TeamMapInfo } from '../../shared/api/team';
import { addUser } from '../../server/team/accounts';
import { dialogLessHost } from '../../server/web/host';
import { startWebServer, type WebServer } from '../../server/web/server';
import { Session } from '../../services/session';
import { Settings } from '../../services/settings';
import { closeBrowser, getBrowser, makeTmpDir, REPO } from '../helpers/browser';
import { createTestDatabase, sharedPgUrl, type TestDatabase } from '../helpers/pg';
import { call, signIn, startTeamInProcess, type InProcessServer } from '../helpers/team';

// ipc.ts's sender check imports the lock-down module, which imports electron: the stand-in.
vi.mock('electron', () => import('../helpers/electron-mock'));
const { createApiHandler } = await import('../../electron/main/ipc');
const { RemoteLink } = await import('../../electron/main/remote');
type SecretBox = import('../../electron/main/remote').SecretBox;

const PW = 'Desk-team-browser-password-19';
let db: TestDatabase;
let team: InProcessServer;
let web: WebServer;
let page: Page;
let link: InstanceType<typeof RemoteLink>;
const answers: string[] = [];
const problems: string[] = [];

/** A keychain stand-in (reversible, marked). */
const box: SecretBox = { available: () => true, seal: (s) => `sealed:${Buffer.from(s).toString('base64')}`, open: (b) => Buffer.from(b.slice(7), 'base64').toString() };

beforeAll(async () => {
  db = await createTestDatabase(await sharedPgUrl());
  team = await startTeamInProcess(db.url);
  await addUser(team.pool, { email: 'ann@example.invalid', name: 'Ann Lindqvist', password: PW });
  await addUser(team.pool, { email: 'bo@example.invalid', name: 'Bo Chen', password: PW });
  const bo = await signIn(team.url, 'bo@example.invalid', PW);
  const map = (await call<TeamMapInfo>(team.url, 'maps.create', { name: 'Harbour Bank — core banking', meta: { account: 'Harbour Bank', deal: 'Core banking' } }, bo)).body;
  if (!map.ok) throw new Error('no map');
  await call(team.url, 'person.create', { name: 'Lena Fictus', title: 'CFO' }, { ...bo, headers: { 'x-powermap-map': map.value.id } });
  await call(team.url, 'maps.share', { id: map.value.id, email: 'ann@example.invalid', role: 'editor' }, bo);

  const dir = makeTmpDir();
  const session = new Session(dialogLessHost('en-US'), new Settings(path.join(dir, 'config')), { documentsDir: path.join(dir, 'docs'), resourcesDir: path.join(REPO, 'resources') }, 'test');
  // The page is served by the browser build's static server only; its calls go through the bridge.
  web = await startWebServer({ session, staticDir: path.join(REPO, 'dist', 'renderer') });
  const context = await (await getBrowser()).newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US', colorScheme: 'light' });
  page = await context.newPage();
  page.on('pageerror', (e) => problems.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy|Refused to/.test(m.text())) problems.push(m.text());
  });
  const WC = 7;
  const settings = new Settings(path.join(dir, 'shell'));
  link = new RemoteLink({
    settings,
    box,
    sessionOf: () => session,
    send: (_id, event: HostEvent) => {
      void page.evaluate((e) => (window as unknown as { __pmEmit(e: unknown): void }).__pmEmit(e), event).catch(() => undefined);
      return true;
    },
  });
  // The IPC end as the shell wires it: the sender check, then the dispatcher or the link.
  const handler = createApiHandler({ lookup: (id) => (id === WC ? { session, kind: 'map' } : undefined) }, undefined, (id, m, p) => link.handle(id, m, p));
  await page.exposeFunction('__pmInvoke', async (method: string, payload: unknown) => {
    const r = await handler({ sender: { id: WC, isDestroyed: () => false }, senderFrame: { url: 'app://powermap/index.html', parent: null } }, method, payload);
    answers.push(JSON.stringify(r));
    return r;
  });
  await page.addInitScript(() => {
    const listeners = new Set<(e: unknown) => void>();
    const w = window as unknown as { powermap: unknown; __pmEmit(e: unknown): void; __pmInvoke(m: string, p: unknown): Promise<unknown> };
    w.__pmEmit = (e) => listeners.forEach((l) => l(e));
    w.powermap = {
      invoke: (m: string, p: unknown) => w.__pmInvoke(m, p),
      onEvent: (l: (e: unknown) => void) => {
        listeners.add(l);
        return () => listeners.delete(l);
      },
    };
  });
  await page.goto(`http://127.0.0.1:${web.port}/index.html`);
}, 180_000);
afterAll(async () => {
  await page?.context().close();
  await closeBrowser();
  await web?.close();
  await team?.close();
  await db?.drop();
});

describe('the desktop app and a team server, in Chromium', () => {
  it('connects, signs in, lists and opens a shared map with live edits; the token never reaches the page', async () => {
    await page.waitForSelector('[data-testid="welcome-team"]');
    // http to another computer: refused, in words.
    await page.fill('[data-testid="remote-url"]', 'http://team.example.invalid');
    await page.click('[data-testid="remote-connect-button"]');
    expect(await page.textContent('[data-testid="remote-error"]')).toMatch(/https:\/\//);
    await page.fill('[data-testid="remote-url"]', team.url);
    await page.click('[data-testid="remote-connect-button"]');
    await page.waitForSelector('[data-testid="remote-signin"]');
    await page.fill('[data-testid="remote-email"]', 'ann@example.invalid');
    await page.fill('[data-testid="remote-password"]', 'wrong password');
    await page.click('[data-testid="remote-signin-button"]');
    expect(await page.textContent('[data-testid="remote-error"]')).toContain('wrong');
    await page.fill('[data-testid="remote-password"]', PW);
    await page.click('[data-testid="remote-signin-button"]');
    await page.waitForSelector('[data-testid="team-map-row"]');
    const row = await page.textContent('[data-testid="team-map-row"]');
    expect(row).toContain('Harbour Bank — core banking');
    expect(row).toContain('Bo Chen');
    expect(row).toContain('Editor');

    await page.click('[data-testid="open-team-map"]');
    await page.waitForSelector('[data-testid="workspace"]');
    const doc = () => page.evaluate(() => (globalThis as unknown as { __powermap: { store: { getState(): { doc: MapDocument } } } }).__powermap.store.getState().doc);
    expect((await doc()).people.map((p) => p.name)).toEqual(['Lena Fictus']);
    await page.waitForFunction(() => (globalThis as unknown as { __powermapTeam: { state: { getState(): { live: string } } } }).__powermapTeam.state.getState().live === 'live');
    // Bo edits the same map on the server: it arrives in this page through the relayed stream.
    const bo = await signIn(team.url, 'bo@example.invalid', PW);
    const mapId = await page.evaluate(() => (globalThis as unknown as { __powermapTeam: { state: { getState(): { map: { id: string } } } } }).__powermapTeam.state.getState().map.id);
    await call(team.url, 'person.create', { name: 'Marek Fictus', title: 'COO' }, { ...bo, headers: { 'x-powermap-map': mapId } });
    await page.waitForFunction(() => (globalThis as unknown as { __powermap: { store: { getState(): { doc: MapDocument } } } }).__powermap.store.getState().doc.people.some((p) => p.name === 'Marek Fictus'), undefined, { timeout: 5000 });
    // Ann's own edit goes to the server through the main side.
    await page.fill('[data-testid="quick-add"]', 'Nora Fictus, Head of IT');
    await page.press('[data-testid="quick-add"]', 'Enter');
    await page.waitForFunction(() => (globalThis as unknown as { __powermap: { store: { getState(): { doc: MapDocument } } } }).__powermap.store.getState().doc.people.some((p) => p.name === 'Nora Fictus'));
    const server = await call<MapDocument>(team.url, 'map.get', {}, { ...bo, headers: { 'x-powermap-map': mapId } });
    expect(server.body.ok && server.body.value.people.map((p) => p.name).sort()).toEqual(['Lena Fictus', 'Marek Fictus', 'Nora Fictus']);
    await page.waitForSelector('[data-testid="presence-user"]');

    // The token: in no answer the page got, not in its DOM or storage.
    const token = (link as unknown as { token: string }).token;
    expect(token).toMatch(/^pmat_/);
    for (const a of answers) expect(a).not.toContain(token);
    const inPage = await page.evaluate(() => document.documentElement.outerHTML + JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
    expect(inPage).not.toContain(token);
    expect(problems).toEqual([]);
  }, 120_000);

  it('an ended session: the sign-in dialog, and the edit that was on its way is applied once after it', async () => {
    const mapId = await page.evaluate(() => (globalThis as unknown as { __powermapTeam: { state: { getState(): { map: { id: string } } } } }).__powermapTeam.state.getState().map.id);
    // The app's token is revoked on the server (an admin, another device, its expiry).
    const ann = await signIn(team.url, 'ann@example.invalid', PW);
    const tokens = (await call<{ id: string; revokedAt: string | null }[]>(team.url, 'tokens.list', {}, ann)).body;
    for (const t of tokens.ok ? tokens.value.filter((x) => !x.revokedAt) : []) await call(team.url, 'tokens.revoke', { id: t.id }, ann);
    await page.fill('[data-testid="quick-add"]', 'Olav Fictus, Procurement lead');
    await page.press('[data-testid="quick-add"]', 'Enter');
    await page.waitForSelector('[data-testid="signin-dialog"]');
    await page.fill('[data-testid="signin-dialog"] [data-testid="remote-password"]', PW);
    await page.click('[data-testid="signin-dialog"] [data-testid="remote-signin-button"]');
    await page.waitForSelector('[data-testid="signin-dialog"]', { state: 'detached' });
    await page.waitForFunction(() => (globalThis as unknown as { __powermap: { store: { getState(): { doc: MapDocument } } } }).__powermap.store.getState().doc.people.some((p) => p.name === 'Olav Fictus'));
    const bo = await signIn(team.url, 'bo@example.invalid', PW);
    const server = await call<MapDocument>(team.url, 'map.get', {}, { ...bo, headers: { 'x-powermap-map': mapId } });
    expect(server.body.ok && server.body.value.people.filter((p) => p.name === 'Olav Fictus')).toHaveLength(1);
    expect(problems).toEqual([]);
  }, 60_000);
});
