/**
 * The PowerMap domain model. The zod schemas here are the single source of truth for what a
 * map holds; every boundary (IPC, HTTP, CLI, file import) validates against them.
 * See docs/ARCHITECTURE.md.
 */
import { z } from 'zod';
import type { EditLabel } from './i18n/history';
import { EvidenceSchema, MAX_FRESH_DAYS, MIN_FRESH_DAYS, PersonEvidenceSchema } from './evidence';

// ---------------------------------------------------------------------------------------------
// Vocabularies
// ---------------------------------------------------------------------------------------------

/** Attitude toward us, from most to least favourable (态度). */
export const ATTITUDES = ['champion', 'supporter', 'neutral', 'opponent', 'strong-opponent'] as const;
export type Attitude = (typeof ATTITUDES)[number];
/** -2 … +2, used by layouts and analysis (champion = +2). */
export const ATTITUDE_SCORE: Record<Attitude, number> = {
  champion: 2,
  supporter: 1,
  neutral: 0,
  opponent: -1,
  'strong-opponent': -2,
};

/** Influence on this decision (影响力). */
export const INFLUENCES = ['high', 'medium', 'low'] as const;
export type Influence = (typeof INFLUENCES)[number];
export const INFLUENCE_SCORE: Record<Influence, number> = { high: 3, medium: 2, low: 1 };

/** Built-in buyer roles; users may add their own free-text roles beside these. */
export const BUILTIN_ROLES = ['decision-maker', 'user', 'technical', 'procurement', 'coach'] as const;
export type BuiltinRole = (typeof BUILTIN_ROLES)[number];
export const isBuiltinRole = (r: string): r is BuiltinRole => (BUILTIN_ROLES as readonly string[]).includes(r);

/** Our relationship with a person: two switches give four names (see relationshipOf). */
export const RELATIONSHIPS = ['outsider', 'friend', 'supplier', 'partner'] as const;
export type Relationship = (typeof RELATIONSHIPS)[number];

/** Level in the client organization (决策层 / 管理层 / 操作层). */
export const LEVELS = ['decision', 'management', 'operations'] as const;
export type Level = (typeof LEVELS)[number];
/** Function in the buying (使用 / 技术 / 采购, or other): the level × function grid's columns. */
export const FUNCTIONS = ['user', 'technical', 'procurement', 'other'] as const;
export type PersonFunction = (typeof FUNCTIONS)[number];

/** Edges between client people. reports_to and influence are directed (source → target). */
export const RELATION_KINDS = ['reports_to', 'influence', 'alliance', 'conflict'] as const;
export type RelationKind = (typeof RELATION_KINDS)[number];
export const DIRECTED_KINDS: readonly RelationKind[] = ['reports_to', 'influence'];
/** Alliance and conflict have no direction: A allied with B is B allied with A. */
export const isSymmetricKind = (kind: string): boolean => kind === 'alliance' || kind === 'conflict';

/** The eight steps of the client's buying process. */
export const STAGES = [
  'need',
  'feasibility',
  'approval',
  'specification',
  'tender',
  'evaluation',
  'contract',
  'delivery',
] as const;
export type Stage = (typeof STAGES)[number];

/** Our posture in the deal (进入姿态). */
export const POSTURES = ['preferred', 'comparator', 'filler', 'unknown'] as const;
export type Posture = (typeof POSTURES)[number];

/** The personal profile fields (sensitive). `children` and `itinerary` are PIPL-sensitive. */
export const PROFILE_FIELDS = [
  'family',
  'children',
  'car',
  'residence',
  'hometown',
  'education',
  'sports',
  'food',
  'pets',
  'reading',
  'holidays',
  'associations',
  'itinerary',
  'colleagues',
  'interests',
  'other',
] as const;
export type ProfileField = (typeof PROFILE_FIELDS)[number];
/** Fields China's PIPL art. 28 counts as sensitive (whereabouts; minors' data). */
export const PIPL_SENSITIVE_FIELDS: readonly ProfileField[] = ['children', 'itinerary'];

export const relationshipOf = (servesOrg: boolean, personalBond: boolean): Relationship =>
  servesOrg ? (personalBond ? 'partner' : 'supplier') : personalBond ? 'friend' : 'outsider';
export const switchesOf = (r: Relationship): { servesOrg: boolean; personalBond: boolean } => ({
  servesOrg: r === 'supplier' || r === 'partner',
  personalBond: r === 'friend' || r === 'partner',
});

// ---------------------------------------------------------------------------------------------
// Field-level schemas
// ---------------------------------------------------------------------------------------------

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
/** Half of a surrogate pair on its own: not text, and stored as U+FFFD (so it would not round-trip). */
const LONE_SURROGATE = /\p{Cs}/u;
/** A single-line label: trimmed, no control characters, bounded. */
export const label = (max: number) =>
  z
    .string()
    .max(max * 4)
    .transform((s) => s.trim())
    .pipe(
      z
        .string()
        .max(max)
        .refine((s) => !CONTROL.test(s) && !/[\r\n]/.test(s), 'must not contain control characters or line breaks')
        .refine((s) => !LONE_SURROGATE.test(s), 'must be valid Unicode text'),
    );
/** Free text (notes): bounded, tabs and line breaks allowed, other control characters refused. */
export const text = (max: number) =>
  z
    .string()
    .max(max)
    .refine((s) => !CONTROL.test(s), 'must not contain control characters')
    .refine((s) => !LONE_SURROGATE.test(s), 'must be valid Unicode text');

export const Id = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'ids are letters, digits, _ and -');
export const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');
export const Strength = z.union([z.literal(1), z.literal(2), z.literal(3)]);
export const RoleName = label(40).pipe(z.string().min(1));

/** The buyer roles the buying step weighs (shared/analysis/weights.ts); `other` is anyone with none of them. */
export const STAGE_ROLES = ['decision-maker', 'user', 'technical', 'procurement', 'coach', 'other'] as const;
export type StageRole = (typeof STAGE_ROLES)[number];
/** A map's own stage weights: any cell of the documented table, 0–1; absent cells keep the default. */
export const StageWeightsSchema = z.partialRecord(z.enum(STAGES), z.partialRecord(z.enum(STAGE_ROLES), z.number().min(0).max(1)));
export type StageWeightOverrides = z.infer<typeof StageWeightsSchema>;
/** A next step's id: its kind and the ids of the people (or the role) it is about (shared/analysis/next-steps.ts). */
export const StepId = z
  .string()
  .min(1)
  .max(300)
  .regex(/^[a-z-]+(:[A-Za-z0-9_-]*)*$/, 'a next step id is its kind and ids, joined by ":"');

export const MapMetaSchema = z.object({
  account: label(200),
  deal: label(200),
  stage: z.enum(STAGES),
  posture: z.enum(POSTURES),
  /** Re-bid (再投标): we are the incumbent. */
  incumbent: z.boolean(),
  competitors: z.array(label(100).pipe(z.string().min(1))).max(50),
  budget: label(100),
  timeline: label(100),
  notes: text(20_000),
  /** Days after which a fact is stale (docs/ANALYSIS.md); null or absent: the stage's suggestion. */
  freshDays: z.number().int().min(MIN_FRESH_DAYS).max(MAX_FRESH_DAYS).nullable().optional(),
  /** The next steps ticked off (issue 21): their ids. */
  doneSteps: z.array(StepId).max(2_000).optional(),
  /** This map's stage weights over the documented defaults; null or absent: the defaults. */
  stageWeights: StageWeightsSchema.nullable().optional(),
});
export type MapMeta = z.infer<typeof MapMetaSchema>;
export const defaultMeta = (): MapMeta => ({
  account: '',
  deal: '',
  stage: 'need',
  posture: 'unknown',
  incumbent: false,
  competitors: [],
  budget: '',
  timeline: '',
  notes: '',
});

export const PersonFieldsSchema = z.object({
  name: label(200).pipe(z.string().min(1, 'a person needs a name')),
  title: label(200),
  department: label(200),
  roles: z
    .array(RoleName)
    .max(12)
    .transform((rs) => [...new Set(rs)]),
  influence: z.enum(INFLUENCES),
  attitude: z.enum(ATTITUDES),
  /** The competitor this person favours ('' for none). */
  favours: label(100),
  servesOrg: z.boolean(),
  personalBond: z.boolean(),
  level: z.enum(LEVELS).nullable(),
  /** Set by the user; null or absent: inferred (shared/visual/levels.ts functionOf). */
  function: z.enum(FUNCTIONS).nullable().optional(),
  notes: text(20_000),
  lastContact: IsoDate.nullable(),
});
export type PersonFields = z.infer<typeof PersonFieldsSchema>;
/** A person; `evidence` says how we know each fact (read from a map always has it; shared/evidence.ts). */
export const PersonSchema = PersonFieldsSchema.extend({ id: Id, evidence: PersonEvidenceSchema.optional() });
export type Person = z.infer<typeof PersonSchema>;
export const defaultPersonFields = (): Omit<PersonFields, 'name'> => ({
  title: '',
  department: '',
  roles: [],
  influence: 'medium',
  attitude: 'neutral',
  favours: '',
  servesOrg: false,
  personalBond: false,
  level: null,
  function: null,
  notes: '',
  lastContact: null,
});

export const ProfileSchema = z.object(
  Object.fromEntries(PROFILE_FIELDS.map((f) => [f, text(5_000)])) as Record<ProfileField, ReturnType<typeof text>>,
);
export type Profile = Record<ProfileField, string>;
export const emptyProfile = (): Profile =>
  Object.fromEntries(PROFILE_FIELDS.map((f) => [f, ''])) as Profile;

export const RelationFieldsSchema = z.object({
  kind: z.enum(RELATION_KINDS),
  source: Id,
  target: Id,
  strength: Strength,
  note: text(5_000),
});
export type RelationFields = z.infer<typeof RelationFieldsSchema>;
export const RelationSchema = RelationFieldsSchema.extend({ id: Id, evidence: EvidenceSchema.optional() });
export type Relation = z.infer<typeof RelationSchema>;

export const TeamMemberFieldsSchema = z.object({
  name: label(200).pipe(z.string().min(1, 'a team member needs a name')),
  /** account manager, engineer, executive sponsor, … (free text). */
  role: label(100),
});
export type TeamMemberFields = z.infer<typeof TeamMemberFieldsSchema>;
export const TeamMemberSchema = TeamMemberFieldsSchema.extend({ id: Id });
export type TeamMember = z.infer<typeof TeamMemberSchema>;

export const CoverageSchema = z.object({ memberId: Id, personId: Id, strength: Strength });
export type Coverage = z.infer<typeof CoverageSchema>;

export const LAYOUTS = ['org', 'force', 'grid', 'levels'] as const;
export type LayoutName = (typeof LAYOUTS)[number];
export const PositionSchema = z.object({
  id: Id,
  x: z.number().finite().min(-1e7).max(1e7),
  y: z.number().finite().min(-1e7).max(1e7),
  pinned: z.boolean(),
});
export type Position = z.infer<typeof PositionSchema>;

/** The whole map as the renderer holds it (the profile is fetched per person, on demand). */
export interface MapDocument {
  path: string;
  fileVersion: number;
  rev: number;
  meta: MapMeta;
  people: Person[];
  relations: Relation[];
  team: TeamMember[];
  coverage: Coverage[];
  positions: Record<LayoutName, Position[]>;
  history: HistoryState;
}
export interface HistoryState {
  canUndo: boolean;
  canRedo: boolean;
  /** What undo / redo would do: a message key and parameters (shared/i18n/history.ts). */
  undoLabel: EditLabel | null;
  redoLabel: EditLabel | null;
}

/**
 * Something an edit on a shared map should tell a person: 'replaced' — someone wrote over a value
 * of theirs they had not seen (sent to the one whose value it was); 'kept' — an undo left fields
 * as they are because someone else changed them since (returned to the one who undid).
 */
export interface EditNotice {
  kind: 'replaced' | 'kept';
  /** person, relation, member, coverage, interaction, trip, position, map_meta */
  entity: string;
  id: string;
  /** The person's (or member's) name, when the row has one. */
  name: string;
  /** The field (column), or for 'kept' the fields, comma-separated. */
  field: string;
  was: string;
  now: string;
  /** Who wrote over it (a user id; '' for 'kept'). */
  by: string;
}

/** What one edit changed, so the renderer can patch its copy instead of reloading the map. */
export interface Change {
  rev: number;
  history: HistoryState;
  meta?: MapMeta;
  people?: Person[];
  relations?: Relation[];
  team?: TeamMember[];
  coverage?: Coverage[];
  /** Positions an undoable move (or its undo) set, per layout. */
  positions?: (Position & { layout: LayoutName })[];
  deleted?: {
    people?: string[];
    relations?: string[];
    team?: string[];
    coverage?: { memberId: string; personId: string }[];
    positions?: { layout: LayoutName; id: string }[];
  };
  /** On a shared map: what the editor should be told (an undo that left others' changes alone). */
  notices?: EditNotice[];
}
