/**
 * The Electron lock-down (electron/main/security.ts) with the electron module mocked: window
 * preferences, navigation and window-open denial, external links, permissions, network requests,
 * and the app:// protocol serving real files from a temp folder.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as fake from '../helpers/electron-mock';
import { expectLockedDown } from '../helpers/electron-mock';
import { useTmpDir } from '../helpers/tmp';

vi.mock('electron', () => import('../helpers/electron-mock'));

const {
  APP_ORIGIN,
  APP_SCHEME_PRIVILEGES,
  CSP,
  USER_GESTURE_MS,
  appProtocolResponse,
  createSecureWindow,
  externalLinkAllowed,
  hardenWebContents,
  isAppUrl,
  lockDownSession,
  requestAllowed,
} = await import('../../electron/main/security');
const { CSP: WEB_CSP } = await import('../../server/web/server');

const tmp = useTmpDir();
const REPO = path.resolve(__dirname, '..', '..');

beforeEach(() => {
  const d = tmp();
  fake.reset({ documents: d, userData: d });
});

describe('createSecureWindow', () => {
  it('gives every window the locked-down preferences, whatever the caller passes', () => {
    const w = createSecureWindow({
      show: false,
      width: 900,
      height: 700,
      preload: '/app/dist/electron/preload.cjs',
      devTools: false,
      // A caller cannot sneak preferences in: the literal ones win.
      ...({ webPreferences: { nodeIntegration: true, sandbox: false, contextIsolation: false } } as object),
    }) as unknown as fake.BrowserWindow;
    expectLockedDown(w.options.webPreferences);
    expect(w.options.webPreferences!.preload).toBe('/app/dist/electron/preload.cjs');
    expect(w.options.webPreferences!.devTools).toBe(false);
    expect(w.options).toMatchObject({ show: false, width: 900, height: 700 });
  });

  it('is the only place in the main-side code that constructs a BrowserWindow or BrowserView', () => {
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (/\.[cm]?[jt]s$/.test(e.name)) {
          const hits = fs.readFileSync(p, 'utf8').match(/new\s+(BrowserWindow|BrowserView|WebContentsView)\s*\(/g) ?? [];
          if (hits.length) offenders.push(`${path.relative(REPO, p)}: ${hits.length}`);
        }
      }
    };
    for (const dir of ['electron', 'services', 'storage', 'server', 'cli']) walk(path.join(REPO, dir));
    expect(offenders).toEqual(['electron/main/security.ts: 1']);
  });
});

describe('app:// origin and CSP', () => {
  it('recognises only app://powermap/ URLs', () => {
    expect(isAppUrl('app://powermap/index.html')).toBe(true);
    expect(isAppUrl('app://powermap/report.html#mode=report')).toBe(true);
    for (const bad of [
      'file:///etc/passwd',
      'http://powermap/index.html',
      'https://example.com/',
      'app://other/index.html',
      'app://powermap.evil.example/index.html',
      'app://user:pw@powermap/index.html',
      'app://powermap:8080/index.html',
      'javascript:alert(1)',
      '',
      'not a url',
      42,
      null,
    ])
      expect(isAppUrl(bad), String(bad)).toBe(false);
  });

  it('uses the same CSP as the browser build, with script-src self and no unsafe-eval', () => {
    expect(CSP).toBe(WEB_CSP);
    expect(CSP).toMatch(/(^|;)\s*script-src 'self'\s*(;|$)/);
    expect(CSP).not.toMatch(/unsafe-eval/);
    expect(CSP).toMatch(/object-src 'none'/);
    expect(CSP).toMatch(/frame-ancestors 'none'/);
    // The renderer's pages carry a meta CSP too, with the same script policy.
    for (const page of ['index.html', 'report.html']) {
      const file = path.join(REPO, 'renderer', page);
      if (!fs.existsSync(file)) continue;
      const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(fs.readFileSync(file, 'utf8'));
      expect(meta, page).not.toBeNull();
      expect(meta![1]).toMatch(/script-src 'self'\s*(;|$)/);
      expect(meta![1]).not.toMatch(/unsafe-eval/);
    }
  });

  it('registers app:// as a standard secure scheme without CSP bypass or cross-origin reads', () => {
    expect(APP_SCHEME_PRIVILEGES).toMatchObject({ standard: true, secure: true });
    expect(APP_SCHEME_PRIVILEGES).not.toHaveProperty('bypassCSP');
    expect(APP_SCHEME_PRIVILEGES).not.toHaveProperty('corsEnabled');
    expect(APP_ORIGIN).toBe('app://powermap');
  });
});

describe('hardenWebContents', () => {
  function setup(start = 10_000) {
    let t = start;
    const wc = new fake.FakeWebContents();
    const openExternal = vi.fn(async (_url: string) => undefined);
    const log = vi.fn();
    hardenWebContents(wc as never, { openExternal, now: () => t, log });
    return { wc, openExternal, log, advance: (ms: number) => (t += ms) };
  }

  it('denies every navigation, and opens nothing without a user click', () => {
    const { wc, openExternal } = setup();
    for (const url of ['https://example.com/', 'app://powermap/other.html', 'file:///etc/passwd', 'javascript:void(0)']) {
      const e = wc.fire('will-navigate', { url, isMainFrame: true });
      expect(e.defaultPrevented, url).toBe(true);
    }
    expect(openExternal).not.toHaveBeenCalled();
  });

  it('sends an http(s) link the user just clicked to the system browser, and nothing else', () => {
    const { wc, openExternal, advance } = setup();
    wc.emit('input-event', {}, { type: 'mouseUp' });
    expect(wc.fire('will-navigate', { url: 'https://example.com/docs' }).defaultPrevented).toBe(true);
    expect(openExternal).toHaveBeenCalledWith('https://example.com/docs');
    // Not for other schemes, even right after a click.
    for (const url of ['file:///etc/passwd', 'smb://server/share', 'javascript:alert(1)', 'https://user:pw@example.com/', 'app://powermap/x'])
      wc.fire('will-navigate', { url });
    expect(openExternal).toHaveBeenCalledTimes(1);
    // Not once the click is stale.
    advance(USER_GESTURE_MS + 1);
    wc.fire('will-navigate', { url: 'https://example.com/later' });
    expect(openExternal).toHaveBeenCalledTimes(1);
    // Mouse moves are not clicks.
    wc.emit('input-event', {}, { type: 'mouseMove' });
    wc.fire('will-navigate', { url: 'https://example.com/moved' });
    expect(openExternal).toHaveBeenCalledTimes(1);
  });

  it('denies every new window; a clicked http(s) link opens externally instead', () => {
    const { wc, openExternal } = setup();
    expect(wc.windowOpenHandler).toBeTypeOf('function');
    expect(wc.windowOpenHandler!({ url: 'https://example.com/', disposition: 'foreground-tab' })).toEqual({ action: 'deny' });
    expect(openExternal).not.toHaveBeenCalled(); // no click: a script's window.open goes nowhere
    wc.emit('input-event', {}, { type: 'mouseDown' });
    expect(wc.windowOpenHandler!({ url: 'https://example.com/', disposition: 'foreground-tab' })).toEqual({ action: 'deny' });
    expect(wc.windowOpenHandler!({ url: 'app://powermap/index.html', disposition: 'new-window' })).toEqual({ action: 'deny' });
    expect(wc.windowOpenHandler!({ url: 'file:///etc/hosts', disposition: 'new-window' })).toEqual({ action: 'deny' });
    expect(openExternal.mock.calls).toEqual([['https://example.com/']]);
  });

  it('denies <webview>, and redirects or subframe navigations away from the app', () => {
    const { wc } = setup();
    expect(wc.fire('will-attach-webview', {}).defaultPrevented).toBe(true);
    expect(wc.fire('will-redirect', { url: 'https://example.com/' }).defaultPrevented).toBe(true);
    expect(wc.fire('will-redirect', { url: 'app://powermap/index.html' }).defaultPrevented).toBe(false);
    expect(wc.fire('will-frame-navigate', { url: 'https://example.com/' }).defaultPrevented).toBe(true);
    expect(wc.fire('will-frame-navigate', { url: 'app://powermap/index.html' }).defaultPrevented).toBe(false);
  });

  it('is idempotent (the catch-all and the window factory may both apply it)', () => {
    const wc = new fake.FakeWebContents();
    hardenWebContents(wc as never, {});
    hardenWebContents(wc as never, {});
    expect(wc.listenerCount('will-navigate')).toBe(1);
  });

  it('checks external links strictly', () => {
    expect(externalLinkAllowed('https://example.com/a?b#c')?.href).toBe('https://example.com/a?b#c');
    expect(externalLinkAllowed('http://example.com/')?.href).toBe('http://example.com/');
    for (const bad of ['ftp://x/', 'file:///x', 'mailto:a@b.c', 'https://u:p@x.com/', 'x', '', null, 5])
      expect(externalLinkAllowed(bad), String(bad)).toBeNull();
  });
});

describe('lockDownSession', () => {
  it('denies every permission request and check, every device, and network requests', () => {
    const ses = fake.session.defaultSession;
    lockDownSession(ses as never);
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fullscreen', 'midi']) {
      const cb = vi.fn();
      ses.permissionRequestHandler!(...([{}, permission, cb, { requestingUrl: 'app://powermap/' }] as never[]));
      expect(cb, permission).toHaveBeenCalledWith(false);
      expect(ses.permissionCheckHandler!(...([{}, permission, 'app://powermap', {}] as never[])), permission).toBe(false);
    }
    expect(ses.devicePermissionHandler!(...([{ deviceType: 'usb' }] as never[]))).toBe(false);
    const decide = (url: string) => {
      const cb = vi.fn();
      ses.beforeRequest!(...([{ url }, cb] as never[]));
      return cb.mock.calls[0]![0] as { cancel: boolean };
    };
    expect(decide('app://powermap/assets/index.js')).toEqual({ cancel: false });
    expect(decide('data:image/png;base64,AAAA')).toEqual({ cancel: false });
    expect(decide('blob:app://powermap/1234')).toEqual({ cancel: false });
    for (const url of ['https://example.com/track.gif', 'http://127.0.0.1:8080/', 'ws://example.com/', 'file:///etc/passwd', 'ftp://x/'])
      expect(decide(url), url).toEqual({ cancel: true });
    expect(requestAllowed('nonsense')).toBe(false);
  });
});

describe('the app:// protocol handler', () => {
  function site() {
    const dir = tmp();
    const root = path.join(dir, 'renderer');
    fs.mkdirSync(path.join(root, 'assets'), { recursive: true });
    fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>PowerMap</title>');
    fs.writeFileSync(path.join(root, 'report.html'), '<!doctype html><title>Report</title>');
    fs.writeFileSync(path.join(root, 'assets', 'index-abc.js'), 'console.log(1)');
    fs.writeFileSync(path.join(root, 'assets', 'font.woff2'), Buffer.from([0, 1, 2]));
    fs.writeFileSync(path.join(dir, 'secret.txt'), 'TOP SECRET');
    fs.symlinkSync(path.join(dir, 'secret.txt'), path.join(root, 'assets', 'link.txt'));
    return { root, dir };
  }

  it('serves the built renderer with the CSP and nosniff headers', async () => {
    const { root } = site();
    const r = await appProtocolResponse(root, { url: 'app://powermap/index.html', method: 'GET' });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(r.headers.get('content-security-policy')).toBe(CSP);
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await r.text()).toContain('<title>PowerMap</title>');
    const js = await appProtocolResponse(root, { url: 'app://powermap/assets/index-abc.js?v=1#x' });
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(await js.text()).toBe('console.log(1)');
    const root1 = await appProtocolResponse(root, { url: 'app://powermap/' });
    expect(await root1.text()).toContain('<title>PowerMap</title>');
    const report = await appProtocolResponse(root, { url: 'app://powermap/report.html#mode=report&personal=0' });
    expect(await report.text()).toContain('<title>Report</title>');
    const head = await appProtocolResponse(root, { url: 'app://powermap/index.html', method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('refuses every way out of the renderer folder', async () => {
    const { root } = site();
    const attempts = [
      'app://powermap/../secret.txt',
      'app://powermap/%2e%2e/secret.txt',
      'app://powermap/..%2fsecret.txt',
      'app://powermap/assets/..%2f..%2fsecret.txt',
      'app://powermap/%2e%2e%2f%2e%2e%2fsecret.txt',
      'app://powermap/..%5csecret.txt',
      'app://powermap/assets/link.txt', // a symlink pointing outside
      'app://powermap/%00index.html',
      'app://powermap/index.html%00.js',
      `app://powermap/${encodeURIComponent(path.join(root, '..', 'secret.txt'))}`,
    ];
    for (const url of attempts) {
      const r = await appProtocolResponse(root, { url });
      expect([400, 403, 404], url).toContain(r.status);
      expect(await r.text(), url).not.toContain('TOP SECRET');
    }
  });

  it('answers only GET/HEAD for app://powermap, and 404 for what is not there', async () => {
    const { root } = site();
    expect((await appProtocolResponse(root, { url: 'app://powermap/index.html', method: 'POST' })).status).toBe(405);
    expect((await appProtocolResponse(root, { url: 'app://elsewhere/index.html' })).status).toBe(404);
    expect((await appProtocolResponse(root, { url: 'app://powermap/missing.js' })).status).toBe(404);
    expect((await appProtocolResponse(root, { url: 'app://powermap/assets/' })).status).toBe(404);
    expect((await appProtocolResponse(root, { url: 'app://powermap/assets' })).status).toBe(404);
    expect((await appProtocolResponse(root, { url: 'app://powermap/%E0%A4%A' })).status).toBe(400);
  });
});
