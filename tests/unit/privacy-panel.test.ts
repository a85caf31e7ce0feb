// @vitest-environment happy-dom
/**
 * The privacy part of the Import/export panel, rendered by React in happy-dom against the real
 * main-side handlers (dispatch on a browser-build Session, a real map file): erasing someone
 * deleted the ordinary way who still lives in the undo history and a snapshot, with the
 * confirmation first and the result after; "Remove personal details" into a copy to share (the
 * open map untouched) and then in place. Both languages.
 */
import fs from 'node:fs';
import path from 'node:path';
import { act, createElement, useCallback, useState } from 'react';
import { describe, expect, it } from 'vitest';
import { createClient, type ApiClient } from '../../shared/api';
import type { MapDocument } from '../../shared/domain';
import type { Lang } from '../../shared/i18n/errors';
import { dispatch } from '../../services/handlers';
import { ExchangePanel } from '../../renderer/src/exchange/ExchangePanel';
import { byText, click, render, type, until } from '../helpers/dom';
import { webSession } from '../helpers/session';
import { useTmpDir } from '../helpers/tmp';

const tmp = useTmpDir();
const buttonIn = (el: ParentNode, text: string) => byText('button', text, el);

interface Harness {
  api: ApiClient;
  dir: string;
  file: string;
  ids: Record<string, string>;
  doc(): MapDocument;
  setLang(l: Lang): Promise<void>;
}

/** A map with a person deleted the ordinary way after a snapshot held her, profiles and trips; the panel mounted. */
async function mount(lang: Lang = 'en-US'): Promise<Harness> {
  const dir = tmp();
  const session = webSession(dir);
  const api = createClient((m, p) => dispatch(session, m, p));
  const file = path.join(dir, 'bank.powermap');
  await api.call('map.create', { path: file, meta: { account: 'Northbank' } });
  const pid = async (name: string, extra: object = {}) => (await api.call('person.create', { name, ...extra })).people![0]!.id;
  const ids: Record<string, string> = {
    gone: await pid('Vera Quist', { title: 'Deputy CIO' }),
    stays: await pid('Hal Brenner', { notes: 'Old friend of Vera Quist from the audit years' }),
  };
  await api.call('relation.create', { kind: 'alliance', source: ids.gone!, target: ids.stays! });
  await api.call('profile.update', { personId: ids.stays!, patch: { interests: 'Sailing on weekends', children: 'Son, 7' } });
  await api.call('trip.create', { personId: ids.stays!, place: 'Harbour City fair', from: '2031-04-02', to: '2031-04-04' });
  await api.call('snapshot.create', { name: 'before the reorganisation' });
  await api.call('person.delete', { id: ids.gone! });

  let current: MapDocument = await api.call('map.get', {});
  let setLangOutside: (l: Lang) => void = () => {};
  function Window() {
    const [doc, setDoc] = useState(current);
    const [shown, setShown] = useState(lang);
    setLangOutside = setShown;
    const reload = useCallback(async () => {
      current = await api.call('map.get', {});
      setDoc(current);
    }, []);
    return createElement(ExchangePanel, { doc, lang: shown, api, highlight: () => {}, mark: () => {}, applyChange: () => void reload(), reload });
  }
  await render(createElement(Window));
  return { api, dir, file, ids, doc: () => current, setLang: async (l) => act(async () => setLangOutside(l)) };
}

describe('the privacy part of the Import/export panel', () => {
  it('erases someone deleted who lives on in the undo history and a snapshot, after saying what it removes', async () => {
    const h = await mount();
    const list = await until(() => document.querySelector<HTMLElement>('[data-testid=privacy-deleted] li[data-person-id]'), 'the deleted person');
    expect(list.getAttribute('data-person-id')).toBe(h.ids.gone);
    expect(list.textContent).toContain('Vera Quist');
    expect(list.textContent).toContain('the undo history and 1 snapshot');

    // Cancel first: nothing happens.
    await click(buttonIn(list, 'Erase…'));
    let dialog = document.querySelector<HTMLElement>('[data-testid=erase-dialog]')!;
    expect(dialog.getAttribute('aria-label')).toBe('Erase Vera Quist completely?');
    expect(dialog.textContent).toContain('No longer on the map, but still in the undo history and 1 snapshot.');
    expect(dialog.textContent).toContain('This cannot be undone: Undo will not bring them back.');
    expect(dialog.textContent).toContain('their copies in every snapshot');
    await click(buttonIn(dialog, 'Cancel'));
    expect(document.querySelector('[data-testid=erase-dialog]')).toBeNull();
    expect((await h.api.call('privacy.erasable', {})).some((p) => p.id === h.ids.gone)).toBe(true);

    // Now for real. A pre-upgrade backup beside the map still holds her: the result says so.
    fs.writeFileSync(`${h.file}.v1.bak`, 'a copy made before an upgrade');
    await click(buttonIn(list, 'Erase…'));
    dialog = document.querySelector<HTMLElement>('[data-testid=erase-dialog]')!;
    await click(buttonIn(dialog, 'Erase Vera Quist'));
    const result = await until(() => document.querySelector('[data-testid=erase-result]'), 'the result');
    expect(result.textContent).toMatch(/^Erased Vera Quist completely, with their traces in the undo history \(3 steps removed\) and their copies in 1 snapshot; the map file's journal is emptied\. This cannot be undone\.$/);
    // Hal's notes still name her: said with his name, not an id.
    const mentions = [...document.querySelectorAll('[data-testid=erase-mentions] li')].map((li) => li.textContent);
    expect(mentions).toContain('Hal Brenner (notes): still names them — your own words, left as they are.');
    expect([...document.querySelectorAll('[data-testid=erase-backups] li')].map((li) => li.textContent)).toEqual([
      'The pre-upgrade backup bank.powermap.v1.bak still holds them: delete it.',
    ]);
    // She is gone from the list, the history and the snapshot; undo cannot bring her back.
    await until(() => document.querySelector('[data-testid=privacy-deleted]')?.textContent?.includes('Nobody deleted is kept'), 'the empty list');
    expect((await h.api.call('privacy.erasable', {})).map((p) => p.id)).toEqual([h.ids.stays]);
    const snap = (await h.api.call('snapshot.list', {}))[0]!;
    expect((await h.api.call('snapshot.get', { id: snap.id })).people.map((p) => p.name)).toEqual(['Hal Brenner']);
    for (let i = 0; i < 20 && (await h.api.call('map.get', {})).history.canUndo; i++) await h.api.call('history.undo', {});
    expect((await h.api.call('map.get', {})).people.map((p) => p.name)).toEqual([]);
    // Her own record's words are nowhere in the file or its -wal (her name is: in Hal's notes).
    for (const f of [h.file, `${h.file}-wal`]) if (fs.existsSync(f)) expect(fs.readFileSync(f).includes(Buffer.from('Deputy CIO'))).toBe(false);
    await click(buttonIn(document.querySelector('[data-testid=erase-dialog]')!, 'Close'));
    expect(document.querySelector('[data-testid=erase-dialog]')).toBeNull();
  });

  it('removes personal details into a copy to share (the open map keeps them), then in place', async () => {
    const h = await mount();
    fs.writeFileSync(`${h.file}.v1.bak`, 'a copy made before an upgrade');
    const section = await until(() => document.querySelector<HTMLElement>('[data-testid=privacy-strip]'), 'the section');
    const radios = section.querySelectorAll<HTMLInputElement>('input[type=radio]');
    await click(radios[1]!);
    await type(section.querySelector<HTMLInputElement>('input[type=text]'), path.join(h.dir, 'shared copy'));
    await click(buttonIn(section, 'Remove personal details…'));
    const ask = section.querySelector<HTMLElement>('[role=alertdialog]')!;
    expect(ask.textContent).toContain(`Write a copy without personal details to ${path.join(h.dir, 'shared copy')}? This map stays as it is.`);
    await click(buttonIn(ask, 'Write the copy'));
    const done = await until(() => document.querySelector('[data-testid=privacy-strip-result]'), 'the copy result');
    const copy = path.join(h.dir, 'shared copy.powermap');
    expect(done.querySelector('p')!.textContent).toBe(`Wrote ${copy}: a copy without personal details (1 profile and 1 trip left out) and without undo history. This map is unchanged.`);
    expect(fs.existsSync(copy)).toBe(true);
    expect(fs.readFileSync(copy).includes(Buffer.from('Sailing on weekends'))).toBe(false);
    expect((await h.api.call('profile.get', { personId: h.ids.stays! })).interests).toBe('Sailing on weekends');
    expect(await h.api.call('trip.list', {})).toHaveLength(1);

    // In place, keeping trips: asks, then removes the profile only.
    await click(radios[0]!);
    await click(section.querySelector<HTMLInputElement>('input[type=checkbox]'));
    await click(buttonIn(section, 'Remove personal details…'));
    expect(section.querySelector('[role=alertdialog]')!.textContent).toContain('Remove every personal profile from this map (trips stay)? This cannot be undone');
    await click(buttonIn(section.querySelector('[role=alertdialog]')!, 'Cancel'));
    expect((await h.api.call('profile.get', { personId: h.ids.stays! })).interests).toBe('Sailing on weekends');
    await click(buttonIn(section, 'Remove personal details…'));
    await click(buttonIn(section.querySelector('[role=alertdialog]')!, 'Remove them'));
    await until(() => document.querySelector('[data-testid=privacy-strip-result]')?.textContent?.startsWith('Removed'), 'the in-place result');
    expect(document.querySelector('[data-testid=privacy-strip-result] p')!.textContent).toMatch(/^Removed 1 personal profile and 0 trips from bank\.powermap, with their traces in the undo history \(\d+ steps? removed(, \d+ records? taken out of others)?\)\. This cannot be undone\.$/);
    expect((await h.api.call('profile.get', { personId: h.ids.stays! })).interests).toBe('');
    expect(await h.api.call('trip.list', {})).toHaveLength(1);
    expect(document.querySelector('[data-testid=privacy-strip-result] li')!.textContent).toBe(
      'The pre-upgrade backup bank.powermap.v1.bak still holds personal details: delete it.',
    );
    // Said again in Chinese after a switch.
    await h.setLang('zh-CN');
    expect(document.querySelector('[data-testid=privacy-strip-result] p')!.textContent).toMatch(/^已从 bank\.powermap 删除 1 份个人资料和 0 条行程/);
  });

  it('speaks Chinese', async () => {
    await mount('zh-CN');
    const li = await until(() => document.querySelector<HTMLElement>('[data-testid=privacy-deleted] li[data-person-id]'), 'the deleted person');
    expect(document.querySelector('[data-testid=privacy-strip] h3')!.textContent).toBe('删除个人资料');
    expect(document.querySelector('[data-testid=privacy-deleted] h3')!.textContent).toBe('抹除已删除的人员');
    expect(li.textContent).toContain('撤销记录和1 个快照');
    await click(buttonIn(li, '抹除…'));
    const dialog = document.querySelector<HTMLElement>('[data-testid=erase-dialog]')!;
    expect(dialog.textContent).toContain('此操作无法撤销：撤销也无法找回此人。');
    await click(buttonIn(dialog, '抹除 Vera Quist'));
    const result = await until(() => document.querySelector('[data-testid=erase-result]'), 'the result');
    expect(result.textContent).toMatch(/^已彻底抹除 Vera Quist，连同.*1 个快照中的副本；地图文件的日志已清空。无法撤销。$/);
    expect([...document.querySelectorAll('[data-testid=erase-mentions] li')].map((x) => x.textContent)).toContain('Hal Brenner的备注仍提到此人（您自己写的内容，未作修改）。');
  });
});
