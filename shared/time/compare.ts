/**
 * What changed between two states of a map: two snapshots, a snapshot and the open map, or two
 * map files. Pure (no I/O, no clock): `compareMaps(before, after)` takes any two MapContent
 * values (a MapDocument is one) and returns the list of differences, grouped by section and in
 * a fixed order. The list is documented in docs/TIME.md, "The list of differences".
 *
 * People and our team members are matched by id, then (for ids found on one side only) by
 * name when the name is unique on both sides, so two separately made files compare too.
 * Relations and coverage are matched by what they connect, not by their ids.
 */
import {
  ATTITUDE_SCORE,
  INFLUENCE_SCORE,
  relationshipOf,
  type Attitude,
  type Influence,
  type Level,
  type MapMeta,
  type Person,
  type RelationKind,
  type Relationship,
  type TeamMember,
} from '../domain';
import type { MapContent } from './types';
import { PERSON_FACTS, type Evidence, type PersonFact } from '../evidence';

export interface Ref {
  id: string;
  name: string;
}
type Strength = 1 | 2 | 3;

export type Difference =
  // people: who joined, left or moved
  | { kind: 'person-joined'; person: Ref; title: string; department: string; reportsTo: Ref | null }
  | { kind: 'person-left'; person: Ref; title: string; department: string; relations: number; coveredBy: Ref[] }
  | { kind: 'reports-to'; person: Ref; before: Ref | null; after: Ref | null }
  | { kind: 'person-moved'; person: Ref; field: 'title' | 'department' | 'level'; before: string; after: string }
  | { kind: 'person-renamed'; person: Ref; before: string; after: string }
  // stance: how they stand toward us
  | { kind: 'attitude'; person: Ref; before: Attitude; after: Attitude; direction: 'better' | 'worse'; delta: number }
  | { kind: 'influence'; person: Ref; before: Influence; after: Influence; direction: 'up' | 'down' }
  | { kind: 'relationship'; person: Ref; before: Relationship; after: Relationship; direction: 'closer' | 'further' | 'mixed' }
  | { kind: 'roles'; person: Ref; added: string[]; removed: string[] }
  | { kind: 'favours'; person: Ref; before: string; after: string }
  // how we know (issue 20): a fact's source or verification changed
  | { kind: 'evidence'; person: Ref; fact: PersonFact; before: EvidenceSide; after: EvidenceSide }
  // relations between client people (reports-to is under people)
  | { kind: 'relation-added'; relation: Exclude<RelationKind, 'reports_to'>; source: Ref; target: Ref; strength: Strength }
  | { kind: 'relation-removed'; relation: Exclude<RelationKind, 'reports_to'>; source: Ref; target: Ref; strength: Strength }
  | { kind: 'relation-strength'; relation: Exclude<RelationKind, 'reports_to'>; source: Ref; target: Ref; before: Strength; after: Strength }
  // coverage by our team
  | { kind: 'coverage-gained'; member: Ref; person: Ref; strength: Strength }
  | { kind: 'coverage-lost'; member: Ref; person: Ref; strength: Strength }
  | { kind: 'coverage-strength'; member: Ref; person: Ref; before: Strength; after: Strength }
  // our team
  | { kind: 'member-joined'; member: Ref; role: string }
  | { kind: 'member-left'; member: Ref; role: string; covered: Ref[] }
  // the deal
  | { kind: 'deal'; field: DealField; before: string; after: string };

/** One side of an evidence change: the source and the day verified (null: unverified). */
export interface EvidenceSide {
  source: string | null;
  verifiedOn: string | null;
}

export type DifferenceKind = Difference['kind'];
export type DealField = 'account' | 'deal' | 'stage' | 'posture' | 'incumbent' | 'competitors' | 'budget' | 'timeline';

export const SECTIONS = ['people', 'stance', 'relations', 'coverage', 'team', 'deal'] as const;
export type Section = (typeof SECTIONS)[number];

/** Every kind in list order, with its section. */
const KIND_ORDER: readonly { kind: DifferenceKind; section: Section }[] = [
  { kind: 'person-left', section: 'people' },
  { kind: 'person-joined', section: 'people' },
  { kind: 'reports-to', section: 'people' },
  { kind: 'person-moved', section: 'people' },
  { kind: 'person-renamed', section: 'people' },
  { kind: 'attitude', section: 'stance' },
  { kind: 'influence', section: 'stance' },
  { kind: 'relationship', section: 'stance' },
  { kind: 'roles', section: 'stance' },
  { kind: 'favours', section: 'stance' },
  { kind: 'evidence', section: 'stance' },
  { kind: 'relation-added', section: 'relations' },
  { kind: 'relation-removed', section: 'relations' },
  { kind: 'relation-strength', section: 'relations' },
  { kind: 'coverage-lost', section: 'coverage' },
  { kind: 'coverage-gained', section: 'coverage' },
  { kind: 'coverage-strength', section: 'coverage' },
  { kind: 'member-left', section: 'team' },
  { kind: 'member-joined', section: 'team' },
  { kind: 'deal', section: 'deal' },
];
const KIND_RANK = new Map(KIND_ORDER.map((k, i) => [k.kind, i]));
const SECTION_OF = new Map(KIND_ORDER.map((k) => [k.kind, k.section]));
export const sectionOf = (d: Difference | DifferenceKind): Section => SECTION_OF.get(typeof d === 'string' ? d : d.kind)!;

/** Within relations: conflicts first, then alliances, then influence. */
const RELATION_RANK: Record<Exclude<RelationKind, 'reports_to'>, number> = { conflict: 0, alliance: 1, influence: 2 };

export interface MapDiff {
  differences: Difference[];
  /** How many differences of each kind (kinds with none are left out). */
  counts: Partial<Record<DifferenceKind, number>>;
  /** New conflict relations (the first entries of the relations section). */
  newConflicts: number;
  /** For marking the map drawn from the later side: people changed in any way, and people who joined. */
  marks: { changed: string[]; added: string[]; removed: Ref[] };
}

const norm = (s: string) => s.trim().toLowerCase().replace(/\s+/g, ' ');
const ref = (x: { id: string; name: string }): Ref => ({ id: x.id, name: x.name });

/** Matches ids of `a` to ids of `b`: same id first, then a name unique on both sides. */
function matchByIdThenName<T extends { id: string; name: string }>(a: readonly T[], b: readonly T[]): Map<string, string> {
  const out = new Map<string, string>();
  const bIds = new Set(b.map((x) => x.id));
  for (const x of a) if (bIds.has(x.id)) out.set(x.id, x.id);
  const matchedB = new Set(out.values());
  const unique = <U extends { id: string; name: string }>(xs: U[]) => {
    const m = new Map<string, string | null>();
    for (const x of xs) {
      const k = norm(x.name);
      m.set(k, m.has(k) ? null : x.id);
    }
    return m;
  };
  const restA = unique(a.filter((x) => !out.has(x.id)));
  const restB = unique(b.filter((x) => !matchedB.has(x.id)));
  for (const [k, aId] of restA) {
    const bId = restB.get(k);
    if (aId && bId) out.set(aId, bId);
  }
  return out;
}

const influenceRank = (p: Person | undefined) => (p ? INFLUENCE_SCORE[p.influence] : 0);

/**
 * Compares two states of a map: `before` (older) and `after` (newer). Returns every difference
 * in list order: sections people → stance → relations → coverage → team → deal; within a kind,
 * people with more influence first, then by name; among relations, new conflicts first.
 */
export function compareMaps(before: MapContent, after: MapContent): MapDiff {
  const out: { d: Difference; rank: number; sub: number; infl: number; name: string; tie: number }[] = [];
  const peopleA = new Map(before.people.map((p) => [p.id, p]));
  const peopleB = new Map(after.people.map((p) => [p.id, p]));
  const aToB = matchByIdThenName(before.people, after.people);
  const bToA = new Map([...aToB].map(([x, y]) => [y, x]));
  const membersA = new Map(before.team.map((m) => [m.id, m]));
  const membersB = new Map(after.team.map((m) => [m.id, m]));
  const mAtoB = matchByIdThenName(before.team, after.team);
  const mBtoA = new Set(mAtoB.values());

  /** Sort keys: kind, group within the kind, more influence first, name, then field order. */
  const push = (d: Difference, person?: Person, sub = 0, name = '', tie = 0) => {
    out.push({ d, rank: KIND_RANK.get(d.kind)!, sub, infl: -influenceRank(person), name: name || person?.name || '', tie });
  };

  // --- reports-to lines, per side ------------------------------------------------------------
  const bossOf = (c: MapContent) => new Map(c.relations.filter((r) => r.kind === 'reports_to').map((r) => [r.source, r.target]));
  const bossA = bossOf(before);
  const bossB = bossOf(after);
  const personRefA = (id: string | undefined): Ref | null => (id ? ref(peopleA.get(id) ?? { id, name: id }) : null);
  const personRefB = (id: string | undefined): Ref | null => (id ? ref(peopleB.get(id) ?? { id, name: id }) : null);

  // --- people who left and joined ----------------------------------------------------------------
  const relCountA = new Map<string, number>();
  for (const r of before.relations) {
    relCountA.set(r.source, (relCountA.get(r.source) ?? 0) + 1);
    relCountA.set(r.target, (relCountA.get(r.target) ?? 0) + 1);
  }
  const coveredByA = new Map<string, Ref[]>();
  for (const c of before.coverage) {
    const m = membersA.get(c.memberId);
    if (m) (coveredByA.get(c.personId) ?? coveredByA.set(c.personId, []).get(c.personId)!).push(ref(m));
  }
  for (const p of before.people) {
    if (aToB.has(p.id)) continue;
    push(
      { kind: 'person-left', person: ref(p), title: p.title, department: p.department, relations: relCountA.get(p.id) ?? 0, coveredBy: coveredByA.get(p.id) ?? [] },
      p,
    );
  }
  for (const p of after.people) {
    if (bToA.has(p.id)) continue;
    push({ kind: 'person-joined', person: ref(p), title: p.title, department: p.department, reportsTo: personRefB(bossB.get(p.id)) }, p);
  }

  // --- people on both sides ---------------------------------------------------------------------
  for (const [aId, bId] of aToB) {
    const pa = peopleA.get(aId)!;
    const pb = peopleB.get(bId)!;
    const who = ref(pb);
    const bossBefore = bossA.get(aId);
    const bossAfter = bossB.get(bId);
    const bossBeforeInB = bossBefore === undefined ? undefined : aToB.get(bossBefore);
    if (bossBeforeInB !== bossAfter || (bossBefore !== undefined && bossBeforeInB === undefined)) {
      if (!(bossBefore === undefined && bossAfter === undefined))
        push({ kind: 'reports-to', person: who, before: personRefA(bossBefore), after: personRefB(bossAfter) }, pb);
    }
    for (const field of ['title', 'department', 'level'] as const) {
      const x = (pa[field] ?? '') as string | Level;
      const y = (pb[field] ?? '') as string | Level;
      if (x !== y) push({ kind: 'person-moved', person: who, field, before: x, after: y }, pb, 0, '', field === 'title' ? 0 : field === 'department' ? 1 : 2);
    }
    if (pa.name !== pb.name) push({ kind: 'person-renamed', person: who, before: pa.name, after: pb.name }, pb);
    if (pa.attitude !== pb.attitude) {
      const delta = ATTITUDE_SCORE[pb.attitude] - ATTITUDE_SCORE[pa.attitude];
      push({ kind: 'attitude', person: who, before: pa.attitude, after: pb.attitude, direction: delta > 0 ? 'better' : 'worse', delta }, pb);
    }
    if (pa.influence !== pb.influence)
      push(
        {
          kind: 'influence',
          person: who,
          before: pa.influence,
          after: pb.influence,
          direction: INFLUENCE_SCORE[pb.influence] > INFLUENCE_SCORE[pa.influence] ? 'up' : 'down',
        },
        pb,
      );
    const relA = relationshipOf(pa.servesOrg, pa.personalBond);
    const relB = relationshipOf(pb.servesOrg, pb.personalBond);
    if (relA !== relB) {
      const gained = Number(!pa.servesOrg && pb.servesOrg) + Number(!pa.personalBond && pb.personalBond);
      const lost = Number(pa.servesOrg && !pb.servesOrg) + Number(pa.personalBond && !pb.personalBond);
      push({ kind: 'relationship', person: who, before: relA, after: relB, direction: gained && !lost ? 'closer' : lost && !gained ? 'further' : 'mixed' }, pb);
    }
    const rolesA = new Set(pa.roles);
    const rolesB = new Set(pb.roles);
    const added = pb.roles.filter((r) => !rolesA.has(r));
    const removed = pa.roles.filter((r) => !rolesB.has(r));
    if (added.length || removed.length) push({ kind: 'roles', person: who, added, removed }, pb);
    if (pa.favours !== pb.favours) push({ kind: 'favours', person: who, before: pa.favours, after: pb.favours }, pb);
    // How we know changed without the value changing (a confirmation, a new source): a changed
    // value is listed above and re-verified by the one who changed it, so it is not said twice.
    const valueChanged: Record<PersonFact, boolean> = {
      attitude: pa.attitude !== pb.attitude,
      influence: pa.influence !== pb.influence,
      favours: pa.favours !== pb.favours,
      roles: added.length > 0 || removed.length > 0,
    };
    if (pa.evidence && pb.evidence)
      PERSON_FACTS.forEach((f, i) => {
        if (valueChanged[f]) return;
        const side = (e: Evidence): EvidenceSide => ({ source: e.source, verifiedOn: e.verifiedAt ? e.verifiedAt.slice(0, 10) : null });
        const [x, y] = [side(pa.evidence![f]), side(pb.evidence![f])];
        if (x.source !== y.source || x.verifiedOn !== y.verifiedOn) push({ kind: 'evidence', person: who, fact: f, before: x, after: y }, pb, 0, '', i);
      });
  }

  // --- relations (reports-to is handled per person above) -----------------------------------------
  type RelKind = Exclude<RelationKind, 'reports_to'>;
  const relKey = (kind: RelKind, s: string, t: string) =>
    kind === 'influence' ? `${kind}\u0000${s}\u0000${t}` : `${kind}\u0000${s < t ? s : t}\u0000${s < t ? t : s}`;
  const relsB = new Map<string, { kind: RelKind; source: string; target: string; strength: Strength }>();
  for (const r of after.relations) if (r.kind !== 'reports_to') relsB.set(relKey(r.kind, r.source, r.target), { ...r, kind: r.kind });
  const seenB = new Set<string>();
  for (const r of before.relations) {
    if (r.kind === 'reports_to') continue;
    const s = aToB.get(r.source);
    const t = aToB.get(r.target);
    if (s === undefined || t === undefined) continue; // went with a person who left
    const k = relKey(r.kind, s, t);
    const rb = relsB.get(k);
    const sub = RELATION_RANK[r.kind];
    const name = `${peopleB.get(s)!.name}\u0000${peopleB.get(t)!.name}`;
    if (!rb) push({ kind: 'relation-removed', relation: r.kind, source: ref(peopleB.get(s)!), target: ref(peopleB.get(t)!), strength: r.strength }, undefined, sub, name);
    else {
      seenB.add(k);
      if (rb.strength !== r.strength)
        push(
          { kind: 'relation-strength', relation: r.kind, source: ref(peopleB.get(rb.source)!), target: ref(peopleB.get(rb.target)!), before: r.strength, after: rb.strength },
          undefined,
          sub,
          name,
        );
    }
  }
  for (const [k, r] of relsB) {
    if (seenB.has(k)) continue;
    const s = peopleB.get(r.source);
    const t = peopleB.get(r.target);
    if (!s || !t) continue;
    push({ kind: 'relation-added', relation: r.kind, source: ref(s), target: ref(t), strength: r.strength }, undefined, RELATION_RANK[r.kind], `${s.name}\u0000${t.name}`);
  }

  // --- our team and coverage --------------------------------------------------------------------------
  const coveredA = new Map<string, Ref[]>();
  for (const c of before.coverage) {
    const p = peopleA.get(c.personId);
    if (p) (coveredA.get(c.memberId) ?? coveredA.set(c.memberId, []).get(c.memberId)!).push(ref(p));
  }
  for (const m of before.team)
    if (!mAtoB.has(m.id)) push({ kind: 'member-left', member: ref(m), role: m.role, covered: coveredA.get(m.id) ?? [] }, undefined, 0, m.name);
  for (const m of after.team) if (!mBtoA.has(m.id)) push({ kind: 'member-joined', member: ref(m), role: m.role }, undefined, 0, m.name);

  const covKey = (m: string, p: string) => `${m}\u0000${p}`;
  const covB = new Map(after.coverage.map((c) => [covKey(c.memberId, c.personId), c]));
  const seenCov = new Set<string>();
  const memberRef = (id: string, side: Map<string, TeamMember>) => ref(side.get(id) ?? { id, name: id });
  for (const c of before.coverage) {
    const m = mAtoB.get(c.memberId);
    const p = aToB.get(c.personId);
    if (m === undefined || p === undefined) continue; // went with a member or a person who left
    const k = covKey(m, p);
    const cb = covB.get(k);
    const pb = peopleB.get(p)!;
    const mName = `${pb.name}\u0000${membersB.get(m)?.name ?? ''}`;
    if (!cb) push({ kind: 'coverage-lost', member: memberRef(m, membersB), person: ref(pb), strength: c.strength }, pb, 0, mName);
    else {
      seenCov.add(k);
      if (cb.strength !== c.strength)
        push({ kind: 'coverage-strength', member: memberRef(m, membersB), person: ref(pb), before: c.strength, after: cb.strength }, pb, 0, mName);
    }
  }
  for (const [k, c] of covB) {
    if (seenCov.has(k)) continue;
    const pb = peopleB.get(c.personId);
    if (!pb || !membersB.has(c.memberId)) continue;
    push({ kind: 'coverage-gained', member: memberRef(c.memberId, membersB), person: ref(pb), strength: c.strength }, pb, 0, `${pb.name}\u0000${membersB.get(c.memberId)!.name}`);
  }

  // --- the deal -----------------------------------------------------------------------------------------
  const dealFields: DealField[] = ['account', 'deal', 'stage', 'posture', 'incumbent', 'competitors', 'budget', 'timeline'];
  const show = (m: MapMeta, f: DealField): string =>
    f === 'competitors' ? m.competitors.join(', ') : f === 'incumbent' ? String(m.incumbent) : String(m[f]);
  dealFields.forEach((f, i) => {
    const x = show(before.meta, f);
    const y = show(after.meta, f);
    if (x !== y) push({ kind: 'deal', field: f, before: x, after: y }, undefined, i, f);
  });

  out.sort((x, y) => x.rank - y.rank || x.sub - y.sub || x.infl - y.infl || x.name.localeCompare(y.name) || x.tie - y.tie);
  const differences = out.map((o) => o.d);

  const counts: Partial<Record<DifferenceKind, number>> = {};
  for (const d of differences) counts[d.kind] = (counts[d.kind] ?? 0) + 1;
  const changed = new Set<string>();
  const added = new Set<string>();
  const removed: Ref[] = [];
  for (const d of differences) {
    if (d.kind === 'person-joined') added.add(d.person.id);
    else if (d.kind === 'person-left') removed.push(d.person);
    else if ('person' in d && d.person && sectionOf(d) !== 'coverage') changed.add(d.person.id);
  }
  for (const id of added) changed.delete(id);
  return {
    differences,
    counts,
    newConflicts: differences.filter((d) => d.kind === 'relation-added' && d.relation === 'conflict').length,
    marks: { changed: [...changed], added: [...added], removed },
  };
}
