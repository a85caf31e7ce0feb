/**
 * Coverage: who of ours covers each client person, the gaps, the people who hang on one of ours,
 * and what each team member's departure would uncover (a personal bond does not move with a
 * hand-over), plus the relationship mix among key people.
 */
import { INFLUENCE_SCORE, RELATIONSHIPS, relationshipOf, type Relationship } from '../domain';
import { byNameThenId, cmp, type MapModel } from './model';
import type { CoverageGap, CoverageResult, MemberLeaves, PersonRef, RelationshipMix, SingleThreaded } from './types';

export function coverageAnalysis(model: MapModel): CoverageResult {
  const people = model.people.map((p) => ({ id: p.id, name: p.name, influence: p.influence, coveredBy: model.coveredBy(p.id) }));

  const gaps: CoverageGap[] = [];
  const singleThreaded: SingleThreaded[] = [];
  for (const p of model.people) {
    const links = model.coveredBy(p.id);
    const max = links.reduce((m, l) => Math.max(m, l.strength), 0);
    const dm = model.isDecisionMaker(p);
    if ((p.influence === 'high' || dm) && max <= 1)
      gaps.push({ id: p.id, name: p.name, influence: p.influence, decisionMaker: dm, maxStrength: max as 0 | 1 });
    if (links.length === 1) {
      const l = links[0]!;
      singleThreaded.push({ id: p.id, name: p.name, member: { id: l.memberId, name: l.name }, strength: l.strength });
    }
  }
  gaps.sort(
    (a, b) =>
      a.maxStrength - b.maxStrength ||
      Number(b.decisionMaker) - Number(a.decisionMaker) ||
      INFLUENCE_SCORE[b.influence] - INFLUENCE_SCORE[a.influence] ||
      byNameThenId(a, b),
  );

  const ifMemberLeaves: MemberLeaves[] = [...model.members.values()]
    .sort((a, b) => cmp(a.name, b.name) || cmp(a.id, b.id))
    .map((m) => {
      const uncovered: PersonRef[] = [];
      const uncoveredKey: PersonRef[] = [];
      for (const pid of model.coveredByMember.get(m.id) ?? []) {
        if (model.coveredBy(pid).length !== 1) continue;
        const p = model.byId.get(pid)!;
        uncovered.push(model.ref(pid));
        if (model.isDecisionMaker(p) || model.isCoach(p) || p.influence === 'high') uncoveredKey.push(model.ref(pid));
      }
      return { member: { id: m.id, name: m.name }, uncovered: uncovered.sort(byNameThenId), uncoveredKey: uncoveredKey.sort(byNameThenId) };
    });

  return { people, gaps, singleThreaded, ifMemberLeaves };
}

export function relationshipMix(model: MapModel): RelationshipMix {
  const key = Object.fromEntries(RELATIONSHIPS.map((r) => [r, [] as PersonRef[]])) as Record<Relationship, PersonRef[]>;
  const all = Object.fromEntries(RELATIONSHIPS.map((r) => [r, 0])) as Record<Relationship, number>;
  for (const p of model.people) {
    const r = relationshipOf(p.servesOrg, p.personalBond);
    all[r]++;
    if (model.isKey(p)) key[r].push(model.ref(p.id));
  }
  return { key, all };
}
