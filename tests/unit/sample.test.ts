import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MapDocument } from '../../shared/domain';
import { MapJsonSchema } from '../../shared/exchange/json-format';
import { dispatch } from '../../services/handlers';
import { REPO, webSession } from '../helpers/session';
import { useTmpDir } from '../helpers/tmp';

const tmp = useTmpDir();
const SAMPLE = path.join(REPO, 'resources', 'samples', 'bank-tender.json');
const raw = () => JSON.parse(fs.readFileSync(SAMPLE, 'utf8'));

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
    const data = MapJsonSchema.parse(raw());
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
});
