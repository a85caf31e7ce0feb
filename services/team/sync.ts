/**
 * A map's bundle (shared/api/team-sync.ts) and the offline merge, written once over the store
 * interface, so the same code reads a map file or a team map, fills a new one, and merges:
 *
 * - `readBundle(store)`: the whole content as rows (the tables of storage/rows.ts), positions,
 *   view settings and snapshots; personal profiles and trips only when asked.
 * - `loadBundle(store, bundle)`: fills a new, empty map with it (publish, fetch, the admin's import).
 * - `checkBundle(bundle)`: what a server takes from a client — known tables and columns only,
 *   every row's key, the fields a person, relation, member, coverage and the map record must have.
 * - `diffBundle(base, now)`: the rows changed since a base image (what "Send my changes" sends).
 * - `mergeChanges(tx, changes, decisions)`: applies those changes field by field inside one edit
 *   (one transaction, one undo step): a field only I changed is written, one only the team
 *   changed is kept, one both changed to different values is a conflict unless decided.
 */
import { ApiError } from '../../shared/api/errors';
import {
  BUNDLE_FORMAT,
  BUNDLE_TABLES,
  BUNDLE_VERSION,
  PERSONAL_TABLES,
  type BundleCell,
  type BundleRow,
  type BundleTable,
  type MapBundle,
  type SyncChange,
  type SyncConflict,
  type SyncDecision,
  type SyncTable,
} from '../../shared/api/team-sync';
import { Id, LAYOUTS, MapMetaSchema, PersonFieldsSchema, type LayoutName, type Position } from '../../shared/domain';
import {
  TABLES,
  coverageToRow,
  interactionToRow,
  keyOf,
  metaToRow,
  personToRow,
  relationToRow,
  rowToCoverage,
  rowToInteraction,
  rowToMeta,
  rowToPerson,
  rowToRelation,
  rowToTrip,
  tripToRow,
  type Row,
  type TableName,
} from '../../storage/rows';
import type { EditTx, MapStore, RowSource } from '../../storage/types';
import { checkRelation, deleteMemberRows, deletePersonRows } from '../map/rules';

// ---------------------------------------------------------------------------------------------
// The bundle
// ---------------------------------------------------------------------------------------------

/** The columns each table has (the same in both engines), from the row converters. */
export const COLUMNS: Record<SyncTable, ReadonlySet<string>> = {
  map_meta: new Set(Object.keys(metaToRow(rowToMeta({}), ''))),
  person: new Set(Object.keys(personToRow(rowToPerson({}), '', ''))),
  member: new Set(['id', 'name', 'role']),
  relation: new Set(Object.keys(relationToRow(rowToRelation({}), ''))),
  coverage: new Set(Object.keys(coverageToRow(rowToCoverage({})))),
  interaction: new Set(Object.keys(interactionToRow(rowToInteraction({})))),
  profile: new Set(['person_id', 'data']),
  trip: new Set(Object.keys(tripToRow(rowToTrip({})))),
  position: new Set(['layout', 'node_id', 'x', 'y', 'pinned']),
};

export async function readBundle(store: MapStore, opts: { includePersonal: boolean; snapshots?: boolean }): Promise<{ bundle: MapBundle; rev: number }> {
  const tables = BUNDLE_TABLES.filter((t) => opts.includePersonal || !PERSONAL_TABLES.includes(t));
  const { rows, positions, rev } = await store.read(async (src) => {
    const rows: MapBundle['rows'] = [];
    for (const t of tables) for (const row of await src.rows(t)) rows.push({ t, row });
    const positions: Partial<Record<LayoutName, Position[]>> = {};
    for (const l of LAYOUTS) {
      const ps = await src.positions(l);
      if (ps.length) positions[l] = ps;
    }
    return { rows, positions, rev: await src.rev() };
  });
  const snapshots: MapBundle['snapshots'] = [];
  if (opts.snapshots !== false)
    for (const s of [...(await store.snapshots.list())].reverse()) {
      // oldest first, so the copy lists them alike
      const body = await store.snapshots.body(s.id);
      if (body) {
        const { bytes: _bytes, ...rec } = s;
        snapshots.push({ ...rec, body: body.body.toString('base64') });
      }
    }
  const settings = await store.settings();
  return { bundle: { format: BUNDLE_FORMAT, version: BUNDLE_VERSION, rows, positions, settings, snapshots }, rev };
}

/** Fills a new, empty map with a bundle: its rows and positions in one load, then snapshots and settings. */
export async function loadBundle(to: MapStore, bundle: MapBundle): Promise<void> {
  await to.load({ rows: bundle.rows.map((r) => ({ t: r.t as TableName, row: r.row })), positions: bundle.positions });
  for (const s of bundle.snapshots) await to.snapshots.add({ ...s, body: Buffer.from(s.body, 'base64') });
  if (Object.keys(bundle.settings).length) await to.putSettings(bundle.settings);
}

export const bundleCounts = (b: MapBundle) => {
  const count = (t: BundleTable) => b.rows.filter((r) => r.t === t).length;
  return {
    people: count('person'),
    relations: count('relation'),
    team: count('member'),
    coverage: count('coverage'),
    interactions: count('interaction'),
    profiles: count('profile'),
    trips: count('trip'),
    snapshots: b.snapshots.length,
  };
};

const bad = (message: string, details?: string[]) => new ApiError('BAD_REQUEST', message, { reason: 'bad_bundle' }, details);

/** A person row's columns and the fields they hold. */
const PERSON_FIELD_OF: Record<string, string> = {
  name: 'name',
  title: 'title',
  department: 'department',
  roles: 'roles',
  influence: 'influence',
  attitude: 'attitude',
  favours: 'favours',
  serves_org: 'servesOrg',
  personal_bond: 'personalBond',
  level: 'level',
  notes: 'notes',
  last_contact: 'lastContact',
};

/** Refuses a row of an unknown column, without its key, or with fields a map cannot hold. */
export function checkRow(t: SyncTable, row: BundleRow, where: string): void {
  for (const c of Object.keys(row)) if (!COLUMNS[t].has(c)) throw bad(`${where}: ${t} has no column ${c}`);
  for (const k of TABLES[t].key) if (row[k] === undefined || row[k] === null) throw bad(`${where}: ${t} needs ${k}`);
  const issue = (r: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) => {
    if (!r.success) {
      const i = r.error!.issues[0]!;
      throw bad(`${where}: ${t} ${i.path.join('.')}: ${i.message}`);
    }
  };
  const full = (cols: readonly string[]) => cols.every((c) => row[c] !== undefined);
  switch (t) {
    case 'person': {
      issue(Id.safeParse(row.id));
      // The fields the row carries (a send carries only some), checked as a live edit checks them.
      const p = rowToPerson(row) as unknown as Record<string, unknown>;
      const fields = Object.fromEntries(Object.entries(PERSON_FIELD_OF).filter(([c]) => row[c] !== undefined).map(([, f]) => [f, p[f]]));
      issue(PersonFieldsSchema.partial().safeParse(fields));
      break;
    }
    case 'position':
      if (!(LAYOUTS as readonly unknown[]).includes(row.layout)) throw bad(`${where}: no layout ${String(row.layout)}`);
      issue(Id.safeParse(row.node_id));
      break;
    case 'relation':
      issue(Id.safeParse(row.id));
      break;
    case 'member':
      issue(Id.safeParse(row.id));
      break;
    case 'coverage':
      issue(Id.safeParse(row.member_id));
      issue(Id.safeParse(row.person_id));
      break;
    case 'map_meta':
      if (row.id !== 1) throw bad(`${where}: the map record's id is 1`);
      if (full(['account', 'deal', 'stage', 'posture', 'incumbent', 'competitors', 'budget', 'timeline', 'notes'])) issue(MapMetaSchema.safeParse(rowToMeta(row)));
      break;
    default:
  }
}

/** What a server takes from a client as a bundle (its shape is already zod-checked). */
export function checkBundle(b: MapBundle, opts: { includePersonal: boolean }): void {
  const metas = b.rows.filter((r) => r.t === 'map_meta').length;
  if (metas !== 1) throw bad(`a map has one map record, the bundle has ${metas}`);
  const seen = new Set<string>();
  b.rows.forEach((r, i) => {
    if (!opts.includePersonal && PERSONAL_TABLES.includes(r.t)) throw bad('personal details (profiles, trips) travel only when you tick "include personal details"', [`row ${i}: ${r.t}`]);
    checkRow(r.t, r.row, `row ${i}`);
    const k = rowId(r.t, r.row);
    if (seen.has(k)) throw bad(`row ${i}: ${r.t} ${k} appears twice`);
    seen.add(k);
  });
}

// ---------------------------------------------------------------------------------------------
// Diff: the local changes against the base image
// ---------------------------------------------------------------------------------------------

/** A row's identity: table and key values. */
export const rowId = (t: SyncTable, row: BundleRow): string => `${t}:${JSON.stringify(TABLES[t].key.map((k) => row[k] ?? null))}`;

/** A bundle's rows and positions as rows keyed by rowId. */
export function bundleRows(b: Pick<MapBundle, 'rows' | 'positions'>): Map<string, { t: SyncTable; row: BundleRow }> {
  const out = new Map<string, { t: SyncTable; row: BundleRow }>();
  for (const r of b.rows) out.set(rowId(r.t, r.row), { t: r.t, row: r.row });
  for (const l of LAYOUTS)
    for (const p of b.positions[l] ?? []) {
      const row: BundleRow = { layout: l, node_id: p.id, x: p.x, y: p.y, pinned: p.pinned ? 1 : 0 };
      out.set(rowId('position', row), { t: 'position', row });
    }
  return out;
}

const same = (a: BundleCell | undefined, b: BundleCell | undefined) => (a ?? null) === (b ?? null);
const rowsEqual = (a: BundleRow, b: BundleRow) => {
  for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) if (!same(a[k], b[k])) return false;
  return true;
};

const ORDER: Record<SyncTable, number> = { map_meta: 0, person: 1, member: 2, relation: 3, coverage: 4, interaction: 5, profile: 6, trip: 7, position: 8 };

/** The rows that differ between the base image and now (new, changed, deleted), parents first. */
export function diffBundle(base: Pick<MapBundle, 'rows' | 'positions'>, now: Pick<MapBundle, 'rows' | 'positions'>): SyncChange[] {
  const b = bundleRows(base);
  const n = bundleRows(now);
  const out: SyncChange[] = [];
  for (const [id, r] of n) {
    const was = b.get(id);
    if (!was) out.push({ t: r.t, base: null, mine: r.row });
    else if (!rowsEqual(was.row, r.row)) out.push({ t: r.t, base: was.row, mine: r.row });
  }
  for (const [id, r] of b) if (!n.has(id)) out.push({ t: r.t, base: r.row, mine: null });
  return out.sort((x, y) => ORDER[x.t] - ORDER[y.t]);
}

// ---------------------------------------------------------------------------------------------
// Merge
// ---------------------------------------------------------------------------------------------

/** Columns that say when, not what: never a conflict; mine goes with any field of mine written. */
const BOOKKEEPING = new Set(['updated_at', 'created_at']);
/** A fact's evidence goes with the fact's decision; alone, the newer stamp is kept. */
const EVIDENCE_OF: Record<string, string> = { ev_attitude: 'attitude', ev_favours: 'favours', ev_roles: 'roles', ev_influence: 'influence', evidence: '' };

const stampTime = (v: BundleCell | undefined): string => {
  try {
    const e = JSON.parse(String(v ?? '{}')) as { verifiedAt?: string | null; changedAt?: string };
    return String(e.verifiedAt ?? e.changedAt ?? '');
  } catch {
    return '';
  }
};

export const conflictId = (t: SyncTable, row: BundleRow, field: string) => `${rowId(t, row)}:${field}`;

/** Whom a row is about, for people to read. */
async function rowLabel(src: RowSource, t: SyncTable, row: BundleRow): Promise<string> {
  const name = async (table: 'person' | 'member', id: BundleCell | undefined) => String((await src.row(table, { id: id ?? '' }))?.name ?? id ?? '');
  switch (t) {
    case 'person':
    case 'member':
      return String(row.name ?? (await name(t, row.id)));
    case 'relation': {
      const r = (await src.row('relation', { id: row.id ?? '' })) ?? row;
      return `${await name('person', r.source)} – ${await name('person', r.target)}`;
    }
    case 'coverage':
      return `${await name('member', row.member_id)} → ${await name('person', row.person_id)}`;
    case 'interaction':
    case 'trip':
    case 'profile':
      return await name('person', row.person_id ?? (await src.row(t, keyOf(t, row)))?.person_id);
    case 'position':
      return `${String(row.node_id)} (${String(row.layout)})`;
    default:
      return '';
  }
}

export interface MergeOutcome {
  /** Unanswered conflicts: nothing must be applied (the caller throws to roll back). */
  open: SyncConflict[];
  /** Conflicts answered 'theirs'. */
  keptTheirs: SyncConflict[];
  /** Rows written or deleted. */
  applied: number;
}

/**
 * Applies offline changes inside one edit. Rules, per row:
 * - new offline: inserted (the same key made on both sides: a field-level merge with no base);
 * - deleted offline: deleted, with what a delete takes (the live rules), unless the team changed
 *   the row since — then a conflict on the whole row ('*');
 * - changed offline: each field I changed is written when the team left it as it was, kept when
 *   the team has the same value, a conflict when the team changed it to something else; a row
 *   the team deleted is a whole-row conflict;
 * - positions (layout, not facts): mine when the team did not move that card, else theirs.
 * Relations written are checked by the same rule as a live edit (two people, no duplicates, no
 * reporting loop): a merge that breaks one is refused as a whole.
 */
export async function mergeChanges(tx: EditTx, changes: readonly SyncChange[], decisions: readonly SyncDecision[]): Promise<MergeOutcome> {
  const decided = new Map(decisions.map((d) => [d.id, d.take]));
  const open: SyncConflict[] = [];
  const keptTheirs: SyncConflict[] = [];
  let applied = 0;
  const relationsTouched = new Set<string>();
  const conflict = async (t: SyncTable, row: BundleRow, field: string, base: BundleCell, mine: BundleCell, theirs: BundleCell): Promise<'mine' | 'theirs' | null> => {
    const id = conflictId(t, row, field);
    const c: SyncConflict = { id, t, key: keyOf(t as TableName, row), label: await rowLabel(tx, t, row), field, base, mine, theirs, theirsBy: null };
    const take = decided.get(id) ?? null;
    if (take === null) open.push(c);
    else if (take === 'theirs') keptTheirs.push(c);
    return take;
  };

  const sorted = [...changes].sort((x, y) => (x.mine === null ? 100 - ORDER[x.t] : ORDER[x.t]) - (y.mine === null ? 100 - ORDER[y.t] : ORDER[y.t]));
  for (const ch of sorted) {
    const t = ch.t;
    const tn = t as TableName;
    const any = (ch.mine ?? ch.base)!;
    const key = keyOf(tn, any);
    const theirs = await tx.row(tn, key);
    const base = ch.base;
    const mine = ch.mine;

    if (mine === null) {
      // Deleted offline.
      if (!theirs) continue;
      const changedByTeam = base ? Object.keys(theirs).some((k) => !BOOKKEEPING.has(k) && !same(theirs[k], base[k])) : true;
      if (changedByTeam && t !== 'position') {
        const take = await conflict(t, any, '*', null, null, 1);
        if (take !== 'mine') continue;
      } else if (changedByTeam) continue;
      await deleteRow(tx, t, theirs);
      applied++;
      continue;
    }

    if (!theirs) {
      // A row whose person (or member) the team deleted meanwhile cannot be kept: shown, never written.
      if (!(await parentsExist(tx, t, mine))) {
        const c = await conflict(t, mine, '*', null, 1, null);
        if (c) keptTheirs.push(...(c === 'mine' ? [{ ...(await describe(tx, t, mine, '*')), mine: 1 }] : []));
        continue;
      }
      if (base) {
        // Changed offline, deleted by the team.
        if (t === 'position') continue;
        const take = await conflict(t, mine, '*', null, 1, null);
        if (take !== 'mine') continue;
      }
      await tx.put(tn, mine);
      if (t === 'relation') relationsTouched.add(String(mine.id));
      applied++;
      continue;
    }

    // Changed offline (or made on both sides): field by field.
    const patch: Row = {};
    const decidedFacts = new Map<string, 'mine' | 'theirs'>();
    const fields = Object.keys(mine).filter((f) => !TABLES[tn].key.includes(f as never) && !BOOKKEEPING.has(f) && !(f in EVIDENCE_OF));
    for (const f of fields) {
      const b = base ? base[f] ?? null : null;
      const m = mine[f] ?? null;
      const th = theirs[f] ?? null;
      if (base && same(m, b)) continue; // not mine to change
      if (same(m, th)) continue; // the team has it already
      if (base && same(th, b)) {
        patch[f] = m;
        decidedFacts.set(f, 'mine');
        continue;
      }
      if (t === 'position') continue; // the team moved it too: theirs
      const take = await conflict(t, mine, f, b, m, th);
      if (take === 'mine') patch[f] = m;
      if (take) decidedFacts.set(f, take);
    }
    for (const f of Object.keys(mine).filter((c) => c in EVIDENCE_OF)) {
      const m = mine[f] ?? null;
      const th = theirs[f] ?? null;
      const b = base ? base[f] ?? null : null;
      if (same(m, th) || (base && same(m, b))) continue;
      const fact = EVIDENCE_OF[f]!;
      const followed = fact ? decidedFacts.get(fact) : undefined;
      if (followed === 'mine' || (followed === undefined && ((base && same(th, b)) || stampTime(m) > stampTime(th)))) patch[f] = m;
    }
    if (Object.keys(patch).length) {
      for (const f of Object.keys(mine)) if (BOOKKEEPING.has(f) && f !== 'created_at' && !same(mine[f], theirs[f])) patch[f] = mine[f] ?? null;
      await tx.put(tn, { ...key, ...patch });
      if (t === 'relation') relationsTouched.add(String(key.id));
      applied++;
    }
  }
  if (open.length === 0)
    for (const id of relationsTouched) {
      const r = await tx.row('relation', { id });
      if (r) await checkRelation(tx, rowToRelation(r), id);
    }
  return { open, keptTheirs, applied };
}

/** Whether the people and members a row refers to are on the map. */
async function parentsExist(src: RowSource, t: SyncTable, row: BundleRow): Promise<boolean> {
  const has = async (table: 'person' | 'member', id: BundleCell | undefined) => id === undefined || id === null || !!(await src.row(table, { id }));
  switch (t) {
    case 'relation':
      return (await has('person', row.source)) && (await has('person', row.target));
    case 'coverage':
      return (await has('member', row.member_id)) && (await has('person', row.person_id));
    case 'interaction':
    case 'trip':
    case 'profile':
      return has('person', row.person_id);
    default:
      return true;
  }
}

async function describe(src: RowSource, t: SyncTable, row: BundleRow, field: string): Promise<SyncConflict> {
  return { id: conflictId(t, row, field), t, key: keyOf(t as TableName, row), label: await rowLabel(src, t, row), field, base: null, mine: 1, theirs: null, theirsBy: null };
}

async function deleteRow(tx: EditTx, t: SyncTable, row: BundleRow): Promise<void> {
  if (t === 'person') return deletePersonRows(tx, String(row.id));
  if (t === 'member') return deleteMemberRows(tx, String(row.id));
  await tx.del(t as TableName, keyOf(t as TableName, row));
}
