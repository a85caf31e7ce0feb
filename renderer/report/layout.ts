/**
 * Where the exports put each node and how each line runs — the same arrangement the screen shows:
 * the org chart, the power grid and the level × function grid computed from the map
 * (shared/visual/org.ts, grid.ts, levels.ts; pinned
 * people where they were put), the relationship layout from its stored positions (fcose when some
 * are missing). Lines are routed around the cards (shared/visual/route.ts); the org chart's
 * reporting lines are its elbow routes.
 */
import type cytoscape from 'cytoscape';
import type { LayoutName } from '../../shared/domain';
import type { MapData } from '../../shared/exchange/map-data';
import { removeOverlaps, type Point } from '../../shared/visual/geometry';
import type { Backdrop } from '../../shared/visual/backdrop';
import { gridLayout } from '../../shared/visual/grid';
import { levelCells, levelsLayout } from '../../shared/visual/levels';
import { orgLayout } from '../../shared/visual/org';
import { routeEdges } from '../../shared/visual/route';
import { computeForce, FORCE_GAP } from '../src/canvas/layout-compute';
import { CARD_SIZE, CHIP_SIZE, MEMBER_CARD, MEMBER_CHIP, memberNodeId, positionKeyOf, relationEdgeId } from '../../shared/visual/style';

export interface Arrangement {
  /** By element id. */
  positions: Record<string, Point>;
  /** Line geometry by edge id, from the source card's border to the target card's. */
  routes: Map<string, Point[]>;
  /** The power grid's or the level × function grid's cells. */
  grid: Backdrop | null;
}

export function arrange(cy: cytoscape.Core, data: MapData, layout: LayoutName, withTeam: boolean): Arrangement {
  const card = layout === 'org';
  const size = (id: string) => {
    const el = cy.getElementById(id);
    return { w: Number(el.data(card ? 'cw' : 'pw')), h: Number(el.data(card ? 'ch' : 'ph')) };
  };
  const people = data.people.map((p) => ({ id: p.id, ...(card ? CARD_SIZE : CHIP_SIZE)[p.influence], attitude: p.attitude, influence: p.influence }));
  const members = withTeam ? data.team.map((m) => ({ id: memberNodeId(m.id), ...(card ? MEMBER_CARD : MEMBER_CHIP) })) : [];
  const stored = new Map((data.positions?.[layout] ?? []).map((p) => [p.id, p]));
  let positions: Record<string, Point>;
  let routes = new Map<string, Point[]>();
  let grid: Backdrop | null = null;
  const orgRoutes = new Map<string, Point[]>();
  if (layout === 'org' || layout === 'grid' || layout === 'levels') {
    if (layout === 'org') {
      const reports = data.relations.filter((r) => r.kind === 'reports_to');
      const o = orgLayout(
        people,
        reports.map((r) => [r.source, r.target] as const),
        members,
      );
      positions = o.positions;
      const pinnedIds = new Set([...stored.values()].filter((p) => p.pinned).map((p) => p.id));
      for (const r of reports)
        if (o.routes[r.source] && !pinnedIds.has(r.source) && !pinnedIds.has(r.target)) orgRoutes.set(relationEdgeId(r.id), o.routes[r.source]!);
    } else if (layout === 'levels') {
      const cells = levelCells(data.people, data.relations);
      const g = levelsLayout(
        people.map((p) => ({ ...p, level: cells.get(p.id)!.level, fn: cells.get(p.id)!.fn })),
        members,
      );
      grid = { layout: 'levels', g };
      positions = g.positions;
    } else {
      const g = gridLayout(people, members);
      grid = { layout: 'grid', g };
      positions = g.positions;
    }
    // Pinned people stay where the user put them.
    for (const p of stored.values()) {
      if (!p.pinned) continue;
      const id = positions[p.id] ? p.id : positions[memberNodeId(p.id)] ? memberNodeId(p.id) : null;
      if (id) positions[id] = { x: p.x, y: p.y };
    }
  } else {
    const ids = cy.nodes().map((n) => n.id());
    if (ids.every((id) => stored.has(positionKeyOf(id)))) {
      positions = Object.fromEntries(ids.map((id) => [id, { x: stored.get(positionKeyOf(id))!.x, y: stored.get(positionKeyOf(id))!.y }]));
      if (ids.length <= 400)
        positions = removeOverlaps(
          ids.map((id) => ({ id, ...positions[id]!, ...size(id), pinned: stored.get(positionKeyOf(id))?.pinned ?? false })),
          FORCE_GAP,
        );
    } else
      // The same relationship layout the screen computes (fcose, squeezed to landscape, no overlaps).
      positions = computeForce({
        nodes: ids.map((id) => ({
          id,
          ...size(id),
          kind: cy.getElementById(id).data('kind') === 'member' ? 'member' : 'person',
          x: stored.get(positionKeyOf(id))?.x ?? 0,
          y: stored.get(positionKeyOf(id))?.y ?? 0,
          pinned: stored.get(positionKeyOf(id))?.pinned ?? false,
        })),
        edges: cy.edges().map((e) => ({ id: e.id(), source: e.data('source') as string, target: e.data('target') as string, kind: e.data('kind') as string })),
      });
  }
  // Lines keep clear of what is drawn: the card with its border, and a coach's ring.
  const nodes = cy.nodes().map((n) => ({
    id: n.id(),
    ...(positions[n.id()] ?? { x: 0, y: 0 }),
    w: n.outerWidth() + (n.data('coach') ? 12 : 0),
    h: n.outerHeight() + (n.data('coach') ? 12 : 0),
  }));
  const edges = cy
    .edges()
    .filter((e) => !orgRoutes.has(e.id()))
    .map((e) => ({ id: e.id(), source: e.data('source') as string, target: e.data('target') as string }));
  routes = routeEdges(nodes, edges);
  for (const [id, pts] of orgRoutes) routes.set(id, pts);
  return { positions, routes, grid };
}
