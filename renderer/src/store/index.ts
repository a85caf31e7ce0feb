/**
 * The renderer's state: one zustand store built from slices (zustand's "slices pattern").
 * - doc: the open map as the main side last reported it, patched with each edit's Change;
 * - view: what the user looks at (selection, layout, highlights, filters, search, tabs);
 * - app: language, theme, host info, errors.
 * Components read through selectors; handlers outside React use useStore.getState().
 */
import { create, type StateCreator } from 'zustand';
import type { ApiErrorShape, AppInfo } from '../../../shared/api';
import type {
  Attitude,
  Change,
  Influence,
  LayoutName,
  MapDocument,
  Position,
  RelationKind,
} from '../../../shared/domain';
import type { Lang } from '../../../shared/i18n/errors';
import type { EditLabel } from '../../../shared/i18n/history';
import type { Selection } from '../panels';

// ---------------------------------------------------------------------------------------------
// doc slice
// ---------------------------------------------------------------------------------------------

export interface DocSlice {
  doc: MapDocument | null;
  /** Replaces the document (open, create, reload). */
  loadDoc(doc: MapDocument): void;
  closeDoc(): void;
  /** Patches the document with what one edit changed. */
  applyChange(change: Change, noteRevs?: boolean): void;
  /**
   * Patches the document with someone else's edit on a team map (the live stream): rows an edit
   * of ours already wrote at a later revision stay as ours; the undo state stays this user's.
   */
  applyLive(change: Omit<Change, 'history'>): void;
  /** Merges positions of one layout into the document (after a drag or a computed layout). */
  mergePositions(layout: LayoutName, positions: Position[]): void;
  /** Forgets every stored position of one layout (after "unpin all"). */
  clearPositions(layout: LayoutName): void;
}

function upsert<T>(list: T[], items: T[] | undefined, key: (t: T) => string): T[] {
  if (!items?.length) return list;
  const index = new Map(list.map((t, i) => [key(t), i]));
  const out = list.slice();
  for (const it of items) {
    const i = index.get(key(it));
    if (i === undefined) {
      index.set(key(it), out.length);
      out.push(it);
    } else out[i] = it;
  }
  return out;
}
const without = <T>(list: T[], ids: string[] | undefined, key: (t: T) => string): T[] => {
  if (!ids?.length) return list;
  const gone = new Set(ids);
  return list.filter((t) => !gone.has(key(t)));
};
const covKey = (c: { memberId: string; personId: string }) => `${c.memberId}:${c.personId}`;

/** The document's positions with a Change's moved and removed ones applied (per layout). */
function patchPositions(positions: MapDocument['positions'], c: Change): MapDocument['positions'] {
  if (!c.positions?.length && !c.deleted?.positions?.length) return positions;
  const out = { ...positions };
  for (const layout of Object.keys(out) as LayoutName[]) {
    const gone = c.deleted?.positions?.filter((p) => p.layout === layout).map((p) => p.id);
    const put = c.positions?.filter((p) => p.layout === layout).map(({ id, x, y, pinned }) => ({ id, x, y, pinned }));
    if (gone?.length || put?.length) out[layout] = upsert(without(out[layout], gone, (p) => p.id), put, (p) => p.id);
  }
  return out;
}

export function patchDoc(doc: MapDocument, c: Change): MapDocument {
  const d = c.deleted ?? {};
  return {
    ...doc,
    positions: patchPositions(doc.positions, c),
    rev: c.rev,
    history: c.history,
    meta: c.meta ?? doc.meta,
    people: upsert(without(doc.people, d.people, (p) => p.id), c.people, (p) => p.id),
    relations: upsert(without(doc.relations, d.relations, (r) => r.id), c.relations, (r) => r.id),
    team: upsert(without(doc.team, d.team, (m) => m.id), c.team, (m) => m.id),
    coverage: upsert(
      without(doc.coverage, d.coverage?.map(covKey), covKey),
      c.coverage,
      covKey,
    ),
  };
}

/** The keys of the rows a Change writes or deletes, each with a keep/drop filter for stale live rows. */
const rowKeys = {
  people: (id: string) => `p:${id}`,
  relations: (id: string) => `r:${id}`,
  team: (id: string) => `t:${id}`,
  coverage: (c: { memberId: string; personId: string }) => `c:${covKey(c)}`,
  positions: (p: { layout: string; id: string }) => `x:${p.layout}:${p.id}`,
};
function changeKeys(c: Omit<Change, 'history'>): string[] {
  const d = c.deleted ?? {};
  return [
    ...(c.meta ? ['meta'] : []),
    ...(c.people ?? []).map((p) => rowKeys.people(p.id)),
    ...(d.people ?? []).map(rowKeys.people),
    ...(c.relations ?? []).map((r) => rowKeys.relations(r.id)),
    ...(d.relations ?? []).map(rowKeys.relations),
    ...(c.team ?? []).map((m) => rowKeys.team(m.id)),
    ...(d.team ?? []).map(rowKeys.team),
    ...(c.coverage ?? []).map(rowKeys.coverage),
    ...(d.coverage ?? []).map(rowKeys.coverage),
    ...(c.positions ?? []).map(rowKeys.positions),
    ...(d.positions ?? []).map(rowKeys.positions),
  ];
}
/** The revision at which each row was last written into the document (cleared with the document). */
const rowRevs = new Map<string, number>();
const noteRevs = (c: Omit<Change, 'history'>) => {
  for (const k of changeKeys(c)) rowRevs.set(k, Math.max(rowRevs.get(k) ?? 0, c.rev));
};

/** A live change without the rows the document already has from a later revision. */
export function freshPart(c: Omit<Change, 'history'>, revs: ReadonlyMap<string, number> = rowRevs): Omit<Change, 'history'> {
  const fresh = (k: string) => (revs.get(k) ?? -1) < c.rev;
  const keep = <T>(list: T[] | undefined, key: (t: T) => string): T[] | undefined => list?.filter((t) => fresh(key(t)));
  const d = c.deleted ?? {};
  return {
    rev: c.rev,
    ...(c.meta && fresh('meta') ? { meta: c.meta } : {}),
    people: keep(c.people, (p) => rowKeys.people(p.id)),
    relations: keep(c.relations, (r) => rowKeys.relations(r.id)),
    team: keep(c.team, (m) => rowKeys.team(m.id)),
    coverage: keep(c.coverage, rowKeys.coverage),
    positions: keep(c.positions, rowKeys.positions),
    deleted: {
      people: keep(d.people, rowKeys.people),
      relations: keep(d.relations, rowKeys.relations),
      team: keep(d.team, rowKeys.team),
      coverage: keep(d.coverage, rowKeys.coverage),
      positions: keep(d.positions, rowKeys.positions),
    },
  };
}

const createDocSlice: StateCreator<Store, [], [], DocSlice> = (set, get) => ({
  doc: null,
  loadDoc: (doc) => {
    rowRevs.clear();
    set({ doc, ...viewDefaults() });
  },
  closeDoc: () => {
    rowRevs.clear();
    set({ doc: null, ...viewDefaults() });
  },
  applyLive: (change) => {
    const doc = get().doc;
    if (!doc) return;
    const part = freshPart(change);
    noteRevs(part);
    get().applyChange({ ...part, rev: Math.max(doc.rev, change.rev), history: doc.history }, false);
  },
  applyChange: (change, note = true) =>
    set((s) => {
      if (!s.doc) return {};
      if (note) noteRevs(change);
      const doc = patchDoc(s.doc, change);
      // Drop a selection whose element is gone.
      let selection = s.selection;
      const gone = change.deleted;
      if (selection && gone) {
        if (selection.type === 'person' && gone.people?.includes(selection.id)) selection = null;
        else if (selection.type === 'relation' && gone.relations?.includes(selection.id)) selection = null;
        else if (selection.type === 'member' && gone.team?.includes(selection.id)) selection = null;
        else if (selection.type === 'coverage' && gone.coverage?.some((c) => covKey(c) === selection!.id)) selection = null;
      }
      return { doc, selection };
    }),
  mergePositions: (layout, positions) =>
    set((s) => {
      if (!s.doc || !positions.length) return {};
      const merged = upsert(s.doc.positions[layout], positions, (p) => p.id);
      return { doc: { ...s.doc, positions: { ...s.doc.positions, [layout]: merged } } };
    }),
  clearPositions: (layout) =>
    set((s) => (s.doc ? { doc: { ...s.doc, positions: { ...s.doc.positions, [layout]: [] } } } : {})),
});

// ---------------------------------------------------------------------------------------------
// view slice
// ---------------------------------------------------------------------------------------------

export type SelectionRef =
  | { type: 'person'; id: string }
  | { type: 'member'; id: string }
  | { type: 'relation'; id: string }
  /** id = memberId:personId */
  | { type: 'coverage'; id: string }
  | null;

export type SideTab = 'inspector' | 'map' | 'insights' | 'exchange' | 'time';

export interface Filters {
  roles: string[];
  attitudes: Attitude[];
  influences: Influence[];
  departments: string[];
  /** Edge kinds to show; coverage hides our team too. Empty = all. */
  edgeKinds: (RelationKind | 'coverage')[];
  /** People with a stale or an unverified fact (issue 20). */
  freshness?: ('stale' | 'unverified')[];
}
const emptyFilters = (): Filters => ({ roles: [], attitudes: [], influences: [], departments: [], edgeKinds: [], freshness: [] });
export const filtersActive = (f: Filters): boolean =>
  f.roles.length + f.attitudes.length + f.influences.length + f.departments.length + f.edgeKinds.length + (f.freshness?.length ?? 0) > 0;

export interface ViewSlice {
  selection: SelectionRef;
  layout: LayoutName;
  showCoaches: boolean;
  showConflicts: boolean;
  /** Our team's coverage lines all shown (otherwise only the selection's). */
  showCoverage: boolean;
  /** Full cards in every layout (the org chart always has them). */
  cardsEverywhere: boolean;
  /** Stale and unverified facts marked on the map (issue 20). */
  showEvidence: boolean;
  /** The review of stale and unverified facts is on. */
  reviewing: boolean;
  /** The source the user last chose: the default for the next fact they set. */
  lastSource: string | null;
  /** How far the neighbourhood of a selected person reaches (1 or 2 hops). */
  hops: 1 | 2;
  /** A highlight set by a side panel (Insights, Time…). */
  panelHighlight: Selection | null;
  /** Node classes set by side panels, per source. */
  marks: Record<string, Record<string, string[]>>;
  search: string;
  filters: Filters;
  sideTab: SideTab;
  help: boolean;
  /** Connect mode: click one person, then another (or drag from one to the other) to draw a line. */
  connectMode: boolean;
  /** In connect mode, the element id of the first person clicked (null: none yet). */
  connectSource: string | null;
  /** A layout is being computed. */
  layingOut: boolean;
  /** Increments to ask the canvas to re-run the current layout (pinned people stay). */
  relayoutTick: number;
  /** Increments to ask the canvas to fit/centre; focusId centres on one element. */
  focusTick: number;
  focusId: string | null;
  focusMode: 'center' | 'fit';
  /** "New line from this person" asked from the keyboard or the inspector (person id). */
  connectFrom: string | null;
  setConnectFrom(id: string | null): void;
  select(sel: SelectionRef): void;
  setLayout(layout: LayoutName): void;
  toggleCoaches(): void;
  toggleConflicts(): void;
  toggleCoverage(): void;
  toggleCards(): void;
  toggleEvidence(): void;
  setReviewing(on: boolean): void;
  setLastSource(source: string | null): void;
  setHops(h: 1 | 2): void;
  setPanelHighlight(sel: Selection | null): void;
  setMarks(source: string, classes: Record<string, string[]>): void;
  setSearch(q: string): void;
  setFilters(f: Partial<Filters>): void;
  clearFilters(): void;
  setSideTab(tab: SideTab): void;
  setHelp(open: boolean): void;
  setConnectMode(on: boolean): void;
  setConnectSource(id: string | null): void;
  setLayingOut(on: boolean): void;
  relayout(): void;
  /** Centres on `id` (and pulses it), fits it with its neighbours (`fit`), or fits the whole map (null). */
  focus(id: string | null, mode?: 'center' | 'fit'): void;
}

const viewDefaults = () => ({
  selection: null as SelectionRef,
  showCoaches: false,
  showConflicts: false,
  showCoverage: false,
  cardsEverywhere: false,
  showEvidence: true,
  reviewing: false,
  lastSource: null as string | null,
  panelHighlight: null as Selection | null,
  marks: {} as Record<string, Record<string, string[]>>,
  search: '',
  filters: emptyFilters(),
  connectMode: false,
  connectSource: null as string | null,
  layingOut: false,
  focusId: null as string | null,
  focusMode: 'center' as 'center' | 'fit',
  connectFrom: null as string | null,
});

const createViewSlice: StateCreator<Store, [], [], ViewSlice> = (set) => ({
  ...viewDefaults(),
  layout: 'org',
  hops: 1,
  sideTab: 'inspector',
  help: false,
  relayoutTick: 0,
  focusTick: 0,
  setConnectFrom: (connectFrom) => set({ connectFrom }),
  select: (selection) => set(selection ? { selection, sideTab: 'inspector' } : { selection }),
  setLayout: (layout) => set({ layout }),
  toggleCoaches: () => set((s) => ({ showCoaches: !s.showCoaches })),
  toggleConflicts: () => set((s) => ({ showConflicts: !s.showConflicts })),
  toggleCoverage: () => set((s) => ({ showCoverage: !s.showCoverage })),
  toggleCards: () => set((s) => ({ cardsEverywhere: !s.cardsEverywhere })),
  toggleEvidence: () => set((s) => ({ showEvidence: !s.showEvidence })),
  setReviewing: (reviewing) => set({ reviewing }),
  setLastSource: (lastSource) => set({ lastSource }),
  setHops: (hops) => set({ hops }),
  setPanelHighlight: (panelHighlight) => set({ panelHighlight }),
  setMarks: (source, classes) =>
    set((s) => {
      const marks = { ...s.marks };
      if (Object.keys(classes).length) marks[source] = classes;
      else delete marks[source];
      return { marks };
    }),
  setSearch: (search) => set({ search }),
  setFilters: (f) => set((s) => ({ filters: { ...s.filters, ...f } })),
  clearFilters: () => set({ filters: emptyFilters() }),
  setSideTab: (sideTab) => set({ sideTab }),
  setHelp: (help) => set({ help }),
  setConnectMode: (connectMode) => set({ connectMode, connectSource: null }),
  setConnectSource: (connectSource) => set({ connectSource }),
  setLayingOut: (layingOut) => set({ layingOut }),
  relayout: () => set((s) => ({ relayoutTick: s.relayoutTick + 1 })),
  focus: (focusId, mode = 'center') => set((s) => ({ focusId, focusMode: mode, focusTick: s.focusTick + 1 })),
});

// ---------------------------------------------------------------------------------------------
// app slice
// ---------------------------------------------------------------------------------------------

export type ThemePref = 'system' | 'light' | 'dark';

/**
 * A short message that comes and goes (undone steps, connect mode, warnings): a translation key
 * and its parameters, put into words when shown, so it follows a language switch.
 */
export interface Notice {
  key: string;
  params?: Record<string, string | number>;
  /** An undo step's name, translated when shown (as `what`). */
  label?: EditLabel | null;
  tone?: 'info' | 'warning';
}

export interface AppError {
  message: string;
  details?: string[];
  /** What the main side said beyond the translated message (shown apart, as a technical note). */
  technical?: string | null;
  /** The error as it came: the banner says it again in the language shown now. */
  shape?: ApiErrorShape;
}

export interface AppSlice {
  info: AppInfo | null;
  lang: Lang;
  themePref: ThemePref;
  systemDark: boolean;
  error: AppError | null;
  notice: (Notice & { seq: number }) | null;
  setInfo(info: AppInfo): void;
  setLang(lang: Lang): void;
  setThemePref(t: ThemePref): void;
  setSystemDark(dark: boolean): void;
  setError(e: AppError | null): void;
  setNotice(n: Notice | null): void;
}

const createAppSlice: StateCreator<Store, [], [], AppSlice> = (set) => ({
  info: null,
  lang: 'en-US',
  themePref: 'system',
  systemDark: false,
  error: null,
  notice: null,
  setInfo: (info) => set({ info }),
  setLang: (lang) => set({ lang }),
  setThemePref: (themePref) => set({ themePref }),
  setSystemDark: (systemDark) => set({ systemDark }),
  setError: (error) => set({ error }),
  setNotice: (notice) => set((s) => ({ notice: notice ? { ...notice, seq: (s.notice?.seq ?? 0) + 1 } : null })),
});

export type Store = DocSlice & ViewSlice & AppSlice;

export const useStore = create<Store>()((...a) => ({
  ...createDocSlice(...a),
  ...createViewSlice(...a),
  ...createAppSlice(...a),
}));

const initialState = useStore.getState();
/** Back to the state at start (tests, and closing a map keeps only app settings). */
export const resetStore = (): void => useStore.setState(initialState, true);

/** The theme actually shown. */
export const selectTheme = (s: Store): 'light' | 'dark' =>
  s.themePref === 'system' ? (s.systemDark ? 'dark' : 'light') : s.themePref;
