/**
 * `powermap analyze <map.powermap> [--attendees "name1,name2"] [--stage <step>] [--json] [--lang en-US|zh-CN]`:
 * the same analysis as the Insights panel. The --json form is a stable, documented schema
 * (docs/ANALYSIS.md): keys are only ever added, never renamed or removed.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  ATTITUDE_LABEL,
  INFLUENCE_LABEL,
  STAGE_ROLE_NAME,
  LEVEL_LABEL,
  MapModel,
  RELATIONSHIP_LABEL,
  type Analysis,
} from '../../shared/analysis';
import { RELATIONSHIPS, STAGES, type MapMeta, type Person, type Stage } from '../../shared/domain';
import { STAGE_LABEL } from '../../shared/i18n/domain';
import type { Lang } from '../../shared/i18n/errors';
import { meta as readMeta, people as readPeople, team as readTeam } from '../../services/map/read';
import { call, withMap } from '../session';
import { UsageError, type CliContext, type Command } from '../command';

/** The `analyze --json` schema version; bump only when adding keys (never for removals). */
const ANALYZE_JSON_VERSION = 2;

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
    nextSteps: 'Next steps',
    stage: (s: string, whatIf: boolean) => `Buying step: ${s}${whatIf ? ' (what-if)' : ''} — who matters now`,
    chokepoints: 'Chokepoints (opponents and neutrals on the paths to decision makers)',
    cuts: (x: string, y: string, t: string) => `${x} of ${y} shortest paths to ${t}`,
    roleCoverage: 'Coverage by role',
    gap: 'gap',
    cover: { strong: 'covered', weak: 'weakly covered', none: 'not covered', empty: '' },
    badStage: `--stage is one of ${STAGES.join(', ')}`,
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
    nextSteps: '下一步行动',
    stage: (s: string, whatIf: boolean) => `采购阶段：${s}${whatIf ? '（假设）' : ''}——此时谁最关键`,
    chokepoints: '卡点（位于通往决策者路径上的反对者与中立者）',
    cuts: (x: string, y: string, t: string) => `通往 ${t} 的 ${y} 条最短路径中占 ${x} 条`,
    roleCoverage: '按角色的覆盖',
    gap: '缺口',
    cover: { strong: '已覆盖', weak: '覆盖薄弱', none: '无人覆盖', empty: '' },
    badStage: `--stage 取值为 ${STAGES.join('、')}`,
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
    // version 2 (issue 21): the buying step
    stage: {
      step: a.stage.stage,
      whatIf: a.stage.override,
      weights: a.stage.weights,
      overrides: a.stage.overrides,
      people: a.stage.people.map((p) => ({ name: p.name, id: p.id, rank: p.rank, score: p.score, role: p.role, weight: p.weight, emphasis: p.emphasis })),
    },
    chokepoints: a.chokepoints.map((c) => ({
      name: c.name,
      id: c.id,
      rank: c.rank,
      attitude: c.attitude,
      favours: c.favours,
      betweenness: c.betweenness,
      cuts: c.cuts.map((x) => ({ to: x.target.name, toId: x.target.id, through: x.through, total: x.total, share: x.share, path: names(x.example), pathIds: ids(x.example) })),
    })),
    roleCoverage: a.roleCoverage.map((r) => ({
      role: r.role,
      weight: r.weight,
      gap: r.gap,
      coveredBy: r.members.map((l) => ({ member: l.name, memberId: l.memberId, strength: l.strength })),
      cells: Object.fromEntries(
        r.cells.map((c) => [c.attitude, { cover: c.cover, people: names(c.people), peopleIds: ids(c.people) }]),
      ),
    })),
    nextSteps: a.nextSteps.map((s) => ({
      id: s.id,
      kind: s.kind,
      priority: s.priority,
      text: s.text,
      done: s.done,
      people: names(s.people),
      peopleIds: ids(s.people),
      path: names(s.path),
      pathIds: ids(s.path),
    })),
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
  out(t.stage(STAGE_LABEL[a.stage.stage][a.lang], a.stage.override));
  capped(
    a.stage.people.filter((p) => p.emphasis === 'now').slice(0, 8),
    (p) => `${p.name} — ${STAGE_ROLE_NAME[a.lang][p.role]} ${p.score.toFixed(0)}`,
  );
  out('');
  out(`${t.nextSteps} (${a.nextSteps.filter((s) => !s.done).length})`);
  capped(a.nextSteps, (s) => `${s.done ? '[x]' : '[ ]'} ${s.text}`, MAX_FLAGS);
  out('');
  out(t.chokepoints);
  capped(a.chokepoints, (c) => `${c.name} (${ATTITUDE_LABEL[a.lang][c.attitude]}): ${c.cuts.map((x) => t.cuts(String(x.through), String(x.total), x.target.name)).join(sep)}`);
  out('');
  out(t.roleCoverage);
  for (const r of a.roleCoverage)
    out(
      `  ${STAGE_ROLE_NAME[a.lang][r.role]}${r.gap ? ` [${t.gap}]` : ''}: ${r.cells
        .filter((c) => c.people.length)
        .map((c) => `${ATTITUDE_LABEL[a.lang][c.attitude]} ${c.people.map((p) => p.name).join(sep)} (${t.cover[c.cover]})`)
        .join(zh ? '；' : '; ') || t.none}`,
    );
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
  usage: 'powermap analyze <map.powermap> [--attendees "name1,name2"] [--stage <step>] [--json] [--lang en-US|zh-CN]',
  summary: 'red flags, next steps, coach, power, chokepoints, paths and coverage of a map',
  async run(args, ctx) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { json: { type: 'boolean' }, attendees: { type: 'string' }, lang: { type: 'string' }, stage: { type: 'string' } },
    });
    if (positionals.length !== 1) throw new UsageError('give exactly one map file');
    if (values.lang !== undefined && values.lang !== 'en-US' && values.lang !== 'zh-CN') throw new UsageError('--lang is en-US or zh-CN');
    const lang: Lang = (values.lang as Lang | undefined) ?? ctx.lang;
    if (values.stage !== undefined && !(STAGES as readonly string[]).includes(values.stage)) throw new UsageError(T[lang].badStage);
    const stage = values.stage as Stage | undefined;
    return withMap(positionals[0]!, lang, async (session) => {
      const store = session.requireStore();
      const { people, team, meta } = await store.read(async (src) => ({
        people: await readPeople(src),
        team: await readTeam(src),
        meta: await readMeta(src),
      }));
      const attendees =
        values.attendees !== undefined ? resolveAttendees(values.attendees, people, team.map((m) => m.name), lang) : undefined;
      const a = await call(session, 'analysis.run', { attendees, lang, stage });
      if (values.json) ctx.out(JSON.stringify(analysisJson(a, meta, store.location.path, attendees !== undefined), null, 2));
      else printHuman(a, meta, store.location.path, ctx);
      return 0;
    });
  },
};

/** CLI commands of the analysis area. */
export const analysisCommands: Command[] = [analyzeCommand];
