/** Snapshots: save the map under a name, list, open read-only, rename, restore (undoable), delete. */
import { useCallback, useEffect, useState } from 'react';
import type { SnapshotInfo } from '../../../shared/time/types';
import type { PanelProps } from '../panels';
import type { ViewerMap } from './MapViewer';
import { fill, stringsFor } from './strings';
import { errorSay, formatWhen, type Say } from './util';

export interface SnapshotsTabProps {
  panel: PanelProps;
  /** Tells the panel the list changed (the compare picker uses it). */
  onList(list: SnapshotInfo[]): void;
  onCompareWithNow(id: string): void;
  onOpen(title: string, map: ViewerMap): void;
  notify(message: Say, kind?: 'info' | 'error'): void;
}

type Ask = { kind: 'restore' | 'delete'; snap: SnapshotInfo } | null;

export function SnapshotsTab({ panel, onList, onCompareWithNow, onOpen, notify }: SnapshotsTabProps) {
  const { api, lang, doc } = panel;
  const s = stringsFor(lang);
  const [list, setList] = useState<SnapshotInfo[] | null>(null);
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [ask, setAsk] = useState<Ask>(null);
  const [renaming, setRenaming] = useState<{ id: string; name: string } | null>(null);

  const refresh = useCallback(async () => {
    try {
      const l = await api.call('snapshot.list', {});
      setList(l);
      onList(l);
    } catch (e) {
      notify(errorSay(e), 'error');
    }
  }, [api, lang, onList, notify]);
  useEffect(() => {
    void refresh();
  }, [refresh, doc.path]);

  const take = async () => {
    if (!name.trim()) return;
    setBusy(true);
    try {
      const snap = await api.call('snapshot.create', { name });
      setName('');
      notify((l: PanelProps['lang']) => fill(stringsFor(l).snapshots.taken, { name: snap.name }));
      await refresh();
    } catch (e) {
      notify(errorSay(e), 'error');
    } finally {
      setBusy(false);
    }
  };

  const open = async (snap: SnapshotInfo) => {
    try {
      const view = await api.call('snapshot.get', { id: snap.id });
      onOpen(fill(s.snapshots.viewerTitle, { name: snap.name, date: formatWhen(snap.takenAt, lang) }), view);
    } catch (e) {
      notify(errorSay(e), 'error');
    }
  };

  const rename = async () => {
    if (!renaming) return;
    const snap = list?.find((x) => x.id === renaming.id);
    const to = renaming.name.trim();
    if (!snap || !to) return;
    if (to === snap.name) return setRenaming(null);
    setBusy(true);
    try {
      const done = await api.call('snapshot.rename', { id: snap.id, name: to });
      setRenaming(null);
      notify((l: PanelProps['lang']) => fill(stringsFor(l).snapshots.renamed, { from: snap.name, to: done.name }));
      await refresh();
    } catch (e) {
      notify(errorSay(e), 'error');
    } finally {
      setBusy(false);
    }
  };

  const confirm = async () => {
    if (!ask) return;
    const { kind, snap } = ask;
    setAsk(null);
    setBusy(true);
    try {
      if (kind === 'restore') {
        const change = await api.call('snapshot.restore', { id: snap.id });
        panel.applyChange(change);
        await panel.reload();
        notify((l: PanelProps['lang']) => fill(stringsFor(l).snapshots.restored, { name: snap.name }));
      } else {
        await api.call('snapshot.delete', { id: snap.id });
        notify((l: PanelProps['lang']) => fill(stringsFor(l).snapshots.deleted, { name: snap.name }));
        await refresh();
      }
    } catch (e) {
      notify(errorSay(e), 'error');
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="pm-time-tab" data-testid="time-snapshots">
      <p className="pm-time-hint">{s.snapshots.intro}</p>
      <form
        className="pm-time-row"
        onSubmit={(e) => {
          e.preventDefault();
          void take();
        }}
      >
        <input
          aria-label={s.snapshots.name}
          placeholder={s.snapshots.namePlaceholder}
          value={name}
          maxLength={120}
          onChange={(e) => setName(e.target.value)}
        />
        <button type="submit" disabled={busy || !name.trim()}>
          {s.snapshots.take}
        </button>
      </form>
      {list === null ? (
        <p className="pm-time-hint">{s.common.loading}</p>
      ) : list.length === 0 ? (
        <p className="pm-time-empty">{s.snapshots.none}</p>
      ) : (
        <ul className="pm-time-list" aria-label={s.tabs.snapshots}>
          {list.map((snap) => (
            <li key={snap.id} data-snapshot={snap.name}>
              <div className="pm-time-item-head">
                <strong>{snap.name}</strong>
                <span className="pm-time-meta">{formatWhen(snap.takenAt, lang)}</span>
              </div>
              <div className="pm-time-meta">
                {fill(s.common.people, { n: snap.people })} · {fill(s.snapshots.size, { kb: Math.max(1, Math.round(snap.bytes / 1024)) })}
              </div>
              {renaming?.id === snap.id ? (
                <form
                  className="pm-time-row"
                  onSubmit={(e) => {
                    e.preventDefault();
                    void rename();
                  }}
                >
                  <input
                    aria-label={fill(s.snapshots.newName, { name: snap.name })}
                    value={renaming.name}
                    maxLength={120}
                    autoFocus
                    onChange={(e) => setRenaming({ id: snap.id, name: e.target.value })}
                    onKeyDown={(e) => e.key === 'Escape' && setRenaming(null)}
                  />
                  <button type="submit" disabled={busy || !renaming.name.trim()}>
                    {s.common.save}
                  </button>
                  <button type="button" onClick={() => setRenaming(null)}>
                    {s.common.cancel}
                  </button>
                </form>
              ) : ask?.snap.id === snap.id ? (
                <div className="pm-time-confirm" role="alertdialog" aria-label={ask.kind === 'restore' ? s.snapshots.restore : s.common.delete}>
                  <p>{fill(ask.kind === 'restore' ? s.snapshots.restoreAsk : s.snapshots.deleteAsk, { name: snap.name })}</p>
                  <button type="button" className={ask.kind === 'delete' ? 'pm-time-danger' : ''} onClick={() => void confirm()}>
                    {ask.kind === 'restore' ? s.snapshots.restore : s.common.delete}
                  </button>
                  <button type="button" onClick={() => setAsk(null)}>
                    {s.common.cancel}
                  </button>
                </div>
              ) : (
                <div className="pm-time-actions">
                  <button type="button" onClick={() => void open(snap)}>
                    {s.snapshots.open}
                  </button>
                  <button type="button" onClick={() => onCompareWithNow(snap.id)}>
                    {s.snapshots.compareNow}
                  </button>
                  <button type="button" disabled={busy} onClick={() => setRenaming({ id: snap.id, name: snap.name })}>
                    {s.snapshots.rename}
                  </button>
                  <button type="button" disabled={busy} onClick={() => setAsk({ kind: 'restore', snap })}>
                    {s.snapshots.restore}
                  </button>
                  <button type="button" disabled={busy} className="pm-time-danger" onClick={() => setAsk({ kind: 'delete', snap })}>
                    {s.common.delete}
                  </button>
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
