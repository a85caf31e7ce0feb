/**
 * The fast parts of the analysis checked against slow, obvious ones on random maps:
 * - weightedPageRank against graphology-metrics' pagerank on the same graph;
 * - the hop-bounded, pruned path search against brute-force enumeration of every simple chain;
 * - the numeric coach score against the sum of the explained signals.
 */
import { DirectedGraph } from 'graphology';
import pagerank from 'graphology-metrics/centrality/pagerank';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../shared/analysis';
import { coachScore, coachSignals } from '../../shared/analysis/coach';
import { deferenceEdges, influenceScores } from '../../shared/analysis/influence';
import { MESSAGES } from '../../shared/analysis/messages';
import { MapModel } from '../../shared/analysis/model';
import { weightedPageRank } from '../../shared/analysis/pagerank';
import { incomingLinks } from '../../shared/analysis/paths';
import * as W from '../../shared/analysis/weights';
import { ATTITUDE_SCORE } from '../../shared/domain';
import { generateMap } from '../../bench/lib/generate';

const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8];

describe('weightedPageRank agrees with graphology-metrics', () => {
  for (const seed of SEEDS)
    it(`random map, seed ${seed}`, () => {
      const model = new MapModel(generateMap(60 + seed * 7, { seed }));
      const { src, dst, w } = deferenceEdges(model);
      const g = new DirectedGraph<Record<string, never>, { weight: number }>();
      model.people.forEach((_, i) => g.addNode(String(i)));
      for (let i = 0; i < src.length; i++) {
        const [a, b] = [String(src[i]), String(dst[i])];
        if (g.hasEdge(a, b)) g.updateEdgeAttribute(a, b, 'weight', (x) => (x ?? 0) + w[i]!);
        else g.addEdge(a, b, { weight: w[i]! });
      }
      const opts = { alpha: W.PAGERANK_ALPHA, maxIterations: 1000, tolerance: 1e-12 };
      const theirs = pagerank(g, { getEdgeWeight: 'weight', ...opts });
      const ours = weightedPageRank(model.people.length, src, dst, w, opts);
      model.people.forEach((_, i) => expect(ours[i]).toBeCloseTo(theirs[String(i)]!, 12));
      // The analysis' own settings are within 1e-7 of the converged values.
      const used = influenceScores(model);
      model.people.forEach((_, i) => expect(used[i]).toBeCloseTo(theirs[String(i)]!, 7));
    });
});

/** Every simple chain of ≤ MAX_PATH_HOPS links into `t`, by the documented rules. */
function bruteForce(model: MapModel, t: number) {
  const inc = incomingLinks(model);
  const against = (i: number) => ATTITUDE_SCORE[model.people[i]!.attitude] < 0;
  const isSource = (i: number) => ATTITUDE_SCORE[model.people[i]!.attitude] >= 1 || model.isCoach(model.people[i]!);
  const best = new Map<number, { s: number; hops: number }>();
  const walk = (v: number, s: number, hops: number, seen: Set<number>) => {
    if (hops === W.MAX_PATH_HOPS) return;
    if (v !== t && against(v)) return;
    for (let k = inc.start[v]!; k < inc.start[v + 1]!; k++) {
      const u = inc.from[k]!;
      if (seen.has(u)) continue;
      const su = s * inc.p[k]!;
      const cur = best.get(u);
      if (!cur || su > cur.s + 1e-12 || (Math.abs(su - cur.s) <= 1e-12 && hops + 1 < cur.hops)) best.set(u, { s: su, hops: hops + 1 });
      seen.add(u);
      walk(u, su, hops + 1, seen);
      seen.delete(u);
    }
  };
  walk(t, 1, 0, new Set([t]));
  return [...best]
    .filter(([u]) => isSource(u))
    .map(([u, b]) => ({ id: model.people[u]!.id, name: model.people[u]!.name, s: Math.round(b.s * 1e4) / 1e4, hops: b.hops }))
    // Ties by id (issue 21: the same chains whatever language the names are in).
    .sort((a, b) => b.s - a.s || a.hops - b.hops || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .slice(0, W.PATHS_PER_DECISION_MAKER);
}

describe('paths to decision makers agree with brute force', () => {
  for (const seed of SEEDS)
    it(`random map, seed ${seed}`, () => {
      const map = generateMap(70, { seed: 100 + seed });
      const model = new MapModel(map);
      const a = analyze(map);
      expect(a.pathsToDecisionMakers.length).toBeGreaterThan(0);
      for (const d of a.pathsToDecisionMakers) {
        const expected = bruteForce(model, model.index.get(d.target.id)!);
        expect(d.paths.map((p) => ({ id: p.from.id, s: p.strength, hops: p.people.length - 1 }))).toEqual(
          expected.map((e) => ({ id: e.id, s: e.s, hops: e.hops })),
        );
        for (const p of d.paths) {
          expect(p.people.at(-1)!.id).toBe(d.target.id);
          expect(p.relations).toHaveLength(p.people.length - 1);
          expect(new Set(p.people.map((x) => x.id)).size).toBe(p.people.length);
        }
      }
    });
});

describe('coach score = sum of the explained signals', () => {
  it('for every eligible person of random maps', () => {
    let checked = 0;
    for (const seed of SEEDS) {
      const model = new MapModel(generateMap(120, { seed: 200 + seed }));
      for (const p of model.people) {
        const score = coachScore(model, p);
        const signals = coachSignals(model, p, MESSAGES['en-US']);
        if (score === null) expect(signals).toEqual([]);
        else {
          expect(signals.reduce((s, h) => s + h.points, 0)).toBe(score);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
  });
});
