/**
 * The desktop app's team transport (electron/main/remote.ts, issue 19) with the electron module
 * mocked and a REAL team server on a real PostgreSQL: the renderer's calls go over the one IPC
 * door (sender-checked) as `remote.*`; the main process signs in, keeps the access token, and
 * proxies calls and the live feed to the configured origin only. The token never reaches the
 * page (no IPC answer, no event, and the settings file only sealed), http to a host that is not
 * this computer is refused with a clear message, an expired (revoked) token asks for a new
 * sign-in, and the edit sent again after it is applied once.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { API_CHANNEL, EVENT_CHANNEL, type HostEvent } from '../../shared/api/bridge';
import { errorMessage } from '../../shared/i18n/errors';
import type { MapDocument } from '../../shared/domain';
import type { TeamMapInfo } from '../../shared/api/team';
import { addUser } from '../../server/team/accounts';
import * as fake from '../helpers/electron-mock';
import { useTestDatabase } from '../helpers/pg';
import { call, signIn, startTeamInProcess, type InProcessServer } from '../helpers/team';
import { useTmpDir } from '../helpers/tmp';

vi.mock('electron', () => import('../helpers/electron-mock'));

const { startApp } = await import('../../electron/main/app');
const { teamServerOrigin } = await import('../../electron/main/remote');

const db = useTestDatabase();
const tmp = useTmpDir();
const REPO = path.resolve(__dirname, '..', '..');
const PW = 'Desk-remote-password-19';
let server: InProcessServer;

beforeAll(async () => {
  server = await startTeamInProcess(db.url);
  await addUser(server.pool, { email: 'ann@example.invalid', name: 'Ann Rep', password: PW });
  await addUser(server.pool, { email: 'bo@example.invalid', name: 'Bo Chen', password: PW });
}, 120_000);
afterAll(async () => {
  await server?.close();
});

let dir: string;
beforeEach(() => {
  dir = tmp();
  const appPath = path.join(dir, 'app');
  fs.mkdirSync(path.join(appPath, 'dist', 'renderer'), { recursive: true });
  fs.writeFileSync(path.join(appPath, 'dist', 'renderer', 'index.html'), '<!doctype html><title>PowerMap</title>');
  fs.symlinkSync(path.join(REPO, 'resources'), path.join(appPath, 'resources'));
  fs.mkdirSync(path.join(dir, 'Documents'));
  fake.reset({ documents: path.join(dir, 'Documents'), userData: path.join(dir, 'PowerMap'), appData: dir, appPath });
});

type Answer = { ok: boolean; value?: unknown; error?: { code: string; message: string; params?: Record<string, string> } };
const flush = () => new Promise((r) => setTimeout(r, 10));

async function start() {
  const shell = startApp({ argv: ['powermap'], cwd: dir, platform: 'linux' });
  fake.app.becomeReady();
  await shell.ready;
  await flush();
  const win = fake.BrowserWindow.all[0]!;
  const handler = fake.ipcMain.handlers.get(API_CHANNEL) as (e: unknown, m: unknown, p?: unknown) => Promise<Answer>;
  const from = (w: fake.BrowserWindow, url = w.webContents.url) => ({ sender: w.webContents, senderFrame: { url, parent: null } });
  const invoke = (m: string, p: unknown = {}, w = win) => handler(from(w), m, p);
  /** Everything the page could ever see: IPC answers and events sent to it. */
  const seen: string[] = [];
  const invokeSeen = async (m: string, p: unknown = {}) => {
    const r = await invoke(m, p);
    seen.push(JSON.stringify(r));
    return r;
  };
  const settingsFile = path.join(dir, 'PowerMap-dev', 'settings.json');
  return { shell, win, handler, from, invoke: invokeSeen, rawInvoke: invoke, seen, settingsFile };
}

const events = (w: fake.BrowserWindow) => w.webContents.sent.filter((s) => s.channel === EVENT_CHANNEL).map((s) => s.args[0] as HostEvent);

async function until<T>(f: () => T | undefined | false, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = f();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('the team server address', () => {
  it('is https, or http to this computer only; anything else is refused with a clear message', () => {
    expect(teamServerOrigin('powermap.example.com')).toBe('https://powermap.example.com');
    expect(teamServerOrigin('https://powermap.example.com/some/page?x=1')).toBe('https://powermap.example.com');
    expect(teamServerOrigin('http://127.0.0.1:8080')).toBe('http://127.0.0.1:8080');
    expect(teamServerOrigin('http://localhost:3000/')).toBe('http://localhost:3000');
    expect(teamServerOrigin('http://[::1]:3000')).toBe('http://[::1]:3000');
    const refused = (u: string) => {
      try {
        teamServerOrigin(u);
      } catch (e) {
        return e as { code: string; params: Record<string, string> };
      }
      throw new Error(`${u} was accepted`);
    };
    for (const u of ['http://powermap.example.com', 'http://10.0.0.5:8080', 'http://127.0.0.1.example.com']) {
      const e = refused(u);
      expect(e.params.reason).toBe('needs_https');
      expect(errorMessage(e as never, 'en-US')).toMatch(/https:\/\/ only/);
      expect(errorMessage(e as never, 'zh-CN')).toContain('加密');
    }
    expect(refused('ftp://x.example').params.reason).toBe('bad_url');
    expect(refused('https://ann:pw@x.example').params.reason).toBe('bad_url');
    expect(refused('https://').params.reason).toBe('bad_url');
  });
});

describe('the desktop transport (electron mocked, a real team server)', () => {
  it('connects, signs in, proxies calls and the live feed, and never lets the token reach the page', async () => {
    const app = await start();
    // No server yet.
    expect(await app.invoke('remote.status')).toEqual({ ok: true, value: { server: null, user: null, keptIn: null } });
    // http to another computer: refused before anything is sent.
    const insecure = await app.invoke('remote.connect', { url: 'http://team.example.invalid' });
    expect(insecure.error?.params?.reason).toBe('needs_https');
    // Something that is not a team server (a closed port): said plainly.
    const nobody = await app.invoke('remote.connect', { url: 'http://127.0.0.1:9' });
    expect(nobody.error?.params?.reason).toBe('unreachable');
    expect((await app.invoke('remote.status')).value).toMatchObject({ server: null });

    const connected = await app.invoke('remote.connect', { url: server.url });
    expect(connected).toEqual({ ok: true, value: { server: new URL(server.url).origin, user: null, keptIn: null } });
    // A wrong password: the server's own answer, in the page's words.
    const wrong = await app.invoke('remote.signIn', { email: 'ann@example.invalid', password: 'not it' });
    expect(wrong.error?.code).toBe('BAD_CREDENTIALS');
    const signedIn = await app.invoke('remote.signIn', { email: 'ann@example.invalid', password: PW });
    expect(signedIn.ok).toBe(true);
    expect(signedIn.value).toMatchObject({ user: { email: 'ann@example.invalid', name: 'Ann Rep' }, keptIn: 'encrypted' });

    // A call the page makes on a team map, proxied with the token.
    const made = await app.invoke('remote.call', { method: 'maps.create', payload: { name: 'Fictional Harbour Logistics' }, op: 'op-create-0001' });
    expect(made.ok).toBe(true);
    const map = made.value as TeamMapInfo;
    expect(map.role).toBe('owner');
    const edit = await app.invoke('remote.call', { method: 'person.create', payload: { name: 'Lena Fictus', title: 'CFO' }, map: map.id, rev: map.rev, op: 'op-person-0001' });
    expect(edit.ok).toBe(true);
    // The same operation id again (a retry): answered from the record, applied once.
    await app.invoke('remote.call', { method: 'person.create', payload: { name: 'Lena Fictus', title: 'CFO' }, map: map.id, rev: map.rev, op: 'op-person-0001' });
    const doc = (await app.invoke('remote.call', { method: 'map.get', payload: {}, map: map.id })).value as MapDocument;
    expect(doc.people.map((p) => p.name)).toEqual(['Lena Fictus']);
    // The page cannot make a token (a secret it could read) through the link.
    const tokenTry = await app.invoke('remote.call', { method: 'tokens.create', payload: { name: 'mine' } });
    expect(tokenTry.error).toMatchObject({ code: 'FORBIDDEN', params: { reason: 'team_tokens' } });
    // A method name that would leave /api/ is refused by the contract.
    expect((await app.invoke('remote.call', { method: '../auth/signin', payload: {} })).error?.code).toBe('BAD_REQUEST');

    // The live feed: another user's edit reaches this window as a HostEvent.
    const bo = await signIn(server.url, 'bo@example.invalid', PW);
    await app.invoke('remote.call', { method: 'maps.share', payload: { id: map.id, email: 'bo@example.invalid', role: 'editor' } });
    const opened = await app.invoke('remote.liveOpen', { map: map.id, since: doc.rev });
    const stream = (opened.value as { stream: string }).stream;
    await until(() => events(app.win).find((e) => e.type === 'live' && e.stream === stream && e.event.type === 'hello'));
    const boEdit = await call(server.url, 'person.create', { name: 'Marek Fictus', title: 'COO' }, { ...bo, headers: { 'x-powermap-map': map.id } });
    expect(boEdit.body.ok).toBe(true);
    const change = await until(() => events(app.win).find((e) => e.type === 'live' && e.event.type === 'change'));
    expect(JSON.stringify(change)).toContain('Marek Fictus');
    for (const e of events(app.win)) app.seen.push(JSON.stringify(e));
    expect(await app.invoke('remote.liveClose', { stream })).toEqual({ ok: true, value: null });
    expect(app.shell.remote()!.liveCount).toBe(0);

    // The token: in no answer and no event the page got; in the settings file only sealed.
    const settings = JSON.parse(fs.readFileSync(app.settingsFile, 'utf8')) as { teamServer: { url: string; token: string } };
    expect(settings.teamServer.url).toBe(new URL(server.url).origin);
    const sealed = Buffer.from(settings.teamServer.token, 'base64').toString();
    expect(sealed.startsWith('sealed:')).toBe(true);
    const token = fake.safeStorage.decryptString(Buffer.from(settings.teamServer.token, 'base64'));
    expect(token).toMatch(/^pmat_/);
    expect(fs.readFileSync(app.settingsFile, 'utf8')).not.toContain(token);
    expect(fs.readFileSync(app.settingsFile, 'utf8')).not.toContain(PW);
    for (const s of app.seen) {
      expect(s).not.toContain(token);
      expect(s).not.toContain(token.slice(10));
    }
    // The token works for scripts (it is a real one) — and the app's session cookie was ended.
    expect((await call(server.url, 'account.me', {}, { bearer: token })).body.ok).toBe(true);

    // A restart: the address and the sealed sign-in come back (account.me tells who).
    app.win.close();
    fake.reset({ documents: path.join(dir, 'Documents'), userData: path.join(dir, 'PowerMap'), appData: dir, appPath: path.join(dir, 'app') });
    const again = await start();
    expect((await again.invoke('remote.status')).value).toMatchObject({ server: new URL(server.url).origin, user: { email: 'ann@example.invalid' }, keptIn: 'encrypted' });

    // The session ends on the server (the token revoked elsewhere): the next call says
    // UNAUTHENTICATED, the page signs in again and sends the same edit once more — applied once.
    const ann = await signIn(server.url, 'ann@example.invalid', PW);
    const tokens = (await call<{ id: string; hint: string }[]>(server.url, 'tokens.list', {}, ann)).body;
    const mine = tokens.ok ? tokens.value.find((t) => token.endsWith(t.hint)) : undefined;
    expect((await call(server.url, 'tokens.revoke', { id: mine!.id }, ann)).body.ok).toBe(true);
    const inFlight = { method: 'person.create', payload: { name: 'Nora Fictus' }, map: map.id, rev: doc.rev, op: 'op-after-expiry-1' };
    const refused = await again.invoke('remote.call', inFlight);
    expect(refused.error?.code).toBe('UNAUTHENTICATED');
    expect((await again.invoke('remote.status')).value).toMatchObject({ user: null, keptIn: null, server: new URL(server.url).origin });
    expect((await again.invoke('remote.signIn', { email: 'ann@example.invalid', password: PW })).ok).toBe(true);
    expect((await again.invoke('remote.call', inFlight)).ok).toBe(true);
    expect((await again.invoke('remote.call', inFlight)).ok).toBe(true);
    const after = (await again.invoke('remote.call', { method: 'map.get', payload: {}, map: map.id })).value as MapDocument;
    expect(after.people.map((p) => p.name).sort()).toEqual(['Lena Fictus', 'Marek Fictus', 'Nora Fictus']);

    // Signing out revokes the app's token on the server and forgets it here.
    const settings2 = JSON.parse(fs.readFileSync(again.settingsFile, 'utf8')) as { teamServer: { token: string } };
    const token2 = fake.safeStorage.decryptString(Buffer.from(settings2.teamServer.token, 'base64'));
    expect((await again.invoke('remote.signOut', {})).value).toMatchObject({ server: new URL(server.url).origin, user: null });
    expect((await call(server.url, 'account.me', {}, { bearer: token2 })).body).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    expect((JSON.parse(fs.readFileSync(again.settingsFile, 'utf8')) as { teamServer: { token: null } }).teamServer.token).toBeNull();
  }, 60_000);

  it('keeps the sign-in in memory only where there is no real keychain, and refuses foreign senders', async () => {
    fake.safeStorage.backend = 'basic_text'; // Linux without a keyring: Electron's fixed password
    const app = await start();
    await app.invoke('remote.connect', { url: server.url });
    const r = await app.invoke('remote.signIn', { email: 'ann@example.invalid', password: PW });
    expect(r.value).toMatchObject({ keptIn: 'memory' });
    const saved = JSON.parse(fs.readFileSync(app.settingsFile, 'utf8')) as { teamServer: { url: string; token: string | null } };
    expect(saved.teamServer).toEqual({ url: new URL(server.url).origin, token: null });
    expect((await app.invoke('remote.call', { method: 'maps.list', payload: {} })).ok).toBe(true);
    // A frame showing another origin, or a window that is not ours: nothing is sent on.
    const foreign = await app.handler(app.from(app.win, 'https://evil.example/'), 'remote.call', { method: 'maps.list', payload: {} });
    expect(foreign.error).toMatchObject({ code: 'BAD_REQUEST', params: { reason: 'foreign-origin' } });
    const stranger = { sender: { id: 99999, isDestroyed: () => false }, senderFrame: { url: 'app://powermap/index.html', parent: null } };
    expect((await app.handler(stranger, 'remote.status', {})).error?.params?.reason).toBe('unknown-window');
    // The pages' own network stays shut: the session still cancels every http(s) request.
    const cancel = await new Promise<{ cancel: boolean }>((res) =>
      (fake.session.defaultSession.beforeRequest as unknown as (d: { url: string }, cb: (r: { cancel: boolean }) => void) => void)({ url: server.url }, res),
    );
    expect(cancel.cancel).toBe(true);
  }, 60_000);

  it('publishes the window\'s map file, asks before a duplicate, saves an offline copy and sends its changes with the conflict decided', async () => {
    const { createMapFile } = await import('../../services/map/files');
    const { createPerson } = await import('../../services/map/rules');
    const file = path.join(dir, 'Documents', 'Lakeside Foods.powermap');
    const local = await createMapFile(file, { account: 'Lakeside Foods', deal: 'Cold chain' });
    await createPerson(local, { name: 'Petra Fictus', title: 'Head of logistics' });
    await local.close();
    const app = await start();
    await app.invoke('remote.connect', { url: server.url });
    await app.invoke('remote.signIn', { email: 'ann@example.invalid', password: PW });
    await app.shell.openFile(file);
    const win = app.shell.windows.mapWindows()[0]!.window as unknown as fake.BrowserWindow;
    const on = (w: fake.BrowserWindow) => (m: string, p: unknown = {}) => app.handler(app.from(w), m, p);
    const inWin = on(win);
    expect((await inWin('remote.origin')).value).toMatchObject({ team: null });

    const first = await inWin('remote.publish', { name: 'Lakeside Foods — cold chain', opId: 'publish-op-0001' });
    expect(first.value).toMatchObject({ status: 'published', mode: 'new' });
    const mapId = (first.value as { map: { id: string } }).map.id;
    // The same operation again (a retry): the first answer, no second team map.
    expect((await inWin('remote.publish', { name: 'Lakeside Foods — cold chain', opId: 'publish-op-0001' })).value).toMatchObject({ status: 'published', map: { id: mapId } });
    // Publishing again: the duplicate question, nothing done.
    const again = await inWin('remote.publish', { name: 'Lakeside Foods — cold chain', opId: 'publish-op-0002' });
    expect(again.value).toMatchObject({ status: 'duplicate', existing: [{ mapId }] });
    const list = (await inWin('remote.call', { method: 'maps.list', payload: {} })).value as TeamMapInfo[];
    expect(list.filter((m) => m.name.startsWith('Lakeside'))).toHaveLength(1);

    // An offline copy, opened in its own window; edited there while Bo edits the team map.
    const copy = path.join(dir, 'Documents', 'Lakeside offline.powermap');
    const saved = await inWin('remote.saveOffline', { id: mapId, path: copy });
    expect(saved.value).toMatchObject({ path: copy });
    await app.shell.openFile(copy);
    const copyWin = app.shell.windows.findByFile(copy)!.window as unknown as fake.BrowserWindow;
    const inCopy = on(copyWin);
    expect((await inCopy('remote.origin')).value).toMatchObject({ team: { mapId, server: new URL(server.url).origin } });
    const petra = ((await inCopy('map.get')).value as MapDocument).people[0]!;
    expect((await inCopy('person.update', { id: petra.id, patch: { title: 'Logistics director (mine)', department: 'Supply chain' } })).ok).toBe(true);
    const ann = await signIn(server.url, 'ann@example.invalid', PW);
    await call(server.url, 'maps.share', { id: mapId, email: 'bo@example.invalid', role: 'editor' }, ann);
    const bo = await signIn(server.url, 'bo@example.invalid', PW);
    expect((await call(server.url, 'person.update', { id: petra.id, patch: { title: 'COO (theirs)', notes: 'Met at the fictional fair' } }, { ...bo, headers: { 'x-powermap-map': mapId } })).body.ok).toBe(true);

    const sent = await inCopy('remote.send', { opId: 'send-op-00000001' });
    expect(sent.value).toMatchObject({ status: 'conflicts' });
    const conflicts = (sent.value as { conflicts: { id: string; field: string; mine: string; theirs: string }[] }).conflicts;
    expect(conflicts.map((c) => [c.field, c.mine, c.theirs])).toEqual([['title', 'Logistics director (mine)', 'COO (theirs)']]);
    const merged = await inCopy('remote.send', { opId: 'send-op-00000002', decisions: [{ id: conflicts[0]!.id, take: 'mine' }] });
    expect(merged.value).toMatchObject({ status: 'merged' });
    const team = ((await inWin('remote.call', { method: 'map.get', payload: {}, map: mapId })).value as MapDocument).people[0]!;
    // Different fields both kept; the same field as decided; nothing dropped.
    expect([team.title, team.department, team.notes]).toEqual(['Logistics director (mine)', 'Supply chain', 'Met at the fictional fair']);
    const here = ((await inCopy('map.get')).value as MapDocument).people[0]!;
    expect([here.title, here.department, here.notes]).toEqual(['Logistics director (mine)', 'Supply chain', 'Met at the fictional fair']);

    // An export of the team map from a window that shows it (no map file open there): made from a
    // fetched private copy, which is gone afterwards; the window's own file list is untouched.
    const teamWin = app.shell.newWindow() as unknown as fake.BrowserWindow;
    teamWin.webContents.url = 'app://powermap/index.html';
    const out = path.join(dir, 'Documents', 'lakeside-team.json');
    const exported = await on(teamWin)('remote.export', { map: mapId, input: { format: 'json', path: out } });
    expect(exported.ok, JSON.stringify(exported)).toBe(true);
    expect(fs.readFileSync(out, 'utf8')).toContain('Logistics director (mine)');
    expect((await on(teamWin)('map.get')).error?.code).toBe('NO_MAP_OPEN');
    expect(fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith('powermap-export-'))).toEqual([]);
    expect((await on(win)('remote.export', { map: mapId, input: { format: 'json', path: out } })).error?.code).toBe('BAD_REQUEST');
  }, 90_000);
});
