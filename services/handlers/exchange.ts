import fs from 'node:fs';
import path from 'node:path';
import type { exchangeMethods } from '../../shared/api/exchange';
import { ApiError } from '../../shared/api/errors';
import { checkTargets, writeFilesAtomic } from '../exchange/files';
import { renderImage, renderPdf, renderPortfolioPdf } from '../exchange/render';
import { portfolioSheetCsv } from '../../shared/exchange/portfolio-sheet';
import { readSnapshot } from '../time/snapshots';
import {
  csvPreview,
  exportData,
  exportTargets,
  importCsvFiles,
  importJsonFile,
  readCsv,
  readMapData,
  withExportExtension,
} from '../exchange/service';
import { sessionLang } from '../lang';
import { adopt, withMapExtension } from '../map/files';
import type { HandlersFor } from './types';


const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Checks that image data from the renderer is what it claims to be. */
function imageBytes(format: 'png' | 'svg', data: string): Buffer {
  if (format === 'png') {
    const buf = Buffer.from(data.replace(/^data:image\/png;base64,/, ''), 'base64');
    if (buf.length < 8 || !buf.subarray(0, 8).equals(PNG_MAGIC)) throw new ApiError('BAD_REQUEST', 'The image is not a PNG');
    return buf;
  }
  const head = data.slice(0, 512).trimStart();
  if (!/^(<\?xml[^>]*>\s*)?<svg[\s>]/.test(head)) throw new ApiError('BAD_REQUEST', 'The image is not an SVG');
  if (/<script|<foreignObject/i.test(data)) throw new ApiError('BAD_REQUEST', 'The SVG holds script or foreign content');
  return Buffer.from(data.startsWith('<?xml') ? data : `<?xml version="1.0" encoding="UTF-8"?>\n${data}`, 'utf8');
}

export const exchangeHandlers: HandlersFor<typeof exchangeMethods> = {
  'exchange.previewCsv': (i, s) => {
    const lang = sessionLang(s);
    return csvPreview(readCsv(path.resolve(i.peoplePath), i.relationsPath ? path.resolve(i.relationsPath) : null, lang), lang);
  },

  'exchange.importCsv': async (i, s) => {
    const target = path.resolve(withMapExtension(i.path));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    const { store } = await importCsvFiles(path.resolve(i.peoplePath), i.relationsPath ? path.resolve(i.relationsPath) : null, target, {
      lang: sessionLang(s),
      meta: i.meta,
    });
    return adopt(s, store);
  },

  'exchange.importJson': async (i, s) => {
    const target = path.resolve(withMapExtension(i.path));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    return adopt(s, await importJsonFile(path.resolve(i.jsonPath), target));
  },

  'exchange.export': async (i, s) => {
    const store = s.requireStore();
    const lang = i.lang ?? sessionLang(s);
    const target = withExportExtension(path.resolve(i.path), i.format);
    // A bare file name goes to the PowerMap documents folder, which may not exist yet.
    const docs = path.resolve(s.paths.documentsDir);
    if (path.dirname(target) === docs) fs.mkdirSync(docs, { recursive: true });
    if (i.format === 'json' || i.format === 'csv' || i.format === 'graphml')
      return exportData(store, { format: i.format, target, includePersonal: i.includePersonal, layout: i.layout, overwrite: i.overwrite, lang });
    // Refuse before the slow part, then write aside and rename once the bytes exist.
    checkTargets(exportTargets(i.format, target), i.overwrite);
    if (i.since) await readSnapshot(store, i.since); // NOT_FOUND, or a snapshot that cannot be opened, before the slow part
    const opts = { includePersonal: i.includePersonal, layout: i.layout, pageSize: i.pageSize, lang, since: i.since ?? null, coveragePage: i.coveragePage, legend: i.legend, poster: i.poster ?? null };
    const bytes = i.format === 'pdf' ? await renderPdf(s, opts) : await renderImage(s, opts, i.format, i.scale);
    writeFilesAtomic([{ target, data: bytes }], i.overwrite);
    return { files: [target], bytes: bytes.length };
  },

  'exchange.writeImage': (i) => {
    const target = withExportExtension(path.resolve(i.path), i.format);
    const bytes = imageBytes(i.format, i.data);
    writeFilesAtomic([{ target, data: bytes }], i.overwrite);
    return { files: [target], bytes: bytes.length };
  },

  'exchange.exportPortfolio': async (i, s) => {
    const lang = i.lang ?? sessionLang(s);
    const target = withExportExtension(path.resolve(i.path), i.format);
    checkTargets([target], i.overwrite);
    const bytes = i.format === 'csv' ? Buffer.from(portfolioSheetCsv(i.rows, lang), 'utf8') : await renderPortfolioPdf(s, i.rows, lang);
    writeFilesAtomic([{ target, data: bytes }], i.overwrite);
    return { files: [target], bytes: bytes.length };
  },

  'exchange.portfolioData': (_i, s) => s.portfolioPrint ?? { rows: [], generatedAt: new Date().toISOString() },

  'exchange.reportData': async (i, s) => {
    const store = s.requireStore();
    return {
      ...(await readMapData(store, i.includePersonal)),
      generatedAt: new Date().toISOString(),
      fileName: store.kind === 'file' ? path.basename(store.location.path, '.powermap') : store.location.name,
    };
  },
};
