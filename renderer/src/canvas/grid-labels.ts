/** The power grid backdrop's labels as boxes (the screen and the exports let people's labels give way to them). */
import type { Core } from 'cytoscape';
import type { Box } from '../../../shared/visual/geometry';

/** The boxes of the grid backdrop's labels (model px), as Cytoscape lays them out. */
export function gridLabelBoxes(cy: Core): Box[] {
  const out: Box[] = [];
  cy.nodes('[kind = "grid"]').forEach((n) => {
    if (!n.data('label')) return;
    const b = n.boundingBox({ includeNodes: false, includeEdges: false, includeLabels: true, includeOverlays: false });
    if (b.w > 0 && b.h > 0) out.push({ x1: b.x1, y1: b.y1, x2: b.x2, y2: b.y2 });
  });
  return out;
}

