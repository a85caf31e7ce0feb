import { describe, expect, it } from 'vitest';
import { defaultPersonFields, type Influence, type Person } from '../../shared/domain';
import { addDays, daysBetween, isCalendarDate, upcoming, viewerDates, type Trip, type UpcomingQuery } from '../../shared/time';

const person = (id: string, lastContact: string | null = null, influence: Influence = 'medium'): Person => ({
  ...defaultPersonFields(),
  id,
  name: `Person ${id}`,
  influence,
  lastContact,
});
let n = 0;
const trip = (personId: string, from: string, to: string, timeZone: string | null = null, place = 'Shanghai'): Trip => ({
  id: `t${n++}`,
  personId,
  place,
  from,
  to,
  timeZone,
  note: '',
  createdAt: '2024-01-01T00:00:00Z',
});
const q = (today: string, weeks: number, extra: Partial<UpcomingQuery> = {}): UpcomingQuery => ({ today, weeks, staleDays: 30, ...extra });
const listed = (people: Person[], trips: Trip[], query: UpcomingQuery) =>
  upcoming(people, trips, query).trips.map((t) => ({ id: t.trip.id, from: t.viewerFrom, to: t.viewerTo, status: t.status, in: t.startsInDays }));

describe('calendar dates', () => {
  it('knows real dates, month lengths and leap years', () => {
    expect(isCalendarDate('2024-02-29')).toBe(true);
    expect(isCalendarDate('2025-02-29')).toBe(false);
    expect(isCalendarDate('2025-04-31')).toBe(false);
    expect(isCalendarDate('2025-13-01')).toBe(false);
    expect(isCalendarDate('2025-1-01')).toBe(false);
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2025-02-28', 1)).toBe('2025-03-01');
    expect(addDays('2025-03-01', -1)).toBe('2025-02-28');
    expect(daysBetween('2024-12-25', '2025-01-08')).toBe(14);
  });
});

describe('upcoming trips across month and year ends', () => {
  const p = person('p1');

  it('month end: the window runs on into the next month, both ends inclusive', () => {
    n = 0;
    const trips = [
      trip('p1', '2025-01-27', '2025-01-28'), // t0: over yesterday
      trip('p1', '2025-01-28', '2025-01-30'), // t1: ongoing
      trip('p1', '2025-02-03', '2025-02-04'), // t2: in 5 days
      trip('p1', '2025-02-05', '2025-02-05'), // t3: the last day of the window
      trip('p1', '2025-02-06', '2025-02-07'), // t4: one day too late
    ];
    expect(listed([p], trips, q('2025-01-29', 1))).toEqual([
      { id: 't1', from: '2025-01-28', to: '2025-01-30', status: 'ongoing', in: 0 },
      { id: 't2', from: '2025-02-03', to: '2025-02-04', status: 'upcoming', in: 5 },
      { id: 't3', from: '2025-02-05', to: '2025-02-05', status: 'upcoming', in: 7 },
    ]);
  });

  it('February: a leap day counts', () => {
    n = 0;
    const trips = [trip('p1', '2024-03-05', '2024-03-06'), trip('p1', '2024-03-06', '2024-03-06')];
    expect(listed([p], trips, q('2024-02-27', 1))).toEqual([{ id: 't0', from: '2024-03-05', to: '2024-03-06', status: 'upcoming', in: 7 }]);
    n = 0;
    const trips2 = [trip('p1', '2025-03-06', '2025-03-06'), trip('p1', '2025-03-07', '2025-03-07')];
    expect(listed([p], trips2, q('2025-02-27', 1))).toEqual([{ id: 't0', from: '2025-03-06', to: '2025-03-06', status: 'upcoming', in: 7 }]);
  });

  it('year end: a trip over New Year is ongoing, January trips are in the window', () => {
    n = 0;
    const trips = [
      trip('p1', '2024-12-29', '2025-01-02'), // t0 ongoing across the year end
      trip('p1', '2025-01-02', '2025-01-03'), // t1 in 3 days
      trip('p1', '2025-01-13', '2025-01-15'), // t2 starts on the window's last day
      trip('p1', '2025-01-14', '2025-01-15'), // t3 too late
    ];
    expect(listed([p], trips, q('2024-12-30', 2))).toEqual([
      { id: 't0', from: '2024-12-29', to: '2025-01-02', status: 'ongoing', in: 0 },
      { id: 't1', from: '2025-01-02', to: '2025-01-03', status: 'upcoming', in: 3 },
      { id: 't2', from: '2025-01-13', to: '2025-01-15', status: 'upcoming', in: 14 },
    ]);
    expect(upcoming([p], trips, q('2024-12-30', 2)).until).toBe('2025-01-13');
  });
});

describe('upcoming trips across time zones', () => {
  const p = person('p1');

  it('a one-day trip in Los Angeles on New Year’s Eve is still on for a viewer in Shanghai on New Year’s Day', () => {
    n = 0;
    const zoned = trip('p1', '2024-12-31', '2024-12-31', 'America/Los_Angeles', 'Los Angeles');
    const allDay = trip('p1', '2024-12-31', '2024-12-31', null, 'Los Angeles');
    // LA midnight to midnight = 16:00 on Dec 31 to 16:00 on Jan 1 in Shanghai.
    expect(viewerDates('2024-12-31', '2024-12-31', 'America/Los_Angeles', 'Asia/Shanghai')).toEqual({ from: '2024-12-31', to: '2025-01-01' });
    expect(listed([p], [zoned, allDay], q('2025-01-01', 1, { zone: 'Asia/Shanghai' }))).toEqual([
      { id: 't0', from: '2024-12-31', to: '2025-01-01', status: 'ongoing', in: 0 },
    ]);
  });

  it('a trip in Auckland on January 1 starts on December 31 for a viewer in Los Angeles', () => {
    n = 0;
    const t = trip('p1', '2025-01-01', '2025-01-02', 'Pacific/Auckland', 'Auckland');
    expect(listed([p], [t], q('2024-12-30', 1, { zone: 'America/Los_Angeles' }))).toEqual([
      // Auckland's Jan 1 00:00 to Jan 3 00:00 is Dec 31 03:00 to Jan 2 03:00 in Los Angeles: three dates there.
      { id: 't0', from: '2024-12-31', to: '2025-01-02', status: 'upcoming', in: 1 },
    ]);
    // Without a viewer zone, the dates are read as written.
    expect(listed([p], [t], q('2024-12-30', 1))).toEqual([{ id: 't0', from: '2025-01-01', to: '2025-01-02', status: 'upcoming', in: 2 }]);
  });

  it('the zone can bring a trip into the window or keep it out', () => {
    n = 0;
    // Auckland (UTC+13 in March) Mar 9 00:00 to Mar 11 00:00 = Mar 8 19:00 to Mar 10 19:00 in Shanghai.
    const auckland = trip('p1', '2025-03-09', '2025-03-10', 'Pacific/Auckland', 'Auckland');
    const floating = trip('p1', '2025-03-09', '2025-03-10', null, 'Auckland');
    expect(listed([p], [auckland, floating], q('2025-03-01', 1, { zone: 'Asia/Shanghai' }))).toEqual([
      { id: 't0', from: '2025-03-08', to: '2025-03-10', status: 'upcoming', in: 7 },
    ]);
    // Same zone as the viewer: dates unchanged.
    expect(viewerDates('2025-03-09', '2025-03-10', 'Asia/Shanghai', 'Asia/Shanghai')).toEqual({ from: '2025-03-09', to: '2025-03-10' });
  });

  it('daylight-saving days: a 23-hour day in New York, and a zone where midnight does not exist that day', () => {
    // US clocks go forward on 2025-03-09: New York's Mar 9 runs 05:00 UTC to 04:00 UTC next day.
    expect(viewerDates('2025-03-09', '2025-03-09', 'America/New_York', 'UTC')).toEqual({ from: '2025-03-09', to: '2025-03-10' });
    expect(viewerDates('2025-03-09', '2025-03-09', 'America/New_York', 'Europe/London')).toEqual({ from: '2025-03-09', to: '2025-03-10' });
    // Chile skips 00:00–01:00 on 2024-09-08: the day still begins (at 01:00) and is read right.
    expect(viewerDates('2024-09-08', '2024-09-08', 'America/Santiago', 'America/Santiago')).toEqual({ from: '2024-09-08', to: '2024-09-08' });
    expect(viewerDates('2024-09-08', '2024-09-08', 'America/Santiago', 'UTC')).toEqual({ from: '2024-09-08', to: '2024-09-09' });
  });

  it('trips to our city come first, then by start date and influence', () => {
    n = 0;
    const people = [person('low', null, 'low'), person('high', null, 'high')];
    const trips = [
      trip('low', '2025-05-03', '2025-05-04', null, 'Guangzhou'),
      trip('high', '2025-05-05', '2025-05-05', null, 'Beijing — annual banking forum'),
      trip('high', '2025-05-03', '2025-05-04', null, 'Shenzhen'),
      trip('nobody', '2025-05-03', '2025-05-04', null, 'Beijing'), // a person no longer in the map
    ];
    const r = upcoming(people, trips, q('2025-05-01', 2, { city: ' beijing ' }));
    expect(r.trips.map((t) => [t.trip.id, t.inCity])).toEqual([
      ['t1', true],
      ['t2', false],
      ['t0', false],
    ]);
  });
});

describe('people out of touch', () => {
  it('lists those with no contact for longer than the set days (or never), most influential first', () => {
    const people = [
      person('exactly30', '2025-01-30'),
      person('31days', '2025-01-29'),
      person('never', null, 'low'),
      person('future', '2025-03-05'),
      person('high', '2024-12-01', 'high'),
    ];
    const r = upcoming(people, [], q('2025-03-01', 1, { staleDays: 30 }));
    expect(r.stale.map((s) => [s.person.id, s.days])).toEqual([
      ['high', 90],
      ['31days', 31],
      ['never', null],
    ]);
  });

  it('counts days across the year end', () => {
    const people = [person('a', '2024-12-10'), person('b', '2024-12-11')];
    expect(upcoming(people, [], q('2025-01-10', 1, { staleDays: 30 })).stale.map((s) => [s.person.id, s.days])).toEqual([['a', 31]]);
  });
});
