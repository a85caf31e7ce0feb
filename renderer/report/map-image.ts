/**
 * Draws the map with the app's own visual language (shared/visual/style.ts) in an off-screen
 * Cytoscape instance, and turns it into SVG (vector, for the PDF and SVG export) or PNG.
 */
import cytoscape from 'cytoscape';
import dagre from 'cytoscape-dagre';
import fcose from 'cytoscape-fcose';
import svg from 'cytoscape-svg';
import type { LayoutName } from '../../shared/domain';
import { FONT_STACK } from '../../shared/fonts';
import type { MapData } from '../../shared/exchange/map-data';
import { cytoscapeElements, cytoscapeStylesheet } from '../../shared/visual/style';
import { placeNodes } from './layout';

let registered = false;
function register(): void {
  if (registered) return;
  registered = true;
  cytoscape.use(dagre);
  cytoscape.use(fcose);
  cytoscape.use(svg);
}

/** The printed map's fonts: the bundled family (shared/fonts.ts), the same on every machine. */
export const REPORT_FONT = FONT_STACK;

export function drawMap(container: HTMLElement, data: MapData, layout: LayoutName): cytoscape.Core {
  register();
  const cy = cytoscape({
    container,
    elements: cytoscapeElements(data),
    style: [
      ...cytoscapeStylesheet('light', { fontFamily: REPORT_FONT }),
      // On paper a label's outline is drawn as a second copy of its text, which PDF readers then
      // find twice: a white backing does the same job for legibility with one copy of the text.
      {
        selector: 'node',
        style: {
          'text-outline-width': 0,
          'text-background-color': '#ffffff',
          'text-background-opacity': 0.8,
          'text-background-padding': '1px',
          'text-background-shape': 'roundrectangle',
        },
      },
    ],
    layout: { name: 'preset' },
    animate: false,
    userZoomingEnabled: false,
    userPanningEnabled: false,
    boxSelectionEnabled: false,
    autoungrabify: true,
    autounselectify: true,
  } as cytoscape.CytoscapeOptions);
  placeNodes(cy, layout, data);
  cy.fit(undefined, 20);
  return cy;
}

/** The whole map as SVG markup (text stays text, so names print crisp and searchable). */
export const mapSvg = (cy: cytoscape.Core): string =>
  (cy as cytoscape.Core & { svg(o: { full: boolean; scale: number; bg: string }): string }).svg({ full: true, scale: 1, bg: '#ffffff' });

/** The whole map as a PNG, base64, at `scale` pixels per map unit. */
export function mapPngBase64(cy: cytoscape.Core, scale: number): string {
  // Browsers refuse canvases much past 16k pixels a side: shrink the scale for huge maps.
  const bb = cy.elements().boundingBox({});
  const fit = Math.min(scale, 16000 / Math.max(1, bb.w), 16000 / Math.max(1, bb.h));
  return cy.png({ full: true, scale: fit, bg: '#ffffff', output: 'base64' }) as unknown as string;
}
