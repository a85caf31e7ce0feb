/**
 * Private by default (issue 7, item 6): erasing a person leaves no trace in the map file or its
 * -wal file — not in the rows, the undo log, the snapshots or old pages — and "remove personal
 * details" strips every profile from a map (in place, or into a copy to share). The searches
 * read the raw bytes on disk; each is first shown to find what an ordinary delete leaves behind.
 */
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiResult } from '../../shared/api/errors';
import type { PurgeResult, StripResult } from '../../shared/api/privacy';
import { PIPL_SENSITIVE_FIELDS, type MapDocument } from '../../shared/domain';
import { dispatch } from '../../services/handlers';
import type { Session } from '../../services/session';
import { createMapFile, openMapFile } from '../../services/map/files';
import { counts, documentOf, person } from '../../services/map/read';
import { loadMap } from '../../services/map/rules';
import type { SqliteMapStore } from '../../storage/sqlite/store';
import type { MapStore } from '../../storage/types';
import { listSnapshots, readSnapshot } from '../../services/time/snapshots';
import { generateMap } from '../../bench/lib/generate';
import { webSession } from '../helpers/session';
import { bundle, REPO } from '../helpers/trust-process';
import { peek } from '../helpers/map';
import { useTmpDir } from '../helpers/tmp';

const tmp = useTmpDir();

// A fictional person, with strings found nowhere else in the map.
const OLD_NAME = 'Quenby Halvorsen';
const NAME = 'Quenby Marchetti-Halvorsen';
const ZH_NAME = '柯嘉蔚';
const PROFILE = {
  children: 'daughter Isolde studies violin at the Larkmoor conservatory',
  hometown: 'Wexcombe-under-Lyne',
  itinerary: 'Kestrel Bay summit in late May',
  food: '酸菜鱼 at the Jadeport noodle house',
};
const NOTES = 'Prefers the Vantablack proposal; plays squash on Thursdays';
const TRIP = 'Oskarsholm trade fair';
const LOG = 'Tea at Brindlewick, talked about the Ferrowind retrofit';
const SECRETS = [OLD_NAME, NAME, ZH_NAME, NOTES, TRIP, LOG, ...Object.values(PROFILE)];

/** Every place in the raw bytes of `file` and its side files where one of the secrets appears. */
function rawHits(file: string, secrets: readonly string[] = SECRETS): string[] {
  const hits: string[] = [];
  for (const side of ['', '-wal', '-shm', '-journal']) {
    const f = file + side;
    if (!fs.existsSync(f)) continue;
    const bytes = fs.readFileSync(f);
    for (const s of secrets)
      for (const form of new Set([s, s.toLowerCase(), JSON.stringify(s).slice(1, -1)]))
        if (bytes.includes(Buffer.from(form, 'utf8'))) hits.push(`${path.basename(f)}: "${form}"`);
    // Also any 12-byte run of the secrets (a page cut through the middle of a string).
    for (const s of secrets) {
      const b = Buffer.from(s, 'utf8');
      for (let i = 0; i + 12 <= b.length; i += 6)
        if (bytes.includes(b.subarray(i, i + 12))) {
          hits.push(`${path.basename(f)}: part of "${s}"`);
          break;
        }
    }
  }
  return [...new Set(hits)];
}

/** Secrets still inside compressed snapshot bodies (invisible to a byte search). */
async function snapshotHits(store: MapStore): Promise<string[]> {
  const hits: string[] = [];
  for (const s of await listSnapshots(store)) {
    const text = JSON.stringify(await readSnapshot(store, s.id));
    hits.push(...SECRETS.filter((x) => text.includes(x)).map((x) => `snapshot ${s.name}: ${x}`));
  }
  return hits;
}

/** Writes every committed page of the open map into the file and empties its -wal (the map file engine's own call). */
const checkpoint = (store: MapStore) => (store as SqliteMapStore).checkpoint();

const ok = <T>(r: ApiResult<unknown>): T => {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value as T;
};

/** A map of 30 people plus Quenby, with a long history of edits about her. */
async function buildMap(session: Session, file: string): Promise<string> {
  const data = generateMap(30, { seed: 17 });
  const s = await createMapFile(file, data.meta);
  await loadMap(s, data);
  await s.close();
  ok(await dispatch(session, 'map.open', { path: file }));
  const id = 'q1';
  ok(await dispatch(session, 'person.create', { id, name: OLD_NAME, title: 'Head of planning', notes: NOTES, at: { x: 10, y: 20 } }));
  ok(await dispatch(session, 'snapshot.create', { name: 'Before the reorganisation' })); // holds her under her old name
  ok(await dispatch(session, 'person.update', { id, patch: { name: NAME } }));
  ok(await dispatch(session, 'person.update', { id, patch: { department: ZH_NAME } }));
  for (const [k, v] of Object.entries(PROFILE)) ok(await dispatch(session, 'profile.update', { personId: id, patch: { [k]: v } }));
  ok(await dispatch(session, 'relation.create', { kind: 'reports_to', source: id, target: 'p_000000' }));
  ok(await dispatch(session, 'relation.create', { kind: 'alliance', source: id, target: 'p_000005', note: 'old classmates' }));
  ok(await dispatch(session, 'relation.create', { kind: 'influence', source: 'p_000007', target: id }));
  ok(await dispatch(session, 'coverage.set', { memberId: 'm_000000', personId: id, strength: 3 }));
  ok(await dispatch(session, 'trip.create', { personId: id, place: TRIP, from: '2026-06-01', to: '2026-06-03' }));
  ok(await dispatch(session, 'interaction.create', { personId: id, date: '2026-03-02', kind: 'meeting', notes: LOG }));
  ok(await dispatch(session, 'snapshot.create', { name: 'After the reorganisation' }));
  for (let i = 0; i < 40; i++) ok(await dispatch(session, 'person.update', { id, patch: { title: `Head of planning ${i}` } }));
  // Edits of other people, before and after, that must survive.
  ok(await dispatch(session, 'person.update', { id: 'p_000003', patch: { attitude: 'champion' } }));
  // An ordinary delete and its undo: the undo log now holds her whole record twice over.
  ok(await dispatch(session, 'person.delete', { id }));
  ok(await dispatch(session, 'history.undo', {}));
  ok(await dispatch(session, 'positions.set', { layout: 'force', positions: [{ id, x: 40, y: 50, pinned: true }] }));
  ok(await dispatch(session, 'person.update', { id: 'p_000004', patch: { title: 'Chief engineer' } }));
  return id;
}

let cli = '';
beforeAll(async () => {
  const dist = path.join(REPO, 'dist', 'node', 'cli.cjs');
  cli = fs.existsSync(dist) ? dist : await bundle('cli/main.ts');
}, 60_000);

describe('erasing a person', () => {
  it('leaves no trace of them in the map file or its -wal file; an ordinary delete does', async () => {
    const dir = tmp();
    const file = path.join(dir, 'northbank.powermap');
    const session = webSession(tmp());
    const id = await buildMap(session, file);
    const store = session.store!;

    // The control: the search finds her while she is in the map (a test that can fail)...
    expect(rawHits(file).length).toBeGreaterThan(5);
    // ...and after an ordinary delete, in the undo log and the -wal file.
    ok(await dispatch(session, 'person.delete', { id }));
    await checkpoint(store);
    expect(rawHits(file)).toEqual(expect.arrayContaining([expect.stringContaining(NAME)]));
    expect((await store.undoSteps()).filter((e) => JSON.stringify(e.changes).includes(PROFILE.hometown)).length).toBeGreaterThan(0);
    ok(await dispatch(session, 'history.undo', {}));
    expect((await person(store, id))?.name).toBe(NAME);
    ok(await dispatch(session, 'positions.set', { layout: 'force', positions: [{ id, x: 40, y: 50, pinned: true }] }));

    const othersBefore = await documentOf(store);
    const before = { people: othersBefore.people.length, snapshots: (await listSnapshots(store)).length };
    const r = ok<PurgeResult>(await dispatch(session, 'person.purge', { id }));
    expect(r.person).toEqual({ id, name: NAME });
    expect(r.removed).toMatchObject({ relations: 3, coverage: 1, profile: true, owned: 2, positions: 1, snapshots: 2 });
    expect(r.removed.undoSteps).toBeGreaterThan(40);
    expect(r.mentions).toEqual([]);
    expect(r.change.deleted?.people).toEqual([id]);
    expect(r.change.deleted?.relations).toHaveLength(3);

    // While the map is still open: the -wal file is empty and no byte of hers is anywhere.
    expect(fs.statSync(`${file}-wal`).size).toBe(0);
    expect(rawHits(file)).toEqual([]);
    expect(await snapshotHits(store)).toEqual([]);

    // Everyone else is whole, the snapshots are still there, and the history still works.
    const doc = ok<MapDocument>(await dispatch(session, 'map.get', {}));
    expect(doc.people).toHaveLength(before.people - 1);
    expect(doc.people.find((p) => p.id === 'p_000004')?.title).toBe('Chief engineer');
    expect(await listSnapshots(store)).toHaveLength(before.snapshots);
    expect(doc.history.canUndo).toBe(true);
    ok(await dispatch(session, 'history.undo', {})); // p_000004's title
    expect((await person(store, 'p_000004'))?.title).not.toBe('Chief engineer');
    let undone = 1;
    while (ok<MapDocument>(await dispatch(session, 'map.get', {})).history.canUndo && undone < 600) {
      ok(await dispatch(session, 'history.undo', {}));
      undone++;
    }
    // Undoing every step that is left never brings her back.
    expect(await person(store, id)).toBeNull();
    await session.close();

    // Closed: the file (and whatever side files exist) still hold nothing of hers, and it is whole.
    expect(rawHits(file)).toEqual([]);
    expect(peek(file, 'PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);
    expect(peek(file, 'PRAGMA foreign_key_check')).toEqual([]);
    const again = await openMapFile(file);
    expect(await snapshotHits(again)).toEqual([]);
    await again.close();
  });

  it('reports free text that still names the person instead of rewriting it', async () => {
    const dir = tmp();
    const file = path.join(dir, 'mentions.powermap');
    const session = webSession(tmp());
    const id = await buildMap(session, file);
    ok(await dispatch(session, 'person.update', { id: 'p_000002', patch: { notes: `Ask ${NAME} before the tender meeting` } }));
    const r = ok<PurgeResult>(await dispatch(session, 'person.purge', { id }));
    expect(r.mentions).toEqual(expect.arrayContaining([{ where: 'person', id: 'p_000002', field: 'notes' }]));
    expect(r.mentions.some((m) => m.where === 'undo')).toBe(true);
    expect((await person(session.store!, 'p_000002'))?.notes).toContain(NAME);
    await session.close();
  });

  it('refuses an unknown person with a typed error and changes nothing', async () => {
    const session = webSession(tmp());
    const file = path.join(tmp(), 'x.powermap');
    await buildMap(session, file);
    const rev = await session.store!.rev();
    const r = await dispatch(session, 'person.purge', { id: 'p_nobody' });
    expect(r).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await session.store!.rev()).toBe(rev);
    await session.close();
  });

  it('from the command line: a plan first, then with --yes the erasure, by name', async () => {
    const dir = tmp();
    const file = path.join(dir, 'cli.powermap');
    const session = webSession(tmp());
    await buildMap(session, file);
    await session.close();
    const run = (...args: string[]) =>
      spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env: { ...process.env, LANG: 'en_US.UTF-8', LC_ALL: 'en_US.UTF-8' } });
    const plan = run('purge', file, '--person', NAME.toLowerCase());
    expect(plan.status).toBe(2);
    expect(plan.stdout).toContain('--yes');
    expect(rawHits(file).length).toBeGreaterThan(0);
    const done = run('purge', file, '--person', NAME, '--yes');
    expect(done.status, done.stderr).toBe(0);
    expect(done.stdout).toContain(`Erased ${NAME}`);
    expect(rawHits(file)).toEqual([]);
    const none = run('purge', file, '--person', NAME, '--yes');
    expect(none.status).not.toBe(0);
    expect(none.stderr.trim().split('\n')[0]).toContain('nobody named');
  });
});

describe('exports leave the personal profile out unless asked for', () => {
  it('JSON, CSV and GraphML: no profile text by default; JSON with it when asked', async () => {
    const dir = tmp();
    const session = webSession(tmp());
    await buildMap(session, path.join(dir, 'export.powermap'));
    const secrets = Object.values(PROFILE);
    const written: string[] = [];
    for (const format of ['json', 'csv', 'graphml'] as const) {
      const r = ok<{ files: string[] }>(await dispatch(session, 'exchange.export', { format, path: path.join(dir, `plain-${format}.${format}`) }));
      for (const f of r.files) {
        const text = fs.readFileSync(f, 'utf8');
        expect(text).toContain(NAME); // the map is there…
        for (const x of secrets) expect(text, `${path.basename(f)} holds "${x}"`).not.toContain(x); // …its profiles are not
        written.push(f);
      }
    }
    const withPersonal = ok<{ files: string[] }>(await dispatch(session, 'exchange.export', { format: 'json', path: path.join(dir, 'personal.json'), includePersonal: true }));
    const text = fs.readFileSync(withPersonal.files[0]!, 'utf8');
    for (const x of secrets) expect(text).toContain(x);
    expect(written.length).toBeGreaterThanOrEqual(3);
    await session.close();
  });
});

describe('removing personal details from a whole map', () => {
  const PROFILE_SECRETS = [...Object.values(PROFILE), TRIP];

  it('in place: every profile and trip, from the rows, the undo log and the -wal file', async () => {
    const dir = tmp();
    const file = path.join(dir, 'share.powermap');
    const session = webSession(tmp());
    const id = await buildMap(session, file);
    // Her profile and trip into the map file itself, then a new secret left in the -wal file only.
    await checkpoint(session.store!);
    expect(rawHits(file, PROFILE_SECRETS).filter((h) => h.startsWith('share.powermap:')).length).toBeGreaterThan(0);
    ok(await dispatch(session, 'profile.update', { personId: 'p_000001', patch: { pets: 'a greyhound called Marzipan-Tolliver' } }));
    const secrets = [...PROFILE_SECRETS, 'Marzipan-Tolliver'];
    expect(rawHits(file, ['Marzipan-Tolliver']).filter((h) => h.startsWith('share.powermap-wal:')).length).toBeGreaterThan(0);
    const people = (await counts(session.store!)).people;

    const r = ok<StripResult>(await dispatch(session, 'map.stripPersonal', {}));
    expect(r.path).toBe(file);
    expect(r.profiles).toBeGreaterThanOrEqual(2);
    expect(r.trips).toBe(1);
    expect(r.undoSteps).toBeGreaterThanOrEqual(Object.keys(PROFILE).length);
    expect(rawHits(file, secrets)).toEqual([]);
    // The people stay (with their names); only their personal details are gone.
    expect((await counts(session.store!)).people).toBe(people);
    expect((await person(session.store!, id))?.name).toBe(NAME);
    expect(ok(await dispatch(session, 'profile.get', { personId: id }))).toMatchObject({ hometown: '', children: '' });
    await session.close();
    expect(rawHits(file, secrets)).toEqual([]);
  });

  it('into a copy to share, leaving the open map as it is', async () => {
    const dir = tmp();
    const file = path.join(dir, 'mine.powermap');
    const copy = path.join(dir, 'for-the-partner.powermap');
    const session = webSession(tmp());
    const id = await buildMap(session, file);
    const r = ok<StripResult>(await dispatch(session, 'map.stripPersonal', { copyTo: copy, keepItineraries: false }));
    expect(r.path).toBe(copy);
    expect(r.change).toBeNull();
    // The open map keeps its profiles.
    expect(ok<{ hometown: string }>(await dispatch(session, 'profile.get', { personId: id })).hometown).toBe(PROFILE.hometown);
    // The copy: a whole map, no profiles or trips, no history, nothing in its bytes.
    expect(rawHits(copy, PROFILE_SECRETS)).toEqual([]);
    const c = new Database(copy, { readonly: true });
    expect(c.prepare('SELECT count(*) FROM person').pluck().get()).toBe((await counts(session.store!)).people);
    expect(c.prepare('SELECT count(*) FROM profile').pluck().get()).toBe(0);
    expect(c.prepare('SELECT count(*) FROM undo_log').pluck().get()).toBe(0);
    expect(c.pragma('integrity_check', { simple: true })).toBe('ok');
    c.close();
    // An existing file is never overwritten.
    expect(await dispatch(session, 'map.stripPersonal', { copyTo: copy })).toMatchObject({ ok: false, error: { code: 'FILE_EXISTS' } });
    await session.close();
  });

  it('keeps itineraries when asked, and knows which fields PIPL counts as sensitive', async () => {
    expect([...PIPL_SENSITIVE_FIELDS].sort()).toEqual(['children', 'itinerary']);
    const session = webSession(tmp());
    const file = path.join(tmp(), 'keep.powermap');
    await buildMap(session, file);
    const r = ok<StripResult>(await dispatch(session, 'map.stripPersonal', { keepItineraries: true }));
    expect(r.trips).toBe(0);
    expect(await session.store!.rows('trip')).toHaveLength(1);
    await session.close();
  });
});
