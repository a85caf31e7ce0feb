/**
 * The heavy layouts (org chart by dagre, relationships by fcose), computed on a headless Cytoscape
 * so they can run in a Web Worker (layout.worker.ts) and never freeze the window. The main thread
 * uses the same function as a fallback where workers are unavailable.
 */
import cytoscape from 'cytoscape';
import dagre from 'cytoscape-dagre';
import fcose from 'cytoscape-fcose';

let registered = false;
function register(): void {
  if (registered) return;
  cytoscape.use(dagre);
  cytoscape.use(fcose);
  registered = true;
}

export interface LayoutNodeIn {
  id: string;
  size: number;
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
export interface LayoutRequest {
  name: 'org' | 'force';
  nodes: LayoutNodeIn[];
  edges: LayoutEdgeIn[];
}
export type LayoutResult = Record<string, { x: number; y: number }>;

/** Above this many nodes fcose runs its draft (spectral) pass only: ~0.4 s for 2,000 nodes. */
export const FCOSE_DRAFT_ABOVE = 400;

export function computeLayout(req: LayoutRequest): LayoutResult {
  register();
  const out: LayoutResult = {};
  const people = req.nodes.filter((n) => n.kind === 'person');
  const members = req.nodes.filter((n) => n.kind === 'member');
  // Room for the label below each node.
  const style = [{ selector: 'node', style: { width: 'data(w)', height: 'data(h)' } }] as cytoscape.StylesheetJson;

  if (req.name === 'org') {
    const ids = new Set(people.map((p) => p.id));
    // dagre ranks sources above targets: draw each reports-to line from the boss down.
    const edges = req.edges
      .filter((e) => e.kind === 'reports_to' && ids.has(e.source) && ids.has(e.target))
      .map((e) => ({ data: { id: e.id, source: e.target, target: e.source } }));
    const cy = cytoscape({
      headless: true,
      styleEnabled: true,
      style,
      elements: [...people.map((p) => ({ data: { id: p.id, w: Math.max(p.size, 110), h: p.size + 34 } })), ...edges],
    });
    const connected = cy.nodes().filter((n) => n.degree(false) > 0);
    const loners = cy.nodes().filter((n) => n.degree(false) === 0);
    connected.union(connected.connectedEdges()).layout({ name: 'dagre', rankDir: 'TB', nodeSep: 24, rankSep: 80, animate: false } as cytoscape.LayoutOptions).run();
    for (const n of connected) out[n.id()] = { ...n.position() };
    // People with no reporting line yet: a block beside the chart.
    const bb = connected.nonempty() ? connected.boundingBox({}) : { x1: 0, x2: -140, y1: 0, y2: 0 };
    const cols = Math.max(2, Math.ceil(Math.sqrt(loners.length)));
    loners.forEach((n, i) => {
      out[n.id()] = { x: bb.x2 + 160 + (i % cols) * 140, y: bb.y1 + 40 + Math.floor(i / cols) * 110 };
    });
    placeRow(members, out);
    cy.destroy();
  } else {
    const cy = cytoscape({
      headless: true,
      styleEnabled: true,
      style,
      elements: [
        ...req.nodes.map((n) => ({ data: { id: n.id, w: n.size + 20, h: n.size + 30 }, position: { x: n.x, y: n.y } })),
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
      idealEdgeLength: (e: cytoscape.EdgeSingular) => (e.data('kind') === 'reports_to' ? 90 : e.data('kind') === 'coverage' ? 80 : 130),
      edgeElasticity: (e: cytoscape.EdgeSingular) => (e.data('kind') === 'conflict' ? 0.2 : 0.45),
      nodeSeparation: 90,
      ...(fixed.length && !big ? { fixedNodeConstraint: fixed } : {}),
    } as cytoscape.LayoutOptions).run();
    for (const n of cy.nodes()) out[n.id()] = { ...n.position() };
    cy.destroy();
  }
  return out;
}

/** Our team members in a row under everybody else. */
function placeRow(members: LayoutNodeIn[], out: LayoutResult): void {
  if (!members.length) return;
  const pts = Object.values(out);
  const maxY = pts.length ? Math.max(...pts.map((p) => p.y)) : 0;
  const minX = pts.length ? Math.min(...pts.map((p) => p.x)) : 0;
  const maxX = pts.length ? Math.max(...pts.map((p) => p.x)) : 0;
  const step = 130;
  const start = (minX + maxX) / 2 - ((members.length - 1) * step) / 2;
  members.forEach((m, i) => (out[m.id] = { x: start + i * step, y: maxY + 150 }));
}
