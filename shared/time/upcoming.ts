/**
 * The "upcoming" view: trips in the next weeks (a decision maker coming to our city is the
 * chance to invite him) and people with no contact for longer than a set number of days.
 * Pure: "today" and the user's zone are passed in, so results never depend on the clock.
 *
 * How dates are read (docs/TIME.md):
 * - The window is the calendar dates today … today + 7·weeks in the user's zone, both inclusive.
 * - A trip with a time zone runs from local midnight at the start of `from` to local midnight at
 *   the end of `to` at its place; those two instants are read as dates in the user's zone, so a
 *   trip may start or end a day earlier or later there. A trip without a zone (all-day) keeps its
 *   dates everywhere.
 * - A trip is listed when its (user-zone) days overlap the window: it is 'ongoing' if it started
 *   on or before today, otherwise 'upcoming' in N days.
 * - Someone is out of touch when today − last contact > staleDays (exactly staleDays is not), or
 *   when there was never a contact. A last contact after today counts as recent.
 */
import { INFLUENCE_SCORE, type Person } from '../domain';
import { addDays, daysBetween, viewerDates } from './dates';
import type { StalePerson, Trip, Upcoming, UpcomingQuery, UpcomingTrip } from './types';

const personRef = (p: Person) => ({ id: p.id, name: p.name, title: p.title, influence: p.influence, roles: p.roles });
const norm = (s: string) => s.normalize('NFKC').trim().toLowerCase();

export function upcoming(people: readonly Person[], trips: readonly Trip[], q: UpcomingQuery): Upcoming {
  const today = q.today;
  const until = addDays(today, 7 * q.weeks);
  const zone = q.zone ?? null;
  const city = norm(q.city ?? '');
  const byId = new Map(people.map((p) => [p.id, p]));

  const listed: UpcomingTrip[] = [];
  for (const trip of trips) {
    const p = byId.get(trip.personId);
    if (!p) continue;
    const seen = viewerDates(trip.from, trip.to, trip.timeZone, zone);
    if (seen.to < today || seen.from > until) continue;
    const startsInDays = daysBetween(today, seen.from);
    listed.push({
      trip,
      person: personRef(p),
      viewerFrom: seen.from,
      viewerTo: seen.to,
      status: startsInDays <= 0 ? 'ongoing' : 'upcoming',
      startsInDays: Math.max(0, startsInDays),
      inCity: !!city && norm(trip.place).includes(city),
    });
  }
  // Our city first, then by start date, then by influence, then by name.
  listed.sort(
    (a, b) =>
      Number(b.inCity) - Number(a.inCity) ||
      (a.viewerFrom < b.viewerFrom ? -1 : a.viewerFrom > b.viewerFrom ? 1 : 0) ||
      INFLUENCE_SCORE[b.person.influence] - INFLUENCE_SCORE[a.person.influence] ||
      a.person.name.localeCompare(b.person.name),
  );

  const stale: StalePerson[] = [];
  for (const p of people) {
    if (p.lastContact === null) {
      stale.push({ person: personRef(p), lastContact: null, days: null });
      continue;
    }
    const days = daysBetween(p.lastContact, today);
    if (days > q.staleDays) stale.push({ person: personRef(p), lastContact: p.lastContact, days });
  }
  // More influence first; within it, the longest silence first (never counts as longest).
  stale.sort(
    (a, b) =>
      INFLUENCE_SCORE[b.person.influence] - INFLUENCE_SCORE[a.person.influence] ||
      (b.days ?? Infinity) - (a.days ?? Infinity) ||
      a.person.name.localeCompare(b.person.name),
  );
  return { today, until, trips: listed, stale };
}

/**
 * The last contact that follows from the log: the newest interaction date, unless the person's
 * recorded last contact is newer than everything the log held before the edit (then it was set
 * by hand and is kept). Returns the value person.lastContact should take.
 */
export function lastContactAfterEdit(current: string | null, logBefore: readonly string[], logAfter: readonly string[]): string | null {
  const max = (xs: readonly string[]) => xs.reduce<string | null>((m, x) => (m === null || x > m ? x : m), null);
  const before = max(logBefore);
  const after = max(logAfter);
  const manual = current !== null && (before === null || current > before) ? current : null;
  if (manual !== null && (after === null || manual >= after)) return manual;
  return after;
}
