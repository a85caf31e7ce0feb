/**
 * The CLI's and browser build's PDF engine (ChromiumPdfPrinter, the system Chromium) with the
 * shared print options (shared/exchange/print-options.ts), read back with poppler: a tagged PDF
 * with an outline, the page size the page's CSS asks for, backgrounds printed, and the @page
 * margins as the margins. The app's engine (Electron's printToPDF) gets the same values; no
 * Electron runs here, so tests/unit/print-options.test.ts and electron-pdf.test.ts check that side.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ChromiumPdfPrinter } from '../../services/exchange/chromium';
import { CHROMIUM_PATH, makeTmpDir, removeTmpDirs } from '../helpers/browser';

afterAll(() => removeTmpDirs());

const PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Print check</title><style>
@page { size: A3 landscape; margin: 12mm 12mm 14mm 12mm; }
body { margin: 0; font: 12pt sans-serif; }
h1 { margin: 0; }
.band { background: rgb(255, 136, 0); height: 40mm; }
</style></head><body data-ready="1">
<h1>Decision committee</h1><div class="band"></div><h2>Red flags</h2><p>No coach yet.</p>
</body></html>`;

/** Width, height and RGB bytes of a PPM (pdftoppm's default output). */
function readPpm(file: string) {
  const b = fs.readFileSync(file);
  const header = b.subarray(0, 64).toString('latin1');
  const m = /^P6\s+(\d+)\s+(\d+)\s+255\s/.exec(header)!;
  return { width: Number(m[1]), height: Number(m[2]), rgb: b.subarray(m[0].length) };
}

describe('the Chromium PDF engine with the shared print options', () => {
  it('prints a tagged PDF with an outline, at the CSS page size and margins, with backgrounds', async () => {
    const dir = makeTmpDir('powermap-print-');
    // The options say A4; the page says A3 landscape: preferCSSPageSize lets the page decide.
    const pdf = await new ChromiumPdfPrinter(CHROMIUM_PATH).printToPdf(`data:text/html;charset=utf-8,${encodeURIComponent(PAGE)}`, {
      pageSize: 'A4',
      landscape: false,
    });
    const file = path.join(dir, 'check.pdf');
    fs.writeFileSync(file, pdf);
    const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
    expect(info).toMatch(/^Tagged:\s+yes$/m);
    expect(info).toMatch(/^Page size:\s+119[01]\.\d+ x 841\.\d+ pts \(A3\)$/m); // landscape
    expect(pdf.toString('latin1')).toMatch(/\/Outlines \d+ 0 R/);
    // The first heading sits at the @page margin (12 mm ≈ 34 pt), not at an engine default.
    const bbox = execFileSync('pdftotext', ['-bbox', file, '-'], { encoding: 'utf8' });
    const [, x, y] = /<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>Decision<\/word>/.exec(bbox)!;
    expect(Number(x)).toBeGreaterThan(30);
    expect(Number(x)).toBeLessThan(40);
    expect(Number(y)).toBeLessThan(45);
    // The orange band is printed (backgrounds on).
    execFileSync('pdftoppm', ['-r', '20', '-f', '1', '-l', '1', file, path.join(dir, 'page')]);
    const ppm = readPpm(path.join(dir, fs.readdirSync(dir).find((f) => f.endsWith('.ppm'))!));
    let orange = 0;
    for (let i = 0; i < ppm.rgb.length; i += 3) if (ppm.rgb[i]! > 230 && Math.abs(ppm.rgb[i + 1]! - 136) < 25 && ppm.rgb[i + 2]! < 40) orange++;
    expect(orange).toBeGreaterThan(ppm.width * 5);
  });
});
