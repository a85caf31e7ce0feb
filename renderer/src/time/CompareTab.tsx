/**
 * What changed: pick two snapshots (or a snapshot and now), see the differences grouped by
 * section, mark changed and joined people on the map, and show who left as ghosts in a viewer.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { Comparison } from '../../../shared/api/time';
import { LAYOUTS, type MapDocument, type Person } from '../../../shared/domain';
import { SECTION_TITLES, describeDifference, sectionOf, type Difference, type Section } from '../../../shared/time';
import type { SnapshotInfo, SnapshotRef } from '../../../shared/time/types';
import type { PanelProps } from '../panels';
import type { MapViewerProps, ViewerMap } from './MapViewer';
import { fill, stringsFor } from './strings';
import { errorSay, formatWhen, type Say } from './util';

export interface CompareTabProps {
  panel: PanelProps;
  snapshots: SnapshotInfo[];
  /** A request from elsewhere (the snapshots list) to compare this pair now. */
  request: { from: SnapshotRef; to: SnapshotRef; n: number } | null;
  onShowMap(p: Omit<MapViewerProps, 'lang' | 'onClose'>): void;
  notify(message: Say, kind?: 'info' | 'error'): void;
}

/** The people a difference is about, and the relation if it is one (ids in the later map). */
function involved(d: Difference): string[] {
  if ('person' in d) return [d.person.id];
  if ('source' in d) return [d.source.id, d.target.id];
  return [];
}

export function CompareTab({ panel, snapshots, request, onShowMap, notify }: CompareTabProps) {
  const { api, lang, doc } = panel;
  const s = stringsFor(lang);
  const [from, setFrom] = useState<SnapshotRef | ''>('');
  const [to, setTo] = useState<SnapshotRef>('now');
  const [result, setResult] = useState<Comparison | null>(null);
  const [onMap, setOnMap] = useState(true);
  const [busy, setBusy] = useState(false);

  // Default: the newest snapshot against now.
  useEffect(() => {
    if (from === '' && snapshots[0]) setFrom(snapshots[0].id);
    if (from !== '' && from !== 'now' && !snapshots.some((x) => x.id === from)) setFrom(snapshots[0]?.id ?? '');
  }, [snapshots, from]);

  const run = async (a: SnapshotRef, b: SnapshotRef) => {
    setBusy(true);
    try {
      setResult(await api.call('snapshot.compare', { a, b }));
    } catch (e) {
      setResult(null);
      notify(errorSay(e), 'error');
    } finally {
      setBusy(false);
    }
  };

  useEffect(() => {
    if (!request) return;
    setFrom(request.from);
    setTo(request.to);
    void run(request.from, request.to);
  }, [request]);

  // A comparison with 'now' goes stale when the map changes: compare again.
  useEffect(() => {
    if (result && (result.from.ref === 'now' || result.to.ref === 'now')) void run(result.from.ref, result.to.ref);
  }, [doc.rev]);

  // Marks on the open map: only for people who are on it. Through a ref, so a window that passes
  // a new mark function on every render cannot make marking re-run (and re-render) in a loop.
  const markRef = useRef(panel.mark);
  markRef.current = panel.mark;
  const present = useMemo(() => new Set(doc.people.map((p) => p.id)), [doc.people]);
  useEffect(() => {
    if (!result || !onMap) {
      markRef.current('time', {});
      return;
    }
    const classes: Record<string, string[]> = {};
    for (const id of result.marks.changed) if (present.has(id)) classes[id] = ['changed'];
    for (const id of result.marks.added) if (present.has(id)) classes[id] = ['added'];
    markRef.current('time', classes);
  }, [result, onMap, present]);
  useEffect(() => () => markRef.current('time', {}), []);

  const groups = useMemo(() => {
    const g = new Map<Section, Difference[]>();
    for (const d of result?.differences ?? []) {
      const sec = sectionOf(d);
      (g.get(sec) ?? g.set(sec, []).get(sec)!).push(d);
    }
    return [...g];
  }, [result]);

  const label = (ref: SnapshotRef | '') => {
    if (ref === 'now' || ref === '') return s.common.now;
    const snap = snapshots.find((x) => x.id === ref);
    return snap ? snap.name : ref;
  };

  const mapOf = async (ref: SnapshotRef): Promise<ViewerMap> => (ref === 'now' ? (doc as MapDocument) : await api.call('snapshot.get', { id: ref }));

  const showMap = async () => {
    if (!result) return;
    try {
      const [before, after] = await Promise.all([mapOf(result.from.ref), mapOf(result.to.ref)]);
      const byId = new Map<string, Person>(before.people.map((p) => [p.id, p]));
      const oldPos = new Map<string, { x: number; y: number }>();
      for (const l of LAYOUTS) for (const p of before.positions[l] ?? []) if (!oldPos.has(p.id)) oldPos.set(p.id, { x: p.x, y: p.y });
      const ghosts = result.marks.removed.flatMap((r) => {
        const person = byId.get(r.id);
        return person ? [{ person, position: oldPos.get(r.id) ?? null }] : [];
      });
      const newRelations = result.differences.flatMap((d) =>
        d.kind === 'relation-added'
          ? after.relations
              .filter((r) => r.kind === d.relation && ((r.source === d.source.id && r.target === d.target.id) || (r.source === d.target.id && r.target === d.source.id)))
              .map((r) => r.id)
          : [],
      );
      onShowMap({
        title: fill(s.compare.ghostTitle, { from: label(result.from.ref), to: label(result.to.ref) }),
        map: after,
        changed: result.marks.changed,
        added: result.marks.added,
        addedRelations: newRelations,
        ghosts,
      });
    } catch (e) {
      notify(errorSay(e), 'error');
    }
  };

  if (snapshots.length === 0) return <p className="pm-time-empty">{s.compare.needSnapshot}</p>;

  const option = (x: SnapshotInfo) => (
    <option key={x.id} value={x.id}>
      {x.name} — {formatWhen(x.takenAt, lang)}
    </option>
  );
  const n = result?.differences.length ?? 0;
  return (
    <div className="pm-time-tab" data-testid="time-compare">
      <form
        className="pm-time-grid2"
        onSubmit={(e) => {
          e.preventDefault();
          if (from !== '') void run(from, to);
        }}
      >
        <label>
          {s.compare.from}
          <select value={from} onChange={(e) => setFrom(e.target.value)}>
            {snapshots.map(option)}
            <option value="now">{s.common.now}</option>
          </select>
        </label>
        <label>
          {s.compare.to}
          <select value={to} onChange={(e) => setTo(e.target.value)}>
            <option value="now">{s.common.now}</option>
            {snapshots.map(option)}
          </select>
        </label>
        <div className="pm-time-row">
          <button type="submit" disabled={busy || from === ''}>
            {s.compare.run}
          </button>
          <button
            type="button"
            onClick={() => {
              if (from === '') return;
              setFrom(to);
              setTo(from);
            }}
          >
            {s.compare.swap}
          </button>
        </div>
      </form>

      {result && (
        <section className="pm-time-result" aria-live="polite">
          <div className="pm-time-item-head">
            <strong data-testid="time-compare-summary">
              {n === 0 ? s.compare.nothing : n === 1 ? s.compare.summaryOne : fill(s.compare.summary, { n })}
              {result.newConflicts > 0 && (
                <span className="pm-time-warn"> · {result.newConflicts === 1 ? s.compare.conflictsOne : fill(s.compare.conflicts, { n: result.newConflicts })}</span>
              )}
            </strong>
          </div>
          {n > 0 && (
            <div className="pm-time-row">
              <label className="pm-time-check">
                <input type="checkbox" checked={onMap} onChange={(e) => setOnMap(e.target.checked)} /> {s.compare.onMap}
              </label>
              <button type="button" onClick={() => void showMap()}>
                {s.compare.showMap}
              </button>
            </div>
          )}
          {result.marks.removed.length > 0 && (
            <div className="pm-time-left" data-testid="time-compare-left">
              <strong>{s.compare.left}:</strong> {result.marks.removed.map((r) => r.name).join(lang === 'zh-CN' ? '、' : ', ')}
            </div>
          )}
          {groups.map(([section, diffs]) => (
            <div key={section} className="pm-time-section">
              <h4>{SECTION_TITLES[lang][section]}</h4>
              <ul className="pm-time-changes">
                {diffs.map((d, i) => {
                  const ids = involved(d).filter((id) => present.has(id));
                  const text = describeDifference(d, lang);
                  return (
                    <li key={i} className={`pm-time-change pm-time-k-${d.kind}${d.kind === 'relation-added' && d.relation === 'conflict' ? ' pm-time-conflict' : ''}`}>
                      {ids.length ? (
                        <button type="button" className="pm-time-link" onClick={() => panel.highlight({ people: ids, relations: [] })}>
                          {text}
                        </button>
                      ) : (
                        <span>{text}</span>
                      )}
                    </li>
                  );
                })}
              </ul>
            </div>
          ))}
        </section>
      )}
    </div>
  );
}
