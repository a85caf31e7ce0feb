/**
 * What the main window gives each side panel (Insights, Exchange, Time): the map, the language,
 * the API, and ways to act on the canvas. Panels own their own components; the window mounts them.
 */
import type { ApiClient } from '../../shared/api';
import type { Change, MapDocument } from '../../shared/domain';
import type { Lang } from '../../shared/i18n/errors';

export interface Selection {
  people: string[];
  relations: string[];
}

export interface PanelProps {
  doc: MapDocument;
  lang: Lang;
  api: ApiClient;
  /** Brings these people and relations forward on the map and fades the rest; null clears. */
  highlight(sel: Selection | null): void;
  /**
   * Sets this panel's marks on map nodes: extra Cytoscape classes per node id (for example
   * 'candidate' for a coach candidate, 'changed' or 'added' for a compared snapshot). Replaces
   * the marks the same `source` set before; an empty object clears them.
   */
  mark(source: string, classes: Record<string, string[]>): void;
  /** Applies a Change the panel caused through the API (e.g. "mark as coach"), so the map updates. */
  applyChange(change: Change): void;
  /** Reloads the whole document (after a restore or an import into the open map). */
  reload(): Promise<void>;
}
