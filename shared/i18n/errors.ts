/**
 * Error messages in both UI languages, keyed by the API error code. Used by the renderer's
 * dialogs and by the CLI's one-line errors (LANG picks the language there).
 */
import { isApiErrorShape, type ApiErrorShape, type ErrorCode } from '../api/errors';

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
 * The rules an edit or an import can break, each a whole sentence in both languages: the error
 * names one in `params.reason`, with what the sentence needs in the other params. Only words from
 * here and the user's own names reach the screen.
 */
export const ERROR_REASONS = {
  reporting_loop: {
    'en-US': 'That reporting line would make a loop: {{boss}} already reports, directly or through others, to {{person}}.',
    'zh-CN': '这条汇报线会形成循环：{{boss}} 已直接或间接向 {{person}} 汇报。',
  },
  relation_self: {
    'en-US': 'A line needs two different people.',
    'zh-CN': '关系线需要连接两个不同的人。',
  },
  relation_duplicate: {
    'en-US': 'These two people already have a line of that kind ({{kind}}).',
    'zh-CN': '这两人之间已有同类关系线（{{kind}}）。',
  },
  not_on_team: {
    'en-US': 'Not on our team: {{names}}.',
    'zh-CN': '不是我方团队成员：{{names}}。',
  },
  future_contact: {
    'en-US': '{{date}} is in the future: log a contact once it has happened (plan visits as trips).',
    'zh-CN': '{{date}} 尚未到来：联系发生后再记录（计划中的拜访请记为行程）。',
  },
  trip_dates: {
    'en-US': 'A trip ends on or after the day it starts ({{from}} … {{to}}).',
    'zh-CN': '行程的结束日期不能早于开始日期（{{from}} … {{to}}）。',
  },
  snapshot_too_large: {
    'en-US':
      'The snapshot {{name}} would unpack to more than {{limit}} MB, far more than this map could hold: it is damaged or was not made by PowerMap, so it was not opened. The map itself is unaffected.',
    'zh-CN': '快照 {{name}} 解压后会超过 {{limit}} MB，远超此地图可能的大小：它已损坏或并非由 PowerMap 生成，因此未打开。地图本身不受影响。',
  },
  snapshot_invalid: {
    'en-US': 'The snapshot {{name}} holds data PowerMap does not accept ({{problem}}), so it was not opened. The map itself is unaffected.',
    'zh-CN': '快照 {{name}} 含有 PowerMap 不接受的数据（{{problem}}），因此未打开。地图本身不受影响。',
  },
  not_a_file: {
    'en-US': '{{name}} is not a regular file (it is a named pipe, a device or a socket): PowerMap imports only files. Save the data to a file and import that.',
    'zh-CN': '{{name}} 不是普通文件（而是命名管道、设备或套接字）：PowerMap 只导入文件。请先把数据保存为文件，再导入该文件。',
  },
  companion_link: {
    'en-US':
      '{{name}} was not opened: {{companion}} beside it is a link to another file (or not a file at all), not the map’s own journal, and PowerMap does not follow it. Remove {{companion}} or move the map to a folder of its own, then open it again. Nothing was changed.',
    'zh-CN':
      '未打开 {{name}}：旁边的 {{companion}} 是指向另一个文件的链接（或根本不是文件），而不是该地图自己的日志文件，PowerMap 不会跟随它。请删除 {{companion}}，或把地图移到单独的文件夹，然后重新打开。未做任何修改。',
  },
  import_problems: {
    'en-US': 'The file was not imported: {{count}} problems, listed below. Nothing was changed.',
    'zh-CN': '文件未导入：共 {{count}} 个问题，见下方列表。未做任何更改。',
  },
  // ---- the team server from the desktop app and the CLI (issue 19) ----
  unreachable: {
    'en-US': 'The team server at {{server}} did not answer. Check the address and the connection; nothing was changed here.',
    'zh-CN': '团队服务器 {{server}} 没有应答。请检查地址和网络连接；本地未做任何更改。',
  },
  not_powermap: {
    'en-US': '{{server}} answered (HTTP {{status}}), but not as a PowerMap team server. Check the address; nothing was changed here.',
    'zh-CN': '{{server}} 有应答（状态码 {{status}}），但它不是 PowerMap 团队服务器。请检查地址；本地未做任何更改。',
  },
  bad_url: {
    'en-US': 'That is not a team server address: give one like https://powermap.example.com.',
    'zh-CN': '这不是团队服务器地址：请输入服务器的完整网址。',
  },
  needs_https: {
    'en-US': 'A team server on another computer is reached over https:// only (plain http:// only on this computer).',
    'zh-CN': '其他计算机上的团队服务器只能通过加密连接访问（未加密的连接仅限本机）。',
  },
  login_again: {
    'en-US': 'The team server no longer accepts your sign-in (it expired or was revoked): run {{command}} again.',
    'zh-CN': '团队服务器不再接受您的登录（已过期或已被撤销）：请重新运行 {{command}}。',
  },
  not_logged_in: {
    'en-US': 'Not signed in to a team server: run {{command}} first.',
    'zh-CN': '尚未登录团队服务器：请先运行 {{command}}。',
  },
  other_server: {
    'en-US': 'This map was saved from another team server ({{server}}): send its changes there. The file is unchanged.',
    'zh-CN': '此地图保存自另一台团队服务器（{{server}}）：请把修改发送到那里。文件未做更改。',
  },
  team_map_gone: {
    'en-US': 'The team map “{{name}}” is gone from the server, or no longer shared with you. This file is unchanged and stays usable; publish it to make a new team map.',
    'zh-CN': '团队地图“{{name}}”已从服务器删除，或已不再与您共享。此文件未做更改，仍可正常使用；可将其发布为新的团队地图。',
  },
  not_from_team: {
    'en-US': 'This map was not saved from a team server, so there is nothing to send back: publish it instead.',
    'zh-CN': '此地图并非从团队服务器保存，没有可发回的修改：请改为发布它。',
  },
  bad_bundle: {
    'en-US': 'The team server refused the map’s content ({{detail}}). Nothing was published.',
    'zh-CN': '团队服务器拒绝了地图内容：其中有地图无法容纳的数据。未发布任何内容。',
  },
  publish_running: {
    'en-US': 'This map is still being published; try again in a moment.',
    'zh-CN': '此地图仍在发布中，请稍后再试。',
  },
  update_which: {
    'en-US': 'Say which team map to update (several were published from this map, or none was).',
    'zh-CN': '请指明要更新哪一张团队地图（此地图发布过多次，或从未发布过）。',
  },
  base_image: {
    'en-US': 'The copy of the team map this file was saved from cannot be read, so its changes cannot be merged. The map itself is unaffected; publish it instead.',
    'zh-CN': '此文件保存时留存的团队地图副本无法读取，因此无法合并其修改。地图本身不受影响；可改为发布它。',
  },
  team_none: {
    'en-US': 'Connect to a team server first.',
    'zh-CN': '请先连接团队服务器。',
  },
  team_tokens: {
    'en-US': 'Access tokens are made and revoked on the team server’s own page or with the powermap command, not from here.',
    'zh-CN': '访问令牌只能在团队服务器自己的页面上或用 powermap 命令创建和撤销，不能在这里操作。',
  },
} satisfies Record<string, Record<Lang, string>>;
export type ErrorReason = keyof typeof ERROR_REASONS;

/**
 * The codes whose message says what went wrong in words of its own (no English detail needed).
 * The others end in the main side's English detail; in Chinese that detail is shown apart, as a
 * technical note (describeError).
 */
const ZH_WITHOUT_DETAIL: Partial<Record<ErrorCode, string>> = {
  BAD_REQUEST: '请求被拒绝：输入的内容不符合要求。',
  INVALID_EDIT: '不允许此修改：它违反了地图的规则。',
  IMPORT_FAILED: '文件未导入，未做任何更改。',
  UNSUPPORTED: '此处不支持该功能。',
  IO: '读写文件时出错。',
  INTERNAL: 'PowerMap 内部出错。',
  FORBIDDEN: '请求被拒绝：您没有这项操作的权限。',
};

/** Kind words in the reason sentences (relation kinds). */
const KIND_WORDS: Record<string, Record<Lang, string>> = {
  reports_to: { 'en-US': 'reports to', 'zh-CN': '汇报' },
  influence: { 'en-US': 'influences', 'zh-CN': '影响' },
  alliance: { 'en-US': 'alliance', 'zh-CN': '同盟' },
  conflict: { 'en-US': 'conflict', 'zh-CN': '矛盾' },
};

/** Puts parameters into a sentence's {{name}} slots (the UI's own string tables use it too). */
export const fill = (template: string, params: Record<string, string | number> = {}): string =>
  template.replace(/\{\{(\w+)\}\}/g, (_m, k: string) => String(params[k] ?? ''));

function paramsOf(e: ApiErrorShape, lang: Lang): Record<string, string> {
  const params: Record<string, string> = { detail: e.message, name: '', ...stringify(e.params) };
  if (!params.name) params.name = lang === 'zh-CN' ? '该文件' : 'The file';
  if (params.kind && KIND_WORDS[params.kind]) params.kind = KIND_WORDS[params.kind]![lang];
  return params;
}

const reasonOf = (e: ApiErrorShape): ErrorReason | null => {
  const r = e.params?.reason;
  return typeof r === 'string' && Object.hasOwn(ERROR_REASONS, r) ? (r as ErrorReason) : null;
};

/** One line describing the error in the given language (the CLI's, the dialogs'). */
export function errorMessage(e: ApiErrorShape, lang: Lang): string {
  const reason = reasonOf(e);
  const template = reason ? ERROR_REASONS[reason][lang] : (ERROR_MESSAGES[lang][e.code] ?? e.message);
  return fill(template, paramsOf(e, lang));
}

/** One line for anything a call threw: an API error in the UI language, else the error's own message. */
export const messageOf = (e: unknown, lang: Lang): string =>
  isApiErrorShape(e) ? errorMessage(e, lang) : String((e as Error)?.message ?? e);

/**
 * The error for the app's banner: a message wholly in the UI language and, where the main side
 * said more than the message can in Chinese (an OS or SQLite message, a validation path), that
 * English detail apart as a technical note.
 */
export function describeError(e: ApiErrorShape, lang: Lang): { message: string; technical: string | null } {
  const reason = reasonOf(e);
  if (reason || lang !== 'zh-CN' || !ERROR_MESSAGES[lang][e.code]?.includes('{{detail}}'))
    return { message: errorMessage(e, lang), technical: null };
  return { message: fill(ZH_WITHOUT_DETAIL[e.code] ?? ERROR_MESSAGES[lang][e.code], paramsOf(e, lang)), technical: e.message || null };
}

const stringify = (p?: Record<string, string | number>) =>
  Object.fromEntries(Object.entries(p ?? {}).map(([k, v]) => [k, String(v)]));

/** Picks zh-CN for Chinese locales (zh, zh-CN, zh_CN.UTF-8, zh-Hans…), English otherwise. */
export const langFromLocale = (locale: string | undefined | null): Lang =>
  /^zh/i.test(locale ?? '') ? 'zh-CN' : 'en-US';
