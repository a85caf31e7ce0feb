// @vitest-environment happy-dom
/**
 * The Time panel rendered by React in happy-dom against the real main-side handlers (dispatch on
 * a real map file): save a snapshot, see what changed since, mark the map, restore, undo, log a
 * contact. The canvas viewer (Cytoscape) is left to the browser tests.
 */
import path from 'node:path';
import { act, createElement, useCallback, useState } from 'react';
import { describe, expect, it } from 'vitest';
import { dispatch } from '../../services/handlers';
import { TimePanel } from '../../renderer/src/time/TimePanel';
import { createClient, type ApiClient } from '../../shared/api';
import type { MapDocument } from '../../shared/domain';
import type { Lang } from '../../shared/i18n/errors';
import { byText, click, render, type, until } from '../helpers/dom';
import { webSession } from '../helpers/session';
import { useTmpDir } from '../helpers/tmp';

const tmp = useTmpDir();

interface Harness {
  api: ApiClient;
  marks: Record<string, string[]>[];
  highlights: unknown[];
  doc(): MapDocument;
  /** Switches the panel's language, as the app's switch does. */
  setLang(l: Lang): Promise<void>;
}

async function mount(lang: Lang = 'en-US'): Promise<Harness & { ids: Record<string, string> }> {
  const dir = tmp();
  const session = webSession(dir);
  const api = createClient((m, p) => dispatch(session, m, p));
  await api.call('map.create', { path: path.join(dir, 'bank.powermap'), meta: { account: 'Northbank' } });
  const pid = async (name: string, extra: object = {}) => (await api.call('person.create', { name, ...extra })).people![0]!.id;
  const ids: Record<string, string> = { pres: await pid('Ma Guolin', { title: 'President', influence: 'high' }), dir: await pid('Zhou Jianguo', { attitude: 'neutral' }) };
  ids.rep = (await api.call('team.create', { name: 'Rep Chen' })).team![0]!.id;
  const marks: Record<string, string[]>[] = [];
  const highlights: unknown[] = [];
  let current: MapDocument = await api.call('map.get', {});
  let setDocOutside: (d: MapDocument) => void = () => {};
  let setLangOutside: (l: Lang) => void = () => {};

  function Window() {
    const [doc, setDoc] = useState(current);
    const [shownLang, setShownLang] = useState(lang);
    setLangOutside = setShownLang;
    const [, rerender] = useState(0);
    setDocOutside = (d) => {
      current = d;
      setDoc(d);
    };
    const reload = useCallback(async () => setDocOutside(await api.call('map.get', {})), []);
    return createElement(TimePanel, {
      doc,
      lang: shownLang,
      api,
      // A new function on every render that re-renders the window, as a careless one might: must not loop.
      mark: (_source: string, classes: Record<string, string[]>) => {
        marks.push(classes);
        rerender((n) => n + 1);
      },
      highlight: (sel: unknown) => highlights.push(sel),
      applyChange: () => void reload(),
      reload,
    });
  }
  await render(createElement(Window));
  return { api, marks, highlights, ids, doc: () => current, setLang: async (l) => act(async () => setLangOutside(l)) };
}

describe('the Time panel', () => {
  it('saves a snapshot, shows what changed since, marks the map, restores and lets undo bring it back', async () => {
    const h = await mount();
    await until(() => document.body.textContent?.includes('No snapshots yet'), 'the empty list');

    await type(document.querySelector<HTMLInputElement>('input[aria-label="Snapshot name"]'), 'before tender');
    await click(byText('button', 'Save snapshot'));
    await until(() => document.querySelector('li[data-snapshot="before tender"]'), 'the saved snapshot');
    expect((await h.api.call('snapshot.list', {})).map((s) => s.name)).toEqual(['before tender']);

    // The map changes (elsewhere in the window); the panel is told through its doc.
    await h.api.call('person.update', { id: h.ids.dir!, patch: { attitude: 'champion' } });
    await click(byText('button', 'Compare with now'));
    await until(() => document.querySelector('[data-testid=time-compare-summary]')?.textContent === '1 difference', 'the comparison');
    const line = byText('.pm-time-change button', '↑ Zhou Jianguo: attitude neutral → champion (warmer)');
    expect(line).toBeTruthy();
    await until(() => h.marks.at(-1)?.[h.ids.dir!]?.[0] === 'changed', 'the mark on the map');
    expect(h.marks.at(-1)).toEqual({ [h.ids.dir!]: ['changed'] });
    expect(h.marks.length).toBeLessThan(10); // no render loop
    await click(line);
    expect(h.highlights.at(-1)).toEqual({ people: [h.ids.dir], relations: [] });

    // Restore asks first, then makes the map the snapshot again as one undoable step.
    await click(byText('[role=tab]', 'Snapshots'));
    const item = document.querySelector<HTMLElement>('li[data-snapshot="before tender"]')!;
    await click([...item.querySelectorAll<HTMLElement>('button')].find((b) => b.textContent === 'Restore'));
    expect(item.querySelector('[role=alertdialog]')?.textContent).toContain('Undo brings everything back');
    await click([...item.querySelectorAll<HTMLElement>('[role=alertdialog] button')].find((b) => b.textContent === 'Restore'));
    await until(() => document.querySelector('[role=status]')?.textContent?.includes('Restored “before tender”'), 'the restore message');
    // The message is said again after a language switch, not left in English.
    await h.setLang('zh-CN');
    expect(document.querySelector('[role=status]')?.textContent).toContain('已恢复“before tender”。');
    await h.setLang('en-US');
    let doc = await h.api.call('map.get', {});
    expect(doc.people.find((p) => p.id === h.ids.dir)!.attitude).toBe('neutral');
    expect(doc.history.undoLabel).toEqual({ key: 'snapshot.restore', params: { name: 'before tender' } });
    await h.api.call('history.undo', {});
    doc = await h.api.call('map.get', {});
    expect(doc.people.find((p) => p.id === h.ids.dir)!.attitude).toBe('champion');
  });

  it('renames a snapshot in place, refuses an empty name, and says so in the language shown', async () => {
    const h = await mount();
    for (const name of ['kick-off', 'after the visit']) {
      await type(document.querySelector<HTMLInputElement>('input[aria-label="Snapshot name"]'), name);
      await click(byText('button', 'Save snapshot'));
      await until(() => document.querySelector(`li[data-snapshot="${name}"]`), name);
    }
    const item = document.querySelector<HTMLElement>('li[data-snapshot="kick-off"]')!;
    await click([...item.querySelectorAll<HTMLElement>('button')].find((b) => b.textContent === 'Rename'));
    const field = item.querySelector<HTMLInputElement>('input[aria-label="New name for “kick-off”"]')!;
    expect(field.value).toBe('kick-off');
    await type(field, '   ');
    expect([...item.querySelectorAll<HTMLButtonElement>('button')].find((b) => b.textContent === 'Save')!.disabled).toBe(true);
    await type(field, 'Kick-off with the CIO');
    await act(async () => item.querySelector('form')!.requestSubmit());
    await until(() => document.querySelector('[role=status]')?.textContent?.includes('Renamed “kick-off” to “Kick-off with the CIO”.'), 'the rename message');
    await until(() => document.querySelector('li[data-snapshot="Kick-off with the CIO"]'), 'the renamed snapshot in the list');
    expect((await h.api.call('snapshot.list', {})).map((s) => s.name).sort()).toEqual(['Kick-off with the CIO', 'after the visit']);
    await h.setLang('zh-CN');
    expect(document.querySelector('[role=status]')?.textContent).toContain('已将“kick-off”重命名为“Kick-off with the CIO”。');
    // Escape leaves the field without renaming.
    const other = document.querySelector<HTMLElement>('li[data-snapshot="after the visit"]')!;
    await click([...other.querySelectorAll<HTMLElement>('button')].find((b) => b.textContent === '重命名'));
    const f2 = other.querySelector<HTMLInputElement>('input')!;
    await type(f2, 'something else');
    await act(async () => f2.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true })));
    expect(other.querySelector('input')).toBeNull();
    expect((await h.api.call('snapshot.list', {})).map((s) => s.name).sort()).toEqual(['Kick-off with the CIO', 'after the visit']);
  });

  it('logs a contact for a person, and their last contact follows', async () => {
    const h = await mount();
    await click(byText('[role=tab]', 'Contacts & trips'));
    const select = document.querySelector<HTMLSelectElement>('[data-testid=time-log] select')!;
    await act(async () => {
      select.value = h.ids.pres!;
      select.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await until(() => document.querySelector('[data-testid=time-last-contact]')?.textContent === 'No contact logged yet.', 'the person');
    const form = document.querySelector<HTMLFormElement>('form[aria-label="Log contact"]')!;
    await type(form.querySelector('input[type=date]'), '2025-03-14');
    await type(form.querySelector('textarea'), 'Lunch after the review');
    await click([...form.querySelectorAll<HTMLElement>('input[type=checkbox]')][0]);
    await act(async () => form.requestSubmit());
    await until(() => document.querySelector('ul[aria-label="Contacts"] li'), 'the logged contact');
    const log = await h.api.call('interaction.list', { personId: h.ids.pres! });
    expect(log).toMatchObject([{ date: '2025-03-14', kind: 'meeting', attendees: [h.ids.rep], notes: 'Lunch after the review' }]);
    expect((await h.api.call('map.get', {})).people.find((p) => p.id === h.ids.pres)!.lastContact).toBe('2025-03-14');
    await until(() => document.querySelector('[data-testid=time-last-contact]')?.textContent?.startsWith('Last contact:'), 'the last contact line');
  });

  it('speaks Chinese', async () => {
    await mount('zh-CN');
    expect([...document.querySelectorAll('[role=tab]')].map((t) => t.textContent)).toEqual(['快照', '变化', '接触与行程', '近期']);
    await until(() => document.body.textContent?.includes('还没有快照'), 'the empty list in Chinese');
  });
});
