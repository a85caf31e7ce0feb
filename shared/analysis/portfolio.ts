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

const esc = (s: string | number): string =>
  String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const PDF_WORDS: Record<Lang, { title: string; flags: [string, string, string, string]; none: string; of: (n: number) => string }> = {
  'en-US': { title: 'Portfolio', flags: ['No coach', 'DM not for us', 'High influence uncovered', 'Hangs on one colleague'], none: '—', of: (n) => `${n} deals` },
  'zh-CN': { title: '项目组合', flags: ['无教练', '决策者未支持', '高影响力无人覆盖', '只靠一位同事'], none: '—', of: (n) => `共 ${n} 个项目` },
};

/**
 * The portfolio as one self-contained page (A4 landscape, no script, no outside resources) for the
 * forecast meeting: printed to PDF by the CLI's Chromium (`powermap portfolio --pdf`) or by the
 * app's hidden print window. Every value is escaped. Rows beyond what fits one page are counted.
 */
export function portfolioHtml(
  rows: readonly PortfolioRow[],
  lang: Lang,
  labels: { stage: (s: string) => string; posture: (p: string) => string },
  opts: { date: string; maxRows?: number } = { date: '' },
): string {
  const w = PDF_WORDS[lang];
  const head = CSV_HEAD[lang];
  const max = opts.maxRows ?? 22;
  const sep = lang === 'zh-CN' ? '、' : ', ';
  const names = (xs: readonly { name: string }[]) => xs.map((x) => x.name).join(sep);
  const cellFlag = (on: boolean, detail: string) => (on ? `<td class="flag">${esc(detail || '✓')}</td>` : `<td class="ok">${w.none}</td>`);
  const body = rows
    .slice(0, max)
    .map(
      (r) => `<tr><td><b>${esc(r.client || r.name)}</b><br><span class="sub">${esc(r.deal)}</span></td><td>${esc(labels.stage(r.stage))}</td><td>${esc(labels.posture(r.posture))}</td><td>${esc(r.owner.name || r.owner.email)}</td><td class="n">${r.people}</td>${cellFlag(r.flags.noCoach, '')}${cellFlag(
        r.flags.dmNotFor.length > 0,
        names(r.flags.dmNotFor),
      )}${cellFlag(r.flags.highUncovered.length > 0, names(r.flags.highUncovered))}${cellFlag(r.flags.oneColleague.length > 0, r.flags.oneColleague.map((c) => c.member.name).join(sep))}<td class="n">${r.redFlags}</td><td class="sub">${esc(r.updatedAt.slice(0, 10))}${r.updatedBy ? `<br>${esc(r.updatedBy.name)}` : ''}</td></tr>`,
    )
    .join('\n');
  const more = rows.length > max ? `<p class="sub">+ ${rows.length - max}</p>` : '';
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>${esc(w.title)}</title><style>
@page { size: A4 landscape; margin: 12mm; }
body { font-family: "Noto Sans", "Noto Sans SC", sans-serif; font-size: 9pt; color: #1f2937; margin: 0; }
h1 { font-size: 14pt; margin: 0 0 4mm; } h1 span { font-weight: normal; color: #6b7280; font-size: 10pt; margin-left: 4mm; }
table { border-collapse: collapse; width: 100%; } th, td { border-bottom: 0.5pt solid #d1d5db; padding: 1.2mm 1.5mm; text-align: left; vertical-align: top; }
th { background: #f3f4f6; font-size: 8pt; } .n { text-align: right; } .sub { color: #6b7280; font-size: 8pt; }
.flag { color: #b91c1c; font-weight: 600; } .ok { color: #9ca3af; }
</style></head><body><h1>${esc(w.title)}<span>${esc(w.of(rows.length))} · ${esc(opts.date)}</span></h1>
<table><thead><tr><th>${esc(head[1]!)} / ${esc(head[2]!)}</th><th>${esc(head[3]!)}</th><th>${esc(head[4]!)}</th><th>${esc(head[5]!)}</th><th>${esc(head[6]!)}</th>${w.flags.map((f) => `<th>${esc(f)}</th>`).join('')}<th>${esc(head[11]!)}</th><th>${esc(head[12]!)}</th></tr></thead>
<tbody>
${body}
</tbody></table>${more}</body></html>`;
}
