/**
 * GraphML out, for NetworkX, Gephi, yEd and Cytoscape desktop. Every attribute is declared with
 * <key> (attr.name, attr.type), so all of them keep it as a node or edge column. Client people and
 * our team members are nodes (node attribute `kind`); reporting lines, influence, alliance,
 * conflict and coverage are edges (edge attribute `kind`). Every edge is directed (the graph's
 * edgedefault, no per-edge `directed`): a graph mixing directed and undirected edges is refused
 * by NetworkX's read_graphml. Alliance and conflict, which have no direction, say so with the
 * boolean edge attribute `symmetric`; their source and target are in the order the map holds.
 * Two people may be joined by several edges (a reporting line and an influence line), so readers
 * that care make a multigraph (NetworkX: MultiDiGraph, keyed by the edge id). Personal profile
 * attributes are written only when the data holds profiles (the user asked for personal details).
 * docs/GRAPHML.md describes the file.
 */
import { PROFILE_FIELDS, isSymmetricKind, type LayoutName } from '../domain';
import { relationshipWord, type MapData } from './map-data';

type AttrType = 'string' | 'int' | 'double' | 'boolean';
interface Key {
  id: string;
  for: 'node' | 'edge' | 'graph';
  name: string;
  type: AttrType;
}

// eslint-disable-next-line no-control-regex
const XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;
const xmlEscape = (s: string): string =>
  s
    .replace(XML_INVALID, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\r/g, '&#13;');

const NODE_KEYS: Key[] = [
  { id: 'n_label', for: 'node', name: 'label', type: 'string' },
  { id: 'n_kind', for: 'node', name: 'kind', type: 'string' },
  { id: 'n_name', for: 'node', name: 'name', type: 'string' },
  { id: 'n_title', for: 'node', name: 'title', type: 'string' },
  { id: 'n_department', for: 'node', name: 'department', type: 'string' },
  { id: 'n_roles', for: 'node', name: 'roles', type: 'string' },
  { id: 'n_attitude', for: 'node', name: 'attitude', type: 'string' },
  { id: 'n_influence', for: 'node', name: 'influence', type: 'string' },
  { id: 'n_favours', for: 'node', name: 'favours', type: 'string' },
  { id: 'n_relationship', for: 'node', name: 'relationship', type: 'string' },
  { id: 'n_serves_org', for: 'node', name: 'serves_org', type: 'boolean' },
  { id: 'n_personal_bond', for: 'node', name: 'personal_bond', type: 'boolean' },
  { id: 'n_level', for: 'node', name: 'level', type: 'string' },
  { id: 'n_function', for: 'node', name: 'function', type: 'string' },
  { id: 'n_notes', for: 'node', name: 'notes', type: 'string' },
  { id: 'n_last_contact', for: 'node', name: 'last_contact', type: 'string' },
  { id: 'n_member_role', for: 'node', name: 'member_role', type: 'string' },
  { id: 'n_x', for: 'node', name: 'x', type: 'double' },
  { id: 'n_y', for: 'node', name: 'y', type: 'double' },
];
const EDGE_KEYS: Key[] = [
  { id: 'e_kind', for: 'edge', name: 'kind', type: 'string' },
  { id: 'e_symmetric', for: 'edge', name: 'symmetric', type: 'boolean' },
  { id: 'e_strength', for: 'edge', name: 'strength', type: 'int' },
  { id: 'e_note', for: 'edge', name: 'note', type: 'string' },
];
const GRAPH_KEYS: Key[] = [
  { id: 'g_account', for: 'graph', name: 'account', type: 'string' },
  { id: 'g_deal', for: 'graph', name: 'deal', type: 'string' },
  { id: 'g_stage', for: 'graph', name: 'stage', type: 'string' },
  { id: 'g_posture', for: 'graph', name: 'posture', type: 'string' },
  { id: 'g_competitors', for: 'graph', name: 'competitors', type: 'string' },
];
const PROFILE_KEYS: Key[] = PROFILE_FIELDS.map((f) => ({ id: `n_profile_${f}`, for: 'node', name: `profile_${f}`, type: 'string' }));

const data = (key: string, value: string | number | boolean | null | undefined): string =>
  value === null || value === undefined || value === '' ? '' : `      <data key="${key}">${xmlEscape(String(value))}</data>\n`;

/** Writes the map as GraphML; `layout` picks which stored positions go into x and y. */
export function toGraphml(d: MapData, layout: LayoutName = 'org'): string {
  const keys = [...GRAPH_KEYS, ...NODE_KEYS, ...(d.profiles ? PROFILE_KEYS : []), ...EDGE_KEYS];
  const pos = new Map((d.positions?.[layout] ?? []).map((p) => [p.id, p]));
  const out: string[] = [];
  out.push('<?xml version="1.0" encoding="UTF-8"?>\n');
  out.push(
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"\n' +
      '    xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n',
  );
  for (const k of keys)
    out.push(`  <key id="${k.id}" for="${k.for}" attr.name="${k.name}" attr.type="${k.type}"/>\n`);
  out.push('  <graph id="powermap" edgedefault="directed">\n');
  const g = (key: string, v: string) => (v ? `    <data key="${key}">${xmlEscape(v)}</data>\n` : '');
  out.push(g('g_account', d.meta.account), g('g_deal', d.meta.deal), g('g_stage', d.meta.stage), g('g_posture', d.meta.posture));
  out.push(g('g_competitors', d.meta.competitors.join('; ')));
  for (const p of d.people) {
    out.push(`    <node id="${xmlEscape(p.id)}">\n`);
    const at = pos.get(p.id);
    out.push(
      data('n_label', p.name),
      data('n_kind', 'person'),
      data('n_name', p.name),
      data('n_title', p.title),
      data('n_department', p.department),
      data('n_roles', p.roles.join('; ')),
      data('n_attitude', p.attitude),
      data('n_influence', p.influence),
      data('n_favours', p.favours),
      data('n_relationship', relationshipWord(p)),
      data('n_serves_org', p.servesOrg),
      data('n_personal_bond', p.personalBond),
      data('n_level', p.level),
      data('n_function', p.function ?? null),
      data('n_notes', p.notes),
      data('n_last_contact', p.lastContact),
      data('n_x', at?.x),
      data('n_y', at?.y),
    );
    const prof = d.profiles?.[p.id];
    if (prof) for (const f of PROFILE_FIELDS) out.push(data(`n_profile_${f}`, prof[f]));
    out.push('    </node>\n');
  }
  for (const m of d.team) {
    const at = pos.get(m.id);
    out.push(`    <node id="${xmlEscape(m.id)}">\n`);
    out.push(data('n_label', m.name), data('n_kind', 'member'), data('n_name', m.name), data('n_member_role', m.role));
    out.push(data('n_x', at?.x), data('n_y', at?.y));
    out.push('    </node>\n');
  }
  for (const r of d.relations) {
    out.push(`    <edge id="${xmlEscape(r.id)}" source="${xmlEscape(r.source)}" target="${xmlEscape(r.target)}">\n`);
    out.push(data('e_kind', r.kind), data('e_symmetric', isSymmetricKind(r.kind)), data('e_strength', r.strength), data('e_note', r.note));
    out.push('    </edge>\n');
  }
  // Coverage edge ids hold ':', which entity ids never do, so they cannot clash with a relation.
  d.coverage.forEach((c) => {
    out.push(`    <edge id="covers:${xmlEscape(c.memberId)}:${xmlEscape(c.personId)}" source="${xmlEscape(c.memberId)}" target="${xmlEscape(c.personId)}">\n`);
    out.push(data('e_kind', 'covers'), data('e_symmetric', false), data('e_strength', c.strength));
    out.push('    </edge>\n');
  });
  out.push('  </graph>\n</graphml>\n');
  return out.join('');
}
