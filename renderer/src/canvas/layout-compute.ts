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
    nodeRepulsion: () => 9000,
    idealEdgeLength: (e: cytoscape.EdgeSingular) => (e.data('kind') === 'reports_to' ? 90 : e.data('kind') === 'coverage' ? 100 : 120),
    edgeElasticity: (e: cytoscape.EdgeSingular) => (e.data('kind') === 'conflict' ? 0.2 : 0.45),
    nodeSeparation: 80,
    ...(fixed.length && !big ? { fixedNodeConstraint: fixed } : {}),
  } as cytoscape.LayoutOptions).run();
  for (const n of cy.nodes()) out[n.id()] = { ...n.position() };
  cy.destroy();
  if (big) return out;
  // fcose keeps nodes apart only roughly: push apart what still touches (pinned stay).
  return removeOverlaps(
    req.nodes.map((n) => ({ id: n.id, x: out[n.id]!.x, y: out[n.id]!.y, w: n.w, h: n.h, pinned: n.pinned })),
    FORCE_GAP,
  );
}

export function computeRoutes(req: RouteRequest): RouteResult {
  return Object.fromEntries(routeEdges(req.nodes, req.edges));
}

export function compute(work: WorkRequest): LayoutResult | RouteResult {
  return work.type === 'force' ? computeForce(work.req) : computeRoutes(work.req);
}
