/**
 * Chinese that survives the PDF, whatever CJK fonts the machine has: the sample's deal review is
 * printed three times by the CLI's Chromium, each under its own fontconfig — Noto Sans CJK (CFF
 * outlines, which Chromium embeds as Type 3 glyphs, with 钱立明 read back as 钱⽴明) beside
 * WenQuanYi, WenQuanYi alone, and no CJK font at all — and read back with poppler. The report
 * draws with the bundled font (PowerMap Sans = Noto Sans SC, TrueType outlines), so each PDF has
 * no Type 3 font, the same fonts, and every name exactly.
 *
 * Noto Sans CJK must be installed (`apt-get install fonts-noto-cjk`; .ci/run does) or its folder
 * named in NOTO_CJK_DIR. Needs dist/ built.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFromJson, readSample } from '../../services/sample';
import type { MapJson } from '../../shared/exchange/json-format';
import { FONT_FAMILY, coversAny, parseUnicodeRange } from '../../shared/fonts';
import { REPO } from '../helpers/session';
import { makeTmpDir, removeTmpDirs } from '../helpers/browser';

const CLI = path.join(REPO, 'bin', 'powermap.cjs');

/** Font files the system's fontconfig knows for a pattern. */
const fcFiles = (pattern: string): string[] => {
  try {
    return execFileSync('fc-list', [pattern, 'file'], { encoding: 'utf8' })
      .split('\n')
      .map((l) => l.replace(/:\s*$/, '').trim())
      .filter(Boolean);
  } catch {
    return [];
  }
};
const dirsOf = (files: string[]) => [...new Set(files.map((f) => path.dirname(f)))];

function notoCjkDirs(): string[] {
  const extra = process.env.NOTO_CJK_DIR;
  if (extra && fs.existsSync(extra)) return [extra];
  return dirsOf(fcFiles(':family=Noto Sans CJK SC'));
}

/**
 * A fontconfig file that knows only the fonts in `dirs` (plus the system's usual rules), with
 * `prefer` first for sans-serif — as Debian's fonts-noto-cjk does (70-fonts-noto-cjk.conf).
 */
function fontconfig(dir: string, name: string, dirs: string[], prefer?: string): string {
  const file = path.join(dir, `${name}.conf`);
  const cache = path.join(dir, `cache-${name}`);
  fs.writeFileSync(
    file,
    `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n<fontconfig>\n` +
      dirs.map((d) => `  <dir>${d}</dir>\n`).join('') +
      `  <cachedir>${cache}</cachedir>\n  <include ignore_missing="yes">/etc/fonts/conf.d</include>\n` +
      (prefer ? `  <alias binding="strong"><family>sans-serif</family><prefer><family>${prefer}</family></prefer></alias>\n` : '') +
      `</fontconfig>\n`,
  );
  return file;
}

const fcMatch = (conf: string, pattern: string) =>
  execFileSync('fc-match', [pattern, 'family'], { encoding: 'utf8', env: { ...process.env, FONTCONFIG_FILE: conf } }).trim();

/** pdffonts' rows: name (subset prefix dropped) and type. */
function fontsOf(pdf: string): { name: string; type: string; line: string }[] {
  return execFileSync('pdffonts', [pdf], { encoding: 'utf8' })
    .split('\n')
    .slice(2)
    .filter(Boolean)
    .map((line) => ({ name: line.split(/\s+/)[0]!.replace(/^[A-Z]{6}\+/, ''), type: /Type 3|CID TrueType|TrueType|Type 1C?|CID Type 0C?/.exec(line)?.[0] ?? '?', line }));
}
const text = (pdf: string, ...args: string[]) => execFileSync('pdftotext', [...args, '-enc', 'UTF-8', pdf, '-'], { encoding: 'utf8' });
const squash = (s: string) => s.replace(/\s+/g, '');
/** Kangxi radicals and CJK radicals supplement: what a mis-mapped CJK glyph extracts as. */
const RADICALS = /[\u2e80-\u2fdf]/u;

let dir = '';
let sample: MapJson;
let mapFile = '';
const setups: { name: string; conf: string; expectMatch: RegExp }[] = [];

beforeAll(async () => {
  dir = makeTmpDir('powermap-fonts-');
  sample = readSample(path.join(REPO, 'resources'), 'zh-CN');
  mapFile = path.join(dir, 'sample.powermap');
  await (await createFromJson(mapFile, sample)).close();

  const wqy = dirsOf(fcFiles(':family=WenQuanYi Micro Hei'));
  const noto = notoCjkDirs();
  const latin = dirsOf(fcFiles(':family=DejaVu Sans'));
  if (!wqy.length) throw new Error('WenQuanYi Micro Hei is not installed: apt-get install fonts-wqy-microhei');
  if (!noto.length) throw new Error('Noto Sans CJK is not installed: apt-get install fonts-noto-cjk (or name its folder in NOTO_CJK_DIR)');
  setups.push(
    { name: 'noto-cjk+wqy', conf: fontconfig(dir, 'noto', [...noto, ...wqy, ...latin], 'Noto Sans CJK SC'), expectMatch: /Noto Sans CJK/ },
    { name: 'wqy-only', conf: fontconfig(dir, 'wqy', [...wqy, ...latin]), expectMatch: /WenQuanYi/ },
    { name: 'no-cjk-font', conf: fontconfig(dir, 'none', latin), expectMatch: /^(?!.*(CJK|WenQuanYi|Hei|Han|Ming|Song))/ },
  );
});
afterAll(() => removeTmpDirs());

describe('the sample deal review prints Chinese as text with every system font setup', () => {
  it('has no Type 3 font and returns every name exactly, the same with Noto Sans CJK, WenQuanYi or neither', () => {
    const names = [...sample.people.map((p) => p.name), ...sample.team.map((m) => m.name)];
    const fontLists: string[] = [];
    for (const s of setups) {
      // The setup is what it claims: the system's first choice for Chinese.
      expect(fcMatch(s.conf, 'sans-serif:lang=zh-cn'), s.name).toMatch(s.expectMatch);
      const pdf = path.join(dir, `${s.name}.pdf`);
      const r = spawnSync(process.execPath, [CLI, 'export', mapFile, '--format', 'pdf', '-o', pdf, '--lang', 'zh-CN', '--force'], {
        encoding: 'utf8',
        env: { ...process.env, FONTCONFIG_FILE: s.conf, LANG: 'zh_CN.UTF-8' },
      });
      expect(r.stderr, s.name).toBe('');
      expect(r.status, s.name).toBe(0);

      const fonts = fontsOf(pdf);
      expect(fonts.length, s.name).toBeGreaterThan(0);
      expect(fonts.filter((f) => f.type === 'Type 3').map((f) => f.line), s.name).toEqual([]);
      // Only the bundled family (Noto Sans SC for Chinese, Noto Sans for Latin): nothing depends
      // on what the machine has.
      expect(fonts.filter((f) => !/^NotoSans(SC)?(Thin)?-(Regular|Bold)$/.test(f.name)).map((f) => f.line), s.name).toEqual([]);
      expect(fonts.some((f) => f.name.startsWith('NotoSansSC')), s.name).toBe(true);
      fontLists.push([...new Set(fonts.map((f) => f.name))].sort().join(','));

      const all = text(pdf);
      expect(RADICALS.test(all), `${s.name}: a radical instead of a character`).toBe(false);
      // The map page (page 2) names every client person; our team's names are in the
      // stakeholder table (coverage lines are drawn on demand: issue 14 item 6).
      const mapPage = squash(text(pdf, '-f', '2', '-l', '2'));
      for (const p of sample.people) expect(mapPage, `${s.name}: ${p.name} on the map page`).toContain(squash(p.name));
      for (const n of names) expect(squash(all), `${s.name}: ${n}`).toContain(squash(n));
      for (const p of sample.people) expect(all, `${s.name}: ${p.name} as one word`).toContain(p.name);
    }
    expect(new Set(fontLists).size).toBe(1);
  });

  it('carries the font in an SVG export: the subsets every name needs, inline, in both weights where bold is drawn', () => {
    const svgFile = path.join(dir, 'sample.svg');
    const r = spawnSync(process.execPath, [CLI, 'export', mapFile, '--format', 'svg', '-o', svgFile, '--force'], {
      encoding: 'utf8',
      env: { ...process.env, FONTCONFIG_FILE: setups[2]!.conf },
    });
    expect(r.status, r.stderr).toBe(0);
    const svg = fs.readFileSync(svgFile, 'utf8');
    const faces = [...svg.matchAll(/@font-face\{([^}]*)\}/g)].map((m) => m[1]!);
    expect(faces.length).toBeGreaterThan(0);
    for (const f of faces) {
      expect(f).toContain(`font-family:"${FONT_FAMILY}"`);
      expect(f).toMatch(/src:url\(data:font\/woff2;base64,[A-Za-z0-9+/=]{100,}\)/);
    }
    // Every letter the SVG draws (names regular or bold, titles, the legend) is in an embedded subset.
    const ranges = faces.flatMap((f) => parseUnicodeRange(/unicode-range:([^;]+)/.exec(f)![1]!));
    const drawn = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!.replace(/&[a-z]+;|&#\d+;/g, '')).join('');
    for (const p of sample.people) expect(drawn, p.name).toContain(p.name);
    for (const ch of new Set(drawn.replace(/\s/g, ''))) expect(coversAny(ranges, ch), ch).toBe(true);
    expect(faces.some((f) => f.includes('font-weight:700'))).toBe(/font-weight="bold"/.test(svg));
  });
});
