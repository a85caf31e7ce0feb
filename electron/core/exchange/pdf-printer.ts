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
  /** Loads `url` (a report view served by the app), waits until it says it is ready, prints it. */
  printToPdf(url: string, opts: PdfOptions): Promise<Buffer>;
}
