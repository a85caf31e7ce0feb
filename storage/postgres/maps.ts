/**
 * Team maps as things people own and share: creating, listing, access and roles, shares, the
 * change feed live clients read, and presence. Plain queries; who may do what is decided by the
 * server (server/team/maps-api.ts). Every query names the organization, and all but the listings
 * one map.
 */
import { ApiError } from '../../shared/api/errors';
import { PRESENCE_CHANNEL } from './map-store';
import type { Queryable } from './pool';

export type MapRole = 'owner' | 'editor' | 'viewer';

export interface TeamMapRow {
  mapId: string;
  name: string;
  ownerId: string;
  ownerName: string;
  ownerEmail: string;
  role: MapRole;
  rev: number;
  createdAt: string;
  updatedAt: string;
  updatedBy: string | null;
  updatedByName: string | null;
}

export interface MapAccess {
  mapId: string;
  name: string;
  ownerId: string;
  role: MapRole;
  rev: number;
  feedFloor: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Whether `id` could be a map id at all (anything else is simply not found). */
export const isMapId = (id: string): boolean => UUID.test(id);

export async function createTeamMap(q: Queryable, orgId: string, ownerId: string, name: string): Promise<string> {
  const r = await q.query<{ map_id: string }>('INSERT INTO maps (org_id, name, owner_id) VALUES ($1, $2, $3) RETURNING map_id', [orgId, name, ownerId]);
  return r.rows[0]!.map_id;
}

/**
 * A user's access to one map as a subquery (org, user and map are SQL expressions): the map and
 * the user's role, NULL when neither owner nor shared. Shared by `mapAccess` and the credential
 * look-ups (storage/postgres/accounts.ts), which answer "who is this, and may they see this map" in
 * one round trip.
 */
export const accessSubquery = (org: string, user: string, map: string): string =>
  `SELECT m.map_id AS a_map_id, m.name AS a_name, m.owner_id AS a_owner_id, m.rev AS a_rev, m.feed_floor AS a_feed_floor,
          CASE WHEN m.owner_id = ${user} THEN 'owner' ELSE sh.role END AS a_role
     FROM maps m LEFT JOIN map_shares sh ON sh.org_id = m.org_id AND sh.map_id = m.map_id AND sh.user_id = ${user}
    WHERE m.org_id = ${org} AND m.map_id = ${map}`;
export interface AccessDbRow {
  a_map_id: string | null;
  a_name: string | null;
  a_owner_id: string | null;
  a_rev: number | null;
  a_feed_floor: number | null;
  a_role: string | null;
}
export const accessOf = (row: AccessDbRow | undefined): MapAccess | null =>
  row?.a_map_id && row.a_role
    ? { mapId: row.a_map_id, name: row.a_name!, ownerId: row.a_owner_id!, role: row.a_role as MapRole, rev: row.a_rev!, feedFloor: row.a_feed_floor! }
    : null;

/** The user's role on a map, or null when it is not theirs to see (or does not exist). */
export async function mapAccess(q: Queryable, orgId: string, mapId: string, userId: string): Promise<MapAccess | null> {
  if (!isMapId(mapId)) return null;
  const r = await q.query<AccessDbRow>(accessSubquery('$1', '$3', '$2'), [orgId, mapId, userId]);
  return accessOf(r.rows[0]);
}

/** A map by id alone (admin commands). */
export async function mapById(q: Queryable, orgId: string, mapId: string): Promise<{ mapId: string; name: string; ownerId: string } | null> {
  if (!isMapId(mapId)) return null;
  const r = await q.query<{ map_id: string; name: string; owner_id: string }>('SELECT map_id, name, owner_id FROM maps WHERE org_id = $1 AND map_id = $2', [orgId, mapId]);
  return r.rows[0] ? { mapId: r.rows[0].map_id, name: r.rows[0].name, ownerId: r.rows[0].owner_id } : null;
}

/** Maps whose name is `name` (admin commands name maps as people do). */
export async function mapsNamed(q: Queryable, orgId: string, name: string): Promise<{ mapId: string; name: string }[]> {
  const r = await q.query<{ map_id: string; name: string }>('SELECT map_id, name FROM maps WHERE org_id = $1 AND lower(name) = lower($2) ORDER BY created_at', [orgId, name]);
  return r.rows.map((x) => ({ mapId: x.map_id, name: x.name }));
}

const LIST_SQL = `
  SELECT m.map_id, m.name, m.owner_id, o.name AS owner_name, o.email AS owner_email, m.rev,
         m.created_at, m.updated_at, m.updated_by, u.name AS updated_by_name, ROLE_EXPR AS role
    FROM maps m
    JOIN users o ON o.org_id = m.org_id AND o.user_id = m.owner_id
    LEFT JOIN users u ON u.org_id = m.org_id AND u.user_id = m.updated_by
    JOIN_EXPR
   WHERE m.org_id = $1 WHERE_EXPR
   ORDER BY m.updated_at DESC`;
type ListRow = {
  map_id: string;
  name: string;
  owner_id: string;
  owner_name: string;
  owner_email: string;
  rev: number;
  created_at: Date;
  updated_at: Date;
  updated_by: string | null;
  updated_by_name: string | null;
  role: MapRole;
};
const toListRow = (r: ListRow): TeamMapRow => ({
  mapId: r.map_id,
  name: r.name,
  ownerId: r.owner_id,
  ownerName: r.owner_name,
  ownerEmail: r.owner_email,
  role: r.role,
  rev: r.rev,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
  updatedBy: r.updated_by,
  updatedByName: r.updated_by_name,
});

/** Every map the user may see: their own and those shared with them, most recently edited first. */
export async function mapsOf(q: Queryable, orgId: string, userId: string): Promise<TeamMapRow[]> {
  const sql = LIST_SQL.replace('ROLE_EXPR', "CASE WHEN m.owner_id = $2 THEN 'owner' ELSE s.role END")
    .replace('JOIN_EXPR', 'LEFT JOIN map_shares s ON s.org_id = m.org_id AND s.map_id = m.map_id AND s.user_id = $2')
    .replace('WHERE_EXPR', 'AND (m.owner_id = $2 OR s.user_id IS NOT NULL)');
  return (await q.query<ListRow>(sql, [orgId, userId])).rows.map(toListRow);
}

/** Every map of the organization (the admin's list). */
export async function allMaps(q: Queryable, orgId: string): Promise<TeamMapRow[]> {
  const sql = LIST_SQL.replace('ROLE_EXPR', "'owner'").replace('JOIN_EXPR', '').replace('WHERE_EXPR', '');
  return (await q.query<ListRow>(sql, [orgId])).rows.map(toListRow);
}

export interface ShareRow {
  userId: string;
  email: string;
  name: string;
  role: MapRole;
}

/** The owner and everyone the map is shared with. */
export async function mapMembers(q: Queryable, orgId: string, mapId: string): Promise<ShareRow[]> {
  const r = await q.query<{ user_id: string; email: string; name: string; role: MapRole }>(
    `SELECT u.user_id, u.email, u.name, 'owner' AS role FROM maps m JOIN users u ON u.org_id = m.org_id AND u.user_id = m.owner_id
      WHERE m.org_id = $1 AND m.map_id = $2
     UNION ALL
     SELECT u.user_id, u.email, u.name, s.role FROM map_shares s JOIN users u ON u.org_id = s.org_id AND u.user_id = s.user_id
      WHERE s.org_id = $1 AND s.map_id = $2
     ORDER BY role, name`,
    [orgId, mapId],
  );
  return r.rows.map((x) => ({ userId: x.user_id, email: x.email, name: x.name, role: x.role }));
}

export async function shareMap(q: Queryable, orgId: string, mapId: string, userId: string, role: 'editor' | 'viewer', grantedBy: string): Promise<void> {
  await q.query(
    `INSERT INTO map_shares (org_id, map_id, user_id, role, granted_by) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (org_id, map_id, user_id) DO UPDATE SET role = excluded.role, granted_by = excluded.granted_by, granted_at = now()`,
    [orgId, mapId, userId, role, grantedBy],
  );
}

export async function unshareMap(q: Queryable, orgId: string, mapId: string, userId: string): Promise<boolean> {
  const r = await q.query('DELETE FROM map_shares WHERE org_id = $1 AND map_id = $2 AND user_id = $3', [orgId, mapId, userId]);
  return (r.rowCount ?? 0) > 0;
}

export async function renameTeamMap(q: Queryable, orgId: string, mapId: string, name: string): Promise<void> {
  await q.query('UPDATE maps SET name = $3 WHERE org_id = $1 AND map_id = $2', [orgId, mapId, name]);
}

export async function deleteTeamMap(q: Queryable, orgId: string, mapId: string): Promise<void> {
  await q.query('DELETE FROM maps WHERE org_id = $1 AND map_id = $2', [orgId, mapId]);
}

// ---------------------------------------------------------------------------------------------
// The change feed and presence (live clients)
// ---------------------------------------------------------------------------------------------

export interface FeedEntry {
  rev: number;
  userId: string | null;
  /** The Change JSON (without history), or {"reload":true}. */
  change: string;
}

/**
 * What happened after `since`: the feed entries in order, or `reload` when the feed no longer
 * reaches back that far (trimmed, or erased by a purge) and the client must read the map again.
 */
export async function changesSince(q: Queryable, orgId: string, mapId: string, since: number): Promise<{ rev: number; reload: boolean; entries: FeedEntry[] }> {
  const m = await q.query<{ rev: number; feed_floor: number }>('SELECT rev, feed_floor FROM maps WHERE org_id = $1 AND map_id = $2', [orgId, mapId]);
  const map = m.rows[0];
  if (!map) throw new ApiError('NOT_FOUND', 'No such map, or it is not shared with you', { id: mapId });
  if (since >= map.rev) return { rev: map.rev, reload: false, entries: [] };
  if (since + 1 < map.feed_floor) return { rev: map.rev, reload: true, entries: [] };
  const r = await q.query<{ rev: number; user_id: string | null; change: string }>(
    'SELECT rev, user_id, change FROM map_changes WHERE org_id = $1 AND map_id = $2 AND rev > $3 ORDER BY rev LIMIT 500',
    [orgId, mapId, since],
  );
  const entries = r.rows.map((x) => ({ rev: x.rev, userId: x.user_id, change: x.change }));
  // A gap (an entry erased by a purge) means the client cannot patch its way across: reload.
  const gap = entries.some((e, i) => e.rev !== since + i + 1);
  return { rev: map.rev, reload: gap, entries: gap ? [] : entries };
}

/** Marks a live connection present (inserted or refreshed); a new one is announced to every instance. */
export async function touchPresence(q: Queryable, orgId: string, mapId: string, connId: string, userId: string, announce = false): Promise<void> {
  await q.query(
    `INSERT INTO map_presence (org_id, map_id, conn_id, user_id) VALUES ($1, $2, $3, $4)
     ON CONFLICT (org_id, map_id, conn_id) DO UPDATE SET seen_at = now()`,
    [orgId, mapId, connId, userId],
  );
  if (announce) await q.query('SELECT pg_notify($1, $2)', [PRESENCE_CHANNEL, `${orgId}/${mapId}`]);
}
export async function leavePresence(q: Queryable, orgId: string, mapId: string, connId: string): Promise<void> {
  await q.query('DELETE FROM map_presence WHERE org_id = $1 AND map_id = $2 AND conn_id = $3', [orgId, mapId, connId]);
  await q.query('SELECT pg_notify($1, $2)', [PRESENCE_CHANNEL, `${orgId}/${mapId}`]);
}

/** Who has the map open: connections seen in the last `seconds`, one entry per user. */
export async function presentUsers(q: Queryable, orgId: string, mapId: string, seconds = 45): Promise<{ userId: string; name: string }[]> {
  const r = await q.query<{ user_id: string; name: string }>(
    `SELECT DISTINCT p.user_id, u.name FROM map_presence p JOIN users u ON u.org_id = p.org_id AND u.user_id = p.user_id
      WHERE p.org_id = $1 AND p.map_id = $2 AND p.seen_at > now() - make_interval(secs => $3)
      ORDER BY u.name`,
    [orgId, mapId, seconds],
  );
  return r.rows.map((x) => ({ userId: x.user_id, name: x.name }));
}

/** Drops presence rows nobody refreshed for a while (instances that were killed) and old operation records. */
export async function tidyLive(q: Queryable): Promise<void> {
  await q.query("DELETE FROM map_presence WHERE seen_at < now() - interval '10 minutes'");
  await q.query("DELETE FROM map_ops WHERE at < now() - interval '2 days'");
  await q.query("DELETE FROM publish_ops WHERE at < now() - interval '2 days'");
}

// ---------------------------------------------------------------------------------------------
// Publishing (issue 19, migration 0013)
// ---------------------------------------------------------------------------------------------

/** Marks a team map as published from a local map (its origin id). */
export async function setMapOrigin(q: Queryable, orgId: string, mapId: string, originId: string): Promise<void> {
  await q.query('UPDATE maps SET origin_id = $3 WHERE org_id = $1 AND map_id = $2', [orgId, mapId, originId]);
}

/** The maps published from this local map that the user may see. */
export async function mapsFromOrigin(q: Queryable, orgId: string, userId: string, originId: string): Promise<TeamMapRow[]> {
  const r = await q.query<{ map_id: string }>('SELECT map_id FROM maps WHERE org_id = $1 AND origin_id = $2', [orgId, originId]);
  const ids = new Set(r.rows.map((x) => x.map_id));
  if (!ids.size) return [];
  return (await mapsOf(q, orgId, userId)).filter((m) => ids.has(m.mapId));
}

/**
 * Claims a publish operation id for the user: 'mine' (go ahead), or the stored answer of the
 * first call with it, or 'running' (the first call has not finished).
 */
/** A running publish's claim older than this was left by an instance that died. */
export const PUBLISH_STALE_SECONDS = 120;

/**
 * Claims a publish's operation id: 'mine' (go ahead; `halfMade` is a map an earlier attempt that
 * died left behind, for the caller to remove), 'running' (another attempt is at it), or the
 * answer of the attempt that finished.
 */
export async function claimPublishOp(
  q: Queryable,
  orgId: string,
  userId: string,
  opId: string,
): Promise<{ mine: true; halfMade: string | null } | 'running' | { result: string }> {
  const ins = await q.query('INSERT INTO publish_ops (org_id, user_id, op_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [orgId, userId, opId]);
  if (ins.rowCount === 1) return { mine: true, halfMade: null };
  const stale = await q.query<{ map_id: string | null }>(
    `UPDATE publish_ops SET at = now()
      WHERE org_id = $1 AND user_id = $2 AND op_id = $3 AND result IS NULL AND at < now() - make_interval(secs => $4)
      RETURNING map_id`,
    [orgId, userId, opId, PUBLISH_STALE_SECONDS],
  );
  if (stale.rowCount === 1) return { mine: true, halfMade: stale.rows[0]!.map_id };
  const r = await q.query<{ result: string | null }>('SELECT result FROM publish_ops WHERE org_id = $1 AND user_id = $2 AND op_id = $3', [orgId, userId, opId]);
  const result = r.rows[0]?.result;
  return result ? { result } : 'running';
}
/** The map a running publish is making (so a later attempt can remove it if this one dies). */
export async function notePublishMap(q: Queryable, orgId: string, userId: string, opId: string, mapId: string): Promise<void> {
  await q.query('UPDATE publish_ops SET map_id = $4 WHERE org_id = $1 AND user_id = $2 AND op_id = $3', [orgId, userId, opId, mapId]);
}
/** The operation's answer (or, with null, forgets it: the publish failed and may be tried again). */
export async function finishPublishOp(q: Queryable, orgId: string, userId: string, opId: string, result: string | null): Promise<void> {
  if (result === null) await q.query('DELETE FROM publish_ops WHERE org_id = $1 AND user_id = $2 AND op_id = $3', [orgId, userId, opId]);
  else await q.query('UPDATE publish_ops SET result = $4 WHERE org_id = $1 AND user_id = $2 AND op_id = $3', [orgId, userId, opId, result]);
}

/** User names of a set of ids (for the history view and notices). */
export async function userNames(q: Queryable, orgId: string, ids: readonly string[]): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const r = await q.query<{ user_id: string; name: string }>('SELECT user_id, name FROM users WHERE org_id = $1 AND user_id = ANY($2::uuid[])', [orgId, [...new Set(ids)]]);
  return new Map(r.rows.map((x) => [x.user_id, x.name]));
}
