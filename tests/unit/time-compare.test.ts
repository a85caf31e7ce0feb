import { describe, expect, it } from 'vitest';
import { defaultMeta, defaultPersonFields, type Person, type Relation } from '../../shared/domain';
import { compareMaps, describeDiff, describeDifference, sectionOf, type Difference, type MapContent } from '../../shared/time';

/** A fictional bank head office, before anything happened. */
function baseMap(): MapContent {
  const person = (id: string, name: string, extra: Partial<Person> = {}): Person => ({ ...defaultPersonFields(), id, name, ...extra });
  const rel = (id: string, kind: Relation['kind'], source: string, target: string, strength: 1 | 2 | 3 = 2): Relation => ({
    id,
    kind,
    source,
    target,
    strength,
    note: '',
  });
  return {
    meta: { ...defaultMeta(), account: 'Northbank head office', deal: 'Online banking servers', stage: 'specification', posture: 'preferred' },
    people: [
      person('p_pres', 'Ma Guolin', { title: 'President', roles: ['decision-maker'], influence: 'high', attitude: 'neutral', level: 'decision' }),
      person('p_vpit', 'Qian Lihua', { title: 'Vice-president for IT', influence: 'high', attitude: 'supporter', servesOrg: true }),
      person('p_dir', 'Zhou Jianguo', { title: 'Director', department: 'IT centre', roles: ['technical', 'coach'], influence: 'high', attitude: 'champion' }),
      person('p_dep', 'Sun Haoran', { title: 'Deputy director', department: 'IT centre', influence: 'medium', attitude: 'neutral' }),
      person('p_eng', 'Wu Yiting', { title: 'Engineer', department: 'IT centre', influence: 'low', attitude: 'supporter' }),
      person('p_plan', 'Zheng Ruoxi', { title: 'Head of planning', department: 'Planning office', influence: 'medium', attitude: 'opponent' }),
    ],
    relations: [
      rel('r1', 'reports_to', 'p_vpit', 'p_pres'),
      rel('r2', 'reports_to', 'p_dir', 'p_vpit'),
      rel('r3', 'reports_to', 'p_dep', 'p_dir'),
      rel('r4', 'reports_to', 'p_eng', 'p_dep'),
      rel('r5', 'reports_to', 'p_plan', 'p_pres'),
      rel('r6', 'alliance', 'p_vpit', 'p_dir', 3),
      rel('r7', 'influence', 'p_plan', 'p_pres', 2),
    ],
    team: [
      { id: 'm_rep', name: 'Rep Chen', role: 'account manager' },
      { id: 'm_eng', name: 'Eng Han', role: 'engineer' },
    ],
    coverage: [
      { memberId: 'm_rep', personId: 'p_dir', strength: 3 },
      { memberId: 'm_rep', personId: 'p_vpit', strength: 2 },
      { memberId: 'm_eng', personId: 'p_eng', strength: 2 },
    ],
  };
}

const clone = (m: MapContent): MapContent => JSON.parse(JSON.stringify(m)) as MapContent;
const personOf = (m: MapContent, id: string) => m.people.find((p) => p.id === id)!;
const bossLine = (m: MapContent, id: string) => m.relations.find((r) => r.kind === 'reports_to' && r.source === id)!;
const ref = (m: MapContent, id: string) => ({ id, name: personOf(m, id).name });

describe('compareMaps on maps with known changes', () => {
  it('finds nothing between a map and its copy', () => {
    const a = baseMap();
    expect(compareMaps(a, clone(a))).toEqual({ differences: [], counts: {}, newConflicts: 0, marks: { changed: [], added: [], removed: [] } });
  });

  it('promotion: the deputy becomes director, reports to the VP, gains influence — exactly that', () => {
    const a = baseMap();
    const b = clone(a);
    Object.assign(personOf(b, 'p_dep'), { title: 'Director', influence: 'high' });
    bossLine(b, 'p_dep').target = 'p_vpit';
    const diff = compareMaps(a, b);
    expect(diff.differences).toEqual<Difference[]>([
      { kind: 'reports-to', person: ref(b, 'p_dep'), before: ref(a, 'p_dir'), after: ref(a, 'p_vpit') },
      { kind: 'person-moved', person: ref(b, 'p_dep'), field: 'title', before: 'Deputy director', after: 'Director' },
      { kind: 'influence', person: ref(b, 'p_dep'), before: 'medium', after: 'high', direction: 'up' },
    ]);
    expect(diff.marks).toEqual({ changed: ['p_dep'], added: [], removed: [] });
  });

  it('retirement: the director leaves; his line, alliance and coverage go with him; his deputy now reports to the VP', () => {
    const a = baseMap();
    const b = clone(a);
    b.people = b.people.filter((p) => p.id !== 'p_dir');
    b.relations = b.relations.filter((r) => r.source !== 'p_dir' && r.target !== 'p_dir');
    b.relations.push({ id: 'r9', kind: 'reports_to', source: 'p_dep', target: 'p_vpit', strength: 2, note: '' });
    b.coverage = b.coverage.filter((c) => c.personId !== 'p_dir');
    const diff = compareMaps(a, b);
    expect(diff.differences).toEqual<Difference[]>([
      {
        kind: 'person-left',
        person: ref(a, 'p_dir'),
        title: 'Director',
        department: 'IT centre',
        relations: 3, // reports to the VP, the deputy reports to him, the alliance
        coveredBy: [{ id: 'm_rep', name: 'Rep Chen' }],
      },
      { kind: 'reports-to', person: ref(b, 'p_dep'), before: ref(a, 'p_dir'), after: ref(a, 'p_vpit') },
    ]);
    expect(diff.marks).toEqual({ changed: ['p_dep'], added: [], removed: [ref(a, 'p_dir')] });
  });

  it('attitude swing: the head of planning turns from opponent to supporter — one difference, warmer by 2', () => {
    const a = baseMap();
    const b = clone(a);
    personOf(b, 'p_plan').attitude = 'supporter';
    expect(compareMaps(a, b).differences).toEqual<Difference[]>([
      { kind: 'attitude', person: ref(b, 'p_plan'), before: 'opponent', after: 'supporter', direction: 'better', delta: 2 },
    ]);
    const back = compareMaps(b, a).differences;
    expect(back).toEqual([{ kind: 'attitude', person: ref(b, 'p_plan'), before: 'supporter', after: 'opponent', direction: 'worse', delta: -2 }]);
  });

  it('new conflict: listed once, first among the relations, whichever way round it was drawn', () => {
    const a = baseMap();
    const b = clone(a);
    b.relations.push({ id: 'r20', kind: 'alliance', source: 'p_eng', target: 'p_plan', strength: 1, note: '' });
    b.relations.push({ id: 'r21', kind: 'conflict', source: 'p_plan', target: 'p_dep', strength: 3, note: 'passed over' });
    const diff = compareMaps(a, b);
    expect(diff.differences).toEqual<Difference[]>([
      { kind: 'relation-added', relation: 'conflict', source: ref(b, 'p_plan'), target: ref(b, 'p_dep'), strength: 3 },
      { kind: 'relation-added', relation: 'alliance', source: ref(b, 'p_eng'), target: ref(b, 'p_plan'), strength: 1 },
    ]);
    expect(diff.newConflicts).toBe(1);
    // A conflict redrawn the other way round (same two people) is no change.
    const c = clone(b);
    const conflict = c.relations.find((r) => r.id === 'r21')!;
    Object.assign(conflict, { id: 'r99', source: 'p_dep', target: 'p_plan' });
    expect(compareMaps(b, c).differences).toEqual([]);
    // Influence is directed: reversed, it is one removed and one added.
    const d = clone(a);
    Object.assign(d.relations.find((r) => r.id === 'r7')!, { source: 'p_pres', target: 'p_plan' });
    expect(compareMaps(a, d).differences.map((x) => x.kind)).toEqual(['relation-added', 'relation-removed']);
  });

  it('everything at once comes in section order: people, stance, relations, coverage, team, deal', () => {
    const a = baseMap();
    const b = clone(a);
    // New director from outside, the old one retires, conflict with the passed-over deputy.
    b.people = b.people.filter((p) => p.id !== 'p_dir');
    b.relations = b.relations.filter((r) => r.source !== 'p_dir' && r.target !== 'p_dir');
    b.people.push({ ...defaultPersonFields(), id: 'p_new', name: 'Feng Mingyu', title: 'Director', department: 'IT centre', influence: 'high' });
    b.relations.push(
      { id: 'r30', kind: 'reports_to', source: 'p_new', target: 'p_vpit', strength: 2, note: '' },
      { id: 'r31', kind: 'reports_to', source: 'p_dep', target: 'p_new', strength: 2, note: '' },
      { id: 'r32', kind: 'conflict', source: 'p_new', target: 'p_dep', strength: 3, note: '' },
    );
    b.coverage = b.coverage.filter((c) => c.personId !== 'p_dir');
    personOf(b, 'p_plan').attitude = 'neutral';
    Object.assign(personOf(b, 'p_vpit'), { personalBond: true }); // supplier → partner
    personOf(b, 'p_eng').roles = ['coach'];
    b.coverage.push({ memberId: 'm_eng', personId: 'p_new', strength: 1 });
    b.coverage.find((c) => c.personId === 'p_vpit')!.strength = 3;
    b.team = b.team.filter((m) => m.id !== 'm_eng'); // our engineer leaves…
    b.coverage = b.coverage.filter((c) => c.memberId !== 'm_eng'); // …and takes his coverage
    b.team.push({ id: 'm_exec', name: 'Exec Yang', role: 'executive sponsor' });
    b.coverage.push({ memberId: 'm_exec', personId: 'p_pres', strength: 2 });
    b.meta.stage = 'tender';

    const diff = compareMaps(a, b);
    expect(diff.differences.map((d) => d.kind)).toEqual([
      'person-left',
      'person-joined',
      'reports-to',
      'attitude',
      'relationship',
      'roles',
      'relation-added',
      'coverage-gained',
      'coverage-strength',
      'member-left',
      'member-joined',
      'deal',
    ]);
    const sections = diff.differences.map((d) => sectionOf(d));
    expect(sections).toEqual([...sections].sort((x, y) => ['people', 'stance', 'relations', 'coverage', 'team', 'deal'].indexOf(x) - ['people', 'stance', 'relations', 'coverage', 'team', 'deal'].indexOf(y)));
    expect(diff.differences).toContainEqual({ kind: 'person-joined', person: { id: 'p_new', name: 'Feng Mingyu' }, title: 'Director', department: 'IT centre', reportsTo: ref(a, 'p_vpit') });
    expect(diff.differences).toContainEqual({ kind: 'relationship', person: ref(b, 'p_vpit'), before: 'supplier', after: 'partner', direction: 'closer' });
    expect(diff.differences).toContainEqual({ kind: 'roles', person: ref(b, 'p_eng'), added: ['coach'], removed: [] });
    expect(diff.differences).toContainEqual({ kind: 'member-left', member: { id: 'm_eng', name: 'Eng Han' }, role: 'engineer', covered: [ref(a, 'p_eng')] });
    expect(diff.differences).toContainEqual({ kind: 'deal', field: 'stage', before: 'specification', after: 'tender' });
    expect(diff.newConflicts).toBe(1);
    expect(diff.marks.added).toEqual(['p_new']);
    expect(diff.marks.changed.sort()).toEqual(['p_dep', 'p_eng', 'p_plan', 'p_vpit']);

    // Every difference reads as one line in both languages.
    for (const lang of ['en-US', 'zh-CN'] as const)
      for (const d of diff.differences) expect(describeDifference(d, lang)).toMatch(/\S/);
    const en = describeDiff(diff, 'en-US');
    expect(en[0]).toEqual({ section: 'people', title: 'People: joined, left, moved', lines: expect.any(Array) });
    expect(en.find((g) => g.section === 'relations')!.lines[0]).toBe('⚠ New conflict: Feng Mingyu — Sun Haoran');
    expect(describeDiff(diff, 'zh-CN').find((g) => g.section === 'stance')!.lines[0]).toBe('↑ Zheng Ruoxi 的态度：反对 → 中立（转好）');
  });

  it('matches people and members by name when two files were made separately (other ids)', () => {
    const a = baseMap();
    const b = clone(a);
    const rename = (id: string) => `x_${id}`;
    for (const p of b.people) p.id = rename(p.id);
    for (const r of b.relations) Object.assign(r, { id: rename(r.id), source: rename(r.source), target: rename(r.target) });
    for (const m of b.team) m.id = rename(m.id);
    for (const c of b.coverage) Object.assign(c, { memberId: rename(c.memberId), personId: rename(c.personId) });
    expect(compareMaps(a, b).differences).toEqual([]);
    personOf(b, 'x_p_plan').attitude = 'strong-opponent';
    expect(compareMaps(a, b).differences).toEqual([
      { kind: 'attitude', person: { id: 'x_p_plan', name: 'Zheng Ruoxi' }, before: 'opponent', after: 'strong-opponent', direction: 'worse', delta: -1 },
    ]);
  });

  it('coverage gained and lost, and notes or last contact are not differences', () => {
    const a = baseMap();
    const b = clone(a);
    b.coverage = b.coverage.filter((c) => !(c.memberId === 'm_rep' && c.personId === 'p_vpit'));
    b.coverage.push({ memberId: 'm_rep', personId: 'p_pres', strength: 1 });
    personOf(b, 'p_pres').notes = 'prefers morning meetings';
    personOf(b, 'p_pres').lastContact = '2025-01-05';
    expect(compareMaps(a, b).differences).toEqual<Difference[]>([
      { kind: 'coverage-lost', member: { id: 'm_rep', name: 'Rep Chen' }, person: ref(a, 'p_vpit'), strength: 2 },
      { kind: 'coverage-gained', member: { id: 'm_rep', name: 'Rep Chen' }, person: ref(a, 'p_pres'), strength: 1 },
    ]);
  });
});
