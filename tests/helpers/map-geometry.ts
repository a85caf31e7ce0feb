/**
 * Measuring what the map really draws, in Chromium: every line's rendered geometry against every
 * person's box, and every drawn label against every other. Two sources:
 * - the live canvas (Cytoscape's own rendered geometry: sourceEndpoint, segmentPoints or sampled
 *   bézier control points, targetEndpoint; node boxes with their borders; label bounds);
 * - an exported SVG loaded in a page (edge paths sampled with getPointAtLength, cards and texts by
 *   their client boxes).
 * The functions passed to page.evaluate are self-contained (no outer references).
 */
import type { Page } from 'playwright-core';

export interface Violation {
  edge: string;
  person: string;
  distance: number;
}
export interface CanvasReport {
  edges: number;
  people: number;
  labels: number;
  violations: Violation[];
  labelOverlaps: string[];
  zoom: number;
  lod: string;
}

/** Waits until the canvas is idle: no layout, routing, animation or fit pending (twice in a row). */
export async function settle(page: Page): Promise<void> {
  let calm = 0;
  for (let i = 0; i < 200 && calm < 3; i++) {
    const idle = await page.evaluate(() => {
      const g = globalThis as unknown as { __powermap?: { controller: { idle(): boolean } } };
      return g.__powermap?.controller.idle() ?? false;
    });
    calm = idle ? calm + 1 : 0;
    await page.waitForTimeout(100);
  }
  if (calm < 3) throw new Error('the canvas did not settle within 20 s');
}

/** Lines against people and labels against labels, as drawn now (model px). */
export function measureCanvas(page: Page, threshold: number): Promise<CanvasReport> {
  return page.evaluate((threshold) => {
    type P = { x: number; y: number };
    type B = { x1: number; y1: number; x2: number; y2: number };
    type El = {
      id(): string;
      data(k: string): unknown;
      position(): P;
      outerWidth(): number;
      outerHeight(): number;
      visible(): boolean;
      style(k: string): string;
      hasClass(c: string): boolean;
      sourceEndpoint(): P;
      targetEndpoint(): P;
      segmentPoints(): P[] | undefined;
      controlPoints(): P[] | undefined;
      boundingBox(o: object): B;
      classes(): string[];
      [k: string]: unknown;
    };
    type Coll = { filter(f: (e: El) => boolean): El[] & Coll; map<T>(f: (e: El) => T): T[]; forEach(f: (e: El) => void): void };
    const cy = (globalThis as unknown as { __powermap: { cy: { nodes(s?: string): Coll; edges(): Coll; zoom(): number } } }).__powermap.cy;
    const segBox = (a: P, b: P, r: B): number => {
      // Distance between segment a→b and box r: 0 when they meet (Liang–Barsky), else the least of
      // the ends' distances to the box and the corners' distances to the segment.
      const dx = b.x - a.x;
      const dy = b.y - a.y;
      let t0 = 0;
      let t1 = 1;
      let meets = true;
      for (const [p, q] of [
        [-dx, a.x - r.x1],
        [dx, r.x2 - a.x],
        [-dy, a.y - r.y1],
        [dy, r.y2 - a.y],
      ] as const) {
        if (p === 0) {
          if (q < 0) meets = false;
        } else {
          const t = q / p;
          if (p < 0) t0 = Math.max(t0, t);
          else t1 = Math.min(t1, t);
        }
      }
      if (meets && t0 <= t1) return 0;
      const pb = (x: number, y: number) => Math.hypot(Math.max(r.x1 - x, 0, x - r.x2), Math.max(r.y1 - y, 0, y - r.y2));
      const ps = (x: number, y: number) => {
        const l2 = dx * dx + dy * dy;
        const t = l2 ? Math.max(0, Math.min(1, ((x - a.x) * dx + (y - a.y) * dy) / l2)) : 0;
        return Math.hypot(x - a.x - t * dx, y - a.y - t * dy);
      };
      return Math.min(pb(a.x, a.y), pb(b.x, b.y), ps(r.x1, r.y1), ps(r.x2, r.y1), ps(r.x1, r.y2), ps(r.x2, r.y2));
    };
    const people = cy.nodes('[kind = "person"], [kind = "member"]').filter((n) => n.visible());
    const boxes = people.map((n) => {
      const p = n.position();
      const w = n.outerWidth();
      const h = n.outerHeight();
      return { id: n.id(), x1: p.x - w / 2, y1: p.y - h / 2, x2: p.x + w / 2, y2: p.y + h / 2 };
    });
    const violations: { edge: string; person: string; distance: number }[] = [];
    const edges = cy.edges().filter((e) => e.visible() && e.style('display') !== 'none');
    edges.forEach((e) => {
      const cs = e.style('curve-style');
      const S = e.sourceEndpoint();
      const T = e.targetEndpoint();
      let pts: P[] = [S, T];
      if (cs === 'segments' || cs === 'round-segments' || cs === 'taxi' || cs === 'round-taxi') pts = [S, ...(e.segmentPoints() ?? []), T];
      else if (cs === 'bezier' || cs === 'unbundled-bezier') {
        // A chain of quadratic béziers through the control points (Cytoscape's bezier edges).
        const cps = e.controlPoints() ?? [];
        pts = [S];
        let start = S;
        cps.forEach((c, i) => {
          const end = i === cps.length - 1 ? T : { x: (c.x + cps[i + 1]!.x) / 2, y: (c.y + cps[i + 1]!.y) / 2 };
          for (let k = 1; k <= 16; k++) {
            const t = k / 16;
            pts.push({ x: (1 - t) * (1 - t) * start.x + 2 * (1 - t) * t * c.x + t * t * end.x, y: (1 - t) * (1 - t) * start.y + 2 * (1 - t) * t * c.y + t * t * end.y });
          }
          start = end;
        });
        if (!cps.length) pts.push(T);
      }
      const src = e.data('source') as string;
      const tgt = e.data('target') as string;
      for (const b of boxes) {
        if (b.id === src || b.id === tgt) continue;
        let d = Infinity;
        for (let i = 1; i < pts.length; i++) d = Math.min(d, segBox(pts[i - 1]!, pts[i]!, b));
        if (d < threshold) violations.push({ edge: e.id(), person: b.id, distance: Math.round(d * 10) / 10 });
      }
    });
    // Labels as drawn: Cytoscape's label bounds without the padding it adds for borders.
    const zoom = cy.zoom();
    const labels: { id: string; b: B }[] = [];
    cy.nodes().forEach((n) => {
      if (!n.visible()) return;
      const text = n.style('label');
      if (!text || !text.trim()) return;
      const fs = parseFloat(n.style('font-size'));
      if (fs * zoom < parseFloat(n.style('min-zoomed-font-size'))) return; // not drawn at this zoom
      n.boundingBox({ includeLabels: true });
      const lb = (n as unknown as { _private: { labelBounds: { main: B & { leftPad: number; rightPad: number; topPad: number; botPad: number } } } })._private.labelBounds.main;
      if (!lb) return;
      const ex = (lb.rightPad - lb.leftPad) / 2;
      const ey = (lb.botPad - lb.topPad) / 2;
      labels.push({ id: n.id(), b: { x1: lb.x1 + ex, y1: lb.y1 + ey, x2: lb.x2 - ex, y2: lb.y2 - ey } });
    });
    const labelOverlaps: string[] = [];
    for (let i = 0; i < labels.length; i++)
      for (let j = i + 1; j < labels.length; j++) {
        const a = labels[i]!.b;
        const b = labels[j]!.b;
        const ox = Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1);
        const oy = Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1);
        if (ox > 0.5 && oy > 0.5) labelOverlaps.push(`${labels[i]!.id} × ${labels[j]!.id} (${ox.toFixed(1)}×${oy.toFixed(1)})`);
      }
    const lodNode = people.filter((n) => n.classes().some((c) => c.startsWith('lod-')))[0];
    return {
      edges: edges.length,
      people: people.length,
      labels: labels.length,
      violations,
      labelOverlaps,
      zoom,
      lod: lodNode ? lodNode.classes().find((c) => c.startsWith('lod-'))! : 'lod-0',
    };
  }, threshold);
}

export interface SvgReport {
  cards: number;
  edges: number;
  texts: number;
  violations: { edge: number; card: number; distance: number }[];
  textOverlaps: string[];
  allText: string;
}

/**
 * Loads an exported SVG into the page and measures it: cards are the paths filled with the
 * attitude band's gradient or the team colour; lines are open, unfilled, stroked paths outside the
 * legend; a line's ends are the cards nearest its first and last points.
 */
export async function measureSvg(page: Page, svg: string, threshold: number): Promise<SvgReport> {
  await page.setContent(`<!doctype html><html><body style="margin:0">${svg.replace(/^<\?xml[^>]*>/, '')}</body></html>`);
  return page.evaluate((threshold) => {
    type R = { x1: number; y1: number; x2: number; y2: number };
    const root = document.querySelector('svg')!;
    const inLegend = (el: Element) => !!el.closest('g.legend');
    const rect = (el: Element): R => {
      const r = el.getBoundingClientRect();
      return { x1: r.left, y1: r.top, x2: r.right, y2: r.bottom };
    };
    const paths = [...root.querySelectorAll('path')].filter((p) => !inLegend(p));
    const cards = paths
      .filter((p) => /^url\(/.test(p.getAttribute('fill') ?? '') || p.getAttribute('fill') === 'rgb(51,65,79)')
      .map(rect)
      .filter((r) => r.x2 - r.x1 > 60 && r.y2 - r.y1 > 20);
    const lines = paths.filter((p) => p.getAttribute('fill') === 'none' && p.getAttribute('stroke') && !/z\s*$/i.test(p.getAttribute('d') ?? ''));
    const dist = (x: number, y: number, r: R) => Math.hypot(Math.max(r.x1 - x, 0, x - r.x2), Math.max(r.y1 - y, 0, y - r.y2));
    const violations: { edge: number; card: number; distance: number }[] = [];
    let edges = 0;
    lines.forEach((line, li) => {
      const len = line.getTotalLength();
      if (len < 1) return;
      const m = line.getScreenCTM()!;
      const at = (l: number) => {
        const p = line.getPointAtLength(l);
        return { x: m.a * p.x + m.c * p.y + m.e, y: m.b * p.x + m.d * p.y + m.f };
      };
      const first = at(0);
      const last = at(len);
      const nearest = (p: { x: number; y: number }) => {
        let best = -1;
        let bd = Infinity;
        cards.forEach((c, i) => {
          const d = dist(p.x, p.y, c);
          if (d < bd) {
            bd = d;
            best = i;
          }
        });
        return bd < 16 ? best : -1;
      };
      const a = nearest(first);
      const b = nearest(last);
      if (a < 0 || b < 0) return; // not a line between two cards (e.g. a grid rule)
      edges++;
      const n = Math.ceil(len / 1.5);
      const samples = Array.from({ length: n + 1 }, (_v, i) => at((len * i) / n));
      cards.forEach((c, ci) => {
        if (ci === a || ci === b) return;
        let d = Infinity;
        for (const p of samples) d = Math.min(d, dist(p.x, p.y, c));
        if (d < threshold) violations.push({ edge: li, card: ci, distance: Math.round(d * 10) / 10 });
      });
    });
    // Texts: the lines of one label sit in one card and are not compared with each other.
    const texts = [...root.querySelectorAll('text')].filter((t) => !inLegend(t) && (t.textContent ?? '').trim());
    const boxes = texts.map((t) => {
      const r = rect(t);
      const cx = (r.x1 + r.x2) / 2;
      const cy = (r.y1 + r.y2) / 2;
      const owner = cards.findIndex((c) => cx > c.x1 && cx < c.x2 && cy > c.y1 && cy < c.y2);
      return { r, owner, text: t.textContent ?? '' };
    });
    const textOverlaps: string[] = [];
    for (let i = 0; i < boxes.length; i++)
      for (let j = i + 1; j < boxes.length; j++) {
        const p = boxes[i]!;
        const q = boxes[j]!;
        if (p.owner >= 0 && p.owner === q.owner) continue;
        const ox = Math.min(p.r.x2, q.r.x2) - Math.max(p.r.x1, q.r.x1);
        const oy = Math.min(p.r.y2, q.r.y2) - Math.max(p.r.y1, q.r.y1);
        if (ox > 1 && oy > 1) textOverlaps.push(`"${p.text}" × "${q.text}"`);
      }
    return { cards: cards.length, edges, texts: texts.length, violations, textOverlaps, allText: root.textContent ?? '' };
  }, threshold);
}
