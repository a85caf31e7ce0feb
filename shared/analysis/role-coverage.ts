/**
 * Coverage by role: each buyer role × attitude, who sits there and who of ours covers them. A
 * cell is strong when someone in it is covered at strength 2 or more, weak when only at 1, none
 * when nobody of ours covers anyone in it, empty when nobody sits there. A row is a gap when
 * nobody holds the role, or someone in it is covered by nobody of ours.
 */
import { ATTITUDES, type Attitude, type Person } from '../domain';
import { cmp, type MapModel } from './model';
import type { CellCover, CoverLink, RoleCoveragePerson, RoleCoverageRow } from './types';
import type { StageRole } from './weights';

export const TABLE_ROLES = ['decision-maker', 'user', 'technical', 'procurement', 'coach'] as const;

export function roleCoverage(model: MapModel, weights: Record<StageRole, number>): RoleCoverageRow[] {
  const holders = new Map<string, Person[]>(TABLE_ROLES.map((r) => [r, []]));
  for (const p of model.people) for (const r of p.roles) holders.get(r)?.push(p);
  return TABLE_ROLES.map((role) => {
    const inRole = holders.get(role)!;
    const best = new Map<string, CoverLink>();
    const byAttitude = new Map<Attitude, RoleCoveragePerson[]>(ATTITUDES.map((a) => [a, []]));
    let uncovered = false;
    for (const p of inRole) {
      const coveredBy = model.coveredBy(p.id);
      if (coveredBy.length === 0) uncovered = true;
      byAttitude.get(p.attitude)!.push({ id: p.id, name: p.name, coveredBy });
    }
    const cells = ATTITUDES.map((attitude) => {
      const people = byAttitude.get(attitude)!;
      let max = 0;
      for (const p of people)
        for (const l of p.coveredBy) {
          max = Math.max(max, l.strength);
          const had = best.get(l.memberId);
          if (!had || had.strength < l.strength) best.set(l.memberId, l);
        }
      const cover: CellCover = people.length === 0 ? 'empty' : max >= 2 ? 'strong' : max === 1 ? 'weak' : 'none';
      return { attitude, people, cover };
    });
    const members = [...best.values()].sort((a, b) => b.strength - a.strength || cmp(a.name, b.name) || cmp(a.memberId, b.memberId));
    return { role, weight: weights[role], cells, members, gap: inRole.length === 0 || uncovered };
  });
}
