/**
 * The Host of every PowerMap that runs without Electron (browser build, CLI, tests, benchmark):
 * no native dialogs — the UI asks for a typed path instead — and no hidden print window: the
 * report view is served to the system Chromium by a private loopback server of its own.
 */
import { ApiError } from '../../shared/api/errors';
import { rendererDir } from '../../services/exchange/render';
import type { Host, ReportServer, Session } from '../../services/session';
import { startWebServer } from './server';

/** A private loopback server (random port, its own token) serving `session`'s report view. */
async function serveReport(session: Session): Promise<ReportServer> {
  const web = await startWebServer({ session, staticDir: rendererDir(), port: 0 });
  return { base: `http://127.0.0.1:${web.port}/`, token: web.token, close: () => web.close() };
}

export const dialogLessHost = (locale: string): Host => ({
  kind: 'web',
  locale,
  pickOpenPath: () => Promise.reject(new ApiError('UNSUPPORTED', 'no file dialog in the browser build')),
  pickSavePath: () => Promise.reject(new ApiError('UNSUPPORTED', 'no file dialog in the browser build')),
  serveReport,
});
