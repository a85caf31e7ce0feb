/**
 * Issue 3 end to end, in Chromium against the browser build: create a map, add people and lines
 * through the UI, reload and find them again, and check the .powermap file itself. Also: the
 * browser build opened with a map path draws that map (names listed, legend shown), and errors
 * come out as clear messages.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createFromJson, readSample } from '../../services/sample';
import { REPO, closeBrowser, makeTmpDir, removeTmpDirs, startWebApp } from '../helpers/browser';
import { byTestId, createMapFromWelcome, edgeCount, keyboardConnect, listedNames, quickAdd, selectPerson, waitForPeople } from './ui';

afterAll(async () => {
  await closeBrowser();
  removeTmpDirs();
});

describe('browser build, end to end', () => {
  it('creates a map, adds people and lines, finds them after a reload, and they are in the file', async () => {
    const app = await startWebApp();
    const file = path.join(app.docsDir, 'Harbour Bank - Core banking.powermap');
    try {
      const { page } = app;
      await createMapFromWelcome(page, file, 'Harbour Bank', 'Core banking');
      expect(fs.existsSync(file)).toBe(true);
      await expect(page.locator(byTestId('map-title')).textContent()).resolves.toContain('Harbour Bank');

      await quickAdd(page, 'Alma Ortiz, Chief information officer, IT centre');
      await quickAdd(page, 'Bert Lang, Head of planning, Planning');
      await quickAdd(page, '陈静, 采购经理, 采购部');
      await waitForPeople(page, 3);
      expect((await listedNames(page)).sort()).toEqual(['Alma Ortiz', 'Bert Lang', '陈静'].sort());

      // Quick add split the line into name, title and department.
      await selectPerson(page, 'Bert Lang');
      expect(await page.inputValue(byTestId('person-title'))).toBe('Head of planning');
      expect(await page.inputValue(byTestId('person-department'))).toBe('Planning');
      // Edit in the inspector: attitude and a note.
      await page.click(`${byTestId('person-attitude')} [data-value="supporter"]`);
      await page.fill(byTestId('person-notes'), 'Drafts the solution framework');
      await page.locator(byTestId('person-name')).focus(); // blur commits

      await keyboardConnect(page, 'Bert Lang', 'Alma Ortiz', 'reports_to');
      await keyboardConnect(page, '陈静', 'Bert Lang', 'alliance');
      expect(await edgeCount(page, 'reports_to')).toBe(1);
      expect(await edgeCount(page, 'alliance')).toBe(1);

      // Reload the page: everything comes back from the main side.
      await page.reload();
      await page.waitForSelector(byTestId('workspace'));
      await waitForPeople(page, 3);
      expect((await listedNames(page)).sort()).toEqual(['Alma Ortiz', 'Bert Lang', '陈静'].sort());
      expect(await edgeCount(page, 'reports_to')).toBe(1);
      await selectPerson(page, 'Bert Lang');
      expect(await page.inputValue(byTestId('person-notes'))).toBe('Drafts the solution framework');
      expect(await page.locator(`${byTestId('person-attitude')} [aria-checked="true"]`).getAttribute('data-value')).toBe('supporter');
      await expect(page.locator(byTestId('person-lines')).textContent()).resolves.toContain('Alma Ortiz');
    } finally {
      await app.stop();
    }

    // The file on disk (the server has closed it, releasing its lock).
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      const people = db.prepare('SELECT id, name, title, department, attitude, notes FROM person ORDER BY name').all() as {
        id: string;
        name: string;
        title: string;
        department: string;
        attitude: string;
        notes: string;
      }[];
      expect(people.map((p) => p.name).sort()).toEqual(['Alma Ortiz', 'Bert Lang', '陈静'].sort());
      const bert = people.find((p) => p.name === 'Bert Lang')!;
      expect(bert).toMatchObject({ title: 'Head of planning', department: 'Planning', attitude: 'supporter', notes: 'Drafts the solution framework' });
      const alma = people.find((p) => p.name === 'Alma Ortiz')!;
      const chen = people.find((p) => p.name === '陈静')!;
      expect(chen).toMatchObject({ title: '采购经理', department: '采购部' });
      const rels = db.prepare('SELECT kind, source, target FROM relation ORDER BY kind').all();
      expect(rels).toEqual([
        { kind: 'alliance', source: chen.id, target: bert.id },
        { kind: 'reports_to', source: bert.id, target: alma.id },
      ]);
      const meta = db.prepare('SELECT account, deal FROM map_meta').get();
      expect(meta).toEqual({ account: 'Harbour Bank', deal: 'Core banking' });
    } finally {
      db.close();
    }
  });

  it('opened with a map path, draws that map with its people listed and the legend visible', async () => {
    const dir = makeTmpDir();
    const file = path.join(dir, 'bank.powermap');
    const data = readSample(path.join(REPO, 'resources'));
    await (await createFromJson(file, data)).close();
    const app = await startWebApp({ mapPath: file });
    try {
      const { page } = app;
      await page.waitForSelector(byTestId('workspace'));
      await waitForPeople(page, data.people.length);
      const names = await listedNames(page);
      expect(names.sort()).toEqual(data.people.map((p) => p.name).sort());
      await expect(page.locator(byTestId('legend')).isVisible()).resolves.toBe(true);
      await expect(page.locator(byTestId('legend-conflict')).isVisible()).resolves.toBe(true);
      // Every person and every line is drawn on the canvas.
      const drawn = await page.evaluate(() => {
        const cy = (globalThis as unknown as import('./ui').PageGlobals).__powermap!.cy;
        return { people: cy.nodes('[kind = "person"]').length, relations: cy.edges().filter((e) => e.id().startsWith('r:')).length };
      });
      expect(drawn).toEqual({ people: data.people.length, relations: data.relations.length });
    } finally {
      await app.stop();
    }
  });

  it('shows a clear message for a file that is not a map, and the file is untouched', async () => {
    const app = await startWebApp();
    try {
      const { page } = app;
      const bogus = path.join(app.docsDir, 'notes.powermap');
      fs.mkdirSync(app.docsDir, { recursive: true });
      fs.writeFileSync(bogus, 'just some text, not a database');
      const before = fs.readFileSync(bogus);
      await page.waitForSelector(byTestId('welcome'));
      await page.fill(byTestId('open-path'), bogus);
      await page.click(byTestId('open-map'));
      await expect(page.locator(byTestId('error')).textContent()).resolves.toMatch(/not a PowerMap map/);
      expect(fs.readFileSync(bogus).equals(before)).toBe(true);
      // A path that does not exist.
      await page.fill(byTestId('open-path'), path.join(app.docsDir, 'missing.powermap'));
      await page.click(byTestId('open-map'));
      await expect.poll(() => page.locator(byTestId('error')).textContent()).toMatch(/was not found/);
      // Still the welcome screen, not a blank page.
      await expect(page.locator(byTestId('welcome')).isVisible()).resolves.toBe(true);
    } finally {
      await app.stop();
    }
  });
});
