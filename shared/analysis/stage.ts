/**
 * Who matters at this buying step: each buyer role has a weight per step (weights.ts,
 * STAGE_WEIGHTS, overridable per map); a person weighs what their weightiest role weighs, and
 * their step score is that weight × the factor of their influence. The view ranks every client
 * person by it and says whom to emphasise and whom to dim.
 */
import { STAGES, type Person, type Stage } from '../domain';
import type { MapModel } from './model';
import type { Emphasis, RankEntry, StageEntry, StageView, StageWeightOverrides } from './types';
import {
  STAGE_DIM,
  STAGE_EMPHASIS,
  STAGE_INFLUENCE_FACTOR,
  STAGE_ROLES,
  STAGE_WEIGHTS,
  type StageRole,
} from './weights';

const isStage = (s: unknown): s is Stage => typeof s === 'string' && (STAGES as readonly string[]).includes(s);
const clamp = (x: number) => (Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0);

/** The weights in force at `stage`: the defaults with the map's overrides (clamped to 0–1). */
export function stageWeights(stage: Stage, overrides: StageWeightOverrides = {}): Record<StageRole, number> {
  const out = { ...STAGE_WEIGHTS[stage] };
  const o = overrides[stage];
  if (o) for (const r of STAGE_ROLES) if (typeof o[r] === 'number') out[r] = clamp(o[r]);
  return out;
}

/** The role of a person that weighs most at the step, and its weight (ties: STAGE_ROLES order). */
export function personStageWeight(p: Person, w: Record<StageRole, number>): { role: StageRole; weight: number } {
  let role: StageRole = 'other';
  let weight = -1;
  for (const r of STAGE_ROLES)
    if (r !== 'other' && p.roles.includes(r) && w[r] > weight) {
      role = r;
      weight = w[r];
    }
  return role === 'other' ? { role, weight: w.other } : { role, weight };
}

export const emphasisOf = (weight: number): Emphasis => (weight >= STAGE_EMPHASIS ? 'now' : weight < STAGE_DIM ? 'dim' : 'normal');

export function resolveStage(model: MapModel, stage: Stage | undefined): { stage: Stage; override: boolean } {
  if (isStage(stage)) return { stage, override: true };
  const own = model.map.meta?.stage;
  return { stage: isStage(own) ? own : 'need', override: false };
}

export function stageView(
  model: MapModel,
  ranking: readonly RankEntry[],
  stage: Stage,
  override: boolean,
  overrides: StageWeightOverrides = {},
): StageView {
  const weights = stageWeights(stage, overrides);
  const influence = new Float64Array(model.people.length);
  for (const r of ranking) influence[model.index.get(r.id)!] = r.score;
  const entries: StageEntry[] = model.people.map((p) => {
    const { role, weight } = personStageWeight(p, weights);
    return {
      id: p.id,
      name: p.name,
      role,
      weight,
      score: Math.round(1000 * weight * STAGE_INFLUENCE_FACTOR[p.influence]) / 10,
      rank: 0,
      emphasis: emphasisOf(weight),
    };
  });
  // People are indexed in name-then-id order, so the index breaks the last tie.
  const key1 = Int32Array.from(entries, (e) => Math.round(e.score * 1000));
  const key2 = Int32Array.from(influence, (x) => Math.round(x * 1000));
  const order = Array.from(entries, (_, i) => i).sort((a, b) => key1[b]! - key1[a]! || key2[b]! - key2[a]! || a - b);
  const people = order.map((i, k) => ((entries[i]!.rank = k + 1), entries[i]!));
  const cleaned: StageWeightOverrides = {};
  for (const s of STAGES) {
    const o = overrides[s];
    if (!o) continue;
    const cells = Object.fromEntries(STAGE_ROLES.filter((r) => typeof o[r] === 'number').map((r) => [r, clamp(o[r]!)]));
    if (Object.keys(cells).length) cleaned[s] = cells;
  }
  return { stage, override, weights, overrides: cleaned, people };
}
