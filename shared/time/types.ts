/**
 * The time area's entities: snapshots (the whole map under a name and date), the dated log of
 * interactions with a client person, and their trips (itineraries). The zod schemas validate
 * every boundary; see docs/TIME.md.
 */
import { z } from 'zod';
import {
  Id,
  label,
  text,
  type Coverage,
  type LayoutName,
  type MapDocument,
  type MapMeta,
  type Person,
  type Position,
  type Relation,
  type TeamMember,
} from '../domain';
import { isCalendarDate, isTimeZone } from './dates';

/** A real calendar date, YYYY-MM-DD. */
const CalendarDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD')
  .refine(isCalendarDate, 'not a real calendar date');

/** An IANA time zone name ("Asia/Shanghai"). */
const TimeZone = z.string().max(64).refine(isTimeZone, 'not a known time zone (use an IANA name such as Asia/Shanghai)');

// ---------------------------------------------------------------------------------------------
// Snapshots
// ---------------------------------------------------------------------------------------------

export const SnapshotName = label(120).pipe(z.string().min(1, 'a snapshot needs a name'));

/** What a snapshot holds: the map without personal profiles, interactions or trips. */
export interface MapContent {
  meta: MapMeta;
  people: Person[];
  relations: Relation[];
  team: TeamMember[];
  coverage: Coverage[];
}
export interface SnapshotContent extends MapContent {
  positions: Partial<Record<LayoutName, Position[]>>;
}

/** One saved snapshot, as listed. */
export interface SnapshotInfo {
  id: string;
  name: string;
  /** When it was taken (ISO 8601, UTC). */
  takenAt: string;
  /** The map's revision when it was taken. */
  rev: number;
  people: number;
  relations: number;
  team: number;
  coverage: number;
  /** Size on disk (compressed body) and of the uncompressed JSON. */
  bytes: number;
  rawBytes: number;
}

/** A snapshot opened read-only: a MapDocument that is not the open map. */
export interface SnapshotDocument extends MapDocument {
  readOnly: true;
  snapshot: SnapshotInfo;
}

/** One side of a comparison: a snapshot id, or 'now' for the open map as it is. */
export const SnapshotRef = z.union([z.literal('now'), Id]);
export type SnapshotRef = z.infer<typeof SnapshotRef>;

/** One side of a comparison, as the result names it. */
export interface DiffSide {
  ref: SnapshotRef;
  /** The snapshot's name, or '' for the open map. */
  name: string;
  /** When the snapshot was taken; null for the open map. */
  takenAt: string | null;
}

// ---------------------------------------------------------------------------------------------
// Interactions
// ---------------------------------------------------------------------------------------------

export const INTERACTION_KINDS = ['meeting', 'call', 'event', 'other'] as const;
export type InteractionKind = (typeof INTERACTION_KINDS)[number];

export const InteractionFieldsSchema = z.object({
  personId: Id,
  date: CalendarDate,
  kind: z.enum(INTERACTION_KINDS),
  /** Our team members who took part (ids). */
  attendees: z
    .array(Id)
    .max(50)
    .transform((xs) => [...new Set(xs)]),
  notes: text(20_000),
});
export type InteractionFields = z.infer<typeof InteractionFieldsSchema>;
export type Interaction = InteractionFields & { id: string; createdAt: string };

// ---------------------------------------------------------------------------------------------
// Trips (itineraries) — PIPL-sensitive: whereabouts of a third party
// ---------------------------------------------------------------------------------------------

export const TripFieldsObject = z.object({
  personId: Id,
  /** Where: a city, a venue, a conference. */
  place: label(200).pipe(z.string().min(1, 'say where the trip goes')),
  /** First and last day, inclusive, as local dates at the place. */
  from: CalendarDate,
  to: CalendarDate,
  /** The place's time zone, or null for all-day dates read the same everywhere. */
  timeZone: TimeZone.nullable(),
  note: text(5_000),
});
/** A trip's dates in order (either may be absent, in a patch): the refinement its schemas add. */
export const tripDatesInOrder: [(t: { from?: string; to?: string }) => boolean, { message: string; path: string[] }] = [
  (t) => !t.from || !t.to || t.from <= t.to,
  { message: 'a trip ends on or after the day it starts', path: ['to'] },
];
export type TripFields = z.infer<typeof TripFieldsObject>;
export type Trip = TripFields & { id: string; createdAt: string };

// ---------------------------------------------------------------------------------------------
// The upcoming view
// ---------------------------------------------------------------------------------------------

export const TimeSettingsSchema = z.object({
  /** People with no contact for longer than this many days are listed. */
  staleDays: z.number().int().min(1).max(3650),
  /** How many weeks ahead trips are listed. */
  weeks: z.number().int().min(1).max(52),
  /** Our city: trips whose place contains it are flagged (and listed first). */
  city: label(100),
});
export type TimeSettings = z.infer<typeof TimeSettingsSchema>;
export const DEFAULT_TIME_SETTINGS: TimeSettings = { staleDays: 60, weeks: 4, city: '' };

export const UpcomingQuerySchema = z.object({
  /** Today's date where the user is: passed in, never read from a clock. */
  today: CalendarDate,
  /** The user's time zone; trips with a zone are converted to it. Null reads every trip's dates as they are. */
  zone: TimeZone.nullable().optional(),
  weeks: TimeSettingsSchema.shape.weeks,
  staleDays: TimeSettingsSchema.shape.staleDays,
  city: label(100).optional(),
});
export type UpcomingQuery = z.infer<typeof UpcomingQuerySchema>;

export interface UpcomingTrip {
  trip: Trip;
  person: { id: string; name: string; title: string; influence: Person['influence']; roles: string[] };
  /** The trip's days as calendar dates in the user's zone. */
  viewerFrom: string;
  viewerTo: string;
  /** 'ongoing' when it has started by today; otherwise it starts in `startsInDays` days. */
  status: 'ongoing' | 'upcoming';
  startsInDays: number;
  /** Its place contains the user's city. */
  inCity: boolean;
}
export interface StalePerson {
  person: { id: string; name: string; title: string; influence: Person['influence']; roles: string[] };
  lastContact: string | null;
  /** Days since the last contact; null when there never was one. */
  days: number | null;
}
export interface Upcoming {
  today: string;
  until: string;
  trips: UpcomingTrip[];
  stale: StalePerson[];
}
