/**
 * Erasing a person, and removing the personal details of a whole map (docs/TRUST.md, "Private").
 *
 * Deleting a person is an ordinary undoable edit: the undo log keeps their row images so the
 * delete can be undone. Purging is the GDPR/PIPL erasure: it removes the person's rows and every
 * trace the map keeps of them — also of a person already deleted the ordinary way, who lives on
 * only in the undo log or in snapshots — the undo log's images of them (steps that touched only them
 * are dropped; the others lose those images and have the name taken out of their label), their
 * copies in snapshots, the team store's change feed and audit payloads, and the old page images
 * in the map file's -wal (the store's erase() empties it). Not undoable, by design. Everything
 * here runs over the store interface, so it erases the same way from a map file and a team map.
 */
import path from 'node:path';
import { ApiError } from '../../shared/api/errors';
import type { ErasablePerson, Mention, PurgeResult, StripResult } from '../../shared/api/privacy';
import type { Change } from '../../shared/domain';
import { ERASED } from '../../shared/i18n/history';
import { PERSON_OWNED, touchesPerson, type RowChange } from '../../storage/rows';
import { removeMapFiles } from '../../storage/sqlite/file-check';
import { SqliteMapStore } from '../../storage/sqlite/store';
import type { EraseTx, MapStore, RowSource } from '../../storage/types';
import { asideName, checkTargets, moveIntoPlace } from '../exchange/files';
import { unpackStoredSnapshot } from '../time/validate';
import { purgePersonFromSnapshots } from '../time/snapshots';

export { touchesPerson };

/**
 * Rewrites the undo log without the row images `drop` picks: a step left with none is deleted,
 * the others are rewritten (their labels with every one of `names` taken out).
 */
async function scrubUndoLog(tx: EraseTx, drop: (c: RowChange) => boolean, names: string[]): Promise<{ steps: number; images: number }> {
  let steps = 0;
  let images = 0;
  for (const e of await tx.undoSteps()) {
    const kept = e.changes.filter((c) => !drop(c));
    // Labels are JSON (shared/i18n/history.ts): a name is there as JSON writes it, too.
    const label = names.reduce((l, n) => (n ? l.split(n).join(ERASED).split(JSON.stringify(n).slice(1, -1)).join(ERASED) : l), e.label);
    if (kept.length === 0) {
      await tx.rewriteUndoStep(e.seq, e.label, null);
      steps++;
    } else if (kept.length !== e.changes.length || label !== e.label) {
      await tx.rewriteUndoStep(e.seq, label, kept);
      images += e.changes.length - kept.length;
    }
  }
  return { steps, images };
}

/** Where free text still names the person, once their own records are gone. */
async function findMentions(store: MapStore, names: string[]): Promise<Mention[]> {
  const out: Mention[] = [];
  const needles = [...new Set(names.filter((n) => n.trim().length >= 2))];
  if (!needles.length) return out;
  const hit = (s: unknown) => typeof s === 'string' && needles.some((n) => s.includes(n));
  await store.read(async (src: RowSource) => {
    const scan = async (where: Mention['where'], t: 'person' | 'profile' | 'relation' | 'member' | 'map_meta' | 'interaction' | 'trip', key: string, cols: string[]) => {
      for (const r of await src.rows(t)) for (const c of cols) if (hit(r[c])) out.push({ where, id: String(r[key]), field: c });
    };
    await scan('person', 'person', 'id', ['name', 'title', 'department', 'favours', 'notes']);
    await scan('person', 'profile', 'person_id', ['data']);
    await scan('relation', 'relation', 'id', ['note']);
    await scan('member', 'member', 'id', ['name', 'role']);
    await scan('map', 'map_meta', 'id', ['account', 'deal', 'notes', 'competitors', 'budget', 'timeline']);
    await scan('interaction', 'interaction', 'id', ['notes']);
    await scan('trip', 'trip', 'id', ['place', 'note']);
  });
  for (const e of await store.undoSteps())
    if (hit(e.label) || hit(JSON.stringify(e.changes))) out.push({ where: 'undo', id: String(e.seq), field: hit(e.label) ? 'label' : 'changes' });
  const bytes = await store.byteSize();
  for (const s of await store.snapshots.list()) {
    const b = await store.snapshots.body(s.id);
    if (!b) continue;
    if (hit(b.name)) out.push({ where: 'snapshot', id: s.id, field: 'name' });
    let content = '';
    try {
      content = JSON.stringify(unpackStoredSnapshot(b, bytes));
    } catch {
      continue; // a snapshot that cannot be opened was dropped by the purge
    }
    if (hit(content)) out.push({ where: 'snapshot', id: s.id, field: 'content' });
  }
  return out;
}

/**
 * Everyone a purge can erase: the people on the map, and those deleted from it who still live in
 * its undo history or its snapshots.
 */
export async function erasablePeople(store: MapStore): Promise<ErasablePerson[]> {
  const found = new Map<string, ErasablePerson>();
  const note = (id: string, name: string) => {
    let p = found.get(id);
    if (!p) found.set(id, (p = { id, name, onMap: false, inHistory: false, snapshots: 0 }));
    return p;
  };
  for (const r of await store.rows('person')) note(String(r.id), String(r.name)).onMap = true;
  for (const e of await store.undoSteps())
    for (const c of e.changes)
      if (c.t === 'person')
        for (const img of [c.b, c.a])
          if (img && typeof img.id === 'string') {
            const p = note(img.id, typeof img.name === 'string' ? img.name : (found.get(img.id)?.name ?? img.id));
            p.inHistory = true;
            if (typeof img.name === 'string' && !p.onMap) p.name = img.name;
          }
  const bytes = await store.byteSize();
  for (const s of await store.snapshots.list()) {
    const b = await store.snapshots.body(s.id);
    if (!b) continue;
    let people: { id: string; name: string }[];
    try {
      people = unpackStoredSnapshot(b, bytes).people;
    } catch {
      continue; // a snapshot that cannot be opened names nobody (a purge drops it)
    }
    for (const p of people) {
      const e = note(p.id, p.name);
      if (!e.onMap) e.name = p.name;
      e.snapshots++;
    }
  }
  return [...found.values()];
}

/** Erases person `id` from the open map — on it, or deleted but still in its history or snapshots (see the file comment). */
export async function purgePerson(store: MapStore, id: string): Promise<PurgeResult> {
  const removed: PurgeResult['removed'] = { relations: 0, coverage: 0, profile: false, owned: 0, positions: 0, undoSteps: 0, undoImages: 0, snapshots: 0 };
  const deletedRelations: string[] = [];
  const deletedCoverage: { memberId: string; personId: string }[] = [];
  const names = new Set<string>();
  let name = '';
  let onMap = false;

  const bytes = await store.byteSize();
  await store.erase(async (tx) => {
    const row = await tx.row('person', { id });
    onMap = !!row;
    if (row) names.add((name = String(row.name)));
    // Every name the person had: the undo log and the snapshots may hold older ones.
    const steps = await tx.undoSteps();
    for (const e of steps)
      for (const c of e.changes)
        if (c.t === 'person') for (const img of [c.b, c.a]) if (img?.id === id && typeof img.name === 'string') names.add(img.name);
    for (const s of await tx.snapshotBodies()) {
      let people: { id: string; name: string }[] = [];
      try {
        people = unpackStoredSnapshot(s, bytes).people;
      } catch (e) {
        if (!(e instanceof ApiError) || e.code !== 'CORRUPT') throw e;
        continue; // cannot be opened: purgePersonFromSnapshots drops it
      }
      for (const p of people) if (p.id === id) names.add(p.name);
    }
    if (!onMap && names.size === 0) throw new ApiError('NOT_FOUND', `No person with id ${id} on the map, in its history or in its snapshots`, { id });
    if (!name) name = [...names].pop() ?? id;

    for (const r of await tx.rows('relation', { source: id })) deletedRelations.push(String(r.id));
    for (const r of await tx.rows('relation', { target: id })) deletedRelations.push(String(r.id));
    removed.relations = (await tx.deleteRows('relation', { source: id })) + (await tx.deleteRows('relation', { target: id }));
    for (const c of await tx.rows('coverage', { person_id: id })) deletedCoverage.push({ memberId: String(c.member_id), personId: id });
    removed.coverage = await tx.deleteRows('coverage', { person_id: id });
    for (const o of PERSON_OWNED) removed.owned += await tx.deleteRows(o.table, { [o.column]: id });
    removed.profile = (await tx.deleteRows('profile', { person_id: id })) > 0;
    removed.positions = await tx.deletePositions(id);
    await tx.deleteRows('person', { id });

    const u = await scrubUndoLog(tx, (c) => touchesPerson(c, id), [...names]);
    removed.undoSteps = u.steps;
    removed.undoImages = u.images;
    removed.snapshots = await purgePersonFromSnapshots(tx, id, bytes);
    await tx.forgetPerson(id, [...names]);
    await tx.bumpRev();
  });

  const deleted: NonNullable<Change['deleted']> = {};
  if (onMap) deleted.people = [id];
  if (deletedRelations.length) deleted.relations = deletedRelations;
  if (deletedCoverage.length) deleted.coverage = deletedCoverage;
  return {
    person: { id, name },
    removed,
    mentions: await findMentions(store, [...names]),
    backups: store.backups?.() ?? [],
    change: await changeAfter(store, deleted),
  };
}

async function changeAfter(store: MapStore, deleted?: Change['deleted']): Promise<Change> {
  const c: Change = { rev: await store.rev(), history: await store.history() };
  if (deleted && Object.keys(deleted).length) c.deleted = deleted;
  return c;
}

/** Removes every profile (and, unless kept, every trip) from a map and its undo log. */
function stripInPlace(store: MapStore, keepItineraries: boolean): Promise<Omit<StripResult, 'path' | 'backups' | 'change'>> {
  return store.erase(async (tx) => {
    const out = { profiles: 0, trips: 0, undoSteps: 0, undoImages: 0 };
    for (const r of await tx.rows('profile')) out.profiles += await tx.deleteRows('profile', { person_id: r.person_id ?? null });
    if (!keepItineraries) for (const r of await tx.rows('trip')) out.trips += await tx.deleteRows('trip', { id: r.id ?? null });
    const u = await scrubUndoLog(tx, (c) => c.t === 'profile' || (!keepItineraries && c.t === 'trip'), []);
    await tx.forgetPersonal?.(keepItineraries);
    out.undoSteps = u.steps;
    out.undoImages = u.images;
    await tx.bumpRev();
    return out;
  });
}

/**
 * "Remove personal details": in the open map, or — with `copyTo` — in a new copy written there
 * (built aside and moved into place; the copy carries no undo history at all: a map given to
 * someone else should not let them undo back to what was removed). The open map is then untouched.
 */
export async function stripPersonal(store: MapStore, opts: { keepItineraries?: boolean; copyTo?: string } = {}): Promise<StripResult> {
  const keep = opts.keepItineraries ?? false;
  if (!opts.copyTo) {
    const r = await stripInPlace(store, keep);
    return { ...r, path: store.location.path, backups: store.backups?.() ?? [], change: await changeAfter(store) };
  }
  if (!store.copyTo) throw new ApiError('UNSUPPORTED', 'A copy of a team map is made by exporting it');
  const target = path.resolve(opts.copyTo.toLowerCase().endsWith('.powermap') ? opts.copyTo : `${opts.copyTo}.powermap`);
  checkTargets([target], false);
  const tmp = asideName(target);
  try {
    await store.copyTo(tmp);
    const copy = await SqliteMapStore.open(tmp, { backupBeforeMigrate: false });
    let r: Omit<StripResult, 'path' | 'backups' | 'change'>;
    try {
      await copy.forgetHistory();
      r = await stripInPlace(copy, keep);
      await copy.forgetHistory();
    } finally {
      await copy.close();
    }
    moveIntoPlace(tmp, target, false);
    return { ...r, path: target, backups: [], change: null };
  } catch (e) {
    removeMapFiles(tmp);
    throw e;
  }
}
