/**
 * What an undo step is called: a message key and its parameters (names, places), stored with
 * the step in the map file's undo log and put into words in the UI language when shown
 * ("Undo: Edit Zhao Li" / "撤销：编辑 赵丽"). Steps written by earlier versions carry English
 * text; `decodeEditLabel` reads the phrases those versions wrote back into keys, and shows any
 * other text as it is.
 */
import type { Lang } from './errors';

export const EDIT_LABEL_KEYS = [
  'map.edit',
  'person.add',
  'person.edit',
  'person.delete',
  'profile.edit',
  'relation.add',
  'relation.edit',
  'relation.delete',
  'member.add',
  'member.edit',
  'member.delete',
  'coverage.set',
  'coverage.remove',
  'positions.move',
  'snapshot.restore',
  'contact.add',
  'contact.edit',
  'contact.delete',
  'trip.add',
  'trip.edit',
  'trip.delete',
  'evidence.confirm',
  /** Offline changes sent back and merged (issue 19): one step, named for the user who sent them. */
  'sync.merge',
  /** A local map published over its team map ("update"). */
  'sync.publish',
  'step.done',
  'step.open',
  /** Free text from an earlier version that no phrase matches: shown as it is. */
  'text',
] as const;
export type EditLabelKey = (typeof EDIT_LABEL_KEYS)[number];

export interface EditLabel {
  key: EditLabelKey;
  params?: Record<string, string | number>;
}

/** The stand-in purge writes for an erased person's name (privacy/purge.ts). */
export const ERASED = '(erased)';

type Template = (p: Record<string, string>) => string;
const q = (s: string | undefined) => s ?? '';

/** Where a move happened: positions are kept per layout, so undo may change one not on screen. */
const LAYOUT_WHERE: Record<string, Record<Lang, string>> = {
  org: { 'en-US': ' in the org chart', 'zh-CN': '（组织架构）' },
  force: { 'en-US': ' in the relationships layout', 'zh-CN': '（关系网络）' },
  grid: { 'en-US': ' in the power grid', 'zh-CN': '（权力矩阵）' },
  levels: { 'en-US': ' in the level × function grid', 'zh-CN': '（层级 × 职能）' },
};
const where = (p: Record<string, string>, lang: Lang) => LAYOUT_WHERE[p.layout ?? '']?.[lang] ?? '';

const CONTACT_KIND: Record<string, Record<Lang, string>> = {
  meeting: { 'en-US': 'meeting', 'zh-CN': '会面' },
  call: { 'en-US': 'call', 'zh-CN': '电话' },
  event: { 'en-US': 'event', 'zh-CN': '活动' },
  other: { 'en-US': 'contact', 'zh-CN': '联系' },
};

export const EDIT_LABELS: Record<Lang, Record<EditLabelKey, Template>> = {
  'en-US': {
    'map.edit': () => 'Edit map details',
    'person.add': (p) => `Add ${q(p.name)}`,
    'person.edit': (p) => `Edit ${q(p.name)}`,
    'person.delete': (p) => `Delete ${q(p.name)}`,
    'profile.edit': (p) => `Edit personal details of ${q(p.name)}`,
    'relation.add': (p) => `Connect ${q(p.a)} and ${q(p.b)}`,
    'relation.edit': (p) => (p.a && p.b ? `Edit the line between ${p.a} and ${p.b}` : 'Edit line'),
    'relation.delete': (p) => (p.a && p.b ? `Delete the line between ${p.a} and ${p.b}` : 'Delete line'),
    'member.add': (p) => `Add ${q(p.name)} to our team`,
    'member.edit': (p) => `Edit ${q(p.name)}`,
    'member.delete': (p) => `Remove ${q(p.name)} from our team`,
    'coverage.set': (p) => `${q(p.member)} covers ${q(p.person)}`,
    'coverage.remove': (p) => `${q(p.member)} no longer covers ${q(p.person)}`,
    'positions.move': (p) => `${p.name ? `Move ${p.name}` : `Move ${q(p.count)} people`}${where(p, 'en-US')}`,
    'snapshot.restore': (p) => `Restore snapshot “${q(p.name)}”`,
    'contact.add': (p) => `Log ${CONTACT_KIND[p.kind ?? '']?.['en-US'] ?? 'contact'} with ${q(p.name)}`,
    'contact.edit': (p) => `Edit contact with ${q(p.name)}`,
    'contact.delete': (p) => `Delete contact with ${q(p.name)}`,
    'trip.add': (p) => `Add trip of ${q(p.name)} to ${q(p.place)}`,
    'trip.edit': (p) => `Edit trip of ${q(p.name)}`,
    'trip.delete': (p) => `Delete trip of ${q(p.name)}`,
    'evidence.confirm': (p) => (p.name ? `Confirm facts about ${p.name}` : `Confirm ${q(p.count)} facts`),
    'sync.merge': (p) => `Merge offline changes${p.name ? ` from ${p.name}` : ''} (${q(p.count)})`,
    'sync.publish': (p) => `Publish the local map over this one${p.name ? ` (${p.name})` : ''}`,
    'step.done': () => 'Tick off a next step',
    'step.open': () => 'Reopen a next step',
    text: (p) => q(p.text),
  },
  'zh-CN': {
    'map.edit': () => '编辑项目信息',
    'person.add': (p) => `添加 ${q(p.name)}`,
    'person.edit': (p) => `编辑 ${q(p.name)}`,
    'person.delete': (p) => `删除 ${q(p.name)}`,
    'profile.edit': (p) => `编辑 ${q(p.name)} 的个人档案`,
    'relation.add': (p) => `连线 ${q(p.a)} 与 ${q(p.b)}`,
    'relation.edit': (p) => (p.a && p.b ? `编辑 ${p.a} 与 ${p.b} 之间的关系线` : '编辑关系线'),
    'relation.delete': (p) => (p.a && p.b ? `删除 ${p.a} 与 ${p.b} 之间的关系线` : '删除关系线'),
    'member.add': (p) => `将 ${q(p.name)} 加入我方团队`,
    'member.edit': (p) => `编辑 ${q(p.name)}`,
    'member.delete': (p) => `将 ${q(p.name)} 移出我方团队`,
    'coverage.set': (p) => `${q(p.member)} 覆盖 ${q(p.person)}`,
    'coverage.remove': (p) => `${q(p.member)} 不再覆盖 ${q(p.person)}`,
    'positions.move': (p) => `${p.name ? `移动 ${p.name}` : `移动 ${q(p.count)} 人`}${where(p, 'zh-CN')}`,
    'snapshot.restore': (p) => `恢复快照“${q(p.name)}”`,
    'contact.add': (p) => `记录与 ${q(p.name)} 的${CONTACT_KIND[p.kind ?? '']?.['zh-CN'] ?? '联系'}`,
    'contact.edit': (p) => `编辑与 ${q(p.name)} 的联系记录`,
    'contact.delete': (p) => `删除与 ${q(p.name)} 的联系记录`,
    'trip.add': (p) => `添加 ${q(p.name)} 前往 ${q(p.place)} 的行程`,
    'trip.edit': (p) => `编辑 ${q(p.name)} 的行程`,
    'trip.delete': (p) => `删除 ${q(p.name)} 的行程`,
    'evidence.confirm': (p) => (p.name ? `确认 ${p.name} 的信息` : `确认 ${q(p.count)} 条信息`),
    'sync.merge': (p) => `合并${p.name ? ` ${p.name} 的` : ''}离线修改（${q(p.count)} 处）`,
    'sync.publish': (p) => `用本地地图更新此地图${p.name ? `（${p.name}）` : ''}`,
    'step.done': () => '勾选完成一项下一步行动',
    'step.open': () => '重新打开一项下一步行动',
    text: (p) => q(p.text),
  },
};

const ERASED_WORD: Record<Lang, string> = { 'en-US': ERASED, 'zh-CN': '（已抹除）' };

/** The step's name in the UI language. */
export function editLabelText(label: EditLabel, lang: Lang): string {
  const params: Record<string, string> = {};
  for (const [k, v] of Object.entries(label.params ?? {})) params[k] = v === ERASED ? ERASED_WORD[lang] : String(v);
  return (EDIT_LABELS[lang][label.key] ?? EDIT_LABELS[lang].text)(params);
}

const isKey = (k: unknown): k is EditLabelKey => typeof k === 'string' && (EDIT_LABEL_KEYS as readonly string[]).includes(k);

/** How a label is kept in the undo log's label column: JSON (earlier versions wrote plain text). */
export function encodeEditLabel(label: EditLabel | string): string {
  if (typeof label === 'string') return label;
  return JSON.stringify(label.params && Object.keys(label.params).length ? { key: label.key, params: label.params } : { key: label.key });
}

const CONTACT_WORD: Record<string, string> = { meeting: 'meeting', call: 'call', event: 'event', contact: 'other' };

/** The phrases of earlier versions (English, with names inside), most specific first. */
const LEGACY: [RegExp, (m: RegExpExecArray) => EditLabel][] = [
  [/^Edit map details$/, () => ({ key: 'map.edit' })],
  [/^Add (.+) to our team$/, (m) => ({ key: 'member.add', params: { name: m[1]! } })],
  [/^Remove (.+) from our team$/, (m) => ({ key: 'member.delete', params: { name: m[1]! } })],
  [/^Edit personal details of (.+)$/, (m) => ({ key: 'profile.edit', params: { name: m[1]! } })],
  [/^Edit relation$/, () => ({ key: 'relation.edit' })],
  [/^Delete relation$/, () => ({ key: 'relation.delete' })],
  [/^Restore snapshot “(.*)”$/, (m) => ({ key: 'snapshot.restore', params: { name: m[1]! } })],
  [/^Log (meeting|call|event|contact) with (.+)$/, (m) => ({ key: 'contact.add', params: { kind: CONTACT_WORD[m[1]!]!, name: m[2]! } })],
  [/^Edit contact with (.+)$/, (m) => ({ key: 'contact.edit', params: { name: m[1]! } })],
  [/^Delete contact with (.+)$/, (m) => ({ key: 'contact.delete', params: { name: m[1]! } })],
  [/^Add trip of (.+?) to (.+)$/, (m) => ({ key: 'trip.add', params: { name: m[1]!, place: m[2]! } })],
  [/^Edit trip of (.+)$/, (m) => ({ key: 'trip.edit', params: { name: m[1]! } })],
  [/^Delete trip of (.+)$/, (m) => ({ key: 'trip.delete', params: { name: m[1]! } })],
  [/^(.+) no longer covers (.+)$/, (m) => ({ key: 'coverage.remove', params: { member: m[1]!, person: m[2]! } })],
  [/^Connect (.+) and (.+)$/, (m) => ({ key: 'relation.add', params: { a: m[1]!, b: m[2]! } })],
  [/^(.+) covers (.+)$/, (m) => ({ key: 'coverage.set', params: { member: m[1]!, person: m[2]! } })],
  [/^Add (.+)$/, (m) => ({ key: 'person.add', params: { name: m[1]! } })],
  [/^Edit (.+)$/, (m) => ({ key: 'person.edit', params: { name: m[1]! } })],
  [/^Delete (.+)$/, (m) => ({ key: 'person.delete', params: { name: m[1]! } })],
];

/** A label as the undo log keeps it, back as a key and parameters. */
export function decodeEditLabel(stored: string): EditLabel {
  if (stored.startsWith('{')) {
    try {
      const v = JSON.parse(stored) as { key?: unknown; params?: unknown };
      if (isKey(v.key)) {
        const params: Record<string, string | number> = {};
        if (v.params && typeof v.params === 'object')
          for (const [k, x] of Object.entries(v.params)) if (typeof x === 'string' || typeof x === 'number') params[k] = x;
        return Object.keys(params).length ? { key: v.key, params } : { key: v.key };
      }
    } catch {
      /* plain text that starts with a brace */
    }
  }
  for (const [re, make] of LEGACY) {
    const m = re.exec(stored);
    if (m) return make(m);
  }
  return { key: 'text', params: { text: stored } };
}
