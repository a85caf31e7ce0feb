/**
 * "Erase completely": the confirmation, then what was done. It says what erasing removes and
 * that it cannot be undone before anything happens; afterwards it stays open with the result —
 * what was removed, where the user's own words still name the person, and pre-upgrade backups
 * that still hold them. Used by the inspector (a person on the map, through EraseHost) and by the
 * Import/export panel's list of deleted people.
 */
import { useEffect, useState } from 'react';
import type { ApiClient } from '../../../shared/api';
import type { ErasablePerson, Mention, PurgeResult } from '../../../shared/api/privacy';
import type { MapDocument } from '../../../shared/domain';
import { fill, messageOf, type Lang } from '../../../shared/i18n/errors';
import { backupLine, mentionLine, purgeSummary } from '../../../shared/i18n/privacy';
import { PRIVACY_STRINGS } from './strings';
import './privacy.css';

export interface EraseDialogProps {
  api: ApiClient;
  lang: Lang;
  /** The map as it is before the erasure: names the records a mention points at. */
  doc: MapDocument;
  person: ErasablePerson;
  /** The erasure is done: apply `r.change` to the map shown. */
  onErased(r: PurgeResult): void;
  onClose(): void;
}

const baseName = (p: string) => p.split(/[\\/]/).pop() ?? p;

/** The name of the record a mention points at, from the map before the erasure and its snapshots. */
function mentionWhat(m: Mention, doc: MapDocument, snapshots: Record<string, string>): string {
  const person = (id: string) => doc.people.find((p) => p.id === id)?.name;
  switch (m.where) {
    case 'person':
      return person(m.id) ?? m.id;
    case 'member':
      return doc.team.find((t) => t.id === m.id)?.name ?? m.id;
    case 'relation': {
      const r = doc.relations.find((x) => x.id === m.id);
      return r ? `${person(r.source) ?? r.source} → ${person(r.target) ?? r.target}` : m.id;
    }
    case 'snapshot':
      return snapshots[m.id] ?? m.id;
    default:
      return m.id;
  }
}

export function EraseDialog({ api, lang, doc, person, onErased, onClose }: EraseDialogProps) {
  const s = PRIVACY_STRINGS[lang];
  const [phase, setPhase] = useState<'ask' | 'busy' | 'done'>('ask');
  const [result, setResult] = useState<PurgeResult | null>(null);
  const [snapshots, setSnapshots] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  // The doc as it was when asked: after the erasure the map shown no longer holds the person.
  const [before] = useState(doc);

  // A modal: while it is open no key reaches the map's shortcuts (Del would delete the selection,
  // Escape would drop it), whatever has the focus. Caught on the way down, before any handler;
  // what a key does by default (Tab, Enter or Space on a button) still happens. Escape closes.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      e.stopPropagation();
      if (e.key === 'Escape' && phase !== 'busy') onClose();
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [phase, onClose]);

  const erase = async () => {
    setPhase('busy');
    setError(null);
    try {
      const names = Object.fromEntries((await api.call('snapshot.list', {})).map((x) => [x.id, x.name]));
      const r = await api.call('person.purge', { id: person.id });
      setSnapshots(names);
      setResult(r);
      setPhase('done');
      onErased(r);
    } catch (e) {
      setError(e);
      setPhase('ask');
    }
  };

  const where = [person.inHistory ? s.inHistory : '', person.snapshots ? (person.snapshots === 1 ? s.inSnapshotsOne : fill(s.inSnapshots, { n: person.snapshots })) : '']
    .filter(Boolean)
    .join(s.and);

  return (
    <div
      className="overlay"
      role="alertdialog"
      aria-modal="true"
      aria-label={fill(s.eraseTitle, { name: person.name })}
      data-testid="erase-dialog"
    >
      <div className="overlay-box pm-erase" lang={lang}>
        {phase !== 'done' || !result ? (
          <>
            <h2>{fill(s.eraseTitle, { name: person.name })}</h2>
            <p>{s.eraseIntro}</p>
            {!person.onMap && where && <p data-testid="erase-where">{fill(s.notOnMap, { where })}</p>}
            <p>{s.eraseRemoves}</p>
            <ul className="pm-erase-list">
              {s.eraseItems.map((x) => (
                <li key={x}>{x}</li>
              ))}
            </ul>
            <p className="pm-erase-warn">
              <strong>{s.cannotUndo}</strong>
            </p>
            <p className="pm-erase-hint">{s.ownWords}</p>
            {error !== null && (
              <p className="pm-erase-error" role="alert">
                {s.failed} {messageOf(error, lang)}
              </p>
            )}
            <div className="pm-erase-actions">
              <button type="button" className="danger" data-testid="erase-confirm" disabled={phase === 'busy'} onClick={() => void erase()}>
                {phase === 'busy' ? s.erasing : fill(s.eraseConfirm, { name: person.name })}
              </button>
              <button type="button" autoFocus disabled={phase === 'busy'} onClick={onClose}>
                {s.cancel}
              </button>
            </div>
          </>
        ) : (
          <>
            <h2>{s.erased}</h2>
            <p data-testid="erase-result" role="status">
              {purgeSummary(result, lang)}
            </p>
            {result.mentions.length > 0 && (
              <>
                <p>{s.mentions}</p>
                <ul className="pm-erase-list" data-testid="erase-mentions">
                  {result.mentions.map((m, i) => (
                    <li key={i}>{mentionLine(m, lang, mentionWhat(m, before, snapshots))}</li>
                  ))}
                </ul>
              </>
            )}
            {result.backups.length > 0 && (
              <ul className="pm-erase-list pm-erase-warn" data-testid="erase-backups">
                {result.backups.map((b) => (
                  <li key={b}>{backupLine(baseName(b), lang, 'person')}</li>
                ))}
              </ul>
            )}
            <div className="pm-erase-actions">
              <button type="button" autoFocus onClick={onClose}>
                {s.close}
              </button>
            </div>
          </>
        )}
      </div>
    </div>
  );
}
