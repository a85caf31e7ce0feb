/**
 * "Who changed what" on a team map (in the History tab): maps.history's steps, newest first —
 * who, when, the step's name in the UI language (shared/i18n/history.ts), and for each row it
 * changed the fields before and after. Read again whenever the map's revision moves.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { HistoryEntry } from '../../../shared/api/team';
import { decodeEditLabel, editLabelText } from '../../../shared/i18n/history';
import { useStore } from '../store';
import { teamHistory } from './actions';
import { useTeam } from './state';
import { saidValue as said } from './values';
import { when } from './TeamWelcome';

const SKIP = new Set(['id', 'created_at', 'updated_at', 'person_id', 'member_id', 'node_id', 'layout']);

type Row = Record<string, string | number | null>;

function diff(b: Row | null, a: Row | null): { field: string; was: string; now: string }[] {
  const keys = new Set([...Object.keys(b ?? {}), ...Object.keys(a ?? {})]);
  const out: { field: string; was: string; now: string }[] = [];
  for (const k of keys) {
    // Bookkeeping, and each fact's evidence stamp (shown in the person's panel, not as a raw record).
    if (SKIP.has(k) || k === 'evidence' || k.startsWith('ev_')) continue;
    const was = b?.[k] ?? null;
    const now = a?.[k] ?? null;
    if (b && a && was === now) continue;
    // A row added or removed: only the fields it had.
    if ((!b || !a) && (was ?? now ?? '') === '') continue;
    if ((!b || !a) && String(was ?? now) === '[]') continue;
    out.push({ field: k, was: was === null ? '' : String(was), now: now === null ? '' : String(now) });
  }
  return out;
}

export function TeamHistory() {
  const { t } = useTranslation();
  const lang = useStore((s) => s.lang);
  const rev = useStore((s) => s.doc?.rev ?? 0);
  const map = useTeam((s) => s.map);
  const me = useTeam((s) => s.user);
  const [steps, setSteps] = useState<HistoryEntry[] | null>(null);
  const [open, setOpen] = useState<number | null>(null);

  useEffect(() => {
    if (!map) return;
    let live = true;
    const id = setTimeout(() => {
      void teamHistory(map.id).then((h) => live && h && setSteps(h));
    }, 150);
    return () => {
      live = false;
      clearTimeout(id);
    };
  }, [map, rev]);
  if (!map) return null;

  const field = (f: string) => t(`team.fields.${f}`, { defaultValue: f });
  return (
    <section className="team-history" data-testid="team-history" aria-label={t('team.history')}>
      <h3>{t('team.history')}</h3>
      {steps === null ? (
        <p className="muted small">{t('app.loading')}</p>
      ) : steps.length === 0 ? (
        <p className="muted small">{t('team.historyEmpty')}</p>
      ) : (
        <ol className="team-steps">
          {steps.map((s) => (
            <li key={s.seq} className={s.undone ? 'undone' : ''} data-testid="team-step">
              <button type="button" className="link step-head" aria-expanded={open === s.seq} onClick={() => setOpen(open === s.seq ? null : s.seq)}>
                <b data-testid="team-step-label">{editLabelText(decodeEditLabel(s.label), lang)}</b>
                {s.undone && <span className="muted small"> · {t('team.historyUndone')}</span>}
              </button>
              <div className="muted small" data-testid="team-step-who">
                {t('team.stepBy', { name: !s.by ? t('team.someoneStart') : s.by.id === me?.id ? t('team.youStart') : s.by.name, when: when(s.at, lang) })}
              </div>
              {open === s.seq && (
                <table className="step-diff small">
                  <tbody>
                    {s.changes.flatMap((c, i) =>
                      diff(c.b, c.a).map((d) => (
                        <tr key={`${i}:${d.field}`}>
                          <th>{field(d.field)}</th>
                          <td className="was">{said(d.field, d.was, lang, t('team.yes'), t('team.no')) || '—'}</td>
                          <td aria-hidden="true">→</td>
                          <td className="now">{said(d.field, d.now, lang, t('team.yes'), t('team.no')) || '—'}</td>
                        </tr>
                      )),
                    )}
                  </tbody>
                </table>
              )}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
