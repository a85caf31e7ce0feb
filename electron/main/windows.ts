/**
 * The windows PowerMap has open, keyed by their webContents id: each map window with its Session,
 * and the hidden report windows that print PDFs for a session. The IPC handler looks senders up
 * here; a webContents that is not listed is not ours and gets nothing.
 */
import type { BrowserWindow } from 'electron';
import path from 'node:path';
import type { Session } from '../../services/session';
import type { SenderEntry, SenderLookup } from './ipc';

export interface WindowEntry extends SenderEntry {
  window: BrowserWindow;
}

export class WindowRegistry implements SenderLookup {
  private readonly entries = new Map<number, WindowEntry>();

  add(webContentsId: number, entry: WindowEntry): void {
    this.entries.set(webContentsId, entry);
  }

  remove(webContentsId: number): void {
    this.entries.delete(webContentsId);
  }

  lookup(webContentsId: number): WindowEntry | undefined {
    return this.entries.get(webContentsId);
  }

  /** Open map windows (not report windows), oldest first. */
  mapWindows(): WindowEntry[] {
    return [...this.entries.values()].filter((e) => e.kind === 'map' && !e.window.isDestroyed());
  }

  forWindow(win: BrowserWindow | null | undefined): WindowEntry | undefined {
    return win ? this.mapWindows().find((e) => e.window === win) : undefined;
  }

  /** The window that has `file` open. */
  findByFile(file: string): WindowEntry | undefined {
    const abs = path.resolve(file);
    return this.mapWindows().find((e) => e.session.store?.isOpen && e.session.store.location.path === abs);
  }

  /** A map window showing the welcome screen (no map open), to reuse for the next file. */
  findEmpty(): WindowEntry | undefined {
    return this.mapWindows().find((e) => !e.session.store?.isOpen);
  }

  sessions(): Session[] {
    return [...new Set([...this.entries.values()].map((e) => e.session))];
  }
}
