/** Where things live when PowerMap runs under plain Node (browser build, CLI, tests). */
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { defaultDocumentsDir } from './session';

/** The repo root (or the unpacked app): the folder holding resources/ and dist/. */
export function appRoot(): string {
  // Bundles live in dist/node or dist/electron; sources in services/. Walk up to package.json.
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'resources'))) return dir;
    dir = path.dirname(dir);
  }
  return process.cwd();
}

export const nodePaths = () => ({
  documentsDir: process.env.POWERMAP_DOCUMENTS ?? defaultDocumentsDir(os.homedir()),
  resourcesDir: process.env.POWERMAP_RESOURCES ?? path.join(appRoot(), 'resources'),
  configDir:
    process.env.POWERMAP_CONFIG_DIR ??
    path.join(process.env.XDG_CONFIG_HOME ?? path.join(os.homedir(), '.config'), 'powermap'),
});

export const systemLocale = (): string =>
  process.env.LC_ALL || process.env.LC_MESSAGES || process.env.LANG || Intl.DateTimeFormat().resolvedOptions().locale;
