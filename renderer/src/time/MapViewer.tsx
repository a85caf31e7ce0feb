/**
 * A read-only map in a dialog: a snapshot as it was, or a comparison drawn on the later map
 * (changed and joined people marked, people who left shown as ghosts where they stood). It has
 * its own Cytoscape instance (created once, destroyed on close) and never touches the open map.
 */
import cytoscape from 'cytoscape';
import dagre from 'cytoscape-dagre';
import { useEffect, useRef } from 'react';
import { createPortal } from 'react-dom';
import { LAYOUTS, type LayoutName, type Person, type Position } from '../../../shared/domain';
import { ATTITUDE_LABEL, INFLUENCE_LABEL } from '../../../shared/i18n/domain';
import type { Lang } from '../../../shared/i18n/errors';
import type { MapContent } from '../../../shared/time/types';
import { DEFAULT_FONT, cytoscapeElements, cytoscapeStylesheet, memberNodeId, personData, relationEdgeId } from '../../../shared/visual/style';
import { stringsFor } from './strings';
import { pageTheme } from './util';

let registered = false;
const register = () => {
  if (!registered) cytoscape.use(dagre);
  registered = true;
};

export interface ViewerMap extends MapContent {
  positions: Partial<Record<LayoutName, Position[]>>;
}

export interface MapViewerProps {
  title: string;
  lang: Lang;
  map: ViewerMap;
  /** Marks from a comparison (ids in `map`). */
  changed?: string[];
  added?: string[];
  /** Relations to mark as new (ids in `map`). */
  addedRelations?: string[];
  /** People who left, drawn as ghosts at their old place. */
  ghosts?: { person: Person; position: { x: number; y: number } | null }[];
  onClose(): void;
}

/** The layout with the most stored positions, as a lookup by element id. */
function bestPositions(map: ViewerMap): Record<string, { x: number; y: number }> | null {
  let best: Position[] = [];
  for (const l of LAYOUTS) {
    const ps = map.positions[l] ?? [];
    if (ps.length > best.length) best = ps;
  }
  if (best.length === 0) return null;
  const teamIds = new Set(map.team.map((m) => m.id));
  return Object.fromEntries(best.map((p) => [teamIds.has(p.id) ? memberNodeId(p.id) : p.id, { x: p.x, y: p.y }]));
}

export function MapViewer(props: MapViewerProps) {
  const s = stringsFor(props.lang);
  const box = useRef<HTMLDivElement | null>(null);
  const dialog = useRef<HTMLDivElement | null>(null);
  const { map, changed, added, addedRelations, ghosts } = props;

  useEffect(() => {
    if (!box.current) return;
    const positions = bestPositions(map);
    const elements = cytoscapeElements(map, { positions: positions ?? undefined });
    const nodeCount = map.people.length + map.team.length;
    const placed = new Set(positions ? elements.filter((e) => e.group === 'nodes' && e.position).map((e) => String(e.data.id)) : []);
    for (const g of ghosts ?? []) {
      const data = personData(g.person);
      if (g.position) placed.add(data.id);
      elements.push(g.position ? { group: 'nodes', data, position: { ...g.position }, classes: 'ghost' } : { group: 'nodes', data, classes: 'ghost' });
    }
    const cy = cytoscape({
      container: box.current,
      elements,
      style: cytoscapeStylesheet(pageTheme(dialog.current), { form: 'chip' }),
      layout: { name: 'preset' },
      wheelSensitivity: 0.3,
      autoungrabify: true,
      boxSelectionEnabled: false,
    });
    for (const id of changed ?? []) cy.getElementById(id).addClass('changed');
    for (const id of added ?? []) cy.getElementById(id).addClass('added');
    for (const id of addedRelations ?? []) cy.getElementById(relationEdgeId(id)).addClass('added');
    // Stored positions when most nodes have one (the rest in a row below); otherwise an org chart
    // (dagre over the reporting lines, bosses on top) with our team and the ghosts in rows below.
    const rowBelow = (nodes: cytoscape.NodeCollection, above: cytoscape.NodeCollection) => {
      if (nodes.empty() || above.empty()) return;
      const bb = above.boundingBox({});
      const w = Math.max(bb.w, nodes.length * 110);
      nodes.layout({ name: 'grid', animate: false, rows: 1, boundingBox: { x1: bb.x1, y1: bb.y2 + 60, w, h: 100 } }).run();
    };
    if (placed.size < nodeCount * 0.8) {
      const people = cy.nodes('[kind = "person"]').not('.ghost');
      if (people.length <= 400) {
        register();
        people
          .union(cy.edges('[kind = "reports_to"]'))
          .layout({ name: 'dagre', rankDir: 'BT', nodeSep: 30, rankSep: 90, animate: false } as cytoscape.LayoutOptions)
          .run();
      } else people.layout({ name: 'grid', animate: false }).run();
      rowBelow(cy.nodes('[kind = "member"]'), people);
      rowBelow(cy.nodes('.ghost'), cy.nodes().not('.ghost'));
    } else {
      const rest = cy.nodes().filter((n) => !placed.has(n.id()));
      rowBelow(rest, cy.nodes().not(rest));
    }
    cy.fit(undefined, 30);
    return () => cy.destroy();
  }, [map, changed, added, addedRelations, ghosts]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') props.onClose();
    };
    window.addEventListener('keydown', onKey);
    dialog.current?.focus();
    return () => window.removeEventListener('keydown', onKey);
  }, [props]);

  const people = [...map.people].sort((a, b) => a.name.localeCompare(b.name, props.lang));
  // In a portal, so no transformed ancestor of the side panel can trap the fixed overlay.
  return createPortal(
    <div className="pm-time pm-time-modal" style={{ fontFamily: DEFAULT_FONT }} role="presentation" onClick={(e) => e.target === e.currentTarget && props.onClose()}>
      <div className="pm-time-dialog" role="dialog" aria-modal="true" aria-label={props.title} tabIndex={-1} ref={dialog}>
        <header>
          <h2>{props.title}</h2>
          <span className="pm-time-badge">{s.common.readOnly}</span>
          <button type="button" onClick={props.onClose}>
            {s.common.close}
          </button>
        </header>
        {(changed || added || ghosts) && (
          <p className="pm-time-legend">
            <span className="pm-time-dot pm-time-dot-changed" /> {s.compare.legendChanged}
            <span className="pm-time-dot pm-time-dot-added" /> {s.compare.legendAdded}
            <span className="pm-time-dot pm-time-dot-ghost" /> {s.compare.legendGhost}
          </p>
        )}
        <div className="pm-time-canvas" ref={box} data-testid="time-viewer-canvas" />
        <details className="pm-time-people">
          <summary>
            {s.snapshots.viewerPeople} ({people.length})
          </summary>
          <table>
            <tbody>
              {people.map((p) => (
                <tr key={p.id}>
                  <td>{p.name}</td>
                  <td>{[p.title, p.department].filter(Boolean).join(' · ')}</td>
                  <td>{ATTITUDE_LABEL[p.attitude][props.lang]}</td>
                  <td>{INFLUENCE_LABEL[p.influence][props.lang]}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      </div>
    </div>,
    document.body,
  );
}
