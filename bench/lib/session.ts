/** A main-side Session as the browser build makes one, for cases that go through dispatch(). */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { dialogLessHost } from '../../server/web/host';
import { Session } from '../../services/session';
import { Settings } from '../../services/settings';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export function benchSession(dir: string): Session {
  return new Session(
    dialogLessHost('en-US'),
    new Settings(path.join(dir, 'config')),
    { documentsDir: path.join(dir, 'docs'), resourcesDir: path.join(ROOT, 'resources') },
    'bench',
  );
}
