/**
 * PDF, PNG and SVG come from the report view (renderer/report.html), one page for every engine.
 * With a host printer (Electron's hidden window) the PDF is printed there; otherwise — the CLI and
 * the browser build — the host serves the session's report on a private loopback address with its
 * own token (Host.serveReport), and the system Chromium loads the report from it.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { PageSize } from '../../shared/api/exchange';
import { ApiError } from '../../shared/api/errors';
import type { LayoutName } from '../../shared/domain';
import type { PosterSize } from '../../shared/exchange/print-options';
import { reportQuery, type ReportOptions } from '../../shared/exchange/report-options';
import type { Lang } from '../../shared/i18n/errors';
import type { PortfolioRow } from '../../shared/api/team-sync';
import { appRoot } from '../paths';
import type { Session } from '../session';
import { ChromiumPdfPrinter, launchChromium, openReport, requireChromium } from './chromium';

export interface RenderOptions {
  includePersonal: boolean;
  layout: LayoutName;
  pageSize: PageSize;
  lang: Lang;
  /** A snapshot id: the PDF adds the changes since that snapshot. */
  since?: string | null;
  /** PDF: a page on our team's coverage. */
  coveragePage?: boolean;
  /** PNG/SVG: a legend under the map (default yes). */
  legend?: boolean;
  /** PNG/SVG: made for a poster sheet. */
  poster?: PosterSize | null;
}

export const rendererDir = (): string => path.join(appRoot(), 'dist', 'renderer');

function checkBuilt(dir: string): void {
  if (!fs.existsSync(path.join(dir, 'report.html')))
    throw new ApiError('UNSUPPORTED', `the report view is not built (${path.join(dir, 'report.html')} is missing): run npm run build`);
}

const query = (mode: ReportOptions['mode'], o: RenderOptions) =>
  reportQuery({
    mode,
    includePersonal: o.includePersonal,
    layout: o.layout,
    pageSize: o.pageSize,
    lang: o.lang,
    since: o.since ?? null,
    legend: o.legend ?? true,
    coveragePage: o.coveragePage ?? false,
    poster: o.poster ?? null,
  });

/** Runs `fn` with the report's address on a private loopback server that serves this session. */
async function withReportServer<T>(session: Session, o: RenderOptions, mode: ReportOptions['mode'], fn: (url: string) => Promise<T>): Promise<T> {
  checkBuilt(rendererDir());
  if (!session.host.serveReport) throw new ApiError('UNSUPPORTED', 'this host cannot serve the report view to a browser');
  const web = await session.host.serveReport(session);
  try {
    return await fn(`${web.base}report.html?${query(mode, o)}#token=${web.token}`);
  } finally {
    await web.close();
  }
}

/** The deal-review PDF of the session's open map. */
export async function renderPdf(session: Session, o: RenderOptions): Promise<Buffer> {
  session.requireStore();
  const pdfOpts = { pageSize: o.pageSize, landscape: true };
  const hostPrinter = session.host.pdfPrinter;
  // The host's printer resolves a relative address against the app's own origin (app://…).
  if (hostPrinter) return hostPrinter.printToPdf(`report.html?${query('report', o)}`, pdfOpts);
  const printer = new ChromiumPdfPrinter(requireChromium());
  return withReportServer(session, o, 'report', (url) => printer.printToPdf(url, pdfOpts));
}

/**
 * The team portfolio's one page (landscape A4): the report view in portfolio mode reads the rows
 * the session holds for the print (exchange.portfolioData). No map needs to be open.
 */
export async function renderPortfolioPdf(session: Session, rows: PortfolioRow[], lang: Lang): Promise<Buffer> {
  const pdfOpts = { pageSize: 'A4' as const, landscape: true };
  const o: RenderOptions = { includePersonal: false, layout: 'org', pageSize: 'A4', lang };
  session.portfolioPrint = { rows, generatedAt: new Date().toISOString() };
  try {
    const hostPrinter = session.host.pdfPrinter;
    if (hostPrinter) return await hostPrinter.printToPdf(`report.html?${query('portfolio', o)}`, pdfOpts);
    const printer = new ChromiumPdfPrinter(requireChromium());
    return await withReportServer(session, o, 'portfolio', (url) => printer.printToPdf(url, pdfOpts));
  } finally {
    session.portfolioPrint = null;
  }
}

/** The map alone as PNG (at `scale`) or SVG, drawn by the report view in the system Chromium. */
export async function renderImage(session: Session, o: RenderOptions, format: 'png' | 'svg', scale: number): Promise<Buffer> {
  session.requireStore();
  const exe = requireChromium();
  return withReportServer(session, o, 'map', async (url) => {
    const browser = await launchChromium(exe);
    try {
      const page = await openReport(browser, url);
      if (format === 'svg') {
        const svg = String(await page.evaluate('window.powermapReport.svg()'));
        return Buffer.from(svg.startsWith('<?xml') ? svg : `<?xml version="1.0" encoding="UTF-8"?>\n${svg}`, 'utf8');
      }
      const b64 = String(await page.evaluate(`window.powermapReport.png(${Number(scale)})`)); // a promise, awaited by evaluate
      return Buffer.from(b64.replace(/^data:image\/png;base64,/, ''), 'base64');
    } finally {
      await browser.close().catch(() => undefined);
    }
  });
}
