/** Map files for the benchmark, written through the app's own services. */
import { createMapFile } from '../../services/map/files';
import { loadMap, type MapContentIn } from '../../services/map/rules';

/** Creates `file` holding `data` (as an import would), closed. */
export async function writeMapFile(file: string, data: MapContentIn): Promise<void> {
  const store = await createMapFile(file, data.meta ?? {});
  try {
    await loadMap(store, data);
  } finally {
    await store.close();
  }
}
