/**
 * The report view's entry (report.html). It reads its options from the address's query, fetches
 * the map through the API (the same loopback server or Electron bridge as the app), draws the map,
 * and sets <body data-ready="1"> once everything — images and fonts — is ready to print, or
 * data-ready="error" with data-error="…" when it cannot. In map mode (PNG/SVG exports) it draws
 * only the map and answers window.powermapReport.svg() / .png(scale).
 */
import { thresholdDays } from '../../shared/evidence';
import '../zod-csp'; // first: before any zod schema exists
import { options } from './options';
import { StrictMode } from 'react';
import { flushSync } from 'react-dom';
import { createRoot } from 'react-dom/client';
import { analyze } from '../../shared/analysis';
import { api } from '../src/api/client';
import { describeDiff } from '../../shared/time/describe';
import type { ReportData } from '../../shared/api/exchange';
import type { ReportOptions } from '../../shared/exchange/report-options';
import { opsToSvg } from '../../shared/visual/legend';
import { drawMap, fitLabels, frameFor, framedPng, framedSvg, mapLegend, mapSize, mapSvg, REPORT_FONT } from './map-image';
import type { MapPageProps } from './MapPage';
import { embedFonts, loadFonts, mapText, registerFonts } from '../src/fonts';
import { Report } from './Report';
import { STRINGS } from './strings';
import './report.css';
import './map-page.css';

declare global {
  interface Window {
    powermapReport?: { svg(): string; png(scale: number): Promise<string> };
  }
}

const PX_PER_MM = 96 / 25.4;
const PAGE_MM = { A4: { w: 297, h: 210 }, A3: { w: 420, h: 297 } } as const;

/**
 * One map page: the map drawn for the space the page leaves it (labels sized for that scale, so
 * names print at a legible size), as inline SVG, with the legend strip under it.
 */
function mapPage(data: ReportData, o: ReportOptions, coverage: boolean): MapPageProps {
  const t = STRINGS[o.lang];
  const stage = document.createElement('div');
  stage.className = 'map-stage';
  document.body.appendChild(stage);
  const m = drawMap(stage, data, {
    layout: o.layout,
    lang: o.lang,
    coverage,
    // The deal review's map marks unverified and stale facts (issue 20), as of the report's date.
    evidence: coverage ? undefined : { now: Date.parse(data.generatedAt) || Date.now(), days: thresholdDays(data.meta) },
  });
  try {
    const page = PAGE_MM[o.pageSize];
    const widthMm = page.w - 24;
    // Content height minus the heading, the legend and their gaps.
    const legendFont = 12;
    const strip = mapLegend(m, widthMm * PX_PER_MM, legendFont);
    const legendMm = strip.height / PX_PER_MM + 4;
    const heightMm = Math.max(60, page.h - 26 - 12 - legendMm - (coverage ? 6 : 0));
    const size = mapSize(m);
    const scale = Math.min((widthMm * PX_PER_MM) / size.w, (heightMm * PX_PER_MM) / size.h);
    fitLabels(m, scale);
    const raw = mapSvg(m);
    const w = Number(/width="([\d.]+)"/.exec(raw)?.[1] ?? 1);
    const h = Number(/height="([\d.]+)"/.exec(raw)?.[1] ?? 1);
    const svg = raw.replace(/^<svg ([^>]*?)width="[\d.]+" height="[\d.]+"/, `<svg $1width="100%" height="100%" viewBox="0 0 ${w} ${h}" preserveAspectRatio="xMidYMid meet" font-family="${REPORT_FONT.replace(/"/g, "'")}"`);
    const legend = `<svg xmlns="http://www.w3.org/2000/svg" width="${strip.width}" height="${strip.height}" viewBox="0 0 ${strip.width} ${strip.height}">${opsToSvg(strip.ops)}</svg>`;
    const heading = [data.meta.account, data.meta.deal].filter(Boolean).join(' — ') || data.fileName;
    const covered = new Set(data.coverage.map((c) => c.personId));
    const uncovered = data.people.filter((p) => !covered.has(p.id) && p.influence !== 'low').map((p) => p.name);
    return coverage
      ? {
          heading: t.coverageMap,
          sub: t.coverageSub,
          svg,
          legend,
          heightMm,
          testId: 'report-coverage-page',
          note: uncovered.length ? `${t.uncovered}: ${uncovered.join(o.lang === 'zh-CN' ? '、' : ', ')}` : undefined,
        }
      : { heading: t.map, sub: heading, svg, legend, heightMm, testId: 'report-map-page' };
  } finally {
    m.cy.destroy();
    stage.remove();
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
    const svg = await embedFonts(framedSvg(m, frame));
    window.powermapReport = { svg: () => svg, png: (scale: number) => framedPng(m, frame, scale) };
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
  const main = mapPage(data, options, false);
  const coverage = options.coveragePage ? mapPage(data, options, true) : null;
  document.title = [t.title, data.meta.account, data.meta.deal].filter(Boolean).join(' — ');
  const root = createRoot(document.getElementById('report')!);
  flushSync(() =>
    root.render(
      <StrictMode>
        <Report data={data} analysis={analysis} options={options} mapPage={main} coveragePage={coverage} changes={changes} />
      </StrictMode>,
    ),
  );
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
