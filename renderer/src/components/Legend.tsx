/** The legend, always on screen over the canvas (collapsible to a compact strip). */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { THEMES, legend, swatchSvg } from '../../../shared/visual/style';
import { selectTheme, useStore } from '../store';

export function Legend() {
  const { t } = useTranslation();
  const lang = useStore((s) => s.lang);
  const theme = useStore(selectTheme);
  const [compact, setCompact] = useState(false);
  const groups = legend(theme);
  const th = THEMES[theme];
  return (
    <aside className={`legend ${compact ? 'compact' : ''}`} data-testid="legend" aria-label={t('legend.title')}>
      <header>
        <b>{t('legend.title')}</b>
        <button type="button" className="link small" onClick={() => setCompact(!compact)} aria-expanded={!compact}>
          {compact ? '▸' : '▾'}
        </button>
      </header>
      <div className="legend-groups">
        {groups
          .filter((g) => !compact || g.id === 'attitude' || g.id === 'edges')
          .map((g) => (
            <div key={g.id} className="legend-group">
              {!compact && <div className="legend-title">{g.title[lang]}</div>}
              {g.items.map((it) => (
                <div key={it.id} className="legend-item" data-testid={`legend-${it.id}`}>
                  <svg width="30" height="18" viewBox="0 0 30 18" aria-hidden="true" dangerouslySetInnerHTML={{ __html: swatchSvg(it.swatch, 0, 0, 30, 18, th) }} />
                  <span>{it.label[lang]}</span>
                </div>
              ))}
            </div>
          ))}
      </div>
    </aside>
  );
}
