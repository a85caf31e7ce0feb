/**
 * Team maps over real HTTP, on two server instances sharing one real PostgreSQL (issue 18 items
 * 4–7): sharing and roles checked on the server, a viewer never receiving personal-profile or
 * trip bytes (raw responses and the live stream), a stranger answered exactly as for a map that
 * does not exist, live changes across instances within 2 s with presence, catching up after a
 * reconnect, a retried call applied once, and the history of who changed what.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MapDocument } from '../../shared/domain';
import type { HistoryEntry, LiveEvent, TeamMapInfo } from '../../shared/api/team';
import { addUser } from '../../server/team/accounts';
import { useTestDatabase } from '../helpers/pg';
import { call, signIn, startTeamInProcess, type InProcessServer, type Session } from '../helpers/team';
import { queriesSent } from '../helpers/pg-spy';

const db = useTestDatabase();
let a: InProcessServer;
let b: InProcessServer;
const PW = 'correct horse battery staple 42';
const who: Record<'ann' | 'bob' | 'cy' | 'dan', Session> = {} as never;
const SECRET = 'Daughter at Fictional Lakeside Primary No. 2';
const TRIP = 'Fictional Conference Hall, Hangzhou';

beforeAll(async () => {
  [a, b] = await Promise.all([startTeamInProcess(db.url), startTeamInProcess(db.url)]);
  for (const [k, name] of [['ann', 'Ann Rep'], ['bob', 'Bob Engineer'], ['cy', 'Cy Manager'], ['dan', 'Dan Outsider']] as const) {
    await addUser(a.pool, { email: `${k}@example.invalid`, name, password: PW });
    who[k] = await signIn(k === 'bob' ? b.url : a.url, `${k}@example.invalid`, PW);
  }
}, 120_000);
afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
});

const on = (s: Session, map: string, extra: Record<string, string> = {}) => ({ ...s, headers: { 'x-powermap-map': map, ...extra } });
const ok = async <T>(p: Promise<{ status: number; body: { ok: boolean; value?: unknown; error?: unknown } }>): Promise<T> => {
  const r = await p;
  if (!r.body.ok) throw new Error(`${r.status} ${JSON.stringify(r.body.error)}`);
  return r.body.value as T;
};

/** A live stream, read as the page's EventSource would. */
async function live(base: string, s: Session, map: string, since: number) {
  const ctl = new AbortController();
  const res = await fetch(new URL(`/api/live?map=${map}&since=${since}`, base), { headers: { cookie: s.cookie }, signal: ctl.signal });
  const events: LiveEvent[] = [];
  let raw = '';
  const reading = (async () => {
    const dec = new TextDecoder();
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        raw += dec.decode(chunk, { stream: true });
        let i;
        while ((i = raw.indexOf('\n\n')) >= 0) {
          const block = raw.slice(0, i);
          raw = raw.slice(i + 2);
          const data = block.split('\n').find((l) => l.startsWith('data: '));
          if (data) events.push(JSON.parse(data.slice(6)) as LiveEvent);
        }
      }
    } catch {
      /* aborted */
    }
  })();
  let all = '';
  return {
    status: res.status,
    events,
    text: () => all + raw,
    async until(pred: (e: LiveEvent) => boolean, ms = 2000): Promise<LiveEvent> {
      const t0 = Date.now();
      for (;;) {
        const e = events.find(pred);
        if (e) return e;
        if (Date.now() - t0 > ms) throw new Error(`no such event within ${ms} ms; got ${JSON.stringify(events)}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async close() {
      all = JSON.stringify(events);
      ctl.abort();
      await reading;
    },
  };
}

async function sharedMap() {
  const m = await ok<TeamMapInfo>(call(a.url, 'maps.create', { name: 'Fictional City Bank — core banking' }, who.ann));
  const ann = on(who.ann, m.id);
  const p = await ok<{ people: { id: string }[] }>(call(a.url, 'person.create', { name: 'Hu Wenjie', title: 'President' }, ann));
  const id = p.people[0]!.id;
  await ok(call(a.url, 'profile.update', { personId: id, patch: { family: SECRET } }, ann));
  await ok(call(a.url, 'trip.create', { personId: id, place: TRIP, from: '2027-05-01', to: '2027-05-03' }, ann));
  await ok(call(a.url, 'maps.share', { id: m.id, email: 'bob@example.invalid', role: 'editor' }, who.ann));
  await ok(call(a.url, 'maps.share', { id: m.id, email: 'CY@example.invalid', role: 'viewer' }, who.ann));
  return { map: m, person: id };
}

describe('sharing and roles, checked by the server', () => {
  it('the owner shares; each user lists only the maps shared with them, with their role', async () => {
    const { map } = await sharedMap();
    const list = async (s: Session, base = a.url) => (await ok<TeamMapInfo[]>(call(base, 'maps.list', {}, s))).find((m) => m.id === map.id);
    expect((await list(who.ann))?.role).toBe('owner');
    expect((await list(who.bob, b.url))?.role).toBe('editor');
    expect((await list(who.cy))?.role).toBe('viewer');
    expect(await list(who.dan)).toBeUndefined();
    const members = await ok<{ email: string; role: string }[]>(call(a.url, 'maps.members', { id: map.id }, who.cy));
    expect(members.map((m) => [m.email, m.role])).toEqual([
      ['bob@example.invalid', 'editor'],
      ['ann@example.invalid', 'owner'],
      ['cy@example.invalid', 'viewer'],
    ]);
  });

  it('a stranger gets exactly what a map that does not exist gets', async () => {
    const { map } = await sharedMap();
    const theirs = await call(a.url, 'map.get', {}, on(who.dan, map.id));
    const none = await call(a.url, 'map.get', {}, on(who.dan, '00000000-0000-4000-8000-000000000000'));
    expect(theirs.status).toBe(none.status);
    expect({ ...theirs.body, error: { ...(theirs.body as { error: object }).error, params: undefined } }).toEqual({ ...none.body, error: { ...(none.body as { error: object }).error, params: undefined } });
    expect(theirs.body).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect((await call(a.url, 'maps.open', { id: map.id }, who.dan)).body).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it("a viewer's edits are refused through the raw API, and only the owner shares", async () => {
    const { map, person } = await sharedMap();
    for (const [method, payload] of [
      ['person.update', { id: person, patch: { title: 'Viewer was here' } }],
      ['person.create', { name: 'Someone' }],
      ['history.undo', {}],
      ['snapshot.create', { name: 'mine' }],
      ['positions.set', { layout: 'org', positions: [] }],
      ['person.purge', { id: person }],
    ] as const) {
      const r = await call(a.url, method, payload, on(who.cy, map.id));
      expect(r.status, method).toBe(403);
      expect(r.body, method).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    }
    expect((await call(a.url, 'maps.share', { id: map.id, email: 'dan@example.invalid', role: 'editor' }, who.bob)).body).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const doc = await ok<MapDocument>(call(a.url, 'map.get', {}, on(who.ann, map.id)));
    expect(doc.people[0]!.title).toBe('President');
  });

  it('a viewer never receives personal-profile or trip bytes, in any response or live message', async () => {
    const { map, person } = await sharedMap();
    const viewer = on(who.cy, map.id);
    const stream = await live(a.url, who.cy, map.id, 0);
    const bodies: string[] = [];
    for (const [method, payload] of [
      ['map.get', {}],
      ['exchange.reportData', { includePersonal: true }],
      ['profile.get', { personId: person }],
      ['trip.list', {}],
      ['time.upcoming', { today: '2027-04-20', weeks: 4, staleDays: 60 }],
      ['snapshot.list', {}],
      ['analysis.run', {}],
    ] as const)
      bodies.push(JSON.stringify((await call(a.url, method, payload, viewer)).body));
    bodies.push(JSON.stringify((await call(a.url, 'maps.history', { id: map.id }, who.cy)).body));
    bodies.push(JSON.stringify((await call(a.url, 'maps.open', { id: map.id }, who.cy)).body));
    // An editor's change to the profile while the viewer watches.
    await ok(call(b.url, 'profile.update', { personId: person, patch: { interests: `${SECRET} (again)` } }, on(who.bob, map.id)));
    await ok(call(b.url, 'person.update', { id: person, patch: { title: 'Chairman' } }, on(who.bob, map.id)));
    await stream.until((e) => e.type === 'change' && JSON.stringify(e).includes('Chairman'));
    await stream.close();
    for (const text of [...bodies, stream.text()]) {
      expect(text).not.toContain('Lakeside');
      expect(text).not.toContain('Hangzhou');
    }
    // The owner does get them.
    expect(JSON.stringify((await call(a.url, 'profile.get', { personId: person }, on(who.ann, map.id))).body)).toContain('Lakeside');
    expect(JSON.stringify((await call(a.url, 'trip.list', {}, on(who.ann, map.id))).body)).toContain('Hangzhou');
  });
});

describe("an edit checks the caller's session in its own transaction", () => {
  /** A fresh session of `email` on `base` whose identity the instance has seen (one checked call). */
  const seen = async (base: string, email: string): Promise<Session> => {
    const s = await signIn(base, email, PW);
    await ok(call(base, 'account.me', {}, s));
    return s;
  };
  const titleOf = async (map: string, person: string) => (await ok<MapDocument>(call(a.url, 'map.get', {}, on(who.ann, map)))).people.find((x) => x.id === person)!.title;

  it('two round trips to PostgreSQL: begin, the check, the lock and the row; then the writes and the commit', async () => {
    const { map, person } = await sharedMap();
    const bob = await seen(a.url, 'bob@example.invalid');
    await ok(call(a.url, 'person.update', { id: person, patch: { title: 'Warm-up' } }, on(bob, map.id)));
    await ok(call(a.url, 'person.update', { id: person, patch: { title: 'Warm-up 2' } }, on(bob, map.id)));
    const sent = await queriesSent(async () => {
      await ok(call(a.url, 'person.update', { id: person, patch: { title: 'Chairman' } }, on(bob, map.id)));
    });
    expect(sent).toHaveLength(2);
    expect(sent[0]).toMatch(/^BEGIN;\nEXECUTE powermap_gate_check\([\s\S]*\);\nEXECUTE powermap_gate_lock\([\s\S]*SELECT \* FROM person/);
    expect(sent[1]).toMatch(/^UPDATE person SET title[\s\S]*COMMIT$/);
    expect(await titleOf(map.id, person)).toBe('Chairman');
  });

  it('a session ended elsewhere, or a user disabled, is refused at once as before, and nothing is written', async () => {
    const { map, person } = await sharedMap();
    const bob = await seen(a.url, 'bob@example.invalid');
    await ok(call(a.url, 'person.update', { id: person, patch: { title: 'Before' } }, on(bob, map.id)));
    const rev = (await ok<{ rev: number }>(call(a.url, 'map.get', {}, on(who.ann, map.id)))).rev;
    // Signed out everywhere through the other instance: this one still knows whose session it was.
    await ok(call(b.url, 'account.signOutEverywhere', {}, await signIn(b.url, 'bob@example.invalid', PW)));
    const refused = await call(a.url, 'person.update', { id: person, patch: { title: 'After sign-out' } }, on(bob, map.id));
    expect(refused.status).toBe(401);
    expect(refused.body).toEqual({ ok: false, error: { code: 'UNAUTHENTICATED', message: 'the session has ended' } });
    // An invalid payload from an ended session: still the session's refusal first, as the guard gives.
    const invalid = await call(a.url, 'person.update', { id: 42 }, on(bob, map.id));
    expect(invalid.status).toBe(401);
    // A disabled user's live session.
    const cy = await seen(a.url, 'cy@example.invalid');
    await ok(call(a.url, 'maps.share', { id: map.id, email: 'cy@example.invalid', role: 'editor' }, who.ann));
    await ok(call(a.url, 'person.update', { id: person, patch: { department: 'Cy was here' } }, on(cy, map.id)));
    await a.pool.query("UPDATE users SET disabled_at = now() WHERE email = 'cy@example.invalid'");
    try {
      const off = await call(a.url, 'person.update', { id: person, patch: { title: 'Disabled' } }, on(cy, map.id));
      expect(off.status).toBe(401);
      expect(off.body).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    } finally {
      await a.pool.query("UPDATE users SET disabled_at = NULL WHERE email = 'cy@example.invalid'");
    }
    const after = await ok<MapDocument & { rev: number }>(call(a.url, 'map.get', {}, on(who.ann, map.id)));
    expect(after.rev).toBe(rev + 1);
    expect(after.people.find((x) => x.id === person)!.title).toBe('Before');
    who.bob = await signIn(b.url, 'bob@example.invalid', PW);
  });

  it('a role taken back or lowered is refused at the next edit, as a stranger or a viewer is, without waiting for the map', async () => {
    const { map, person } = await sharedMap();
    const bob = await seen(a.url, 'bob@example.invalid');
    await ok(call(a.url, 'person.update', { id: person, patch: { title: 'Bob edits' } }, on(bob, map.id)));
    const stranger = await call(a.url, 'person.update', { id: person, patch: { title: 'x' } }, on(who.dan, map.id));
    // Someone holds the map (a long edit): a refused call must not wait for it.
    const whileHeld = async <T>(fn: () => Promise<T>): Promise<T> => {
      const holder = new pg.Client({ connectionString: db.url });
      holder.on('error', () => undefined);
      await holder.connect();
      try {
        await holder.query('BEGIN');
        await holder.query('SELECT rev FROM maps WHERE map_id = $1 FOR UPDATE', [map.id]);
        const t0 = Date.now();
        const out = await fn();
        expect(Date.now() - t0).toBeLessThan(2000);
        return out;
      } finally {
        await holder.query('ROLLBACK');
        await holder.end();
      }
    };
    await ok(call(a.url, 'maps.unshare', { id: map.id, userId: bob.userId }, who.ann));
    const gone = await whileHeld(() => call(a.url, 'person.update', { id: person, patch: { title: 'Unshared' } }, on(bob, map.id)));
    expect(gone.status).toBe(stranger.status);
    expect({ ...gone.body, error: { ...(gone.body as { error: object }).error, params: undefined } }).toEqual({
      ...stranger.body,
      error: { ...(stranger.body as { error: object }).error, params: undefined },
    });
    expect(gone.body).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    await ok(call(a.url, 'maps.share', { id: map.id, email: 'bob@example.invalid', role: 'viewer' }, who.ann));
    const viewer = await whileHeld(() => call(a.url, 'person.update', { id: person, patch: { title: 'Viewer now' } }, on(bob, map.id)));
    expect(viewer.status).toBe(403);
    expect(viewer.body).toEqual({ ok: false, error: { code: 'FORBIDDEN', message: 'Viewers of this map cannot do that', params: { reason: 'role' } } });
    expect(await titleOf(map.id, person)).toBe('Bob edits');
  });
}, 60_000);

describe('live', () => {
  it('an edit through one instance reaches a client of the other within 2 s, with who else is there', async () => {
    const { map, person } = await sharedMap();
    const start = await ok<{ document: MapDocument }>(call(b.url, 'maps.open', { id: map.id }, who.bob));
    const bob = await live(b.url, who.bob, map.id, start.document.rev);
    const ann = await live(a.url, who.ann, map.id, start.document.rev);
    await bob.until((e) => e.type === 'presence' && e.users.length === 2, 3000);
    const t0 = Date.now();
    await ok(call(a.url, 'person.update', { id: person, patch: { attitude: 'supporter' } }, on(who.ann, map.id)));
    const e = await bob.until((x) => x.type === 'change' && JSON.stringify(x).includes('supporter'));
    const ms = Date.now() - t0;
    expect(ms).toBeLessThan(2000);
    expect(e).toMatchObject({ type: 'change', by: who.ann.userId, change: { people: [{ id: person, attitude: 'supporter' }] } });
    await ann.close();
    await bob.until((x) => x.type === 'presence' && x.users.length === 1, 3000);
    await bob.close();
  });

  it('a change small enough rides on its notification (no feed read per stream); a bigger one comes from the feed; both in order and as the feed has them', async () => {
    const { map, person } = await sharedMap();
    const doc = await ok<MapDocument>(call(a.url, 'map.get', {}, on(who.ann, map.id)));
    const streams = [await live(a.url, who.ann, map.id, doc.rev), await live(b.url, who.bob, map.id, doc.rev), await live(b.url, who.cy, map.id, doc.rev)];
    for (const s of streams) await s.until((e) => e.type === 'presence' && e.users.length === 3, 3000);
    const big = 'n'.repeat(9000);
    const sent = await queriesSent(async (sofar) => {
      await ok(call(a.url, 'person.update', { id: person, patch: { title: 'Chairman' } }, on(who.ann, map.id)));
      for (const s of streams) await s.until((e) => e.type === 'change' && e.rev === doc.rev + 1);
      expect(sofar.filter((q) => q.includes('FROM map_changes'))).toEqual([]);
      await ok(call(a.url, 'person.update', { id: person, patch: { notes: big } }, on(who.ann, map.id)));
      await ok(call(a.url, 'person.update', { id: person, patch: { title: 'President' } }, on(who.ann, map.id)));
      for (const s of streams) await s.until((e) => e.type === 'change' && e.rev === doc.rev + 3);
    });
    // The 9 KB one could not ride: each stream read it from the feed.
    expect(sent.filter((q) => q.includes('FROM map_changes')).length).toBeGreaterThanOrEqual(streams.length);
    const fromFeed = await live(a.url, who.ann, map.id, doc.rev);
    await fromFeed.until((e) => e.type === 'change' && e.rev === doc.rev + 3);
    const changes = (x: LiveEvent[]) => x.filter((e) => e.type === 'change');
    for (const s of streams) expect(changes(s.events)).toEqual(changes(fromFeed.events));
    expect(changes(fromFeed.events).map((e) => [(e as { rev: number }).rev, (e as { by: string }).by])).toEqual([
      [doc.rev + 1, who.ann.userId],
      [doc.rev + 2, who.ann.userId],
      [doc.rev + 3, who.ann.userId],
    ]);
    expect(JSON.stringify(changes(fromFeed.events)[1])).toContain(big);
    for (const s of [...streams, fromFeed]) await s.close();
  });

  it('a client that reconnects catches up from its revision', async () => {
    const { map, person } = await sharedMap();
    const doc = await ok<MapDocument>(call(a.url, 'map.get', {}, on(who.bob, map.id)));
    for (const t of ['one', 'two', 'three']) await ok(call(a.url, 'person.update', { id: person, patch: { title: t } }, on(who.ann, map.id)));
    const s = await live(b.url, who.bob, map.id, doc.rev);
    await s.until((e) => e.type === 'change' && e.rev === doc.rev + 3);
    expect(s.events.filter((e) => e.type === 'change').map((e) => (e as { rev: number }).rev)).toEqual([doc.rev + 1, doc.rev + 2, doc.rev + 3]);
    await s.close();
  });
});

describe('retries, history and notices', () => {
  it('a call retried with the same operation id is applied once', async () => {
    const { map } = await sharedMap();
    const op = { 'x-powermap-op': 'retry-test-0001' };
    const first = await call(a.url, 'team.create', { name: 'Rep Chen' }, on(who.ann, map.id, op));
    const again = await call(b.url, 'team.create', { name: 'Rep Chen' }, on(who.ann, map.id, op));
    expect(again.body).toEqual(first.body);
    expect((await ok<MapDocument>(call(a.url, 'map.get', {}, on(who.ann, map.id)))).team).toHaveLength(1);
  });

  it('the History view says who changed what, with before and after', async () => {
    const { map, person } = await sharedMap();
    await ok(call(b.url, 'person.update', { id: person, patch: { title: 'Chairman' } }, on(who.bob, map.id)));
    const h = await ok<HistoryEntry[]>(call(a.url, 'maps.history', { id: map.id, limit: 3 }, who.ann));
    expect(h[0]).toMatchObject({ by: { id: who.bob.userId, name: 'Bob Engineer' }, undone: false, changes: [{ t: 'person', b: { title: 'President' }, a: { title: 'Chairman' } }] });
    expect(h.map((e) => e.by?.name)).toContain('Ann Rep');
  });

  it('the same field written over by someone who had not seen it: the later wins, and the earlier author is told live', async () => {
    const { map, person } = await sharedMap();
    const doc = await ok<MapDocument>(call(a.url, 'map.get', {}, on(who.ann, map.id)));
    const stream = await live(a.url, who.ann, map.id, doc.rev);
    const base = { 'x-powermap-rev': String(doc.rev) };
    await ok(call(a.url, 'person.update', { id: person, patch: { favours: 'Vendor A' } }, on(who.ann, map.id, base)));
    await ok(call(b.url, 'person.update', { id: person, patch: { favours: 'Vendor B' } }, on(who.bob, map.id, base)));
    const n = await stream.until((e) => e.type === 'notice');
    expect(n).toMatchObject({ type: 'notice', notice: { kind: 'replaced', field: 'favours', was: 'Vendor A', now: 'Vendor B', byName: 'Bob Engineer' } });
    await stream.close();
    expect((await ok<MapDocument>(call(a.url, 'map.get', {}, on(who.cy, map.id)))).people[0]!.favours).toBe('Vendor B');
  });
});

describe('the admin moves maps in from a shared drive (powermap map …)', () => {
  it('imports a map file for a teammate, shares it, lists it; personal details only when asked', async () => {
    const { runCli } = await import('../helpers/team');
    const fs = await import('node:fs');
    const os = await import('node:os');
    const path = await import('node:path');
    const { createFromJson, readSample } = await import('../../services/sample');
    const { updateProfile } = await import('../../services/map/rules');
    const { createSnapshot } = await import('../../services/time/snapshots');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'powermap-import-'));
    const file = path.join(dir, 'Jianghai tender.powermap');
    const data = readSample(path.join(__dirname, '..', '..', 'resources'), 'en-US');
    const local = await createFromJson(file, data);
    await updateProfile(local, data.people[0]!.id, { sports: 'Fictional Badminton Club' });
    await createSnapshot(local, 'before the tender');
    await local.close();
    const env = { POWERMAP_DB: db.url };
    const imp = await runCli(['map', 'import', file, '--owner', 'ann@example.invalid'], { env });
    expect(imp.stderr).toMatch(/personal profiles and trips were left out/);
    expect(imp.code).toBe(0);
    const id = /\(([0-9a-f-]{36})\)/.exec(imp.stdout)![1]!;
    expect(imp.stdout).toMatch(new RegExp(`Imported “Jianghai tender” \\(${id}\\) for ann@example.invalid: ${data.people.length} people, ${data.relations.length} relations, 1 snapshots`));
    const share = await runCli(['map', 'share', 'jianghai tender', '--with', 'bob@example.invalid', '--role', 'viewer'], { env });
    expect(share.stdout).toBe('Shared “Jianghai tender” with bob@example.invalid as viewer\n');
    const list = await runCli(['map', 'list', '--json'], { env });
    expect(JSON.parse(list.stdout).find((m: { id: string }) => m.id === id)).toMatchObject({ name: 'Jianghai tender', owner: 'ann@example.invalid' });
    // What Bob sees: the same people, as a viewer; the snapshot came along; no profile.
    const doc = await ok<{ map: TeamMapInfo; document: MapDocument }>(call(b.url, 'maps.open', { id }, who.bob));
    expect(doc.map.role).toBe('viewer');
    expect(doc.document.people.map((p) => p.name).sort()).toEqual(data.people.map((p) => p.name).sort());
    expect(await ok<unknown[]>(call(b.url, 'snapshot.list', {}, on(who.bob, id)))).toHaveLength(1);
    const prof = await ok<{ sports: string }>(call(a.url, 'profile.get', { personId: data.people[0]!.id }, on(who.ann, id)));
    expect(prof.sports).toBe('');
    // Bad input: one line, non-zero.
    const bad = await runCli(['map', 'share', 'no such map', '--with', 'bob@example.invalid', '--role', 'editor'], { env });
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
  });
});
