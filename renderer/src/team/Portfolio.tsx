/**
 * The manager's portfolio (issue 19 item 4): every team map the user can see, one row per deal —
 * client, deal, stage, our posture, owner, people, the review's red flags, last edited and by
 * whom. Sortable (click a heading), filterable (text, stage, flagged only); a click on a row opens
 * the map; the list as it is shown exports as CSV and as a one-page PDF (landscape A4). The rows
 * come from the server's `portfolio.list`, which reads each map's flags off the same analysis the
 * map itself shows.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../shared/api';
import type { PortfolioRow } from '../../../shared/api/team-sync';
import { STAGES } from '../../../shared/domain';
import { STAGE_LABEL } from '../../../shared/i18n/domain';
import { api, teamApi } from '../api/client';
import { LangThemeSwitch } from '../components/Toolbar';
import { reportError } from '../store/errors';
import { useStore } from '../store';
import { openTeamMap } from './actions';
import { editedWord, flagWords, portfolioSheetCsv, postureWord, stageWord, viewRows, type Filter, type Sort, type SortKey } from '../../../shared/exchange/portfolio-sheet';
import { DbDownBanner } from './TeamBar';
import { useTeam } from './state';
import { UserMenu } from './TeamWelcome';

declare global {
  interface Window {
    /** End-to-end tests: the rows shown, in order. */
    __powermapPortfolio?: { rows: () => PortfolioRow[] };
  }
}

const COLUMNS: { key: SortKey; label: string; num?: boolean }[] = [
  { key: 'client', label: 'desk.colClient' },
  { key: 'deal', label: 'desk.colDeal' },
  { key: 'stage', label: 'desk.colStage' },
  { key: 'posture', label: 'desk.colPosture' },
  { key: 'owner', label: 'desk.colOwner' },
  { key: 'people', label: 'desk.colPeople', num: true },
  { key: 'flags', label: 'desk.colFlags' },
  { key: 'edited', label: 'desk.colEdited' },
];

function download(name: string, type: string, body: BlobPart): void {
  const url = URL.createObjectURL(new Blob([body], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

const stamp = () => new Date().toISOString().slice(0, 10);

export function Portfolio() {
  const { t } = useTranslation();
  const lang = useStore((s) => s.lang);
  const me = useTeam((s) => s.user);
  const [rows, setRows] = useState<PortfolioRow[] | null>(null);
  const [sort, setSort] = useState<Sort>({ key: 'edited', dir: 'desc' });
  const [filter, setFilter] = useState<Filter>({ text: '', stage: '', flaggedOnly: false });
  const [note, setNote] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setRows(await teamApi.call('portfolio.list', { lang }));
    } catch (e) {
      reportError(e);
      setRows([]);
    }
  }, [lang]);
  useEffect(() => {
    void load();
  }, [load]);

  const shown = useMemo(() => viewRows(rows ?? [], sort, filter, lang), [rows, sort, filter, lang]);
  useEffect(() => {
    window.__powermapPortfolio = { rows: () => shown };
  }, [shown]);

  const sortBy = (key: SortKey) =>
    setSort((s) => (s.key === key ? { key, dir: s.dir === 'asc' ? 'desc' : 'asc' } : { key, dir: key === 'people' || key === 'flags' || key === 'edited' ? 'desc' : 'asc' }));
  const back = () => useTeam.getState().set({ portfolio: false });
  const open = async (id: string) => {
    if (await openTeamMap(id)) back();
  };

  const exportCsv = async () => {
    const csv = portfolioSheetCsv(shown, lang);
    const name = `portfolio-${stamp()}.csv`;
    if (window.powermap) {
      // The desktop app: a native save dialog, written by the main side.
      try {
        const path = await api.call('host.pickSavePath', { suggestedName: name });
        if (!path) return;
        const r = await api.call('exchange.exportPortfolio', { format: 'csv', path, lang, rows: shown, overwrite: true });
        setNote(t('desk.saved', { path: r.files[0] ?? path }));
      } catch (e) {
        reportError(e);
      }
      return;
    }
    download(name, 'text/csv;charset=utf-8', csv);
  };
  const exportPdf = async () => {
    if (window.powermap) {
      try {
        const path = await api.call('host.pickSavePath', { suggestedName: `portfolio-${stamp()}.pdf` });
        if (!path) return;
        const r = await api.call('exchange.exportPortfolio', { format: 'pdf', path, lang, rows: shown, overwrite: true });
        setNote(t('desk.saved', { path: r.files[0] ?? path }));
      } catch (e) {
        if (e instanceof ApiError) reportError(e);
        else throw e;
      }
      return;
    }
    // The team server's page: the browser prints the same one-page sheet (print.css: A4 landscape).
    window.print();
  };

  return (
    <main className="welcome portfolio" data-testid="portfolio">
      <header className="welcome-head">
        <h1>
          <span className="logo" aria-hidden="true">◆</span> {t('desk.portfolio')}
        </h1>
        <button type="button" className="link no-print" data-testid="portfolio-back" onClick={back}>
          {t('desk.backToMaps')}
        </button>
        <span className="team-head-end no-print">
          {!window.powermap && <UserMenu />}
          <LangThemeSwitch />
        </span>
      </header>
      <DbDownBanner />
      <p className="muted small">{t('desk.portfolioHint')}</p>
      <div className="portfolio-tools no-print">
        <input
          type="search"
          data-testid="portfolio-filter"
          aria-label={t('desk.filter')}
          placeholder={t('desk.filter')}
          value={filter.text}
          onChange={(e) => setFilter({ ...filter, text: e.target.value })}
        />
        <select data-testid="portfolio-stage" aria-label={t('desk.colStage')} value={filter.stage} onChange={(e) => setFilter({ ...filter, stage: e.target.value })}>
          <option value="">{t('desk.allStages')}</option>
          {STAGES.map((s) => (
            <option key={s} value={s}>
              {STAGE_LABEL[s][lang]}
            </option>
          ))}
        </select>
        <label className="inline-check">
          <input type="checkbox" data-testid="portfolio-flagged" checked={filter.flaggedOnly} onChange={(e) => setFilter({ ...filter, flaggedOnly: e.target.checked })} />
          {t('desk.flaggedOnly')}
        </label>
        <span className="muted small" data-testid="portfolio-count">
          {t('desk.dealCount', { shown: shown.length, total: rows?.length ?? 0 })}
        </span>
        <span className="spacer" />
        <button type="button" data-testid="portfolio-csv" disabled={!shown.length} onClick={() => void exportCsv()}>
          {t('desk.exportCsv')}
        </button>
        <button type="button" data-testid="portfolio-pdf" disabled={!shown.length} onClick={() => void exportPdf()}>
          {t('desk.exportPdf')}
        </button>
      </div>
      {note && (
        <p className="muted small no-print" role="status" data-testid="portfolio-note">
          {note}
        </p>
      )}
      {rows === null ? (
        <p className="muted small">{t('app.loading')}</p>
      ) : (
        <PortfolioTable rows={shown} sort={sort} onSort={sortBy} onOpen={(id) => void open(id)} meId={me?.id} you={t('team.you')} />
      )}
      {rows !== null && shown.length === 0 && (
        <p className="muted small" data-testid="portfolio-empty">
          {rows.length ? t('desk.noneMatch') : t('team.noMaps')}
        </p>
      )}
    </main>
  );
}

/** The table itself (the page's, and the one-page print's with no onOpen/onSort). */
export function PortfolioTable(props: { rows: PortfolioRow[]; sort?: Sort; onSort?: (k: SortKey) => void; onOpen?: (id: string) => void; meId?: string; you: string }) {
  const { t } = useTranslation();
  const lang = useStore((s) => s.lang);
  const { rows, sort } = props;
  return (
    <table className="portfolio-table" data-testid="portfolio-table">
      <thead>
        <tr>
          {COLUMNS.map((c) => (
            <th
              key={c.key}
              className={c.num ? 'num' : undefined}
              aria-sort={sort?.key === c.key ? (sort.dir === 'asc' ? 'ascending' : 'descending') : undefined}
            >
              {props.onSort ? (
                <button type="button" className="link sort" data-testid={`sort-${c.key}`} onClick={() => props.onSort!(c.key)}>
                  {t(c.label)}
                  <span aria-hidden="true">{sort?.key === c.key ? (sort.dir === 'asc' ? ' ▲' : ' ▼') : ''}</span>
                </button>
              ) : (
                t(c.label)
              )}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => {
          const flags = flagWords(r, lang);
          return (
            <tr
              key={r.mapId}
              data-testid="portfolio-row"
              data-map-id={r.mapId}
              data-flags={flags.map((f) => f.kind).join(' ')}
              className={props.onOpen ? 'clickable' : undefined}
              tabIndex={props.onOpen ? 0 : undefined}
              onClick={() => props.onOpen?.(r.mapId)}
              onKeyDown={(e) => {
                if (e.key === 'Enter') props.onOpen?.(r.mapId);
              }}
            >
              <td className="client">
                <strong>{r.client || r.name}</strong>
                {r.client && !r.name.toLocaleLowerCase().includes(r.client.toLocaleLowerCase()) && <span className="muted small"> · {r.name}</span>}
              </td>
              <td>{r.deal}</td>
              <td className="nowrap">{stageWord(r, lang)}</td>
              <td className={`posture posture-${r.posture}`}>{postureWord(r, lang)}</td>
              <td>{r.owner.id === props.meId ? props.you : r.owner.name || r.owner.email}</td>
              <td className="num">{r.people}</td>
              <td className="flags">
                {flags.length === 0 ? (
                  <span className="muted">—</span>
                ) : (
                  <ul>
                    {flags.map((f, i) => (
                      <li key={i} className={`flag flag-${f.kind}`}>
                        {f.text}
                      </li>
                    ))}
                  </ul>
                )}
              </td>
              <td className="small">{editedWord(r, lang, props.meId, props.you)}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
