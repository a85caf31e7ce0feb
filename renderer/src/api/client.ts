/**
 * The renderer's one API client. In Electron the preload bridge (window.powermap) carries calls
 * over IPC; in the browser build they go to the loopback server with the per-run token, which
 * arrives in the URL fragment (#token=…) and is kept in sessionStorage.
 *
 * A page without a bridge and without a token was served by the team server (`powermap server`):
 * the session cookie rides along by itself, and every call carries the session's CSRF token (GET
 * /auth/session), the open team map (X-PowerMap-Map), the last revision this page has seen of it
 * (X-PowerMap-Rev) and, for an edit, a fresh operation id (X-PowerMap-Op) that stays the same when
 * the call is sent once more after the connection dropped, so the server applies it once.
 */
import { createClient, apiSpecs, isMethod, type ApiClient, type ApiResult, type Transport } from '../../../shared/api';
import { CSRF_HEADER, accountMethods, isAccountMethod, type SessionInfo } from '../../../shared/api/account';
import type { PowerMapBridge } from '../../../shared/api/bridge';
import type { InputOf, OutputOf } from '../../../shared/api/contract';
import { remoteMethods } from '../../../shared/api/remote';
import { MAP_HEADER, OP_HEADER, REV_HEADER, isTeamMethod, teamMethods } from '../../../shared/api/team';

declare global {
  interface Window {
    powermap?: PowerMapBridge;
  }
}

const TOKEN_KEY = 'powermap.token';

function webToken(): string {
  const m = /(?:^|[#&])token=([^&]+)/.exec(window.location.hash);
  if (m?.[1]) {
    sessionStorage.setItem(TOKEN_KEY, m[1]);
    history.replaceState(null, '', window.location.pathname + window.location.search);
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? '';
}

const noAnswer = (e: unknown): ApiResult<never> => ({
  ok: false,
  error: { code: 'IO', message: `The PowerMap server did not answer: ${(e as Error).message}` },
});

const httpTransport = (token: string): Transport => async (method, payload) => {
  try {
    const res = await fetch(`./api/${encodeURIComponent(method)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-powermap-token': token },
      body: JSON.stringify(payload ?? {}),
    });
    return await res.json();
  } catch (e) {
    return noAnswer(e);
  }
};

// ---------------------------------------------------------------------------------------------
// The team server
// ---------------------------------------------------------------------------------------------

const mutates = (method: string): boolean =>
  isMethod(method) ? apiSpecs[method].mutates : isTeamMethod(method) ? teamMethods[method].mutates : isAccountMethod(method) ? accountMethods[method].mutates : false;

/** A fresh operation id (the server takes [A-Za-z0-9_-]{8,100}). */
const newOpId = (): string => crypto.randomUUID().replace(/-/g, '');

/** What the team transport knows and tells: the session, the open map, the revision seen. */
export const team = {
  /** The session (user and CSRF token), once GET /auth/session answered. */
  session: null as SessionInfo | null,
  /** The open team map's id (sent as X-PowerMap-Map), or null. */
  mapId: null as string | null,
  /** Every revision up to this one has reached the page (sent as X-PowerMap-Rev). */
  seenRev: 0,
  /** Called after every answer: whether the server said it cannot reach its database. */
  onDatabase: (_up: boolean): void => undefined,
  /** Called when the session is gone (signed out elsewhere, expired): the page goes to /signin. */
  onSignedOut: (): void => {
    window.location.assign('./signin');
  },
  /** The page has seen revision `rev` (a live change, or an edit of its own right after `seenRev`). */
  saw(rev: number, contiguous = true): void {
    if (contiguous ? rev > this.seenRev : rev === this.seenRev + 1) this.seenRev = rev;
  },
  /** Tests: how many calls were sent a second time after a dropped connection. */
  retries: 0,
  /**
   * The desktop app: the session ended (expired, revoked) while a call was on its way. Resolves
   * true once the user signed in again (the call is then sent once more, with the same operation
   * id, so nothing is lost and nothing applied twice), false when they gave up.
   */
  signInAgain: (): Promise<boolean> => Promise.resolve(false),
};

/** GET /auth/session: who is signed in, and the CSRF token for this session. Null: not signed in. */
export async function loadSession(): Promise<SessionInfo | null> {
  const res = await fetch('./auth/session', { credentials: 'same-origin' });
  if (res.status === 401) return null;
  const body = (await res.json()) as ApiResult<SessionInfo>;
  if (!body.ok) throw Object.assign(new Error(body.error.message), body.error);
  team.session = body.value;
  return body.value;
}

const teamTransport: Transport = async (method, payload) => {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (team.session) headers[CSRF_HEADER] = team.session.csrf;
  const onMap = team.mapId !== null && !isTeamMethod(method) && !isAccountMethod(method);
  if (onMap) {
    headers[MAP_HEADER] = team.mapId!;
    headers[REV_HEADER] = String(team.seenRev);
  }
  const edit = mutates(method);
  if (edit) headers[OP_HEADER] = newOpId();
  const send = async (): Promise<ApiResult<unknown>> => {
    const res = await fetch(`./api/${encodeURIComponent(method)}`, { method: 'POST', credentials: 'same-origin', headers, body: JSON.stringify(payload ?? {}) });
    return (await res.json()) as ApiResult<unknown>;
  };
  let body: ApiResult<unknown>;
  try {
    body = await send();
  } catch (first) {
    // The connection dropped before the whole answer came (an instance went away): once more,
    // with the same operation id, so an edit the server had already applied is answered from
    // its record and not applied twice.
    team.retries++;
    try {
      body = await send();
    } catch {
      return noAnswer(first);
    }
  }
  if (!body.ok && body.error.code === 'UNAUTHENTICATED') team.onSignedOut();
  team.onDatabase(!(!body.ok && body.error.code === 'UNAVAILABLE'));
  if (body.ok && onMap && edit) {
    const rev = (body.value as { rev?: unknown } | null)?.rev;
    if (typeof rev === 'number') team.saw(rev, false);
  }
  return body;
};

/** Which server this page talks to. */
export const hostKind: 'electron' | 'web' | 'team' = window.powermap ? 'electron' : webToken() ? 'web' : 'team';

// ---------------------------------------------------------------------------------------------
// The desktop app on a team map: the same calls, carried by the main process (remote.call),
// which holds the sign-in and talks to the team server; the page never sees the secret.
// ---------------------------------------------------------------------------------------------

/** What stays on this computer even while a team map is open: the app, dialogs, files. */
const LOCAL_PREFIXES = ['app.', 'host.', 'recent.', 'remote.'];
const LOCAL_METHODS = new Set(['map.create', 'map.open', 'map.openSample', 'exchange.importCsv', 'exchange.importJson', 'exchange.previewCsv', 'exchange.export', 'exchange.writeImage']);
const staysLocal = (method: string) => LOCAL_METHODS.has(method) || LOCAL_PREFIXES.some((p) => method.startsWith(p));

const remoteTransport: Transport = async (method, payload) => {
  const onMap = team.mapId !== null && !isTeamMethod(method) && !isAccountMethod(method);
  const envelope = {
    method,
    payload: payload ?? {},
    ...(onMap ? { map: team.mapId!, rev: team.seenRev } : {}),
    ...(mutates(method) ? { op: newOpId() } : {}),
  };
  let body = await window.powermap!.invoke('remote.call', envelope);
  // The session ended while this call was on its way: sign in again and send it once more
  // (the same operation id: the server applies an edit once).
  if (!body.ok && body.error.code === 'UNAUTHENTICATED' && (await team.signInAgain())) body = await window.powermap!.invoke('remote.call', envelope);
  if (!body.ok && body.error.code === 'UNAUTHENTICATED') team.onSignedOut();
  team.onDatabase(!(!body.ok && body.error.code === 'UNAVAILABLE'));
  if (body.ok && onMap && envelope.op) {
    const rev = (body.value as { rev?: unknown } | null)?.rev;
    if (typeof rev === 'number') team.saw(rev, false);
  }
  return body;
};

/** The desktop app on a team map: exports are made by the main process from a fetched copy. */
const desktopTransport: Transport = (m, p) => {
  if (team.mapId === null) return window.powermap!.invoke(m, p);
  if (m === 'exchange.export') return window.powermap!.invoke('remote.export', { map: team.mapId, input: p ?? {} });
  return staysLocal(m) ? window.powermap!.invoke(m, p) : remoteTransport(m, p);
};

const transport: Transport = window.powermap
  ? desktopTransport
  : hostKind === 'web'
    ? httpTransport(sessionStorage.getItem(TOKEN_KEY) ?? '')
    : teamTransport;

export const api: ApiClient = createClient(transport);

/** The desktop app's link to a team server (shared/api/remote.ts), answered by the main process. */
const remoteClient = createClient((m, p) => (window.powermap ? window.powermap.invoke(m, p) : Promise.resolve({ ok: false, error: { code: 'UNSUPPORTED', message: 'only in the desktop app' } })));
export const remoteApi = {
  call<M extends Exclude<keyof typeof remoteMethods, 'remote.call'>>(method: M, input: InputOf<(typeof remoteMethods)[M]>): Promise<OutputOf<(typeof remoteMethods)[M]>> {
    return remoteClient.call(method as never, input as never) as never;
  },
};

/** The team server's own methods (maps.*, account.*), typed like `api.call`. */
type TeamSpecs = typeof teamMethods & typeof accountMethods;
const teamClient = createClient(window.powermap ? remoteTransport : teamTransport);
export const teamApi = {
  call<M extends keyof TeamSpecs>(method: M, input: InputOf<TeamSpecs[M]>): Promise<OutputOf<TeamSpecs[M]>> {
    return teamClient.call(method as never, input as never) as never;
  },
};
