/**
 * API methods of the exchange area: CSV/JSON in (a preview first, then a new map), PDF/PNG/SVG/
 * JSON/CSV/GraphML out, and the data the report view prints. File paths are absolute (from a
 * native dialog in the app, typed by the user in the browser build). See docs/CSV-FORMAT.md and
 * docs/JSON-FORMAT.md.
 */
import { POSTER_SIZES } from '../exchange/print-options';
import { z } from 'zod';
import { Id, LAYOUTS, MapMetaSchema, POSTURES, STAGES, type MapDocument } from '../domain';
import type { MapData } from '../exchange/map-data';
import type { PreviewPerson } from '../exchange/csv-import';
import { edit, query } from './contract';
import { FilePath } from './map';
import type { PortfolioRow } from './team-sync';

export const EXPORT_FORMATS = ['pdf', 'png', 'svg', 'json', 'csv', 'graphml'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export const PAGE_SIZES = ['A4', 'A3'] as const;
export type PageSize = (typeof PAGE_SIZES)[number];

/** Absolute paths only: a relative path would land wherever the main process happens to run. */
export const AbsolutePath = FilePath.refine(
  (s) => s.startsWith('/') || /^[A-Za-z]:[\\/]/.test(s) || s.startsWith('\\\\'),
  'give an absolute path',
);

export interface CsvFileInfo {
  file: string;
  encoding: string;
  /** ',' ';' or '\t' */
  delimiter: string;
}

/** What a CSV import would do, computed without writing anything. */
export interface CsvPreview {
  files: CsvFileInfo[];
  counts: { people: number; relations: number; team: number; coverage: number };
  /** One line per problem (row and column named), in the UI language; empty when the import can go ahead. */
  problems: string[];
  problemCount: number;
  /** Ignored columns and the like: not problems. */
  warnings: string[];
  /** The first rows as they will be imported. */
  preview: PreviewPerson[];
  columns: { file: string; header: string; key: string | null }[];
}

export interface ExportResult {
  /** The files written (CSV writes two). */
  files: string[];
  bytes: number;
}

/** What the report view prints: the map, and personal profiles only when asked for. */
export interface ReportData extends MapData {
  generatedAt: string;
  fileName: string;
}

const CsvPaths = {
  peoplePath: AbsolutePath,
  relationsPath: AbsolutePath.optional(),
};

const PortfolioPerson = z.object({ id: z.string().max(100), name: z.string().max(500) }).strict();
/** A portfolio row as the page has it (shared/api/team-sync.ts PortfolioRow), checked before it is printed. */
const PortfolioRowSchema = z
  .object({
    mapId: z.string().max(100),
    name: z.string().max(500),
    role: z.enum(['owner', 'editor', 'viewer']),
    owner: z.object({ id: z.string().max(100), name: z.string().max(500), email: z.string().max(500) }).strict(),
    client: z.string().max(500),
    deal: z.string().max(500),
    stage: z.enum(STAGES),
    posture: z.enum(POSTURES),
    people: z.number().int().min(0),
    flags: z
      .object({
        noCoach: z.boolean(),
        dmNotFor: z.array(PortfolioPerson.extend({ attitude: z.string().max(40) })).max(10_000),
        highUncovered: z.array(PortfolioPerson).max(10_000),
        oneColleague: z.array(z.object({ member: PortfolioPerson, people: z.array(PortfolioPerson).max(10_000) }).strict()).max(10_000),
      })
      .strict(),
    flagCount: z.number().int().min(0),
    redFlags: z.number().int().min(0),
    rev: z.number().int().min(0),
    updatedAt: z.string().max(40),
    updatedBy: z.object({ id: z.string().max(100), name: z.string().max(500) }).strict().nullable(),
  })
  .strict() satisfies z.ZodType<PortfolioRow>;

export const exchangeMethods = {
  /** Reads and checks CSV files; writes nothing. */
  'exchange.previewCsv': query(z.object(CsvPaths).strict()).returns<CsvPreview>(),
  /** Imports CSV files into a NEW map at `path` and opens it; all or nothing (IMPORT_FAILED lists the problems). */
  'exchange.importCsv': edit(
    z.object({ ...CsvPaths, path: AbsolutePath, meta: MapMetaSchema.partial().optional() }).strict(),
  ).returns<MapDocument>(),
  /** Imports a PowerMap JSON file into a NEW map at `path` and opens it. */
  'exchange.importJson': edit(z.object({ jsonPath: AbsolutePath, path: AbsolutePath }).strict()).returns<MapDocument>(),
  /**
   * Exports the open map. The file gets the format's extension if it has none; an existing file
   * is refused (FILE_EXISTS) unless `overwrite`. CSV writes <name>-people.csv and <name>-relations.csv.
   */
  'exchange.export': query(
    z
      .object({
        format: z.enum(EXPORT_FORMATS),
        path: AbsolutePath,
        includePersonal: z.boolean().default(false),
        layout: z.enum(LAYOUTS).default('org'),
        overwrite: z.boolean().default(false),
        pageSize: z.enum(PAGE_SIZES).default('A4'),
        /** PNG scale (pixels per map unit). */
        scale: z.number().min(0.25).max(8).default(2),
        /** Report and CSV language; the UI language when absent. */
        lang: z.enum(['en-US', 'zh-CN']).optional(),
        /** PDF only: add the changes since this snapshot (its id). */
        since: Id.optional(),
        /** PDF only: add a page mapping our team's coverage. */
        coveragePage: z.boolean().default(false),
        /** PNG/SVG: a legend under the map (the title and date are always there). */
        legend: z.boolean().default(true),
        /** PNG/SVG: made for a poster sheet, no name under 6 pt on it (shared/exchange/print-options.ts). */
        poster: z.enum(POSTER_SIZES).optional(),
      })
      .strict(),
  ).returns<ExportResult>(),
  /** Writes a PNG or SVG the renderer drew (the current view); checked to be an image of that kind. */
  'exchange.writeImage': query(
    z
      .object({
        path: AbsolutePath,
        format: z.enum(['png', 'svg']),
        /** base64 for PNG, the markup for SVG */
        data: z.string().max(96 * 1024 * 1024),
        overwrite: z.boolean().default(false),
      })
      .strict(),
  ).returns<ExportResult>(),
  /** The open map as the report view prints it. */
  'exchange.reportData': query(z.object({ includePersonal: z.boolean().default(false) }).strict()).returns<ReportData>(),
  /**
   * The team portfolio as shown (its rows, sorted and filtered by the page) as a CSV file or a
   * one-page PDF (landscape A4, printed by the report view). Issue 19; the rows come from the
   * team server's portfolio.list. Needs no open map.
   */
  'exchange.exportPortfolio': query(
    z
      .object({
        format: z.enum(['csv', 'pdf']),
        path: AbsolutePath,
        lang: z.enum(['en-US', 'zh-CN']).optional(),
        rows: z.array(PortfolioRowSchema).max(5000),
        overwrite: z.boolean().default(false),
      })
      .strict(),
  ).returns<ExportResult>(),
  /** The report view's portfolio mode: the rows exportPortfolio is printing (empty otherwise). */
  'exchange.portfolioData': query(z.object({}).strict()).returns<{ rows: PortfolioRow[]; generatedAt: string }>(),
};
