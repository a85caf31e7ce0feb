/**
 * Evidence and freshness (issue 20): each assertion kind stamps when set, confirms without
 * changing, ages past the map's threshold, migrates as "unverified since its last change", and
 * survives JSON export and import; the threshold follows the deal stage unless set.
 */
import Database from 'better-sqlite3';
import path from 'node:path';
import { describe, expect, it, vi, afterEach } from 'vitest';
import { APPLICATION_ID } from '../../storage/sqlite/file-check';
import { createMapFile, openMapFile } from '../../services/map/files';
import { confirmFacts, createPerson, createRelation, updateMeta, updatePerson, updateRelation } from '../../services/map/rules';
import { documentOf } from '../../services/map/read';
import { exportData, importCsvFiles, importJsonFile, readMapData } from '../../services/exchange/service';
import { compareMaps } from '../../shared/time/compare';
import { describeDifference } from '../../shared/time/describe';
import { migration0001 } from '../../storage/sqlite/migrations/0001-initial';
import { migration0002 } from '../../storage/sqlite/migrations/0002-time';
import { migration0003 } from '../../storage/sqlite/migrations/0003-undo-rowid';
import { LATEST_VERSION } from '../../storage/sqlite/migrations';
import { factsOf, freshness, reviewQueue, suggestedDays, thresholdDays, verifiedShare } from '../../shared/evidence';
import type { MapDocument } from '../../shared/domain';
import { useTmpDir } from '../helpers/tmp';

const tmp = useTmpDir();
const DAY = 86_400_000;
afterEach(() => vi.useRealTimers());

async function twoPeople(file: string) {
  const s = await createMapFile(file, { account: 'Harbour bank', stage: 'tender' });
  await createPerson(s, { id: 'p_pres', name: 'Gao Ming', roles: ['decision-maker'], influence: 'high' }, undefined, { by: 'Lin Yu', source: 'public' });
  await createPerson(s, { id: 'p_it', name: 'Tang Wei' });
  return s;
}
const person = (d: MapDocument, id: string) => d.people.find((p) => p.id === id)!;

describe('evidence on each assertion', () => {
  it('a new person: the facts given are verified by the editor, the defaults unverified', async () => {
    const s = await twoPeople(path.join(tmp(), 'a.powermap'));
    const d = await documentOf(s);
    const ev = person(d, 'p_pres').evidence!;
    expect(ev.roles).toMatchObject({ source: 'public', verifiedBy: 'Lin Yu' });
    expect(ev.influence.verifiedAt).not.toBeNull();
    expect(ev.attitude.verifiedAt).toBeNull();
    expect(ev.favours.verifiedAt).toBeNull();
    expect(person(d, 'p_it').evidence!.attitude).toMatchObject({ verifiedAt: null, source: null });
    await s.close();
  });

  it.each(['attitude', 'favours', 'roles', 'influence'] as const)('setting %s stamps it verified now, with the last source as default', async (kind) => {
    const s = await twoPeople(path.join(tmp(), `${kind}.powermap`));
    const patch = { attitude: { attitude: 'opponent' }, favours: { favours: 'Rival Corp' }, roles: { roles: ['technical'] }, influence: { influence: 'low' } }[kind];
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-01-10T08:00:00.000Z'));
    await updatePerson(s, 'p_it', patch as never, { by: 'Lin Yu', source: 'coach' });
    let ev = person(await documentOf(s), 'p_it').evidence![kind];
    expect(ev).toEqual({ source: 'coach', verifiedAt: '2026-01-10T08:00:00.000Z', verifiedBy: 'Lin Yu', changedAt: '2026-01-10T08:00:00.000Z' });
    // The other facts are untouched.
    for (const other of (['attitude', 'favours', 'roles', 'influence'] as const).filter((k) => k !== kind))
      expect(person(await documentOf(s), 'p_it').evidence![other].verifiedAt).toBeNull();
    // Set again without a source: the last source stays the default.
    vi.setSystemTime(new Date('2026-02-01T08:00:00.000Z'));
    const again = { attitude: { attitude: 'champion' }, favours: { favours: 'Other Co' }, roles: { roles: ['coach'] }, influence: { influence: 'high' } }[kind];
    await updatePerson(s, 'p_it', again as never, { by: 'Zhou Qi' });
    ev = person(await documentOf(s), 'p_it').evidence![kind];
    expect(ev).toMatchObject({ source: 'coach', verifiedBy: 'Zhou Qi', changedAt: '2026-02-01T08:00:00.000Z' });
    // "Still true" later: verified now, value and changedAt kept.
    vi.setSystemTime(new Date('2026-03-05T08:00:00.000Z'));
    await confirmFacts(s, [{ kind, id: 'p_it' }], { by: 'Lin Yu', source: 'met' });
    const d = await documentOf(s);
    expect(person(d, 'p_it').evidence![kind]).toEqual({ source: 'met', verifiedAt: '2026-03-05T08:00:00.000Z', verifiedBy: 'Lin Yu', changedAt: '2026-02-01T08:00:00.000Z' });
    expect(person(d, 'p_it')[kind]).toEqual(Object.values(again)[0]);
    // An edit of another field (notes) stamps nothing; confirming is undoable.
    await updatePerson(s, 'p_it', { notes: 'x' }, { by: 'Other' });
    expect(person(await documentOf(s), 'p_it').evidence![kind].verifiedBy).toBe('Lin Yu');
    await s.undo();
    await s.undo();
    expect(person(await documentOf(s), 'p_it').evidence![kind].verifiedBy).toBe('Zhou Qi');
    await s.close();
  });

  it('relations stamp on create and on a change of what they assert, and confirm', async () => {
    const s = await twoPeople(path.join(tmp(), 'rel.powermap'));
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-01-10T08:00:00.000Z'));
    await createRelation(s, { id: 'r1', kind: 'conflict', source: 'p_pres', target: 'p_it' }, { by: 'Lin Yu', source: 'guess' });
    const rel = async () => (await documentOf(s)).relations.find((r) => r.id === 'r1')!;
    expect((await rel()).evidence).toEqual({ source: 'guess', verifiedAt: '2026-01-10T08:00:00.000Z', verifiedBy: 'Lin Yu', changedAt: '2026-01-10T08:00:00.000Z' });
    vi.setSystemTime(new Date('2026-01-20T08:00:00.000Z'));
    await updateRelation(s, 'r1', { note: 'since the reorganisation' }, { by: 'Zhou Qi' });
    expect((await rel()).evidence!.verifiedBy).toBe('Lin Yu'); // a note is not the fact
    await updateRelation(s, 'r1', { strength: 3 }, { by: 'Zhou Qi', source: 'coach' });
    expect((await rel()).evidence).toMatchObject({ source: 'coach', verifiedBy: 'Zhou Qi', changedAt: '2026-01-20T08:00:00.000Z' });
    vi.setSystemTime(new Date('2026-02-20T08:00:00.000Z'));
    await confirmFacts(s, [{ kind: 'relation', id: 'r1' }], { by: 'Lin Yu' });
    expect((await rel()).evidence).toEqual({ source: 'coach', verifiedAt: '2026-02-20T08:00:00.000Z', verifiedBy: 'Lin Yu', changedAt: '2026-01-20T08:00:00.000Z' });
    await s.close();
  });
});

describe('freshness', () => {
  it('ages: fresh within the threshold, stale after it, unverified without a check', () => {
    const now = Date.parse('2026-03-01T12:00:00.000Z');
    const ev = (daysAgo: number | null) => ({ source: 'met', verifiedAt: daysAgo === null ? null : new Date(now - daysAgo * DAY).toISOString(), verifiedBy: 'me', changedAt: '2025-01-01T00:00:00.000Z' });
    expect(freshness(ev(60), now, 60)).toBe('fresh');
    expect(freshness(ev(61), now, 60)).toBe('stale');
    expect(freshness(ev(15), now, 14)).toBe('stale');
    expect(freshness(ev(null), now, 60)).toBe('unverified');
  });

  it('the threshold: 60 days, 14 in bid evaluation and contract review, unless the map sets one', () => {
    expect(suggestedDays('need')).toBe(60);
    expect(suggestedDays('tender')).toBe(60);
    expect(suggestedDays('evaluation')).toBe(14);
    expect(suggestedDays('contract')).toBe(14);
    expect(thresholdDays({ stage: 'evaluation', freshDays: null })).toBe(14);
    expect(thresholdDays({ stage: 'evaluation', freshDays: 30 })).toBe(30);
    expect(thresholdDays(undefined)).toBe(60);
  });

  it('the review queue puts decision makers, the coach and conflicts first; the share counts fresh facts', async () => {
    const file = path.join(tmp(), 'q.powermap');
    const s = await twoPeople(file);
    await createPerson(s, { id: 'p_coach', name: 'Xu Jing', roles: ['coach'] }, undefined, { by: 'me' });
    await createRelation(s, { id: 'r_c', kind: 'conflict', source: 'p_it', target: 'p_coach' }, { by: 'me', source: 'guess' });
    await updateMeta(s, { freshDays: 30 });
    const d = await documentOf(s);
    expect(d.meta.freshDays).toBe(30);
    const now = Date.now() + 45 * DAY; // everything verified today is stale by then
    const q = reviewQueue(d, now);
    expect(q.length).toBe(factsOf(d, now).length); // nothing fresh 45 days on
    expect(q[0]!.personId).toBe('p_pres');
    expect(q.findIndex((f) => f.personId === 'p_coach')).toBeLessThan(q.findIndex((f) => f.personId === 'p_it' && f.kind !== 'relation'));
    expect(q.findIndex((f) => f.kind === 'relation')).toBeLessThan(q.findIndex((f) => f.personId === 'p_it' && f.kind === 'attitude'));
    // Today: the verified facts are fresh (the president's roles and influence, the coach's roles, the conflict line).
    expect(verifiedShare(d, Date.now())).toEqual({ fresh: 4, total: 13, days: 30 });
    await s.close();
  });
});

describe('migration 0004 and the JSON file', () => {
  it('existing maps migrate with every fact unverified since its last change', async () => {
    const file = path.join(tmp(), 'old.powermap');
    const db = new Database(file);
    db.pragma(`application_id = ${APPLICATION_ID}`);
    db.transaction(() => {
      migration0001.up(db);
      migration0002.up(db);
      migration0003.up(db);
      db.pragma('user_version = 3');
    })();
    db.prepare(`INSERT INTO map_meta (id, account, deal, stage, posture, incumbent, competitors, budget, timeline, notes, created_at)
      VALUES (1, 'Harbour bank', '', 'tender', 'unknown', 0, '[]', '', '', '', '2025-01-01T00:00:00.000Z')`).run();
    const ins = db.prepare(`INSERT INTO person (id, name, attitude, created_at, updated_at) VALUES (?, ?, 'opponent', ?, ?)`);
    ins.run('p1', 'Gao Ming', '2025-01-01T00:00:00.000Z', '2025-06-01T10:00:00.000Z');
    ins.run('p2', 'Tang Wei', '2025-01-01T00:00:00.000Z', '2025-02-01T10:00:00.000Z');
    db.prepare(`INSERT INTO relation (id, kind, source, target) VALUES ('r_old', 'conflict', 'p1', 'p2'), ('r_logged', 'alliance', 'p1', 'p2')`).run();
    db.prepare(`INSERT INTO undo_log (label, changes, undone, at) VALUES ('x', ?, 0, '2025-04-04T04:04:04.000Z')`).run(
      JSON.stringify([{ t: 'relation', b: null, a: { id: 'r_logged', kind: 'alliance', source: 'p1', target: 'p2', strength: 2, note: '' } }]),
    );
    db.close();

    const s = await openMapFile(file);
    const d = await documentOf(s);
    expect(d.fileVersion).toBe(LATEST_VERSION);
    for (const k of ['attitude', 'favours', 'roles', 'influence'] as const)
      expect(person(d, 'p1').evidence![k]).toEqual({ source: null, verifiedAt: null, verifiedBy: '', changedAt: '2025-06-01T10:00:00.000Z' });
    expect(person(d, 'p2').evidence!.attitude.changedAt).toBe('2025-02-01T10:00:00.000Z');
    expect(d.relations.find((r) => r.id === 'r_logged')!.evidence!.changedAt).toBe('2025-04-04T04:04:04.000Z');
    expect(d.relations.find((r) => r.id === 'r_old')!.evidence!.changedAt).toBe('2025-01-01T00:00:00.000Z');
    expect(d.meta.freshDays).toBeNull();
    expect(factsOf(d, Date.now()).every((f) => f.status === 'unverified')).toBe(true);
    await s.close();
  });

  it('JSON export and import keep every evidence record and the threshold', async () => {
    const dir = tmp();
    const s = await twoPeople(path.join(dir, 'j.powermap'));
    await createRelation(s, { id: 'r1', kind: 'influence', source: 'p_pres', target: 'p_it' }, { by: 'Lin Yu', source: 'Board minutes' });
    await confirmFacts(s, [{ kind: 'attitude', id: 'p_it' }], { by: '林雨', source: 'colleague' });
    await updateMeta(s, { freshDays: 21 });
    const json = path.join(dir, 'j.json');
    await exportData(s, { format: 'json', target: json, includePersonal: false, layout: 'org', overwrite: false, lang: 'en-US' });
    const b = await importJsonFile(json, path.join(dir, 'copy.powermap'));
    const [x, y] = [await readMapData(s, false), await readMapData(b, false)];
    expect(y.people).toEqual(x.people);
    expect(y.relations).toEqual(x.relations);
    expect(y.meta.freshDays).toBe(21);
    expect(y.relations[0]!.evidence!.source).toBe('Board minutes');
    await s.close();
    await b.close();
  });
});

describe('evidence in CSV and in snapshot comparisons', () => {
  it('CSV: optional source and verified-on columns, English or Chinese, read into each fact of the row', async () => {
    const dir = tmp();
    const fs = await import('node:fs');
    const people = path.join(dir, 'people.csv');
    const rels = path.join(dir, 'relations.csv');
    fs.writeFileSync(people, '姓名,职位,态度,信息来源,核实日期\n高明,行长,中立,教练透露,2026-03-01\n唐伟,处长,支持,,\n许静,主任,支持,Board minutes,\n');
    fs.writeFileSync(rels, 'from,to,type,evidence,verified_on\n高明,唐伟,conflict,guess,\n');
    const { store } = await importCsvFiles(people, rels, path.join(dir, 'csv.powermap'), { lang: 'zh-CN' });
    const d = await documentOf(store);
    const by = (n: string) => d.people.find((p) => p.name === n)!;
    for (const k of ['attitude', 'favours', 'roles', 'influence'] as const)
      expect(by('高明').evidence![k]).toMatchObject({ source: 'coach', verifiedAt: '2026-03-01T00:00:00.000Z' });
    expect(by('唐伟').evidence!.attitude).toMatchObject({ source: null, verifiedAt: null });
    expect(by('许静').evidence!.attitude).toMatchObject({ source: 'Board minutes', verifiedAt: null });
    expect(d.relations[0]!.evidence).toMatchObject({ source: 'guess', verifiedAt: null });
    // Export writes them back: the attitude's source word and date.
    const out = path.join(dir, 'out.csv');
    await exportData(store, { format: 'csv', target: out, includePersonal: false, layout: 'org', overwrite: false, lang: 'en-US' });
    const text = fs.readFileSync(path.join(dir, 'out-people.csv'), 'utf8');
    expect(text.split('\r\n')[0]).toMatch(/,evidence,verified_on$/);
    expect(text).toContain('coach,2026-03-01');
    expect(fs.readFileSync(path.join(dir, 'out-relations.csv'), 'utf8')).toContain(',guess,');
    await store.close();
  });

  it('comparing two states names what changed in how we know', async () => {
    const s = await twoPeople(path.join(tmp(), 'cmp.powermap'));
    const before = await documentOf(s);
    await confirmFacts(s, [{ kind: 'attitude', id: 'p_pres' }], { by: 'Lin Yu', source: 'met' });
    const after = await documentOf(s);
    const diff = compareMaps(before, after);
    const ev = diff.differences.filter((d) => d.kind === 'evidence');
    expect(ev).toMatchObject([{ person: { id: 'p_pres' }, fact: 'attitude', before: { source: null, verifiedOn: null }, after: { source: 'met' } }]);
    const today = new Date().toISOString().slice(0, 10);
    expect(describeDifference(ev[0]!, 'en-US')).toBe(`Gao Ming: how we know the attitude: source unknown, unverified → Met in person, verified ${today}`);
    expect(describeDifference(ev[0]!, 'zh-CN')).toBe(`Gao Ming 的态度依据：来源不明，未核实 → 当面接触，${today} 核实`);
    await s.close();
  });
});
