/**
 * The legend, docked under the canvas (it takes its own room, so it never covers the map): what
 * the colours, borders, marks and lines of this map mean — only what the map shows. It folds to
 * one line. The switch for our team's coverage lines lives here too: by default only the
 * selected person's (or team member's) coverage is drawn. Outside the org chart, a second switch
 * draws people as full cards instead of chips.
 */
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { legend, legendContent, swatchSvg } from '../../../shared/visual/legend';
import { THEMES } from '../../../shared/visual/style';
import { evidenceMarks } from '../../../shared/visual/evidence';
import { thresholdDays } from '../../../shared/evidence';
import { selectTheme, useStore } from '../store';

export function Legend() {
  const { t } = useTranslation();
  const lang = useStore((s) => s.lang);
  const theme = useStore(selectTheme);
  const doc = useStore((s) => s.doc);
  const marks = useStore((s) => s.marks);
  const showCoverage = useStore((s) => s.showCoverage);
  const cardsEverywhere = useStore((s) => s.cardsEverywhere);
  const layout = useStore((s) => s.layout);
  // Short windows start with the legend folded to one line.
  const [folded, setFolded] = useState(() => typeof window !== 'undefined' && window.innerHeight < 800);
  const showEvidence = useStore((s) => s.showEvidence);
  const candidates = useMemo(() => Object.values(marks).some((m) => Object.values(m).some((c) => c.includes('candidate'))), [marks]);
  const groups = useMemo(() => {
    if (!doc) return [];
    const content = legendContent(doc, { team: true, coverage: true });
    const ev = showEvidence ? Object.values(evidenceMarks(doc, Date.now(), thresholdDays(doc.meta))).flat() : [];
    return legend(theme, { ...content, candidates, stale: ev.includes('ev-stale'), unverified: ev.includes('ev-unverified') });
  }, [doc, theme, candidates, showEvidence]);
  const th = THEMES[theme];
  const shown = folded ? groups.filter((g) => g.id === 'attitude') : groups;
  return (
    <aside className={`legend ${folded ? 'compact' : ''}`} data-testid="legend" aria-label={t('legend.title')}>
      <header>
        <button type="button" className="link small" onClick={() => setFolded(!folded)} aria-expanded={!folded} data-testid="legend-fold">
          <b>{t('legend.title')}</b> {folded ? '▸' : '▾'}
        </button>
      </header>
      <div className="legend-groups">
        {shown.map((g) => (
          <div key={g.id} className="legend-group" data-testid={`legend-group-${g.id}`}>
            {!folded && <div className="legend-title">{g.title[lang]}</div>}
            {g.items.map((it) => (
              <div key={it.id} className="legend-item" data-testid={`legend-${it.id}`}>
                <svg width="30" height="18" viewBox="0 0 30 18" aria-hidden="true" dangerouslySetInnerHTML={{ __html: swatchSvg(it.swatch, 0, 0, 30, 18, th) }} />
                <span>{it.label[lang]}</span>
              </div>
            ))}
          </div>
        ))}
      </div>
      {layout !== 'org' && (
        <label className="legend-switch" data-testid="cards-switch">
          <input type="checkbox" checked={cardsEverywhere} onChange={() => useStore.getState().toggleCards()} />
          <span>{t('legend.cards')}</span>
        </label>
      )}
      <label className="legend-switch" data-testid="evidence-switch" title={t('evidence.showHint')}>
        <input type="checkbox" checked={showEvidence} onChange={() => useStore.getState().toggleEvidence()} />
        <span>{t('evidence.show')}</span>
      </label>
      {doc && doc.coverage.length > 0 && (
        <label className="legend-switch" data-testid="coverage-switch">
          <input type="checkbox" checked={showCoverage} onChange={() => useStore.getState().toggleCoverage()} />
          <span>{t('legend.coverage')}</span>
        </label>
      )}
    </aside>
  );
}
