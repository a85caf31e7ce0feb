/**
 * The Electron shell: app lifecycle, one window (and one Session) per map, the single-instance
 * lock, files passed on the command line or by the OS, the menu, and the IPC end of the API.
 * Everything that does not need Electron lives in services/, storage/ and server/; the lock-down is security.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  protocol,
  safeStorage,
  screen,
  session as electronSession,
} from 'electron';
import { API_CHANNEL, EVENT_CHANNEL, type HostEvent, type MenuCommand } from '../../shared/api/bridge';
import { ApiError, type ApiErrorShape } from '../../shared/api/errors';
import { errorMessage, langFromLocale, type Lang } from '../../shared/i18n/errors';
import { Session } from '../../services/session';
import { Settings } from '../../services/settings';
import { openMapFile } from '../../services/map/files';
import type { MapStore } from '../../storage/types';
import { APP_VERSION } from '../../services/version';
import { filesFromAdditionalData, mapFilesFromArgv } from './args';
import { createElectronHost, windowTitle } from './host';
import { createApiHandler } from './ipc';
import { buildMenuTemplate } from './menu';
import { RemoteLink, safeStorageBox } from './remote';
import { developmentUserData, electronPaths, type ElectronPaths } from './paths';
import { ElectronPdfPrinter } from './pdf-printer';
import { isUnsandboxed, unsandboxedText } from './sandbox';
import {
  APP_SCHEME,
  APP_SCHEME_PRIVILEGES,
  appProtocolResponse,
  appUrl,
  createSecureWindow,
  hardenWebContents,
  lockDownSession,
  type HardenOptions,
} from './security';
import { initialBounds, MIN_SIZE, windowToSave } from './window-state';
import { WindowRegistry } from './windows';

/** Must equal appId in electron-builder.yml (Windows taskbar grouping and jump list). */
export const APP_ID = 'app.powermap.desktop';

export interface StartOptions {
  argv?: string[];
  cwd?: string;
  platform?: NodeJS.Platform;
}

export interface Shell {
  /** Resolves once the first windows are open (or the instance handed over and quit). */
  ready: Promise<void>;
  /** False when another instance had the lock: this one forwarded its files and quits. */
  primary: boolean;
  windows: WindowRegistry;
  openFile(file: string): Promise<BrowserWindow | null>;
  newWindow(): BrowserWindow;
  paths(): ElectronPaths;
  /** The team server link (null until ready). */
  remote(): RemoteLink | null;
}

export function startApp(opts: StartOptions = {}): Shell {
  const argv = opts.argv ?? process.argv;
  const cwd = opts.cwd ?? process.cwd();
  const platform = opts.platform ?? process.platform;
  const windows = new WindowRegistry();
  const initialFiles = mapFilesFromArgv(argv, cwd);

  let paths: ElectronPaths | null = null;
  let settings: Settings | null = null;
  let remote: RemoteLink | null = null;
  const need = <T>(v: T | null): T => {
    if (v === null) throw new Error('PowerMap is not ready yet');
    return v;
  };

  const inert = (ready: Promise<void>): Shell => ({
    ready,
    primary: false,
    windows,
    openFile: () => Promise.resolve(null),
    newWindow: () => {
      throw new Error('not the primary instance');
    },
    paths: () => need(paths),
    remote: () => null,
  });

  // Never without Chromium's sandbox (sandbox.ts): say so, in the UI language, and quit.
  if (isUnsandboxed(app.commandLine)) {
    return inert(
      app.whenReady().then(() => {
        const t = unsandboxedText(langFromLocale(app.getLocale()));
        dialog.showErrorBox(t.title, t.message);
        app.exit(1);
      }),
    );
  }

  // Development keeps its settings, and with them its single-instance lock (Electron takes it in
  // the userData folder), apart from an installed PowerMap: a dev `npm start` must not hand its
  // files to the installed copy and quit. Before the lock, which reads the folder.
  if (!app.isPackaged) {
    const dir = developmentUserData(app.getPath('appData'), app.getName());
    fs.mkdirSync(dir, { recursive: true });
    app.setPath('userData', dir);
  }

  // A second instance hands its files to the first one and quits.
  const primary = app.requestSingleInstanceLock({ files: initialFiles });
  if (!primary) {
    app.quit();
    return inert(Promise.resolve());
  }

  // Before ready: the app:// scheme, the sandbox for every renderer, the Windows app id.
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { ...APP_SCHEME_PRIVILEGES } }]);
  app.enableSandbox();
  if (platform === 'win32') app.setAppUserModelId(APP_ID);

  const harden: HardenOptions = {};
  const locale = () => settings?.get().language ?? app.getLocale();
  const lang = (): Lang => langFromLocale(locale());

  const pending: string[] = [...initialFiles];
  let isReady = false;

  const refreshMenu = () => {
    const s = settings;
    if (!s) return;
    const template = buildMenuTemplate({
      platform,
      lang: lang(),
      recent: s.recent(),
      dev: !app.isPackaged,
      actions: {
        command: (c) => void menuCommand(c),
        newWindow: () => void newWindow(),
        openRecent: (file) => void openFile(file),
        clearRecent: () => {
          s.update({ recent: [] });
          app.clearRecentDocuments();
          refreshMenu();
        },
        about: () => void about(),
      },
    });
    Menu.setApplicationMenu(Menu.buildFromTemplate(template));
  };

  const focus = (win: BrowserWindow) => {
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
  };

  const focusedMapWindow = () => windows.forWindow(BrowserWindow.getFocusedWindow()) ?? windows.mapWindows().at(-1);

  /** One map window; `store` is an already opened map (or null for the welcome screen). */
  function newWindow(store: MapStore | null = null): BrowserWindow {
    const p = need(paths);
    const s = need(settings);
    const from = focusedMapWindow()?.window;
    const bounds = initialBounds(
      s.get().window,
      screen.getAllDisplays().map((d) => d.workArea),
      from && !from.isDestroyed() ? from.getNormalBounds() : undefined,
    );
    let win: BrowserWindow | null = null;
    const host = createElectronHost({
      window: () => win,
      locale,
      lang,
      documentsDir: p.documentsDir,
      platform,
      onMapOpened: () => refreshMenu(),
    });
    const session = new Session(host, s, { documentsDir: p.documentsDir, resourcesDir: p.resourcesDir }, APP_VERSION);
    host.pdfPrinter = new ElectronPdfPrinter({ createWindow: (size) => newReportWindow(session, size) });

    const w = createSecureWindow({
      x: bounds.x,
      y: bounds.y,
      width: bounds.width,
      height: bounds.height,
      minWidth: MIN_SIZE.width,
      minHeight: MIN_SIZE.height,
      show: false,
      title: windowTitle(store?.location.path ?? null),
      backgroundColor: '#f6f7f9',
      ...(platform === 'linux' ? { icon: p.icon } : {}),
      preload: p.preload,
      devTools: !app.isPackaged,
    });
    win = w;
    const id = w.webContents.id;
    hardenWebContents(w.webContents, harden);
    windows.add(id, { window: w, session, kind: 'map' });
    if (store) {
      session.initialMap = store.location.path;
      void session.setStore(store).catch((e: Error) => console.warn('[powermap] recent list not updated:', e.message));
    }
    if (bounds.maximized) w.maximize();
    w.once('ready-to-show', () => w.show());
    // The title is ours (map name), not the page's <title>.
    w.on('page-title-updated', (e) => e.preventDefault());
    w.on('close', () => {
      try {
        s.update({ window: windowToSave(w.getNormalBounds(), w.isMaximized()) });
      } catch (e) {
        console.warn('[powermap] could not save the window size:', (e as Error).message);
      }
    });
    w.on('closed', () => {
      windows.remove(id);
      remote?.windowClosed(id);
      void session.close().catch((e: Error) => console.warn('[powermap] the map did not close cleanly:', e.message));
      win = null;
    });
    w.loadURL(appUrl('index.html')).catch((e: Error) => console.error('[powermap] the window did not load:', e.message));
    return w;
  }

  /** A hidden, locked-down window that prints one report for `session`, then is destroyed. */
  function newReportWindow(session: Session, size: { width: number; height: number }): BrowserWindow {
    const p = need(paths);
    const w = createSecureWindow({ show: false, width: size.width, height: size.height, preload: p.preload, devTools: false });
    const id = w.webContents.id;
    hardenWebContents(w.webContents, harden);
    windows.add(id, { window: w, session, kind: 'report' });
    w.on('closed', () => windows.remove(id));
    return w;
  }

  async function showError(e: unknown, file?: string): Promise<void> {
    const shape: ApiErrorShape =
      e instanceof ApiError ? e.toJSON() : { code: 'INTERNAL', message: (e as Error)?.message ?? String(e) };
    const params = { ...(file ? { name: path.basename(file) } : {}), ...shape.params };
    const message = errorMessage({ ...shape, params }, lang());
    const parent = BrowserWindow.getFocusedWindow();
    const options: Electron.MessageBoxOptions = { type: 'error', title: 'PowerMap', message, detail: file ?? '', buttons: ['OK'] };
    await (parent ? dialog.showMessageBox(parent, options) : dialog.showMessageBox(options));
  }

  /** Opens a map: focuses its window if open, fills a welcome window, or opens a new one. */
  async function openFile(file: string): Promise<BrowserWindow | null> {
    if (!isReady) {
      pending.push(file);
      return null;
    }
    const abs = path.resolve(cwd, file);
    const open = windows.findByFile(abs);
    if (open) {
      focus(open.window);
      return open.window;
    }
    let store: MapStore;
    try {
      store = await openMapFile(abs);
    } catch (e) {
      await showError(e, abs);
      // The app keeps running: with nothing else open, the welcome screen.
      if (windows.mapWindows().length === 0) newWindow();
      return null;
    }
    const empty = windows.findEmpty();
    if (empty) {
      empty.session.initialMap = store.location.path;
      await empty.session.setStore(store);
      send(empty.window, { type: 'open-file', path: store.location.path });
      focus(empty.window);
      return empty.window;
    }
    return newWindow(store);
  }

  const send = (win: BrowserWindow, event: HostEvent) => {
    if (!win.isDestroyed()) win.webContents.send(EVENT_CHANNEL, event);
  };

  async function menuCommand(command: MenuCommand): Promise<void> {
    const target = focusedMapWindow();
    if (target) {
      send(target.window, { type: 'menu', command });
      return;
    }
    // No window (macOS, all closed): open one; for Open, ask for the file first.
    if (command === 'open-map') {
      const r = await dialog.showOpenDialog({
        properties: ['openFile'],
        defaultPath: need(paths).documentsDir,
        filters: [{ name: 'PowerMap', extensions: ['powermap'] }],
      });
      if (!r.canceled && r.filePaths[0]) await openFile(r.filePaths[0]);
      return;
    }
    newWindow();
  }

  async function about(): Promise<void> {
    const v = process.versions;
    const parent = BrowserWindow.getFocusedWindow();
    const options: Electron.MessageBoxOptions = {
      type: 'info',
      title: 'PowerMap',
      message: `PowerMap ${APP_VERSION}`,
      detail: `Electron ${v.electron ?? '?'} · Chromium ${v.chrome ?? '?'} · Node ${v.node}`,
      buttons: ['OK'],
    };
    await (parent ? dialog.showMessageBox(parent, options) : dialog.showMessageBox(options));
  }

  // Lifecycle.
  app.on('open-file', (event, file) => {
    // macOS: Finder, the Dock or the recent-documents menu; may come before ready.
    event.preventDefault();
    void openFile(file);
  });
  app.on('second-instance', (_event, otherArgv, otherCwd, additionalData) => {
    const files = filesFromAdditionalData(additionalData) ?? mapFilesFromArgv(otherArgv, otherCwd);
    if (!isReady) {
      pending.push(...files);
      return;
    }
    if (files.length) for (const f of files) void openFile(f);
    else {
      const w = focusedMapWindow()?.window;
      if (w) focus(w);
      else newWindow();
    }
  });
  // Catch-all: any webContents Electron makes (devtools included) gets the same guards.
  app.on('web-contents-created', (_event, wc) => hardenWebContents(wc, harden));
  app.on('window-all-closed', () => {
    if (platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (isReady && windows.mapWindows().length === 0) newWindow();
  });
  app.on('will-quit', () => {
    for (const s of windows.sessions()) s.close();
  });

  const ready = app.whenReady().then(async () => {
    paths = electronPaths({
      isPackaged: app.isPackaged,
      appPath: app.getAppPath(),
      resourcesPath: process.resourcesPath,
      documents: app.getPath('documents'),
      userData: app.getPath('userData'),
    });
    settings = new Settings(paths.configDir);
    const rendererDir = paths.rendererDir;
    lockDownSession(electronSession.defaultSession);
    protocol.handle(APP_SCHEME, (request) => appProtocolResponse(rendererDir, request));
    const link = new RemoteLink({
      settings,
      box: safeStorageBox(safeStorage),
      sessionOf: (id) => windows.lookup(id)?.session,
      send: (id, event) => {
        const entry = windows.lookup(id);
        if (!entry || entry.window.isDestroyed()) return false;
        entry.window.webContents.send(EVENT_CHANNEL, event);
        return true;
      },
    });
    remote = link;
    ipcMain.handle(
      API_CHANNEL,
      createApiHandler(windows, undefined, (id, method, payload) => link.handle(id, method, payload)),
    );
    refreshMenu();
    isReady = true;
    for (const f of pending.splice(0)) await openFile(f);
    if (windows.mapWindows().length === 0) newWindow();
  });

  return { ready, primary, windows, openFile, newWindow: () => newWindow(), paths: () => need(paths), remote: () => remote };
}
