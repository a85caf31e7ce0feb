/** The bundled sample map (resources/samples), loaded from its JSON form. */
import fs from 'node:fs';
import path from 'node:path';
import { MapJsonSchema, type MapJson } from '../shared/exchange/json-format';
import type { MapStore } from '../storage/types';
import { buildMapAtomic } from './map/files';
import { loadMap } from './map/rules';

export const SAMPLE_FILE = 'bank-tender.json';

export function readSample(resourcesDir: string): MapJson {
  const raw = JSON.parse(fs.readFileSync(path.join(resourcesDir, 'samples', SAMPLE_FILE), 'utf8'));
  return MapJsonSchema.parse(raw);
}

/**
 * Writes a map file from its JSON form; the target must not exist. Built aside and moved into
 * place, so a kill leaves no map or the whole map — never an empty one.
 */
export function createFromJson(file: string, data: MapJson): Promise<MapStore> {
  return buildMapAtomic(file, (store) => loadMap(store, data));
}
