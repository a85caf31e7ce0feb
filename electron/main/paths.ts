/**
 * Where the Electron app finds its parts, in development (`electron .` from the repo) and when
 * packaged (app.asar plus extraResources). Pure, so both layouts are unit-tested.
 *
 *   dev:       <repo>/dist/renderer, <repo>/dist/electron/preload.cjs, <repo>/resources
 *   packaged:  <resources>/app.asar/dist/renderer, …/app.asar/dist/electron/preload.cjs,
 *              <resources>/samples (extraResources in electron-builder.yml)
 */
import path from 'node:path';

export interface AppLocations {
  isPackaged: boolean;
  /** app.getAppPath(): the repo root in development, …/resources/app.asar when packaged. */
  appPath: string;
  /** process.resourcesPath */
  resourcesPath: string;
  /** app.getPath('documents') */
  documents: string;
  /** app.getPath('userData') */
  userData: string;
}

export interface ElectronPaths {
  /** The built renderer served as app://powermap/ (index.html, report.html, assets). */
  rendererDir: string;
  preload: string;
  /** Session Paths.resourcesDir: holds samples/ (and anything else listed in extraResources). */
  resourcesDir: string;
  /** Where new maps and the sample copy go. */
  documentsDir: string;
  /** settings.json lives here. */
  configDir: string;
  /** The window icon (Linux; macOS and Windows take it from the package). */
  icon: string;
}

/**
 * The settings folder of a development run (`npm start`, not packaged): beside the installed app's
 * (<appData>/PowerMap on every OS), so the two never share settings or the single-instance lock.
 */
export const developmentUserData = (appData: string, name: string): string => path.join(appData, `${name}-dev`);

export function electronPaths(loc: AppLocations): ElectronPaths {
  return {
    rendererDir: path.join(loc.appPath, 'dist', 'renderer'),
    preload: path.join(loc.appPath, 'dist', 'electron', 'preload.cjs'),
    resourcesDir: loc.isPackaged ? loc.resourcesPath : path.join(loc.appPath, 'resources'),
    documentsDir: path.join(loc.documents, 'PowerMap'),
    configDir: loc.userData,
    icon: path.join(loc.appPath, 'resources', 'icons', '512x512.png'),
  };
}
