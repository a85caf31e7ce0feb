/**
 * One set of print options for the report, for both PDF engines: the app's hidden window
 * (Electron's webContents.printToPDF) and the system Chromium of the CLI and the browser build
 * (playwright-core's page.pdf). Both end in Chromium's Page.printToPDF; the two APIs only name the
 * options differently, so each engine gets its own spelling of the same values here. Pure: each
 * engine file checks the names against its API's types (electron.d.ts PrintToPDFOptions,
 * playwright-core's page.pdf options).
 */

export interface PrintPage {
  pageSize: 'A4' | 'A3';
  landscape: boolean;
}

export const REPORT_PRINT = {
  /** Fills, badges and the legend's swatches are backgrounds. */
  printBackground: true,
  /** The report's own @page rule (size, margins, page-number margin boxes) decides. */
  preferCSSPageSize: true,
  /** Page numbers are CSS @page margin boxes, not the engine's header and footer. */
  displayHeaderFooter: false,
  /** A tagged (accessible) PDF: headings, tables and reading order for screen readers. */
  tagged: true,
  /** Bookmarks from the report's headings. */
  outline: true,
  scale: 1,
  /** No engine margin: the @page margins are the margins (Electron's default would be 0.4 in). */
  marginInches: 0,
} as const;

/** For Electron's webContents.printToPDF (margins in inches). */
export const electronPrintOptions = (page: PrintPage) => ({
  landscape: page.landscape,
  pageSize: page.pageSize,
  printBackground: REPORT_PRINT.printBackground,
  preferCSSPageSize: REPORT_PRINT.preferCSSPageSize,
  displayHeaderFooter: REPORT_PRINT.displayHeaderFooter,
  scale: REPORT_PRINT.scale,
  margins: { top: REPORT_PRINT.marginInches, bottom: REPORT_PRINT.marginInches, left: REPORT_PRINT.marginInches, right: REPORT_PRINT.marginInches },
  generateTaggedPDF: REPORT_PRINT.tagged,
  generateDocumentOutline: REPORT_PRINT.outline,
});

/** For playwright-core's page.pdf (margins as CSS lengths). */
export const chromiumPdfOptions = (page: PrintPage) => {
  const m = `${REPORT_PRINT.marginInches}in`;
  return {
    landscape: page.landscape,
    format: page.pageSize,
    printBackground: REPORT_PRINT.printBackground,
    preferCSSPageSize: REPORT_PRINT.preferCSSPageSize,
    displayHeaderFooter: REPORT_PRINT.displayHeaderFooter,
    scale: REPORT_PRINT.scale,
    margin: { top: m, bottom: m, left: m, right: m },
    tagged: REPORT_PRINT.tagged,
    outline: REPORT_PRINT.outline,
  };
};

/**
 * Poster sizes for the PNG/SVG exports (landscape, mm): the picture is made for that sheet and its
 * labels chosen so no name prints under 6 pt on it (the less influential give way where they
 * would collide). The PNG is rendered at POSTER_DPI.
 */
export const POSTER_SIZES = ['A2', 'A1', 'A0'] as const;
export type PosterSize = (typeof POSTER_SIZES)[number];
export const POSTER_MM: Record<PosterSize, { w: number; h: number }> = { A2: { w: 594, h: 420 }, A1: { w: 841, h: 594 }, A0: { w: 1189, h: 841 } };
export const POSTER_DPI = 150;
/** Smallest printed text on every page and poster: 6 pt. */
export const MIN_PRINT_PT = 6;

/** `true` only when every key of T is one of U's: a misspelt option name does not compile. */
export type OnlyKnownKeys<T, U> = [Exclude<keyof T, keyof U>] extends [never] ? true : { unknownOptions: Exclude<keyof T, keyof U> };
