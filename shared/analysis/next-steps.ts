/**
 * Next steps: a ranked list of concrete actions built from the rest of the analysis (see
 * docs/ANALYSIS.md, "Next steps"). Each names real people (and the chain to walk, when there is
 * one); its priority is the base priority of its kind (weights.ts, NEXT_STEP_PRIORITY) × how much
 * its subject matters at this step (step weight × influence factor). Ids are stable — kind plus
 * the ids of the people it is about — so a ticked step stays ticked until its subject changes.
 */
import { ATTITUDE_SCORE, type Relation } from '../domain';
import { cmp, type MapModel } from './model';
import { strongestPaths } from './paths';
import { STEP_MESSAGES, type Cover, type LinkKind } from './step-messages';
import type {
  Chokepoint,
  CoachCandidate,
  CoachEntry,
  MeetingCheck,
  NextStep,
  NextStepKind,
  PairEntry,
  PathEntry,
  StageView,
} from './types';
import {
  NEXT_STEPS_MAX,
  NEXT_STEP_PRIORITY,
  STAGE_DIM,
  STAGE_EMPHASIS,
  STAGE_INFLUENCE_FACTOR,
  CHOKEPOINT_STEP_SHARE,
  type StageRole,
} from './weights';

const KIND_ORDER: NextStepKind[] = ['find-coach', 'fill-role', 'win-back', 'route-around', 'meet', 'find-way', 'separate', 'second-contact'];
/** Roles the buying process gives (the coach guides; `other` is none). */
export const BUYING_ROLES: readonly StageRole[] = ['decision-maker', 'user', 'technical', 'procurement'];
/** How many chokepoints may each become a step. */
const ROUTE_AROUND_MAX = 3;

export interface NextStepInput {
  stage: StageView;
  coaches: readonly CoachEntry[];
  coachCandidates: readonly CoachCandidate[];
  chokepoints: readonly Chokepoint[];
  conflicts: readonly PairEntry[];
  meeting: MeetingCheck | null;
  done: ReadonlySet<string>;
}

export function nextSteps(model: MapModel, input: NextStepInput): NextStep[] {
  const { stage } = input;
  const m = STEP_MESSAGES[model.lang];
  const L = (id: string) => model.label(id);
  const w = new Float64Array(model.people.length);
  for (const e of stage.people) w[model.index.get(e.id)!] = e.weight;
  const weight = (id: string) => w[model.index.get(id)!] ?? 0;
  const importance = (id: string) => weight(id) * STAGE_INFLUENCE_FACTOR[model.byId.get(id)!.influence];
  const cover = (id: string): Cover | null => {
    const l = model.coveredBy(id)[0];
    return l ? { member: l.name, strength: l.strength } : null;
  };
  // Candidates first, sentences only for the ones that make the list (a 10,000-person map has thousands).
  interface Draft {
    id: string;
    kind: NextStepKind;
    priority: number;
    /** The subject's place in id order (not name order: the same in every language), -1 for none. */
    first: number;
    done: boolean;
    make: () => { text: string; people: string[]; relations?: string[]; path?: string[] };
  }
  const drafts: Draft[] = [];
  const add = (kind: NextStepKind, key: string[], priority: number, first: string, make: Draft['make']) => {
    const id = `${kind}:${key.join(':')}`;
    drafts.push({ id, kind, priority: Math.round(priority * 10) / 10, first: first && model.index.has(first) ? model.idRank[model.index.get(first)!]! : -1, done: input.done.has(id), make });
  };

  // A coach first: without one we are guessing.
  if (input.coaches.length === 0) {
    const c = input.coachCandidates[0];
    add('find-coach', [c?.id ?? ''], NEXT_STEP_PRIORITY['find-coach'], c?.id ?? '', () => ({
      text: m.findCoach(c ? L(c.id) : null, c ? c.reasons.slice(0, 3) : []),
      people: c ? [c.id] : [],
    }));
  }

  // A role that weighs most now and nobody holds.
  for (const role of BUYING_ROLES) {
    const rw = stage.weights[role];
    if (model.people.length === 0 || rw < STAGE_EMPHASIS || model.people.some((p) => p.roles.includes(role))) continue;
    add('fill-role', [role], NEXT_STEP_PRIORITY['fill-role'] * rw, '', () => ({ text: m.fillRole(stage.stage, role), people: [] }));
  }

  // The people who weigh most now and are against us, or lean to a competitor.
  const key = stage.people.filter((e) => (BUYING_ROLES as readonly string[]).includes(e.role) && e.weight >= STAGE_EMPHASIS);
  for (const e of key) {
    const p = model.byId.get(e.id)!;
    const against = ATTITUDE_SCORE[p.attitude] < 0;
    if (!against && !p.favours) continue;
    add('win-back', [p.id], NEXT_STEP_PRIORITY['win-back'] * importance(p.id), p.id, () => ({
      text: m.winBack(stage.stage, e.role, L(p.id), against ? p.attitude : null, p.favours, cover(p.id)),
      people: [p.id],
    }));
  }

  // Chokepoints on the paths to a decision maker not yet won.
  let routed = 0;
  for (const c of input.chokepoints) {
    if (routed >= ROUTE_AROUND_MAX) break;
    const cut = c.cuts.find((x) => x.share >= CHOKEPOINT_STEP_SHARE && ATTITUDE_SCORE[model.byId.get(x.target.id)!.attitude] < 1);
    if (!cut) continue;
    routed++;
    add('route-around', [c.id, cut.target.id], NEXT_STEP_PRIORITY['route-around'] * cut.share * Math.max(importance(cut.target.id), 0.5), c.id, () => ({
      text: m.routeAround(L(c.id), cut.through, cut.total, L(cut.target.id)),
      people: [c.id, cut.target.id],
      relations: cut.relations,
      path: cut.example.map((r) => r.id),
    }));
  }

  // People who matter now and whom we do not reach well: the chain to walk, or a way to find one.
  const toMeet = stage.people
    .filter((e) => {
      if (e.weight < STAGE_DIM) return false;
      const p = model.byId.get(e.id)!;
      if (!(model.isDecisionMaker(p) || e.role !== 'other' || p.influence === 'high') || model.isCoach(p)) return false;
      return model.coveredBy(p.id).every((l) => l.strength <= 1) && ATTITUDE_SCORE[p.attitude] > -2;
    })
    // Highest step score first: only as many as the list can show (a 10,000-person map has thousands).
    .slice(0, NEXT_STEPS_MAX * 2)
    .map((e) => e.id);
  const chains = new Map(strongestPaths(model, toMeet).map((d) => [d.target.id, d.paths]));
  const coachName = input.coaches[0] ? L(input.coaches[0].id) : null;
  for (const id of toMeet) {
    const paths = chains.get(id) ?? [];
    // A chain we can walk: everyone on it but the target is on our side, and we know the first well.
    const usable = (x: PathEntry) =>
      model.coveredBy(x.from.id).some((l) => l.strength >= 2) &&
      x.people.slice(0, -1).every((r) => {
        const q = model.byId.get(r.id)!;
        return ATTITUDE_SCORE[q.attitude] >= 1 || model.isCoach(q);
      });
    const path = paths.find(usable);
    if (!path) {
      const p = model.byId.get(id)!;
      if (model.isDecisionMaker(p) || weight(id) >= STAGE_EMPHASIS)
        add('find-way', [id], NEXT_STEP_PRIORITY['find-way'] * importance(id), id, () => ({ text: m.findWay(L(id), coachName), people: [id] }));
      continue;
    }
    const ids = path.people.map((r) => r.id);
    const intro = ids[ids.length - 2]!;
    const source = ids[0]!;
    add('meet', [id], NEXT_STEP_PRIORITY.meet * importance(id) * (0.5 + 0.5 * path.strength), id, () => {
      const last = model.relations.find((r) => r.id === path.relations[path.relations.length - 1])!;
      return {
        text: m.meet(L(id), L(intro), linkKind(last, intro), model.byId.get(source)!.attitude, cover(source), ids.length > 2 ? ids.map(L) : null, L(source)),
        people: [id, intro, ...(source !== intro ? [source] : [])],
        relations: path.relations,
        path: ids,
      };
    });
  }

  // Conflicts between people who matter now: never in the same room.
  const inMeeting = new Set((input.meeting?.conflicts ?? []).map((c) => c.id));
  for (const c of input.conflicts) {
    const wa = weight(c.a.id);
    const wb = weight(c.b.id);
    const big = (id: string) => {
      const p = model.byId.get(id)!;
      return weight(id) >= STAGE_EMPHASIS || model.isDecisionMaker(p) || model.isCoach(p) || p.influence === 'high';
    };
    if (!inMeeting.has(c.id) && !(Math.min(wa, wb) >= STAGE_DIM && (big(c.a.id) || big(c.b.id)))) continue;
    const prio = inMeeting.has(c.id) ? NEXT_STEP_PRIORITY['find-coach'] : NEXT_STEP_PRIORITY.separate * Math.max(importance(c.a.id), importance(c.b.id));
    // Keyed by both ids in id order: the same step whichever name sorts first.
    const [x, y] = cmp(c.a.id, c.b.id) <= 0 ? [c.a.id, c.b.id] : [c.b.id, c.a.id];
    add('separate', [x, y], prio, x, () => ({ text: m.separate(L(c.a.id), L(c.b.id), c.note), people: [x, y], relations: [c.id] }));
  }

  // Key people who hang on one of ours.
  for (const e of stage.people) {
    if (e.weight < STAGE_EMPHASIS) continue;
    const p = model.byId.get(e.id)!;
    if (!model.isKey(p)) continue;
    const links = model.coveredBy(p.id);
    if (links.length !== 1 || links[0]!.strength < 2) continue;
    add('second-contact', [p.id], NEXT_STEP_PRIORITY['second-contact'] * importance(p.id), p.id, () => ({
      text: m.secondContact(L(p.id), links[0]!.name),
      people: [p.id],
    }));
  }

  const kindAt = (k: NextStepKind) => KIND_ORDER.indexOf(k);
  drafts.sort(
    (a, b) =>
      Number(a.done) - Number(b.done) ||
      Math.round(b.priority * 10) - Math.round(a.priority * 10) ||
      kindAt(a.kind) - kindAt(b.kind) ||
      a.first - b.first ||
      cmp(a.id, b.id),
  );
  const open = drafts.filter((d) => !d.done).slice(0, NEXT_STEPS_MAX);
  return [...open, ...drafts.filter((d) => d.done)].map((d) => {
    const x = d.make();
    return {
      id: d.id,
      kind: d.kind,
      priority: d.priority,
      text: x.text,
      people: x.people.map((p) => model.ref(p)),
      relations: x.relations ?? [],
      path: (x.path ?? []).map((p) => model.ref(p)),
      done: d.done,
    };
  });
}

/** How the introducer stands to the person at the end of the chain. */
function linkKind(r: Relation, intro: string): LinkKind {
  if (r.kind === 'alliance') return 'ally';
  if (r.kind === 'reports_to') return r.source === intro ? 'report' : 'boss';
  return 'sways';
}
