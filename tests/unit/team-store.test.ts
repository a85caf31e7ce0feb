/**
 * One service layer, two engines (issue 18 item 2): the same services — the map rules, the contact
 * log, snapshots and restore, undo and redo, purge — run over a map file and over a team map in a
 * real PostgreSQL, and end with the same map. Then what only the team store does: edits of two
 * people on the same person merge field by field, undo is per user and leaves others' later
 * changes alone, a retried operation is not applied twice, and a purge leaves nothing of the
 * person in any table of the database.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../shared/api/errors';
import { createMapFile } from '../../services/map/files';
import { documentOf, person } from '../../services/map/read';
import * as rules from '../../services/map/rules';
import { purgePerson } from '../../services/privacy/purge';
import { createInteraction, createTrip } from '../../services/time/log';
import { createSnapshot, readSnapshot, restoreSnapshot } from '../../services/time/snapshots';
import { defaultOrganization, insertUser } from '../../storage/postgres/accounts';
import { createTeamMap } from '../../storage/postgres/maps';
import { SessionGate } from '../../storage/postgres/gate';
import { PgMapStore } from '../../storage/postgres/map-store';
import { migrate } from '../../storage/postgres/migrate';
import { createPool, type Pool } from '../../storage/postgres/pool';
import type { MapStore } from '../../storage/types';
import { useTestDatabase } from '../helpers/pg';
import { useTmpDir } from '../helpers/tmp';
import { queriesSent } from '../helpers/pg-spy';

const db = useTestDatabase();
const tmp = useTmpDir();
let pool: Pool;
let orgId = '';
const users: Record<string, string> = {};

beforeAll(async () => {
  pool = createPool({ url: db.url });
  await migrate(pool);
  orgId = (await defaultOrganization(pool)).orgId;
  for (const who of ['ava', 'ben', 'cai']) {
    const u = await insertUser(pool, { orgId, email: `${who}@example.invalid`, name: who, passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA' });
    users[who] = u.userId;
  }
}, 60_000);
afterAll(async () => {
  await pool?.end();
});

async function teamMap(owner = 'ava'): Promise<{ mapId: string; as: (who: string, extra?: { opId?: string; baseRev?: number }) => PgMapStore }> {
  const mapId = await createTeamMap(pool, orgId, users[owner]!, 'Fictional City Bank');
  const as = (who: string, extra: { opId?: string; baseRev?: number } = {}) =>
    new PgMapStore({ pool, orgId, mapId, userId: users[who]!, name: 'Fictional City Bank', ...extra });
  await as(owner).load({ rows: [{ t: 'map_meta', row: rules.newMetaRow({ account: 'Fictional City Bank' }) }] });
  return { mapId, as };
}

/** One script of ordinary work, as the app's handlers would call it. */
async function script(s: MapStore): Promise<void> {
  const ids = { a: 'p_hu', b: 'p_lan', c: 'p_mo' };
  await rules.createPerson(s, { id: ids.a, name: 'Hu Wenjie', title: 'President', roles: ['decision-maker'], influence: 'high' });
  await rules.createPerson(s, { id: ids.b, name: 'Lan Qiuyue', title: 'CIO', attitude: 'supporter' });
  await rules.createPerson(s, { id: ids.c, name: 'Mo Xiaodong', title: 'Head of procurement' });
  await rules.createRelation(s, { id: 'r1', kind: 'reports_to', source: ids.b, target: ids.a });
  await rules.createRelation(s, { id: 'r2', kind: 'conflict', source: ids.b, target: ids.c, strength: 3 });
  await expect(rules.createRelation(s, { kind: 'reports_to', source: ids.a, target: ids.b })).rejects.toMatchObject({ code: 'INVALID_EDIT', params: { reason: 'reporting_loop' } });
  await rules.createMember(s, { id: 'm1', name: 'Rep Chen', role: 'account manager' });
  await rules.setCoverage(s, 'm1', ids.b, 3);
  await rules.updateProfile(s, ids.b, { hometown: 'Fictional Harbour Town' });
  await createInteraction(s, { id: 'i1', personId: ids.b, date: '2026-10-01', kind: 'meeting' });
  await createTrip(s, { id: 't1', personId: ids.a, place: 'Beijing', from: '2027-01-10', to: '2027-01-12' });
  const snap = await createSnapshot(s, 'before the tender');
  await rules.updatePerson(s, ids.a, { attitude: 'opponent' });
  await rules.deletePerson(s, ids.c);
  await s.undo();
  await s.redo();
  await restoreSnapshot(s, snap.id);
  await s.undo(); // the restore
  await rules.updateMeta(s, { stage: 'tender', deal: 'Online-banking servers' });
}

const comparable = async (s: MapStore) => {
  const d = await documentOf(s);
  const { path: _p, fileVersion: _v, rev: _r, ...rest } = d;
  void _p;
  void _v;
  void _r;
  // Evidence carries the instant of each edit (issue 20), which differs between the two runs:
  // compare whether each fact is verified, by whom and from what source, and that it has a time.
  const when = (v: string | null) => (v === null ? null : typeof v === 'string' && !Number.isNaN(Date.parse(v)) ? 'instant' : v);
  const ev = <E extends { verifiedAt: string | null; changedAt: string }>(e: E | undefined) => e && { ...e, verifiedAt: when(e.verifiedAt), changedAt: when(e.changedAt) };
  return {
    ...rest,
    people: rest.people.map((p) => ({ ...p, evidence: p.evidence && Object.fromEntries(Object.entries(p.evidence).map(([k, e]) => [k, ev(e)])) })),
    relations: rest.relations.map((r) => ({ ...r, evidence: ev(r.evidence) })),
  };
};

describe('one service layer over a map file and a team map', () => {
  it('the same script ends in the same map, history and undo state included', async () => {
    const file = await createMapFile(path.join(tmp(), 'parity.powermap'), { account: 'Fictional City Bank' });
    const { as } = await teamMap();
    const team = as('ava');
    await script(file);
    await script(team);
    expect(await comparable(team)).toEqual(await comparable(file));
    expect((await team.undoSteps()).map((e) => e.label)).toEqual((await file.undoSteps()).map((e) => e.label));
    expect((await team.undoSteps()).every((e) => e.by === users.ava)).toBe(true);
    await file.close();
  });
});

describe('a team map edited by several people', () => {
  it('keeps both changes when two people edit different fields of one person', async () => {
    const { as } = await teamMap();
    await rules.createPerson(as('ava'), { id: 'p1', name: 'Hu Wenjie' });
    const base = await as('ava').rev();
    await Promise.all([rules.updatePerson(as('ava', { baseRev: base }), 'p1', { title: 'President' }), rules.updatePerson(as('ben', { baseRev: base }), 'p1', { attitude: 'supporter' })]);
    expect(await person(as('cai'), 'p1')).toMatchObject({ title: 'President', attitude: 'supporter' });
  });

  it('on the same field the later write wins, the earlier value stays in the history, and its author is told', async () => {
    const { mapId, as } = await teamMap();
    await rules.createPerson(as('ava'), { id: 'p1', name: 'Hu Wenjie' });
    const base = await as('ava').rev();
    const listener = new pg.Client({ connectionString: db.url });
    listener.on('error', () => undefined);
    await listener.connect();
    const notices: { to: string; notice: { kind: string; field: string; was: string; now: string; by: string } }[] = [];
    listener.on('notification', (n) => {
      if (n.channel === 'powermap_notice') notices.push(JSON.parse(n.payload!));
    });
    await listener.query('LISTEN powermap_notice');
    await rules.updatePerson(as('ava', { baseRev: base }), 'p1', { title: 'President' });
    await rules.updatePerson(as('ben', { baseRev: base }), 'p1', { title: 'Vice-president' }); // had not seen Ava's
    expect((await person(as('cai'), 'p1'))!.title).toBe('Vice-president');
    const history = (await as('cai').undoSteps()).map((e) => ({ by: e.by, title: e.changes[0]!.a!.title }));
    expect(history.slice(-2)).toEqual([
      { by: users.ava, title: 'President' },
      { by: users.ben, title: 'Vice-president' },
    ]);
    for (let i = 0; i < 50 && !notices.length; i++) await new Promise((r) => setTimeout(r, 20));
    await listener.end();
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ to: users.ava, notice: { kind: 'replaced', field: 'title', was: 'President', now: 'Vice-president', by: users.ben } });
    void mapId;
  });

  it('undo undoes your own last edit, and leaves a field someone else changed since as it is, saying so', async () => {
    const { as } = await teamMap();
    await rules.createPerson(as('ava'), { id: 'p1', name: 'Hu Wenjie' });
    await rules.updatePerson(as('ava'), 'p1', { title: 'President', attitude: 'opponent' });
    await rules.updatePerson(as('ben'), 'p1', { department: 'Head office' });
    await rules.updatePerson(as('ben'), 'p1', { title: 'Chairman' });
    // Ava's undo takes back her own step (not Ben's newer ones): attitude back, title left as Ben set it.
    const c = await as('ava').undo();
    expect(await person(as('cai'), 'p1')).toMatchObject({ title: 'Chairman', attitude: 'neutral', department: 'Head office' });
    expect(c.notices).toEqual([expect.objectContaining({ kind: 'kept', entity: 'person', id: 'p1', field: 'title' })]);
    // Ben's history is his own.
    expect((await as('ben').history()).undoLabel).toEqual({ key: 'person.edit', params: { name: 'Hu Wenjie' } });
    expect((await as('cai').history()).canUndo).toBe(false);
  });

  it('a new edit ends its own author’s redo tail only; an admin command’s steps (no user) undo and redo among themselves', async () => {
    const { mapId, as } = await teamMap();
    const admin = new PgMapStore({ pool, orgId, mapId, userId: null, name: 'Fictional City Bank' });
    await rules.createPerson(as('ava'), { id: 'p1', name: 'Hu Wenjie' });
    await rules.updatePerson(as('ben'), 'p1', { title: 'Chairman' });
    await rules.updatePerson(admin, 'p1', { department: 'Head office' });
    await as('ben').undo();
    await admin.undo();
    expect(await person(as('cai'), 'p1')).toMatchObject({ title: '', department: '' });
    expect((await admin.history()).redoLabel).toEqual({ key: 'person.edit', params: { name: 'Hu Wenjie' } });
    // Ava's edit leaves Ben's and the admin's undone steps where they are.
    await rules.updatePerson(as('ava'), 'p1', { attitude: 'supporter' });
    expect((await as('ben').history()).canRedo).toBe(true);
    expect((await admin.history()).canRedo).toBe(true);
    await admin.redo();
    expect(await person(as('cai'), 'p1')).toMatchObject({ department: 'Head office', attitude: 'supporter' });
    // The admin's next edit ends the admin's redo tail (there is none left) and Ben's stays.
    await admin.undo();
    await rules.updatePerson(admin, 'p1', { notes: 'Reorganised' });
    expect(await admin.history()).toMatchObject({ canUndo: true, canRedo: false });
    expect((await as('ben').history()).canRedo).toBe(true);
    const undone = await pool.query<{ user_id: string | null }>('SELECT user_id FROM undo_log WHERE map_id = $1 AND undone', [mapId]);
    expect(undone.rows).toEqual([{ user_id: users.ben }]);
  });

  it('a session check that refuses in the edit’s first message rolls it back, leaves the map free, and refuses whatever the call asks next', async () => {
    const { mapId, as } = await teamMap();
    await rules.createPerson(as('ava'), { id: 'p1', name: 'Hu Wenjie' });
    const rev = await as('ava').rev();
    let judged = 0;
    // A session that does not exist: the check finds nothing, and the verdict refuses.
    const gate = new SessionGate({ orgId, hash: crypto.randomBytes(32), idleSeconds: 3600, userId: users.ava!, mapId }, (found) => {
      judged++;
      if (!found) throw new ApiError('UNAUTHENTICATED', 'the session has ended');
    });
    const s = new PgMapStore({ pool, orgId, mapId, userId: users.ava!, name: '', gate });
    await expect(rules.updatePerson(s, 'p1', { title: 'Refused' })).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(rules.updatePerson(s, 'p1', { title: 'Refused again' })).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(s.rows('person')).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(gate.settle(pool)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(judged).toBe(1);
    expect(await as('ava').rev()).toBe(rev);
    expect((await person(as('ben'), 'p1'))!.title).toBe('');
    await rules.updatePerson(as('ben'), 'p1', { title: 'Chairman' }); // the map is not held
    expect((await person(as('ava'), 'p1'))!.title).toBe('Chairman');
  });

  it('a call retried with the same operation id is answered from its record, not applied twice', async () => {
    const { as } = await teamMap();
    const first = await rules.createMember(as('ava', { opId: 'op-0000-aaaa-1111' }), { id: 'm1', name: 'Rep Chen' });
    const again = await rules.createMember(as('ava', { opId: 'op-0000-aaaa-1111' }), { id: 'm1', name: 'Rep Chen' });
    expect(again).toEqual(first);
    expect((await as('ava').rows('member')).length).toBe(1);
    expect(await as('ava').rev()).toBe(first.rev);
  });

  it('two copies of one call racing (the retry sent while the first still waits for the map) are applied once', async () => {
    const { mapId, as } = await teamMap();
    await rules.createPerson(as('ava'), { id: 'p1', name: 'Hu Wenjie' });
    const rev = await as('ava').rev();
    // Someone else's long transaction holds the map: both copies arrive and wait behind it.
    const holder = new pg.Client({ connectionString: db.url });
    holder.on('error', () => undefined);
    await holder.connect();
    await holder.query('BEGIN');
    await holder.query('SELECT rev FROM maps WHERE map_id = $1 FOR UPDATE', [mapId]);
    const first = rules.updatePerson(as('ava', { opId: 'op-race-0000-1111' }), 'p1', { title: 'President', attitude: 'supporter' });
    const retry = rules.updatePerson(as('ava', { opId: 'op-race-0000-1111' }), 'p1', { title: 'President', attitude: 'supporter' });
    await new Promise((r) => setTimeout(r, 300));
    await holder.query('COMMIT');
    await holder.end();
    const [a, b] = await Promise.all([first, retry]);
    expect(b).toEqual(a);
    expect(a.people?.[0]).toMatchObject({ title: 'President', attitude: 'supporter' });
    expect(await as('ava').rev()).toBe(rev + 1);
  });

  it('an edit of one field costs two round trips to PostgreSQL: begin, lock and the person’s row; then the write with the log and the commit', async () => {
    const { as } = await teamMap();
    await rules.createPerson(as('ava'), { id: 'p1', name: 'Hu Wenjie' });
    const sent = await queriesSent(async () => {
      await rules.updatePerson(as('ava', { opId: 'op-count-0000-1111' }), 'p1', { title: 'President' });
    });
    expect(sent).toHaveLength(2);
    // The statements every edit sends are prepared once per connection (the pool's connection already was).
    expect(sent[0]).toMatch(/^BEGIN;\nEXECUTE powermap_lock\([\s\S]*;\nEXECUTE powermap_op_find\([\s\S]*SELECT \* FROM person/);
    expect(sent[1]).toMatch(
      /^UPDATE person SET title[\s\S]*;\nEXECUTE powermap_edit_bump\([\s\S]*;\nEXECUTE powermap_op_record\([\s\S]*COMMIT$/,
    );
    expect((await person(as('ben'), 'p1'))!.title).toBe('President');
    expect((await as('ava').history()).undoLabel).toEqual({ key: 'person.edit', params: { name: 'Hu Wenjie' } });
  });

  it('a connection prepares the statements every edit sends once, in one message before its first transaction', async () => {
    const { mapId, as } = await teamMap();
    const fresh = createPool({ url: db.url, max: 1 });
    const sent = await queriesSent(async () => {
      try {
        const s = new PgMapStore({ pool: fresh, orgId, mapId, userId: users.ava!, name: 'Fictional City Bank' });
        await rules.createPerson(s, { id: 'p1', name: 'Hu Wenjie' });
        await rules.updatePerson(s, 'p1', { title: 'President' });
      } finally {
        await fresh.end();
      }
    });
    expect(sent.filter((q) => q.startsWith('PREPARE '))).toHaveLength(1);
    expect(sent[0]).toMatch(/^PREPARE powermap_lock AS [\s\S]*;\nPREPARE powermap_op_record AS /);
    expect(sent.slice(1).every((q) => !q.includes('PREPARE'))).toBe(true);
    expect((await person(as('ben'), 'p1'))?.title).toBe('President');
  });

  it('text with quotes, backslashes and SQL in it is stored as typed, and a write the database refuses applies nothing', async () => {
    const { as } = await teamMap();
    const hostile = "O'Brien \\'); DROP TABLE person; -- $1 $$ \u4e2d\u6587 \\x00";
    await rules.createPerson(as('ava'), { id: 'p1', name: 'Hu Wenjie' });
    await rules.updatePerson(as('ava'), 'p1', { title: hostile, notes: `$3 ${hostile}` });
    expect(await person(as('ben'), 'p1')).toMatchObject({ title: hostile, notes: `$3 ${hostile}` });
    const rev = await as('ava').rev();
    // A value no column takes (a NUL byte) reaches PostgreSQL only with the commit's batch: the whole edit is refused.
    await expect(as('ava').edit('raw', async (tx) => tx.put('person', { id: 'p1', title: 'bad\u0000byte' }))).rejects.toThrow();
    expect(await as('ava').rev()).toBe(rev);
    expect((await person(as('ben'), 'p1'))!.title).toBe(hostile);
  });

  it('a purge leaves no byte of the person in any table of the database', async () => {
    const { mapId, as } = await teamMap();
    const s = as('ava');
    await rules.createPerson(s, { id: 'p_secret', name: 'Qiao Mingyuan', title: 'Head of user department' });
    await rules.createPerson(s, { id: 'p_other', name: 'Hu Wenjie' });
    await rules.updateProfile(s, 'p_secret', { family: 'Daughter at Fictional Lakeside Primary No. 2' });
    await rules.createRelation(s, { kind: 'alliance', source: 'p_secret', target: 'p_other' });
    await createSnapshot(s, 'before');
    await pool.query("INSERT INTO audit (org_id, via, kind, map_id, payload) VALUES ($1, 'session', 'map.export', $2, $3)", [orgId, mapId, JSON.stringify({ who: 'Qiao Mingyuan' })]);
    await rules.deletePerson(s, 'p_secret');
    const r = await purgePerson(s, 'p_secret');
    expect(r.removed.snapshots).toBe(1);
    const dump = (await pool.query(`SELECT string_agg(t::text, ' ') AS all FROM (
        SELECT row_to_json(x)::text AS t FROM person x UNION ALL SELECT row_to_json(x)::text FROM profile x
        UNION ALL SELECT row_to_json(x)::text FROM relation x UNION ALL SELECT row_to_json(x)::text FROM undo_log x
        UNION ALL SELECT row_to_json(x)::text FROM map_changes x UNION ALL SELECT row_to_json(x)::text FROM map_ops x
        UNION ALL SELECT row_to_json(x)::text FROM audit x) q`)).rows[0].all as string;
    // Snapshot bodies are compressed: read each back as the app does.
    const snaps = await s.snapshots.list();
    expect(snaps).toHaveLength(1);
    const body = JSON.stringify(await readSnapshot(s, snaps[0]!.id));
    expect(body).toContain('Hu Wenjie');
    for (const needle of ['Qiao Mingyuan', 'p_secret']) expect(body.includes(needle), needle).toBe(false);
    for (const needle of ['Qiao Mingyuan', 'Lakeside', 'p_secret']) expect(dump.includes(needle), needle).toBe(false);
    expect(dump).toContain('Hu Wenjie');
  });
});
