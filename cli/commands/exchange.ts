/**
 * `powermap import` and `powermap export`: the same services as the app's Import/Export panel.
 * Imports always make a new map; nothing is overwritten without --force; failures print one line
 * per problem (run.ts) and exit non-zero.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { EXPORT_FORMATS, PAGE_SIZES, type ExportFormat, type PageSize } from '../../shared/api/exchange';
import { LAYOUTS, type LayoutName } from '../../shared/domain';
import { POSTER_SIZES, type PosterSize } from '../../shared/exchange/print-options';
import { matchSnapshots } from '../../services/time/snapshots';
import type { Lang } from '../../shared/i18n/errors';
import { findChromium } from '../../services/exchange/chromium';
import { checkTargets } from '../../services/exchange/files';
import { exportTargets, importCsvFiles, importJsonFile } from '../../services/exchange/service';
import { counts } from '../../services/map/read';
import type { MapStore } from '../../storage/types';
import { UsageError, type CliContext, type Command } from '../command';
import { call, withMap } from '../session';

const withMapExtension = (file: string) => (file.toLowerCase().endsWith('.powermap') ? file : `${file}.powermap`);
const size = (n: number) => (n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(n / 1024))} kB`);
const DELIMITER_NAME: Record<string, string> = { ',': 'comma', ';': 'semicolon', '\t': 'tab' };

const T = {
  'en-US': {
    imported: (n: { people: number; relations: number; team: number }, file: string) =>
      `Imported ${n.people} people, ${n.relations} relations and ${n.team} team members into ${file}`,
    exported: (what: string, files: string[], bytes: number) => `Exported ${what} to ${files.join(' and ')} (${size(bytes)})`,
    chromium: (p: string) => `Chromium: ${p}`,
  },
  'zh-CN': {
    imported: (n: { people: number; relations: number; team: number }, file: string) =>
      `已导入 ${n.people} 人、${n.relations} 条关系、${n.team} 名我方成员到 ${file}`,
    exported: (what: string, files: string[], bytes: number) => `已导出 ${what} 到 ${files.join(' 和 ')}（${size(bytes)}）`,
    chromium: (p: string) => `使用 Chromium：${p}`,
  },
} as const;

const importCommand: Command = {
  name: 'import',
  usage: 'powermap import <people.csv> [--relations <relations.csv>] -o <new.powermap> [--force] | powermap import <map.json> -o <new.powermap> [--force]',
  summary: 'make a new map from CSV files (people, relations) or a PowerMap JSON file',
  async run(args, ctx) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        relations: { type: 'string', short: 'r' },
        output: { type: 'string', short: 'o' },
        force: { type: 'boolean' },
      },
    });
    if (positionals.length !== 1) throw new UsageError('give exactly one file to import');
    if (!values.output) throw new UsageError('give the new map with -o <new.powermap>');
    const input = path.resolve(positionals[0]!);
    const target = path.resolve(withMapExtension(values.output));
    const t = T[ctx.lang];
    if (input.toLowerCase().endsWith('.json')) {
      if (values.relations) throw new UsageError('--relations goes with a CSV people file, not with JSON');
      const store = await importJsonFile(input, target, values.force ?? false);
      try {
        ctx.out(t.imported(await counts(store), path.basename(target)));
      } finally {
        await store.close();
      }
      return 0;
    }
    const { store, read } = await importCsvFiles(input, values.relations ? path.resolve(values.relations) : null, target, {
      lang: ctx.lang,
      overwrite: values.force ?? false,
      meta: { deal: path.basename(target, '.powermap') },
    });
    try {
      const files = read.files.map((f) => `${path.basename(f.file)}: ${f.encoding}, ${DELIMITER_NAME[f.delimiter] ?? f.delimiter}`).join('; ');
      ctx.out(`${t.imported(read.result.counts, path.basename(target))} (${files})`);
      for (const w of read.result.warnings) ctx.err(`  ${w}`);
    } finally {
      await store.close();
    }
    return 0;
  },
};

/** The snapshot `--since` names (by id or name); exactly one must match. */
async function sinceSnapshot(store: MapStore, idOrName: string): Promise<string> {
  const found = await matchSnapshots(store, idOrName);
  if (found.length === 1) return found[0]!.id;
  if (found.length === 0) throw new UsageError(`no snapshot is called "${idOrName}" in this map`);
  throw new UsageError(`several snapshots are called "${idOrName}": give one of their ids (${found.map((f) => f.id).join(', ')})`);
}

const NAMES: Record<ExportFormat, string> = { pdf: 'PDF', png: 'PNG', svg: 'SVG', json: 'JSON', csv: 'CSV', graphml: 'GraphML' };

const exportCommand: Command = {
  name: 'export',
  usage:
    'powermap export <map.powermap> --format pdf|png|svg|json|csv|graphml -o <out> [--include-personal] [--layout org|force|grid|levels] [--page A4|A3] [--scale N] [--lang en-US|zh-CN] [--since <snapshot>] [--coverage-page] [--no-legend] [--poster A2|A1|A0] [--force]',
  summary: 'write the deal-review PDF, an image of the map, or the data as JSON, CSV or GraphML',
  async run(args, ctx: CliContext) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        format: { type: 'string', short: 'f' },
        output: { type: 'string', short: 'o' },
        'include-personal': { type: 'boolean' },
        layout: { type: 'string' },
        page: { type: 'string' },
        scale: { type: 'string' },
        lang: { type: 'string' },
        force: { type: 'boolean' },
        since: { type: 'string' },
        'no-legend': { type: 'boolean' },
        'coverage-page': { type: 'boolean' },
        poster: { type: 'string' },
      },
    });
    if (positionals.length !== 1) throw new UsageError('give exactly one map file');
    const format = values.format as ExportFormat | undefined;
    if (!format || !EXPORT_FORMATS.includes(format)) throw new UsageError(`--format must be one of ${EXPORT_FORMATS.join(', ')}`);
    if (!values.output) throw new UsageError('give the output file with -o <out>');
    const layout = (values.layout ?? 'org') as LayoutName;
    if (!LAYOUTS.includes(layout)) throw new UsageError(`--layout must be one of ${LAYOUTS.join(', ')}`);
    const pageSize = (values.page ?? 'A4').toUpperCase() as PageSize;
    if (!PAGE_SIZES.includes(pageSize)) throw new UsageError('--page must be A4 or A3');
    const scale = values.scale === undefined ? 2 : Number(values.scale);
    if (!Number.isFinite(scale) || scale < 0.25 || scale > 8) throw new UsageError('--scale must be a number from 0.25 to 8');
    if (values.lang !== undefined && values.lang !== 'en-US' && values.lang !== 'zh-CN') throw new UsageError('--lang must be en-US or zh-CN');
    const lang: Lang = (values.lang as Lang | undefined) ?? ctx.lang;
    const overwrite = values.force ?? false;
    const includePersonal = values['include-personal'] ?? false;
    const target = path.resolve(values.output);
    const t = T[ctx.lang];

    checkTargets(exportTargets(format, target), overwrite); // before opening anything
    if (values.since !== undefined && format !== 'pdf') throw new UsageError('--since goes with --format pdf');
    if (values['coverage-page'] && format !== 'pdf') throw new UsageError('--coverage-page goes with --format pdf');
    if (values['no-legend'] && format !== 'png' && format !== 'svg') throw new UsageError('--no-legend goes with --format png or svg');
    const poster = values.poster === undefined ? undefined : (values.poster.toUpperCase() as PosterSize);
    if (poster !== undefined && !POSTER_SIZES.includes(poster)) throw new UsageError(`--poster must be one of ${POSTER_SIZES.join(', ')}`);
    if (poster !== undefined && format !== 'png' && format !== 'svg') throw new UsageError('--poster goes with --format png or svg');
    return withMap(positionals[0]!, lang, async (session) => {
      const since = values.since === undefined ? undefined : await sinceSnapshot(session.requireStore(), values.since);
      // The same handler as the app's Import/Export panel.
      const res = await call(session, 'exchange.export', {
        format,
        path: target,
        includePersonal,
        layout,
        pageSize,
        scale,
        lang,
        since,
        overwrite,
        coveragePage: values['coverage-page'] ?? false,
        legend: !values['no-legend'],
        ...(poster ? { poster } : {}),
      });
      const chromium = format === 'pdf' || format === 'png' || format === 'svg' ? ` — ${t.chromium(findChromium() ?? '?')}` : '';
      ctx.out(`${t.exported(NAMES[format], res.files, res.bytes)}${chromium}`);
      return 0;
    });
  },
};

/** CLI commands of the exchange area. */
export const exchangeCommands: Command[] = [importCommand, exportCommand];
