/** The whole map as exports read it (the store's rows, plus profiles only when asked). */
import type { Coverage, LayoutName, MapMeta, Person, Position, Profile, Relation, TeamMember } from '../domain';

export interface MapData {
  meta: MapMeta;
  people: Person[];
  relations: Relation[];
  team: TeamMember[];
  coverage: Coverage[];
  /** Present only when the user asked for personal details. */
  profiles?: Record<string, Profile>;
  positions?: Partial<Record<LayoutName, Position[]>>;
}

/** Names as references: the name when it is unique in the map, the id otherwise. */
export function referenceNames(people: Person[]): Map<string, string> {
  const count = new Map<string, number>();
  for (const p of people) count.set(p.name.toLowerCase(), (count.get(p.name.toLowerCase()) ?? 0) + 1);
  return new Map(people.map((p) => [p.id, count.get(p.name.toLowerCase()) === 1 && !/^\s|\s$/.test(p.name) ? p.name : p.id]));
}

/** Our relationship word from the two switches. */
export const relationshipWord = (p: Person): 'outsider' | 'friend' | 'supplier' | 'partner' =>
  p.servesOrg ? (p.personalBond ? 'partner' : 'supplier') : p.personalBond ? 'friend' : 'outsider';
