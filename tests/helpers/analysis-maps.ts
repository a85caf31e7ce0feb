/** Tiny hand-built maps for the analysis tests (fictional people only). */
import {
  defaultPersonFields,
  type Coverage,
  type Person,
  type PersonFields,
  type Relation,
  type RelationKind,
  type TeamMember,
} from '../../shared/domain';
import type { MapInput } from '../../shared/analysis';

export class MapBuilder {
  people: Person[] = [];
  relations: Relation[] = [];
  team: TeamMember[] = [];
  coverage: Coverage[] = [];
  private n = 0;

  person(id: string, fields: Partial<PersonFields> = {}): this {
    this.people.push({ ...defaultPersonFields(), name: id.toUpperCase(), ...fields, id });
    return this;
  }
  rel(kind: RelationKind, source: string, target: string, strength: 1 | 2 | 3 = 2, note = ''): this {
    this.relations.push({ id: `r${String(++this.n).padStart(3, '0')}`, kind, source, target, strength, note });
    return this;
  }
  member(id: string, name = id): this {
    this.team.push({ id, name, role: '' });
    return this;
  }
  cover(memberId: string, personId: string, strength: 1 | 2 | 3 = 2): this {
    this.coverage.push({ memberId, personId, strength });
    return this;
  }
  update(id: string, fields: Partial<PersonFields>): this {
    const p = this.people.find((x) => x.id === id)!;
    Object.assign(p, fields);
    return this;
  }
  map(): MapInput {
    return { people: this.people, relations: this.relations, team: this.team, coverage: this.coverage };
  }
}

export const build = () => new MapBuilder();
