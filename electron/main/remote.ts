/**
 * The desktop app's link to a team server (issue 19), held by the main process: the server's
 * address (remembered in the settings), the access token the server made for this app at sign-in
 * (kept here, in memory, and on disk only sealed by the OS keychain through safeStorage), and the
 * calls and live feeds of the team maps open in the app's windows.
 *
 * The page never holds the secret. It asks through the one IPC door (ipc.ts checks the sender
 * first) with the `remote.*` methods of shared/api/remote.ts; this file adds the token, sends the
 * request to the configured server's origin and nowhere else, and hands back the server's answer.
 * No answer of ours carries the token, and a page may not make a new one (tokens.* are refused).
 *
 * The transport is Node's own fetch: the Chromium session of the windows keeps refusing every
 * network request (security.ts lockDownSession), so the shell's lock-down is unchanged — no page
 * talks to the network, the main process talks to one origin.
 */
import crypto from 'node:crypto';
import os from 'node:os';
import { ApiError, type ApiResult } from '../../shared/api/errors';
import type { AccountUser } from '../../shared/api/account';
import type { HostEvent } from '../../shared/api/bridge';
import type { ParsedInputOf } from '../../shared/api/contract';
import { remoteMethods, type RemoteMethod, type RemoteStatus } from '../../shared/api/remote';
import type { LiveEvent } from '../../shared/api/team';
import fs from 'node:fs';
import path from 'node:path';
import { dispatch } from '../../services/handlers';
import type { Session } from '../../services/session';
import type { Settings } from '../../services/settings';
import { withMapExtension } from '../../services/map/files';
import { fetchToFile, mapOrigin, publishMapFile, syncMapFile } from '../../services/team/local-sync';
import { serverOrigin, TeamRemote } from '../../services/team/remote';

/** Seals the token for the settings file (Electron's safeStorage), or says it cannot. */
export interface SecretBox {
  /** False where the OS offers no real keychain (then the token stays in memory only). */
  available(): boolean;
  seal(secret: string): string;
  open(sealed: string): string;
}

/**
 * safeStorage as a SecretBox. On Linux without a keyring, Electron falls back to a hard-coded
 * password ('basic_text'): that is no protection, so the token is then kept in memory only.
 */
export function safeStorageBox(safeStorage: {
  isEncryptionAvailable(): boolean;
  encryptString(s: string): Buffer;
  decryptString(b: Buffer): string;
  getSelectedStorageBackend?: () => string;
}): SecretBox {
  return {
    available: () => {
      try {
        if (!safeStorage.isEncryptionAvailable()) return false;
        const backend = process.platform === 'linux' ? safeStorage.getSelectedStorageBackend?.() : undefined;
        return backend !== 'basic_text' && backend !== 'unknown';
      } catch {
        return false;
      }
    },
    seal: (s) => safeStorage.encryptString(s).toString('base64'),
    open: (b) => safeStorage.decryptString(Buffer.from(b, 'base64')),
  };
}

/**
 * The origin of a team server's address as the user typed it, or a refusal that says why: https,
 * or http to this computer only (127.0.0.0/8, ::1, localhost) — a password and the team's maps
 * must not cross a network in clear text. No user name or password in the address. (The one
 * check, services/team/remote.ts's, which the CLI uses too.)
 */
export const teamServerOrigin = serverOrigin;

/** Methods a page may not have sent on its behalf: making or revoking tokens (a new secret the page could read). */
const REFUSED = /^tokens\./;

export type Fetch = typeof fetch;

export interface RemoteLinkOptions {
  settings: Settings;
  box: SecretBox;
  /** The Session of a map window (by webContents id): its open map file is what publish and send work on. */
  sessionOf?: (webContentsId: number) => Session | undefined;
  /** Delivers a live event to a window (by webContents id); false when the window is gone. */
  send: (webContentsId: number, event: HostEvent) => boolean;
  fetch?: Fetch;
  /** The name the token gets on the server (its owner sees it in their token list). */
  tokenName?: string;
  /** How long the token lives (days); the user signs in again after. */
  tokenDays?: number;
  timeoutMs?: number;
  log?: (line: string) => void;
}

interface LiveStream {
  owner: number;
  abort: AbortController;
}

const MAX_STREAMS_PER_WINDOW = 4;

/** One per app: every window's team maps go through it. */
export class RemoteLink {
  private origin: string | null;
  private token: string | null = null;
  private user: AccountUser | null = null;
  private keptIn: RemoteStatus['keptIn'] = null;
  private readonly streams = new Map<string, LiveStream>();
  private readonly fetch: Fetch;
  private readonly log: (line: string) => void;
  /** Reading the remembered sign-in back (account.me) at first use. */
  private restoring: Promise<void> | null = null;

  constructor(private readonly opts: RemoteLinkOptions) {
    this.fetch = opts.fetch ?? globalThis.fetch.bind(globalThis);
    this.log = opts.log ?? ((l) => console.warn(`[powermap] ${l}`));
    const saved = opts.settings.get().teamServer;
    this.origin = saved?.url ?? null;
    if (saved?.token && this.origin) {
      try {
        if (opts.box.available()) {
          this.token = opts.box.open(saved.token);
          this.keptIn = 'encrypted';
          this.restoring = this.restore();
        }
      } catch {
        this.log('the remembered team sign-in could not be unsealed; sign in again');
        this.forgetToken();
      }
    }
  }

  /** Answers one `remote.*` call of the window `webContentsId`. Never throws. */
  async handle(webContentsId: number, method: RemoteMethod, payload: unknown): Promise<ApiResult<unknown>> {
    try {
      const parsed = remoteMethods[method].input.safeParse(payload ?? {});
      if (!parsed.success) throw new ApiError('BAD_REQUEST', parsed.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; '));
      const input = parsed.data as never;
      switch (method) {
        case 'remote.status':
          await this.restoring;
          return { ok: true, value: this.status() };
        case 'remote.connect':
          return { ok: true, value: await this.connect((input as ParsedInputOf<(typeof remoteMethods)['remote.connect']>).url) };
        case 'remote.signIn': {
          const i = input as ParsedInputOf<(typeof remoteMethods)['remote.signIn']>;
          return { ok: true, value: await this.signIn(i.email, i.password) };
        }
        case 'remote.signOut':
          return { ok: true, value: await this.signOut((input as { forget: boolean }).forget) };
        case 'remote.call':
          await this.restoring;
          return await this.call(input);
        case 'remote.liveOpen': {
          await this.restoring;
          const i = input as { map: string; since: number };
          return { ok: true, value: { stream: this.openLive(webContentsId, i.map, i.since) } };
        }
        case 'remote.liveClose':
          this.closeLive((input as { stream: string }).stream, webContentsId);
          return { ok: true, value: null };
        case 'remote.origin':
          return { ok: true, value: await mapOrigin(this.windowStore(webContentsId)) };
        case 'remote.publish': {
          const i = input as ParsedInputOf<(typeof remoteMethods)['remote.publish']>;
          return { ok: true, value: await publishMapFile(this.signedInClient(), this.windowStore(webContentsId), i) };
        }
        case 'remote.saveOffline': {
          const i = input as ParsedInputOf<(typeof remoteMethods)['remote.saveOffline']>;
          if (!path.isAbsolute(i.path)) throw new ApiError('BAD_REQUEST', 'give an absolute path');
          const file = withMapExtension(path.resolve(i.path));
          const { result, store } = await fetchToFile(this.signedInClient(), i.id, file, { includePersonal: i.includePersonal, overwrite: i.overwrite });
          await store.close();
          return { ok: true, value: { path: file, rev: result.rev } };
        }
        case 'remote.export': {
          const i = input as { map: string; input: Record<string, unknown> };
          return await this.exportTeamMap(webContentsId, i.map, i.input);
        }
        case 'remote.send': {
          const i = input as ParsedInputOf<(typeof remoteMethods)['remote.send']>;
          return { ok: true, value: await syncMapFile(this.signedInClient(), this.windowStore(webContentsId), i) };
        }
      }
      throw new ApiError('BAD_REQUEST', `unknown method ${String(method)}`);
    } catch (e) {
      const error = e instanceof ApiError ? e.toJSON() : { code: 'INTERNAL' as const, message: (e as Error)?.message ?? String(e) };
      return { ok: false, error };
    }
  }

  status(): RemoteStatus {
    return { server: this.origin, user: this.token ? this.user : null, keptIn: this.token ? this.keptIn : null };
  }

  /** Whether a sign-in is held (tests: the secret itself is never handed out). */
  get signedIn(): boolean {
    return this.token !== null;
  }

  private async restore(): Promise<void> {
    try {
      const r = await this.send('account.me', {});
      if (r.ok) this.user = (r.value as { user: AccountUser }).user;
      // UNAUTHENTICATED already dropped the token in send(); a server away keeps it for later.
    } catch {
      /* the server is away: the token is kept, and the next call tries again */
    } finally {
      this.restoring = null;
    }
  }

  private client(token: string | null = this.token): TeamRemote {
    return new TeamRemote({ server: this.needOrigin(), token, fetch: this.fetch, ...(this.opts.timeoutMs ? { timeoutMs: this.opts.timeoutMs } : {}) });
  }

  async connect(url: string): Promise<RemoteStatus> {
    const origin = serverOrigin(url);
    // A PowerMap team server answers an anonymous call with its own refusal (UNAUTHENTICATED);
    // anything else — no answer, another program, a redirect — is said plainly, and nothing changes.
    const probe = await new TeamRemote({ server: origin, fetch: this.fetch, timeoutMs: this.opts.timeoutMs ?? 15000 }).send('account.me', {});
    if (!probe.ok && probe.error.code === 'IO') throw ApiError.from(probe.error);
    if (origin !== this.origin) {
      this.stopAllLive();
      this.forgetToken();
      this.user = null;
    }
    this.origin = origin;
    this.save();
    return this.status();
  }

  async signIn(email: string, password: string): Promise<RemoteStatus> {
    // The server's own sign-in (its limits and audit) from its own origin, turned into an access
    // token for this app, which the main process keeps; the short session is ended at once.
    const got = await this.client(null).signIn(email, password, this.opts.tokenName ?? `PowerMap desktop (${os.hostname().slice(0, 60)})`, this.opts.tokenDays ?? 30);
    this.token = got.token;
    this.user = got.user;
    this.keptIn = this.opts.box.available() ? 'encrypted' : 'memory';
    this.save();
    return this.status();
  }

  async signOut(forget: boolean): Promise<RemoteStatus> {
    this.stopAllLive();
    if (this.token && this.origin) {
      // The server forgets the token too: found by its hint (its last characters) and revoked.
      try {
        const c = this.client();
        const tokens = await c.call('tokens.list', {});
        const mine = tokens.find((t) => t.hint.length >= 4 && !t.revokedAt && this.token!.endsWith(t.hint));
        if (mine) await c.revokeToken(mine.id);
      } catch {
        /* the server is away: the token is forgotten here; it expires there */
      }
    }
    this.forgetToken();
    this.user = null;
    if (forget) this.origin = null;
    this.save();
    return this.status();
  }

  /** One call of the page, to the configured server, with the token. */
  private async call(input: { method: string; payload: unknown; map?: string; rev?: number; op?: string }): Promise<ApiResult<unknown>> {
    if (REFUSED.test(input.method)) return { ok: false, error: { code: 'FORBIDDEN', message: `${input.method} is not available from the app's pages`, params: { reason: 'team_tokens' } } };
    const opts = { ...(input.map ? { mapId: input.map } : {}), ...(input.rev !== undefined ? { rev: input.rev } : {}), ...(input.op ? { opId: input.op } : {}) };
    const first = await this.send(input.method, input.payload, opts);
    // The connection dropped before the whole answer came: once more with the same operation id,
    // so an edit the server already applied is answered from its record, not applied twice.
    if (!first.ok && first.error.params?.reason === 'unreachable') return this.send(input.method, input.payload, opts);
    return first;
  }

  /** POST /api/<method> with the token: the server's ApiResult (transport failures as IO errors). */
  private async send(method: string, payload: unknown, opts: { mapId?: string; rev?: number; opId?: string } = {}): Promise<ApiResult<unknown>> {
    if (!this.token) return { ok: false, error: { code: 'UNAUTHENTICATED', message: 'not signed in to the team server' } };
    const body = await this.client().send(method, payload, opts);
    if (!body.ok && body.error.code === 'UNAUTHENTICATED') {
      // Expired or revoked: forget it; the page asks the user to sign in again and resends.
      this.stopAllLive();
      this.forgetToken();
      this.save();
    }
    return body;
  }

  /**
   * exchange.export on a team map: the map fetched into a private temporary file, put in the
   * window's session for the export only (the report window reads it from there), then closed and
   * deleted. Personal profiles are fetched only when the export asks for them.
   */
  private async exportTeamMap(id: number, mapId: string, exportInput: Record<string, unknown>): Promise<ApiResult<unknown>> {
    const session = this.opts.sessionOf?.(id);
    if (!session) throw new ApiError('BAD_REQUEST', 'not a map window');
    if (session.store?.isOpen) throw new ApiError('BAD_REQUEST', 'this window has a map file open');
    const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'powermap-export-'));
    try {
      const { store } = await fetchToFile(this.signedInClient(), mapId, path.join(dir, 'team-map.powermap'), { includePersonal: exportInput.includePersonal === true });
      session.store = store;
      try {
        return await dispatch(session, 'exchange.export', exportInput);
      } finally {
        session.store = null;
        await store.close();
      }
    } finally {
      await fs.promises.rm(dir, { recursive: true, force: true });
    }
  }

  private windowStore(id: number) {
    const session = this.opts.sessionOf?.(id);
    if (!session) throw new ApiError('BAD_REQUEST', 'not a map window');
    return session.requireStore();
  }

  /** The typed client with this app's sign-in; an expired one is forgotten like any call's. */
  private signedInClient(): TeamRemote {
    if (!this.token) throw new ApiError('UNAUTHENTICATED', 'not signed in to the team server');
    const c = this.client();
    const send = c.send.bind(c);
    c.send = async (method, payload, opts) => {
      const r = await send(method, payload, opts);
      if (!r.ok && r.error.code === 'UNAUTHENTICATED') {
        this.stopAllLive();
        this.forgetToken();
        this.save();
      }
      return r;
    };
    return c;
  }

  // ---- live feeds --------------------------------------------------------------------------

  private openLive(owner: number, map: string, since: number): string {
    const origin = this.needOrigin();
    if (!this.token) throw new ApiError('UNAUTHENTICATED', 'not signed in to the team server');
    const mine = [...this.streams.entries()].filter(([, s]) => s.owner === owner);
    // A window has one map open; a page that opens again without closing gets its old streams closed.
    for (const [id] of mine.slice(0, Math.max(0, mine.length - MAX_STREAMS_PER_WINDOW + 1))) this.closeLive(id, owner);
    const id = crypto.randomUUID();
    const abort = new AbortController();
    this.streams.set(id, { owner, abort });
    const url = new URL(`/api/live?map=${encodeURIComponent(map)}&since=${since}`, origin);
    const token = this.token;
    void (async () => {
      let status: number | undefined;
      try {
        const res = await this.fetch(url, { headers: { accept: 'text/event-stream', authorization: `Bearer ${token}` }, redirect: 'manual', signal: abort.signal });
        status = res.status;
        if (res.status === 401) {
          this.forgetToken();
          this.save();
        }
        if (!res.ok || !res.body) throw new Error(`live answered ${res.status}`);
        await readEvents(res.body, (data) => {
          let event: LiveEvent;
          try {
            event = JSON.parse(data) as LiveEvent;
          } catch {
            return;
          }
          if (!this.opts.send(owner, { type: 'live', stream: id, event })) abort.abort();
        });
      } catch {
        /* told below */
      }
      if (this.streams.get(id)?.abort === abort) {
        this.streams.delete(id);
        if (!abort.signal.aborted) this.opts.send(owner, { type: 'live-error', stream: id, ...(status ? { status } : {}) });
      }
    })();
    return id;
  }

  private closeLive(id: string, owner: number): void {
    const s = this.streams.get(id);
    if (!s || s.owner !== owner) return;
    this.streams.delete(id);
    s.abort.abort();
  }

  /** A window closed: its streams end. */
  windowClosed(owner: number): void {
    for (const [id, s] of this.streams) if (s.owner === owner) this.closeLive(id, owner);
  }

  /** Open live streams (tests). */
  get liveCount(): number {
    return this.streams.size;
  }

  private stopAllLive(): void {
    for (const [id, s] of this.streams) this.closeLive(id, s.owner);
  }

  // ---- keeping ------------------------------------------------------------------------------

  private needOrigin(): string {
    if (!this.origin) throw new ApiError('BAD_REQUEST', 'connect to a team server first', { reason: 'team_none' });
    return this.origin;
  }

  private forgetToken(): void {
    this.token = null;
    this.keptIn = null;
  }

  /** The address always; the token only sealed by the keychain, else not at all. */
  private save(): void {
    let sealed: string | null = null;
    if (this.token && this.keptIn === 'encrypted') {
      try {
        sealed = this.opts.box.seal(this.token);
      } catch {
        this.keptIn = 'memory';
      }
    }
    try {
      this.opts.settings.update({ teamServer: this.origin ? { url: this.origin, token: sealed } : null });
    } catch (e) {
      this.log(`the team server's address was not saved: ${(e as Error).message}`);
    }
  }
}

/** Reads a server-sent event stream, calling `onData` with each event's data. */
async function readEvents(body: ReadableStream<Uint8Array>, onData: (data: string) => void): Promise<void> {
  const decoder = new TextDecoder();
  let buf = '';
  const reader = body.getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buf += decoder.decode(value, { stream: true });
    if (buf.length > 8 * 1024 * 1024) throw new Error('a live event too large');
    let cut: number;
    while ((cut = buf.search(/\r?\n\r?\n/)) >= 0) {
      const block = buf.slice(0, cut);
      buf = buf.slice(cut).replace(/^\r?\n\r?\n/, '');
      const data = block
        .split(/\r?\n/)
        .filter((l) => l.startsWith('data:'))
        .map((l) => l.slice(5).replace(/^ /, ''))
        .join('\n');
      if (data) onData(data);
    }
  }
}
