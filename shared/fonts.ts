/**
 * The one type family PowerMap draws with: Noto Sans SC (SIL OFL 1.1, @fontsource/noto-sans-sc),
 * bundled with the renderer and registered under its own name, so the app, the map and the
 * deal-review PDF look the same on every machine and Chinese prints as searchable text whatever
 * CJK fonts the system has (renderer/src/fonts.ts registers and embeds it).
 */
export const FONT_FAMILY = 'PowerMap Sans';

/**
 * CSS font-family list: the bundled family first; the rest only catches characters it lacks
 * (and covers the few moments before it has loaded).
 */
export const FONT_STACK = `"${FONT_FAMILY}", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif`;

/** The weights bundled: regular and bold (a synthesized bold would print as Type 3 glyphs). */
export const FONT_WEIGHTS = [400, 700] as const;
export type FontWeight = (typeof FONT_WEIGHTS)[number];

/** A CSS unicode-range ("U+4e00-4e0f,U+20ac") as inclusive code-point intervals. */
export function parseUnicodeRange(range: string): [number, number][] {
  const out: [number, number][] = [];
  for (const part of range.split(',')) {
    const m = /^\s*U\+([0-9a-f?]+)(?:-([0-9a-f]+))?\s*$/i.exec(part);
    if (!m) continue;
    if (m[1]!.includes('?')) out.push([parseInt(m[1]!.replace(/\?/g, '0'), 16), parseInt(m[1]!.replace(/\?/g, 'f'), 16)]);
    else out.push([parseInt(m[1]!, 16), parseInt(m[2] ?? m[1]!, 16)]);
  }
  return out;
}

/** Whether any character of `text` falls in the intervals. */
export function coversAny(ranges: [number, number][], text: string): boolean {
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    for (const [a, b] of ranges) if (c >= a && c <= b) return true;
  }
  return false;
}
