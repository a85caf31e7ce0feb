/**
 * What the Electron preload exposes on `window.powermap`. The preload object is checked against
 * this type with `satisfies`, so bridge and contract cannot drift apart.
 */
import type { ApiResult } from './errors';
import type { LiveEvent } from './team';

export const API_CHANNEL = 'powermap:api';
export const EVENT_CHANNEL = 'powermap:event';

/**
 * Events the Electron shell sends to its renderer.
 * - `menu`: the user chose a menu item (or pressed its accelerator); the renderer runs the same
 *   code as its own button. See MENU_COMMANDS.
 * - `open-file`: the OS or the user (Open Recent, a double-click, a second launch) opened a map in
 *   this window. The main side has already opened it in the window's session (app.info's
 *   initialMap says the same): call `map.open` with this path to show it.
 * - `live`: an event of a team map's live feed that this window opened (`remote.liveOpen`, see
 *   shared/api/remote.ts); `live-error`: that stream broke (open it again from the revision seen).
 */
export type HostEvent =
  | { type: 'menu'; command: MenuCommand }
  | { type: 'open-file'; path: string }
  | { type: 'live'; stream: string; event: LiveEvent }
  | { type: 'live-error'; stream: string; status?: number };

/**
 * Menu commands, by menu:
 * - File: new-map (⌘/Ctrl+N), open-map (⌘/Ctrl+O), open-sample, export (⌘/Ctrl+E), close-map
 *   (Ctrl+W on Windows/Linux, ⌘⇧W on macOS: back to the welcome screen; closing the window is
 *   the shell's own item).
 * - Edit: undo (⌘/Ctrl+Z), redo (⇧⌘Z, Ctrl+Y on Windows, Ctrl+Shift+Z on Linux), find (⌘/Ctrl+F),
 *   delete-selection (Delete; shown in the menu but not registered, so the key keeps working in
 *   text fields and the page handles it). When a text field has focus, undo/redo should undo the
 *   text (document.execCommand('undo'/'redo')) rather than the last map edit.
 * - Map: new-person (⌘/Ctrl+Shift+P), new-relation (⌘/Ctrl+Shift+R).
 * - Help: help (F1).
 * Cut/copy/paste/select all, zoom and full screen are Electron's own roles and send nothing.
 * A page that handles one of these shortcuts itself (as the browser build must) should call
 * preventDefault() on the keydown, so the menu does not run it a second time on macOS.
 */
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
