/**
 * The interaction log and the trips (itineraries) of client people. Every edit goes through
 * MapStore.edit, so it is one undoable step; logging, changing or deleting an interaction moves
 * the person's last contact in the same edit (shared/time/upcoming.ts lastContactAfterEdit).
 *
 * Trips are whereabouts of a third party, which China's PIPL counts as sensitive: they stay in
 * the map file, out of snapshots and out of exports unless personal details are asked for.
 */
import { ApiError } from '../../../shared/api/errors';
import type { Change, Person } from '../../../shared/domain';
import { addDays, todayIn } from '../../../shared/time/dates';
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
} from '../../../shared/time/types';
import { lastContactAfterEdit, upcoming } from '../../../shared/time/upcoming';
import { newId, type MapStore, type Writer } from '../store/map-store';
import { personToRow, type Row } from '../store/rows';

const parseIds = (s: unknown): string[] => {
  try {
    const v = JSON.parse(String(s));
    return Array.isArray(v) ? v.map(String) : [];
  } catch {
    return [];
  }
};

export const rowToInteraction = (r: Row): Interaction => ({
  id: String(r.id),
  personId: String(r.person_id),
  date: String(r.date),
  kind: r.kind as Interaction['kind'],
  attendees: parseIds(r.attendees),
  notes: String(r.notes),
  createdAt: String(r.created_at),
});
const interactionToRow = (i: Interaction): Row => ({
  id: i.id,
  person_id: i.personId,
  date: i.date,
  kind: i.kind,
  attendees: JSON.stringify(i.attendees),
  notes: i.notes,
  created_at: i.createdAt,
});

export const rowToTrip = (r: Row): Trip => ({
  id: String(r.id),
  personId: String(r.person_id),
  place: String(r.place),
  from: String(r.date_from),
  to: String(r.date_to),
  timeZone: r.time_zone === null || r.time_zone === undefined ? null : String(r.time_zone),
  note: String(r.note),
  createdAt: String(r.created_at),
});
const tripToRow = (t: Trip): Row => ({
  id: t.id,
  person_id: t.personId,
  place: t.place,
  date_from: t.from,
  date_to: t.to,
  time_zone: t.timeZone,
  note: t.note,
  created_at: t.createdAt,
});

function requireOpen(store: MapStore): void {
  if (!store.isOpen) throw new ApiError('NO_MAP_OPEN', 'No map is open');
}
function requirePerson(store: MapStore, id: string): Person {
  const p = store.person(id);
  if (!p) throw new ApiError('NOT_FOUND', `No person with id ${id}`, { id });
  return p;
}
function checkAttendees(store: MapStore, ids: readonly string[]): void {
  const team = new Set(store.team().map((m) => m.id));
  const unknown = ids.filter((id) => !team.has(id));
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

/** Newest first (by date, then by when it was logged). */
export function listInteractions(store: MapStore, personId?: string): Interaction[] {
  requireOpen(store);
  const rows = personId
    ? store.db.prepare('SELECT * FROM interaction WHERE person_id = ? ORDER BY date DESC, created_at DESC, rowid DESC').all(personId)
    : store.db.prepare('SELECT * FROM interaction ORDER BY date DESC, created_at DESC, rowid DESC').all();
  return (rows as Row[]).map(rowToInteraction);
}

function interaction(store: MapStore, id: string): Interaction {
  requireOpen(store);
  const r = store.db.prepare('SELECT * FROM interaction WHERE id = ?').get(id) as Row | undefined;
  if (!r) throw new ApiError('NOT_FOUND', `No interaction with id ${id}`, { id });
  return rowToInteraction(r);
}

const logDates = (store: MapStore, personId: string): string[] =>
  (store.db.prepare('SELECT date FROM interaction WHERE person_id = ?').all(personId) as { date: string }[]).map((r) => r.date);

/** Within an edit: sets the person's last contact from the log, if it moved. */
function syncLastContact(store: MapStore, w: Writer, personId: string, before: readonly string[]): void {
  const row = store.db.prepare('SELECT * FROM person WHERE id = ?').get(personId) as Row | undefined;
  if (!row) return;
  const p = store.person(personId)!;
  const next = lastContactAfterEdit(p.lastContact, before, logDates(store, personId));
  if (next !== p.lastContact) w.put('person', personToRow({ ...p, lastContact: next }, String(row.created_at), new Date().toISOString()));
}

export function createInteraction(
  store: MapStore,
  fields: Pick<InteractionFields, 'personId' | 'date'> & Partial<InteractionFields> & { id?: string },
): { id: string; change: Change } {
  requireOpen(store);
  const p = requirePerson(store, fields.personId);
  const id = fields.id ?? newId('i_');
  if (store.db.prepare('SELECT 1 FROM interaction WHERE id = ?').get(id)) throw new ApiError('INVALID_EDIT', `An interaction with id ${id} already exists`, { id });
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
  checkAttendees(store, it.attendees);
  const before = logDates(store, p.id);
  const change = store.edit({ key: 'contact.add', params: { kind: it.kind, name: p.name } }, (w) => {
    w.put('interaction', interactionToRow(it));
    syncLastContact(store, w, p.id, before);
  });
  return { id, change };
}

export function updateInteraction(store: MapStore, id: string, patch: Partial<Omit<InteractionFields, 'personId'>>): Change {
  const cur = interaction(store, id);
  const next: Interaction = { ...cur, ...patch, id, personId: cur.personId, createdAt: cur.createdAt };
  if (patch.date !== undefined) checkNotFuture(next.date);
  if (patch.attendees !== undefined) checkAttendees(store, next.attendees);
  const p = requirePerson(store, cur.personId);
  const before = logDates(store, p.id);
  return store.edit({ key: 'contact.edit', params: { name: p.name } }, (w) => {
    w.put('interaction', interactionToRow(next));
    syncLastContact(store, w, p.id, before);
  });
}

export function deleteInteraction(store: MapStore, id: string): Change {
  const cur = interaction(store, id);
  const p = requirePerson(store, cur.personId);
  const before = logDates(store, p.id);
  return store.edit({ key: 'contact.delete', params: { name: p.name } }, (w) => {
    w.del('interaction', { id });
    syncLastContact(store, w, p.id, before);
  });
}

// ---------------------------------------------------------------------------------------------
// Trips
// ---------------------------------------------------------------------------------------------

/** By start date, then end date. */
export function listTrips(store: MapStore, personId?: string): Trip[] {
  requireOpen(store);
  const rows = personId
    ? store.db.prepare('SELECT * FROM trip WHERE person_id = ? ORDER BY date_from, date_to, rowid').all(personId)
    : store.db.prepare('SELECT * FROM trip ORDER BY date_from, date_to, rowid').all();
  return (rows as Row[]).map(rowToTrip);
}

function trip(store: MapStore, id: string): Trip {
  requireOpen(store);
  const r = store.db.prepare('SELECT * FROM trip WHERE id = ?').get(id) as Row | undefined;
  if (!r) throw new ApiError('NOT_FOUND', `No trip with id ${id}`, { id });
  return rowToTrip(r);
}

const checkSpan = (t: { from: string; to: string }) => {
  if (t.to < t.from)
    throw new ApiError('INVALID_EDIT', `A trip ends on or after the day it starts (${t.from} … ${t.to})`, { reason: 'trip_dates', from: t.from, to: t.to });
};

export function createTrip(
  store: MapStore,
  fields: Pick<TripFields, 'personId' | 'place' | 'from' | 'to'> & Partial<TripFields> & { id?: string },
): { id: string; change: Change } {
  requireOpen(store);
  const p = requirePerson(store, fields.personId);
  const id = fields.id ?? newId('t_');
  if (store.db.prepare('SELECT 1 FROM trip WHERE id = ?').get(id)) throw new ApiError('INVALID_EDIT', `A trip with id ${id} already exists`, { id });
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
  const change = store.edit({ key: 'trip.add', params: { name: p.name, place: t.place } }, (w) => w.put('trip', tripToRow(t)));
  return { id, change };
}

export function updateTrip(store: MapStore, id: string, patch: Partial<Omit<TripFields, 'personId'>>): Change {
  const cur = trip(store, id);
  const next: Trip = { ...cur, ...patch, id, personId: cur.personId, createdAt: cur.createdAt };
  checkSpan(next);
  const p = requirePerson(store, cur.personId);
  return store.edit({ key: 'trip.edit', params: { name: p.name } }, (w) => w.put('trip', tripToRow(next)));
}

export function deleteTrip(store: MapStore, id: string): Change {
  const cur = trip(store, id);
  const p = requirePerson(store, cur.personId);
  return store.edit({ key: 'trip.delete', params: { name: p.name } }, (w) => w.del('trip', { id }));
}

// ---------------------------------------------------------------------------------------------
// The upcoming view and its settings
// ---------------------------------------------------------------------------------------------

export function upcomingOf(store: MapStore, q: UpcomingQuery): Upcoming {
  requireOpen(store);
  return upcoming(store.people(), listTrips(store), q);
}

export function getTimeSettings(store: MapStore): TimeSettings {
  requireOpen(store);
  const rows = store.db.prepare('SELECT key, value FROM time_setting').all() as { key: string; value: string }[];
  const raw: Record<string, unknown> = {};
  for (const r of rows) {
    try {
      raw[r.key] = JSON.parse(r.value);
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
export function setTimeSettings(store: MapStore, patch: Partial<TimeSettings>): TimeSettings {
  requireOpen(store);
  const put = store.db.prepare('INSERT INTO time_setting (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
  store.db.transaction(() => {
    for (const [k, v] of Object.entries(patch)) if (v !== undefined) put.run(k, JSON.stringify(v));
  }).immediate();
  return getTimeSettings(store);
}
