/**
 * Text measuring for labels that are pre-wrapped and pre-ellipsised before Cytoscape draws them
 * (Cytoscape draws one font per label and measures lines itself; giving it lines that already fit
 * keeps every label inside its card). Pure: the screen and the report pass a canvas-based
 * measurer; tests and Node use the estimate.
 */

/** Width in px of `text` drawn at `sizePx` (normal weight) in the map's font. */
export type TextMeasurer = (text: string, sizePx: number) => number;

const WIDE = /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u3000-\u303f]/;

/**
 * An estimate for where no canvas exists: CJK 1 em, Latin letters ~0.56 em (wide letters more,
 * narrow ones less). Errs on the wide side, so estimated labels fit once drawn.
 */
export const estimateWidth: TextMeasurer = (text, sizePx) => {
  let em = 0;
  for (const ch of text) {
    if (WIDE.test(ch)) em += 1;
    else if (/[MWmw@%]/.test(ch)) em += 0.86;
    else if (/[A-Z]/.test(ch)) em += 0.68;
    else if (/[iljtf.,;:'|!()[\] ]/.test(ch)) em += 0.3;
    else if (/[0-9]/.test(ch)) em += 0.58;
    else if (/[★◆○−+]/.test(ch)) em += 0.9;
    else em += 0.56;
  }
  return em * sizePx;
};

/**
 * A canvas measurer for `fontFamily` (browser only). Widths are cached per text and size: the
 * same names and titles are measured again on every sync.
 */
export function canvasMeasurer(fontFamily: string, ctx: { font: string; measureText(t: string): { width: number } }): TextMeasurer {
  const cache = new Map<string, number>();
  return (text, sizePx) => {
    const key = `${sizePx}|${text}`;
    let w = cache.get(key);
    if (w === undefined) {
      // The same font string Cytoscape builds for a label (style, weight, size, family).
      ctx.font = `normal normal ${sizePx}px ${fontFamily}`;
      w = ctx.measureText(text).width;
      if (cache.size > 20000) cache.clear();
      cache.set(key, w);
    }
    return w;
  };
}

/** `text` cut to fit `maxPx` at `sizePx`, with "…" where it was cut. */
export function ellipsize(text: string, maxPx: number, sizePx: number, measure: TextMeasurer): string {
  const t = text.replace(/\s+/g, ' ').trim();
  if (measure(t, sizePx) <= maxPx) return t;
  const chars = Array.from(t);
  // Binary search on the number of characters kept.
  let lo = 0;
  let hi = chars.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (measure(`${chars.slice(0, mid).join('').trimEnd()}…`, sizePx) <= maxPx) lo = mid;
    else hi = mid - 1;
  }
  return lo === 0 ? '…' : `${chars.slice(0, lo).join('').trimEnd()}…`;
}
