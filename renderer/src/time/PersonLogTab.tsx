/** Contacts and trips of one person: the dated interaction log and their known trips. */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { daysBetween, isTimeZone } from '../../../shared/time/dates';
import { INTERACTION_KINDS, type Interaction, type InteractionKind, type Trip } from '../../../shared/time/types';
import type { PanelProps } from '../panels';
import { fill, stringsFor } from './strings';
import { errorSay, formatDate, formatSpan, type Say, userToday } from './util';

export interface PersonLogTabProps {
  panel: PanelProps;
  personId: string;
  onPerson(id: string): void;
  notify(message: Say, kind?: 'info' | 'error'): void;
}

interface ContactForm {
  id: string | null;
  date: string;
  kind: InteractionKind;
  attendees: string[];
  notes: string;
}
interface TripForm {
  id: string | null;
  place: string;
  from: string;
  to: string;
  timeZone: string;
  note: string;
}

const ZONES: string[] = (() => {
  try {
    return (Intl as unknown as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf?.('timeZone') ?? [];
  } catch {
    return [];
  }
})();

export function PersonLogTab({ panel, personId, onPerson, notify }: PersonLogTabProps) {
  const { api, lang, doc } = panel;
  const s = stringsFor(lang);
  const today = userToday().today;
  const person = doc.people.find((p) => p.id === personId) ?? null;
  const people = useMemo(() => [...doc.people].sort((a, b) => a.name.localeCompare(b.name, lang)), [doc.people, lang]);
  const teamName = useMemo(() => new Map(doc.team.map((m) => [m.id, m.name])), [doc.team]);

  const [log, setLog] = useState<Interaction[]>([]);
  const [trips, setTrips] = useState<Trip[]>([]);
  const blankContact = useCallback((): ContactForm => ({ id: null, date: today, kind: 'meeting', attendees: [], notes: '' }), [today]);
  const blankTrip = useCallback((): TripForm => ({ id: null, place: '', from: today, to: today, timeZone: '', note: '' }), [today]);
  const [contact, setContact] = useState<ContactForm>(blankContact);
  const [trip, setTrip] = useState<TripForm>(blankTrip);
  const [ask, setAsk] = useState<string | null>(null);

  const refresh = useCallback(async () => {
    if (!personId) return;
    try {
      const [l, t] = await Promise.all([api.call('interaction.list', { personId }), api.call('trip.list', { personId })]);
      setLog(l);
      setTrips(t);
    } catch (e) {
      notify(errorSay(e), 'error');
    }
  }, [api, personId, lang, notify]);
  // Again after every edit, undo or redo (the log is part of the map's history).
  useEffect(() => {
    void refresh();
  }, [refresh, doc.rev]);
  useEffect(() => {
    setContact(blankContact());
    setTrip(blankTrip());
    setAsk(null);
  }, [personId, blankContact, blankTrip]);

  const act = async (fn: () => Promise<unknown>) => {
    try {
      await fn();
      await refresh();
      return true;
    } catch (e) {
      notify(errorSay(e), 'error');
      return false;
    }
  };

  const saveContact = () =>
    act(async () => {
      const fields = { date: contact.date, kind: contact.kind, attendees: contact.attendees, notes: contact.notes };
      if (contact.id) panel.applyChange(await api.call('interaction.update', { id: contact.id, patch: fields }));
      else panel.applyChange((await api.call('interaction.create', { personId, ...fields })).change);
    }).then((ok) => ok && setContact(blankContact()));

  const saveTrip = () =>
    act(async () => {
      const fields = { place: trip.place, from: trip.from, to: trip.to, timeZone: trip.timeZone.trim() || null, note: trip.note };
      if (trip.id) panel.applyChange(await api.call('trip.update', { id: trip.id, patch: fields }));
      else panel.applyChange((await api.call('trip.create', { personId, ...fields })).change);
    }).then((ok) => ok && setTrip(blankTrip()));

  const remove = (kind: 'interaction' | 'trip', id: string) =>
    act(async () => {
      setAsk(null);
      panel.applyChange(await api.call(kind === 'interaction' ? 'interaction.delete' : 'trip.delete', { id }));
    });

  const zoneOk = !trip.timeZone.trim() || isTimeZone(trip.timeZone.trim());
  const ago = (date: string) => {
    const n = daysBetween(date, today);
    return n === 0 ? s.common.today : fill(s.common.daysAgo, { n });
  };

  return (
    <div className="pm-time-tab" data-testid="time-log">
      <label className="pm-time-field">
        {s.log.person}
        <select value={personId} onChange={(e) => onPerson(e.target.value)}>
          <option value="">{s.log.choose}</option>
          {people.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
              {p.title ? ` — ${p.title}` : ''}
            </option>
          ))}
        </select>
      </label>
      {person && (
        <>
          <p className="pm-time-meta" data-testid="time-last-contact">
            {person.lastContact ? fill(s.log.lastContact, { date: formatDate(person.lastContact, lang), ago: ago(person.lastContact) }) : s.log.noContact}
          </p>

          <h4>{s.log.interactions}</h4>
          {log.length === 0 ? (
            <p className="pm-time-empty">{s.log.noInteractions}</p>
          ) : (
            <ul className="pm-time-list" aria-label={s.log.interactions}>
              {log.map((i) => (
                <li key={i.id}>
                  <div className="pm-time-item-head">
                    <strong>{formatDate(i.date, lang)}</strong>
                    <span className={`pm-time-kind pm-time-kind-${i.kind}`}>{s.log.kinds[i.kind]}</span>
                  </div>
                  {i.attendees.length > 0 && (
                    <div className="pm-time-meta">
                      {i.attendees.map((m) => teamName.get(m) ?? s.log.formerMember).join(lang === 'zh-CN' ? '、' : ', ')}
                    </div>
                  )}
                  {i.notes && <div className="pm-time-notes">{i.notes}</div>}
                  {ask === i.id ? (
                    <div className="pm-time-confirm">
                      {s.log.deleteAsk}{' '}
                      <button type="button" className="pm-time-danger" onClick={() => void remove('interaction', i.id)}>
                        {s.common.delete}
                      </button>
                      <button type="button" onClick={() => setAsk(null)}>
                        {s.common.cancel}
                      </button>
                    </div>
                  ) : (
                    <div className="pm-time-actions">
                      <button type="button" onClick={() => setContact({ id: i.id, date: i.date, kind: i.kind, attendees: i.attendees, notes: i.notes })}>
                        {s.common.edit}
                      </button>
                      <button type="button" className="pm-time-danger" onClick={() => setAsk(i.id)}>
                        {s.common.delete}
                      </button>
                    </div>
                  )}
                </li>
              ))}
            </ul>
          )}
          <form
            className="pm-time-form"
            aria-label={s.log.logIt}
            onSubmit={(e) => {
              e.preventDefault();
              void saveContact();
            }}
          >
            <div className="pm-time-row">
              <label>
                {s.log.date}
                <input type="date" required value={contact.date} max={today} onChange={(e) => setContact({ ...contact, date: e.target.value })} />
              </label>
              <label>
                {s.log.kind}
                <select value={contact.kind} onChange={(e) => setContact({ ...contact, kind: e.target.value as InteractionKind })}>
                  {INTERACTION_KINDS.map((k) => (
                    <option key={k} value={k}>
                      {s.log.kinds[k]}
                    </option>
                  ))}
                </select>
              </label>
            </div>
            {doc.team.length > 0 && (
              <fieldset>
                <legend>{s.log.ours}</legend>
                {doc.team.map((m) => (
                  <label key={m.id} className="pm-time-check">
                    <input
                      type="checkbox"
                      checked={contact.attendees.includes(m.id)}
                      onChange={(e) =>
                        setContact({ ...contact, attendees: e.target.checked ? [...contact.attendees, m.id] : contact.attendees.filter((x) => x !== m.id) })
                      }
                    />{' '}
                    {m.name}
                  </label>
                ))}
              </fieldset>
            )}
            <label className="pm-time-field">
              {s.log.notes}
              <textarea rows={2} value={contact.notes} onChange={(e) => setContact({ ...contact, notes: e.target.value })} />
            </label>
            <div className="pm-time-row">
              <button type="submit" disabled={!contact.date}>
                {contact.id ? s.common.save : s.log.logIt}
              </button>
              {contact.id && (
                <button type="button" onClick={() => setContact(blankContact())}>
                  {s.common.cancel}
                </button>
              )}
            </div>
          </form>

          <h4>{s.log.trips}</h4>
          <p className="pm-time-hint pm-time-pipl">{s.log.pipl}</p>
          {trips.length === 0 ? (
            <p className="pm-time-empty">{s.log.noTrips}</p>
          ) : (
            <ul className="pm-time-list" aria-label={s.log.trips}>
              {trips.map((t) => (
                <li key={t.id}>
                  <div className="pm-time-item-head">
                    <strong>{t.place}</strong>
                    <span className="pm-time-meta">{formatSpan(t.from, t.to, lang)}</span>
                  </div>
                  <div className="pm-time-meta">{t.timeZone ?? s.log.zoneNone}</div>
                  {t.note && <div className="pm-time-notes">{t.note}</div>}
                  {ask === t.id ? (
                    <div className="pm-time-confirm">
                      {s.log.deleteAsk}{' '}
                      <button type="button" className="pm-time-danger" onClick={() => void remove('trip', t.id)}>
                        {s.common.delete}
                      </button>
                      <button type="button" onClick={() => setAsk(null)}>
                        {s.common.cancel}
                      </button>
                    </div>
                  ) : (
                    <div className="pm-time-actions">
                      <button type="button" onClick={() => setTrip({ id: t.id, place: t.place, from: t.from, to: t.to, timeZone: t.timeZone ?? '', note: t.note })}>
                        {s.common.edit}
                      </button>
                      <button type="button" className="pm-time-danger" onClick={() => setAsk(t.id)}>
                        {s.common.delete}
                      </button>
                    </div>
                  )}
                </li>
              ))}
            </ul>
          )}
          <form
            className="pm-time-form"
            aria-label={s.log.addTrip}
            onSubmit={(e) => {
              e.preventDefault();
              void saveTrip();
            }}
          >
            <label className="pm-time-field">
              {s.log.place}
              <input required maxLength={200} placeholder={s.log.placePlaceholder} value={trip.place} onChange={(e) => setTrip({ ...trip, place: e.target.value })} />
            </label>
            <div className="pm-time-row">
              <label>
                {s.log.from}
                <input type="date" required value={trip.from} onChange={(e) => setTrip({ ...trip, from: e.target.value, to: trip.to < e.target.value ? e.target.value : trip.to })} />
              </label>
              <label>
                {s.log.to}
                <input type="date" required value={trip.to} min={trip.from} onChange={(e) => setTrip({ ...trip, to: e.target.value })} />
              </label>
            </div>
            <label className="pm-time-field" title={s.log.zoneHint}>
              {s.log.zone}
              <input
                list="pm-time-zones"
                placeholder={s.log.zoneNone}
                value={trip.timeZone}
                aria-invalid={!zoneOk}
                onChange={(e) => setTrip({ ...trip, timeZone: e.target.value })}
              />
              <datalist id="pm-time-zones">
                {ZONES.map((z) => (
                  <option key={z} value={z} />
                ))}
              </datalist>
            </label>
            <label className="pm-time-field">
              {s.log.note}
              <input maxLength={5000} value={trip.note} onChange={(e) => setTrip({ ...trip, note: e.target.value })} />
            </label>
            <div className="pm-time-row">
              <button type="submit" disabled={!trip.place.trim() || !zoneOk || trip.to < trip.from}>
                {trip.id ? s.common.save : s.log.addTrip}
              </button>
              {trip.id && (
                <button type="button" onClick={() => setTrip(blankTrip())}>
                  {s.common.cancel}
                </button>
              )}
            </div>
          </form>
        </>
      )}
    </div>
  );
}
