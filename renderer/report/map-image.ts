/**
 * Draws the map with the app's own visual language (shared/visual) in an off-screen Cytoscape
 * instance — the same cards, routed lines, grid backdrop and label rules as the screen — and
 * turns it into the exports:
 * - framedSvg / framedPng: a picture that stands alone (title, date and layout, the map, a legend
 *   of what it shows, margins), for slides and mail; the legend can be left out;
 * - mapSvg: the bare map as SVG markup, for the PDF's map page (which sets its own title and legend).
 * Text stays text in the SVG, so names print crisp and can be searched and copied.
 */
import cytoscape from 'cytoscape';
import svg from 'cytoscape-svg';
import type { LayoutName } from '../../shared/domain';
import type { MapData } from '../../shared/exchange/map-data';
import { MIN_PRINT_PT, POSTER_DPI, POSTER_MM, type PosterSize } from '../../shared/exchange/print-options';
import type { Lang } from '../../shared/i18n/errors';
import { backdropElements, hasBackdrop } from '../../shared/visual/backdrop';
import type { Box } from '../../shared/visual/geometry';
import { LOD_CLASSES, MIN_PRINT_PX, labelsGivingWay, lodFor, type Lod } from '../../shared/visual/labels';
import { drawOps, legend, legendContent, legendStrip, opsToSvg, type DrawOp } from '../../shared/visual/legend';
import { routeStyleData } from '../../shared/visual/route';
import { cytoscapeElements, cytoscapeStylesheet, DEFAULT_FONT, THEMES } from '../../shared/visual/style';
import { canvasMeasurer, type TextMeasurer } from '../../shared/visual/text';
import { gridLabelBoxes } from '../src/canvas/grid-labels';
import { arrange } from './layout';
import { evidenceMarks } from '../../shared/visual/evidence';

let registered = false;
function register(): void {
  if (registered) return;
  registered = true;
  cytoscape.use(svg);
}

/** The printed map's fonts: the bundled family (shared/fonts.ts), the same on every machine. */
export const REPORT_FONT = DEFAULT_FONT;

export interface DrawOptions {
  layout: LayoutName;
  lang: Lang;
  /** Our team and their coverage lines (the coverage page); otherwise client people only. */
  coverage?: boolean;
  /** Mark stale and unverified facts as of `now` with the map's threshold (the report's map; issue 20). */
  evidence?: { now: number; days: number };
}

export interface DrawnMap {
  cy: cytoscape.Core;
  layout: LayoutName;
  lang: Lang;
  coverage: boolean;
  data: MapData;
  /** Which evidence marks the drawing shows (for its legend). */
  evidence?: { stale: boolean; unverified: boolean };
}

let measurer: TextMeasurer | null = null;
export const measure = (): TextMeasurer => {
  if (!measurer) {
    const ctx = document.createElement('canvas').getContext('2d');
    measurer = ctx ? canvasMeasurer(REPORT_FONT, ctx) : (t, s) => t.length * s * 0.6;
  }
  return measurer;
};

export function drawMap(container: HTMLElement, full: MapData, opts: DrawOptions): DrawnMap {
  register();
  const { layout, lang } = opts;
  const coverage = opts.coverage ?? false;
  // The coverage page shows who covers whom on the formal chart: reporting lines and coverage only.
  const data = coverage ? { ...full, relations: full.relations.filter((r) => r.kind === 'reports_to') } : full;
  const form = layout === 'org' ? 'card' : 'chip';
  const cy = cytoscape({
    container,
    elements: cytoscapeElements(data, { lang, measure: measure(), withoutTeam: !coverage }),
    style: [
      ...cytoscapeStylesheet('light', { form, fontFamily: REPORT_FONT, grid: hasBackdrop(layout) }),
      // On paper no selection, hover or dimming; the coverage page shows every coverage line.
      ...(coverage ? [{ selector: 'edge[kind = "coverage"]', style: { display: 'element' } }] : []),
      ...REGION_STYLE,
    ] as cytoscape.StylesheetJson,
    layout: { name: 'preset' },
    animate: false,
    userZoomingEnabled: false,
    userPanningEnabled: false,
    boxSelectionEnabled: false,
    autoungrabify: true,
    autounselectify: true,
  } as cytoscape.CytoscapeOptions);
  const a = arrange(cy, data, layout, coverage);
  cy.batch(() => {
    cy.nodes().positions((n) => a.positions[(n as cytoscape.NodeSingular).id()] ?? { x: 0, y: 0 });
    for (const [id, pts] of a.routes) {
      const e = cy.getElementById(id);
      const s = a.positions[e.data('source') as string];
      const t = a.positions[e.data('target') as string];
      const d = s && t ? routeStyleData(pts, s, t) : null;
      if (d) e.data(d).addClass('routed');
    }
    if (layout !== 'org') cy.edges('[kind = "reports_to"]').addClass('free');
    if (a.grid) cy.add(backdropElements(a.grid, lang, 'light'));
  });
  let evidence: DrawnMap['evidence'];
  if (opts.evidence) {
    const marks = evidenceMarks(data, opts.evidence.now, opts.evidence.days);
    cy.batch(() => {
      for (const [id, cls] of Object.entries(marks)) cy.getElementById(id).addClass(cls.join(' '));
    });
    const all = Object.values(marks).flat();
    evidence = { stale: all.includes('ev-stale'), unverified: all.includes('ev-unverified') };
  }
  cy.fit(undefined, 20);
  return { cy, layout, lang, coverage, data, evidence };
}

/** A department's region on the overview page: a dashed outline, and its label with the page reference. */
const REGION_STYLE = [
  {
    selector: 'node[kind = "region"]',
    style: {
      shape: 'round-rectangle',
      width: 'data(w)',
      height: 'data(h)',
      'background-opacity': 0,
      'border-width': 'data(bw)',
      'border-style': 'dashed',
      'border-color': '#8a94a3',
      label: '',
      events: 'no',
      'z-index-compare': 'manual',
      'z-index': 1,
    },
  },
  {
    selector: 'node[kind = "region-label"]',
    style: {
      shape: 'round-rectangle',
      width: 'data(w)',
      height: 'data(h)',
      'background-color': '#ffffff',
      'background-opacity': 1,
      'border-width': 'data(bw)',
      'border-color': '#1f6feb',
      label: 'data(label)',
      'font-family': REPORT_FONT,
      'font-size': 'data(fs)',
      'font-weight': 'bold',
      color: '#1f6feb',
      'text-valign': 'center',
      'text-halign': 'center',
      'text-max-width': '100000px',
      'text-justification': 'center',
      events: 'no',
      'z-index': 40,
    },
  },
];

export interface Region {
  id: string;
  box: Box;
  /** Draw the dashed outline (only where regions do not overlap). */
  outline: boolean;
  label: string;
  /** The label's centre, size and font size (model px). */
  at: { x: number; y: number; w: number; h: number };
  fs: number;
}

/** Adds departments' regions and their labels to the drawing (the overview page). */
export function addRegions(m: DrawnMap, regions: readonly Region[]): void {
  m.cy.remove('[kind = "region"], [kind = "region-label"]');
  const lock = { selectable: false, grabbable: false, locked: true };
  m.cy.add(
    regions.flatMap((r) => [
      ...(r.outline
        ? [
            {
              group: 'nodes' as const,
              data: { id: `rg:${r.id}`, kind: 'region', w: r.box.x2 - r.box.x1, h: r.box.y2 - r.box.y1, bw: Math.max(1.5, r.fs / 8) },
              position: { x: (r.box.x1 + r.box.x2) / 2, y: (r.box.y1 + r.box.y2) / 2 },
              ...lock,
            },
          ]
        : []),
      {
        group: 'nodes' as const,
        data: { id: `rl:${r.id}`, kind: 'region-label', w: r.at.w, h: r.at.h, fs: r.fs, bw: Math.max(1, r.fs / 10), label: r.label },
        position: { x: r.at.x, y: r.at.y },
        ...lock,
      },
    ]),
  );
}

export interface FitOptions {
  /** Only these people may keep a label (the overview page: high influence only). */
  only?: ReadonlySet<string>;
  /** Boxes people's labels give way to (model px), besides the grid's own labels. */
  fixed?: readonly Box[];
  /**
   * An overview: where even the largest level's names would print under `minPx`, the names of
   * `only` are drawn at exactly `minPx` (as many as fit without overlapping) rather than none.
   */
  overview?: boolean;
  /**
   * Print: skip level 1 (name and title at 16 px), whose two lines the PDF draws too close in a
   * chip; the name alone at 21 px (level 2) instead.
   */
  print?: boolean;
}

/**
 * Sets the labels' level of detail for a picture drawn at `scale` px per map px: names at least
 * `minPx` rendered px, the less influential giving way where labels would collide. Returns the
 * level and how many labels gave way (what "fits legibly" is measured by, print-plan.ts).
 */
export function fitLabels(m: DrawnMap, scale: number, minPx = MIN_PRINT_PX, o: FitOptions = {}): { lod: Lod; givingWay: number } {
  const cy = m.cy;
  const people = cy.nodes('[kind = "person"], [kind = "member"]');
  let lod = lodFor(scale, minPx);
  const fontPx = lod === 5 && o.overview ? (minPx * 1.12) / scale : undefined;
  if (fontPx !== undefined) lod = 4;
  if (o.print && lod === 1 && m.layout !== 'org') lod = 2;
  const card = m.layout === 'org';
  const only = o.only;
  const nodes = people
    .filter((n) => !only || only.has(n.id()))
    .map((n: cytoscape.NodeSingular) => ({
      id: n.id(),
      ...n.position(),
      w: Number(n.data(card ? 'cw' : 'pw')),
      h: Number(n.data(card ? 'ch' : 'ph')),
      prio: Number(n.data('prio')),
      nmw: Number(n.data('nmw')),
    }));
  const off = labelsGivingWay(nodes, lod, [...gridLabelBoxes(cy), ...(o.fixed ?? [])], fontPx);
  cy.batch(() => {
    people.removeClass(LOD_CLASSES.filter(Boolean).join(' '));
    // One line at exactly that size (the stylesheet's wrap width would break a large name).
    if (fontPx !== undefined) people.style({ 'font-size': fontPx, 'text-max-width': `${Math.ceil(fontPx * 200)}px` });
    if (LOD_CLASSES[lod]) people.addClass(LOD_CLASSES[lod]);
    people.filter((n) => off.has(n.id()) || (only !== undefined && !only.has(n.id()))).addClass('lbl-off');
  });
  return { lod, givingWay: off.size };
}

/**
 * A last check against where Cytoscape really draws the labels (its own label boxes, model px):
 * a person's label that touches a kept one, a region's label or a grid label gives way, most
 * influential kept first. Returns how many gave way.
 */
export function settleLabels(m: DrawnMap): number {
  const cy = m.cy;
  const box = (n: cytoscape.NodeSingular): Box => {
    const b = n.boundingBox({ includeNodes: false, includeEdges: false, includeLabels: true, includeOverlays: false } as cytoscape.BoundingBoxOptions);
    return { x1: b.x1, y1: b.y1, x2: b.x2, y2: b.y2 };
  };
  const kept: Box[] = [...gridLabelBoxes(cy), ...cy.nodes('[kind = "region-label"]').map(box)];
  const hit = (b: Box) => kept.some((o) => b.x1 < o.x2 && o.x1 < b.x2 && b.y1 < o.y2 && o.y1 < b.y2);
  const people = cy
    .nodes('[kind = "person"], [kind = "member"]')
    .filter((n) => !n.hasClass('lbl-off'))
    .sort((a, b) => Number(b.data('prio')) - Number(a.data('prio')) || (a.id() < b.id() ? -1 : 1));
  let off = 0;
  cy.batch(() =>
    people.forEach((n) => {
      const b = box(n);
      if (b.x2 <= b.x1) return;
      if (hit(b)) {
        n.addClass('lbl-off');
        off++;
      } else kept.push(b);
    }),
  );
  return off;
}

/** The map's size in map px (everything drawn, labels included). */
export const mapSize = (m: DrawnMap) => {
  const bb = m.cy.elements().boundingBox();
  return { w: Math.ceil(bb.w), h: Math.ceil(bb.h) };
};

/** The bare map as SVG markup. */
export const mapSvg = (m: DrawnMap | cytoscape.Core): string => {
  const cy = 'cy' in m ? m.cy : m;
  return (cy as cytoscape.Core & { svg(o: { full: boolean; scale: number; bg: string }): string }).svg({ full: true, scale: 1, bg: '#ffffff' });
};

// ---------------------------------------------------------------------------------------------
// Pictures that stand alone
// ---------------------------------------------------------------------------------------------

const LAYOUT_NAME: Record<LayoutName, Record<Lang, string>> = {
  org: { 'en-US': 'Org chart', 'zh-CN': '组织架构' },
  force: { 'en-US': 'Relationships', 'zh-CN': '关系图' },
  grid: { 'en-US': 'Power grid (influence × attitude)', 'zh-CN': '权力矩阵（影响力 × 态度）' },
  levels: { 'en-US': 'Level × function (决策层/管理层/操作层 × 使用/技术/采购)', 'zh-CN': '层级 × 职能（决策层/管理层/操作层 × 使用/技术/采购）' },
};
const COVERAGE_NAME: Record<Lang, string> = { 'en-US': 'Our coverage', 'zh-CN': '我方覆盖' };

export interface Frame {
  title: string;
  subtitle: string;
  legend: boolean;
}

/** Title (account — deal), and date · layout, for a map drawn on `date`. */
export function frameFor(m: DrawnMap, opts: { date: Date | string; fileName?: string; legend?: boolean }): Frame {
  const meta = m.data.meta;
  const title = [meta.account, meta.deal].filter((s) => s.trim()).join(' — ') || opts.fileName || 'PowerMap';
  const d = typeof opts.date === 'string' ? new Date(opts.date) : opts.date;
  const date = Number.isNaN(d.getTime()) ? String(opts.date) : d.toLocaleDateString(m.lang, { year: 'numeric', month: 'long', day: 'numeric' });
  const what = m.coverage ? `${LAYOUT_NAME[m.layout][m.lang]} · ${COVERAGE_NAME[m.lang]}` : LAYOUT_NAME[m.layout][m.lang];
  return { title, subtitle: `${what} · ${date}`, legend: opts.legend ?? true };
}

/** The legend of what this drawing shows, flowed to `width` px. */
export function mapLegend(m: DrawnMap, width: number, fontSize = 11) {
  const content = { ...legendContent(m.data, { team: m.coverage, coverage: m.coverage }), ...m.evidence };
  return legendStrip(legend('light', content), m.lang, THEMES.light, width, { fontSize, measure: measure() });
}

const MARGIN = 24;
const TITLE = 20;
const SUB = 12;

interface FrameLayout {
  width: number;
  height: number;
  mapX: number;
  mapY: number;
  mapW: number;
  mapH: number;
  /** Title and rule, in frame px. */
  ops: DrawOp[];
  /** The legend, drawn at (legendX, legendY). */
  legend: DrawOp[];
  legendX: number;
  legendY: number;
}

/** Where the title, map and legend go in a framed picture of a map `mapW`×`mapH` (1× px). */
function frameLayout(m: DrawnMap, frame: Frame, mapW: number, mapH: number): FrameLayout {
  const t = THEMES.light;
  const inner = Math.max(mapW, 560);
  const ops: DrawOp[] = [
    { t: 'text', x: MARGIN, y: MARGIN + TITLE * 0.8, text: frame.title, size: TITLE, bold: true, fill: t.foreground },
    { t: 'text', x: MARGIN, y: MARGIN + TITLE + 8 + SUB * 0.8, text: frame.subtitle, size: SUB, fill: t.muted },
  ];
  const mapY = MARGIN + TITLE + 8 + SUB + 16;
  const mapX = MARGIN + (inner - mapW) / 2;
  let height = mapY + mapH + MARGIN;
  let legendOps: DrawOp[] = [];
  const ly = mapY + mapH + 18;
  if (frame.legend) {
    const strip = mapLegend(m, inner);
    ops.push({ t: 'path', d: `M${MARGIN} ${ly - 8}H${MARGIN + inner}`, stroke: t.border, width: 1 });
    legendOps = strip.ops;
    height = ly + strip.height + MARGIN;
  }
  return { width: inner + 2 * MARGIN, height, mapX, mapY, mapW, mapH, ops, legend: legendOps, legendX: MARGIN, legendY: ly };
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * A poster: the scale (px per frame px) at which the framed picture fills `poster` at `dpi`, with
 * labels fitted so no name is under 6 pt there. Names drawn larger than their cards can widen the
 * picture, so the fit is repeated at the scale it then has.
 */
function fitPoster(m: DrawnMap, frame: Frame, poster: PosterSize, dpi: number): number {
  const paper = POSTER_MM[poster];
  const minPx = (MIN_PRINT_PT / 72) * dpi;
  const scaleOf = () => {
    const { w, h } = mapSize(m);
    const f = frameLayout(m, frame, w, h);
    return Math.min(((paper.w / 25.4) * dpi) / f.width, ((paper.h / 25.4) * dpi) / f.height);
  };
  let s = scaleOf();
  for (let round = 0; round < 4; round++) {
    fitLabels(m, s, minPx, { print: true });
    settleLabels(m);
    const after = scaleOf();
    if (after >= s * 0.999) break;
    s = after * 0.98;
  }
  return s;
}

/** The map as an SVG that stands alone: title, date and layout, the map, the legend, margins. */
export function framedSvg(m: DrawnMap, frame: Frame, poster: PosterSize | null = null): string {
  // CSS px per frame px on the poster sheet (96 per inch), labels ≥ 6 pt there.
  if (poster) fitPoster(m, frame, poster, 96);
  else fitLabels(m, 1, 9);
  const raw = mapSvg(m);
  const w = Number(/width="([\d.]+)"/.exec(raw)?.[1] ?? 0);
  const h = Number(/height="([\d.]+)"/.exec(raw)?.[1] ?? 0);
  const f = frameLayout(m, frame, w, h);
  const inner = raw.replace(/^<svg /, `<svg x="${f.mapX}" y="${f.mapY}" viewBox="0 0 ${w} ${h}" `);
  // On a poster the SVG says its paper size; the picture keeps its proportions inside it.
  const size = poster ? `width="${POSTER_MM[poster].w}mm" height="${POSTER_MM[poster].h}mm" preserveAspectRatio="xMidYMid meet"` : `width="${f.width}" height="${f.height}"`;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" version="1.1" ${size} viewBox="0 0 ${f.width} ${f.height}" font-family="${esc(REPORT_FONT)}">` +
    `<title>${esc(frame.title)}</title><rect width="100%" height="100%" fill="#ffffff"/>${opsToSvg(f.ops)}${inner}` +
    (f.legend.length ? `<g class="legend" transform="translate(${f.legendX} ${f.legendY})">${opsToSvg(f.legend)}</g>` : '') +
    `</svg>`
  );
}

/** Browsers refuse canvases much past 16k pixels a side. */
const MAX_SIDE = 16000;

/**
 * The map as a PNG (base64) that stands alone, at `scale` px per map px — or, for a poster, at the
 * scale that fills the sheet at POSTER_DPI with no name under 6 pt.
 */
export async function framedPng(m: DrawnMap, frame: Frame, scale: number, poster: PosterSize | null = null): Promise<string> {
  if (poster) scale = fitPoster(m, frame, poster, POSTER_DPI);
  else fitLabels(m, scale, 9);
  const { w, h } = mapSize(m);
  const f0 = frameLayout(m, frame, w, h);
  const s = Math.min(scale, MAX_SIDE / f0.width, MAX_SIDE / f0.height);
  // maxWidth/maxHeight rather than scale: Cytoscape multiplies a scale by the screen's pixel ratio.
  const blob = (await m.cy.png({ output: 'blob-promise', full: true, maxWidth: w * s, maxHeight: h * s, bg: '#ffffff' } as unknown as cytoscape.ExportBlobOptions)) as unknown as Blob;
  const img = await createImageBitmap(blob);
  // The frame from the picture's real size (Cytoscape rounds it), in 1× px.
  const f = frameLayout(m, frame, img.width / s, img.height / s);
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(f.width * s);
  canvas.height = Math.round(f.height * s);
  const ctx = canvas.getContext('2d')!;
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.drawImage(img, Math.round(f.mapX * s), Math.round(f.mapY * s));
  ctx.save();
  ctx.scale(s, s);
  drawOps(ctx as never, f.ops, REPORT_FONT, (d) => new Path2D(d));
  ctx.translate(f.legendX, f.legendY);
  drawOps(ctx as never, f.legend, REPORT_FONT, (d) => new Path2D(d));
  ctx.restore();
  const url = canvas.toDataURL('image/png');
  return url.replace(/^data:image\/png;base64,/, '');
}

/** The bare map as a PNG, base64, at `scale` pixels per map unit. */
export function mapPngBase64(m: DrawnMap, scale: number): string {
  const bb = m.cy.elements().boundingBox({});
  const fit = Math.min(scale, MAX_SIDE / Math.max(1, bb.w), MAX_SIDE / Math.max(1, bb.h));
  return m.cy.png({ full: true, scale: fit, bg: '#ffffff', output: 'base64' }) as unknown as string;
}
