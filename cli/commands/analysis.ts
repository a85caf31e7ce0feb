/**
 * `powermap analyze <map.powermap> [--attendees "name1,name2"] [--json] [--lang en-US|zh-CN]`:
 * the same analysis as the Insights panel. The --json form is a stable, documented schema
 * (docs/ANALYSIS.md): keys are only ever added, never renamed or removed.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  ATTITUDE_LABEL,
  INFLUENCE_LABEL,
  LEVEL_LABEL,
  MapModel,
  RELATIONSHIP_LABEL,
  type Analysis,
} from '../../shared/analysis';
import { RELATIONSHIPS, type MapMeta, type Person } from '../../shared/domain';
import type { Lang } from '../../shared/i18n/errors';
import { meta as readMeta, people as readPeople, team as readTeam } from '../../services/map/read';
import { call, withMap } from '../session';
import { UsageError, type CliContext, type Command } from '../command';

/** The `analyze --json` schema version; bump only when adding keys (never for removals). */
const ANALYZE_JSON_VERSION = 1;

const T = {
  'en-US': {
    unknown: (n: string) => `no client person is called "${n}" in this map`,
    ambiguous: (n: string, who: string) => `"${n}" could be ${who}: give the id instead`,
    redFlags: 'Red flags',
    none: '(none)',
    coaches: 'Coaches',
    decisionMakers: 'Decision makers',
    conflicts: 'Conflicts',
    meeting: 'Meeting check',
    meetingConflicts: 'conflicts among the attendees',
    meetingAlliances: 'alliances among the attendees',
    ranking: 'Influence ranking (score 0–100, top 15)',
    hidden: 'hidden power',
    paths: 'Paths to decision makers',
    noPath: 'no chain of influence from our supporters',
    coverage: 'Coverage gaps',
    weakly: 'covered only weakly',
    nobody: 'covered by nobody',
    nobodyShort: 'nobody',
    leaves: 'If a team member leaves',
    uncovers: 'uncovers',
    nothing: 'nothing',
    candidates: 'Coach candidates',
    advice: 'What to do next',
    covered: 'covered by',
    mix: 'Relationship mix (key people)',
    more: (n: number) => `… and ${n} more (see --json)`,
  },
  'zh-CN': {
    unknown: (n: string) => `此地图中没有名为“${n}”的客户人员`,
    ambiguous: (n: string, who: string) => `“${n}”可能是 ${who}：请改用 id`,
    redFlags: '风险提示',
    none: '（无）',
    coaches: '教练',
    decisionMakers: '决策者',
    conflicts: '矛盾',
    meeting: '会面检查',
    meetingConflicts: '与会者之间的矛盾',
    meetingAlliances: '与会者之间的同盟',
    ranking: '影响力排名（0–100 分，前 15 位）',
    hidden: '隐性权力',
    paths: '通往决策者的影响链',
    noPath: '我们的支持者没有通往此人的影响链',
    coverage: '覆盖缺口',
    weakly: '覆盖薄弱',
    nobody: '无人覆盖',
    nobodyShort: '无',
    leaves: '如果团队成员离开',
    uncovers: '将失去',
    nothing: '无',
    candidates: '教练人选',
    advice: '下一步',
    covered: '覆盖人',
    mix: '关系构成（关键人物）',
    more: (n: number) => `… 另有 ${n} 项（见 --json）`,
  },
} as const;

/**
 * Resolves attendee names (or ids) to client people. A name that matches nobody, or several
 * people, is an error naming the candidates; names of our own team members are ignored.
 */
function resolveAttendees(list: string, people: readonly Person[], teamNames: readonly string[], lang: Lang): string[] {
  const t = T[lang];
  const model = new MapModel({ people, relations: [], team: [], coverage: [] }, lang);
  const ids: string[] = [];
  for (const raw of list.split(/[,，、;；]/)) {
    const name = raw.trim();
    if (!name) continue;
    const byId = people.find((p) => p.id === name);
    const matches = byId ? [byId] : people.filter((p) => p.name === name || model.label(p.id) === name);
    if (matches.length === 1) ids.push(matches[0]!.id);
    else if (matches.length > 1) {
      const who = matches
        .slice(0, 6)
        .map((p) => `${model.label(p.id) === p.name ? `${p.name}${p.title ? `, ${p.title}` : ''}` : model.label(p.id)} [${p.id}]`)
        .join(lang === 'zh-CN' ? '、' : '; ');
      throw new Error(t.ambiguous(name, who));
    } else if (!teamNames.includes(name)) throw new Error(t.unknown(name));
  }
  return [...new Set(ids)];
}

/** The stable JSON form (docs/ANALYSIS.md, "analyze --json"). */
function analysisJson(a: Analysis, meta: MapMeta, file: string, withMeeting: boolean) {
  const names = (xs: readonly { name: string }[]) => xs.map((x) => x.name);
  const ids = (xs: readonly { id: string }[]) => xs.map((x) => x.id);
  return {
    schema: 'powermap-analysis',
    version: ANALYZE_JSON_VERSION,
    lang: a.lang,
    map: { file, account: meta.account, deal: meta.deal, stage: meta.stage, posture: meta.posture },
    coaches: a.coaches.map((c) => ({ name: c.name, id: c.id, attitude: c.attitude, coveredBy: names(c.coveredBy) })),
    decisionMakers: a.decisionMakers.map((d) => ({
      name: d.name,
      id: d.id,
      attitude: d.attitude,
      influence: d.influence,
      favours: d.favours,
      coveredBy: names(d.coveredBy),
    })),
    conflicts: a.conflicts.map((c) => ({ a: c.a.name, aId: c.a.id, b: c.b.name, bId: c.b.id, note: c.note, strength: c.strength })),
    ...(withMeeting
      ? {
          attendees: (a.meeting?.attendees ?? []).map((p) => ({ name: p.name, id: p.id })),
          meetingConflicts: (a.meeting?.conflicts ?? []).map((c) => ({ a: c.a.name, aId: c.a.id, b: c.b.name, bId: c.b.id, note: c.note })),
          meetingAlliances: (a.meeting?.alliances ?? []).map((c) => ({ a: c.a.name, aId: c.a.id, b: c.b.name, bId: c.b.id, note: c.note })),
        }
      : {}),
    influenceRanking: a.influenceRanking.map((r) => ({ name: r.name, id: r.id, score: r.score, rank: r.rank, tier: r.tier, hiddenPower: r.hiddenPower })),
    hiddenPower: a.hiddenPower.map((h) => ({ name: h.name, id: h.id, score: h.score, tier: h.tier, ranksWith: h.ranksWith })),
    pathsToDecisionMakers: a.pathsToDecisionMakers.flatMap((d) =>
      d.paths.map((p) => ({
        from: p.from.name,
        fromId: p.from.id,
        to: d.target.name,
        toId: d.target.id,
        path: names(p.people),
        pathIds: ids(p.people),
        strength: p.strength,
      })),
    ),
    decisionMakersWithoutPath: a.pathsToDecisionMakers.filter((d) => d.paths.length === 0).map((d) => ({ name: d.target.name, id: d.target.id })),
    coverage: a.coverage.people.map((p) => ({ name: p.name, id: p.id, coveredBy: names(p.coveredBy), coveredByIds: p.coveredBy.map((l) => l.memberId) })),
    coverageGaps: a.coverage.gaps.map((g) => ({ name: g.name, id: g.id, influence: g.influence, decisionMaker: g.decisionMaker, coveredWeakly: g.maxStrength === 1 })),
    singleThreaded: a.coverage.singleThreaded.map((s) => ({ name: s.name, id: s.id, member: s.member.name, memberId: s.member.id })),
    ifTeamMemberLeaves: a.coverage.ifMemberLeaves.map((l) => ({
      member: l.member.name,
      memberId: l.member.id,
      uncovered: names(l.uncovered),
      uncoveredIds: ids(l.uncovered),
    })),
    relationshipMix: {
      key: Object.fromEntries(Object.entries(a.relationshipMix.key).map(([k, v]) => [k, v.length])),
      all: a.relationshipMix.all,
    },
    coachCandidates: a.coachCandidates.map((c) => ({ name: c.name, id: c.id, score: c.score, reasons: c.reasons })),
    coachAdvice: a.coachAdvice?.steps ?? [],
    redFlags: a.redFlags.map((f) => ({ kind: f.kind, severity: f.severity, message: f.message, people: names(f.people), peopleIds: ids(f.people) })),
  };
}

const MAX_LINES = 15;
const MAX_FLAGS = 40;

function printHuman(a: Analysis, meta: MapMeta, file: string, ctx: CliContext): void {
  const t = T[a.lang];
  const zh = a.lang === 'zh-CN';
  const out = ctx.out;
  const sep = zh ? '、' : ', ';
  const capped = <X>(xs: readonly X[], line: (x: X) => string, max = MAX_LINES) => {
    if (xs.length === 0) out(`  ${t.none}`);
    for (const x of xs.slice(0, max)) out(`  ${line(x)}`);
    if (xs.length > max) out(`  ${t.more(xs.length - max)}`);
  };
  const sev = (s: string) => (s === 'high' ? '!!!' : s === 'medium' ? ' !!' : '  !');

  out(`${path.basename(file)}: ${meta.account || '—'} — ${meta.deal || '—'}`);
  out('');
  out(`${t.redFlags} (${a.redFlags.length})`);
  capped(a.redFlags, (f) => `${sev(f.severity)} ${f.message}`, MAX_FLAGS);
  out('');
  out(t.coaches);
  capped(a.coaches, (c) => `${c.name} — ${ATTITUDE_LABEL[a.lang][c.attitude]}`);
  if (a.coaches.length === 0 || a.coachCandidates.length) {
    out(`${t.candidates}`);
    capped(a.coachCandidates.slice(0, 5), (c) => `${c.name} (${c.score}): ${c.reasons.join(zh ? '；' : '; ')}`);
  }
  if (a.coachAdvice) {
    out(t.advice);
    for (const s of a.coachAdvice.steps) out(`  ${s}`);
  }
  out('');
  out(t.decisionMakers);
  capped(
    a.decisionMakers,
    (d) =>
      `${d.name} — ${ATTITUDE_LABEL[a.lang][d.attitude]}${zh ? '，影响力' : ', influence '}${INFLUENCE_LABEL[a.lang][d.influence]}${zh ? '；' : '; '}${t.covered}${zh ? '：' : ': '}${
        d.coveredBy.length ? d.coveredBy.map((l) => l.name).join(sep) : t.nobodyShort
      }`,
  );
  out('');
  out(t.conflicts);
  capped(a.conflicts, (c) => `${c.a.name} ⟷ ${c.b.name}${c.note ? ` — ${c.note}` : ''}`);
  if (a.meeting) {
    out('');
    out(`${t.meeting}: ${a.meeting.attendees.map((p) => p.name).join(sep)}`);
    out(` ${t.meetingConflicts}`);
    capped(a.meeting.conflicts, (c) => `${c.a.name} ⟷ ${c.b.name}${c.note ? ` — ${c.note}` : ''}`);
    out(` ${t.meetingAlliances}`);
    capped(a.meeting.alliances, (c) => `${c.a.name} + ${c.b.name}`);
  }
  out('');
  out(t.ranking);
  for (const r of a.influenceRanking.slice(0, MAX_LINES))
    out(`  ${String(r.rank).padStart(3)}. ${r.name} ${r.score.toFixed(1)}${r.hiddenPower ? `  (${t.hidden}: ${LEVEL_LABEL[a.lang][a.hiddenPower.find((h) => h.id === r.id)!.ranksWith]})` : ''}`);
  out('');
  out(t.paths);
  capped(a.pathsToDecisionMakers, (d) =>
    d.paths.length
      ? `${d.target.name}: ${d.paths.map((p) => `${p.people.map((x) => x.name).join(' → ')} (${p.strength.toFixed(2)})`).join(' | ')}`
      : `${d.target.name}: ${t.noPath}`,
  );
  out('');
  out(t.coverage);
  capped(a.coverage.gaps, (g) => `${g.name} (${INFLUENCE_LABEL[a.lang][g.influence]}) — ${g.maxStrength ? t.weakly : t.nobody}`);
  out('');
  out(t.leaves);
  capped(a.coverage.ifMemberLeaves, (l) => `${l.member.name} ${t.uncovers}: ${l.uncovered.length ? l.uncovered.map((p) => p.name).join(sep) : t.nothing}`);
  out('');
  out(t.mix);
  out(`  ${RELATIONSHIPS.map((k) => `${RELATIONSHIP_LABEL[a.lang][k]} ${a.relationshipMix.key[k].length}`).join(sep)}`);
}

const analyzeCommand: Command = {
  name: 'analyze',
  usage: 'powermap analyze <map.powermap> [--attendees "name1,name2"] [--json] [--lang en-US|zh-CN]',
  summary: 'red flags, coach, power, paths and coverage of a map',
  async run(args, ctx) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { json: { type: 'boolean' }, attendees: { type: 'string' }, lang: { type: 'string' } },
    });
    if (positionals.length !== 1) throw new UsageError('give exactly one map file');
    if (values.lang !== undefined && values.lang !== 'en-US' && values.lang !== 'zh-CN') throw new UsageError('--lang is en-US or zh-CN');
    const lang: Lang = (values.lang as Lang | undefined) ?? ctx.lang;
    return withMap(positionals[0]!, lang, async (session) => {
      const store = session.requireStore();
      const { people, team, meta } = await store.read(async (src) => ({
        people: await readPeople(src),
        team: await readTeam(src),
        meta: await readMeta(src),
      }));
      const attendees =
        values.attendees !== undefined ? resolveAttendees(values.attendees, people, team.map((m) => m.name), lang) : undefined;
      const a = await call(session, 'analysis.run', { attendees, lang });
      if (values.json) ctx.out(JSON.stringify(analysisJson(a, meta, store.location.path, attendees !== undefined), null, 2));
      else printHuman(a, meta, store.location.path, ctx);
      return 0;
    });
  },
};

/** CLI commands of the analysis area. */
export const analysisCommands: Command[] = [analyzeCommand];
