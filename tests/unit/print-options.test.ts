/**
 * One set of print options for the two PDF engines (shared/exchange/print-options.ts): the app's
 * printToPDF and the CLI's page.pdf get the same values under their own names. (The names are
 * checked against electron.d.ts and playwright-core's types where each engine uses them; the CLI's
 * engine is run for real in tests/e2e/print-options.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { chromiumPdfOptions, electronPrintOptions, REPORT_PRINT } from '../../shared/exchange/print-options';

/** Each shared setting, read back from each engine's spelling. */
const read = {
  electron: (o: ReturnType<typeof electronPrintOptions>) => ({
    page: o.pageSize,
    landscape: o.landscape,
    background: o.printBackground,
    cssPageSize: o.preferCSSPageSize,
    headerFooter: o.displayHeaderFooter,
    scale: o.scale,
    margins: [o.margins.top, o.margins.right, o.margins.bottom, o.margins.left].map((m) => `${m}in`),
    tagged: o.generateTaggedPDF,
    outline: o.generateDocumentOutline,
  }),
  chromium: (o: ReturnType<typeof chromiumPdfOptions>) => ({
    page: o.format,
    landscape: o.landscape,
    background: o.printBackground,
    cssPageSize: o.preferCSSPageSize,
    headerFooter: o.displayHeaderFooter,
    scale: o.scale,
    margins: [o.margin.top, o.margin.right, o.margin.bottom, o.margin.left],
    tagged: o.tagged,
    outline: o.outline,
  }),
};

describe('the report’s print options', () => {
  for (const page of [
    { pageSize: 'A4', landscape: true },
    { pageSize: 'A3', landscape: false },
  ] as const) {
    it(`say the same to both engines (${page.pageSize}, ${page.landscape ? 'landscape' : 'portrait'})`, () => {
      const e = read.electron(electronPrintOptions(page));
      expect(e).toEqual(read.chromium(chromiumPdfOptions(page)));
      expect(e).toEqual({
        page: page.pageSize,
        landscape: page.landscape,
        background: true,
        cssPageSize: true,
        headerFooter: false,
        scale: 1,
        margins: ['0in', '0in', '0in', '0in'],
        tagged: true,
        outline: true,
      });
      // Nothing left out: each engine's object has exactly one key per shared setting (+ page size and orientation).
      const shared = Object.keys(REPORT_PRINT).length + 2;
      expect(Object.keys(electronPrintOptions(page))).toHaveLength(shared);
      expect(Object.keys(chromiumPdfOptions(page))).toHaveLength(shared);
    });
  }
});
