/**
 * Where the report puts each node: the positions stored for the chosen layout when every node has
 * one (what the user arranged on screen), otherwise computed here — org: a compact top-down
 * reporting tree made for paper (orgChart); force: fcose; grid: the power grid (attitude × influence). Our team
 * members, when not placed, stand in a row under the client's people.
 */
import type cytoscape from 'cytoscape';
import type { LayoutName } from '../../shared/domain';
import type { MapData } from '../../shared/exchange/map-data';
import { powerGridPositions } from '../../shared/visual/grid';
import { positionKeyOf } from '../../shared/visual/style';

export function placeNodes(cy: cytoscape.Core, layout: LayoutName, data: MapData): void {
  const stored = new Map((data.positions?.[layout] ?? []).map((p) => [p.id, p]));
  const nodes = cy.nodes();
  if (nodes.length === 0) return;
  if (nodes.toArray().every((n) => stored.has(positionKeyOf(n.id())))) {
    nodes.positions((n) => {
      const p = stored.get(positionKeyOf((n as cytoscape.NodeSingular).id()))!;
      return { x: p.x, y: p.y };
    });
    return;
  }
  const people = cy.nodes('[kind = "person"]');
  const members = cy.nodes('[kind = "member"]');
  if (layout === 'grid') {
    const pos = powerGridPositions(data.people.map((p) => ({ id: p.id, attitude: p.attitude, influence: p.influence })));
    people.positions((n) => pos[(n as cytoscape.NodeSingular).id()] ?? { x: 0, y: 0 });
  } else if (layout === 'org') {
    const pos = orgChart(
      data.people.map((p) => p.id),
      data.relations.filter((r) => r.kind === 'reports_to').map((r) => [r.source, r.target] as const),
    );
    people.positions((n) => pos.get((n as cytoscape.NodeSingular).id()) ?? { x: 0, y: 0 });
  } else {
    cy.elements()
      .layout({
        name: 'fcose',
        animate: false,
        randomize: true,
        quality: nodes.length > 500 ? 'draft' : 'default',
        nodeRepulsion: 9000,
        idealEdgeLength: 110,
        nodeSeparation: 90,
      } as cytoscape.LayoutOptions)
      .run();
    return;
  }
  // Our team in a row under the client's people.
  if (members.length) {
    const bb = people.length ? people.boundingBox({}) : { x1: 0, x2: 0, y2: 0 };
    const gap = 120;
    const width = (members.length - 1) * gap;
    const cx = (bb.x1 + bb.x2) / 2;
    members.positions((_n, i) => ({ x: cx - width / 2 + i * gap, y: bb.y2 + 150 }));
  }
}

const SLOT_W = 140;
const LEVEL_H = 150;
const LEAF_H = 95;
const MAX_STACK = 8;
/** Width ÷ height the packed forest aims at: a landscape page beside the legend. */
const ASPECT = 1.35;

interface Box {
  w: number;
  h: number;
  /** Positions relative to the box's top-left corner. */
  place: (x: number, y: number, out: Map<string, { x: number; y: number }>) => void;
}

/**
 * An org chart that fits a page: a boss above the people reporting to them; a boss's reports who
 * have nobody under them are stacked in columns (as printed org charts do) instead of one long
 * row; separate trees and people with no reporting line are packed in rows to a landscape shape.
 */
export function orgChart(ids: readonly string[], reportsTo: readonly (readonly [string, string])[]): Map<string, { x: number; y: number }> {
  const known = new Set(ids);
  const boss = new Map<string, string>();
  for (const [s, t] of reportsTo) if (known.has(s) && known.has(t) && s !== t) boss.set(s, t);
  const kids = new Map<string, string[]>();
  for (const id of ids) {
    const b = boss.get(id);
    if (b) kids.set(b, [...(kids.get(b) ?? []), id]);
  }
  // A reporting loop (refused on import, but be safe): break it where it is found.
  const visiting = new Set<string>();
  const box = (id: string): Box => {
    visiting.add(id);
    const children = (kids.get(id) ?? []).filter((c) => !visiting.has(c));
    let result: Box;
    if (children.length === 0) result = { w: SLOT_W, h: LEAF_H, place: (x, y, out) => void out.set(id, { x: x + SLOT_W / 2, y }) };
    else if (children.length > 2 && children.every((c) => !(kids.get(c)?.length))) {
      const cols = Math.ceil(children.length / MAX_STACK);
      const rows = Math.ceil(children.length / cols);
      const w = cols * SLOT_W;
      result = {
        w,
        h: LEVEL_H + rows * LEAF_H,
        place: (x, y, out) => {
          out.set(id, { x: x + w / 2, y });
          children.forEach((c, i) => out.set(c, { x: x + (Math.floor(i / rows) + 0.5) * SLOT_W, y: y + LEVEL_H + (i % rows) * LEAF_H }));
        },
      };
    } else {
      const boxes = children.map(box);
      const w = boxes.reduce((n, b) => n + b.w, 0);
      result = {
        w,
        h: LEVEL_H + Math.max(...boxes.map((b) => b.h)),
        place: (x, y, out) => {
          out.set(id, { x: x + w / 2, y });
          let cx = x;
          for (const b of boxes) {
            b.place(cx, y + LEVEL_H, out);
            cx += b.w;
          }
        },
      };
    }
    visiting.delete(id);
    return result;
  };
  const roots = ids.filter((id) => !boss.has(id));
  const placedByRoots = new Set<string>();
  const trees = roots.map(box);
  // Pack the trees (lone people are one-slot trees) into rows of a width that makes the whole landscape.
  const area = trees.reduce((n, b) => n + b.w * b.h, 0);
  const rowWidth = Math.max(Math.max(...trees.map((b) => b.w), 0), Math.sqrt(area * ASPECT));
  const out = new Map<string, { x: number; y: number }>();
  let x = 0;
  let y = 0;
  let rowH = 0;
  for (const b of trees) {
    if (x > 0 && x + b.w > rowWidth) {
      x = 0;
      y += rowH + LEAF_H / 2;
      rowH = 0;
    }
    b.place(x, y, out);
    x += b.w;
    rowH = Math.max(rowH, b.h);
  }
  for (const id of out.keys()) placedByRoots.add(id);
  // People caught in a loop have no root: put them in a last row.
  const rest = ids.filter((id) => !placedByRoots.has(id));
  rest.forEach((id, i) => out.set(id, { x: (i + 0.5) * SLOT_W, y: y + rowH + LEVEL_H }));
  return out;
}
