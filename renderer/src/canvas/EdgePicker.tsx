/**
 * After a line is drawn from one person to another (or "new line" from the keyboard): pick its
 * type with a click or a key (R reports to, I influences, A alliance, X conflict; 1–3 strength).
 * A line from or to one of our team members is coverage: pick how strongly.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { RELATION_KINDS, type RelationKind } from '../../../shared/domain';
import { RELATION_LABEL } from '../../../shared/i18n/domain';
import { buildIndex, search } from '../../../shared/search';
import { parseElementId } from '../../../shared/visual/style';
import { createRelation, setCoverage } from '../store/actions';
import { useStore } from '../store';

export interface PendingEdge {
  /** Element ids. */
  source: string;
  target: string | null;
  /** Container coordinates to show the picker at. */
  at: { x: number; y: number };
}

const KEYS: Record<RelationKind, string> = { reports_to: 'r', influence: 'i', alliance: 'a', conflict: 'x' };

export function EdgePicker({ pending, onDone }: { pending: PendingEdge; onDone(): void }) {
  const { t } = useTranslation();
  const lang = useStore((s) => s.lang);
  const doc = useStore((s) => s.doc);
  const [target, setTarget] = useState<string | null>(pending.target);
  const [strength, setStrength] = useState<1 | 2 | 3>(2);
  const [query, setQuery] = useState('');
  const box = useRef<HTMLDivElement>(null);
  const busy = useRef(false);

  const src = parseElementId(pending.source);
  const tgt = target ? parseElementId(target) : null;
  const coverage = src.type === 'member' || tgt?.type === 'member';
  const nameOf = (eid: string) => {
    const r = parseElementId(eid);
    if (r.type === 'member') return doc?.team.find((m) => m.id === r.id)?.name ?? '';
    return doc?.people.find((p) => p.id === (r as { id: string }).id)?.name ?? '';
  };

  const index = useMemo(() => buildIndex((doc?.people ?? []).filter((p) => p.id !== pending.source)), [doc?.people, pending.source]);
  const results = useMemo(() => search(index, query).slice(0, 8), [index, query]);

  const chooseKind = async (kind: RelationKind) => {
    if (!target || busy.current) return;
    busy.current = true;
    onDone();
    const id = await createRelation(kind, pending.source, target, strength);
    if (id) useStore.getState().select({ type: 'relation', id });
  };
  const chooseCoverage = async (s: 1 | 2 | 3) => {
    if (!target || busy.current) return;
    busy.current = true;
    onDone();
    const a = parseElementId(pending.source);
    const b = parseElementId(target);
    const member = a.type === 'member' ? a.id : b.type === 'member' ? b.id : '';
    const person = a.type === 'person' ? a.id : b.type === 'person' ? b.id : '';
    if (member && person) {
      await setCoverage(member, person, s);
      useStore.getState().select({ type: 'coverage', id: `${member}:${person}` });
    }
  };

  useEffect(() => {
    if (target) box.current?.focus();
  }, [target]);

  const onKey = (e: React.KeyboardEvent) => {
    e.stopPropagation();
    if (e.key === 'Escape') return onDone();
    if (!target) return;
    const k = e.key.toLowerCase();
    if (coverage) {
      if (k === '1' || k === '2' || k === '3') void chooseCoverage(Number(k) as 1 | 2 | 3);
      return;
    }
    const kind = RELATION_KINDS.find((r) => KEYS[r] === k);
    if (kind) void chooseKind(kind);
    if (k === '1' || k === '2' || k === '3') setStrength(Number(k) as 1 | 2 | 3);
  };

  return (
    <div
      ref={box}
      className="popup edge-picker"
      style={{ left: pending.at.x + 12, top: pending.at.y + 12 }}
      tabIndex={-1}
      onKeyDown={onKey}
      data-testid="edge-picker"
      role="dialog"
      aria-label={t('edge.pickType')}
    >
      {!target ? (
        <>
          <div className="popup-title">{t('edge.pickTarget', { name: nameOf(pending.source) })}</div>
          <input
            autoFocus
            value={query}
            placeholder={t('edge.targetPlaceholder')}
            data-testid="edge-target-input"
            onChange={(e) => setQuery(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && results[0]) setTarget(results[0]);
              if (e.key === 'Escape') onDone();
              e.stopPropagation();
            }}
          />
          <ul className="picker-results">
            {results.map((id) => {
              const p = doc?.people.find((x) => x.id === id);
              return (
                <li key={id}>
                  <button type="button" onClick={() => setTarget(id)}>
                    {nameOf(id)}
                    {p?.title && <span className="muted small"> · {p.title}</span>}
                  </button>
                </li>
              );
            })}
          </ul>
        </>
      ) : (
        <>
          <div className="popup-title">
            {t('edge.between', { a: nameOf(pending.source), b: nameOf(target) })}
          </div>
          {coverage ? (
            <div className="picker-row">
              {([1, 2, 3] as const).map((s) => (
                <button key={s} type="button" data-testid={`pick-coverage-${s}`} onClick={() => void chooseCoverage(s)}>
                  <kbd>{s}</kbd> {t(`strength.${s}`)}
                </button>
              ))}
            </div>
          ) : (
            <>
              <div className="picker-kinds">
                {RELATION_KINDS.map((k) => (
                  <button key={k} type="button" className={`kind-${k}`} data-testid={`pick-${k}`} onClick={() => void chooseKind(k)}>
                    <kbd>{KEYS[k].toUpperCase()}</kbd> {RELATION_LABEL[k][lang]}
                  </button>
                ))}
              </div>
              <div className="picker-row small">
                {t('strength.label')}:
                {([1, 2, 3] as const).map((s) => (
                  <label key={s}>
                    <input type="radio" name="strength" checked={strength === s} onChange={() => setStrength(s)} /> {t(`strength.${s}`)}
                  </label>
                ))}
              </div>
            </>
          )}
          <button type="button" className="link" onClick={onDone}>
            {t('app.cancel')} <kbd>Esc</kbd>
          </button>
        </>
      )}
    </div>
  );
}
