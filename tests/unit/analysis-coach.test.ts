import { describe, expect, it } from 'vitest';
import { analyze, type CoachCandidate } from '../../shared/analysis';
import type { PersonFields } from '../../shared/domain';
import * as W from '../../shared/analysis/weights';
import { build } from '../helpers/analysis-maps';

/**
 * The base candidate "c": champion (3) + personal bond (3) + technical role (2) + medium
 * influence (1) = 9, covered by one of ours, no ties. Each test changes one thing.
 */
const base = (c: Partial<PersonFields> = {}) =>
  build()
    .member('m1', 'Ava')
    .person('c', { name: 'Candidate', attitude: 'champion', personalBond: true, roles: ['technical'], influence: 'medium', department: 'Finance', ...c })
    .person('d1', { name: 'Decider One', roles: ['decision-maker'] })
    .person('d2', { name: 'Decider Two', roles: ['decision-maker'] })
    .person('d3', { name: 'Decider Three', roles: ['decision-maker'] })
    .person('x', { name: 'Plain colleague' })
    .cover('m1', 'c', 3);

const cand = (m: ReturnType<typeof base>, id = 'c'): CoachCandidate | undefined =>
  analyze(m.map()).coachCandidates.find((x) => x.id === id);
const score = (m: ReturnType<typeof base>) => cand(m)?.score;
const BASE = 9;

describe('coach candidate signals move the score as documented', () => {
  it('base candidate scores the sum of its signals, with a reason for each', () => {
    const c = cand(base())!;
    expect(c.score).toBe(BASE);
    expect(c.signals.map((s) => [s.signal, s.points])).toEqual([
      ['attitude', W.COACH_ATTITUDE.champion],
      ['bond', W.COACH_BOND],
      ['buying-role', W.COACH_BUYING_ROLE],
      ['credibility', W.COACH_CREDIBILITY.medium],
    ]);
    expect(c.reasons).toEqual([
      'champions us',
      'personal bond with Ava',
      'technical buyer: judges the specification',
      'some influence on the decision',
    ]);
  });

  it('attitude: a supporter scores one less than a champion', () => {
    expect(score(base({ attitude: 'supporter' }))).toBe(BASE - (W.COACH_ATTITUDE.champion! - W.COACH_ATTITUDE.supporter!));
  });

  it('personal bond', () => {
    expect(score(base({ personalBond: false }))).toBe(BASE - W.COACH_BOND);
  });

  it('buying role, or a department that drafts the buying', () => {
    expect(score(base({ roles: [] }))).toBe(BASE - W.COACH_BUYING_ROLE);
    const planning = cand(base({ roles: [], department: 'Planning office' }))!;
    expect(planning.score).toBe(BASE - W.COACH_BUYING_ROLE + W.COACH_DRAFTING_DEPARTMENT);
    expect(planning.reasons).toContain('Planning office drafts or runs the buying');
    expect(score(base({ roles: [], department: '计划处' }))).toBe(BASE - W.COACH_BUYING_ROLE + W.COACH_DRAFTING_DEPARTMENT);
    // Several buying roles count once.
    expect(score(base({ roles: ['technical', 'user', 'procurement'] }))).toBe(BASE);
  });

  it('ties to decision makers, capped', () => {
    const one = base().rel('influence', 'c', 'd1', 2);
    expect(score(one)).toBe(BASE + W.COACH_TIE_PER_DECISION_MAKER);
    expect(cand(one)!.reasons).toContain('sways Decider One');
    const two = base().rel('influence', 'c', 'd1').rel('alliance', 'd2', 'c');
    expect(score(two)).toBe(BASE + 2 * W.COACH_TIE_PER_DECISION_MAKER);
    expect(cand(two)!.reasons).toContain('allied with Decider Two');
    const three = base().rel('influence', 'c', 'd1').rel('alliance', 'd2', 'c').rel('influence', 'd3', 'c');
    expect(score(three)).toBe(BASE + W.COACH_TIE_MAX);
    // Two ties to the same decision maker count once; ties to others do not count.
    expect(score(base().rel('influence', 'c', 'd1').rel('alliance', 'c', 'd1').rel('influence', 'c', 'x'))).toBe(
      BASE + W.COACH_TIE_PER_DECISION_MAKER,
    );
    expect(cand(base().rel('influence', 'd1', 'c'))!.reasons).toContain('listens to Decider One');
  });

  it('reporting distance to a decision maker', () => {
    expect(score(base().rel('reports_to', 'c', 'd1'))).toBe(BASE + W.COACH_REPORTS_DIRECT);
    expect(cand(base().rel('reports_to', 'c', 'd1'))!.reasons).toContain('reports directly to Decider One');
    expect(score(base().rel('reports_to', 'c', 'x').rel('reports_to', 'x', 'd1'))).toBe(BASE + W.COACH_REPORTS_TWO_STEPS);
    expect(score(base().rel('reports_to', 'c', 'x'))).toBe(BASE);
  });

  it('credibility: influence high / medium / low', () => {
    expect(score(base({ influence: 'high' }))).toBe(BASE - W.COACH_CREDIBILITY.medium + W.COACH_CREDIBILITY.high);
    expect(score(base({ influence: 'low' }))).toBe(BASE - W.COACH_CREDIBILITY.medium);
  });

  it('risks lower the score: conflict with a decision maker, favouring a competitor, no coverage', () => {
    const conflict = base().rel('conflict', 'c', 'd1');
    expect(score(conflict)).toBe(BASE + W.COACH_CONFLICT_WITH_DECISION_MAKER);
    expect(cand(conflict)!.reasons).toContain('in conflict with Decider One');
    expect(score(base().rel('conflict', 'c', 'x'))).toBe(BASE);
    expect(score(base({ favours: 'Rival Systems' }))).toBe(BASE + W.COACH_FAVOURS_COMPETITOR);
    const uncovered = base();
    uncovered.coverage = [];
    expect(score(uncovered)).toBe(BASE + W.COACH_UNCOVERED);
    expect(cand(uncovered)!.reasons).toContain('nobody of ours covers them yet');
  });
});

describe('who may be a candidate', () => {
  it('never someone below supporter, never a confirmed coach', () => {
    for (const attitude of ['neutral', 'opponent', 'strong-opponent'] as const) expect(cand(base({ attitude }))).toBeUndefined();
    const coach = analyze(base({ roles: ['coach', 'technical'] }).map());
    expect(coach.coachCandidates.map((c) => c.id)).not.toContain('c');
    expect(coach.coaches.map((c) => c.id)).toEqual(['c']);
  });

  it('a supporter with nothing else is below the bar', () => {
    expect(W.COACH_ATTITUDE.supporter!).toBeLessThan(W.COACH_MIN_SCORE);
    expect(cand(base({ attitude: 'supporter', personalBond: false, roles: [], influence: 'low' }))).toBeUndefined();
  });

  it('breaks ties deterministically: attitude, influence, name, id — whatever the input order', () => {
    const b = build()
      .member('m1')
      .person('p3', { name: 'Same', attitude: 'supporter', personalBond: true, influence: 'high' })
      .person('p1', { name: 'Same', attitude: 'supporter', personalBond: true, influence: 'high' })
      .person('p2', { name: 'Alpha', attitude: 'supporter', personalBond: true, influence: 'high' })
      // Same score (3+3+0 = 6 vs 2+3+1 = 6), the champion first.
      .person('p4', { name: 'Zed', attitude: 'champion', personalBond: true, influence: 'low' })
      .person('p5', { name: 'Beta', attitude: 'supporter', personalBond: true, influence: 'medium' });
    for (const id of ['p1', 'p2', 'p3', 'p4', 'p5']) b.cover('m1', id);
    const order = analyze(b.map()).coachCandidates.map((c) => [c.id, c.score]);
    expect(order).toEqual([
      ['p2', 7],
      ['p1', 7],
      ['p3', 7],
      ['p4', 6],
      ['p5', 6],
    ]);
    const m = b.map();
    expect(analyze({ ...m, people: [...m.people].reverse(), coverage: [...m.coverage].reverse() }).coachCandidates.map((c) => [c.id, c.score])).toEqual(order);
  });

  it('explains in Chinese when the UI is in Chinese', () => {
    const c = analyze(base().rel('influence', 'c', 'd1').map(), { lang: 'zh-CN' }).coachCandidates[0]!;
    expect(c.reasons).toEqual(['坚定支持我们', '与 Ava 有私人关系', '技术把关者：评判技术规格', '能影响 Decider One', '对决策有一定影响力']);
  });
});

describe('no coach and no candidate: what to do next', () => {
  it('names supporters to build a bond with and neutral people with access', () => {
    const m = build()
      .person('sup', { name: 'Quiet supporter', attitude: 'supporter' })
      .person('proc', { name: 'Buyer', roles: ['procurement'] })
      .person('nobody', { name: 'Bystander' })
      .person('rival', { name: 'Rival fan', roles: ['technical'], favours: 'Rival' })
      .person('dm', { name: 'Boss', roles: ['decision-maker'], attitude: 'opponent' })
      .map();
    const a = analyze(m);
    expect(a.coachCandidates).toEqual([]);
    expect(a.coachAdvice!.bondWith.map((p) => p.id)).toEqual(['sup']);
    expect(a.coachAdvice!.access.map((p) => p.id)).toEqual(['proc']);
    expect(a.coachAdvice!.steps).toEqual([
      'Build a personal bond with Quiet supporter: they support us but nobody is close to them yet.',
      'Win the support of Buyer: they have access to the decision.',
    ]);
    expect(a.redFlags.find((f) => f.kind === 'no-coach')!.message).toBe('No coach: nobody inside guides us, and no one is a candidate yet.');
  });

  it('with no supporter at all, says where to start', () => {
    const a = analyze(build().person('n', { attitude: 'neutral' }).map());
    expect(a.coachAdvice!.steps).toEqual([
      'Nobody supports us yet: start with the department that raised the need, and find who drafts the solution.',
    ]);
  });

  it('gives no advice when there is a coach or a candidate', () => {
    expect(analyze(base().map()).coachAdvice).toBeNull();
    expect(analyze(build().person('k', { roles: ['coach'], attitude: 'neutral' }).map()).coachAdvice).toBeNull();
  });
});
