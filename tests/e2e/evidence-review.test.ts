/**
 * Issue 20 in Chromium: a review of the sample map by keyboard only — R starts it, K keeps, C and a
 * number change, D don't know, S skips, Esc stops — the summary, the snapshot named with the date,
 * and the map afterwards (values, evidence, the canvas cue). Screenshots: review mode, and the
 * canvas with stale facts at 60 people, light and dark.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createFromJson, readSample } from '../../services/sample';
import { reviewQueue } from '../../shared/evidence';
import { defaultMeta, defaultPersonFields, type Person, type Relation } from '../../shared/domain';
import { JSON_FORMAT, JSON_VERSION, type MapJson } from '../../shared/exchange/json-format';
import { REPO, closeBrowser, makeTmpDir, removeTmpDirs, startWebApp } from '../helpers/browser';
import { settle } from '../helpers/map-geometry';
import { peek } from '../helpers/map';
import { byTestId, waitForPeople, type PageGlobals } from './ui';

const OUT = path.join(REPO, 'docs', 'screenshots');
afterAll(async () => {
  await closeBrowser();
  removeTmpDirs();
});
const poll = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 8_000 });
type Page = import('playwright-core').Page;
const text = (page: Page, id: string) => page.locator(byTestId(id)).textContent();
const selected = (page: Page) => page.evaluate(() => (globalThis as unknown as PageGlobals).__powermap!.cy.$(':selected').map((e) => e.id()));
const classesOf = (page: Page, id: string) =>
  page.evaluate((eid) => (globalThis as unknown as PageGlobals).__powermap!.cy.getElementById(eid).classes() as string[], id);
const personOf = (page: Page, id: string) =>
  page.evaluate((pid) => (globalThis as unknown as { __powermap: { store: { getState(): { doc: { people: Person[] } } } } }).__powermap.store.getState().doc.people.find((p) => p.id === pid)!, id);

describe('review mode', () => {
  it('walks the stale and unverified facts of the sample by keyboard, sums up and offers a dated snapshot', async () => {
    const file = path.join(makeTmpDir(), 'bank.powermap');
    const data = readSample(path.join(REPO, 'resources'), 'en-US');
    await (await createFromJson(file, data)).close();
    const total = reviewQueue({ people: data.people, relations: data.relations, meta: data.meta }, Date.now()).length;
    const app = await startWebApp({ mapPath: file, viewport: { width: 1440, height: 900 }, locale: 'en-US' });
    const { page } = app;
    try {
      await page.waitForSelector(byTestId('workspace'));
      await waitForPeople(page, data.people.length);
      await settle(page);
      // Before: the president's attitude (told by the coach 75 days ago) is stale on the canvas.
      expect(await classesOf(page, 'p_president')).toContain('ev-stale');
      expect(await classesOf(page, 'r:r32')).toContain('ev-unverified'); // the guessed conflict

      await page.locator('body').focus();
      await page.keyboard.press('r');
      await page.waitForSelector(byTestId('review-panel'));
      expect(await text(page, 'review-progress')).toBe(`Review: 1 of ${total}`);
      expect(await page.getAttribute(byTestId('review-panel'), 'data-fact')).toBe('attitude:p_president');
      expect(await text(page, 'review-value')).toBe('Neutral');
      await poll(() => selected(page)).toEqual(['p_president']);
      await settle(page);
      await page.screenshot({ path: path.join(OUT, 'review-mode-light-en-US-1440x900.png') });

      await page.keyboard.press('k'); // still true
      await poll(() => page.getAttribute(byTestId('review-panel'), 'data-fact')).toBe('attitude:p_vp_biz');
      await poll(() => selected(page)).toEqual(['p_vp_biz']);
      await page.keyboard.press('c'); // changed: …
      await page.waitForSelector(byTestId('review-choices'));
      await page.keyboard.press('2'); // … to supporter
      await poll(() => page.getAttribute(byTestId('review-panel'), 'data-fact')).toBe('influence:p_president');
      await page.keyboard.press('d'); // don't know
      await poll(() => page.getAttribute(byTestId('review-panel'), 'data-fact')).toBe('favours:p_president');
      await page.keyboard.press('s'); // skip
      await poll(() => text(page, 'review-progress')).toBe(`Review: 5 of ${total}`);
      await page.keyboard.press('Escape'); // stop: the summary
      await page.waitForSelector(byTestId('review-summary'));
      expect(await text(page, 'review-summary-line')).toBe('3 facts checked, 1 changed, 1 still unknown');
      await page.keyboard.press('n'); // save the snapshot
      await poll(() => text(page, 'review-snapshot')).toContain('Snapshot saved.');
      await page.keyboard.press('Escape');
      await page.waitForSelector(byTestId('review-summary'), { state: 'detached' });

      // The map afterwards.
      const pres = await personOf(page, 'p_president');
      expect(pres.attitude).toBe('neutral');
      expect(Date.now() - Date.parse(pres.evidence!.attitude.verifiedAt!)).toBeLessThan(120_000);
      expect(pres.evidence!.attitude.source).toBe('coach');
      expect(pres.evidence!.influence.verifiedAt).toBe(data.people.find((p) => p.id === 'p_president')!.evidence!.influence.verifiedAt); // don't know: untouched
      const biz = await personOf(page, 'p_vp_biz');
      expect(biz.attitude).toBe('supporter');
      expect(biz.evidence!.attitude.verifiedAt).not.toBeNull();
      // The president still has stale facts (influence, favours): the cue stays; V turns it off.
      expect(await classesOf(page, 'p_president')).toContain('ev-stale');
      await page.keyboard.press('v');
      await poll(async () => (await classesOf(page, 'p_president')).includes('ev-stale')).toBe(false);
    } finally {
      await app.stop();
    }
    const snaps = peek<{ name: string }>(file, 'SELECT name FROM snapshot');
    expect(snaps.map((s) => s.name)).toEqual([expect.stringMatching(/^Review \d{4}-\d{2}-\d{2}$/)]);
  });
});

/** 60 fictional people in six departments, a third of their facts stale, a third unverified. */
function sixtyPeople(): MapJson {
  const now = Date.now();
  const at = (days: number) => new Date(now - days * 86_400_000).toISOString();
  const ev = (i: number) => {
    const kind = i % 3;
    const e = kind === 0 ? { source: 'met', verifiedAt: at(5), verifiedBy: 'Lin', changedAt: at(40) } : kind === 1 ? { source: 'coach', verifiedAt: at(90), verifiedBy: 'Lin', changedAt: at(120) } : { source: 'guess', verifiedAt: null, verifiedBy: '', changedAt: at(30) };
    return e;
  };
  const atts = ['champion', 'supporter', 'neutral', 'opponent', 'strong-opponent'] as const;
  const people: Person[] = [];
  const relations: Relation[] = [];
  for (let i = 0; i < 60; i++) {
    const dept = Math.floor(i / 10);
    people.push({
      ...defaultPersonFields(),
      id: `p${i}`,
      name: `Person ${String.fromCharCode(65 + dept)}${i % 10}`,
      title: i % 10 === 0 ? 'Director' : 'Manager',
      department: `Department ${dept + 1}`,
      roles: i === 0 ? ['decision-maker'] : i === 11 ? ['coach'] : [],
      attitude: atts[i % 5]!,
      influence: i % 10 === 0 ? 'high' : i % 3 === 0 ? 'medium' : 'low',
      evidence: { attitude: ev(i), favours: ev(i + 1), roles: { ...ev(0) }, influence: ev(i + 2) },
    });
    if (i % 10 !== 0) relations.push({ id: `rr${i}`, kind: 'reports_to', source: `p${i}`, target: `p${dept * 10}`, strength: 2, note: '', evidence: ev(i) });
    else if (i > 0) relations.push({ id: `rr${i}`, kind: 'reports_to', source: `p${i}`, target: 'p0', strength: 2, note: '', evidence: ev(i) });
    if (i % 7 === 3) relations.push({ id: `ri${i}`, kind: i % 2 ? 'conflict' : 'influence', source: `p${i}`, target: `p${(i + 13) % 60}`, strength: 2, note: '', evidence: ev(i + 1) });
  }
  return { format: JSON_FORMAT, version: JSON_VERSION, meta: { ...defaultMeta(), account: 'Fictional Power Bureau', deal: 'Rural grid upgrade' }, people, relations, team: [], coverage: [] };
}

describe('stale facts at 60 people', () => {
  for (const theme of ['light', 'dark'] as const)
    it(`the canvas stays readable with the cue on, ${theme}`, async () => {
      const file = path.join(makeTmpDir(), 'sixty.powermap');
      const data = sixtyPeople();
      await (await createFromJson(file, data)).close();
      const app = await startWebApp({ mapPath: file, colorScheme: theme, viewport: { width: 1440, height: 900 }, locale: 'en-US' });
      const { page } = app;
      try {
        await page.waitForSelector(byTestId('workspace'));
        await waitForPeople(page, 60);
        await settle(page);
        const seen = await page.evaluate(() => {
          const cy = (globalThis as unknown as PageGlobals).__powermap!.cy;
          return { stale: cy.nodes('.ev-stale').length, unverified: cy.nodes('.ev-unverified').length, edges: cy.edges('.ev-stale, .ev-unverified').length, labelsOff: cy.nodes('.lbl-off').length };
        });
        expect(seen.stale + seen.unverified).toBeGreaterThan(30);
        expect(seen.edges).toBeGreaterThan(20);
        // The cue costs no label: as many names give way with it as without it (V turns it off).
        await page.locator('body').focus();
        await page.keyboard.press('v');
        await poll(() => page.evaluate(() => (globalThis as unknown as PageGlobals).__powermap!.cy.nodes('.ev-stale, .ev-unverified').length)).toBe(0);
        await settle(page);
        const off = await page.evaluate(() => (globalThis as unknown as PageGlobals).__powermap!.cy.nodes('.lbl-off').length);
        expect(seen.labelsOff).toBe(off);
        await page.keyboard.press('v');
        await poll(() => page.evaluate(() => (globalThis as unknown as PageGlobals).__powermap!.cy.nodes('.ev-stale, .ev-unverified').length)).toBe(seen.stale + seen.unverified);
        await settle(page);
        await page.waitForSelector(byTestId('legend-ev-stale'));
        await page.waitForSelector(byTestId('legend-ev-unverified'));
        fs.mkdirSync(OUT, { recursive: true });
        await page.screenshot({ path: path.join(OUT, `stale-facts-60-${theme}-1440x900.png`) });
      } finally {
        await app.stop();
      }
    });
});
