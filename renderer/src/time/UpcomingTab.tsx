/** Upcoming: trips in the next weeks (our city first) and people out of touch for too long. */
import { useCallback, useEffect, useRef, useState } from 'react';
import { vocab } from '../../../shared/time/describe';
import { DEFAULT_TIME_SETTINGS, type TimeSettings, type Upcoming } from '../../../shared/time/types';
import type { PanelProps } from '../panels';
import { fill, stringsFor } from './strings';
import { errorSay, formatDate, formatSpan, type Say, userToday } from './util';

export interface UpcomingTabProps {
  panel: PanelProps;
  onPerson(id: string): void;
  notify(message: Say, kind?: 'info' | 'error'): void;
}

export function UpcomingTab({ panel, onPerson, notify }: UpcomingTabProps) {
  const { api, lang, doc } = panel;
  const s = stringsFor(lang);
  const [settings, setSettings] = useState<TimeSettings | null>(null);
  const [draft, setDraft] = useState<{ weeks: string; staleDays: string; city: string }>({ weeks: '', staleDays: '', city: '' });
  const [data, setData] = useState<Upcoming | null>(null);
  const { zone } = userToday();

  useEffect(() => {
    api.call('time.getSettings', {}).then(
      (t) => {
        setSettings(t);
        setDraft({ weeks: String(t.weeks), staleDays: String(t.staleDays), city: t.city });
      },
      (e: unknown) => {
        setSettings(DEFAULT_TIME_SETTINGS);
        notify(errorSay(e), 'error');
      },
    );
  }, [api, lang, notify, doc.path]);

  const load = useCallback(async () => {
    if (!settings) return;
    try {
      const { today, zone: z } = userToday();
      setData(await api.call('time.upcoming', { today, zone: z, weeks: settings.weeks, staleDays: settings.staleDays, city: settings.city }));
    } catch (e) {
      notify(errorSay(e), 'error');
    }
  }, [api, settings, lang, notify]);
  useEffect(() => {
    void load();
  }, [load, doc.rev]);

  // Settings are kept with the map: saved when a field is left (or Enter), if valid.
  const saving = useRef(false);
  const commit = async () => {
    if (!settings || saving.current) return;
    const weeks = Number(draft.weeks);
    const staleDays = Number(draft.staleDays);
    const patch: Partial<TimeSettings> = {};
    if (Number.isInteger(weeks) && weeks >= 1 && weeks <= 52 && weeks !== settings.weeks) patch.weeks = weeks;
    if (Number.isInteger(staleDays) && staleDays >= 1 && staleDays <= 3650 && staleDays !== settings.staleDays) patch.staleDays = staleDays;
    if (draft.city.trim() !== settings.city) patch.city = draft.city.trim();
    if (Object.keys(patch).length === 0) {
      setDraft({ weeks: String(settings.weeks), staleDays: String(settings.staleDays), city: settings.city });
      return;
    }
    saving.current = true;
    try {
      const next = await api.call('time.setSettings', patch);
      setSettings(next);
      setDraft({ weeks: String(next.weeks), staleDays: String(next.staleDays), city: next.city });
    } catch (e) {
      notify(errorSay(e), 'error');
    } finally {
      saving.current = false;
    }
  };

  const show = (id: string) => {
    panel.highlight({ people: [id], relations: [] });
  };

  return (
    <div className="pm-time-tab" data-testid="time-upcoming">
      <form
        className="pm-time-grid3"
        onSubmit={(e) => {
          e.preventDefault();
          void commit();
        }}
      >
        <label>
          {s.upcoming.weeks}
          <input type="number" min={1} max={52} value={draft.weeks} onChange={(e) => setDraft({ ...draft, weeks: e.target.value })} onBlur={() => void commit()} />
        </label>
        <label>
          {s.upcoming.staleDays}
          <input
            type="number"
            min={1}
            max={3650}
            value={draft.staleDays}
            onChange={(e) => setDraft({ ...draft, staleDays: e.target.value })}
            onBlur={() => void commit()}
          />
        </label>
        <label>
          {s.upcoming.city}
          <input placeholder={s.upcoming.cityPlaceholder} maxLength={100} value={draft.city} onChange={(e) => setDraft({ ...draft, city: e.target.value })} onBlur={() => void commit()} />
        </label>
        <button type="submit" hidden />
      </form>
      <p className="pm-time-hint">{fill(s.upcoming.zoneNote, { zone })}</p>

      {data && settings && (
        <>
          <h4>{fill(s.upcoming.trips, { n: settings.weeks })}</h4>
          {data.trips.length === 0 ? (
            <p className="pm-time-empty">{fill(s.upcoming.noTrips, { n: settings.weeks })}</p>
          ) : (
            <ul className="pm-time-list" aria-label={fill(s.upcoming.trips, { n: settings.weeks })}>
              {data.trips.map((t) => (
                <li key={t.trip.id} className={t.inCity ? 'pm-time-incity' : ''}>
                  <div className="pm-time-item-head">
                    <button type="button" className="pm-time-link" onClick={() => show(t.person.id)}>
                      <strong>{t.person.name}</strong>
                    </button>
                    <span className="pm-time-when">
                      {t.status === 'ongoing' ? s.upcoming.ongoing : t.startsInDays === 1 ? s.upcoming.tomorrow : fill(s.upcoming.inDays, { n: t.startsInDays })}
                    </span>
                  </div>
                  <div>
                    {t.trip.place}
                    {t.inCity && <span className="pm-time-badge pm-time-badge-city">{s.upcoming.inCity}</span>}
                  </div>
                  <div className="pm-time-meta">
                    {formatSpan(t.trip.from, t.trip.to, lang)}
                    {t.trip.timeZone ? ` (${t.trip.timeZone})` : ''}
                    {(t.viewerFrom !== t.trip.from || t.viewerTo !== t.trip.to) && ` · ${fill(s.upcoming.yourTime, { dates: formatSpan(t.viewerFrom, t.viewerTo, lang) })}`}
                  </div>
                  <div className="pm-time-meta">
                    {[t.person.title, fill(s.upcoming.influence, { v: vocab(lang, t.person.influence) })].filter(Boolean).join(' · ')}
                  </div>
                  <div className="pm-time-actions">
                    <button type="button" onClick={() => onPerson(t.person.id)}>
                      {s.tabs.log}
                    </button>
                  </div>
                </li>
              ))}
            </ul>
          )}

          <h4>
            {s.upcoming.stale} ({data.stale.length})
          </h4>
          {data.stale.length === 0 ? (
            <p className="pm-time-empty">{fill(s.upcoming.noStale, { n: settings.staleDays })}</p>
          ) : (
            <ul className="pm-time-list pm-time-compact" aria-label={s.upcoming.stale}>
              {data.stale.map((x) => (
                <li key={x.person.id} className="pm-time-stale">
                  <span>
                    <button type="button" className="pm-time-link" onClick={() => show(x.person.id)}>
                      {x.person.name}
                    </button>
                    <span className="pm-time-meta">
                      {' '}
                      {fill(s.upcoming.influence, { v: vocab(lang, x.person.influence) })} ·{' '}
                      {x.lastContact ? fill(s.upcoming.lastSeen, { date: formatDate(x.lastContact, lang), ago: fill(s.common.daysAgo, { n: x.days ?? 0 }) }) : s.common.never}
                    </span>
                  </span>
                  <button type="button" className="pm-time-small" title={s.tabs.log} aria-label={`${s.tabs.log}: ${x.person.name}`} onClick={() => onPerson(x.person.id)}>
                    ✎
                  </button>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </div>
  );
}
