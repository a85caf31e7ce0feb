/**
 * The visual language of the power map, designed once and shared by the screen (renderer) and the
 * exported report (PDF/PNG/SVG). Pure data: no DOM, no Cytoscape instance — only the stylesheet,
 * the element data it reads, and the legend that explains it.
 *
 *   const cy = cytoscape({ elements: cytoscapeElements(doc), style: cytoscapeStylesheet('light') });
 *
 * Encoding (see docs/ARCHITECTURE.md, "Renderer"):
 * - fill = attitude toward us on a diverging, colour-blind-safe scale (ColorBrewer PuOr, 5 classes:
 *   purple = for us, grey = neutral, orange = against us);
 * - size = influence on this decision (high / medium / low);
 * - role badges under the name in the E/T/U/P/C vocabulary Chinese teams use in their project role
 *   tables; a decision maker also gets a heavy double ring;
 * - the coach: a gold halo and a ★ badge; a coach candidate (analysis): a dashed gold ring;
 * - reports-to: quiet grey lines; influence: dark arrows, width by strength; alliance: green;
 *   conflict: red, dashed and thick (colour is never the only cue: dash and width carry it too);
 * - our team members: teal rounded squares, their coverage: teal dotted lines, width by strength.
 * Marks from other panels are classes: candidate, changed, added, ghost, faded, highlighted, hidden.
 */
import type cytoscape from 'cytoscape';
import type { Attitude, Coverage, Influence, MapDocument, Person, Relation, RelationKind, TeamMember } from '../domain';
import { ATTITUDES, INFLUENCES, isBuiltinRole } from '../domain';
import { FONT_STACK } from '../fonts';
import { ATTITUDE_LABEL, RELATION_LABEL, ROLE_LABEL } from '../i18n/domain';
import type { Lang } from '../i18n/errors';

export type ThemeName = 'light' | 'dark';

export interface Theme {
  name: ThemeName;
  background: string;
  surface: string;
  foreground: string;
  muted: string;
  border: string;
  accent: string;
  /** Outline of person nodes (lets the pale neutral fill stand out on the background). */
  nodeBorder: string;
  reportsTo: string;
  influence: string;
  alliance: string;
  conflict: string;
  coverage: string;
  member: string;
  memberText: string;
  coach: string;
  changed: string;
  added: string;
  ghost: string;
  quadrant: string;
}

export const THEMES: Record<ThemeName, Theme> = {
  light: {
    name: 'light',
    background: '#ffffff',
    surface: '#f6f7f9',
    foreground: '#1d2330',
    muted: '#5f6b7a',
    border: '#d5dae1',
    accent: '#1f6feb',
    nodeBorder: '#4b5563',
    reportsTo: '#a3aab5',
    influence: '#3b4a63',
    alliance: '#1a9850',
    conflict: '#d7191c',
    coverage: '#00897b',
    member: '#00897b',
    memberText: '#ffffff',
    coach: '#f5b800',
    changed: '#1f6feb',
    added: '#1a9850',
    ghost: '#9aa3ae',
    quadrant: '#eef1f5',
  },
  dark: {
    name: 'dark',
    background: '#17191d',
    surface: '#202329',
    foreground: '#e7e9ee',
    muted: '#9aa4b2',
    border: '#363b44',
    accent: '#5b9dff',
    nodeBorder: '#c9ced6',
    reportsTo: '#6c7480',
    influence: '#b7c3d6',
    alliance: '#4cc27a',
    conflict: '#ff4d4f',
    coverage: '#26b3a3',
    member: '#1f9e8f',
    memberText: '#ffffff',
    coach: '#ffcc33',
    changed: '#5b9dff',
    added: '#4cc27a',
    ghost: '#6c7480',
    quadrant: '#1d2026',
  },
};

/** ColorBrewer PuOr (5 classes), reversed so purple is for us and orange against us. */
export const ATTITUDE_FILL: Record<Attitude, string> = {
  champion: '#5e3c99',
  supporter: '#b2abd2',
  neutral: '#f7f7f7',
  opponent: '#fdb863',
  'strong-opponent': '#e66101',
};

/** Node diameter in px by influence on this decision. */
export const INFLUENCE_SIZE: Record<Influence, number> = { high: 62, medium: 44, low: 30 };
export const MEMBER_SIZE = 30;

/** Role badges (the E/T/U/P/C vocabulary of project role tables); '+' for a user-defined role. */
export const ROLE_BADGE: Record<string, string> = {
  'decision-maker': 'E',
  technical: 'T',
  user: 'U',
  procurement: 'P',
  coach: 'C★',
};
const BADGE_ORDER = ['decision-maker', 'technical', 'user', 'procurement', 'coach'];
export const OTHER_ROLE_BADGE = '+';

export const roleBadges = (roles: readonly string[]): string => {
  const out = BADGE_ORDER.filter((r) => roles.includes(r)).map((r) => ROLE_BADGE[r]!);
  if (roles.some((r) => !isBuiltinRole(r))) out.push(OTHER_ROLE_BADGE);
  return out.join(' ');
};

/** Edge width by strength (1 weak … 3 strong). */
export const STRENGTH_WIDTH: Record<number, number> = { 1: 1.5, 2: 3, 3: 5 };
export const COVERAGE_WIDTH: Record<number, number> = { 1: 1.2, 2: 2.4, 3: 3.8 };

// ---------------------------------------------------------------------------------------------
// Element ids: people keep their ids (they never contain ':'); the rest are prefixed.
// ---------------------------------------------------------------------------------------------

export const memberNodeId = (memberId: string) => `t:${memberId}`;
export const relationEdgeId = (relationId: string) => `r:${relationId}`;
export const coverageEdgeId = (memberId: string, personId: string) => `c:${memberId}:${personId}`;

export type ElementRef =
  | { type: 'person'; id: string }
  | { type: 'member'; id: string }
  | { type: 'relation'; id: string }
  | { type: 'coverage'; memberId: string; personId: string };

export function parseElementId(eid: string): ElementRef {
  if (eid.startsWith('t:')) return { type: 'member', id: eid.slice(2) };
  if (eid.startsWith('r:')) return { type: 'relation', id: eid.slice(2) };
  if (eid.startsWith('c:')) {
    const [, memberId = '', personId = ''] = eid.split(':');
    return { type: 'coverage', memberId, personId };
  }
  return { type: 'person', id: eid };
}

// ---------------------------------------------------------------------------------------------
// Element data (flat, as react-cytoscapejs advises): what the stylesheet reads.
// ---------------------------------------------------------------------------------------------

export interface PersonNodeData {
  id: string;
  kind: 'person';
  label: string;
  name: string;
  title: string;
  department: string;
  attitude: Attitude;
  influence: Influence;
  size: number;
  badges: string;
  dm: boolean;
  coach: boolean;
}
export interface MemberNodeData {
  id: string;
  kind: 'member';
  label: string;
  name: string;
  role: string;
  size: number;
}
export interface EdgeData {
  id: string;
  kind: RelationKind | 'coverage';
  source: string;
  target: string;
  strength: number;
  width: number;
  note: string;
}

export const personLabel = (p: Pick<Person, 'name' | 'roles'>): string => {
  const b = roleBadges(p.roles);
  return b ? `${p.name}\n${b}` : p.name;
};

export const personData = (p: Person): PersonNodeData => ({
  id: p.id,
  kind: 'person',
  label: personLabel(p),
  name: p.name,
  title: p.title,
  department: p.department,
  attitude: p.attitude,
  influence: p.influence,
  size: INFLUENCE_SIZE[p.influence],
  badges: roleBadges(p.roles),
  dm: p.roles.includes('decision-maker'),
  coach: p.roles.includes('coach'),
});

export const memberData = (m: TeamMember): MemberNodeData => ({
  id: memberNodeId(m.id),
  kind: 'member',
  label: m.role ? `${m.name}\n${m.role}` : m.name,
  name: m.name,
  role: m.role,
  size: MEMBER_SIZE,
});

export const relationData = (r: Relation): EdgeData => ({
  id: relationEdgeId(r.id),
  kind: r.kind,
  source: r.source,
  target: r.target,
  strength: r.strength,
  width: r.kind === 'influence' ? STRENGTH_WIDTH[r.strength] ?? 3 : r.kind === 'alliance' ? 2 + r.strength : r.kind === 'conflict' ? 4 + r.strength : 1.2,
  note: r.note,
});

export const coverageData = (c: Coverage): EdgeData => ({
  id: coverageEdgeId(c.memberId, c.personId),
  kind: 'coverage',
  source: memberNodeId(c.memberId),
  target: c.personId,
  strength: c.strength,
  width: COVERAGE_WIDTH[c.strength] ?? 2,
  note: '',
});

export interface ElementsOptions {
  /** Positions of one layout, by stored id (bare person and member ids); nodes without one get none. */
  positions?: Record<string, { x: number; y: number }>;
  /** Leave our team members and their coverage out. */
  withoutTeam?: boolean;
}

/** Every node and edge of the map as Cytoscape element definitions (people first). */
export function cytoscapeElements(doc: Pick<MapDocument, 'people' | 'relations' | 'team' | 'coverage'>, opts: ElementsOptions = {}): cytoscape.ElementDefinition[] {
  const pos = opts.positions;
  const node = (data: PersonNodeData | MemberNodeData): cytoscape.ElementDefinition => {
    const p = pos?.[positionKeyOf(data.id)];
    return p ? { group: 'nodes', data, position: { x: p.x, y: p.y } } : { group: 'nodes', data };
  };
  const out: cytoscape.ElementDefinition[] = doc.people.map((p) => node(personData(p)));
  if (!opts.withoutTeam) out.push(...doc.team.map((m) => node(memberData(m))));
  out.push(...doc.relations.map((r) => ({ group: 'edges' as const, data: relationData(r) })));
  if (!opts.withoutTeam) out.push(...doc.coverage.map((c) => ({ group: 'edges' as const, data: coverageData(c) })));
  return out;
}

/** Positions stored per layout use the bare entity id; element ids prefix team members. */
export const positionKeyOf = (elementId: string): string => (elementId.startsWith('t:') ? elementId.slice(2) : elementId);

// ---------------------------------------------------------------------------------------------
// The stylesheet
// ---------------------------------------------------------------------------------------------

export interface StylesheetOptions {
  /** Base font family of labels (the report may pass an embedded CJK font). */
  fontFamily?: string;
  /** Scale of label font sizes (the report prints smaller). */
  fontScale?: number;
  /**
   * A big map (hundreds of people): cheaper lines that keep the meaning — reports-to and coverage
   * as plain haystack lines, the rest straight instead of curved, conflict bars dropped (the red
   * dash stays), no label halo. Drawing is what costs on a big map.
   */
  large?: boolean;
  /**
   * A big map seen whole (zoomed out so far that arrowheads and dashes are a pixel or two): all
   * lines as plain haystack lines, colour and width still telling the kinds apart.
   */
  overview?: boolean;
}

/** Below this zoom a large map is drawn in overview style. */
export const OVERVIEW_ZOOM = 0.45;

/** From this many people up, the screen uses the large-map stylesheet. */
export const LARGE_MAP = 500;

export const DEFAULT_FONT = FONT_STACK;

export function cytoscapeStylesheet(themeName: ThemeName = 'light', opts: StylesheetOptions = {}): cytoscape.StylesheetJson {
  const t = THEMES[themeName];
  const fs = (n: number) => Math.round(n * (opts.fontScale ?? 1) * 10) / 10;
  const font = opts.fontFamily ?? DEFAULT_FONT;
  const sheet: cytoscape.StylesheetJson = [
    {
      selector: 'node',
      style: {
        'font-family': font,
        'font-size': fs(11),
        color: t.foreground,
        label: 'data(label)',
        'text-wrap': 'wrap',
        'text-max-width': '130px',
        'text-valign': 'bottom',
        'text-halign': 'center',
        'text-margin-y': 4,
        'text-outline-color': t.background,
        'text-outline-width': 2,
        'text-outline-opacity': 0.85,
        'min-zoomed-font-size': 6,
        'overlay-opacity': 0,
      },
    },
    {
      selector: 'node[kind = "person"]',
      style: {
        shape: 'ellipse',
        width: 'data(size)',
        height: 'data(size)',
        'background-color': ATTITUDE_FILL.neutral,
        'border-width': 1.5,
        'border-color': t.nodeBorder,
        'z-index': 10,
      },
    },
    ...ATTITUDES.map((a) => ({ selector: `node[attitude = "${a}"]`, style: { 'background-color': ATTITUDE_FILL[a] } })),
    {
      selector: 'node[influence = "high"]',
      style: { 'font-size': fs(12.5), 'font-weight': 'bold' },
    },
    {
      // Decision maker: a heavy double ring.
      selector: 'node[?dm]',
      style: { 'border-width': 6, 'border-style': 'double', 'border-color': t.foreground },
    },
    {
      // The coach: unmistakable — a gold halo behind the node and a ★ badge in the label.
      selector: 'node[?coach]',
      style: {
        'underlay-color': t.coach,
        'underlay-padding': 10,
        'underlay-opacity': 0.75,
        'underlay-shape': 'ellipse',
        'outline-color': t.coach,
        'outline-width': 2,
        'outline-offset': 10,
        'outline-style': 'solid',
      },
    },
    {
      selector: 'node[kind = "member"]',
      style: {
        shape: 'round-rectangle',
        width: 'data(size)',
        height: 'data(size)',
        'background-color': t.member,
        'border-width': 2,
        'border-color': t.background,
        'font-style': 'italic',
        color: t.coverage,
        'z-index': 5,
      },
    },
    {
      selector: 'edge',
      style: {
        'curve-style': 'bezier',
        width: 'data(width)',
        'line-color': t.influence,
        'target-arrow-color': t.influence,
        'source-arrow-color': t.influence,
        'arrow-scale': 1,
        'overlay-opacity': 0,
        'z-index': 1,
      },
    },
    {
      // Reports-to: the quiet formal line, arrow toward the boss.
      selector: 'edge[kind = "reports_to"]',
      style: {
        width: 1.2,
        'line-color': t.reportsTo,
        'target-arrow-color': t.reportsTo,
        'target-arrow-shape': 'triangle',
        'arrow-scale': 0.6,
        'z-index': 0,
      },
    },
    {
      selector: 'edge[kind = "influence"]',
      style: { 'target-arrow-shape': 'triangle', 'arrow-scale': 1.1, 'z-index': 3 },
    },
    {
      selector: 'edge[kind = "alliance"]',
      style: {
        'line-color': t.alliance,
        'source-arrow-shape': 'none',
        'target-arrow-shape': 'none',
        'line-style': 'solid',
        'z-index': 2,
      },
    },
    {
      // Conflict: must stand out — red, dashed, thick, with bars at both ends.
      selector: 'edge[kind = "conflict"]',
      style: {
        'line-color': t.conflict,
        'line-style': 'dashed',
        'line-dash-pattern': [9, 5],
        'source-arrow-shape': 'tee',
        'target-arrow-shape': 'tee',
        'source-arrow-color': t.conflict,
        'target-arrow-color': t.conflict,
        'arrow-scale': 0.9,
        'z-index': 4,
      },
    },
    {
      selector: 'edge[kind = "coverage"]',
      style: {
        'line-color': t.coverage,
        'line-style': 'dotted',
        'target-arrow-shape': 'circle',
        'target-arrow-color': t.coverage,
        'arrow-scale': 0.55,
        'curve-style': 'straight',
        'z-index': 1,
      },
    },
    // --- selection -----------------------------------------------------------------------------
    {
      selector: 'node:selected',
      style: { 'border-color': t.accent, 'border-width': 4 },
    },
    { selector: 'node[?dm]:selected', style: { 'border-width': 6, 'border-color': t.accent } },
    {
      selector: 'edge:selected',
      style: { 'overlay-color': t.accent, 'overlay-opacity': 0.25, 'overlay-padding': 4 },
    },
    // --- marks from panels and highlights ------------------------------------------------------
    {
      // A coach candidate (Insights): a dashed gold ring.
      selector: 'node.candidate',
      style: { 'outline-color': t.coach, 'outline-width': 3, 'outline-offset': 7, 'outline-style': 'dashed' },
    },
    {
      selector: 'node.changed',
      style: { 'outline-color': t.changed, 'outline-width': 3, 'outline-offset': 5, 'outline-style': 'double' },
    },
    {
      selector: 'node.added',
      style: { 'outline-color': t.added, 'outline-width': 3, 'outline-offset': 5, 'outline-style': 'solid' },
    },
    {
      selector: 'node.ghost',
      style: {
        'background-opacity': 0.15,
        'border-style': 'dashed',
        'border-color': t.ghost,
        'border-width': 2,
        color: t.ghost,
        'underlay-opacity': 0,
        'outline-width': 0,
      },
    },
    { selector: 'edge.changed', style: { 'underlay-color': t.changed, 'underlay-opacity': 0.35, 'underlay-padding': 4 } },
    { selector: 'edge.added', style: { 'underlay-color': t.added, 'underlay-opacity': 0.35, 'underlay-padding': 4 } },
    { selector: 'edge.ghost', style: { 'line-color': t.ghost, 'line-style': 'dashed', opacity: 0.6 } },
    { selector: '.faded', style: { opacity: 0.13, 'text-opacity': 0.35 } },
    // Dimmed, a coach keeps a faint halo and a candidate a faint ring. A candidate has no underlay
    // of its own: giving it an underlay opacity drew the default one, a grey square.
    { selector: 'node[?coach].faded', style: { 'underlay-opacity': 0.1, 'outline-opacity': 0.15 } },
    { selector: 'node.candidate.faded', style: { 'outline-opacity': 0.15 } },
    { selector: 'node.highlighted', style: { 'z-index': 30 } },
    { selector: 'edge.highlighted', style: { 'z-index': 25 } },
    { selector: '.hidden', style: { display: 'none' } },
  ];
  if (opts.large)
    sheet.push(
      { selector: 'node', style: { 'text-outline-width': 0, 'min-zoomed-font-size': 9 } },
      { selector: 'edge', style: { 'curve-style': 'straight' } },
      { selector: 'edge[kind = "reports_to"], edge[kind = "coverage"]', style: { 'curve-style': 'haystack', 'haystack-radius': 0 } },
      { selector: 'edge[kind = "conflict"]', style: { 'source-arrow-shape': 'none', 'target-arrow-shape': 'none' } },
    );
  if (opts.large && opts.overview)
    sheet.push({
      selector: 'edge',
      style: { 'curve-style': 'haystack', 'haystack-radius': 0, 'source-arrow-shape': 'none', 'target-arrow-shape': 'none', 'line-style': 'solid' },
    });
  return sheet;
}

// ---------------------------------------------------------------------------------------------
// The legend (the screen draws it with React, the report with legendSvg)
// ---------------------------------------------------------------------------------------------

export type Swatch =
  | {
      type: 'node';
      shape: 'ellipse' | 'round-rectangle';
      size: number;
      fill: string;
      border: string;
      borderWidth: number;
      borderStyle: 'solid' | 'double' | 'dashed';
      halo?: string;
      ring?: { color: string; style: 'solid' | 'dashed' | 'double' };
    }
  | { type: 'edge'; color: string; width: number; dash?: number[]; arrow?: 'triangle' | 'tee' | 'circle'; dotted?: boolean }
  | { type: 'badge'; text: string };

export interface LegendItem {
  id: string;
  label: Record<Lang, string>;
  swatch: Swatch;
}
export interface LegendGroup {
  id: 'attitude' | 'influence' | 'roles' | 'edges' | 'team';
  title: Record<Lang, string>;
  items: LegendItem[];
}

const L = (en: string, zh: string): Record<Lang, string> => ({ 'en-US': en, 'zh-CN': zh });

export { ATTITUDE_LABEL, RELATION_LABEL, ROLE_LABEL };
export const INFLUENCE_SIZE_LABEL: Record<Influence, Record<Lang, string>> = {
  high: L('High influence', '影响力高'),
  medium: L('Medium influence', '影响力中'),
  low: L('Low influence', '影响力低'),
};

export function legend(themeName: ThemeName = 'light'): LegendGroup[] {
  const t = THEMES[themeName];
  const person = (fill: string, size = 16, extra: Partial<Extract<Swatch, { type: 'node' }>> = {}): Swatch => ({
    type: 'node',
    shape: 'ellipse',
    size,
    fill,
    border: t.nodeBorder,
    borderWidth: 1,
    borderStyle: 'solid',
    ...extra,
  });
  return [
    {
      id: 'attitude',
      title: L('Attitude toward us', '对我方态度'),
      items: ATTITUDES.map((a) => ({ id: a, label: ATTITUDE_LABEL[a], swatch: person(ATTITUDE_FILL[a]) })),
    },
    {
      id: 'influence',
      title: L('Influence (size)', '影响力（大小）'),
      items: INFLUENCES.map((i) => ({
        id: i,
        label: INFLUENCE_SIZE_LABEL[i],
        swatch: person(ATTITUDE_FILL.neutral, Math.round(INFLUENCE_SIZE[i] / 3.6)),
      })),
    },
    {
      id: 'roles',
      title: L('Roles', '角色'),
      items: [
        {
          id: 'decision-maker',
          label: L('E  Decision maker (double ring)', 'E  决策者（双环）'),
          swatch: person(ATTITUDE_FILL.supporter, 16, { border: t.foreground, borderWidth: 4, borderStyle: 'double' }),
        },
        // The badge swatch shows the letter: the label does not repeat it.
        { id: 'technical', label: ROLE_LABEL.technical!, swatch: { type: 'badge', text: 'T' } },
        { id: 'user', label: ROLE_LABEL.user!, swatch: { type: 'badge', text: 'U' } },
        { id: 'procurement', label: ROLE_LABEL.procurement!, swatch: { type: 'badge', text: 'P' } },
        { id: 'other', label: L('Other role', '其他角色'), swatch: { type: 'badge', text: '+' } },
        {
          id: 'coach',
          label: L('C★ Coach (gold halo)', 'C★ 教练（金色光环）'),
          swatch: person(ATTITUDE_FILL.supporter, 16, { halo: t.coach, ring: { color: t.coach, style: 'solid' } }),
        },
        {
          id: 'candidate',
          label: L('Coach candidate', '教练候选人'),
          swatch: person(ATTITUDE_FILL.neutral, 16, { ring: { color: t.coach, style: 'dashed' } }),
        },
      ],
    },
    {
      id: 'edges',
      title: L('Lines', '关系线'),
      items: [
        { id: 'reports_to', label: RELATION_LABEL.reports_to, swatch: { type: 'edge', color: t.reportsTo, width: 1.2, arrow: 'triangle' } },
        { id: 'influence', label: L('Influences (width = strength)', '影响（粗细 = 强度）'), swatch: { type: 'edge', color: t.influence, width: 3, arrow: 'triangle' } },
        { id: 'alliance', label: RELATION_LABEL.alliance, swatch: { type: 'edge', color: t.alliance, width: 3 } },
        { id: 'conflict', label: RELATION_LABEL.conflict, swatch: { type: 'edge', color: t.conflict, width: 5, dash: [6, 3], arrow: 'tee' } },
      ],
    },
    {
      id: 'team',
      title: L('Our team', '我方团队'),
      items: [
        {
          id: 'member',
          label: L('Our team member', '我方成员'),
          swatch: { type: 'node', shape: 'round-rectangle', size: 14, fill: t.member, border: t.member, borderWidth: 1, borderStyle: 'solid' },
        },
        { id: 'coverage', label: L('Covers (width = strength)', '覆盖（粗细 = 强度）'), swatch: { type: 'edge', color: t.coverage, width: 2.4, dotted: true, arrow: 'circle' } },
      ],
    },
  ];
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** One swatch as SVG markup centred in a w×h box at (x, y). */
export function swatchSvg(s: Swatch, x: number, y: number, w: number, h: number, theme: Theme): string {
  const cx = x + w / 2;
  const cy = y + h / 2;
  if (s.type === 'badge')
    return `<text x="${cx}" y="${cy + 4}" text-anchor="middle" font-size="11" font-weight="bold" fill="${theme.foreground}">${esc(s.text)}</text>`;
  if (s.type === 'edge') {
    const x1 = x + 2;
    const x2 = x + w - 4;
    const dash = s.dash ? ` stroke-dasharray="${s.dash.join(' ')}"` : s.dotted ? ` stroke-dasharray="1 3" stroke-linecap="round"` : '';
    let head = '';
    if (s.arrow === 'triangle') head = `<path d="M${x2 - 6} ${cy - 4} L${x2 + 2} ${cy} L${x2 - 6} ${cy + 4} Z" fill="${s.color}"/>`;
    if (s.arrow === 'tee') head = `<path d="M${x2} ${cy - 5} V${cy + 5} M${x1} ${cy - 5} V${cy + 5}" stroke="${s.color}" stroke-width="2"/>`;
    if (s.arrow === 'circle') head = `<circle cx="${x2}" cy="${cy}" r="2.5" fill="${s.color}"/>`;
    return `<line x1="${x1}" y1="${cy}" x2="${x2}" y2="${cy}" stroke="${s.color}" stroke-width="${s.width}"${dash}/>${head}`;
  }
  const r = s.size / 2;
  let out = '';
  if (s.halo) out += `<circle cx="${cx}" cy="${cy}" r="${r + 4}" fill="${s.halo}" opacity="0.75"/>`;
  if (s.ring)
    out += `<circle cx="${cx}" cy="${cy}" r="${r + 5}" fill="none" stroke="${s.ring.color}" stroke-width="1.6"${s.ring.style === 'dashed' ? ' stroke-dasharray="3 2"' : ''}/>`;
  const stroke = `stroke="${s.border}" stroke-width="${s.borderStyle === 'double' ? 1.2 : s.borderWidth}"`;
  if (s.shape === 'round-rectangle') out += `<rect x="${cx - r}" y="${cy - r}" width="${s.size}" height="${s.size}" rx="3" fill="${s.fill}" ${stroke}/>`;
  else {
    out += `<circle cx="${cx}" cy="${cy}" r="${r}" fill="${s.fill}" ${stroke}/>`;
    if (s.borderStyle === 'double') out += `<circle cx="${cx}" cy="${cy}" r="${r - 2.5}" fill="none" ${stroke}/>`;
  }
  return out;
}

/** The legend as a standalone SVG (for the report and image exports). */
export function legendSvg(themeName: ThemeName = 'light', lang: Lang = 'en-US', opts: { width?: number; fontFamily?: string } = {}): string {
  const t = THEMES[themeName];
  const groups = legend(themeName);
  const width = opts.width ?? 220;
  const row = 18;
  let y = 8;
  let body = '';
  for (const g of groups) {
    y += 14;
    body += `<text x="8" y="${y}" font-size="11" font-weight="bold" fill="${t.foreground}">${esc(g.title[lang])}</text>`;
    y += 4;
    for (const it of g.items) {
      body += swatchSvg(it.swatch, 8, y, 34, row, t);
      body += `<text x="48" y="${y + 13}" font-size="10.5" fill="${t.foreground}">${esc(it.label[lang])}</text>`;
      y += row;
    }
  }
  const height = y + 8;
  const font = esc(opts.fontFamily ?? DEFAULT_FONT);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${font}">` +
    `<rect width="100%" height="100%" fill="${t.background}"/>${body}</svg>`
  );
}
