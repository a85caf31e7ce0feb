/**
 * The native menu. Items that act on the map send a HostEvent { type: 'menu', command } to the
 * focused window's renderer (EVENT_CHANNEL), which runs the same code as its own buttons;
 * clipboard, zoom and full screen use Electron's roles. Built as a plain template so tests can
 * read every label, accelerator and action.
 */
import type { MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '../../shared/api/bridge';
import type { RecentEntry } from '../../shared/api';
import type { Lang } from '../../shared/i18n/errors';

const LABELS = {
  'en-US': {
    file: '&File', newMap: 'New Map…', newWindow: 'New Window', open: 'Open…', openRecent: 'Open Recent',
    noRecent: 'No Recent Maps', clearRecent: 'Clear Recent', openSample: 'Open Sample Map', export: 'Export…',
    closeMap: 'Close Map', closeWindow: 'Close Window', quit: 'Quit PowerMap',
    edit: '&Edit', undo: 'Undo', redo: 'Redo', cut: 'Cut', copy: 'Copy', paste: 'Paste', selectAll: 'Select All',
    find: 'Find…', delete: 'Delete Selection',
    map: '&Map', newPerson: 'New Person', newRelation: 'New Relationship',
    view: '&View', zoomIn: 'Zoom In', zoomOut: 'Zoom Out', resetZoom: 'Actual Size', fullScreen: 'Toggle Full Screen',
    reload: 'Reload', devTools: 'Developer Tools',
    window: '&Window', minimize: 'Minimize',
    help: '&Help', helpItem: 'PowerMap Help', about: 'About PowerMap',
  },
  'zh-CN': {
    file: '文件(&F)', newMap: '新建地图…', newWindow: '新建窗口', open: '打开…', openRecent: '最近打开',
    noRecent: '没有最近的地图', clearRecent: '清除最近记录', openSample: '打开示例地图', export: '导出…',
    closeMap: '关闭地图', closeWindow: '关闭窗口', quit: '退出 PowerMap',
    edit: '编辑(&E)', undo: '撤销', redo: '重做', cut: '剪切', copy: '复制', paste: '粘贴', selectAll: '全选',
    find: '查找…', delete: '删除所选',
    map: '地图(&M)', newPerson: '新建人物', newRelation: '新建关系',
    view: '视图(&V)', zoomIn: '放大', zoomOut: '缩小', resetZoom: '实际大小', fullScreen: '切换全屏',
    reload: '重新加载', devTools: '开发者工具',
    window: '窗口(&W)', minimize: '最小化',
    help: '帮助(&H)', helpItem: 'PowerMap 帮助', about: '关于 PowerMap',
  },
} as const;

export interface MenuActions {
  /** Sends a command to the focused map window (or acts without one, see app.ts). */
  command(command: MenuCommand): void;
  newWindow(): void;
  openRecent(file: string): void;
  clearRecent(): void;
  about(): void;
}

export interface MenuOptions {
  platform: NodeJS.Platform;
  lang: Lang;
  recent: RecentEntry[];
  /** Reload and developer tools only in development. */
  dev: boolean;
  actions: MenuActions;
}

export function buildMenuTemplate(o: MenuOptions): MenuItemConstructorOptions[] {
  const t = LABELS[o.lang];
  const mac = o.platform === 'darwin';
  const send = (command: MenuCommand) => () => o.actions.command(command);

  const recentItems: MenuItemConstructorOptions[] = mac
    ? // macOS keeps the list itself (app.addRecentDocument); choosing one emits open-file.
      [{ role: 'clearRecentDocuments', label: t.clearRecent }]
    : [
        ...(o.recent.length
          ? o.recent.map((r): MenuItemConstructorOptions => ({ label: r.name.replace(/&/g, '&&'), sublabel: r.path, click: () => o.actions.openRecent(r.path) }))
          : [{ label: t.noRecent, enabled: false }]),
        { type: 'separator' },
        { label: t.clearRecent, enabled: o.recent.length > 0, click: () => o.actions.clearRecent() },
      ];

  const file: MenuItemConstructorOptions = {
    label: t.file,
    submenu: [
      { id: 'new-map', label: t.newMap, accelerator: 'CmdOrCtrl+N', click: send('new-map') },
      { id: 'new-window', label: t.newWindow, accelerator: 'CmdOrCtrl+Shift+N', click: () => o.actions.newWindow() },
      { id: 'open-map', label: t.open, accelerator: 'CmdOrCtrl+O', click: send('open-map') },
      { id: 'open-recent', label: t.openRecent, ...(mac ? { role: 'recentDocuments' as const } : {}), submenu: recentItems },
      { id: 'open-sample', label: t.openSample, click: send('open-sample') },
      { type: 'separator' },
      { id: 'export', label: t.export, accelerator: 'CmdOrCtrl+E', click: send('export') },
      { type: 'separator' },
      // macOS: Cmd+W closes the window (and its map), as in every Mac document app. Windows and
      // Linux: Ctrl+W goes back to the welcome screen, so closing a map never quits the app.
      { id: 'close-map', label: t.closeMap, accelerator: mac ? 'Cmd+Shift+W' : 'Ctrl+W', click: send('close-map') },
      { id: 'close-window', label: t.closeWindow, accelerator: mac ? 'Cmd+W' : 'Ctrl+Shift+W', role: 'close' },
      ...(mac ? [] : [{ type: 'separator' as const }, { id: 'quit', label: t.quit, accelerator: 'CmdOrCtrl+Q', role: 'quit' as const }]),
    ],
  };

  const edit: MenuItemConstructorOptions = {
    label: t.edit,
    submenu: [
      // Undo/redo go to the renderer: it undoes the map edit, or the text edit when a field has focus.
      { id: 'undo', label: t.undo, accelerator: 'CmdOrCtrl+Z', click: send('undo') },
      { id: 'redo', label: t.redo, accelerator: o.platform === 'win32' ? 'Ctrl+Y' : 'Shift+CmdOrCtrl+Z', click: send('redo') },
      { type: 'separator' },
      { id: 'cut', label: t.cut, role: 'cut', accelerator: 'CmdOrCtrl+X' },
      { id: 'copy', label: t.copy, role: 'copy', accelerator: 'CmdOrCtrl+C' },
      { id: 'paste', label: t.paste, role: 'paste', accelerator: 'CmdOrCtrl+V' },
      { id: 'select-all', label: t.selectAll, role: 'selectAll', accelerator: 'CmdOrCtrl+A' },
      { type: 'separator' },
      { id: 'find', label: t.find, accelerator: 'CmdOrCtrl+F', click: send('find') },
      // Shown, not registered: the Delete key must keep working in text fields.
      { id: 'delete-selection', label: t.delete, accelerator: 'Delete', registerAccelerator: false, click: send('delete-selection') },
    ],
  };

  const map: MenuItemConstructorOptions = {
    label: t.map,
    submenu: [
      { id: 'new-person', label: t.newPerson, accelerator: 'CmdOrCtrl+Shift+P', click: send('new-person') },
      { id: 'new-relation', label: t.newRelation, accelerator: 'CmdOrCtrl+Shift+R', click: send('new-relation') },
    ],
  };

  const view: MenuItemConstructorOptions = {
    label: t.view,
    submenu: [
      { id: 'zoom-in', label: t.zoomIn, role: 'zoomIn', accelerator: 'CmdOrCtrl+Plus' },
      { id: 'zoom-out', label: t.zoomOut, role: 'zoomOut', accelerator: 'CmdOrCtrl+-' },
      { id: 'reset-zoom', label: t.resetZoom, role: 'resetZoom', accelerator: 'CmdOrCtrl+0' },
      { type: 'separator' },
      { id: 'full-screen', label: t.fullScreen, role: 'togglefullscreen', accelerator: mac ? 'Ctrl+Cmd+F' : 'F11' },
      ...(o.dev
        ? [
            { type: 'separator' as const },
            { id: 'reload', label: t.reload, role: 'reload' as const },
            { id: 'dev-tools', label: t.devTools, role: 'toggleDevTools' as const },
          ]
        : []),
    ],
  };

  const help: MenuItemConstructorOptions = {
    label: t.help,
    role: 'help',
    submenu: [
      { id: 'help', label: t.helpItem, accelerator: 'F1', click: send('help') },
      ...(mac ? [] : [{ type: 'separator' as const }, { id: 'about', label: t.about, click: () => o.actions.about() }]),
    ],
  };

  const appMenu: MenuItemConstructorOptions[] = mac
    ? [
        {
          label: 'PowerMap',
          submenu: [
            { role: 'about', label: t.about },
            { type: 'separator' },
            { role: 'services' },
            { type: 'separator' },
            { role: 'hide' },
            { role: 'hideOthers' },
            { role: 'unhide' },
            { type: 'separator' },
            { role: 'quit', label: t.quit },
          ],
        },
      ]
    : [];
  const windowMenu: MenuItemConstructorOptions[] = mac ? [{ label: t.window, role: 'windowMenu' }] : [];

  return [...appMenu, file, edit, map, view, ...windowMenu, help];
}

/** Every item of a template, depth first (for tests and lookups). */
export function flattenMenu(items: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return items.flatMap((i) => [i, ...(Array.isArray(i.submenu) ? flattenMenu(i.submenu) : [])]);
}
