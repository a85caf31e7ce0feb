/**
 * The one HTTP client for the team server, for everything that is not a page the server served
 * itself: the CLI (`powermap login`, `publish`, `fetch`, `sync`, `portfolio`) and the Electron
 * main process (the desktop app's team transport). Plain `fetch`, no Electron, no DOM.
 *
 * Credentials stay with whoever holds this object (the main process, the CLI): an access token
 * sent as `Authorization: Bearer pmat_…` (no CSRF: a browser never attaches one by itself).
 * Signing in (`signIn`) goes through POST /auth/signin once, turns the short-lived session into a
 * named access token and ends the session.
 *
 * Every failure is an ApiError with a code the UI and the CLI put into words:
 * - the server does not answer (refused, DNS, timeout, connection dropped): IO with
 *   params.reason 'unreachable';
 * - it answers with something that is not a PowerMap ApiResult (another program on that port, a
 *   proxy's error page): IO with params.reason 'not_powermap';
 * - its own refusals as they are (UNAUTHENTICATED: sign in again; UNAVAILABLE: its database…).
 */
import { ApiError, isApiErrorShape, type ApiResult } from '../../shared/api/errors';
import type { AccessTokenInfo, AccountUser, SessionInfo } from '../../shared/api/account';
import { accountMethods } from '../../shared/api/account';
import type { InputOf, OutputOf } from '../../shared/api/contract';
import { MAP_HEADER, OP_HEADER, REV_HEADER, teamMethods } from '../../shared/api/team';

type Specs = typeof teamMethods & typeof accountMethods;
export type RemoteMethod = keyof Specs;

export interface RemoteOptions {
  /** The server's address as the user gave it (https://powermap.example.com, http://127.0.0.1:8080). */
  server: string;
  /** An access token (pmat_…), or none yet. */
  token?: string | null;
  /** Milliseconds before a call that got no answer is given up (default 120 s: a big publish). */
  timeoutMs?: number;
  /** For tests: another fetch. */
  fetch?: typeof fetch;
}

const isLoopback = (host: string) => host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);

/**
 * The server's origin from what the user typed: http(s) only, https unless the host is loopback,
 * no user name or password in it. Throws BAD_REQUEST with params.reason.
 */
export function serverOrigin(input: string): string {
  let u: URL;
  try {
    u = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(input.trim()) ? input.trim() : `https://${input.trim()}`);
  } catch {
    throw new ApiError('BAD_REQUEST', `Not a server address: ${input.slice(0, 200)}`, { reason: 'bad_url' });
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new ApiError('BAD_REQUEST', `A team server is reached over https: ${u.protocol}`, { reason: 'bad_url' });
  if (u.username || u.password) throw new ApiError('BAD_REQUEST', 'Give the address without a user name or password', { reason: 'bad_url' });
  if (u.protocol === 'http:' && !isLoopback(u.hostname)) throw new ApiError('BAD_REQUEST', `Use https:// for ${u.hostname} (plain http only on this computer)`, { reason: 'needs_https' });
  return u.origin;
}

export interface CallOptions {
  /** The open team map (X-PowerMap-Map), for the app's map methods. */
  mapId?: string;
  /** An operation id (X-PowerMap-Op): the same call sent again is applied once. */
  opId?: string;
  /** The revision the caller has seen (X-PowerMap-Rev). */
  rev?: number;
}

export class TeamRemote {
  readonly origin: string;
  token: string | null;
  private readonly timeoutMs: number;
  private readonly doFetch: typeof fetch;

  constructor(opts: RemoteOptions) {
    this.origin = serverOrigin(opts.server);
    this.token = opts.token ?? null;
    this.timeoutMs = opts.timeoutMs ?? 120_000;
    this.doFetch = opts.fetch ?? fetch;
  }

  /** POST /api/<method>: an ApiResult, never a throw (transport failures become IO errors). */
  async send(method: string, payload: unknown, opts: CallOptions = {}): Promise<ApiResult<unknown>> {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (opts.mapId) headers[MAP_HEADER] = opts.mapId;
    if (opts.opId) headers[OP_HEADER] = opts.opId;
    if (opts.rev !== undefined) headers[REV_HEADER] = String(opts.rev);
    return this.post(`/api/${encodeURIComponent(method)}`, headers, payload);
  }

  /** A team-server method, typed: resolves with the value or throws the ApiError. */
  async call<M extends RemoteMethod>(method: M, input: InputOf<Specs[M]>, opts: CallOptions = {}): Promise<OutputOf<Specs[M]>> {
    const r = await this.send(method, input, opts);
    if (!r.ok) throw ApiError.from(r.error);
    return r.value as OutputOf<Specs[M]>;
  }

  /** Any method of the app's contract on a team map (`mapId`), as the desktop transport sends it. */
  async callOnMap(method: string, payload: unknown, opts: CallOptions): Promise<ApiResult<unknown>> {
    return this.send(method, payload, opts);
  }

  /**
   * Signs in with email and password and gets a personal access token named `tokenName` (the
   * session used for that is ended at once). Keeps the token on this object.
   */
  async signIn(email: string, password: string, tokenName: string, expiresInDays: number | null = 90): Promise<{ token: string; info: AccessTokenInfo; user: AccountUser }> {
    const res = await this.raw('/auth/signin', { 'content-type': 'application/json', origin: this.origin }, { email, password });
    const body = await this.result<SessionInfo>(res);
    if (!body.ok) throw ApiError.from(body.error);
    const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    if (!cookie) throw new ApiError('IO', 'The server signed in without a session cookie', { reason: 'not_powermap' });
    const session = { 'content-type': 'application/json', cookie, origin: this.origin, 'x-powermap-csrf': body.value.csrf };
    try {
      const made = await this.post('/api/tokens.create', session, { name: tokenName, expiresInDays });
      if (!made.ok) throw ApiError.from(made.error);
      const value = made.value as { token: string; info: AccessTokenInfo };
      this.token = value.token;
      return { ...value, user: body.value.user };
    } finally {
      await this.post('/api/account.signOut', session, {}).catch(() => undefined);
    }
  }

  /** Revokes a token of the signed-in user (`powermap logout` revokes its own, by the id kept at login). */
  async revokeToken(id: string): Promise<void> {
    await this.call('tokens.revoke', { id });
  }

  private async post(path: string, headers: Record<string, string>, payload: unknown): Promise<ApiResult<unknown>> {
    let res: Response;
    try {
      res = await this.raw(path, headers, payload);
    } catch (e) {
      return { ok: false, error: (e as ApiError).toJSON() };
    }
    return this.result(res);
  }

  private async raw(path: string, headers: Record<string, string>, payload: unknown): Promise<Response> {
    try {
      return await this.doFetch(new URL(path, this.origin), {
        method: 'POST',
        headers,
        body: JSON.stringify(payload ?? {}),
        redirect: 'manual',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (e) {
      const cause = (e as { cause?: { code?: string } }).cause?.code ?? (e as Error).name;
      throw new ApiError('IO', `The team server at ${this.origin} did not answer (${cause})`, { reason: 'unreachable', server: this.origin });
    }
  }

  private async result<T>(res: Response): Promise<ApiResult<T>> {
    let text: string;
    try {
      text = await res.text();
    } catch {
      return { ok: false, error: { code: 'IO', message: `The connection to ${this.origin} dropped before the answer came`, params: { reason: 'unreachable', server: this.origin } } };
    }
    const notOurs = (): ApiResult<T> => ({
      ok: false,
      error: { code: 'IO', message: `${this.origin} answered HTTP ${res.status}, not as a PowerMap team server`, params: { reason: 'not_powermap', server: this.origin, status: res.status } },
    });
    if (!(res.headers.get('content-type') ?? '').includes('application/json')) return notOurs();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return notOurs();
    }
    const b = body as { ok?: unknown; value?: unknown; error?: unknown };
    if (b && b.ok === true && 'value' in b) return { ok: true, value: b.value as T };
    if (b && b.ok === false && isApiErrorShape(b.error)) return { ok: false, error: b.error };
    return notOurs();
  }
}
