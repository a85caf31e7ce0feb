// @vitest-environment happy-dom
/**
 * The Import/Export panel against the real main-side handlers (dispatch on a browser-build
 * Session, real files): a CSV preview lists problems and writes nothing; a clean preview creates
 * the map; an export refuses to overwrite until the user says "Replace".
 */
import fs from 'node:fs';
import path from 'node:path';
import { act, createElement } from 'react';
import { createRoot } from 'react-dom/client';
import { describe, expect, it } from 'vitest';
import { createClient } from '../../shared/api';
import { dispatch } from '../../services/handlers';
import { documentOf } from '../../services/map/read';
import { ExchangePanel } from '../../renderer/src/exchange/ExchangePanel';
import { REPO, webSession } from '../helpers/session';
import { useTmpDir } from '../helpers/tmp';
import { richMap } from './exchange-helpers';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
const tmp = useTmpDir();
const FIX = path.join(REPO, 'tests', 'fixtures', 'csv');

async function until(cond: () => boolean, ms = 5000) {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error('timed out');
    await act(() => new Promise((r) => setTimeout(r, 20)));
  }
}
const setInput = (el: HTMLInputElement, value: string) => {
  const setter = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(el), 'value')!.set!;
  setter.call(el, value);
  el.dispatchEvent(new Event('input', { bubbles: true }));
};
const button = (root: HTMLElement, text: string) =>
  [...root.querySelectorAll('button')].find((b) => b.textContent === text) as HTMLButtonElement;
const field = (root: HTMLElement, label: string) =>
  [...root.querySelectorAll('label')].find((l) => l.querySelector('span')?.textContent === label)!.querySelector('input') as HTMLInputElement;

describe('ExchangePanel', () => {
  it('previews a CSV import with its problems, then imports a clean one, and exports without overwriting by surprise', async () => {
    const dir = tmp();
    const session = webSession(dir);
    const store = await richMap(dir);
    session.store = store;
    const api = createClient((m, p) => dispatch(session, m, p));
    let reloaded = 0;
    const host = document.createElement('div');
    document.body.appendChild(host);
    const root = createRoot(host);
    const doc = await documentOf(store);
    await act(async () =>
      root.render(
        createElement(ExchangePanel, {
          doc,
          lang: 'en-US',
          api,
          highlight: () => undefined,
          mark: () => undefined,
          applyChange: () => undefined,
          reload: async () => {
            reloaded++;
          },
        }),
      ),
    );

    // A bad relations file: the preview shows every problem and nothing can be created.
    await act(async () => setInput(field(host, 'People file'), path.join(FIX, 'people-en.csv')));
    await act(async () => setInput(field(host, 'Relationships file (optional)'), path.join(FIX, 'bad-relations.csv')));
    await act(async () => button(host, 'Preview').click());
    await until(() => !!host.querySelector('[data-testid="csv-preview"]'));
    const preview = host.querySelector('[data-testid="csv-preview"]')!;
    expect(preview.textContent).toContain('4 problems: nothing will be imported');
    expect(preview.querySelectorAll('.xch-problems li')).toHaveLength(4);
    expect(preview.textContent).toContain('bad-relations.csv row 3, column type: unknown value "friendship"');
    expect(button(host, 'Create the map')).toBeUndefined();

    // The right file: rows are shown as they will be imported, then the map is created.
    await act(async () => setInput(field(host, 'Relationships file (optional)'), path.join(FIX, 'relations-en.csv')));
    await act(async () => button(host, 'Preview').click());
    await until(() => !!button(host, 'Create the map'));
    expect(host.textContent).toContain('people-en.csv: UTF-8, comma');
    expect(host.querySelectorAll('.xch-table tbody tr')).toHaveLength(6);
    expect(host.querySelector('.xch-table')!.textContent).toContain('Decision maker');
    const target = path.join(dir, 'from-csv.powermap');
    await act(async () => setInput(field(host, 'New map file'), target));
    await act(async () => button(host, 'Create the map').click());
    await until(() => reloaded === 1);
    expect(fs.existsSync(target)).toBe(true);
    expect(session.store!.location.path).toBe(target);

    // Export JSON twice: the second asks before replacing.
    const out = path.join(dir, 'out.json');
    const select = host.querySelector('select') as HTMLSelectElement;
    await act(async () => {
      select.value = 'json';
      select.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await act(async () => setInput(field(host, 'Save as'), out));
    await act(async () => button(host, 'Export').click());
    await until(() => host.textContent!.includes('Saved'));
    expect(JSON.parse(fs.readFileSync(out, 'utf8')).people).toHaveLength(6);
    fs.writeFileSync(out, 'keep?');
    await act(async () => button(host, 'Export').click());
    await until(() => host.textContent!.includes('already exists. Replace it?'));
    expect(fs.readFileSync(out, 'utf8')).toBe('keep?');
    await act(async () => button(host, 'Replace').click());
    await until(() => fs.readFileSync(out, 'utf8') !== 'keep?');
    expect(JSON.parse(fs.readFileSync(out, 'utf8')).format).toBe('powermap-map');
    await until(() => host.textContent!.includes('Saved'));
    // The message follows a language switch (it is said anew, not kept as English text).
    await act(async () =>
      root.render(
        createElement(ExchangePanel, { doc, lang: 'zh-CN', api, highlight: () => undefined, mark: () => undefined, applyChange: () => undefined, reload: async () => undefined }),
      ),
    );
    expect(host.textContent).toContain(`已保存 ${out}。`);
    expect(host.textContent).not.toContain('Saved');
    await act(async () => root.unmount());
    await session.close();
  });

  it('offers the snapshots for a deal review with the changes since one, and passes the chosen one', async () => {
    const dir = tmp();
    const session = webSession(dir);
    const store = await richMap(dir);
    session.store = store;
    const real = (m: string, p: unknown) => dispatch(session, m, p);
    expect((await real('snapshot.create', { name: 'before tender' })).ok).toBe(true);
    // The PDF itself (with its "Changes since" section) is printed and read back in
    // tests/e2e/pdf-report.test.ts; here: what the panel asks the API for.
    const exports: Record<string, unknown>[] = [];
    const api = createClient((m, p) => {
      if (m === 'exchange.export') {
        exports.push(p as Record<string, unknown>);
        return Promise.resolve({ ok: true, value: { files: [String((p as { path: string }).path)] } });
      }
      return real(m, p);
    });
    const host = document.createElement('div');
    document.body.appendChild(host);
    const root = createRoot(host);
    const props = { lang: 'en-US' as const, api, highlight: () => undefined, mark: () => undefined, applyChange: () => undefined, reload: async () => undefined };
    await act(async () => root.render(createElement(ExchangePanel, { ...props, doc: await documentOf(store) })));
    const sinceSelect = () =>
      [...host.querySelectorAll('label')].find((l) => l.querySelector('span')?.textContent === 'Changes since')?.querySelector('select') as HTMLSelectElement;
    await until(() => !!sinceSelect() && sinceSelect().options.length === 2);
    expect(sinceSelect().options[1]!.textContent).toContain('before tender');
    expect(sinceSelect().value).toBe('');

    await act(async () => setInput(field(host, 'Save as'), path.join(dir, 'plain.pdf')));
    await act(async () => button(host, 'Export').click());
    await until(() => exports.length === 1);
    expect(exports[0]).toMatchObject({ format: 'pdf' });
    expect(exports[0]).not.toHaveProperty('since');

    const snapshotId = sinceSelect().options[1]!.value;
    await act(async () => {
      sinceSelect().value = snapshotId;
      sinceSelect().dispatchEvent(new Event('change', { bubbles: true }));
    });
    await act(async () => setInput(field(host, 'Save as'), path.join(dir, 'since.pdf')));
    await act(async () => button(host, 'Export').click());
    await until(() => exports.length === 2);
    expect(exports[1]).toMatchObject({ format: 'pdf', since: snapshotId });

    // Other formats have no comparison, and do not send one.
    const format = host.querySelector('select') as HTMLSelectElement;
    await act(async () => {
      format.value = 'json';
      format.dispatchEvent(new Event('change', { bubbles: true }));
    });
    expect(sinceSelect()).toBeUndefined();
    await act(async () => button(host, 'Export').click());
    await until(() => exports.length === 3);
    expect(exports[2]).not.toHaveProperty('since');
    await act(async () => root.unmount());
    await session.close();
  });
});
