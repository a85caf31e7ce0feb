/**
 * Prints that hold up (issue 22 item 4): a 300-person generated map (bench/lib/generate.ts, its
 * departments following its reporting tree: tests/helpers/big-map.ts) printed by the CLI's
 * Chromium, read back from the PDF itself with poppler.
 *
 * How the PDF is measured:
 * - Words and their boxes come from `pdftotext -bbox` (one box per word, in pt, per page).
 * - Font size from the box height. Poppler makes a word's box the font's ascent-to-descent span
 *   times the font size, so height = k × size with k set by the font (Noto Sans ≈ 1.36, Noto Sans
 *   SC ≈ 1.45). k is calibrated on the same PDF, on text whose size the report's CSS fixes: Latin
 *   from the page footer (7.5 pt, @page margin box, Report.tsx), Chinese from the Chinese names in
 *   the stakeholder table (8.5 pt, report.css). A word with any Chinese in it is read with the
 *   larger k, which can only make its size read smaller than it is.
 * - Overlap: two words overlap when their boxes share more than 0.5 pt across and more than 25 %
 *   of the lower word's height. The allowance is for stacked lines of one label: at line height
 *   1.25 the ascent-to-descent boxes of consecutive lines share ~8 % of a line without any glyph
 *   touching.
 * Every word on every map page is checked (names, titles, region labels, headings, legend), not
 * only names. Needs dist/ built.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFromJson } from '../../services/sample';
import type { MapJson } from '../../shared/exchange/json-format';
import { departmentalMap } from '../helpers/big-map';
import { makeTmpDir, removeTmpDirs } from '../helpers/browser';
import { REPO } from '../helpers/session';

const CLI = path.join(REPO, 'bin', 'powermap.cjs');
const FOOTER_PT = 7.5;
const TABLE_PT = 8.5;
const HAN = /[\u3400-\u9fff]/u;
const MIN_PT = 6;

interface Word {
  page: number;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  text: string;
}

const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');

function words(pdf: string): { words: Word[]; pageHeight: number } {
  const xml = execFileSync('pdftotext', ['-bbox', '-enc', 'UTF-8', pdf, '-'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const out: Word[] = [];
  let page = 0;
  let pageHeight = 0;
  for (const line of xml.split('\n')) {
    const p = /<page width="([\d.]+)" height="([\d.]+)">/.exec(line);
    if (p) {
      page++;
      pageHeight = Number(p[2]);
      continue;
    }
    const w = /<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">(.*)<\/word>/.exec(line);
    if (w) out.push({ page, x1: Number(w[1]), y1: Number(w[2]), x2: Number(w[3]), y2: Number(w[4]), text: unescape(w[5]!) });
  }
  return { words: out, pageHeight };
}

const texts = new Map<string, string>();
const pageText = (pdf: string, n: number) => {
  const key = `${pdf}#${n}`;
  if (!texts.has(key)) texts.set(key, execFileSync('pdftotext', ['-f', String(n), '-l', String(n), '-enc', 'UTF-8', pdf, '-'], { encoding: 'utf8' }));
  return texts.get(key)!;
};
const squash = (s: string) => s.replace(/\s+/g, '');

function exportPdf(file: string, out: string, layout: string, lang: string): void {
  const r = spawnSync(process.execPath, [CLI, 'export', file, '--format', 'pdf', '-o', out, '--layout', layout, '--lang', lang, '--force'], {
    encoding: 'utf8',
    env: { ...process.env, LANG: 'en_US.UTF-8', LC_ALL: '' },
  });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
}

interface Measured {
  mapPages: number[];
  minPt: number;
  minWord: string;
  overlaps: string[];
  refs: { name: string; pages: number[] }[];
}

/** Reads a big map's PDF: its page references, the map pages' words, sizes and overlaps. */
function measure(pdf: string, lang: 'en-US' | 'zh-CN', cjkNames: ReadonlySet<string>): Measured {
  const { words: all, pageHeight } = words(pdf);
  // The footer: the words in the bottom margin (14 mm) of page 2.
  const footer = all.filter((w) => w.page === 2 && w.y1 > pageHeight - (14 / 25.4) * 72);
  const latin = footer.filter((w) => !HAN.test(w.text) && /^[A-Za-z]+$/.test(w.text));
  expect(latin.length).toBeGreaterThan(2);
  const kLatin = Math.max(...latin.map((w) => (w.y2 - w.y1) / FOOTER_PT));

  // The overview (page 2) lists every department with its pages: "Finance → p.3; IT centre → p.4–6".
  const overview = pageText(pdf, 2);
  const refRe = lang === 'zh-CN' ? /([^；:：\n]+?)\s*→\s*第(\d+)(?:–(\d+))?页/g : /([^;:\n]+?)\s*→\s*p\.(\d+)(?:–(\d+))?/g;
  const noteStart = overview.indexOf(lang === 'zh-CN' ? '各部门页' : 'Departments:');
  expect(noteStart).toBeGreaterThanOrEqual(0);
  const note = overview.slice(noteStart).split(/\n\s*\n/)[0]!.replace(/\n/g, ' ');
  const refs = [...note.replace(/^[^:：]*[:：]/, '').matchAll(refRe)].map((m) => {
    const a = Number(m[2]);
    const b = m[3] ? Number(m[3]) : a;
    return { name: m[1]!.trim(), pages: Array.from({ length: b - a + 1 }, (_, i) => a + i) };
  });
  const mapPages = [2, ...refs.flatMap((r) => r.pages)];
  // The stakeholder table follows the map pages: its Chinese names are 8.5 pt.
  const table = all.filter((w) => w.page > Math.max(...mapPages) && cjkNames.has(w.text));
  expect(table.length).toBeGreaterThan(10);
  const kHan = Math.max(...table.map((w) => (w.y2 - w.y1) / TABLE_PT));
  const k = (w: Word) => (HAN.test(w.text) ? Math.max(kHan, kLatin) : kLatin);

  let minPt = Infinity;
  let minWord = '';
  const overlaps: string[] = [];
  for (const page of mapPages) {
    // Words on the page, above the footer.
    const ws = all.filter((w) => w.page === page && w.y1 < pageHeight - (14 / 25.4) * 72);
    for (const w of ws)
      if ((w.y2 - w.y1) / k(w) < minPt) {
        minPt = (w.y2 - w.y1) / k(w);
        minWord = `p.${page} "${w.text}"`;
      }
    for (let i = 0; i < ws.length; i++)
      for (let j = i + 1; j < ws.length; j++) {
        const a = ws[i]!;
        const b = ws[j]!;
        const ix = Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1);
        const iy = Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1);
        if (ix > 0.5 && iy > 0.25 * Math.min(a.y2 - a.y1, b.y2 - b.y1)) overlaps.push(`p.${page}: "${a.text}" × "${b.text}"`);
      }
  }
  return { mapPages, minPt, minWord, overlaps, refs };
}

let dir = '';
const cjk = () => new Set(map.people.filter((p) => HAN.test(p.name)).map((p) => p.name));
let map: MapJson;
let file = '';
beforeAll(async () => {
  dir = makeTmpDir('powermap-big-');
  map = departmentalMap(300);
  file = path.join(dir, 'big.powermap');
  await (await createFromJson(file, map)).close();
});
afterAll(() => removeTmpDirs());

describe('a 300-person map prints as an overview and departments’ pages that hold up', () => {
  it('org chart, en-US: every page reference leads to its department, every name is printed, none under 6 pt, none overlapping', { timeout: 240_000 }, () => {
    const pdf = path.join(dir, 'org.pdf');
    exportPdf(file, pdf, 'org', 'en-US');
    const m = measure(pdf, 'en-US', cjk());
    const depts = [...new Set(map.people.map((p) => p.department))];
    expect(m.refs.map((r) => r.name).sort()).toEqual(depts.sort());
    for (const r of m.refs)
      for (const n of r.pages) expect(pageText(pdf, n), `p.${n}`).toContain(`Power map · ${r.name}`);
    // The overview labels each department's region with its reference, on the map itself.
    const overviewRaw = squash(execFileSync('pdftotext', ['-raw', '-f', '2', '-l', '2', '-enc', 'UTF-8', pdf, '-'], { encoding: 'utf8' }));
    for (const r of m.refs) expect(overviewRaw.split(squash(`${r.name} → p.${r.pages[0]}`)).length - 1, r.name).toBeGreaterThanOrEqual(2);
    // Every person's full name is on their department's page(s).
    for (const p of map.people) {
      const ref = m.refs.find((r) => r.name === p.department)!;
      expect(squash(ref.pages.map((n) => pageText(pdf, n)).join('')), p.name).toContain(squash(p.name));
    }
    // Lines that leave a department's page say where they go: "Lines to other pages: Finance → p.5 (4 lines); …",
    // most lines first, each count and page as the map has them (checked on departments printed on one page).
    const deptOfId = new Map(map.people.map((p) => [p.id, p.department]));
    let checked = 0;
    for (const r of m.refs.filter((x) => x.pages.length === 1)) {
      const expected = new Map<string, number>();
      for (const rel of map.relations) {
        const a = deptOfId.get(rel.source);
        const b = deptOfId.get(rel.target);
        if (a === b || (a !== r.name && b !== r.name)) continue;
        const other = (a === r.name ? b : a)!;
        expected.set(other, (expected.get(other) ?? 0) + 1);
      }
      const text = pageText(pdf, r.pages[0]!).replace(/\s+/g, ' ');
      if (!expected.size) continue;
      const at = text.indexOf('Lines to other pages:');
      expect(at, `p.${r.pages[0]}`).toBeGreaterThanOrEqual(0);
      const items = [...text.slice(at).matchAll(/(?:: |; )([^;:]+?) → p\.(\d+) \((\d+) lines?\)/g)].map((x) => ({ name: x[1]!.trim(), page: Number(x[2]), n: Number(x[3]) }));
      expect(items.length, `p.${r.pages[0]}`).toBeGreaterThan(0);
      for (const it of items) {
        const dest = m.refs.find((x) => x.name === it.name)!;
        expect(dest.pages, `${r.name} → ${it.name}`).toContain(it.page);
        if (dest.pages.length === 1) expect(it.n, `${r.name} → ${it.name}`).toBe(expected.get(it.name));
      }
      for (let i = 1; i < items.length; i++) expect(items[i]!.n, 'most lines first').toBeLessThanOrEqual(items[i - 1]!.n);
      checked++;
    }
    expect(checked).toBeGreaterThan(0);
    console.log(`org chart: ${m.mapPages.length} map pages (p.2–${Math.max(...m.mapPages)}), smallest text ${m.minPt.toFixed(2)} pt (${m.minWord}), overlaps ${m.overlaps.length}`);
    expect(m.overlaps).toEqual([]);
    expect(m.minPt).toBeGreaterThanOrEqual(MIN_PT);
    expect(m.mapPages.length).toBeGreaterThan(2);
  });

  it('relationships, zh-CN: the same, with the references in Chinese', { timeout: 240_000 }, () => {
    const pdf = path.join(dir, 'force.pdf');
    exportPdf(file, pdf, 'force', 'zh-CN');
    const m = measure(pdf, 'zh-CN', cjk());
    expect(m.refs.length).toBe(new Set(map.people.map((p) => p.department)).size);
    for (const r of m.refs)
      for (const n of r.pages) expect(pageText(pdf, n), `第${n}页`).toContain(`权力地图 · ${r.name}`);
    console.log(`relationships: ${m.mapPages.length} map pages (p.2–${Math.max(...m.mapPages)}), smallest text ${m.minPt.toFixed(2)} pt (${m.minWord}), overlaps ${m.overlaps.length}`);
    expect(m.overlaps).toEqual([]);
    expect(m.minPt).toBeGreaterThanOrEqual(MIN_PT);
  });
});
