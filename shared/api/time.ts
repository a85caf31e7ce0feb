/**
 * API methods of the time area: snapshots and compare, the interaction log and trips of a
 * person, and the upcoming view. See docs/TIME.md.
 */
import { z } from 'zod';
import { Id, type Change } from '../domain';
import type { MapDiff } from '../time/compare';
import {
  InteractionFieldsSchema,
  SnapshotName,
  SnapshotRef,
  TimeSettingsSchema,
  TripFieldsObject,
  UpcomingQuerySchema,
  tripDatesInOrder,
  type DiffSide,
  type Interaction,
  type SnapshotDocument,
  type SnapshotInfo,
  type TimeSettings,
  type Trip,
  type Upcoming,
} from '../time/types';
import { edit, query } from './contract';

/** What a compare returns: the differences from `from` to `to`. */
export interface Comparison extends MapDiff {
  from: DiffSide;
  to: DiffSide;
}
/** A created log entry: its id, and the Change to apply (the person's last contact may move). */
export interface LogCreated {
  id: string;
  change: Change;
}

const InteractionPatch = InteractionFieldsSchema.omit({ personId: true }).partial().strict();
const TripPatch = TripFieldsObject.omit({ personId: true }).partial().strict();

export const timeMethods = {
  /** Saves the whole map (no personal profiles, interactions or trips) under a name, dated now. */
  'snapshot.create': edit(z.object({ name: SnapshotName }).strict()).returns<SnapshotInfo>(),
  /** Every snapshot of the open map, newest first. */
  'snapshot.list': query(z.object({}).strict()).returns<SnapshotInfo[]>(),
  /** One snapshot as a read-only document; the open map stays the open map. */
  'snapshot.get': query(z.object({ id: Id }).strict()).returns<SnapshotDocument>(),
  'snapshot.rename': edit(z.object({ id: Id, name: SnapshotName }).strict()).returns<SnapshotInfo>(),
  /** Makes the map what the snapshot holds, as ONE undoable edit (history.undo brings back the state before). */
  'snapshot.restore': edit(z.object({ id: Id }).strict()).returns<Change>(),
  'snapshot.delete': edit(z.object({ id: Id }).strict()).returns<null>(),
  /** What changed from `a` to `b`; each is a snapshot id or 'now' (the open map). */
  'snapshot.compare': query(z.object({ a: SnapshotRef, b: SnapshotRef }).strict()).returns<Comparison>(),

  /** The interaction log, newest first: one person's, or everyone's when personId is left out. */
  'interaction.list': query(z.object({ personId: Id.optional() }).strict()).returns<Interaction[]>(),
  /** Logs a contact; the person's last contact moves to its date when it is newer. */
  'interaction.create': edit(
    InteractionFieldsSchema.partial({ attendees: true, notes: true, kind: true }).extend({ id: Id.optional() }).strict(),
  ).returns<LogCreated>(),
  'interaction.update': edit(z.object({ id: Id, patch: InteractionPatch }).strict()).returns<Change>(),
  /** Deletes a log entry; the person's last contact is worked out again from the log. */
  'interaction.delete': edit(z.object({ id: Id }).strict()).returns<Change>(),

  /** Trips (itineraries, PIPL-sensitive), by start date: one person's, or everyone's. */
  'trip.list': query(z.object({ personId: Id.optional() }).strict()).returns<Trip[]>(),
  'trip.create': edit(
    TripFieldsObject.partial({ note: true, timeZone: true })
      .extend({ id: Id.optional() })
      .strict()
      .refine(...tripDatesInOrder),
  ).returns<LogCreated>(),
  'trip.update': edit(z.object({ id: Id, patch: TripPatch }).strict()).returns<Change>(),
  'trip.delete': edit(z.object({ id: Id }).strict()).returns<Change>(),

  /** Trips in the next weeks and people out of touch; "today" and the zone come from the caller. */
  'time.upcoming': query(UpcomingQuerySchema.strict()).returns<Upcoming>(),
  /** The upcoming view's settings kept with the map. */
  'time.getSettings': query(z.object({}).strict()).returns<TimeSettings>(),
  'time.setSettings': edit(TimeSettingsSchema.partial().strict()).returns<TimeSettings>(),
};
