/**
 * The Electron Host of a Session (services/session.ts): native open/save dialogs attached
 * to the map's window and filtered to .powermap, and — once a map is open — the window title and
 * the OS's recent documents.
 */
import path from 'node:path';
import { app, dialog, type BrowserWindow, type FileFilter } from 'electron';
import type { Host } from '../../services/session';
import type { Lang } from '../../shared/i18n/errors';
import { MAP_EXTENSION } from './args';

const FILTER_NAMES: Record<Lang, Record<string, string>> = {
  'en-US': { powermap: 'PowerMap maps', pdf: 'PDF documents', png: 'PNG images', svg: 'SVG images', csv: 'CSV files', json: 'JSON files', graphml: 'GraphML files', other: 'Files' },
  'zh-CN': { powermap: 'PowerMap 地图', pdf: 'PDF 文档', png: 'PNG 图片', svg: 'SVG 图片', csv: 'CSV 文件', json: 'JSON 文件', graphml: 'GraphML 文件', other: '文件' },
};

/** The save dialog's filter: .powermap unless the suggested name has another extension (exports). */
export function saveFilters(suggestedName: string, lang: Lang): FileFilter[] {
  const ext = path.extname(suggestedName).slice(1).toLowerCase() || MAP_EXTENSION.slice(1);
  const names = FILTER_NAMES[lang];
  return [{ name: names[ext] ?? names.other ?? 'Files', extensions: [ext] }];
}

export const windowTitle = (file: string | null): string =>
  file ? `${path.basename(file, path.extname(file))} — PowerMap` : 'PowerMap';

export interface ElectronHostOptions {
  /** The map's window (null before it is created or after it closed). */
  window: () => BrowserWindow | null;
  locale: () => string;
  lang: () => Lang;
  documentsDir: string;
  platform?: NodeJS.Platform;
  /** After a map opened: refresh the recent-files menu. */
  onMapOpened?: (file: string) => void;
}

export function createElectronHost(opts: ElectronHostOptions): Host {
  const mac = (opts.platform ?? process.platform) === 'darwin';
  const parent = () => {
    const w = opts.window();
    return w && !w.isDestroyed() ? w : null;
  };
  return {
    kind: 'electron',
    get locale() {
      return opts.locale();
    },
    async pickOpenPath() {
      const options: Electron.OpenDialogOptions = {
        properties: ['openFile'],
        defaultPath: opts.documentsDir,
        filters: [{ name: FILTER_NAMES[opts.lang()].powermap ?? 'PowerMap maps', extensions: [MAP_EXTENSION.slice(1)] }],
      };
      const w = parent();
      const r = w ? await dialog.showOpenDialog(w, options) : await dialog.showOpenDialog(options);
      return r.canceled || !r.filePaths[0] ? null : r.filePaths[0];
    },
    async pickSavePath(suggestedName: string) {
      const name = path.basename(suggestedName || `Untitled${MAP_EXTENSION}`);
      const options: Electron.SaveDialogOptions = {
        defaultPath: path.join(opts.documentsDir, name),
        filters: saveFilters(name, opts.lang()),
        properties: ['createDirectory', 'showOverwriteConfirmation'],
      };
      const w = parent();
      const r = w ? await dialog.showSaveDialog(w, options) : await dialog.showSaveDialog(options);
      return r.canceled || !r.filePath ? null : r.filePath;
    },
    mapOpened(file: string) {
      app.addRecentDocument(file);
      const w = parent();
      if (w) {
        w.setTitle(windowTitle(file));
        if (mac) w.setRepresentedFilename(file);
      }
      opts.onMapOpened?.(file);
    },
    mapClosed() {
      const w = parent();
      if (w) {
        w.setTitle(windowTitle(null));
        if (mac) w.setRepresentedFilename('');
      }
    },
  };
}
