/**
 * Review mode (issue 20): one keystroke (R) walks the stale and unverified facts, most important
 * first (decision makers, the coach, high influence, conflicts), one at a time, the person centred
 * on the map. Each fact takes one key: K keep (still true), C change (then a number picks the new
 * value), D don't know, S skip; Esc stops. It ends with a summary and offers a snapshot named with
 * the date. While it runs it owns the keyboard (a capture listener), so map shortcuts stay quiet.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ATTITUDES, BUILTIN_ROLES, INFLUENCES, type MapDocument } from '../../../shared/domain';
import { reviewQueue, thresholdDays, type Fact } from '../../../shared/evidence';
import { ATTITUDE_LABEL, INFLUENCE_LABEL, RELATION_LABEL, roleName } from '../../../shared/i18n/domain';
import { FACT_LABEL, FRESHNESS_LABEL, ageWords, sourceName } from '../../../shared/i18n/evidence';
import { todayIn, localTimeZone } from '../../../shared/time/dates';
import { relationEdgeId } from '../../../shared/visual/style';
import { call, confirmFacts, edit, updatePerson } from '../store/actions';
import { useStore } from '../store';

/** A line's strength 1–3, or gone. */
const STRENGTHS_OR_GONE = [1, 2, 3, 'gone'] as const;

interface Tally {
  checked: number;
  changed: number;
  unknown: number;
}
interface Choice {
  label: string;
  apply(): Promise<unknown>;
}

/** The values a fact can be changed to, numbered 1…9 on the keyboard. */
function choicesFor(doc: MapDocument, f: Fact, lang: 'en-US' | 'zh-CN', t: (k: string) => string): Choice[] {
  if (f.kind === 'relation') {
    const r = doc.relations.find((x) => x.id === f.id);
    if (!r) return [];
    return STRENGTHS_OR_GONE.map((s) =>
      s === 'gone'
        ? { label: t('edge.delete'), apply: () => edit('relation.delete', { id: r.id }) }
        : { label: t(`strength.${s}`), apply: () => edit('relation.update', { id: r.id, patch: { strength: s } }) },
    );
  }
  const p = doc.people.find((x) => x.id === f.id);
  if (!p) return [];
  switch (f.kind) {
    case 'attitude':
      return ATTITUDES.map((a) => ({ label: ATTITUDE_LABEL[a][lang], apply: () => updatePerson(p.id, { attitude: a }) }));
    case 'influence':
      return INFLUENCES.map((i) => ({ label: INFLUENCE_LABEL[i][lang], apply: () => updatePerson(p.id, { influence: i }) }));
    case 'favours':
      return ['', ...doc.meta.competitors].slice(0, 9).map((c) => ({ label: c || t('person.noCompetitor'), apply: () => updatePerson(p.id, { favours: c }) }));
    case 'roles':
      // One key toggles one built-in role: the roles as they are, but that role added or taken away.
      return BUILTIN_ROLES.map((r) => ({
        label: `${p.roles.includes(r) ? '−' : '+'} ${roleName(r, lang)}`,
        apply: () => updatePerson(p.id, { roles: p.roles.includes(r) ? p.roles.filter((x) => x !== r) : [...p.roles, r] }),
      }));
  }
}

function valueOf(doc: MapDocument, f: Fact, lang: 'en-US' | 'zh-CN', none: string): string {
  if (f.kind === 'relation') {
    const r = doc.relations.find((x) => x.id === f.id);
    if (!r) return none;
    const n = (id: string) => doc.people.find((p) => p.id === id)?.name ?? '?';
    return `${n(r.source)} — ${RELATION_LABEL[r.kind][lang]} — ${n(r.target)}`;
  }
  const p = doc.people.find((x) => x.id === f.id);
  if (!p) return none;
  if (f.kind === 'attitude') return ATTITUDE_LABEL[p.attitude][lang];
  if (f.kind === 'influence') return INFLUENCE_LABEL[p.influence][lang];
  if (f.kind === 'favours') return p.favours || none;
  return p.roles.map((r) => roleName(r, lang)).join(lang === 'zh-CN' ? '、' : ', ') || none;
}

export function ReviewMode() {
  const reviewing = useStore((s) => s.reviewing);
  return reviewing ? <ReviewPanel /> : null;
}

function ReviewPanel() {
  const { t } = useTranslation();
  const lang = useStore((s) => s.lang);
  const doc = useStore((s) => s.doc)!;
  // The queue is fixed when the review starts: facts confirmed along the way do not reshuffle it.
  const queue = useMemo(() => reviewQueue(useStore.getState().doc!, Date.now()), []);
  const [at, setAt] = useState(0);
  const [changing, setChanging] = useState(false);
  const [tally, setTally] = useState<Tally>({ checked: 0, changed: 0, unknown: 0 });
  const [done, setDone] = useState(queue.length === 0);
  const [saved, setSaved] = useState(false);
  const busy = useRef(false);
  const fact = done ? undefined : queue[at];
  const date = todayIn(localTimeZone());
  const snapshotName = t('evidence.snapshotName', { date });

  // Centre the person (or the line) of the current fact.
  useEffect(() => {
    if (!fact) return;
    const s = useStore.getState();
    if (fact.kind === 'relation') {
      s.select({ type: 'relation', id: fact.id });
      s.focus(relationEdgeId(fact.id));
    } else {
      s.select({ type: 'person', id: fact.personId });
      s.focus(fact.personId);
    }
  }, [fact]);

  const next = (add: Partial<Tally>) => {
    setTally((x) => ({ checked: x.checked + (add.checked ?? 0), changed: x.changed + (add.changed ?? 0), unknown: x.unknown + (add.unknown ?? 0) }));
    setChanging(false);
    if (at + 1 >= queue.length) setDone(true);
    else setAt(at + 1);
  };
  const stop = () => {
    const s = useStore.getState();
    s.setReviewing(false);
    s.select(null);
  };
  const run = async (work: () => Promise<unknown>, add: Partial<Tally>) => {
    if (busy.current) return;
    busy.current = true;
    try {
      await work();
      next(add);
    } finally {
      busy.current = false;
    }
  };
  const choices = fact && changing ? choicesFor(doc, fact, lang, t) : [];
  const saveSnapshot = async () => {
    if (saved) return;
    const r = await call('snapshot.create', { name: snapshotName });
    if (r) setSaved(true);
  };

  const keyRef = useRef<(e: KeyboardEvent) => void>(() => undefined);
  keyRef.current = (e: KeyboardEvent) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const k = e.key.toLowerCase();
    const handled = (() => {
      if (k === 'escape') {
        if (changing) setChanging(false);
        else if (done) stop();
        else setDone(true);
        return true;
      }
      if (done) {
        if (k === 'n' || k === 'enter') void saveSnapshot();
        else if (k === 'q') stop();
        else return false;
        return true;
      }
      if (!fact) return false;
      if (changing) {
        const i = Number(k) - 1;
        if (Number.isInteger(i) && choices[i]) {
          void run(() => choices[i]!.apply(), { checked: 1, changed: 1 });
          return true;
        }
        return false;
      }
      switch (k) {
        case 'k':
          void run(() => confirmFacts([{ kind: fact.kind, id: fact.id }]), { checked: 1 });
          return true;
        case 'c':
          setChanging(true);
          return true;
        case 'd':
          next({ checked: 1, unknown: 1 });
          return true;
        case 's':
          next({});
          return true;
      }
      return false;
    })();
    if (handled) {
      e.preventDefault();
      e.stopPropagation();
    } else if (!['tab', 'shift'].includes(k)) e.stopPropagation(); // map shortcuts stay quiet
  };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => keyRef.current(e);
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, []);

  const none = lang === 'zh-CN' ? '（无）' : '(none)';
  if (done)
    return (
      <div className="review-panel" role="dialog" aria-label={t('evidence.summaryTitle')} data-testid="review-summary">
        <h3>{t('evidence.summaryTitle')}</h3>
        <p data-testid="review-summary-line">
          {queue.length === 0 && tally.checked === 0 ? t('evidence.reviewNothing', { days: thresholdDays(doc.meta) }) : t('evidence.summary', { ...tally })}
        </p>
        <div className="review-keys">
          <button type="button" data-testid="review-snapshot" disabled={saved} onClick={() => void saveSnapshot()}>
            <kbd>N</kbd> {saved ? t('evidence.snapshotSaved') : t('evidence.saveSnapshot', { name: snapshotName })}
          </button>
          <button type="button" data-testid="review-close" onClick={stop}>
            <kbd>Esc</kbd> {t('evidence.close')}
          </button>
        </div>
      </div>
    );
  const f = fact!;
  const who = doc.people.find((p) => p.id === f.personId)?.name ?? '';
  return (
    <div className="review-panel" role="dialog" aria-label={t('evidence.review')} data-testid="review-panel" data-fact={`${f.kind}:${f.id}`}>
      <div className="review-head">
        <b data-testid="review-progress">{t('evidence.reviewTitle', { n: at + 1, total: queue.length })}</b>
        <span className={`ev-badge ev-${f.status}`}>{FRESHNESS_LABEL[f.status][lang]}</span>
      </div>
      <div className="review-fact">
        <span className="review-who">{f.kind === 'relation' ? '' : who}</span> <span className="muted">{FACT_LABEL[f.kind][lang]}</span>{' '}
        <b data-testid="review-value">{valueOf(doc, f, lang, none)}</b>
      </div>
      <div className="muted small">
        {sourceName(f.evidence.source, lang)} · {ageWords(f.evidence.verifiedAt !== null, f.age, lang)}
        {f.evidence.verifiedBy ? ` · ${t('evidence.verifiedBy', { name: f.evidence.verifiedBy })}` : ''}
      </div>
      {changing ? (
        <div className="review-choices" data-testid="review-choices">
          <span className="muted small">{t('evidence.changeHint')}</span>
          {choices.map((c, i) => (
            <button key={c.label} type="button" onClick={() => void run(() => c.apply(), { checked: 1, changed: 1 })}>
              <kbd>{i + 1}</kbd> {c.label}
            </button>
          ))}
        </div>
      ) : (
        <div className="review-keys">
          <button type="button" data-testid="review-keep" onClick={() => void run(() => confirmFacts([{ kind: f.kind, id: f.id }]), { checked: 1 })}>
            <kbd>K</kbd> {t('evidence.keep')}
          </button>
          <button type="button" data-testid="review-change" onClick={() => setChanging(true)}>
            <kbd>C</kbd> {t('evidence.change')}
          </button>
          <button type="button" data-testid="review-unknown" onClick={() => next({ checked: 1, unknown: 1 })}>
            <kbd>D</kbd> {t('evidence.unknown')}
          </button>
          <button type="button" data-testid="review-skip" onClick={() => next({})}>
            <kbd>S</kbd> {t('evidence.skip')}
          </button>
          <button type="button" data-testid="review-stop" onClick={() => setDone(true)}>
            <kbd>Esc</kbd> {t('evidence.stop')}
          </button>
        </div>
      )}
    </div>
  );
}
