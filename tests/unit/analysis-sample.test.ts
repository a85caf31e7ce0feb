import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze, type Analysis } from '../../shared/analysis';
import type { Change, MapDocument } from '../../shared/domain';
import { MapJsonSchema, type MapJson } from '../../shared/exchange/json-format';
import { dispatch } from '../../services/handlers';
import { REPO, webSession } from '../helpers/session';
import { useTmpDir } from '../helpers/tmp';

const tmp = useTmpDir();
const sample = (): MapJson =>
  MapJsonSchema.parse(JSON.parse(fs.readFileSync(path.join(REPO, 'resources', 'samples', 'bank-tender.zh-CN.json'), 'utf8')));
const idOf = (m: MapJson, titleStart: string) => m.people.find((p) => p.title.startsWith(titleStart))!.id;

describe('the sample bank map tells its story', () => {
  it('shows its coach, its conflict and meaningful red flags', () => {
    const m = sample();
    const a = analyze(m);
    const itDirector = idOf(m, '信息中心主任');
    expect(a.coaches.map((c) => [c.id, c.attitude])).toEqual([[itDirector, 'champion']]);
    const director = idOf(m, '电子银行部总经理');
    const deputy = idOf(m, '电子银行部副总经理');
    expect(a.conflicts.some((c) => [c.a.id, c.b.id].sort().join() === [director, deputy].sort().join())).toBe(true);
    // The business side is thin: the vice-president for business is covered by nobody of ours.
    const vpBiz = idOf(m, '副行长（分管业务）');
    expect(a.redFlags.find((f) => f.kind === 'dm-uncovered')).toMatchObject({ severity: 'high', people: [{ id: vpBiz }] });
    // The president: neutral, weakly covered, leaning to a competitor.
    const president = idOf(m, '行长');
    const aboutPresident = a.redFlags.filter((f) => f.people.some((p) => p.id === president)).map((f) => f.kind);
    expect(aboutPresident).toEqual(expect.arrayContaining(['dm-neutral', 'dm-weak-coverage', 'dm-favours-competitor']));
    // The president's office director carries hidden power and nobody covers her.
    const office = idOf(m, '行长办公室主任');
    expect(a.hiddenPower.map((h) => h.id)).toContain(office);
    expect(a.redFlags.some((f) => f.kind === 'hidden-power-uncovered' && f.people[0]!.id === office)).toBe(true);
    expect(a.redFlags.some((f) => f.kind === 'no-coach')).toBe(false);
  });

  it('warns when the feuding director and deputy are invited together', () => {
    const m = sample();
    const director = idOf(m, '电子银行部总经理');
    const deputy = idOf(m, '电子银行部副总经理');
    const a = analyze(m, { attendees: [director, deputy, idOf(m, '副行长（分管业务）')] });
    expect(a.meeting!.conflicts).toHaveLength(1);
    expect(a.meeting!.alliances.length).toBeGreaterThan(0);
    expect(a.redFlags[0]!.kind).toBe('meeting-conflict');
  });

  it('without the coach mark, proposes the IT centre director first, with reasons a salesperson accepts', () => {
    const m = sample();
    const itDirector = idOf(m, '信息中心主任');
    const p = m.people.find((x) => x.id === itDirector)!;
    p.roles = p.roles.filter((r) => r !== 'coach');
    const a = analyze(m);
    const first = a.coachCandidates[0]!;
    expect(first.id).toBe(itDirector);
    expect(first.score).toBeGreaterThan(a.coachCandidates[1]!.score);
    expect(first.reasons[0]).toBe('champions us');
    expect(first.reasons).toContain('personal bond with 林晓雯');
    expect(first.reasons.some((r) => r.startsWith('sways 钱立明'))).toBe(true);
    expect(first.reasons.some((r) => r.startsWith('reports directly to 钱立明'))).toBe(true);
    const noCoach = a.redFlags.find((f) => f.kind === 'no-coach')!;
    expect(noCoach).toMatchObject({ severity: 'high', people: [{ id: itDirector }] });
    expect(noCoach.message).toContain(p.name);
    // Nobody below supporter is proposed.
    const attitude = new Map(m.people.map((x) => [x.id, x.attitude]));
    for (const c of a.coachCandidates) expect(['champion', 'supporter']).toContain(attitude.get(c.id));
  });
});

describe('analysis.run over the API', () => {
  it('analyses the open map, checks a meeting, and follows edits (mark as coach is undoable)', async () => {
    const session = webSession(tmp());
    const opened = await dispatch(session, 'map.openSample', { lang: 'zh-CN' });
    expect(opened.ok).toBe(true);
    const doc = (opened as { value: MapDocument }).value;
    const id = (t: string) => doc.people.find((p) => p.title.startsWith(t))!.id;
    const run = async (payload: unknown) => {
      const r = await dispatch(session, 'analysis.run', payload);
      if (!r.ok) throw new Error(r.error.message);
      return r.value as Analysis;
    };

    const a = await run({ attendees: [id('电子银行部总经理'), id('电子银行部副总经理')], lang: 'zh-CN' });
    expect(a.lang).toBe('zh-CN');
    expect(a.meeting!.conflicts).toHaveLength(1);
    expect(a.redFlags[0]!.message).toMatch(/不要安排在同一场活动/);

    // Unmark the coach: the analysis proposes him; mark him again with person.update, then undo.
    const itDir = doc.people.find((p) => p.id === id('信息中心主任'))!;
    expect((await dispatch(session, 'person.update', { id: itDir.id, patch: { roles: ['technical'] } })).ok).toBe(true);
    const unmarked = await run({});
    expect(unmarked.coaches).toEqual([]);
    expect(unmarked.coachCandidates[0]!.id).toBe(itDir.id);
    const marked = await dispatch(session, 'person.update', { id: itDir.id, patch: { roles: ['technical', 'coach'] } });
    expect((marked as { value: Change }).value.people![0]!.roles).toContain('coach');
    expect((await run({})).coaches.map((c) => c.id)).toEqual([itDir.id]);
    expect((await dispatch(session, 'history.undo', {})).ok).toBe(true);
    expect((await run({})).coaches).toEqual([]);
  });

  it('refuses unknown attendees and bad input with typed errors, and needs an open map', async () => {
    const session = webSession(tmp());
    expect(await dispatch(session, 'analysis.run', {})).toMatchObject({ ok: false, error: { code: 'NO_MAP_OPEN' } });
    await dispatch(session, 'map.openSample', { lang: 'zh-CN' });
    expect(await dispatch(session, 'analysis.run', { attendees: ['p_nobody'] })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await dispatch(session, 'analysis.run', { attendees: ['bad id!'] })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(await dispatch(session, 'analysis.run', { lang: 'fr-FR' })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
  });
});
