/** The bundled sample map (resources/samples), one per UI language, loaded from its JSON form. */
import fs from 'node:fs';
import path from 'node:path';
import { MapJsonSchema, type MapJson } from '../shared/exchange/json-format';
import type { Lang } from '../shared/i18n/errors';
import type { MapStore } from '../storage/types';
import type { Evidence, PersonEvidence } from '../shared/evidence';
import { buildMapAtomic } from './map/files';
import { loadMap } from './map/rules';

/** The sample's JSON file in each language (the same people, lines and ids; the words differ). */
const sampleFile = (lang: Lang = 'en-US'): string => `bank-tender.${lang}.json`;

/** The name the sample's map file gets in the documents folder, in each language. */
export const SAMPLE_MAP_NAME: Record<Lang, string> = {
  'en-US': 'Sample - bank head office tender.powermap',
  'zh-CN': '示例 - 银行总行服务器采购.powermap',
};

/**
 * The sample as of `now`: its evidence (issue 20) is dated relative to its `exportedAt`, and is
 * moved forward by the time since, so the sample always shows the same mix of fresh, stale and
 * unverified facts.
 */
export function readSample(resourcesDir: string, lang: Lang = 'en-US', now: number = Date.now()): MapJson {
  const raw = JSON.parse(fs.readFileSync(path.join(resourcesDir, 'samples', sampleFile(lang)), 'utf8'));
  const data = MapJsonSchema.parse(raw);
  return data.exportedAt ? shiftEvidence(data, now - Date.parse(data.exportedAt)) : data;
}

function shiftEvidence(data: MapJson, by: number): MapJson {
  const at = (s: string) => new Date(Date.parse(s) + by).toISOString();
  const shift = (e: Evidence): Evidence => ({ ...e, verifiedAt: e.verifiedAt === null ? null : at(e.verifiedAt), changedAt: at(e.changedAt) });
  return {
    ...data,
    people: data.people.map((p) =>
      p.evidence ? { ...p, evidence: Object.fromEntries(Object.entries(p.evidence).map(([k, e]) => [k, shift(e)])) as PersonEvidence } : p,
    ),
    relations: data.relations.map((r) => (r.evidence ? { ...r, evidence: shift(r.evidence) } : r)),
  };
}

/**
 * Writes a map file from its JSON form; the target must not exist. Built aside and moved into
 * place, so a kill leaves no map or the whole map — never an empty one.
 */
export function createFromJson(file: string, data: MapJson): Promise<MapStore> {
  return buildMapAtomic(file, (store) => loadMap(store, data));
}
