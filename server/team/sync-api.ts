/**
 * The team server's side of issue 19 (shared/api/team-sync.ts): publish, fetch, send (the
 * offline merge) and the portfolio. Roles are checked here, on the server: a publisher owns the
 * new map; fetching needs any role (profiles and trips only for an editor or owner who asks);
 * sending and publishing over a map need an editor or owner. The map work is the services'
 * (services/team/sync.ts over PgMapStore); the portfolio runs `analysis.run` through the same
 * dispatcher as Insights and `powermap analyze`.
 */
import { ApiError } from '../../shared/api/errors';
import type { ParsedInputOf } from '../../shared/api/contract';
import type { TeamMapInfo } from '../../shared/api/team';
import { portfolioFigures } from '../../shared/analysis/portfolio';
import type { Analysis } from '../../shared/analysis/types';
import type { FetchResult, PortfolioRow, PublishResult, SendResult, SyncConflict, teamSyncMethods } from '../../shared/api/team-sync';
import { dispatch } from '../../services/handlers';
import { meta as readMeta } from '../../services/map/read';
import type { Session } from '../../services/session';
import { checkBundle, checkRow, diffBundle, loadBundle, mergeChanges, readBundle, rowId } from '../../services/team/sync';
import { viewerStore } from '../../services/team/viewer';
import { audit } from '../../storage/postgres/audit';
import {
  claimPublishOp,
  createTeamMap,
  deleteTeamMap,
  finishPublishOp,
  mapAccess,
  mapsFromOrigin,
  mapsOf,
  notePublishMap,
  setMapOrigin,
  userNames,
  type MapAccess,
  type TeamMapRow,
} from '../../storage/postgres/maps';
import { PgMapStore } from '../../storage/postgres/map-store';
import type { Pool } from '../../storage/postgres/pool';
import type { MapStore } from '../../storage/types';
import type { Principal } from './auth';

type In<M extends keyof typeof teamSyncMethods> = ParsedInputOf<(typeof teamSyncMethods)[M]>;

export interface SyncApiContext {
  pool: Pool;
  version: string;
  toInfo: (m: TeamMapRow) => TeamMapInfo;
  /** A session of the services over a store (the dispatcher's). */
  session: (store: MapStore) => Session;
}

/** Thrown inside the merge's edit to roll it back when conflicts are open (an ApiError passes the store unchanged). */
const OPEN_CONFLICTS = 'sync_open_conflicts';

const notFound = (id: string) => new ApiError('NOT_FOUND', 'No such map, or it is not shared with you', { id, reason: 'no_map' });
const forbidden = (why: string) => new ApiError('FORBIDDEN', why, { reason: 'role' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function createSyncHandlers(ctx: SyncApiContext) {
  const { pool } = ctx;
  const access = async (p: Principal, mapId: string): Promise<MapAccess> => {
    const a = await mapAccess(pool, p.orgId, mapId, p.userId);
    if (!a) throw notFound(mapId);
    return a;
  };
  const info = async (p: Principal, mapId: string): Promise<TeamMapInfo> => {
    const m = (await mapsOf(pool, p.orgId, p.userId)).find((x) => x.mapId === mapId);
    if (!m) throw notFound(mapId);
    return ctx.toInfo(m);
  };
  const store = (p: Principal, a: { mapId: string; name: string; role: string }, opId?: string): MapStore => {
    const s = new PgMapStore({ pool, orgId: p.orgId, mapId: a.mapId, userId: p.userId, name: a.name, opId });
    return a.role === 'viewer' ? viewerStore(s) : s;
  };
  const note = (p: Principal, kind: string, mapId: string | null, payload: Record<string, unknown> = {}) =>
    audit(pool, { orgId: p.orgId, userId: p.userId, via: p.via, kind, mapId, payload });

  /** Who last changed each conflict's field on the team map after `baseRev`. */
  async function whoChanged(p: Principal, s: MapStore, baseRev: number, conflicts: SyncConflict[]): Promise<SyncConflict[]> {
    if (!conflicts.length) return conflicts;
    const steps = (await s.undoSteps()).filter((e) => e.seq > baseRev && !e.undone);
    const names = await userNames(pool, p.orgId, steps.map((e) => e.by).filter((x): x is string => !!x));
    return conflicts.map((c) => {
      const rid = rowId(c.t, c.key);
      for (let i = steps.length - 1; i >= 0; i--) {
        const e = steps[i]!;
        const hit = e.changes.some((ch) => {
          const img = ch.a ?? ch.b;
          if (ch.t !== c.t || !img || rowId(c.t, img) !== rid) return false;
          return c.field === '*' || !ch.a || !ch.b || c.field in ch.a;
        });
        if (hit) return { ...c, theirsBy: e.by ? { id: e.by, name: names.get(e.by) ?? '' } : null };
      }
      return c;
    });
  }

  /** A map an earlier, dead attempt of this publish was making: the publisher's own, never reported as published. */
  async function deleteHalfMade(p: Principal, mapId: string): Promise<void> {
    const a = await mapAccess(pool, p.orgId, mapId, p.userId);
    if (a?.role === 'owner') await deleteTeamMap(pool, p.orgId, mapId);
  }

  async function publishNew(p: Principal, i: In<'maps.publish'>): Promise<PublishResult> {
    const mapId = await createTeamMap(pool, p.orgId, p.userId, i.name);
    try {
      await notePublishMap(pool, p.orgId, p.userId, i.opId, mapId);
      await setMapOrigin(pool, p.orgId, mapId, i.originId);
      await loadBundle(store(p, { mapId, name: i.name, role: 'owner' }), i.bundle);
    } catch (e) {
      await deleteTeamMap(pool, p.orgId, mapId).catch(() => undefined);
      throw e;
    }
    await note(p, 'map.publish', mapId, { name: i.name, personal: i.includePersonal });
    const map = await info(p, mapId);
    return { status: 'published', map, rev: map.rev, mode: 'new' };
  }

  async function publishOver(p: Principal, i: In<'maps.publish'>, mapId: string): Promise<PublishResult> {
    const a = await access(p, mapId);
    if (a.role === 'viewer') throw forbidden('Viewers of this map cannot publish over it');
    const s = store(p, a);
    const { bundle: now } = await readBundle(s, { includePersonal: i.includePersonal, snapshots: false });
    const changes = diffBundle(now, i.bundle);
    await s.edit({ key: 'sync.publish', params: { name: p.name || p.email } }, async (tx) => {
      await mergeChanges(tx, changes, []);
    });
    const have = new Set((await s.snapshots.list()).map((x) => x.id));
    for (const snap of i.bundle.snapshots) if (!have.has(snap.id)) await s.snapshots.add({ ...snap, body: Buffer.from(snap.body, 'base64') });
    if (Object.keys(i.bundle.settings).length) await s.putSettings(i.bundle.settings);
    await setMapOrigin(pool, p.orgId, mapId, i.originId);
    await note(p, 'map.publish', mapId, { name: i.name, personal: i.includePersonal, over: true });
    const map = await info(p, mapId);
    return { status: 'published', map, rev: map.rev, mode: 'update' };
  }

  return {
    'maps.publish': async (p: Principal, i: In<'maps.publish'>): Promise<PublishResult> => {
      checkBundle(i.bundle, { includePersonal: i.includePersonal });
      // One answer per operation id: a retry after a dropped connection gets the first one.
      let claim = await claimPublishOp(pool, p.orgId, p.userId, i.opId);
      for (let waited = 0; claim === 'running' && waited < 60_000; waited += 250) {
        await sleep(250);
        claim = await claimPublishOp(pool, p.orgId, p.userId, i.opId);
      }
      if (claim === 'running') throw new ApiError('INVALID_EDIT', 'This publish is still running; try again in a moment', { reason: 'publish_running' });
      if (!('mine' in claim)) return JSON.parse(claim.result) as PublishResult;
      // An earlier attempt with this id died half-way (its instance was killed): its map goes first.
      if (claim.halfMade) await deleteHalfMade(p, claim.halfMade);
      let result: PublishResult | null = null;
      try {
        const existing = await mapsFromOrigin(pool, p.orgId, p.userId, i.originId);
        if (existing.length && i.onDuplicate === 'ask')
          return {
            status: 'duplicate',
            existing: existing.map((m) => ({ mapId: m.mapId, name: m.name, rev: m.rev, role: m.role, owner: { id: m.ownerId, name: m.ownerName }, updatedAt: m.updatedAt })),
          };
        if (i.onDuplicate === 'update') {
          const target = i.updateMapId ?? (existing.length === 1 ? existing[0]!.mapId : null);
          if (!target) throw new ApiError('BAD_REQUEST', existing.length ? 'Say which team map to update (updateMapId)' : 'This local map was not published before: nothing to update', { reason: 'update_which' });
          result = await publishOver(p, i, target);
        } else result = await publishNew(p, i);
        return result;
      } finally {
        // A 'duplicate' question or a failure is not remembered: the same id may ask again.
        await finishPublishOp(pool, p.orgId, p.userId, i.opId, result ? JSON.stringify(result) : null);
      }
    },

    'maps.fetch': async (p: Principal, i: In<'maps.fetch'>): Promise<FetchResult> => {
      const a = await access(p, i.id);
      const personal = i.includePersonal && a.role !== 'viewer';
      const { bundle, rev } = await readBundle(store(p, a), { includePersonal: personal });
      if (personal) await note(p, 'map.export_personal', i.id, { via: 'fetch' });
      return { map: { ...(await info(p, i.id)), rev }, rev, bundle, server: { id: p.orgId, version: ctx.version }, personal };
    },

    'maps.send': async (p: Principal, i: In<'maps.send'>): Promise<SendResult> => {
      if (i.serverId !== undefined && i.serverId !== p.orgId)
        throw new ApiError('BAD_REQUEST', 'This local copy was saved from another team server', { reason: 'other_server' });
      const a = await access(p, i.id);
      if (a.role === 'viewer') throw forbidden('Viewers of this map cannot send changes to it');
      i.changes.forEach((c, n) => {
        if (c.base) checkRow(c.t, c.base, `change ${n}`);
        if (c.mine) checkRow(c.t, c.mine, `change ${n}`);
      });
      const s = store(p, a, i.opId);
      let outcome: Awaited<ReturnType<typeof mergeChanges>> | null = null;
      try {
        await s.edit({ key: 'sync.merge', params: { name: p.name || p.email, count: i.changes.length } }, async (tx) => {
          outcome = await mergeChanges(tx, i.changes, i.decisions);
          if (outcome.open.length) throw new ApiError('INVALID_EDIT', 'conflicts to decide', { reason: OPEN_CONFLICTS });
        });
      } catch (e) {
        const open = (outcome as Awaited<ReturnType<typeof mergeChanges>> | null)?.open;
        if (e instanceof ApiError && e.params?.reason === OPEN_CONFLICTS && open)
          return { status: 'conflicts', rev: await s.rev(), conflicts: await whoChanged(p, s, i.baseRev, open) };
        throw e;
      }
      const done = outcome as Awaited<ReturnType<typeof mergeChanges>> | null;
      const { bundle, rev } = await readBundle(s, { includePersonal: i.includePersonal, snapshots: false });
      if (done) await note(p, 'map.send', i.id, { baseRev: i.baseRev, changes: i.changes.length, applied: done.applied, keptTheirs: done.keptTheirs.length });
      // No outcome: the same operation id was applied before (a retry); its merge stands.
      return { status: 'merged', rev, applied: done?.applied ?? 0, keptTheirs: done ? await whoChanged(p, s, i.baseRev, done.keptTheirs) : [], bundle };
    },

    'portfolio.list': async (p: Principal, i: In<'portfolio.list'>): Promise<PortfolioRow[]> => {
      const rows: PortfolioRow[] = [];
      for (const m of await mapsOf(pool, p.orgId, p.userId)) {
        const s = store(p, { mapId: m.mapId, name: m.name, role: m.role });
        const session = ctx.session(s);
        const r = await dispatch(session, 'analysis.run', { lang: i.lang ?? 'en-US' });
        if (!r.ok) {
          if (r.error.code === 'NOT_FOUND') continue; // deleted meanwhile
          throw ApiError.from(r.error);
        }
        const analysis = r.value as Analysis;
        const meta = await readMeta(s);
        const people = (await s.rows('person')).length;
        const info = ctx.toInfo(m);
        rows.push({ mapId: m.mapId, name: m.name, role: m.role, owner: info.owner, rev: m.rev, updatedAt: m.updatedAt, updatedBy: info.updatedBy, ...portfolioFigures(analysis, meta, people) });
      }
      return rows;
    },
  };
}
