/**
 * What the main side knows about one renderer: the open map, the host's abilities (native
 * dialogs in Electron, none in the browser build) and the user's settings. The Electron shell
 * keeps one Session per window; the browser build's server keeps one per run.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ApiError } from '../shared/api/errors';
import type { PortfolioRow } from '../shared/api/team-sync';
import type { PdfPrinter } from './exchange/pdf-printer';
import type { MapStore } from '../storage/types';
import { meta } from './map/read';
import type { Settings } from './settings';

export interface Host {
  kind: 'electron' | 'web' | 'team';
  locale: string;
  /** Native open dialog; null when cancelled. Throws UNSUPPORTED where there is none. */
  pickOpenPath(): Promise<string | null>;
  pickSavePath(suggestedName: string): Promise<string | null>;
  /** Told after a map is opened or created (window title, OS recent documents). */
  mapOpened?(file: string): void;
  /** Told after the open map was closed (window title back to the app's). */
  mapClosed?(): void;
  /** Prints the report view to PDF (Electron: hidden window; elsewhere: system Chromium). */
  pdfPrinter?: PdfPrinter;
  /**
   * Serves this session's report view to a browser on a private loopback address (where the
   * system Chromium prints PDFs and images: the CLI and the browser build). Returns the page's
   * base address and the token to put in its fragment.
   */
  serveReport?(session: Session): Promise<ReportServer>;
}

export interface ReportServer {
  /** e.g. http://127.0.0.1:PORT/ */
  base: string;
  token: string;
  close(): Promise<void>;
}

export interface Paths {
  /** Where new maps and the sample copy go by default. */
  documentsDir: string;
  /** resources/ of the app (sample maps, fonts). */
  resourcesDir: string;
}

export class Session {
  store: MapStore | null = null;
  /** Who edits, for "verified by" (issue 20): set to the signed-in user on a team map. */
  user: string | null = null;
  /** The team portfolio being printed (exchange.exportPortfolio → the report view's portfolio mode). */
  portfolioPrint: { rows: PortfolioRow[]; generatedAt: string } | null = null;
  constructor(
    readonly host: Host,
    readonly settings: Settings,
    readonly paths: Paths,
    readonly version: string,
    public initialMap: string | null = null,
  ) {}

  /** The editor's name: the signed-in user, else the local user's name from settings, else "me". */
  actor(): string {
    return this.user ?? (this.settings.get().userName || 'me');
  }

  requireStore(): MapStore {
    if (!this.store || !this.store.isOpen) throw new ApiError('NO_MAP_OPEN', 'No map is open');
    return this.store;
  }

  /**
   * Replaces the open map (closing the previous one only once the new one opened). The new map is
   * the session's at once; the recent list (named after the deal, else the account) follows.
   */
  async setStore(store: MapStore): Promise<void> {
    const prev = this.store;
    this.store = store;
    if (prev && prev !== store) await prev.close();
    if (store.kind === 'file') {
      const m = await meta(store);
      this.settings.addRecent(store.location.path, m.deal || m.account || path.basename(store.location.path, '.powermap'));
      this.host.mapOpened?.(store.location.path);
    }
  }

  async close(): Promise<void> {
    const had = this.store !== null;
    const store = this.store;
    this.store = null;
    await store?.close();
    if (had) this.host.mapClosed?.();
  }
}

export const defaultDocumentsDir = (home: string): string => {
  const docs = path.join(home, 'Documents');
  return path.join(fs.existsSync(docs) ? docs : home, 'PowerMap');
};
