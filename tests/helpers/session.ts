import path from 'node:path';
import { ApiError } from '../../shared/api/errors';
import { Session, type Host } from '../../electron/core/session';
import { Settings } from '../../electron/core/settings';

export const REPO = path.resolve(__dirname, '..', '..');

/** A Session as the browser build makes it, with its folders in `dir`. */
export function webSession(dir: string): Session {
  const host: Host = {
    kind: 'web',
    locale: 'en-US',
    pickOpenPath: () => Promise.reject(new ApiError('UNSUPPORTED', 'no dialogs')),
    pickSavePath: () => Promise.reject(new ApiError('UNSUPPORTED', 'no dialogs')),
  };
  return new Session(
    host,
    new Settings(path.join(dir, 'config')),
    { documentsDir: path.join(dir, 'docs'), resourcesDir: path.join(REPO, 'resources') },
    'test',
  );
}
