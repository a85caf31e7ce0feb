/**
 * Copying a whole map from one store to another (a map file into the team database, a team map
 * into a map file): the map record, people, relations, our team, coverage, the contact log, layout
 * positions, snapshots and view settings — and, only when asked, the sensitive personal profiles
 * and trips. The undo history does not travel: a copy starts a history of its own. One
 * implementation with publish and fetch: the bundle of services/team/sync.ts.
 */
import type { MapStore } from '../../storage/types';
import { bundleCounts, loadBundle, readBundle } from './sync';

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
  const { bundle } = await readBundle(from, { includePersonal: opts.includePersonal });
  await loadBundle(to, bundle);
  return bundleCounts(bundle);
}
