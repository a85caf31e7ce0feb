/**
 * What the Electron preload exposes on `window.powermap`. The preload object is checked against
 * this type with `satisfies`, so bridge and contract cannot drift apart.
 */
import type { ApiResult } from './errors';

export const API_CHANNEL = 'powermap:api';
export const EVENT_CHANNEL = 'powermap:event';

/** Events the Electron shell sends to its renderer (menu commands, files opened by the OS). */
export type HostEvent =
  | { type: 'menu'; command: MenuCommand }
  | { type: 'open-file'; path: string };

export const MENU_COMMANDS = [
  'new-map',
  'open-map',
  'open-sample',
  'close-map',
  'undo',
  'redo',
  'new-person',
  'new-relation',
  'delete-selection',
  'find',
  'help',
  'export',
] as const;
export type MenuCommand = (typeof MENU_COMMANDS)[number];

export interface PowerMapBridge {
  invoke(method: string, payload: unknown): Promise<ApiResult<unknown>>;
  onEvent(listener: (event: HostEvent) => void): () => void;
}
