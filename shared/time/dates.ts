/**
 * Calendar dates (YYYY-MM-DD) and time zones. Interactions and trips carry calendar dates, not
 * instants: "met on 2025-03-14" means that day where it happened. Arithmetic on calendar dates
 * runs on day numbers (days since 1970-01-01), so no clock and no local time zone ever enters a
 * result: every function here is pure and takes "today" from its caller.
 *
 * Time zones are IANA names ("Asia/Shanghai"). A trip with a zone is converted to the viewer's
 * zone by @date-fns/tz (the whole local day, midnight to midnight, becomes two instants); see
 * docs/TIME.md, "How trip dates are read".
 */
import { TZDateMini } from '@date-fns/tz';

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/** True for a real calendar date written YYYY-MM-DD (2024-02-29 yes, 2025-02-29 no). */
export function isCalendarDate(s: string): boolean {
  const m = DATE_RE.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 1 || mo < 1 || mo > 12 || d < 1) return false;
  const dt = new Date(Date.UTC(y, mo - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === mo - 1 && dt.getUTCDate() === d;
}

/** Days since 1970-01-01 of a calendar date (no time zone involved). */
function dayNumber(s: string): number {
  const m = DATE_RE.exec(s);
  if (!m) throw new RangeError(`not a date: ${s}`);
  return Math.round(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / DAY_MS);
}

/** The calendar date of a day number. */
function fromDayNumber(n: number): string {
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}

export const addDays = (date: string, days: number): string => fromDayNumber(dayNumber(date) + days);
/** Whole days from `a` to `b` (positive when b is later). */
export const daysBetween = (a: string, b: string): number => dayNumber(b) - dayNumber(a);

const zoneCache = new Map<string, boolean>();
/** True for a time zone name this runtime knows (IANA names such as "Europe/Berlin", or "UTC"). */
export function isTimeZone(zone: string): boolean {
  if (!zone || zone.length > 64) return false;
  let ok = zoneCache.get(zone);
  if (ok === undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone });
      ok = true;
    } catch {
      ok = false;
    }
    zoneCache.set(zone, ok);
  }
  return ok;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const dateOf = (d: Date): string => `${pad(d.getFullYear(), 4)}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;

/** The calendar date of an instant as seen in `zone`. */
function dateInZone(instant: number, zone: string): string {
  return dateOf(new TZDateMini(instant, zone));
}

/** Today's date in `zone` (or this runtime's own zone) — for callers; the logic never reads the clock. */
export function todayIn(zone?: string | null, now: number = Date.now()): string {
  return zone ? dateInZone(now, zone) : dateOf(new Date(now));
}

/** The runtime's own time zone name (the UI passes it with "today"). */
export const localTimeZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

/** The instant local midnight begins `date` in `zone` (if midnight does not exist there that day, the first instant of the day). */
function startOfDayIn(date: string, zone: string): number {
  const m = DATE_RE.exec(date)!;
  return new TZDateMini(Number(m[1]), Number(m[2]) - 1, Number(m[3]), zone).getTime();
}

/**
 * The calendar days `from`…`to` (inclusive, local dates at a place in `placeZone`) cover as seen
 * from `viewerZone`. The span runs from local midnight at the start of `from` to local midnight
 * at the end of `to`; each end is read as a date in the viewer's zone. With either zone missing
 * the dates are "floating" (all-day) and come back unchanged.
 */
export function viewerDates(
  from: string,
  to: string,
  placeZone: string | null,
  viewerZone: string | null,
): { from: string; to: string } {
  if (!placeZone || !viewerZone || placeZone === viewerZone) return { from, to };
  const start = startOfDayIn(from, placeZone);
  const end = startOfDayIn(addDays(to, 1), placeZone) - 1;
  return { from: dateInZone(start, viewerZone), to: dateInZone(end, viewerZone) };
}
