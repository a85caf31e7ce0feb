/**
 * The legend: what each colour, border, mark and line on the map means — built from the same
 * tokens as the stylesheet, and only for what a map actually shows. One drawing, two backends:
 * the legend is laid out as a list of drawing operations (text, paths) that become SVG markup
 * (screen swatches, SVG export, the PDF's map page) or Canvas 2D calls (PNG export).
 */
import type { Attitude, Influence, MapDocument, RelationKind } from '../domain';
import { ATTITUDES, INFLUENCES } from '../domain';
import { ATTITUDE_LABEL, RELATION_LABEL } from '../i18n/domain';
import type { Lang } from '../i18n/errors';
import { estimateWidth, type TextMeasurer } from './text';
import { ATTITUDE_COLOR, ATTITUDE_SYMBOL, INFLUENCE_BORDER, STRENGTH_WIDTH, THEMES, type Theme, type ThemeName } from './style';

export type Swatch =
  | { type: 'card'; band: string; border: string; borderWidth: number; double?: boolean; ring?: { color: string; dashed: boolean; dash?: number[] } }
  | { type: 'member'; fill: string }
  | {
      type: 'edge';
      color: string;
      width: number;
      dash?: number[];
      source?: 'tee' | 'circle';
      target?: 'triangle' | 'tee' | 'circle';
      elbow?: boolean;
    };

export interface LegendItem {
  id: string;
  label: Record<Lang, string>;
  swatch: Swatch;
}
export interface LegendGroup {
  id: 'attitude' | 'influence' | 'marks' | 'edges' | 'team';
  title: Record<Lang, string>;
  items: LegendItem[];
}

const L = (en: string, zh: string): Record<Lang, string> => ({ 'en-US': en, 'zh-CN': zh });

export const INFLUENCE_SIZE_LABEL: Record<Influence, Record<Lang, string>> = {
  high: L('High', '高'),
  medium: L('Medium', '中'),
  low: L('Low', '低'),
};

/** What a map shows, so its legend explains only that. */
export interface LegendContent {
  attitudes: ReadonlySet<Attitude>;
  influences: ReadonlySet<Influence>;
  dm: boolean;
  coach: boolean;
  candidates: boolean;
  kinds: ReadonlySet<RelationKind>;
  team: boolean;
  coverage: boolean;
  /** Stale / unverified facts marked (issue 20). */
  stale?: boolean;
  unverified?: boolean;
}

export const EVERYTHING: LegendContent = {
  attitudes: new Set(ATTITUDES),
  influences: new Set(INFLUENCES),
  dm: true,
  coach: true,
  candidates: true,
  kinds: new Set(['reports_to', 'influence', 'alliance', 'conflict']),
  team: true,
  coverage: true,
  stale: true,
  unverified: true,
};

/** The legend content of a map as drawn (team and coverage as the caller shows them). */
export function legendContent(
  doc: Pick<MapDocument, 'people' | 'relations' | 'team' | 'coverage'>,
  show: { team: boolean; coverage: boolean },
): LegendContent {
  return {
    attitudes: new Set(doc.people.map((p) => p.attitude)),
    influences: new Set(doc.people.map((p) => p.influence)),
    dm: doc.people.some((p) => p.roles.includes('decision-maker')),
    coach: doc.people.some((p) => p.roles.includes('coach')),
    candidates: false,
    kinds: new Set(doc.relations.map((r) => r.kind)),
    team: show.team && doc.team.length > 0,
    coverage: show.coverage && doc.coverage.length > 0,
  };
}

export function legend(themeName: ThemeName = 'light', content: LegendContent = EVERYTHING): LegendGroup[] {
  const t = THEMES[themeName];
  const card = (band: string, extra: Partial<Extract<Swatch, { type: 'card' }>> = {}): Swatch => ({
    type: 'card',
    band,
    border: t.nodeBorder,
    borderWidth: 1.2,
    ...extra,
  });
  const groups: LegendGroup[] = [
    {
      id: 'attitude',
      title: L('Attitude toward us (band, symbol)', '对我方态度（色带、符号）'),
      items: ATTITUDES.filter((a) => content.attitudes.has(a)).map((a) => ({
        id: a,
        label: { 'en-US': `${ATTITUDE_SYMBOL[a]} ${ATTITUDE_LABEL[a]['en-US']}`, 'zh-CN': `${ATTITUDE_SYMBOL[a]} ${ATTITUDE_LABEL[a]['zh-CN']}` },
        swatch: card(ATTITUDE_COLOR[a]),
      })),
    },
    {
      id: 'influence',
      title: L('Influence (card width, border)', '影响力（卡片宽度、边框）'),
      items: INFLUENCES.filter((i) => content.influences.has(i)).map((i) => ({
        id: `influence-${i}`,
        label: INFLUENCE_SIZE_LABEL[i],
        swatch: card(ATTITUDE_COLOR.neutral, { borderWidth: Math.min(3, INFLUENCE_BORDER[i]) }),
      })),
    },
    {
      id: 'marks',
      title: L('Marks', '标记'),
      items: [
        ...(content.dm
          ? [{ id: 'decision-maker', label: L('Decision maker', '决策者'), swatch: card(ATTITUDE_COLOR.neutral, { border: t.foreground, borderWidth: 3.5, double: true }) }]
          : []),
        ...(content.coach
          ? [{ id: 'coach', label: L('★ Coach', '★ 教练'), swatch: card(ATTITUDE_COLOR.supporter, { ring: { color: t.coach, dashed: false } }) }]
          : []),
        ...(content.candidates
          ? [{ id: 'candidate', label: L('Coach candidate', '教练候选人'), swatch: card(ATTITUDE_COLOR.neutral, { ring: { color: t.coach, dashed: true } }) }]
          : []),
        ...(content.stale
          ? [{ id: 'ev-stale', label: L('Stale fact (broken ring, sparse line)', '信息过时（虚线环、稀疏虚线）'), swatch: card(ATTITUDE_COLOR.neutral, { ring: { color: t.stale, dashed: true, dash: [4, 2] } }) }]
          : []),
        ...(content.unverified
          ? [{ id: 'ev-unverified', label: L('Unverified fact (dotted ring, dotted line)', '信息未核实（点线环、点线）'), swatch: card(ATTITUDE_COLOR.neutral, { ring: { color: t.unverified, dashed: true, dash: [1.5, 1.5] } }) }]
          : []),
      ],
    },
    {
      id: 'edges',
      title: L('Lines (width = strength)', '关系线（粗细 = 强度）'),
      items: (
        [
          { id: 'reports_to', label: RELATION_LABEL.reports_to, swatch: { type: 'edge', color: t.reportsTo, width: 1.5, elbow: true } },
          {
            id: 'influence',
            label: L('Influences', '影响'),
            swatch: { type: 'edge', color: t.influence, width: STRENGTH_WIDTH[2]!, target: 'triangle' },
          },
          { id: 'alliance', label: RELATION_LABEL.alliance, swatch: { type: 'edge', color: t.alliance, width: 2.5, source: 'circle', target: 'circle' } },
          { id: 'conflict', label: RELATION_LABEL.conflict, swatch: { type: 'edge', color: t.conflict, width: 3, dash: [6, 3], source: 'tee', target: 'tee' } },
        ] satisfies LegendItem[]
      ).filter((it) => content.kinds.has(it.id as RelationKind)),
    },
    {
      id: 'team',
      title: L('Our team', '我方团队'),
      items: [
        ...(content.team ? [{ id: 'member', label: L('Our team member', '我方成员'), swatch: { type: 'member', fill: t.member } as Swatch }] : []),
        ...(content.coverage
          ? [{ id: 'coverage', label: L('Covers', '覆盖'), swatch: { type: 'edge', color: t.coverage, width: 2, dash: [1, 3], target: 'circle' } as Swatch }]
          : []),
      ],
    },
  ];
  return groups.filter((g) => g.items.length > 0);
}

// ---------------------------------------------------------------------------------------------
// Drawing operations, and their two backends
// ---------------------------------------------------------------------------------------------

export type DrawOp =
  | { t: 'text'; x: number; y: number; text: string; size: number; bold?: boolean; fill: string; anchor?: 'start' | 'middle' | 'end' }
  | { t: 'path'; d: string; fill?: string; stroke?: string; width?: number; dash?: number[]; cap?: 'round' | 'butt' };

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const n = (v: number) => Math.round(v * 100) / 100;

export function opsToSvg(ops: readonly DrawOp[]): string {
  return ops
    .map((o) => {
      if (o.t === 'text')
        return `<text x="${n(o.x)}" y="${n(o.y)}" font-size="${o.size}"${o.bold ? ' font-weight="bold"' : ''}${o.anchor && o.anchor !== 'start' ? ` text-anchor="${o.anchor}"` : ''} fill="${o.fill}">${esc(o.text)}</text>`;
      const attrs = [
        `d="${o.d}"`,
        `fill="${o.fill ?? 'none'}"`,
        o.stroke ? `stroke="${o.stroke}" stroke-width="${o.width ?? 1}"` : '',
        o.dash ? `stroke-dasharray="${o.dash.join(' ')}"` : '',
        o.cap ? `stroke-linecap="${o.cap}"` : '',
      ].filter(Boolean);
      return `<path ${attrs.join(' ')}/>`;
    })
    .join('');
}

/** The minimal Canvas 2D surface the PNG export draws on. */
export interface Canvas2D {
  font: string;
  fillStyle: unknown;
  strokeStyle: unknown;
  lineWidth: number;
  lineCap: string;
  textAlign: string;
  textBaseline: string;
  setLineDash(d: number[]): void;
  fillText(t: string, x: number, y: number): void;
  fill(p: unknown): void;
  stroke(p: unknown): void;
}

export function drawOps(ctx: Canvas2D, ops: readonly DrawOp[], fontFamily: string, makePath: (d: string) => unknown): void {
  for (const o of ops) {
    if (o.t === 'text') {
      ctx.font = `${o.bold ? 'bold' : 'normal'} ${o.size}px ${fontFamily}`;
      ctx.fillStyle = o.fill;
      ctx.textAlign = o.anchor === 'middle' ? 'center' : o.anchor === 'end' ? 'right' : 'left';
      ctx.textBaseline = 'alphabetic';
      ctx.fillText(o.text, o.x, o.y);
      continue;
    }
    const p = makePath(o.d);
    if (o.fill) {
      ctx.fillStyle = o.fill;
      ctx.fill(p);
    }
    if (o.stroke) {
      ctx.strokeStyle = o.stroke;
      ctx.lineWidth = o.width ?? 1;
      ctx.lineCap = o.cap ?? 'butt';
      ctx.setLineDash(o.dash ?? []);
      ctx.stroke(p);
      ctx.setLineDash([]);
    }
  }
}

const rrect = (x: number, y: number, w: number, h: number, r: number) =>
  `M${n(x + r)} ${n(y)}H${n(x + w - r)}Q${n(x + w)} ${n(y)} ${n(x + w)} ${n(y + r)}V${n(y + h - r)}Q${n(x + w)} ${n(y + h)} ${n(x + w - r)} ${n(y + h)}H${n(x + r)}Q${n(x)} ${n(y + h)} ${n(x)} ${n(y + h - r)}V${n(y + r)}Q${n(x)} ${n(y)} ${n(x + r)} ${n(y)}Z`;

/** One swatch as drawing operations, centred in a w×h box at (x, y). */
export function swatchOps(s: Swatch, x: number, y: number, w: number, h: number, theme: Theme): DrawOp[] {
  const cx = x + w / 2;
  const cy = y + h / 2;
  if (s.type === 'edge') {
    const x1 = x + 3;
    const x2 = x + w - 3;
    const ops: DrawOp[] = [];
    const d = s.elbow ? `M${n(x1)} ${n(cy + 5)}V${n(cy - 4)}H${n(x2)}V${n(cy + 5)}` : `M${n(x1 + (s.source ? 3 : 0))} ${n(cy)}H${n(x2 - (s.target ? 4 : 0))}`;
    ops.push({ t: 'path', d, stroke: s.color, width: s.width, dash: s.dash, cap: s.dash && s.dash[0]! < 2 ? 'round' : 'butt' });
    const end = (kind: 'triangle' | 'tee' | 'circle', at: number, dir: 1 | -1): DrawOp => {
      if (kind === 'triangle') return { t: 'path', d: `M${n(at - dir * 8)} ${n(cy - 4.5)}L${n(at)} ${n(cy)}L${n(at - dir * 8)} ${n(cy + 4.5)}Z`, fill: s.color };
      if (kind === 'tee') return { t: 'path', d: `M${n(at)} ${n(cy - 5)}V${n(cy + 5)}`, stroke: s.color, width: 2.5 };
      return { t: 'path', d: `M${n(at - dir * 3)} ${n(cy)}m-3 0a3 3 0 1 0 6 0a3 3 0 1 0 -6 0`, fill: s.color };
    };
    if (s.target) ops.push(end(s.target, x2, 1));
    if (s.source) ops.push(end(s.source, x1, -1));
    return ops;
  }
  const cw = Math.min(w - 4, 26);
  const chh = Math.min(h - 4, 14);
  const bx = cx - cw / 2;
  const by = cy - chh / 2;
  if (s.type === 'member') return [{ t: 'path', d: rrect(bx, by, cw, chh, 2.5), fill: s.fill }];
  const ops: DrawOp[] = [];
  if (s.ring) ops.push({ t: 'path', d: rrect(bx - 3, by - 3, cw + 6, chh + 6, 4), stroke: s.ring.color, width: 2, dash: s.ring.dashed ? (s.ring.dash ?? [3, 2]) : undefined });
  ops.push({ t: 'path', d: rrect(bx, by, cw, chh, 2.5), fill: theme.card });
  ops.push({ t: 'path', d: `M${n(bx + 1)} ${n(by + 1)}h4v${n(chh - 2)}h-4Z`, fill: s.band });
  if (s.double) {
    ops.push({ t: 'path', d: rrect(bx, by, cw, chh, 2.5), stroke: s.border, width: 1 });
    ops.push({ t: 'path', d: rrect(bx + 2.5, by + 2.5, cw - 5, chh - 5, 1.5), stroke: s.border, width: 1 });
  } else ops.push({ t: 'path', d: rrect(bx, by, cw, chh, 2.5), stroke: s.border, width: s.borderWidth });
  return ops;
}

/** One swatch as SVG markup (the screen legend's icons). */
export const swatchSvg = (s: Swatch, x: number, y: number, w: number, h: number, theme: Theme): string => opsToSvg(swatchOps(s, x, y, w, h, theme));

export interface LegendLayout {
  ops: DrawOp[];
  width: number;
  height: number;
}

/**
 * The legend flowed into a strip `width` wide: each group's title, then its items left to right,
 * wrapping as needed. Sizes in px of the target (the export frame or the printed page).
 */
export function legendStrip(groups: readonly LegendGroup[], lang: Lang, theme: Theme, width: number, opts: { fontSize?: number; measure?: TextMeasurer } = {}): LegendLayout {
  const fs = opts.fontSize ?? 11;
  const m = opts.measure ?? estimateWidth;
  const sw = 30;
  const rowH = Math.round(fs * 1.9);
  const gapItem = 14;
  const gapGroup = 24;
  const ops: DrawOp[] = [];
  let x = 0;
  let y = 0;
  const wrap = (need: number) => {
    if (x > 0 && x + need > width) {
      x = 0;
      y += rowH;
    }
  };
  for (const g of groups) {
    const title = `${g.title[lang]}:`;
    const tw = m(title, fs) * 1.08 + 6;
    const firstItem = g.items[0] ? sw + 4 + m(g.items[0].label[lang], fs) : 0;
    wrap(tw + firstItem);
    ops.push({ t: 'text', x, y: y + rowH / 2 + fs * 0.36, text: title, size: fs, bold: true, fill: theme.foreground });
    x += tw + 6;
    for (const it of g.items) {
      const lw = m(it.label[lang], fs);
      wrap(sw + 4 + lw);
      ops.push(...swatchOps(it.swatch, x, y + (rowH - 18) / 2, sw, 18, theme));
      ops.push({ t: 'text', x: x + sw + 4, y: y + rowH / 2 + fs * 0.36, text: it.label[lang], size: fs, fill: theme.foreground });
      x += sw + 4 + lw + gapItem;
    }
    x += gapGroup - gapItem;
  }
  return { ops, width, height: y + rowH };
}

/** The legend as a standalone SVG (a column of groups; tests and simple embeds). */
export function legendSvg(themeName: ThemeName = 'light', lang: Lang = 'en-US', opts: { width?: number; fontFamily?: string; content?: LegendContent } = {}): string {
  const t = THEMES[themeName];
  const width = opts.width ?? 560;
  const strip = legendStrip(legend(themeName, opts.content), lang, t, width - 16);
  const height = strip.height + 16;
  const font = esc(opts.fontFamily ?? '"PowerMap Sans", sans-serif');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${font}">` +
    `<rect width="100%" height="100%" fill="${t.background}"/><g transform="translate(8 8)">${opsToSvg(strip.ops)}</g></svg>`
  );
}
