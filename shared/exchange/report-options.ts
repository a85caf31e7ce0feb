/**
 * The report view's options, carried in the address's query (report.html?mode=report&personal=1…),
 * so both engines — Electron's hidden window and the system Chromium — print the same page. The
 * query, not the fragment: the API client takes the browser build's token from the fragment and
 * clears it.
 */
import { LAYOUTS, type LayoutName } from '../domain';
import type { Lang } from '../i18n/errors';
import { POSTER_SIZES, type PosterSize } from './print-options';

export interface ReportOptions {
  /** 'report': the deal-review pages; 'map': the map alone (PNG/SVG exports); 'portfolio': the team portfolio's one page (issue 19). */
  mode: 'report' | 'map' | 'portfolio';
  includePersonal: boolean;
  layout: LayoutName;
  pageSize: 'A4' | 'A3';
  lang: Lang;
  /** A snapshot id: the report adds "changes since" that snapshot (null: no such section). */
  since: string | null;
  /** PNG/SVG: the picture carries a legend (default yes). */
  legend: boolean;
  /** PDF: a page that maps our team's coverage (default no). */
  coveragePage: boolean;
  /** PNG/SVG: made for a poster sheet (labels ≥ 6 pt on it); null: screen size. */
  poster: PosterSize | null;
}

export function parseReportOptions(search: string): ReportOptions {
  const p = new URLSearchParams(search.replace(/^\?/, ''));
  const layout = p.get('layout');
  return {
    mode: p.get('mode') === 'map' ? 'map' : p.get('mode') === 'portfolio' ? 'portfolio' : 'report',
    includePersonal: p.get('personal') === '1',
    layout: (LAYOUTS as readonly string[]).includes(layout ?? '') ? (layout as LayoutName) : 'org',
    pageSize: p.get('page') === 'A3' ? 'A3' : 'A4',
    lang: p.get('lang') === 'zh-CN' ? 'zh-CN' : 'en-US',
    since: /^[A-Za-z0-9_-]{1,64}$/.test(p.get('since') ?? '') ? p.get('since') : null,
    legend: p.get('legend') !== '0',
    coveragePage: p.get('coverage') === '1',
    poster: (POSTER_SIZES as readonly string[]).includes(p.get('poster') ?? '') ? (p.get('poster') as PosterSize) : null,
  };
}

/** The query for these options (without '?'); the browser build's token goes in the fragment. */
export const reportQuery = (o: Omit<ReportOptions, 'legend' | 'coveragePage' | 'poster'> & Partial<Pick<ReportOptions, 'legend' | 'coveragePage' | 'poster'>>): string =>
  new URLSearchParams({
    mode: o.mode,
    personal: o.includePersonal ? '1' : '0',
    layout: o.layout,
    page: o.pageSize,
    lang: o.lang,
    ...(o.since ? { since: o.since } : {}),
    ...(o.legend === false ? { legend: '0' } : {}),
    ...(o.coveragePage ? { coverage: '1' } : {}),
    ...(o.poster ? { poster: o.poster } : {}),
  }).toString();

/** What the page signals on <body data-ready>: '1' when it can be printed, 'error' when it cannot. */
export const READY_ATTRIBUTE = 'ready';
