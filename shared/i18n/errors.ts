/**
 * Error messages in both UI languages, keyed by the API error code. Used by the renderer's
 * dialogs and by the CLI's one-line errors (LANG picks the language there).
 */
import type { ApiErrorShape, ErrorCode } from '../api/errors';

export type Lang = 'en-US' | 'zh-CN';

const EN: Record<ErrorCode, string> = {
  BAD_REQUEST: 'The request was refused: {{detail}}',
  NO_MAP_OPEN: 'No map is open.',
  NOT_FOUND: 'That item no longer exists in this map.',
  FILE_NOT_FOUND: '{{name}} was not found.',
  FILE_EXISTS: '{{name}} already exists; choose another name or overwrite it explicitly.',
  NOT_A_POWERMAP: '{{name}} is not a PowerMap map.',
  CORRUPT: '{{name}} is damaged and cannot be opened. The file was not changed.',
  UNTRUSTED: '{{name}} holds database code PowerMap did not put there ({{what}}); it was not opened and was not changed. Ask the sender to export it as JSON instead.',
  NEWER_VERSION: '{{name}} was made by a newer version of PowerMap. Update PowerMap to open it.',
  READ_ONLY: '{{name}} is read-only: copy it somewhere you can write, then open the copy.',
  LOCKED: '{{name}} is already open in another PowerMap window or program.',
  INVALID_EDIT: 'That change is not allowed: {{detail}}',
  IMPORT_FAILED: 'The file was not imported: {{detail}}',
  UNSUPPORTED: 'This is not available here: {{detail}}',
  IO: 'A file error occurred: {{detail}}',
  UNAVAILABLE: 'The server cannot reach its database right now; nothing was changed. Try again in a moment.',
  UNAUTHENTICATED: 'You are not signed in, or your session has ended. Sign in again.',
  BAD_CREDENTIALS: 'The email or the password is wrong.',
  FORBIDDEN: 'That was refused: {{detail}}',
  RATE_LIMITED: 'Too many attempts. Try again in {{minutes}} min.',
  INTERNAL: 'Something went wrong inside PowerMap: {{detail}}',
};

const ZH: Record<ErrorCode, string> = {
  BAD_REQUEST: '请求被拒绝：{{detail}}',
  NO_MAP_OPEN: '当前没有打开的地图。',
  NOT_FOUND: '该项目已不在此地图中。',
  FILE_NOT_FOUND: '找不到文件 {{name}}。',
  FILE_EXISTS: '{{name}} 已存在，请换一个名称或明确选择覆盖。',
  NOT_A_POWERMAP: '{{name}} 不是 PowerMap 地图文件。',
  CORRUPT: '{{name}} 已损坏，无法打开。文件未被修改。',
  UNTRUSTED: '{{name}} 含有并非 PowerMap 写入的数据库代码（{{what}}），未打开，也未修改。请让发送者改为导出 JSON 文件。',
  NEWER_VERSION: '{{name}} 由更新版本的 PowerMap 创建，请升级后再打开。',
  READ_ONLY: '{{name}} 为只读文件：请复制到可写的位置后再打开副本。',
  LOCKED: '{{name}} 已在另一个 PowerMap 窗口或程序中打开。',
  INVALID_EDIT: '不允许此修改：{{detail}}',
  IMPORT_FAILED: '文件未导入：{{detail}}',
  UNSUPPORTED: '此处不支持该功能：{{detail}}',
  IO: '文件错误：{{detail}}',
  UNAVAILABLE: '服务器暂时无法连接数据库，未做任何修改。请稍后再试。',
  UNAUTHENTICATED: '您尚未登录，或登录已失效，请重新登录。',
  BAD_CREDENTIALS: '邮箱或密码不正确。',
  FORBIDDEN: '请求被拒绝：{{detail}}',
  RATE_LIMITED: '尝试次数过多，请 {{minutes}} 分钟后再试。',
  INTERNAL: 'PowerMap 内部出错：{{detail}}',
};

export const ERROR_MESSAGES: Record<Lang, Record<ErrorCode, string>> = { 'en-US': EN, 'zh-CN': ZH };

/**
 * Messages for a particular reason (`params.why`) that say more than the code's general one
 * (a snapshot is not a file; a link beside a map is not a read-only file).
 */
export const REASON_MESSAGES: Record<Lang, Record<string, string>> = {
  'en-US': {
    'snapshot-too-large':
      'The snapshot {{name}} would unpack to more than {{limit}} MB, far more than this map could hold: it is damaged or was not made by PowerMap, so it was not opened. The map itself is unaffected.',
    'snapshot-invalid': 'The snapshot {{name}} holds data PowerMap does not accept ({{problem}}), so it was not opened. The map itself is unaffected.',
    'not-a-file': '{{name}} is not a regular file (it is a named pipe, a device or a socket): PowerMap imports only files. Save the data to a file and import that.',
    'companion-link':
      '{{name}} was not opened: {{companion}} beside it is a link to another file (or not a file at all), not the map’s own journal, and PowerMap does not follow it. Remove {{companion}} or move the map to a folder of its own, then open it again. Nothing was changed.',
  },
  'zh-CN': {
    'snapshot-too-large': '快照 {{name}} 解压后会超过 {{limit}} MB，远超此地图可能的大小：它已损坏或并非由 PowerMap 生成，因此未打开。地图本身不受影响。',
    'snapshot-invalid': '快照 {{name}} 含有 PowerMap 不接受的数据（{{problem}}），因此未打开。地图本身不受影响。',
    'not-a-file': '{{name}} 不是普通文件（而是命名管道、设备或套接字）：PowerMap 只导入文件。请先把数据保存为文件，再导入该文件。',
    'companion-link':
      '未打开 {{name}}：旁边的 {{companion}} 是指向另一个文件的链接（或根本不是文件），而不是该地图自己的日志文件，PowerMap 不会跟随它。请删除 {{companion}}，或把地图移到单独的文件夹，然后重新打开。未做任何修改。',
  },
};

/** One line describing the error in the given language. */
export function errorMessage(e: ApiErrorShape, lang: Lang): string {
  const why = e.params?.why;
  const template = (typeof why === 'string' && Object.hasOwn(REASON_MESSAGES[lang], why) ? REASON_MESSAGES[lang][why] : undefined) ?? ERROR_MESSAGES[lang][e.code] ?? e.message;
  const params: Record<string, string> = { detail: e.message, name: '', ...stringify(e.params) };
  if (!params.name) params.name = lang === 'zh-CN' ? '该文件' : 'The file';
  return template.replace(/\{\{(\w+)\}\}/g, (_m, k: string) => params[k] ?? '');
}

const stringify = (p?: Record<string, string | number>) =>
  Object.fromEntries(Object.entries(p ?? {}).map(([k, v]) => [k, String(v)]));

/** Picks zh-CN for Chinese locales (zh, zh-CN, zh_CN.UTF-8, zh-Hans…), English otherwise. */
export const langFromLocale = (locale: string | undefined | null): Lang =>
  /^zh/i.test(locale ?? '') ? 'zh-CN' : 'en-US';
