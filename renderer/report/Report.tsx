/**
 * The deal-review report: cover, the map with its legend, the stakeholder table, red flags and
 * conflicts, and — only when asked — personal details. Printed on A4 or A3 landscape; page numbers
 * come from CSS page-margin boxes, so both print engines number pages the same way. Every name and
 * note is rendered as text (React escapes it), never as markup.
 */
import { factAge, freshness, thresholdDays, verifiedShare, type Evidence } from '../../shared/evidence';
import { FRESHNESS_LABEL, ageShort, sourceName, verifiedShareLine } from '../../shared/i18n/evidence';
import { STEP_NAME, type Analysis, type Severity } from '../../shared/analysis';
import type { ReportData } from '../../shared/api/exchange';
import { ATTITUDES, ATTITUDE_SCORE, INFLUENCE_SCORE, PIPL_SENSITIVE_FIELDS, PROFILE_FIELDS, type Person } from '../../shared/domain';
import { relationshipWord } from '../../shared/exchange/map-data';
import { FONT_STACK } from '../../shared/fonts';
import type { ReportOptions } from '../../shared/exchange/report-options';
import {
  ATTITUDE_LABEL,
  INFLUENCE_LABEL,
  POSTURE_LABEL,
  PROFILE_FIELD_LABEL,
  RELATIONSHIP_LABEL,
  STAGE_LABEL,
  roleName,
} from '../../shared/i18n/domain';
import { ATTITUDE_FILL } from '../../shared/visual/style';
import { MapPage, type MapPageProps } from './MapPage';
import { STRINGS } from './strings';

export interface ReportProps {
  data: ReportData;
  analysis: Analysis;
  options: ReportOptions;
  /** The map page (or, for a map too large for one page, the overview and the departments' pages), and the coverage page when asked for. */
  mapPages: MapPageProps[];
  coveragePage?: MapPageProps | null;
  /** "Changes since <snapshot>" (null: not asked for). */
  changes?: ReportChanges | null;
}

export interface ReportChanges {
  name: string;
  takenAt: string | null;
  groups: { title: string; lines: string[] }[];
}

/** A CSS string literal that holds any text safely (every non-alphanumeric escaped). */
const cssString = (s: string) => `"${Array.from(s, (c) => (/[A-Za-z0-9 ]/.test(c) ? c : `\\${c.codePointAt(0)!.toString(16)} `)).join('')}"`;

const PAGE = { A4: { w: 297, h: 210 }, A3: { w: 420, h: 297 } } as const;

export function pageCss(o: ReportOptions, footer: string): string {
  const p = PAGE[o.pageSize];
  // Content height of a landscape page: minus top (12 mm) and bottom (14 mm) margins.
  const contentH = p.h - 26;
  return `
@page {
  size: ${o.pageSize} landscape;
  margin: 12mm 12mm 14mm 12mm;
  @bottom-left { content: ${cssString(footer)}; font-family: ${FONT_STACK}; font-size: 7.5pt; color: #5f6b7a; }
  @bottom-right { content: counter(page) " / " counter(pages); font-family: ${FONT_STACK}; font-size: 7.5pt; color: #5f6b7a; }
}
:root { --content-h: ${contentH}mm; --page-w: ${p.w - 24}mm; --legend-w: ${o.pageSize === 'A3' ? 72 : 52}mm; }
`;
}

const fmtDate = (iso: string, lang: ReportOptions['lang']) => {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleDateString(lang, { year: 'numeric', month: 'long', day: 'numeric' });
};

function sortPeople(people: Person[]): Person[] {
  const dm = (p: Person) => (p.roles.includes('decision-maker') ? 0 : 1);
  return [...people].sort(
    (a, b) => dm(a) - dm(b) || INFLUENCE_SCORE[b.influence] - INFLUENCE_SCORE[a.influence] || a.name.localeCompare(b.name) || a.id.localeCompare(b.id),
  );
}

const SEVERITY_CLASS: Record<Severity, string> = { high: 'sev-high', medium: 'sev-medium', low: 'sev-low' };

export function Report({ data, analysis, options, mapPages, coveragePage, changes }: ReportProps) {
  const lang = options.lang;
  const t = STRINGS[lang];
  const m = data.meta;
  const memberName = new Map(data.team.map((x) => [x.id, x.name]));
  const coveredBy = new Map<string, string[]>();
  for (const c of data.coverage) {
    const name = memberName.get(c.memberId);
    if (name !== undefined) coveredBy.set(c.personId, [...(coveredBy.get(c.personId) ?? []), `${name} (${t.strength[c.strength]})`]);
  }
  // How we know (issue 20): as of the report's date, against the map's threshold.
  const now = Date.parse(data.generatedAt) || Date.now();
  const days = thresholdDays(m);
  const share = verifiedShare(data, now, days);
  const evidenceNote = (e: Evidence, testId: string) => {
    const status = freshness(e, now, days);
    return (
      <span className={`evidence ev-${status}`} data-testid={testId}>
        {status === 'fresh' ? '' : status === 'stale' ? '⚠ ' : '? '}
        {sourceName(e.source, lang)} · {ageShort(factAge(e, now), lang)}
        {status === 'fresh' ? '' : ` · ${FRESHNESS_LABEL[status][lang]}`}
      </span>
    );
  };
  const forUs = data.people.filter((p) => ATTITUDE_SCORE[p.attitude] > 0).length;
  const against = data.people.filter((p) => ATTITUDE_SCORE[p.attitude] < 0).length;
  const heading = [m.account, m.deal].filter(Boolean).join(' — ') || data.fileName;
  const profiles = data.profiles ?? null;
  const withProfile = profiles
    ? sortPeople(data.people).filter((p) => PROFILE_FIELDS.some((f) => (profiles[p.id]?.[f] ?? '').trim() !== ''))
    : [];

  // The cover is one page whatever the map's size (the map pages' references count on it):
  // long lists name the first few and say how many more the stakeholder table holds.
  const COVER_NAMES = 8;
  const some = (names: string[]) =>
    names.length <= COVER_NAMES ? names.join(', ') : `${names.slice(0, COVER_NAMES).join(', ')} ${t.andMore(names.length - COVER_NAMES)}`;

  return (
    <>
      <style>{pageCss(options, `${heading} · ${t.title}`)}</style>
      <section className="page cover">
        <p className="kicker">{t.title}</p>
        <h1>{m.account || data.fileName}</h1>
        {m.deal && <p className="deal">{m.deal}</p>}
        <dl className="facts">
          <dt>{t.stage}</dt>
          <dd>{STAGE_LABEL[m.stage][lang]}</dd>
          <dt>{t.posture}</dt>
          <dd>
            {POSTURE_LABEL[m.posture][lang]}
            {m.incumbent ? ` · ${t.rebid}` : ''}
          </dd>
          <dt>{t.competitors}</dt>
          <dd>{m.competitors.length ? m.competitors.join(lang === 'zh-CN' ? '、' : ', ') : t.none}</dd>
          {m.budget && (
            <>
              <dt>{t.budget}</dt>
              <dd>{m.budget}</dd>
            </>
          )}
          {m.timeline && (
            <>
              <dt>{t.timeline}</dt>
              <dd>{m.timeline}</dd>
            </>
          )}
          <dt>{t.date}</dt>
          <dd>{fmtDate(data.generatedAt, lang)}</dd>
        </dl>
        <div className="glance">
          <h2>{t.summary}</h2>
          <p>
            <strong>{data.people.length}</strong> {t.people} · <strong>{forUs}</strong> {t.forUs} · <strong>{against}</strong> {t.againstUs} ·{' '}
            <strong>{analysis.redFlags.length}</strong> {t.redFlagCount}
          </p>
          <p className="verified-share" data-testid="report-verified-share">
            {verifiedShareLine(share.fresh, share.total, share.days, lang)}
          </p>
          <p>
            {t.coaches}: {analysis.coaches.length ? some(analysis.coaches.map((c) => c.name)) : t.noCoach}
          </p>
          <p>
            {t.decisionMakers}:{' '}
            {analysis.decisionMakers.length
              ? some(analysis.decisionMakers.map((d) => `${d.name} (${ATTITUDE_LABEL[d.attitude][lang]})`))
              : t.none}
          </p>
        </div>
        <p className={profiles ? 'privacy included' : 'privacy'}>{profiles ? t.personalIncluded : t.personalExcluded}</p>
      </section>

      {mapPages.map((p, i) => (
        <MapPage key={i} {...p} />
      ))}

      <section className="page stakeholders">
        <h2>{t.stakeholders}</h2>
        <table>
          <thead>
            <tr>
              <th>{t.name}</th>
              <th>{t.titleCol}</th>
              <th>{t.department}</th>
              <th>{t.roles}</th>
              <th>{t.attitude}</th>
              <th>{t.influence}</th>
              <th>{t.relationship}</th>
              <th>{t.coveredBy}</th>
              <th>{t.lastContact}</th>
            </tr>
          </thead>
          <tbody>
            {sortPeople(data.people).map((p) => (
              <tr key={p.id}>
                <td className="name">{p.name}</td>
                <td>{p.title}</td>
                <td>{p.department}</td>
                <td>
                  {p.roles.map((r) => roleName(r, lang)).join(lang === 'zh-CN' ? '、' : ', ')}
                  {p.evidence && (p.roles.length > 0 || p.evidence.roles.verifiedAt !== null) ? evidenceNote(p.evidence.roles, 'report-ev-roles') : null}
                </td>
                <td>
                  <span className="dot" style={{ background: ATTITUDE_FILL[p.attitude] }} />
                  {ATTITUDE_LABEL[p.attitude][lang]}
                  {p.favours ? (
                    <span className="favours">
                      {' '}
                      · {t.favours} {p.favours}
                    </span>
                  ) : null}
                  {p.evidence ? evidenceNote(p.evidence.attitude, 'report-ev-attitude') : null}
                </td>
                <td>{INFLUENCE_LABEL[p.influence][lang]}</td>
                <td>{RELATIONSHIP_LABEL[relationshipWord(p)][lang]}</td>
                <td>{(coveredBy.get(p.id) ?? []).join(', ') || t.none}</td>
                <td className="nowrap">{p.lastContact ?? t.none}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      {coveragePage && <MapPage {...coveragePage} />}

      <section className="page flags">
        <h2>{t.redFlags}</h2>
        {analysis.redFlags.length === 0 ? (
          <p>{t.noRedFlags}</p>
        ) : (
          <ol className="redflags">
            {analysis.redFlags.map((f, i) => (
              <li key={i}>
                <span className={`sev ${SEVERITY_CLASS[f.severity]}`}>{t.severity[f.severity]}</span> {f.message}
              </li>
            ))}
          </ol>
        )}
        {analysis.coaches.length === 0 && analysis.coachCandidates.length > 0 && (
          <>
            <h2>{t.coachCandidates}</h2>
            <ol className="candidates" data-testid="report-coach-candidates">
              {analysis.coachCandidates.slice(0, 5).map((c) => (
                <li key={c.id}>
                  <strong>{c.name}</strong> <span className="muted">({t.score} {c.score})</span> — {c.reasons.join('; ')}
                </li>
              ))}
            </ol>
          </>
        )}
        {analysis.coaches.length === 0 && analysis.coachAdvice && (
          <>
            <h2>{t.nextSteps}</h2>
            <ul className="advice">
              {analysis.coachAdvice.steps.map((step, i) => (
                <li key={i}>{step}</li>
              ))}
            </ul>
          </>
        )}
        <h2>{t.conflicts}</h2>
        {analysis.conflicts.length === 0 ? (
          <p>{t.noConflicts}</p>
        ) : (
          <ul className="conflicts">
            {analysis.conflicts.map((c) => (
              <li key={c.id}>
                <strong>{c.a.name}</strong> ↔ <strong>{c.b.name}</strong> <span className="muted">({t.strength[c.strength]})</span>
                {c.note ? <span className="note"> — {c.note}</span> : null}
              </li>
            ))}
          </ul>
        )}
        <h2>{t.roleCoverage}</h2>
        <p className="muted">{t.roleCoverageSub}</p>
        <table className="roles" data-testid="report-role-coverage">
          <thead>
            <tr>
              <th />
              {ATTITUDES.map((x) => (
                <th key={x}>{ATTITUDE_LABEL[x][lang]}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {analysis.roleCoverage.map((r) => (
              <tr key={r.role} className={r.gap ? 'gap' : undefined}>
                <th>
                  {roleName(r.role, lang)} <span className="muted">({r.weight.toFixed(1)})</span>
                  {r.gap ? <span className="gap-tag"> {t.gap}</span> : null}
                </th>
                {r.cells.map((c) => (
                  <td key={c.attitude} className={`cov-${c.cover}`}>
                    {c.people.map((p) => p.name).join(lang === 'zh-CN' ? '、' : ', ')}
                    {c.people.length ? <div className="muted">{t.cover[c.cover]}</div> : null}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
        {analysis.chokepoints.length > 0 && (
          <>
            <h2>{t.chokepoints}</h2>
            <ul className="conflicts">
              {analysis.chokepoints.slice(0, 5).map((c) => (
                <li key={c.id}>
                  <strong>{c.name}</strong> <span className="muted">({ATTITUDE_LABEL[c.attitude][lang]})</span> —{' '}
                  {c.cuts.map((x) => `${t.cuts(x.through, x.total, x.target.name)} (${x.example.map((p) => p.name).join(' → ')})`).join(lang === 'zh-CN' ? '；' : '; ')}
                </li>
              ))}
            </ul>
          </>
        )}
      </section>

      {changes && (
        <section className="page changes" data-testid="report-changes">
          <h2>
            {t.changesSince} “{changes.name}”{changes.takenAt ? <span className="sub">{changes.takenAt.slice(0, 10)}</span> : null}
          </h2>
          {changes.groups.length === 0 && <p>{t.noChanges}</p>}
          {changes.groups.map((g) => (
            <div key={g.title}>
              <h3>{g.title}</h3>
              <ul>
                {g.lines.map((line, i) => (
                  <li key={i}>{line}</li>
                ))}
              </ul>
            </div>
          ))}
        </section>
      )}

      {profiles && (
        <section className="page personal">
          <h2>{t.personal}</h2>
          <p className="privacy included">{t.personalIncluded}</p>
          {withProfile.length === 0 && <p>{t.noPersonal}</p>}
          {withProfile.map((p) => (
            <div className="profile" key={p.id}>
              <h3>{p.name}</h3>
              <dl>
                {PROFILE_FIELDS.filter((f) => (profiles[p.id]?.[f] ?? '').trim() !== '').map((f) => (
                  <div key={f} className="field">
                    <dt>
                      {PROFILE_FIELD_LABEL[f][lang]}
                      {PIPL_SENSITIVE_FIELDS.includes(f) ? <span className="sensitive"> · {t.sensitive}</span> : null}
                    </dt>
                    <dd>{profiles[p.id]![f]}</dd>
                  </div>
                ))}
              </dl>
            </div>
          ))}
        </section>
      )}

      <section className="page plan" data-testid="report-plan">
        <h2>
          {t.plan}
          <span className="sub">{t.planSub(STEP_NAME[lang][analysis.stage.stage])}</span>
        </h2>
        {analysis.nextSteps.length === 0 ? (
          <p>{t.noRedFlags}</p>
        ) : (
          <ol className="plan-steps">
            {analysis.nextSteps.map((s) => (
              <li key={s.id} className={s.done ? 'done' : undefined} data-step={s.id}>
                <span className="box" aria-hidden="true" /> <span className="text">{s.text}</span>
                {s.done && <span className="done-mark"> ({t.stepDone})</span>}
              </li>
            ))}
          </ol>
        )}
      </section>
    </>
  );
}
