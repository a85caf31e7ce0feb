/**
 * The layouts drawn over a backdrop of cells — the power grid (grid.ts) and the level × function
 * grid (levels.ts) — seen through one door, so the canvas and the exports treat them alike.
 */
import type cytoscape from 'cytoscape';
import type { LayoutName } from '../domain';
import type { Lang } from '../i18n/errors';
import { gridBackground, type GridLayout } from './grid';
import { levelsBackground, type LevelsLayout } from './levels';
import type { ThemeName } from './style';

export type BackdropLayout = 'grid' | 'levels';
export type Backdrop = { layout: 'grid'; g: GridLayout } | { layout: 'levels'; g: LevelsLayout };

export const hasBackdrop = (layout: LayoutName | null | undefined): layout is BackdropLayout => layout === 'grid' || layout === 'levels';

/** The backdrop's locked background elements (kind "grid", ids "g:…"). */
export function backdropElements(b: Backdrop, lang: Lang, theme: ThemeName = 'light'): cytoscape.ElementDefinition[] {
  return b.layout === 'grid' ? gridBackground(b.g, lang, theme) : levelsBackground(b.g, lang, theme);
}
