/**
 * What the main side knows about one renderer: the open map, the host's abilities (native
 * dialogs in Electron, none in the browser build) and the user's settings. The Electron shell
 * keeps one Session per window; the browser build's server keeps one per run.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ApiError } from '../shared/api/errors';
import type { PdfPrinter } from './exchange/pdf-printer';
import type { MapStore } from '../storage/sqlite/map-store';
import type { Settings } from './settings';

export interface Host {
  kind: 'electron' | 'web';
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
}

export interface Paths {
  /** Where new maps and the sample copy go by default. */
  documentsDir: string;
  /** resources/ of the app (sample maps, fonts). */
  resourcesDir: string;
}

export class Session {
  store: MapStore | null = null;
  constructor(
    readonly host: Host,
    readonly settings: Settings,
    readonly paths: Paths,
    readonly version: string,
    public initialMap: string | null = null,
  ) {}

  requireStore(): MapStore {
    if (!this.store || !this.store.isOpen) throw new ApiError('NO_MAP_OPEN', 'No map is open');
    return this.store;
  }

  /** Replaces the open map (closing the previous one only once the new one opened). */
  setStore(store: MapStore): void {
    const prev = this.store;
    this.store = store;
    if (prev && prev !== store) prev.close();
    this.settings.addRecent(store.file, store.meta().deal || store.meta().account || path.basename(store.file, '.powermap'));
    this.host.mapOpened?.(store.file);
  }

  close(): void {
    const had = this.store !== null;
    this.store?.close();
    this.store = null;
    if (had) this.host.mapClosed?.();
  }
}

export const defaultDocumentsDir = (home: string): string => {
  const docs = path.join(home, 'Documents');
  return path.join(fs.existsSync(docs) ? docs : home, 'PowerMap');
};
