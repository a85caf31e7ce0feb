/**
 * The bundled type family, "PowerMap Sans": Noto Sans SC for Chinese and Noto Sans for Latin
 * (@fontsource, SIL OFL 1.1). Registered with the page's FontFaceSet, loaded for the text about to
 * be drawn (Cytoscape draws on a canvas, which does not wait for web fonts), and embedded into SVG
 * the report shows as an image or exports as a file (an SVG image cannot reach the page's fonts).
 *
 * The packages split the fonts into unicode-range subsets (~100 per weight for Chinese; TrueType
 * outlines, woff2): a page fetches only the subsets its text needs, and a PDF embeds only the
 * glyphs used, as CID TrueType — Chinese stays searchable text (a CFF font such as the system's
 * Noto Sans CJK prints as Type 3 glyphs, and some names then extract as the wrong characters).
 */
import { FONT_FAMILY, FONT_WEIGHTS, coversAny, parseUnicodeRange, type FontWeight } from '../../shared/fonts';
import latinRanges from '../../node_modules/@fontsource/noto-sans/unicode.json';
import cjkRanges from '../../node_modules/@fontsource/noto-sans-sc/unicode.json';

// Every subset file of the bundled weights, as the URL the build gives it: Noto Sans SC's CJK
// subsets (not its 1 MB single-file "chinese-simplified" variant, nor its Latin, whose curly
// quotes are full-width), and Noto Sans for Latin, Greek and Cyrillic.
const CJK_FILES = import.meta.glob(
  [
    '../../node_modules/@fontsource/noto-sans-sc/files/noto-sans-sc-*-{400,700}-normal.woff2',
    '!../../node_modules/@fontsource/noto-sans-sc/files/noto-sans-sc-chinese-simplified-*',
  ],
  { query: '?url', import: 'default', eager: true },
) as Record<string, string>;
const LATIN_FILES = import.meta.glob('../../node_modules/@fontsource/noto-sans/files/noto-sans-*-{400,700}-normal.woff2', {
  query: '?url',
  import: 'default',
  eager: true,
}) as Record<string, string>;

export interface Face {
  subset: string;
  weight: FontWeight;
  url: string;
  range: string;
  ranges: [number, number][];
}

function facesOf(prefix: string, table: Record<string, string>, files: Record<string, string>, keep: (subset: string) => boolean): Face[] {
  const byName = new Map<string, string>();
  for (const [file, url] of Object.entries(files)) byName.set(file.slice(file.lastIndexOf('/') + 1), url);
  const out: Face[] = [];
  for (const [key, range] of Object.entries(table)) {
    const subset = key.replace(/^\[(\d+)\]$/, '$1');
    if (!keep(subset)) continue;
    for (const weight of FONT_WEIGHTS) {
      const url = byName.get(`${prefix}-${subset}-${weight}-normal.woff2`);
      if (url) out.push({ subset, weight, url, range, ranges: parseUnicodeRange(range) });
    }
  }
  return out;
}

/**
 * The faces of the family, in the order they are declared: where two cover a character the one
 * declared last is used (CSS Fonts), so Latin letters and punctuation come from Noto Sans.
 */
export const FACES: Face[] = [
  ...facesOf('noto-sans-sc', cjkRanges as Record<string, string>, CJK_FILES, (s) => /^\d+$/.test(s)),
  ...facesOf('noto-sans', latinRanges as Record<string, string>, LATIN_FILES, (s) => s !== 'devanagari'),
];

const fontSet = (): FontFaceSet | null => (typeof document !== 'undefined' && document.fonts ? document.fonts : null);

let registered = false;
/** Adds every face to the page (nothing is fetched until some text needs it). */
export function registerFonts(): void {
  const set = fontSet();
  if (registered || !set || typeof FontFace === 'undefined') return;
  registered = true;
  for (const f of FACES)
    set.add(new FontFace(FONT_FAMILY, `url("${f.url}") format("woff2")`, { weight: String(f.weight), unicodeRange: f.range, display: 'swap' }));
}

/**
 * Loads the subsets `text` needs, in both weights, before something draws it on a canvas. Never
 * throws and never waits longer than `timeoutMs` (a missing file leaves the fallback fonts).
 */
export async function loadFonts(text: string, timeoutMs = 5000): Promise<void> {
  registerFonts();
  const set = fontSet();
  if (!set) return;
  const sample = [...new Set(text)].join('') || ' ';
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([
      Promise.all(FONT_WEIGHTS.map((w) => set.load(`${w} 16px "${FONT_FAMILY}"`, sample))),
      new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs))),
    ]);
  } catch {
    /* the fallback fonts draw it */
  } finally {
    clearTimeout(timer);
  }
}

/** The faces that hold any of `text`'s characters in one weight. */
export const facesFor = (text: string, weight: FontWeight): Face[] =>
  FACES.filter((f) => f.weight === weight && coversAny(f.ranges, text));

const dataUrls = new Map<string, Promise<string>>();
async function dataUrl(url: string): Promise<string> {
  let p = dataUrls.get(url);
  if (!p) {
    p = fetch(url)
      .then((r) => {
        if (!r.ok) throw new Error(`${url}: ${r.status}`);
        return r.arrayBuffer();
      })
      .then((buf) => {
        const bytes = new Uint8Array(buf);
        let bin = '';
        for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
        return `data:font/woff2;base64,${btoa(bin)}`;
      });
    p.catch(() => dataUrls.delete(url));
    dataUrls.set(url, p);
  }
  return p;
}

/** @font-face rules, fonts inlined as data: URLs, for text drawn in each weight. */
export async function fontFaceCss(text: Partial<Record<FontWeight, string>>): Promise<string> {
  const faces = FONT_WEIGHTS.flatMap((w) => (text[w] ? facesFor(text[w], w) : []));
  const rules = await Promise.all(
    faces.map(
      async (f) =>
        `@font-face{font-family:"${FONT_FAMILY}";font-style:normal;font-weight:${f.weight};` +
        `src:url(${await dataUrl(f.url)}) format("woff2");unicode-range:${f.range};}`,
    ),
  );
  return rules.join('\n');
}

const weightOf = (v: string | null | undefined): FontWeight | null => {
  if (!v) return null;
  if (v === 'bold' || v === 'bolder' || Number(v) >= 600) return 700;
  return 400;
};

/** The text of an SVG document per weight (from font-weight attributes and styles). */
export function svgTextByWeight(svg: string): Record<FontWeight, string> {
  const out: Record<FontWeight, string> = { 400: '', 700: '' };
  const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
  const weight = (el: Element | null): FontWeight => {
    for (let e = el; e; e = e.parentElement) {
      const w = weightOf(e.getAttribute('font-weight')) ?? weightOf((e as SVGElement).style?.fontWeight);
      if (w) return w;
    }
    return 400;
  };
  for (const el of Array.from(doc.querySelectorAll('text, tspan, textPath'))) {
    for (const n of Array.from(el.childNodes)) if (n.nodeType === 3) out[weight(el)] += n.nodeValue ?? '';
  }
  return out;
}

/**
 * The SVG with the bundled font's subsets it needs inlined (an SVG shown as an image, or opened
 * on another machine, then draws its names with the same glyphs, as text).
 */
export async function embedFonts(svg: string): Promise<string> {
  const css = await fontFaceCss(svgTextByWeight(svg));
  if (!css) return svg;
  const open = /<svg\b[^>]*>/i.exec(svg);
  if (!open) return svg;
  const at = open.index + open[0].length;
  return `${svg.slice(0, at)}<defs><style type="text/css"><![CDATA[\n${css}\n]]></style></defs>${svg.slice(at)}`;
}

/** The text of a map the canvas will draw (names, titles, departments, our team). */
export function mapText(doc: {
  people: readonly { name: string; title: string; department: string }[];
  team: readonly { name: string; role: string }[];
  meta?: { account: string; deal: string };
}): string {
  const parts: string[] = [];
  for (const p of doc.people) parts.push(p.name, p.title, p.department);
  for (const m of doc.team) parts.push(m.name, m.role);
  if (doc.meta) parts.push(doc.meta.account, doc.meta.deal);
  return parts.join('');
}
