import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FONT_FAMILY, FONT_STACK, coversAny, parseUnicodeRange } from '../../shared/fonts';
import { REPO } from '../helpers/session';

const PKG = path.join(REPO, 'node_modules', '@fontsource', 'noto-sans-sc');

describe('the bundled font', () => {
  it('reads CSS unicode-ranges (single points, intervals, wildcards)', () => {
    expect(parseUnicodeRange('U+4e00-4e0f, U+20ac,U+3??')).toEqual([
      [0x4e00, 0x4e0f],
      [0x20ac, 0x20ac],
      [0x300, 0x3ff],
    ]);
    const r = parseUnicodeRange('U+94b1,U+7acb-7acc');
    expect(coversAny(r, '钱')).toBe(true);
    expect(coversAny(r, 'abc立')).toBe(true);
    expect(coversAny(r, 'abc')).toBe(false);
  });

  it('has a subset file in both weights for every range the app registers, and the ranges hold the sample names', () => {
    const table = JSON.parse(fs.readFileSync(path.join(PKG, 'unicode.json'), 'utf8')) as Record<string, string>;
    const files = new Set(fs.readdirSync(path.join(PKG, 'files')));
    const ranges: [number, number][] = [];
    for (const [key, range] of Object.entries(table)) {
      const subset = key.replace(/^\[(\d+)\]$/, '$1');
      const has400 = files.has(`noto-sans-sc-${subset}-400-normal.woff2`);
      expect(files.has(`noto-sans-sc-${subset}-700-normal.woff2`), subset).toBe(has400);
      if (has400) ranges.push(...parseUnicodeRange(range));
    }
    const sample = JSON.parse(fs.readFileSync(path.join(REPO, 'resources', 'samples', 'bank-tender.zh-CN.json'), 'utf8')) as {
      people: { name: string; title: string }[];
    };
    for (const p of sample.people) for (const ch of p.name + p.title) expect(coversAny(ranges, ch), ch).toBe(true);
    expect(FONT_STACK.startsWith(`"${FONT_FAMILY}"`)).toBe(true);
    expect(fs.readFileSync(path.join(PKG, 'LICENSE'), 'utf8')).toMatch(/SIL Open Font License/);
  });

  it('ships the licence of the fonts (SIL OFL) with the app, as the packages have it', () => {
    const shipped = fs.readFileSync(path.join(REPO, 'resources', 'licenses', 'fonts.txt'), 'utf8');
    for (const pkg of ['noto-sans-sc', 'noto-sans'])
      expect(shipped).toContain(fs.readFileSync(path.join(REPO, 'node_modules', '@fontsource', pkg, 'LICENSE'), 'utf8'));
  });
});
