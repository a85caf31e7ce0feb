/**
 * Map files: creating, opening and building them (the map file engine, storage/sqlite), and making
 * an opened map the session's map. The team store opens its maps elsewhere (server/team).
 */
import fs from 'node:fs';
import path from 'node:path';
import { ApiError } from '../../shared/api/errors';
import type { MapDocument, MapMeta } from '../../shared/domain';
import { fsError, removeMapFiles } from '../../storage/sqlite/file-check';
import { SqliteMapStore } from '../../storage/sqlite/store';
import type { MapStore } from '../../storage/types';
import { asideName, checkTargets, exists, moveIntoPlace } from '../exchange/files';
import type { Session } from '../session';
import { documentOf } from './read';
import { newMetaRow } from './rules';

export const withMapExtension = (file: string): string => (file.toLowerCase().endsWith('.powermap') ? file : `${file}.powermap`);

/** Opens an existing map file (what is refused, and how: storage/sqlite/open.ts). */
export const openMapFile = (file: string): Promise<SqliteMapStore> => SqliteMapStore.open(path.resolve(file));

/** Creates a new, empty map file (refuses to overwrite) and opens it. */
export function createMapFile(file: string, m: Partial<MapMeta> = {}): Promise<SqliteMapStore> {
  return SqliteMapStore.create(path.resolve(file), newMetaRow(m));
}

/** Makes `store` the session's open map and returns its document. */
export async function adopt(session: Session, store: MapStore): Promise<MapDocument> {
  await session.setStore(store);
  return documentOf(store);
}

/**
 * Builds a new map file aside (created, filled in one transaction, closed), then moves it into
 * place and opens it. A kill at any moment leaves either no map at the target or the whole map.
 */
export async function buildMapAtomic(target: string, fill: (store: MapStore) => Promise<void>, overwrite = false): Promise<SqliteMapStore> {
  target = path.resolve(target);
  checkTargets([target], overwrite);
  const tmp = asideName(target);
  try {
    const store = await SqliteMapStore.create(tmp, newMetaRow());
    try {
      await fill(store);
      await store.checkpoint();
    } finally {
      await store.close();
    }
    // Closing the last connection checkpoints and removes the -wal file: the .part file is whole.
    if (exists(`${tmp}-wal`) && fs.statSync(`${tmp}-wal`).size > 0)
      throw new ApiError('IO', `${path.basename(target)}: the new map could not be completed on disk`, { name: path.basename(target) });
    moveIntoPlace(tmp, target, overwrite);
  } catch (e) {
    removeMapFiles(tmp);
    throw e instanceof ApiError ? e : fsError(e, target);
  }
  return SqliteMapStore.open(target);
}
