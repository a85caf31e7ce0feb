/**
 * Issue 21 in the deal-review PDF: the map page in the level × function layout (rows and columns
 * named, every person printed), and the plan page with a ticked next step marked done and listed
 * after the open ones; read back with pdftotext, pages rendered to PNG in docs/screenshots/
 * (pdf-levels-<lang>.png, pdf-plan-en.png). Also the PNG export in that layout. Needs dist/ built.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyze } from '../../shared/analysis';
import { documentOf } from '../../services/map/read';
import { openMapFile } from '../../services/map/files';
import { tickStep } from '../../services/map/rules';
import { createFromJson, readSample } from '../../services/sample';
import { FUNCTION_LABEL, LEVEL_LABEL } from '../../shared/i18n/domain';
import { REPO } from '../helpers/session';
import { makeTmpDir, removeTmpDirs } from '../helpers/browser';

afterAll(() => removeTmpDirs());
const CLI = path.join(REPO, 'bin', 'powermap.cjs');
const OUT = path.join(REPO, 'docs', 'screenshots');
const pdftotext = (file: string, page?: number) =>
  execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', ...(page ? ['-f', String(page), '-l', String(page)] : []), file, '-'], { encoding: 'utf8' });
const squash = (s: string) => s.replace(/\s+/g, '');
/** With POWERMAP_SHOTS set to a folder, the big map's first pages as PNG there, for a look. */
const dumpPages = (pdf: string, dir: string, pages: number) => {
  const to = process.env.POWERMAP_SHOTS;
  if (to) execFileSync('pdftoppm', ['-png', '-r', '50', '-f', '2', '-l', String(Math.min(pages, 4)), pdf, path.join(to, 'levels-big')]);
  void dir;
};

describe('the PDF in the level × function layout, with the plan', () => {
  for (const lang of ['en-US', 'zh-CN'] as const)
    it(`prints the grid and the ticked plan, ${lang}`, async () => {
      const dir = makeTmpDir();
      const file = path.join(dir, 'bank.powermap');
      const data = readSample(path.join(REPO, 'resources'), lang);
      await (await createFromJson(file, data)).close();
      // Tick the second step off, as the rep would after doing it.
      const store = await openMapFile(file);
      const before = analyze(await documentOf(store), { lang }).nextSteps;
      const ticked = before[1]!;
      await tickStep(store, ticked.id, true);
      await store.close();

      const pdf = path.join(dir, 'review.pdf');
      const env = { ...process.env, LANG: lang === 'zh-CN' ? 'zh_CN.UTF-8' : 'en_US.UTF-8', LC_ALL: '' };
      const r = spawnSync(process.execPath, [CLI, 'export', file, '--format', 'pdf', '-o', pdf, '--lang', lang, '--layout', 'levels'], { encoding: 'utf8', env });
      expect(r.status, r.stderr).toBe(0);
      // The map page (page 2): the grid's row and column names, and every person's name.
      const mapText = squash(pdftotext(pdf, 2));
      for (const l of Object.values(LEVEL_LABEL)) expect(mapText).toContain(squash(l[lang]));
      for (const f of Object.values(FUNCTION_LABEL)) expect(mapText).toContain(squash(f[lang]));
      for (const p of data.people) expect(mapText, p.name).toContain(squash(p.name));
      // The plan page (the last): the ticked step marked done and listed after every open one.
      const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }))![1]);
      const plan = pdftotext(pdf, pages);
      const lines = plan.split('\n').map((l) => l.trim()).filter(Boolean);
      const done = lang === 'en-US' ? '(done)' : '(已完成)';
      const doneAt = lines.findIndex((l) => l.includes(done));
      expect(doneAt, plan).toBeGreaterThan(0);
      expect(squash(lines.slice(doneAt - 3, doneAt + 1).join(''))).toContain(squash(ticked.text).slice(-12));
      expect(lines.filter((l) => l.includes(done))).toHaveLength(1);
      expect(squash(plan).indexOf(squash(before[0]!.text).slice(0, 20))).toBeLessThan(squash(plan).indexOf(squash(done)));

      fs.mkdirSync(OUT, { recursive: true });
      execFileSync('pdftoppm', ['-png', '-r', '70', '-f', '2', '-l', '2', pdf, path.join(dir, 'map')]);
      const mapPng = fs.readdirSync(dir).find((f) => f.startsWith('map') && f.endsWith('.png'))!;
      fs.copyFileSync(path.join(dir, mapPng), path.join(OUT, `pdf-levels-${lang === 'en-US' ? 'en' : 'zh-CN'}.png`));
      if (lang === 'en-US') {
        execFileSync('pdftoppm', ['-png', '-r', '70', '-f', String(pages), '-l', String(pages), pdf, path.join(dir, 'plan')]);
        const planPng = fs.readdirSync(dir).find((f) => f.startsWith('plan') && f.endsWith('.png'))!;
        fs.copyFileSync(path.join(dir, planPng), path.join(OUT, 'pdf-plan-en.png'));
        // The PNG export draws the same grid.
        const png = path.join(dir, 'levels.png');
        const p = spawnSync(process.execPath, [CLI, 'export', file, '--format', 'png', '-o', png, '--layout', 'levels'], { encoding: 'utf8', env });
        expect(p.status, p.stderr).toBe(0);
        expect(fs.readFileSync(png).subarray(1, 4).toString()).toBe('PNG');
        const svg = path.join(dir, 'levels.svg');
        const sv = spawnSync(process.execPath, [CLI, 'export', file, '--format', 'svg', '-o', svg, '--layout', 'levels', '--lang', 'zh-CN'], { encoding: 'utf8', env });
        expect(sv.status, sv.stderr).toBe(0);
        const svgText = fs.readFileSync(svg, 'utf8');
        for (const l of Object.values(LEVEL_LABEL)) expect(svgText).toContain(l['zh-CN']);
      }
    }, 180_000);
});

describe('a big map in the level × function layout', () => {
  it('prints as an overview and department pages like the power grid, everyone on them', async () => {
    const { departmentalMap } = await import('../helpers/big-map');
    const dir = makeTmpDir();
    const file = path.join(dir, 'big.powermap');
    const map = departmentalMap(300);
    await (await createFromJson(file, map)).close();
    const pdf = path.join(dir, 'big.pdf');
    const r = spawnSync(process.execPath, [CLI, 'export', file, '--format', 'pdf', '-o', pdf, '--lang', 'en-US', '--layout', 'levels'], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }))![1]);
    // Cover, overview, department pages, the tables and the plan: more than one map page.
    expect(pages).toBeGreaterThan(6);
    // The map pages are the ones with the grid's row names: the overview and the departments' pages.
    const mapPages: string[] = [];
    for (let n = 2; n <= pages; n++) {
      const t = squash(pdftotext(pdf, n));
      if (Object.values(LEVEL_LABEL).some((l) => t.includes(squash(l['en-US'])))) mapPages.push(t);
    }
    expect(mapPages.length).toBeGreaterThan(2);
    dumpPages(pdf, dir, pages);
    // The overview refers to each department's pages.
    expect(mapPages[0]).toMatch(/Departments:.*→p\.\d+/);
    // Everyone is on a map page: chips on the departments' pages (a long name is cut short with
    // "…", as on the power grid's chips, so its first characters are what is sure to print).
    const text = mapPages.join('');
    const missing = map.people.filter((p) => !text.includes(squash(p.name).slice(0, 3)));
    expect(missing.map((p) => p.name)).toEqual([]);
  }, 300_000);
});
