/**
 * Snapshots: the whole map (meta, people, relations, our team, coverage and layout positions —
 * not the personal profiles, the interaction log or trips) saved under a name and date in the
 * map file, one row each, its body compact compressed columns (./codec.ts). Listing reads only
 * the small columns; a body is decompressed when a snapshot is opened, compared or restored.
 *
 * Restore goes through MapStore.edit's Writer, so it is ONE undoable step; only the rows that
 * differ are written, so the undo log holds what restore changed and never a snapshot body.
 */
import { ApiError } from '../../../shared/api/errors';
import type { Comparison } from '../../../shared/api/time';
import { LAYOUTS, type Change, type LayoutName, type Person, type Position, type Relation } from '../../../shared/domain';
import { compareMaps } from '../../../shared/time/compare';
import type { DiffSide, MapContent, SnapshotContent, SnapshotDocument, SnapshotInfo, SnapshotRef } from '../../../shared/time/types';
import { newId, type MapStore } from '../store/map-store';
import { CODEC, decodeSnapshot, encodeSnapshot } from './codec';
import { coverageToRow, memberToRow, metaToRow, personToRow, relationToRow, PERSON_OWNED, type Row } from '../store/rows';

interface SnapshotRow {
  id: string;
  name: string;
  taken_at: string;
  rev: number;
  codec: string;
  people: number;
  relations: number;
  team: number;
  coverage: number;
  raw_bytes: number;
  bytes: number;
}
const INFO_COLUMNS = 'id, name, taken_at, rev, codec, people, relations, team, coverage, raw_bytes, length(body) AS bytes';

const toInfo = (r: SnapshotRow): SnapshotInfo => ({
  id: r.id,
  name: r.name,
  takenAt: r.taken_at,
  rev: r.rev,
  people: r.people,
  relations: r.relations,
  team: r.team,
  coverage: r.coverage,
  bytes: r.bytes,
  rawBytes: r.raw_bytes,
});

function requireOpen(store: MapStore): void {
  if (!store.isOpen) throw new ApiError('NO_MAP_OPEN', 'The map is closed');
}

/** Turns SQLite failures of snapshot writes into typed errors. */
function guard<T>(store: MapStore, fn: () => T): T {
  requireOpen(store);
  try {
    return fn();
  } catch (e) {
    if (e instanceof ApiError) throw e;
    const code = String((e as { code?: string })?.code ?? '');
    if (code === 'SQLITE_FULL' || code.startsWith('SQLITE_IOERR')) throw new ApiError('IO', `Could not write the snapshot: ${(e as Error).message}`);
    if (code.startsWith('SQLITE_READONLY')) throw new ApiError('READ_ONLY', 'The map file cannot be written');
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------
// Reading the open map
// ---------------------------------------------------------------------------------------------

/** The open map as a snapshot holds it (read in one transaction). */
export function currentContent(store: MapStore): SnapshotContent {
  requireOpen(store);
  const doc = store.document();
  const positions: Partial<Record<LayoutName, Position[]>> = {};
  for (const l of LAYOUTS) if (doc.positions[l].length) positions[l] = doc.positions[l];
  return { meta: doc.meta, people: doc.people, relations: doc.relations, team: doc.team, coverage: doc.coverage, positions };
}

// ---------------------------------------------------------------------------------------------
// Save, list, open, rename, delete
// ---------------------------------------------------------------------------------------------

export function createSnapshot(store: MapStore, name: string, takenAt: Date = new Date()): SnapshotInfo {
  return guard(store, () => {
    const content = currentContent(store);
    const { body, rawBytes } = encodeSnapshot(content);
    const id = newId('s_');
    store.db
      .prepare(
        `INSERT INTO snapshot (id, name, taken_at, rev, codec, people, relations, team, coverage, raw_bytes, body)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(id, name, takenAt.toISOString(), store.rev(), CODEC, content.people.length, content.relations.length, content.team.length, content.coverage.length, rawBytes, body);
    return snapshotInfo(store, id);
  });
}

/** Every snapshot, newest first. */
export function listSnapshots(store: MapStore): SnapshotInfo[] {
  requireOpen(store);
  return (store.db.prepare(`SELECT ${INFO_COLUMNS} FROM snapshot ORDER BY taken_at DESC, rowid DESC`).all() as SnapshotRow[]).map(toInfo);
}

export function snapshotInfo(store: MapStore, id: string): SnapshotInfo {
  requireOpen(store);
  const r = store.db.prepare(`SELECT ${INFO_COLUMNS} FROM snapshot WHERE id = ?`).get(id) as SnapshotRow | undefined;
  if (!r) throw new ApiError('NOT_FOUND', `No snapshot with id ${id}`, { id });
  return toInfo(r);
}

/**
 * The snapshots `idOrName` names: the one with that id, else those with that name (exact, then
 * ignoring case). More than one means the name is ambiguous; none, that there is no such snapshot.
 */
export function matchSnapshots(store: MapStore, idOrName: string): SnapshotInfo[] {
  const all = listSnapshots(store);
  const byId = all.find((s) => s.id === idOrName);
  if (byId) return [byId];
  const exact = all.filter((s) => s.name === idOrName);
  if (exact.length) return exact;
  const folded = idOrName.trim().toLowerCase();
  return all.filter((s) => s.name.toLowerCase() === folded);
}

export function readSnapshot(store: MapStore, id: string): SnapshotContent {
  requireOpen(store);
  const r = store.db.prepare('SELECT name, codec, body FROM snapshot WHERE id = ?').get(id) as { name: string; codec: string; body: Buffer } | undefined;
  if (!r) throw new ApiError('NOT_FOUND', `No snapshot with id ${id}`, { id });
  return decodeSnapshot(r.codec, r.body, r.name);
}

/** A snapshot as a read-only MapDocument; the open map is not touched. */
export function snapshotDocument(store: MapStore, id: string): SnapshotDocument {
  const info = snapshotInfo(store, id);
  const c = readSnapshot(store, id);
  return {
    path: store.file,
    fileVersion: store.fileVersion,
    rev: info.rev,
    meta: c.meta,
    people: c.people,
    relations: c.relations,
    team: c.team,
    coverage: c.coverage,
    positions: Object.fromEntries(LAYOUTS.map((l) => [l, c.positions[l] ?? []])) as Record<LayoutName, Position[]>,
    history: { canUndo: false, canRedo: false, undoLabel: null, redoLabel: null },
    readOnly: true,
    snapshot: info,
  };
}

export function renameSnapshot(store: MapStore, id: string, name: string): SnapshotInfo {
  return guard(store, () => {
    if (store.db.prepare('UPDATE snapshot SET name = ? WHERE id = ?').run(name, id).changes === 0)
      throw new ApiError('NOT_FOUND', `No snapshot with id ${id}`, { id });
    return snapshotInfo(store, id);
  });
}

/** Deletes a snapshot; with secure_delete on, its bytes are overwritten. Not undoable. */
export function deleteSnapshot(store: MapStore, id: string): void {
  guard(store, () => {
    if (store.db.prepare('DELETE FROM snapshot WHERE id = ?').run(id).changes === 0)
      throw new ApiError('NOT_FOUND', `No snapshot with id ${id}`, { id });
  });
}

/**
 * Removes one person from every snapshot (their row, relations, coverage and positions), for
 * erasing a person completely (privacy). Returns how many snapshots held them.
 */
export function purgePersonFromSnapshots(store: MapStore, personId: string): number {
  return guard(store, () => {
    const rows = store.db.prepare('SELECT id, name, codec, body FROM snapshot').all() as { id: string; name: string; codec: string; body: Buffer }[];
    const update = store.db.prepare('UPDATE snapshot SET body = ?, raw_bytes = ?, people = ?, relations = ?, coverage = ? WHERE id = ?');
    let n = 0;
    store.db.transaction(() => {
      for (const r of rows) {
        const c = decodeSnapshot(r.codec, r.body, r.name);
        if (!c.people.some((p) => p.id === personId)) continue;
        const next: SnapshotContent = {
          ...c,
          people: c.people.filter((p) => p.id !== personId),
          relations: c.relations.filter((x) => x.source !== personId && x.target !== personId),
          coverage: c.coverage.filter((x) => x.personId !== personId),
          positions: Object.fromEntries(Object.entries(c.positions).map(([l, ps]) => [l, (ps ?? []).filter((p) => p.id !== personId)])),
        };
        const { body, rawBytes } = encodeSnapshot(next);
        update.run(body, rawBytes, next.people.length, next.relations.length, next.coverage.length, r.id);
        n++;
      }
    }).immediate();
    return n;
  });
}

// ---------------------------------------------------------------------------------------------
// Restore
// ---------------------------------------------------------------------------------------------

const sameRow = (a: Row, b: Row, skip: readonly string[] = []): boolean => {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) if (!skip.includes(k) && (a[k] ?? null) !== (b[k] ?? null)) return false;
  return true;
};
/** What a relation connects: reports-to and influence have a direction, alliance and conflict none. */
const relationKey = (r: Relation): string =>
  r.kind === 'alliance' || r.kind === 'conflict'
    ? `${r.kind}\u0000${r.source < r.target ? r.source : r.target}\u0000${r.source < r.target ? r.target : r.source}`
    : `${r.kind}\u0000${r.source}\u0000${r.target}`;

/**
 * Makes the open map what the snapshot holds, as one undoable edit. People, relations, team and
 * coverage not in the snapshot are deleted (with the log entries, trips and profiles of deleted
 * people); those in it are written back when they differ. Kept as they are: the profiles,
 * interaction log and trips of people in both, and each person's last contact where the log
 * has a newer one than the snapshot. Layout positions of nodes that come back are restored when
 * the node has none now.
 */
export function restoreSnapshot(store: MapStore, id: string): Change {
  const info = snapshotInfo(store, id);
  const snap = readSnapshot(store, id);
  const db = store.db;
  const stamp = new Date().toISOString();
  return store.edit({ key: 'snapshot.restore', params: { name: info.name } }, (w) => {
    const curPeople = new Map((db.prepare('SELECT * FROM person').all() as Row[]).map((r) => [String(r.id), r]));
    const curRelations = store.relations();
    const curTeam = new Map(store.team().map((m) => [m.id, m]));
    const curCoverage = new Map(store.coverage().map((c) => [`${c.memberId}\u0000${c.personId}`, c]));
    const logMax = new Map(
      (db.prepare('SELECT person_id, max(date) AS d FROM interaction GROUP BY person_id').all() as { person_id: string; d: string }[]).map((r) => [r.person_id, r.d]),
    );

    const tgtPeople = new Map(snap.people.map((p) => [p.id, p]));
    // Snapshots keep relations without ids: a relation is matched by what it connects.
    const tgtRelations = new Map(snap.relations.map((r) => [relationKey(r), r]));
    const tgtTeam = new Map(snap.team.map((m) => [m.id, m]));
    const tgtCoverage = new Map(snap.coverage.map((c) => [`${c.memberId}\u0000${c.personId}`, c]));

    // 1. Deletes, children before parents (foreign keys are checked per statement).
    for (const [k, c] of curCoverage) {
      const t = tgtCoverage.get(k);
      if (!t) w.del('coverage', { member_id: c.memberId, person_id: c.personId });
    }
    const keep = new Map<string, Relation>();
    for (const r of curRelations) {
      const k = relationKey(r);
      if (tgtRelations.has(k) && !keep.has(k)) keep.set(k, r);
      else w.del('relation', { id: r.id });
    }
    for (const pid of curPeople.keys()) {
      if (tgtPeople.has(pid)) continue;
      for (const { table, column } of PERSON_OWNED)
        for (const row of db.prepare(`SELECT id FROM ${table} WHERE ${column} = ?`).all(pid) as { id: string }[]) w.del(table, { id: row.id });
      w.del('profile', { person_id: pid });
      w.del('person', { id: pid });
    }
    for (const mid of curTeam.keys()) if (!tgtTeam.has(mid)) w.del('member', { id: mid });

    // 2. Writes, parents before children; only what differs.
    const metaRow = db.prepare('SELECT * FROM map_meta WHERE id = 1').get() as Row;
    const wantMeta = metaToRow(snap.meta, String(metaRow.created_at));
    if (!sameRow(metaRow, wantMeta)) w.put('map_meta', wantMeta);
    for (const p of snap.people) {
      const cur = curPeople.get(p.id);
      const fromLog = logMax.get(p.id) ?? null;
      const lastContact = fromLog !== null && (p.lastContact === null || fromLog > p.lastContact) ? fromLog : p.lastContact;
      const target: Person = { ...p, lastContact };
      if (!cur) w.put('person', personToRow(target, stamp, stamp));
      else {
        const want = personToRow(target, String(cur.created_at), String(cur.updated_at));
        if (!sameRow(cur, want)) w.put('person', { ...want, updated_at: stamp });
      }
    }
    for (const m of snap.team) {
      const cur = curTeam.get(m.id);
      if (!cur || cur.name !== m.name || cur.role !== m.role) w.put('member', memberToRow(m));
    }
    for (const [k, t] of tgtRelations) {
      const cur = keep.get(k);
      if (!cur) w.put('relation', relationToRow({ ...t, id: newId('r_') }));
      else if (cur.strength !== t.strength || cur.note !== t.note) w.put('relation', relationToRow({ ...cur, strength: t.strength, note: t.note }));
    }
    for (const [k, c] of tgtCoverage) {
      const cur = curCoverage.get(k);
      if (!cur || cur.strength !== c.strength) w.put('coverage', coverageToRow(c));
    }

    // 3. Positions (layout state, not undoable): nodes that come back get their old place.
    const put = db.prepare('INSERT INTO position (layout, node_id, x, y, pinned) VALUES (?, ?, ?, ?, ?) ON CONFLICT (layout, node_id) DO NOTHING');
    for (const l of LAYOUTS)
      for (const p of snap.positions[l] ?? []) if (tgtPeople.has(p.id) || tgtTeam.has(p.id)) put.run(l, p.id, p.x, p.y, p.pinned ? 1 : 0);
  });
}

// ---------------------------------------------------------------------------------------------
// Compare
// ---------------------------------------------------------------------------------------------

/** One side of a comparison: its content and how the result names it. */
export function sideOf(store: MapStore, ref: SnapshotRef): { content: MapContent; side: DiffSide } {
  if (ref === 'now') return { content: currentContent(store), side: { ref, name: '', takenAt: null } };
  const info = snapshotInfo(store, ref);
  return { content: readSnapshot(store, ref), side: { ref, name: info.name, takenAt: info.takenAt } };
}

/** What changed from `a` to `b` in the open map's file. */
export function compareRefs(store: MapStore, a: SnapshotRef, b: SnapshotRef): Comparison {
  const x = sideOf(store, a);
  const y = a === b ? x : sideOf(store, b);
  return { from: x.side, to: y.side, ...compareMaps(x.content, y.content) };
}
