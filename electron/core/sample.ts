/** The bundled sample map (resources/samples), loaded from its JSON form. */
import fs from 'node:fs';
import path from 'node:path';
import { MapJsonSchema, type MapJson } from '../../shared/exchange/json-format';
import { MapStore } from './store/map-store';

export const SAMPLE_FILE = 'bank-tender.json';

export function readSample(resourcesDir: string): MapJson {
  const raw = JSON.parse(fs.readFileSync(path.join(resourcesDir, 'samples', SAMPLE_FILE), 'utf8'));
  return MapJsonSchema.parse(raw);
}

/** Writes a map file from its JSON form in one transaction; the target must not exist. */
export function createFromJson(file: string, data: MapJson): MapStore {
  const store = MapStore.create(file, data.meta);
  try {
    store.load(data);
  } catch (e) {
    store.close();
    fs.rmSync(file, { force: true });
    throw e;
  }
  return store;
}
