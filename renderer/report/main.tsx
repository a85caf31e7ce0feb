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
import { legendSvg } from '../../shared/visual/style';
import { drawMap, mapPngBase64, mapSvg, REPORT_FONT } from './map-image';
import { embedFonts, loadFonts, mapText, registerFonts } from '../src/fonts';
import { Report } from './Report';
import { STRINGS } from './strings';
import './report.css';

declare global {
  interface Window {
    powermapReport?: { svg(): string; png(scale: number): string };
  }
}

const svgUrl = (markup: string) => URL.createObjectURL(new Blob([markup], { type: 'image/svg+xml' }));

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
  const stage = document.createElement('div');
  stage.className = 'map-stage';
  document.body.appendChild(stage);
  const cy = drawMap(stage, data, options.layout);

  if (options.mode === 'map') {
    const svg = await embedFonts(mapSvg(cy));
    window.powermapReport = { svg: () => svg, png: (scale: number) => mapPngBase64(cy, scale) };
    document.body.dataset.ready = '1';
    return;
  }

  const analysis = analyze(data, { lang: options.lang });
  // "Changes since <snapshot>", on request: the same comparison the Time panel shows.
  const since = options.since ? await api.call('snapshot.compare', { a: options.since, b: 'now' }) : null;
  const changes = since
    ? { name: since.from.name, takenAt: since.from.takenAt, groups: describeDiff(since, options.lang) }
    : null;
  // Shown as images, the SVGs cannot use the page's fonts: they carry the subsets they need.
  const mapUrl = svgUrl(await embedFonts(mapSvg(cy)));
  cy.destroy();
  stage.remove();
  const legendUrl = svgUrl(await embedFonts(legendSvg('light', options.lang, { fontFamily: REPORT_FONT, width: 230 })));
  document.title = [t.title, data.meta.account, data.meta.deal].filter(Boolean).join(' — ');
  const root = createRoot(document.getElementById('report')!);
  flushSync(() =>
    root.render(
      <StrictMode>
        <Report data={data} analysis={analysis} options={options} mapUrl={mapUrl} legendUrl={legendUrl} changes={changes} />
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
