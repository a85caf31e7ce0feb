/**
 * The admin's tools for team maps, for a team moving its maps in from a shared drive: import a
 * map file (or PowerMap JSON) as a team map owned by someone, share a map, list every map. Used by
 * `powermap map …` on the command line; audited as the admin ('cli').
 */
import path from 'node:path';
import { ApiError } from '../../shared/api/errors';
import { readMapJsonFile } from '../../services/exchange/service';
import { openMapFile } from '../../services/map/files';
import { loadMap, newMetaRow } from '../../services/map/rules';
import { copyMapContent, type CopyCounts } from '../../services/team/copy';
import { defaultOrganization, findUserByEmail } from '../../storage/postgres/accounts';
import { audit } from '../../storage/postgres/audit';
import { allMaps, createTeamMap, deleteTeamMap, isMapId, mapById, mapsNamed, shareMap, type TeamMapRow } from '../../storage/postgres/maps';
import { PgMapStore } from '../../storage/postgres/map-store';
import type { Pool } from '../../storage/postgres/pool';

async function userByEmail(pool: Pool, orgId: string, email: string) {
  const u = await findUserByEmail(pool, orgId, email);
  if (!u) throw new ApiError('NOT_FOUND', `No user ${email}`, { reason: 'no_such_user', email });
  return u;
}

/** The one map `ref` names: an id, else a name (exactly one map may carry it). */
export async function resolveMap(pool: Pool, ref: string): Promise<{ orgId: string; mapId: string; name: string; ownerId: string }> {
  const { orgId } = await defaultOrganization(pool);
  if (isMapId(ref)) {
    const m = await mapById(pool, orgId, ref);
    if (m) return { orgId, ...m };
  }
  const named = await mapsNamed(pool, orgId, ref);
  if (named.length === 1) return { orgId, ...(await mapById(pool, orgId, named[0]!.mapId))! };
  if (named.length > 1) throw new ApiError('BAD_REQUEST', `${named.length} maps are called “${ref}”: give an id (${named.map((m) => m.mapId).join(', ')})`);
  throw new ApiError('NOT_FOUND', `No map is called “${ref}”`, { id: ref });
}

/**
 * Imports a `.powermap` file or a PowerMap JSON file as a new team map owned by `ownerEmail`.
 * Personal profiles and trips travel only with `includePersonal`. All or nothing: a failure
 * deletes the half-made map.
 */
export async function importTeamMap(
  pool: Pool,
  file: string,
  opts: { ownerEmail: string; name?: string; includePersonal?: boolean },
): Promise<{ map: { id: string; name: string }; counts: CopyCounts | null }> {
  const { orgId } = await defaultOrganization(pool);
  const owner = await userByEmail(pool, orgId, opts.ownerEmail);
  const name = (opts.name ?? path.basename(file).replace(/\.(powermap|json)$/i, '')).slice(0, 200) || 'Imported map';
  const isJson = file.toLowerCase().endsWith('.json');
  const json = isJson ? readMapJsonFile(file) : null;
  const local = isJson ? null : await openMapFile(file);
  const mapId = await createTeamMap(pool, orgId, owner.userId, name);
  const team = new PgMapStore({ pool, orgId, mapId, userId: owner.userId, name });
  try {
    let counts: CopyCounts | null = null;
    if (local) counts = await copyMapContent(local, team, { includePersonal: !!opts.includePersonal });
    else {
      await team.load({ rows: [{ t: 'map_meta', row: newMetaRow() }] });
      const d = json!;
      await loadMap(team, { ...d, profiles: opts.includePersonal ? d.profiles : undefined });
    }
    await audit(pool, { orgId, userId: null, via: 'cli', kind: 'map.import', mapId, payload: { file: path.basename(file), owner: owner.email, personal: !!opts.includePersonal } });
    return { map: { id: mapId, name }, counts };
  } catch (e) {
    await deleteTeamMap(pool, orgId, mapId).catch(() => undefined);
    throw e;
  } finally {
    await local?.close();
  }
}

export async function shareTeamMap(pool: Pool, ref: string, email: string, role: 'editor' | 'viewer'): Promise<{ map: string; with: string; role: string }> {
  const m = await resolveMap(pool, ref);
  const u = await userByEmail(pool, m.orgId, email);
  if (u.userId === m.ownerId) throw new ApiError('INVALID_EDIT', `${email} owns “${m.name}” already`, { reason: 'share_owner' });
  await shareMap(pool, m.orgId, m.mapId, u.userId, role, m.ownerId);
  await audit(pool, { orgId: m.orgId, userId: null, via: 'cli', kind: 'map.share', mapId: m.mapId, payload: { with: u.email, role } });
  return { map: m.name, with: u.email, role };
}

export async function listTeamMaps(pool: Pool): Promise<TeamMapRow[]> {
  const { orgId } = await defaultOrganization(pool);
  return allMaps(pool, orgId);
}
