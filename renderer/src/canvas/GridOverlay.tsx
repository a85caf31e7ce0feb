/**
 * The power grid's backdrop: four labelled quadrants and the axis names, drawn behind the canvas
 * and kept in step with its pan and zoom.
 */
import type { Core } from 'cytoscape';
import { useTranslation } from 'react-i18next';
import { ATTITUDE_LABEL, INFLUENCE_LABEL } from '../../../shared/i18n/domain';
import { GRID_BOUNDS, gridAxes, quadrants } from '../../../shared/visual/grid';
import { useStore } from '../store';

export function GridOverlay({ cy }: { cy: Core; tick: number }) {
  const { t } = useTranslation();
  const lang = useStore((s) => s.lang);
  const zoom = cy.zoom();
  const pan = cy.pan();
  const X = (x: number) => x * zoom + pan.x;
  const Y = (y: number) => y * zoom + pan.y;
  const axes = gridAxes();
  return (
    <div className="grid-overlay" data-testid="grid-overlay" aria-hidden="true">
      {quadrants().map((q) => (
        <div
          key={q.id}
          className={`quadrant q-${q.id}`}
          data-testid={`quadrant-${q.id}`}
          style={{ left: X(q.x1), top: Y(q.y1), width: (q.x2 - q.x1) * zoom, height: (q.y2 - q.y1) * zoom }}
        >
          <div className="q-title">{q.title[lang]}</div>
          <div className="q-hint">{q.hint[lang]}</div>
        </div>
      ))}
      {axes.columns.map((c) => (
        <div key={c.attitude} className="axis-x" style={{ left: X(c.x), top: Y(GRID_BOUNDS.y2) + 4 }}>
          {ATTITUDE_LABEL[c.attitude][lang]}
        </div>
      ))}
      {axes.rows.map((r) => (
        <div key={r.influence} className="axis-y" style={{ left: X(GRID_BOUNDS.x1) + 4, top: Y(r.y) }}>
          {INFLUENCE_LABEL[r.influence][lang]}
        </div>
      ))}
      <div className="axis-caption" style={{ left: X(0), top: Y(GRID_BOUNDS.y2) + 22 }}>
        {t('grid.against')} · {t('grid.for')}
      </div>
    </div>
  );
}
