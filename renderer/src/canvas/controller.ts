/**
 * The Cytoscape side of the map, kept apart from React (react-cytoscapejs style): one instance per
 * canvas, the document applied as a diff by element id inside cy.batch(). React talks to it
 * through a few methods.
 *
 * Arrangement: the org chart and the power grid are pure functions of the map (shared/visual/org.ts,
 * grid.ts), so they are recomputed on every edit that changes them — a new person or reporting
 * line moves the chart at once (pinned people stay, the rest animate). The relationship layout
 * runs fcose in a worker when asked. After any move, the lines are routed around the cards in the
 * worker (shared/visual/route.ts) and applied as segment geometry; labels switch their level of
 * detail with the zoom and give way where they would collide (shared/visual/labels.ts).
 */
import cytoscape, { type Core, type ElementDefinition, type NodeSingular } from 'cytoscape';
import edgehandles from 'cytoscape-edgehandles';
import type { LayoutName, MapDocument, Position } from '../../../shared/domain';
import type { Lang } from '../../../shared/i18n/errors';
import { boxAround, removeOverlaps, unionBox, type Box, type Point } from '../../../shared/visual/geometry';
import { backdropElements, hasBackdrop, type Backdrop } from '../../../shared/visual/backdrop';
import { gridLayout } from '../../../shared/visual/grid';
import { levelCells, levelsLayout } from '../../../shared/visual/levels';
import { batchStyleTriggers } from './style-triggers';
import { Veil } from './veil';
import { LOD_CLASSES, labelsGivingWay, lodFor, type LabelNode, type Lod } from '../../../shared/visual/labels';
import { gridLabelBoxes } from './grid-labels';
import { orgLayout } from '../../../shared/visual/org';
import { ROUTE_MAX_NODES, routeStyleData } from '../../../shared/visual/route';
import {
  CARD_SIZE,
  CHIP_SIZE,
  coverageData,
  cytoscapeStylesheet,
  DEFAULT_FONT,
  LARGE_MAP,
  MEMBER_CARD,
  MEMBER_CHIP,
  memberData,
  memberNodeId,
  personData,
  relationData,
  relationEdgeId,
  OVERVIEW_ZOOM,
  positionKeyOf,
  type NodeForm,
  type ThemeName,
} from '../../../shared/visual/style';
import { canvasMeasurer, type TextMeasurer } from '../../../shared/visual/text';
import { FORCE_GAP, type LayoutNodeIn } from './layout-compute';
import { abandonWork, runForceLayout, runRouting } from './layout-runner';

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
  /** The pointer is over a node (its element id and rendered position), or left it. */
  hover?(target: { id: string; x: number; y: number } | null): void;
}

export interface ViewClasses {
  /** Selected element id (person/member/relation/coverage element id). */
  selected: string | null;
  hops: 1 | 2;
  showCoaches: boolean;
  showConflicts: boolean;
  /** Our team's coverage lines: all of them (true) or only the selection's. */
  showCoverage?: boolean;
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
const ANIMATE_MS = 300;

/** How a line being drawn looks (edgehandles' classes). */
const DRAW_STYLE: cytoscape.StylesheetJson = [
  {
    selector: '.eh-preview, .eh-ghost-edge',
    style: { 'line-color': '#1f6feb', 'target-arrow-color': '#1f6feb', 'target-arrow-shape': 'triangle', 'line-style': 'dashed', width: 2 },
  },
  { selector: '.eh-ghost-node', style: { opacity: 0, label: '' } },
  { selector: '.eh-hover, .eh-target', style: { 'overlay-color': '#1f6feb', 'overlay-opacity': 0.2, 'overlay-padding': 8 } },
];

/** The layout's node form: cards in the org chart, chips elsewhere. */
export const formOf = (layout: LayoutName, cardsEverywhere = false): NodeForm => (layout === 'org' || cardsEverywhere ? 'card' : 'chip');

type Plan = { positions: Record<string, Point>; routes: Record<string, Point[]>; grid?: Backdrop };

export class CanvasController {
  readonly cy: Core;
  private readonly eh: ReturnType<Core['edgehandles']>;
  /** The entity object each element was last made from (see sync). */
  private readonly srcs = new Map<string, object>();
  private labelEpoch = '';
  private measureGen = 0;
  /** Our elements by id (no Cytoscape lookups, which build a collection each). */
  private readonly els = new Map<string, cytoscape.SingularElementReturnValue>();
  /**
   * Highlights (issue 22): what comes forward shows through holes in a veil drawn on a canvas of
   * its own over the map (veil.ts); no Cytoscape element is touched. Fading every other element
   * restyled the world (thousands of elements per toggle on 2,000 people), and a veil element in
   * Cytoscape still made it redraw the whole map.
   */
  private raised = new Set<string>();
  private readonly veil: Veil;
  private pulseFrame = 0;
  private hidden = new Set<string>();
  private covShown = new Set<string>();
  private doc: MapDocument | null = null;
  private layout: LayoutName | null = null;
  private lang: Lang = 'en-US';
  private layoutSeq = 0;
  private routeSeq = 0;
  private routeTimer = 0;
  private marked = new Map<string, string[]>();
  private drawMode = false;
  private shiftDown = false;
  private readonly cleanup: (() => void)[] = [];
  private measure: TextMeasurer;
  /** Where nodes are going (an animation may still be on its way there). */
  private readonly target = new Map<string, Point>();
  /** Signature of what the org chart / grid arrangement depends on. */
  private arrangedFrom = '';
  private gridGeom: Backdrop | null = null;
  private lod: Lod = 0;
  private labelsOff = new Set<string>();
  private routedIds = new Set<string>();

  constructor(
    container: HTMLElement,
    theme: ThemeName,
    private readonly events: CanvasEvents,
  ) {
    register();
    this.measure = makeMeasurer();
    this.theme = theme;
    this.cy = cytoscape({
      container,
      style: this.sheet(),
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
    batchStyleTriggers(cy);
    // Cytoscape's first frame draws the whole map into cached layers at the current zoom before it
    // shows anything; later frames draw what is in view and queue that work for idle time. A big
    // chart opened at a readable zoom would draw every card to show thirty: the first frame is made
    // like the others (the picture is the same, only the order of work differs).
    const layers = (cy as unknown as { renderer(): { data?: { lyrTxrCache?: { firstGet?: boolean } } } }).renderer().data?.lyrTxrCache;
    if (layers && layers.firstGet !== undefined) layers.firstGet = false;
    // Labels are drawn straight onto the layer, not first into a texture of their own: each texture
    // drawn then copied cost the open of a 200-person map ~8 ms more in Chromium without a GPU, and
    // pans and zooms measured the same either way (the layers Cytoscape builds when idle hold them).
    const lbl = (cy as unknown as { renderer(): { data?: { lblTxrCache?: { getElement?: unknown } } } }).renderer().data?.lblTxrCache;
    if (lbl && typeof lbl.getElement === 'function') lbl.getElement = () => null;
    this.eh = cy.edgehandles({
      canConnect: (s: NodeSingular, t: NodeSingular) =>
        !s.same(t) && t.data('kind') !== 'grid' && !(s.data('kind') === 'member' && t.data('kind') === 'member'),
      edgeParams: () => ({ data: { kind: 'preview' } }),
      hoverDelay: 80,
      snap: true,
      snapThreshold: 30,
      noEdgeEventsInDraw: true,
      disableBrowserGestures: true,
    });
    this.veil = new Veil(cy, container, theme);

    cy.on('tap', (e) => {
      if (e.target === cy) this.events.select(null);
      else if ((e.target as NodeSingular).data('kind') !== 'grid') this.events.select((e.target as NodeSingular).id());
    });
    cy.on('dbltap', (e) => {
      if (this.readOnly || (e.target !== cy && (e.target as NodeSingular).data('kind') !== 'grid')) return;
      this.events.dblclickBackground({ ...e.position }, { ...e.renderedPosition });
    });
    const grabbedAt = new Map<string, { x: number; y: number }>();
    cy.on('grab', 'node', (e) => {
      const n = e.target as NodeSingular;
      grabbedAt.set(n.id(), { ...n.position() });
    });
    cy.on('dragfree', 'node', (e) => {
      const n = e.target as NodeSingular;
      if (!this.layout || n.hasClass('eh-ghost-node') || n.data('kind') === 'grid') return;
      const p = n.position();
      const from = grabbedAt.get(n.id());
      grabbedAt.delete(n.id());
      if (from && Math.abs(from.x - p.x) < 0.5 && Math.abs(from.y - p.y) < 0.5) return; // a click, not a move
      this.target.set(n.id(), { x: p.x, y: p.y });
      // One undoable step on the main side (positions.move); `from` lets undo put it back.
      this.events.moved(this.layout, [{ id: positionKeyOf(n.id()), x: p.x, y: p.y, pinned: true, ...(from ? { from } : {}) }]);
      this.scheduleRoute();
      this.updateLabels(true);
    });
    cy.on('ehcomplete', ((_e: unknown, source: NodeSingular, target: NodeSingular, added: cytoscape.CollectionReturnValue) => {
      added.remove();
      const r = target.renderedPosition();
      this.events.connect(source.id(), target.id(), { x: r.x, y: r.y });
    }) as unknown as cytoscape.EventHandler);
    cy.on('mouseover', 'node', (e) => {
      const n = e.target as NodeSingular;
      if (n.data('kind') !== 'person' && n.data('kind') !== 'member') return;
      const r = n.renderedPosition();
      this.events.hover?.({ id: n.id(), x: r.x, y: r.y + (n.renderedHeight() / 2) });
    });
    cy.on('mouseout drag', 'node', () => this.events.hover?.(null));
    let zoomFrame = 0;
    cy.on('viewport resize', () => {
      this.events.viewport();
      if (zoomFrame) return;
      zoomFrame = requestAnimationFrame(() => {
        zoomFrame = 0;
        if (cy.destroyed()) return;
        if (this.large) this.checkOverview();
        else this.updateLabels(false);
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
    // Labels are measured in the map's font: once a web font arrives, measure again.
    const fontsDone = () => {
      this.measure = makeMeasurer();
      this.measureGen++;
      if (this.doc && this.layout) this.sync(this.doc, this.layout, this.lang);
    };
    document.fonts?.addEventListener?.('loadingdone', fontsDone);
    this.cleanup.push(() => {
      window.removeEventListener('keydown', keydown);
      window.removeEventListener('keyup', keyup);
      window.removeEventListener('blur', blur);
      document.fonts?.removeEventListener?.('loadingdone', fontsDone);
    });
  }

  private connectMode = false;
  setConnectMode(on: boolean): void {
    this.connectMode = on;
    this.updateDrawMode();
  }
  private readOnly = false;
  /** A map the user can only view (a team map's viewer): nothing to drag, draw or add. */
  setReadOnly(on: boolean): void {
    this.readOnly = on;
    this.cy.autoungrabify(on);
    this.updateDrawMode();
  }
  private updateDrawMode(): void {
    const on = (this.connectMode || this.shiftDown) && !this.readOnly;
    if (on === this.drawMode) return;
    this.drawMode = on;
    if (on) this.eh.enableDrawMode();
    else this.eh.disableDrawMode();
    this.cy.container()?.classList.toggle('connecting', on);
  }

  private theme: ThemeName = 'light';
  private large = false;
  private overview = false;
  private form: NodeForm = 'card';
  setTheme(theme: ThemeName): void {
    if (theme === this.theme) return;
    this.theme = theme;
    this.restyle();
    this.veil.setTheme(theme);
    if (hasBackdrop(this.layout)) this.rebuildGrid();
  }
  private sheet(): cytoscape.StylesheetJson {
    return cytoscapeStylesheet(this.theme, { form: this.form, large: this.large, overview: this.overview, grid: hasBackdrop(this.layout) }).concat(DRAW_STYLE);
  }
  private restyle(): void {
    this.cy.style(this.sheet());
  }
  /** A large map zoomed out draws its lines plainly; zoomed in, in full detail. */
  private checkOverview(): void {
    const overview = this.large && this.cy.zoom() < OVERVIEW_ZOOM;
    if (overview === this.overview) return;
    this.overview = overview;
    this.restyle();
  }
  /** Switches to the cheaper big-map drawing when the map grows past LARGE_MAP people (and back). */
  private checkLarge(people: number): boolean {
    const large = people >= LARGE_MAP;
    if (large === this.large) return false;
    this.large = large;
    // A map this big is first seen whole (fitted), i.e. zoomed out: start in overview style so the
    // fit does not restyle every element a second time.
    this.overview = large;
    return true;
  }

  /** Applies the document (and the layout, in the UI language) as a diff by element id. */
  sync(doc: MapDocument, layout: LayoutName, lang: Lang = this.lang): void {
    const first = this.doc === null;
    const prevDoc = this.doc;
    this.doc = doc;
    this.lang = lang;
    const cy = this.cy;
    const layoutChanged = this.layout !== layout;
    const prevLayout = this.layout;
    this.layout = layout;
    let restyle = this.checkLarge(doc.people.length);
    if (formOf(layout, this.cardsEverywhere) !== this.form || (layoutChanged && hasBackdrop(layout) !== hasBackdrop(prevLayout))) {
      this.form = formOf(layout, this.cardsEverywhere);
      restyle = true;
    }
    if (restyle) this.restyle();
    const stored = storedPositions(doc, layout);
    // What each element is made from. The store replaces an entity's object when it changes, so an
    // unchanged object means unchanged data: only new and changed entities are turned into
    // element data (labels measured), unless the language, the font or the map's size class changed.
    const epoch = `${lang}|${this.large}|${this.measureGen}`;
    const relabel = epoch !== this.labelEpoch;
    this.labelEpoch = epoch;
    const labelOpts = { lang, measure: this.measure, lite: this.large };
    type Want = { group: 'nodes' | 'edges'; src: object; source?: string; target?: string; make(): ElementDefinition['data'] };
    const wanted = new Map<string, Want>();
    for (const p of doc.people) wanted.set(p.id, { group: 'nodes', src: p, make: () => personData(p, labelOpts) });
    for (const m of doc.team) wanted.set(memberNodeId(m.id), { group: 'nodes', src: m, make: () => memberData(m, labelOpts) });
    for (const r of doc.relations)
      wanted.set(relationEdgeId(r.id), { group: 'edges', src: r, source: r.source, target: r.target, make: () => relationData(r) });
    for (const c of doc.coverage) {
      const d = coverageData(c);
      wanted.set(d.id, { group: 'edges', src: c, source: d.source, target: d.target, make: () => d });
    }

    // The org chart and the grid are functions of the map: plan them before adding anything.
    const signature = `${this.form}|${arrangementKey(doc, layout)}`;
    const arrange = layout !== 'force' && (first || layoutChanged || signature !== this.arrangedFrom);
    const plan: Plan | null = layout === 'force' ? null : arrange ? this.plan(doc, layout) : null;
    this.arrangedFrom = signature;
    let edgesChanged = false;
    const added: string[] = [];

    cy.batch(() => {
      // Removed elements, and edges whose ends changed (Cytoscape cannot move an edge's ends).
      const gone: cytoscape.SingularElementReturnValue[] = [];
      for (const [id, el] of this.els) {
        const w = wanted.get(id);
        if (!w || (el.isEdge() && (el.data('source') !== w.source || el.data('target') !== w.target))) gone.push(el);
      }
      if (gone.length) {
        for (const el of gone) {
          const id = el.id();
          if (el.isEdge()) edgesChanged = true;
          this.srcs.delete(id);
          this.els.delete(id);
          this.raised.delete(id);
          this.hidden.delete(id);
          this.marked.delete(id);
          this.covShown.delete(id);
          this.labelsOff.delete(id);
          this.routedIds.delete(id);
          this.target.delete(id);
        }
        cy.collection(gone as never).remove();
      }

      const nodes: ElementDefinition[] = [];
      const edges: ElementDefinition[] = [];
      const lodClass = this.large ? '' : LOD_CLASSES[this.lod];
      for (const [id, w] of wanted) {
        const existing = this.els.get(id);
        if (existing) {
          if (relabel || this.srcs.get(id) !== w.src) {
            existing.data(w.make());
            this.srcs.set(id, w.src);
          }
          continue;
        }
        this.srcs.set(id, w.src);
        const el: ElementDefinition = { group: w.group, data: w.make() };
        if (el.group === 'nodes') {
          const p = plan?.positions[id] ?? stored.get(positionKeyOf(id));
          nodes.push({ ...el, ...(p ? { position: { x: p.x, y: p.y } } : {}), ...(lodClass ? { classes: lodClass } : {}) });
          if (p) this.target.set(id, { x: p.x, y: p.y });
          else added.push(id);
        } else {
          edges.push(el);
          edgesChanged = true;
        }
      }
      if (nodes.length || edges.length) {
        const fresh = cy.add([...nodes, ...edges]);
        fresh.forEach((e) => {
          this.els.set(e.id(), e);
        });
      }
      // A big map's first look decides between the overview style and the detailed one: decided
      // here, inside the batch, Cytoscape styles the new elements once (deciding it in home(), after
      // the batch, styled thousands of elements twice).
      if (first && this.large && !added.length) {
        const overview = this.homeView().zoom < OVERVIEW_ZOOM;
        if (overview !== this.overview) {
          this.overview = overview;
          this.restyle();
        }
      }
      // Reports-to lines outside the org chart carry an arrow toward the boss.
      if ((layoutChanged && !first) || (edgesChanged && layout !== 'org'))
        for (const el of this.els.values()) if (el.isEdge() && el.data('kind') === 'reports_to') el.toggleClass('free', layout !== 'org');
    });

    // An undone or redone move: the nodes go where the map now says.
    if (!layoutChanged && !first && prevDoc && prevDoc.positions[layout] !== doc.positions[layout]) this.followStored(prevDoc, doc, layout);
    // Routes of the previous layout mean nothing in this one: straight lines until routed again.
    if (layoutChanged && !first) this.applyRoutes(new Map(), {}, new Set(), true);
    if (hasBackdrop(layout) && (layoutChanged || arrange || lang !== this.gridLang)) this.rebuildGrid(plan?.grid);
    else if (!hasBackdrop(layout) && layoutChanged) this.removeGrid();

    if (plan) {
      // Everything planned: move (animate unless this is the first look), then route.
      this.applyPlan(plan, !first);
      if (first) this.home(false);
      else if (layoutChanged) this.fitSoon();
      return;
    }
    if (layout === 'force') {
      if (first || layoutChanged) {
        void this.forceLayout({ rerun: false, first });
        return;
      }
      if (added.length) this.placeNear(added);
      else if (edgesChanged || prevDoc?.people !== doc.people) this.scheduleRoute();
      this.updateLabels(true);
      return;
    }
    // Org chart / grid without a structural change: new lines still need routes.
    if (edgesChanged) this.scheduleRoute();
    this.updateLabels(true);
  }

  private gridLang: Lang | null = null;

  /** Positions (and org routes) of the org chart or the grid for this map. */
  private plan(doc: MapDocument, layout: LayoutName): Plan {
    const pinned = new Map(doc.positions[layout].filter((p) => p.pinned).map((p) => [p.id, p]));
    const card = formOf(layout, this.cardsEverywhere) === 'card';
    const people = doc.people.map((p) => ({ id: p.id, ...(card ? CARD_SIZE : CHIP_SIZE)[p.influence], attitude: p.attitude, influence: p.influence }));
    const members = doc.team.map((m) => ({ id: memberNodeId(m.id), ...(card ? MEMBER_CARD : MEMBER_CHIP) }));
    let plan: Plan;
    if (layout === 'org') {
      const o = orgLayout(
        people,
        doc.relations.filter((r) => r.kind === 'reports_to').map((r) => [r.source, r.target] as const),
        members,
      );
      plan = { positions: o.positions, routes: o.routes };
    } else if (layout === 'levels') {
      const cells = levelCells(doc.people, doc.relations);
      const g = levelsLayout(
        people.map((p) => ({ ...p, level: cells.get(p.id)!.level, fn: cells.get(p.id)!.fn })),
        members,
      );
      plan = { positions: g.positions, routes: {}, grid: { layout: 'levels', g } };
    } else {
      const g = gridLayout(people, members);
      plan = { positions: g.positions, routes: {}, grid: { layout: 'grid', g } };
    }
    // Pinned people stay where they were put; their reporting lines are routed like the rest.
    for (const [id, p] of pinned) {
      const el = plan.positions[id] ? id : plan.positions[memberNodeId(id)] ? memberNodeId(id) : null;
      if (!el) continue;
      plan.positions[el] = { x: p.x, y: p.y };
      delete plan.routes[el];
      for (const r of doc.relations) if (r.kind === 'reports_to' && r.target === id) delete plan.routes[r.source];
    }
    return plan;
  }

  private applyPlan(plan: Plan, animate: boolean): void {
    // The org chart's reporting lines come with the plan; the others are routed after the move.
    const orgRoutes = new Map<string, Point[]>();
    // A big map draws its reporting lines plainly (the cheaper stylesheet): no elbows to apply.
    if (this.layout === 'org' && !this.large)
      for (const el of this.els.values())
        if (el.isEdge() && el.data('kind') === 'reports_to') {
          const r = plan.routes[el.data('source') as string];
          if (r) orgRoutes.set(el.id(), r);
        }
    this.setPositions(plan.positions, animate);
    this.orgRouted = new Set(orgRoutes.keys());
    this.applyRoutes(orgRoutes, plan.positions, this.orgRouted, false);
    this.scheduleRoute();
    this.updateLabels(true);
  }

  /**
   * True when nothing is on its way: no layout or routing pending, no node moving (tests wait for
   * this before measuring what is drawn).
   */
  idle(): boolean {
    return !this.routeTimer && !this.fitTimer && !this.routing && !this.layingOutNow && this.cy.nodes(':animated').empty() && !this.cy.animated();
  }
  private routing = false;
  private layingOutNow = false;

  private cardsEverywhere = false;
  /**
   * Full cards (name, title, roles) in every layout, not only the org chart: the relationship
   * layout makes room for them (cards pushed apart), the grid's cells grow.
   */
  setCardsEverywhere(on: boolean): void {
    if (on === this.cardsEverywhere) return;
    this.cardsEverywhere = on;
    const layout = this.layout;
    if (!layout || !this.doc) return;
    const form = formOf(layout, on);
    if (form === this.form) return;
    this.form = form;
    this.restyle();
    if (layout === 'force') {
      // Spread the layout by the cards' growth (keeping its shape), then push apart what still touches.
      const nodes = [...this.els.values()].filter((e) => e.isNode());
      const grow = on ? { x: CARD_SIZE.medium.w / CHIP_SIZE.medium.w, y: CARD_SIZE.medium.h / CHIP_SIZE.medium.h } : { x: 1, y: 1 };
      const pts = nodes.map((n) => this.target.get(n.id()) ?? n.position());
      const cx = pts.reduce((a, p) => a + p.x, 0) / Math.max(1, pts.length);
      const cy = pts.reduce((a, p) => a + p.y, 0) / Math.max(1, pts.length);
      const pinned = this.pinnedIds('force');
      const items = nodes.map((n, i) => {
        const fixed = pinned.has(positionKeyOf(n.id()));
        const p = pts[i]!;
        return { id: n.id(), x: fixed ? p.x : cx + (p.x - cx) * grow.x, y: fixed ? p.y : cy + (p.y - cy) * grow.y, ...this.nodeSize(n), pinned: fixed };
      });
      this.setPositions(removeOverlaps(items, FORCE_GAP), true);
      this.scheduleRoute();
      this.updateLabels(true);
    } else this.sync(this.doc, layout, this.lang);
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
    for (const [id, p] of Object.entries(target)) this.target.set(id, p);
    this.scheduleRoute();
    if (n < ANIMATE_BELOW)
      for (const [id, p] of Object.entries(target)) this.els.get(id)!.stop(true, true).animate({ position: p }, { duration: 250, easing: 'ease-in-out-cubic' });
    else this.cy.batch(() => Object.entries(target).forEach(([id, p]) => this.els.get(id)!.position(p)));
  }

  /** Lays out the current layout again; pinned people stay. */
  relayout(): void {
    if (!this.layout || !this.doc) return;
    if (this.layout === 'force') void this.forceLayout({ rerun: true, first: false });
    else {
      this.applyPlan(this.plan(this.doc, this.layout), true);
      this.fitSoon();
    }
  }

  private pinnedIds(layout: LayoutName): Set<string> {
    const ps = this.doc?.positions[layout] ?? [];
    return new Set(ps.filter((p) => p.pinned).map((p) => p.id));
  }

  private nodeSize(el: cytoscape.SingularElementReturnValue): { w: number; h: number } {
    const card = this.form === 'card';
    return { w: Number(el.data(card ? 'cw' : 'pw')) || 150, h: Number(el.data(card ? 'ch' : 'ph')) || 42 };
  }

  private async forceLayout(opts: { rerun: boolean; first: boolean }): Promise<void> {
    const cy = this.cy;
    const doc = this.doc;
    if (!doc) return;
    const layout: LayoutName = 'force';
    const seq = ++this.layoutSeq;
    const stored = storedPositions(doc, layout);
    const nodes = [...this.els.values()].filter((e) => e.isNode());
    const missing = nodes.filter((n) => !stored.has(positionKeyOf(n.id())));
    if (!opts.rerun && missing.length === 0) {
      const pos = Object.fromEntries(nodes.map((n) => [n.id(), stored.get(positionKeyOf(n.id()))!]));
      this.setPositions(pos, !opts.first);
      if (opts.first) this.fitAll(false);
      else this.fitSoon();
      this.scheduleRoute();
      this.updateLabels(true);
      return;
    }
    if (!opts.rerun && missing.length <= Math.max(2, nodes.length * 0.2) && missing.length < nodes.length) {
      const pos = Object.fromEntries(nodes.filter((n) => !missing.includes(n)).map((n) => [n.id(), stored.get(positionKeyOf(n.id()))!]));
      this.setPositions(pos, !opts.first);
      this.placeNear(missing.map((n) => n.id()));
      return;
    }
    // Nothing (or not enough) stored: a quick draft placement now, the real layout off-thread.
    if (opts.first || nodes.every((n) => n.position('x') === 0 && n.position('y') === 0)) {
      cy.batch(() =>
        cy
          .collection(nodes as never)
          .layout({ name: 'grid', fit: false, animate: false, avoidOverlap: true, spacingFactor: 1.2 })
          .run(),
      );
      this.fitAll(false);
    }
    const pinned = this.pinnedIds(layout);
    const req = {
      nodes: nodes.map((n): LayoutNodeIn => {
        const s = stored.get(positionKeyOf(n.id()));
        return {
          id: n.id(),
          ...this.nodeSize(n),
          kind: n.data('kind') === 'member' ? 'member' : 'person',
          x: s?.x ?? n.position('x'),
          y: s?.y ?? n.position('y'),
          pinned: pinned.has(positionKeyOf(n.id())),
        };
      }),
      edges: [...this.els.values()]
        .filter((e) => e.isEdge())
        .map((e) => ({ id: e.id(), source: e.data('source') as string, target: e.data('target') as string, kind: e.data('kind') as string })),
    };
    this.events.layingOut(true);
    this.layingOutNow = true;
    try {
      const result = await runForceLayout(req);
      if (seq !== this.layoutSeq || this.layout !== layout || cy.destroyed()) return;
      // Pinned people keep their place (including any dragged while the layout ran).
      const pinnedNow = this.pinnedIds(layout);
      const storedNow = this.doc ? storedPositions(this.doc, layout) : stored;
      const target: Record<string, Point> = {};
      for (const n of nodes) {
        if (n.removed()) continue;
        const key = positionKeyOf(n.id());
        const keep = pinnedNow.has(key) ? storedNow.get(key) : undefined;
        const p = keep ?? result[n.id()];
        if (p) target[n.id()] = p;
      }
      this.setPositions(target, true);
      this.fitSoon();
      this.scheduleRoute();
      this.updateLabels(true);
      this.events.positions(
        layout,
        Object.entries(target)
          .filter(([id]) => !pinnedNow.has(positionKeyOf(id)))
          .map(([id, p]) => ({ id: positionKeyOf(id), x: p.x, y: p.y, pinned: false })),
      );
    } catch (e) {
      if ((e as Error).message !== 'abandoned') throw e;
    } finally {
      if (seq === this.layoutSeq) {
        this.events.layingOut(false);
        this.layingOutNow = false;
      }
    }
  }

  /** The grid's backdrop: rebuilt when the grid's shape, the theme or the language changes. */
  private rebuildGrid(geom?: Backdrop): void {
    if (geom) this.gridGeom = geom;
    else if (this.doc && hasBackdrop(this.layout)) this.gridGeom = this.plan(this.doc, this.layout).grid ?? null;
    const g = this.gridGeom;
    this.gridLang = this.lang;
    this.cy.batch(() => {
      this.cy.nodes('[kind = "grid"]').remove();
      if (g) this.cy.add(backdropElements(g, this.lang, this.theme));
    });
    this.gridLabels = gridLabelBoxes(this.cy);
  }
  /** Where the grid's own labels are: people's labels give way to them. */
  private gridLabels: Box[] = [];
  private removeGrid(): void {
    this.gridLabels = [];
    this.gridGeom = null;
    this.gridLang = null;
    this.cy.nodes('[kind = "grid"]').remove();
  }

  /** New nodes with no stored place (relationship layout): near the people they connect to. */
  private placeNear(ids: string[]): void {
    const cy = this.cy;
    const layout = this.layout;
    if (!layout) return;
    const ext = cy.extent();
    const centre = { x: (ext.x1 + ext.x2) / 2, y: (ext.y1 + ext.y2) / 2 };
    const saved: Position[] = [];
    const boxes: Box[] = [];
    for (const [id, el] of this.els) if (el.isNode() && !ids.includes(id)) boxes.push(this.boxOf(el));
    cy.batch(() => {
      for (const id of ids) {
        const n = this.els.get(id);
        if (!n?.isNode()) continue;
        const { w, h } = this.nodeSize(n);
        const free = (p: Point) => boxes.every((b) => p.x + w / 2 + 28 <= b.x1 || p.x - w / 2 - 28 >= b.x2 || p.y + h / 2 + 28 <= b.y1 || p.y - h / 2 - 28 >= b.y2);
        const nb = (n as unknown as NodeSingular).neighborhood().nodes().filter((m) => !ids.includes(m.id()));
        let base = centre;
        if (nb.nonempty()) {
          const xs = nb.map((m) => (m as unknown as NodeSingular).position());
          base = { x: xs.reduce((a, p) => a + p.x, 0) / xs.length, y: xs.reduce((a, p) => a + p.y, 0) / xs.length + 90 };
        }
        let p = base;
        for (let k = 0; k < 80 && !free(p); k++) {
          const a = k * 2.4;
          const r = 80 + k * 14;
          p = { x: base.x + r * Math.cos(a), y: base.y + r * Math.sin(a) };
        }
        n.position(p);
        this.target.set(id, p);
        boxes.push(boxAround(p, w, h));
        saved.push({ id: positionKeyOf(id), x: p.x, y: p.y, pinned: false });
      }
    });
    this.events.positions(layout, saved);
    this.scheduleRoute();
    this.updateLabels(true);
  }

  private animating = 0;
  private setPositions(pos: Record<string, Point>, animate: boolean): void {
    const cy = this.cy;
    const n = Object.keys(pos).length;
    for (const [id, p] of Object.entries(pos)) this.target.set(id, p);
    if (animate && n > 0 && n < ANIMATE_BELOW) {
      const run = ++this.animating;
      for (const [id, p] of Object.entries(pos)) {
        const el = this.els.get(id);
        if (!el?.isNode()) continue;
        const cur = el.position();
        if (Math.abs(cur.x - p.x) < 0.5 && Math.abs(cur.y - p.y) < 0.5) continue;
        el.stop(true, true).animate({ position: p }, { duration: ANIMATE_MS, easing: 'ease-in-out-cubic' });
      }
      setTimeout(() => {
        if (run === this.animating) this.animating = 0;
      }, ANIMATE_MS + 20);
    } else {
      cy.batch(() => {
        for (const [id, p] of Object.entries(pos)) {
          const el = this.els.get(id);
          if (!el?.isNode()) continue;
          // Setting an unchanged position still dirties every connected edge's geometry.
          const cur = el.position();
          if (cur.x !== p.x || cur.y !== p.y) el.position(p);
        }
      });
    }
  }

  private fitTimer = 0;
  /** Fits once the nodes have arrived where they are going. */
  private fitSoon(): void {
    clearTimeout(this.fitTimer);
    this.fitTimer = window.setTimeout(() => {
      this.fitTimer = 0;
      if (!this.cy.destroyed()) this.home(true);
    }, ANIMATE_MS + 20);
  }

  private boxOf(el: cytoscape.SingularElementReturnValue): Box {
    const p = this.target.get(el.id()) ?? el.position();
    const { w, h } = this.nodeSize(el);
    return boxAround(p, w, h);
  }

  /** Fits the visible map (and, on the power grid, the grid with its axes) in the window. */
  fitAll(animate: boolean): void {
    this.goTo(this.fitView(), animate);
  }

  /**
   * The view a map opens in (and a layout switch shows): the whole map fitted, unless that leaves
   * no name readable inside a card — a big org chart seen whole is a grid of specks with a few
   * names floating over it. Then the top of the chart at a zoom where cards read name and title
   * (HOME_ZOOM), its head centred: where a reader starts, with F to see it all.
   */
  home(animate: boolean): void {
    this.goTo(this.homeView(), animate);
  }

  private homeView(): { zoom: number; pan: Point } {
    const fit = this.fitView();
    if (this.layout !== 'org' || lodFor(fit.zoom) < 3 || !this.doc) return fit;
    const zoom = HOME_ZOOM;
    let top = Infinity;
    const nodes: { id: string; b: Box }[] = [];
    for (const [id, el] of this.els)
      if (el.isNode() && !this.hidden.has(id) && el.data('kind') === 'person') {
        const b = this.boxOf(el);
        nodes.push({ id, b });
        top = Math.min(top, b.y1);
      }
    // The head: of the people in the top row, the one with the most direct reports.
    const reports = new Map<string, number>();
    for (const r of this.doc.relations) if (r.kind === 'reports_to') reports.set(r.target, (reports.get(r.target) ?? 0) + 1);
    const head = nodes.filter((n) => n.b.y1 <= top + 1).sort((a, b) => (reports.get(b.id) ?? 0) - (reports.get(a.id) ?? 0))[0];
    if (!head) return fit;
    const cx = (head.b.x1 + head.b.x2) / 2;
    return { zoom, pan: { x: this.cy.width() / 2 - zoom * cx, y: HOME_PAD - zoom * top } };
  }

  /** The zoom and pan that fit the visible map (and, on the power grid, the grid with its axes). */
  private fitView(): { zoom: number; pan: Point } {
    const cy = this.cy;
    const boxes: Box[] = [];
    for (const [id, el] of this.els) if (el.isNode() && !this.hidden.has(id)) boxes.push(this.boxOf(el));
    if (hasBackdrop(this.layout) && this.gridGeom) boxes.push(this.gridGeom.g.bounds);
    const bb = unionBox(boxes) ?? { x1: -200, y1: -200, x2: 200, y2: 200 };
    const pad = 30;
    const w = cy.width();
    const h = cy.height();
    const bw = Math.max(1, bb.x2 - bb.x1);
    const bh = Math.max(1, bb.y2 - bb.y1);
    const zoom = Math.min(1.25, Math.max(cy.minZoom(), Math.min((w - 2 * pad) / bw, (h - 2 * pad) / bh)));
    return { zoom, pan: { x: (w - zoom * (bb.x1 + bb.x2)) / 2, y: (h - zoom * (bb.y1 + bb.y2)) / 2 } };
  }

  private goTo({ zoom, pan }: { zoom: number; pan: Point }, animate: boolean): void {
    const cy = this.cy;
    if (this.large && !animate && (zoom < OVERVIEW_ZOOM) !== this.overview) {
      this.overview = zoom < OVERVIEW_ZOOM;
      this.restyle();
    }
    if (animate) cy.animate({ zoom, pan }, { duration: 250 });
    else {
      cy.viewport({ zoom, pan });
      if (!this.large) this.updateLabels(false, zoom);
    }
  }

  // --- labels ---------------------------------------------------------------------------------

  /**
   * Sets the level of detail for the zoom and lets colliding labels give way. `moved`: positions
   * changed, so collisions are checked again even if the level did not change.
   */
  private updateLabels(moved: boolean, zoom = this.cy.zoom()): void {
    if (this.large) return;
    const lod = lodFor(zoom);
    const lodChanged = lod !== this.lod;
    if (!lodChanged && !moved) return;
    const nodes: LabelNode[] = [];
    const els: cytoscape.SingularElementReturnValue[] = [];
    for (const [id, el] of this.els) {
      if (!el.isNode() || this.hidden.has(id)) continue;
      const p = this.target.get(id) ?? el.position();
      const { w, h } = this.nodeSize(el);
      nodes.push({ id, x: p.x, y: p.y, w, h, prio: Number(el.data('prio')) || 0, nmw: Number(el.data('nmw')) || 0 });
      els.push(el);
    }
    const off = lod === 5 ? new Set<string>() : labelsGivingWay(nodes, lod, this.gridLabels);
    const prev = this.lod;
    this.lod = lod;
    this.cy.batch(() => {
      if (lodChanged) {
        const all = this.cy.collection(els as never);
        if (LOD_CLASSES[prev]) all.removeClass(LOD_CLASSES[prev]);
        if (LOD_CLASSES[lod]) all.addClass(LOD_CLASSES[lod]);
      }
      this.labelsOff = this.applyClass('lbl-off', this.labelsOff, off);
    });
  }

  // --- routing --------------------------------------------------------------------------------

  /** Routes the lines around the cards, after the current moves (not the org chart's own reporting lines). */
  private scheduleRoute(): void {
    clearTimeout(this.routeTimer);
    this.routeTimer = window.setTimeout(() => {
      this.routeTimer = 0;
      void this.route();
    }, 30);
  }
  /** Reporting lines routed by the org chart itself. */
  private orgRouted = new Set<string>();

  private async route(): Promise<void> {
    const cy = this.cy;
    if (cy.destroyed() || !this.layout) return;
    const seq = ++this.routeSeq;
    const except = this.layout === 'org' ? this.orgRouted : new Set<string>();
    const nodes: { id: string; x: number; y: number; w: number; h: number }[] = [];
    const centres: Record<string, Point> = {};
    for (const [id, el] of this.els) {
      if (!el.isNode()) continue;
      const p = this.target.get(id) ?? el.position();
      // Lines keep clear of what is drawn: the card with its border, and a coach's ring.
      const ring = el.data('coach') ? 12 : 0;
      nodes.push({ id, x: p.x, y: p.y, w: el.outerWidth() + ring, h: el.outerHeight() + ring });
      centres[id] = p;
    }
    const edges: { id: string; source: string; target: string }[] = [];
    for (const [id, el] of this.els)
      if (el.isEdge() && !except.has(id)) edges.push({ id, source: el.data('source') as string, target: el.data('target') as string });
    if (this.large || nodes.length > ROUTE_MAX_NODES) {
      // Too many to route: straight lines.
      this.applyRoutes(new Map(), centres, except, true);
      return;
    }
    this.routing = true;
    try {
      const routes = await runRouting({ nodes, edges });
      if (seq !== this.routeSeq || cy.destroyed()) return;
      this.applyRoutes(new Map(Object.entries(routes)), centres, except, true);
    } catch (e) {
      if ((e as Error).message !== 'abandoned') throw e;
    } finally {
      if (seq === this.routeSeq) this.routing = false;
    }
  }

  /**
   * Gives each edge in `routes` its geometry (computed for node centres `centres`); with `clearRest`,
   * edges with no route and not in `keep` go back to straight lines.
   */
  private applyRoutes(routes: Map<string, Point[]>, centres: Record<string, Point>, keep: Set<string>, clearRest: boolean): void {
    const routed = new Set<string>();
    this.cy.batch(() => {
      for (const [id, pts] of routes) {
        const el = this.els.get(id);
        if (!el?.isEdge()) continue;
        const s = centres[el.data('source') as string] ?? this.target.get(el.data('source') as string);
        const t = centres[el.data('target') as string] ?? this.target.get(el.data('target') as string);
        if (!s || !t) continue;
        const d = routeStyleData(pts, s, t);
        if (!d) continue;
        el.data(d);
        routed.add(id);
        if (!this.routedIds.has(id)) el.addClass('routed');
      }
      if (clearRest)
        for (const id of this.routedIds)
          if (!routed.has(id) && !keep.has(id)) {
            const el = this.els.get(id);
            el?.removeClass('routed');
          }
    });
    if (clearRest) {
      for (const id of keep) if (this.routedIds.has(id)) routed.add(id);
      this.routedIds = routed;
    } else for (const id of routed) this.routedIds.add(id);
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

    // Coverage lines: all (the switch), or those of the selected person or team member.
    const cov = new Set<string>();
    for (const [id, el] of this.els) {
      if (!el.isEdge() || el.data('kind') !== 'coverage') continue;
      if (v.showCoverage || (v.selected && (id === v.selected || el.data('source') === v.selected || el.data('target') === v.selected))) cov.add(id);
    }

    const hiddenChanged = !sameSet(hidden, this.hidden);
    cy.batch(() => {
      this.hidden = this.applyClass('hidden', this.hidden, hidden);
      this.raise(focusing ? focus : new Set());
      this.covShown = this.applyClass('cov-show', this.covShown, cov);

      // Selection.
      const selected = cy.$(':selected');
      if (selected.length && (selected.length > 1 || !sel || selected[0]!.id() !== sel.id())) selected.unselect();
      if (sel && !sel.selected()) sel.select();

      // Marks: only elements whose marks change (re-adding a class an element has still restyles it),
      // in one call per set of classes (a map nobody has sourced marks every element alike: one
      // call for thousands instead of one each, with its event and collection).
      const drops = new Map<string, cytoscape.SingularElementReturnValue[]>();
      const adds = new Map<string, cytoscape.SingularElementReturnValue[]>();
      const put = (m: typeof drops, classes: string[], el: cytoscape.SingularElementReturnValue | undefined) => {
        if (!el || !classes.length) return;
        const key = classes.join(' ');
        const list = m.get(key);
        if (list) list.push(el);
        else m.set(key, [el]);
      };
      for (const [id, classes] of this.marked) {
        const want = v.marks[id];
        put(drops, classes.filter((c) => !want?.includes(c)), this.els.get(id));
      }
      for (const [id, classes] of Object.entries(v.marks)) {
        const had = this.marked.get(id);
        put(adds, had ? classes.filter((c) => !had.includes(c)) : classes, this.els.get(id));
      }
      for (const [cls, els] of drops) cy.collection(els as never).removeClass(cls);
      for (const [cls, els] of adds) cy.collection(els as never).addClass(cls);
      this.marked = new Map(Object.entries(v.marks));
    });
    if (hiddenChanged) this.updateLabels(true);
  }

  /** Lifts exactly `want` out of the veil (veil.ts); nothing in Cytoscape changes. */
  private raise(want: Set<string>): void {
    this.raised = want;
    const els: cytoscape.SingularElementReturnValue[] = [];
    for (const id of want) {
      const el = this.els.get(id);
      if (el) els.push(el);
    }
    this.veil.set(els);
  }

  /** How an element is drawn now, for tests: lifted out of the veil, dimmed under it, or plain. */
  look(id: string): 'raised' | 'dimmed' | 'plain' {
    if (!this.veil.active || !this.els.has(id)) return 'plain';
    return this.raised.has(id) ? 'raised' : 'dimmed';
  }

  /** How much the veil hides at a person's centre on screen (0–255, as drawn), for tests. */
  veilAt(id: string): number | null {
    const el = this.els.get(id);
    return el?.isNode() ? this.veil.alphaAt(el.renderedPosition()) : null;
  }

  /** Adds and removes one class so exactly `want` has it; returns the new set. */
  private applyClass(cls: string, current: Set<string>, want: Set<string>): Set<string> {
    const add: cytoscape.SingularElementReturnValue[] = [];
    const remove: cytoscape.SingularElementReturnValue[] = [];
    for (const id of want)
      if (!current.has(id)) {
        const el = this.els.get(id);
        if (el) add.push(el);
      }
    for (const id of current)
      if (!want.has(id)) {
        const el = this.els.get(id);
        if (el) remove.push(el);
      }
    if (add.length) this.cy.collection(add as never).addClass(cls);
    if (remove.length) this.cy.collection(remove as never).removeClass(cls);
    return want;
  }

  /**
   * Centres on one element and pulses it (a jump from search or a list), or fits it with its
   * neighbours (`fit`: "fit selection"), or fits the whole map (no element).
   */
  focusOn(id: string | null, mode: 'center' | 'fit' = 'center'): void {
    const cy = this.cy;
    const el = id ? cy.getElementById(id) : cy.collection();
    if (el.empty()) return this.fitAll(true);
    if (mode === 'fit') {
      const edge = el as unknown as cytoscape.EdgeSingular;
      const eles = el.isNode() ? el.closedNeighborhood() : edge.union(edge.connectedNodes());
      const bb = eles.not('.hidden').boundingBox({});
      const pad = 40;
      const zoom = Math.min(1.25, Math.max(cy.minZoom(), Math.min((cy.width() - 2 * pad) / Math.max(1, bb.w), (cy.height() - 2 * pad) / Math.max(1, bb.h))));
      const pan = { x: (cy.width() - zoom * (bb.x1 + bb.x2)) / 2, y: (cy.height() - zoom * (bb.y1 + bb.y2)) / 2 };
      cy.animate({ zoom, pan }, { duration: 250 });
    } else cy.animate({ center: { eles: el }, zoom: Math.max(cy.zoom(), 1) }, { duration: 250 });
    if (el.isNode()) this.pulse(el);
  }

  /**
   * Two expanding rings around a person, so the eye finds them after a jump (1.2 s): a style
   * bypass on that one element per frame, removed at the end (the stylesheet's own underlay, a
   * coach's halo, comes back).
   */
  private pulse(node: cytoscape.NodeSingular): void {
    cancelAnimationFrame(this.pulseFrame);
    const start = performance.now();
    const PERIOD = 600;
    const step = () => {
      if (node.removed() || this.cy.destroyed()) return;
      const t = performance.now() - start;
      if (t >= 2 * PERIOD) {
        node.removeStyle('underlay-color underlay-shape underlay-padding underlay-opacity');
        return;
      }
      const k = (t % PERIOD) / PERIOD;
      node.style({ 'underlay-color': PULSE_COLOR, 'underlay-shape': 'round-rectangle', 'underlay-padding': 4 + 22 * k, 'underlay-opacity': 0.55 * (1 - k) });
      this.pulseFrame = requestAnimationFrame(step);
    };
    this.pulseFrame = requestAnimationFrame(step);
  }

  unpinAll(layout: LayoutName): void {
    if (layout === this.layout) this.relayout();
  }

  destroy(): void {
    cancelAnimationFrame(this.pulseFrame);
    clearTimeout(this.routeTimer);
    clearTimeout(this.fitTimer);
    abandonWork();
    for (const f of this.cleanup) f();
    this.eh.destroy();
    this.veil.destroy();
    this.cy.destroy();
  }
}

function storedPositions(doc: MapDocument, layout: LayoutName): Map<string, Position> {
  return new Map(doc.positions[layout].map((p) => [p.id, p]));
}

/** What the org chart or the grid depends on: people (and their sizes), lines, pins, the team. */
function arrangementKey(doc: MapDocument, layout: LayoutName): string {
  if (layout === 'force') return '';
  const parts: string[] = [layout];
  for (const p of doc.people)
    parts.push(
      layout === 'org'
        ? `${p.id}:${p.influence}`
        : layout === 'levels'
          ? `${p.id}:${p.influence}:${p.level ?? ''}:${p.function ?? ''}:${p.title}\u0001${p.department}\u0001${p.roles.join('\u0001')}`
          : `${p.id}:${p.influence}:${p.attitude}`,
    );
  parts.push('|');
  if (layout === 'org' || layout === 'levels') for (const r of doc.relations) if (r.kind === 'reports_to') parts.push(`${r.source}>${r.target}`);
  parts.push('|');
  for (const m of doc.team) parts.push(m.id);
  parts.push('|');
  for (const p of doc.positions[layout]) if (p.pinned) parts.push(`${p.id}@${Math.round(p.x)},${Math.round(p.y)}`);
  return parts.join(',');
}

/** The zoom a big org chart opens at: names and titles read (16 px text ≥ 9 px on screen, labels.ts level 1). */
const HOME_ZOOM = 0.62;
/** Room above the chart's top in that view (px). */
const HOME_PAD = 40;

/** The jump pulse: a blue that reads on white and on the dark theme, unlike any attitude colour. */
const PULSE_COLOR = '#2f7de1';

const sameSet = (a: Set<string>, b: Set<string>) => a.size === b.size && [...a].every((x) => b.has(x));

function makeMeasurer(): TextMeasurer {
  const ctx = document.createElement('canvas').getContext('2d');
  return ctx ? canvasMeasurer(DEFAULT_FONT, ctx) : (t, s) => t.length * s * 0.6;
}
