/**
 * The canvas' batched style triggers (renderer/src/canvas/style-triggers.ts): a Cytoscape that
 * runs one element's triggers once at the end of its style application must end up exactly where
 * one that runs them per property does — every element's computed style, visibility and bounds —
 * after the first application, a restyle, a class that hides people, and a data change.
 */
import cytoscape from 'cytoscape';
import { describe, expect, it } from 'vitest';
import { generateMap } from '../../bench/lib/generate';
import { batchStyleTriggers } from '../../renderer/src/canvas/style-triggers';
import { cytoscapeElements, cytoscapeStylesheet } from '../../shared/visual/style';

function make(batched: boolean, elements: cytoscape.ElementDefinition[]): cytoscape.Core {
  const cy = cytoscape({ headless: true, styleEnabled: true, style: cytoscapeStylesheet('light', { form: 'card' }) });
  if (batched) batchStyleTriggers(cy);
  cy.add(elements);
  return cy;
}

/** What each element looks like and where it is: its computed style, visibility, bounds. */
function state(cy: cytoscape.Core) {
  const out: Record<string, unknown> = {};
  cy.elements().forEach((el) => {
    const bb = el.boundingBox({});
    out[el.id()] = { style: el.style(), visible: el.visible(), bb: [bb.x1, bb.y1, bb.x2, bb.y2].map((v) => Math.round(v * 100) / 100) };
  });
  return out;
}

describe('batched style triggers', () => {
  const data = generateMap(60, { seed: 3, profileShare: 0 });
  const positions = Object.fromEntries(data.people.map((p, i) => [p.id, { id: p.id, x: (i % 8) * 160, y: Math.floor(i / 8) * 120, pinned: false }]));
  const elements = cytoscapeElements(data as never, { positions });

  it('gives every element the same style, visibility and bounds as Cytoscape on its own', () => {
    const plain = make(false, elements);
    const batched = make(true, elements);
    expect(batched.elements().length).toBeGreaterThan(100);
    expect(state(batched)).toEqual(state(plain));

    // A restyle (the theme changes), then people hidden by a class: their lines go with them.
    for (const cy of [plain, batched]) cy.style(cytoscapeStylesheet('dark', { form: 'card' }));
    expect(state(batched)).toEqual(state(plain));
    const someone = data.people[5]!.id;
    for (const cy of [plain, batched]) {
      cy.getElementById(someone).connectedEdges().forEach((e) => void e.visible()); // fill the caches first
      cy.getElementById(someone).addClass('hidden');
      // Cytoscape applies a class's style when the element's style is next read; the lines'
      // cached visibility must be cleared by that application.
      expect(cy.getElementById(someone).style('display')).toBe('none');
    }
    const lines = batched.getElementById(someone).connectedEdges();
    expect(lines.length).toBeGreaterThan(0);
    lines.forEach((e) => expect(e.visible()).toBe(false));
    expect(state(batched)).toEqual(state(plain));

    // A data change that changes the card's size moves its lines' ends.
    const other = data.people[7]!;
    const influence = other.influence === 'high' ? 'low' : 'high';
    for (const cy of [plain, batched]) cy.getElementById(other.id).data('influence', influence);
    expect(state(batched)).toEqual(state(plain));
    plain.destroy();
    batched.destroy();
  });
});
