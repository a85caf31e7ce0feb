/**
 * The Time panel: snapshots (save, open read-only, restore, delete), what changed between two
 * of them or since one, the contacts and trips of a person, and the upcoming view. Mounted by
 * the main window as a side-panel tab; talks to the main side only through props.api.
 */
import { useCallback, useState } from 'react';
import type { SnapshotInfo, SnapshotRef } from '../../../shared/time/types';
import type { PanelProps } from '../panels';
import { CompareTab } from './CompareTab';
import { MapViewer, type MapViewerProps } from './MapViewer';
import { PersonLogTab } from './PersonLogTab';
import { SnapshotsTab } from './SnapshotsTab';
import { stringsFor } from './strings';
import { said, type Say } from './util';
import { UpcomingTab } from './UpcomingTab';
import './time.css';

type Tab = 'snapshots' | 'compare' | 'log' | 'upcoming';
const TABS: Tab[] = ['snapshots', 'compare', 'log', 'upcoming'];

export function TimePanel(props: PanelProps) {
  const s = stringsFor(props.lang);
  const [tab, setTab] = useState<Tab>('snapshots');
  const [snapshots, setSnapshots] = useState<SnapshotInfo[]>([]);
  const [request, setRequest] = useState<{ from: SnapshotRef; to: SnapshotRef; n: number } | null>(null);
  const [viewer, setViewer] = useState<Omit<MapViewerProps, 'lang' | 'onClose'> | null>(null);
  const [personId, setPersonId] = useState('');
  const [message, setMessage] = useState<{ say: Say; kind: 'info' | 'error' } | null>(null);

  const notify = useCallback((say: Say, kind: 'info' | 'error' = 'info') => setMessage({ say, kind }), []);
  const onList = useCallback((l: SnapshotInfo[]) => setSnapshots(l), []);
  const openPerson = useCallback((id: string) => {
    setPersonId(id);
    setTab('log');
  }, []);

  return (
    <section className="pm-time" aria-label={s.title} lang={props.lang}>
      <div className="pm-time-tabs" role="tablist">
        {TABS.map((t) => (
          <button
            key={t}
            type="button"
            role="tab"
            id={`pm-time-tab-${t}`}
            aria-selected={tab === t}
            aria-controls={`pm-time-panel-${t}`}
            className={tab === t ? 'pm-time-tab-on' : ''}
            onClick={() => {
              setTab(t);
              setMessage(null);
            }}
          >
            {s.tabs[t]}
          </button>
        ))}
      </div>
      {message && (
        <div className={`pm-time-msg pm-time-msg-${message.kind}`} role={message.kind === 'error' ? 'alert' : 'status'}>
          <span>{said(message.say, props.lang)}</span>
          <button type="button" aria-label={s.common.close} onClick={() => setMessage(null)}>
            ×
          </button>
        </div>
      )}
      <div role="tabpanel" id={`pm-time-panel-${tab}`} aria-labelledby={`pm-time-tab-${tab}`}>
        {/* The snapshots tab stays mounted (hidden) so the compare picker always has the list. */}
        <div hidden={tab !== 'snapshots'}>
          <SnapshotsTab
            panel={props}
            onList={onList}
            notify={notify}
            onOpen={(title, map) => setViewer({ title, map })}
            onCompareWithNow={(id) => {
              setRequest((r) => ({ from: id, to: 'now', n: (r?.n ?? 0) + 1 }));
              setTab('compare');
            }}
          />
        </div>
        {/* So is the compare tab: its result and the marks it set on the map survive a look at another tab. */}
        <div hidden={tab !== 'compare'}>
          <CompareTab panel={props} snapshots={snapshots} request={request} notify={notify} onShowMap={setViewer} />
        </div>
        {tab === 'log' && <PersonLogTab panel={props} personId={personId} onPerson={setPersonId} notify={notify} />}
        {tab === 'upcoming' && <UpcomingTab panel={props} onPerson={openPerson} notify={notify} />}
      </div>
      {viewer && <MapViewer {...viewer} lang={props.lang} onClose={() => setViewer(null)} />}
    </section>
  );
}
