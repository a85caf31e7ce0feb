/**
 * Issue 20: the deal-review PDF of the sample map, read back with pdftotext: the cover says how
 * much of the map was verified within the threshold, each stakeholder row shows the source and
 * age of attitude and roles with unverified (?) and stale (⚠) facts marked, in English and Chinese; and
 * the map page marks them (rendered to PNG for a look).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createFromJson, readSample } from '../../services/sample';
import { verifiedShare } from '../../shared/evidence';
import { REPO } from '../helpers/session';
import { makeTmpDir, removeTmpDirs } from '../helpers/browser';

afterAll(() => removeTmpDirs());
const CLI = path.join(REPO, 'bin', 'powermap.cjs');
const pdftotext = (file: string) => execFileSync('pdftotext', ['-raw', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });

describe('the deal-review PDF shows how we know', () => {
  for (const lang of ['en-US', 'zh-CN'] as const)
    it(`sources, ages and the cover line, ${lang}`, async () => {
      const dir = makeTmpDir();
      const file = path.join(dir, 'bank.powermap');
      const data = readSample(path.join(REPO, 'resources'), lang);
      await (await createFromJson(file, data)).close();
      const share = verifiedShare({ people: data.people, relations: data.relations, meta: data.meta }, Date.now());
      const pdf = path.join(dir, 'review.pdf');
      const r = spawnSync(process.execPath, [CLI, 'export', file, '--format', 'pdf', '-o', pdf, '--lang', lang], {
        encoding: 'utf8',
        env: { ...process.env, LANG: lang === 'zh-CN' ? 'zh_CN.UTF-8' : 'en_US.UTF-8', LC_ALL: '' },
      });
      expect(r.status, r.stderr).toBe(0);
      const text = pdftotext(pdf);
      const flat = text.replace(/\s+/g, ' ');
      if (lang === 'en-US') {
        expect(flat).toContain(`${share.fresh} of 96 facts verified in the last 60 days`);
        // The president: attitude told by our coach 75 days ago, stale; roles from the public record.
        expect(flat).toMatch(/Zhao Guodong .*?⚠ ?Told by our coach · 75 d · stale/);
        expect(flat).toContain('Public record · 45 d');
        // Unverified: the vice-president for business's attitude is our guess.
        expect(flat).toMatch(/Sun Haiyan .*?\? ?Our guess · 40 d · unverified/);
        expect(flat).toContain('Unverified fact');
        expect(flat).toContain('Stale fact');
      } else {
        expect(flat.replace(/ /g, '')).toContain(`96条信息中有${share.fresh}条在最近60天内核实`);
        expect(flat.replace(/ /g, '')).toContain('⚠教练透露·75天·过时');
        expect(flat.replace(/ /g, '')).toContain('?推测·40天·未核实');
      }
      if (lang === 'en-US') {
        fs.mkdirSync(path.join(REPO, 'docs', 'screenshots'), { recursive: true });
        execFileSync('pdftoppm', ['-png', '-r', '70', '-f', '1', '-l', '3', pdf, path.join(dir, 'page')]);
        for (const [n, name] of [['2', 'pdf-map-evidence.png'], ['3', 'pdf-stakeholders-evidence.png']] as const) {
          const png = fs.readdirSync(dir).find((f) => f.startsWith('page') && f.endsWith(`-${n}.png`));
          expect(png).toBeDefined();
          fs.copyFileSync(path.join(dir, png!), path.join(REPO, 'docs', 'screenshots', name));
        }
      }
    }, 120_000);
});
