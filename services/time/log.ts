/**
 * The interaction log and the trips (itineraries) of client people. Every edit goes through
 * the store's edit(), so it is one undoable step; logging, changing or deleting an interaction moves
 * the person's last contact in the same edit (shared/time/upcoming.ts lastContactAfterEdit).
 *
 * Trips are whereabouts of a third party, which China's PIPL counts as sensitive: they stay in
 * the map file, out of snapshots and out of exports unless personal details are asked for.
 */
import { ApiError } from '../../shared/api/errors';
import type { Change } from '../../shared/domain';
import { addDays, todayIn } from '../../shared/time/dates';
import {
  DEFAULT_TIME_SETTINGS,
  TimeSettingsSchema,
  type Interaction,
  type InteractionFields,
  type TimeSettings,
  type Trip,
  type TripFields,
  type Upcoming,
  type UpcomingQuery,
} from '../../shared/time/types';
import { lastContactAfterEdit, upcoming } from '../../shared/time/upcoming';
import { interactionToRow, personPatchToRow, rowToInteraction, rowToPerson, rowToTrip, tripToRow } from '../../storage/rows';
import type { EditTx, MapStore, RowSource } from '../../storage/types';
import { people, requirePerson, team } from '../map/read';
import { newId } from '../map/rules';

export { rowToInteraction, rowToTrip };

async function checkAttendees(src: RowSource, ids: readonly string[]): Promise<void> {
  const members = new Set((await team(src)).map((m) => m.id));
  const unknown = ids.filter((id) => !members.has(id));
  if (unknown.length)
    throw new ApiError('INVALID_EDIT', `Not on our team: ${unknown.join(', ')}`, { id: unknown[0]!, reason: 'not_on_team', names: unknown.join(', ') });
}
/** An interaction is logged once it happened; a day of slack covers the time zones. */
function checkNotFuture(date: string): void {
  const latest = addDays(todayIn(null), 1);
  if (date > latest)
    throw new ApiError('INVALID_EDIT', `${date} is in the future: log a contact once it happened (plan visits as trips)`, { reason: 'future_contact', date });
}

// ---------------------------------------------------------------------------------------------
// Interactions
// ---------------------------------------------------------------------------------------------

const byNewest = (a: Interaction, b: Interaction) =>
  a.date < b.date ? 1 : a.date > b.date ? -1 : a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0;

/** Newest first (by date, then by when it was logged, then the later logged). */
export async function listInteractions(src: RowSource, personId?: string): Promise<Interaction[]> {
  const rows = await src.rows('interaction', personId ? { person_id: personId } : undefined);
  // Stable sort over insertion order reversed: equal dates and times keep the later one first.
  return rows.map(rowToInteraction).reverse().sort(byNewest);
}

async function interaction(src: RowSource, id: string): Promise<Interaction> {
  const r = await src.row('interaction', { id });
  if (!r) throw new ApiError('NOT_FOUND', `No interaction with id ${id}`, { id });
  return rowToInteraction(r);
}

const logDates = async (src: RowSource, personId: string): Promise<string[]> =>
  (await src.rows('interaction', { person_id: personId })).map((r) => String(r.date));

/** Within an edit: sets the person's last contact from the log, if it moved. */
async function syncLastContact(tx: EditTx, personId: string, before: readonly string[]): Promise<void> {
  const row = await tx.row('person', { id: personId });
  if (!row) return;
  const p = rowToPerson(row);
  const next = lastContactAfterEdit(p.lastContact, before, await logDates(tx, personId));
  if (next !== p.lastContact) await tx.put('person', { ...row, ...personPatchToRow({ lastContact: next }), updated_at: new Date().toISOString() });
}

export async function createInteraction(
  store: MapStore,
  fields: Pick<InteractionFields, 'personId' | 'date'> & Partial<InteractionFields> & { id?: string },
): Promise<{ id: string; change: Change }> {
  const p = await requirePerson(store, fields.personId);
  const id = fields.id ?? newId('i_');
  const it: Interaction = {
    id,
    personId: p.id,
    date: fields.date,
    kind: fields.kind ?? 'meeting',
    attendees: fields.attendees ?? [],
    notes: fields.notes ?? '',
    createdAt: new Date().toISOString(),
  };
  checkNotFuture(it.date);
  const change = await store.edit({ key: 'contact.add', params: { kind: it.kind, name: p.name } }, async (tx) => {
    await requirePerson(tx, p.id);
    if (await tx.row('interaction', { id })) throw new ApiError('INVALID_EDIT', `An interaction with id ${id} already exists`, { id });
    await checkAttendees(tx, it.attendees);
    const before = await logDates(tx, p.id);
    await tx.put('interaction', interactionToRow(it));
    await syncLastContact(tx, p.id, before);
  });
  return { id, change };
}

export async function updateInteraction(store: MapStore, id: string, patch: Partial<Omit<InteractionFields, 'personId'>>): Promise<Change> {
  const cur = await interaction(store, id);
  const p = await requirePerson(store, cur.personId);
  if (patch.date !== undefined) checkNotFuture(patch.date);
  return store.edit({ key: 'contact.edit', params: { name: p.name } }, async (tx) => {
    const now = await interaction(tx, id);
    const next: Interaction = { ...now, ...patch, id, personId: now.personId, createdAt: now.createdAt };
    if (patch.attendees !== undefined) await checkAttendees(tx, next.attendees);
    const before = await logDates(tx, now.personId);
    await tx.put('interaction', interactionToRow(next));
    await syncLastContact(tx, now.personId, before);
  });
}

export async function deleteInteraction(store: MapStore, id: string): Promise<Change> {
  const cur = await interaction(store, id);
  const p = await requirePerson(store, cur.personId);
  return store.edit({ key: 'contact.delete', params: { name: p.name } }, async (tx) => {
    const now = await interaction(tx, id);
    const before = await logDates(tx, now.personId);
    await tx.del('interaction', { id });
    await syncLastContact(tx, now.personId, before);
  });
}

// ---------------------------------------------------------------------------------------------
// Trips
// ---------------------------------------------------------------------------------------------

const byStart = (a: Trip, b: Trip) => (a.from < b.from ? -1 : a.from > b.from ? 1 : a.to < b.to ? -1 : a.to > b.to ? 1 : 0);

/** By start date, then end date. */
export async function listTrips(src: RowSource, personId?: string): Promise<Trip[]> {
  return (await src.rows('trip', personId ? { person_id: personId } : undefined)).map(rowToTrip).sort(byStart);
}

async function trip(src: RowSource, id: string): Promise<Trip> {
  const r = await src.row('trip', { id });
  if (!r) throw new ApiError('NOT_FOUND', `No trip with id ${id}`, { id });
  return rowToTrip(r);
}

const checkSpan = (t: { from: string; to: string }) => {
  if (t.to < t.from)
    throw new ApiError('INVALID_EDIT', `A trip ends on or after the day it starts (${t.from} … ${t.to})`, { reason: 'trip_dates', from: t.from, to: t.to });
};

export async function createTrip(
  store: MapStore,
  fields: Pick<TripFields, 'personId' | 'place' | 'from' | 'to'> & Partial<TripFields> & { id?: string },
): Promise<{ id: string; change: Change }> {
  const p = await requirePerson(store, fields.personId);
  const id = fields.id ?? newId('t_');
  const t: Trip = {
    id,
    personId: p.id,
    place: fields.place,
    from: fields.from,
    to: fields.to,
    timeZone: fields.timeZone ?? null,
    note: fields.note ?? '',
    createdAt: new Date().toISOString(),
  };
  checkSpan(t);
  const change = await store.edit({ key: 'trip.add', params: { name: p.name, place: t.place } }, async (tx) => {
    await requirePerson(tx, p.id);
    if (await tx.row('trip', { id })) throw new ApiError('INVALID_EDIT', `A trip with id ${id} already exists`, { id });
    await tx.put('trip', tripToRow(t));
  });
  return { id, change };
}

export async function updateTrip(store: MapStore, id: string, patch: Partial<Omit<TripFields, 'personId'>>): Promise<Change> {
  const cur = await trip(store, id);
  checkSpan({ ...cur, ...patch });
  const p = await requirePerson(store, cur.personId);
  return store.edit({ key: 'trip.edit', params: { name: p.name } }, async (tx) => {
    const now = await trip(tx, id);
    const next: Trip = { ...now, ...patch, id, personId: now.personId, createdAt: now.createdAt };
    checkSpan(next);
    await tx.put('trip', tripToRow(next));
  });
}

export async function deleteTrip(store: MapStore, id: string): Promise<Change> {
  const cur = await trip(store, id);
  const p = await requirePerson(store, cur.personId);
  return store.edit({ key: 'trip.delete', params: { name: p.name } }, async (tx) => {
    await trip(tx, id);
    await tx.del('trip', { id });
  });
}

// ---------------------------------------------------------------------------------------------
// The upcoming view and its settings
// ---------------------------------------------------------------------------------------------

export function upcomingOf(store: MapStore, q: UpcomingQuery): Promise<Upcoming> {
  return store.read(async (src) => upcoming(await people(src), await listTrips(src), q));
}

export async function getTimeSettings(store: MapStore): Promise<TimeSettings> {
  const raw: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(await store.settings())) {
    try {
      raw[k] = JSON.parse(v);
    } catch {
      /* ignore a damaged value: the default applies */
    }
  }
  const out = { ...DEFAULT_TIME_SETTINGS };
  for (const k of Object.keys(out) as (keyof TimeSettings)[]) {
    const parsed = TimeSettingsSchema.shape[k].safeParse(raw[k]);
    if (parsed.success) (out as Record<string, unknown>)[k] = parsed.data;
  }
  return out;
}

/** Not an undoable edit: settings of a view, like layout positions. */
export async function setTimeSettings(store: MapStore, patch: Partial<TimeSettings>): Promise<TimeSettings> {
  const entries: Record<string, string> = {};
  for (const [k, v] of Object.entries(patch)) if (v !== undefined) entries[k] = JSON.stringify(v);
  await store.putSettings(entries);
  return getTimeSettings(store);
}
