/**
 * The Electron shell's lifecycle (electron/main/app.ts) with the electron module mocked and real
 * .powermap files on disk: single-instance hand-over, files from the command line and the OS,
 * one locked-down window and Session per map, IPC, menu commands, the PDF window, window size,
 * and bad files answered with a translated dialog while the app keeps running.
 */
import Database from 'better-sqlite3';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { API_CHANNEL, EVENT_CHANNEL } from '../../shared/api/bridge';
import * as fake from '../helpers/electron-mock';
import { expectLockedDown } from '../helpers/electron-mock';
import { sha256, useTmpDir } from '../helpers/tmp';

vi.mock('electron', () => import('../helpers/electron-mock'));

const { startApp, APP_ID } = await import('../../electron/main/app');
const { createMapFile, openMapFile } = await import('../../services/map/files');
const { people } = await import('../../services/map/read');
const { createPerson } = await import('../../services/map/rules');

const tmp = useTmpDir();
const REPO = path.resolve(__dirname, '..', '..');

interface Env {
  dir: string;
  docs: string;
  userData: string;
  appPath: string;
}

let env: Env;
beforeEach(() => {
  const dir = tmp();
  // Not packaged, the shell keeps its settings in <appData>/PowerMap-dev; appData is `dir` here.
  env = { dir, docs: path.join(dir, 'Documents'), userData: path.join(dir, 'PowerMap-dev'), appPath: path.join(dir, 'app') };
  fs.mkdirSync(env.docs, { recursive: true });
  fs.mkdirSync(path.join(env.appPath, 'dist', 'renderer'), { recursive: true });
  fs.writeFileSync(path.join(env.appPath, 'dist', 'renderer', 'index.html'), '<!doctype html><title>PowerMap</title>');
  fs.symlinkSync(path.join(REPO, 'resources'), path.join(env.appPath, 'resources'));
  fake.reset({ documents: env.docs, userData: path.join(dir, 'PowerMap'), appData: dir, appPath: env.appPath });
});

/** A real map file with people in it. */
async function makeMap(name: string, names: string[] = ['Zhang Wei']): Promise<string> {
  const file = path.join(env.docs, `${name}.powermap`);
  const store = await createMapFile(file, { account: name });
  for (const p of names) await createPerson(store, { name: p });
  await store.close();
  return file;
}

const flush = () => new Promise((r) => setTimeout(r, 10));

async function start(argv: string[] = ['powermap'], platform: NodeJS.Platform = 'linux') {
  const shell = startApp({ argv, cwd: env.dir, platform });
  fake.app.becomeReady();
  await shell.ready;
  await flush(); // a window's map tells the OS (recent documents, represented file) once its details are read
  return shell;
}

const ipc = () => fake.ipcMain.handlers.get(API_CHANNEL) as (e: unknown, m: unknown, p?: unknown) => Promise<{ ok: boolean; value?: unknown; error?: { code: string } }>;
const fromWindow = (w: fake.BrowserWindow) => ({ sender: w.webContents, senderFrame: { url: w.webContents.url, parent: null } });

describe('the Electron shell', () => {
  it('starts locked down: privileged app:// before ready, sandbox, permissions, protocol, IPC, menu, a welcome window', async () => {
    const shell = startApp({ argv: ['powermap'], cwd: env.dir, platform: 'win32' });
    // Before ready.
    expect(shell.primary).toBe(true);
    expect(fake.protocol.privileged).toEqual([{ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) }]);
    expect(fake.app.sandboxEnabled).toBe(true);
    expect(fake.app.appUserModelId).toBe(APP_ID);
    expect(fake.BrowserWindow.all).toHaveLength(0);
    fake.app.becomeReady();
    await shell.ready;

    const ses = fake.session.defaultSession;
    const cb = vi.fn();
    ses.permissionRequestHandler!(...([{}, 'media', cb] as never[]));
    expect(cb).toHaveBeenCalledWith(false);
    expect(ses.permissionCheckHandler!(...([{}, 'clipboard-read'] as never[]))).toBe(false);
    expect(ses.beforeRequest).toBeTypeOf('function');

    const served = await fake.protocol.handlers.get('app')!({ url: 'app://powermap/index.html', method: 'GET' });
    expect(served.status).toBe(200);
    expect(await served.text()).toContain('<title>PowerMap</title>');
    expect(served.headers.get('content-security-policy')).toMatch(/script-src 'self'/);

    expect(fake.ipcMain.handle).toHaveBeenCalledWith(API_CHANNEL, expect.any(Function));
    expect(fake.Menu.current).not.toBeNull();

    const [w] = fake.BrowserWindow.all;
    expect(fake.BrowserWindow.all).toHaveLength(1);
    expectLockedDown(w!.options.webPreferences);
    expect(w!.options.webPreferences!.preload).toBe(path.join(env.appPath, 'dist', 'electron', 'preload.cjs'));
    expect(w!.options.webPreferences!.devTools).toBe(true); // not packaged
    expect(w!.loaded).toEqual(['app://powermap/index.html']);
    expect(w!.webContents.windowOpenHandler).toBeTypeOf('function');
    expect(w!.webContents.fire('will-navigate', { url: 'https://example.com/' }).defaultPrevented).toBe(true);
    expect(w!.title).toBe('PowerMap');
    w!.emit('ready-to-show');
    expect(w!.visible).toBe(true);
    // The welcome window's renderer can reach the API; app.info says electron.
    const info = await ipc()(fromWindow(w!), 'app.info', {});
    expect(info).toMatchObject({ ok: true, value: { host: 'electron', initialMap: null, documentsDir: path.join(env.docs, 'PowerMap') } });
  });

  it('turns off developer tools when packaged', async () => {
    fake.app.isPackaged = true;
    await start();
    expect(fake.BrowserWindow.all[0]!.options.webPreferences!.devTools).toBe(false);
    const ids = (fake.Menu.current ?? []).flatMap((m) => m.submenu ?? []).map((i) => i.role);
    expect(ids).not.toContain('toggleDevTools');
  });

  it('keeps development apart from an installed PowerMap: its own settings folder, so its own single-instance lock', async () => {
    // npm start (not packaged): <appData>/PowerMap-dev, set before the lock is asked for.
    await start();
    expect(fake.app.lockUserData).toBe(path.join(env.dir, 'PowerMap-dev'));
    expect(fake.app.getPath('userData')).toBe(path.join(env.dir, 'PowerMap-dev'));
    fake.BrowserWindow.all[0]!.close();
    expect(fs.existsSync(path.join(env.dir, 'PowerMap-dev', 'settings.json'))).toBe(true);
    // The installed app: Electron's own <appData>/PowerMap, untouched.
    fake.reset({ documents: env.docs, userData: path.join(env.dir, 'PowerMap'), appData: env.dir, appPath: env.appPath });
    fake.app.isPackaged = true;
    await start();
    expect(fake.app.lockUserData).toBe(path.join(env.dir, 'PowerMap'));
    fake.BrowserWindow.all[0]!.close();
    expect(fs.existsSync(path.join(env.dir, 'PowerMap', 'settings.json'))).toBe(true);
  });

  for (const [locale, text] of [
    ['en-US', /started with --no-sandbox[\s\S]*install the PowerMap \.deb package/],
    ['zh-CN', /--no-sandbox[\s\S]*\.deb 安装包/],
  ] as const) {
    it(`will not run without Chromium's sandbox: says why (${locale}) and quits, before taking the lock or opening anything`, async () => {
      fake.app.switches.add('no-sandbox'); // what electron-builder's AppRun adds where user namespaces are blocked
      fake.app.locale = locale;
      const shell = startApp({ argv: ['powermap', '--no-sandbox'], cwd: env.dir, platform: 'linux' });
      expect(shell.primary).toBe(false);
      expect(fake.app.lockUserData).toBeNull();
      expect(fake.app.sandboxEnabled).toBe(false);
      expect(fake.protocol.privileged).toEqual([]);
      fake.app.becomeReady();
      await shell.ready;
      expect(fake.dialog.showErrorBox).toHaveBeenCalledTimes(1);
      const [title, message] = fake.dialog.showErrorBox.mock.calls[0] as [string, string];
      expect(title).toMatch(locale === 'en-US' ? /sandbox/ : /沙箱/);
      expect(message).toMatch(text);
      expect(fake.app.exitCode).toBe(1);
      expect(fake.BrowserWindow.all).toHaveLength(0);
      expect(fake.ipcMain.handlers.size).toBe(0);
    });
  }

  it('opens a map named on the command line in its own window and session', async () => {
    const file = await makeMap('Northbank', ['Li Na', 'Zhou Min']);
    const shell = await start(['powermap', path.relative(env.dir, file)]);
    expect(fake.app.lockData).toEqual({ files: [file] });
    const [w] = fake.BrowserWindow.all;
    expect(w!.title).toBe('Northbank — PowerMap');
    expect(fake.app.recentDocuments).toEqual([file]);
    const entry = shell.windows.forWindow(w as never)!;
    expect(entry.session.store?.location.path).toBe(file);
    expect(entry.session.initialMap).toBe(file);
    const doc = await ipc()(fromWindow(w!), 'map.get', {});
    expect(doc.ok).toBe(true);
    expect((doc.value as { people: { name: string }[] }).people.map((p) => p.name).sort()).toEqual(['Li Na', 'Zhou Min']);
    // An edit through IPC lands in the file.
    expect((await ipc()(fromWindow(w!), 'person.create', { name: 'Sun Hao' })).ok).toBe(true);
    // The page cannot change the title; recent maps show in the menu.
    const ev = { defaultPrevented: false, preventDefault() { ev.defaultPrevented = true; } };
    w!.emit('page-title-updated', ev, 'Something else');
    expect(ev.defaultPrevented).toBe(true);
    const recent = fake.Menu.current!.flatMap((m) => m.submenu ?? []).find((i) => i.id === 'open-recent')!;
    expect(recent.submenu![0]!.label).toBe('Northbank');
    // Closing the window closes the map (its lock is released) and remembers the size.
    w!.bounds = { x: 40, y: 30, width: 1500, height: 950 };
    w!.close();
    fake.app.emit('window-all-closed');
    expect(shell.windows.mapWindows()).toHaveLength(0);
    await flush(); // the map closes asynchronously, after the window
    const again = await openMapFile(file);
    expect((await people(again)).map((p) => p.name).sort()).toEqual(['Li Na', 'Sun Hao', 'Zhou Min']);
    await again.close();
    const settings = JSON.parse(fs.readFileSync(path.join(env.userData, 'settings.json'), 'utf8'));
    expect(settings.window).toEqual({ x: 40, y: 30, width: 1500, height: 950, maximized: false });
    expect(fake.app.quitCalled).toBe(1); // Linux: last window closed
  });

  it('restores the remembered window size on the next start', async () => {
    fs.mkdirSync(env.userData, { recursive: true });
    fs.writeFileSync(path.join(env.userData, 'settings.json'), JSON.stringify({ window: { x: 60, y: 40, width: 1300, height: 860, maximized: true } }));
    await start();
    const [w] = fake.BrowserWindow.all;
    expect(w!.options).toMatchObject({ x: 60, y: 40, width: 1300, height: 860 });
    expect(w!.maximized).toBe(true);
  });

  it('quits a second instance after handing its files to the first', async () => {
    fake.app.gotLock = false;
    const file = await makeMap('Second');
    const shell = startApp({ argv: ['powermap', file], cwd: env.dir, platform: 'linux' });
    expect(shell.primary).toBe(false);
    expect(fake.app.lockData).toEqual({ files: [file] });
    expect(fake.app.quitCalled).toBe(1);
    fake.app.becomeReady();
    await shell.ready;
    expect(fake.BrowserWindow.all).toHaveLength(0);
    expect(fake.ipcMain.handle).not.toHaveBeenCalled();
  });

  it('opens what a second instance forwards: into the welcome window, then in new windows', async () => {
    const a = await makeMap('Alpha');
    const b = await makeMap('Beta');
    const shell = await start();
    const [welcome] = fake.BrowserWindow.all;
    fake.app.emit('second-instance', {}, ['powermap', a], env.dir, { files: [a] });
    await flush();
    // The empty welcome window took the map and was told to show it.
    expect(fake.BrowserWindow.all).toHaveLength(1);
    expect(welcome!.webContents.sent).toContainEqual({ channel: EVENT_CHANNEL, args: [{ type: 'open-file', path: a }] });
    expect(shell.windows.forWindow(welcome as never)!.session.store?.location.path).toBe(a);
    expect(welcome!.title).toBe('Alpha — PowerMap');
    // The next file gets its own window (argv used when additionalData is missing or malformed).
    fake.app.emit('second-instance', {}, ['powermap', 'Beta.powermap'], env.docs, { files: 'nope' });
    await flush();
    expect(shell.windows.mapWindows().map((e) => e.session.store?.location.path)).toEqual([a, b]);
    // The same file again only focuses its window.
    fake.BrowserWindow.focused = null;
    fake.app.emit('second-instance', {}, ['powermap'], env.dir, { files: [a] });
    await flush();
    expect(shell.windows.mapWindows()).toHaveLength(2);
    expect(fake.BrowserWindow.getFocusedWindow()).toBe(welcome);
    // A second launch without files focuses a window.
    fake.app.emit('second-instance', {}, ['powermap'], env.dir, { files: [] });
    await flush();
    expect(shell.windows.mapWindows()).toHaveLength(2);
  });

  it('opens files the OS sends (macOS open-file), also before ready, and stays alive without windows on macOS', async () => {
    const file = await makeMap('Gamma');
    const shell = startApp({ argv: ['PowerMap'], cwd: env.dir, platform: 'darwin' });
    const early = { defaultPrevented: false, preventDefault() { early.defaultPrevented = true; } };
    fake.app.emit('open-file', early, file);
    expect(early.defaultPrevented).toBe(true);
    fake.app.becomeReady();
    await shell.ready;
    await flush();
    expect(shell.windows.mapWindows().map((e) => e.session.store?.location.path)).toEqual([file]);
    const w = fake.BrowserWindow.all[0]!;
    expect(w.representedFilename).toBe(file);
    w.close();
    fake.app.emit('window-all-closed');
    expect(fake.app.quitCalled).toBe(0);
    fake.app.emit('activate');
    expect(shell.windows.mapWindows()).toHaveLength(1);
  });

  describe('bad files', () => {
    const cases: [string, (f: string) => void, RegExp, RegExp][] = [
      ['random bytes', (f) => fs.writeFileSync(f, crypto.randomBytes(4096)), /is not a PowerMap map/, /不是 PowerMap 地图文件/],
      ['an empty file', (f) => fs.writeFileSync(f, ''), /is not a PowerMap map/, /不是 PowerMap 地图文件/],
      [
        'a foreign SQLite database',
        (f) => {
          const db = new Database(f);
          db.exec('CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL); INSERT INTO invoices VALUES (1, 9.5)');
          db.close();
        },
        /is not a PowerMap map/,
        /不是 PowerMap 地图文件/,
      ],
      ['a path that does not exist', () => undefined, /was not found/, /找不到文件/],
    ];
    for (const [what, make, en, zh] of cases) {
      it(`answers ${what} with a translated dialog, leaves it unchanged, and keeps running`, async () => {
        for (const locale of ['en-US', 'zh-CN']) {
          const file = path.join(env.docs, `bad-${locale}.powermap`);
          make(file);
          const before = fs.existsSync(file) ? sha256(file) : null;
          fake.reset({ documents: env.docs, userData: path.join(env.userData, locale), appPath: env.appPath });
          fake.app.locale = locale;
          const shell = await start(['powermap', file]);
          expect(fake.dialog.showMessageBox).toHaveBeenCalledTimes(1);
          const opts = fake.dialog.showMessageBox.mock.calls[0]!.at(-1) as { type: string; message: string; detail: string };
          expect(opts.type).toBe('error');
          expect(opts.message).toMatch(locale === 'zh-CN' ? zh : en);
          expect(opts.message).toContain(path.basename(file));
          expect(opts.detail).toBe(file);
          // Still running, on the welcome screen.
          expect(fake.app.quitCalled).toBe(0);
          expect(shell.windows.mapWindows()).toHaveLength(1);
          expect(shell.windows.mapWindows()[0]!.session.store).toBeNull();
          expect(fs.existsSync(file) ? sha256(file) : null).toBe(before);
          expect(fs.existsSync(`${file}-wal`)).toBe(false);
        }
      });
    }

    it('reports a map already open elsewhere (LOCKED) without touching it', async () => {
      const file = await makeMap('Busy');
      const holder = await openMapFile(file);
      try {
        const before = sha256(file);
        await start(['powermap', file]);
        const opts = fake.dialog.showMessageBox.mock.calls[0]!.at(-1) as { message: string };
        expect(opts.message).toMatch(/already open in another PowerMap window or program/);
        expect(sha256(file)).toBe(before);
      } finally {
        await holder.close();
      }
    });
  });

  it('sends menu commands to the focused map window; with none, Open asks for a file', async () => {
    const file = await makeMap('Delta');
    const shell = await start(['powermap'], 'darwin');
    const [w] = fake.BrowserWindow.all;
    w!.focus();
    const item = (id: string) => fake.Menu.current!.flatMap((m) => m.submenu ?? []).find((i) => i.id === id)!;
    item('undo').click!();
    item('new-person').click!();
    expect(w!.webContents.sent.map((s) => s.args[0])).toEqual([
      { type: 'menu', command: 'undo' },
      { type: 'menu', command: 'new-person' },
    ]);
    expect(w!.webContents.sent.every((s) => s.channel === EVENT_CHANNEL)).toBe(true);
    w!.close();
    fake.dialog.showOpenDialog.mockResolvedValueOnce({ canceled: false, filePaths: [file] });
    item('open-map').click!();
    await flush();
    const [opts] = fake.dialog.showOpenDialog.mock.calls[0]! as [{ filters: { extensions: string[] }[] }];
    expect(opts.filters[0]!.extensions).toEqual(['powermap']);
    expect(shell.windows.mapWindows().map((e) => e.session.store?.location.path)).toEqual([file]);
    // New Window opens a welcome window, cascaded from the focused one.
    const first = shell.windows.mapWindows()[0]!.window as unknown as fake.BrowserWindow;
    first.focus();
    item('new-window').click!();
    const second = fake.BrowserWindow.all.at(-1)!;
    expect(second.options.x).toBe(first.bounds.x + 28);
    expect(shell.windows.mapWindows()).toHaveLength(2);
  });

  it('prints PDFs in a hidden locked-down window that may only read its session', async () => {
    const file = await makeMap('Epsilon', ['Guo Qiang']);
    const shell = await start(['powermap', file]);
    const entry = shell.windows.mapWindows()[0]!;
    const printer = entry.session.host.pdfPrinter!;
    expect(printer).toBeDefined();
    const seen: unknown[] = [];
    fake.app.on('web-contents-created', (_e: unknown, wc: fake.FakeWebContents) => {
      // The report view reads its data over IPC, then says it is ready.
      wc.jsAnswers = [''];
      setTimeout(async () => {
        const report = fake.BrowserWindow.fromWebContents(wc)!;
        seen.push(await ipc()(fromWindow(report), 'map.get', {}));
        seen.push(await ipc()(fromWindow(report), 'person.delete', { id: 'x' }));
        wc.jsAnswers = ['1'];
      }, 0);
    });
    const pdfPromise = printer.printToPdf('report.html#mode=report', { pageSize: 'A4', landscape: true });
    const report = fake.BrowserWindow.all.at(-1)!;
    expect(report.options.show).toBe(false);
    expectLockedDown(report.options.webPreferences);
    expect(report.options.webPreferences!.devTools).toBe(false);
    expect(report.webContents.windowOpenHandler).toBeTypeOf('function');
    expect(shell.windows.lookup(report.webContents.id)?.kind).toBe('report');
    await flush();
    const pdf = await pdfPromise;
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(report.webContents.pdfCalls).toEqual([expect.objectContaining({ landscape: true, pageSize: 'A4', printBackground: true, generateTaggedPDF: true, generateDocumentOutline: true })]);
    expect(report.isDestroyed()).toBe(true);
    expect(shell.windows.lookup(report.webContents.id)).toBeUndefined();
    expect(seen[0], JSON.stringify(seen[0])).toMatchObject({ ok: true });
    expect(seen[1]).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', params: { reason: 'not-allowed-for-report' } } });
    // The map window is untouched and still the only map window.
    expect(shell.windows.mapWindows()).toHaveLength(1);
  });

  it('hardens every other webContents Electron makes (catch-all)', async () => {
    await start();
    const stray = new fake.FakeWebContents();
    fake.app.emit('web-contents-created', {}, stray);
    expect(stray.windowOpenHandler).toBeTypeOf('function');
    expect(stray.fire('will-navigate', { url: 'https://example.com/' }).defaultPrevented).toBe(true);
    expect(stray.fire('will-attach-webview').defaultPrevented).toBe(true);
    // And it has no API access.
    const r = await ipc()({ sender: stray, senderFrame: { url: 'app://powermap/index.html', parent: null } }, 'app.info', {});
    expect(r).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
  });
});
