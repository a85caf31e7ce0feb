/** The people of the map as a list (searchable, filterable); a click selects and centres. */
import { useMemo, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ATTITUDES, BUILTIN_ROLES, INFLUENCES, RELATION_KINDS, type Attitude, type Influence } from '../../../shared/domain';
import { ATTITUDE_LABEL, INFLUENCE_LABEL, RELATION_LABEL, roleName } from '../../../shared/i18n/domain';
import { buildIndex, search } from '../../../shared/search';
import { ATTITUDE_FILL, roleBadges } from '../../../shared/visual/style';
import { hiddenBy } from '../canvas/MapCanvas';
import { filtersActive, useStore, type Filters } from '../store';

const toggle = <T,>(list: T[], v: T): T[] => (list.includes(v) ? list.filter((x) => x !== v) : [...list, v]);

export function PeopleList() {
  const { t } = useTranslation();
  const lang = useStore((s) => s.lang);
  const doc = useStore((s) => s.doc)!;
  const query = useStore((s) => s.search);
  const filters = useStore((s) => s.filters);
  const selection = useStore((s) => s.selection);
  const [showFilters, setShowFilters] = useState(false);
  const searching = query.trim() !== '';
  // The pinyin index is built only once someone searches.
  const index = useMemo(() => (searching ? buildIndex(doc.people) : null), [searching, doc.people]);
  const hidden = useMemo(() => hiddenBy(filters, doc.people, [], doc.meta).nodes, [filters, doc.people, doc.meta]);
  const sorted = useMemo(() => {
    const collator = new Intl.Collator(lang);
    return [...doc.people].sort((a, b) => collator.compare(a.name, b.name));
  }, [doc.people, lang]);
  const shown = useMemo(() => {
    const byId = new Map(doc.people.map((p) => [p.id, p]));
    const base = index ? search(index, query).map((id) => byId.get(id)!) : sorted;
    return base.filter((p) => p && !hidden.has(p.id));
  }, [query, index, sorted, doc.people, hidden]);

  return (
    <section className="people" aria-label={t('people.title')} data-testid="people-list">
      <header className="people-head">
        <h2>{t('people.title')}</h2>
        <span className="muted small" data-testid="people-count">
          {t('people.count', { shown: shown.length, total: doc.people.length })}
        </span>
        <button
          type="button"
          className={`small ${filtersActive(filters) ? 'on' : ''}`}
          aria-expanded={showFilters}
          data-testid="filters-toggle"
          onClick={() => setShowFilters(!showFilters)}
        >
          ⚲ {t('people.filters')}
        </button>
      </header>
      <div className="people-search">
        <input
          type="search"
          className="search"
          data-testid="search"
          aria-label={t('toolbar.search')}
          placeholder={t('toolbar.search')}
          value={query}
          onChange={(e) => useStore.getState().setSearch(e.target.value)}
          onKeyDown={(e) => {
            e.stopPropagation();
            if (e.key === 'Escape') {
              useStore.getState().setSearch('');
              (e.target as HTMLInputElement).blur();
            }
            if (e.key === 'Enter' && shown[0]) {
              // The jump: select, centre and pulse the first match; the keys act on the map again.
              useStore.getState().select({ type: 'person', id: shown[0].id });
              useStore.getState().focus(shown[0].id);
              (e.target as HTMLInputElement).blur();
            }
          }}
        />
      </div>
      {showFilters && <FiltersBox filters={filters} />}
      <VirtualList count={shown.length} render={(i) => {
        const p = shown[i]!;
        const sel = selection?.type === 'person' && selection.id === p.id;
        return (
          <li key={p.id}>
            <button
              type="button"
              className={`person-item ${sel ? 'selected' : ''}`}
              data-testid="person-item"
              data-person-id={p.id}
              onClick={() => {
                useStore.getState().select({ type: 'person', id: p.id });
                useStore.getState().focus(p.id);
              }}
            >
              <span className="dot" style={{ background: ATTITUDE_FILL[p.attitude] }} title={ATTITUDE_LABEL[p.attitude][lang]} />
              <span className="person-name">{p.name}</span>
              <span className="badges">{roleBadges(p.roles)}</span>
              <span className="person-sub">{[p.title, p.department].filter(Boolean).join(' · ')}</span>
            </button>
          </li>
        );
      }} />
      {doc.people.length === 0 && <p className="muted small">{t('people.empty')}</p>}
      {doc.people.length > 0 && shown.length === 0 && <p className="muted small">{t('people.noMatch')}</p>}
    </section>
  );
}

function FiltersBox({ filters }: { filters: Filters }) {
  const { t } = useTranslation();
  const lang = useStore((s) => s.lang);
  const doc = useStore((s) => s.doc)!;
  const set = useStore((s) => s.setFilters);
  const departments = useMemo(() => [...new Set(doc.people.map((p) => p.department).filter(Boolean))].sort(), [doc.people]);
  const customRoles = useMemo(
    () => [...new Set(doc.people.flatMap((p) => p.roles).filter((r) => !(BUILTIN_ROLES as readonly string[]).includes(r)))],
    [doc.people],
  );
  const chip = (on: boolean, label: string, onClick: () => void, testId?: string, swatch?: string) => (
    <button type="button" key={label} className={`fchip ${on ? 'on' : ''}`} aria-pressed={on} onClick={onClick} data-testid={testId}>
      {swatch && <span className="swatch" style={{ background: swatch }} />}
      {label}
    </button>
  );
  return (
    <div className="filters" data-testid="filters">
      <div className="frow">
        <span className="flabel">{t('people.role')}</span>
        {[...BUILTIN_ROLES, ...customRoles].map((r) =>
          chip(filters.roles.includes(r), roleName(r, lang), () => set({ roles: toggle(filters.roles, r) }), `filter-role-${r}`),
        )}
      </div>
      <div className="frow">
        <span className="flabel">{t('people.attitude')}</span>
        {ATTITUDES.map((a: Attitude) =>
          chip(filters.attitudes.includes(a), ATTITUDE_LABEL[a][lang], () => set({ attitudes: toggle(filters.attitudes, a) }), `filter-attitude-${a}`, ATTITUDE_FILL[a]),
        )}
      </div>
      <div className="frow">
        <span className="flabel">{t('people.influence')}</span>
        {INFLUENCES.map((i: Influence) =>
          chip(filters.influences.includes(i), INFLUENCE_LABEL[i][lang], () => set({ influences: toggle(filters.influences, i) }), `filter-influence-${i}`),
        )}
      </div>
      {departments.length > 0 && (
        <div className="frow">
          <span className="flabel">{t('people.department')}</span>
          {departments.map((d) => chip(filters.departments.includes(d), d, () => set({ departments: toggle(filters.departments, d) }), `filter-dept-${d}`))}
        </div>
      )}
      <div className="frow">
        <span className="flabel">{t('people.edgeType')}</span>
        {RELATION_KINDS.map((k) =>
          chip(filters.edgeKinds.includes(k), RELATION_LABEL[k][lang], () => set({ edgeKinds: toggle(filters.edgeKinds, k) }), `filter-edge-${k}`),
        )}
        {chip(filters.edgeKinds.includes('coverage'), t('people.coverage'), () => set({ edgeKinds: toggle(filters.edgeKinds, 'coverage') }), 'filter-edge-coverage')}
      </div>
      <div className="frow">
        <span className="flabel">{t('evidence.filter')}</span>
        {(['stale', 'unverified'] as const).map((k) =>
          chip(
            (filters.freshness ?? []).includes(k),
            t(`evidence.${k}`),
            () => set({ freshness: toggle(filters.freshness ?? [], k) }),
            `filter-fresh-${k}`,
          ),
        )}
      </div>
      {filtersActive(filters) && (
        <button type="button" className="link small" data-testid="filters-clear" onClick={() => useStore.getState().clearFilters()}>
          {t('people.clearFilters')}
        </button>
      )}
    </div>
  );
}

const ROW = 40;
/**
 * Above this many rows only the visible ones (and ten either side) are in the page: 200 rows of five
 * elements each cost a map's open ~10 ms of React work and layout before the canvas could draw.
 */
const VIRTUAL_ABOVE = 100;

function VirtualList({ count, render }: { count: number; render(i: number): ReactNode }) {
  const box = useRef<HTMLUListElement>(null);
  const [top, setTop] = useState(0);
  if (count <= VIRTUAL_ABOVE)
    return <ul className="people-items">{Array.from({ length: count }, (_, i) => render(i))}</ul>;
  const height = box.current?.clientHeight ?? 800;
  const first = Math.max(0, Math.floor(top / ROW) - 10);
  const last = Math.min(count, Math.ceil((top + height) / ROW) + 10);
  const rows: ReactNode[] = [];
  for (let i = first; i < last; i++) rows.push(render(i));
  return (
    <ul className="people-items virtual" ref={box} onScroll={(e) => setTop((e.target as HTMLElement).scrollTop)}>
      <li aria-hidden="true" style={{ height: first * ROW }} />
      {rows}
      <li aria-hidden="true" style={{ height: (count - last) * ROW }} />
    </ul>
  );
}
