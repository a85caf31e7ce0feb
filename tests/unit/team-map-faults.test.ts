/**
 * Team maps under faults and load (issue 18 items 5, 6 and 8), on a PostgreSQL of this file's
 * own and real server instances:
 * - PostgreSQL restarted while people edit: clear refusals during the outage, edits again after,
 *   every acknowledged edit still there;
 * - an instance killed mid-session: its client carries on through the other instance, and the
 *   call that was cut off, retried with its operation id, is applied exactly once;
 * - 50 editors for a bounded time on one map: every acknowledged edit present and the
 *   field-level rule holding (each field ends as its last acknowledged write, in revision order).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MapDocument } from '../../shared/domain';
import type { TeamMapInfo } from '../../shared/api/team';
import { addUser } from '../../server/team/accounts';
import { createTestDatabase, usePrivateCluster, type TestDatabase } from '../helpers/pg';
import { call, signIn, startTeamInProcess, startTeamProcess, type InProcessServer, type Session } from '../helpers/team';

const PW = 'Team-map-faults-password-1';
const pgc = usePrivateCluster();
let db: TestDatabase;
let s: InProcessServer;
let ann: Session;

beforeAll(async () => {
  db = await createTestDatabase(pgc.cluster.url);
  s = await startTeamInProcess(db.url);
  for (let i = 0; i < 50; i++) await addUser(s.pool, { email: `editor${i}@example.invalid`, name: `Editor ${i}`, password: PW });
  ann = await signIn(s.url, 'editor0@example.invalid', PW);
}, 180_000);
afterAll(async () => {
  await s?.close();
});

const on = (who: Session, map: string, extra: Record<string, string> = {}) => ({ ...who, headers: { 'x-powermap-map': map, ...extra } });

async function newMap(name: string, shareWith: number[] = []): Promise<string> {
  const r = await call<TeamMapInfo>(s.url, 'maps.create', { name }, ann);
  if (!r.body.ok) throw new Error(JSON.stringify(r.body));
  for (const i of shareWith) await call(s.url, 'maps.share', { id: r.body.value.id, email: `editor${i}@example.invalid`, role: 'editor' }, ann);
  return r.body.value.id;
}

describe('PostgreSQL restarted while editing', () => {
  it('refuses clearly during the outage, edits again after, and loses no acknowledged edit', async () => {
    const map = await newMap('Restart drill');
    const acked: string[] = [];
    const statuses: number[] = [];
    let stop = false;
    let n = 0;
    const loop = (async () => {
      while (!stop) {
        const id = `p_${n++}`;
        const r = await call(s.url, 'person.create', { id, name: `Person ${id}` }, on(ann, map, { 'x-powermap-op': `restart-${id}-op` }));
        statuses.push(r.status);
        if (r.body.ok) acked.push(id);
        else expect(r.body, `refusal ${r.status}`).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
        if (!r.body.ok) await new Promise((res) => setTimeout(res, 50));
      }
    })();
    await new Promise((r) => setTimeout(r, 400));
    await pgc.cluster.restart();
    await new Promise((r) => setTimeout(r, 1500));
    stop = true;
    await loop;
    expect(statuses).toContain(503);
    expect(statuses.filter((x) => x === 200).length).toBeGreaterThan(0);
    expect(statuses.at(-1)).toBe(200); // it recovered by itself
    const doc = await call<MapDocument>(s.url, 'map.get', {}, on(ann, map));
    if (!doc.body.ok) throw new Error(JSON.stringify(doc.body));
    const ids = new Set(doc.body.value.people.map((p) => p.id));
    for (const id of acked) expect(ids.has(id), id).toBe(true);
    // A refused call left nothing half-applied: every person in the map was acknowledged, or was the one cut off.
    expect([...ids].filter((id) => !acked.includes(id)).length).toBeLessThanOrEqual(1);
  }, 60_000);
});

describe('an instance killed mid-session', () => {
  it('its client carries on through the other instance, and the cut-off call retried with its id is applied once', async () => {
    const map = await newMap('Kill drill');
    const one = await startTeamProcess(db.url);
    const two = await startTeamProcess(db.url);
    try {
      const on1 = await signIn(one.url, 'editor0@example.invalid', PW);
      const acked: string[] = [];
      for (let i = 0; i < 20; i++) {
        const r = await call(one.url, 'person.create', { id: `k_${i}`, name: `Kept ${i}` }, on(on1, map, { 'x-powermap-op': `kill-op-${i}-x` }));
        if (r.body.ok) acked.push(`k_${i}`);
      }
      // The next call goes out, and the instance dies under it.
      const cut = call(one.url, 'person.create', { id: 'k_cut', name: 'Cut off' }, on(on1, map, { 'x-powermap-op': 'kill-op-cut-x' })).catch(() => null);
      await one.kill();
      await cut;
      // The same session (the cookie is good on every instance) carries on through the other one.
      const retry = await call(two.url, 'person.create', { id: 'k_cut', name: 'Cut off' }, on(on1, map, { 'x-powermap-op': 'kill-op-cut-x' }));
      expect(retry.body.ok, JSON.stringify(retry.body)).toBe(true);
      const again = await call(two.url, 'person.create', { id: 'k_cut', name: 'Cut off' }, on(on1, map, { 'x-powermap-op': 'kill-op-cut-x' }));
      expect(again.body).toEqual(retry.body);
      const doc = await call<MapDocument>(two.url, 'map.get', {}, on(on1, map));
      if (!doc.body.ok) throw new Error(JSON.stringify(doc.body));
      const names = doc.body.value.people.map((p) => p.name);
      for (const id of acked) expect(doc.body.value.people.some((p) => p.id === id), id).toBe(true);
      expect(names.filter((n) => n === 'Cut off')).toHaveLength(1);
    } finally {
      await one.kill();
      await two.stop();
    }
  }, 90_000);
});

describe('50 editors on one map', () => {
  it('every acknowledged edit is there, and every field ends as its last acknowledged write', async () => {
    const EDITORS = 50;
    const PEOPLE = 10;
    const SECONDS = 4;
    const map = await newMap('Busy committee', Array.from({ length: EDITORS - 1 }, (_, i) => i + 1));
    for (let p = 0; p < PEOPLE; p++) await call(s.url, 'person.create', { id: `c_${p}`, name: `Member ${p}` }, on(ann, map));
    const sessions = await Promise.all(Array.from({ length: EDITORS }, (_, i) => signIn(s.url, `editor${i}@example.invalid`, PW)));
    /** Each editor writes its own field of one person (title, department or notes)… and all share `favours`. */
    const FIELDS = ['title', 'department', 'notes'] as const;
    const acks: { rev: number; person: string; field: string; value: string }[] = [];
    const end = Date.now() + SECONDS * 1000;
    await Promise.all(
      sessions.map(async (who, i) => {
        const person = `c_${i % PEOPLE}`;
        const own = FIELDS[Math.floor(i / PEOPLE) % FIELDS.length]!;
        const ownsField = i < PEOPLE * FIELDS.length; // editors 0–29 each own one (person, field); 30–49 share favours
        for (let k = 0; Date.now() < end; k++) {
          const field = ownsField ? own : 'favours';
          const value = `e${i}-${k}`;
          const r = await call<{ rev: number }>(s.url, 'person.update', { id: person, patch: { [field]: value } }, on(who, map, { 'x-powermap-op': `load-${i}-${k}-op` }));
          if (r.body.ok) acks.push({ rev: r.body.value.rev, person, field, value });
          else throw new Error(JSON.stringify(r.body));
        }
      }),
    );
    const got = await call<MapDocument>(s.url, 'map.get', {}, on(ann, map));
    if (!got.body.ok) throw new Error(JSON.stringify(got.body));
    const final = got.body.value;
    expect(acks.length).toBeGreaterThan(EDITORS); // the load ran
    expect(new Set(acks.map((a) => a.rev)).size).toBe(acks.length); // one revision per acknowledged edit
    const last = new Map<string, { rev: number; value: string }>();
    for (const a of acks) {
      const k = `${a.person}/${a.field}`;
      if (!last.has(k) || last.get(k)!.rev < a.rev) last.set(k, a);
    }
    for (const [k, v] of last) {
      const [person, field] = k.split('/') as [string, keyof MapDocument['people'][number]];
      expect(final.people.find((p) => p.id === person)![field], k).toBe(v.value);
    }
    // Every acknowledged edit is in the history, by its author.
    const h = await call<{ seq: number }[]>(s.url, 'maps.history', { id: map, limit: 500 }, ann);
    if (!h.body.ok) throw new Error(JSON.stringify(h.body));
    const seqs = new Set(h.body.value.map((e) => e.seq));
    const recent = acks.filter((a) => a.rev > final.rev - 400);
    for (const a of recent) expect(seqs.has(a.rev), `rev ${a.rev}`).toBe(true);
  }, 120_000);
});
