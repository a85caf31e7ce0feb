/**
 * What erasing a person and removing personal details did, in words, in both languages: one
 * wording for the app (the erase dialog, the Import/export panel's privacy part) and the command
 * line (`powermap purge`, `powermap strip-personal`). Plain functions, no i18n runtime.
 */
import type { Mention, PurgeResult, StripResult } from '../api/privacy';
import type { Lang } from './errors';

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
/** What a scrub of the undo history did: steps dropped whole, and row images taken out of others. */
const undoWords = (steps: number, images: number, lang: Lang) =>
  lang === 'zh-CN'
    ? `删去 ${steps} 步${images ? `，从其他步骤中清理 ${images} 处` : ''}`
    : `${plural(steps, 'step', 'steps')} removed${images ? `, ${plural(images, 'record', 'records')} taken out of others` : ''}`;
const listEn = (xs: string[]) => (xs.length < 2 ? xs.join('') : `${xs.slice(0, -1).join(', ')} and ${xs.at(-1)}`);

/** The sentence after a purge; `who` is how to name the person (with their id on the command line). */
export function purgeSummary(r: PurgeResult, lang: Lang, who: string = r.person.name): string {
  const x = r.removed;
  if (lang === 'zh-CN') {
    const parts = [
      x.relations ? `${x.relations} 条关系线` : '',
      x.coverage ? `${x.coverage} 条覆盖` : '',
      x.owned ? `${x.owned} 条接触记录和行程` : '',
      x.profile ? '个人资料' : '',
      x.undoSteps || x.undoImages ? `撤销记录中的痕迹（${undoWords(x.undoSteps, x.undoImages, lang)}）` : '',
      x.snapshots ? `${x.snapshots} 个快照中的副本` : '',
    ].filter(Boolean);
    return `已彻底抹除 ${who}${parts.length ? `，连同${parts.join('、')}` : ''}；地图文件的日志已清空。无法撤销。`;
  }
  const parts = [
    x.relations ? plural(x.relations, 'line', 'lines') : '',
    x.coverage ? plural(x.coverage, 'coverage link', 'coverage links') : '',
    x.owned ? plural(x.owned, 'contact log entry or trip', 'contact log entries and trips') : '',
    x.profile ? 'the personal profile' : '',
    x.undoSteps || x.undoImages ? `their traces in the undo history (${undoWords(x.undoSteps, x.undoImages, lang)})` : '',
    x.snapshots ? `their copies in ${plural(x.snapshots, 'snapshot', 'snapshots')}` : '',
  ].filter(Boolean);
  return `Erased ${who} completely${parts.length ? `, with ${listEn(parts)}` : ''}; the map file's journal is emptied. This cannot be undone.`;
}

const WHERE: Record<Lang, Record<Mention['where'], (what: string) => string>> = {
  'en-US': {
    person: (w) => w,
    relation: (w) => `The line ${w}`,
    member: (w) => `${w} (our team)`,
    map: () => 'The deal details',
    interaction: () => 'A contact log entry',
    trip: () => 'A trip',
    snapshot: (w) => `The snapshot “${w}”`,
    undo: () => 'The undo history',
  },
  'zh-CN': {
    person: (w) => w,
    relation: (w) => `关系线 ${w} `,
    member: (w) => `${w}（我方团队）`,
    map: () => '项目信息',
    interaction: () => '一条接触记录',
    trip: () => '一条行程',
    snapshot: (w) => `快照“${w}”`,
    undo: () => '撤销记录',
  },
};

const FIELD: Record<Lang, Record<string, string>> = {
  'en-US': {
    name: 'name',
    title: 'title',
    department: 'department',
    favours: 'favoured competitor',
    notes: 'notes',
    note: 'note',
    data: 'personal profile',
    role: 'role',
    account: 'account',
    deal: 'deal',
    competitors: 'competitors',
    budget: 'budget',
    timeline: 'timeline',
    place: 'place',
    label: 'step name',
    changes: 'content',
    content: 'content',
  },
  'zh-CN': {
    name: '名称',
    title: '职务',
    department: '部门',
    favours: '倾向的竞争对手',
    notes: '备注',
    note: '备注',
    data: '个人资料',
    role: '角色',
    account: '客户',
    deal: '项目',
    competitors: '竞争对手',
    budget: '预算',
    timeline: '时间表',
    place: '地点',
    label: '步骤名称',
    changes: '内容',
    content: '内容',
  },
};

/**
 * One place where the user's own words still name an erased person (not rewritten: the user
 * decides). `what` names the record (a person's or a snapshot's name, "A → B" for a line); the
 * record's id when the caller has no better name.
 */
export function mentionLine(m: Mention, lang: Lang, what: string = m.id): string {
  const where = WHERE[lang][m.where](what);
  const field = FIELD[lang][m.field] ?? m.field;
  return lang === 'zh-CN'
    ? `${where}的${field}仍提到此人（您自己写的内容，未作修改）。`
    : `${where} (${field}): still names them — your own words, left as they are.`;
}

/** A pre-upgrade backup (`<map>.v1.bak`) still holds what was erased: the user should delete it. */
export function backupLine(file: string, lang: Lang, holds: 'person' | 'details'): string {
  if (lang === 'zh-CN') return `升级前的备份 ${file} 仍包含${holds === 'person' ? '此人' : '个人资料'}，请删除它。`;
  return `The pre-upgrade backup ${file} still holds ${holds === 'person' ? 'them' : 'personal details'}: delete it.`;
}

/** The sentence after "remove personal details", in place or into a copy (`r.change` null). */
export function stripSummary(r: StripResult, lang: Lang, file: string = r.path): string {
  const copy = r.change === null;
  if (lang === 'zh-CN')
    return copy
      ? `已写出 ${file}：不含个人资料的副本（去掉 ${r.profiles} 份个人资料、${r.trips} 条行程），也不含撤销记录。当前地图未改变。`
      : `已从 ${file} 删除 ${r.profiles} 份个人资料和 ${r.trips} 条行程，连同撤销记录中的痕迹（${undoWords(r.undoSteps, r.undoImages, lang)}）。无法撤销。`;
  return copy
    ? `Wrote ${file}: a copy without personal details (${plural(r.profiles, 'profile', 'profiles')} and ${plural(r.trips, 'trip', 'trips')} left out) and without undo history. This map is unchanged.`
    : `Removed ${plural(r.profiles, 'personal profile', 'personal profiles')} and ${plural(r.trips, 'trip', 'trips')} from ${file}, with their traces in the undo history (${undoWords(r.undoSteps, r.undoImages, lang)}). This cannot be undone.`;
}

/** All the words of this module's sentences, for the test that keeps zh-CN free of English. */
export const PRIVACY_WORDS = { WHERE, FIELD };
