/**
 * The report's map pages. A map that fits one page legibly (shared/visual/print-plan.ts: every
 * name inside its card at ≥ 6 pt, none giving way) prints on one page, as it always has. A larger
 * one prints as an overview page — the whole map, names of high-influence people only, each
 * department's region labelled "→ p.N" — followed by one page per department with whole cards
 * (name, title, roles · department at ≥ 6 pt), a department too large for one page cut into tiles. Every page carries the legend of what it
 * shows; on every page labels give way rather than overlap.
 */
import { hasBackdrop } from '../../shared/visual/backdrop';
import type { ReportData } from '../../shared/api/exchange';
import { thresholdDays } from '../../shared/evidence';
import type { Position } from '../../shared/domain';
import type { MapData } from '../../shared/exchange/map-data';
import type { ReportOptions } from '../../shared/exchange/report-options';
import type { Box } from '../../shared/visual/geometry';
import { MIN_PRINT_PX } from '../../shared/visual/labels';
import { departments, fitsLegibly, pageRef, placeRegionLabels, tiles, type Department } from '../../shared/visual/print-plan';
import { FONT } from '../../shared/visual/style';
import { opsToSvg } from '../../shared/visual/legend';
import { addRegions, drawMap, fitLabels, settleLabels, mapLegend, mapSize, mapSvg, measure, REPORT_FONT, type DrawnMap, type Region } from './map-image';
import type { MapPageProps } from './MapPage';
import { STRINGS } from './strings';

const PX_PER_MM = 96 / 25.4;
const PAGE_MM = { A4: { w: 297, h: 210 }, A3: { w: 420, h: 297 } } as const;
/** The page the first map page prints on: the cover is page 1. */
const FIRST_MAP_PAGE = 2;
/** The note line's size (9 pt) in CSS px, and its line height in mm. */
const NOTE_PX = 12;
const NOTE_LINE_MM = 4.4;

interface Sheet {
  widthPx: number;
  heightMm: number;
  heightPx: number;
  legend: string;
}

/** The space a page leaves its map once heading, legend and `noteLines` lines of note are set. */
function sheet(m: DrawnMap, o: ReportOptions, extraMm: number): Sheet {
  const page = PAGE_MM[o.pageSize];
  const widthMm = page.w - 24;
  const strip = mapLegend(m, widthMm * PX_PER_MM, 12);
  const legendMm = strip.height / PX_PER_MM + 4;
  const heightMm = Math.max(60, page.h - 26 - 12 - legendMm - extraMm);
  const legend = `<svg xmlns="http://www.w3.org/2000/svg" width="${strip.width}" height="${strip.height}" viewBox="0 0 ${strip.width} ${strip.height}">${opsToSvg(strip.ops)}</svg>`;
  return { widthPx: widthMm * PX_PER_MM, heightMm, heightPx: heightMm * PX_PER_MM, legend };
}

const scaleFor = (m: DrawnMap, s: Sheet) => {
  const size = mapSize(m);
  return Math.min(s.widthPx / size.w, s.heightPx / size.h);
};

/** The map as the page's inline SVG: scaled to the area, text in the report's font. */
function pageSvg(m: DrawnMap): string {
  const raw = mapSvg(m);
  const w = Number(/width="([\d.]+)"/.exec(raw)?.[1] ?? 1);
  const h = Number(/height="([\d.]+)"/.exec(raw)?.[1] ?? 1);
  return raw.replace(/^<svg ([^>]*?)width="[\d.]+" height="[\d.]+"/, `<svg $1width="100%" height="100%" viewBox="0 0 ${w} ${h}" preserveAspectRatio="xMidYMid meet" font-family="${REPORT_FONT.replace(/"/g, "'")}"`);
}

/** Draws `data` off screen, hands the drawing to `fn`, and always cleans up. */
function withDrawing<T>(data: MapData, o: ReportOptions, coverage: boolean, fn: (m: DrawnMap) => T): T {
  const stage = document.createElement('div');
  stage.className = 'map-stage';
  document.body.appendChild(stage);
  const m = drawMap(stage, data, {
    layout: o.layout,
    lang: o.lang,
    coverage,
    // The deal review's map marks unverified and stale facts (issue 20), as of the report's date.
    evidence: coverage ? undefined : { now: Date.parse((data as Partial<ReportData>).generatedAt ?? '') || Date.now(), days: thresholdDays(data.meta) },
  });
  try {
    return fn(m);
  } finally {
    m.cy.destroy();
    stage.remove();
  }
}

/** Client people `ids` alone (no team, no coverage), at `positions` when given (pinned there). */
function subset(data: ReportData, ids: ReadonlySet<string>, layout: ReportOptions['layout'], positions?: Record<string, { x: number; y: number }>): ReportData {
  const pos: Position[] | undefined = positions ? [...ids].flatMap((id) => (positions[id] ? [{ id, x: positions[id].x, y: positions[id].y, pinned: true }] : [])) : undefined;
  return {
    ...data,
    people: data.people.filter((p) => ids.has(p.id)),
    relations: data.relations.filter((r) => ids.has(r.source) && ids.has(r.target)),
    team: [],
    coverage: [],
    positions: pos ? { [layout]: pos } : {},
  };
}

const positionsOf = (m: DrawnMap) => Object.fromEntries(m.cy.nodes('[kind = "person"]').map((n) => [n.id(), { ...n.position() }]));

/** Lines of note text `text` takes across the page. */
const noteLines = (text: string, widthPx: number) => Math.max(1, Math.ceil(measure()(text, NOTE_PX) / (widthPx * 0.95)));

/**
 * The map pages for the report: one page when the map fits it legibly (and always for the
 * coverage page), else the overview and the departments' pages. The overview is page 2.
 */
export function mapPages(data: ReportData, o: ReportOptions, coverage: boolean): MapPageProps[] {
  const t = STRINGS[o.lang];
  const heading = [data.meta.account, data.meta.deal].filter(Boolean).join(' — ') || data.fileName;
  return withDrawing(data, o, coverage, (m) => {
    const s = sheet(m, o, coverage ? 6 : 0);
    const scale = scaleFor(m, s);
    const fit = fitLabels(m, scale, MIN_PRINT_PX, { print: true });
    if (coverage) {
      const covered = new Set(data.coverage.map((c) => c.personId));
      const uncovered = data.people.filter((p) => !covered.has(p.id) && p.influence !== 'low').map((p) => p.name);
      return [
        {
          heading: t.coverageMap,
          sub: t.coverageSub,
          svg: pageSvg(m),
          legend: s.legend,
          heightMm: s.heightMm,
          testId: 'report-coverage-page',
          note: uncovered.length ? `${t.uncovered}: ${uncovered.join(o.lang === 'zh-CN' ? '、' : ', ')}` : undefined,
        },
      ];
    }
    if (fitsLegibly(fit.lod, fit.givingWay) || data.people.length < 2)
      return [{ heading: t.map, sub: heading, svg: pageSvg(m), legend: s.legend, heightMm: s.heightMm, testId: 'report-map-page' }];
    return splitPages(m, data, o, heading);
  });
}

interface DeptPages {
  dept: Department;
  pages: MapPageProps[];
}

function splitPages(m: DrawnMap, data: ReportData, o: ReportOptions, heading: string): MapPageProps[] {
  const t = STRINGS[o.lang];
  const overviewPos = positionsOf(m);
  const centreX = (ids: string[]) => ids.reduce((a, id) => a + (overviewPos[id]?.x ?? 0), 0) / Math.max(1, ids.length);
  // Departments left to right as the org chart and the relationship map place them.
  const depts = departments(data.people, hasBackdrop(o.layout) ? undefined : centreX);
  const deptName = (d: Department) => d.name || t.noDepartment;

  // The departments' pages, numbered after the overview. Where lines run between departments,
  // each page keeps two note lines for where they go ("Finance → p.5, 4 lines").
  const deptOf = new Map<string, Department>();
  for (const dept of depts) for (const id of dept.ids) deptOf.set(id, dept);
  const crossing = data.relations.some((r) => deptOf.get(r.source) !== deptOf.get(r.target));
  const outNoteMm = crossing ? OUT_NOTE_LINES * NOTE_LINE_MM + 1 : 0;
  const all: DeptPages[] = [];
  const pageOfPerson = new Map<string, number>();
  const pageDept = new Map<number, Department>();
  const onPage: string[][] = [];
  let next = FIRST_MAP_PAGE + 1;
  for (const dept of depts) {
    const ids = new Set(dept.ids);
    // Each department laid out on its own (its reporting lines, its relations, its grid): its
    // people sit closer than on the overview, where other departments' people come between.
    const d = subset(data, ids, o.layout);
    const made = withDrawing(d, o, false, (dm) => departmentPages(dm, d, o, dept, deptName(dept), outNoteMm));
    all.push({ dept, pages: made.map((x) => x.page) });
    for (const x of made) onPage.push(x.ids);
  }
  let k = 0;
  for (const dp of all)
    for (let i = 0; i < dp.pages.length; i++) {
      const p = dp.pages[i]!;
      p.sub = `${p.sub} · ${t.pageOf(next, FIRST_MAP_PAGE)}`;
      for (const id of onPage[k] ?? []) pageOfPerson.set(id, next);
      pageDept.set(next, dp.dept);
      next++;
      k++;
    }
  if (crossing) {
    const width = sheet(m, o, 0).widthPx;
    let n = FIRST_MAP_PAGE + 1;
    for (const p of all.flatMap((dp) => dp.pages)) {
      const here = n++;
      const to = new Map<number, number>();
      for (const r of data.relations) {
        const a = pageOfPerson.get(r.source);
        const b = pageOfPerson.get(r.target);
        if (a === undefined || b === undefined || a === b || (a !== here && b !== here)) continue;
        const other = a === here ? b : a;
        to.set(other, (to.get(other) ?? 0) + 1);
      }
      if (!to.size) continue;
      // Most lines first; what does not fit the two lines is counted.
      const items = [...to].sort((x, y) => y[1] - x[1] || x[0] - y[0]).map(([pg, count]) => `${deptName(pageDept.get(pg)!)} ${pageRef([pg], o.lang)} (${t.linesN(count)})`);
      const sep = o.lang === 'zh-CN' ? '；' : '; ';
      let shown = items.length;
      const text = (k2: number) => `${t.linesOut}: ${items.slice(0, k2).join(sep)}${k2 < items.length ? `${sep}${t.morePages(items.length - k2)}` : ''}`;
      while (shown > 1 && noteLines(text(shown), width) > OUT_NOTE_LINES) shown--;
      p.note = text(shown);
    }
  }
  // Page numbers per department, for the overview's references.
  let n = FIRST_MAP_PAGE + 1;
  const refs = all.map((dp) => {
    const pages = dp.pages.map(() => n++);
    return { dept: dp.dept, pages, text: `${deptName(dp.dept)} ${pageRef(pages, o.lang)}` };
  });
  const note = `${t.departmentPages}: ${refs.map((r) => r.text).join(o.lang === 'zh-CN' ? '；' : '; ')}`;

  // The overview: regions and their references (org chart and relationships; the grid's
  // departments are spread over its cells, so its references are the note alone).
  const high = new Set(data.people.filter((p) => p.influence === 'high').map((p) => p.id));
  const noteMm = noteLines(note, sheet(m, o, 0).widthPx) * NOTE_LINE_MM + 1;
  let s = sheet(m, o, noteMm);
  let scale = scaleFor(m, s);
  let fixed: Box[] = [];
  const gridLabels = m.cy.nodes('[kind = "grid"]').filter((g) => Boolean(g.data('label')));
  const gridFs = new Map(gridLabels.map((g) => [g.id(), Number(g.data('fs'))]));
  for (let round = 0; round < 3; round++) {
    // Labels of the grid's backdrop and the regions print at ≥ 7.5 pt: 10 px at this scale.
    const fs = 10 / scale;
    if (hasBackdrop(o.layout)) gridLabels.forEach((g) => void g.data('fs', Math.max(gridFs.get(g.id())!, fs)));
    else fixed = overviewRegions(m, refs, overviewPos, fs);
    const s2 = sheet(m, o, noteMm);
    const scale2 = scaleFor(m, s2);
    s = s2;
    if (scale2 * fs >= MIN_PRINT_PX || Math.abs(scale2 - scale) < 1e-6) {
      scale = scale2;
      break;
    }
    scale = scale2;
  }
  // Names drawn larger than their cards can widen the drawing, and so shrink it on the page:
  // fit again at the scale it then prints at.
  for (let round = 0; round < 4; round++) {
    fitLabels(m, scale, MIN_PRINT_PX, { only: high, fixed, overview: true, print: true });
    settleLabels(m);
    const after = scaleFor(m, s);
    if (after >= scale * 0.999) break;
    scale = after * 0.98;
  }
  const overview: MapPageProps = {
    heading: `${t.map} · ${t.overview}`,
    sub: `${heading} · ${t.overviewSub}`,
    svg: pageSvg(m),
    legend: s.legend,
    heightMm: s.heightMm,
    testId: 'report-map-page',
    note,
  };
  return [overview, ...all.flatMap((dp) => dp.pages)];
}

/** Adds the departments' regions to the overview; returns their labels' boxes. */
function overviewRegions(m: DrawnMap, refs: { dept: Department; pages: number[]; text: string }[], pos: Record<string, { x: number; y: number }>, fs: number): Box[] {
  const boxOf = (ids: string[]): Box => {
    let b: Box = { x1: Infinity, y1: Infinity, x2: -Infinity, y2: -Infinity };
    for (const id of ids) {
      const n = m.cy.getElementById(id);
      const p = pos[id];
      if (!p || n.empty()) continue;
      const w = n.outerWidth() / 2 + 6;
      const h = n.outerHeight() / 2 + 6;
      b = { x1: Math.min(b.x1, p.x - w), y1: Math.min(b.y1, p.y - h), x2: Math.max(b.x2, p.x + w), y2: Math.max(b.y2, p.y + h) };
    }
    return b;
  };
  const boxes = refs.map((r) => boxOf(r.dept.ids));
  const overlaps = (a: Box, b: Box) => a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2;
  const h = fs * 1.7;
  const sized = refs.map((r, i) => ({ box: boxes[i]!, w: measure()(r.text, fs) * 1.1 + fs, h }));
  const bottom = Math.max(...boxes.map((b) => b.y2)) + fs;
  const at = placeRegionLabels(sized, bottom);
  const regions: Region[] = refs.map((r, i) => ({
    id: String(i),
    box: boxes[i]!,
    outline: boxes.every((b, j) => j === i || !overlaps(b, boxes[i]!)),
    label: r.text,
    at: at[i]!,
    fs,
  }));
  addRegions(m, regions);
  // Names keep a margin from the labels (a fifth of their size all round).
  const d = fs / 5;
  return at.map((a) => ({ x1: a.x - a.w / 2 - d, y1: a.y - a.h / 2 - d, x2: a.x + a.w / 2 + d, y2: a.y + a.h / 2 + d }));
}

/** The note lines a department page keeps for its lines to other pages. */
const OUT_NOTE_LINES = 2;

/** One department's pages (with the people on each): one page when it fits legibly, else tiles of it. */
function departmentPages(dm: DrawnMap, d: ReportData, o: ReportOptions, dept: Department, name: string, noteMm: number): { page: MapPageProps; ids: string[] }[] {
  const t = STRINGS[o.lang];
  const page = (m: DrawnMap, part: string): { page: MapPageProps; ids: string[] } => {
    const s = sheet(m, o, noteMm);
    fitLabels(m, scaleFor(m, s), MIN_PRINT_PX, { print: true });
    return {
      page: { heading: `${t.map} · ${name}`, sub: `${t.people2(dept.ids.length)}${part}`, svg: pageSvg(m), legend: s.legend, heightMm: s.heightMm, testId: 'report-department-page' },
      ids: m.cy.nodes('[kind = "person"]').map((n) => n.id()),
    };
  };
  const s = sheet(dm, o, noteMm);
  const fit = fitLabels(dm, scaleFor(dm, s), MIN_PRINT_PX, { print: true });
  // A department's page shows whole cards (level 0: name, title, roles · department at ≥ 6 pt).
  if ((fit.lod === 0 && fit.givingWay === 0) || dept.ids.length < 2) return [page(dm, '')];
  // Else tiles at the scale that prints the whole card at 6 pt, with room to spare.
  const target = MIN_PRINT_PX / FONT.full;
  const pos = positionsOf(dm);
  const nodes = dm.cy.nodes('[kind = "person"]').map((n) => ({ id: n.id(), ...n.position(), w: n.outerWidth(), h: n.outerHeight() }));
  const cut = tiles(nodes, (s.widthPx / target) * 0.85, (s.heightPx / target) * 0.85);
  // A grid's tile is laid out as a grid of its own (its backdrop must match where its people
  // sit; kept at the department's places, people fell outside the tile's cells and their names
  // gave way to the cells' labels). Other layouts keep the department's places.
  return cut.map((ids, i) =>
    withDrawing(subset(d, new Set(ids), o.layout, hasBackdrop(o.layout) ? undefined : pos), o, false, (tm) => page(tm, ` · ${t.part(i + 1, cut.length)}`)),
  );
}
