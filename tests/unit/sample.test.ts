import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MapDocument } from '../../shared/domain';
import { MapJsonSchema } from '../../shared/exchange/json-format';
import { dispatch } from '../../services/handlers';
import { SAMPLE_MAP_NAME } from '../../services/sample';
import { en } from '../../renderer/src/i18n/en';
import { zh } from '../../renderer/src/i18n/zh';
import { REPO, webSession } from '../helpers/session';
import { useTmpDir } from '../helpers/tmp';

const tmp = useTmpDir();
const SAMPLE = (lang: 'en-US' | 'zh-CN') => path.join(REPO, 'resources', 'samples', `bank-tender.${lang}.json`);
const raw = (lang: 'en-US' | 'zh-CN' = 'zh-CN') => JSON.parse(fs.readFileSync(SAMPLE(lang), 'utf8'));
/** Latin letters, outside the few that belong in Chinese text (units, product names are not used). */
const LATIN_WORD = /[A-Za-z]{2,}/;
const HAN = /[\u3400-\u9fff]/;

describe('the bank head office sample', () => {
  it('is a valid powermap-map v1 document with the story of situation A', () => {
    const data = MapJsonSchema.parse(raw());
    expect(data.format).toBe('powermap-map');
    expect(data.version).toBe(1);
    expect(data.people.length).toBeGreaterThanOrEqual(15);
    const ids = new Set(data.people.map((p) => p.id));
    expect(ids.size).toBe(data.people.length);
    // Every edge and coverage link points at people and members that exist.
    for (const r of data.relations) {
      expect(ids.has(r.source) && ids.has(r.target), r.id).toBe(true);
      expect(r.source).not.toBe(r.target);
    }
    const members = new Set(data.team.map((m) => m.id));
    for (const c of data.coverage) expect(ids.has(c.personId) && members.has(c.memberId)).toBe(true);
    for (const pid of Object.keys(data.profiles ?? {})) expect(ids.has(pid)).toBe(true);
    // One formal line per person.
    const bosses = data.relations.filter((r) => r.kind === 'reports_to').map((r) => r.source);
    expect(new Set(bosses).size).toBe(bosses.length);

    const coaches = data.people.filter((p) => p.roles.includes('coach'));
    expect(coaches.map((p) => p.title)).toEqual([expect.stringContaining('信息中心主任')]);
    expect(data.people.filter((p) => p.roles.includes('decision-maker')).length).toBeGreaterThanOrEqual(4);
    expect(data.relations.some((r) => r.kind === 'conflict')).toBe(true);
    expect(data.team.length).toBe(3);
    // Thin coverage of the president and none of the vice-president for business.
    const president = data.people.find((p) => p.title.startsWith('行长'))!;
    const vpBiz = data.people.find((p) => p.title.includes('分管业务'))!;
    expect(data.coverage.filter((c) => c.personId === president.id).every((c) => c.strength === 1)).toBe(true);
    expect(data.coverage.some((c) => c.personId === vpBiz.id)).toBe(false);
    expect(['preferred', 'comparator']).toContain(data.meta.posture);
    expect(data.meta.competitors.length).toBeGreaterThan(0);
  });

  it('opens through map.openSample as a map holding those people, and reopens the same file', async () => {
    const dir = tmp();
    const session = webSession(dir);
    const data = MapJsonSchema.parse(raw('en-US'));
    const first = await dispatch(session, 'map.openSample', {});
    expect(first.ok).toBe(true);
    const doc = (first as { value: MapDocument }).value;
    expect(doc.people.map((p) => p.id).sort()).toEqual(data.people.map((p) => p.id).sort());
    expect(doc.relations.length).toBe(data.relations.length);
    expect(doc.team.map((m) => m.name).sort()).toEqual(data.team.map((m) => m.name).sort());
    expect(doc.coverage.length).toBe(data.coverage.length);
    expect(doc.meta.account).toBe(data.meta.account);
    const coachId = data.people.find((p) => p.roles.includes('coach'))!.id;
    const profile = await dispatch(session, 'profile.get', { personId: coachId });
    expect(profile).toMatchObject({ ok: true, value: { sports: data.profiles![coachId]!.sports } });

    // An edit survives: openSample opens the existing copy, it does not recreate it.
    const edited = await dispatch(session, 'person.update', { id: coachId, patch: { notes: 'checked' } });
    expect(edited.ok).toBe(true);
    await session.close();
    const again = await dispatch(webSession(dir), 'map.openSample', {});
    expect(again.ok).toBe(true);
    const file = (again as { value: MapDocument }).value.path;
    expect(fs.existsSync(file)).toBe(true);
    expect((again as { value: MapDocument }).value.people.find((p) => p.id === coachId)!.notes).toBe('checked');
  });

  it('comes in each UI language: the same people, lines, roles and ids, in the words of that language', () => {
    const a = MapJsonSchema.parse(raw('en-US'));
    const b = MapJsonSchema.parse(raw('zh-CN'));
    const shape = (m: typeof a) => ({
      people: m.people.map((p) => [p.id, p.roles, p.influence, p.attitude, p.servesOrg, p.personalBond, p.level, p.lastContact, !!p.favours, !!p.notes]),
      relations: m.relations.map((r) => [r.id, r.kind, r.source, r.target, r.strength, !!r.note]),
      team: m.team.map((t) => t.id),
      coverage: m.coverage,
      profiles: Object.fromEntries(Object.entries(m.profiles ?? {}).map(([k, v]) => [k, Object.keys(v).sort()])),
      meta: [m.meta.stage, m.meta.posture, m.meta.incumbent, m.meta.competitors.length],
    });
    expect(shape(b)).toEqual(shape(a));
    // A favoured competitor is one of the map's competitors, in each language.
    for (const m of [a, b]) for (const p of m.people) if (p.favours) expect(m.meta.competitors).toContain(p.favours);
    // The Chinese sample has no English words; the English one no Chinese characters.
    const texts = (m: typeof a) => [
      ...m.people.flatMap((p) => [p.name, p.title, p.department, p.notes, p.favours]),
      ...m.relations.map((r) => r.note),
      ...m.team.flatMap((t) => [t.name, t.role]),
      ...Object.values(m.profiles ?? {}).flatMap((v) => Object.values(v) as string[]),
      m.meta.account,
      m.meta.deal,
      m.meta.budget,
      m.meta.timeline,
      m.meta.notes,
      ...m.meta.competitors,
    ];
    for (const t of texts(b)) expect(LATIN_WORD.test(t), t).toBe(false);
    for (const t of texts(a)) expect(HAN.test(t), t).toBe(false);
  });

  it('opens in the language asked for, under a file name in that language', async () => {
    const dir = tmp();
    const session = webSession(dir);
    const zhDoc = await dispatch(session, 'map.openSample', { lang: 'zh-CN' });
    expect(zhDoc.ok).toBe(true);
    const d = (zhDoc as { value: MapDocument }).value;
    expect(path.basename(d.path)).toBe(SAMPLE_MAP_NAME['zh-CN']);
    expect(d.meta.account).toBe(raw('zh-CN').meta.account);
    const enDoc = (await dispatch(session, 'map.openSample', { lang: 'en-US' })) as { ok: true; value: MapDocument };
    expect(path.basename(enDoc.value.path)).toBe('Sample - bank head office tender.powermap');
    expect(enDoc.value.people.find((p) => p.id === 'p_vp_it')!.name).toBe(raw('en-US').people.find((p: { id: string }) => p.id === 'p_vp_it').name);
    session.close();
  });

  it('is counted right on the welcome screen, in both languages', () => {
    const n = raw('en-US').people.length;
    expect(raw('zh-CN').people.length).toBe(n);
    expect(en.welcome.sampleHint).toContain(`${n} people`);
    expect(zh.welcome.sampleHint).toContain(`${n} 人`);
  });
});
