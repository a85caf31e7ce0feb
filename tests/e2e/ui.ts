/**
 * Steps a user takes in the power-map UI, for the end-to-end tests. They act through the page
 * (clicks, keys, mouse drags); they read the live canvas only to find where a person is drawn.
 */
import type { Core } from 'cytoscape';
import type { Page } from 'playwright-core';
import type { RelationKind } from '../../shared/domain';

/** What the page exposes for tests (see renderer/src/canvas/MapCanvas.tsx). */
export interface PageGlobals {
  __powermap?: { cy: Core; store: { getState(): Record<string, unknown> }; controller: { look(id: string): 'raised' | 'dimmed' | 'plain'; veilAt(id: string): number | null } };
}
/** In page.evaluate callbacks: the page's globals, typed (this project has no DOM lib). */
export const pageGlobals = (): PageGlobals => globalThis as unknown as PageGlobals;

export const byTestId = (id: string) => `[data-testid="${id}"]`;

/** Creates a map from the welcome screen (browser build: path field). */
export async function createMapFromWelcome(page: Page, file: string, account: string, deal: string): Promise<void> {
  await page.waitForSelector(byTestId('welcome'));
  await page.fill(byTestId('new-account'), account);
  await page.fill(byTestId('new-deal'), deal);
  await page.fill(byTestId('new-path'), file);
  await page.click(byTestId('create-map'));
  await page.waitForSelector(byTestId('workspace'));
}

/** Names in the people list, in list order. */
export async function listedNames(page: Page): Promise<string[]> {
  return page.$$eval(`${byTestId('person-item')} .person-name`, (els) => els.map((e) => e.textContent ?? ''));
}

/** Adds a person with the quick-add line (N focuses it): "Name, title, department". */
export async function quickAdd(page: Page, line: string): Promise<void> {
  const name = line.split(/[,，]/)[0]!.trim();
  await page.keyboard.press('Escape');
  await page.locator('body').focus();
  await page.keyboard.press('n');
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
  await page.locator(`${byTestId('person-item')} .person-name`, { hasText: name }).first().waitFor();
}

/** Selects a person by clicking their name in the people list. */
export async function selectPerson(page: Page, name: string): Promise<void> {
  await page.locator(byTestId('person-item'), { hasText: name }).first().click();
  await page.locator(`${byTestId('person-inspector')} h2`, { hasText: name }).waitFor();
}

/** The id of a person on the canvas by name. */
export async function personId(page: Page, name: string): Promise<string> {
  const id = await page.evaluate((n) => {
    const cy = (globalThis as unknown as PageGlobals).__powermap!.cy;
    return cy.nodes().filter((x) => x.data('name') === n).first().id() || null;
  }, name);
  if (!id) throw new Error(`no node named ${name}`);
  return id;
}

/** Where a node is drawn, in page coordinates. */
export async function nodeOnPage(page: Page, elementId: string): Promise<{ x: number; y: number }> {
  const box = await page.locator(byTestId('canvas')).boundingBox();
  const p = await page.evaluate((id) => (globalThis as unknown as PageGlobals).__powermap!.cy.getElementById(id).renderedPosition(), elementId);
  return { x: box!.x + p.x, y: box!.y + p.y };
}

/** Shift-drags from one node to another on the canvas, then picks the line type with its key. */
export async function dragConnect(page: Page, fromId: string, toId: string, kind: RelationKind | 'coverage', strengthKey?: '1' | '2' | '3'): Promise<void> {
  const before = await edgeCount(page, kind);
  // A layout may still be moving people after the last edit: drag between where they come to rest
  // (a drag aimed at where a card was can land on another, whose line the rules refuse).
  await page.waitForSelector(byTestId('laying-out'), { state: 'detached' });
  let last = '';
  for (let i = 0; i < 50; i++) {
    const now = JSON.stringify([await nodeOnPage(page, fromId), await nodeOnPage(page, toId)]);
    if (now === last) break;
    last = now;
    await page.waitForTimeout(200);
  }
  const a = await nodeOnPage(page, fromId);
  const b = await nodeOnPage(page, toId);
  await page.mouse.move(a.x, a.y);
  await page.keyboard.down('Shift');
  await page.mouse.down();
  const steps = 12;
  for (let i = 1; i <= steps; i++) {
    await page.mouse.move(a.x + ((b.x - a.x) * i) / steps, a.y + ((b.y - a.y) * i) / steps);
    await page.waitForTimeout(15);
  }
  await page.waitForTimeout(150);
  await page.mouse.up();
  await page.keyboard.up('Shift');
  await page.waitForSelector(byTestId('edge-picker'));
  if (kind === 'coverage') await page.keyboard.press(strengthKey ?? '2');
  else {
    if (strengthKey) await page.keyboard.press(strengthKey);
    await page.keyboard.press({ reports_to: 'r', influence: 'i', alliance: 'a', conflict: 'x' }[kind]);
  }
  await page.waitForSelector(byTestId('edge-picker'), { state: 'detached' });
  await waitForEdges(page, kind, before + 1);
}

/** Connects the selected person to another through the keyboard: E, type the name, Enter, the type key. */
export async function keyboardConnect(page: Page, fromName: string, toName: string, kind: RelationKind): Promise<void> {
  const before = await edgeCount(page, kind);
  await selectPerson(page, fromName);
  await page.locator('body').focus();
  await page.keyboard.press('e');
  await page.waitForSelector(byTestId('edge-target-input'));
  await page.keyboard.type(toName);
  await page.keyboard.press('Enter');
  await page.waitForSelector(`${byTestId('edge-picker')} ${byTestId(`pick-${kind}`)}`);
  await page.keyboard.press({ reports_to: 'r', influence: 'i', alliance: 'a', conflict: 'x' }[kind]);
  await page.waitForSelector(byTestId('edge-picker'), { state: 'detached' });
  await waitForEdges(page, kind, before + 1);
}

/** Number of edges of one kind on the canvas. */
export const edgeCount = (page: Page, kind: string) =>
  page.evaluate((k) => (globalThis as unknown as PageGlobals).__powermap!.cy.edges(`[kind = "${k}"]`).length, kind);

/** Waits until the canvas shows this many person nodes. */
export const waitForPeople = (page: Page, n: number) =>
  page.waitForFunction((count) => (globalThis as unknown as PageGlobals).__powermap?.cy.nodes('[kind = "person"]').length === count, n);

/** Waits until the canvas shows this many edges of one kind. */
export const waitForEdges = (page: Page, kind: string, n: number) =>
  page.waitForFunction(
    ([k, count]) => (globalThis as unknown as PageGlobals).__powermap?.cy.edges(`[kind = "${k}"]`).length === count,
    [kind, n] as const,
    { timeout: 20_000 },
  );
