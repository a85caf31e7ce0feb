/**
 * The IPC end of the API: ipcMain.handle(API_CHANNEL) → dispatch(session, method, payload).
 *
 * Before anything is dispatched the sender is checked: the message must come from the main frame
 * of one of our own windows, showing a page of our app (app://powermap/…). Anything else — a
 * subframe, a foreign or file:// origin, a webContents we did not create, a destroyed one — gets
 * a typed BAD_REQUEST error and nothing runs. The hidden window that prints a report may only
 * read (no edits, no dialogs, no switching maps). The handler never throws.
 */
import { apiSpecs, isMethod } from '../../shared/api';
import type { ApiResult } from '../../shared/api/errors';
import { dispatch as coreDispatch } from '../../services/handlers';
import type { Session } from '../../services/session';
import { isRemoteMethod, type RemoteMethod } from '../../shared/api/remote';
import { isAppUrl } from './security';

export type WindowKind = 'map' | 'report';

export interface SenderEntry {
  session: Session;
  kind: WindowKind;
}

/** Looks up the PowerMap window a webContents belongs to (see windows.ts). */
export interface SenderLookup {
  lookup(webContentsId: number): SenderEntry | undefined;
}

/** The parts of an IpcMainInvokeEvent the check reads. Everything is treated as untrusted. */
export interface IpcEventLike {
  sender?: { id?: unknown; isDestroyed?: () => boolean } | null;
  senderFrame?: { url?: unknown; parent?: unknown } | null;
}

export type RefusalReason =
  | 'no-sender'
  | 'unknown-window'
  | 'destroyed'
  | 'no-frame'
  | 'sub-frame'
  | 'foreign-origin'
  | 'not-allowed-for-report';

const refusal = (reason: RefusalReason, method?: unknown): ApiResult<never> => ({
  ok: false,
  error: {
    code: 'BAD_REQUEST',
    message: `IPC call refused (${reason})`,
    params: { reason, ...(typeof method === 'string' ? { method: method.slice(0, 80) } : {}) },
  },
});

/**
 * What the hidden report (print) window may call: the reads the report view needs, nothing that
 * edits, opens dialogs, reads other files, or switches or closes the window's map. Add a method
 * here only if the report view needs it and it is a read (`mutates: false`).
 */
export const REPORT_METHODS: readonly string[] = ['app.info', 'map.get', 'exchange.reportData', 'exchange.portfolioData', 'analysis.run', 'snapshot.compare'];

/** True when a report (print) window may call `method`. */
export function reportMayCall(method: unknown): boolean {
  return isMethod(method) && REPORT_METHODS.includes(method) && apiSpecs[method].mutates === false;
}

/** Checks one IPC event; returns the sender's entry, or why it is refused. */
export function checkSender(
  event: unknown,
  windows: SenderLookup,
): { ok: true; entry: SenderEntry } | { ok: false; reason: RefusalReason } {
  try {
    const e = event as IpcEventLike | null | undefined;
    const sender = e?.sender;
    if (!sender || typeof sender.id !== 'number') return { ok: false, reason: 'no-sender' };
    const entry = windows.lookup(sender.id);
    if (!entry) return { ok: false, reason: 'unknown-window' };
    if (typeof sender.isDestroyed === 'function' && sender.isDestroyed()) return { ok: false, reason: 'destroyed' };
    const frame = e?.senderFrame;
    if (!frame) return { ok: false, reason: 'no-frame' };
    if (frame.parent !== null && frame.parent !== undefined) return { ok: false, reason: 'sub-frame' };
    if (!isAppUrl(frame.url)) return { ok: false, reason: 'foreign-origin' };
    return { ok: true, entry };
  } catch {
    // A getter that throws (a frame disposed mid-call) is a refusal, not a crash.
    return { ok: false, reason: 'no-frame' };
  }
}

export type Dispatch = (session: Session, method: unknown, payload: unknown) => Promise<ApiResult<unknown>>;

/**
 * Answers the `remote.*` methods (shared/api/remote.ts: the team server link, remote.ts) for the
 * window whose webContents id is given. Only map windows reach it, after the same sender check.
 */
export type RemoteHandler = (webContentsId: number, method: RemoteMethod, payload: unknown) => Promise<ApiResult<unknown>>;

/**
 * The function given to ipcMain.handle(API_CHANNEL, …). Calls from one map window run one at a
 * time in arrival order (as over HTTP); a report window's reads are not queued behind them, so a
 * PDF export that waits for its report view cannot deadlock.
 */
export function createApiHandler(windows: SenderLookup, dispatch: Dispatch = coreDispatch, remote?: RemoteHandler) {
  const queues = new WeakMap<Session, Promise<unknown>>();
  return async (event: unknown, method?: unknown, payload?: unknown): Promise<ApiResult<unknown>> => {
    const checked = checkSender(event, windows);
    if (!checked.ok) return refusal(checked.reason, method);
    const { session, kind } = checked.entry;
    let run: Promise<ApiResult<unknown>>;
    if (kind === 'report') {
      if (!reportMayCall(method)) return refusal('not-allowed-for-report', method);
      run = Promise.resolve().then(() => dispatch(session, method, payload));
    } else if (isRemoteMethod(method)) {
      // The team server's calls are ordered by the page (and the server); a live stream must not
      // wait behind a map file's long export, nor a map file's edit behind a slow network.
      const id = (event as IpcEventLike).sender!.id as number;
      if (!remote) return { ok: false, error: { code: 'UNSUPPORTED', message: 'no team server link in this shell' } };
      run = Promise.resolve().then(() => remote(id, method, payload));
    } else {
      run = (queues.get(session) ?? Promise.resolve()).then(() => dispatch(session, method, payload));
      queues.set(
        session,
        run.catch(() => undefined),
      );
    }
    try {
      return await run;
    } catch (e) {
      return { ok: false, error: { code: 'INTERNAL', message: `Internal error: ${(e as Error)?.message ?? String(e)}` } };
    }
  };
}
