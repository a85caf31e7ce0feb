/**
 * The Cytoscape side of the map, kept apart from React (react-cytoscapejs style): one instance per
 * canvas, the document applied as a diff by element id inside cy.batch(), layouts re-run only
 * when the layout really changes or the user asks. React talks to it through a few methods.
 */
import cytoscape, { type Core, type ElementDefinition, type NodeSingular } from 'cytoscape';
import edgehandles from 'cytoscape-edgehandles';
import type { LayoutName, MapDocument, Position } from '../../../shared/domain';
import { GRID_BOUNDS, powerGridPositions } from '../../../shared/visual/grid';
import {
  cytoscapeElements,
  cytoscapeStylesheet,
  LARGE_MAP,
  memberNodeId,
  OVERVIEW_ZOOM,
  positionKeyOf,
  type ThemeName,
} from '../../../shared/visual/style';
import type { LayoutNodeIn } from './layout-compute';
import { runLayout } from './layout-runner';

let registered = false;
function register(): void {
  if (registered) return;
  cytoscape.use(edgehandles);
  registered = true;
}

export interface CanvasEvents {
  /** An element was tapped (element id) or the background (null). */
  select(elementId: string | null): void;
  /** Double-click on empty canvas, in model and container coordinates. */
  dblclickBackground(model: { x: number; y: number }, rendered: { x: number; y: number }): void;
  /** A line was drawn from one node to another (element ids), ending at `rendered`. */
  connect(source: string, target: string, rendered: { x: number; y: number }): void;
  /** Computed positions to store for one layout (bare entity ids). */
  positions(layout: LayoutName, positions: Position[]): void;
  /** Nodes the user dragged (bare entity ids, pinned), with where each drag began: an undoable edit. */
  moved(layout: LayoutName, moves: (Position & { from?: { x: number; y: number } })[]): void;
  layingOut(on: boolean): void;
  /** Pan or zoom changed (overlays follow). */
  viewport(): void;
}

export interface ViewClasses {
  /** Selected element id (person/member/relation/coverage element id). */
  selected: string | null;
  hops: 1 | 2;
  showCoaches: boolean;
  showConflicts: boolean;
  /** Element ids a panel highlights. */
  panel: string[] | null;
  /** Person ids matching the search. */
  search: string[] | null;
  /** Node ids hidden by filters, and edge kinds hidden. */
  hiddenNodes: Set<string>;
  hiddenEdgeKinds: Set<string>;
  /** Extra classes per element id (panel marks). */
  marks: Record<string, string[]>;
}

const ANIMATE_BELOW = 250;

/** How a line being drawn looks (edgehandles' classes). */
const DRAW_STYLE: cytoscape.StylesheetJson = [
  {
    selector: '.eh-preview, .eh-ghost-edge',
    style: { 'line-color': '#1f6feb', 'target-arrow-color': '#1f6feb', 'target-arrow-shape': 'triangle', 'line-style': 'dashed', width: 2 },
  },
  { selector: '.eh-ghost-node', style: { opacity: 0, label: '' } },
  { selector: '.eh-hover, .eh-target', style: { 'overlay-color': '#1f6feb', 'overlay-opacity': 0.2, 'overlay-padding': 8 } },
];

export class CanvasController {
  readonly cy: Core;
  private readonly eh: ReturnType<Core['edgehandles']>;
  private readonly hashes = new Map<string, string>();
  /** Our elements by id (no Cytoscape lookups, which build a collection each). */
  private readonly els = new Map<string, cytoscape.SingularElementReturnValue>();
  private faded = new Set<string>();
  private highlighted = new Set<string>();
  private hidden = new Set<string>();
  private doc: MapDocument | null = null;
  private layout: LayoutName | null = null;
  private layoutSeq = 0;
  private marked = new Map<string, string[]>();
  private drawMode = false;
  private shiftDown = false;
  private readonly cleanup: (() => void)[] = [];

  constructor(
    container: HTMLElement,
    theme: ThemeName,
    private readonly events: CanvasEvents,
  ) {
    register();
    this.cy = cytoscape({
      container,
      style: cytoscapeStylesheet(theme),
      elements: [],
      minZoom: 0.05,
      maxZoom: 4,
      wheelSensitivity: 0.3,
      selectionType: 'single',
      boxSelectionEnabled: false,
      textureOnViewport: false,
      hideEdgesOnViewport: false,
    });
    const cy = this.cy;
    this.eh = cy.edgehandles({
      canConnect: (s: NodeSingular, t: NodeSingular) =>
        !s.same(t) && !(s.data('kind') === 'member' && t.data('kind') === 'member'),
      edgeParams: () => ({ data: { kind: 'preview' } }),
      hoverDelay: 80,
      snap: true,
      snapThreshold: 30,
      noEdgeEventsInDraw: true,
      disableBrowserGestures: true,
    });
    this.theme = theme;
    cy.style(cytoscapeStylesheet(theme).concat(DRAW_STYLE));

    cy.on('tap', (e) => {
      if (e.target === cy) this.events.select(null);
      else this.events.select((e.target as NodeSingular).id());
    });
    cy.on('dbltap', (e) => {
      if (e.target !== cy) return;
      this.events.dblclickBackground({ ...e.position }, { ...e.renderedPosition });
    });
    const grabbedAt = new Map<string, { x: number; y: number }>();
    cy.on('grab', 'node', (e) => {
      const n = e.target as NodeSingular;
      grabbedAt.set(n.id(), { ...n.position() });
    });
    cy.on('dragfree', 'node', (e) => {
      const n = e.target as NodeSingular;
      if (!this.layout || n.hasClass('eh-ghost-node')) return;
      const p = n.position();
      const from = grabbedAt.get(n.id());
      grabbedAt.delete(n.id());
      if (from && Math.abs(from.x - p.x) < 0.5 && Math.abs(from.y - p.y) < 0.5) return; // a click, not a move
      this.events.moved(this.layout, [{ id: positionKeyOf(n.id()), x: p.x, y: p.y, pinned: true, ...(from ? { from } : {}) }]);
    });
    cy.on('ehcomplete', ((_e: unknown, source: NodeSingular, target: NodeSingular, added: cytoscape.CollectionReturnValue) => {
      added.remove();
      const r = target.renderedPosition();
      this.events.connect(source.id(), target.id(), { x: r.x, y: r.y });
    }) as unknown as cytoscape.EventHandler);
    let zoomFrame = 0;
    cy.on('viewport resize', () => {
      this.events.viewport();
      if (!this.large || zoomFrame) return;
      zoomFrame = requestAnimationFrame(() => {
        zoomFrame = 0;
        if (!cy.destroyed()) this.checkOverview();
      });
    });

    // Shift held: dragging from a person draws a line instead of moving them.
    const keydown = (e: KeyboardEvent) => {
      if (e.key === 'Shift' && !this.shiftDown) {
        this.shiftDown = true;
        this.updateDrawMode();
      }
    };
    const keyup = (e: KeyboardEvent) => {
      if (e.key === 'Shift') {
        this.shiftDown = false;
        this.updateDrawMode();
      }
    };
    const blur = () => {
      this.shiftDown = false;
      this.updateDrawMode();
    };
    window.addEventListener('keydown', keydown);
    window.addEventListener('keyup', keyup);
    window.addEventListener('blur', blur);
    this.cleanup.push(() => {
      window.removeEventListener('keydown', keydown);
      window.removeEventListener('keyup', keyup);
      window.removeEventListener('blur', blur);
    });
  }

  private connectMode = false;
  setConnectMode(on: boolean): void {
    this.connectMode = on;
    this.updateDrawMode();
  }
  private updateDrawMode(): void {
    const on = this.connectMode || this.shiftDown;
    if (on === this.drawMode) return;
    this.drawMode = on;
    if (on) this.eh.enableDrawMode();
    else this.eh.disableDrawMode();
    this.cy.container()?.classList.toggle('connecting', on);
  }

  private theme: ThemeName = 'light';
  private large = false;
  private overview = false;
  setTheme(theme: ThemeName): void {
    this.theme = theme;
    this.cy.style(cytoscapeStylesheet(theme, { large: this.large, overview: this.overview }).concat(DRAW_STYLE));
  }
  /** A large map zoomed out draws its lines plainly; zoomed in, in full detail. */
  private checkOverview(): void {
    const overview = this.large && this.cy.zoom() < OVERVIEW_ZOOM;
    if (overview === this.overview) return;
    this.overview = overview;
    this.setTheme(this.theme);
  }
  /** Switches to the cheaper big-map lines when the map grows past LARGE_MAP people (and back). */
  private checkLarge(people: number): void {
    const large = people >= LARGE_MAP;
    if (large === this.large) return;
    this.large = large;
    // A map this big is first seen whole (fitted), i.e. zoomed out: start in overview style so the
    // fit does not restyle every element a second time.
    this.overview = large;
    this.setTheme(this.theme);
  }

  /** Applies the document (and the layout) as a diff by element id. */
  sync(doc: MapDocument, layout: LayoutName): void {
    const first = this.doc === null;
    const prevDoc = this.doc;
    this.doc = doc;
    const cy = this.cy;
    this.checkLarge(doc.people.length);
    const stored = storedPositions(doc, layout);
    const target = cytoscapeElements(doc);
    const wanted = new Map<string, ElementDefinition>();
    for (const el of target) wanted.set(el.data.id as string, el);
    const added: string[] = [];
    let gridDirty = false;

    cy.batch(() => {
      // Removed elements, and edges whose ends changed (Cytoscape cannot move an edge's ends).
      const gone: cytoscape.SingularElementReturnValue[] = [];
      for (const [id, el] of this.els) {
        const w = wanted.get(id);
        if (!w || (el.isEdge() && (el.data('source') !== w.data.source || el.data('target') !== w.data.target))) gone.push(el);
      }
      if (gone.length) {
        for (const el of gone) {
          const id = el.id();
          this.hashes.delete(id);
          this.els.delete(id);
          this.faded.delete(id);
          this.highlighted.delete(id);
          this.hidden.delete(id);
          this.marked.delete(id);
        }
        cy.collection(gone as never).remove();
      }

      const nodes: ElementDefinition[] = [];
      const edges: ElementDefinition[] = [];
      for (const el of target) {
        const id = el.data.id as string;
        const hash = JSON.stringify(el.data);
        const existing = this.els.get(id);
        if (existing) {
          if (this.hashes.get(id) !== hash) {
            if (
              existing.isNode() &&
              (existing.data('attitude') !== el.data.attitude || existing.data('influence') !== el.data.influence)
            )
              gridDirty = true;
            existing.data(el.data);
            this.hashes.set(id, hash);
          }
          continue;
        }
        this.hashes.set(id, hash);
        if (el.group === 'nodes') {
          const p = stored.get(positionKeyOf(id));
          nodes.push(p ? { ...el, position: { x: p.x, y: p.y } } : el);
          if (!p) added.push(id);
          else if (!first) added.push(`=${id}`);
        } else edges.push(el);
      }
      if (nodes.length || edges.length) {
        const fresh = cy.add([...nodes, ...edges]);
        fresh.forEach((e) => {
          this.els.set(e.id(), e);
        });
      }
    });

    const layoutChanged = this.layout !== layout;
    if (!layoutChanged && !first && prevDoc && prevDoc.positions[layout] !== doc.positions[layout]) this.followStored(prevDoc, doc, layout);
    this.layout = layout;
    const unplaced = added.filter((id) => !id.startsWith('='));
    if (first || layoutChanged) {
      void this.applyLayout(layout, { rerun: false, first });
    } else if (layout === 'grid' && (gridDirty || unplaced.length || prevDoc?.positions.grid !== doc.positions.grid)) {
      this.placeGrid(unplaced.length > 0 || gridDirty);
    } else if (unplaced.length) {
      this.placeNear(unplaced);
    }
  }

  /**
   * Stored positions that changed without the canvas moving there (an undone or redone move):
   * the nodes go to them. A drag or a computed layout stores where the node already is.
   */
  private followStored(prev: MapDocument, doc: MapDocument, layout: LayoutName): void {
    const before = storedPositions(prev, layout);
    const target: Record<string, { x: number; y: number }> = {};
    for (const p of doc.positions[layout]) {
      if (before.get(p.id) === p) continue;
      for (const id of [p.id, memberNodeId(p.id)]) {
        const el = this.els.get(id);
        if (!el?.isNode()) continue;
        const at = el.position();
        if (Math.abs(at.x - p.x) > 0.5 || Math.abs(at.y - p.y) > 0.5) target[id] = { x: p.x, y: p.y };
      }
    }
    const n = Object.keys(target).length;
    if (!n) return;
    if (n < ANIMATE_BELOW)
      for (const [id, p] of Object.entries(target)) this.els.get(id)!.stop(true, true).animate({ position: p }, { duration: 250, easing: 'ease-in-out-cubic' });
    else this.cy.batch(() => Object.entries(target).forEach(([id, p]) => this.els.get(id)!.position(p)));
  }

  /** Lays out the current layout again; pinned people stay. */
  relayout(): void {
    if (this.layout) void this.applyLayout(this.layout, { rerun: true, first: false });
  }

  private pinnedIds(layout: LayoutName): Set<string> {
    const ps = this.doc?.positions[layout] ?? [];
    return new Set(ps.filter((p) => p.pinned).map((p) => p.id));
  }

  private async applyLayout(layout: LayoutName, opts: { rerun: boolean; first: boolean }): Promise<void> {
    const cy = this.cy;
    const doc = this.doc;
    if (!doc) return;
    const seq = ++this.layoutSeq;
    const stored = storedPositions(doc, layout);
    const nodes = cy.nodes().filter((n) => !n.hasClass('eh-ghost-node')) as unknown as cytoscape.NodeCollection;
    if (layout === 'grid') {
      // Set positions from the stored ones first, then let placeGrid move the unpinned.
      this.placeGrid(!opts.first);
      return;
    }
    const missing = nodes.filter((n) => !stored.has(positionKeyOf(n.id())));
    if (!opts.rerun && missing.empty()) {
      // Nodes were added at their stored places already on first open.
      if (opts.first) this.fitAll(false);
      else this.setPositions(Object.fromEntries(nodes.map((n) => [n.id(), stored.get(positionKeyOf(n.id()))!])), true);
      return;
    }
    if (!opts.rerun && missing.length <= Math.max(2, nodes.length * 0.2) && missing.length < nodes.length) {
      this.setPositions(Object.fromEntries(nodes.difference(missing).map((n) => [n.id(), stored.get(positionKeyOf(n.id()))!])), !opts.first);
      this.placeNear(missing.map((n) => n.id()));
      return;
    }
    // Nothing (or not enough) stored: a quick draft placement now, the real layout off-thread.
    if (opts.first || nodes.toArray().every((n) => (n as cytoscape.NodeSingular).position('x') === 0 && (n as cytoscape.NodeSingular).position('y') === 0)) {
      cy.batch(() => nodes.layout({ name: 'grid', fit: false, animate: false, avoidOverlap: true, spacingFactor: 1.2 }).run());
      this.fitAll(false);
    }
    const pinned = this.pinnedIds(layout);
    const req = {
      name: layout,
      nodes: nodes.map(
        (n): LayoutNodeIn => ({
          id: n.id(),
          size: Number(n.data('size')) || 40,
          kind: n.data('kind') === 'member' ? 'member' : 'person',
          x: stored.get(positionKeyOf(n.id()))?.x ?? n.position('x'),
          y: stored.get(positionKeyOf(n.id()))?.y ?? n.position('y'),
          pinned: pinned.has(positionKeyOf(n.id())),
        }),
      ),
      edges: cy
        .edges()
        .not('.eh-preview, .eh-ghost-edge')
        .map((e) => ({ id: e.id(), source: e.data('source') as string, target: e.data('target') as string, kind: e.data('kind') as string })),
    };
    this.events.layingOut(true);
    try {
      const result = await runLayout(req);
      if (seq !== this.layoutSeq || this.layout !== layout || cy.destroyed()) return;
      // Pinned people keep their place (including any dragged while the layout ran).
      const pinnedNow = this.pinnedIds(layout);
      const storedNow = this.doc ? storedPositions(this.doc, layout) : stored;
      const target: Record<string, { x: number; y: number }> = {};
      for (const n of nodes) {
        if (n.removed()) continue;
        const key = positionKeyOf(n.id());
        const keep = pinnedNow.has(key) ? storedNow.get(key) : undefined;
        const p = keep ?? result[n.id()];
        if (p) target[n.id()] = p;
      }
      this.setPositions(target, true);
      this.events.positions(
        layout,
        Object.entries(target)
          .filter(([id]) => !pinnedNow.has(positionKeyOf(id)))
          .map(([id, p]) => ({ id: positionKeyOf(id), x: p.x, y: p.y, pinned: false })),
      );
    } finally {
      if (seq === this.layoutSeq) this.events.layingOut(false);
    }
  }

  /** Power grid: people by attitude × influence, our team in a row below; pinned stay. */
  private placeGrid(animate: boolean): void {
    const doc = this.doc;
    if (!doc) return;
    const stored = storedPositions(doc, 'grid');
    const pinned = this.pinnedIds('grid');
    const free = doc.people.filter((p) => !pinned.has(p.id));
    const pos: Record<string, { x: number; y: number }> = powerGridPositions(free);
    for (const id of pinned) {
      const p = stored.get(id);
      if (p && this.cy.getElementById(id).nonempty()) pos[id] = p;
      const mp = stored.get(id);
      if (mp && this.cy.getElementById(memberNodeId(id)).nonempty()) pos[memberNodeId(id)] = mp;
    }
    const members = doc.team.filter((m) => !pinned.has(m.id));
    const step = 130;
    members.forEach((m, i) => {
      pos[memberNodeId(m.id)] = { x: -((members.length - 1) * step) / 2 + i * step, y: 2.5 * 250 + 110 };
    });
    this.setPositions(pos, animate);
  }

  /** New nodes with no stored place: near the people they connect to, else mid-view. */
  private placeNear(ids: string[]): void {
    const cy = this.cy;
    const layout = this.layout;
    if (!layout) return;
    const ext = cy.extent();
    const centre = { x: (ext.x1 + ext.x2) / 2, y: (ext.y1 + ext.y2) / 2 };
    const saved: Position[] = [];
    const taken = cy.nodes().map((n) => n.position());
    const free = (p: { x: number; y: number }) => taken.every((q) => Math.abs(q.x - p.x) > 60 || Math.abs(q.y - p.y) > 60);
    cy.batch(() => {
      for (const id of ids) {
        const n = cy.getElementById(id) as unknown as cytoscape.NodeSingular;
        if (n.empty()) continue;
        const nb = n.neighborhood().nodes().filter((m) => !ids.includes(m.id()));
        let base = centre;
        if (nb.nonempty()) {
          const xs = nb.map((m) => (m as unknown as cytoscape.NodeSingular).position());
          base = { x: xs.reduce((a, p) => a + p.x, 0) / xs.length, y: xs.reduce((a, p) => a + p.y, 0) / xs.length + 90 };
        }
        let p = base;
        for (let k = 0; k < 40 && !free(p); k++) {
          const a = k * 2.4;
          const r = 70 + k * 12;
          p = { x: base.x + r * Math.cos(a), y: base.y + r * Math.sin(a) };
        }
        n.position(p);
        taken.push(p);
        saved.push({ id: positionKeyOf(id), x: p.x, y: p.y, pinned: false });
      }
    });
    this.events.positions(layout, saved);
  }

  private setPositions(pos: Record<string, { x: number; y: number }>, animate: boolean): void {
    const cy = this.cy;
    const n = Object.keys(pos).length;
    if (animate && n > 0 && n < ANIMATE_BELOW) {
      for (const [id, p] of Object.entries(pos)) {
        const el = this.els.get(id);
        if (el?.isNode()) el.stop(true, true).animate({ position: p }, { duration: 300, easing: 'ease-in-out-cubic' });
      }
      setTimeout(() => !cy.destroyed() && this.fitAll(true), 320);
    } else {
      cy.batch(() => {
        for (const [id, p] of Object.entries(pos)) {
          const el = this.els.get(id);
          if (el?.isNode()) el.position(p);
        }
      });
      this.fitAll(false);
    }
  }

  /** Fits the visible map (and, on the power grid, the grid's quadrants) in the window. */
  fitAll(animate: boolean): void {
    const cy = this.cy;
    // The box from positions and sizes (cheap: no label measuring), with room for labels below.
    let bb = { x1: Infinity, y1: Infinity, x2: -Infinity, y2: -Infinity };
    for (const [id, el] of this.els) {
      if (!el.isNode() || this.hidden.has(id)) continue;
      const p = el.position();
      const r = (Number(el.data('size')) || 40) / 2 + 10;
      if (p.x - r - 30 < bb.x1) bb.x1 = p.x - r - 30;
      if (p.x + r + 30 > bb.x2) bb.x2 = p.x + r + 30;
      if (p.y - r < bb.y1) bb.y1 = p.y - r;
      if (p.y + r + 30 > bb.y2) bb.y2 = p.y + r + 30;
    }
    if (!Number.isFinite(bb.x1)) bb = { x1: -200, y1: -200, x2: 200, y2: 200 };
    if (this.layout === 'grid') {
      const g = { x1: GRID_BOUNDS.x1, y1: GRID_BOUNDS.y1, x2: GRID_BOUNDS.x2, y2: GRID_BOUNDS.y2 + 40 };
      bb = { x1: Math.min(bb.x1, g.x1), y1: Math.min(bb.y1, g.y1), x2: Math.max(bb.x2, g.x2), y2: Math.max(bb.y2, g.y2) };
    }
    const pad = 40;
    const w = cy.width();
    const h = cy.height();
    const bw = Math.max(1, bb.x2 - bb.x1);
    const bh = Math.max(1, bb.y2 - bb.y1);
    const zoom = Math.min(2, Math.max(cy.minZoom(), Math.min((w - 2 * pad) / bw, (h - 2 * pad) / bh)));
    const pan = { x: (w - zoom * (bb.x1 + bb.x2)) / 2, y: (h - zoom * (bb.y1 + bb.y2)) / 2 };
    if (this.large && !animate && (zoom < OVERVIEW_ZOOM) !== this.overview) {
      this.overview = zoom < OVERVIEW_ZOOM;
      this.setTheme(this.theme);
    }
    if (animate) cy.animate({ zoom, pan }, { duration: 250 });
    else cy.viewport({ zoom, pan });
  }

  /** Highlights, filters and marks, applied as classes; only elements whose classes change restyle. */
  setView(v: ViewClasses): void {
    const cy = this.cy;
    // Filters.
    const hidden = new Set<string>(v.hiddenNodes);
    if (v.hiddenEdgeKinds.size) for (const [id, el] of this.els) if (el.isEdge() && v.hiddenEdgeKinds.has(el.data('kind'))) hidden.add(id);

    // Focus: the union of everything asked to come forward.
    const sel = v.selected ? this.els.get(v.selected) : undefined;
    const focus = new Set<string>();
    let focusing = false;
    const addAll = (c: cytoscape.CollectionReturnValue) => {
      focusing = true;
      c.forEach((e) => {
        focus.add(e.id());
      });
    };
    if (sel) {
      if (sel.isNode()) {
        let hood = sel.closedNeighborhood();
        if (v.hops === 2) hood = hood.closedNeighborhood();
        addAll(hood);
      } else {
        const edge = sel as unknown as cytoscape.EdgeSingular;
        addAll(edge.union(edge.connectedNodes()));
      }
    }
    if (v.showCoaches) addAll(cy.nodes('[?coach], .candidate').closedNeighborhood());
    if (v.showConflicts) {
      const conflicts = cy.edges('[kind = "conflict"]');
      addAll(conflicts.union(conflicts.connectedNodes()));
    }
    for (const ids of [v.panel, v.search]) {
      if (!ids) continue;
      focusing = true;
      for (const id of ids) {
        const el = this.els.get(id);
        if (!el) continue;
        focus.add(id);
        if (el.isEdge()) {
          focus.add(el.data('source') as string);
          focus.add(el.data('target') as string);
        }
      }
    }
    const faded = new Set<string>();
    if (focusing) for (const id of this.els.keys()) if (!focus.has(id)) faded.add(id);

    cy.batch(() => {
      this.hidden = this.applyClass('hidden', this.hidden, hidden);
      this.faded = this.applyClass('faded', this.faded, faded);
      this.highlighted = this.applyClass('highlighted', this.highlighted, focusing ? focus : new Set());

      // Selection.
      const selected = cy.$(':selected');
      if (selected.length && (selected.length > 1 || !sel || selected[0]!.id() !== sel.id())) selected.unselect();
      if (sel && !sel.selected()) sel.select();

      // Marks.
      for (const [id, classes] of this.marked) {
        const want = v.marks[id];
        const el = this.els.get(id);
        const drop = classes.filter((c) => !want?.includes(c));
        if (el && drop.length) el.removeClass(drop.join(' '));
      }
      for (const [id, classes] of Object.entries(v.marks)) this.els.get(id)?.addClass(classes.join(' '));
      this.marked = new Map(Object.entries(v.marks));
    });
  }

  /** Adds and removes one class so exactly `want` has it; returns the new set. */
  private applyClass(cls: string, current: Set<string>, want: Set<string>): Set<string> {
    const add: cytoscape.SingularElementReturnValue[] = [];
    const remove: cytoscape.SingularElementReturnValue[] = [];
    for (const id of want) if (!current.has(id)) {
      const el = this.els.get(id);
      if (el) add.push(el);
    }
    for (const id of current) if (!want.has(id)) {
      const el = this.els.get(id);
      if (el) remove.push(el);
    }
    if (add.length) this.cy.collection(add as never).addClass(cls);
    if (remove.length) this.cy.collection(remove as never).removeClass(cls);
    return want;
  }

  /** Centres on one element, or fits the whole map. */
  focusOn(id: string | null): void {
    const cy = this.cy;
    const el = id ? cy.getElementById(id) : cy.collection();
    if (el.nonempty()) cy.animate({ center: { eles: el }, zoom: Math.max(cy.zoom(), 1) }, { duration: 250 });
    else this.fitAll(true);
  }

  unpinAll(layout: LayoutName): void {
    if (layout === this.layout) void this.applyLayout(layout, { rerun: true, first: false });
  }

  destroy(): void {
    for (const f of this.cleanup) f();
    this.eh.destroy();
    this.cy.destroy();
  }
}

function storedPositions(doc: MapDocument, layout: LayoutName): Map<string, Position> {
  return new Map(doc.positions[layout].map((p) => [p.id, p]));
}
