/**
 * The desktop app and the team (issue 19): publishing a local map to the team server, taking a
 * team map offline as a local `.powermap`, sending the offline changes back (a field-by-field
 * merge), and the manager's portfolio. Team-server methods like shared/api/team.ts's, carried as
 * POST /api/<method> with a JSON body and answered with an ApiResult; they name their map in the
 * body (no X-PowerMap-Map header).
 *
 * Where the other parts live (one implementation each):
 * - the HTTP client for the team server (fetch + bearer token or session, no electron):
 *   services/team/remote.ts — used by the CLI and by the Electron main process;
 * - a map's bundle read from / written into any MapStore, the local file's origin (server, map id,
 *   revision, base image) and the local changes against that base: services/team/sync.ts;
 * - the portfolio row from a map's analysis (the same `analyze()` as Insights and
 *   `powermap analyze --json`) and its CSV: shared/analysis/portfolio.ts.
 */
import { z } from 'zod';
import { LAYOUTS, PositionSchema, type Posture, type Stage } from '../domain';
import { edit, query } from './contract';
import type { MapRole, TeamMapInfo } from './team';

// ---------------------------------------------------------------------------------------------
// The bundle: a map's whole content as rows (the tables of storage/rows.ts, the same columns in
// a map file and in the team database). The undo history does not travel.
// ---------------------------------------------------------------------------------------------

/** The tables a bundle carries rows of, parents before children. profile and trip: personal details. */
export const BUNDLE_TABLES = ['map_meta', 'person', 'member', 'relation', 'coverage', 'interaction', 'profile', 'trip'] as const;
export type BundleTable = (typeof BUNDLE_TABLES)[number];
/** The personal tables: in a bundle only when the user asked for them. */
export const PERSONAL_TABLES: readonly BundleTable[] = ['profile', 'trip'];
/** Tables a send may change: the bundle's, plus people placed by hand (layout, node_id). */
export const SYNC_TABLES = [...BUNDLE_TABLES, 'position'] as const;
export type SyncTable = (typeof SYNC_TABLES)[number];

export const BUNDLE_FORMAT = 'powermap-bundle';
export const BUNDLE_VERSION = 1;

/** A cell: text, a number or null, as storage/rows.ts `Row`. */
export type BundleCell = string | number | null;
export type BundleRow = Record<string, BundleCell>;

const Cell = z.union([z.string().max(1_000_000), z.number().finite(), z.null()]);
const Column = z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'a column name');
export const BundleRowSchema = z.record(Column, Cell);

const Base64 = z.string().max(90_000_000).regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64');
const Count = z.number().int().min(0).max(100_000_000);

/** A snapshot as stored (its compressed body base64): the services check it when it is opened. */
export const BundleSnapshotSchema = z
  .object({
    id: z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/),
    name: z.string().max(200),
    takenAt: z.string().max(40),
    rev: z.number().int().min(0),
    codec: z.string().min(1).max(40),
    people: Count,
    relations: Count,
    team: Count,
    coverage: Count,
    rawBytes: Count,
    body: Base64,
  })
  .strict();
export type BundleSnapshot = z.infer<typeof BundleSnapshotSchema>;

export const MapBundleSchema = z
  .object({
    format: z.literal(BUNDLE_FORMAT),
    version: z.literal(BUNDLE_VERSION),
    /** Every row of BUNDLE_TABLES, parents before children (map_meta has exactly one). */
    rows: z.array(z.object({ t: z.enum(BUNDLE_TABLES), row: BundleRowSchema }).strict()).max(1_000_000),
    /** Stored layout positions, per layout. */
    positions: z.partialRecord(z.enum(LAYOUTS), z.array(PositionSchema).max(200_000)),
    /** The map's view settings (key → JSON text). */
    settings: z.record(z.string().min(1).max(100), z.string().max(1_000_000)),
    /** Oldest first. */
    snapshots: z.array(BundleSnapshotSchema).max(10_000),
  })
  .strict();
export type MapBundle = z.infer<typeof MapBundleSchema>;

// ---------------------------------------------------------------------------------------------
// Send: the local changes against the base image, and the conflicts
// ---------------------------------------------------------------------------------------------

/**
 * One row the user changed offline: its image at the base revision (null: made offline) and now
 * (null: deleted offline). Only the changed columns matter; key columns identify the row.
 */
export const SyncChangeSchema = z
  .object({
    t: z.enum(SYNC_TABLES),
    base: BundleRowSchema.nullable(),
    mine: BundleRowSchema.nullable(),
  })
  .strict()
  .refine((c) => c.base !== null || c.mine !== null, 'a change needs a base or a new image');
export type SyncChange = z.infer<typeof SyncChangeSchema>;

/** The answer to one conflict: keep the team's value, or put mine. */
export const SyncDecisionSchema = z.object({ id: z.string().min(1).max(400), take: z.enum(['theirs', 'mine']) }).strict();
export type SyncDecision = z.infer<typeof SyncDecisionSchema>;

/**
 * The same field changed offline and on the team map since the base revision (to different
 * values). `field` '*' is the whole row: one side deleted it while the other changed it.
 */
export interface SyncConflict {
  /** Stable for this row and field: a decision names it. `<table>:<key json>:<field>` */
  id: string;
  t: SyncTable;
  /** The row's key columns. */
  key: BundleRow;
  /** Whom or what the row is about, for people to read (a person's or member's name, a relation's two names). */
  label: string;
  field: string;
  base: BundleCell;
  /** null with field '*': I deleted the row. */
  mine: BundleCell;
  /** null with field '*': the team deleted the row. */
  theirs: BundleCell;
  /** Who last changed it on the team map, when known. */
  theirsBy: { id: string; name: string } | null;
}

/** What a send did. */
export type SendResult =
  | {
      /** Nothing applied: decide these (every one) and send again with the same changes. */
      status: 'conflicts';
      /** The team map's revision now. */
      rev: number;
      conflicts: SyncConflict[];
    }
  | {
      status: 'merged';
      /** The team map's revision after the merge (the same as before when nothing changed). */
      rev: number;
      /** Rows written (0: the team map already had everything). */
      applied: number;
      /** Conflicts decided for the team's value ('theirs'): listed so nothing is lost silently. */
      keptTheirs: SyncConflict[];
      /** The team map as it is now (no snapshots): the local file's content and new base image. */
      bundle: MapBundle;
    };

// ---------------------------------------------------------------------------------------------
// Publish, fetch
// ---------------------------------------------------------------------------------------------

/** A map published from the same local map before (the duplicate question). */
export interface PublishedCopy {
  mapId: string;
  name: string;
  rev: number;
  role: MapRole;
  owner: { id: string; name: string };
  updatedAt: string;
}

export type PublishResult =
  | {
      status: 'published';
      map: TeamMapInfo;
      rev: number;
      /** 'update': the existing team map was brought to the local content (one undoable step). */
      mode: 'new' | 'update';
    }
  | {
      /** Nothing done: this local map was published before. Ask, then publish again with `onDuplicate`. */
      status: 'duplicate';
      existing: PublishedCopy[];
    };

/** Who the server is: a local file's origin must name the same one. */
export interface ServerIdentity {
  /** Stable id of the server's organization (the team database): differs between servers. */
  id: string;
  version: string;
}

export interface FetchResult {
  map: TeamMapInfo;
  /** The revision the bundle shows. */
  rev: number;
  bundle: MapBundle;
  server: ServerIdentity;
  /** Whether profiles and trips are in the bundle (asked for, and the caller may see them). */
  personal: boolean;
}

/**
 * Where a local `.powermap` came from (kept in the file, SQLite migration 0006): the server, the
 * team map and the revision its base image shows. A file never published has none.
 */
export interface MapOrigin {
  /** The local map's own id (every map file has one, from its creation). */
  originId: string;
  /** Null: a local map not fetched from a team server. */
  team: {
    server: string;
    serverId: string;
    mapId: string;
    mapName: string;
    rev: number;
    /** ISO time of the last fetch or send. */
    syncedAt: string;
    personal: boolean;
  } | null;
}

// ---------------------------------------------------------------------------------------------
// The portfolio
// ---------------------------------------------------------------------------------------------

export interface PortfolioPerson {
  id: string;
  name: string;
}

/** The red flags that matter in a deal review, read off the map's `analyze()` (shared/analysis/portfolio.ts). */
export interface PortfolioFlags {
  /** No client person is marked coach (analysis flag 'no-coach'). */
  noCoach: boolean;
  /** Decision makers neutral or against us (flags 'dm-neutral', 'dm-against'). */
  dmNotFor: (PortfolioPerson & { attitude: string })[];
  /** High-influence people nobody of ours covers (coverage gaps of influence 'high', strength 0). */
  highUncovered: PortfolioPerson[];
  /** Colleagues on whom the coverage of decision makers or coaches hangs alone (flag 'member-leaves'). */
  oneColleague: { member: PortfolioPerson; people: PortfolioPerson[] }[];
}

export interface PortfolioRow {
  mapId: string;
  /** The team map's name. */
  name: string;
  role: MapRole;
  owner: { id: string; name: string; email: string };
  /** The client (map meta `account`). */
  client: string;
  deal: string;
  stage: Stage;
  posture: Posture;
  /** Client people on the map. */
  people: number;
  flags: PortfolioFlags;
  /** How many of the four review flags are raised (0–4), to sort by. */
  flagCount: number;
  /** Every red flag of the map's analysis (as Insights counts them). */
  redFlags: number;
  rev: number;
  updatedAt: string;
  updatedBy: { id: string; name: string } | null;
}

// ---------------------------------------------------------------------------------------------
// The methods
// ---------------------------------------------------------------------------------------------

const MapId = z.uuid();
const MapName = z.string().trim().min(1).max(200);
/** An operation id (the server takes [A-Za-z0-9_-]{8,100}): the same id again returns the first answer. */
export const OpId = z.string().regex(/^[A-Za-z0-9_-]{8,100}$/, 'an operation id');

export const teamSyncMethods = {
  /**
   * A local map becomes a team map owned by the caller. `bundle` holds profiles and trips only
   * when `includePersonal` (the server refuses them otherwise). Published before from the same
   * `originId` (and visible to the caller): answers 'duplicate' and does nothing, unless
   * `onDuplicate` says 'new' (another team map) or 'update' (bring `updateMapId`, an editor's or
   * owner's map, to the bundle's content as one undoable step). Retried with the same `opId`:
   * the first answer, nothing done twice.
   */
  'maps.publish': edit(
    z
      .object({
        name: MapName,
        originId: z.uuid(),
        opId: OpId,
        includePersonal: z.boolean().default(false),
        onDuplicate: z.enum(['ask', 'new', 'update']).default('ask'),
        updateMapId: MapId.optional(),
        bundle: MapBundleSchema,
      })
      .strict(),
  ).returns<PublishResult>(),
  /**
   * A team map's whole content at one revision, to save as a local `.powermap` remembering
   * server, map id, revision and the base image. Profiles and trips only with `includePersonal`
   * and for an editor or owner.
   */
  'maps.fetch': query(z.object({ id: MapId, includePersonal: z.boolean().default(false) }).strict()).returns<FetchResult>(),
  /**
   * Offline changes back: merged field by field with what the team did since `baseRev` (different
   * fields both kept; the same field changed on both sides → 'conflicts' and nothing applied,
   * unless `decisions` answers each). One transaction, one undoable step named for the caller.
   * Retried with the same `opId`: the first answer. `serverId`: the file's origin (refused if
   * it names another server).
   */
  'maps.send': edit(
    z
      .object({
        id: MapId,
        serverId: z.string().max(100).optional(),
        baseRev: z.number().int().min(0),
        opId: OpId,
        changes: z.array(SyncChangeSchema).max(500_000),
        decisions: z.array(SyncDecisionSchema).max(500_000).default([]),
        /** The answer's bundle carries profiles and trips (the local copy has them; editors and owners). */
        includePersonal: z.boolean().default(false),
      })
      .strict(),
  ).returns<SendResult>(),
  /** One row per map the caller can see, most recently edited first; messages in `lang`. */
  'portfolio.list': query(z.object({ lang: z.enum(['en-US', 'zh-CN']).optional() }).strict()).returns<PortfolioRow[]>(),
};

export type TeamSyncMethod = keyof typeof teamSyncMethods;
export const isTeamSyncMethod = (m: unknown): m is TeamSyncMethod => typeof m === 'string' && Object.hasOwn(teamSyncMethods, m);
