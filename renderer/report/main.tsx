/**
 * The report view's entry (report.html). It reads its options from the address's query, fetches
 * the map through the API (the same loopback server or Electron bridge as the app), draws the map,
 * and sets <body data-ready="1"> once everything — images and fonts — is ready to print, or
 * data-ready="error" with data-error="…" when it cannot. In map mode (PNG/SVG exports) it draws
 * only the map and answers window.powermapReport.svg() / .png(scale).
 */
import '../zod-csp'; // first: before any zod schema exists
import { options } from './options';
import { StrictMode } from 'react';
import { flushSync } from 'react-dom';
import { createRoot } from 'react-dom/client';
import { analyze } from '../../shared/analysis';
import { api } from '../src/api/client';
import { describeDiff } from '../../shared/time/describe';
import { drawMap, frameFor, framedPng, framedSvg } from './map-image';
import { mapPages } from './print-pages';
import { embedFonts, loadFonts, mapText, registerFonts } from '../src/fonts';
import { pageCss, Report } from './Report';
import { PortfolioSheet } from './PortfolioSheet';
import { sheetWords } from '../../shared/exchange/portfolio-sheet';
import { STRINGS } from './strings';
import './report.css';
import './map-page.css';

declare global {
  interface Window {
    powermapReport?: { svg(): string; png(scale: number): Promise<string> };
  }
}

async function imagesLoaded(): Promise<void> {
  await Promise.all(
    Array.from(document.images, (img) => (img.complete ? Promise.resolve() : img.decode().catch(() => undefined))),
  );
  await document.fonts.ready;
}

async function main(): Promise<void> {
  const t = STRINGS[options.lang];
  document.documentElement.lang = options.lang;
  registerFonts();
  if (options.mode === 'portfolio') return portfolio();
  const data = await api.call('exchange.reportData', { includePersonal: options.includePersonal });
  // Cytoscape measures and draws labels on a canvas: the bundled font must be there first.
  await loadFonts(mapText(data));
  if (options.mode === 'map') {
    // PNG/SVG exports: the map framed with its title, date and (unless left out) legend.
    const stage = document.createElement('div');
    stage.className = 'map-stage';
    document.body.appendChild(stage);
    await document.fonts.ready;
    const m = drawMap(stage, data, { layout: options.layout, lang: options.lang });
    const frame = frameFor(m, { date: data.generatedAt, fileName: data.fileName, legend: options.legend });
    // An SVG file cannot reach the page's fonts: it carries the subsets it needs.
    const svg = await embedFonts(framedSvg(m, frame, options.poster));
    window.powermapReport = { svg: () => svg, png: (scale: number) => framedPng(m, frame, scale, options.poster) };
    document.body.dataset.ready = '1';
    return;
  }

  const analysis = analyze(data, { lang: options.lang });
  // "Changes since <snapshot>", on request: the same comparison the Time panel shows.
  const since = options.since ? await api.call('snapshot.compare', { a: options.since, b: 'now' }) : null;
  const changes = since
    ? { name: since.from.name, takenAt: since.from.takenAt, groups: describeDiff(since, options.lang) }
    : null;
  await document.fonts.ready;
  const pages = mapPages(data, options, false);
  const coverage = options.coveragePage ? mapPages(data, options, true)[0]! : null;
  document.title = [t.title, data.meta.account, data.meta.deal].filter(Boolean).join(' — ');
  const root = createRoot(document.getElementById('report')!);
  flushSync(() =>
    root.render(
      <StrictMode>
        <Report data={data} analysis={analysis} options={options} mapPages={pages} coveragePage={coverage} changes={changes} />
      </StrictMode>,
    ),
  );
  await imagesLoaded();
  document.body.dataset.ready = '1';
}

/**
 * The team portfolio on one page: printed at the largest size from 8.5 pt down to 6 pt at which
 * the table fits the page's content height; rows that do not fit even at 6 pt are counted.
 */
async function portfolio(): Promise<void> {
  const { rows, generatedAt } = await api.call('exchange.portfolioData', {});
  const w = sheetWords(options.lang);
  await loadFonts([w.title, ...w.headings, ...rows.flatMap((r) => [r.client, r.deal, r.name, r.owner.name, r.updatedBy?.name ?? ''])].join(''));
  document.title = w.title;
  const style = document.createElement('style');
  style.textContent = pageCss(options, w.footer);
  document.head.appendChild(style);
  const host = document.getElementById('report')!;
  const root = createRoot(host);
  // The page's content box: A4 landscape less the margins (273 × 184 mm); 1 mm = 96/25.4 px.
  const maxH = 184 * (96 / 25.4);
  host.style.width = '273mm';
  const draw = (shown: number, pt: number) => {
    host.style.fontSize = `${pt}pt`;
    flushSync(() => root.render(<PortfolioSheet rows={rows.slice(0, shown)} hidden={rows.length - shown} lang={options.lang} generatedAt={generatedAt} />));
    return host.getBoundingClientRect().height <= maxH;
  };
  await document.fonts.ready;
  let fitted = false;
  for (let pt = 8.5; pt >= 6 && !fitted; pt -= 0.5) fitted = draw(rows.length, pt);
  for (let shown = rows.length - 1; !fitted && shown >= 0; shown--) fitted = draw(shown, 6);
  await imagesLoaded();
  document.body.dataset.ready = '1';
}

main().catch((e: unknown) => {
  const message = (e as Error)?.message ?? String(e);
  document.body.dataset.error = message;
  document.body.dataset.ready = 'error';
  const p = document.createElement('p');
  p.setAttribute('role', 'alert');
  p.textContent = `${STRINGS[options.lang].failed}: ${message}`;
  document.body.appendChild(p);
});
