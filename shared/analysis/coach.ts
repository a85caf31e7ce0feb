/**
 * Coach candidates (issue 9): who in the account could guide us, scored by documented signals
 * (weights.ts, docs/ANALYSIS.md) and explained in plain language. Only people at least
 * supporter; never someone already marked coach.
 */
import { ATTITUDE_SCORE, INFLUENCE_SCORE, type Person } from '../domain';
import type { Messages } from './messages';
import { byNameThenId, type MapModel } from './model';
import type { CoachAdvice, CoachCandidate, CoachSignalHit, PersonRef } from './types';
import {
  COACH_ATTITUDE,
  COACH_BOND,
  COACH_BUYING_ROLE,
  COACH_CONFLICT_WITH_DECISION_MAKER,
  COACH_CREDIBILITY,
  COACH_DRAFTING_DEPARTMENT,
  COACH_FAVOURS_COMPETITOR,
  COACH_MIN_SCORE,
  COACH_REPORTS_DIRECT,
  COACH_REPORTS_TWO_STEPS,
  COACH_TIE_MAX,
  COACH_TIE_PER_DECISION_MAKER,
  COACH_UNCOVERED,
  DRAFTING_WORDS,
} from './weights';

const BUYING_ROLES = ['user', 'technical', 'procurement'] as const;
type TieKind = 'sways' | 'allied' | 'swayedBy';
const TIE_ORDER: Record<TieKind, number> = { sways: 0, allied: 1, swayedBy: 2 };

/** The department (or, when none is set, the title) if it is one that drafts or runs the buying. */
export const draftingDepartment = (p: Person): string | null => {
  const text = p.department || p.title;
  const t = ` ${text.toLowerCase().replace(/[,;:()（）、，]/g, ' ')} `;
  return text && DRAFTING_WORDS.some((w) => t.includes(w)) ? text : null;
};

/** Every signal that applies to one person, in the documented order. */
export function coachSignals(model: MapModel, p: Person, m: Messages): CoachSignalHit[] {
  const hits: CoachSignalHit[] = [];
  const hit = (signal: CoachSignalHit['signal'], points: number, text: string, people: PersonRef[] = []) =>
    hits.push({ signal, points, text, people });

  const att = COACH_ATTITUDE[p.attitude];
  if (att === undefined) return [];
  hit('attitude', att, m.reasonAttitude(p.attitude));

  if (p.personalBond) {
    const close = model.coveredBy(p.id).filter((l) => l.strength >= 2).slice(0, 2);
    hit('bond', COACH_BOND, m.reasonBond(close.map((l) => l.name)));
  }

  const roles = BUYING_ROLES.filter((r) => p.roles.includes(r));
  if (roles.length) hit('buying-role', COACH_BUYING_ROLE, m.reasonRole(roles));
  else {
    const dept = draftingDepartment(p);
    if (dept) hit('drafting-department', COACH_DRAFTING_DEPARTMENT, m.reasonDepartment(dept));
  }

  // Ties to decision makers: one per decision maker, strongest kind first.
  const ties = new Map<string, TieKind>();
  const note = (id: string, kind: TieKind) => {
    const other = model.byId.get(id);
    if (!other || other.id === p.id || !model.isDecisionMaker(other)) return;
    const cur = ties.get(id);
    if (cur === undefined || TIE_ORDER[kind] < TIE_ORDER[cur]) ties.set(id, kind);
  };
  for (const r of model.influenceOut.get(p.id) ?? []) note(r.target, 'sways');
  for (const e of model.alliances.get(p.id) ?? []) note(e.other, 'allied');
  for (const r of model.influenceIn.get(p.id) ?? []) note(r.source, 'swayedBy');
  let budget = COACH_TIE_MAX;
  const tied = [...ties.entries()].map(([id, kind]) => ({ ref: model.ref(id), kind })).sort((a, b) => byNameThenId(a.ref, b.ref));
  for (const { ref, kind } of tied) {
    if (budget <= 0) break;
    const pts = Math.min(COACH_TIE_PER_DECISION_MAKER, budget);
    budget -= pts;
    const who = model.labelWithTitle(ref.id);
    const text = kind === 'sways' ? m.reasonSways(who) : kind === 'allied' ? m.reasonAllied(who) : m.reasonSwayedBy(who);
    hit('tie-to-decision-maker', pts, text, [ref]);
  }

  const boss = model.boss.get(p.id)?.target;
  const bossP = boss ? model.byId.get(boss) : undefined;
  if (bossP && model.isDecisionMaker(bossP))
    hit('reports-to-decision-maker', COACH_REPORTS_DIRECT, m.reasonReportsDirect(model.labelWithTitle(bossP.id)), [model.ref(bossP.id)]);
  else if (bossP) {
    const top = model.boss.get(bossP.id)?.target;
    const topP = top && top !== p.id ? model.byId.get(top) : undefined;
    if (topP && model.isDecisionMaker(topP))
      hit('reports-to-decision-maker', COACH_REPORTS_TWO_STEPS, m.reasonReportsTwo(model.labelWithTitle(topP.id)), [model.ref(topP.id)]);
  }

  const cred = COACH_CREDIBILITY[p.influence];
  if (cred > 0) hit('credibility', cred, m.reasonCredibility(p.influence));

  const conflictDms = (model.conflicts.get(p.id) ?? [])
    .map((e) => model.byId.get(e.other)!)
    .filter((o) => model.isDecisionMaker(o));
  for (const o of [...new Map(conflictDms.map((o) => [o.id, o])).values()].sort(byNameThenId))
    hit('conflict-with-decision-maker', COACH_CONFLICT_WITH_DECISION_MAKER, m.reasonConflict(model.labelWithTitle(o.id)), [model.ref(o.id)]);
  if (p.favours) hit('favours-competitor', COACH_FAVOURS_COMPETITOR, m.reasonFavours(p.favours));
  if (model.coveredBy(p.id).length === 0) hit('uncovered', COACH_UNCOVERED, m.reasonUncovered());
  return hits;
}

/**
 * The same score as the sum of coachSignals' points, without building any text: run for every
 * eligible person (thousands on a big map); the reasons are built for candidates only.
 * tests/unit/analysis-coach.test.ts checks the two agree.
 */
export function coachScore(model: MapModel, p: Person): number | null {
  const att = COACH_ATTITUDE[p.attitude];
  if (att === undefined) return null;
  let score = att;
  if (p.personalBond) score += COACH_BOND;
  if (hasBuyingRole(p)) score += COACH_BUYING_ROLE;
  else if (draftingDepartment(p)) score += COACH_DRAFTING_DEPARTMENT;

  // Distinct decision makers tied by influence (either way) or alliance.
  let ties: string[] | null = null;
  for (const r of model.influenceOut.get(p.id) ?? EMPTY) ties = addTie(model, p, ties, r.target);
  for (const e of model.alliances.get(p.id) ?? EMPTY) ties = addTie(model, p, ties, e.other);
  for (const r of model.influenceIn.get(p.id) ?? EMPTY) ties = addTie(model, p, ties, r.source);
  if (ties) score += Math.min(COACH_TIE_MAX, ties.length * COACH_TIE_PER_DECISION_MAKER);

  const boss = model.boss.get(p.id)?.target;
  if (boss && model.isDecisionMakerId(boss)) score += COACH_REPORTS_DIRECT;
  else if (boss) {
    const top = model.boss.get(boss)?.target;
    if (top && top !== p.id && model.isDecisionMakerId(top)) score += COACH_REPORTS_TWO_STEPS;
  }
  score += COACH_CREDIBILITY[p.influence];
  const conflicts = model.conflicts.get(p.id);
  if (conflicts) {
    let dms: string[] | null = null;
    for (const e of conflicts) dms = addTie(model, p, dms, e.other);
    if (dms) score += dms.length * COACH_CONFLICT_WITH_DECISION_MAKER;
  }
  if (p.favours) score += COACH_FAVOURS_COMPETITOR;
  if (model.coveredBy(p.id).length === 0) score += COACH_UNCOVERED;
  return score;
}
function addTie(model: MapModel, p: Person, list: string[] | null, id: string): string[] | null {
  if (id === p.id || !model.isDecisionMakerId(id) || list?.includes(id)) return list;
  if (list) list.push(id);
  else list = [id];
  return list;
}
function hasBuyingRole(p: Person): boolean {
  for (const r of p.roles) if (r === 'user' || r === 'technical' || r === 'procurement') return true;
  return false;
}
const EMPTY: never[] = [];

interface Scored {
  p: Person;
  score: number;
}

/** Score, then attitude, then influence; equal ones keep model order (name, then id): sort() is stable. */
const orderScored = (a: Scored, b: Scored) =>
  b.score - a.score ||
  ATTITUDE_SCORE[b.p.attitude] - ATTITUDE_SCORE[a.p.attitude] ||
  INFLUENCE_SCORE[b.p.influence] - INFLUENCE_SCORE[a.p.influence];

/** Everyone eligible (at least supporter, not a coach), scored, best first. */
function scoreEligible(model: MapModel): Scored[] {
  const out: Scored[] = [];
  for (const p of model.people) {
    if (model.isCoach(p)) continue;
    const score = coachScore(model, p);
    if (score !== null) out.push({ p, score });
  }
  return out.sort(orderScored);
}

export interface CoachResult {
  candidates: CoachCandidate[];
  advice: CoachAdvice | null;
}

export function coachCandidates(model: MapModel, m: Messages, hasCoach: boolean): CoachResult {
  const eligible = scoreEligible(model);
  const candidates: CoachCandidate[] = [];
  for (const s of eligible) {
    if (s.score < COACH_MIN_SCORE) break;
    const signals = coachSignals(model, s.p, m);
    candidates.push({
      id: s.p.id,
      name: s.p.name,
      score: s.score,
      attitude: s.p.attitude,
      influence: s.p.influence,
      signals,
      reasons: signals.map((h) => h.text),
    });
  }
  if (hasCoach || candidates.length > 0) return { candidates, advice: null };

  // No coach, no candidate: say what to do next.
  const bondWith = eligible.filter((s) => !s.p.personalBond).slice(0, 5).map((s) => model.ref(s.p.id));
  const access = model.people
    .filter((p) => p.attitude === 'neutral' && !p.favours && !model.isCoach(p) && hasAccess(model, p))
    .sort((a, b) => INFLUENCE_SCORE[b.influence] - INFLUENCE_SCORE[a.influence] || byNameThenId(a, b))
    .slice(0, 5)
    .map((p) => model.ref(p.id));
  const steps: string[] = [];
  if (bondWith.length) steps.push(m.adviceBond(bondWith.map((r) => model.label(r.id))));
  if (access.length) steps.push(m.adviceAccess(access.map((r) => model.label(r.id))));
  if (eligible.length === 0) steps.push(m.adviceNobody());
  return { candidates, advice: { steps, bondWith, access } };
}

/** A buying role, a drafting department, or a tie or reporting line to a decision maker. */
function hasAccess(model: MapModel, p: Person): boolean {
  if (BUYING_ROLES.some((r) => p.roles.includes(r)) || draftingDepartment(p)) return true;
  const dm = (id: string | undefined) => {
    const o = id ? model.byId.get(id) : undefined;
    return !!o && o.id !== p.id && model.isDecisionMaker(o);
  };
  return (
    dm(model.boss.get(p.id)?.target) ||
    (model.influenceOut.get(p.id) ?? []).some((r) => dm(r.target)) ||
    (model.influenceIn.get(p.id) ?? []).some((r) => dm(r.source)) ||
    (model.alliances.get(p.id) ?? []).some((e) => dm(e.other))
  );
}
