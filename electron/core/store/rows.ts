/** Conversions between SQLite rows and domain entities. */
import type { Coverage, LayoutName, MapMeta, Person, Position, Relation, TeamMember } from '../../../shared/domain';

export type Row = Record<string, string | number | null>;

export interface TableSpec {
  key: readonly string[];
  /**
   * Columns every undo image of the table keeps even when unchanged, besides the key: whom the
   * row is about, so a purge can find each image of a person (privacy/purge.ts touchesPerson).
   */
  refs?: readonly string[];
}
/** The tables whose edits are recorded for undo. */
export const TABLES = {
  map_meta: { key: ['id'] },
  person: { key: ['id'] },
  profile: { key: ['person_id'] },
  relation: { key: ['id'], refs: ['source', 'target'] },
  member: { key: ['id'] },
  coverage: { key: ['member_id', 'person_id'] },
  // A person placed by hand (MapStore.movePositions); computed positions are written outside undo.
  position: { key: ['layout', 'node_id'] },
  // time area (migration 0002): the interaction log and trips of a person
  interaction: { key: ['id'], refs: ['person_id'] },
  trip: { key: ['id'], refs: ['person_id'] },
} as const satisfies Record<string, TableSpec>;
export type TableName = keyof typeof TABLES;
/** Rows of these tables belong to one person (column): deleting the person deletes them in the same edit. */
export const PERSON_OWNED: readonly { table: TableName; column: string }[] = [
  { table: 'interaction', column: 'person_id' },
  { table: 'trip', column: 'person_id' },
];

const parseJsonArray = (s: unknown): string[] => {
  try {
    const v = JSON.parse(String(s));
    return Array.isArray(v) ? v.map(String) : [];
  } catch {
    return [];
  }
};

export const rowToPerson = (r: Row): Person => ({
  id: String(r.id),
  name: String(r.name),
  title: String(r.title),
  department: String(r.department),
  roles: parseJsonArray(r.roles),
  influence: r.influence as Person['influence'],
  attitude: r.attitude as Person['attitude'],
  favours: String(r.favours),
  servesOrg: r.serves_org === 1,
  personalBond: r.personal_bond === 1,
  level: (r.level ?? null) as Person['level'],
  notes: String(r.notes),
  lastContact: (r.last_contact ?? null) as string | null,
});

export const personToRow = (p: Person, createdAt: string, updatedAt: string): Row => ({
  id: p.id,
  name: p.name,
  title: p.title,
  department: p.department,
  roles: JSON.stringify(p.roles),
  influence: p.influence,
  attitude: p.attitude,
  favours: p.favours,
  serves_org: p.servesOrg ? 1 : 0,
  personal_bond: p.personalBond ? 1 : 0,
  level: p.level,
  notes: p.notes,
  last_contact: p.lastContact,
  created_at: createdAt,
  updated_at: updatedAt,
});

/** The columns a partial person patch changes (an edit writes only those). */
export const personPatchToRow = (p: Partial<Person>): Row => {
  const r: Row = {};
  if (p.name !== undefined) r.name = p.name;
  if (p.title !== undefined) r.title = p.title;
  if (p.department !== undefined) r.department = p.department;
  if (p.roles !== undefined) r.roles = JSON.stringify(p.roles);
  if (p.influence !== undefined) r.influence = p.influence;
  if (p.attitude !== undefined) r.attitude = p.attitude;
  if (p.favours !== undefined) r.favours = p.favours;
  if (p.servesOrg !== undefined) r.serves_org = p.servesOrg ? 1 : 0;
  if (p.personalBond !== undefined) r.personal_bond = p.personalBond ? 1 : 0;
  if (p.level !== undefined) r.level = p.level;
  if (p.notes !== undefined) r.notes = p.notes;
  if (p.lastContact !== undefined) r.last_contact = p.lastContact;
  return r;
};

export const rowToRelation = (r: Row): Relation => ({
  id: String(r.id),
  kind: r.kind as Relation['kind'],
  source: String(r.source),
  target: String(r.target),
  strength: Number(r.strength) as Relation['strength'],
  note: String(r.note),
});
export const relationToRow = (r: Relation): Row => ({ ...r });

export const rowToMember = (r: Row): TeamMember => ({ id: String(r.id), name: String(r.name), role: String(r.role) });
export const memberToRow = (m: TeamMember): Row => ({ ...m });

export const rowToCoverage = (r: Row): Coverage => ({
  memberId: String(r.member_id),
  personId: String(r.person_id),
  strength: Number(r.strength) as Coverage['strength'],
});
export const coverageToRow = (c: Coverage): Row => ({
  member_id: c.memberId,
  person_id: c.personId,
  strength: c.strength,
});

export const rowToPosition = (r: Row): Position & { layout: LayoutName } => ({
  layout: r.layout as LayoutName,
  id: String(r.node_id),
  x: Number(r.x),
  y: Number(r.y),
  pinned: r.pinned === 1,
});
export const positionToRow = (layout: LayoutName, p: Position): Row => ({ layout, node_id: p.id, x: p.x, y: p.y, pinned: p.pinned ? 1 : 0 });

export const rowToMeta = (r: Row): MapMeta => ({
  account: String(r.account),
  deal: String(r.deal),
  stage: r.stage as MapMeta['stage'],
  posture: r.posture as MapMeta['posture'],
  incumbent: r.incumbent === 1,
  competitors: parseJsonArray(r.competitors),
  budget: String(r.budget),
  timeline: String(r.timeline),
  notes: String(r.notes),
});
export const metaToRow = (m: MapMeta, createdAt: string): Row => ({
  id: 1,
  account: m.account,
  deal: m.deal,
  stage: m.stage,
  posture: m.posture,
  incumbent: m.incumbent ? 1 : 0,
  competitors: JSON.stringify(m.competitors),
  budget: m.budget,
  timeline: m.timeline,
  notes: m.notes,
  created_at: createdAt,
});
