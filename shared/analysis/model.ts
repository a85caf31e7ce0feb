/**
 * An indexed, cleaned view of a map that every analysis section reads: people by id, edges by
 * kind and end, coverage by person. Edges whose ends are missing (or the same person) and
 * coverage of unknown people or members are ignored, so a damaged import cannot crash the
 * analysis.
 */
import { isBuiltinRole, type Person, type Relation, type TeamMember } from '../domain';
import type { Lang } from '../i18n/errors';
import type { CoverLink, MapInput, PersonRef } from './types';

/** Deterministic order everywhere: by code point, never by locale (Node and Chromium differ). */
export const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
export const byNameThenId = (a: PersonRef, b: PersonRef): number => cmp(a.name, b.name) || cmp(a.id, b.id);

export interface Edge {
  rel: Relation;
  /** The other end. */
  other: string;
}

const NO_LINKS: readonly CoverLink[] = Object.freeze([]);

export class MapModel {
  readonly people: Person[];
  readonly byId = new Map<string, Person>();
  /** Position of each person in `people` (for typed-array algorithms). */
  readonly index = new Map<string, number>();
  /**
   * Each person's place in id order (by index): the tie-break wherever a choice must not depend on
   * names, which differ between a map's languages (which introducer, which step first).
   */
  readonly idRank: Int32Array;
  readonly members = new Map<string, TeamMember>();
  readonly relations: Relation[] = [];
  /** reports_to: person → their one boss edge (the first by id if a file holds several). */
  readonly boss = new Map<string, Relation>();
  readonly reportsOf = new Map<string, Relation[]>();
  readonly influenceOut = new Map<string, Relation[]>();
  readonly influenceIn = new Map<string, Relation[]>();
  readonly alliances = new Map<string, Edge[]>();
  readonly conflicts = new Map<string, Edge[]>();
  readonly coverage = new Map<string, CoverLink[]>();
  readonly coveredByMember = new Map<string, string[]>();
  private readonly labels = new Map<string, string>();

  private readonly dms = new Set<string>();
  private readonly coaches = new Set<string>();

  constructor(
    readonly map: MapInput,
    readonly lang: Lang = 'en-US',
  ) {
    this.people = sortedCopy(map.people, byNameThenId);
    for (let i = 0; i < this.people.length; i++) {
      const p = this.people[i]!;
      this.byId.set(p.id, p);
      this.index.set(p.id, i);
      for (const r of p.roles) {
        if (r === 'decision-maker') this.dms.add(p.id);
        else if (r === 'coach') this.coaches.add(p.id);
      }
    }
    this.idRank = new Int32Array(this.people.length);
    const byId = this.people.map((_, i) => i).sort((a, b) => cmp(this.people[a]!.id, this.people[b]!.id));
    byId.forEach((i, r) => (this.idRank[i] = r));
    for (const m of map.team) this.members.set(m.id, m);

    const rels = sortedCopy(map.relations, (a, b) => cmp(a.id, b.id));
    for (const r of rels) {
      if (r.source === r.target || !this.byId.has(r.source) || !this.byId.has(r.target)) continue;
      this.relations.push(r);
      switch (r.kind) {
        case 'reports_to':
          if (this.boss.has(r.source)) break;
          this.boss.set(r.source, r);
          push(this.reportsOf, r.target, r);
          break;
        case 'influence':
          push(this.influenceOut, r.source, r);
          push(this.influenceIn, r.target, r);
          break;
        case 'alliance':
          push(this.alliances, r.source, { rel: r, other: r.target });
          push(this.alliances, r.target, { rel: r, other: r.source });
          break;
        case 'conflict':
          push(this.conflicts, r.source, { rel: r, other: r.target });
          push(this.conflicts, r.target, { rel: r, other: r.source });
          break;
      }
    }

    const seen = new Set<string>();
    for (const c of map.coverage) {
      const m = this.members.get(c.memberId);
      if (!m || !this.byId.has(c.personId)) continue;
      const key = `${c.memberId}\u0000${c.personId}`;
      if (seen.has(key)) continue;
      seen.add(key);
      push(this.coverage, c.personId, { memberId: m.id, name: m.name, strength: c.strength });
      push(this.coveredByMember, m.id, c.personId);
    }
    for (const links of this.coverage.values())
      links.sort((a, b) => b.strength - a.strength || cmp(a.name, b.name) || cmp(a.memberId, b.memberId));

    // Namesakes get their department (or title, or id) in messages.
    const count = new Map<string, number>();
    for (const p of this.people) count.set(p.name, (count.get(p.name) ?? 0) + 1);
    const byName = new Map<string, Person[]>();
    for (const p of this.people) if (count.get(p.name)! > 1) push(byName, p.name, p);
    for (const [name, ps] of byName) {
      const depts = new Set(ps.map((p) => p.department));
      const titles = new Set(ps.map((p) => p.title));
      for (const p of ps) {
        const extra =
          depts.size === ps.length && p.department ? p.department : titles.size === ps.length && p.title ? p.title : p.id;
        this.labels.set(p.id, this.paren(name, extra));
      }
    }
  }

  ref(id: string): PersonRef {
    return { id, name: this.byId.get(id)?.name ?? id };
  }
  /** The name to show in a sentence: the display name, told apart from namesakes. */
  label(id: string): string {
    return this.labels.get(id) ?? this.byId.get(id)?.name ?? id;
  }
  /** The label with the title, for reasons a salesperson reads ("钱立明, Vice-president, IT"). */
  labelWithTitle(id: string): string {
    const p = this.byId.get(id);
    return p?.title ? this.paren(this.label(id), p.title) : this.label(id);
  }
  private paren(a: string, b: string): string {
    return this.lang === 'zh-CN' ? `${a}（${b}）` : `${a} (${b})`;
  }
  isDecisionMaker(p: Person): boolean {
    return this.dms.has(p.id);
  }
  isDecisionMakerId(id: string): boolean {
    return this.dms.has(id);
  }
  isCoach(p: Person): boolean {
    return this.coaches.has(p.id);
  }
  /** Key people: decision makers, coaches, any built-in buyer role, or high influence. */
  isKey(p: Person): boolean {
    return p.influence === 'high' || p.roles.some(isBuiltinRole);
  }
  private ends: { src: Int32Array; dst: Int32Array } | null = null;
  /** Each relation's two ends as people indices (relations in `relations` order), built once. */
  endpoints(): { src: Int32Array; dst: Int32Array } {
    if (!this.ends) {
      const src = new Int32Array(this.relations.length);
      const dst = new Int32Array(this.relations.length);
      this.relations.forEach((r, i) => {
        src[i] = this.index.get(r.source)!;
        dst[i] = this.index.get(r.target)!;
      });
      this.ends = { src, dst };
    }
    return this.ends;
  }
  coveredBy(id: string): readonly CoverLink[] {
    return this.coverage.get(id) ?? NO_LINKS;
  }
}

/** A sorted copy; skips the sort when the input is already in order (the usual case). */
function sortedCopy<T>(xs: readonly T[], order: (a: T, b: T) => number): T[] {
  const out = xs.slice();
  for (let i = 1; i < out.length; i++) if (order(out[i - 1]!, out[i]!) > 0) return out.sort(order);
  return out;
}

export function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const xs = m.get(k);
  if (xs) xs.push(v);
  else m.set(k, [v]);
}
