/**
 * The map canvas: a div React renders once; the CanvasController (Cytoscape) created in a ref,
 * destroyed on unmount. Store changes reach it as calls (sync, setView); its events go back
 * to the store and the API. Overlays: the quick-add box of a double-click, the line-type picker
 * after a drag, and a hover card with a person's title and department. (The power grid's axes and
 * quadrants are drawn by Cytoscape itself, so they reach every export.)
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MapMeta, Person } from '../../../shared/domain';
import { PERSON_FACTS, freshness, personEvidence, thresholdDays } from '../../../shared/evidence';
import { evidenceMarks } from '../../../shared/visual/evidence';
import { buildIndex, search as runSearch } from '../../../shared/search';
import { ATTITUDE_LABEL, INFLUENCE_LABEL } from '../../../shared/i18n/domain';
import { coverageEdgeId, memberNodeId, parseElementId, relationEdgeId } from '../../../shared/visual/style';
import { selectReadOnly, useTeam } from '../team/state';
import { createPerson, moveNodes, parseQuickAdd, savePositions } from '../store/actions';
import { selectTheme, useStore, type Filters, type SelectionRef } from '../store';
import { CanvasController, type ViewClasses } from './controller';
import { EdgePicker, type PendingEdge } from './EdgePicker';
import { CanvasControls } from '../components/Toolbar';

declare global {
  interface Window {
    /** For end-to-end tests and the benchmark: the live Cytoscape instance and the store. */
    __powermap?: { cy: import('cytoscape').Core; store: typeof useStore; controller: CanvasController };
  }
}

export const elementIdOf = (sel: SelectionRef): string | null => {
  if (!sel) return null;
  if (sel.type === 'person') return sel.id;
  if (sel.type === 'member') return memberNodeId(sel.id);
  if (sel.type === 'relation') return relationEdgeId(sel.id);
  const [m = '', p = ''] = sel.id.split(':');
  return coverageEdgeId(m, p);
};

export const selectionOf = (elementId: string | null): SelectionRef => {
  if (!elementId) return null;
  const ref = parseElementId(elementId);
  if (ref.type === 'coverage') return { type: 'coverage', id: `${ref.memberId}:${ref.personId}` };
  return ref;
};

/** People hidden by the filters, and edge kinds hidden. */
export function hiddenBy(
  filters: Filters,
  people: Person[],
  teamIds: string[],
  meta?: MapMeta,
  now: number = Date.now(),
): { nodes: Set<string>; kinds: Set<string> } {
  const nodes = new Set<string>();
  const fresh = filters.freshness ?? [];
  const days = thresholdDays(meta);
  // A person matches "stale" / "unverified" when one of their facts is.
  const freshOk = (p: Person) => {
    if (!fresh.length) return true;
    const ev = personEvidence(p);
    return PERSON_FACTS.some((k) => (fresh as string[]).includes(freshness(ev[k], now, days)));
  };
  for (const p of people) {
    const ok =
      freshOk(p) &&
      (!filters.roles.length || p.roles.some((r) => filters.roles.includes(r))) &&
      (!filters.attitudes.length || filters.attitudes.includes(p.attitude)) &&
      (!filters.influences.length || filters.influences.includes(p.influence)) &&
      (!filters.departments.length || filters.departments.includes(p.department));
    if (!ok) nodes.add(p.id);
  }
  const kinds = new Set<string>();
  if (filters.edgeKinds.length) {
    for (const k of ['reports_to', 'influence', 'alliance', 'conflict', 'coverage'] as const)
      if (!filters.edgeKinds.includes(k)) kinds.add(k);
    if (kinds.has('coverage')) for (const id of teamIds) nodes.add(memberNodeId(id));
  }
  return { nodes, kinds };
}

export function MapCanvas() {
  const { t } = useTranslation();
  const box = useRef<HTMLDivElement>(null);
  const ctl = useRef<CanvasController | null>(null);
  const doc = useStore((s) => s.doc);
  const layout = useStore((s) => s.layout);
  const theme = useStore(selectTheme);
  const selection = useStore((s) => s.selection);
  const hops = useStore((s) => s.hops);
  const showCoaches = useStore((s) => s.showCoaches);
  const showConflicts = useStore((s) => s.showConflicts);
  const showCoverage = useStore((s) => s.showCoverage);
  const lang = useStore((s) => s.lang);
  const [hover, setHover] = useState<{ id: string; x: number; y: number } | null>(null);
  const panelHighlight = useStore((s) => s.panelHighlight);
  const marks = useStore((s) => s.marks);
  const showEvidence = useStore((s) => s.showEvidence);
  const query = useStore((s) => s.search);
  const filters = useStore((s) => s.filters);
  const connectMode = useStore((s) => s.connectMode);
  const relayoutTick = useStore((s) => s.relayoutTick);
  const focusTick = useStore((s) => s.focusTick);
  const [quick, setQuick] = useState<{ model: { x: number; y: number }; at: { x: number; y: number } } | null>(null);
  const [pending, setPending] = useState<PendingEdge | null>(null);
  const connectFrom = useStore((s) => s.connectFrom);

  // Create once, destroy on unmount.
  useEffect(() => {
    const el = box.current!;
    let frame = 0;
    const controller = new CanvasController(el, selectTheme(useStore.getState()), {
      select: (id) => {
        const s = useStore.getState();
        if (s.connectMode) {
          // Connect mode: the first person clicked, then the one to connect with.
          const ref = id ? parseElementId(id) : null;
          if (!id || !ref || (ref.type !== 'person' && ref.type !== 'member')) {
            s.setConnectSource(null);
            if (!id) s.select(null);
            return;
          }
          const from = s.connectSource;
          if (!from || from === id) {
            s.setConnectSource(id);
            s.select(selectionOf(id));
            return;
          }
          if (parseElementId(from).type === 'member' && ref.type === 'member') {
            s.setNotice({ key: 'connect.teamPair', tone: 'warning' });
            return;
          }
          const r = controller.cy.getElementById(id).renderedPosition();
          s.setConnectSource(null);
          setPending({ source: from, target: id, at: { x: r.x, y: r.y } });
          return;
        }
        s.select(selectionOf(id));
      },
      dblclickBackground: (model, rendered) => setQuick({ model, at: rendered }),
      connect: (source, target, at) => setPending({ source, target, at }),
      positions: (layoutName, positions) => void savePositions(layoutName, positions),
      moved: (layoutName, moves) => void moveNodes(layoutName, moves),
      layingOut: (on) => useStore.getState().setLayingOut(on),
      viewport: () => {
        if (frame) return;
        frame = requestAnimationFrame(() => {
          frame = 0;
          setHover(null);
        });
      },
      hover: (h) => setHover(h),
    });
    ctl.current = controller;
    window.__powermap = { cy: controller.cy, store: useStore, controller };
    return () => {
      cancelAnimationFrame(frame);
      controller.destroy();
      ctl.current = null;
      delete window.__powermap;
    };
  }, []);

  useEffect(() => {
    if (doc) ctl.current?.sync(doc, layout, lang);
  }, [doc, layout, lang]);

  useEffect(() => ctl.current?.setTheme(theme), [theme]);
  const cardsEverywhere = useStore((s) => s.cardsEverywhere);
  useEffect(() => ctl.current?.setCardsEverywhere(cardsEverywhere), [cardsEverywhere]);
  useEffect(() => {
    if (!connectFrom || !ctl.current) return;
    useStore.getState().setConnectFrom(null);
    const n = ctl.current.cy.getElementById(connectFrom);
    if (n.empty()) return;
    const r = n.renderedPosition();
    setPending({ source: connectFrom, target: null, at: { x: r.x, y: r.y } });
  }, [connectFrom]);
  useEffect(() => ctl.current?.setConnectMode(connectMode), [connectMode]);
  const readOnly = useTeam(selectReadOnly);
  useEffect(() => ctl.current?.setReadOnly(readOnly), [readOnly]);
  useEffect(() => {
    if (relayoutTick) ctl.current?.relayout();
  }, [relayoutTick]);
  useEffect(() => {
    // No id: fit the whole map, whoever is selected ("Fit" and F).
    if (focusTick) ctl.current?.focusOn(useStore.getState().focusId, useStore.getState().focusMode);
  }, [focusTick]);

  const people = doc?.people;
  const searching = query.trim() !== '';
  const index = useMemo(() => (searching ? buildIndex(people ?? []) : null), [searching, people]);
  const matches = useMemo(() => (index ? runSearch(index, query) : null), [index, query]);
  const teamIds = useMemo(() => (doc?.team ?? []).map((m) => m.id), [doc?.team]);
  const meta = doc?.meta;
  const hidden = useMemo(() => hiddenBy(filters, people ?? [], teamIds, meta), [filters, people, teamIds, meta]);
  const relations = doc?.relations;
  const evMarks = useMemo(
    () => (showEvidence && people && relations ? evidenceMarks({ people, relations }, Date.now(), thresholdDays(meta)) : {}),
    [showEvidence, people, relations, meta],
  );
  const mergedMarks = useMemo(() => {
    const out: Record<string, string[]> = {};
    for (const src of [...Object.values(marks), evMarks])
      for (const [id, cls] of Object.entries(src)) out[id] = [...new Set([...(out[id] ?? []), ...cls])];
    return out;
  }, [marks, evMarks]);

  useEffect(() => {
    if (!doc) return;
    const panel = panelHighlight
      ? [...panelHighlight.people, ...panelHighlight.relations.map(relationEdgeId)]
      : null;
    const v: ViewClasses = {
      selected: elementIdOf(selection),
      hops,
      showCoaches,
      showConflicts,
      showCoverage,
      panel,
      search: matches,
      hiddenNodes: hidden.nodes,
      hiddenEdgeKinds: hidden.kinds,
      marks: mergedMarks,
    };
    ctl.current?.setView(v);
  }, [doc, selection, hops, showCoaches, showConflicts, showCoverage, panelHighlight, matches, hidden, mergedMarks]);

  return (
    <div className="canvas-wrap" data-testid="canvas-wrap">
      <div ref={box} className="canvas" data-testid="canvas" aria-label={t('toolbar.layout')} />
      <CanvasControls />
      {quick && (
        <QuickAddBox
          at={quick.at}
          onCancel={() => setQuick(null)}
          onSubmit={async (line) => {
            const fields = parseQuickAdd(line);
            setQuick(null);
            if (!fields) return;
            const id = await createPerson(fields, quick.model);
            if (id) useStore.getState().select({ type: 'person', id });
          }}
        />
      )}
      {pending && <EdgePicker pending={pending} onDone={() => setPending(null)} />}
      {hover && doc && <HoverCard doc={doc} at={hover} lang={lang} />}
    </div>
  );
}

/** A person's (or team member's) details under the pointer: the title even where the label is short. */
function HoverCard({ doc, at, lang }: { doc: NonNullable<ReturnType<typeof useStore.getState>['doc']>; at: { id: string; x: number; y: number }; lang: 'en-US' | 'zh-CN' }) {
  const ref = parseElementId(at.id);
  const p = ref.type === 'person' ? doc.people.find((x) => x.id === ref.id) : undefined;
  const m = ref.type === 'member' ? doc.team.find((x) => x.id === ref.id) : undefined;
  if (!p && !m) return null;
  return (
    <div className="hover-card" style={{ left: at.x, top: at.y + 6 }} data-testid="hover-card" role="tooltip">
      <b>{p?.name ?? m?.name}</b>
      {p ? (
        <>
          {p.title && <div>{p.title}</div>}
          {p.department && <div className="muted">{p.department}</div>}
          <div className="muted">
            {ATTITUDE_LABEL[p.attitude][lang]} · {lang === 'zh-CN' ? '影响力' : 'influence'} {INFLUENCE_LABEL[p.influence][lang].toLowerCase()}
          </div>
        </>
      ) : (
        m?.role && <div>{m.role}</div>
      )}
    </div>
  );
}

function QuickAddBox(props: { at: { x: number; y: number }; onSubmit(line: string): void; onCancel(): void }) {
  const { t } = useTranslation();
  const [value, setValue] = useState('');
  const done = useRef(false);
  const finish = (submit: boolean) => {
    if (done.current) return;
    done.current = true;
    if (submit && value.trim()) props.onSubmit(value);
    else props.onCancel();
  };
  return (
    <div className="popup" style={{ left: props.at.x, top: props.at.y }} data-testid="canvas-quick-add">
      <input
        autoFocus
        value={value}
        placeholder={t('quick.placeholder')}
        aria-label={t('quick.placeholder')}
        onChange={(e) => setValue(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') finish(true);
          if (e.key === 'Escape') finish(false);
          e.stopPropagation();
        }}
        onBlur={() => finish(true)}
      />
      <div className="hint">{t('quick.hint')}</div>
    </div>
  );
}
