/**
 * The portfolio's rows as people read them (issue 19 item 4): the words of each column in the UI
 * language, sorting and filtering, and the CSV of what is shown — shared by the page
 * (renderer/src/team/Portfolio.tsx), its one-page print (renderer/report, mode=portfolio) and the
 * export's writer (services/exchange), so the screen, the PDF and the CSV say the same.
 */
import { portfolioCsv } from '../analysis/portfolio';
import { POSTURES, STAGES, type Posture, type Stage } from '../domain';
import type { PortfolioRow } from '../api/team-sync';
import { POSTURE_LABEL, STAGE_LABEL } from '../i18n/domain';
import type { Lang } from '../i18n/errors';

export const SORT_KEYS = ['client', 'deal', 'stage', 'posture', 'owner', 'people', 'flags', 'edited'] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export interface Sort {
  key: SortKey;
  dir: 'asc' | 'desc';
}

export interface Filter {
  text: string;
  stage: string;
  flaggedOnly: boolean;
}

const WORDS = {
  'en-US': {
    noCoach: 'No coach',
    dmNotFor: 'Decision maker not for us: {{names}}',
    highUncovered: 'High influence uncovered: {{names}}',
    oneColleague: 'Hangs on {{member}} alone ({{count}})',
    none: '—',
    by: '{{when}} by {{name}}',
    sheet: 'Client|Deal|Stage|Posture|Owner|People|Red flags|Last edited',
    title: 'Portfolio',
    sub: '{{count}} deals · {{date}}',
    more: 'and {{count}} more deals: the CSV export lists them all.',
    footer: 'PowerMap portfolio — confidential',
  },
  'zh-CN': {
    noCoach: '没有教练',
    dmNotFor: '决策者不支持我们：{{names}}',
    highUncovered: '高影响力者无人覆盖：{{names}}',
    oneColleague: '只靠 {{member}} 一人覆盖（{{count}} 人）',
    none: '—',
    by: '{{when}}，{{name}}',
    sheet: '客户|商机|阶段|我方地位|负责人|人数|风险警示|最后编辑',
    title: '商机总览',
    sub: '共 {{count}} 个商机 · {{date}}',
    more: '另有 {{count}} 个商机未列出：CSV 导出包含全部。',
    footer: 'PowerMap 商机总览 — 机密',
  },
} satisfies Record<Lang, Record<string, string>>;

const fill = (s: string, p: Record<string, string | number>) => s.replace(/\{\{(\w+)\}\}/g, (_m, k: string) => String(p[k] ?? ''));
const names = (list: { name: string }[], lang: Lang) => {
  const shown = list.slice(0, 3).map((p) => p.name);
  const more = list.length - shown.length;
  return shown.join(lang === 'zh-CN' ? '、' : ', ') + (more > 0 ? (lang === 'zh-CN' ? ` 等 ${list.length} 人` : ` +${more}`) : '');
};

/** The review flags of a row, one short sentence each (empty: none raised). */
export function flagWords(r: PortfolioRow, lang: Lang): { kind: string; text: string }[] {
  const w = WORDS[lang];
  const out: { kind: string; text: string }[] = [];
  if (r.flags.noCoach) out.push({ kind: 'no-coach', text: w.noCoach });
  if (r.flags.dmNotFor.length) out.push({ kind: 'dm', text: fill(w.dmNotFor, { names: names(r.flags.dmNotFor, lang) }) });
  if (r.flags.highUncovered.length) out.push({ kind: 'uncovered', text: fill(w.highUncovered, { names: names(r.flags.highUncovered, lang) }) });
  for (const o of r.flags.oneColleague) out.push({ kind: 'one', text: fill(w.oneColleague, { member: o.member.name, count: o.people.length }) });
  return out;
}

export const stageWord = (r: PortfolioRow, lang: Lang) => STAGE_LABEL[r.stage]?.[lang] ?? r.stage;
export const postureWord = (r: PortfolioRow, lang: Lang) => POSTURE_LABEL[r.posture]?.[lang] ?? r.posture;

export function whenWord(iso: string, lang: Lang): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' }).format(d);
}

export function editedWord(r: PortfolioRow, lang: Lang, meId?: string, you = 'you'): string {
  const when = whenWord(r.updatedAt, lang);
  if (!r.updatedBy) return when;
  return fill(WORDS[lang].by, { when, name: r.updatedBy.id === meId ? you : r.updatedBy.name });
}

const ownerName = (r: PortfolioRow) => r.owner.name || r.owner.email;

function compare(a: PortfolioRow, b: PortfolioRow, key: SortKey, lang: Lang): number {
  const text = (x: string, y: string) => x.localeCompare(y, lang);
  switch (key) {
    case 'client':
      return text(a.client || a.name, b.client || b.name);
    case 'deal':
      return text(a.deal, b.deal);
    case 'stage':
      return STAGES.indexOf(a.stage) - STAGES.indexOf(b.stage);
    case 'posture':
      return POSTURES.indexOf(a.posture) - POSTURES.indexOf(b.posture);
    case 'owner':
      return text(ownerName(a), ownerName(b));
    case 'people':
      return a.people - b.people;
    case 'flags':
      return a.flagCount - b.flagCount || a.redFlags - b.redFlags;
    case 'edited':
      return a.updatedAt < b.updatedAt ? -1 : a.updatedAt > b.updatedAt ? 1 : 0;
  }
}

/** The rows that pass the filter, in the sort's order (ties: the most recently edited first). */
export function viewRows(rows: PortfolioRow[], sort: Sort, filter: Filter, lang: Lang): PortfolioRow[] {
  const q = filter.text.trim().toLocaleLowerCase();
  const kept = rows.filter((r) => {
    if (filter.stage && r.stage !== filter.stage) return false;
    if (filter.flaggedOnly && r.flagCount === 0) return false;
    if (!q) return true;
    return [r.client, r.deal, r.name, ownerName(r), r.owner.email].some((s) => s.toLocaleLowerCase().includes(q));
  });
  const sign = sort.dir === 'asc' ? 1 : -1;
  return kept.sort((a, b) => sign * compare(a, b, sort.key, lang) || (a.updatedAt < b.updatedAt ? 1 : a.updatedAt > b.updatedAt ? -1 : 0));
}

/**
 * The rows as shown, as CSV: the one portfolio CSV (shared/analysis/portfolio.ts, the CLI's too)
 * with the stage and posture in the UI language's words.
 */
export const portfolioSheetCsv = (rows: readonly PortfolioRow[], lang: Lang): string =>
  portfolioCsv(rows, lang, { stage: (s) => STAGE_LABEL[s as Stage]?.[lang] ?? s, posture: (p) => POSTURE_LABEL[p as Posture]?.[lang] ?? p });

/** The one-page print's words (renderer/report, mode=portfolio). */
export function sheetWords(lang: Lang) {
  const w = WORDS[lang];
  return {
    headings: w.sheet.split('|'),
    title: w.title,
    sub: (count: number, date: string) => fill(w.sub, { count, date }),
    more: (count: number) => fill(w.more, { count }),
    footer: w.footer,
  };
}
