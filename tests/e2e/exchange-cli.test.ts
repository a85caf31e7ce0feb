/**
 * The exchange CLI as a user runs it (dist/ built): import and export summaries and refusals, and
 * what a kill at a random moment leaves behind — never a partial file at the target.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openMapFile } from '../../services/map/files';
import { counts } from '../../services/map/read';
import { makeTmpDir, removeTmpDirs } from '../helpers/browser';
import { REPO } from '../helpers/session';
import { bigCsv } from '../unit/exchange-helpers';

const CLI = path.join(REPO, 'bin', 'powermap.cjs');
const FIX = path.join(REPO, 'tests', 'fixtures', 'csv');
afterAll(() => removeTmpDirs());

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, LANG: 'en_US.UTF-8', LC_ALL: '' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('powermap import / export', () => {
  it('imports CSV with a one-line summary, refuses bad files line by line, never overwrites without --force', () => {
    const dir = makeTmpDir('powermap-cli-');
    const out = path.join(dir, 'deal.powermap');
    let r = cli(['import', path.join(FIX, 'people-zh-gb18030.csv'), '--relations', path.join(FIX, 'relations-zh-gb18030.csv'), '-o', out]);
    expect(r.code).toBe(0);
    expect(r.out.trim().split('\n')).toHaveLength(1);
    expect(r.out).toMatch(/^Imported 4 people, 5 relations and 2 team members into deal\.powermap \(people-zh-gb18030\.csv: GB18030, comma/);
    r = cli(['import', path.join(FIX, 'people-en.csv'), '-o', out]);
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/deal\.powermap already exists/);
    r = cli(['import', path.join(FIX, 'people-en.csv'), '-o', out, '--force']);
    expect(r.code).toBe(0);
    const bad = path.join(dir, 'bad.powermap');
    r = cli(['import', path.join(FIX, 'bad-unknown-values.csv'), '-o', bad]);
    expect(r.code).toBe(1);
    const lines = r.err.trim().split('\n');
    expect(lines).toHaveLength(5); // the summary line and one per problem
    expect(lines.slice(1).every((l) => /bad-unknown-values\.csv row \d, column \w+: unknown value/.test(l))).toBe(true);
    expect(r.err).not.toMatch(/\bat \w+ \(/); // no stack trace
    expect(fs.existsSync(bad)).toBe(false);
  });

  it('exports JSON that imports back, and CSV as two files', () => {
    const dir = makeTmpDir('powermap-cli-');
    const map = path.join(dir, 'a.powermap');
    expect(cli(['import', path.join(FIX, 'people-zh-bom.csv'), '--relations', path.join(FIX, 'relations-zh-bom.csv'), '-o', map]).code).toBe(0);
    const json = path.join(dir, 'a.json');
    let r = cli(['export', map, '--format', 'json', '-o', json]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Exported JSON to .*a\.json \(\d+ kB\)\n$/);
    r = cli(['import', json, '-o', path.join(dir, 'b.powermap')]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Imported 5 people, 7 relations and 2 team members/);
    r = cli(['export', map, '--format', 'csv', '-o', path.join(dir, 'out.csv')]);
    expect(r.code).toBe(0);
    expect(fs.existsSync(path.join(dir, 'out-people.csv'))).toBe(true);
    expect(fs.existsSync(path.join(dir, 'out-relations.csv'))).toBe(true);
    r = cli(['export', map, '--format', 'csv', '-o', path.join(dir, 'out.csv')]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/out-people\.csv already exists/);
    r = cli(['export', map, '--format', 'tiff', '-o', path.join(dir, 'x.tiff')]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--format must be one of pdf, png, svg, json, csv, graphml/);
  });

  it('a JSON export killed at random moments leaves no partial file at its target', async () => {
    const dir = makeTmpDir('powermap-kill-');
    const f = bigCsv(dir, 10_000);
    const map = path.join(dir, 'big.powermap');
    expect(cli(['import', f.people, '--relations', f.relations, '-o', map]).code).toBe(0);
    let complete = 0;
    let absent = 0;
    for (let i = 0; i < 12; i++) {
      const target = path.join(dir, `kill-${i}.json`);
      const child = spawn(process.execPath, [CLI, 'export', map, '--format', 'json', '-o', target], { stdio: 'ignore' });
      const exited = new Promise((r) => child.once('exit', r));
      await new Promise((r) => setTimeout(r, 150 + Math.random() * 900));
      child.kill('SIGKILL');
      await exited;
      if (fs.existsSync(target)) {
        const data = JSON.parse(fs.readFileSync(target, 'utf8')); // whole, or JSON.parse throws
        expect(data.people).toHaveLength(10_000);
        complete++;
      } else absent++;
    }
    expect(complete + absent).toBe(12);
    expect(absent).toBeGreaterThan(0); // some kills did land mid-export
  });

  it('an import killed at random moments leaves no map or the whole map', async () => {
    const dir = makeTmpDir('powermap-kill-');
    const f = bigCsv(dir, 10_000);
    let whole = 0;
    let none = 0;
    for (let i = 0; i < 10; i++) {
      const target = path.join(dir, `kill-${i}.powermap`);
      const child = spawn(process.execPath, [CLI, 'import', f.people, '--relations', f.relations, '-o', target], { stdio: 'ignore' });
      const exited = new Promise((r) => child.once('exit', r));
      await new Promise((r) => setTimeout(r, 150 + Math.random() * 1200));
      child.kill('SIGKILL');
      await exited;
      if (fs.existsSync(target)) {
        const db = new Database(target, { readonly: true });
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
        db.close();
        const store = await openMapFile(target);
        expect((await counts(store)).people).toBe(10_000);
        expect((await counts(store)).relations).toBe(20_000);
        await store.close();
        whole++;
      } else none++;
    }
    expect(whole + none).toBe(10);
    expect(none).toBeGreaterThan(0);
  });
});
