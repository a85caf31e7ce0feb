/**
 * How the CLI reaches the services: the same dispatcher and handlers as the desktop app's IPC
 * and the browser build's HTTP, through a Session of its own (no dialogs, the report served to
 * the system Chromium by a private loopback server, no settings written).
 */
import path from 'node:path';
import type { Input, Method, Output } from '../shared/api';
import { ApiError } from '../shared/api/errors';
import type { Lang } from '../shared/i18n/errors';
import { dispatch } from '../services/handlers';
import { openMapFile } from '../services/map/files';
import { nodePaths } from '../services/paths';
import { Session } from '../services/session';
import { Settings } from '../services/settings';
import { APP_VERSION } from '../services/version';
import { dialogLessHost } from '../server/web/host';

/** A Session for the CLI: no map yet, the language of the command; settings never written (no recent list). */
export function cliSession(lang: Lang): Session {
  const settings = new Settings(null);
  return new Session(dialogLessHost(lang), settings, { ...nodePaths() }, APP_VERSION);
}

/** Calls one API method as the app would; an error comes back as the ApiError it is. */
export async function call<M extends Method>(session: Session, method: M, input: Input<M>): Promise<Output<M>> {
  const r = await dispatch(session, method, input);
  if (!r.ok) throw ApiError.from(r.error);
  return r.value as Output<M>;
}

/** Opens the map file in a CLI session, runs `fn`, and closes the map whatever happens. */
export async function withMap<T>(file: string, lang: Lang, fn: (session: Session) => Promise<T>): Promise<T> {
  const session = cliSession(lang);
  session.store = await openMapFile(path.resolve(file));
  try {
    return await fn(session);
  } finally {
    await session.close();
  }
}
