/**
 * The buying-step analysis (issue 21): stage weights, stage-aware flags, chokepoints (checked
 * against NetworkX in a python3 subprocess), coverage by role and next steps, on hand-built maps
 * and random ones. Without python3-networkx the oracle tests fail and say so; they never skip.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { analyze, type Analysis, type MapInput } from '../../shared/analysis';
import { csrPair, subsetBetweenness } from '../../shared/analysis/betweenness';
import { supporterBetweenness } from '../../shared/analysis/chokepoints';
import { MapModel } from '../../shared/analysis/model';
import { MAX_PATH_HOPS, STAGE_WEIGHTS } from '../../shared/analysis/weights';
import { ATTITUDE_SCORE } from '../../shared/domain';
import { generateMap, prng } from '../../bench/lib/generate';
import { build } from '../helpers/analysis-maps';

function python(): string {
  const tried: string[] = [];
  for (const py of ['/usr/bin/python3', 'python3']) {
    const r = spawnSync(py, ['-c', 'import networkx'], { encoding: 'utf8' });
    if (r.status === 0) return py;
    tried.push(`${py}: ${r.error ? r.error.message : (r.stderr.trim().split('\n').pop() ?? `exit ${r.status}`)}`);
  }
  throw new Error(`no python3 with networkx: install Debian's python3-networkx — tried ${tried.join('; ')}`);
}

/** Runs `script` with `input` as JSON on stdin; returns its JSON output. */
function nx<T>(script: string, input: unknown): T {
  const r = spawnSync(python(), ['-c', script], { input: JSON.stringify(input), encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as T;
}

const SUBSET = `
import json, sys
import networkx as nx
out = []
for g in json.load(sys.stdin):
    G = nx.DiGraph()
    G.add_nodes_from(range(g["n"]))
    G.add_edges_from(zip(g["src"], g["dst"]))
    bc = nx.betweenness_centrality_subset(G, g["sources"], g["targets"], normalized=False)
    out.append([bc[i] for i in range(g["n"])])
print(json.dumps(out))
`;

describe('subset betweenness agrees with NetworkX', () => {
  it('on 12 random directed graphs, to 1e-9', () => {
    const graphs = Array.from({ length: 12 }, (_, k) => {
      const rnd = prng(1000 + k);
      const n = 20 + Math.floor(rnd() * 60);
      const m = Math.floor(n * (1 + rnd() * 3));
      const src: number[] = [];
      const dst: number[] = [];
      for (let i = 0; i < m; i++) {
        src.push(Math.floor(rnd() * n));
        dst.push(Math.floor(rnd() * n));
      }
      const sources = Array.from({ length: n }, (_, i) => i).filter(() => rnd() < 0.3);
      const targets = Array.from({ length: n }, (_, i) => i).filter(() => rnd() < 0.2);
      return { n, src, dst, sources, targets };
    });
    const theirs = nx<number[][]>(SUBSET, graphs.map((g) => ({ ...g, src: g.src, dst: g.dst })));
    graphs.forEach((g, k) => {
      const { out, in: inc } = csrPair(g.n, g.src, g.dst);
      const S = new Uint8Array(g.n);
      const T = new Uint8Array(g.n);
      for (const s of g.sources) S[s] = 1;
      for (const t of g.targets) T[t] = 1;
      const ours = subsetBetweenness(g.n, out, inc, S, T);
      expect(theirs[k]!.some((x) => x > 0)).toBe(true);
      for (let i = 0; i < g.n; i++) expect(Math.abs(ours[i]! - theirs[k]![i]!)).toBeLessThan(1e-9);
    });
  });
});

/**
 * NetworkX builds the request graph from the map's relations by the documented rule (influence
 * A → B; the first reporting line of each person by id, both ways) and computes the betweenness
 * from supporters (champion, supporter, coach) to decision makers: unbounded with
 * betweenness_centrality_subset, and over the pairs at most MAX_PATH_HOPS links apart by
 * enumerating their shortest paths (all_shortest_paths), with the number of shortest paths to
 * each decision maker through each person.
 */
const MAP_ORACLE = `
import json, sys
import networkx as nx
out = []
for m in json.load(sys.stdin):
    G = nx.DiGraph()
    ids = [p["id"] for p in m["people"]]
    G.add_nodes_from(ids)
    boss = {}
    for r in sorted(m["relations"], key=lambda r: r["id"]):
        s, t = r["source"], r["target"]
        if s == t or s not in G or t not in G: continue
        if r["kind"] == "influence": G.add_edge(s, t)
        elif r["kind"] == "reports_to" and s not in boss:
            boss[s] = t
            G.add_edge(s, t); G.add_edge(t, s)
    score = {"champion": 2, "supporter": 1, "neutral": 0, "opponent": -1, "strong-opponent": -2}
    S = [p["id"] for p in m["people"] if score[p["attitude"]] >= 1 or "coach" in p["roles"]]
    T = [p["id"] for p in m["people"] if "decision-maker" in p["roles"]]
    full = nx.betweenness_centrality_subset(G, S, T, normalized=False)
    # The analysis counts pairs at most MAX_HOPS links apart: enumerate their shortest paths.
    bc = dict.fromkeys(ids, 0.0)
    counts = {t: {"total": 0, "through": dict.fromkeys(ids, 0)} for t in T}
    for t in T:
        for s in S:
            if s == t or not nx.has_path(G, s, t) or nx.shortest_path_length(G, s, t) > m["maxHops"]: continue
            paths = list(nx.all_shortest_paths(G, s, t))
            counts[t]["total"] += len(paths)
            for v in ids:
                k = sum(1 for p in paths if v in p[1:-1])
                counts[t]["through"][v] += k
                bc[v] += k / len(paths)
    out.append({"bc": bc, "full": full, "counts": counts})
print(json.dumps(out))
`;

describe('chokepoints agree with NetworkX on random maps', () => {
  const maps = [1, 2, 3, 4, 5, 6].map((seed) => generateMap(40 + seed * 10, { seed: 300 + seed }));
  it('betweenness of every person (unbounded and within the hop limit) and the path counts of every chokepoint cut', () => {
    type Out = { bc: Record<string, number>; full: Record<string, number>; counts: Record<string, { total: number; through: Record<string, number> }> };
    const theirs = nx<Out[]>(MAP_ORACLE, maps.map((m) => ({ ...m, maxHops: MAX_PATH_HOPS })));
    let bounded = 0;
    maps.forEach((map, k) => {
      const model = new MapModel(map);
      const ours = supporterBetweenness(model);
      const full = supporterBetweenness(model, undefined, Infinity);
      model.people.forEach((p, i) => {
        expect(Math.abs(ours[i]! - theirs[k]!.bc[p.id]!)).toBeLessThan(1e-9);
        expect(Math.abs(full[i]! - theirs[k]!.full[p.id]!)).toBeLessThan(1e-9);
      });
      if (model.people.some((_, i) => Math.abs(ours[i]! - full[i]!) > 1e-6)) bounded++;
      const a = analyze(map);
      expect(a.chokepoints.length).toBeGreaterThan(0);
      for (const c of a.chokepoints) {
        expect(ATTITUDE_SCORE[c.attitude]).toBeLessThanOrEqual(0);
        expect(Math.abs(c.betweenness - theirs[k]!.bc[c.id]!)).toBeLessThan(1e-6);
        for (const cut of c.cuts) {
          const ref = theirs[k]!.counts[cut.target.id]!;
          expect(cut.total).toBe(ref.total);
          expect(cut.through).toBe(ref.through[c.id]);
          // The example is a real chain: supporter first, the chokepoint inside, the target last.
          const ex = cut.example.map((r) => r.id);
          expect(ex[0]).not.toBe(c.id);
          expect(ex).toContain(c.id);
          expect(ex[ex.length - 1]).toBe(cut.target.id);
          expect(cut.relations).toHaveLength(ex.length - 1);
          cut.relations.forEach((rid, j) => {
            const r = map.relations.find((x) => x.id === rid)!;
            expect([r.source, r.target].sort()).toEqual([ex[j], ex[j + 1]].sort());
          });
        }
      }
      // Ranked by betweenness.
      for (let i = 1; i < a.chokepoints.length; i++) expect(a.chokepoints[i - 1]!.betweenness).toBeGreaterThanOrEqual(a.chokepoints[i]!.betweenness);
    });
    // The hop limit matters on some of these maps (else the two checks are one).
    expect(bounded).toBeGreaterThan(0);
  });
});

/** A small deal: a technical buyer against us, a decision maker nobody covers, procurement. */
const deal = () =>
  build()
    .member('m1', 'Chen')
    .person('dm', { name: 'President Wang', roles: ['decision-maker'], attitude: 'neutral', influence: 'high' })
    .person('tech', { name: 'Engineer Sun', roles: ['technical'], attitude: 'opponent', favours: 'Rival', influence: 'medium' })
    .person('proc', { name: 'Buyer Zhou', roles: ['procurement'], attitude: 'neutral', influence: 'high' })
    .person('user', { name: 'Head Li', roles: ['user'], attitude: 'supporter', influence: 'medium' })
    .person('coach', { name: 'Coach Wu', roles: ['coach'], attitude: 'champion', influence: 'medium' })
    .person('gate', { name: 'Gatekeeper Zhao', attitude: 'opponent', influence: 'medium' })
    .rel('influence', 'user', 'gate', 2)
    .rel('influence', 'coach', 'gate', 2)
    .rel('influence', 'gate', 'dm', 3)
    .rel('influence', 'coach', 'tech', 1)
    .rel('conflict', 'user', 'tech', 3, 'Fought over the pilot.')
    .cover('m1', 'coach', 3)
    .cover('m1', 'user', 2)
    .cover('m1', 'proc', 1);
const withStage = (b: ReturnType<typeof deal>, stage: MapInput['meta'] extends infer M ? (M extends { stage: infer S } ? S : never) : never): MapInput => ({
  ...b.map(),
  meta: { account: '', deal: '', stage, posture: 'preferred', incumbent: false, competitors: [], budget: '', timeline: '', notes: '' },
});
const flagged = (a: Analysis, kind: string) => a.redFlags.filter((f) => f.kind === kind).map((f) => [f.people[0]?.id ?? '', f.severity]);

describe('the buying step weighs who matters', () => {
  it('ranks the technical buyer first at the specification, the decision maker at the evaluation, procurement at the contract', () => {
    const top = (stage: 'specification' | 'evaluation' | 'contract') => analyze(withStage(deal(), stage)).stage.people.filter((p) => p.id !== 'coach')[0]!.id;
    // specification: technical 1 × medium 0.7 = 70 beats the president (0.5 × 1 = 50).
    expect(top('specification')).toBe('tech');
    expect(top('evaluation')).toBe('dm');
    // contract: procurement 1 × high = 100 beats the president (0.7).
    expect(top('contract')).toBe('proc');
  });

  it('scores weight × influence factor, emphasises and dims as documented', () => {
    const a = analyze(withStage(deal(), 'specification'));
    const e = Object.fromEntries(a.stage.people.map((p) => [p.id, p]));
    expect(e.tech).toMatchObject({ role: 'technical', weight: 1, score: 70, emphasis: 'now' });
    expect(e.dm).toMatchObject({ role: 'decision-maker', weight: 0.5, score: 50, emphasis: 'normal' });
    expect(e.gate).toMatchObject({ role: 'other', weight: STAGE_WEIGHTS.specification.other, emphasis: 'dim' });
    expect(a.stage).toMatchObject({ stage: 'specification', override: false });
  });

  it('takes --stage as a what-if over the map, and the map’s own weights over the defaults', () => {
    const what = analyze(withStage(deal(), 'specification'), { stage: 'contract' });
    expect(what.stage).toMatchObject({ stage: 'contract', override: true });
    const own = analyze(withStage(deal(), 'specification'), { stageWeights: { specification: { 'decision-maker': 1, technical: 0.3 } } });
    expect(own.stage.weights).toMatchObject({ 'decision-maker': 1, technical: 0.3 });
    expect(own.stage.people[0]!.id).toBe('dm');
    expect(own.stage.overrides).toEqual({ specification: { 'decision-maker': 1, technical: 0.3 } });
    // No map stage, no option: the first step.
    expect(analyze(deal().map()).stage.stage).toBe('need');
  });

  it('makes red flags stage-aware', () => {
    const spec = analyze(withStage(deal(), 'specification'));
    expect(flagged(spec, 'stage-key-against')).toEqual([['tech', 'high']]);
    expect(spec.redFlags.find((f) => f.kind === 'stage-key-against')!.message).toBe(
      'Specification step: the technical buyer Engineer Sun is an opponent and leans to Rival.',
    );
    expect(flagged(spec, 'stage-key-uncovered')).toEqual([['tech', 'high']]);
    // At the evaluation the decision maker weighs most: uncovered is a stage flag too.
    const ev = analyze(withStage(deal(), 'evaluation'), { lang: 'zh-CN' });
    expect(flagged(ev, 'stage-key-uncovered')).toEqual([
      ['tech', 'high'],
      ['dm', 'high'],
    ]);
    expect(ev.redFlags.filter((f) => f.kind === 'stage-key-uncovered')[1]!.message).toBe('“评标”阶段：决策者 President Wang 没有我方人员覆盖。');
    // At the contract procurement weighs most: weakly covered.
    expect(flagged(analyze(withStage(deal(), 'contract')), 'stage-key-uncovered')).toEqual([['proc', 'medium']]);
    // A step whose key role nobody holds.
    const noTech = withStage(deal().update('tech', { roles: [] }), 'specification');
    expect(analyze(noTech).redFlags.filter((f) => f.kind === 'stage-role-missing').map((f) => f.message)).toEqual([
      'Specification step: nobody holds the technical buyer role, and it weighs most now.',
    ]);
  });
});

describe('chokepoints on a hand-built map', () => {
  it('finds the gatekeeper on every path to the president, with the paths cut', () => {
    const a = analyze(withStage(deal(), 'evaluation'));
    expect(a.chokepoints.map((c) => c.id)).toEqual(['gate']);
    const cut = a.chokepoints[0]!.cuts[0]!;
    expect(cut).toMatchObject({ target: { id: 'dm' }, through: 2, total: 2, share: 1 });
    expect(cut.example.map((r) => r.id)).toEqual(['coach', 'gate', 'dm']);
    // A second way in that avoids the gatekeeper halves the share.
    const b = deal().rel('influence', 'user', 'dm', 1);
    const c = analyze(withStage(b, 'evaluation')).chokepoints[0]!.cuts[0]!;
    expect(c).toMatchObject({ through: 1, total: 2, share: 0.5 });
  });
});

describe('coverage by role', () => {
  it('fills each role × attitude cell with who is there and how well we cover them', () => {
    const a = analyze(withStage(deal(), 'specification'));
    const row = (r: string) => a.roleCoverage.find((x) => x.role === r)!;
    const cell = (r: string, att: string) => row(r).cells.find((c) => c.attitude === att)!;
    expect(cell('decision-maker', 'neutral')).toMatchObject({ cover: 'none', people: [{ id: 'dm' }] });
    expect(cell('procurement', 'neutral').cover).toBe('weak');
    expect(cell('user', 'supporter').cover).toBe('strong');
    expect(cell('technical', 'champion').cover).toBe('empty');
    expect(row('decision-maker').gap).toBe(true);
    expect(row('user')).toMatchObject({ gap: false, members: [{ name: 'Chen', strength: 2 }], weight: 0.7 });
    expect(row('technical').weight).toBe(1);
  });
});

describe('next steps', () => {
  it('names real people and paths, in both languages, the most urgent first', () => {
    const a = analyze(withStage(deal(), 'evaluation'));
    const texts = a.nextSteps.map((s) => s.text);
    expect(texts).toEqual([
      'Win over Gatekeeper Zhao or route around: Gatekeeper Zhao sits on 2 of 2 shortest paths from our supporters to President Wang.',
      'Find a way to President Wang: none of our supporters leads there; ask Coach Wu who could introduce us.',
      'Win back Engineer Sun before the bid evaluation step closes (technical buyer, an opponent, leans to Rival; nobody of ours covers them yet).',
      'Invite Engineer Sun and Head Li separately: they are in conflict (Fought over the pilot).',
      'Meet Engineer Sun through Coach Wu (has their ear, champions us; covered by Chen, strong).',
      'Add a second contact for Coach Wu: only Chen covers them.',
    ]);
    expect(a.nextSteps.map((s) => s.kind)).toEqual(['route-around', 'find-way', 'win-back', 'separate', 'meet', 'second-contact']);
    const route = a.nextSteps.find((s) => s.kind === 'route-around')!;
    expect(route.path.map((r) => r.id)).toEqual(['coach', 'gate', 'dm']);
    const zh = analyze(withStage(deal(), 'evaluation'), { lang: 'zh-CN' });
    expect(zh.nextSteps.map((s) => s.id)).toEqual(a.nextSteps.map((s) => s.id));
    expect(zh.nextSteps[2]!.text).toBe('在“评标”阶段结束前争取 Engineer Sun（技术把关者，反对我们，倾向于 Rival；我方尚无人覆盖）。');
  });

  it('are the same whatever the input order, and a done step stays listed, last', () => {
    const m = withStage(deal(), 'evaluation');
    const a = analyze(m);
    const shuffled = { ...m, people: [...m.people].reverse(), relations: [...m.relations].reverse(), coverage: [...m.coverage].reverse() };
    expect(analyze(shuffled).nextSteps).toEqual(a.nextSteps);
    const first = a.nextSteps[0]!.id;
    const b = analyze(m, { doneSteps: [first] });
    expect(b.nextSteps.map((s) => s.id)).toEqual([...a.nextSteps.slice(1).map((s) => s.id), first]);
    expect(b.nextSteps[b.nextSteps.length - 1]!.done).toBe(true);
  });

  it('walk a chain of our own people to a decision maker', () => {
    const b = build()
      .member('m1', 'Chen')
      .person('pres', { name: '王行长', roles: ['decision-maker'], attitude: 'neutral', influence: 'high' })
      .person('li', { name: '李总', attitude: 'supporter', influence: 'high' })
      .person('coach', { name: '吴主任', roles: ['coach'], attitude: 'champion' })
      .rel('alliance', 'li', 'pres', 3)
      .cover('m1', 'li', 3)
      .cover('m1', 'coach', 3);
    const step = analyze(withStage(b, 'evaluation')).nextSteps.find((s) => s.kind === 'meet')!;
    expect(step.text).toBe('Meet 王行长 through 李总 (an ally, supports us; covered by Chen, strong).');
    expect(step.path.map((r) => r.id)).toEqual(['li', 'pres']);
    const zh = analyze(withStage(b, 'evaluation'), { lang: 'zh-CN' }).nextSteps.find((s) => s.kind === 'meet')!;
    expect(zh.text).toBe('通过 李总 约见 王行长（对方的同盟，支持我们；由 Chen 覆盖，关系强）。');
  });
});
