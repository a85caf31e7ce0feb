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
  TeamMember,
} from '../domain';
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
  /** The instant facts are aged against (evidence flags; default: the clock). */
  now?: number;
}

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
}
