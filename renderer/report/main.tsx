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
import { Report } from './Report';
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

main().catch((e: unknown) => {
  const message = (e as Error)?.message ?? String(e);
  document.body.dataset.error = message;
  document.body.dataset.ready = 'error';
  const p = document.createElement('p');
  p.setAttribute('role', 'alert');
  p.textContent = `${STRINGS[options.lang].failed}: ${message}`;
  document.body.appendChild(p);
});
