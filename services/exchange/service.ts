/**
 * The exchange services, shared by the API handlers and the CLI: JSON and CSV in (always into a
 * new map, built aside and moved into place), JSON/CSV/GraphML out (written aside, then renamed),
 * and PDF/PNG/SVG through the report view (render.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { CsvFileInfo, CsvPreview, ExportFormat, PageSize } from '../../shared/api/exchange';
import { ApiError } from '../../shared/api/errors';
import { LAYOUTS, type LayoutName, type MapMeta, type Position } from '../../shared/domain';
import { buildImport, guessedLineMessage, invalidBytesMessage, moreLinesMessage, parseCsv, problemLines, type ImportResult } from '../../shared/exchange/csv-import';
import { csvFileNames, peopleCsv, relationsCsv } from '../../shared/exchange/csv-export';
import { toGraphml } from '../../shared/exchange/graphml';
import { JSON_FORMAT, JSON_VERSION, checkMapJson, type MapJson } from '../../shared/exchange/json-format';
import type { MapData } from '../../shared/exchange/map-data';
import type { Lang } from '../../shared/i18n/errors';
import { fsError } from '../../storage/sqlite/file-check';
import type { MapStore } from '../../storage/types';
import { buildMapAtomic } from '../map/files';
import { allPositions, coverage, meta, people, profiles, relations, team } from '../map/read';
import { loadMap } from '../map/rules';
import { decodeCsv, decodeUtf8 } from './decode';
import { writeFilesAtomic } from './files';

/** Largest CSV or JSON file an import reads (a 10,000-person map is a few MB). */
export const MAX_IMPORT_BYTES = 512 * 1024 * 1024;

/**
 * Reads an import file. Regular files only: a named pipe would block the whole process (and with
 * it every window or browser tab) until something writes to it, and a device such as /dev/zero
 * never ends. The file is opened without waiting (O_NONBLOCK) and checked through its descriptor,
 * so what is checked is what is read.
 */
function readInput(file: string): Buffer {
  const name = path.basename(file);
  let fd: number | undefined;
  try {
    try {
      fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EISDIR') throw new ApiError('IMPORT_FAILED', `${name} is a folder`, { name });
      throw e;
    }
    const st = fs.fstatSync(fd);
    if (st.isDirectory()) throw new ApiError('IMPORT_FAILED', `${name} is a folder`, { name });
    if (!st.isFile())
      throw new ApiError(
        'IMPORT_FAILED',
        `${name} is not a regular file (a named pipe, device or socket): PowerMap imports only files`,
        { name, reason: 'not_a_file' },
      );
    if (st.size > MAX_IMPORT_BYTES) throw new ApiError('IMPORT_FAILED', `${name} is too large (${st.size} bytes)`, { name });
    return fs.readFileSync(fd);
  } catch (e) {
    throw e instanceof ApiError ? e : fsError(e, file);
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

// ---------------------------------------------------------------------------------------------
// Reading the open map
// ---------------------------------------------------------------------------------------------

/** The map as exports read it, in one consistent read: profiles only when `includePersonal`. */
export function readMapData(store: MapStore, includePersonal: boolean): Promise<MapData> {
  return store.read(async (src) => {
    const ps = await people(src);
    const tm = await team(src);
    const nodes = new Set([...ps.map((p) => p.id), ...tm.map((m) => m.id)]);
    const positions: Partial<Record<LayoutName, Position[]>> = {};
    const all = await allPositions(src);
    for (const l of LAYOUTS) {
      const kept = all[l].filter((p) => nodes.has(p.id));
      if (kept.length) positions[l] = kept;
    }
    const data: MapData = { meta: await meta(src), people: ps, relations: await relations(src), team: tm, coverage: await coverage(src), positions };
    if (includePersonal) data.profiles = await profiles(src);
    return data;
  });
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
  const decoded = decodeUtf8(readInput(file));
  if (decoded.invalid.length) {
    const lines = decoded.invalid.map((l) => `${name}: ${invalidBytesMessage(l, 'UTF-8', 'en-US')}`);
    if (decoded.moreInvalid) lines.push(`${name}: ${moreLinesMessage('invalid', decoded.moreInvalid, 'UTF-8', 'en-US')}`);
    throw new ApiError('IMPORT_FAILED', `${name} is not UTF-8 text: ${invalidBytesMessage(decoded.invalid[0]!, 'UTF-8', 'en-US')}`, { name }, lines);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(decoded.text);
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

export async function importJsonFile(jsonFile: string, target: string, overwrite = false): Promise<MapStore> {
  const data = readMapJsonFile(jsonFile);
  return buildMapAtomic(
    target,
    (store) =>
      loadMap(store, {
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
  const notes: string[] = [];
  const table = (file: string, kind: 'people' | 'relations') => {
    const decoded = decodeCsv(readInput(file));
    const name = path.basename(file);
    const t = parseCsv(decoded.text, name, kind, lang);
    files.push({ file, encoding: decoded.encoding, delimiter: t.delimiter });
    // Bytes valid in no encoding: refused, line by line. Lines read in a guessed encoding: shown.
    for (const l of decoded.invalid) t.problems.push({ file: name, row: null, column: null, message: invalidBytesMessage(l, decoded.main, lang) });
    if (decoded.moreInvalid) t.problems.push({ file: name, row: null, column: null, message: moreLinesMessage('invalid', decoded.moreInvalid, decoded.main, lang) });
    for (const g of decoded.guessed) notes.push(guessedLineMessage(name, g, decoded.main, lang));
    if (decoded.moreGuessed) notes.push(`${name}: ${moreLinesMessage('guessed', decoded.moreGuessed, decoded.main, lang)}`);
    return t;
  };
  const people = table(peoplePath, 'people');
  const relations = relationsPath ? table(relationsPath, 'relations') : null;
  const result = buildImport(people, relations, lang);
  result.warnings.unshift(...notes);
  return { result, files };
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
export async function importCsvFiles(
  peoplePath: string,
  relationsPath: string | null | undefined,
  target: string,
  opts: { lang: Lang; overwrite?: boolean; meta?: Partial<MapMeta> },
): Promise<{ store: MapStore; read: CsvRead }> {
  const read = readCsv(peoplePath, relationsPath, opts.lang);
  const { data, problems } = read.result;
  if (!data || problems.length) {
    const lines = problemLines(problems, opts.lang);
    const count = problems.length;
    throw new ApiError('IMPORT_FAILED', count === 1 ? lines[0]! : `${count} problems, nothing was imported`, { count, reason: 'import_problems' }, lines);
  }
  const store = await buildMapAtomic(target, (s) => loadMap(s, { meta: opts.meta ?? {}, ...data }), opts.overwrite ?? false);
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
export async function exportData(store: MapStore, o: Omit<ExportOptions, 'pageSize' | 'scale'>): Promise<{ files: string[]; bytes: number }> {
  const targets = exportTargets(o.format, o.target);
  const data = await readMapData(store, o.includePersonal);
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
