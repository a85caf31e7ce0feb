/**
 * The desktop app's map-file ↔ team-map steps (issue 19 items 2–3), in the toolbar when signed in
 * to a team server:
 * - on a map file: "Publish…" (a team map in one step; personal profiles only when ticked, with
 *   the reason; the duplicate question when it was published before) and, for a file saved from a
 *   team map, "Send my changes" (conflicts shown field by field: theirs or mine, nothing dropped);
 * - on a team map: "Save offline copy…" (a local .powermap remembering where it came from).
 * The main process does the work with the sign-in it keeps (shared/api/remote.ts, the CLI's
 * services/team/local-sync.ts).
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MapOrigin, PublishResult, SyncConflict, SyncDecision } from '../../../shared/api/team-sync';
import type { SyncOutcomeView } from '../../../shared/api/remote-types';
import { messageOf } from '../../../shared/i18n/errors';
import { api, remoteApi } from '../api/client';
import { closeMap, openMap, reloadMap } from '../store/actions';
import { reportError } from '../store/errors';
import { useStore } from '../store';
import { useTeam } from './state';

const newOpId = (): string => crypto.randomUUID().replace(/-/g, '');

/** Toolbar buttons: only in the desktop app, signed in. */
export function DeskTeamActions() {
  const { t } = useTranslation();
  const signedIn = useTeam((s) => s.server !== null && s.user !== null && !!window.powermap);
  const teamMap = useTeam((s) => s.map);
  const doc = useStore((s) => s.doc);
  const [origin, setOrigin] = useState<MapOrigin | null>(null);
  const [dialog, setDialog] = useState<'publish' | 'send' | null>(null);
  const path = doc?.path ?? null;

  useEffect(() => {
    setOrigin(null);
    if (!signedIn || teamMap || !path) return;
    remoteApi.call('remote.origin', {}).then(setOrigin, () => setOrigin(null));
  }, [signedIn, teamMap, path, doc?.rev]);

  if (!signedIn || !doc) return null;
  if (teamMap) return <SaveOfflineButton />;
  return (
    <span className="desk-team-actions">
      <button type="button" data-testid="publish-button" onClick={() => setDialog('publish')}>
        {t('desk.publish')}
      </button>
      {origin?.team && (
        <button type="button" data-testid="send-button" title={t('desk.sendHint', { name: origin.team.mapName, server: origin.team.server })} onClick={() => setDialog('send')}>
          {t('desk.send')}
        </button>
      )}
      {dialog === 'publish' && <PublishDialog onClose={() => setDialog(null)} />}
      {dialog === 'send' && origin?.team && <SendDialog mapName={origin.team.mapName} onClose={() => setDialog(null)} />}
    </span>
  );
}

function SaveOfflineButton() {
  const { t } = useTranslation();
  const map = useTeam((s) => s.map)!;
  const save = async () => {
    try {
      const file = await api.call('host.pickSavePath', { suggestedName: `${map.name.replace(/[\\/:*?"<>|]+/g, ' ').trim() || 'map'}.powermap` });
      if (!file) return;
      const r = await remoteApi.call('remote.saveOffline', { id: map.id, path: file, overwrite: false });
      // The copy opens here, like a map file (its changes go back with "Send my changes").
      await closeMap();
      if (await openMap(r.path)) useStore.getState().setNotice({ key: 'desk.savedOffline', params: { name: map.name, rev: r.rev } });
    } catch (e) {
      reportError(e);
    }
  };
  return (
    <button type="button" data-testid="save-offline" onClick={() => void save()}>
      {t('desk.saveOffline')}
    </button>
  );
}

function Dialog(props: { title: string; testid: string; onClose: () => void; children: React.ReactNode }) {
  const { t } = useTranslation();
  return (
    <div className="overlay" role="presentation" onClick={(e) => e.target === e.currentTarget && props.onClose()}>
      <div className="overlay-box desk-dialog" role="dialog" aria-modal="true" aria-label={props.title} data-testid={props.testid} onKeyDown={(e) => e.key === 'Escape' && props.onClose()}>
        <header>
          <h2>{props.title}</h2>
          <button type="button" className="link" aria-label={t('app.close')} onClick={props.onClose}>
            ✕
          </button>
        </header>
        {props.children}
      </div>
    </div>
  );
}

export function PublishDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const lang = useStore((s) => s.lang);
  const meta = useStore((s) => s.doc?.meta);
  const [name, setName] = useState([meta?.account, meta?.deal].filter(Boolean).join(' — '));
  const [personal, setPersonal] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [duplicate, setDuplicate] = useState<Extract<PublishResult, { status: 'duplicate' }> | null>(null);
  const [opId] = useState(newOpId);
  const [done, setDone] = useState<Extract<PublishResult, { status: 'published' }> | null>(null);

  const publish = async (onDuplicate: 'ask' | 'new' | 'update', updateMapId?: string) => {
    setBusy(true);
    setError(null);
    try {
      // The same operation id for the question's answer too: a retry after a dropped connection is applied once.
      const r = await remoteApi.call('remote.publish', { name: name.trim(), includePersonal: personal, onDuplicate, ...(updateMapId ? { updateMapId } : {}), opId: onDuplicate === 'ask' ? opId : `${opId}${onDuplicate}` });
      if (r.status === 'duplicate') setDuplicate(r);
      else setDone(r);
    } catch (e) {
      setError(messageOf(e, lang));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog title={t('desk.publishTitle')} testid="publish-dialog" onClose={onClose}>
      {done ? (
        <>
          <p data-testid="publish-done">{t(done.mode === 'update' ? 'desk.publishedUpdate' : 'desk.publishedNew', { name: done.map.name })}</p>
          <button type="button" className="primary" onClick={onClose}>
            {t('app.close')}
          </button>
        </>
      ) : duplicate ? (
        <>
          <p data-testid="publish-duplicate">{t('desk.duplicate')}</p>
          <ul className="desk-list">
            {duplicate.existing.map((m) => (
              <li key={m.mapId}>
                <strong>{m.name}</strong> <span className="muted small">{t('desk.duplicateOf', { owner: m.owner.name, role: t(`team.role.${m.role}`) })}</span>{' '}
                {m.role !== 'viewer' && (
                  <button type="button" data-testid="publish-update" disabled={busy} onClick={() => void publish('update', m.mapId)}>
                    {t('desk.updateThat')}
                  </button>
                )}
              </li>
            ))}
          </ul>
          <p className="desk-buttons">
            <button type="button" data-testid="publish-new" disabled={busy} onClick={() => void publish('new')}>
              {t('desk.publishAnother')}
            </button>
            <button type="button" className="link" onClick={onClose}>
              {t('app.cancel')}
            </button>
          </p>
        </>
      ) : (
        <>
          <p className="muted small">{t('desk.publishHint')}</p>
          <label className="field">
            <span className="field-label">{t('desk.teamMapName')}</span>
            <input data-testid="publish-name" value={name} onChange={(e) => setName(e.target.value)} />
          </label>
          <label className="inline-check">
            <input type="checkbox" data-testid="publish-personal" checked={personal} onChange={(e) => setPersonal(e.target.checked)} />
            {t('desk.includePersonal')}
          </label>
          <p className="muted small" data-testid="publish-personal-why">
            {t('desk.includePersonalWhy')}
          </p>
          <p className="desk-buttons">
            <button type="button" className="primary" data-testid="publish-go" disabled={busy || !name.trim()} onClick={() => void publish('ask')}>
              {t('desk.publishGo')}
            </button>
            <button type="button" className="link" onClick={onClose}>
              {t('app.cancel')}
            </button>
          </p>
        </>
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </Dialog>
  );
}

const cellText = (v: string | number | null, deleted: string) => (v === null ? deleted : String(v));

export function SendDialog({ mapName, onClose }: { mapName: string; onClose: () => void }) {
  const { t } = useTranslation();
  const lang = useStore((s) => s.lang);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [conflicts, setConflicts] = useState<SyncConflict[] | null>(null);
  const [take, setTake] = useState<Record<string, SyncDecision['take']>>({});
  const [result, setResult] = useState<Extract<SyncOutcomeView, { status: 'merged' }> | null>(null);
  const [opId, setOpId] = useState(newOpId);

  const send = async () => {
    setBusy(true);
    setError(null);
    try {
      const decisions = Object.entries(take).map(([id, v]) => ({ id, take: v }));
      const r = await remoteApi.call('remote.send', { decisions, opId });
      if (r.status === 'conflicts') {
        setConflicts(r.conflicts);
        setOpId(newOpId()); // the answer with decisions is another operation
      } else {
        setResult(r);
        await reloadMap();
      }
    } catch (e) {
      setError(messageOf(e, lang));
    } finally {
      setBusy(false);
    }
  };
  useEffect(() => {
    void send();
  }, []);

  const allDecided = !!conflicts && conflicts.every((c) => take[c.id]);
  return (
    <Dialog title={t('desk.sendTitle', { name: mapName })} testid="send-dialog" onClose={onClose}>
      {result ? (
        <>
          <p data-testid="send-done">{t('desk.sent', { applied: result.applied, local: result.localChanges })}</p>
          {result.keptTheirs.length > 0 && (
            <>
              <p className="muted small">{t('desk.keptTheirs')}</p>
              <ul className="desk-list" data-testid="send-kept">
                {result.keptTheirs.map((c) => (
                  <li key={c.id}>
                    {c.label} · {fieldWord(t, c.field)}: {cellText(c.mine, t('desk.deleted'))} → {cellText(c.theirs, t('desk.deleted'))}
                  </li>
                ))}
              </ul>
            </>
          )}
          <button type="button" className="primary" onClick={onClose}>
            {t('app.close')}
          </button>
        </>
      ) : conflicts ? (
        <>
          <p>{t('desk.conflictsHint', { count: conflicts.length })}</p>
          <table className="desk-conflicts" data-testid="send-conflicts">
            <thead>
              <tr>
                <th>{t('desk.conflictWhat')}</th>
                <th>{t('desk.theirs')}</th>
                <th>{t('desk.mine')}</th>
              </tr>
            </thead>
            <tbody>
              {conflicts.map((c) => (
                <tr key={c.id} data-testid="send-conflict" data-id={c.id}>
                  <td>
                    <strong>{c.label}</strong> · {fieldWord(t, c.field)}
                    <div className="muted small">{t('desk.wasBefore', { value: cellText(c.base, '—') })}</div>
                  </td>
                  <td>
                    <label>
                      <input type="radio" name={c.id} data-testid="take-theirs" checked={take[c.id] === 'theirs'} onChange={() => setTake({ ...take, [c.id]: 'theirs' })} />{' '}
                      {cellText(c.theirs, t('desk.deleted'))}
                      {c.theirsBy && <span className="muted small"> ({c.theirsBy.name})</span>}
                    </label>
                  </td>
                  <td>
                    <label>
                      <input type="radio" name={c.id} data-testid="take-mine" checked={take[c.id] === 'mine'} onChange={() => setTake({ ...take, [c.id]: 'mine' })} />{' '}
                      {cellText(c.mine, t('desk.deleted'))}
                    </label>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="desk-buttons">
            <button type="button" className="primary" data-testid="send-decided" disabled={busy || !allDecided} onClick={() => void send()}>
              {t('desk.sendDecided')}
            </button>
            <button type="button" className="link" onClick={onClose}>
              {t('app.cancel')}
            </button>
          </p>
        </>
      ) : (
        !error && <p className="muted">{t('desk.sending')}</p>
      )}
      {error && (
        <p className="form-error" role="alert" data-testid="send-error">
          {error}
        </p>
      )}
    </Dialog>
  );
}

/** A conflict's field in the UI language (the team history's words), '*' the whole row. */
function fieldWord(t: (k: string) => string, field: string): string {
  if (field === '*') return t('desk.wholeRow');
  const key = `team.fields.${field}`;
  const w = t(key);
  return w === key ? field : w;
}
