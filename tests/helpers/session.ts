import path from 'node:path';
import { dialogLessHost } from '../../server/web/host';
import { Session } from '../../services/session';
import { Settings } from '../../services/settings';

export const REPO = path.resolve(__dirname, '..', '..');

/** A Session as the browser build makes it, with its folders in `dir`. */
export function webSession(dir: string): Session {
  return new Session(
    dialogLessHost('en-US'),
    new Settings(path.join(dir, 'config')),
    { documentsDir: path.join(dir, 'docs'), resourcesDir: path.join(REPO, 'resources') },
    'test',
  );
}
