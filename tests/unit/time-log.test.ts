import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dispatch } from '../../services/handlers';
import { createClient, type ApiClient } from '../../shared/api';
import { addDays, todayIn } from '../../shared/time';
import { webSession } from '../helpers/session';
import { useTmpDir } from '../helpers/tmp';

const tmp = useTmpDir();

async function setup(): Promise<{ api: ApiClient; pid: string; other: string; rep: string; eng: string }> {
  const dir = tmp();
  const session = webSession(dir);
  const api = createClient((m, p) => dispatch(session, m, p));
  await api.call('map.create', { path: path.join(dir, 'bureau.powermap') });
  const pid = (await api.call('person.create', { name: 'Gao Wenbo', title: 'Bureau chief', influence: 'high' })).people![0]!.id;
  const other = (await api.call('person.create', { name: 'Lin Xiaoyu', title: 'Head of power use' })).people![0]!.id;
  const rep = (await api.call('team.create', { name: 'Rep Zhou', role: 'account manager' })).team![0]!.id;
  const eng = (await api.call('team.create', { name: 'Eng Wang', role: 'engineer' })).team![0]!.id;
  return { api, pid, other, rep, eng };
}
const lastContact = async (api: ApiClient, id: string) => (await api.call('map.get', {})).people.find((p) => p.id === id)!.lastContact;

describe('interaction log', () => {
  it('moves last contact with the log: newer raises it, older does not, deleting the newest recomputes it', async () => {
    const { api, pid, rep, eng } = await setup();
    const a = await api.call('interaction.create', { personId: pid, date: '2025-01-10', kind: 'meeting', attendees: [rep, eng, rep], notes: 'Kick-off' });
    expect(a.change.people?.map((p) => [p.id, p.lastContact])).toEqual([[pid, '2025-01-10']]);
    const b = await api.call('interaction.create', { personId: pid, date: '2025-02-28', kind: 'call' });
    expect(await lastContact(api, pid)).toBe('2025-02-28');
    const older = await api.call('interaction.create', { personId: pid, date: '2024-12-31', kind: 'event', notes: 'Year-end gala' });
    expect(older.change.people).toBeUndefined(); // an older entry leaves last contact alone
    expect(await lastContact(api, pid)).toBe('2025-02-28');

    const log = await api.call('interaction.list', { personId: pid });
    expect(log.map((i) => i.date)).toEqual(['2025-02-28', '2025-01-10', '2024-12-31']);
    expect(log[1]).toMatchObject({ id: a.id, kind: 'meeting', attendees: [rep, eng], notes: 'Kick-off' });

    await api.call('interaction.delete', { id: b.id });
    expect(await lastContact(api, pid)).toBe('2025-01-10');
    // Moving the newest entry's date back recomputes too.
    await api.call('interaction.update', { id: a.id, patch: { date: '2024-11-02' } });
    expect(await lastContact(api, pid)).toBe('2024-12-31');
    await api.call('interaction.delete', { id: a.id });
    await api.call('interaction.delete', { id: older.id });
    expect(await lastContact(api, pid)).toBe(null);
  });

  it('keeps a last contact set by hand that is newer than the whole log', async () => {
    const { api, pid } = await setup();
    const i = await api.call('interaction.create', { personId: pid, date: '2025-01-10' });
    await api.call('person.update', { id: pid, patch: { lastContact: '2025-03-01' } });
    await api.call('interaction.create', { personId: pid, date: '2025-02-01' });
    expect(await lastContact(api, pid)).toBe('2025-03-01');
    await api.call('interaction.delete', { id: i.id });
    expect(await lastContact(api, pid)).toBe('2025-03-01');
    await api.call('interaction.create', { personId: pid, date: '2025-03-04' });
    expect(await lastContact(api, pid)).toBe('2025-03-04');
  });

  it('is undoable: undo removes the entry and puts last contact back', async () => {
    const { api, pid } = await setup();
    await api.call('interaction.create', { personId: pid, date: '2025-01-10' });
    const c = await api.call('interaction.create', { personId: pid, date: '2025-02-10', kind: 'call' });
    expect(c.change.history.undoLabel).toEqual({ key: 'contact.add', params: { kind: 'call', name: 'Gao Wenbo' } });
    await api.call('history.undo', {});
    expect((await api.call('interaction.list', { personId: pid })).map((x) => x.date)).toEqual(['2025-01-10']);
    expect(await lastContact(api, pid)).toBe('2025-01-10');
    await api.call('history.redo', {});
    expect(await lastContact(api, pid)).toBe('2025-02-10');
  });

  it('refuses bad entries with a clear error and changes nothing', async () => {
    const { api, pid } = await setup();
    const before = await api.call('map.get', {});
    await expect(api.call('interaction.create', { personId: pid, date: '2025-02-30' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(api.call('interaction.create', { personId: pid, date: '2025-02-01', kind: 'lunch' as never })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(api.call('interaction.create', { personId: 'p_nobody', date: '2025-02-01' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(api.call('interaction.create', { personId: pid, date: '2025-02-01', attendees: ['m_nobody'] })).rejects.toMatchObject({
      code: 'INVALID_EDIT',
      message: 'Not on our team: m_nobody',
    });
    const future = addDays(todayIn(null), 30);
    await expect(api.call('interaction.create', { personId: pid, date: future })).rejects.toMatchObject({ code: 'INVALID_EDIT' });
    await expect(api.call('interaction.update', { id: 'i_nothing', patch: { notes: 'x' } })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const after = await api.call('map.get', {});
    expect(after.rev).toBe(before.rev);
    expect(await api.call('interaction.list', {})).toEqual([]);
  });
});

describe('trips', () => {
  it('adds, edits, lists and deletes trips, each an undoable step', async () => {
    const { api, pid, other } = await setup();
    const t1 = await api.call('trip.create', { personId: pid, place: 'Beijing', from: '2025-04-10', to: '2025-04-12', timeZone: 'Asia/Shanghai', note: 'State Grid conference' });
    const t2 = await api.call('trip.create', { personId: other, place: 'Shenzhen', from: '2025-04-01', to: '2025-04-01' });
    expect((await api.call('trip.list', {})).map((t) => t.id)).toEqual([t2.id, t1.id]);
    expect(await api.call('trip.list', { personId: pid })).toEqual([
      { id: t1.id, personId: pid, place: 'Beijing', from: '2025-04-10', to: '2025-04-12', timeZone: 'Asia/Shanghai', note: 'State Grid conference', createdAt: expect.any(String) },
    ]);
    await api.call('trip.update', { id: t1.id, patch: { to: '2025-04-13', timeZone: null } });
    expect((await api.call('trip.list', { personId: pid }))[0]).toMatchObject({ to: '2025-04-13', timeZone: null });
    await api.call('history.undo', {});
    expect((await api.call('trip.list', { personId: pid }))[0]).toMatchObject({ to: '2025-04-12', timeZone: 'Asia/Shanghai' });
    await api.call('trip.delete', { id: t2.id });
    expect(await api.call('trip.list', { personId: other })).toEqual([]);
    await api.call('history.undo', {});
    expect((await api.call('trip.list', { personId: other })).map((t) => t.id)).toEqual([t2.id]);
  });

  it('refuses a trip that ends before it starts, or an unknown time zone', async () => {
    const { api, pid } = await setup();
    await expect(api.call('trip.create', { personId: pid, place: 'Beijing', from: '2025-04-10', to: '2025-04-09' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(api.call('trip.create', { personId: pid, place: 'Beijing', from: '2025-04-10', to: '2025-04-10', timeZone: 'Mars/Olympus' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    await expect(api.call('trip.create', { personId: pid, place: '  ', from: '2025-04-10', to: '2025-04-10' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    const t = await api.call('trip.create', { personId: pid, place: 'Beijing', from: '2025-04-10', to: '2025-04-10' });
    await expect(api.call('trip.update', { id: t.id, patch: { from: '2025-04-11' } })).rejects.toMatchObject({ code: 'INVALID_EDIT' });
    expect((await api.call('trip.list', {}))[0]).toMatchObject({ from: '2025-04-10', to: '2025-04-10' });
  });

  it('the upcoming view comes through the API with the settings kept in the map', async () => {
    const { api, pid, other } = await setup();
    expect(await api.call('time.getSettings', {})).toEqual({ staleDays: 60, weeks: 4, city: '' });
    expect(await api.call('time.setSettings', { staleDays: 45, city: 'Beijing' })).toEqual({ staleDays: 45, weeks: 4, city: 'Beijing' });
    await expect(api.call('time.setSettings', { staleDays: 0 })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await api.call('trip.create', { personId: pid, place: 'Beijing', from: '2025-01-02', to: '2025-01-03', timeZone: 'Asia/Shanghai' });
    await api.call('interaction.create', { personId: other, date: '2024-12-20' });
    const r = await api.call('time.upcoming', { today: '2024-12-30', zone: 'Asia/Shanghai', weeks: 1, staleDays: 45, city: 'Beijing' });
    expect(r.trips.map((t) => [t.person.name, t.viewerFrom, t.inCity, t.startsInDays])).toEqual([['Gao Wenbo', '2025-01-02', true, 3]]);
    expect(r.stale.map((s) => s.person.name)).toEqual(['Gao Wenbo']); // never contacted; Lin was 10 days ago
    await expect(api.call('time.upcoming', { today: '2024-13-01', weeks: 1, staleDays: 30 })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });
});

describe('deleting a person', () => {
  it('deletes their log and trips in the same edit, and undo brings them back', async () => {
    const { api, pid, other } = await setup();
    await api.call('interaction.create', { personId: pid, date: '2025-01-10' });
    await api.call('trip.create', { personId: pid, place: 'Beijing', from: '2025-04-10', to: '2025-04-12' });
    await api.call('interaction.create', { personId: other, date: '2025-01-11' });
    await api.call('person.delete', { id: pid });
    expect((await api.call('interaction.list', {})).map((i) => i.personId)).toEqual([other]);
    expect(await api.call('trip.list', {})).toEqual([]);
    await api.call('history.undo', {});
    expect((await api.call('interaction.list', { personId: pid })).map((i) => i.date)).toEqual(['2025-01-10']);
    expect((await api.call('trip.list', { personId: pid })).map((t) => t.place)).toEqual(['Beijing']);
  });
});
