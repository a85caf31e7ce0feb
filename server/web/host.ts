/**
 * The Host of every PowerMap that runs without Electron (browser build, CLI, tests, benchmark):
 * no native dialogs — the UI asks for a typed path instead — and no hidden print window.
 */
import { ApiError } from '../../shared/api/errors';
import type { Host } from '../../services/session';

export const dialogLessHost = (locale: string): Host => ({
  kind: 'web',
  locale,
  pickOpenPath: () => Promise.reject(new ApiError('UNSUPPORTED', 'no file dialog in the browser build')),
  pickSavePath: () => Promise.reject(new ApiError('UNSUPPORTED', 'no file dialog in the browser build')),
});
