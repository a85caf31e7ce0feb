/**
 * The team server's map API: the team-only methods (shared/api/team.ts) and every method of the
 * app's contract on a team map, run by the same dispatcher and services as the desktop app over a
 * PostgreSQL map store. Per call: who is asking (the guard's principal), which map (the
 * X-PowerMap-Map header), their role on it — checked here, on the server, for every call:
 *
 * - a map that is not theirs answers exactly like one that does not exist (NOT_FOUND);
 * - a viewer's writes are refused (FORBIDDEN), and a viewer's store reads profiles and trips as
 *   empty (services/team/viewer.ts), so those bytes never reach them in any answer;
 * - sharing, renaming and deleting are the owner's; purge and "remove personal details" need an
 *   editor, and are audited with shares, imports and exports of personal details.
 *
 * What only makes sense on one machine (opening files by path, native dialogs, writing exports to
 * the server's disk) answers UNSUPPORTED.
 */
import type { FastifyRequest } from 'fastify';
import { apiSpecs, isMethod } from '../../shared/api';
import { ApiError, type ApiResult } from '../../shared/api/errors';
import { MAP_HEADER, OP_HEADER, REV_HEADER, isTeamMethod, teamMethods, type HistoryEntry, type TeamMapInfo, type TeamMember, type TeamMethod } from '../../shared/api/team';
import type { ParsedInputOf } from '../../shared/api/contract';
import { dispatch } from '../../services/handlers';
import { documentOf } from '../../services/map/read';
import { newMetaRow } from '../../services/map/rules';
import { Session, type Host } from '../../services/session';
import { Settings } from '../../services/settings';
import { viewerChanges, viewerStore } from '../../services/team/viewer';
import { findUserByEmail } from '../../storage/postgres/accounts';
import { audit } from '../../storage/postgres/audit';
import {
  createTeamMap,
  deleteTeamMap,
  mapAccess,
  mapMembers,
  mapsOf,
  renameTeamMap,
  shareMap,
  unshareMap,
  userNames,
  type MapAccess,
  type TeamMapRow,
} from '../../storage/postgres/maps';
import { PgMapStore, type TeamMapContext } from '../../storage/postgres/map-store';
import { toApiError, type Pool } from '../../storage/postgres/pool';
import type { MapStore } from '../../storage/types';
import type { Principal } from './auth';
import type { TeamApiHandler } from './app';
import { createSyncHandlers } from './sync-api';

/** Methods that need one machine's files or dialogs: not on a team server. */
const LOCAL_ONLY = new Set([
  'map.create',
  'map.open',
  'map.openSample',
  'exchange.importCsv',
  'exchange.importJson',
  'exchange.previewCsv',
  'exchange.export',
  'exchange.writeImage',
  'exchange.exportPortfolio',
  'exchange.portfolioData',
  'host.pickOpenPath',
  'host.pickSavePath',
  'recent.list',
]);
/** Methods that need no map. */
const NO_MAP = new Set(['app.info', 'app.setLanguage', 'map.close']);
/** Reads a viewer may not make at all (they would be empty or meaningless for them). */
const EDITOR_READS = new Set(['profile.get', 'privacy.erasable', 'trip.list']);
/** Writes that only the owner may make. */
const OWNER_WRITES = new Set(['map.stripPersonal']);

/**
 * Map edits: the methods this API takes with the caller's session not yet checked, to check it in
 * the edit's own transaction (Principal.unchecked): an editor's or owner's writes to the map the
 * request names. The rest have it checked by the guard first.
 */
export const defersSessionCheck = (method: string): boolean =>
  isMethod(method) && !isTeamMethod(method) && apiSpecs[method].mutates && !LOCAL_ONLY.has(method) && !NO_MAP.has(method) && !OWNER_WRITES.has(method);

const notFound = (id: string) => new ApiError('NOT_FOUND', 'No such map, or it is not shared with you', { id });
const forbidden = (why: string) => new ApiError('FORBIDDEN', why, { reason: 'role' });

const header = (req: FastifyRequest | undefined, name: string): string | undefined => {
  const v = req?.headers[name];
  return typeof v === 'string' ? v : undefined;
};

const toInfo = (m: TeamMapRow): TeamMapInfo => ({
  id: m.mapId,
  name: m.name,
  role: m.role,
  owner: { id: m.ownerId, name: m.ownerName, email: m.ownerEmail },
  rev: m.rev,
  createdAt: m.createdAt,
  updatedAt: m.updatedAt,
  updatedBy: m.updatedBy ? { id: m.updatedBy, name: m.updatedByName ?? '' } : null,
});

export interface TeamApiOptions {
  pool: Pool;
  version: string;
  /** Where sessions of the services look for resources (the sample is not offered on a team server). */
  resourcesDir: string;
}

export function createTeamMapApi(opts: TeamApiOptions): TeamApiHandler {
  const { pool } = opts;
  const host: Host = {
    kind: 'team',
    locale: 'en-US',
    pickOpenPath: () => Promise.reject(new ApiError('UNSUPPORTED', 'there are no files on a team server')),
    pickSavePath: () => Promise.reject(new ApiError('UNSUPPORTED', 'there are no files on a team server')),
  };

  const access = async (p: Principal, mapId: string): Promise<MapAccess> => {
    // The guard checked the map the request named with the credential, in the same query.
    const a = p.map?.id === mapId ? p.map.access : await mapAccess(pool, p.orgId, mapId, p.userId);
    if (!a) throw notFound(mapId);
    return a;
  };
  const infoOf = async (p: Principal, mapId: string): Promise<TeamMapInfo> => {
    const m = (await mapsOf(pool, p.orgId, p.userId)).find((x) => x.mapId === mapId);
    if (!m) throw notFound(mapId);
    return toInfo(m);
  };
  const members = async (p: Principal, mapId: string): Promise<TeamMember[]> =>
    (await mapMembers(pool, p.orgId, mapId)).map((m) => ({ userId: m.userId, email: m.email, name: m.name, role: m.role }));
  /** The store's context for the caller on a map: the request's operation id and base revision, when well formed. */
  const contextFor = (p: Principal, mapId: string, name: string, req?: FastifyRequest): TeamMapContext => {
    const base = header(req, REV_HEADER);
    const op = header(req, OP_HEADER);
    return {
      pool,
      orgId: p.orgId,
      mapId,
      userId: p.userId,
      name,
      opId: op && /^[A-Za-z0-9_-]{8,100}$/.test(op) ? op : undefined,
      baseRev: base && /^\d{1,9}$/.test(base) ? Number(base) : undefined,
    };
  };
  const storeFor = (p: Principal, a: MapAccess, req?: FastifyRequest): MapStore => {
    const store = new PgMapStore(contextFor(p, a.mapId, a.name, req));
    return a.role === 'viewer' ? viewerStore(store) : store;
  };
  const viewersCannot = () => forbidden('Viewers of this map cannot do that');
  const note = (p: Principal, kind: string, mapId: string | null, payload: Record<string, unknown> = {}) =>
    audit(pool, { orgId: p.orgId, userId: p.userId, via: p.via, kind, mapId, payload });
  /** What a map method's success is audited as (who erased someone and when: never whom, issue 18 item 7). */
  const noteDone = async (p: Principal, method: string, mapId: string, payload: unknown) => {
    if (method === 'person.purge') await note(p, 'person.purge', mapId);
    if (method === 'map.stripPersonal') await note(p, 'map.strip_personal', mapId);
    if (method === 'exchange.reportData' && (payload as { includePersonal?: boolean }).includePersonal) await note(p, 'map.export_personal', mapId);
  };

  /**
   * A map edit whose session is not checked yet (defersSessionCheck): the store checks it in the
   * edit's first message, beside the map lock, or on its own before anything else it asks of the
   * database; and before anything is answered, in any case. A refusal is the guard's (the session
   * has ended) or this API's (not their map: NOT_FOUND; a viewer: FORBIDDEN), as if checked first.
   */
  const uncheckedEdit = async (p: Principal, method: string, payload: unknown, req?: FastifyRequest): Promise<ApiResult<unknown>> => {
    const { mapId, gate: gateFor } = p.unchecked!;
    const ctx = contextFor(p, mapId, '', req);
    ctx.gate = gateFor((a) => {
      if (!a) throw notFound(mapId);
      if (a.role === 'viewer') throw viewersCannot();
      ctx.name = a.name;
    });
    const session = teamSession(new PgMapStore(ctx));
    session.user = p.name || p.email;
    const result = await dispatch(session, method, payload);
    try {
      await ctx.gate.settle(pool);
    } catch (e) {
      throw toApiError(e);
    }
    if (result.ok) await noteDone(p, method, mapId, payload);
    return result;
  };

  const teamHandlers: { [M in TeamMethod]: (p: Principal, i: ParsedInputOf<(typeof teamMethods)[M]>) => Promise<unknown> } = {
    'maps.list': async (p) => (await mapsOf(pool, p.orgId, p.userId)).map(toInfo),
    'maps.create': async (p, i) => {
      const id = await createTeamMap(pool, p.orgId, p.userId, i.name);
      const a = await access(p, id);
      await storeFor(p, a).load({ rows: [{ t: 'map_meta', row: newMetaRow({ deal: i.name, ...i.meta }) }] });
      await note(p, 'map.create', id, { name: i.name });
      return infoOf(p, id);
    },
    'maps.open': async (p, i) => {
      const a = await access(p, i.id);
      return { map: await infoOf(p, i.id), document: await documentOf(storeFor(p, a)) };
    },
    'maps.rename': async (p, i) => {
      const a = await access(p, i.id);
      if (a.role !== 'owner') throw forbidden('Only the owner renames a map');
      await renameTeamMap(pool, p.orgId, i.id, i.name);
      await note(p, 'map.rename', i.id, { from: a.name, to: i.name });
      return infoOf(p, i.id);
    },
    'maps.delete': async (p, i) => {
      const a = await access(p, i.id);
      if (a.role !== 'owner') throw forbidden('Only the owner deletes a map');
      await deleteTeamMap(pool, p.orgId, i.id);
      await note(p, 'map.delete', null, { map: i.id, name: a.name });
      return null;
    },
    'maps.members': async (p, i) => {
      await access(p, i.id);
      return members(p, i.id);
    },
    'maps.share': async (p, i) => {
      const a = await access(p, i.id);
      if (a.role !== 'owner') throw forbidden('Only the owner shares a map');
      const user = await findUserByEmail(pool, p.orgId, i.email);
      if (!user || user.disabledAt) throw new ApiError('NOT_FOUND', `Nobody with the email ${i.email} can sign in here`, { reason: 'no_such_user', email: i.email });
      if (user.userId === a.ownerId) throw new ApiError('INVALID_EDIT', 'The owner already has the map', { reason: 'share_owner' });
      await shareMap(pool, p.orgId, i.id, user.userId, i.role, p.userId);
      await note(p, 'map.share', i.id, { with: user.email, role: i.role });
      return members(p, i.id);
    },
    'maps.unshare': async (p, i) => {
      const a = await access(p, i.id);
      if (a.role !== 'owner') throw forbidden('Only the owner takes a share back');
      if (await unshareMap(pool, p.orgId, i.id, i.userId)) await note(p, 'map.unshare', i.id, { user: i.userId });
      return members(p, i.id);
    },
    'maps.history': async (p, i) => {
      const a = await access(p, i.id);
      const steps = (await storeFor(p, a).undoSteps()).filter((e) => i.before === undefined || e.seq < i.before).reverse().slice(0, i.limit);
      const names = await userNames(pool, p.orgId, steps.map((e) => e.by).filter((x): x is string => !!x));
      return steps.map(
        (e): HistoryEntry => ({
          seq: e.seq,
          at: e.at,
          by: e.by ? { id: e.by, name: names.get(e.by) ?? '' } : null,
          label: e.label,
          undone: e.undone,
          changes: a.role === 'viewer' ? viewerChanges(e.changes) : e.changes,
        }),
      );
    },
    // issue 19: publish, fetch, send, portfolio (server/team/sync-api.ts)
    ...createSyncHandlers({ pool, version: opts.version, toInfo, session: (store) => teamSession(store) }),
  };

  return async (p: Principal, method: string, payload: unknown, req?: FastifyRequest): Promise<ApiResult<unknown>> => {
    try {
      if (isTeamMethod(method)) {
        const parsed = teamMethods[method].input.safeParse(payload);
        if (!parsed.success) throw new ApiError('BAD_REQUEST', `Invalid input for ${method}: ${parsed.error.issues[0]?.message ?? 'invalid'}`, { method });
        const handler = teamHandlers[method] as (p: Principal, i: unknown) => Promise<unknown>;
        return { ok: true, value: (await handler(p, parsed.data)) ?? null };
      }
      if (p.unchecked && p.unchecked.mapId === header(req, MAP_HEADER) && defersSessionCheck(method)) return await uncheckedEdit(p, method, payload, req);
      if (p.unchecked) throw new ApiError('UNAUTHENTICATED', 'not signed in'); // never: the server defers only what defersSessionCheck names
      if (!isMethod(method)) return await dispatch(teamSession(null), method, payload); // BAD_REQUEST, as everywhere
      if (LOCAL_ONLY.has(method)) throw new ApiError('UNSUPPORTED', `${method} works on a map file, not on a team map`, { reason: 'team_map' });
      if (method === 'app.info') return { ok: true, value: { version: opts.version, host: 'team', locale: 'en-US', documentsDir: '', initialMap: null, language: null } };
      if (NO_MAP.has(method)) return { ok: true, value: null };
      const mapId = header(req, MAP_HEADER);
      if (!mapId) throw new ApiError('BAD_REQUEST', `${method} needs the map (the ${MAP_HEADER} header)`);
      const a = await access(p, mapId);
      const viewer = a.role === 'viewer';
      if (viewer && (apiSpecs[method].mutates || EDITOR_READS.has(method))) throw viewersCannot();
      if (OWNER_WRITES.has(method) && a.role !== 'owner') throw forbidden('Only the owner removes the personal details of a whole map');
      const session = teamSession(storeFor(p, a, req));
      session.user = p.name || p.email; // "verified by" on a team map is the signed-in user
      const result = await dispatch(session, method, payload);
      if (result.ok) await noteDone(p, method, mapId, payload);
      return result;
    } catch (e) {
      if (e instanceof ApiError) return { ok: false, error: e.toJSON() };
      throw e;
    }
  };

  function teamSession(store: MapStore | null): Session {
    const s = new Session(host, new Settings(null), { documentsDir: '', resourcesDir: opts.resourcesDir }, opts.version);
    s.store = store;
    return s;
  }
}
