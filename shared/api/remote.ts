/**
 * The desktop app's door to a team server (issue 19): connect, sign in, and carry the page's
 * calls for a team map. These methods exist in the Electron shell only; its main process answers
 * them (electron/main/remote.ts) and is the only part that talks to the team server. The
 * session secret (an access token the server made for this app) stays in the main process: no
 * method here returns it, and the page never sees it.
 *
 * A team map's calls — the contract's methods (shared/api) and the team server's own (maps.*,
 * account.*) — go as `remote.call` {method, payload, map, rev, op}: the main process adds the
 * token and sends POST /api/<method> to the configured server with the team headers. Its live
 * feed is `remote.liveOpen` {map, since}; the main process reads /api/live and hands each event
 * to the window as a HostEvent {type: 'live'} (shared/api/bridge.ts), and a broken stream as
 * {type: 'live-error'} (the page opens it again from the revision it has, as on the team server).
 */
import { z } from 'zod';
import type { AccountUser } from './account';
import { edit, query } from './contract';
import type { MapOrigin, PublishResult } from './team-sync';
import { OpId as SyncOpId, SyncDecisionSchema } from './team-sync';
import type { SyncOutcomeView } from './remote-types';
import type { ExportResult } from './exchange';

export interface RemoteStatus {
  /** The team server this app is connected to (its origin, remembered in the settings), or null. */
  server: string | null;
  /** The signed-in user, or null (not signed in, or the session ended). */
  user: AccountUser | null;
  /**
   * Where the sign-in is kept: 'encrypted' (the OS keychain through Electron's safeStorage, so it
   * survives a restart), 'memory' (no keychain: until the app quits), or null (not signed in).
   */
  keptIn: 'encrypted' | 'memory' | null;
}

/** Method names the team server answers: `area.name` (no slashes, nothing to escape into the URL). */
const RemoteMethodName = z.string().regex(/^[a-z]+\.[A-Za-z]+$/, 'a method name like maps.list').max(80);
const OpId = z.string().regex(/^[A-Za-z0-9_-]{8,100}$/);

export const remoteMethods = {
  /** The team server this app is connected to, and who is signed in. */
  'remote.status': query(z.object({}).strict()).returns<RemoteStatus>(),
  /**
   * Remembers a team server: https, or http to this computer only (loopback). The server must
   * answer as a PowerMap team server. Signing in is the next step.
   */
  'remote.connect': edit(z.object({ url: z.string().trim().min(1).max(2000) }).strict()).returns<RemoteStatus>(),
  /** Signs in with the team server's email and password; the password is not kept. */
  'remote.signIn': edit(
    z.object({ email: z.string().trim().min(3).max(320), password: z.string().min(1).max(1024) }).strict(),
  ).returns<RemoteStatus>(),
  /** Signs out (the server forgets this app's access); with `forget`, the server's address too. */
  'remote.signOut': edit(z.object({ forget: z.boolean().default(false) }).strict()).returns<RemoteStatus>(),
  /**
   * One call to the team server, answered with the server's own ApiResult. `map`, `rev` and `op`
   * become the X-PowerMap-Map, -Rev and -Op headers (shared/api/team.ts).
   */
  'remote.call': query(
    z
      .object({
        method: RemoteMethodName,
        payload: z.unknown(),
        map: z.uuid().optional(),
        rev: z.number().int().min(0).optional(),
        op: OpId.optional(),
      })
      .strict(),
  ).returns<unknown>(),
  /** Opens the live feed of a team map for this window; events arrive as HostEvents. */
  'remote.liveOpen': query(z.object({ map: z.uuid(), since: z.number().int().min(0) }).strict()).returns<{ stream: string }>(),
  'remote.liveClose': query(z.object({ stream: z.string().max(100) }).strict()).returns<null>(),

  // ---- the window's map file and the team (services/team/local-sync.ts, the CLI's too) ----
  /** Where the window's open map file came from (a team map and revision, or none). */
  'remote.origin': query(z.object({}).strict()).returns<MapOrigin>(),
  /**
   * Publishes the window's open map file as a team map (people, relations, our team, coverage,
   * positions, snapshots, the contact log; personal profiles only with `includePersonal`). A
   * 'duplicate' answer did nothing: ask, then call again with `onDuplicate` (and the same opId).
   */
  'remote.publish': edit(
    z
      .object({
        name: z.string().trim().min(1).max(200),
        includePersonal: z.boolean().default(false),
        onDuplicate: z.enum(['ask', 'new', 'update']).default('ask'),
        updateMapId: z.uuid().optional(),
        opId: SyncOpId,
      })
      .strict(),
  ).returns<PublishResult>(),
  /** Saves a team map as a local .powermap at `path` that remembers where it came from (then open it). */
  'remote.saveOffline': edit(
    z.object({ id: z.uuid(), path: z.string().min(1).max(4096), includePersonal: z.boolean().default(false), overwrite: z.boolean().default(false) }).strict(),
  ).returns<{ path: string; rev: number }>(),
  /**
   * An export of a team map open in the window (exchange.export's input): the main process fetches
   * the map at its current revision into a private temporary file, exports that as it would a map
   * file, and deletes it.
   */
  'remote.export': query(z.object({ map: z.uuid(), input: z.record(z.string(), z.unknown()) }).strict()).returns<ExportResult>(),
  /**
   * "Send my changes": the window's map file's offline changes merged into its team map. Conflicts
   * come back for the user to decide (nothing applied); send again with a decision for each.
   */
  'remote.send': edit(z.object({ decisions: z.array(SyncDecisionSchema).max(500_000).default([]), opId: SyncOpId }).strict()).returns<SyncOutcomeView>(),
};

export type RemoteMethod = keyof typeof remoteMethods;
export const isRemoteMethod = (m: unknown): m is RemoteMethod => typeof m === 'string' && Object.hasOwn(remoteMethods, m);
