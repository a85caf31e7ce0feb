/**
 * Insights: red flags first, then the coach (with candidates and a one-click, undoable "mark as
 * coach"), a meeting planner, decision makers, paths, influence ranking, conflicts, coverage and
 * the relationship mix. Everything is computed here from props.doc by shared/analysis, deferred
 * so typing elsewhere never waits for it; clicking an item highlights its people on the map.
 */
import { useCallback, useDeferredValue, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import {
  analyze,
  ATTITUDE_LABEL,
  INFLUENCE_LABEL,
  LEVEL_LABEL,
  RELATIONSHIP_LABEL,
  STAGE_ROLE_NAME,
  STAGE_ROLES,
  STAGE_WEIGHTS,
  type Analysis,
  type PersonRef,
} from '../../../shared/analysis';
import { STAGE_LABEL } from '../../../shared/i18n/domain';
import { ApiError } from '../../../shared/api/errors';
import { ATTITUDES, RELATIONSHIPS, STAGES, type Stage, type StageRole, type StageWeightOverrides } from '../../../shared/domain';
import { describeError, type Lang } from '../../../shared/i18n/errors';
import type { PanelProps, Selection } from '../panels';
import { selectReadOnly, useTeam } from '../team/state';
import { Item } from './Item';
import { MeetingPlanner } from './MeetingPlanner';
import { INSIGHTS_STRINGS, type InsightsStrings } from './strings';
import './insights.css';

/** How many coach candidates get the 'candidate' mark on the map. */
const MARKED_CANDIDATES = 5;
const SHORT_LIST = 8;

const ids = (xs: readonly PersonRef[]) => xs.map((x) => x.id);

export function InsightsPanel(props: PanelProps) {
  const { doc, lang } = props;
  const t = INSIGHTS_STRINGS[lang];
  const live = useDeferredValue(doc);
  const stale = live !== doc;
  const { people, relations, team, coverage, meta } = live;
  // A what-if step (not saved): null is the map's own.
  const [whatIf, setWhatIf] = useState<Stage | null>(null);
  const readOnly = useTeam(selectReadOnly);
  const [showStep, setShowStep] = useState(false);
  const analysis: Analysis = useMemo(
    () => analyze({ people, relations, team, coverage, meta }, { lang, stage: whatIf ?? undefined }),
    [people, relations, team, coverage, meta, lang, whatIf],
  );

  // Props change identity on every render of the window; effects read the latest through a ref.
  const latest = useRef(props);
  useEffect(() => {
    latest.current = props;
  });

  const [active, setActive] = useState<string | null>(null);
  const focus = useCallback(
    (key: string, sel: Selection) => {
      if (active === key) {
        setActive(null);
        latest.current.highlight(null);
      } else {
        setActive(key);
        // A flag about nobody in particular (e.g. "no decision maker") fades nothing.
        latest.current.highlight(sel.people.length || sel.relations.length ? sel : null);
      }
    },
    [active],
  );
  useEffect(() => () => latest.current.highlight(null), []);

  // Candidates carry the 'candidate' mark (a dashed halo when the map shows coaches).
  const markedKey = analysis.coachCandidates
    .slice(0, MARKED_CANDIDATES)
    .map((c) => c.id)
    .join(' ');
  // Chokepoints carry a dashed ring; with "show on the map", who matters now stands out and the rest fades.
  const chokeKey = analysis.chokepoints.map((c) => c.id).join(' ');
  const stepKey = showStep ? analysis.stage.people.map((p) => (p.emphasis === 'normal' ? '' : `${p.id}=${p.emphasis}`)).filter(Boolean).join(' ') : '';
  useEffect(() => {
    const marks: Record<string, string[]> = {};
    const add = (id: string, c: string) => (marks[id] ??= []).push(c);
    for (const id of markedKey ? markedKey.split(' ') : []) add(id, 'candidate');
    for (const id of chokeKey ? chokeKey.split(' ') : []) add(id, 'chokepoint');
    for (const x of stepKey ? stepKey.split(' ') : []) {
      const [id, e] = x.split('=') as [string, string];
      add(id, e === 'now' ? 'stage-now' : 'stage-dim');
    }
    latest.current.mark('insights', marks);
  }, [markedKey, chokeKey, stepKey]);
  useEffect(() => () => latest.current.mark('insights', {}), []);

  // Mark as coach: an ordinary person.update, so the app's undo undoes it; we offer Undo too.
  const [busy, setBusy] = useState<string | null>(null);
  // The failure itself, said when shown (so a language switch says it again in the new language).
  const [failure, setError] = useState<{ e: unknown } | null>(null);
  const error = failure ? (failure.e instanceof ApiError ? describeError(failure.e, lang).message : String((failure.e as Error)?.message ?? failure.e)) : null;
  const [undoable, setUndoable] = useState<{ name: string; rev: number } | null>(null);
  const say = (e: unknown) => setError({ e });
  const markCoach = async (id: string) => {
    const p = latest.current.doc.people.find((x) => x.id === id);
    if (!p || busy) return;
    setBusy(id);
    setError(null);
    try {
      const change = await latest.current.api.call('person.update', {
        id,
        patch: { roles: [...p.roles.filter((r) => r !== 'coach'), 'coach'] },
      });
      latest.current.applyChange(change);
      setUndoable({ name: p.name, rev: change.rev });
    } catch (e) {
      say(e);
    } finally {
      setBusy(null);
    }
  };
  /** The map's own stage weights (null: the documented defaults): an undoable edit of the map. */
  const saveWeights = async (stageWeights: StageWeightOverrides | null) => {
    setError(null);
    try {
      latest.current.applyChange(await latest.current.api.call('map.updateMeta', { stageWeights }));
    } catch (e) {
      say(e);
    }
  };
  /** Ticks a next step off or opens it again: an undoable edit of the map (Ctrl+Z undoes it). */
  const [ticking, setTicking] = useState<Record<string, boolean>>({});
  const tick = async (id: string, done: boolean) => {
    setError(null);
    // The box shows the click at once; the list re-sorts when the edit comes back.
    setTicking((x) => ({ ...x, [id]: done }));
    try {
      latest.current.applyChange(await latest.current.api.call('steps.tick', { id, done }));
    } catch (e) {
      say(e);
    } finally {
      setTicking(({ [id]: _gone, ...rest }) => rest);
    }
  };
  const undo = async () => {
    setError(null);
    try {
      latest.current.applyChange(await latest.current.api.call('history.undo', {}));
    } catch (e) {
      say(e);
    }
    setUndoable(null);
  };

  const a = analysis;
  const labels = {
    attitude: ATTITUDE_LABEL[lang],
    influence: INFLUENCE_LABEL[lang],
  };

  return (
    <div className={`insights${stale ? ' is-stale' : ''}`} lang={lang === 'zh-CN' ? 'zh-CN' : 'en'} aria-busy={stale}>
      <header className="ins-head">
        <h2>{t.title}</h2>
        {stale && <span className="ins-muted">{t.updating}</span>}
      </header>
      {error && (
        <p className="ins-error" role="alert">
          {error}
        </p>
      )}

      <Section id="flags" title={t.redFlags} count={a.redFlags.length} open>
        {a.redFlags.length === 0 ? (
          <p className="ins-muted">{t.noRedFlags}</p>
        ) : (
          <LongList
            t={t}
            items={a.redFlags}
            limit={12}
            render={(f, i) => {
              const key = `flag:${i}:${f.kind}`;
              return (
                <Item key={key} active={active === key} onClick={() => focus(key, { people: ids(f.people), relations: f.relations })}>
                  <span className={`ins-sev ins-sev-${f.severity}`}>{t.severity[f.severity]}</span>
                  <span className="ins-flag-text" data-kind={f.kind}>
                    {f.message}
                  </span>
                </Item>
              );
            }}
          />
        )}
      </Section>

      <Section id="plan" title={t.plan} count={a.nextSteps.length} open>
        {a.nextSteps.length === 0 ? (
          <p className="ins-muted">{t.noPlan}</p>
        ) : (
          <ol className="ins-list ins-plan">
            {a.nextSteps.map((s) => {
              const key = `step:${s.id}`;
              return (
                <li key={key} className={`ins-step${s.done ? ' is-done' : ''}${active === key ? ' is-active' : ''}`} data-testid="next-step" data-step={s.id}>
                  <input
                    type="checkbox"
                    className="ins-step-tick"
                    checked={ticking[s.id] ?? s.done}
                    disabled={readOnly}
                    aria-label={s.done ? t.stepReopen : t.stepTick}
                    title={s.done ? t.stepReopen : t.stepTick}
                    onChange={(e) => void tick(s.id, e.target.checked)}
                  />
                  <button
                    type="button"
                    className="ins-item-btn"
                    aria-pressed={active === key}
                    onClick={() => focus(key, { people: s.path.length ? ids(s.path) : ids(s.people), relations: s.relations })}
                  >
                    <span className="ins-step-text" data-kind={s.kind}>
                      {s.text}
                    </span>
                  </button>
                </li>
              );
            })}
          </ol>
        )}
      </Section>

      <Section id="step" title={t.step} open>
        <label className="ins-step-pick">
          {t.stepWhatIf}{' '}
          <select value={whatIf ?? ''} onChange={(e) => setWhatIf(e.target.value ? (e.target.value as Stage) : null)}>
            <option value="">{t.stepOwn(STAGE_LABEL[meta.stage][lang])}</option>
            {STAGES.map((s) => (
              <option key={s} value={s}>
                {STAGE_LABEL[s][lang]}
              </option>
            ))}
          </select>
        </label>
        <label className="ins-step-pick">
          <input type="checkbox" checked={showStep} onChange={(e) => setShowStep(e.target.checked)} /> {t.stepShow}
        </label>
        <h4>{t.stepWeights}</h4>
        <p className="ins-weights">
          {STAGE_ROLES.map((r) => (
            <span key={r} className={a.stage.weights[r] >= 0.8 ? 'is-now' : a.stage.weights[r] < 0.5 ? 'is-dim' : undefined}>
              {STAGE_ROLE_NAME[lang][r]} {a.stage.weights[r].toFixed(1)}
            </span>
          ))}
        </p>
        <WeightsEditor t={t} lang={lang} stage={a.stage.stage} weights={a.stage.weights} own={meta.stageWeights ?? null} readOnly={readOnly} save={saveWeights} />
        <h4>{t.stepNow}</h4>
        <LongList
          t={t}
          items={a.stage.people.filter((p) => p.emphasis === 'now')}
          limit={SHORT_LIST}
          render={(p) => (
            <Item key={p.id} active={active === `stage:${p.id}`} onClick={() => focus(`stage:${p.id}`, { people: [p.id], relations: [] })}>
              <span className="ins-rank">{p.rank}</span>
              <span className="ins-rank-name">
                {p.name} <span className="ins-muted">{STAGE_ROLE_NAME[lang][p.role]}</span>
              </span>
              <span className="ins-bar" aria-hidden="true">
                <span style={{ width: `${Math.max(2, p.score)}%` }} />
              </span>
              <span className="ins-num">{p.score.toFixed(0)}</span>
            </Item>
          )}
        />
      </Section>

      <Section id="chokepoints" title={t.chokepoints} count={a.chokepoints.length}>
        {a.chokepoints.length === 0 ? (
          <p className="ins-muted">{t.noChokepoints}</p>
        ) : (
          <ul className="ins-list">
            {a.chokepoints.map((c) => (
              <li key={c.id} className="ins-group">
                <div className="ins-group-title">
                  {c.name} <span className="ins-muted">{labels.attitude[c.attitude]}</span>
                </div>
                <ul className="ins-list">
                  {c.cuts.map((x) => {
                    const key = `choke:${c.id}:${x.target.id}`;
                    return (
                      <Item key={key} active={active === key} onClick={() => focus(key, { people: ids(x.example), relations: x.relations })}>
                        {t.cuts(x.through, x.total, x.target.name)} <span className="ins-muted">{x.example.map((p) => p.name).join(' → ')}</span>
                      </Item>
                    );
                  })}
                </ul>
              </li>
            ))}
          </ul>
        )}
      </Section>

      <Section id="roles" title={t.roleTable} count={a.roleCoverage.filter((r) => r.gap).length}>
        <table className="ins-roles">
          <thead>
            <tr>
              <th />
              {ATTITUDES.map((x) => (
                <th key={x}>{labels.attitude[x]}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {a.roleCoverage.map((r) => (
              <tr key={r.role} className={r.gap ? 'is-gap' : undefined}>
                <th>
                  {STAGE_ROLE_NAME[lang][r.role]} <span className="ins-muted">{r.weight.toFixed(1)}</span>
                  {r.gap && <span className="ins-badge">{t.roleGap}</span>}
                </th>
                {r.cells.map((c) => (
                  <td key={c.attitude} className={`cov-${c.cover}`}>
                    {c.people.length > 0 && (
                      <button type="button" className="ins-item-btn" onClick={() => focus(`roles:${r.role}:${c.attitude}`, { people: ids(c.people), relations: [] })}>
                        {c.people.length} · {t.cover[c.cover]}
                      </button>
                    )}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </Section>

      <Section id="coach" title={t.coach} count={a.coaches.length} open>
        <h4>{t.confirmedCoaches}</h4>
        {a.coaches.length === 0 ? (
          <p className="ins-muted">{t.noCoach}</p>
        ) : (
          <ul className="ins-list">
            {a.coaches.map((c) => (
              <Item key={c.id} active={active === `coach:${c.id}`} onClick={() => focus(`coach:${c.id}`, { people: [c.id], relations: [] })}>
                <strong>{c.name}</strong> <span className={`ins-att ins-att-${c.attitude}`}>{labels.attitude[c.attitude]}</span>
              </Item>
            ))}
          </ul>
        )}
        {undoable && doc.rev === undoable.rev && (
          <p className="ins-note" role="status">
            {t.marked(undoable.name)}{' '}
            <button type="button" className="ins-link" onClick={undo}>
              {t.undo}
            </button>
          </p>
        )}
        <h4>{t.candidates}</h4>
        {a.coachCandidates.length === 0 ? (
          <p className="ins-muted">{t.noCandidates}</p>
        ) : (
          <LongList
            t={t}
            items={a.coachCandidates}
            limit={a.coaches.length ? 3 : 5}
            render={(c) => {
              const key = `cand:${c.id}`;
              const others = c.signals.flatMap((s) => ids(s.people));
              return (
                <li key={key} className={`ins-cand${active === key ? ' is-active' : ''}`} data-person={c.id}>
                  <button type="button" className="ins-item-btn" onClick={() => focus(key, { people: [c.id, ...others], relations: [] })}>
                    <span className="ins-cand-head">
                      <strong>{c.name}</strong>
                      <span className="ins-score" title={t.points(c.score)}>
                        {c.score}
                      </span>
                    </span>
                    <ul className="ins-reasons">
                      {c.signals.map((s, i) => (
                        <li key={i} className={s.points < 0 ? 'is-risk' : undefined}>
                          <span className="ins-pts">{t.points(s.points)}</span> {s.text}
                        </li>
                      ))}
                    </ul>
                  </button>
                  <button type="button" className="ins-action" disabled={busy !== null} onClick={() => markCoach(c.id)}>
                    {busy === c.id ? t.marking : t.markCoach}
                  </button>
                </li>
              );
            }}
          />
        )}
        {a.coachAdvice && a.coachAdvice.steps.length > 0 && (
          <div className="ins-advice">
            <h4>{t.nextSteps}</h4>
            <ul>
              {a.coachAdvice.steps.map((s, i) => (
                <li key={i}>{s}</li>
              ))}
            </ul>
          </div>
        )}
      </Section>

      <Section id="meeting" title={t.meeting} open>
        <MeetingPlanner doc={live} lang={lang} t={t} onFocus={focus} active={active} />
      </Section>

      <Section id="dms" title={t.decisionMakers} count={a.decisionMakers.length}>
        {a.decisionMakers.length === 0 ? (
          <p className="ins-muted">{t.noDecisionMakers}</p>
        ) : (
          <LongList
            t={t}
            items={a.decisionMakers}
            limit={SHORT_LIST}
            render={(d) => (
              <Item key={d.id} active={active === `dm:${d.id}`} onClick={() => focus(`dm:${d.id}`, { people: [d.id], relations: [] })}>
                <strong>{d.name}</strong> <span className={`ins-att ins-att-${d.attitude}`}>{labels.attitude[d.attitude]}</span>{' '}
                <span className="ins-muted">
                  {t.influence} {labels.influence[d.influence]} · {t.coveredBy}{' '}
                  {d.coveredBy.length ? d.coveredBy.map((l) => l.name).join(lang === 'zh-CN' ? '、' : ', ') : t.nobody}
                </span>
              </Item>
            )}
          />
        )}
      </Section>

      <Section id="paths" title={t.paths} count={a.pathsToDecisionMakers.length}>
        <LongList
          t={t}
          items={a.pathsToDecisionMakers}
          limit={SHORT_LIST}
          render={(d) => (
            <li key={d.target.id} className="ins-group">
              <div className="ins-group-title">{d.target.name}</div>
              {d.paths.length === 0 ? (
                <p className="ins-muted">{t.noPath}</p>
              ) : (
                <ul className="ins-list">
                  {d.paths.map((p, i) => {
                    const key = `path:${d.target.id}:${i}`;
                    return (
                      <Item key={key} active={active === key} onClick={() => focus(key, { people: ids(p.people), relations: p.relations })}>
                        {p.people.map((x) => x.name).join(' → ')}{' '}
                        <span className="ins-muted">
                          {t.strength} {p.strength.toFixed(2)}
                        </span>
                      </Item>
                    );
                  })}
                </ul>
              )}
            </li>
          )}
        />
      </Section>

      <Section id="ranking" title={t.ranking} count={a.influenceRanking.length}>
        <LongList
          t={t}
          items={a.influenceRanking}
          limit={10}
          render={(r) => {
            const hidden = r.hiddenPower ? a.hiddenPower.find((h) => h.id === r.id) : undefined;
            return (
              <Item key={r.id} active={active === `rank:${r.id}`} onClick={() => focus(`rank:${r.id}`, { people: [r.id], relations: [] })}>
                <span className="ins-rank">{r.rank}</span>
                <span className="ins-rank-name">
                  {r.name}
                  {hidden && (
                    <span className="ins-badge" title={t.hiddenPowerTip(LEVEL_LABEL[lang][hidden.ranksWith])}>
                      {t.hiddenPower}
                    </span>
                  )}
                </span>
                <span className="ins-bar" aria-hidden="true">
                  <span style={{ width: `${Math.max(2, r.score)}%` }} />
                </span>
                <span className="ins-num">{r.score.toFixed(1)}</span>
              </Item>
            );
          }}
        />
      </Section>

      <Section id="conflicts" title={t.conflicts} count={a.conflicts.length}>
        {a.conflicts.length === 0 ? (
          <p className="ins-muted">{t.noConflicts}</p>
        ) : (
          <LongList
            t={t}
            items={a.conflicts}
            limit={SHORT_LIST}
            render={(c) => (
              <Item key={c.id} active={active === `conflict:${c.id}`} onClick={() => focus(`conflict:${c.id}`, { people: [c.a.id, c.b.id], relations: [c.id] })}>
                <strong>{c.a.name}</strong> <span className="ins-conflict">⟷</span> <strong>{c.b.name}</strong>
                {c.note && <span className="ins-muted"> — {c.note}</span>}
              </Item>
            )}
          />
        )}
      </Section>

      <Section id="coverage" title={t.coverage} count={a.coverage.gaps.length}>
        <h4>{t.gaps}</h4>
        {a.coverage.gaps.length === 0 ? (
          <p className="ins-muted">{t.noGaps}</p>
        ) : (
          <LongList
            t={t}
            items={a.coverage.gaps}
            limit={SHORT_LIST}
            render={(g) => (
              <Item key={g.id} active={active === `gap:${g.id}`} onClick={() => focus(`gap:${g.id}`, { people: [g.id], relations: [] })}>
                <strong>{g.name}</strong>{' '}
                <span className="ins-muted">
                  {t.influence} {labels.influence[g.influence]} · {g.maxStrength ? t.weakly : t.nobody}
                </span>
              </Item>
            )}
          />
        )}
        <h4>{t.singleThreaded}</h4>
        <LongList
          t={t}
          items={a.coverage.singleThreaded}
          limit={SHORT_LIST}
          render={(s) => (
            <Item key={s.id} active={active === `single:${s.id}`} onClick={() => focus(`single:${s.id}`, { people: [s.id], relations: [] })}>
              <strong>{s.name}</strong> <span className="ins-muted">← {s.member.name}</span>
            </Item>
          )}
        />
        <h4>{t.ifLeaves}</h4>
        <ul className="ins-list">
          {a.coverage.ifMemberLeaves.map((l) => (
            <Item
              key={l.member.id}
              active={active === `leave:${l.member.id}`}
              onClick={() => focus(`leave:${l.member.id}`, { people: ids(l.uncovered), relations: [] })}
            >
              <strong>{l.member.name}</strong> {t.uncovers}{' '}
              <span className={l.uncoveredKey.length ? 'ins-warn' : 'ins-muted'}>
                {l.uncovered.length ? l.uncovered.map((p) => p.name).join(lang === 'zh-CN' ? '、' : ', ') : t.nothingLost}
              </span>
            </Item>
          ))}
        </ul>
      </Section>

      <Section id="mix" title={t.mix}>
        <p className="ins-muted">{t.mixHint}</p>
        <ul className="ins-list ins-mix">
          {RELATIONSHIPS.map((r) => {
            const xs = a.relationshipMix.key[r];
            const total = Math.max(1, Object.values(a.relationshipMix.key).reduce((s, v) => s + v.length, 0));
            return (
              <Item key={r} active={active === `mix:${r}`} onClick={() => focus(`mix:${r}`, { people: ids(xs), relations: [] })}>
                <span className="ins-rank-name">{RELATIONSHIP_LABEL[lang][r]}</span>
                <span className={`ins-bar ins-bar-${r}`} aria-hidden="true">
                  <span style={{ width: `${(100 * xs.length) / total}%` }} />
                </span>
                <span className="ins-num">{xs.length}</span>
              </Item>
            );
          })}
        </ul>
      </Section>
    </div>
  );
}

function Section(props: { id: string; title: string; count?: number; open?: boolean; children: ReactNode }) {
  return (
    <details className="ins-section" data-section={props.id} open={props.open}>
      <summary>
        <span>{props.title}</span>
        {props.count !== undefined && <span className="ins-count">{props.count}</span>}
      </summary>
      <div className="ins-body">{props.children}</div>
    </details>
  );
}

/** A list that shows the first few and expands on request (a 10,000-person map has long lists). */
function LongList<X>(props: { items: readonly X[]; limit: number; t: InsightsStrings; render: (x: X, i: number) => ReactNode }) {
  const [all, setAll] = useState(false);
  const cap = all ? Math.min(props.items.length, 500) : props.limit;
  const shown = props.items.slice(0, cap);
  return (
    <>
      <ul className="ins-list">{shown.map((x, i) => props.render(x, i))}</ul>
      {props.items.length > props.limit && (
        <button type="button" className="ins-link" onClick={() => setAll(!all)}>
          {all ? props.t.showFewer : props.t.showAll(props.items.length)}
        </button>
      )}
      {all && props.items.length > cap && <p className="ins-muted">{props.t.more(props.items.length - cap)}</p>}
    </>
  );
}

/**
 * The map's own weights for one step (issue 21): a number per role, 0–1, saved on change; each
 * cell set to its default is dropped, and "Reset to defaults" drops the map's weights altogether.
 */
function WeightsEditor(props: {
  t: InsightsStrings;
  lang: Lang;
  stage: Stage;
  weights: Record<StageRole, number>;
  own: StageWeightOverrides | null;
  readOnly: boolean;
  save(w: StageWeightOverrides | null): void;
}) {
  const { t, lang, stage, own } = props;
  const set = (role: StageRole, value: number) => {
    const next: StageWeightOverrides = { ...(own ?? {}) };
    const cells = { ...(next[stage] ?? {}) };
    if (Math.abs(value - STAGE_WEIGHTS[stage][role]) < 1e-9) delete cells[role];
    else cells[role] = value;
    if (Object.keys(cells).length) next[stage] = cells;
    else delete next[stage];
    props.save(Object.keys(next).length ? next : null);
  };
  return (
    <details className="ins-weights-edit" data-testid="weights-editor">
      <summary>{t.weightsEdit}</summary>
      <div className="ins-weights-grid">
        {STAGE_ROLES.map((r) => (
          <label key={r}>
            <span>{STAGE_ROLE_NAME[lang][r]}</span>
            <input
              type="number"
              min={0}
              max={1}
              step={0.1}
              disabled={props.readOnly}
              data-testid={`weight-${r}`}
              value={props.weights[r]}
              onChange={(e) => {
                const v = Number(e.target.value);
                if (e.target.value !== '' && Number.isFinite(v) && v >= 0 && v <= 1) set(r, Math.round(v * 100) / 100);
              }}
            />
            {own?.[stage]?.[r] !== undefined && <span className="ins-muted">{t.weightsDefault(STAGE_WEIGHTS[stage][r].toFixed(1))}</span>}
          </label>
        ))}
      </div>
      <button type="button" disabled={props.readOnly || !own} onClick={() => props.save(null)} data-testid="weights-reset">
        {t.weightsReset}
      </button>
      <p className="ins-muted">{t.weightsHint}</p>
    </details>
  );
}
