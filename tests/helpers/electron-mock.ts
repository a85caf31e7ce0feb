/**
 * A stand-in for the `electron` module (no Electron binary exists on the test machines):
 *   vi.mock('electron', () => import('./electron-mock'));
 * then import this file to drive it (`fake.reset()`, `fake.ready()`, look at windows, dialogs,
 * menus, protocol and IPC handlers). Windows and webContents are EventEmitters that record what
 * the shell did to them; nothing is rendered.
 */
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { expect, vi } from 'vitest';

type Handler = (...args: never[]) => unknown;

// ------------------------------------------------------------------------------------------
// webContents

let nextId = 1;

export class FakeWebContents extends EventEmitter {
  readonly id = nextId++;
  sent: { channel: string; args: unknown[] }[] = [];
  windowOpenHandler: ((details: { url: string; disposition?: string }) => { action: string }) | null = null;
  destroyed = false;
  url = '';
  session = session.defaultSession;
  /** What executeJavaScript answers, call by call (the last one repeats). */
  jsAnswers: unknown[] = ['1'];
  jsCalls: string[] = [];
  pdfCalls: Record<string, unknown>[] = [];
  pdfResult: Buffer = Buffer.from('%PDF-1.7 fake');
  mainFrame = { url: '', parent: null };

  send(channel: string, ...args: unknown[]) {
    this.sent.push({ channel, args });
  }
  setWindowOpenHandler(h: FakeWebContents['windowOpenHandler']) {
    this.windowOpenHandler = h;
  }
  isDestroyed() {
    return this.destroyed;
  }
  getURL() {
    return this.url;
  }
  async executeJavaScript(code: string) {
    this.jsCalls.push(code);
    return this.jsAnswers.length > 1 ? this.jsAnswers.shift() : this.jsAnswers[0];
  }
  async printToPDF(opts: Record<string, unknown>) {
    this.pdfCalls.push(opts);
    return this.pdfResult;
  }
  /** Emits an event the way Electron does: an event object with preventDefault and details. */
  fire(name: string, details: Record<string, unknown> = {}, ...rest: unknown[]) {
    const event = { defaultPrevented: false, preventDefault() { event.defaultPrevented = true; }, ...details };
    this.emit(name, event, ...rest);
    return event;
  }
}

// ------------------------------------------------------------------------------------------
// BrowserWindow

export class BrowserWindow extends EventEmitter {
  static all: BrowserWindow[] = [];
  static focused: BrowserWindow | null = null;
  static getAllWindows() {
    return BrowserWindow.all.filter((w) => !w.destroyed);
  }
  static getFocusedWindow() {
    return BrowserWindow.focused && !BrowserWindow.focused.destroyed ? BrowserWindow.focused : null;
  }
  static fromWebContents(wc: FakeWebContents) {
    return BrowserWindow.all.find((w) => w.webContents === wc) ?? null;
  }

  readonly options: Record<string, unknown> & { webPreferences?: Record<string, unknown> };
  readonly webContents = new FakeWebContents();
  title: string;
  representedFilename = '';
  visible = false;
  destroyed = false;
  maximized = false;
  minimized = false;
  loaded: string[] = [];
  /** Makes loadURL reject (a page that fails to load). */
  failLoad: Error | null = null;
  bounds: { x: number; y: number; width: number; height: number };

  constructor(options: Record<string, unknown> = {}) {
    super();
    this.options = options;
    this.title = String(options.title ?? 'Electron');
    this.bounds = {
      x: (options.x as number) ?? 100,
      y: (options.y as number) ?? 80,
      width: (options.width as number) ?? 800,
      height: (options.height as number) ?? 600,
    };
    BrowserWindow.all.push(this);
    app.emit('web-contents-created', {}, this.webContents);
  }
  async loadURL(url: string) {
    this.loaded.push(url);
    this.webContents.url = url;
    this.webContents.mainFrame.url = url;
    if (this.failLoad) throw this.failLoad;
  }
  show() {
    this.visible = true;
  }
  focus() {
    BrowserWindow.focused = this;
  }
  isDestroyed() {
    return this.destroyed;
  }
  isMinimized() {
    return this.minimized;
  }
  restore() {
    this.minimized = false;
  }
  isMaximized() {
    return this.maximized;
  }
  maximize() {
    this.maximized = true;
  }
  setTitle(t: string) {
    this.title = t;
  }
  getTitle() {
    return this.title;
  }
  setRepresentedFilename(f: string) {
    this.representedFilename = f;
  }
  getNormalBounds() {
    return { ...this.bounds };
  }
  getBounds() {
    return { ...this.bounds };
  }
  /** Closes like a user would: 'close', then 'closed'. */
  close() {
    if (this.destroyed) return;
    this.emit('close', { preventDefault() {} });
    this.destroy();
  }
  destroy() {
    if (this.destroyed) return;
    this.destroyed = true;
    this.webContents.destroyed = true;
    if (BrowserWindow.focused === this) BrowserWindow.focused = null;
    this.emit('closed');
  }
}

// ------------------------------------------------------------------------------------------
// app, session, protocol, ipcMain, dialog, Menu, shell, screen

class FakeApp extends EventEmitter {
  isPackaged = false;
  appPath = '/app';
  paths: Record<string, string> = {};
  locale = 'en-US';
  gotLock = true;
  lockData: unknown = undefined;
  recentDocuments: string[] = [];
  quitCalled = 0;
  sandboxEnabled = false;
  appUserModelId = '';
  /** package.json productName, which Electron prefers to name. */
  name = 'PowerMap';
  /** The userData folder at the moment the single-instance lock was asked for. */
  lockUserData: string | null = null;
  exitCode: number | null = null;
  /** Chromium switches on the command line (app.commandLine). */
  switches = new Set<string>();
  readonly commandLine = { hasSwitch: (name: string) => this.switches.has(name) };
  private readyResolve: (() => void) | null = null;
  private readyPromise = new Promise<void>((r) => (this.readyResolve = r));

  /** Back to a fresh, not yet ready app (one instance: importers hold a reference to it). */
  resetState() {
    this.removeAllListeners();
    this.isPackaged = false;
    this.locale = 'en-US';
    this.gotLock = true;
    this.lockData = undefined;
    this.recentDocuments = [];
    this.quitCalled = 0;
    this.sandboxEnabled = false;
    this.appUserModelId = '';
    this.lockUserData = null;
    this.exitCode = null;
    this.switches = new Set();
    this.readyPromise = new Promise<void>((r) => (this.readyResolve = r));
  }
  whenReady() {
    return this.readyPromise;
  }
  /** Test side: the app becomes ready. */
  becomeReady() {
    this.readyResolve?.();
  }
  requestSingleInstanceLock(data?: unknown) {
    this.lockData = data;
    this.lockUserData = this.paths.userData ?? null;
    return this.gotLock;
  }
  quit() {
    this.quitCalled++;
  }
  getAppPath() {
    return this.appPath;
  }
  getPath(name: string) {
    const p = this.paths[name];
    if (!p) throw new Error(`no path ${name} in the fake app`);
    return p;
  }
  /** Like Electron: the folder must exist. */
  setPath(name: string, p: string) {
    if (!fs.existsSync(p)) throw new Error(`setPath(${name}): ${p} does not exist`);
    this.paths[name] = p;
  }
  getName() {
    return this.name;
  }
  exit(code = 0) {
    this.exitCode = code;
  }
  getLocale() {
    return this.locale;
  }
  addRecentDocument(f: string) {
    this.recentDocuments.push(f);
  }
  clearRecentDocuments() {
    this.recentDocuments = [];
  }
  enableSandbox() {
    this.sandboxEnabled = true;
  }
  setAppUserModelId(id: string) {
    this.appUserModelId = id;
  }
  getVersion() {
    return '0.0.0-test';
  }
}

export const app = new FakeApp();

function makeSession() {
  const s = {
    permissionRequestHandler: null as Handler | null,
    permissionCheckHandler: null as Handler | null,
    devicePermissionHandler: null as Handler | null,
    beforeRequest: null as Handler | null,
    setPermissionRequestHandler(h: Handler) {
      s.permissionRequestHandler = h;
    },
    setPermissionCheckHandler(h: Handler) {
      s.permissionCheckHandler = h;
    },
    setDevicePermissionHandler(h: Handler) {
      s.devicePermissionHandler = h;
    },
    webRequest: {
      onBeforeRequest(h: Handler) {
        s.beforeRequest = h;
      },
    },
  };
  return s;
}

export const session = { defaultSession: makeSession() };

export const protocol = {
  privileged: [] as { scheme: string; privileges: Record<string, boolean> }[],
  handlers: new Map<string, (req: { url: string; method?: string }) => Promise<Response>>(),
  registerSchemesAsPrivileged: vi.fn((schemes: { scheme: string; privileges: Record<string, boolean> }[]) => {
    protocol.privileged.push(...schemes);
  }),
  handle: vi.fn((scheme: string, h: (req: { url: string; method?: string }) => Promise<Response>) => {
    protocol.handlers.set(scheme, h);
  }),
};

export const ipcMain = {
  handlers: new Map<string, Handler>(),
  handle: vi.fn((channel: string, h: Handler) => {
    ipcMain.handlers.set(channel, h);
  }),
  removeHandler: vi.fn((channel: string) => ipcMain.handlers.delete(channel)),
};

export const dialog = {
  showOpenDialog: vi.fn(async (..._args: unknown[]) => ({ canceled: true, filePaths: [] as string[] })),
  showSaveDialog: vi.fn(async (..._args: unknown[]) => ({ canceled: true, filePath: '' })),
  showMessageBox: vi.fn(async (..._args: unknown[]) => ({ response: 0, checkboxChecked: false })),
  showErrorBox: vi.fn(),
};

export interface TemplateItem {
  id?: string;
  label?: string;
  role?: string;
  accelerator?: string;
  registerAccelerator?: boolean;
  enabled?: boolean;
  type?: string;
  click?: (...args: unknown[]) => void;
  submenu?: TemplateItem[];
}

export const Menu = {
  current: null as TemplateItem[] | null,
  buildFromTemplate: vi.fn((template: TemplateItem[]) => ({ template })),
  setApplicationMenu: vi.fn((menu: { template: TemplateItem[] } | null) => {
    Menu.current = menu?.template ?? null;
  }),
};

/** Preload side: what the preload exposes, and a renderer-side IPC that records calls. */
export const contextBridge = {
  exposed: new Map<string, unknown>(),
  exposeInMainWorld: vi.fn((key: string, api: unknown) => {
    contextBridge.exposed.set(key, api);
  }),
};

class FakeIpcRenderer extends EventEmitter {
  invoke = vi.fn(async (..._args: unknown[]) => ({ ok: true, value: null }) as unknown);
}
export const ipcRenderer = new FakeIpcRenderer();

/**
 * safeStorage: a reversible stand-in (not encryption) that marks what it sealed, so a test can
 * tell a sealed token from a plain one in the settings file. `available` switches the keychain off.
 */
export const safeStorage = {
  available: true,
  backend: 'gnome_libsecret',
  isEncryptionAvailable: () => safeStorage.available,
  getSelectedStorageBackend: () => safeStorage.backend,
  encryptString: (s: string) => Buffer.from(`sealed:${Buffer.from(s).reverse().toString('base64')}`),
  decryptString: (b: Buffer) => {
    const t = b.toString();
    if (!t.startsWith('sealed:')) throw new Error('not sealed by this keychain');
    return Buffer.from(t.slice(7), 'base64').reverse().toString();
  },
};

export const shell = { openExternal: vi.fn(async (_url: string) => undefined) };

export const screen = {
  displays: [{ workArea: { x: 0, y: 0, width: 1920, height: 1040 } }],
  getAllDisplays: () => screen.displays,
  getPrimaryDisplay: () => screen.displays[0],
};

/** Fresh state for the next test: a new app, no windows, no handlers, empty call logs. */
export function reset(dirs: { documents: string; userData: string; appPath?: string; appData?: string }): void {
  app.resetState();
  // appData defaults to userData itself, so a development run's folder (<appData>/PowerMap-dev)
  // stays inside the test's folder.
  app.paths = { documents: dirs.documents, userData: dirs.userData, appData: dirs.appData ?? dirs.userData };
  app.appPath = dirs.appPath ?? path.resolve(__dirname, '..', '..');
  BrowserWindow.all = [];
  BrowserWindow.focused = null;
  session.defaultSession = makeSession();
  protocol.privileged = [];
  protocol.handlers.clear();
  ipcMain.handlers.clear();
  Menu.current = null;
  contextBridge.exposed.clear();
  ipcRenderer.removeAllListeners();
  ipcRenderer.invoke.mockClear();
  contextBridge.exposeInMainWorld.mockClear();
  screen.displays = [{ workArea: { x: 0, y: 0, width: 1920, height: 1040 } }];
  safeStorage.available = true;
  safeStorage.backend = 'gnome_libsecret';
  for (const f of [
    protocol.registerSchemesAsPrivileged,
    protocol.handle,
    ipcMain.handle,
    ipcMain.removeHandler,
    dialog.showOpenDialog,
    dialog.showSaveDialog,
    dialog.showMessageBox,
    dialog.showErrorBox,
    Menu.buildFromTemplate,
    Menu.setApplicationMenu,
    shell.openExternal,
  ])
    f.mockClear();
}

/** Asserts the webPreferences every PowerMap window must have. */
export function expectLockedDown(prefs: Record<string, unknown> | undefined): void {
  expect(prefs).toBeDefined();
  expect(prefs).toMatchObject({
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
  });
  expect(prefs!.enableBlinkFeatures).toBeUndefined();
  expect(String(prefs!.disableBlinkFeatures)).toContain('Auxclick');
}

export default { app, BrowserWindow, session, protocol, ipcMain, dialog, Menu, shell, screen, contextBridge, ipcRenderer, safeStorage };
