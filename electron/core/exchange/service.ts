/**
 * The exchange services, shared by the API handlers and the CLI: JSON and CSV in (always into a
 * new map, built aside and moved into place), JSON/CSV/GraphML out (written aside, then renamed),
 * and PDF/PNG/SVG through the report view (render.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { CsvFileInfo, CsvPreview, ExportFormat, PageSize } from '../../../shared/api/exchange';
import { ApiError } from '../../../shared/api/errors';
import { LAYOUTS, type LayoutName, type MapMeta, type Position } from '../../../shared/domain';
import { buildImport, parseCsv, problemLines, type ImportResult } from '../../../shared/exchange/csv-import';
import { csvFileNames, peopleCsv, relationsCsv } from '../../../shared/exchange/csv-export';
import { toGraphml } from '../../../shared/exchange/graphml';
import { JSON_FORMAT, JSON_VERSION, checkMapJson, type MapJson } from '../../../shared/exchange/json-format';
import type { MapData } from '../../../shared/exchange/map-data';
import type { Lang } from '../../../shared/i18n/errors';
import { fsError } from '../store/file-check';
import type { MapStore } from '../store/map-store';
import { decodeCsv } from './decode';
import { buildMapAtomic, writeFilesAtomic } from './files';

/** Largest CSV or JSON file an import reads (a 10,000-person map is a few MB). */
export const MAX_IMPORT_BYTES = 512 * 1024 * 1024;

function readInput(file: string): Buffer {
  try {
    const st = fs.statSync(file);
    if (st.isDirectory()) throw new ApiError('IMPORT_FAILED', `${path.basename(file)} is a folder`, { name: path.basename(file) });
    if (st.size > MAX_IMPORT_BYTES)
      throw new ApiError('IMPORT_FAILED', `${path.basename(file)} is too large (${st.size} bytes)`, { name: path.basename(file) });
    return fs.readFileSync(file);
  } catch (e) {
    throw e instanceof ApiError ? e : fsError(e, file);
  }
}

// ---------------------------------------------------------------------------------------------
// Reading the open map
// ---------------------------------------------------------------------------------------------

/** The map as exports read it: profiles only when `includePersonal`. */
export function readMapData(store: MapStore, includePersonal: boolean): MapData {
  const read = store.db.transaction(() => {
    const people = store.people();
    const team = store.team();
    const nodes = new Set([...people.map((p) => p.id), ...team.map((m) => m.id)]);
    const positions: Partial<Record<LayoutName, Position[]>> = {};
    for (const l of LAYOUTS) {
      const ps = store.positions(l).filter((p) => nodes.has(p.id));
      if (ps.length) positions[l] = ps;
    }
    const data: MapData = { meta: store.meta(), people, relations: store.relations(), team, coverage: store.coverage(), positions };
    if (includePersonal) data.profiles = store.profiles();
    return data;
  });
  return read();
}

// ---------------------------------------------------------------------------------------------
// JSON
// ---------------------------------------------------------------------------------------------

export function toMapJson(d: MapData): MapJson {
  const json: MapJson = {
    format: JSON_FORMAT,
    version: JSON_VERSION,
    exportedAt: new Date().toISOString(),
    meta: d.meta,
    people: d.people,
    relations: d.relations,
    team: d.team,
    coverage: d.coverage,
  };
  if (d.profiles) json.profiles = d.profiles;
  if (d.positions && Object.keys(d.positions).length) json.positions = d.positions;
  return json;
}

/** Reads and checks a JSON map file: IMPORT_FAILED with one line per problem, NEWER_VERSION for a newer format. */
export function readMapJsonFile(file: string): MapJson {
  const name = path.basename(file);
  const buf = readInput(file);
  let raw: unknown;
  try {
    raw = JSON.parse(buf.toString('utf8').replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new ApiError('IMPORT_FAILED', `${name} is not valid JSON: ${(e as Error).message}`, { name }, [
      `${name}: not valid JSON (${(e as Error).message})`,
    ]);
  }
  const checked = checkMapJson(raw);
  if (checked.ok) return checked.data;
  if (checked.newerVersion !== undefined)
    throw new ApiError(
      'NEWER_VERSION',
      `${name} was made by a newer PowerMap (JSON version ${checked.newerVersion}; this one reads version ${JSON_VERSION}); update PowerMap to import it`,
      { name, version: checked.newerVersion },
    );
  throw new ApiError('IMPORT_FAILED', `${name}: ${checked.problems[0]}`, { name }, checked.problems.map((p) => `${name}: ${p}`));
}

export function importJsonFile(jsonFile: string, target: string, overwrite = false): MapStore {
  const data = readMapJsonFile(jsonFile);
  return buildMapAtomic(
    target,
    (store) =>
      store.load({
        meta: data.meta,
        people: data.people,
        relations: data.relations,
        team: data.team,
        coverage: data.coverage,
        profiles: data.profiles,
        positions: data.positions,
      }),
    overwrite,
  );
}

// ---------------------------------------------------------------------------------------------
// CSV in
// ---------------------------------------------------------------------------------------------

export interface CsvRead {
  result: ImportResult;
  files: CsvFileInfo[];
}

/** Reads, decodes and checks the CSV files; writes nothing. */
export function readCsv(peoplePath: string, relationsPath: string | null | undefined, lang: Lang): CsvRead {
  const files: CsvFileInfo[] = [];
  const table = (file: string, kind: 'people' | 'relations') => {
    const decoded = decodeCsv(readInput(file));
    const t = parseCsv(decoded.text, path.basename(file), kind, lang);
    files.push({ file, encoding: decoded.encoding, delimiter: t.delimiter });
    return t;
  };
  const people = table(peoplePath, 'people');
  const relations = relationsPath ? table(relationsPath, 'relations') : null;
  return { result: buildImport(people, relations, lang), files };
}

export function csvPreview(read: CsvRead, lang: Lang): CsvPreview {
  const r = read.result;
  return {
    files: read.files,
    counts: r.counts,
    problems: problemLines(r.problems, lang),
    problemCount: r.problems.length,
    warnings: r.warnings,
    preview: r.preview,
    columns: r.columns,
  };
}

/** Imports CSV into a new map; refuses the whole import (no file created) on any problem. */
export function importCsvFiles(
  peoplePath: string,
  relationsPath: string | null | undefined,
  target: string,
  opts: { lang: Lang; overwrite?: boolean; meta?: Partial<MapMeta> },
): { store: MapStore; read: CsvRead } {
  const read = readCsv(peoplePath, relationsPath, opts.lang);
  const { data, problems } = read.result;
  if (!data || problems.length) {
    const lines = problemLines(problems, opts.lang);
    const count = problems.length;
    throw new ApiError('IMPORT_FAILED', count === 1 ? lines[0]! : `${count} problems, nothing was imported`, { count, reason: 'import_problems' }, lines);
  }
  const meta = opts.meta ?? {};
  const store = buildMapAtomic(target, (s) => s.load({ meta, ...data }), opts.overwrite ?? false);
  return { store, read };
}

// ---------------------------------------------------------------------------------------------
// Files out
// ---------------------------------------------------------------------------------------------

export const EXTENSIONS: Record<ExportFormat, string> = {
  pdf: '.pdf',
  png: '.png',
  svg: '.svg',
  json: '.json',
  csv: '.csv',
  graphml: '.graphml',
};

/** Appends the format's extension when the name has none of it. */
export const withExportExtension = (file: string, format: ExportFormat): string =>
  file.toLowerCase().endsWith(EXTENSIONS[format]) ? file : `${file}${EXTENSIONS[format]}`;

/** The files an export to `target` writes (CSV: two). */
export function exportTargets(format: ExportFormat, target: string): string[] {
  if (format !== 'csv') return [path.resolve(target)];
  const n = csvFileNames(path.resolve(target));
  return [n.people, n.relations];
}

export interface ExportOptions {
  format: ExportFormat;
  target: string;
  includePersonal: boolean;
  layout: LayoutName;
  overwrite: boolean;
  pageSize: PageSize;
  scale: number;
  lang: Lang;
}

/** The text formats: JSON, CSV (two files), GraphML. Returns the files written and their size. */
export function exportData(store: MapStore, o: Omit<ExportOptions, 'pageSize' | 'scale'>): { files: string[]; bytes: number } {
  const targets = exportTargets(o.format, o.target);
  const data = readMapData(store, o.includePersonal);
  let files: { target: string; data: string }[];
  switch (o.format) {
    case 'json':
      files = [{ target: targets[0]!, data: JSON.stringify(toMapJson(data), null, 1) + '\n' }];
      break;
    case 'csv':
      files = [
        { target: targets[0]!, data: peopleCsv(data) },
        { target: targets[1]!, data: relationsCsv(data) },
      ];
      break;
    case 'graphml':
      files = [{ target: targets[0]!, data: toGraphml(data, o.layout) }];
      break;
    default:
      throw new ApiError('BAD_REQUEST', `${o.format} is not a data format`);
  }
  writeFilesAtomic(files, o.overwrite);
  return { files: targets, bytes: files.reduce((n, f) => n + Buffer.byteLength(f.data), 0) };
}
