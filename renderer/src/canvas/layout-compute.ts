/**
 * The heavy work of drawing, kept off the UI thread: the relationship layout (fcose on a headless
 * Cytoscape, then overlaps removed so no two cards touch) and the routing of lines around people
 * (shared/visual/route.ts). layout.worker.ts runs these in a Web Worker; the main thread uses the
 * same functions where a worker cannot start.
 */
import cytoscape from 'cytoscape';
import fcose from 'cytoscape-fcose';
import { removeOverlaps, type Point } from '../../../shared/visual/geometry';
import { routeEdges, type RouteEdge, type RouteNode } from '../../../shared/visual/route';

let registered = false;
function register(): void {
  if (registered) return;
  cytoscape.use(fcose);
  registered = true;
}

export interface LayoutNodeIn {
  id: string;
  w: number;
  h: number;
  kind: 'person' | 'member';
  /** Current position (kept for pinned nodes). */
  x: number;
  y: number;
  pinned: boolean;
}
export interface LayoutEdgeIn {
  id: string;
  source: string;
  target: string;
  kind: string;
}
export interface ForceRequest {
  nodes: LayoutNodeIn[];
  edges: LayoutEdgeIn[];
}
export type LayoutResult = Record<string, Point>;

export interface RouteRequest {
  nodes: RouteNode[];
  edges: RouteEdge[];
}
export type RouteResult = Record<string, Point[]>;

export type WorkRequest = { type: 'force'; req: ForceRequest } | { type: 'route'; req: RouteRequest };

/** Above this many nodes fcose runs its draft (spectral) pass only: ~0.4 s for 2,000 nodes. */
export const FCOSE_DRAFT_ABOVE = 400;
/** Smallest gap between cards after the relationship layout. */
export const FORCE_GAP = 40;

export function computeForce(req: ForceRequest): LayoutResult {
  register();
  const out: LayoutResult = {};
  const cy = cytoscape({
    headless: true,
    styleEnabled: true,
    style: [{ selector: 'node', style: { width: 'data(w)', height: 'data(h)' } }] as cytoscape.StylesheetJson,
    elements: [
      ...req.nodes.map((n) => ({ data: { id: n.id, w: n.w + 40, h: n.h + 40 }, position: { x: n.x, y: n.y } })),
      ...req.edges.map((e) => ({ data: { id: e.id, source: e.source, target: e.target, kind: e.kind } })),
    ],
  });
  const fixed = req.nodes.filter((n) => n.pinned).map((n) => ({ nodeId: n.id, position: { x: n.x, y: n.y } }));
  const big = req.nodes.length > FCOSE_DRAFT_ABOVE;
  cy.layout({
    name: 'fcose',
    quality: big ? 'draft' : 'default',
    randomize: true,
    animate: false,
    fit: false,
    nodeDimensionsIncludeLabels: false,
    nodeRepulsion: () => 6000,
    idealEdgeLength: (e: cytoscape.EdgeSingular) => (e.data('kind') === 'reports_to' ? 70 : e.data('kind') === 'coverage' ? 90 : 90),
    edgeElasticity: (e: cytoscape.EdgeSingular) => (e.data('kind') === 'conflict' ? 0.2 : 0.45),
    nodeSeparation: 60,
    ...(fixed.length && !big ? { fixedNodeConstraint: fixed } : {}),
  } as cytoscape.LayoutOptions).run();
  for (const n of cy.nodes()) out[n.id()] = { ...n.position() };
  cy.destroy();
  if (big) return out;
  // A screen and a page are landscape: a layout much wider (or taller) than that is squeezed
  // toward it before overlaps are removed, so the map fills the window at a legible zoom.
  if (!fixed.length) fitAspect(req.nodes, out, 1.4);
  // fcose keeps nodes apart only roughly: push apart what still touches (pinned stay).
  return removeOverlaps(
    req.nodes.map((n) => ({ id: n.id, x: out[n.id]!.x, y: out[n.id]!.y, w: n.w, h: n.h, pinned: n.pinned })),
    FORCE_GAP,
  );
}

/** Scales positions about their centre so the layout's width ÷ height comes near `aspect`. */
export function fitAspect(nodes: readonly { id: string; w: number; h: number }[], pos: LayoutResult, aspect: number): void {
  if (nodes.length < 3) return;
  const xs = nodes.map((n) => pos[n.id]!.x);
  const ys = nodes.map((n) => pos[n.id]!.y);
  const w = Math.max(...xs) - Math.min(...xs) + 1;
  const h = Math.max(...ys) - Math.min(...ys) + 1;
  const cx = (Math.max(...xs) + Math.min(...xs)) / 2;
  const cy = (Math.max(...ys) + Math.min(...ys)) / 2;
  const ratio = w / h;
  if (ratio > aspect * 1.15) {
    const k = Math.sqrt(aspect / ratio);
    for (const n of nodes) pos[n.id] = { x: cx + (pos[n.id]!.x - cx) * k, y: cy + (pos[n.id]!.y - cy) / k };
  } else if (ratio < aspect / 1.6) {
    const k = Math.sqrt(ratio / (aspect / 1.6));
    for (const n of nodes) pos[n.id] = { x: cx + (pos[n.id]!.x - cx) / k, y: cy + (pos[n.id]!.y - cy) * k };
  }
}

export function computeRoutes(req: RouteRequest): RouteResult {
  return Object.fromEntries(routeEdges(req.nodes, req.edges));
}

export function compute(work: WorkRequest): LayoutResult | RouteResult {
  return work.type === 'force' ? computeForce(work.req) : computeRoutes(work.req);
}
