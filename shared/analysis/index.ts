/**
 * The analysis engine: pure functions over a map (no UI, no I/O), run unchanged in the renderer,
 * the main process and the CLI. `analyze(map, { attendees, lang })` returns every section and one
 * list of red flags. The scoring is documented in docs/ANALYSIS.md.
 */
import { ATTITUDE_SCORE, relationshipOf } from '../domain';
import { chokepoints as findChokepoints } from './chokepoints';
import { ageDays, freshness, thresholdDays } from '../evidence';
import { coachCandidates } from './coach';
import { coverageAnalysis, relationshipMix } from './coverage';
import { influenceRanking } from './influence';
import { MESSAGES, type Messages } from './messages';
import { byNameThenId, cmp, MapModel } from './model';
import { BUYING_ROLES, nextSteps } from './next-steps';
import { pathsToDecisionMakers } from './paths';
import { roleCoverage } from './role-coverage';
import { resolveStage, stageView } from './stage';
import { STEP_MESSAGES } from './step-messages';
import { STAGE_EMPHASIS } from './weights';
import type {
  Analysis,
  AnalyzeOptions,
  CoachEntry,
  DecisionMakerEntry,
  MapInput,
  MeetingCheck,
  PairEntry,
  RedFlag,
  RedFlagKind,
  Severity,
} from './types';

export * from './types';
export { MESSAGES, ATTITUDE_LABEL, INFLUENCE_LABEL, LEVEL_LABEL, RELATIONSHIP_LABEL } from './messages';
export { MapModel } from './model';
export { STAGE_WEIGHTS, STAGE_ROLES, STAGE_EMPHASIS, STAGE_DIM, type StageRole } from './weights';
export { STEP_MESSAGES, STEP_NAME, STAGE_ROLE_NAME } from './step-messages';
export { stageWeights, personStageWeight, emphasisOf } from './stage';

const pair = (model: MapModel, r: { id: string; source: string; target: string; strength: 1 | 2 | 3; note: string }): PairEntry => {
  // a/b in name order, so the same conflict reads the same whichever way it was drawn.
  const [x, y] = [model.ref(r.source), model.ref(r.target)].sort(byNameThenId) as [PairEntry['a'], PairEntry['b']];
  return { id: r.id, a: x, b: y, strength: r.strength, note: r.note };
};
const byPair = (p: PairEntry, q: PairEntry) => byNameThenId(p.a, q.a) || byNameThenId(p.b, q.b) || cmp(p.id, q.id);

export function meetingCheck(model: MapModel, attendees: readonly string[]): MeetingCheck {
  const ids = [...new Set(attendees)].filter((id) => model.byId.has(id));
  const set = new Set(ids);
  const conflicts: PairEntry[] = [];
  const alliances: PairEntry[] = [];
  for (const r of model.relations) {
    if (!set.has(r.source) || !set.has(r.target)) continue;
    if (r.kind === 'conflict') conflicts.push(pair(model, r));
    else if (r.kind === 'alliance') alliances.push(pair(model, r));
  }
  return {
    attendees: ids.map((id) => model.ref(id)).sort(byNameThenId),
    conflicts: conflicts.sort(byPair),
    alliances: alliances.sort(byPair),
  };
}

/**
 * The meeting check alone, for a planner that re-checks on every tick: the conflicts and
 * alliances among the attendees and one high-severity warning per conflict.
 */
export function checkMeeting(map: MapInput, attendees: readonly string[], lang: AnalyzeOptions['lang'] = 'en-US'): { check: MeetingCheck; warnings: RedFlag[] } {
  const model = new MapModel(map, lang);
  const check = meetingCheck(model, attendees);
  const m = MESSAGES[lang];
  const warnings: RedFlag[] = check.conflicts.map((c) => ({
    kind: 'meeting-conflict',
    severity: 'high',
    message: m.meetingConflict(model.label(c.a.id), model.label(c.b.id), c.note),
    people: [c.a, c.b],
    relations: [c.id],
  }));
  return { check, warnings };
}

const SEVERITY_ORDER: Record<Severity, number> = { high: 0, medium: 1, low: 2 };
const KIND_LIST: RedFlagKind[] = [
  'no-coach',
  'coach-not-supporter',
  'no-decision-maker',
  'meeting-conflict',
  'stage-key-against',
  'stage-key-uncovered',
  'stage-role-missing',
  'dm-against',
  'dm-uncovered',
  'dm-neutral',
  'dm-weak-coverage',
  'dm-favours-competitor',
  'dm-no-path',
  'member-leaves',
  'key-conflict',
  'hidden-power-uncovered',
  'coverage-gap',
  'key-outsiders',
  'dm-attitude-unverified',
  'coach-unconfirmed',
  'conflict-guess',
];
const KIND_ORDER = Object.fromEntries(KIND_LIST.map((k, i) => [k, i])) as Record<RedFlagKind, number>;

export function analyze(map: MapInput, opts: AnalyzeOptions = {}): Analysis {
  const lang = opts.lang ?? 'en-US';
  const m: Messages = MESSAGES[lang];
  const model = new MapModel(map, lang);

  const coaches: CoachEntry[] = model.people
    .filter((p) => model.isCoach(p))
    .map((p) => ({ id: p.id, name: p.name, attitude: p.attitude, favours: p.favours, coveredBy: model.coveredBy(p.id) }));
  const decisionMakers: DecisionMakerEntry[] = model.people
    .filter((p) => model.isDecisionMaker(p))
    .map((p) => ({
      id: p.id,
      name: p.name,
      title: p.title,
      attitude: p.attitude,
      influence: p.influence,
      favours: p.favours,
      coveredBy: model.coveredBy(p.id),
    }));
  const conflicts = model.relations.filter((r) => r.kind === 'conflict').map((r) => pair(model, r)).sort(byPair);
  const meeting = opts.attendees ? meetingCheck(model, opts.attendees) : null;
  const { ranking, hiddenPower } = influenceRanking(model);
  const paths = pathsToDecisionMakers(model);
  const coverage = coverageAnalysis(model);
  const mix = relationshipMix(model);
  const coach = coachCandidates(model, m, coaches.length > 0);
  const { stage: step, override } = resolveStage(model, opts.stage);
  const stage = stageView(model, ranking, step, override, opts.stageWeights ?? map.meta?.stageWeights ?? undefined);
  const chokes = findChokepoints(model);
  const roles = roleCoverage(model, stage.weights);

  // ---- red flags ------------------------------------------------------------------------------
  const flags: RedFlag[] = [];
  const flag = (kind: RedFlagKind, severity: Severity, message: string, people: string[], relations: string[] = []) =>
    flags.push({ kind, severity, message, people: people.map((id) => model.ref(id)), relations });
  const L = (id: string) => model.label(id);

  if (coaches.length === 0) {
    const best = coach.candidates[0];
    flag('no-coach', 'high', m.noCoach(best ? L(best.id) : null), best ? [best.id] : []);
  }
  for (const c of coaches)
    if (ATTITUDE_SCORE[c.attitude] < 1) flag('coach-not-supporter', 'high', m.coachNotSupporter(L(c.id), c.attitude), [c.id]);

  if (decisionMakers.length === 0) flag('no-decision-maker', 'high', m.noDecisionMaker(), []);
  const pathsOf = new Map(paths.map((d) => [d.target.id, d.paths]));
  for (const d of decisionMakers) {
    if (ATTITUDE_SCORE[d.attitude] < 0) flag('dm-against', 'high', m.dmAgainst(L(d.id), d.attitude), [d.id]);
    else if (d.attitude === 'neutral') flag('dm-neutral', 'medium', m.dmNeutral(L(d.id)), [d.id]);
    if (d.coveredBy.length === 0) flag('dm-uncovered', 'high', m.dmUncovered(L(d.id)), [d.id]);
    else if (d.coveredBy.every((l) => l.strength === 1))
      flag('dm-weak-coverage', 'medium', m.dmWeakCoverage(L(d.id), d.coveredBy.map((l) => l.name)), [d.id]);
    if (d.favours) flag('dm-favours-competitor', 'medium', m.dmFavours(L(d.id), d.favours), [d.id]);
    if (ATTITUDE_SCORE[d.attitude] < 1 && (pathsOf.get(d.id)?.length ?? 0) === 0) flag('dm-no-path', 'medium', m.dmNoPath(L(d.id)), [d.id]);
  }

  for (const c of meeting?.conflicts ?? []) flag('meeting-conflict', 'high', m.meetingConflict(L(c.a.id), L(c.b.id), c.note), [c.a.id, c.b.id], [c.id]);

  const weighty = (id: string) => {
    const p = model.byId.get(id)!;
    return model.isDecisionMaker(p) || model.isCoach(p) || p.influence === 'high';
  };
  for (const c of conflicts)
    if (weighty(c.a.id) || weighty(c.b.id)) flag('key-conflict', 'medium', m.keyConflict(L(c.a.id), L(c.b.id), c.note), [c.a.id, c.b.id], [c.id]);

  for (const leave of coverage.ifMemberLeaves) {
    const key = leave.uncoveredKey.filter((r) => {
      const p = model.byId.get(r.id)!;
      return model.isDecisionMaker(p) || model.isCoach(p);
    });
    if (key.length) flag('member-leaves', 'medium', m.memberLeaves(leave.member.name, key.map((r) => L(r.id))), key.map((r) => r.id));
  }

  const hiddenUncovered = new Set<string>();
  for (const h of hiddenPower)
    if (model.coveredBy(h.id).length === 0) {
      hiddenUncovered.add(h.id);
      flag('hidden-power-uncovered', 'medium', m.hiddenPowerUncovered(L(h.id), h.ranksWith), [h.id]);
    }

  for (const g of coverage.gaps)
    if (!g.decisionMaker && !hiddenUncovered.has(g.id)) flag('coverage-gap', g.maxStrength === 0 ? 'medium' : 'low', m.coverageGap(L(g.id), g.maxStrength === 1), [g.id]);

  // Stage-aware: the people whose role weighs most at this step (coach aside: it has its own flags).
  const sm = STEP_MESSAGES[lang];
  for (const role of BUYING_ROLES)
    if (model.people.length > 0 && role !== 'decision-maker' && stage.weights[role] >= STAGE_EMPHASIS && !model.people.some((p) => p.roles.includes(role)))
      flag('stage-role-missing', 'medium', sm.stageRoleMissing(step, role), []);
  for (const e of stage.people) {
    if (e.weight < STAGE_EMPHASIS || !BUYING_ROLES.includes(e.role)) continue;
    const p = model.byId.get(e.id)!;
    const against = ATTITUDE_SCORE[p.attitude] < 0;
    if (against || p.favours)
      flag('stage-key-against', against ? 'high' : 'medium', sm.stageKeyAgainst(step, e.role, L(p.id), against ? p.attitude : null, p.favours), [p.id]);
    const links = model.coveredBy(p.id);
    if (links.every((l) => l.strength === 1))
      flag('stage-key-uncovered', links.length ? 'medium' : 'high', sm.stageKeyUncovered(step, e.role, L(p.id), links.length > 0), [p.id]);
  }

  // ---- evidence (issue 20): only for people and lines that carry it (every map read from a file) ----
  const now = opts.now ?? Date.now();
  const days = thresholdDays(map.meta);
  for (const d of decisionMakers) {
    const e = model.byId.get(d.id)!.evidence?.attitude;
    if (!e) continue;
    const f = freshness(e, now, days);
    if (f !== 'fresh') flag('dm-attitude-unverified', 'medium', m.dmAttitudeUnverified(L(d.id), e.verifiedAt ? ageDays(e.verifiedAt, now) : null, days), [d.id]);
  }
  for (const c of coaches) {
    // The coach role is a roles fact: unconfirmed for more than the threshold, verified or not.
    const e = model.byId.get(c.id)!.evidence?.roles;
    if (e && ageDays(e.verifiedAt ?? e.changedAt, now) > days)
      flag('coach-unconfirmed', 'medium', m.coachUnconfirmed(L(c.id), e.verifiedAt ? ageDays(e.verifiedAt, now) : null, days), [c.id]);
  }
  for (const r of model.relations) {
    if (r.kind !== 'conflict' || !r.evidence) continue;
    const guess = r.evidence.source === 'guess' || (r.evidence.source === null && r.evidence.verifiedAt === null);
    if (guess) {
      const p = pair(model, r);
      flag('conflict-guess', 'medium', m.conflictGuess(L(p.a.id), L(p.b.id)), [p.a.id, p.b.id], [r.id]);
    }
  }

  const keyCount = Object.values(mix.key).reduce((s, xs) => s + xs.length, 0);
  if (keyCount >= 3 && mix.key.outsider.length * 2 > keyCount)
    flag('key-outsiders', 'medium', m.keyOutsiders(mix.key.outsider.length, keyCount), mix.key.outsider.map((r) => r.id));

  flags.sort(
    (a, b) =>
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
      KIND_ORDER[a.kind] - KIND_ORDER[b.kind] ||
      cmp(a.people[0]?.name ?? '', b.people[0]?.name ?? '') ||
      cmp(a.people[0]?.id ?? '', b.people[0]?.id ?? ''),
  );

  return {
    lang,
    coaches,
    decisionMakers,
    conflicts,
    meeting,
    influenceRanking: ranking,
    hiddenPower,
    pathsToDecisionMakers: paths,
    coverage,
    relationshipMix: mix,
    coachCandidates: coach.candidates,
    coachAdvice: coach.advice,
    redFlags: flags,
    stage,
    chokepoints: chokes,
    roleCoverage: roles,
    nextSteps: nextSteps(model, {
      stage,
      coaches,
      coachCandidates: coach.candidates,
      chokepoints: chokes,
      conflicts,
      meeting,
      done: new Set(opts.doneSteps ?? map.meta?.doneSteps ?? []),
    }),
  };
}

/** The relationship name of one person (re-exported for the UI). */
export const relationshipOfPerson = (p: { servesOrg: boolean; personalBond: boolean }) => relationshipOf(p.servesOrg, p.personalBond);
