/**
 * What the analysis returns (see docs/ANALYSIS.md). Everything names people by id and display
 * name, so namesakes stay apart and the UI can highlight them on the map.
 */
import type {
  Attitude,
  Coverage,
  Influence,
  Level,
  MapMeta,
  Person,
  Relation,
  Relationship,
  Stage,
  TeamMember,
} from '../domain';
import type { StageRole } from './weights';
import type { Lang } from '../i18n/errors';

/** The part of a map the analysis reads (a MapDocument fits). */
export interface MapInput {
  people: readonly Person[];
  relations: readonly Relation[];
  team: readonly TeamMember[];
  coverage: readonly Coverage[];
  meta?: MapMeta;
}

export interface AnalyzeOptions {
  /** Client people (ids) planned to meet together: enables the meeting check. */
  attendees?: readonly string[];
  /** Language of messages and reasons (default en-US). */
  lang?: Lang;
  /** The buying step to analyse for (default: the map's own, meta.stage; else `need`). */
  stage?: Stage;
  /** Weights overriding cells of STAGE_WEIGHTS (weights.ts); default: the map's own (meta.stageWeights). */
  stageWeights?: StageWeightOverrides;
  /** Next steps already done (their ids): kept in the list, marked done, ranked last; default: the map's (meta.doneSteps). */
  doneSteps?: readonly string[];
  /** The instant facts are aged against (evidence flags; default: the clock). */
  now?: number;
}

import type { StageWeightOverrides } from '../domain';
export type { StageWeightOverrides };

export interface PersonRef {
  id: string;
  name: string;
}

/** One of our team members covering a client person. */
export interface CoverLink {
  memberId: string;
  name: string;
  strength: 1 | 2 | 3;
}

export interface CoachEntry extends PersonRef {
  attitude: Attitude;
  favours: string;
  coveredBy: readonly CoverLink[];
}

export interface DecisionMakerEntry extends PersonRef {
  title: string;
  attitude: Attitude;
  influence: Influence;
  favours: string;
  coveredBy: readonly CoverLink[];
}

export interface PairEntry {
  /** The relation's id (for highlighting the edge). */
  id: string;
  a: PersonRef;
  b: PersonRef;
  strength: 1 | 2 | 3;
  note: string;
}

export interface MeetingCheck {
  attendees: PersonRef[];
  conflicts: PairEntry[];
  alliances: PairEntry[];
}

export interface RankEntry extends PersonRef {
  /** 1-based position; people with the same score keep name order but share no rank. */
  rank: number;
  /** 0–100: the weighted PageRank, scaled so the top person has 100. */
  score: number;
  /** Formal tier: the level field, or derived from the reporting line; null when unknown. */
  tier: Level | null;
  hiddenPower: boolean;
}

export interface HiddenPowerEntry extends PersonRef {
  rank: number;
  score: number;
  tier: Level;
  /** The higher tier whose median score this person reaches. */
  ranksWith: Level;
  /** Whom they sway (influence edges out of them). */
  sways: PersonRef[];
}

export interface PathEntry {
  from: PersonRef;
  /** Every person on the chain, from the source to the decision maker. */
  people: PersonRef[];
  /** The relations along the chain, in order. */
  relations: string[];
  /** Product of the link strengths, 0–1 (see docs/ANALYSIS.md). */
  strength: number;
}

export interface DecisionMakerPaths {
  target: PersonRef;
  /** The best few chains (best first); empty when none exists. */
  paths: PathEntry[];
}

export interface CoverageEntry extends PersonRef {
  influence: Influence;
  coveredBy: readonly CoverLink[];
}

export interface CoverageGap extends PersonRef {
  influence: Influence;
  decisionMaker: boolean;
  /** 0 nobody covers them; 1 only weakly. */
  maxStrength: 0 | 1;
}

export interface SingleThreaded extends PersonRef {
  member: PersonRef;
  strength: 1 | 2 | 3;
}

export interface MemberLeaves {
  member: PersonRef;
  /** Client people nobody else of ours covers. */
  uncovered: PersonRef[];
  /** Of those, the decision makers, coaches and high-influence people. */
  uncoveredKey: PersonRef[];
}

export interface CoverageResult {
  people: CoverageEntry[];
  gaps: CoverageGap[];
  singleThreaded: SingleThreaded[];
  ifMemberLeaves: MemberLeaves[];
}

export interface RelationshipMix {
  /** Key people: decision makers, coaches, any built-in buyer role, or high influence. */
  key: Record<Relationship, PersonRef[]>;
  /** Counts over every client person. */
  all: Record<Relationship, number>;
}

export type CoachSignal =
  | 'attitude'
  | 'bond'
  | 'buying-role'
  | 'drafting-department'
  | 'tie-to-decision-maker'
  | 'reports-to-decision-maker'
  | 'credibility'
  | 'conflict-with-decision-maker'
  | 'favours-competitor'
  | 'uncovered';

export interface CoachSignalHit {
  signal: CoachSignal;
  points: number;
  /** Plain-language reason in the requested language. */
  text: string;
  /** Other people the reason names (a decision maker, …). */
  people: PersonRef[];
}

export interface CoachCandidate extends PersonRef {
  score: number;
  attitude: Attitude;
  influence: Influence;
  signals: CoachSignalHit[];
  /** signals[].text, in order. */
  reasons: string[];
}

export interface CoachAdvice {
  /** Sentences saying what to do next. */
  steps: string[];
  /** Supporters to build a personal bond with. */
  bondWith: PersonRef[];
  /** People with access to the decision whose support to win. */
  access: PersonRef[];
}

export type Severity = 'high' | 'medium' | 'low';

export type RedFlagKind =
  | 'no-coach'
  | 'coach-not-supporter'
  | 'no-decision-maker'
  | 'dm-against'
  | 'dm-neutral'
  | 'dm-uncovered'
  | 'dm-weak-coverage'
  | 'dm-favours-competitor'
  | 'dm-no-path'
  | 'meeting-conflict'
  | 'key-conflict'
  | 'coverage-gap'
  | 'member-leaves'
  | 'hidden-power-uncovered'
  | 'key-outsiders'
  | 'stage-role-missing'
  | 'stage-key-against'
  | 'stage-key-uncovered'
  | 'dm-attitude-unverified'
  | 'coach-unconfirmed'
  | 'conflict-guess';

export interface RedFlag {
  kind: RedFlagKind;
  severity: Severity;
  message: string;
  people: PersonRef[];
  /** Relations the flag is about (a conflict edge), for highlighting. */
  relations: string[];
}

export interface Analysis {
  lang: Lang;
  coaches: CoachEntry[];
  decisionMakers: DecisionMakerEntry[];
  conflicts: PairEntry[];
  meeting: MeetingCheck | null;
  influenceRanking: RankEntry[];
  hiddenPower: HiddenPowerEntry[];
  pathsToDecisionMakers: DecisionMakerPaths[];
  coverage: CoverageResult;
  relationshipMix: RelationshipMix;
  coachCandidates: CoachCandidate[];
  /** Only when the map has no coach and no candidate. */
  coachAdvice: CoachAdvice | null;
  redFlags: RedFlag[];
  /** Who matters at this buying step. */
  stage: StageView;
  /** Opponents and neutrals on most of the shortest paths from our supporters to the decision makers. */
  chokepoints: Chokepoint[];
  /** Each buyer role × attitude, and our coverage of it. */
  roleCoverage: RoleCoverageRow[];
  /** What to do next, most urgent first. */
  nextSteps: NextStep[];
}

/** How much a person matters at the step. */
export type Emphasis = 'now' | 'normal' | 'dim';

export interface StageEntry extends PersonRef {
  /** The person's role that weighs most at this step (`other` for none). */
  role: StageRole;
  /** That role's weight at this step, 0–1. */
  weight: number;
  /** 100 × weight × influence factor, rounded to 0.1. */
  score: number;
  /** 1-based, by score, then influence-ranking score, then name. */
  rank: number;
  emphasis: Emphasis;
}

export interface StageView {
  stage: Stage;
  /** Whether `stage` came from the options (a what-if) rather than the map. */
  override: boolean;
  /** The weights in force at this step (defaults with this map's overrides). */
  weights: Record<StageRole, number>;
  /** Cells this map overrides, at any step. */
  overrides: StageWeightOverrides;
  /** Every client person, highest score first. */
  people: StageEntry[];
}

export interface ChokepointCut {
  /** The decision maker. */
  target: PersonRef;
  /** Shortest paths from our supporters to the target passing through the chokepoint. */
  through: number;
  /** All shortest paths from our supporters to the target. */
  total: number;
  /** through / total, rounded to 0.001. */
  share: number;
  /** One such path, supporter first, target last. */
  example: PersonRef[];
  /** The relations along the example. */
  relations: string[];
}

export interface Chokepoint extends PersonRef {
  rank: number;
  attitude: Attitude;
  favours: string;
  /** Subset betweenness (supporters → decision makers), not normalised; rounded to 1e-6. */
  betweenness: number;
  /** The decision makers whose paths it cuts most, largest share first. */
  cuts: ChokepointCut[];
}

/** How well we cover a cell of the role table: empty = nobody there. */
export type CellCover = 'strong' | 'weak' | 'none' | 'empty';

export interface RoleCoveragePerson extends PersonRef {
  coveredBy: readonly CoverLink[];
}

export interface RoleCoverageCell {
  attitude: Attitude;
  people: RoleCoveragePerson[];
  cover: CellCover;
}

export interface RoleCoverageRow {
  role: 'decision-maker' | 'user' | 'technical' | 'procurement' | 'coach';
  /** The role's weight at this step. */
  weight: number;
  cells: RoleCoverageCell[];
  /** Our members covering anyone in the role, strongest link first. */
  members: CoverLink[];
  /** Nobody holds the role, or somebody in it is covered by nobody of ours. */
  gap: boolean;
}

export type NextStepKind = 'find-coach' | 'fill-role' | 'win-back' | 'route-around' | 'meet' | 'find-way' | 'separate' | 'second-contact';

export interface NextStep {
  /** Stable across runs and edits that do not change its subject: kind + the ids it is about. */
  id: string;
  kind: NextStepKind;
  /** Higher first; done steps rank after every open one. */
  priority: number;
  /** The action, concrete, in the UI language. */
  text: string;
  /** The people it names (subject first). */
  people: PersonRef[];
  /** The relations it is about (a path, a conflict). */
  relations: string[];
  /** The chain to walk, when there is one. */
  path: PersonRef[];
  done: boolean;
}
