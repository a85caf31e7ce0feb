/**
 * Snapshots: the whole map (meta, people, relations, our team, coverage and layout positions —
 * not the personal profiles, the interaction log or trips) saved under a name and date in the
 * map file, one row each, its body compact compressed columns (./codec.ts). Listing reads only
 * the small columns; a body is decompressed when a snapshot is opened, compared or restored.
 *
 * Restore goes through the store's edit(), so it is ONE undoable step; only the rows that
 * differ are written, so the undo log holds what restore changed and never a snapshot body.
 */
import { ApiError } from '../../shared/api/errors';
import type { Comparison } from '../../shared/api/time';
import { LAYOUTS, isSymmetricKind, type Change, type LayoutName, type Person, type Position, type Relation } from '../../shared/domain';
import { compareMaps } from '../../shared/time/compare';
import type { DiffSide, MapContent, SnapshotContent, SnapshotDocument, SnapshotInfo, SnapshotRef } from '../../shared/time/types';
import { coverageToRow, memberToRow, metaToRow, personToRow, relationToRow, rowToPersonEvidence, PERSON_OWNED, type Row } from '../../storage/rows';
import type { EraseTx, MapStore, SnapshotRecord } from '../../storage/types';
import { coverage, documentOf, metaRow, relations, team } from '../map/read';
import { newId } from '../map/rules';
import { CODEC, displayName, encodeSnapshot } from './codec';
import { openStoredSnapshot, unpackStoredSnapshot } from './validate';

const toInfo = (r: SnapshotRecord): SnapshotInfo => ({
  id: r.id,
  // Shown in lists and messages: cut and cleaned like every name from a file (./codec.ts).
  name: displayName(r.name),
  takenAt: r.takenAt,
  rev: r.rev,
  people: r.people,
  relations: r.relations,
  team: r.team,
  coverage: r.coverage,
  bytes: r.bytes,
  rawBytes: r.rawBytes,
});

// ---------------------------------------------------------------------------------------------
// Reading the open map
// ---------------------------------------------------------------------------------------------

/** The open map as a snapshot holds it (read in one transaction). */
export async function currentContent(store: MapStore): Promise<SnapshotContent & { rev: number }> {
  const doc = await documentOf(store);
  const positions: Partial<Record<LayoutName, Position[]>> = {};
  for (const l of LAYOUTS) if (doc.positions[l].length) positions[l] = doc.positions[l];
  return { meta: doc.meta, people: doc.people, relations: doc.relations, team: doc.team, coverage: doc.coverage, positions, rev: doc.rev };
}

// ---------------------------------------------------------------------------------------------
// Save, list, open, rename, delete
// ---------------------------------------------------------------------------------------------

export async function createSnapshot(store: MapStore, name: string, takenAt: Date = new Date()): Promise<SnapshotInfo> {
  const { rev, ...content } = await currentContent(store);
  const { body, rawBytes } = encodeSnapshot(content);
  const id = newId('s_');
  await store.snapshots.add({
    id,
    name,
    takenAt: takenAt.toISOString(),
    rev,
    codec: CODEC,
    people: content.people.length,
    relations: content.relations.length,
    team: content.team.length,
    coverage: content.coverage.length,
    rawBytes,
    body,
  });
  return snapshotInfo(store, id);
}

/** Every snapshot, newest first. */
export async function listSnapshots(store: MapStore): Promise<SnapshotInfo[]> {
  return (await store.snapshots.list()).map(toInfo);
}

async function snapshotInfo(store: MapStore, id: string): Promise<SnapshotInfo> {
  const r = await store.snapshots.info(id);
  if (!r) throw new ApiError('NOT_FOUND', `No snapshot with id ${id}`, { id });
  return toInfo(r);
}

/**
 * The snapshots `idOrName` names: the one with that id, else those with that name (exact, then
 * ignoring case). More than one means the name is ambiguous; none, that there is no such snapshot.
 */
export async function matchSnapshots(store: MapStore, idOrName: string): Promise<SnapshotInfo[]> {
  const all = await listSnapshots(store);
  const byId = all.find((s) => s.id === idOrName);
  if (byId) return [byId];
  const exact = all.filter((s) => s.name === idOrName);
  if (exact.length) return exact;
  const folded = idOrName.trim().toLowerCase();
  return all.filter((s) => s.name.toLowerCase() === folded);
}

export async function readSnapshot(store: MapStore, id: string): Promise<SnapshotContent> {
  const r = await store.snapshots.body(id);
  if (!r) throw new ApiError('NOT_FOUND', `No snapshot with id ${id}`, { id });
  return openStoredSnapshot(r, await store.byteSize());
}

/** A snapshot as a read-only MapDocument; the open map is not touched. */
export async function snapshotDocument(store: MapStore, id: string): Promise<SnapshotDocument> {
  const info = await snapshotInfo(store, id);
  const c = await readSnapshot(store, id);
  return {
    path: store.location.path,
    fileVersion: store.location.version,
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

export async function renameSnapshot(store: MapStore, id: string, name: string): Promise<SnapshotInfo> {
  if (!(await store.snapshots.rename(id, name))) throw new ApiError('NOT_FOUND', `No snapshot with id ${id}`, { id });
  return snapshotInfo(store, id);
}

/** Deletes a snapshot; its bytes are overwritten (file) or removed (team). Not undoable. */
export async function deleteSnapshot(store: MapStore, id: string): Promise<void> {
  if (!(await store.snapshots.remove(id))) throw new ApiError('NOT_FOUND', `No snapshot with id ${id}`, { id });
}

/**
 * Inside an erasure: removes one person from every snapshot (their row, relations, coverage and
 * positions). Returns how many snapshots held them.
 */
export async function purgePersonFromSnapshots(tx: EraseTx, personId: string, mapBytes: number): Promise<number> {
  let n = 0;
  for (const r of await tx.snapshotBodies()) {
    let c: SnapshotContent;
    try {
      c = unpackStoredSnapshot(r, mapBytes);
    } catch (e) {
      // One PowerMap cannot open (damaged, too large) can neither be checked for the person nor ever be shown: it goes.
      if (!(e instanceof ApiError) || e.code !== 'CORRUPT') throw e;
      await tx.deleteSnapshot(r.id);
      n++;
      continue;
    }
    if (!c.people.some((p) => p.id === personId)) continue;
    const next: SnapshotContent = {
      ...c,
      people: c.people.filter((p) => p.id !== personId),
      relations: c.relations.filter((x) => x.source !== personId && x.target !== personId),
      coverage: c.coverage.filter((x) => x.personId !== personId),
      positions: Object.fromEntries(Object.entries(c.positions).map(([l, ps]) => [l, (ps ?? []).filter((p) => p.id !== personId)])),
    };
    const { body, rawBytes } = encodeSnapshot(next);
    await tx.rewriteSnapshot(r.id, body, { rawBytes, people: next.people.length, relations: next.relations.length, coverage: next.coverage.length });
    n++;
  }
  return n;
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
  isSymmetricKind(r.kind)
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
export async function restoreSnapshot(store: MapStore, id: string): Promise<Change> {
  const info = await snapshotInfo(store, id);
  const snap = await readSnapshot(store, id);
  const stamp = new Date().toISOString();
  return store.edit({ key: 'snapshot.restore', params: { name: info.name } }, async (w) => {
    const curPeople = new Map((await w.rows('person')).map((r) => [String(r.id), r]));
    const curRelations = await relations(w);
    const curTeam = new Map((await team(w)).map((m) => [m.id, m]));
    const curCoverage = new Map((await coverage(w)).map((c) => [`${c.memberId}\u0000${c.personId}`, c]));
    const logMax = new Map<string, string>();
    for (const r of await w.rows('interaction')) {
      const pid = String(r.person_id);
      const d = String(r.date);
      if (!logMax.has(pid) || d > logMax.get(pid)!) logMax.set(pid, d);
    }

    const tgtPeople = new Map(snap.people.map((p) => [p.id, p]));
    // Snapshots keep relations without ids: a relation is matched by what it connects.
    const tgtRelations = new Map(snap.relations.map((r) => [relationKey(r), r]));
    const tgtTeam = new Map(snap.team.map((m) => [m.id, m]));
    const tgtCoverage = new Map(snap.coverage.map((c) => [`${c.memberId}\u0000${c.personId}`, c]));

    // 1. Deletes, children before parents (foreign keys are checked per statement).
    for (const [k, c] of curCoverage) if (!tgtCoverage.has(k)) await w.del('coverage', { member_id: c.memberId, person_id: c.personId });
    const keep = new Map<string, Relation>();
    for (const r of curRelations) {
      const k = relationKey(r);
      if (tgtRelations.has(k) && !keep.has(k)) keep.set(k, r);
      else await w.del('relation', { id: r.id });
    }
    for (const pid of curPeople.keys()) {
      if (tgtPeople.has(pid)) continue;
      for (const { table, column } of PERSON_OWNED) for (const row of await w.rows(table, { [column]: pid })) await w.del(table, row);
      await w.del('profile', { person_id: pid });
      await w.del('person', { id: pid });
    }
    for (const mid of curTeam.keys()) if (!tgtTeam.has(mid)) await w.del('member', { id: mid });

    // 2. Writes, parents before children; only what differs.
    const mRow = await metaRow(w);
    const wantMeta = metaToRow(snap.meta, String(mRow.created_at));
    if (!sameRow(mRow, wantMeta)) await w.put('map_meta', wantMeta);
    for (const p of snap.people) {
      const cur = curPeople.get(p.id);
      const fromLog = logMax.get(p.id) ?? null;
      const lastContact = fromLog !== null && (p.lastContact === null || fromLog > p.lastContact) ? fromLog : p.lastContact;
      // A snapshot from before evidence (issue 20) leaves the current evidence as it is.
      const target: Person = { ...p, lastContact, evidence: p.evidence ?? (cur ? rowToPersonEvidence(cur) : undefined) };
      if (!cur) await w.put('person', personToRow(target, stamp, stamp));
      else {
        const want = personToRow(target, String(cur.created_at), String(cur.updated_at));
        if (!sameRow(cur, want)) await w.put('person', { ...want, updated_at: stamp });
      }
    }
    for (const m of snap.team) {
      const cur = curTeam.get(m.id);
      if (!cur || cur.name !== m.name || cur.role !== m.role) await w.put('member', memberToRow(m));
    }
    for (const [k, t] of tgtRelations) {
      const cur = keep.get(k);
      if (!cur) await w.put('relation', relationToRow({ ...t, id: newId('r_') }));
      else if (cur.strength !== t.strength || cur.note !== t.note || (t.evidence && JSON.stringify(t.evidence) !== JSON.stringify(cur.evidence)))
        await w.put('relation', relationToRow({ ...cur, strength: t.strength, note: t.note, evidence: t.evidence ?? cur.evidence }));
    }
    for (const [k, c] of tgtCoverage) {
      const cur = curCoverage.get(k);
      if (!cur || cur.strength !== c.strength) await w.put('coverage', coverageToRow(c));
    }

    // 3. Positions (layout state, not undoable): nodes that come back get their old place.
    for (const l of LAYOUTS)
      await w.putPositions(
        l,
        (snap.positions[l] ?? []).filter((p) => tgtPeople.has(p.id) || tgtTeam.has(p.id)),
        'keep',
      );
  });
}

// ---------------------------------------------------------------------------------------------
// Compare
// ---------------------------------------------------------------------------------------------

/** One side of a comparison: its content and how the result names it. */
async function sideOf(store: MapStore, ref: SnapshotRef): Promise<{ content: MapContent; side: DiffSide }> {
  if (ref === 'now') return { content: await currentContent(store), side: { ref, name: '', takenAt: null } };
  const info = await snapshotInfo(store, ref);
  return { content: await readSnapshot(store, ref), side: { ref, name: info.name, takenAt: info.takenAt } };
}

/** What changed from `a` to `b` in the open map. */
export async function compareRefs(store: MapStore, a: SnapshotRef, b: SnapshotRef): Promise<Comparison> {
  const x = await sideOf(store, a);
  const y = a === b ? x : await sideOf(store, b);
  return { from: x.side, to: y.side, ...compareMaps(x.content, y.content) };
}
