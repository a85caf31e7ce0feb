/**
 * The Electron PdfPrinter (electron/main/pdf-printer.ts) with BrowserWindow mocked: it loads only
 * app pages, waits for the report view's ready flag, prints with the right options, and always
 * destroys its hidden window.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as fake from '../helpers/electron-mock';
import { expectLockedDown } from '../helpers/electron-mock';
import { useTmpDir } from '../helpers/tmp';

vi.mock('electron', () => import('../helpers/electron-mock'));

const { ElectronPdfPrinter, READY_PROBE, reportUrl, windowSizeFor } = await import('../../electron/main/pdf-printer');
const { createSecureWindow } = await import('../../electron/main/security');
const { ApiError } = await import('../../shared/api/errors');

const tmp = useTmpDir();
beforeEach(() => {
  const d = tmp();
  fake.reset({ documents: d, userData: d });
});

function printer(setup: (w: fake.BrowserWindow) => void = () => undefined, opts: { readyTimeoutMs?: number } = {}) {
  const made: fake.BrowserWindow[] = [];
  const p = new ElectronPdfPrinter({
    createWindow: (size) => {
      const w = createSecureWindow({ show: false, ...size, preload: '/app/preload.cjs', devTools: false }) as unknown as fake.BrowserWindow;
      setup(w);
      made.push(w);
      return w as never;
    },
    pollMs: 1,
    ...opts,
  });
  return { p, made };
}

describe('ElectronPdfPrinter', () => {
  it('loads the report in a hidden locked-down window, waits until ready, prints, and destroys it', async () => {
    const { p, made } = printer((w) => {
      w.webContents.jsAnswers = ['', '', '1'];
      w.webContents.pdfResult = Buffer.from('%PDF-1.7\n%report');
    });
    const pdf = await p.printToPdf('app://powermap/report.html#mode=report&personal=0', { pageSize: 'A3', landscape: true });
    expect(pdf.toString()).toBe('%PDF-1.7\n%report');
    const w = made[0]!;
    expect(w.options.show).toBe(false);
    expect(w.options).toMatchObject({ width: 1587, height: 1123 });
    expectLockedDown(w.options.webPreferences);
    expect(w.loaded).toEqual(['app://powermap/report.html#mode=report&personal=0']);
    expect(w.webContents.jsCalls).toEqual([READY_PROBE, READY_PROBE, READY_PROBE]);
    expect(READY_PROBE).toContain('document.body.dataset.ready');
    // The same options the CLI's Chromium printer uses (shared/exchange/print-options.ts), in printToPDF's names.
    expect(w.webContents.pdfCalls).toEqual([
      {
        landscape: true,
        pageSize: 'A3',
        printBackground: true,
        preferCSSPageSize: true,
        displayHeaderFooter: false,
        scale: 1,
        margins: { top: 0, bottom: 0, left: 0, right: 0 },
        generateTaggedPDF: true,
        generateDocumentOutline: true,
      },
    ]);
    expect(w.isDestroyed()).toBe(true);
  });

  it('resolves a relative report address against app://powermap/', async () => {
    const { p, made } = printer();
    await p.printToPdf('report.html#mode=report', { pageSize: 'A4', landscape: false });
    expect(made[0]!.loaded).toEqual(['app://powermap/report.html#mode=report']);
    expect(made[0]!.options).toMatchObject({ width: 794, height: 1123 });
  });

  it('refuses to load anything but a page of the app, before making a window', async () => {
    const { p, made } = printer();
    for (const url of ['https://example.com/report.html', 'file:///tmp/report.html', 'app://other/report.html', '//evil.example/x']) {
      await expect(p.printToPdf(url, { pageSize: 'A4', landscape: true }), url).rejects.toBeInstanceOf(ApiError);
    }
    expect(made).toHaveLength(0);
    expect(() => reportUrl('http://127.0.0.1:3000/report.html')).toThrow(/page of the app/);
  });

  it('fails clearly, and still destroys the window, when the view reports an error, never gets ready, or does not load', async () => {
    const errorView = printer((w) => (w.webContents.jsAnswers = ['', 'error']));
    await expect(errorView.p.printToPdf('report.html', { pageSize: 'A4', landscape: true })).rejects.toThrow(/reported an error/);
    expect(errorView.made[0]!.isDestroyed()).toBe(true);
    expect(errorView.made[0]!.webContents.pdfCalls).toHaveLength(0);

    const slow = printer((w) => (w.webContents.jsAnswers = ['']), { readyTimeoutMs: 30 });
    await expect(slow.p.printToPdf('report.html', { pageSize: 'A4', landscape: true })).rejects.toThrow(/not ready after/);
    expect(slow.made[0]!.isDestroyed()).toBe(true);

    const broken = printer((w) => (w.failLoad = new Error('ERR_FILE_NOT_FOUND')));
    await expect(broken.p.printToPdf('report.html', { pageSize: 'A4', landscape: true })).rejects.toThrow(/did not load: ERR_FILE_NOT_FOUND/);
    expect(broken.made[0]!.isDestroyed()).toBe(true);

    const crashed = printer((w) => {
      w.webContents.jsAnswers = [''];
      setTimeout(() => w.webContents.emit('render-process-gone', {}, { reason: 'crashed' }), 5);
    });
    await expect(crashed.p.printToPdf('report.html', { pageSize: 'A4', landscape: true })).rejects.toThrow(/stopped \(crashed\)/);
    expect(crashed.made[0]!.isDestroyed()).toBe(true);
  });

  it('sizes the hidden window like the paper', () => {
    expect(windowSizeFor({ pageSize: 'A4', landscape: true })).toEqual({ width: 1123, height: 794 });
    expect(windowSizeFor({ pageSize: 'A3', landscape: false })).toEqual({ width: 1123, height: 1587 });
  });
});
