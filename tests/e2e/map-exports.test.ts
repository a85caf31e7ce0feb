/**
 * The map as it leaves the app (issue 14): the deal-review PDF's map page read back with poppler,
 * and PNG/SVG pictures that stand alone — title, date, legend of what is shown, margins; the legend
 * can be left out; the PNG the same size whatever the screen's pixel ratio; a coverage page on
 * request. From the CLI (system Chromium) and from the browser build's export panel.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFromJson, readSample } from '../../services/sample';
import type { MapJson } from '../../shared/exchange/json-format';
import { AXIS_TITLE, QUADRANT_TITLE } from '../../shared/visual/grid';
import { ATTITUDE_COLOR } from '../../shared/visual/style';
import { REPO, closeBrowser, getBrowser, makeTmpDir, removeTmpDirs, startServer } from '../helpers/browser';
import { byTestId } from './ui';

const CLI = path.join(REPO, 'bin', 'powermap.cjs');
const cli = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, LANG: 'en_US.UTF-8', LC_ALL: '' } });
const pdftotext = (file: string, page?: number) =>
  execFileSync('pdftotext', ['-enc', 'UTF-8', ...(page ? ['-f', String(page), '-l', String(page)] : []), file, '-'], { encoding: 'utf8' });
const squash = (s: string) => s.replace(/\s+/g, '');
const pngSize = (f: string) => {
  const b = fs.readFileSync(f);
  expect(b.subarray(1, 4).toString()).toBe('PNG');
  return { w: b.readUInt32BE(16), h: b.readUInt32BE(20) };
};

let dir = '';
let sample = '';
let data: MapJson;
beforeAll(async () => {
  dir = makeTmpDir('powermap-exports-');
  sample = path.join(dir, 'bank.powermap');
  data = readSample(path.join(REPO, 'resources')) as MapJson;
  await (await createFromJson(sample, data)).close();
});
afterAll(async () => {
  await closeBrowser();
  removeTmpDirs();
});

/** Which of `colours` appear in a horizontal band of the PNG (decoded in Chromium). */
async function pngColours(file: string, band: { y1: number; y2: number }, colours: string[]): Promise<{ found: string[]; dark: number }> {
  const page = await (await getBrowser()).newPage();
  try {
    const url = `data:image/png;base64,${fs.readFileSync(file).toString('base64')}`;
    return await page.evaluate(
      async ({ url, band, colours }) => {
        const img = await createImageBitmap(await (await fetch(url)).blob());
        const c = new OffscreenCanvas(img.width, img.height);
        const ctx = c.getContext('2d')!;
        ctx.drawImage(img, 0, 0);
        const y1 = Math.max(0, Math.round(band.y1 < 0 ? img.height + band.y1 : band.y1));
        const y2 = Math.min(img.height, Math.round(band.y2 <= 0 ? img.height + band.y2 : band.y2));
        const px = ctx.getImageData(0, y1, img.width, Math.max(1, y2 - y1)).data;
        const want = colours.map((h) => [parseInt(h.slice(1, 3), 16), parseInt(h.slice(3, 5), 16), parseInt(h.slice(5, 7), 16)]);
        const found = new Set<number>();
        let dark = 0;
        for (let i = 0; i < px.length; i += 4) {
          if (px[i]! + px[i + 1]! + px[i + 2]! < 200) dark++;
          want.forEach((w, k) => {
            if (Math.abs(px[i]! - w[0]!) < 6 && Math.abs(px[i + 1]! - w[1]!) < 6 && Math.abs(px[i + 2]! - w[2]!) < 6) found.add(k);
          });
        }
        return { found: [...found].map((k) => colours[k]!), dark };
      },
      { url, band, colours },
    );
  } finally {
    await page.close();
  }
}

describe('the PDF map page', () => {
  it('shows names and titles on the org chart page, and a coverage page only when asked', () => {
    const pdf = path.join(dir, 'org.pdf');
    const r = cli(['export', sample, '--format', 'pdf', '-o', pdf]);
    expect(r.status, r.stderr).toBe(0);
    const page2 = squash(pdftotext(pdf, 2));
    expect(page2).toContain('Powermap');
    for (const p of data.people) {
      expect(page2).toContain(squash(p.name));
      // The title as printed on the card (the start of it at least: long ones are cut with "…").
      expect(page2, p.title).toContain(squash(p.title).slice(0, 4));
    }
    expect(page2).toContain('President');
    expect(page2).toContain('Chiefengineer');
    // The legend names what the map shows, in the report's language.
    expect(page2).toContain(squash('Attitude toward us'));
    expect(page2).toContain('Conflict');
    // No coverage page unless asked; with it, our team and who they cover.
    expect(squash(pdftotext(pdf))).not.toContain('Ourcoverage');
    const withCov = path.join(dir, 'org-coverage.pdf');
    expect(cli(['export', sample, '--format', 'pdf', '-o', withCov, '--coverage-page']).status).toBe(0);
    const all = squash(pdftotext(withCov));
    expect(all).toContain('Ourcoverage');
    for (const m of data.team) expect(all).toContain(squash(m.name).slice(0, 3));
    expect(all).toContain('Notcoveredbyanyone');
    expect(cli(['export', sample, '--format', 'svg', '-o', path.join(dir, 'x.svg'), '--coverage-page']).stderr).toMatch(/--coverage-page goes with --format pdf/);
  });

  it('shows the power grid with its axes and quadrant names, in English and Chinese', () => {
    for (const lang of ['en-US', 'zh-CN'] as const) {
      const pdf = path.join(dir, `grid-${lang}.pdf`);
      const r = cli(['export', sample, '--format', 'pdf', '--layout', 'grid', '--lang', lang, '-o', pdf]);
      expect(r.status, r.stderr).toBe(0);
      const page2 = squash(pdftotext(pdf, 2));
      expect(page2).toContain(squash(AXIS_TITLE.x[lang]).replace('→', ''));
      expect(page2).toContain(squash(AXIS_TITLE.y[lang]).replace('↑', ''));
      for (const q of Object.values(QUADRANT_TITLE)) expect(page2, q[lang]).toContain(squash(q[lang]));
      for (const p of data.people) expect(page2).toContain(squash(p.name));
    }
    // The map page's text is real text in an embedded font, not paths.
    const fonts = execFileSync('pdffonts', ['-f', '2', '-l', '2', path.join(dir, 'grid-zh-CN.pdf')], { encoding: 'utf8' });
    expect(fonts.split('\n').length).toBeGreaterThan(3);
  });
});

describe('PNG and SVG that stand alone', () => {
  it('carry the title, the date, a legend of what is shown and margins; the legend can be left out', async () => {
    const svgFile = path.join(dir, 'org.svg');
    expect(cli(['export', sample, '--format', 'svg', '-o', svgFile]).status).toBe(0);
    const svg = fs.readFileSync(svgFile, 'utf8');
    expect(svg).toContain(`<title>${data.meta.account} — ${data.meta.deal}</title>`);
    expect(svg).toMatch(/Org chart · \w+ \d{1,2}, \d{4}/);
    expect(svg).toContain('class="legend"');
    for (const word of ['Attitude toward us', 'Champion', 'Reports to', 'Conflict', 'Decision maker', 'Coach']) expect(svg).toContain(word);
    // Only what is shown: the sample has no strong opponent and the map page has no team.
    expect(svg).not.toContain('Strong opponent');
    expect(svg).not.toContain('Our team member');
    // Margins: the map sits inside the picture, not against its edge.
    const inner = /<svg x="([\d.]+)" y="([\d.]+)"[^>]* width="(\d+)" height="(\d+)"/.exec(svg)!;
    const outer = /^<svg[^>]* width="([\d.]+)" height="([\d.]+)"/m.exec(svg.replace(/^<\?xml[^>]*>\s*/, ''))!;
    expect(Number(inner[1])).toBeGreaterThanOrEqual(24);
    expect(Number(inner[2])).toBeGreaterThanOrEqual(24 + 20);
    expect(Number(outer[1])).toBeGreaterThanOrEqual(Number(inner[1]) + Number(inner[3]) + 24);
    const bare = path.join(dir, 'org-bare.svg');
    expect(cli(['export', sample, '--format', 'svg', '-o', bare, '--no-legend']).status).toBe(0);
    const bareSvg = fs.readFileSync(bare, 'utf8');
    expect(bareSvg).not.toContain('class="legend"');
    expect(bareSvg).toContain(`<title>${data.meta.account}`);

    const png = path.join(dir, 'org.png');
    const pngBare = path.join(dir, 'org-bare.png');
    expect(cli(['export', sample, '--format', 'png', '--scale', '1', '-o', png]).status).toBe(0);
    expect(cli(['export', sample, '--format', 'png', '--scale', '1', '-o', pngBare, '--no-legend']).status).toBe(0);
    const a = pngSize(png);
    const b = pngSize(pngBare);
    expect(a.w).toBeGreaterThan(600);
    expect(a.h - b.h).toBeGreaterThan(30); // the legend's strip
    // The title is drawn in the top band; the legend's attitude swatches in the bottom band.
    const top = await pngColours(png, { y1: 20, y2: 50 }, []);
    expect(top.dark).toBeGreaterThan(500);
    const bottom = await pngColours(png, { y1: -90, y2: 0 }, [ATTITUDE_COLOR.champion, ATTITUDE_COLOR.opponent]);
    expect(bottom.found.sort()).toEqual([ATTITUDE_COLOR.champion, ATTITUDE_COLOR.opponent].sort());
    const bareBottom = await pngColours(pngBare, { y1: -20, y2: 0 }, [ATTITUDE_COLOR.champion]);
    expect(bareBottom.found).toEqual([]);
  });

  it('exports the same framed PNG from the browser build on a screen with pixel ratio 2', async () => {
    // The CLI's 1× picture first (the browser build then holds the map open).
    const cliPng = path.join(dir, 'org-1x.png');
    expect(cli(['export', sample, '--format', 'png', '--scale', '1', '-o', cliPng]).status).toBe(0);
    const server = await startServer({ mapPath: sample });
    const context = await (await getBrowser()).newContext({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 2 });
    const page = await context.newPage();
    try {
      await page.goto(server.url);
      await page.waitForSelector(byTestId('workspace'));
      await page.click(byTestId('tab-exchange'));
      const section = page.locator('.exchange .xch-section').first();
      await section.locator('select').first().selectOption('png');
      expect(await section.locator(byTestId('export-legend')).isChecked()).toBe(true);
      const target = path.join(server.docsDir, 'ui-export.png');
      await section.locator('input[type="text"]').fill(target);
      await section.locator('.xch-primary').click();
      await expect.poll(() => fs.existsSync(target), { timeout: 30_000 }).toBe(true);
      await page.waitForSelector('.exchange .xch-ok');
      // Scale 2 (the panel's default) at pixel ratio 2: twice the CLI's 1× picture, not four times.
      const ui = pngSize(target);
      const one = pngSize(cliPng);
      expect(Math.abs(ui.w / one.w - 2)).toBeLessThan(0.05);
      expect(Math.abs(ui.h / one.h - 2)).toBeLessThan(0.05);
    } finally {
      await context.close();
      await server.stop();
    }
  });

  it('exports an A2 poster from the panel: a PNG that fills the sheet at 150 dpi, an SVG sized in mm', async () => {
    const server = await startServer({ mapPath: sample });
    const context = await (await getBrowser()).newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    try {
      await page.goto(server.url);
      await page.waitForSelector(byTestId('workspace'));
      await page.click(byTestId('tab-exchange'));
      const section = page.locator('.exchange .xch-section').first();
      const run = async (format: 'png' | 'svg') => {
        await section.locator('select').first().selectOption(format);
        await section.locator(byTestId('export-poster')).selectOption('A2');
        const target = path.join(server.docsDir, `poster.${format}`);
        await section.locator('input[type="text"]').fill(target);
        await section.locator('.xch-primary').click();
        await expect.poll(() => fs.existsSync(target), { timeout: 60_000 }).toBe(true);
        await page.waitForSelector('.exchange .xch-ok');
        return target;
      };
      // A2 is 594 × 420 mm: 3508 × 2480 px at 150 dpi; the picture keeps its proportions and fills one side.
      const png = pngSize(await run('png'));
      expect(png.w).toBeLessThanOrEqual(3509);
      expect(png.h).toBeLessThanOrEqual(2481);
      expect(Math.max(png.w / 3508, png.h / 2480)).toBeGreaterThan(0.99);
      const svg = fs.readFileSync(await run('svg'), 'utf8');
      expect(svg).toMatch(/<svg [^>]*width="594mm" height="420mm"/);
    } finally {
      await context.close();
      await server.stop();
    }
  });
});
