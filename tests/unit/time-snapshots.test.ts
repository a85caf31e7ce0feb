import Database from 'better-sqlite3';
import path from 'node:path';
import { decodeEditLabel } from '../../shared/i18n/history';
import { describe, expect, it } from 'vitest';
import { dispatch } from '../../services/handlers';
import type { Session } from '../../services/session';
import { openMapFile } from '../../services/map/files';
import { person } from '../../services/map/read';
import { CODEC, decodeSnapshot, encodeSnapshot } from '../../services/time/codec';
import { purgePersonFromSnapshots, readSnapshot } from '../../services/time/snapshots';
import { createClient, type ApiClient } from '../../shared/api';
import { defaultMeta, defaultPersonFields } from '../../shared/domain';
import type { SnapshotContent } from '../../shared/time';
import { webSession } from '../helpers/session';
import { writeMapFile } from '../helpers/map';
import { useTmpDir } from '../helpers/tmp';

const tmp = useTmpDir();

/** A session with a fresh map open, driven through dispatch() exactly as both transports do. */
async function openMap(): Promise<{ api: ApiClient; session: Session; file: string; dir: string }> {
  const dir = tmp();
  const session = webSession(dir);
  const api = createClient((m, p) => dispatch(session, m, p));
  const file = path.join(dir, 'bank.powermap');
  await api.call('map.create', { path: file, meta: { account: 'Northbank head office', deal: 'Online banking servers' } });
  return { api, session, file, dir };
}

async function seed(api: ApiClient) {
  const id = async (p: Promise<{ people?: { id: string }[] }>) => (await p).people![0]!.id;
  const pres = await id(api.call('person.create', { name: 'Ma Guolin', title: 'President', influence: 'high', roles: ['decision-maker'] }));
  const dir = await id(api.call('person.create', { name: 'Zhou Jianguo', title: 'Director', department: 'IT centre', attitude: 'champion' }));
  const dep = await id(api.call('person.create', { name: 'Sun Haoran', title: 'Deputy director', department: 'IT centre' }));
  await api.call('relation.create', { kind: 'reports_to', source: dir, target: pres });
  await api.call('relation.create', { kind: 'reports_to', source: dep, target: dir });
  const rep = (await api.call('team.create', { name: 'Rep Chen', role: 'account manager' })).team![0]!.id;
  await api.call('coverage.set', { memberId: rep, personId: dir, strength: 3 });
  return { pres, dir, dep, rep };
}

describe('snapshots', () => {
  it('saves, lists, opens read-only, renames and deletes', async () => {
    const { api, session } = await openMap();
    const { dir } = await seed(api);
    const before = await api.call('map.get', {});

    const s1 = await api.call('snapshot.create', { name: '  before tender ' });
    expect(s1).toMatchObject({ name: 'before tender', people: 3, relations: 2, team: 1, coverage: 1, rev: before.rev });
    expect(s1.bytes).toBeGreaterThan(0);
    expect(s1.bytes).toBeLessThan(s1.rawBytes);
    // Taking a snapshot is no edit: nothing to undo, the revision stays.
    const after = await api.call('map.get', {});
    expect(after.rev).toBe(before.rev);
    expect(after.history).toEqual(before.history);

    await api.call('person.update', { id: dir, patch: { attitude: 'opponent' } });
    const s2 = await api.call('snapshot.create', { name: 'after site visit' });
    expect((await api.call('snapshot.list', {})).map((s) => s.id)).toEqual([s2.id, s1.id]);

    // Opening one read-only gives the map as it was, and leaves the open map alone.
    const view = await api.call('snapshot.get', { id: s1.id });
    expect(view.readOnly).toBe(true);
    expect(view.snapshot.id).toBe(s1.id);
    expect(view.people.find((p) => p.id === dir)!.attitude).toBe('champion');
    expect(view.history.canUndo).toBe(false);
    expect((await person(session.requireStore(), dir))!.attitude).toBe('opponent');
    expect((await api.call('map.get', {})).people.find((p) => p.id === dir)!.attitude).toBe('opponent');

    expect(await api.call('snapshot.rename', { id: s1.id, name: 'before the tender' })).toMatchObject({ id: s1.id, name: 'before the tender' });
    await api.call('snapshot.delete', { id: s2.id });
    expect((await api.call('snapshot.list', {})).map((s) => s.name)).toEqual(['before the tender']);
    await expect(api.call('snapshot.get', { id: s2.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(api.call('snapshot.delete', { id: s2.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(api.call('snapshot.create', { name: '   ' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('restores as one undoable step, and redo restores again', async () => {
    const { api, session } = await openMap();
    const { pres, dir, dep, rep } = await seed(api);
    const profileBefore = { hometown: 'Riverside county' };
    await api.call('profile.update', { personId: dir, patch: profileBefore });
    const snap = await api.call('snapshot.create', { name: 'before the new director' });
    const original = await api.call('map.get', {});

    // Things happen: the director retires, a new one arrives in conflict with the deputy, the deal moves on.
    await api.call('person.delete', { id: dir });
    const nd = (await api.call('person.create', { name: 'Feng Mingyu', title: 'Director', department: 'IT centre' })).people![0]!.id;
    await api.call('relation.create', { kind: 'reports_to', source: nd, target: pres });
    await api.call('relation.create', { kind: 'reports_to', source: dep, target: nd });
    await api.call('relation.create', { kind: 'conflict', source: nd, target: dep });
    await api.call('person.update', { id: dep, patch: { attitude: 'opponent', title: 'Deputy director (passed over)' } });
    await api.call('map.updateMeta', { stage: 'tender' });
    const changed = await api.call('map.get', {});
    const undoRowsBefore = (await session.requireStore().undoSteps()).length;

    const change = await api.call('snapshot.restore', { id: snap.id });
    expect(change.history.undoLabel).toEqual({ key: 'snapshot.restore', params: { name: 'before the new director' } });
    expect(change.deleted?.people).toEqual([nd]);
    const restored = await api.call('map.get', {});
    const sortById = <T extends { id?: string; personId?: string }>(xs: T[]) => [...xs].sort((a, b) => String(a.id ?? a.personId).localeCompare(String(b.id ?? b.personId)));
    // The same state (row order may differ after rows are deleted and written back).
    const strip = (d: typeof original) => ({ meta: d.meta, people: sortById(d.people), relations: sortById(d.relations), team: d.team, coverage: d.coverage });
    expect(sortById(restored.people)).toEqual(sortById(original.people));
    // Relations are stored by what they connect: the director's line comes back (with a new id).
    const lines = (rs: typeof original.relations) => rs.map(({ id: _id, ...r }) => r).sort((a, b) => `${a.kind}${a.source}`.localeCompare(`${b.kind}${b.source}`));
    expect(lines(restored.relations)).toEqual(lines(original.relations));
    expect(restored.coverage).toEqual([{ memberId: rep, personId: dir, strength: 3 }]);
    expect(restored.meta).toEqual(original.meta);
    // One step in the undo log, holding no snapshot body.
    const steps = await session.requireStore().undoSteps();
    expect(steps).toHaveLength(undoRowsBefore + 1);
    expect(decodeEditLabel(steps.at(-1)!.label)).toEqual({ key: 'snapshot.restore', params: { name: 'before the new director' } });
    // The restored director has no personal profile (snapshots do not hold profiles).
    expect(await api.call('profile.get', { personId: dir })).toMatchObject({ hometown: '' });

    // Undo brings back exactly the state before the restore.
    await api.call('history.undo', {});
    expect(strip(await api.call('map.get', {}))).toEqual(strip(changed));
    // Redo restores again.
    await api.call('history.redo', {});
    expect(sortById((await api.call('map.get', {})).people)).toEqual(sortById(original.people));
  });

  it('restoring keeps the interaction log and the newer last contact of people still there', async () => {
    const { api } = await openMap();
    const { dir, rep } = await seed(api);
    const snap = await api.call('snapshot.create', { name: 'start' });
    const relationsBefore = (await api.call('map.get', {})).relations;
    const logged = await api.call('interaction.create', { personId: dir, date: '2025-02-03', kind: 'meeting', attendees: [rep], notes: 'site visit' });
    await api.call('person.update', { id: dir, patch: { attitude: 'supporter' } });
    await api.call('snapshot.restore', { id: snap.id });
    const p = (await api.call('map.get', {})).people.find((x) => x.id === dir)!;
    expect(p.attitude).toBe('champion');
    expect(p.lastContact).toBe('2025-02-03');
    // Relations that did not change keep their rows (and ids): restore writes only what differs.
    expect((await api.call('map.get', {})).relations).toEqual(relationsBefore);
    expect((await api.call('interaction.list', { personId: dir })).map((i) => i.id)).toEqual([logged.id]);
  });

  it('compares two snapshots, or a snapshot and now', async () => {
    const { api } = await openMap();
    const { dir, dep } = await seed(api);
    const s1 = await api.call('snapshot.create', { name: 'one' });
    await api.call('person.update', { id: dep, patch: { title: 'Director' } });
    const s2 = await api.call('snapshot.create', { name: 'two' });
    await api.call('relation.create', { kind: 'conflict', source: dir, target: dep });

    const a = await api.call('snapshot.compare', { a: s1.id, b: s2.id });
    expect(a.from).toEqual({ ref: s1.id, name: 'one', takenAt: s1.takenAt });
    expect(a.differences).toEqual([{ kind: 'person-moved', person: { id: dep, name: 'Sun Haoran' }, field: 'title', before: 'Deputy director', after: 'Director' }]);

    const b = await api.call('snapshot.compare', { a: s2.id, b: 'now' });
    expect(b.to).toEqual({ ref: 'now', name: '', takenAt: null });
    expect(b.differences.map((d) => d.kind)).toEqual(['relation-added']);
    expect(b.newConflicts).toBe(1);

    expect((await api.call('snapshot.compare', { a: 'now', b: 'now' })).differences).toEqual([]);
    await expect(api.call('snapshot.compare', { a: 'nope', b: 'now' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(api.call('snapshot.compare', { a: 'bad id!', b: 'now' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('keeps snapshot bodies compressed on disk, and can erase one person from every snapshot', async () => {
    const { api, session, file } = await openMap();
    const { dir } = await seed(api);
    await api.call('snapshot.create', { name: 'a' });
    await api.call('snapshot.create', { name: 'b' });
    const store = session.requireStore();
    const bytes = await store.byteSize();
    expect(await store.erase((tx) => purgePersonFromSnapshots(tx, dir, bytes))).toBe(2);
    for (const s of await api.call('snapshot.list', {})) {
      const c = await readSnapshot(store, s.id);
      expect(c.people.map((p) => p.id)).not.toContain(dir);
      expect(c.relations.some((r) => r.source === dir || r.target === dir)).toBe(false);
      expect(c.coverage.some((x) => x.personId === dir)).toBe(false);
      expect(s.people).toBe(2);
    }
    await api.call('map.close', {});
    // On disk: the body is not readable text (no names in the clear).
    const db = new Database(file, { readonly: true });
    const bodies = db.prepare('SELECT body FROM snapshot').all() as { body: Buffer }[];
    db.close();
    for (const b of bodies) expect(b.body.includes(Buffer.from('Ma Guolin'))).toBe(false);
    // A closed map refuses snapshot calls with a clear error.
    await expect(api.call('snapshot.list', {})).rejects.toMatchObject({ code: 'NO_MAP_OPEN' });
  });

  it('reports a damaged snapshot body as CORRUPT and leaves the map usable', async () => {
    const { api, file } = await openMap();
    await seed(api);
    const s = await api.call('snapshot.create', { name: 'x' });
    // Damage the body on disk, with the map closed, then open it again.
    await api.call('map.close', {});
    writeMapFile(file, (db) => db.prepare('UPDATE snapshot SET body = ? WHERE id = ?').run(Buffer.from('not brotli at all'), s.id));
    await api.call('map.open', { path: file });
    await expect(api.call('snapshot.get', { id: s.id })).rejects.toMatchObject({ code: 'CORRUPT' });
    await expect(api.call('snapshot.restore', { id: s.id })).rejects.toMatchObject({ code: 'CORRUPT' });
    expect((await api.call('map.get', {})).people).toHaveLength(3);
  });

  it('a snapshot survives closing and reopening the file', async () => {
    const { api, file } = await openMap();
    await seed(api);
    const s = await api.call('snapshot.create', { name: 'kept' });
    await api.call('map.close', {});
    const store = await openMapFile(file);
    try {
      expect((await readSnapshot(store, s.id)).people).toHaveLength(3);
    } finally {
      await store.close();
    }
  });
});

describe('the snapshot codec', () => {
  it('gives back the map it was given (relations by what they connect, positions to the pixel)', () => {
    const content: SnapshotContent = {
      meta: { ...defaultMeta(), account: '江海银行 Jianghai Bank', competitors: ['Tianhe Servers'] },
      people: [
        { ...defaultPersonFields(), id: 'p_a', name: '赵国栋', roles: ['decision-maker', 'my own role'], level: 'decision', lastContact: '2025-03-18', servesOrg: true },
        { ...defaultPersonFields(), id: 'p_b', name: 'Qian "Q" Liming', notes: 'line one\nline two', personalBond: true, attitude: 'strong-opponent' },
      ],
      relations: [
        { id: 'r_x', kind: 'reports_to', source: 'p_b', target: 'p_a', strength: 2, note: '' },
        { id: 'r_y', kind: 'conflict', source: 'p_a', target: 'p_b', strength: 3, note: 'old feud' },
      ],
      team: [{ id: 'm_1', name: 'Rep Lin', role: 'account manager' }],
      coverage: [{ memberId: 'm_1', personId: 'p_b', strength: 1 }],
      positions: { org: [{ id: 'p_a', x: 10.4, y: -20.6, pinned: true }, { id: 'm_1', x: 3, y: 4, pinned: false }] },
    };
    const { body, rawBytes } = encodeSnapshot(content);
    expect(body.length).toBeLessThan(rawBytes);
    const back = decodeSnapshot(CODEC, body);
    expect(back.meta).toEqual(content.meta);
    expect(back.people).toEqual(content.people);
    expect(back.team).toEqual(content.team);
    expect(back.coverage).toEqual(content.coverage);
    expect(back.relations.map(({ id: _id, ...r }) => r)).toEqual(content.relations.map(({ id: _id, ...r }) => r));
    expect(back.positions).toEqual({ org: [{ id: 'p_a', x: 10, y: -21, pinned: true }, { id: 'm_1', x: 3, y: 4, pinned: false }] });
    expect(() => decodeSnapshot('br-cols-9', body, 'future')).toThrowError(expect.objectContaining({ code: 'NEWER_VERSION' }));
  });
});
