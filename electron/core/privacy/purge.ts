/**
 * Erasing a person, and removing the personal details of a whole map (docs/TRUST.md, "Private").
 *
 * Deleting a person is an ordinary undoable edit: the undo log keeps their row images so the
 * delete can be undone. Purging is the GDPR/PIPL erasure: it removes the person's rows and every
 * trace the map file keeps of them — the undo log's images of them (steps that touched only them
 * are dropped; the others lose those images and have the name taken out of their label), their
 * copies in snapshots, and the old page images in the -wal file. secure_delete (set on every
 * connection) zeroes freed content; a TRUNCATE checkpoint then empties the -wal file. Not
 * undoable, by design.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ApiError } from '../../../shared/api/errors';
import type { Mention, PurgeResult, StripResult } from '../../../shared/api/privacy';
import type { Change } from '../../../shared/domain';
import { ERASED } from '../../../shared/i18n/history';
import { moveIntoPlace, checkTargets, asideName } from '../exchange/files';
import { MapStore } from '../store/map-store';
import { PERSON_OWNED, type Row, type TableName } from '../store/rows';
import { purgePersonFromSnapshots, readSnapshot, listSnapshots } from '../time/snapshots';

/** One row change as the undo log stores it (map-store.ts). */
interface RowChange {
  t: TableName;
  b: Row | null;
  a: Row | null;
}

const hasTable = (store: MapStore, t: string) =>
  !!store.db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?").get(t);

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

/**
 * Rewrites the undo log without the row images `drop` picks: a step left with none is deleted,
 * the others are rewritten (their labels with every one of `names` taken out).
 */
function scrubUndoLog(store: MapStore, drop: (c: RowChange) => boolean, names: string[]): { steps: number; images: number } {
  const db = store.db;
  const entries = db.prepare('SELECT seq, label, changes FROM undo_log ORDER BY seq').all() as { seq: number; label: string; changes: string }[];
  const del = db.prepare('DELETE FROM undo_log WHERE seq = ?');
  const upd = db.prepare('UPDATE undo_log SET label = ?, changes = ? WHERE seq = ?');
  let steps = 0;
  let images = 0;
  for (const e of entries) {
    const list = JSON.parse(e.changes) as RowChange[];
    const kept = list.filter((c) => !drop(c));
    // Labels are JSON (shared/i18n/history.ts): a name is there as JSON writes it, too.
    const label = names.reduce(
      (l, n) => (n ? l.split(n).join(ERASED).split(JSON.stringify(n).slice(1, -1)).join(ERASED) : l),
      e.label,
    );
    if (kept.length === 0) {
      del.run(e.seq);
      steps++;
    } else if (kept.length !== list.length || label !== e.label) {
      upd.run(label, JSON.stringify(kept), e.seq);
      images += list.length - kept.length;
    }
  }
  return { steps, images };
}

/** Copies made before a schema upgrade (`<map>.v<N>.bak`, see MapStore.open). */
export function backupsOf(file: string): string[] {
  const dir = path.dirname(file);
  const base = path.basename(file);
  try {
    return fs
      .readdirSync(dir)
      .filter((f) => f.startsWith(`${base}.v`) && /\.v\d+\.bak$/.test(f))
      .map((f) => path.join(dir, f));
  } catch {
    return [];
  }
}

/** Empties the -wal file, so no page written before (with the erased content) is left in it. */
function truncateWal(store: MapStore): void {
  const r = store.db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number; log: number; checkpointed: number }[];
  if (r[0]?.busy) throw new ApiError('IO', 'The map could not be written back in full; close other programs using it and try again');
}

/** Where free text still names the person, once their own records are gone. */
function findMentions(store: MapStore, names: string[]): Mention[] {
  const db = store.db;
  const out: Mention[] = [];
  const needles = [...new Set(names.filter((n) => n.trim().length >= 2))];
  if (!needles.length) return out;
  const hit = (s: unknown) => typeof s === 'string' && needles.some((n) => s.includes(n));
  const scan = (where: Mention['where'], table: string, key: string, cols: string[]) => {
    if (!hasTable(store, table)) return;
    for (const r of db.prepare(`SELECT ${key} AS k, ${cols.join(', ')} FROM ${table}`).all() as Record<string, unknown>[])
      for (const c of cols) if (hit(r[c])) out.push({ where, id: String(r.k), field: c });
  };
  scan('person', 'person', 'id', ['name', 'title', 'department', 'favours', 'notes']);
  scan('person', 'profile', 'person_id', ['data']);
  scan('relation', 'relation', 'id', ['note']);
  scan('member', 'member', 'id', ['name', 'role']);
  scan('map', 'map_meta', 'id', ['account', 'deal', 'notes', 'competitors', 'budget', 'timeline']);
  scan('interaction', 'interaction', 'id', ['notes']);
  scan('trip', 'trip', 'id', ['place', 'note']);
  scan('undo', 'undo_log', 'seq', ['label', 'changes']);
  if (hasTable(store, 'snapshot')) {
    for (const s of listSnapshots(store)) {
      if (hit(s.name)) out.push({ where: 'snapshot', id: s.id, field: 'name' });
      if (hit(JSON.stringify(readSnapshot(store, s.id)))) out.push({ where: 'snapshot', id: s.id, field: 'content' });
    }
  }
  return out;
}

function changeAfter(store: MapStore, deleted?: Change['deleted']): Change {
  const c: Change = { rev: store.rev(), history: store.history() };
  if (deleted) c.deleted = deleted;
  return c;
}

/** Erases person `id` from the open map (see the file comment). */
export function purgePerson(store: MapStore, id: string): PurgeResult {
  if (!store.isOpen) throw new ApiError('NO_MAP_OPEN', 'No map is open');
  const db = store.db;
  const row = db.prepare('SELECT * FROM person WHERE id = ?').get(id) as Row | undefined;
  if (!row) throw new ApiError('NOT_FOUND', `No person with id ${id}`, { id });
  const name = String(row.name);

  const removed: PurgeResult['removed'] = { relations: 0, coverage: 0, profile: false, owned: 0, positions: 0, undoSteps: 0, undoImages: 0, snapshots: 0 };
  const deletedRelations: string[] = [];
  const deletedCoverage: { memberId: string; personId: string }[] = [];
  const names = new Set<string>([name]);

  db.transaction(() => {
    // Every name the person had: the undo log may hold older ones.
    for (const e of db.prepare('SELECT changes FROM undo_log').pluck().all() as string[])
      for (const c of JSON.parse(e) as RowChange[])
        if (c.t === 'person') for (const img of [c.b, c.a]) if (img?.id === id && typeof img.name === 'string') names.add(img.name);

    for (const r of db.prepare('SELECT id FROM relation WHERE source = ? OR target = ?').pluck().all(id, id) as string[]) deletedRelations.push(r);
    removed.relations = db.prepare('DELETE FROM relation WHERE source = ? OR target = ?').run(id, id).changes;
    for (const m of db.prepare('SELECT member_id FROM coverage WHERE person_id = ?').pluck().all(id) as string[])
      deletedCoverage.push({ memberId: m, personId: id });
    removed.coverage = db.prepare('DELETE FROM coverage WHERE person_id = ?').run(id).changes;
    for (const o of PERSON_OWNED)
      if (hasTable(store, o.table)) removed.owned += db.prepare(`DELETE FROM ${o.table} WHERE ${o.column} = ?`).run(id).changes;
    removed.profile = db.prepare('DELETE FROM profile WHERE person_id = ?').run(id).changes > 0;
    removed.positions = db.prepare('DELETE FROM position WHERE node_id = ?').run(id).changes;
    db.prepare('DELETE FROM person WHERE id = ?').run(id);

    const u = scrubUndoLog(store, (c) => touchesPerson(c, id), [...names]);
    removed.undoSteps = u.steps;
    removed.undoImages = u.images;
    if (hasTable(store, 'snapshot')) removed.snapshots = purgePersonFromSnapshots(store, id);
    db.prepare('UPDATE doc_state SET rev = rev + 1 WHERE id = 1').run();
  }).immediate();
  truncateWal(store);

  const deleted: NonNullable<Change['deleted']> = { people: [id] };
  if (deletedRelations.length) deleted.relations = deletedRelations;
  if (deletedCoverage.length) deleted.coverage = deletedCoverage;
  return {
    person: { id, name },
    removed,
    mentions: findMentions(store, [...names]),
    backups: backupsOf(store.file),
    change: changeAfter(store, deleted),
  };
}

/** Removes every profile (and, unless kept, every trip) from a map, its undo log and -wal file. */
function stripInPlace(store: MapStore, keepItineraries: boolean): Omit<StripResult, 'path' | 'backups' | 'change'> {
  const db = store.db;
  const trips = !keepItineraries && hasTable(store, 'trip');
  const out = { profiles: 0, trips: 0, undoSteps: 0, undoImages: 0 };
  db.transaction(() => {
    out.profiles = db.prepare('DELETE FROM profile').run().changes;
    if (trips) out.trips = db.prepare('DELETE FROM trip').run().changes;
    const u = scrubUndoLog(store, (c) => c.t === 'profile' || (trips && c.t === 'trip'), []);
    out.undoSteps = u.steps;
    out.undoImages = u.images;
    db.prepare('UPDATE doc_state SET rev = rev + 1 WHERE id = 1').run();
  }).immediate();
  truncateWal(store);
  return out;
}

/**
 * "Remove personal details": in the open map, or — with `copyTo` — in a new copy written there
 * (built aside and moved into place; the copy carries no undo history at all: a map given to
 * someone else should not let them undo back to what was removed). The open map is then untouched.
 */
export function stripPersonal(store: MapStore, opts: { keepItineraries?: boolean; copyTo?: string } = {}): StripResult {
  if (!store.isOpen) throw new ApiError('NO_MAP_OPEN', 'No map is open');
  const keep = opts.keepItineraries ?? false;
  if (!opts.copyTo) {
    const r = stripInPlace(store, keep);
    return { ...r, path: store.file, backups: backupsOf(store.file), change: changeAfter(store) };
  }
  const target = path.resolve(opts.copyTo.toLowerCase().endsWith('.powermap') ? opts.copyTo : `${opts.copyTo}.powermap`);
  checkTargets([target], false);
  const tmp = asideName(target);
  const cleanup = () => {
    for (const f of [tmp, `${tmp}-wal`, `${tmp}-shm`]) fs.rmSync(f, { force: true });
  };
  try {
    // VACUUM INTO writes a fresh, compact file: no free pages, no -wal, nothing of old pages.
    store.db.prepare('VACUUM INTO ?').run(tmp);
    const copy = MapStore.open(tmp, { backupBeforeMigrate: false });
    let r: Omit<StripResult, 'path' | 'backups' | 'change'>;
    try {
      copy.db.prepare('DELETE FROM undo_log').run();
      r = stripInPlace(copy, keep);
      copy.db.prepare('VACUUM').run();
      truncateWal(copy);
    } finally {
      copy.close();
    }
    moveIntoPlace(tmp, target, false);
    return { ...r, path: target, backups: [], change: null };
  } catch (e) {
    cleanup();
    throw e;
  }
}
