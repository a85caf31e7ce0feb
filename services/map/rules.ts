/**
 * The entity rules of a map — what each edit means and what it may not do — written once, over
 * the store interface, so the map file and the team store follow the same rules. Each function
 * is one undoable edit: it reads through the edit's transaction, writes rows through it, and
 * returns the store's `Change`.
 *
 * The rules: ids are unique; a relation joins two different existing people; one relation of a
 * kind between the same two people (alliance and conflict either way round); a person has one
 * reports-to line (a new one replaces the old in the same edit) and reporting lines never loop;
 * deleting a person deletes their relations, coverage, log entries, trips, profile and positions
 * in the same edit (explicitly, so undo brings them all back).
 */
import crypto from 'node:crypto';
import { ApiError } from '../../shared/api/errors';
import type { EditLabel } from '../../shared/i18n/history';
import {
  LAYOUTS,
  defaultMeta,
  defaultPersonFields,
  isSymmetricKind,
  type Change,
  type LayoutName,
  type MapMeta,
  type Person,
  type PersonFields,
  type Position,
  type Profile,
  type Relation,
  type RelationFields,
  type TeamMember,
  type TeamMemberFields,
} from '../../shared/domain';
import {
  PERSON_OWNED,
  coverageToRow,
  memberToRow,
  metaToRow,
  personPatchToRow,
  personToRow,
  positionToRow,
  relationToRow,
  rowToMeta,
  type Row,
} from '../../storage/rows';
import type { EditTx, MapStore, RowSource } from '../../storage/types';
import { EVIDENCE_COLUMN, rowToPersonEvidence, rowToRelation } from '../../storage/rows';
import { PERSON_FACTS, evidenceJson, unverified, verifiedNow, type Evidence, type PersonEvidence, type PersonFact } from '../../shared/evidence';
import { member, metaRow, person, profile, relation, requireMember, requirePerson } from './read';

/**
 * Who makes an edit and how they know (issue 20): setting a fact stamps it verified now by `by`,
 * with `source` (else the fact's previous source). `by`: the signed-in user on a team map, the
 * local user's name (settings) or "me" on the desktop.
 */
export interface Stamp {
  by: string;
  source?: string | null;
}
const DEFAULT_STAMP: Stamp = { by: 'me' };

export const newId = (prefix: string): string => `${prefix}${crypto.randomBytes(9).toString('base64url')}`;
const now = () => new Date().toISOString();

/** The map record a new map starts with. */
export const newMetaRow = (meta: Partial<MapMeta> = {}): Row => metaToRow({ ...defaultMeta(), ...meta }, now());

export function updateMeta(store: MapStore, patch: Partial<MapMeta>): Promise<Change> {
  return store.edit({ key: 'map.edit' }, async (tx) => {
    const row = await metaRow(tx);
    await tx.put('map_meta', metaToRow({ ...rowToMeta(row), ...patch }, String(row.created_at)));
  });
}

/**
 * Ticks a next step off (or opens it again): one undoable edit of the map record's list of done
 * steps, read inside the edit's transaction so two people ticking different steps keep both.
 */
export function tickStep(store: MapStore, id: string, done: boolean): Promise<Change> {
  return store.edit({ key: done ? 'step.done' : 'step.open' }, async (tx) => {
    const row = await metaRow(tx);
    const meta = rowToMeta(row);
    const list = (meta.doneSteps ?? []).filter((x) => x !== id);
    if (done) list.push(id);
    if (list.length > MAX_DONE_STEPS) throw new ApiError('INVALID_EDIT', 'too many ticked next steps');
    await tx.put('map_meta', metaToRow({ ...meta, doneSteps: list }, String(row.created_at)));
  });
}
const MAX_DONE_STEPS = 2_000;

// ---------------------------------------------------------------------------------------------
// People
// ---------------------------------------------------------------------------------------------

/** Adds a person; with `at`, places them there in every layout (layout state, in the same transaction). */
export async function createPerson(
  store: MapStore,
  fields: Partial<PersonFields> & { name: string; id?: string },
  at?: { x: number; y: number },
  stamp: Stamp = DEFAULT_STAMP,
): Promise<Change> {
  const id = fields.id ?? newId('p_');
  const { id: _ignored, ...rest } = fields;
  void _ignored;
  return store.edit({ key: 'person.add', params: { name: fields.name } }, async (tx) => {
    if (await tx.row('person', { id })) throw new ApiError('INVALID_EDIT', `A person with id ${id} already exists`, { id });
    const t = now();
    // The facts given are verified now by the editor; the defaults are unverified.
    const evidence = Object.fromEntries(
      PERSON_FACTS.map((k) => [k, rest[k] !== undefined ? verifiedNow(t, stamp.by, stamp.source ?? null) : unverified(t)]),
    ) as PersonEvidence;
    const p: Person = { ...defaultPersonFields(), ...rest, id, evidence };
    await tx.put('person', personToRow(p, t, t));
    if (at) for (const layout of LAYOUTS) await tx.putPositions(layout, [{ id, ...at, pinned: false }]);
  });
}

export function updatePerson(store: MapStore, id: string, patch: Partial<PersonFields>, stamp: Stamp = DEFAULT_STAMP): Promise<Change> {
  let name = '';
  return store.edit(
    () => ({ key: 'person.edit', params: { name } }),
    async (tx) => {
      const row = await tx.row('person', { id });
      if (!row) throw new ApiError('NOT_FOUND', `No person with id ${id}`, { id });
      const t = now();
      // Only the patched columns change (plus updated_at, and the evidence of a fact that changed).
      const patchRow = personPatchToRow(patch);
      const evidence = rowToPersonEvidence(row);
      const stamped: Row = {};
      for (const k of PERSON_FACTS) {
        const col = k === 'roles' ? 'roles' : k;
        if (patchRow[col] === undefined || patchRow[col] === row[col]) continue;
        stamped[EVIDENCE_COLUMN[k]] = evidenceJson(verifiedNow(t, stamp.by, stamp.source ?? evidence[k].source));
      }
      const next: Row = { ...row, ...patchRow, ...stamped, id, updated_at: t };
      name = String(next.name);
      await tx.put('person', next);
    },
    { reads: [{ t: 'person', key: { id } }] },
  );
}

/** Deletes `id`'s dependent rows and the person, inside an edit. */
/** What deleting a person takes with it (also the offline merge's delete: services/team/sync.ts). */
export async function deletePersonRows(tx: EditTx, id: string): Promise<void> {
  for (const r of await tx.rows('relation', { source: id })) await tx.del('relation', r);
  for (const r of await tx.rows('relation', { target: id })) await tx.del('relation', r);
  for (const c of await tx.rows('coverage', { person_id: id })) await tx.del('coverage', c);
  // The person's own rows in other tables (interaction log, trips: rows.ts PERSON_OWNED).
  for (const o of PERSON_OWNED) for (const r of await tx.rows(o.table, { [o.column]: id })) await tx.del(o.table, r);
  await tx.del('profile', { person_id: id });
  await tx.del('person', { id });
  await tx.dropPositions(id);
}

export async function deletePerson(store: MapStore, id: string): Promise<Change> {
  const p = await requirePerson(store, id);
  return store.edit({ key: 'person.delete', params: { name: p.name } }, async (tx) => {
    await requirePerson(tx, id);
    await deletePersonRows(tx, id);
  });
}

export async function getProfile(store: MapStore, personId: string): Promise<Profile> {
  return store.read((src) => profile(src, personId));
}

export async function updateProfile(store: MapStore, personId: string, patch: Partial<Profile>): Promise<Change> {
  const p = await requirePerson(store, personId);
  return store.edit({ key: 'profile.edit', params: { name: p.name } }, async (tx) => {
    const merged = { ...(await profile(tx, personId)), ...patch };
    const nonEmpty = Object.fromEntries(Object.entries(merged).filter(([, v]) => v !== ''));
    if (Object.keys(nonEmpty).length) await tx.put('profile', { person_id: personId, data: JSON.stringify(nonEmpty) });
    else await tx.del('profile', { person_id: personId });
  });
}

// ---------------------------------------------------------------------------------------------
// Relations
// ---------------------------------------------------------------------------------------------

export async function checkRelation(src: RowSource, r: Relation, replacing?: string): Promise<void> {
  await requirePerson(src, r.source);
  await requirePerson(src, r.target);
  if (r.source === r.target) throw new ApiError('INVALID_EDIT', 'A relation needs two different people', { reason: 'relation_self' });
  const symmetric = isSymmetricKind(r.kind);
  const between = [
    ...(await src.rows('relation', { source: r.source, target: r.target, kind: r.kind })),
    ...(symmetric ? await src.rows('relation', { source: r.target, target: r.source, kind: r.kind }) : []),
  ];
  if (between.some((o) => o.id !== r.id && o.id !== replacing))
    throw new ApiError('INVALID_EDIT', `These two people already have a ${r.kind.replace('_', ' ')} relation`, { reason: 'relation_duplicate', kind: r.kind });
  if (r.kind === 'reports_to') {
    // Walk up from the new boss: reaching the source would make a reporting loop.
    const boss = new Map(
      (await src.rows('relation', { kind: 'reports_to' })).filter((o) => o.source !== r.source).map((o) => [String(o.source), String(o.target)]),
    );
    let cur: string | undefined = r.target;
    const seen = new Set<string>();
    while (cur && !seen.has(cur)) {
      if (cur === r.source)
        throw new ApiError('INVALID_EDIT', 'That reporting line would make a loop', {
          reason: 'reporting_loop',
          person: (await person(src, r.source))?.name ?? r.source,
          boss: (await person(src, r.target))?.name ?? r.target,
        });
      seen.add(cur);
      cur = boss.get(cur);
    }
  }
}

export async function createRelation(
  store: MapStore,
  fields: Omit<RelationFields, 'strength' | 'note'> & Partial<RelationFields> & { id?: string },
  stamp: Stamp = DEFAULT_STAMP,
): Promise<Change> {
  const id = fields.id ?? newId('r_');
  const r: Relation = { strength: 2, note: '', ...fields, id, evidence: verifiedNow(now(), stamp.by, stamp.source ?? null) };
  const name = async (pid: string) => (await person(store, pid))?.name ?? pid;
  return store.edit({ key: 'relation.add', params: { a: await name(r.source), b: await name(r.target) } }, async (tx) => {
    if (await tx.row('relation', { id })) throw new ApiError('INVALID_EDIT', `A relation with id ${id} already exists`, { id });
    // A person has one formal line: a new reports-to replaces the old one in the same edit.
    const old = r.kind === 'reports_to' ? (await tx.rows('relation', { kind: 'reports_to', source: r.source }))[0] : undefined;
    await checkRelation(tx, r, old ? String(old.id) : undefined);
    if (old) await tx.del('relation', old);
    await tx.put('relation', relationToRow(r));
  });
}

/** The names at a relation's two ends, for its undo label. */
const ends = async (src: RowSource, r: Relation) => ({
  a: (await person(src, r.source))?.name ?? r.source,
  b: (await person(src, r.target))?.name ?? r.target,
});

export function updateRelation(store: MapStore, id: string, patch: Partial<RelationFields>, stamp: Stamp = DEFAULT_STAMP): Promise<Change> {
  let params: Record<string, string> = {};
  return store.edit(
    () => ({ key: 'relation.edit', params }),
    async (tx) => {
      const before = await relation(tx, id);
      if (!before) throw new ApiError('NOT_FOUND', `No relation with id ${id}`, { id });
      const r: Relation = { ...before, ...patch, id };
      // What the line asserts changed (its kind, ends or strength): verified now by the editor.
      if ((['kind', 'source', 'target', 'strength'] as const).some((k) => patch[k] !== undefined && patch[k] !== before[k]))
        r.evidence = verifiedNow(now(), stamp.by, stamp.source ?? before.evidence?.source ?? null);
      await checkRelation(tx, r);
      params = await ends(tx, r);
      await tx.put('relation', relationToRow(r));
    },
    { reads: [{ t: 'relation', key: { id } }] },
  );
}

export function deleteRelation(store: MapStore, id: string): Promise<Change> {
  let params: Record<string, string> = {};
  return store.edit(
    () => ({ key: 'relation.delete', params }),
    async (tx) => {
      const r = await relation(tx, id);
      if (!r) throw new ApiError('NOT_FOUND', `No relation with id ${id}`, { id });
      params = await ends(tx, r);
      await tx.del('relation', { id });
    },
  );
}

// ---------------------------------------------------------------------------------------------
// Evidence: confirming facts without changing them
// ---------------------------------------------------------------------------------------------

export interface FactRef {
  /** A person fact, or 'relation'. */
  kind: PersonFact | 'relation';
  /** The person's or the relation's id. */
  id: string;
}

/**
 * "Still true": the facts are verified now by `stamp.by`, their values untouched; `stamp.source`
 * replaces the source where given. One undoable step.
 */
export async function confirmFacts(store: MapStore, facts: readonly FactRef[], stamp: Stamp = DEFAULT_STAMP): Promise<Change> {
  if (!facts.length) throw new ApiError('BAD_REQUEST', 'No fact to confirm');
  const personIds = new Set(facts.filter((f) => f.kind !== 'relation').map((f) => f.id));
  const single = personIds.size === 1 && facts.every((f) => f.kind !== 'relation') ? await person(store, [...personIds][0]!) : null;
  const label: EditLabel = single ? { key: 'evidence.confirm', params: { name: single.name } } : { key: 'evidence.confirm', params: { count: facts.length } };
  return store.edit(label, async (tx) => {
    const t = now();
    const confirm = (e: Evidence): Evidence => ({ ...e, source: stamp.source === undefined ? e.source : stamp.source, verifiedAt: t, verifiedBy: stamp.by });
    const byPerson = new Map<string, Row>();
    for (const f of facts) {
      if (f.kind === 'relation') {
        const row = await tx.row('relation', { id: f.id });
        if (!row) throw new ApiError('NOT_FOUND', `No relation with id ${f.id}`, { id: f.id });
        const r = rowToRelation(row);
        await tx.put('relation', { ...row, evidence: evidenceJson(confirm(r.evidence!)) });
        continue;
      }
      const row = byPerson.get(f.id) ?? (await tx.row('person', { id: f.id }));
      if (!row) throw new ApiError('NOT_FOUND', `No person with id ${f.id}`, { id: f.id });
      const ev = rowToPersonEvidence(row);
      byPerson.set(f.id, { ...row, [EVIDENCE_COLUMN[f.kind]]: evidenceJson(confirm(ev[f.kind])) });
    }
    for (const row of byPerson.values()) await tx.put('person', row);
  });
}

// ---------------------------------------------------------------------------------------------
// Our team and coverage
// ---------------------------------------------------------------------------------------------

export function createMember(store: MapStore, fields: Partial<TeamMemberFields> & { name: string; id?: string }): Promise<Change> {
  const id = fields.id ?? newId('m_');
  const m: TeamMember = { role: '', ...fields, id };
  return store.edit({ key: 'member.add', params: { name: m.name } }, async (tx) => {
    if (await tx.row('member', { id })) throw new ApiError('INVALID_EDIT', `A team member with id ${id} already exists`, { id });
    await tx.put('member', memberToRow(m));
  });
}

export async function updateMember(store: MapStore, id: string, patch: Partial<TeamMemberFields>): Promise<Change> {
  const m = { ...(await requireMember(store, id)), ...patch, id };
  return store.edit({ key: 'member.edit', params: { name: m.name } }, async (tx) => {
    await tx.put('member', memberToRow({ ...(await requireMember(tx, id)), ...patch, id }));
  });
}

export async function deleteMember(store: MapStore, id: string): Promise<Change> {
  const m = await requireMember(store, id);
  return store.edit({ key: 'member.delete', params: { name: m.name } }, async (tx) => {
    await requireMember(tx, id);
    await deleteMemberRows(tx, id);
  });
}

/** What removing a team member takes with it: their coverage and their place on the map. */
export async function deleteMemberRows(tx: EditTx, id: string): Promise<void> {
  for (const c of await tx.rows('coverage', { member_id: id })) await tx.del('coverage', c);
  await tx.del('member', { id });
  await tx.dropPositions(id);
}

export async function setCoverage(store: MapStore, memberId: string, personId: string, strength: 1 | 2 | 3 | null): Promise<Change> {
  const m = await requireMember(store, memberId);
  const p = await requirePerson(store, personId);
  const label: EditLabel = { key: strength === null ? 'coverage.remove' : 'coverage.set', params: { member: m.name, person: p.name } };
  return store.edit(label, async (tx) => {
    await requireMember(tx, memberId);
    await requirePerson(tx, personId);
    if (strength === null) await tx.del('coverage', { member_id: memberId, person_id: personId });
    else await tx.put('coverage', coverageToRow({ memberId, personId, strength }));
  });
}

// ---------------------------------------------------------------------------------------------
// Moving people by hand
// ---------------------------------------------------------------------------------------------

/**
 * People (or team members) moved by hand, pinned where they were dropped: one undoable step.
 * `from` is where a node was when the drag began: stored first (outside undo) when the layout had
 * no position for it yet, so undo puts it back there.
 */
export async function movePositions(store: MapStore, layout: LayoutName, moves: (Position & { from?: { x: number; y: number } })[]): Promise<Change> {
  if (!moves.length) throw new ApiError('BAD_REQUEST', 'Nothing was moved');
  const nameOf = async (id: string) => (await person(store, id))?.name ?? (await member(store, id))?.name ?? null;
  const first = await nameOf(moves[0]!.id);
  const label: EditLabel = {
    key: 'positions.move',
    params: moves.length === 1 && first !== null ? { name: first, layout } : { count: moves.length, layout },
  };
  const stored = new Set((await store.positions(layout)).map((p) => p.id));
  const missing = moves.filter((m) => m.from && !stored.has(m.id));
  if (missing.length) await store.setPositions(layout, missing.map((m) => ({ id: m.id, x: m.from!.x, y: m.from!.y, pinned: false })));
  return store.edit(label, async (tx) => {
    for (const m of moves) await tx.put('position', positionToRow(layout, { id: m.id, x: m.x, y: m.y, pinned: m.pinned }));
  });
}

// ---------------------------------------------------------------------------------------------
// Filling a new map
// ---------------------------------------------------------------------------------------------

export interface MapContentIn {
  meta?: Partial<MapMeta>;
  people: Person[];
  relations: Relation[];
  team: TeamMember[];
  coverage: { memberId: string; personId: string; strength: 1 | 2 | 3 }[];
  profiles?: Record<string, Partial<Profile>>;
  positions?: Partial<Record<(typeof LAYOUTS)[number], Position[]>>;
}

/**
 * Loads a whole map in one transaction (imports, the sample). Not undoable: it is how a new map
 * is filled, so a crash leaves either nothing or everything.
 */
export async function loadMap(store: MapStore, data: MapContentIn): Promise<void> {
  const t = now();
  const rows: { t: 'map_meta' | 'person' | 'profile' | 'relation' | 'member' | 'coverage'; row: Row }[] = [];
  if (data.meta) {
    const row = await metaRow(store);
    rows.push({ t: 'map_meta', row: metaToRow({ ...rowToMeta(row), ...data.meta }, String(row.created_at)) });
  }
  for (const p of data.people) rows.push({ t: 'person', row: personToRow(p, t, t) });
  for (const [pid, prof] of Object.entries(data.profiles ?? {})) {
    const nonEmpty = Object.fromEntries(Object.entries(prof).filter(([, v]) => v));
    if (Object.keys(nonEmpty).length) rows.push({ t: 'profile', row: { person_id: pid, data: JSON.stringify(nonEmpty) } });
  }
  for (const r of data.relations) rows.push({ t: 'relation', row: relationToRow(r) });
  for (const m of data.team) rows.push({ t: 'member', row: memberToRow(m) });
  for (const c of data.coverage) rows.push({ t: 'coverage', row: coverageToRow(c) });
  await store.load({ rows, positions: data.positions });
}

