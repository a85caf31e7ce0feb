/**
 * Window size and position, remembered in settings ('window') and restored only where a display
 * can show them: a window saved on a monitor that is gone comes back centred on the primary one.
 */
import type { SettingsData } from '../../services/settings';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export type SavedWindow = NonNullable<SettingsData['window']>;

export const DEFAULT_SIZE = { width: 1280, height: 820 };
export const MIN_SIZE = { width: 800, height: 560 };
/** How far each further window is shifted from the one before it. */
export const CASCADE = 28;
/** How much of a window must be on a display for its position to be kept. */
const MIN_VISIBLE = { width: 120, height: 60 };

const intersection = (a: Rect, b: Rect) => ({
  width: Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x),
  height: Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y),
});

const finite = (n: unknown): n is number => typeof n === 'number' && Number.isFinite(n);

export interface InitialBounds {
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
}

/**
 * The bounds for a new window: the saved ones if a display shows them (size clamped to the
 * largest work area), shifted by CASCADE from `cascadeFrom` when another window is already open.
 */
export function initialBounds(saved: SavedWindow | null | undefined, workAreas: Rect[], cascadeFrom?: Rect): InitialBounds {
  const largest = workAreas.reduce<Rect | null>((m, a) => (!m || a.width * a.height > m.width * m.height ? a : m), null);
  const clampW = (w: number) => Math.max(MIN_SIZE.width, Math.min(w, largest?.width ?? w));
  const clampH = (h: number) => Math.max(MIN_SIZE.height, Math.min(h, largest?.height ?? h));
  const base = cascadeFrom ?? saved;
  const width = clampW(finite(base?.width) ? base.width : DEFAULT_SIZE.width);
  const height = clampH(finite(base?.height) ? base.height : DEFAULT_SIZE.height);
  const maximized = !cascadeFrom && saved?.maximized === true;
  if (!base || !finite(base.x) || !finite(base.y)) return { width, height, maximized };
  const shift = cascadeFrom ? CASCADE : 0;
  const rect = { x: Math.round(base.x + shift), y: Math.round(base.y + shift), width, height };
  const visible = workAreas.some((a) => {
    const i = intersection(rect, a);
    return i.width >= MIN_VISIBLE.width && i.height >= MIN_VISIBLE.height;
  });
  return visible ? { ...rect, maximized } : { width, height, maximized };
}

/** What to save for a window: its normal (un-maximized) bounds and whether it is maximized. */
export function windowToSave(normal: Rect, maximized: boolean): SavedWindow {
  return { x: normal.x, y: normal.y, width: normal.width, height: normal.height, maximized };
}
