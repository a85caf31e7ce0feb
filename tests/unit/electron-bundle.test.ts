/**
 * The built main process (dist/electron/main.cjs, what `electron .` runs) started under Node with
 * the electron module replaced by the mock: it must start, find the built renderer and preload
 * on disk, serve index.html and report.html over app:// and open a locked-down window.
 * Needs `npm run build` (npm test builds first).
 */
import fs from 'node:fs';
import Module, { createRequire } from 'node:module';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fake from '../helpers/electron-mock';
import { expectLockedDown } from '../helpers/electron-mock';
import { useTmpDir } from '../helpers/tmp';

const REPO = path.resolve(__dirname, '..', '..');
const MAIN = path.join(REPO, 'dist', 'electron', 'main.cjs');
const tmp = useTmpDir();

type Loader = (request: string, parent: unknown, isMain: boolean) => unknown;
const mod = Module as unknown as { _load: Loader };
const original = mod._load;

beforeAll(() => {
  mod._load = function (request, parent, isMain) {
    return request === 'electron' ? fake : original.call(this, request, parent, isMain);
  };
});
afterAll(() => {
  mod._load = original;
});

describe('the bundled main process', () => {
  it('starts, finds its files and opens a locked-down window serving the built renderer', async () => {
    expect(fs.existsSync(MAIN), 'dist/electron/main.cjs is missing: run npm run build').toBe(true);
    const d = tmp();
    fake.reset({ documents: path.join(d, 'docs'), userData: path.join(d, 'user'), appPath: REPO });
    const argv = process.argv;
    process.argv = ['electron', '.'];
    try {
      createRequire(import.meta.url)(MAIN);
    } finally {
      process.argv = argv;
    }
    expect(fake.protocol.privileged.map((p) => p.scheme)).toEqual(['app']);
    fake.app.becomeReady();
    for (let i = 0; i < 100 && fake.BrowserWindow.all.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    const [w] = fake.BrowserWindow.all;
    expect(w).toBeDefined();
    expectLockedDown(w!.options.webPreferences);
    expect(fs.existsSync(String(w!.options.webPreferences!.preload))).toBe(true);
    expect(w!.loaded).toEqual(['app://powermap/index.html']);
    const serve = fake.protocol.handlers.get('app')!;
    for (const page of ['index.html', 'report.html']) {
      if (!fs.existsSync(path.join(REPO, 'dist', 'renderer', page))) continue;
      const r = await serve({ url: `app://powermap/${page}`, method: 'GET' });
      expect(r.status, page).toBe(200);
      const html = await r.text();
      expect(html).toMatch(/<script type="module"[^>]*src="\.\/assets\/[^"]+\.js"/);
      // Every script the page loads is served too.
      for (const [, src] of html.matchAll(/src="\.\/(assets\/[^"]+\.js)"/g)) {
        const js = await serve({ url: `app://powermap/${src}`, method: 'GET' });
        expect(js.status, src).toBe(200);
        expect(js.headers.get('content-type')).toMatch(/javascript/);
      }
    }
  });
});
