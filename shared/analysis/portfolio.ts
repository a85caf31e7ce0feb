/**
 * The manager's portfolio (issue 19): one row per deal, its review flags read off the map's own
 * analysis — the `Analysis` that `analyze()` returns for the Insights panel, `analysis.run` and
 * `powermap analyze --json` — never counted a second way. And the list as CSV.
 *
 * The four review flags and where they come from:
 * - no coach: the red flag 'no-coach';
 * - decision makers neutral or against us: the red flags 'dm-neutral' and 'dm-against';
 * - high influence uncovered: the coverage gaps of influence 'high' that nobody of ours covers
 *   at all (`coverage.gaps`, max strength 0; `coverageGaps` with coveredWeakly false in the JSON);
 * - coverage hanging on one colleague: the red flag 'member-leaves' (a colleague whose leaving
 *   uncovers a decision maker or a coach).
 */
import type { MapMeta } from '../domain';
import type { PortfolioFlags, PortfolioRow } from '../api/team-sync';
import type { Lang } from '../i18n/errors';
import type { Analysis } from './types';
import { ATTITUDE_LABEL } from './messages';

export function portfolioFlags(a: Analysis): PortfolioFlags {
  const ref = (p: { id: string; name: string }) => ({ id: p.id, name: p.name });
  const dmIds = new Set(a.redFlags.filter((f) => f.kind === 'dm-neutral' || f.kind === 'dm-against').flatMap((f) => f.people.map((p) => p.id)));
  return {
    noCoach: a.redFlags.some((f) => f.kind === 'no-coach'),
    dmNotFor: a.decisionMakers.filter((d) => dmIds.has(d.id)).map((d) => ({ ...ref(d), attitude: d.attitude })),
    highUncovered: a.coverage.gaps.filter((g) => g.influence === 'high' && g.maxStrength === 0).map(ref),
    // The people of each 'member-leaves' flag: key people (decision makers, coaches) this colleague alone covers.
    oneColleague: a.coverage.ifMemberLeaves
      .map((l) => ({
        member: ref(l.member),
        people: l.uncoveredKey.filter((p) => a.decisionMakers.some((d) => d.id === p.id) || a.coaches.some((c) => c.id === p.id)).map(ref),
      }))
      .filter((x) => x.people.length > 0),
  };
}

export const flagCount = (f: PortfolioFlags): number =>
  Number(f.noCoach) + Number(f.dmNotFor.length > 0) + Number(f.highUncovered.length > 0) + Number(f.oneColleague.length > 0);

/** The parts of a row the analysis gives (the server adds who, when, which map). */
export function portfolioFigures(a: Analysis, meta: MapMeta, people: number): Pick<PortfolioRow, 'client' | 'deal' | 'stage' | 'posture' | 'people' | 'flags' | 'flagCount' | 'redFlags'> {
  const flags = portfolioFlags(a);
  return { client: meta.account, deal: meta.deal, stage: meta.stage, posture: meta.posture, people, flags, flagCount: flagCount(flags), redFlags: a.redFlags.length };
}

const CSV_HEAD: Record<Lang, string[]> = {
  'en-US': ['map', 'client', 'deal', 'stage', 'posture', 'owner', 'people', 'no coach', 'decision makers not for us', 'high influence uncovered', 'hangs on one colleague', 'red flags', 'last edited', 'by'],
  'zh-CN': ['地图', '客户', '项目', '阶段', '态势', '负责人', '人数', '无教练', '未支持我方的决策者', '无人覆盖的高影响力人物', '只靠一位同事', '风险提示数', '最后编辑', '编辑人'],
};
const YES: Record<Lang, string> = { 'en-US': 'yes', 'zh-CN': '是' };

/** A cell as CSV: quoted when needed; a leading = + - @ is neutralised (formula injection). */
const cell = (v: string | number): string => {
  let s = String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** The portfolio as CSV (UTF-8 with BOM, CRLF, one row per map), in the order given. */
export function portfolioCsv(rows: readonly PortfolioRow[], lang: Lang, labels: { stage: (s: string) => string; posture: (p: string) => string }): string {
  const sep = lang === 'zh-CN' ? '、' : '; ';
  const names = (xs: readonly { name: string }[]) => xs.map((x) => x.name).join(sep);
  const lines = [CSV_HEAD[lang].map(cell).join(',')];
  for (const r of rows)
    lines.push(
      [
        r.name,
        r.client,
        r.deal,
        labels.stage(r.stage),
        labels.posture(r.posture),
        r.owner.name || r.owner.email,
        r.people,
        r.flags.noCoach ? YES[lang] : '',
        r.flags.dmNotFor.map((d) => `${d.name} (${ATTITUDE_LABEL[lang][d.attitude as keyof (typeof ATTITUDE_LABEL)['en-US']] ?? d.attitude})`).join(sep),
        names(r.flags.highUncovered),
        r.flags.oneColleague.map((c) => `${c.member.name}: ${names(c.people)}`).join(sep),
        r.redFlags,
        r.updatedAt,
        r.updatedBy?.name ?? '',
      ]
        .map(cell)
        .join(','),
    );
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
