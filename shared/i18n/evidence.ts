/**
 * The words of evidence and freshness (issue 20) in both UI languages, shared by the screen, the
 * report and the CLI: sources, facts, freshness, ages.
 */
import type { FactKind, Freshness } from '../evidence';
import type { Lang } from './errors';

type Labels = Record<Lang, string>;
const L = (en: string, zh: string): Labels => ({ 'en-US': en, 'zh-CN': zh });

export const SOURCE_LABEL: Record<string, Labels> = {
  met: L('Met in person', '当面接触'),
  coach: L('Told by our coach', '教练透露'),
  colleague: L('Told by a colleague', '同事转述'),
  public: L('Public record', '公开信息'),
  guess: L('Our guess', '推测'),
};
/** Short forms for tables and cards. */
export const SOURCE_SHORT: Record<string, Labels> = {
  met: L('met', '当面'),
  coach: L('coach', '教练'),
  colleague: L('colleague', '同事'),
  public: L('public', '公开'),
  guess: L('guess', '推测'),
};
const NO_SOURCE: Labels = L('source unknown', '来源不明');
/** A source's name: built-in sources translated, the user's own shown as typed. */
export const sourceName = (s: string | null, lang: Lang, short = false): string =>
  s === null ? NO_SOURCE[lang] : ((short ? SOURCE_SHORT : SOURCE_LABEL)[s]?.[lang] ?? s);

export const FACT_LABEL: Record<FactKind, Labels> = {
  attitude: L('Attitude', '态度'),
  favours: L('Favours', '倾向'),
  roles: L('Roles', '角色'),
  influence: L('Influence', '影响力'),
  relation: L('Line', '关系线'),
};

export const FRESHNESS_LABEL: Record<Freshness, Labels> = {
  fresh: L('verified', '已核实'),
  stale: L('stale', '过时'),
  unverified: L('unverified', '未核实'),
};

/** "12 d" / "12天": an age for tight places. */
export const ageShort = (days: number, lang: Lang): string => (lang === 'zh-CN' ? `${days}天` : `${days} d`);
/** How old a fact is, in words: "verified 12 days ago" / "unverified for 40 days". */
export function ageWords(verified: boolean, days: number, lang: Lang): string {
  if (lang === 'zh-CN') return verified ? (days === 0 ? '今天核实' : `${days} 天前核实`) : `${days} 天未核实`;
  if (verified) return days === 0 ? 'verified today' : days === 1 ? 'verified 1 day ago' : `verified ${days} days ago`;
  return days === 1 ? 'unverified for 1 day' : `unverified for ${days} days`;
}
/** The cover line of the deal-review PDF. */
export const verifiedShareLine = (fresh: number, total: number, days: number, lang: Lang): string =>
  lang === 'zh-CN' ? `${total} 条信息中有 ${fresh} 条在最近 ${days} 天内核实` : `${fresh} of ${total} facts verified in the last ${days} days`;
