/**
 * The system Chromium as a print engine (CLI and browser build), driven by playwright-core; it
 * never downloads a browser. Found through CHROME_PATH, then the usual install places.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { ApiError } from '../../shared/api/errors';
import { chromiumPdfOptions, type OnlyKnownKeys } from '../../shared/exchange/print-options';
import type { PdfOptions, PdfPrinter } from './pdf-printer';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--font-render-hinting=none',
];

const CANDIDATES: Record<string, string[]> = {
  linux: [
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
    '/usr/bin/google-chrome-stable',
    '/usr/bin/microsoft-edge',
    '/snap/bin/chromium',
  ],
  darwin: [
    '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
    '/Applications/Chromium.app/Contents/MacOS/Chromium',
    '/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge',
  ],
  win32: [
    path.join(process.env['PROGRAMFILES'] ?? 'C:\\Program Files', 'Google\\Chrome\\Application\\chrome.exe'),
    path.join(process.env['PROGRAMFILES(X86)'] ?? 'C:\\Program Files (x86)', 'Google\\Chrome\\Application\\chrome.exe'),
    path.join(process.env['PROGRAMFILES(X86)'] ?? 'C:\\Program Files (x86)', 'Microsoft\\Edge\\Application\\msedge.exe'),
  ],
};

/** CHROME_PATH when set (and present), else the first installed Chromium, Chrome or Edge; null if none. */
export const chromiumCandidates = (): string[] => CANDIDATES[process.platform] ?? CANDIDATES.linux!;

export function findChromium(env: NodeJS.ProcessEnv = process.env, candidates = chromiumCandidates()): string | null {
  const list = [env.CHROME_PATH, ...candidates].filter((p): p is string => !!p);
  for (const p of list) {
    try {
      if (fs.statSync(p).isFile()) return p;
    } catch {
      /* not here */
    }
  }
  return null;
}

export function requireChromium(env: NodeJS.ProcessEnv = process.env, candidates = chromiumCandidates()): string {
  const found = findChromium(env, candidates);
  if (found) return found;
  const tried = env.CHROME_PATH ? `CHROME_PATH (${env.CHROME_PATH}) does not exist` : 'CHROME_PATH is not set';
  const message = `PDF and image export need Chromium or Google Chrome, and none was found (${tried}; looked in ${candidates.join(', ') || 'no other place'}). Install Chromium or set CHROME_PATH to its executable.`;
  throw new ApiError('UNSUPPORTED', message);
}

export async function launchChromium(executablePath: string): Promise<Browser> {
  // Loaded on first use: it adds a few hundred milliseconds to every CLI start otherwise.
  const { chromium } = await import('playwright-core');
  try {
    return await chromium.launch({ executablePath, args: CHROMIUM_ARGS, headless: true, timeout: 60_000 });
  } catch (e) {
    throw new ApiError('UNSUPPORTED', `Chromium at ${executablePath} could not be started: ${(e as Error).message.split('\n')[0]}`);
  }
}

/** Opens `url` and waits until the report view says it is ready (or why it failed). */
export async function openReport(browser: Browser, url: string, viewport = { width: 1400, height: 900 }): Promise<Page> {
  const page = await browser.newPage({ viewport });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url, { waitUntil: 'load', timeout: 60_000 });
  try {
    // A selector, not a string predicate: Playwright polls a string with eval, which the
    // report's CSP (no 'unsafe-eval') refuses once the page is not ready at the first look.
    await page.waitForSelector('body[data-ready]', { state: 'attached', timeout: 120_000 });
  } catch {
    throw new ApiError('INTERNAL', `The report view did not get ready${errors.length ? `: ${errors[0]}` : ''}`);
  }
  const state = (await page.evaluate('({ ready: document.body.dataset.ready, error: document.body.dataset.error || "" })')) as {
    ready: string;
    error: string;
  };
  if (state.ready !== '1') throw new ApiError('INTERNAL', `The report view failed: ${state.error || errors[0] || 'unknown error'}`);
  return page;
}

type PagePdfOptions = NonNullable<Parameters<Page['pdf']>[0]>;
const namesChecked: OnlyKnownKeys<ReturnType<typeof chromiumPdfOptions>, PagePdfOptions> = true;
void namesChecked;

/** The PdfPrinter of the CLI and the browser build: one Chromium launch per print (print options shared with the app's printer). */
export class ChromiumPdfPrinter implements PdfPrinter {
  constructor(private readonly executablePath: string) {}

  async printToPdf(url: string, opts: PdfOptions): Promise<Buffer> {
    const browser = await launchChromium(this.executablePath);
    try {
      const page = await openReport(browser, url);
      await page.emulateMedia({ media: 'print' });
      const pdf = await page.pdf(chromiumPdfOptions(opts));
      return Buffer.from(pdf);
    } finally {
      await browser.close().catch(() => undefined);
    }
  }
}
