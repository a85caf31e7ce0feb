/**
 * The visual language of the power map, designed once and shared by the screen (renderer) and the
 * exports (PDF map page, PNG, SVG). Pure data: no DOM, no Cytoscape instance — the stylesheet, the
 * element data it reads, and the tokens the legend explains.
 *
 *   const cy = cytoscape({ elements: cytoscapeElements(doc, { lang }), style: cytoscapeStylesheet('light', { form: 'card' }) });
 *
 * People are cards (org chart) or chips (relationships, power grid):
 * - attitude toward us = the colour band on the card's left edge (ColorBrewer RdBu, blue = for us,
 *   red = against, grey neutral; each ≥ 3:1 on white) and a symbol after the name (++ + ○ − −−),
 *   so colour is never the only cue;
 * - influence on this decision = the card's width and the weight of its border;
 * - decision maker = a double border; coach = a gold ring and ★; coach candidate = dashed ring;
 * - the card reads: name and symbol / title / roles · department (chips: name / title).
 * Labels are pre-wrapped and pre-ellipsised here (text.ts), so a label never leaves its card.
 * Levels of detail are classes the canvas sets by zoom (labels.ts): lod-1 = name and title, larger;
 * lod-2 = the name alone, larger still; lod-3/lod-4 = the name at overview sizes, centred on the
 * card with a backing; lbl-off = a label that gives way to a more influential
 * neighbour's. No function mappers: every per-element value is a precomputed data field.
 *
 * Lines: reports-to quiet grey elbows; influence dark arrows, width by strength; alliance green
 * with round ends; conflict vermillion, dashed, with bars at both ends; coverage dotted teal, shown
 * only on demand (class cov-show). A routed line (class `routed`) follows the points computed by
 * route.ts/org.ts (data se/te/sw/sd).
 */
import type cytoscape from 'cytoscape';
import type { Attitude, Coverage, Influence, MapDocument, Person, Relation, RelationKind, TeamMember } from '../domain';
import { ATTITUDES, isBuiltinRole } from '../domain';
import { FONT_STACK } from '../fonts';
import { ATTITUDE_LABEL, RELATION_LABEL, ROLE_LABEL } from '../i18n/domain';
import type { Lang } from '../i18n/errors';
import { ellipsize, estimateWidth, type TextMeasurer } from './text';

export type ThemeName = 'light' | 'dark';

export interface Theme {
  name: ThemeName;
  background: string;
  surface: string;
  foreground: string;
  muted: string;
  border: string;
  accent: string;
  /** Card fill and text. */
  card: string;
  cardText: string;
  /** Card border (its weight tells influence). */
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
  /** Evidence (issue 20): the ring of a person, the dash of a line, with a stale / unverified fact. */
  stale: string;
  unverified: string;
  /** Power grid: quadrant tints, cell lines, axis text. */
  gridFor: string;
  gridAgainst: string;
  gridNeutral: string;
  gridLine: string;
  gridText: string;
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
    card: '#ffffff',
    cardText: '#222222',
    nodeBorder: '#4d4d4d',
    reportsTo: '#6b7280',
    influence: '#3b3f8f',
    alliance: '#1a9850',
    conflict: '#d55e00',
    coverage: '#00897b',
    member: '#33414f',
    memberText: '#ffffff',
    coach: '#e0a800',
    changed: '#1f6feb',
    added: '#1a9850',
    ghost: '#9aa3ae',
    stale: '#a65e00',
    unverified: '#6b7480',
    gridFor: '#eaf1f8',
    gridAgainst: '#fbecea',
    gridNeutral: '#f4f4f4',
    gridLine: '#b9c0c9',
    gridText: '#4a5361',
  },
  dark: {
    name: 'dark',
    background: '#17191d',
    surface: '#202329',
    foreground: '#e7e9ee',
    muted: '#9aa4b2',
    border: '#363b44',
    accent: '#5b9dff',
    card: '#23272e',
    cardText: '#eceff4',
    nodeBorder: '#c9ced6',
    reportsTo: '#8b94a1',
    influence: '#aab4ff',
    alliance: '#4cc27a',
    conflict: '#ff8a3d',
    coverage: '#26b3a3',
    member: '#3d5266',
    memberText: '#ffffff',
    coach: '#ffcc33',
    changed: '#5b9dff',
    added: '#4cc27a',
    ghost: '#6c7480',
    stale: '#f0a040',
    unverified: '#a3acb8',
    gridFor: '#1b2430',
    gridAgainst: '#2b1e1f',
    gridNeutral: '#20232a',
    gridLine: '#434a55',
    gridText: '#aeb6c2',
  },
};

/**
 * Attitude colours (ColorBrewer RdBu, 5 classes, with a mid grey for neutral): blue for us, red
 * against us; every one at least 3:1 against white, so the band reads on paper too.
 */
export const ATTITUDE_COLOR: Record<Attitude, string> = {
  champion: '#2166ac',
  supporter: '#4393c3',
  neutral: '#878787',
  opponent: '#d6604d',
  'strong-opponent': '#b2182b',
};
/** The same colours under their old name (dots in lists and tables). */
export const ATTITUDE_FILL = ATTITUDE_COLOR;
/** The symbol after a name: attitude without colour. */
export const ATTITUDE_SYMBOL: Record<Attitude, string> = {
  champion: '++',
  supporter: '+',
  neutral: '○',
  opponent: '−',
  'strong-opponent': '−−',
};

/** Card sizes (org chart) and chip sizes (relationships, grid) in model px, by influence. */
export const CARD_SIZE: Record<Influence, { w: number; h: number }> = {
  high: { w: 204, h: 62 },
  medium: { w: 184, h: 62 },
  low: { w: 168, h: 62 },
};
export const CHIP_SIZE: Record<Influence, { w: number; h: number }> = {
  high: { w: 164, h: 42 },
  medium: { w: 150, h: 42 },
  low: { w: 138, h: 42 },
};
export const MEMBER_CARD = { w: 168, h: 44 };
export const MEMBER_CHIP = { w: 150, h: 42 };
/** Border weight by influence. */
export const INFLUENCE_BORDER: Record<Influence, number> = { high: 3.5, medium: 2, low: 1 };
/** The attitude band's share of the card's width. */
const BAND = 0.05;

/** Label font sizes, model px, by level of detail (see labels.ts). */
export const FONT = { full: 11, two: 16, name: 21, lod3: 40, lod4: 64 } as const;
/** Label line height (Cytoscape's `line-height`). */
export const LINE_HEIGHT = 1.25;
/** Horizontal room a card's text leaves for the band and padding. */
const CARD_PAD = 22;
const CHIP_PAD = 18;

/** Short role names for cards (the legend and inspector use the full ones). */
export const ROLE_SHORT: Record<string, Record<Lang, string>> = {
  'decision-maker': { 'en-US': 'Decision maker', 'zh-CN': '决策者' },
  technical: { 'en-US': 'Technical', 'zh-CN': '技术' },
  user: { 'en-US': 'User', 'zh-CN': '使用' },
  procurement: { 'en-US': 'Procurement', 'zh-CN': '采购' },
  coach: { 'en-US': 'Coach', 'zh-CN': '教练' },
};

/** Role badges in the E/T/U/P/C vocabulary of project role tables (lists and the inspector). */
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
export const STRENGTH_WIDTH: Record<number, number> = { 1: 1.5, 2: 2.5, 3: 4 };
export const COVERAGE_WIDTH: Record<number, number> = { 1: 1.2, 2: 2, 3: 3 };

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
// Element data (flat, precomputed): what the stylesheet reads.
// ---------------------------------------------------------------------------------------------

export interface PersonNodeData {
  id: string;
  kind: 'person';
  /** Name and role letters (plain label: the time panel's viewer, the benchmark's baseline). */
  label: string;
  name: string;
  title: string;
  department: string;
  attitude: Attitude;
  influence: Influence;
  dm: boolean;
  coach: boolean;
  /** Card and chip sizes. */
  cw: number;
  ch: number;
  pw: number;
  ph: number;
  /** Border width (influence), and the band's gradient stops. */
  bw: number;
  /** Card label (3 lines), chip label (2 lines), name and title at 16 px and the name alone at 21 px sized for each, the full name. */
  lc: string;
  lp: string;
  l2c: string;
  l2p: string;
  lnc: string;
  lnp: string;
  nm: string;
  /** Width of `nm` at 1 px font size (overview label boxes). */
  nmw: number;
  /** Label priority: higher keeps its label when labels collide. */
  prio: number;
}
export interface MemberNodeData {
  id: string;
  kind: 'member';
  label: string;
  name: string;
  role: string;
  cw: number;
  ch: number;
  pw: number;
  ph: number;
  bw: number;
  lc: string;
  lp: string;
  l2c: string;
  l2p: string;
  lnc: string;
  lnp: string;
  nm: string;
  nmw: number;
  prio: number;
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

export interface LabelOptions {
  lang?: Lang;
  /** Measures text in the map's font (default: an estimate). */
  measure?: TextMeasurer;
  /**
   * A big map: only the one-line labels its cheaper stylesheet draws (the card and chip labels
   * are the name line too), so thousands of people are not measured for labels nobody reads.
   */
  lite?: boolean;
}

export const personLabel = (p: Pick<Person, 'name' | 'roles'>): string => {
  const b = roleBadges(p.roles);
  return b ? `${p.name}\n${b}` : p.name;
};

/** The name as the card shows it: coach star and attitude symbol after it. */
export const displayName = (p: Pick<Person, 'name' | 'roles' | 'attitude'>): string =>
  `${p.name.replace(/\s+/g, ' ').trim()}${p.roles.includes('coach') ? ' ★' : ''}  ${ATTITUDE_SYMBOL[p.attitude]}`;

/** Roles for the card's third line: built-in ones in short words, the user's own as typed. */
export function roleWords(roles: readonly string[], lang: Lang): string {
  const order = ['decision-maker', 'technical', 'user', 'procurement'];
  const out = order.filter((r) => roles.includes(r)).map((r) => ROLE_SHORT[r]![lang]);
  for (const r of roles) if (!isBuiltinRole(r)) out.push(r);
  return out.join(lang === 'zh-CN' ? '、' : ', ');
}

/** A name line that keeps the symbol when the name itself must be cut. */
function nameLine(p: Pick<Person, 'name' | 'roles' | 'attitude'>, max: number, size: number, m: TextMeasurer): string {
  const full = displayName(p);
  if (m(full, size) <= max) return full;
  const tail = `${p.roles.includes('coach') ? ' ★' : ''}  ${ATTITUDE_SYMBOL[p.attitude]}`;
  return `${ellipsize(p.name, Math.max(10, max - m(tail, size)), size, m)}${tail}`;
}

const PRIO_INFLUENCE: Record<Influence, number> = { high: 300, medium: 200, low: 100 };

export const personData = (p: Person, opts: LabelOptions = {}): PersonNodeData => {
  const lang = opts.lang ?? 'en-US';
  const m = opts.measure ?? estimateWidth;
  const card = CARD_SIZE[p.influence];
  const chip = CHIP_SIZE[p.influence];
  const f = FONT.full;
  const cardMax = card.w - CARD_PAD;
  const chipMax = chip.w - CHIP_PAD;
  const nm = displayName(p);
  const lnc = nameLine(p, cardMax, FONT.name, m);
  const lnp = nameLine(p, chipMax, FONT.name, m);
  let lc = lnc;
  let lp = lnp;
  let l2c = lnc;
  let l2p = lnp;
  if (!opts.lite) {
    const roles = roleWords(p.roles, lang);
    const third = [roles, p.department.trim()].filter(Boolean).join(' · ');
    lc = [nameLine(p, cardMax, f, m), ellipsize(p.title, cardMax, f, m) || ' ', ellipsize(third, cardMax, f, m) || ' '].join('\n');
    lp = [nameLine(p, chipMax, f, m), ellipsize(p.title, chipMax, f, m) || ' '].join('\n');
    l2c = [nameLine(p, cardMax, FONT.two, m), ellipsize(p.title, cardMax, FONT.two, m) || ' '].join('\n');
    l2p = [nameLine(p, chipMax, FONT.two, m), ellipsize(p.title, chipMax, FONT.two, m) || ' '].join('\n');
  }
  return {
    id: p.id,
    kind: 'person',
    label: personLabel(p),
    name: p.name,
    title: p.title,
    department: p.department,
    attitude: p.attitude,
    influence: p.influence,
    dm: p.roles.includes('decision-maker'),
    coach: p.roles.includes('coach'),
    cw: card.w,
    ch: card.h,
    pw: chip.w,
    ph: chip.h,
    bw: INFLUENCE_BORDER[p.influence],
    lc,
    lp,
    l2c,
    l2p,
    lnc,
    lnp,
    nm,
    nmw: Math.ceil(m(nm, 100)) / 100,
    prio: PRIO_INFLUENCE[p.influence] + (p.roles.includes('decision-maker') ? 50 : 0) + (p.roles.includes('coach') ? 25 : 0),
  };
};

export const memberData = (t: TeamMember, opts: LabelOptions = {}): MemberNodeData => {
  const m = opts.measure ?? estimateWidth;
  const f = FONT.full;
  const name = t.name.replace(/\s+/g, ' ').trim();
  const lines = (w: number, size: number = f) => [ellipsize(name, w, size, m), ellipsize(t.role, w, size, m) || ' '].join('\n');
  return {
    id: memberNodeId(t.id),
    kind: 'member',
    label: t.role ? `${t.name}\n${t.role}` : t.name,
    name: t.name,
    role: t.role,
    cw: MEMBER_CARD.w,
    ch: MEMBER_CARD.h,
    pw: MEMBER_CHIP.w,
    ph: MEMBER_CHIP.h,
    bw: 0,
    lc: lines(MEMBER_CARD.w - 16),
    lp: lines(MEMBER_CHIP.w - 16),
    l2c: lines(MEMBER_CARD.w - 16, FONT.two),
    l2p: lines(MEMBER_CHIP.w - 16, FONT.two),
    lnc: ellipsize(name, MEMBER_CARD.w - 16, FONT.name, m),
    lnp: ellipsize(name, MEMBER_CHIP.w - 16, FONT.name, m),
    nm: name,
    nmw: Math.ceil(m(name, 100)) / 100,
    prio: 150,
  };
};

export const relationData = (r: Relation): EdgeData => ({
  id: relationEdgeId(r.id),
  kind: r.kind,
  source: r.source,
  target: r.target,
  strength: r.strength,
  width:
    r.kind === 'influence'
      ? STRENGTH_WIDTH[r.strength] ?? 2.5
      : r.kind === 'alliance'
        ? 1.5 + r.strength * 0.75
        : r.kind === 'conflict'
          ? 2 + r.strength * 0.75
          : 1.5,
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

export interface ElementsOptions extends LabelOptions {
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
  const out: cytoscape.ElementDefinition[] = doc.people.map((p) => node(personData(p, opts)));
  if (!opts.withoutTeam) out.push(...doc.team.map((m) => node(memberData(m, opts))));
  out.push(...doc.relations.map((r) => ({ group: 'edges' as const, data: relationData(r) })));
  if (!opts.withoutTeam) out.push(...doc.coverage.map((c) => ({ group: 'edges' as const, data: coverageData(c) })));
  return out;
}

/** Positions stored per layout use the bare entity id; element ids prefix team members. */
export const positionKeyOf = (elementId: string): string => (elementId.startsWith('t:') ? elementId.slice(2) : elementId);

// ---------------------------------------------------------------------------------------------
// The stylesheet
// ---------------------------------------------------------------------------------------------

export type NodeForm = 'card' | 'chip';

export interface StylesheetOptions {
  /** Cards (org chart) or chips (relationships, grid). */
  form?: NodeForm;
  /** Base font family of labels. */
  fontFamily?: string;
  /**
   * A big map (hundreds of people): cheaper drawing that keeps the meaning — plain fills instead
   * of the band's gradient, one-line labels, straight lines, no conflict bars (the dash stays).
   */
  large?: boolean;
  /** A big map seen whole: all lines as plain haystack lines, colour and width still telling the kinds apart. */
  overview?: boolean;
  /**
   * The power grid's backdrop is on the canvas: elements are stacked by z-index alone (backdrop,
   * then lines, then people) instead of Cytoscape's default (all lines under all nodes).
   */
  grid?: boolean;
}

/** Below this zoom a large map is drawn in overview style. */
export const OVERVIEW_ZOOM = 0.45;

/** From this many people up, the screen uses the large-map stylesheet. */
export const LARGE_MAP = 500;

/** The map's fonts: the bundled family first (the same glyphs on screen and in print). */
export const DEFAULT_FONT = FONT_STACK;

type Block = { selector: string; style: Record<string, unknown> };

/**
 * How much the highlight veil hides of what is not lifted (the renderer draws it over the map in
 * the background colour; what a highlight lifts shows through it).
 */
export const VEIL_OPACITY = 0.86;

export function cytoscapeStylesheet(themeName: ThemeName = 'light', opts: StylesheetOptions = {}): cytoscape.StylesheetJson {
  const t = THEMES[themeName];
  const font = opts.fontFamily ?? DEFAULT_FONT;
  const card = (opts.form ?? 'card') === 'card';
  const W = card ? 'data(cw)' : 'data(pw)';
  const H = card ? 'data(ch)' : 'data(ph)';
  const band = `0% ${BAND * 100}% ${BAND * 100}% 100%`;
  const nodes: Block[] = [
    {
      selector: 'node',
      style: {
        'font-family': font,
        'font-size': FONT.full,
        color: t.cardText,
        label: '',
        'text-wrap': 'wrap',
        'text-max-width': '1000px',
        'text-valign': 'center',
        'text-halign': 'center',
        'text-justification': 'left',
        'line-height': LINE_HEIGHT,
        'min-zoomed-font-size': 7,
        'overlay-opacity': 0,
        'z-index-compare': 'manual',
        'z-index': 20,
      },
    },
    {
      selector: 'node[kind = "person"]',
      style: {
        shape: 'round-rectangle',
        'corner-radius': 6,
        width: W,
        height: H,
        label: card ? 'data(lc)' : 'data(lp)',
        'text-margin-x': 3,
        'background-color': t.card,
        // A big map's cards are plain (the attitude is their border's colour, below): no gradient
        // properties at all, rather than ones overridden — Cytoscape parses, applies and hashes
        // every property an element has, thousands of times over on a big map.
        ...(opts.large
          ? {}
          : { 'background-fill': 'linear-gradient', 'background-gradient-direction': 'to-right', 'background-gradient-stop-positions': band }),
        'border-width': 'data(bw)',
        'border-color': t.nodeBorder,
      },
    },
    ...(opts.large
      ? []
      : ATTITUDES.map((a) => ({
          selector: `node[attitude = "${a}"]`,
          style: { 'background-gradient-stop-colors': `${ATTITUDE_COLOR[a]} ${ATTITUDE_COLOR[a]} ${t.card} ${t.card}` },
        }))),
    {
      // Decision maker: a double border (three times as thick, so both rules show).
      selector: 'node[?dm]',
      style: { 'border-style': 'double', 'border-width': 5, 'border-color': t.foreground },
    },
    { selector: 'node[?dm][influence = "high"]', style: { 'border-width': 6.5 } },
    {
      // The coach: a gold ring around the card (and ★ after the name).
      selector: 'node[?coach]',
      style: { 'outline-color': t.coach, 'outline-width': 3, 'outline-offset': 3, 'outline-style': 'solid' },
    },
    {
      selector: 'node[kind = "member"]',
      style: {
        shape: 'round-rectangle',
        'corner-radius': 4,
        width: W,
        height: H,
        label: card ? 'data(lc)' : 'data(lp)',
        'background-color': t.member,
        'border-width': 0,
        color: t.memberText,
        'text-justification': 'center',
      },
    },
  ];
  const edges: Block[] = [
    // --- lines --------------------------------------------------------------------------------
    {
      selector: 'edge',
      style: {
        'curve-style': 'straight',
        width: 'data(width)',
        'line-color': t.influence,
        'target-arrow-color': t.influence,
        'arrow-scale': 1,
        'overlay-opacity': 0,
        'z-index-compare': 'manual',
        'z-index': 5,
      },
    },
    {
      selector: 'edge.routed',
      style: {
        'curve-style': 'round-segments',
        'segment-radii': 8,
        'edge-distances': 'endpoints',
        'source-endpoint': 'data(se)',
        'target-endpoint': 'data(te)',
        'segment-weights': 'data(sw)',
        'segment-distances': 'data(sd)',
      },
    },
    {
      // Reports-to: the quiet formal line; in the org chart an elbow line from boss to report.
      selector: 'edge[kind = "reports_to"]',
      style: { width: 1.5, 'line-color': t.reportsTo, 'target-arrow-color': t.reportsTo, 'z-index': 4 },
    },
    { selector: 'edge.routed[kind = "reports_to"]', style: { 'curve-style': 'segments' } },
    {
      // Outside the org chart the line needs its direction: a small arrow toward the boss.
      selector: 'edge.free[kind = "reports_to"]',
      style: { 'target-arrow-shape': 'triangle', 'arrow-scale': 0.7 },
    },
    { selector: 'edge[kind = "influence"]', style: { 'target-arrow-shape': 'triangle', 'arrow-scale': 1, 'z-index': 7 } },
    {
      selector: 'edge[kind = "alliance"]',
      style: {
        'line-color': t.alliance,
        'source-arrow-color': t.alliance,
        'target-arrow-color': t.alliance,
        'source-arrow-shape': 'circle',
        'target-arrow-shape': 'circle',
        'arrow-scale': 0.6,
        'z-index': 6,
      },
    },
    {
      // Conflict: must stand out — vermillion, dashed, thick, with bars at both ends.
      selector: 'edge[kind = "conflict"]',
      style: {
        'line-color': t.conflict,
        'line-style': 'dashed',
        'line-dash-pattern': [8, 4],
        'source-arrow-shape': 'tee',
        'target-arrow-shape': 'tee',
        'source-arrow-color': t.conflict,
        'target-arrow-color': t.conflict,
        'arrow-scale': 0.9,
        'z-index': 8,
      },
    },
    {
      // Our team's coverage: only on demand (the selection, or the "coverage" switch).
      selector: 'edge[kind = "coverage"]',
      style: {
        display: 'none',
        'line-color': t.coverage,
        'line-style': 'dotted',
        'target-arrow-shape': 'circle',
        'target-arrow-color': t.coverage,
        'arrow-scale': 0.55,
        'z-index': 3,
      },
    },
    { selector: 'edge.cov-show', style: { display: 'element' } },
    // --- the power grid's backdrop (grid.ts): locked, not interactive, under everything ---------
    {
      selector: 'node[kind = "grid"]',
      style: {
        shape: 'rectangle',
        width: 'data(w)',
        height: 'data(h)',
        'background-color': 'data(fill)',
        'background-opacity': 'data(fo)',
        'background-fill': 'solid',
        'border-width': 'data(bw)',
        'border-color': t.gridLine,
        label: 'data(label)',
        color: t.gridText,
        'font-size': 'data(fs)',
        'font-weight': 'data(fw)',
        'text-justification': 'auto',
        'min-zoomed-font-size': 0,
        events: 'no',
        'z-index': 0,
      },
    },
    { selector: 'node.g-tl', style: { 'text-valign': 'top-inside', 'text-halign': 'left-inside', 'text-margin-x': 10, 'text-margin-y': 8 } },
    { selector: 'node.g-tr', style: { 'text-valign': 'top-inside', 'text-halign': 'right-inside', 'text-margin-x': -10, 'text-margin-y': 8 } },
    { selector: 'node.g-left', style: { 'text-halign': 'left', 'text-valign': 'center' } },
    { selector: 'node.g-right', style: { 'text-halign': 'right', 'text-valign': 'center' } },
    // --- selection ----------------------------------------------------------------------------
    { selector: 'node:selected', style: { 'border-color': t.accent, 'border-width': 4, 'border-style': 'solid' } },
    { selector: 'node[?dm]:selected', style: { 'border-width': 6, 'border-style': 'double', 'border-color': t.accent } },
    {
      selector: 'edge:selected',
      style: { 'underlay-color': t.accent, 'underlay-opacity': 0.25, 'underlay-padding': 4 },
    },
    // --- evidence (issue 20): a broken ring, a sparse or dotted line; the attitude band untouched --
    { selector: 'node.ev-stale', style: { 'outline-color': t.stale, 'outline-width': 2, 'outline-offset': 3, 'outline-style': 'dashed' } },
    { selector: 'node.ev-unverified', style: { 'outline-color': t.unverified, 'outline-width': 2, 'outline-offset': 3, 'outline-style': 'dotted' } },
    // The coach's ring stays gold, broken the same way.
    { selector: 'node[?coach].ev-stale', style: { 'outline-color': t.coach, 'outline-width': 3, 'outline-style': 'dashed' } },
    { selector: 'node[?coach].ev-unverified', style: { 'outline-color': t.coach, 'outline-width': 3, 'outline-style': 'dotted' } },
    // Dots about as long as the line is wide (Cytoscape's own 'dotted' is [1, 1]: sub-pixel below zoom
    // 1, and twice the dashes for the rasteriser to draw on every line of a map nobody has sourced
    // yet); a stale fact's line is broken into longer dashes, so the two never look alike.
    { selector: 'edge.ev-stale', style: { 'line-style': 'dashed', 'line-dash-pattern': [6, 5] } },
    { selector: 'edge.ev-unverified', style: { 'line-style': 'dashed', 'line-dash-pattern': [2, 3] } },
    // --- marks from panels and highlights ------------------------------------------------------
    {
      // A coach candidate (Insights): a dashed gold ring.
      selector: 'node.candidate',
      style: { 'outline-color': t.coach, 'outline-width': 3, 'outline-offset': 4, 'outline-style': 'dashed' },
    },
    // The buying step (Insights, "this step"): who matters now stands out, who matters less fades.
    { selector: 'node.stage-now', style: { 'outline-color': t.accent, 'outline-width': 4, 'outline-offset': 3, 'outline-style': 'solid' } },
    { selector: 'node.stage-dim', style: { opacity: 0.4 } },
    {
      // A chokepoint on the paths to a decision maker: a dashed ring in the conflict colour.
      selector: 'node.chokepoint',
      style: { 'outline-color': t.conflict, 'outline-width': 4, 'outline-offset': 4, 'outline-style': 'dashed' },
    },
    {
      selector: 'node.changed',
      style: { 'outline-color': t.changed, 'outline-width': 3, 'outline-offset': 4, 'outline-style': 'double' },
    },
    {
      selector: 'node.added',
      style: { 'outline-color': t.added, 'outline-width': 3, 'outline-offset': 4, 'outline-style': 'solid' },
    },
    {
      selector: 'node.ghost',
      style: {
        'background-opacity': 0.15,
        'border-style': 'dashed',
        'border-color': t.ghost,
        'border-width': 2,
        color: t.ghost,
        'outline-width': 0,
      },
    },
    { selector: 'edge.changed', style: { 'underlay-color': t.changed, 'underlay-opacity': 0.35, 'underlay-padding': 4 } },
    { selector: 'edge.added', style: { 'underlay-color': t.added, 'underlay-opacity': 0.35, 'underlay-padding': 4 } },
    { selector: 'edge.ghost', style: { 'line-color': t.ghost, 'line-style': 'dashed', opacity: 0.6 } },
    { selector: '.hidden', style: { display: 'none' } },
  ];
  const largeNodes: Block[] = opts.large
    ? [
        {
          selector: 'node[kind = "person"]',
          // The name alone, at the size it was fitted to its card for (21 px): read from zoom 0.43 on,
          // not drawn below (9 px on screen), so a big map costs no text until names can be read.
          style: {
            shape: 'rectangle',
            label: card ? 'data(lnc)' : 'data(lnp)',
            'font-size': FONT.name,
            'min-zoomed-font-size': 9,
            'outline-width': 0,
          },
        },
        ...ATTITUDES.map((a) => ({ selector: `node[attitude = "${a}"]`, style: { 'border-color': ATTITUDE_COLOR[a] } })),
      ]
    : [];
  const lod: Block[] = [
    // Levels of detail (labels.ts sets the classes by zoom).
    { selector: 'node.lod-1', style: { label: card ? 'data(l2c)' : 'data(l2p)', 'font-size': FONT.two } },
    { selector: 'node.lod-2', style: { label: card ? 'data(lnc)' : 'data(lnp)', 'font-size': FONT.name } },
    {
      selector: 'node.lod-3, node.lod-4',
      style: {
        label: 'data(nm)',
        'font-size': FONT.lod3,
        'text-justification': 'center',
        'text-background-color': t.background,
        'text-background-opacity': 0.85,
        'text-background-padding': '2px',
        'text-background-shape': 'round-rectangle',
      },
    },
    { selector: 'node.lod-4', style: { 'font-size': FONT.lod4 } },
    { selector: 'node[kind = "member"].lod-3, node[kind = "member"].lod-4', style: { 'text-background-color': t.member } },
    { selector: 'node.lbl-off', style: { label: '' } },
  ];
  const largeEdges: Block[] = opts.large
    ? [
        { selector: 'edge', style: { 'curve-style': 'straight' } },
        { selector: 'edge[kind = "reports_to"], edge[kind = "coverage"]', style: { 'curve-style': 'haystack', 'haystack-radius': 0 } },
        { selector: 'edge[kind = "conflict"], edge[kind = "alliance"]', style: { 'source-arrow-shape': 'none', 'target-arrow-shape': 'none' } },
      ]
    : [];
  if (opts.large && opts.overview)
    largeEdges.push({
      selector: 'edge',
      style: { 'curve-style': 'haystack', 'haystack-radius': 0, 'source-arrow-shape': 'none', 'target-arrow-shape': 'none', 'line-style': 'solid' },
    });
  // Order matters: later blocks win. Marks and the hidden class come last (inside `edges`' tail).
  const [edgeBlocks, rest] = splitAt(edges, (b) => b.selector === 'node[kind = "grid"]');
  return [...nodes, ...largeNodes, ...lod, ...edgeBlocks, ...largeEdges, ...rest] as cytoscape.StylesheetJson;
}

function splitAt<T>(list: T[], first: (x: T) => boolean): [T[], T[]] {
  const i = list.findIndex(first);
  return i < 0 ? [list, []] : [list.slice(0, i), list.slice(i)];
}

export { ATTITUDE_LABEL, RELATION_LABEL, ROLE_LABEL };
