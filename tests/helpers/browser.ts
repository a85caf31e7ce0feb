/**
 * End-to-end harness: runs the browser build (`node dist/node/web.cjs [map]`) with fresh documents
 * and config folders, and drives it in the system Chromium through playwright-core. It assumes
 * dist/ is built (`npm test` builds before vitest). One browser per test file:
 *
 *   const app = await startWebApp({ mapPath });   // launches Chromium on first use
 *   ...app.page...
 *   await app.stop();                              // stops the server, closes the page
 *   afterAll(closeBrowser);
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium } from '../../services/exchange/chromium';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const WEB_ENTRY = path.join(REPO, 'dist', 'node', 'web.cjs');

/** The same Chromium and flags the app's own print engine uses (CHROME_PATH first). */
export const CHROMIUM_PATH = findChromium() ?? '/usr/bin/chromium';
export { CHROMIUM_ARGS };

export interface WebAppOptions {
  /** A map to open at start (passed to web.cjs). */
  mapPath?: string;
  /** Extra environment for the server (e.g. LANG=zh_CN.UTF-8). */
  env?: Record<string, string>;
  /** Use these folders instead of fresh temp ones (e.g. to restart on the same documents). */
  docsDir?: string;
  configDir?: string;
  /** Browser page options. */
  viewport?: { width: number; height: number };
  colorScheme?: 'light' | 'dark';
  locale?: string;
  /** Do not open a page (only start the server). */
  noPage?: boolean;
}

export interface WebApp {
  page: Page;
  context: BrowserContext;
  /** The address printed by the server, with the #token fragment. */
  url: string;
  /** http://127.0.0.1:PORT */
  origin: string;
  token: string;
  docsDir: string;
  configDir: string;
  /** stdout + stderr of the server so far (for failure messages). */
  output(): string;
  /** Closes the page and stops the server (the map file is closed and unlocked afterwards). */
  stop(): Promise<void>;
}

let browser: Browser | null = null;

/** The one Chromium of this test file, launched on first use. */
export async function getBrowser(): Promise<Browser> {
  if (!browser || !browser.isConnected()) {
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
  }
  return browser;
}

/** Closes the file's browser: call from afterAll. */
export async function closeBrowser(): Promise<void> {
  const b = browser;
  browser = null;
  if (b) await b.close().catch(() => undefined);
}

const tmpDirs: string[] = [];
export function makeTmpDir(prefix = 'powermap-e2e-'): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  tmpDirs.push(d);
  return d;
}
/** Removes the temp folders this harness made (call from afterAll if you like a clean /tmp). */
export function removeTmpDirs(): void {
  for (const d of tmpDirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
}

/** Starts `node dist/node/web.cjs` and waits for its URL line. */
export async function startServer(opts: WebAppOptions = {}): Promise<{
  proc: ChildProcess;
  url: string;
  docsDir: string;
  configDir: string;
  output: () => string;
  stop: () => Promise<void>;
}> {
  if (!fs.existsSync(WEB_ENTRY)) throw new Error(`${WEB_ENTRY} is missing: run npm run build first`);
  const docsDir = opts.docsDir ?? makeTmpDir('powermap-docs-');
  const configDir = opts.configDir ?? makeTmpDir('powermap-config-');
  const args = [WEB_ENTRY, ...(opts.mapPath ? [opts.mapPath] : [])];
  const proc = spawn(process.execPath, args, {
    cwd: REPO,
    env: {
      ...process.env,
      LANG: 'en_US.UTF-8',
      LC_ALL: '',
      LC_MESSAGES: '',
      ...opts.env,
      POWERMAP_DOCUMENTS: docsDir,
      POWERMAP_CONFIG_DIR: configDir,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout!.setEncoding('utf8');
  proc.stderr!.setEncoding('utf8');
  proc.stderr!.on('data', (c: string) => (out += c));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`web.cjs printed no URL within 20 s:\n${out}`)), 20_000);
    proc.stdout!.on('data', (c: string) => {
      out += c;
      const m = /^(http:\/\/127\.0\.0\.1:\d+\/\S*#token=\S+)\s*$/m.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`web.cjs exited with code ${code} before printing its URL:\n${out}`));
    });
  });
  const stop = async () => {
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise<void>((r) => proc.once('exit', () => r()));
    proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };
  return { proc, url, docsDir, configDir, output: () => out, stop };
}

/**
 * Calls the running browser build's API as its page does (the token header, same Host), for a
 * test to read what the main side holds; throws with the error it answered.
 */
export async function callApi<T = unknown>(app: Pick<WebApp, 'origin' | 'token'>, method: string, input: unknown = {}): Promise<T> {
  const res = await fetch(`${app.origin}/api/${encodeURIComponent(method)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-powermap-token': app.token },
    body: JSON.stringify(input),
  });
  const body = (await res.json()) as { ok: boolean; value?: T; error?: unknown };
  if (!body.ok) throw new Error(`${method}: ${JSON.stringify(body.error)}`);
  return body.value as T;
}

/** Starts the browser build and opens it in a fresh page of this file's Chromium. */
export async function startWebApp(opts: WebAppOptions = {}): Promise<WebApp> {
  const server = await startServer(opts);
  const b = await getBrowser();
  const context = await b.newContext({
    viewport: opts.viewport ?? { width: 1440, height: 900 },
    colorScheme: opts.colorScheme ?? 'light',
    locale: opts.locale ?? 'en-US',
  });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  if (!opts.noPage) await page.goto(server.url);
  const u = new URL(server.url);
  return {
    page,
    context,
    url: server.url,
    origin: u.origin,
    token: /token=([^&]+)/.exec(u.hash)?.[1] ?? '',
    docsDir: server.docsDir,
    configDir: server.configDir,
    output: () => server.output() + (pageErrors.length ? `\n[page errors]\n${pageErrors.join('\n')}` : ''),
    async stop() {
      await context.close().catch(() => undefined);
      await server.stop();
    },
  };
}
