/**
 * Copying a whole map from one store to another (a map file into the team database, a team map
 * into a map file): the map record, people, relations, our team, coverage, the contact log, layout
 * positions, snapshots and view settings — and, only when asked, the sensitive personal profiles
 * and trips. The undo history does not travel: a copy starts a history of its own.
 */
import { LAYOUTS, type LayoutName, type Position } from '../../shared/domain';
import type { Row, TableName } from '../../storage/rows';
import type { MapStore } from '../../storage/types';

/** In the order a load can write them (parents before children). */
const CONTENT: readonly TableName[] = ['map_meta', 'person', 'member', 'relation', 'coverage', 'interaction'];
const PERSONAL: readonly TableName[] = ['profile', 'trip'];

export interface CopyCounts {
  people: number;
  relations: number;
  team: number;
  coverage: number;
  interactions: number;
  profiles: number;
  trips: number;
  snapshots: number;
}

/** Copies `from` into `to` (a new, empty map) in one load, then its snapshots and settings. */
export async function copyMapContent(from: MapStore, to: MapStore, opts: { includePersonal: boolean }): Promise<CopyCounts> {
  const tables = opts.includePersonal ? [...CONTENT, ...PERSONAL] : CONTENT;
  const { rows, positions } = await from.read(async (src) => {
    const rows: { t: TableName; row: Row }[] = [];
    for (const t of tables) for (const row of await src.rows(t)) rows.push({ t, row });
    const positions: Partial<Record<LayoutName, Position[]>> = {};
    for (const l of LAYOUTS) positions[l] = await src.positions(l);
    return { rows, positions };
  });
  await to.load({ rows, positions });
  const snaps = [...(await from.snapshots.list())].reverse(); // oldest first, so the copy lists them alike
  for (const s of snaps) {
    const body = await from.snapshots.body(s.id);
    if (body) await to.snapshots.add({ ...s, body: body.body });
  }
  const settings = await from.settings();
  if (Object.keys(settings).length) await to.putSettings(settings);
  const count = (t: TableName) => rows.filter((r) => r.t === t).length;
  return {
    people: count('person'),
    relations: count('relation'),
    team: count('member'),
    coverage: count('coverage'),
    interactions: count('interaction'),
    profiles: count('profile'),
    trips: count('trip'),
    snapshots: snaps.length,
  };
}
