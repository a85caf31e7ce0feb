/**
 * The Electron lock-down, in one place, applied to every window PowerMap opens (map windows and
 * the hidden window that prints PDFs) and, as a catch-all, to every webContents Electron creates:
 *
 * - webPreferences: context isolation, sandbox, no Node integration, web security on, no
 *   <webview>, no experimental or Blink features, no insecure content;
 * - the app is served from app://powermap/ (a privileged standard scheme, not file://) with
 *   path-traversal protection and the same strict Content-Security-Policy as the browser build;
 * - navigation and new windows denied; only http(s) links the user just clicked go to the
 *   system browser (shell.openExternal), nothing else leaves the app;
 * - every permission request and check denied; no network requests from any page.
 */
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { BrowserWindow, shell, type BrowserWindowConstructorOptions, type Session as ElectronSession, type WebContents } from 'electron';
import { CSP, mimeType } from '../../server/http/static-policy';

export const APP_SCHEME = 'app';
const APP_HOST = 'powermap';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/** The URL of a page of the built renderer, e.g. appUrl('report.html'). */
export const appUrl = (page = 'index.html'): string => `${APP_ORIGIN}/${page.replace(/^\/+/, '')}`;

/**
 * The Content-Security-Policy sent with every page: the one the browser build and the team server
 * send (server/http/static-policy.ts), so what the end-to-end tests exercise in Chromium is what
 * runs in the app. renderer/index.html carries the same policy in a meta tag.
 */
export { CSP };

/** The privileges of app://: a standard, secure origin that can fetch its own files. */
export const APP_SCHEME_PRIVILEGES = {
  standard: true,
  secure: true,
  supportFetchAPI: true,
  codeCache: true,
  // Deliberately not: bypassCSP, corsEnabled (other origins may not read app://), stream,
  // allowServiceWorkers.
} as const;

/** True for URLs of our app (app://powermap/…) and nothing else: no user, port or other host. */
export function isAppUrl(url: unknown): boolean {
  if (typeof url !== 'string') return false;
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST && u.username === '' && u.password === '';
  } catch {
    return false;
  }
}

export interface SecureWindowOptions extends Omit<BrowserWindowConstructorOptions, 'webPreferences'> {
  /** The one narrow bridge (window.powermap); see electron/preload/preload.ts. */
  preload: string;
  /** Developer tools: development only. */
  devTools: boolean;
}

/**
 * The only place PowerMap constructs a BrowserWindow (map windows and the hidden report window
 * alike; a test checks there is no other). The webPreferences are written out here, literally,
 * so reviewers and Electronegativity read exactly what every window gets.
 */
export function createSecureWindow(opts: SecureWindowOptions): BrowserWindow {
  const { preload, devTools, ...windowOptions } = opts;
  return new BrowserWindow({
    ...windowOptions,
    webPreferences: {
      // Reviewed: electron/preload/preload.ts exposes only window.powermap = { invoke, onEvent },
      // checked against PowerMapBridge; every call is sender-checked in ipc.ts.
      preload, // eng-disable PRELOAD_JS_CHECK
      devTools,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      // Middle-click (auxclick) would open links in new windows; those are denied anyway.
      disableBlinkFeatures: 'Auxclick',
      navigateOnDragDrop: false,
      safeDialogs: true,
    },
  });
}

/** How recent a click or key press must be for a link to count as "the user clicked it". */
export const USER_GESTURE_MS = 1000;
const GESTURES = new Set(['mouseDown', 'mouseUp', 'keyDown', 'rawKeyDown', 'gestureTap', 'touchEnd']);

export interface HardenOptions {
  /** Replaces shell.openExternal (tests). */
  openExternal?: (url: string) => Promise<void>;
  now?: () => number;
  log?: (message: string) => void;
}

const hardened = new WeakSet<object>();

/** http(s) URLs only, without credentials; anything else is refused. */
export function externalLinkAllowed(url: unknown): URL | null {
  if (typeof url !== 'string') return null;
  try {
    const u = new URL(url);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') return null;
    if (u.username || u.password) return null;
    return u;
  } catch {
    return null;
  }
}

/**
 * Denies navigation, new windows, <webview> and redirects away from the app on one webContents.
 * A link to an http(s) page that the user clicked within the last second opens in the system
 * browser instead; everything else is dropped. Idempotent.
 */
export function hardenWebContents(wc: WebContents, opts: HardenOptions = {}): void {
  if (hardened.has(wc)) return;
  hardened.add(wc);
  const now = opts.now ?? Date.now;
  const log = opts.log ?? ((m: string) => console.warn(`[powermap] ${m}`));
  let lastGesture = Number.NEGATIVE_INFINITY;

  wc.on('input-event', (_e, input) => {
    if (GESTURES.has(input.type)) lastGesture = now();
  });

  const maybeOpenExternal = (url: unknown, why: string): void => {
    const link = externalLinkAllowed(url);
    if (link && now() - lastGesture <= USER_GESTURE_MS) {
      // The one place a URL leaves the app: http(s) without credentials, clicked by the user
      // within the last second (both checked just above); everything else is dropped.
      const opened = opts.openExternal ? opts.openExternal(link.href) : shell.openExternal(link.href); // eng-disable OPEN_EXTERNAL_JS_CHECK
      void opened.catch(() => undefined);
      return;
    }
    log(`${why} refused: ${String(url).slice(0, 200)}`);
  };

  wc.on('will-navigate', (event) => {
    event.preventDefault();
    maybeOpenExternal(event.url, 'navigation');
  });
  wc.on('will-frame-navigate', (event) => {
    if (!isAppUrl(event.url)) event.preventDefault();
  });
  wc.on('will-redirect', (event) => {
    if (!isAppUrl(event.url)) event.preventDefault();
  });
  wc.setWindowOpenHandler((details) => {
    maybeOpenExternal(details.url, 'new window');
    return { action: 'deny' };
  });
  wc.on('will-attach-webview', (event) => event.preventDefault());
}

/** URL schemes a PowerMap page may load from; everything else (http, https, ws, file…) is cancelled. */
const ALLOWED_REQUEST_SCHEMES = new Set([`${APP_SCHEME}:`, 'data:', 'blob:', 'devtools:', 'chrome-devtools:']);

export const requestAllowed = (url: string): boolean => {
  try {
    return ALLOWED_REQUEST_SCHEMES.has(new URL(url).protocol);
  } catch {
    return false;
  }
};

/** Denies every permission request and check, every device, and all network requests of pages. */
export function lockDownSession(ses: ElectronSession): void {
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
  ses.webRequest.onBeforeRequest((details, callback) => callback({ cancel: !requestAllowed(details.url) }));
}

// ---------------------------------------------------------------------------------------------
// The app:// protocol: serves the built renderer (dist/renderer) and nothing else.

// Callback forms: Electron patches these for files inside app.asar.
const realpath = promisify(fs.realpath);
const stat = promisify(fs.stat);
const readFile = promisify(fs.readFile);

const within = (root: string, file: string) => file === root || file.startsWith(root + path.sep);

const plain = (status: number, text: string) =>
  new Response(text, {
    status,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' },
  });

/**
 * Answers one app:// request from `root`: GET/HEAD only, host `powermap` only, the decoded path
 * must stay inside `root` both as written and after resolving symlinks. Every file goes out with
 * the CSP, nosniff and no-referrer headers.
 */
export async function appProtocolResponse(root: string, request: { url: string; method?: string }): Promise<Response> {
  const method = (request.method ?? 'GET').toUpperCase();
  if (method !== 'GET' && method !== 'HEAD') return plain(405, 'Method not allowed');
  if (!isAppUrl(request.url)) return plain(404, 'Not found');
  const base = path.resolve(root);
  let rel: string;
  try {
    rel = decodeURIComponent(new URL(request.url).pathname);
  } catch {
    return plain(400, 'Bad path');
  }
  if (rel.includes('\0') || rel.includes('\\')) return plain(403, 'Forbidden path');
  if (rel === '' || rel.endsWith('/')) rel += 'index.html';
  const file = path.resolve(base, `.${rel}`);
  if (!within(base, file) || file === base) return plain(403, 'Forbidden path');
  try {
    // Symlinks must not lead out of root either (when the file system can tell).
    const [realBase, realFile] = await Promise.all([realpath(base), realpath(file)]);
    if (!within(realBase, realFile)) return plain(403, 'Forbidden path');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return plain(404, 'Not found');
  }
  try {
    if (!(await stat(file)).isFile()) return plain(404, 'Not found');
    const body = method === 'HEAD' ? null : await readFile(file);
    return new Response(body, {
      status: 200,
      headers: {
        'content-type': mimeType(path.extname(file)),
        'content-security-policy': CSP,
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
        'cross-origin-opener-policy': 'same-origin',
        'cache-control': 'no-cache',
      },
    });
  } catch {
    return plain(404, 'Not found');
  }
}
