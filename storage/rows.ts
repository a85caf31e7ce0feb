/**
 * A map's rows, the same in both stores: the table specs (keys, and the columns that say whom a
 * row is about), conversions between rows and domain entities, the compact images the undo log
 * keeps, and how recorded row changes become the entity-level `Change` the renderer applies. The
 * SQLite file and the PostgreSQL team store hold the same columns (the team store adds the map
 * id), so an undo image, a snapshot and a purge mean the same thing in both.
 */
import { StageWeightsSchema, type Change, type Coverage, type HistoryState, type LayoutName, type MapMeta, type Person, type Position, type Relation, type TeamMember } from '../shared/domain';
import type { Interaction, Trip } from '../shared/time/types';
import { PERSON_FACTS, evidenceJson, parseEvidence, unverifiedPerson, type Evidence, type PersonEvidence, type PersonFact } from '../shared/evidence';

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
  // A person placed by hand (rules.movePositions); computed positions are written outside undo.
  position: { key: ['layout', 'node_id'] },
  // time area (migration 0002): the interaction log and trips of a person
  interaction: { key: ['id'], refs: ['person_id'] },
  trip: { key: ['id'], refs: ['person_id'] },
} as const satisfies Record<string, TableSpec>;
export type TableName = keyof typeof TABLES;
/** Whether a row is about a person: the person, a line or coverage of theirs, their own rows, their place on a layout. */
export function touchesPersonRow(t: string, row: Row, id: string): boolean {
  if (t === 'person') return row.id === id;
  if (t === 'relation') return row.source === id || row.target === id;
  if (t === 'position') return row.node_id === id;
  return row.person_id === id;
}
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
  function: (r.fn ?? null) as Person['function'],
  notes: String(r.notes),
  lastContact: (r.last_contact ?? null) as string | null,
  evidence: rowToPersonEvidence(r),
});

/** The evidence column of each fact of a person (migration 0004). */
export const EVIDENCE_COLUMN: Record<PersonFact, string> = {
  attitude: 'ev_attitude',
  favours: 'ev_favours',
  roles: 'ev_roles',
  influence: 'ev_influence',
};
/** A person row's evidence; a fact without any is unverified since the row last changed. */
export function rowToPersonEvidence(r: Row): PersonEvidence {
  const since = String(r.updated_at ?? r.created_at ?? new Date(0).toISOString());
  const out = {} as PersonEvidence;
  for (const k of PERSON_FACTS) out[k] = parseEvidence(r[EVIDENCE_COLUMN[k]], since);
  return out;
}
export function personEvidenceToRow(e: Partial<PersonEvidence>): Row {
  const r: Row = {};
  for (const k of PERSON_FACTS) {
    const v: Evidence | undefined = e[k];
    if (v) r[EVIDENCE_COLUMN[k]] = evidenceJson(v);
  }
  return r;
}

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
  fn: p.function ?? null,
  notes: p.notes,
  last_contact: p.lastContact,
  created_at: createdAt,
  updated_at: updatedAt,
  ...personEvidenceToRow(p.evidence ?? unverifiedPerson(updatedAt)),
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
  if (p.function !== undefined) r.fn = p.function;
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
  evidence: parseEvidence(r.evidence, new Date(0).toISOString()),
});
/** A relation's row; without evidence it is unverified since `changedAt`. */
export const relationToRow = (r: Relation, changedAt: string = new Date().toISOString()): Row => ({
  id: r.id,
  kind: r.kind,
  source: r.source,
  target: r.target,
  strength: r.strength,
  note: r.note,
  evidence: evidenceJson(r.evidence ?? { source: null, verifiedAt: null, verifiedBy: '', changedAt }),
});

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

const rowToPosition = (r: Row): Position & { layout: LayoutName } => ({
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
  freshDays: r.fresh_days === null || r.fresh_days === undefined ? null : Number(r.fresh_days),
  doneSteps: parseJsonArray(r.done_steps ?? '[]'),
  stageWeights: parseStageWeights(r.stage_weights),
});
/** The map's own stage weights (migration 0005); anything that is not a valid override reads as none. */
function parseStageWeights(s: unknown): MapMeta['stageWeights'] {
  if (s === null || s === undefined) return null;
  try {
    const v = StageWeightsSchema.safeParse(JSON.parse(String(s)));
    return v.success ? v.data : null;
  } catch {
    return null;
  }
}
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
  fresh_days: m.freshDays ?? null,
  done_steps: JSON.stringify(m.doneSteps ?? []),
  stage_weights: m.stageWeights ? JSON.stringify(m.stageWeights) : null,
  created_at: createdAt,
});

const parseIds = (s: unknown): string[] => parseJsonArray(s);

export const rowToInteraction = (r: Row): Interaction => ({
  id: String(r.id),
  personId: String(r.person_id),
  date: String(r.date),
  kind: r.kind as Interaction['kind'],
  attendees: parseIds(r.attendees),
  notes: String(r.notes),
  createdAt: String(r.created_at),
});
export const interactionToRow = (i: Interaction): Row => ({
  id: i.id,
  person_id: i.personId,
  date: i.date,
  kind: i.kind,
  attendees: JSON.stringify(i.attendees),
  notes: i.notes,
  created_at: i.createdAt,
});

export const rowToTrip = (r: Row): Trip => ({
  id: String(r.id),
  personId: String(r.person_id),
  place: String(r.place),
  from: String(r.date_from),
  to: String(r.date_to),
  timeZone: r.time_zone === null || r.time_zone === undefined ? null : String(r.time_zone),
  note: String(r.note),
  createdAt: String(r.created_at),
});
export const tripToRow = (t: Trip): Row => ({
  id: t.id,
  person_id: t.personId,
  place: t.place,
  date_from: t.from,
  date_to: t.to,
  time_zone: t.timeZone,
  note: t.note,
  created_at: t.createdAt,
});

// ---------------------------------------------------------------------------------------------
// Row changes, undo images and Changes
// ---------------------------------------------------------------------------------------------

/** One row an edit changed: its before image (null: inserted) and after image (null: deleted). */
export interface RowChange {
  t: TableName;
  b: Row | null;
  a: Row | null;
}

/** The key columns of a row of table `t`. */
export function keyOf(t: TableName, row: Row): Row {
  const k: Row = {};
  for (const c of TABLES[t].key) k[c] = row[c] ?? null;
  return k;
}

/**
 * The images an edit stores in the undo log. An insert or delete keeps the whole row; an update
 * keeps only what it changed, plus the key and the table's refs (whom the row is about): a
 * one-field edit of a person stores a few dozen bytes instead of two whole rows, so the undo
 * record fits beside others in one page and the commit writes fewer bytes.
 */
export function undoImages(c: RowChange): RowChange {
  if (!c.b || !c.a) return c;
  const { b: before, a: after } = c;
  const spec: TableSpec = TABLES[c.t];
  const b: Row = {};
  const a: Row = {};
  const keep = (k: string) => {
    b[k] = before[k] ?? null;
    a[k] = after[k] ?? null;
  };
  spec.key.forEach(keep);
  spec.refs?.forEach(keep);
  for (const k in after) if (after[k] !== before[k]) keep(k);
  return { t: c.t, b, a };
}

/** True when a row image is the person, or belongs to or points at them. */
export function touchesPerson(c: RowChange, id: string): boolean {
  for (const img of [c.b, c.a]) {
    if (!img) continue;
    if (c.t === 'person' && img.id === id) return true;
    if (c.t === 'relation' && (img.source === id || img.target === id)) return true;
    if (c.t === 'position' && img.node_id === id) return true;
    // profile, coverage, and every per-person table (interaction log, trips, any added later).
    if (img.person_id === id) return true;
    for (const o of PERSON_OWNED) if (o.table === c.t && img[o.column] === id) return true;
  }
  return false;
}

/** Turns recorded row changes (whole rows) into the entity-level Change the renderer applies. */
export function changeOf(changes: readonly RowChange[], rev: number, history: HistoryState): Change {
  let last: Iterable<RowChange>;
  if (changes.length <= 1) last = changes;
  else {
    const byKey = new Map<string, RowChange>();
    for (const c of changes) {
      const row = c.a ?? c.b!;
      byKey.set(`${c.t}:${JSON.stringify(keyOf(c.t, row))}`, c); // the last change of each entity, in first-touched order
    }
    last = byKey.values();
  }
  const out: Change = { rev, history: { ...history } };
  const del: NonNullable<Change['deleted']> = {};
  for (const c of last) {
    switch (c.t) {
      case 'map_meta':
        if (c.a) out.meta = rowToMeta(c.a);
        break;
      case 'person':
        if (c.a) (out.people ??= []).push(rowToPerson(c.a));
        else (del.people ??= []).push(String(c.b!.id));
        break;
      case 'relation':
        if (c.a) (out.relations ??= []).push(rowToRelation(c.a));
        else (del.relations ??= []).push(String(c.b!.id));
        break;
      case 'member':
        if (c.a) (out.team ??= []).push(rowToMember(c.a));
        else (del.team ??= []).push(String(c.b!.id));
        break;
      case 'coverage':
        if (c.a) (out.coverage ??= []).push(rowToCoverage(c.a));
        else (del.coverage ??= []).push({ memberId: String(c.b!.member_id), personId: String(c.b!.person_id) });
        break;
      case 'position':
        if (c.a) (out.positions ??= []).push(rowToPosition(c.a));
        else (del.positions ??= []).push({ layout: c.b!.layout as LayoutName, id: String(c.b!.node_id) });
        break;
      default:
        break; // profiles are fetched on demand and never pushed; the log and trips are read by their panels
    }
  }
  if (Object.keys(del).length) out.deleted = del;
  return out;
}
