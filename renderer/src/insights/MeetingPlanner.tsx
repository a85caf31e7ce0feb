/**
 * The meeting planner: tick who you plan to meet together and see at once which of them are in
 * conflict (and who is allied) — the warning the salesperson who invited a feuding director and
 * deputy to the same trade show needed.
 */
import { useMemo, useState } from 'react';
import { checkMeeting } from '../../../shared/analysis';
import type { MapDocument } from '../../../shared/domain';
import type { Lang } from '../../../shared/i18n/errors';
import { buildIndex, search } from '../../../shared/search';
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
  const members = useMemo(() => new Map(doc.team.map((m) => [m.id, m])), [doc.team]);
  // People (and colleagues) deleted from the map drop out of the meeting.
  const attendees = useMemo(() => picked.filter((id) => byId.has(id) || members.has(id)), [picked, byId, members]);
  const { people, relations, team, coverage } = doc;
  const { check, warnings } = useMemo(
    () => checkMeeting({ people, relations, team, coverage }, attendees, lang),
    [people, relations, team, coverage, attendees, lang],
  );
  // With colleagues in the meeting: the client people none of them covers.
  const uncovered = useMemo(() => {
    const ours = attendees.filter((id) => members.has(id));
    if (!ours.length) return [];
    return attendees.filter((id) => byId.has(id) && !coverage.some((c) => c.personId === id && ours.includes(c.memberId))).map((id) => byId.get(id)!);
  }, [attendees, members, byId, coverage]);

  // The main search's matching (shared/search): name, title, department, pinyin and initials.
  const searching = query.trim() !== '';
  const index = useMemo(
    () => (searching ? buildIndex([...doc.people, ...doc.team.map((m) => ({ id: m.id, name: m.name, title: m.role, department: t.meetingOurs }))]) : null),
    [searching, doc.people, doc.team, t.meetingOurs],
  );
  const results = useMemo(() => {
    if (!index) return [];
    const chosen = new Set(attendees);
    return search(index, query)
      .filter((id) => !chosen.has(id))
      .slice(0, MAX_RESULTS);
  }, [index, query, attendees]);

  const toggle = (id: string) => setPicked((xs) => (xs.includes(id) ? xs.filter((x) => x !== id) : [...xs, id]));
  const describe = (id: string) => {
    const p = byId.get(id);
    if (p) return { name: p.name, sub: [p.title, p.department].filter(Boolean).join(' · '), ours: false };
    const m = members.get(id)!;
    return { name: m.name, sub: [t.meetingOurs, m.role].filter(Boolean).join(' · '), ours: true };
  };

  return (
    <div className="ins-meeting">
      <p className="ins-muted">{t.meetingHint}</p>
      <input
        type="search"
        className="ins-search"
        placeholder={t.meetingSearch}
        aria-label={t.meetingSearch}
        data-testid="meeting-search"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
      />
      {searching && (
        <ul className="ins-list ins-results" aria-label={t.meetingPick} data-testid="meeting-results">
          {results.length === 0 && <li className="ins-muted">{t.meetingNoMatch}</li>}
          {results.map((id) => {
            const d = describe(id);
            return (
              <li key={id} data-id={id}>
                <label className="ins-check">
                  <input type="checkbox" checked={false} onChange={() => toggle(id)} />
                  <span>
                    {d.name} <span className="ins-muted">{d.sub}</span>
                  </span>
                </label>
              </li>
            );
          })}
        </ul>
      )}
      {attendees.length === 0 ? (
        <p className="ins-muted">{t.meetingNone}</p>
      ) : (
        <>
          <ul className="ins-chips" aria-label={t.meeting} data-testid="meeting-attendees">
            {attendees.map((id) => {
              const d = describe(id);
              return (
                <li key={id}>
                  <label className={`ins-check ins-chip${d.ours ? ' ins-chip-ours' : ''}`} title={d.sub}>
                    <input type="checkbox" checked onChange={() => toggle(id)} />
                    <span>{d.name}</span>
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
            {uncovered.length > 0 && (
              <p className="ins-muted" data-testid="meeting-uncovered">
                {t.meetingUncovered} {uncovered.map((p) => p.name).join(lang === 'zh-CN' ? '、' : ', ')}
              </p>
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
