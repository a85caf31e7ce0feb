/**
 * Influence ranking: weighted PageRank (pagerank.ts, checked against graphology-metrics) on the
 * graph of who defers to whom,
 * and "hidden power" — people ranked far above their formal level. docs/ANALYSIS.md has the
 * formula; the weights live in weights.ts.
 */
import type { Level } from '../domain';
import { byNameThenId, type MapModel } from './model';
import { weightedPageRank } from './pagerank';
import type { HiddenPowerEntry, RankEntry } from './types';
import {
  DEFER_INFLUENCE_PER_STRENGTH,
  DEFER_REPORTS_TO,
  HIDDEN_POWER_MIN_SCORE,
  PAGERANK_ALPHA,
  PAGERANK_MAX_ITERATIONS,
  PAGERANK_TOLERANCE,
  TIER_ORDER,
} from './weights';

/**
 * The deference graph as edge lists over person indices: an edge u → v with weight w means u
 * defers to v. Parallel links add up.
 */
export function deferenceEdges(model: MapModel): { src: Int32Array; dst: Int32Array; w: Float64Array } {
  const src: number[] = [];
  const dst: number[] = [];
  const w: number[] = [];
  const add = (from: string, to: string, weight: number) => {
    src.push(model.index.get(from)!);
    dst.push(model.index.get(to)!);
    w.push(weight);
  };
  for (const r of model.relations) {
    // A sways B: B defers to A.
    if (r.kind === 'influence') add(r.target, r.source, r.strength * DEFER_INFLUENCE_PER_STRENGTH);
    // A reports to B: A defers to B (only the one formal line the model keeps).
    else if (r.kind === 'reports_to' && model.boss.get(r.source) === r) add(r.source, r.target, DEFER_REPORTS_TO);
  }
  return { src: Int32Array.from(src), dst: Int32Array.from(dst), w: Float64Array.from(w) };
}

/** Raw PageRank values by person index (sum 1). */
export function influenceScores(model: MapModel): Float64Array {
  const { src, dst, w } = deferenceEdges(model);
  return weightedPageRank(model.people.length, src, dst, w, {
    alpha: PAGERANK_ALPHA,
    maxIterations: PAGERANK_MAX_ITERATIONS,
    tolerance: PAGERANK_TOLERANCE,
  });
}

/**
 * The formal tier: the person's level, or — when it is not set — from the reporting line:
 * the top of a line (someone reports to them, they report to nobody) is decision level, one step
 * below is management, further down operations. Someone outside every line, with no level, has
 * no known tier.
 */
export function formalTiers(model: MapModel): Map<string, Level | null> {
  const depth = new Map<string, number>();
  const depthOf = (id: string): number => {
    const known = depth.get(id);
    if (known !== undefined) return known;
    const chain: string[] = [];
    const onChain = new Set<string>();
    let cur: string | undefined = id;
    let base = 0;
    while (cur !== undefined) {
      const d = depth.get(cur);
      if (d !== undefined) {
        base = d + 1;
        break;
      }
      if (onChain.has(cur)) break; // a loop in a damaged file: treat the loop's entry as a top
      onChain.add(cur);
      chain.push(cur);
      const up = model.boss.get(cur);
      cur = up?.target;
    }
    for (let i = chain.length - 1; i >= 0; i--) depth.set(chain[i]!, base + (chain.length - 1 - i));
    return depth.get(id)!;
  };
  const out = new Map<string, Level | null>();
  for (const p of model.people) {
    if (p.level) out.set(p.id, p.level);
    else if (!model.boss.has(p.id) && !model.reportsOf.has(p.id)) out.set(p.id, null);
    else {
      const d = depthOf(p.id);
      out.set(p.id, d === 0 ? 'decision' : d === 1 ? 'management' : 'operations');
    }
  }
  return out;
}

export interface InfluenceResult {
  ranking: RankEntry[];
  hiddenPower: HiddenPowerEntry[];
}

const TIER_INDEX: Record<Level, number> = { decision: 0, management: 1, operations: 2 };

export function influenceRanking(model: MapModel): InfluenceResult {
  const n = model.people.length;
  const pr = influenceScores(model);
  const tiers = formalTiers(model);
  let max = 0;
  for (const v of pr) max = Math.max(max, v);
  // Scores on 0–100; ordered by the score to 1/1000 (float noise must not decide), then name, id
  // (model.people is in name-then-id order: index order breaks ties).
  const score = new Float64Array(n);
  const key = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    score[i] = max > 0 ? (100 * pr[i]!) / max : 0;
    key[i] = Math.round(score[i]! * 1000);
  }
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => key[b]! - key[a]! || a - b);

  // The band each tier would fill if people were ranked by formal tier alone: the decision tier
  // takes positions 1…D, management D+1…D+M, operations after.
  const tierCount = [0, 0, 0];
  const tierOf: (Level | null)[] = model.people.map((p) => tiers.get(p.id) ?? null);
  for (const t of tierOf) if (t) tierCount[TIER_INDEX[t]]!++;
  const bandEnd = [tierCount[0]!, tierCount[0]! + tierCount[1]!, n];

  const ranking: RankEntry[] = new Array(n);
  const hiddenPower: HiddenPowerEntry[] = [];
  for (let rank = 1; rank <= n; rank++) {
    const i = order[rank - 1]!;
    const p = model.people[i]!;
    const tier = tierOf[i]!;
    const shown = Math.round(score[i]! * 10) / 10;
    let ranksWith: Level | null = null;
    const sways = model.influenceOut.get(p.id);
    if (tier && tier !== 'decision' && sways && score[i]! >= HIDDEN_POWER_MIN_SCORE) {
      // The highest tier whose band their rank falls in (that tier must have people).
      for (let t = 0; t < TIER_INDEX[tier]; t++)
        if (tierCount[t]! > 0 && rank <= bandEnd[t]!) {
          ranksWith = TIER_ORDER[t]!;
          break;
        }
    }
    ranking[rank - 1] = { id: p.id, name: p.name, rank, score: shown, tier, hiddenPower: ranksWith !== null };
    if (ranksWith && tier && sways)
      hiddenPower.push({
        id: p.id,
        name: p.name,
        rank,
        score: shown,
        tier,
        ranksWith,
        sways: [...new Set(sways.map((s) => s.target))].map((id) => model.ref(id)).sort(byNameThenId),
      });
  }
  return { ranking, hiddenPower };
}
