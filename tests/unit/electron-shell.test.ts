/**
 * The small pure parts of the Electron shell: where the app finds its files (dev and packaged),
 * which command-line arguments are maps, window bounds, the menu template and the native
 * dialogs of the Host. electron is mocked.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { MENU_COMMANDS } from '../../shared/api/bridge';
import * as fake from '../helpers/electron-mock';
import { useTmpDir } from '../helpers/tmp';

vi.mock('electron', () => import('../helpers/electron-mock'));

const { electronPaths } = await import('../../electron/main/paths');
const { mapFilesFromArgv, filesFromAdditionalData } = await import('../../electron/main/args');
const { initialBounds, windowToSave, CASCADE, MIN_SIZE, DEFAULT_SIZE } = await import('../../electron/main/window-state');
const { buildMenuTemplate, flattenMenu } = await import('../../electron/main/menu');
const { createElectronHost, saveFilters, windowTitle } = await import('../../electron/main/host');

const tmp = useTmpDir();
const REPO = path.resolve(__dirname, '..', '..');
beforeEach(() => {
  const d = tmp();
  fake.reset({ documents: d, userData: d });
});

describe('electronPaths', () => {
  it('finds the renderer, preload and resources in the repo during development', () => {
    const p = electronPaths({ isPackaged: false, appPath: REPO, resourcesPath: '/usr/lib/electron/resources', documents: '/home/u/Documents', userData: '/home/u/.config/PowerMap' });
    expect(p.rendererDir).toBe(path.join(REPO, 'dist', 'renderer'));
    expect(p.preload).toBe(path.join(REPO, 'dist', 'electron', 'preload.cjs'));
    expect(p.resourcesDir).toBe(path.join(REPO, 'resources'));
    expect(p.documentsDir).toBe(path.join('/home/u/Documents', 'PowerMap'));
    expect(p.configDir).toBe('/home/u/.config/PowerMap');
    // The files really are where it says (the sample and the icon ship in the repo).
    expect(fs.existsSync(path.join(p.resourcesDir, 'samples'))).toBe(true);
    expect(fs.existsSync(p.icon)).toBe(true);
    // The bundle esbuild writes is where package.json "main" points, next to the preload.
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
    expect(path.join(REPO, pkg.main)).toBe(path.join(path.dirname(p.preload), 'main.cjs'));
  });

  it('reads the app from app.asar and the samples from the resources folder when packaged', () => {
    const res = '/opt/PowerMap/resources';
    const p = electronPaths({ isPackaged: true, appPath: `${res}/app.asar`, resourcesPath: res, documents: 'C:/Users/u/Documents', userData: '/x' });
    expect(p.rendererDir).toBe(path.join(res, 'app.asar', 'dist', 'renderer'));
    expect(p.preload).toBe(path.join(res, 'app.asar', 'dist', 'electron', 'preload.cjs'));
    expect(p.resourcesDir).toBe(res);
  });
});

describe('mapFilesFromArgv', () => {
  it('picks the .powermap files, resolved, from any command line shape', () => {
    const cwd = '/home/u/work';
    expect(mapFilesFromArgv(['/usr/bin/powermap', 'deal.powermap'], cwd)).toEqual(['/home/u/work/deal.powermap']);
    expect(mapFilesFromArgv(['electron', '.', '--inspect=0', '../maps/Bank.POWERMAP'], cwd)).toEqual(['/home/u/maps/Bank.POWERMAP']);
    expect(mapFilesFromArgv(['powermap', '--no-sandbox', '/abs/a.powermap', '/abs/a.powermap', 'notes.txt', '-x.powermap'], cwd)).toEqual([
      '/abs/a.powermap',
    ]);
    expect(mapFilesFromArgv(['powermap', pathToFileURL('/home/u/空间 map.powermap').href], cwd)).toEqual(['/home/u/空间 map.powermap']);
    expect(mapFilesFromArgv(['powermap.powermap'], cwd)).toEqual([]); // argv[0] is the program
    expect(mapFilesFromArgv(['p', 5, null, 'a\0.powermap', ''], cwd)).toEqual([]);
  });

  it('accepts a second instance’s additionalData only when well formed', () => {
    expect(filesFromAdditionalData({ files: ['/a/b.powermap'] })).toEqual(['/a/b.powermap']);
    expect(filesFromAdditionalData({ files: [] })).toEqual([]);
    for (const bad of [null, undefined, 'x', { files: 'x' }, { files: ['relative.powermap'] }, { files: ['/a/b.txt'] }, { files: [1] }])
      expect(filesFromAdditionalData(bad), JSON.stringify(bad)).toBeNull();
  });
});

describe('window bounds', () => {
  const screen = [{ x: 0, y: 0, width: 1920, height: 1040 }];

  it('restores saved bounds that a display shows, and the maximized state', () => {
    expect(initialBounds({ x: 100, y: 50, width: 1400, height: 900, maximized: true }, screen)).toEqual({
      x: 100,
      y: 50,
      width: 1400,
      height: 900,
      maximized: true,
    });
  });

  it('centres a window saved on a monitor that is gone, and clamps its size', () => {
    expect(initialBounds({ x: 3000, y: 200, width: 2500, height: 1600 }, screen)).toEqual({ width: 1920, height: 1040, maximized: false });
    expect(initialBounds({ x: -5000, y: -5000, width: 100, height: 100 }, screen)).toEqual({ ...MIN_SIZE, maximized: false });
    expect(initialBounds(null, screen)).toEqual({ ...DEFAULT_SIZE, maximized: false });
    expect(initialBounds({ x: Number.NaN, y: 0, width: 1000, height: 700 }, screen)).toEqual({ width: 1000, height: 700, maximized: false });
  });

  it('cascades a further window from the focused one, never maximized', () => {
    expect(initialBounds({ x: 0, y: 0, width: 900, height: 700, maximized: true }, screen, { x: 200, y: 100, width: 1000, height: 800 })).toEqual({
      x: 200 + CASCADE,
      y: 100 + CASCADE,
      width: 1000,
      height: 800,
      maximized: false,
    });
  });

  it('saves the normal bounds', () => {
    expect(windowToSave({ x: 1, y: 2, width: 3, height: 4 }, true)).toEqual({ x: 1, y: 2, width: 3, height: 4, maximized: true });
  });
});

describe('the menu', () => {
  function menu(platform: NodeJS.Platform, lang: 'en-US' | 'zh-CN' = 'en-US', recent = [{ path: '/m/Bank.powermap', name: 'Bank tender', openedAt: '' }]) {
    const actions = { command: vi.fn(), newWindow: vi.fn(), openRecent: vi.fn(), clearRecent: vi.fn(), about: vi.fn() };
    const template = buildMenuTemplate({ platform, lang, recent, dev: false, actions });
    const items = flattenMenu(template);
    const byId = (id: string) => items.find((i) => i.id === id)!;
    return { template, items, byId, actions };
  }
  const click = (item: { click?: unknown }) => (item.click as () => void)();

  it('has the usual accelerators, and each map item sends its command', () => {
    const { byId, actions } = menu('linux');
    const expected: Record<string, string> = {
      'new-map': 'CmdOrCtrl+N',
      'open-map': 'CmdOrCtrl+O',
      undo: 'CmdOrCtrl+Z',
      redo: 'Shift+CmdOrCtrl+Z',
      find: 'CmdOrCtrl+F',
      export: 'CmdOrCtrl+E',
      'close-map': 'Ctrl+W',
      help: 'F1',
    };
    for (const [id, acc] of Object.entries(expected)) {
      expect(byId(id).accelerator, id).toBe(acc);
      actions.command.mockClear();
      click(byId(id));
      expect(actions.command, id).toHaveBeenCalledWith(id);
    }
    // Every command the renderer knows is reachable from the menu.
    const sent = new Set<string>();
    for (const c of MENU_COMMANDS) {
      const item = byId(c);
      expect(item, c).toBeDefined();
      actions.command.mockClear();
      click(item);
      sent.add(actions.command.mock.calls[0]![0]);
    }
    expect([...sent].sort()).toEqual([...MENU_COMMANDS].sort());
    expect(byId('delete-selection').registerAccelerator).toBe(false);
  });

  it('uses roles for clipboard, zoom and full screen', () => {
    const { byId } = menu('win32');
    expect(byId('cut').role).toBe('cut');
    expect(byId('copy').role).toBe('copy');
    expect(byId('paste').role).toBe('paste');
    expect(byId('select-all').role).toBe('selectAll');
    expect(byId('zoom-in').role).toBe('zoomIn');
    expect(byId('zoom-out').role).toBe('zoomOut');
    expect(byId('reset-zoom').role).toBe('resetZoom');
    expect(byId('full-screen').role).toBe('togglefullscreen');
    expect(byId('redo').accelerator).toBe('Ctrl+Y');
    expect(byId('quit').role).toBe('quit');
    expect(byId('close-window').role).toBe('close');
  });

  it('lists recent maps on Windows and Linux, and lets macOS keep its own list', () => {
    const { byId, actions, items } = menu('linux');
    const recent = byId('open-recent').submenu as { label?: string; click?: () => void; enabled?: boolean }[];
    expect(recent[0]!.label).toBe('Bank tender');
    recent[0]!.click!();
    expect(actions.openRecent).toHaveBeenCalledWith('/m/Bank.powermap');
    recent.at(-1)!.click!();
    expect(actions.clearRecent).toHaveBeenCalled();
    expect(items.some((i) => i.role === 'reload' || i.role === 'toggleDevTools')).toBe(false);

    const mac = menu('darwin');
    expect(mac.byId('open-recent').role).toBe('recentDocuments');
    expect(mac.template[0]!.label).toBe('PowerMap');
    expect(mac.byId('close-window').accelerator).toBe('Cmd+W');
    expect(mac.items.some((i) => i.role === 'windowMenu')).toBe(true);

    const empty = menu('win32', 'en-US', []);
    expect((empty.byId('open-recent').submenu as { enabled?: boolean }[])[0]!.enabled).toBe(false);
  });

  it('speaks Chinese for a Chinese UI', () => {
    const { template, byId } = menu('linux', 'zh-CN');
    expect(template.map((t) => t.label)).toEqual(['文件(&F)', '编辑(&E)', '地图(&M)', '视图(&V)', '帮助(&H)']);
    expect(byId('new-map').label).toBe('新建地图…');
  });
});

describe('the Electron Host', () => {
  function host() {
    const win = new fake.BrowserWindow({});
    const onMapOpened = vi.fn();
    const h = createElectronHost({ window: () => win as never, locale: () => 'zh-CN', lang: () => 'zh-CN', documentsDir: '/docs/PowerMap', onMapOpened });
    return { h, win, onMapOpened };
  }

  it('opens native dialogs on the map window, filtered to .powermap', async () => {
    const { h, win } = host();
    fake.dialog.showOpenDialog.mockResolvedValueOnce({ canceled: false, filePaths: ['/docs/a.powermap'] });
    expect(await h.pickOpenPath()).toBe('/docs/a.powermap');
    const [parent, opts] = fake.dialog.showOpenDialog.mock.calls[0]! as [unknown, { filters: { extensions: string[] }[]; defaultPath: string }];
    expect(parent).toBe(win);
    expect(opts.filters).toEqual([{ name: 'PowerMap 地图', extensions: ['powermap'] }]);
    expect(opts.defaultPath).toBe('/docs/PowerMap');
    expect(await h.pickOpenPath()).toBeNull(); // cancelled

    fake.dialog.showSaveDialog.mockResolvedValueOnce({ canceled: false, filePath: '/docs/New deal.powermap' });
    expect(await h.pickSavePath('New deal.powermap')).toBe('/docs/New deal.powermap');
    const [, save] = fake.dialog.showSaveDialog.mock.calls[0]! as [unknown, { defaultPath: string; filters: unknown }];
    expect(save.defaultPath).toBe(path.join('/docs/PowerMap', 'New deal.powermap'));
    expect(save.filters).toEqual([{ name: 'PowerMap 地图', extensions: ['powermap'] }]);
    expect(await h.pickSavePath('x')).toBeNull();
    expect(h.kind).toBe('electron');
    expect(h.locale).toBe('zh-CN');
  });

  it('filters an export by its own extension, and never lets a name pick the folder', async () => {
    expect(saveFilters('Deal review.pdf', 'en-US')).toEqual([{ name: 'PDF documents', extensions: ['pdf'] }]);
    expect(saveFilters('untitled', 'en-US')).toEqual([{ name: 'PowerMap maps', extensions: ['powermap'] }]);
    const { h } = host();
    await h.pickSavePath('../../etc/passwd.powermap');
    const [, save] = fake.dialog.showSaveDialog.mock.calls[0]! as [unknown, { defaultPath: string }];
    expect(save.defaultPath).toBe(path.join('/docs/PowerMap', 'passwd.powermap'));
  });

  it('titles the window and records the recent document when a map opens, and resets on close', () => {
    const { h, win, onMapOpened } = host();
    h.mapOpened!('/docs/PowerMap/Northbank tender.powermap');
    expect(win.title).toBe('Northbank tender — PowerMap');
    expect(fake.app.recentDocuments).toEqual(['/docs/PowerMap/Northbank tender.powermap']);
    expect(onMapOpened).toHaveBeenCalledWith('/docs/PowerMap/Northbank tender.powermap');
    h.mapClosed!();
    expect(win.title).toBe('PowerMap');
    expect(windowTitle(null)).toBe('PowerMap');
  });
});
