/**
 * Import and export. CSV import shows a preview — detected encoding and delimiter, the first rows
 * as they will be imported, and every problem with its row and column — before anything is
 * written; only a clean preview can create the map. JSON import makes a new map too. Export
 * writes PDF (the deal review), PNG/SVG (drawn here with the report's own map code), JSON, CSV or
 * GraphML, with progress while it runs and an explicit "replace?" before overwriting. The browser
 * build has no file dialogs: paths are typed (a bare name goes to the PowerMap documents folder).
 */
import { useEffect, useRef, useState } from 'react';
import { ApiError, type AppInfo } from '../../../shared/api';
import type { CsvPreview, ExportFormat, PageSize } from '../../../shared/api/exchange';
import type { SnapshotInfo } from '../../../shared/time/types';
import { POSTER_SIZES, type PosterSize } from '../../../shared/exchange/print-options';
import { EXPORT_FORMATS } from '../../../shared/api/exchange';
import { LAYOUTS, type LayoutName } from '../../../shared/domain';
import { describeError } from '../../../shared/i18n/errors';
import { ATTITUDE_LABEL, INFLUENCE_LABEL, roleName } from '../../../shared/i18n/domain';
import { drawMap, frameFor, framedPng, framedSvg } from '../../report/map-image';
import type { PanelProps } from '../panels';
import { PrivacySection } from '../privacy/PrivacySection';
import { EXCHANGE_STRINGS, type ExchangeStrings } from './strings';
import './exchange.css';

const EXT: Record<ExportFormat, string> = { pdf: '.pdf', png: '.png', svg: '.svg', json: '.json', csv: '.csv', graphml: '.graphml' };

const isAbsolute = (p: string) => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\');
/** A typed path made absolute: a bare name goes into the documents folder. */
export function resolvePath(typed: string, documentsDir: string): string {
  const p = typed.trim();
  if (!p || isAbsolute(p)) return p;
  const sep = documentsDir.includes('\\') && !documentsDir.includes('/') ? '\\' : '/';
  return documentsDir.replace(/[\\/]+$/, '') + sep + p;
}

const slug = (s: string) => s.replace(/[\\/:*?"<>|]+/g, ' ').trim() || 'map';

interface Busy {
  stage: string;
  started: number;
}

/** A running operation's progress: an indeterminate bar, what is happening, seconds elapsed. */
function Progress({ busy, t }: { busy: Busy; t: ExchangeStrings }) {
  const [, tick] = useState(0);
  useEffect(() => {
    const id = setInterval(() => tick((n) => n + 1), 500);
    return () => clearInterval(id);
  }, []);
  return (
    <div className="xch-progress" role="status" aria-live="polite">
      <progress />
      <span>
        {busy.stage} {t.elapsed(Math.floor((Date.now() - busy.started) / 1000))}
      </span>
    </div>
  );
}

function PathField(props: {
  label: string;
  value: string;
  onChange(v: string): void;
  pick?: () => Promise<string | null>;
  pickLabel: string;
  placeholder?: string;
}) {
  return (
    <label className="xch-field">
      <span>{props.label}</span>
      <span className="xch-path">
        <input type="text" value={props.value} placeholder={props.placeholder} spellCheck={false} onChange={(e) => props.onChange(e.target.value)} />
        {props.pick && (
          <button
            type="button"
            onClick={() =>
              void props.pick!().then(
                (p) => p && props.onChange(p),
                () => undefined,
              )
            }
          >
            {props.pickLabel}
          </button>
        )}
      </span>
    </label>
  );
}

export function ExchangePanel(props: PanelProps) {
  const { api, lang, doc } = props;
  const t = EXCHANGE_STRINGS[lang];
  const [info, setInfo] = useState<AppInfo | null>(null);
  useEffect(() => {
    api.call('app.info', {}).then(setInfo, () => undefined);
  }, [api]);
  const docs = info?.documentsDir ?? '';
  const electron = info?.host === 'electron';
  const pickOpen = electron ? () => api.call('host.pickOpenPath', {}) : undefined;
  const pickSave = (name: string) => (electron ? () => api.call('host.pickSavePath', { suggestedName: name }) : undefined);
  // Messages are kept as how to say them, so a language switch re-says them (not a stored string).
  const fail =
    (e: unknown): Say =>
    (_t, l) =>
      e instanceof ApiError ? describeError(e, l).message : String((e as Error)?.message ?? e);
  const details = (e: unknown) => (e instanceof ApiError ? [...(e.details ?? []), ...(lang === 'zh-CN' && describeError(e, lang).technical ? [e.message] : [])] : []);

  // ---- CSV import ----------------------------------------------------------------------------
  const [peoplePath, setPeoplePath] = useState('');
  const [relationsPath, setRelationsPath] = useState('');
  const [preview, setPreview] = useState<CsvPreview | null>(null);
  const [csvTarget, setCsvTarget] = useState('');
  const [csvBusy, setCsvBusy] = useState<Busy | null>(null);
  const [csvMsg, setCsvMsg] = useState<Msg | null>(null);
  const previewFor = useRef('');

  const runPreview = async () => {
    setCsvMsg(null);
    setPreview(null);
    setCsvBusy({ stage: t.previewing, started: Date.now() });
    try {
      const people = resolvePath(peoplePath, docs);
      const relations = relationsPath.trim() ? resolvePath(relationsPath, docs) : undefined;
      const pv = await api.call('exchange.previewCsv', { peoplePath: people, ...(relations ? { relationsPath: relations } : {}) });
      previewFor.current = `${people}|${relations ?? ''}`;
      setPreview(pv);
      if (!csvTarget) setCsvTarget(people.replace(/\.(csv|txt|tsv)$/i, '') + '.powermap');
    } catch (e) {
      setCsvMsg({ ok: false, say: fail(e), lines: details(e) });
    } finally {
      setCsvBusy(null);
    }
  };
  const canCreate =
    !!preview &&
    preview.problemCount === 0 &&
    previewFor.current === `${resolvePath(peoplePath, docs)}|${relationsPath.trim() ? resolvePath(relationsPath, docs) : ''}` &&
    csvTarget.trim() !== '';
  const runCsvImport = async () => {
    setCsvMsg(null);
    setCsvBusy({ stage: t.creating, started: Date.now() });
    try {
      const target = resolvePath(csvTarget, docs);
      const relations = relationsPath.trim() ? resolvePath(relationsPath, docs) : undefined;
      const created = await api.call('exchange.importCsv', {
        peoplePath: resolvePath(peoplePath, docs),
        ...(relations ? { relationsPath: relations } : {}),
        path: target,
      });
      setCsvMsg({ ok: true, say: (tt) => tt.created(created.path) });
      setPreview(null);
      await props.reload();
    } catch (e) {
      setCsvMsg({ ok: false, say: fail(e), lines: details(e) });
    } finally {
      setCsvBusy(null);
    }
  };

  // ---- JSON import ---------------------------------------------------------------------------
  const [jsonPath, setJsonPath] = useState('');
  const [jsonTarget, setJsonTarget] = useState('');
  const [jsonBusy, setJsonBusy] = useState<Busy | null>(null);
  const [jsonMsg, setJsonMsg] = useState<Msg | null>(null);
  const runJsonImport = async () => {
    setJsonMsg(null);
    setJsonBusy({ stage: t.creating, started: Date.now() });
    try {
      const src = resolvePath(jsonPath, docs);
      const target = resolvePath(jsonTarget || src.replace(/\.json$/i, '') + '.powermap', docs);
      const created = await api.call('exchange.importJson', { jsonPath: src, path: target });
      setJsonMsg({ ok: true, say: (tt) => tt.created(created.path) });
      await props.reload();
    } catch (e) {
      setJsonMsg({ ok: false, say: fail(e), lines: details(e) });
    } finally {
      setJsonBusy(null);
    }
  };

  // ---- Export --------------------------------------------------------------------------------
  const [format, setFormat] = useState<ExportFormat>('pdf');
  const [layout, setLayout] = useState<LayoutName>('org');
  const [pageSize, setPageSize] = useState<PageSize>('A4');
  const [scale, setScale] = useState(2);
  const [poster, setPoster] = useState<PosterSize | null>(null);
  const [personal, setPersonal] = useState(false);
  const [withLegend, setWithLegend] = useState(true);
  const [coveragePage, setCoveragePage] = useState(false);
  const [target, setTarget] = useState('');
  // The deal review can add the changes since a snapshot (newest first, as the Time panel lists them).
  const [snapshots, setSnapshots] = useState<SnapshotInfo[]>([]);
  const [since, setSince] = useState('');
  useEffect(() => {
    if (format !== 'pdf') return;
    let live = true;
    api.call('snapshot.list', {}).then(
      (list) => {
        if (!live) return;
        setSnapshots(list);
        setSince((cur) => (cur && !list.some((s) => s.id === cur) ? '' : cur));
      },
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [api, format, doc.path, doc.rev]);
  const [busy, setBusy] = useState<Busy | null>(null);
  const [confirm, setConfirm] = useState<string | null>(null);
  const [msg, setMsg] = useState<Msg | null>(null);
  const baseName = slug([doc.meta.account, doc.meta.deal].filter(Boolean).join(' - ') || 'PowerMap');
  const suggested = `${baseName}${EXT[format]}`;
  const images = format === 'png' || format === 'svg';

  /** PNG and SVG are drawn here, with the same map code the report prints: title, date, legend. */
  const drawImage = async (): Promise<string> => {
    const stage = document.createElement('div');
    stage.style.cssText = 'position:fixed;left:-20000px;top:0;width:1400px;height:900px;visibility:hidden';
    document.body.appendChild(stage);
    const m = drawMap(stage, doc, { layout, lang });
    try {
      const frame = frameFor(m, { date: new Date(), fileName: baseName, legend: withLegend });
      return format === 'svg' ? framedSvg(m, frame, poster) : await framedPng(m, frame, scale, poster);
    } finally {
      m.cy.destroy();
      stage.remove();
    }
  };

  const runExport = async (overwrite: boolean) => {
    setMsg(null);
    setConfirm(null);
    const path = resolvePath(target || suggested, docs);
    const started = Date.now();
    try {
      let files: string[];
      if (images) {
        setBusy({ stage: t.stages.drawing, started });
        await new Promise((r) => setTimeout(r, 30)); // let the progress paint before the synchronous drawing
        const data = await drawImage();
        setBusy({ stage: t.stages.writing, started });
        files = (await api.call('exchange.writeImage', { format: format as 'png' | 'svg', path, data, overwrite })).files;
      } else {
        setBusy({ stage: format === 'pdf' ? t.stages.printing : t.stages.data, started });
        const sinceSnapshot = format === 'pdf' && since ? { since } : {};
        const pdfExtras = format === 'pdf' && coveragePage ? { coveragePage } : {};
        files = (await api.call('exchange.export', { format, path, includePersonal: personal, layout, pageSize, scale, lang, overwrite, ...sinceSnapshot, ...pdfExtras }))
          .files;
      }
      setMsg({ ok: true, say: (tt) => tt.exported(files) });
    } catch (e) {
      if (e instanceof ApiError && e.code === 'FILE_EXISTS') setConfirm(String(e.params?.name ?? path));
      else setMsg({ ok: false, say: fail(e) });
    } finally {
      setBusy(null);
    }
  };

  return (
    <div className="exchange">
      <h2 className="xch-title">{t.title}</h2>

      <section className="xch-section">
        <h3>{t.export}</h3>
        <label className="xch-field">
          <span>{t.format}</span>
          <select value={format} onChange={(e) => setFormat(e.target.value as ExportFormat)}>
            {EXPORT_FORMATS.map((f) => (
              <option key={f} value={f}>
                {t.formats[f]}
              </option>
            ))}
          </select>
        </label>
        {(format === 'pdf' || images || format === 'graphml') && (
          <label className="xch-field">
            <span>{t.layout}</span>
            <select value={layout} onChange={(e) => setLayout(e.target.value as LayoutName)}>
              {LAYOUTS.map((l) => (
                <option key={l} value={l}>
                  {t.layouts[l]}
                </option>
              ))}
            </select>
          </label>
        )}
        {format === 'pdf' && (
          <label className="xch-field">
            <span>{t.pageSize}</span>
            <select value={pageSize} onChange={(e) => setPageSize(e.target.value as PageSize)}>
              <option value="A4">A4</option>
              <option value="A3">A3</option>
            </select>
          </label>
        )}
        {format === 'pdf' && (
          <label className="xch-field">
            <span>{t.since}</span>
            <select value={since} disabled={snapshots.length === 0} onChange={(e) => setSince(e.target.value)}>
              <option value="">{t.sinceNone}</option>
              {snapshots.map((s) => (
                <option key={s.id} value={s.id}>
                  {`${s.name} · ${new Date(s.takenAt).toLocaleDateString(lang)}`}
                </option>
              ))}
            </select>
          </label>
        )}
        {format === 'pdf' && <p className="xch-hint">{snapshots.length ? t.sinceHint : t.noSnapshots}</p>}
        {images && (
          <label className="xch-field">
            <span>{t.size}</span>
            <select value={poster ?? ''} onChange={(e) => setPoster((e.target.value || null) as PosterSize | null)} data-testid="export-poster">
              <option value="">{t.screenSize}</option>
              {POSTER_SIZES.map((p) => (
                <option key={p} value={p}>
                  {t.poster(p)}
                </option>
              ))}
            </select>
          </label>
        )}
        {images && poster && <p className="xch-hint">{t.posterHint}</p>}
        {format === 'png' && !poster && (
          <label className="xch-field">
            <span>{t.scale}</span>
            <select value={scale} onChange={(e) => setScale(Number(e.target.value))}>
              {[1, 2, 3, 4].map((s) => (
                <option key={s} value={s}>
                  {s}×
                </option>
              ))}
            </select>
          </label>
        )}
        {images && (
          <label className="xch-check">
            <input type="checkbox" checked={withLegend} onChange={(e) => setWithLegend(e.target.checked)} data-testid="export-legend" />
            <span>{t.withLegend}</span>
          </label>
        )}
        {format === 'pdf' && (
          <label className="xch-check">
            <input type="checkbox" checked={coveragePage} onChange={(e) => setCoveragePage(e.target.checked)} data-testid="export-coverage-page" />
            <span>{t.coveragePage}</span>
          </label>
        )}
        {!images && (
          <label className="xch-check">
            <input type="checkbox" checked={personal} onChange={(e) => setPersonal(e.target.checked)} />
            <span>{t.includePersonal}</span>
          </label>
        )}
        {!images && personal && <p className="xch-warn">{t.personalWarning}</p>}
        <PathField label={t.target} value={target} onChange={setTarget} placeholder={suggested} pick={pickSave(suggested)} pickLabel={t.choose} />
        {!electron && <p className="xch-hint">{t.typePath}</p>}
        <div className="xch-actions">
          <button type="button" className="xch-primary" disabled={!!busy} onClick={() => void runExport(false)}>
            {busy ? t.exporting : t.exportButton}
          </button>
        </div>
        {busy && <Progress busy={busy} t={t} />}
        {confirm && (
          <div className="xch-confirm" role="alertdialog">
            <span>{t.exists(confirm)}</span>
            <button type="button" onClick={() => void runExport(true)}>
              {t.replace}
            </button>
            <button type="button" onClick={() => setConfirm(null)}>
              {t.cancel}
            </button>
          </div>
        )}
        {msg && <p className={msg.ok ? 'xch-ok' : 'xch-error'}>{msg.say(t, lang)}</p>}
      </section>

      <section className="xch-section">
        <h3>{t.importCsv}</h3>
        <p className="xch-hint">{t.importCsvHint}</p>
        <PathField label={t.peopleFile} value={peoplePath} onChange={setPeoplePath} pick={pickOpen} pickLabel={t.browse} placeholder={t.examples.people} />
        <PathField label={t.relationsFile} value={relationsPath} onChange={setRelationsPath} pick={pickOpen} pickLabel={t.browse} placeholder={t.examples.relations} />
        <div className="xch-actions">
          <button type="button" disabled={!peoplePath.trim() || !!csvBusy} onClick={() => void runPreview()}>
            {t.preview}
          </button>
        </div>
        {preview && <PreviewView preview={preview} t={t} lang={lang} />}
        {preview && preview.problemCount === 0 && (
          <>
            <PathField label={t.newMap} value={csvTarget} onChange={setCsvTarget} pick={pickSave('imported.powermap')} pickLabel={t.choose} />
            <div className="xch-actions">
              <button type="button" className="xch-primary" disabled={!canCreate || !!csvBusy} onClick={() => void runCsvImport()}>
                {t.create}
              </button>
            </div>
          </>
        )}
        {csvBusy && <Progress busy={csvBusy} t={t} />}
        {csvMsg && <Message msg={csvMsg} t={t} lang={lang} />}
      </section>

      <section className="xch-section">
        <h3>{t.importJson}</h3>
        <PathField label={t.jsonFile} value={jsonPath} onChange={setJsonPath} pick={pickOpen} pickLabel={t.browse} placeholder={t.examples.json} />
        <PathField label={t.newMap} value={jsonTarget} onChange={setJsonTarget} pick={pickSave('imported.powermap')} pickLabel={t.choose} />
        <div className="xch-actions">
          <button type="button" disabled={!jsonPath.trim() || !!jsonBusy} onClick={() => void runJsonImport()}>
            {t.importJsonButton}
          </button>
        </div>
        {jsonBusy && <Progress busy={jsonBusy} t={t} />}
        {jsonMsg && <Message msg={jsonMsg} t={t} lang={lang} />}
      </section>

      <PrivacySection {...props} resolve={(p) => resolvePath(p, docs)} pickSave={electron ? (name) => api.call('host.pickSavePath', { suggestedName: name }) : undefined} />
    </div>
  );
}

/** How to say a message in the language shown now. */
type Say = (t: ExchangeStrings, lang: PanelProps['lang']) => string;
interface Msg {
  ok: boolean;
  say: Say;
  lines?: string[];
}

function Message({ msg, t, lang }: { msg: Msg; t: ExchangeStrings; lang: PanelProps['lang'] }) {
  return (
    <div className={msg.ok ? 'xch-ok' : 'xch-error'} role={msg.ok ? 'status' : 'alert'}>
      <p>{msg.say(t, lang)}</p>
      {msg.lines && msg.lines.length > 0 && (
        <ul className="xch-problems">
          {msg.lines.map((l, i) => (
            <li key={i}>{l}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

function PreviewView({ preview, t, lang }: { preview: CsvPreview; t: ExchangeStrings; lang: PanelProps['lang'] }) {
  return (
    <div className="xch-preview" data-testid="csv-preview">
      <p className="xch-detected">
        {preview.files.map((f) => t.detected(f.file.split(/[\\/]/).pop() ?? f.file, f.encoding, t.delimiters[f.delimiter] ?? f.delimiter)).join(' · ')}
      </p>
      <p>{t.counts(preview.counts)}</p>
      {preview.problemCount > 0 ? (
        <div className="xch-error" role="alert">
          <p>{t.problems(preview.problemCount)}</p>
          <ul className="xch-problems">
            {preview.problems.map((l, i) => (
              <li key={i}>{l}</li>
            ))}
          </ul>
        </div>
      ) : (
        <p className="xch-ok">{t.noProblems}</p>
      )}
      {preview.warnings.length > 0 && (
        <ul className="xch-notes" aria-label={t.warnings}>
          {preview.warnings.map((w, i) => (
            <li key={i}>{w}</li>
          ))}
        </ul>
      )}
      {preview.preview.length > 0 && (
        <>
          <p className="xch-hint">{t.firstRows(preview.preview.length, preview.counts.people)}</p>
          <div className="xch-table">
            <table>
              <thead>
                <tr>
                  <th>{t.row}</th>
                  <th>{t.name}</th>
                  <th>{t.titleCol}</th>
                  <th>{t.department}</th>
                  <th>{t.roles}</th>
                  <th>{t.attitude}</th>
                  <th>{t.influence}</th>
                  <th>{t.reportsTo}</th>
                  <th>{t.owners}</th>
                </tr>
              </thead>
              <tbody>
                {preview.preview.map((p) => (
                  <tr key={p.row}>
                    <td>{p.row}</td>
                    <td>{p.name}</td>
                    <td>{p.title}</td>
                    <td>{p.department}</td>
                    <td>{p.roles.map((r) => roleName(r, lang)).join(', ')}</td>
                    <td>{ATTITUDE_LABEL[p.attitude as keyof typeof ATTITUDE_LABEL]?.[lang] ?? p.attitude}</td>
                    <td>{INFLUENCE_LABEL[p.influence as keyof typeof INFLUENCE_LABEL]?.[lang] ?? p.influence}</td>
                    <td>{p.reportsTo}</td>
                    <td>{p.owners.join(', ')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </div>
  );
}
