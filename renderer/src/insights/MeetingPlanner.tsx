/**
 * The meeting planner: tick who you plan to meet together and see at once which of them are in
 * conflict (and who is allied) — the warning the salesperson who invited a feuding director and
 * deputy to the same trade show needed.
 */
import { useMemo, useState } from 'react';
import { checkMeeting } from '../../../shared/analysis';
import type { MapDocument } from '../../../shared/domain';
import type { Lang } from '../../../shared/i18n/errors';
import type { Selection } from '../panels';
import { Item } from './Item';
import type { InsightsStrings } from './strings';

const MAX_RESULTS = 12;

export function MeetingPlanner(props: {
  doc: MapDocument;
  lang: Lang;
  t: InsightsStrings;
  active: string | null;
  onFocus(key: string, sel: Selection): void;
}) {
  const { doc, lang, t } = props;
  const [picked, setPicked] = useState<string[]>([]);
  const [query, setQuery] = useState('');

  const byId = useMemo(() => new Map(doc.people.map((p) => [p.id, p])), [doc.people]);
  // People deleted from the map drop out of the meeting.
  const attendees = useMemo(() => picked.filter((id) => byId.has(id)), [picked, byId]);
  const { people, relations, team, coverage } = doc;
  const { check, warnings } = useMemo(
    () => checkMeeting({ people, relations, team, coverage }, attendees, lang),
    [people, relations, team, coverage, attendees, lang],
  );

  const results = useMemo(() => {
    const q = query.trim().toLowerCase();
    if (!q) return [];
    const chosen = new Set(attendees);
    const out = [];
    for (const p of doc.people) {
      if (chosen.has(p.id)) continue;
      if (`${p.name} ${p.title} ${p.department}`.toLowerCase().includes(q)) out.push(p);
      if (out.length >= MAX_RESULTS) break;
    }
    return out;
  }, [query, doc.people, attendees]);

  const toggle = (id: string) => setPicked((xs) => (xs.includes(id) ? xs.filter((x) => x !== id) : [...xs, id]));

  return (
    <div className="ins-meeting">
      <p className="ins-muted">{t.meetingHint}</p>
      <input
        type="search"
        className="ins-search"
        placeholder={t.meetingSearch}
        aria-label={t.meetingSearch}
        value={query}
        onChange={(e) => setQuery(e.target.value)}
      />
      {query.trim() && (
        <ul className="ins-list ins-results" aria-label={t.meetingPick}>
          {results.length === 0 && <li className="ins-muted">{t.meetingNoMatch}</li>}
          {results.map((p) => (
            <li key={p.id}>
              <label className="ins-check">
                <input type="checkbox" checked={false} onChange={() => toggle(p.id)} />
                <span>
                  {p.name} <span className="ins-muted">{[p.title, p.department].filter(Boolean).join(' · ')}</span>
                </span>
              </label>
            </li>
          ))}
        </ul>
      )}
      {attendees.length === 0 ? (
        <p className="ins-muted">{t.meetingNone}</p>
      ) : (
        <>
          <ul className="ins-chips" aria-label={t.meeting}>
            {attendees.map((id) => {
              const p = byId.get(id)!;
              return (
                <li key={id}>
                  <label className="ins-check ins-chip">
                    <input type="checkbox" checked onChange={() => toggle(id)} />
                    <span>{p.name}</span>
                  </label>
                </li>
              );
            })}
            <li>
              <button type="button" className="ins-link" onClick={() => setPicked([])}>
                {t.meetingClear}
              </button>
            </li>
          </ul>
          <div className="ins-meeting-result" aria-live="polite">
            {warnings.length === 0 ? (
              <p className="ins-ok">{t.meetingClean}</p>
            ) : (
              <ul className="ins-list">
                {warnings.map((w) => {
                  const key = `meet:${w.relations[0]}`;
                  return (
                    <Item key={key} active={props.active === key} onClick={() => props.onFocus(key, { people: w.people.map((p) => p.id), relations: w.relations })}>
                      <span className="ins-sev ins-sev-high">!</span>
                      <span className="ins-flag-text" data-kind="meeting-conflict">
                        {w.message}
                      </span>
                    </Item>
                  );
                })}
              </ul>
            )}
            {check.alliances.length > 0 && (
              <>
                <h4>{t.meetingAllies}</h4>
                <ul className="ins-list">
                  {check.alliances.map((al) => {
                    const key = `ally:${al.id}`;
                    return (
                      <Item key={key} active={props.active === key} onClick={() => props.onFocus(key, { people: [al.a.id, al.b.id], relations: [al.id] })}>
                        <span className="ins-ally">+</span> {al.a.name} · {al.b.name}
                      </Item>
                    );
                  })}
                </ul>
              </>
            )}
          </div>
        </>
      )}
    </div>
  );
}
