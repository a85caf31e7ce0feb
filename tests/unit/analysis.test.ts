import { describe, expect, it } from 'vitest';
import { analyze, type Analysis } from '../../shared/analysis';
import { build } from '../helpers/analysis-maps';

const kinds = (a: Analysis) => a.redFlags.map((f) => f.kind);
const flagsOf = (a: Analysis, kind: string) => a.redFlags.filter((f) => f.kind === kind);
const names = (xs: readonly { name: string }[]) => xs.map((x) => x.name);

describe('coaches', () => {
  it('flags a map with no coach, high severity', () => {
    const a = analyze(build().person('d', { roles: ['decision-maker'] }).map());
    expect(a.coaches).toEqual([]);
    expect(flagsOf(a, 'no-coach')).toMatchObject([{ severity: 'high' }]);
  });

  it('lists each coach with attitude, and flags a coach who is not at least a supporter', () => {
    const m = build()
      .person('c1', { name: 'Ava', roles: ['coach'], attitude: 'supporter' })
      .person('c2', { name: 'Bo', roles: ['coach', 'technical'], attitude: 'neutral' })
      .map();
    const a = analyze(m);
    expect(a.coaches.map((c) => [c.name, c.attitude])).toEqual([
      ['Ava', 'supporter'],
      ['Bo', 'neutral'],
    ]);
    expect(kinds(a)).not.toContain('no-coach');
    const f = flagsOf(a, 'coach-not-supporter');
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ severity: 'high', people: [{ id: 'c2', name: 'Bo' }] });
    expect(f[0]!.message).toContain('Bo');
  });
});

describe('decision makers', () => {
  const map = () =>
    build()
      .member('m1', 'Rep One')
      .member('m2', 'Rep Two')
      .person('won', { roles: ['decision-maker'], attitude: 'supporter', influence: 'high' })
      .person('neutral', { roles: ['decision-maker'], attitude: 'neutral', influence: 'medium' })
      .person('against', { roles: ['decision-maker'], attitude: 'strong-opponent', influence: 'high', favours: 'Rival' })
      .person('weak', { roles: ['decision-maker'], attitude: 'champion' })
      .cover('m1', 'won', 3)
      .cover('m2', 'neutral', 2)
      .cover('m1', 'against', 2)
      .cover('m1', 'weak', 1)
      .cover('m2', 'weak', 1);

  it('gives attitude, influence and coverage of each', () => {
    const a = analyze(map().map());
    const d = Object.fromEntries(a.decisionMakers.map((x) => [x.id, x]));
    expect(d.won).toMatchObject({ attitude: 'supporter', influence: 'high', coveredBy: [{ memberId: 'm1', name: 'Rep One', strength: 3 }] });
    expect(d.weak!.coveredBy.map((c) => c.name)).toEqual(['Rep One', 'Rep Two']);
  });

  it('flags neutral, against, uncovered and weakly covered decision makers', () => {
    const b = map().person('alone', { roles: ['decision-maker'], attitude: 'supporter' });
    const a = analyze(b.map());
    const who = (k: string) => flagsOf(a, k).map((f) => f.people[0]!.id);
    expect(who('dm-neutral')).toEqual(['neutral']);
    expect(who('dm-against')).toEqual(['against']);
    expect(flagsOf(a, 'dm-against')[0]!.severity).toBe('high');
    expect(who('dm-uncovered')).toEqual(['alone']);
    expect(flagsOf(a, 'dm-uncovered')[0]!.severity).toBe('high');
    expect(who('dm-weak-coverage')).toEqual(['weak']);
    expect(who('dm-favours-competitor')).toEqual(['against']);
    // The well-covered supporter raises no decision-maker flag.
    expect(a.redFlags.filter((f) => f.kind.startsWith('dm-') && f.people.some((p) => p.id === 'won'))).toEqual([]);
  });

  it('a map with no decision maker says so and has no paths', () => {
    const a = analyze(build().person('x', { attitude: 'champion' }).person('y').rel('influence', 'x', 'y').map());
    expect(a.decisionMakers).toEqual([]);
    expect(a.pathsToDecisionMakers).toEqual([]);
    expect(flagsOf(a, 'no-decision-maker')).toMatchObject([{ severity: 'high', people: [] }]);
  });
});

describe('conflicts and the meeting check', () => {
  const map = () =>
    build()
      .person('dir', { name: 'Director Wei', roles: ['user'], influence: 'high' })
      .person('dep', { name: 'Deputy Jiang', roles: ['user'] })
      .person('vp', { name: 'VP Sun', roles: ['decision-maker'] })
      .person('eng', { name: 'Engineer Feng' })
      .rel('conflict', 'dir', 'dep', 3, 'took the post the deputy expected')
      .rel('alliance', 'vp', 'dir', 2)
      .rel('conflict', 'eng', 'vp', 1);

  it('lists every conflict edge once, ends in name order', () => {
    const a = analyze(map().map());
    expect(a.conflicts.map((c) => [c.a.name, c.b.name, c.note])).toEqual([
      ['Deputy Jiang', 'Director Wei', 'took the post the deputy expected'],
      ['Engineer Feng', 'VP Sun', ''],
    ]);
    expect(a.meeting).toBeNull();
    // Both conflicts touch a key person (high influence; decision maker).
    expect(flagsOf(a, 'key-conflict')).toHaveLength(2);
  });

  it('warns about conflicts among attendees and shows their alliances', () => {
    const a = analyze(map().map(), { attendees: ['dir', 'dep', 'vp'] });
    expect(a.meeting!.attendees.map((p) => p.id).sort()).toEqual(['dep', 'dir', 'vp']);
    expect(a.meeting!.conflicts.map((c) => [c.a.id, c.b.id])).toEqual([['dep', 'dir']]);
    expect(a.meeting!.alliances.map((c) => [c.a.id, c.b.id])).toEqual([['dir', 'vp']]);
    const f = flagsOf(a, 'meeting-conflict');
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ severity: 'high', relations: [a.meeting!.conflicts[0]!.id] });
    expect(f[0]!.message).toMatch(/Deputy Jiang.*Director Wei|Director Wei.*Deputy Jiang/);
    // High-severity flags come first.
    expect(a.redFlags[0]!.severity).toBe('high');
  });

  it('a meeting without feuding attendees is clean', () => {
    const a = analyze(map().map(), { attendees: ['dir', 'vp', 'nobody-with-this-id'] });
    expect(a.meeting!.conflicts).toEqual([]);
    expect(a.meeting!.attendees.map((p) => p.id)).toEqual(['dir', 'vp']);
    expect(kinds(a)).not.toContain('meeting-conflict');
  });
});

describe('influence ranking', () => {
  it('matches the hand-computed weighted PageRank on two people', () => {
    // A reports to B: A defers to B with weight 2; B is dangling. Solving the PageRank equations
    // (alpha 0.85) gives x_B = 0.649123, x_A = 0.350877: A scores 100 × x_A / x_B = 54.05.
    const a = analyze(build().person('a').person('b').rel('reports_to', 'a', 'b').map());
    expect(a.influenceRanking.map((r) => [r.id, r.rank, r.score])).toEqual([
      ['b', 1, 100],
      ['a', 2, 54.1],
    ]);
  });

  it('counts influence strength and direction: who sways more ranks higher', () => {
    const m = build()
      .person('strong')
      .person('weak')
      .person('target')
      .rel('influence', 'strong', 'target', 3)
      .rel('influence', 'weak', 'target', 1)
      .map();
    const r = analyze(m).influenceRanking;
    expect(r.map((x) => x.id)).toEqual(['strong', 'weak', 'target']);
    expect(r[0]!.score).toBe(100);
    expect(r[1]!.score).toBeLessThan(r[0]!.score);
  });

  it('breaks ties by name then id, in a cycle and among people with no edges', () => {
    const cycle = build()
      .person('c', { name: 'Cai' })
      .person('a', { name: 'An' })
      .person('b', { name: 'Bai' })
      .rel('influence', 'a', 'b')
      .rel('influence', 'b', 'c')
      .rel('influence', 'c', 'a')
      .map();
    const r = analyze(cycle).influenceRanking;
    expect(r.map((x) => [x.name, x.score, x.rank])).toEqual([
      ['An', 100, 1],
      ['Bai', 100, 2],
      ['Cai', 100, 3],
    ]);
    const loners = build().person('z2', { name: 'Same' }).person('z1', { name: 'Same' }).person('y', { name: 'Other' }).map();
    expect(analyze(loners).influenceRanking.map((x) => [x.id, x.score])).toEqual([
      ['y', 100],
      ['z1', 100],
      ['z2', 100],
    ]);
    // Input order does not matter.
    expect(analyze({ ...cycle, people: [...cycle.people].reverse() }).influenceRanking).toEqual(r);
  });

  it('ranks every client person, and only them', () => {
    const m = build().member('m1').person('p1').person('p2').cover('m1', 'p1').map();
    expect(analyze(m).influenceRanking.map((x) => x.id).sort()).toEqual(['p1', 'p2']);
  });

  it('flags hidden power: an assistant who sways the president ranks with the decision level', () => {
    const b = build()
      .member('m1')
      .person('pres', { name: 'President', level: 'decision', roles: ['decision-maker'] })
      .person('vp1', { name: 'VP One', level: 'decision' })
      .person('vp2', { name: 'VP Two', level: 'decision' })
      .person('asst', { name: 'Office Director', level: 'management' })
      .person('mgr1', { name: 'Manager One', level: 'management' })
      .person('mgr2', { name: 'Manager Two', level: 'management' })
      .person('clerk', { name: 'Clerk', level: 'operations' })
      .rel('reports_to', 'vp1', 'pres')
      .rel('reports_to', 'vp2', 'pres')
      .rel('reports_to', 'asst', 'pres')
      .rel('reports_to', 'mgr1', 'vp1')
      .rel('reports_to', 'mgr2', 'vp2')
      .rel('reports_to', 'clerk', 'mgr1');
    const plain = analyze(b.map());
    expect(plain.hiddenPower).toEqual([]);
    b.rel('influence', 'asst', 'pres', 3);
    const a = analyze(b.map());
    expect(a.hiddenPower).toMatchObject([{ id: 'asst', tier: 'management', ranksWith: 'decision', sways: [{ id: 'pres' }] }]);
    expect(a.influenceRanking.find((r) => r.id === 'asst')).toMatchObject({ hiddenPower: true, rank: 2 });
    // Nobody of ours covers her: that is a red flag; covering her removes it.
    expect(flagsOf(a, 'hidden-power-uncovered').map((f) => f.people[0]!.id)).toEqual(['asst']);
    b.cover('m1', 'asst', 2);
    expect(kinds(analyze(b.map()))).not.toContain('hidden-power-uncovered');
  });

  it('derives the formal tier from the reporting line when no level is set', () => {
    const m = build()
      .person('top')
      .person('mid')
      .person('low')
      .person('alone')
      .rel('reports_to', 'mid', 'top')
      .rel('reports_to', 'low', 'mid')
      .map();
    const tier = Object.fromEntries(analyze(m).influenceRanking.map((r) => [r.id, r.tier]));
    expect(tier).toEqual({ top: 'decision', mid: 'management', low: 'operations', alone: null });
  });
});

describe('paths to decision makers', () => {
  it('finds the strongest chain from a supporter and says so when none exists', () => {
    const m = build()
      .person('s', { name: 'Supporter', attitude: 'supporter' })
      .person('x', { name: 'Middle' })
      .person('d', { name: 'Decider', roles: ['decision-maker'] })
      .person('d2', { name: 'Unreachable', roles: ['decision-maker'] })
      .rel('influence', 's', 'x', 2)
      .rel('influence', 'x', 'd', 2)
      .map();
    const a = analyze(m);
    const to = Object.fromEntries(a.pathsToDecisionMakers.map((p) => [p.target.id, p.paths]));
    expect(to.d).toHaveLength(1);
    expect(names(to.d![0]!.people)).toEqual(['Supporter', 'Middle', 'Decider']);
    expect(to.d![0]!.strength).toBeCloseTo(0.36, 6);
    expect(to.d![0]!.relations).toEqual(['r001', 'r002']);
    expect(to.d2).toEqual([]);
    expect(flagsOf(a, 'dm-no-path').map((f) => f.people[0]!.id)).toEqual(['d2']);
  });

  it('prefers the stronger chain, then the shorter, and keeps the best three', () => {
    const b = build().person('d', { name: 'Decider', roles: ['decision-maker'] });
    for (const [id, s] of [['s1', 3], ['s2', 1], ['s3', 2], ['s4', 2]] as const) {
      b.person(id, { attitude: 'supporter' }).rel('influence', id, 'd', s);
    }
    const paths = analyze(b.map()).pathsToDecisionMakers[0]!.paths;
    expect(paths.map((p) => [p.from.id, p.strength])).toEqual([
      ['s1', 0.8],
      ['s3', 0.6],
      ['s4', 0.6],
    ]);
  });

  it('never passes through someone against us, nor along a link between people in conflict', () => {
    const m = build()
      .person('s', { attitude: 'champion' })
      .person('o', { attitude: 'opponent' })
      .person('d', { roles: ['decision-maker'] })
      .rel('influence', 's', 'o', 3)
      .rel('influence', 'o', 'd', 3)
      .rel('alliance', 's', 'd', 3)
      .rel('conflict', 's', 'd', 1)
      .map();
    expect(analyze(m).pathsToDecisionMakers[0]!.paths).toEqual([]);
    // The opponent is a source's problem only in the middle: as the decision maker it is fine.
    const direct = build()
      .person('s', { attitude: 'champion' })
      .person('d', { roles: ['decision-maker'], attitude: 'opponent' })
      .rel('influence', 's', 'd', 1)
      .map();
    expect(analyze(direct).pathsToDecisionMakers[0]!.paths.map((p) => p.from.id)).toEqual(['s']);
  });

  it('stops at four links and survives cycles', () => {
    const chain = (links: number) => {
      const b = build().person('p0', { attitude: 'supporter' });
      for (let i = 1; i <= links; i++) b.person(`p${i}`).rel('influence', `p${i - 1}`, `p${i}`, 3);
      b.update(`p${links}`, { roles: ['decision-maker'] });
      // A loop back along the way must not trap the search.
      b.rel('influence', 'p1', 'p0', 3);
      return analyze(b.map()).pathsToDecisionMakers[0]!.paths;
    };
    expect(chain(4).map((p) => p.people.length)).toEqual([5]);
    expect(chain(5)).toEqual([]);
  });

  it('goes up and down the reporting line', () => {
    const m = build()
      .person('eng', { attitude: 'champion' })
      .person('boss', { roles: ['decision-maker'] })
      .person('peer', { roles: ['decision-maker'] })
      .rel('reports_to', 'eng', 'boss')
      .rel('reports_to', 'peer', 'boss')
      .map();
    const to = Object.fromEntries(analyze(m).pathsToDecisionMakers.map((p) => [p.target.id, p.paths]));
    expect(to.boss!.map((p) => [p.from.id, p.strength])).toEqual([['eng', 0.5]]);
    expect(to.peer!.map((p) => [names(p.people), p.strength])).toEqual([[['ENG', 'BOSS', 'PEER'], 0.3]]);
  });
});

describe('coverage', () => {
  const map = () =>
    build()
      .member('m1', 'Ava')
      .member('m2', 'Ben')
      .person('big', { influence: 'high' })
      .person('bigweak', { influence: 'high' })
      .person('mid', { influence: 'medium' })
      .person('dm', { influence: 'medium', roles: ['decision-maker'], attitude: 'supporter' })
      .person('coach', { roles: ['coach'], attitude: 'champion' })
      .person('shared', { influence: 'high' })
      .cover('m1', 'bigweak', 1)
      .cover('m1', 'coach', 3)
      .cover('m1', 'shared', 2)
      .cover('m2', 'shared', 3)
      .cover('m2', 'mid', 2);

  it('finds high-influence people nobody covers or only weakly, and uncovered decision makers', () => {
    const a = analyze(map().map());
    expect(a.coverage.gaps.map((g) => [g.id, g.maxStrength, g.decisionMaker])).toEqual([
      ['dm', 0, true],
      ['big', 0, false],
      ['bigweak', 1, false],
    ]);
    expect(flagsOf(a, 'coverage-gap').map((f) => [f.people[0]!.id, f.severity])).toEqual([
      ['big', 'medium'],
      ['bigweak', 'low'],
    ]);
  });

  it('lists coverage per person, single-threaded people, and what each departure uncovers', () => {
    const a = analyze(map().map());
    const cov = Object.fromEntries(a.coverage.people.map((p) => [p.id, p.coveredBy.map((c) => `${c.name}:${c.strength}`)]));
    expect(cov.shared).toEqual(['Ben:3', 'Ava:2']);
    expect(cov.big).toEqual([]);
    expect(a.coverage.singleThreaded.map((s) => [s.id, s.member.name])).toEqual([
      ['bigweak', 'Ava'],
      ['coach', 'Ava'],
      ['mid', 'Ben'],
    ]);
    const leaves = Object.fromEntries(a.coverage.ifMemberLeaves.map((l) => [l.member.name, l.uncovered.map((p) => p.id)]));
    // "shared" is covered by both: nobody's departure uncovers it.
    expect(leaves).toEqual({ Ava: ['bigweak', 'coach'], Ben: ['mid'] });
    const f = flagsOf(a, 'member-leaves');
    expect(f.map((x) => x.people.map((p) => p.id))).toEqual([['coach']]);
    expect(f[0]!.message).toContain('Ava');
  });

  it('counts the relationship mix among key people and overall', () => {
    const m = build()
      .person('a', { roles: ['decision-maker'], servesOrg: true, personalBond: true })
      .person('b', { influence: 'high', personalBond: true })
      .person('c', { roles: ['technical'], servesOrg: true })
      .person('d', { roles: ['user'] })
      .person('e', { influence: 'low' })
      .map();
    const mix = analyze(m).relationshipMix;
    expect(Object.fromEntries(Object.entries(mix.key).map(([k, v]) => [k, v.map((p) => p.id)]))).toEqual({
      partner: ['a'],
      friend: ['b'],
      supplier: ['c'],
      outsider: ['d'],
    });
    expect(mix.all).toEqual({ outsider: 2, friend: 1, supplier: 1, partner: 1 });
  });

  it('flags when most key people are outsiders', () => {
    const b = build();
    for (const id of ['a', 'b', 'c']) b.person(id, { influence: 'high' });
    b.person('d', { influence: 'high', servesOrg: true });
    expect(flagsOf(analyze(b.map()), 'key-outsiders')).toMatchObject([{ severity: 'medium' }]);
    b.update('a', { servesOrg: true });
    expect(flagsOf(analyze(b.map()), 'key-outsiders')).toEqual([]);
  });
});

describe('namesakes, robustness and language', () => {
  it('keeps two people with the same name in different departments apart', () => {
    const m = build()
      .person('w1', { name: '王伟', department: '信息中心', roles: ['decision-maker'], attitude: 'neutral' })
      .person('w2', { name: '王伟', department: '计划处', roles: ['decision-maker'], attitude: 'neutral' })
      .map();
    const a = analyze(m);
    const f = flagsOf(a, 'dm-uncovered');
    expect(f.map((x) => x.people[0]!.id).sort()).toEqual(['w1', 'w2']);
    expect(f.map((x) => x.message).sort()).toEqual([
      'Decision maker 王伟 (信息中心) is covered by nobody of ours.',
      'Decision maker 王伟 (计划处) is covered by nobody of ours.',
    ]);
    expect(a.decisionMakers.map((d) => d.id)).toEqual(['w1', 'w2']);
  });

  it('ignores edges to missing people, self-loops and stray coverage; an empty map works', () => {
    const m = build().member('m1').person('a', { roles: ['decision-maker'] }).rel('influence', 'a', 'ghost').rel('alliance', 'a', 'a').cover('m1', 'ghost').cover('mX', 'a').map();
    const a = analyze(m);
    expect(a.decisionMakers[0]!.coveredBy).toEqual([]);
    expect(a.influenceRanking).toMatchObject([{ id: 'a', score: 100 }]);
    const empty = analyze(build().map());
    expect(kinds(empty).sort()).toEqual(['no-coach', 'no-decision-maker']);
    expect(empty.influenceRanking).toEqual([]);
  });

  it('speaks Chinese when asked', () => {
    const m = build().person('d', { name: '赵国栋', roles: ['decision-maker'], attitude: 'opponent' }).map();
    const zh = analyze(m, { lang: 'zh-CN' });
    expect(zh.lang).toBe('zh-CN');
    expect(zh.redFlags.find((f) => f.kind === 'dm-against')!.message).toBe('决策者 赵国栋 态度为“反对”。');
    expect(zh.redFlags.find((f) => f.kind === 'no-coach')!.message).toMatch(/^没有教练/);
  });

  it('orders red flags high before medium before low', () => {
    const m = build()
      .member('m1')
      .person('d', { roles: ['decision-maker'], attitude: 'neutral' })
      .person('h', { influence: 'high' })
      .cover('m1', 'h', 1)
      .map();
    const sev = analyze(m).redFlags.map((f) => f.severity);
    const rank = { high: 0, medium: 1, low: 2 };
    expect(sev).toEqual([...sev].sort((x, y) => rank[x] - rank[y]));
    expect(new Set(sev)).toEqual(new Set(['high', 'medium', 'low']));
  });
});
