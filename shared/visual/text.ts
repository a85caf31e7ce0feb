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
 * A canvas measurer for `fontFamily` (browser only): each character is measured once, at 100 px,
 * and a text's width is the sum of its characters' scaled to the size (kerning ignored; 2 % added
 * so a fitted label never comes out wider once Cytoscape measures it whole). A few thousand
 * distinct characters cover any map, so thousands of labels cost a few milliseconds.
 */
export function canvasMeasurer(fontFamily: string, ctx: { font: string; measureText(t: string): { width: number } }): TextMeasurer {
  const widths = new Map<string, number>();
  let fontSet = false;
  const charWidth = (ch: string): number => {
    let w = widths.get(ch);
    if (w === undefined) {
      if (!fontSet) {
        // The same font string Cytoscape builds for a label (style, weight, size, family).
        ctx.font = `normal normal 100px ${fontFamily}`;
        fontSet = true;
      }
      w = ctx.measureText(ch).width;
      widths.set(ch, w);
    }
    return w;
  };
  return (text, sizePx) => {
    let w = 0;
    for (const ch of text) w += charWidth(ch);
    return (w * sizePx * 1.02) / 100;
  };
}

/** `text` cut to fit `maxPx` at `sizePx`, with "…" where it was cut. */
export function ellipsize(text: string, maxPx: number, sizePx: number, measure: TextMeasurer): string {
  const t = /\s\s|^\s|\s$|[\t\n\r]/.test(text) ? text.replace(/\s+/g, ' ').trim() : text;
  if (measure(t, sizePx) <= maxPx) return t;
  // Characters one by one until the next one (and the "…") would not fit.
  const room = maxPx - measure('…', sizePx);
  let w = 0;
  let out = '';
  for (const ch of t) {
    w += measure(ch, sizePx);
    if (w > room) break;
    out += ch;
  }
  return `${out.trimEnd()}…`;
}
