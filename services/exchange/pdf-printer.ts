/**
 * Prints a page of the app (the report view) to PDF. Two engines, one report: the Electron shell
 * prints with a hidden, locked-down BrowserWindow (webContents.printToPDF); the CLI and the
 * browser build print with the system Chromium (playwright-core).
 */
export interface PdfOptions {
  pageSize: 'A4' | 'A3';
  landscape: boolean;
}

export interface PdfPrinter {
  /**
   * Loads `url` (the report view), waits until it says it is ready — <body data-ready="1">, or
   * data-ready="error" with the reason in data-error — and prints it with the page's own CSS page
   * size (preferCSSPageSize; page numbers are CSS page-margin boxes, so no header/footer options).
   * The exchange handlers give a host printer a RELATIVE address, `report.html?mode=report&…`, to
   * resolve against the app's own origin (the custom protocol); the report view fetches its data
   * through the API bridge of the window it is loaded in ('exchange.reportData').
   */
  printToPdf(url: string, opts: PdfOptions): Promise<Buffer>;
}
