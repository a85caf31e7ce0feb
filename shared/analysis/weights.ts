/**
 * Every number the analysis scores with, in one place. docs/ANALYSIS.md explains each one; a
 * change here is a change to the documented scoring and must be made there too.
 */
import type { Attitude, Influence, Level, Stage, StageRole } from '../domain';

// ---------------------------------------------------------------------------------------------
// Influence score: weighted PageRank on the "who defers to whom" graph
// ---------------------------------------------------------------------------------------------

/** An influence edge A → B (A sways B) makes B defer to A with weight strength × this. */
export const DEFER_INFLUENCE_PER_STRENGTH = 1;
/** A reports-to edge A → B makes A defer to B with this fixed weight (a medium influence edge). */
export const DEFER_REPORTS_TO = 2;
/** PageRank damping factor. */
export const PAGERANK_ALPHA = 0.85;
export const PAGERANK_MAX_ITERATIONS = 500;
export const PAGERANK_TOLERANCE = 1e-9;

/** Formal tiers, highest first. */
export const TIER_ORDER: readonly Level[] = ['decision', 'management', 'operations'];
/**
 * Hidden power: a person below the decision tier whose influence rank falls in the band of a
 * higher tier (were everyone ranked by formal tier, the D decision-level people would take ranks
 * 1…D, the M management-level people D+1…D+M), who sways at least one person by an influence
 * edge, and whose score is at least this (so a map where everyone scores alike flags nobody).
 */
export const HIDDEN_POWER_MIN_SCORE = 25;

// ---------------------------------------------------------------------------------------------
// Paths to decision makers: strongest chains
// ---------------------------------------------------------------------------------------------

/** How much a link carries (0–1); a chain's strength is the product of its links. */
export const LINK_INFLUENCE: Record<1 | 2 | 3, number> = { 1: 0.4, 2: 0.6, 3: 0.8 };
/** Alliances carry both ways, a little less than influence of the same strength. */
export const LINK_ALLIANCE: Record<1 | 2 | 3, number> = { 1: 0.3, 2: 0.45, 3: 0.6 };
/** A boss can instruct a direct report. */
export const LINK_BOSS_TO_REPORT = 0.6;
/** A direct report can brief the boss. */
export const LINK_REPORT_TO_BOSS = 0.5;
/** Longer chains are not a plan a salesperson can act on. */
export const MAX_PATH_HOPS = 4;
/** How many chains to keep per decision maker. */
export const PATHS_PER_DECISION_MAKER = 3;

// ---------------------------------------------------------------------------------------------
// Coach candidates (issue 9)
// ---------------------------------------------------------------------------------------------

/** Attitude is required to be at least supporter; these are its points. */
export const COACH_ATTITUDE: Partial<Record<Attitude, number>> = { champion: 3, supporter: 2 };
/** A personal bond (relationship friend or partner). */
export const COACH_BOND = 3;
/** Holds a buyer role that drafts or runs the buying: user, technical or procurement. */
export const COACH_BUYING_ROLE = 2;
/** No such role, but the department or title is one that drafts or runs the buying. */
export const COACH_DRAFTING_DEPARTMENT = 1;
/** Words in a department or title that mark planning, procurement, IT or tendering. */
export const DRAFTING_WORDS = [
  'planning', 'procurement', 'purchasing', 'tender', 'sourcing', 'materials', 'information', 'technology', ' it ',
  '计划', '采购', '招标', '物资', '信息', '科技', '技术',
];
/** Per distinct decision maker tied to them by influence (either way) or alliance. */
export const COACH_TIE_PER_DECISION_MAKER = 2;
export const COACH_TIE_MAX = 4;
/** Reports directly to a decision maker / two steps below one. */
export const COACH_REPORTS_DIRECT = 2;
export const COACH_REPORTS_TWO_STEPS = 1;
/** Credibility: their influence on the decision. */
export const COACH_CREDIBILITY: Record<Influence, number> = { high: 2, medium: 1, low: 0 };
/** Risks. */
export const COACH_CONFLICT_WITH_DECISION_MAKER = -3;
export const COACH_FAVOURS_COMPETITOR = -3;
export const COACH_UNCOVERED = -2;
/** A supporter becomes a candidate from this score up (e.g. supporter + personal bond = 5). */
export const COACH_MIN_SCORE = 5;

// ---------------------------------------------------------------------------------------------
// The buying step (issue 21): who matters at this step
// ---------------------------------------------------------------------------------------------

/** The buyer roles the step weighs; `other` is anyone with none of them. */
export { STAGE_ROLES, type StageRole } from '../domain';
export type StageWeights = Record<Stage, Record<StageRole, number>>;

/**
 * How much each buyer role shapes the deal at each of the eight steps (0–1). Early on the people
 * drafting the solution (the user department and the technical side) shape it; at the
 * specification the technical buyer; at the tender procurement; at the evaluation the technical
 * side and the decision makers (the award is decided there); at the contract procurement and
 * finance; at delivery the users. The coach guides us at every step. A map may override any cell
 * (AnalyzeOptions.stageWeights).
 */
export const STAGE_WEIGHTS: StageWeights = {
  need: { 'decision-maker': 0.4, user: 1, technical: 0.6, procurement: 0.2, coach: 1, other: 0.3 },
  feasibility: { 'decision-maker': 0.6, user: 1, technical: 0.8, procurement: 0.4, coach: 1, other: 0.3 },
  approval: { 'decision-maker': 1, user: 0.7, technical: 0.6, procurement: 0.6, coach: 1, other: 0.3 },
  specification: { 'decision-maker': 0.5, user: 0.7, technical: 1, procurement: 0.5, coach: 1, other: 0.2 },
  tender: { 'decision-maker': 0.5, user: 0.5, technical: 0.8, procurement: 1, coach: 1, other: 0.2 },
  evaluation: { 'decision-maker': 1, user: 0.6, technical: 1, procurement: 0.7, coach: 1, other: 0.2 },
  contract: { 'decision-maker': 0.7, user: 0.3, technical: 0.4, procurement: 1, coach: 0.8, other: 0.2 },
  delivery: { 'decision-maker': 0.3, user: 1, technical: 0.8, procurement: 0.5, coach: 0.6, other: 0.2 },
};
/** The user's own "influence" scales the step weight into the step score. */
export const STAGE_INFLUENCE_FACTOR: Record<Influence, number> = { high: 1, medium: 0.7, low: 0.45 };
/** A person weighing at least this at the step is emphasised ("matters now"). */
export const STAGE_EMPHASIS = 0.8;
/** Below this they are dimmed ("matters less now"). */
export const STAGE_DIM = 0.5;

// ---------------------------------------------------------------------------------------------
// Chokepoints (issue 21): betweenness on the influence and reports-to graph
// ---------------------------------------------------------------------------------------------

/** How many chokepoints to list. */
export const CHOKEPOINTS_MAX = 10;
/** Per chokepoint, the decision makers whose paths it cuts most (by share). */
export const CHOKEPOINT_TARGETS = 3;
/** A chokepoint becomes a next step when it sits on at least this share of the paths to a decision maker. */
export const CHOKEPOINT_STEP_SHARE = 0.5;

// ---------------------------------------------------------------------------------------------
// Next steps (issue 21)
// ---------------------------------------------------------------------------------------------

/** How many next steps to propose. */
export const NEXT_STEPS_MAX = 12;
/** Base priority of each kind of step; multiplied by the person's step weight × influence factor. */
export const NEXT_STEP_PRIORITY = {
  'find-coach': 100,
  'fill-role': 95,
  'win-back': 90,
  'route-around': 85,
  meet: 80,
  'find-way': 70,
  separate: 60,
  'second-contact': 45,
} as const;
