/**
 * The app's PdfPrinter: a hidden, locked-down BrowserWindow loads the report view
 * (app://powermap/report.html#…), waits until the page says it is ready
 * (document.body.dataset.ready === '1'), prints it with webContents.printToPDF and is destroyed.
 * The CLI and the browser build print the same view with the system Chromium instead, with the
 * same print options (shared/exchange/print-options.ts).
 */
import type { BrowserWindow, PrintToPDFOptions } from 'electron';
import { ApiError } from '../../shared/api/errors';
import { electronPrintOptions, type OnlyKnownKeys } from '../../shared/exchange/print-options';
import type { PdfOptions, PdfPrinter } from '../../services/exchange/pdf-printer';
import { APP_ORIGIN, isAppUrl } from './security';

/** Page sizes at 96 dpi, portrait: the hidden window is laid out at the paper's size. */
const PAGE_PX: Record<PdfOptions['pageSize'], { width: number; height: number }> = {
  A4: { width: 794, height: 1123 },
  A3: { width: 1123, height: 1587 },
};

export const windowSizeFor = (opts: PdfOptions) => {
  const p = PAGE_PX[opts.pageSize] ?? PAGE_PX.A4;
  return opts.landscape ? { width: p.height, height: p.width } : p;
};

/** The script polled in the page: '1' when ready, 'error' when the view failed, '' until then. */
export const READY_PROBE = "(document.body && document.body.dataset.ready) || ''";

export interface ElectronPdfPrinterOptions {
  /** Makes a hidden window with the app's locked-down webPreferences (windows.ts). */
  createWindow: (size: { width: number; height: number }) => BrowserWindow;
  readyTimeoutMs?: number;
  pollMs?: number;
}

/** Resolves a report URL against app://powermap/; anything outside our app is refused. */
export function reportUrl(url: string): string {
  let target: string;
  try {
    target = new URL(url, `${APP_ORIGIN}/`).href;
  } catch {
    throw new ApiError('BAD_REQUEST', `Not a report address: ${url.slice(0, 200)}`);
  }
  if (!isAppUrl(target)) throw new ApiError('BAD_REQUEST', `The report must be a page of the app, not ${target.slice(0, 200)}`);
  return target;
}

/** The report's print options (shared with the CLI's Chromium printer), as printToPDF names them. */
const printOptions = (opts: PdfOptions): PrintToPDFOptions => electronPrintOptions(opts);
const namesChecked: OnlyKnownKeys<ReturnType<typeof electronPrintOptions>, PrintToPDFOptions> = true;
void namesChecked;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class ElectronPdfPrinter implements PdfPrinter {
  private readonly timeout: number;
  private readonly poll: number;

  constructor(private readonly opts: ElectronPdfPrinterOptions) {
    this.timeout = opts.readyTimeoutMs ?? 60_000;
    this.poll = opts.pollMs ?? 50;
  }

  async printToPdf(url: string, opts: PdfOptions): Promise<Buffer> {
    const target = reportUrl(url);
    const win = this.opts.createWindow(windowSizeFor(opts));
    const wc = win.webContents;
    let gone: string | null = null;
    const onGone = (_e: unknown, details: { reason: string }) => {
      gone = details.reason;
    };
    wc.on('render-process-gone', onGone);
    try {
      try {
        await win.loadURL(target);
      } catch (e) {
        throw new ApiError('INTERNAL', `The report view did not load: ${(e as Error)?.message ?? String(e)}`);
      }
      const deadline = Date.now() + this.timeout;
      for (;;) {
        if (gone) throw new ApiError('INTERNAL', `The report view stopped (${gone})`);
        const state = String(await wc.executeJavaScript(READY_PROBE));
        if (state === '1') break;
        if (state === 'error') throw new ApiError('INTERNAL', 'The report view reported an error');
        if (Date.now() >= deadline)
          throw new ApiError('INTERNAL', `The report view was not ready after ${Math.round(this.timeout / 1000)} s`);
        await sleep(this.poll);
      }
      const data = await wc.printToPDF(printOptions(opts));
      return Buffer.from(data);
    } finally {
      if (!win.isDestroyed()) win.destroy();
    }
  }
}
