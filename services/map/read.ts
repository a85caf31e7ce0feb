/**
 * Reading a map as domain entities, over either store: rows from the store interface
 * (storage/types.ts) turned into the shared domain types (shared/domain.ts).
 */
import { ApiError } from '../../shared/api/errors';
import {
  LAYOUTS,
  PROFILE_FIELDS,
  emptyProfile,
  type Coverage,
  type LayoutName,
  type MapDocument,
  type MapMeta,
  type Person,
  type Position,
  type Profile,
  type Relation,
  type TeamMember,
} from '../../shared/domain';
import { rowToCoverage, rowToMember, rowToMeta, rowToPerson, rowToRelation, type Row } from '../../storage/rows';
import type { MapStore, RowSource } from '../../storage/types';

export async function metaRow(src: RowSource): Promise<Row> {
  const r = await src.row('map_meta', { id: 1 });
  if (!r) throw new ApiError('CORRUPT', 'The map has no map record', { name: '' });
  return r;
}
export const meta = async (src: RowSource): Promise<MapMeta> => rowToMeta(await metaRow(src));
export const people = async (src: RowSource): Promise<Person[]> => (await src.rows('person')).map(rowToPerson);
export const relations = async (src: RowSource): Promise<Relation[]> => (await src.rows('relation')).map(rowToRelation);
export const team = async (src: RowSource): Promise<TeamMember[]> => (await src.rows('member')).map(rowToMember);
export const coverage = async (src: RowSource): Promise<Coverage[]> => (await src.rows('coverage')).map(rowToCoverage);

export async function person(src: RowSource, id: string): Promise<Person | null> {
  const r = await src.row('person', { id });
  return r ? rowToPerson(r) : null;
}
export async function requirePerson(src: RowSource, id: string): Promise<Person> {
  const p = await person(src, id);
  if (!p) throw new ApiError('NOT_FOUND', `No person with id ${id}`, { id });
  return p;
}
export async function relation(src: RowSource, id: string): Promise<Relation | null> {
  const r = await src.row('relation', { id });
  return r ? rowToRelation(r) : null;
}
export async function member(src: RowSource, id: string): Promise<TeamMember | null> {
  const r = await src.row('member', { id });
  return r ? rowToMember(r) : null;
}
export async function requireMember(src: RowSource, id: string): Promise<TeamMember> {
  const m = await member(src, id);
  if (!m) throw new ApiError('NOT_FOUND', `No team member with id ${id}`, { id });
  return m;
}

const profileFromRow = (r: Row | null): Profile => {
  const out = emptyProfile();
  if (!r) return out;
  let data: Record<string, unknown> = {};
  try {
    data = JSON.parse(String(r.data)) as Record<string, unknown>;
  } catch {
    /* a damaged profile reads as empty */
  }
  for (const f of PROFILE_FIELDS) if (typeof data[f] === 'string') out[f] = data[f];
  return out;
};
/** A person's personal profile (sensitive; fetched on demand, never part of a document or Change). */
export async function profile(src: RowSource, personId: string): Promise<Profile> {
  await requirePerson(src, personId);
  return profileFromRow(await src.row('profile', { person_id: personId }));
}
/** Every stored profile, keyed by person id (exports with personal details). */
export async function profiles(src: RowSource): Promise<Record<string, Profile>> {
  const out: Record<string, Profile> = {};
  for (const r of await src.rows('profile')) out[String(r.person_id)] = profileFromRow(r);
  return out;
}

export async function allPositions(src: RowSource): Promise<Record<LayoutName, Position[]>> {
  const out = {} as Record<LayoutName, Position[]>;
  for (const l of LAYOUTS) out[l] = await src.positions(l);
  return out;
}

/** The open map as the renderer gets it, read as one consistent view. */
export function documentOf(store: MapStore): Promise<MapDocument> {
  return store.read(async (src) => ({
    path: store.location.path,
    fileVersion: store.location.version,
    rev: await src.rev(),
    meta: await meta(src),
    people: await people(src),
    relations: await relations(src),
    team: await team(src),
    coverage: await coverage(src),
    positions: await allPositions(src),
    history: await src.history(),
  }));
}

export async function counts(store: MapStore): Promise<{ people: number; relations: number; team: number; coverage: number }> {
  return store.read(async (src) => ({
    people: (await src.rows('person')).length,
    relations: (await src.rows('relation')).length,
    team: (await src.rows('member')).length,
    coverage: (await src.rows('coverage')).length,
  }));
}
