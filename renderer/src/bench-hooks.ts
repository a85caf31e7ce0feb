/**
 * Hooks for the benchmark (bench/cases/render.ts), on window.__powermapBench: open and close a map
 * the way the welcome screen does, and what a bare-Cytoscape baseline needs (the library and the
 * same element definitions). Nothing here runs unless called, and the desktop app (where the
 * preload bridge exists) never installs them: only the browser build, which the benchmark drives.
 */
import cytoscape from 'cytoscape';
import type { LayoutName, MapDocument } from '../../shared/domain';
import { cytoscapeElements } from '../../shared/visual/style';
import { api } from './api/client';
import { closeMap, openMap } from './store/actions';
import { useStore } from './store';

export interface BenchHooks {
  cytoscape: typeof cytoscape;
  api: typeof api;
  store: typeof useStore;
  openMap(path: string): Promise<boolean>;
  closeMap(): Promise<void>;
  elementsOf(doc: MapDocument, layout: LayoutName): cytoscape.ElementDefinition[];
}

declare global {
  interface Window {
    __powermapBench?: BenchHooks;
  }
}

if (!window.powermap)
  window.__powermapBench = {
  cytoscape,
  api,
  store: useStore,
  openMap,
  closeMap,
  elementsOf: (doc, layout) =>
    cytoscapeElements(doc, { positions: Object.fromEntries(doc.positions[layout].map((p) => [p.id, p])), lite: true }),
};
