/**
 * The desktop app and the team (issue 19), over real HTTP to a team server on a real PostgreSQL,
 * with real map files: publish a local map and read it back field for field (personal details
 * only when asked), the duplicate question, a retried publish; fetch into a file that remembers
 * its origin; the offline round trip with another user editing the same map online (different
 * fields both kept, the same field a conflict to decide, one undoable step named for the sender),
 * a send whose answer was lost retried without duplicates; and the faults: another server, a
 * deleted team map, a server that is down or is not PowerMap — nothing local touched.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MapDocument } from '../../shared/domain';
import { addUser } from '../../server/team/accounts';
import { createMapFile, openMapFile } from '../../services/map/files';
import { documentOf } from '../../services/map/read';
import * as rules from '../../services/map/rules';
import { fetchToFile, mapOrigin, publishMapFile, syncMapFile, unpackBase } from '../../services/team/local-sync';
import { TeamRemote } from '../../services/team/remote';
import { readBundle } from '../../services/team/sync';
import { purgePerson, stripPersonal } from '../../services/privacy/purge';
import { createInteraction, createTrip } from '../../services/time/log';
import { createSnapshot } from '../../services/time/snapshots';
import { claimPublishOp, createTeamMap, mapAccess, mapsFromOrigin, notePublishMap, setMapOrigin } from '../../storage/postgres/maps';
import { PgMapStore } from '../../storage/postgres/map-store';
import type { MapStore } from '../../storage/types';
import { useTestDatabase } from '../helpers/pg';
import { startTeamInProcess, type InProcessServer } from '../helpers/team';
import { sha256, useTmpDir } from '../helpers/tmp';

const db = useTestDatabase();
const tmp = useTmpDir();
let srv: InProcessServer;
const PW = 'correct horse battery staple 42';
const remotes: Record<'ann' | 'bob' | 'vic', TeamRemote> = {} as never;
const ids: Record<string, string> = {};

beforeAll(async () => {
  srv = await startTeamInProcess(db.url);
  for (const [k, name] of [['ann', 'Ann Rep'], ['bob', 'Bob Engineer'], ['vic', 'Vic Viewer']] as const) {
    ids[k] = (await addUser(srv.pool, { email: `${k}@example.invalid`, name, password: PW })).userId;
    remotes[k] = new TeamRemote({ server: srv.url });
    await remotes[k].signIn(`${k}@example.invalid`, PW, 'tests');
  }
}, 120_000);
afterAll(async () => {
  await srv?.close();
});

/** A local map with everything that travels: people, lines, our team, coverage, positions, log, snapshots, settings, profiles, trips. */
async function localMap(name = 'deal.powermap'): Promise<{ file: string; store: MapStore }> {
  const file = path.join(tmp(), name);
  const s = await createMapFile(file, { account: 'Fictional Harbour Bank', deal: 'Core banking renewal', stage: 'tender', posture: 'preferred' });
  await rules.createPerson(s, { id: 'p_hu', name: 'Hu Wenjie', title: 'President', roles: ['decision-maker'], influence: 'high', attitude: 'neutral' });
  await rules.createPerson(s, { id: 'p_lan', name: 'Lan Qiuyue', title: 'CIO', attitude: 'supporter', roles: ['coach'] });
  await rules.createPerson(s, { id: 'p_mo', name: 'Mo Xiaodong', title: 'Head of procurement', notes: 'prefers email' });
  await rules.createRelation(s, { id: 'r1', kind: 'reports_to', source: 'p_lan', target: 'p_hu' });
  await rules.createRelation(s, { id: 'r2', kind: 'conflict', source: 'p_lan', target: 'p_mo', strength: 3, note: 'budget' });
  await rules.createMember(s, { id: 'm1', name: 'Rep Chen', role: 'account manager' });
  await rules.setCoverage(s, 'm1', 'p_lan', 3);
  await rules.updateProfile(s, 'p_lan', { hometown: 'Fictional Harbour Town' });
  await createInteraction(s, { id: 'i1', personId: 'p_lan', date: '2026-10-01', kind: 'meeting', notes: 'workshop' });
  await createTrip(s, { id: 't1', personId: 'p_hu', place: 'Fictional Capital', from: '2027-01-10', to: '2027-01-12' });
  await rules.movePositions(s, 'org', [{ id: 'p_hu', x: 10, y: 20, pinned: true }]);
  await s.setPositions('force', [{ id: 'p_mo', x: -5.5, y: 7.25, pinned: false }]);
  await createSnapshot(s, 'before the tender');
  await s.putSettings({ 'view.layout': '"org"' });
  return { file, store: s };
}

const comparable = (d: MapDocument) => {
  const { path: _p, fileVersion: _v, rev: _r, history: _h, ...rest } = d;
  return rest;
};

/** The team map as one user's store (the same services the server runs for them). */
async function asUser(mapId: string, who: 'ann' | 'bob'): Promise<PgMapStore> {
  const r = await srv.pool.query<{ org_id: string }>('SELECT org_id FROM maps WHERE map_id = $1', [mapId]);
  return new PgMapStore({ pool: srv.pool, orgId: r.rows[0]!.org_id, mapId, userId: ids[who]!, name: 'x' });
}

describe('publish', () => {
  it('a local map read back from the server is the same document, field for field; personal details only when asked', async () => {
    const { store } = await localMap();
    const r = await publishMapFile(remotes.ann, store, { name: 'Harbour Bank', includePersonal: false });
    expect(r.status).toBe('published');
    if (r.status !== 'published') return;
    expect(r.map.role).toBe('owner');
    expect(r.map.owner.email).toBe('ann@example.invalid');

    const f = await remotes.ann.call('maps.fetch', { id: r.map.id, includePersonal: true });
    const local = (await readBundle(store, { includePersonal: true })).bundle;
    const nonPersonal = local.rows.filter((x) => x.t !== 'profile' && x.t !== 'trip');
    expect(f.bundle.rows).toEqual(nonPersonal);
    expect(f.bundle.rows.some((x) => x.t === 'profile' || x.t === 'trip')).toBe(false);
    expect(f.bundle.positions).toEqual(local.positions);
    expect(f.bundle.settings).toEqual(local.settings);
    expect(f.bundle.snapshots).toEqual(local.snapshots);
    const team = await asUser(r.map.id, 'ann');
    const dTeam = await documentOf(team);
    const dLocal = await documentOf(store);
    expect(comparable(dTeam)).toEqual(comparable(dLocal));
    expect(dTeam.people).toHaveLength(3);
    expect((await team.rows('interaction'))).toHaveLength(1);

    // With personal details ticked (a new team map, as asked): profiles and trips travel too.
    const r2 = await publishMapFile(remotes.ann, store, { name: 'Harbour Bank (personal)', includePersonal: true, onDuplicate: 'new' });
    if (r2.status !== 'published') throw new Error('not published');
    expect(r2.map.id).not.toBe(r.map.id);
    const f2 = await remotes.ann.call('maps.fetch', { id: r2.map.id, includePersonal: true });
    expect(f2.bundle.rows).toEqual(local.rows);
    expect(f2.personal).toBe(true);
    await store.close();
  });

  it('a publish whose server instance died half-way: the retry with its id removes the half-made map and publishes once', async () => {
    const { store } = await localMap('half.powermap');
    const originId = (await mapOrigin(store)).originId;
    const org = (await srv.pool.query<{ org_id: string }>('SELECT org_id FROM users WHERE user_id = $1', [ids.ann])).rows[0]!.org_id;
    // What a killed instance leaves: the claim without an answer, an empty map carrying the origin.
    expect(await claimPublishOp(srv.pool, org, ids.ann!, 'dead-publish-0001')).toEqual({ mine: true, halfMade: null });
    const half = await createTeamMap(srv.pool, org, ids.ann!, 'Half');
    await notePublishMap(srv.pool, org, ids.ann!, 'dead-publish-0001', half);
    await setMapOrigin(srv.pool, org, half, originId);
    // While the claim is fresh, another attempt is told it is still running; once it is stale, the next one takes over.
    expect(await claimPublishOp(srv.pool, org, ids.ann!, 'dead-publish-0001')).toBe('running');
    await srv.pool.query("UPDATE publish_ops SET at = now() - interval '10 minutes' WHERE op_id = $1", ['dead-publish-0001']);
    const r = await publishMapFile(remotes.ann, store, { name: 'Half', includePersonal: false, opId: 'dead-publish-0001' });
    expect(r).toMatchObject({ status: 'published', mode: 'new' });
    if (r.status !== 'published') throw new Error('unexpected');
    expect(r.map.id).not.toBe(half);
    expect(await mapAccess(srv.pool, org, half, ids.ann!)).toBeNull();
    expect((await mapsFromOrigin(srv.pool, org, ids.ann!, originId)).map((m) => m.mapId)).toEqual([r.map.id]);
    expect((await documentOf(await asUser(r.map.id, 'ann'))).people.map((p) => p.name).sort()).toEqual(['Hu Wenjie', 'Lan Qiuyue', 'Mo Xiaodong']);
    // And its answer is now the one every later retry gets.
    expect(await publishMapFile(remotes.ann, store, { name: 'Half', includePersonal: false, opId: 'dead-publish-0001' })).toEqual(r);
  });

  it('publishing twice asks instead of duplicating; a retry with the same operation id returns the first answer', async () => {
    const { store } = await localMap('twice.powermap');
    const before = (await remotes.ann.call('maps.list', {})).length;
    const first = await publishMapFile(remotes.ann, store, { name: 'Twice', includePersonal: false, opId: 'publish-op-0001' });
    const retry = await publishMapFile(remotes.ann, store, { name: 'Twice', includePersonal: false, opId: 'publish-op-0001' });
    expect(retry).toEqual(first);
    expect((await remotes.ann.call('maps.list', {})).length).toBe(before + 1);

    const again = await publishMapFile(remotes.ann, store, { name: 'Twice', includePersonal: false });
    expect(again.status).toBe('duplicate');
    if (again.status !== 'duplicate' || first.status !== 'published') throw new Error('unexpected');
    expect(again.existing.map((m) => m.mapId)).toEqual([first.map.id]);
    expect((await remotes.ann.call('maps.list', {})).length).toBe(before + 1);

    // Answer "update": the team map is brought to the local content in one undoable step.
    await rules.updatePerson(store, 'p_mo', { attitude: 'opponent' });
    const up = await publishMapFile(remotes.ann, store, { name: 'Twice', includePersonal: false, onDuplicate: 'update' });
    expect(up).toMatchObject({ status: 'published', mode: 'update', map: { id: first.map.id } });
    const d = await documentOf(await asUser(first.map.id, 'ann'));
    expect(d.people.find((p) => p.id === 'p_mo')!.attitude).toBe('opponent');
    expect(d.history.undoLabel).toMatchObject({ key: 'sync.publish' });
    expect((await remotes.ann.call('maps.list', {})).length).toBe(before + 1);

    // Someone who cannot see the first map is not asked about it: theirs is a new map.
    const bobs = await publishMapFile(remotes.bob, store, { name: 'Twice (Bob)', includePersonal: false });
    expect(bobs.status).toBe('published');
    await store.close();
  });

  it('refuses a bundle with personal rows not asked for, unknown columns or rows that break the map', async () => {
    const { store } = await localMap('bad.powermap');
    const { bundle } = await readBundle(store, { includePersonal: true });
    const base = { name: 'Bad', originId: crypto.randomUUID(), includePersonal: false, onDuplicate: 'new' as const };
    await expect(remotes.ann.call('maps.publish', { ...base, opId: 'bad-op-00001', bundle })).rejects.toMatchObject({ code: 'BAD_REQUEST', params: { reason: 'bad_bundle' } });
    const noPersonal = { ...bundle, rows: bundle.rows.filter((r) => r.t !== 'profile' && r.t !== 'trip') };
    const sneaky = { ...noPersonal, rows: noPersonal.rows.map((r) => (r.t === 'person' ? { t: r.t, row: { ...r.row, map_id: crypto.randomUUID() } } : r)) };
    await expect(remotes.ann.call('maps.publish', { ...base, opId: 'bad-op-00002', bundle: sneaky })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    const evil = { ...noPersonal, rows: noPersonal.rows.map((r) => (r.t === 'person' ? { t: r.t, row: { ...r.row, attitude: 'evil' } } : r)) };
    await expect(remotes.ann.call('maps.publish', { ...base, opId: 'bad-op-00003', bundle: evil })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    const orphan = { ...noPersonal, rows: [...noPersonal.rows, { t: 'coverage' as const, row: { member_id: 'm1', person_id: 'nobody', strength: 2 } }] };
    const before = (await remotes.ann.call('maps.list', {})).length;
    await expect(remotes.ann.call('maps.publish', { ...base, opId: 'bad-op-00004', bundle: orphan })).rejects.toMatchObject({ code: 'INVALID_EDIT' });
    expect((await remotes.ann.call('maps.list', {})).length).toBe(before); // the half-made map is gone
    await store.close();
  });
});

describe('offline and back', () => {
  it('fetch, edit offline while another user edits online, send: the rules, the conflict shown, nothing lost, one undoable step', async () => {
    const { store: src } = await localMap('source.powermap');
    const pub = await publishMapFile(remotes.ann, src, { name: 'Round trip', includePersonal: false });
    await src.close();
    if (pub.status !== 'published') throw new Error('not published');
    const mapId = pub.map.id;
    await remotes.ann.call('maps.share', { id: mapId, email: 'bob@example.invalid', role: 'editor' });

    const file = path.join(tmp(), 'offline.powermap');
    const { store, result } = await fetchToFile(remotes.ann, mapId, file);
    const origin = await mapOrigin(store);
    expect(origin.team).toMatchObject({ server: new URL(srv.url).origin, mapId, rev: result.rev, mapName: 'Round trip' });
    expect(comparable(await documentOf(store))).toEqual(comparable(await documentOf(await asUser(mapId, 'ann'))));

    // Offline (Ann): Hu's title (Bob changes it too), Mo's notes (Bob leaves them), a new person, a deleted line.
    await rules.updatePerson(store, 'p_hu', { title: 'Chairman' });
    await rules.updatePerson(store, 'p_mo', { notes: 'call before 10' });
    await rules.createPerson(store, { id: 'p_new', name: 'Qi Shan', title: 'Architect' });
    await rules.deleteRelation(store, 'r2');
    // Online (Bob), meanwhile: Hu's title to something else, Hu's attitude (a field Ann left).
    const bob = await asUser(mapId, 'bob');
    await rules.updatePerson(bob, 'p_hu', { title: 'President and CEO', attitude: 'supporter' });
    const revBefore = await bob.rev();

    const first = await syncMapFile(remotes.ann, store);
    expect(first.status).toBe('conflicts');
    if (first.status !== 'conflicts') return;
    expect(first.conflicts).toHaveLength(1);
    expect(first.conflicts[0]).toMatchObject({ t: 'person', field: 'title', base: 'President', mine: 'Chairman', theirs: 'President and CEO', label: 'Hu Wenjie', theirsBy: { id: ids.bob, name: 'Bob Engineer' } });
    expect(await bob.rev()).toBe(revBefore); // nothing half-applied
    expect((await store.row('person', { id: 'p_hu' }))!.title).toBe('Chairman'); // nothing local touched

    const done = await syncMapFile(remotes.ann, store, { decisions: [{ id: first.conflicts[0]!.id, take: 'theirs' }] });
    expect(done).toMatchObject({ status: 'merged', rev: revBefore + 1 });
    if (done.status !== 'merged') return;
    expect(done.keptTheirs.map((c) => [c.field, c.mine])).toEqual([['title', 'Chairman']]); // not silently dropped: reported

    const team = await documentOf(bob);
    const hu = team.people.find((p) => p.id === 'p_hu')!;
    expect(hu.title).toBe('President and CEO'); // decided: theirs
    expect(hu.attitude).toBe('supporter'); // Bob's field kept
    expect(team.people.find((p) => p.id === 'p_mo')!.notes).toBe('call before 10'); // Ann's field
    expect(team.people.find((p) => p.id === 'p_new')!.name).toBe('Qi Shan');
    expect(team.relations.some((r) => r.id === 'r2')).toBe(false);
    // The local file is the merged map, and its base moved to the new revision.
    expect(comparable(await documentOf(store))).toEqual(comparable(team));
    const o2 = await store.origin!();
    expect(o2.team!.rev).toBe(done.rev);
    expect(unpackBase(o2.base!).rows.find((r) => r.t === 'person' && r.row.id === 'p_new')).toBeTruthy();

    // One step in the team's history, named for Ann; her undo takes the whole merge back.
    const hist = await remotes.ann.call('maps.history', { id: mapId, limit: 5 });
    expect(hist[0]).toMatchObject({ by: { id: ids.ann, name: 'Ann Rep' } });
    expect(JSON.parse(hist[0]!.label)).toMatchObject({ key: 'sync.merge' });
    const audit = await srv.pool.query<{ kind: string; user_id: string }>("SELECT kind, user_id FROM audit WHERE kind = 'map.send' AND map_id = $1", [mapId]);
    expect(audit.rows).toEqual([{ kind: 'map.send', user_id: ids.ann }]);
    const annTeam = await asUser(mapId, 'ann');
    await annTeam.undo();
    const undone = await documentOf(annTeam);
    expect(undone.people.some((p) => p.id === 'p_new')).toBe(false);
    expect(undone.people.find((p) => p.id === 'p_mo')!.notes).toBe('prefers email');
    expect(undone.relations.some((r) => r.id === 'r2')).toBe(true);
    expect(undone.people.find((p) => p.id === 'p_hu')!.attitude).toBe('supporter'); // Bob's edit stays
    await store.close();
  });

  it('the conflict decided "mine" writes mine; a person deleted offline while edited online is a conflict too', async () => {
    const { store: src } = await localMap('mine-src.powermap');
    const pub = await publishMapFile(remotes.ann, src, { name: 'Mine', includePersonal: false });
    await src.close();
    if (pub.status !== 'published') throw new Error('not published');
    await remotes.ann.call('maps.share', { id: pub.map.id, email: 'bob@example.invalid', role: 'editor' });
    const { store } = await fetchToFile(remotes.ann, pub.map.id, path.join(tmp(), 'mine.powermap'));
    await rules.updatePerson(store, 'p_hu', { influence: 'low' });
    await rules.deletePerson(store, 'p_mo');
    const bob = await asUser(pub.map.id, 'bob');
    await rules.updatePerson(bob, 'p_hu', { influence: 'medium' });
    await rules.updatePerson(bob, 'p_mo', { title: 'Chief procurement officer' });
    const c = await syncMapFile(remotes.ann, store);
    if (c.status !== 'conflicts') throw new Error('expected conflicts');
    expect(c.conflicts.map((x) => [x.t, x.field]).sort()).toEqual([
      ['person', '*'],
      ['person', 'influence'],
    ]);
    const whole = c.conflicts.find((x) => x.field === '*')!;
    expect(whole).toMatchObject({ label: 'Mo Xiaodong', mine: null });
    const done = await syncMapFile(remotes.ann, store, { decisions: c.conflicts.map((x) => ({ id: x.id, take: 'mine' as const })) });
    expect(done.status).toBe('merged');
    const d = await documentOf(bob);
    expect(d.people.find((p) => p.id === 'p_hu')!.influence).toBe('low');
    expect(d.people.some((p) => p.id === 'p_mo')).toBe(false);
    expect(d.relations.some((r) => r.source === 'p_mo' || r.target === 'p_mo')).toBe(false);
    await store.close();
  });

  it('a line drawn offline to someone the team deleted meanwhile is shown, not written, and the rest goes through', async () => {
    const { store: src } = await localMap('gone-src.powermap');
    const pub = await publishMapFile(remotes.ann, src, { name: 'Gone', includePersonal: false });
    await src.close();
    if (pub.status !== 'published') throw new Error('not published');
    await remotes.ann.call('maps.share', { id: pub.map.id, email: 'bob@example.invalid', role: 'editor' });
    const { store } = await fetchToFile(remotes.ann, pub.map.id, path.join(tmp(), 'gone.powermap'));
    await rules.setCoverage(store, 'm1', 'p_mo', 2);
    await rules.updatePerson(store, 'p_hu', { notes: 'met at the expo' });
    await rules.deletePerson(await asUser(pub.map.id, 'bob'), 'p_mo');
    const c = await syncMapFile(remotes.ann, store);
    if (c.status !== 'conflicts') throw new Error('expected conflicts');
    expect(c.conflicts).toMatchObject([{ t: 'coverage', field: '*', mine: 1, theirs: null }]);
    const done = await syncMapFile(remotes.ann, store, { decisions: [{ id: c.conflicts[0]!.id, take: 'mine' }] });
    if (done.status !== 'merged') throw new Error('expected merged');
    expect(done.keptTheirs).toHaveLength(1);
    const d = await documentOf(await asUser(pub.map.id, 'ann'));
    expect(d.people.find((p) => p.id === 'p_hu')!.notes).toBe('met at the expo');
    expect(d.coverage.some((x) => x.personId === 'p_mo')).toBe(false);
    expect(comparable(await documentOf(store))).toEqual(comparable(d));
    await store.close();
  });

  it('a send whose answer was lost (the server committed, the connection dropped) is retried without duplicates', async () => {
    const { store: src } = await localMap('drop-src.powermap');
    const pub = await publishMapFile(remotes.ann, src, { name: 'Dropped', includePersonal: false });
    await src.close();
    if (pub.status !== 'published') throw new Error('not published');
    const { store } = await fetchToFile(remotes.ann, pub.map.id, path.join(tmp(), 'drop.powermap'));
    await rules.createMember(store, { id: 'm2', name: 'Rep Du', role: 'presales' });
    await rules.setCoverage(store, 'm2', 'p_hu', 2);

    // A client whose first maps.send reaches the server, which commits, but whose answer is lost.
    let dropped = 0;
    const flaky = new TeamRemote({
      server: srv.url,
      token: remotes.ann.token,
      fetch: async (url, init) => {
        const res = await fetch(url, init);
        if (String(url).endsWith('/api/maps.send') && dropped === 0) {
          dropped++;
          await res.text();
          throw new TypeError('fetch failed', { cause: { code: 'ECONNRESET' } });
        }
        return res;
      },
    });
    const team = await asUser(pub.map.id, 'ann');
    const rev0 = await team.rev();
    const r = await syncMapFile(flaky, store);
    expect(dropped).toBe(1);
    expect(r).toMatchObject({ status: 'merged', rev: rev0 + 1 });
    expect(await team.rev()).toBe(rev0 + 1); // applied once
    const steps = (await team.undoSteps()).filter((s) => JSON.parse(s.label).key === 'sync.merge');
    expect(steps).toHaveLength(1);
    expect(await team.rows('member', { id: 'm2' })).toHaveLength(1);
    expect((await store.origin!()).team!.rev).toBe(rev0 + 1);

    // The same operation sent once more by hand: the first answer, nothing applied.
    const o = await store.origin!();
    const again = await remotes.ann.call('maps.send', { id: pub.map.id, baseRev: rev0, opId: 'same-op-123456', changes: [{ t: 'member', base: null, mine: { id: 'm3', name: 'Rep Ma', role: '' } }] });
    const twice = await remotes.ann.call('maps.send', { id: pub.map.id, baseRev: rev0, opId: 'same-op-123456', changes: [{ t: 'member', base: null, mine: { id: 'm3', name: 'Rep Ma', role: '' } }] });
    expect(twice.rev).toBe(again.rev);
    expect(await team.rev()).toBe(again.rev);
    void o;
    await store.close();
  });
});

describe('the right to erasure reaches the saved copy of the team map', () => {
  it('a purge on the local file removes the person from its base image too; removing personal details removes them there', async () => {
    const { store: src } = await localMap('erase-src.powermap');
    const pub = await publishMapFile(remotes.ann, src, { name: 'Erase', includePersonal: true });
    await src.close();
    if (pub.status !== 'published') throw new Error('not published');
    const file = path.join(tmp(), 'erase.powermap');
    const { store } = await fetchToFile(remotes.ann, pub.map.id, file, { includePersonal: true });
    const image = async () => unpackBase((await store.origin!()).base!);
    expect((await image()).rows.some((r) => r.t === 'profile')).toBe(true);
    await purgePerson(store, 'p_mo');
    const after = await image();
    expect(JSON.stringify(after)).not.toContain('p_mo');
    expect(JSON.stringify(after)).not.toContain('Mo Xiaodong');
    expect(after.rows.some((r) => r.t === 'person' && r.row.id === 'p_hu')).toBe(true);
    await stripPersonal(store);
    const stripped = await image();
    expect(stripped.rows.some((r) => r.t === 'profile' || r.t === 'trip')).toBe(false);
    expect(JSON.stringify(stripped)).not.toContain('Fictional Harbour Town');
    await store.close();
  });
});

describe('faults: said plainly, nothing local touched', () => {
  it('a file from another server, a deleted team map, a server that is down or is not PowerMap', async () => {
    const { store: src } = await localMap('faults-src.powermap');
    const pub = await publishMapFile(remotes.ann, src, { name: 'Faults', includePersonal: false });
    await src.close();
    if (pub.status !== 'published') throw new Error('not published');
    const file = path.join(tmp(), 'faults.powermap');
    const { store } = await fetchToFile(remotes.ann, pub.map.id, file);
    await rules.updatePerson(store, 'p_hu', { notes: 'offline note' });
    await store.close();
    const hash = sha256(file);

    // Another server (another address): refused before anything is sent.
    const other = await new Promise<http.Server>((resolve) => {
      const s = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<h1>Welcome to nginx</h1>'));
      s.listen(0, '127.0.0.1', () => resolve(s));
    });
    const port = (other.address() as { port: number }).port;
    const otherRemote = new TeamRemote({ server: `http://127.0.0.1:${port}`, token: 'pmat_x' });
    let s = await openMapFile(file);
    await expect(syncMapFile(otherRemote, s)).rejects.toMatchObject({ code: 'BAD_REQUEST', params: { reason: 'other_server' } });
    // Something else answering: not a PowerMap server.
    await expect(otherRemote.call('maps.list', {})).rejects.toMatchObject({ code: 'IO', params: { reason: 'not_powermap' } });
    await new Promise((r) => other.close(r));
    // Down: nobody listening.
    await expect(new TeamRemote({ server: `http://127.0.0.1:${port}` }).call('maps.list', {})).rejects.toMatchObject({ code: 'IO', params: { reason: 'unreachable' } });
    // An expired or revoked token.
    await expect(new TeamRemote({ server: srv.url, token: 'pmat_00000000000000000000000000000000_nope' }).call('maps.list', {})).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });

    // The team map deleted: said plainly; the file is unchanged and still opens and edits.
    await remotes.ann.call('maps.delete', { id: pub.map.id });
    await expect(syncMapFile(remotes.ann, s)).rejects.toMatchObject({ code: 'NOT_FOUND', params: { reason: 'team_map_gone' } });
    await s.close();
    expect(sha256(file)).toBe(hash);
    s = await openMapFile(file);
    expect((await s.row('person', { id: 'p_hu' }))!.notes).toBe('offline note');
    await rules.updatePerson(s, 'p_hu', { notes: 'still usable' });
    await s.close();
    expect(fs.existsSync(file)).toBe(true);
  });

  it('a viewer may fetch (without personal details) but not send', async () => {
    const { store: src } = await localMap('viewer-src.powermap');
    const pub = await publishMapFile(remotes.ann, src, { name: 'Viewer', includePersonal: true });
    await src.close();
    if (pub.status !== 'published') throw new Error('not published');
    await remotes.ann.call('maps.share', { id: pub.map.id, email: 'vic@example.invalid', role: 'viewer' });
    const f = await remotes.vic.call('maps.fetch', { id: pub.map.id, includePersonal: true });
    expect(f.personal).toBe(false);
    expect(f.bundle.rows.some((r) => r.t === 'profile' || r.t === 'trip')).toBe(false);
    await expect(remotes.vic.call('maps.send', { id: pub.map.id, baseRev: f.rev, opId: 'viewer-op-0001', changes: [] })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(remotes.bob.call('maps.fetch', { id: pub.map.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    // An editor's send is checked like a live edit: a name far too long, an unknown layout, a foreign column.
    const send = (changes: unknown[], op: string) => remotes.ann.call('maps.send', { id: pub.map.id, baseRev: f.rev, opId: op, changes: changes as never });
    await expect(send([{ t: 'person', base: { id: 'p_hu', name: 'Hu Wenjie' }, mine: { id: 'p_hu', name: 'x'.repeat(5000) } }], 'check-op-0001')).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(send([{ t: 'position', base: null, mine: { layout: 'nowhere', node_id: 'p_hu', x: 1, y: 1, pinned: 0 } }], 'check-op-0002')).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(send([{ t: 'member', base: null, mine: { id: 'm9', name: 'Rep X', role: '', org_id: crypto.randomUUID() } }], 'check-op-0003')).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });
});
