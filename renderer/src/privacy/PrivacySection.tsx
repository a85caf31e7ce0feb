/**
 * The Import/export panel's privacy part: "Remove personal details" (every profile and trip, in
 * this map or into a copy to share; map.stripPersonal) and "Erase someone deleted" (people no
 * longer on the map who still live in the undo history or snapshots; privacy.erasable, then the
 * erase dialog). Both are irreversible, so both ask first and say what they did.
 */
import { useCallback, useEffect, useState } from 'react';
import type { ErasablePerson, StripResult } from '../../../shared/api/privacy';
import { fill, messageOf } from '../../../shared/i18n/errors';
import { backupLine, stripSummary } from '../../../shared/i18n/privacy';
import type { PanelProps } from '../panels';
import { EraseDialog } from './EraseDialog';
import { PRIVACY_STRINGS } from './strings';
import './privacy.css';

export interface PrivacySectionProps extends PanelProps {
  /** A typed path made absolute (a bare name goes to the documents folder). */
  resolve(typed: string): string;
  /** The native save dialog (Electron); absent in the browser build, where paths are typed. */
  pickSave?: (suggestedName: string) => Promise<string | null>;
}

const baseName = (p: string) => p.split(/[\\/]/).pop() ?? p;

type Outcome = { ok: true; result: StripResult; file: string } | { ok: false; error: unknown };

export function PrivacySection(props: PrivacySectionProps) {
  const { api, lang, doc } = props;
  const s = PRIVACY_STRINGS[lang];

  // ---- Remove personal details ---------------------------------------------------------------
  const [copy, setCopy] = useState(false);
  const [target, setTarget] = useState('');
  const [keepTrips, setKeepTrips] = useState(false);
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const stem = baseName(doc.path).replace(/\.powermap$/i, '');
  const suggested = `${stem} - ${lang === 'zh-CN' ? '分享' : 'to share'}.powermap`;
  const copyPath = props.resolve(target || suggested);

  const strip = async () => {
    setAsking(false);
    setBusy(true);
    setOutcome(null);
    try {
      const r = await api.call('map.stripPersonal', { keepItineraries: keepTrips, ...(copy ? { copyTo: copyPath } : {}) });
      if (r.change) props.applyChange(r.change);
      setOutcome({ ok: true, result: r, file: r.change ? baseName(r.path) : r.path });
    } catch (e) {
      setOutcome({ ok: false, error: e });
    } finally {
      setBusy(false);
    }
  };

  // ---- Erase someone deleted -----------------------------------------------------------------
  const [deleted, setDeleted] = useState<ErasablePerson[] | null>(null);
  const [listError, setListError] = useState<unknown>(null);
  const [erasing, setErasing] = useState<ErasablePerson | null>(null);
  const refresh = useCallback(async () => {
    try {
      const all = await api.call('privacy.erasable', {});
      setDeleted(all.filter((p) => !p.onMap).sort((a, b) => a.name.localeCompare(b.name, lang)));
      setListError(null);
    } catch (e) {
      setListError(e);
    }
  }, [api, lang]);
  useEffect(() => {
    void refresh();
  }, [refresh, doc.path, doc.rev]);

  const where = (p: ErasablePerson) =>
    [p.inHistory ? s.inHistory : '', p.snapshots ? (p.snapshots === 1 ? s.inSnapshotsOne : fill(s.inSnapshots, { n: p.snapshots })) : ''].filter(Boolean).join(s.and);

  return (
    <>
      <section className="xch-section" data-testid="privacy-strip" aria-label={s.strip}>
        <h3>{s.strip}</h3>
        <p className="xch-hint">{s.stripHint}</p>
        <label className="xch-check">
          <input type="radio" name="pm-strip-where" checked={!copy} onChange={() => setCopy(false)} />
          <span>{s.inPlace}</span>
        </label>
        <label className="xch-check">
          <input type="radio" name="pm-strip-where" checked={copy} onChange={() => setCopy(true)} />
          <span>{s.intoCopy}</span>
        </label>
        {copy && (
          <label className="xch-field">
            <span>{s.copyTarget}</span>
            <span className="xch-path">
              <input type="text" value={target} placeholder={suggested} spellCheck={false} onChange={(e) => setTarget(e.target.value)} />
              {props.pickSave && (
                <button type="button" onClick={() => void props.pickSave!(suggested).then((p) => p && setTarget(p), () => undefined)}>
                  {s.choose}
                </button>
              )}
            </span>
          </label>
        )}
        {copy && !props.pickSave && <p className="xch-hint">{s.typePath}</p>}
        <label className="xch-check">
          <input type="checkbox" checked={keepTrips} onChange={(e) => setKeepTrips(e.target.checked)} />
          <span>{s.keepTrips}</span>
        </label>
        <div className="xch-actions">
          <button type="button" disabled={busy || asking} onClick={() => setAsking(true)}>
            {busy ? s.working : s.stripButton}
          </button>
        </div>
        {asking && (
          <div className="xch-confirm" role="alertdialog" aria-label={s.strip}>
            <span>{copy ? fill(s.stripAskCopy, { path: copyPath }) : keepTrips ? s.stripAskKeepTrips : s.stripAsk}</span>
            <button type="button" onClick={() => void strip()}>
              {copy ? s.stripConfirmCopy : s.stripConfirm}
            </button>
            <button type="button" onClick={() => setAsking(false)}>
              {s.cancel}
            </button>
          </div>
        )}
        {outcome?.ok === true && (
          <div className="xch-ok" role="status" data-testid="privacy-strip-result">
            <p>{stripSummary(outcome.result, lang, outcome.file)}</p>
            {outcome.result.backups.length > 0 && (
              <ul className="xch-problems">
                {outcome.result.backups.map((b) => (
                  <li key={b}>{backupLine(baseName(b), lang, 'details')}</li>
                ))}
              </ul>
            )}
          </div>
        )}
        {outcome?.ok === false && (
          <p className="xch-error" role="alert">
            {messageOf(outcome.error, lang)}
          </p>
        )}
      </section>

      <section className="xch-section" data-testid="privacy-deleted" aria-label={s.deletedTitle}>
        <h3>{s.deletedTitle}</h3>
        <p className="xch-hint">{s.deletedHint}</p>
        {listError !== null && (
          <p className="xch-error" role="alert">
            {messageOf(listError, lang)}
          </p>
        )}
        {deleted && deleted.length === 0 && <p className="xch-hint">{s.deletedNone}</p>}
        {deleted && deleted.length > 0 && (
          <ul className="pm-erasable">
            {deleted.map((p) => (
              <li key={p.id} data-person-id={p.id}>
                <strong>{p.name}</strong>
                <span className="pm-erasable-where">{fill(s.stillIn, { where: where(p) })}</span>
                <button type="button" onClick={() => setErasing(p)}>
                  {s.eraseOne}
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>

      {erasing && (
        <EraseDialog
          api={api}
          lang={lang}
          doc={doc}
          person={erasing}
          onErased={(r) => {
            props.applyChange(r.change);
            void refresh();
          }}
          onClose={() => setErasing(null)}
        />
      )}
    </>
  );
}
