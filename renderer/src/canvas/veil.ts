/**
 * The highlight veil (issue 22): coach, conflict, focus, search and panel highlights dim the map
 * on a canvas of their own laid over Cytoscape's, with holes where what comes forward is. A
 * highlight toggled on 2,000 people touches no Cytoscape element, so Cytoscape draws nothing: the
 * frame is this one canvas (a fill and a hole per lifted element), not a redraw of the world.
 *
 * Lifted people show through a hole the size of their card (label and halo included). Lifted
 * lines are drawn again over the veil, in their colour, width and dash (visible where they run
 * under a dimmed card, as a lifted line should), with a small hole at each end for Cytoscape's
 * arrowheads and bars; a hole along the whole line would also lift the lines running beside it
 * in the same lane.
 * The veil follows every frame Cytoscape draws (pan, zoom, drag, animation) from its `render`
 * event, so it never lags the map.
 */
import type cytoscape from 'cytoscape';
import { THEMES, VEIL_OPACITY, type ThemeName } from '../../../shared/visual/style';

type El = cytoscape.SingularElementReturnValue;
type Pt = { x: number; y: number };

/** Room around a lifted card (px on screen). */
const CARD_PAD = 3;

export class Veil {
  private readonly canvas: HTMLCanvasElement;
  private readonly ctx: CanvasRenderingContext2D | null;
  private lifted: El[] = [];
  private on = false;
  private drawn = false;
  private background: string;
  private readonly onRender = () => {
    if (this.on) this.draw();
  };

  constructor(
    private readonly cy: cytoscape.Core,
    container: HTMLElement,
    theme: ThemeName,
  ) {
    this.background = THEMES[theme].background;
    const canvas = document.createElement('canvas');
    canvas.dataset.testid = 'canvas-veil';
    canvas.setAttribute('aria-hidden', 'true');
    // Above Cytoscape's layers (its own div, z-index 0), under nothing else; clicks go through.
    canvas.style.cssText = 'position:absolute;left:0;top:0;pointer-events:none;z-index:1;display:none';
    container.appendChild(canvas);
    this.canvas = canvas;
    this.ctx = canvas.getContext('2d');
    cy.on('render', this.onRender);
  }

  /** Whether the veil is down (anything lifted). */
  get active(): boolean {
    return this.on;
  }

  setTheme(theme: ThemeName): void {
    this.background = THEMES[theme].background;
    if (this.on) this.draw();
  }

  /** Lifts exactly `els` (nothing: the veil goes) and draws at once. */
  set(els: El[]): void {
    this.lifted = els;
    this.on = els.length > 0;
    this.draw();
  }

  draw(): void {
    const ctx = this.ctx;
    if (!ctx) return;
    if (!this.on) {
      if (this.drawn) {
        this.canvas.style.display = 'none';
        this.drawn = false;
      }
      return;
    }
    const cy = this.cy;
    const w = cy.width();
    const h = cy.height();
    const dpr = window.devicePixelRatio || 1;
    const pw = Math.max(1, Math.round(w * dpr));
    const ph = Math.max(1, Math.round(h * dpr));
    if (this.canvas.width !== pw || this.canvas.height !== ph) {
      this.canvas.width = pw;
      this.canvas.height = ph;
      this.canvas.style.width = `${w}px`;
      this.canvas.style.height = `${h}px`;
    }
    if (!this.drawn) {
      this.canvas.style.display = 'block';
      this.drawn = true;
    }
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.globalCompositeOperation = 'source-over';
    ctx.setLineDash([]);
    ctx.clearRect(0, 0, w, h);
    ctx.globalAlpha = VEIL_OPACITY;
    ctx.fillStyle = this.background;
    ctx.fillRect(0, 0, w, h);
    ctx.globalAlpha = 1;

    const zoom = cy.zoom();
    const pan = cy.pan();
    const toScreen = (p: Pt): Pt => ({ x: p.x * zoom + pan.x, y: p.y * zoom + pan.y });
    const inView = (x1: number, y1: number, x2: number, y2: number) => x2 >= 0 && y2 >= 0 && x1 <= w && y1 <= h;

    const lines: { pts: Pt[]; width: number; color: string; dash: number[] }[] = [];
    ctx.globalCompositeOperation = 'destination-out';
    ctx.fillStyle = '#000';
    ctx.lineJoin = 'round';
    for (const el of this.lifted) {
      if (el.removed() || !el.visible()) continue;
      if (el.isNode()) {
        const bb = el.boundingBox({ includeLabels: true, includeOverlays: false, includeUnderlays: true });
        const x1 = bb.x1 * zoom + pan.x - CARD_PAD;
        const y1 = bb.y1 * zoom + pan.y - CARD_PAD;
        const x2 = bb.x2 * zoom + pan.x + CARD_PAD;
        const y2 = bb.y2 * zoom + pan.y + CARD_PAD;
        if (!inView(x1, y1, x2, y2)) continue;
        ctx.beginPath();
        ctx.roundRect(x1, y1, x2 - x1, y2 - y1, Math.min(8, (x2 - x1) / 2, (y2 - y1) / 2));
        ctx.fill();
      } else {
        const edge = el as unknown as cytoscape.EdgeSingular;
        const pts = linePoints(edge).map(toScreen);
        if (pts.length < 2) continue;
        let x1 = Infinity;
        let y1 = Infinity;
        let x2 = -Infinity;
        let y2 = -Infinity;
        for (const p of pts) {
          x1 = Math.min(x1, p.x);
          y1 = Math.min(y1, p.y);
          x2 = Math.max(x2, p.x);
          y2 = Math.max(y2, p.y);
        }
        if (!inView(x1 - 20, y1 - 20, x2 + 20, y2 + 20)) continue;
        const st = (name: string) => (edge as unknown as { pstyle(n: string): { pfValue: unknown; strValue: string } }).pstyle(name);
        const width = Math.max(1, (Number(st('width').pfValue) || 1) * zoom);
        // The dash as Cytoscape draws it (its canvas is scaled by the zoom): the line's own pattern.
        const lineStyle = st('line-style').strValue;
        const pattern = lineStyle === 'dashed' ? (st('line-dash-pattern').pfValue as number[]) : lineStyle === 'dotted' ? [1, 1] : [];
        lines.push({ pts, width, color: st('line-color').strValue, dash: pattern.map((v) => v * zoom) });
        // Holes at the ends only, for Cytoscape's arrowheads and bars; the line itself is drawn
        // over the veil below (a hole along it would also lift the lines running beside it).
        const r = Math.max(6, width * 4);
        for (const end of [pts[0]!, pts[pts.length - 1]!]) {
          ctx.beginPath();
          ctx.arc(end.x, end.y, r, 0, Math.PI * 2);
          ctx.fill();
        }
      }
    }
    // The lifted lines again, over the veil.
    ctx.globalCompositeOperation = 'source-over';
    ctx.lineCap = 'butt';
    for (const l of lines) {
      ctx.strokeStyle = l.color;
      ctx.lineWidth = l.width;
      ctx.setLineDash(l.dash);
      strokePath(ctx, l.pts);
    }
    ctx.setLineDash([]);
  }

  /** The veil's opacity (0–255) at a point on screen, as drawn; 0 where it is not down. */
  alphaAt(p: Pt): number {
    if (!this.on || !this.ctx) return 0;
    const dpr = window.devicePixelRatio || 1;
    return this.ctx.getImageData(Math.round(p.x * dpr), Math.round(p.y * dpr), 1, 1).data[3]!;
  }

  destroy(): void {
    this.cy.removeListener('render', this.onRender);
    this.canvas.remove();
  }
}

function strokePath(ctx: CanvasRenderingContext2D, pts: Pt[]): void {
  ctx.beginPath();
  ctx.moveTo(pts[0]!.x, pts[0]!.y);
  for (let i = 1; i < pts.length; i++) ctx.lineTo(pts[i]!.x, pts[i]!.y);
  ctx.stroke();
}

/** A line's path in model units: its ends and, for routed lines, the bends between (Cytoscape's public point getters). */
function linePoints(edge: cytoscape.EdgeSingular): Pt[] {
  const start = edge.sourceEndpoint();
  const end = edge.targetEndpoint();
  if (!start || !end || !Number.isFinite(start.x) || !Number.isFinite(end.x)) return [];
  const bends = (edge.segmentPoints() as Pt[] | undefined) ?? [];
  const ctrl = bends.length ? [] : ((edge.controlPoints() as Pt[] | undefined) ?? []);
  if (!ctrl.length) return [start, ...bends, end];
  // A curved line (quadratic Béziers through the control points' midpoints), walked in short steps.
  const out: Pt[] = [start];
  let from = start;
  for (let i = 0; i < ctrl.length; i++) {
    const c = ctrl[i]!;
    const to = i + 1 < ctrl.length ? { x: (c.x + ctrl[i + 1]!.x) / 2, y: (c.y + ctrl[i + 1]!.y) / 2 } : end;
    for (let k = 1; k <= 8; k++) {
      const t = k / 8;
      const u = 1 - t;
      out.push({ x: u * u * from.x + 2 * u * t * c.x + t * t * to.x, y: u * u * from.y + 2 * u * t * c.y + t * t * to.y });
    }
    from = to;
  }
  return out;
}
