/**
 * The red flags evidence adds (issue 20), on hand-built maps: a decision maker's attitude
 * unverified or stale, the coach unconfirmed for more than the threshold, a conflict known only
 * by guess; ranked with the others, in both languages.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../shared/analysis';
import { defaultMeta } from '../../shared/domain';
import { unverifiedPerson, type Evidence } from '../../shared/evidence';
import { build } from '../helpers/analysis-maps';

const NOW = Date.parse('2026-06-30T12:00:00.000Z');
const DAY = 86_400_000;
const ago = (days: number) => new Date(NOW - days * DAY).toISOString();
const verified = (days: number, source = 'met'): Evidence => ({ source, verifiedAt: ago(days), verifiedBy: 'Lin Yu', changedAt: ago(days + 100) });
const allFresh = () => ({ attitude: verified(1), favours: verified(1), roles: verified(1), influence: verified(1) });

function map(opts: { dmAttitude?: Evidence; coachRoles?: Evidence; conflict?: Evidence | 'none'; stage?: 'tender' | 'evaluation' } = {}) {
  const b = build()
    .person('pres', { name: 'Gao Ming', roles: ['decision-maker'], attitude: 'supporter', influence: 'high' })
    .person('coach', { name: 'Xu Jing', roles: ['coach'], attitude: 'champion' })
    .person('dep', { name: 'Tang Wei' })
    .member('m1', 'Rep Chen')
    .cover('m1', 'pres', 3)
    .cover('m1', 'coach', 3)
    .rel('influence', 'coach', 'pres')
    .rel('conflict', 'coach', 'dep');
  for (const p of b.people) p.evidence = allFresh();
  b.people[0]!.evidence!.attitude = opts.dmAttitude ?? verified(1);
  b.people[1]!.evidence!.roles = opts.coachRoles ?? verified(1);
  b.relations[0]!.evidence = verified(1);
  if (opts.conflict !== 'none') b.relations[1]!.evidence = opts.conflict ?? verified(1);
  return { ...b.map(), meta: { ...defaultMeta(), stage: opts.stage ?? 'tender' } };
}
const kinds = (m: ReturnType<typeof map>, lang: 'en-US' | 'zh-CN' = 'en-US') =>
  analyze(m, { now: NOW, lang }).redFlags.filter((f) => ['dm-attitude-unverified', 'coach-unconfirmed', 'conflict-guess'].includes(f.kind));

describe('evidence red flags', () => {
  it('a fully verified map raises none', () => {
    expect(kinds(map())).toEqual([]);
  });

  it("a decision maker's attitude unverified or stale", () => {
    const unv = kinds(map({ dmAttitude: unverifiedPerson(ago(3)).attitude }));
    expect(unv).toMatchObject([{ kind: 'dm-attitude-unverified', severity: 'medium', people: [{ id: 'pres' }] }]);
    expect(unv[0]!.message).toBe("Decision maker Gao Ming's attitude is unverified: nobody has confirmed it.");
    expect(kinds(map({ dmAttitude: verified(60) }))).toEqual([]);
    const stale = kinds(map({ dmAttitude: verified(61) }));
    expect(stale[0]!.message).toBe("Decision maker Gao Ming's attitude was last verified 61 days ago (more than 60).");
    // In bid evaluation the threshold is 14 days.
    expect(kinds(map({ dmAttitude: verified(20), stage: 'evaluation' }))).toMatchObject([{ kind: 'dm-attitude-unverified' }]);
    expect(kinds(map({ dmAttitude: verified(20), stage: 'evaluation' }), 'zh-CN')[0]!.message).toBe('决策者 Gao Ming 的态度已 20 天未核实（超过 14 天）。');
  });

  it('the coach unconfirmed for more than the threshold', () => {
    expect(kinds(map({ coachRoles: verified(59) }))).toEqual([]);
    expect(kinds(map({ coachRoles: verified(70) }))).toMatchObject([{ kind: 'coach-unconfirmed', people: [{ id: 'coach' }] }]);
    // Never verified: flagged once the role has stood unconfirmed past the threshold, not before.
    expect(kinds(map({ coachRoles: { source: null, verifiedAt: null, verifiedBy: '', changedAt: ago(10) } }))).toEqual([]);
    const old = kinds(map({ coachRoles: { source: null, verifiedAt: null, verifiedBy: '', changedAt: ago(90) } }), 'zh-CN');
    expect(old).toMatchObject([{ kind: 'coach-unconfirmed' }]);
    expect(old[0]!.message).toBe('教练 Xu Jing 超过 60 天未经确认：是否仍是我们的教练？');
  });

  it('a conflict edge known only by guess (or from nobody) is flagged with the edge', () => {
    const f = kinds(map({ conflict: verified(1, 'guess') }));
    expect(f).toMatchObject([{ kind: 'conflict-guess', relations: ['r002'], people: [{ id: 'dep' }, { id: 'coach' }] }]);
    expect(f[0]!.message).toBe('The conflict between Tang Wei and Xu Jing is known only by guess: confirm it before planning around it.');
    expect(kinds(map({ conflict: { source: null, verifiedAt: null, verifiedBy: '', changedAt: ago(1) } }))).toHaveLength(1);
    expect(kinds(map({ conflict: verified(1, 'coach') }))).toEqual([]);
    // A map without evidence (built by hand, as older callers do) raises none of these.
    expect(kinds(map({ conflict: 'none' }))).toEqual([]);
  });

  it('they rank with the others: by severity, then kind', () => {
    const m = map({ dmAttitude: verified(90), coachRoles: verified(90), conflict: verified(1, 'guess') });
    m.people[0]!.attitude = 'neutral'; // dm-neutral (medium) ranks before the evidence flags
    const all = analyze(m, { now: NOW }).redFlags.map((f) => f.kind);
    expect(all.indexOf('dm-neutral')).toBeLessThan(all.indexOf('dm-attitude-unverified'));
    expect(all.slice(-3)).toEqual(['dm-attitude-unverified', 'coach-unconfirmed', 'conflict-guess']);
  });
});
