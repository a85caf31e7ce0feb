/**
 * The local side of publish, fetch and "Send my changes" (issue 19): a map file and a team server
 * reached through TeamRemote. Used by the CLI (`powermap publish`, `fetch`, `sync`) and by the
 * Electron main process, so both do exactly this:
 *
 * - publish: the file's bundle and its own id (origin_id) to `maps.publish`;
 * - fetch: `maps.fetch` into a new file built aside and moved into place, which remembers the
 *   server, the team map, the revision and the base image (migration 0006);
 * - send: the rows changed since the base image to `maps.send`; when merged, the file is brought
 *   to the team map's merged content in one local edit (undoable) and its base moves to the new
 *   revision. Conflicts come back for the user to decide; nothing is written locally until then.
 *
 * Nothing local is touched when the server is down, answers with something else, or refuses.
 */
import zlib from 'node:zlib';
import { ApiError } from '../../shared/api/errors';
import type { FetchResult, MapBundle, MapOrigin, PublishResult, SendResult, SyncDecision } from '../../shared/api/team-sync';
import type { MapStore, StoredOrigin } from '../../storage/types';
import { buildMapAtomic } from '../map/files';
import type { TeamRemote } from './remote';
import { diffBundle, loadBundle, mergeChanges, readBundle } from './sync';

type BaseImage = Pick<MapBundle, 'rows' | 'positions'>;

const newOpId = (): string => crypto.randomUUID().replace(/-/g, '');

export const packBase = (b: BaseImage): Buffer => zlib.gzipSync(Buffer.from(JSON.stringify({ rows: b.rows, positions: b.positions }), 'utf8'));
export function unpackBase(buf: Buffer): BaseImage {
  try {
    const v = JSON.parse(zlib.gunzipSync(buf, { maxOutputLength: 1024 * 1024 * 1024 }).toString('utf8')) as BaseImage;
    if (!Array.isArray(v.rows) || typeof v.positions !== 'object') throw new Error('shape');
    return v;
  } catch {
    throw new ApiError('CORRUPT', 'The copy of the team map this file was saved from cannot be read', { reason: 'base_image' });
  }
}

function originStore(store: MapStore): Required<Pick<MapStore, 'origin' | 'setOrigin'>> {
  if (!store.origin || !store.setOrigin) throw new ApiError('UNSUPPORTED', 'Only a map file can be published, fetched or synced');
  return { origin: store.origin.bind(store), setOrigin: store.setOrigin.bind(store) };
}

/** What the file says about where it came from (for the UI and `powermap sync`). */
export async function mapOrigin(store: MapStore): Promise<MapOrigin> {
  const o = await originStore(store).origin();
  return { originId: o.originId, team: o.team };
}

/** Publishes a map file. A 'duplicate' answer changed nothing: ask, then call again with onDuplicate. */
export async function publishMapFile(
  remote: TeamRemote,
  store: MapStore,
  opts: { name: string; includePersonal: boolean; onDuplicate?: 'ask' | 'new' | 'update'; updateMapId?: string; opId?: string },
): Promise<PublishResult> {
  const o = await originStore(store).origin();
  const { bundle } = await readBundle(store, { includePersonal: opts.includePersonal });
  const input = {
    name: opts.name,
    originId: o.originId,
    opId: opts.opId ?? newOpId(),
    includePersonal: opts.includePersonal,
    onDuplicate: opts.onDuplicate ?? 'ask',
    updateMapId: opts.updateMapId,
    bundle,
  };
  let r: PublishResult;
  try {
    r = await remote.call('maps.publish', input);
  } catch (e) {
    // The connection dropped (the server may have finished): once more with the same operation id.
    if (!(e instanceof ApiError && e.code === 'IO' && e.params?.reason === 'unreachable')) throw e;
    r = await remote.call('maps.publish', input);
  }
  return r;
}

/** Saves a team map as a new local file (refuses to overwrite unless asked) that remembers its origin. */
export async function fetchToFile(remote: TeamRemote, mapId: string, file: string, opts: { includePersonal?: boolean; overwrite?: boolean } = {}): Promise<{ result: FetchResult; store: MapStore }> {
  const result = await remote.call('maps.fetch', { id: mapId, includePersonal: !!opts.includePersonal });
  const store = await buildMapAtomic(
    file,
    async (s) => {
      await loadBundle(s, result.bundle);
      await originStore(s).setOrigin(originOf(remote, result.map.id, result.map.name, result.rev, result.server.id, result.personal), packBase(result.bundle));
    },
    !!opts.overwrite,
  );
  return { result, store };
}

const originOf = (remote: TeamRemote, mapId: string, mapName: string, rev: number, serverId: string, personal: boolean): NonNullable<StoredOrigin['team']> => ({
  server: remote.origin,
  serverId,
  mapId,
  mapName,
  rev,
  syncedAt: new Date().toISOString(),
  personal,
});

export type SyncOutcome =
  | (SendResult & { status: 'conflicts' })
  | { status: 'merged'; rev: number; applied: number; keptTheirs: Extract<SendResult, { status: 'merged' }>['keptTheirs']; localChanges: number };

/**
 * Sends the file's changes since its base to the team map it came from and, when merged, brings
 * the file to the merged content. `decisions` answer the conflicts of an earlier 'conflicts'.
 */
export async function syncMapFile(remote: TeamRemote, store: MapStore, opts: { decisions?: SyncDecision[]; opId?: string } = {}): Promise<SyncOutcome> {
  const os = originStore(store);
  const o = await os.origin();
  if (!o.team || !o.base)
    throw new ApiError('BAD_REQUEST', 'This map was not saved from a team server: publish it instead', { reason: 'not_from_team' });
  if (o.team.server !== remote.origin)
    throw new ApiError('BAD_REQUEST', `This map was saved from ${o.team.server}, not from ${remote.origin}`, { reason: 'other_server', server: o.team.server });
  const base = unpackBase(o.base);
  const { bundle: now } = await readBundle(store, { includePersonal: o.team.personal, snapshots: false });
  const changes = diffBundle(base, now);
  const input = {
    id: o.team.mapId,
    serverId: o.team.serverId,
    baseRev: o.team.rev,
    opId: opts.opId ?? newOpId(),
    changes,
    decisions: opts.decisions ?? [],
    includePersonal: o.team.personal,
  };
  let r: SendResult;
  try {
    r = await remote.call('maps.send', input);
  } catch (e) {
    if (e instanceof ApiError && e.code === 'NOT_FOUND')
      throw new ApiError('NOT_FOUND', `The team map “${o.team.mapName}” is gone from ${o.team.server}, or no longer shared with you. This file is unchanged and stays usable; publish it to make a new team map.`, {
        reason: 'team_map_gone',
        name: o.team.mapName,
      });
    // The connection dropped after sending: once more with the same operation id (applied once).
    if (!(e instanceof ApiError && e.code === 'IO' && e.params?.reason === 'unreachable')) throw e;
    r = await remote.call('maps.send', input);
  }
  if (r.status === 'conflicts') return r;
  // Bring the file to the merged team map, as one local step, and move the base.
  const after = await readBundle(store, { includePersonal: o.team.personal, snapshots: false });
  const toMerged = diffBundle(after.bundle, r.bundle);
  if (toMerged.length)
    await store.edit({ key: 'sync.merge', params: { name: o.team.mapName, count: toMerged.length } }, async (tx) => {
      await mergeChanges(tx, toMerged, []);
    });
  await os.setOrigin({ ...o.team, rev: r.rev, syncedAt: new Date().toISOString() }, packBase(r.bundle));
  return { status: 'merged', rev: r.rev, applied: r.applied, keptTheirs: r.keptTheirs, localChanges: changes.length };
}
