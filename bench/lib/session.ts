/** A main-side Session as the browser build makes one, for cases that go through dispatch(). */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApiError } from '../../shared/api/errors';
import { Session, type Host } from '../../electron/core/session';
import { Settings } from '../../electron/core/settings';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export function benchSession(dir: string): Session {
  const host: Host = {
    kind: 'web',
    locale: 'en-US',
    pickOpenPath: () => Promise.reject(new ApiError('UNSUPPORTED', 'no dialogs')),
    pickSavePath: () => Promise.reject(new ApiError('UNSUPPORTED', 'no dialogs')),
  };
  return new Session(
    host,
    new Settings(path.join(dir, 'config')),
    { documentsDir: path.join(dir, 'docs'), resourcesDir: path.join(ROOT, 'resources') },
    'bench',
  );
}
