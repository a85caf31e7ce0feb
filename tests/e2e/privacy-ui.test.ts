/**
 * "Erase completely…" from the inspector, in the browser build in real Chromium: the dialog says
 * what erasing removes and that it cannot be undone; Del inside the dialog is not the map's
 * shortcut; Cancel erases nothing; confirming erases the person from the map, the undo history
 * and the snapshots, and the dialog stays with the result until closed; Ctrl+Z does not bring
 * them back. Screenshots of the dialog go to docs/screenshots. Needs dist/ built.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { callApi, closeBrowser, REPO, removeTmpDirs, startWebApp } from '../helpers/browser';
import { byTestId, selectPerson, waitForPeople, type PageGlobals } from './ui';

afterAll(async () => {
  await closeBrowser();
  removeTmpDirs();
});

const OUT = path.join(REPO, 'docs', 'screenshots');

const api = callApi;

describe('erasing a person from the inspector', () => {
  it('asks, erases everywhere, says what it did, and undo cannot bring them back', async () => {
    const app = await startWebApp({ viewport: { width: 1440, height: 900 } });
    const { page } = app;
    try {
      await page.waitForSelector(byTestId('welcome'));
      await page.click(byTestId('open-sample'));
      await page.waitForSelector(byTestId('workspace'));
      type Doc = { people: { id: string; name: string; title: string }[] };
      const doc = await api<Doc>(app, 'map.get');
      await waitForPeople(page, doc.people.length);
      await api(app, 'snapshot.create', { name: 'before the tender' });
      const who = doc.people.find((p) => /Deputy/i.test(p.title)) ?? doc.people[1]!;

      await selectPerson(page, who.name);
      await page.click(byTestId('person-erase'));
      const dialog = page.locator(byTestId('erase-dialog'));
      await dialog.waitFor();
      await expect(dialog.getAttribute('aria-label')).resolves.toBe(`Erase ${who.name} completely?`);
      const asked = (await dialog.textContent()) ?? '';
      expect(asked).toContain('This cannot be undone: Undo will not bring them back.');
      expect(asked).toContain('their copies in every snapshot');
      fs.mkdirSync(OUT, { recursive: true });
      await page.screenshot({ path: path.join(OUT, 'erase-ask.png') });

      // Del inside the dialog is not "delete the selection"; Cancel erases nothing.
      await page.keyboard.press('Delete');
      await page.click(`${byTestId('erase-dialog')} button:has-text("Cancel")`);
      await dialog.waitFor({ state: 'detached' });
      expect((await api<Doc>(app, 'map.get')).people.some((p) => p.id === who.id)).toBe(true);

      // Escape closes it too.
      await page.click(byTestId('person-erase'));
      await dialog.waitFor();
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });

      await page.click(byTestId('person-erase'));
      await page.click(byTestId('erase-confirm'));
      const result = page.locator(byTestId('erase-result'));
      await result.waitFor();
      expect(await result.textContent()).toMatch(new RegExp(`^Erased ${who.name} completely, with .*their copies in 1 snapshot; the map file's journal is emptied\\. This cannot be undone\\.$`));
      await page.screenshot({ path: path.join(OUT, 'erase-done.png') });
      // Gone from the map shown and the people list; the inspector no longer shows them.
      await waitForPeople(page, doc.people.length - 1);
      await expect(page.locator(byTestId('person-item'), { hasText: who.name }).count()).resolves.toBe(0);
      await page.click(`${byTestId('erase-dialog')} button:has-text("Close")`);
      await dialog.waitFor({ state: 'detached' });
      await expect(page.locator(byTestId('person-inspector')).count()).resolves.toBe(0);

      // Everywhere: not erasable any more (nowhere left), not in the snapshot, not back on undo.
      expect((await api<{ id: string }[]>(app, 'privacy.erasable')).some((p) => p.id === who.id)).toBe(false);
      const snap = (await api<{ id: string }[]>(app, 'snapshot.list'))[0]!;
      expect((await api<Doc>(app, 'snapshot.get', { id: snap.id })).people.some((p) => p.id === who.id)).toBe(false);
      await page.locator('body').focus();
      for (let i = 0; i < 5; i++) await page.keyboard.press('Control+z');
      await page.waitForTimeout(300);
      expect((await api<Doc>(app, 'map.get')).people.some((p) => p.id === who.id)).toBe(false);
      const shown = await page.evaluate(() => ((globalThis as unknown as PageGlobals).__powermap!.store.getState().doc as Doc).people.length);
      expect(shown).toBe(doc.people.length - 1);

      // Someone deleted the ordinary way shows in the Import/export panel's privacy part.
      const other = doc.people.find((p) => p.id !== who.id)!;
      await selectPerson(page, other.name);
      await page.click(byTestId('person-delete'));
      await page.click(byTestId('tab-exchange'));
      const deleted = page.locator(`${byTestId('privacy-deleted')} li[data-person-id="${other.id}"]`);
      await deleted.waitFor();
      expect(await deleted.textContent()).toContain('the undo history and 1 snapshot');
      await page.locator(byTestId('privacy-strip')).scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(OUT, 'privacy-panel.png') });
    } catch (e) {
      throw new Error(`${(e as Error).message}\n${app.output()}`);
    } finally {
      await app.stop();
    }
  });
});
