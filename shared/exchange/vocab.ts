/**
 * The words CSV files use for PowerMap's columns and values, in English and Chinese (see
 * docs/CSV-FORMAT.md). Matching is case-insensitive; spaces, '-' and '_' count as one space.
 */
import type { Attitude, BuiltinRole, Influence, Level, PersonFunction, RelationKind, Relationship } from '../domain';
import type { Lang } from '../i18n/errors';

/** Lower-cases, trims, and folds runs of space, '-' and '_' into one space. */
export const normalizeWord = (s: string): string =>
  s
    .normalize('NFKC')
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, ' ');

/** A column of a people or relations file: its canonical key and the headers that name it. */
export interface ColumnSpec {
  key: string;
  en: string;
  zh: string;
  aliases: readonly string[];
  required?: boolean;
}

const col = (key: string, en: string, zh: string, aliases: string[] = [], required = false): ColumnSpec => ({
  key,
  en,
  zh,
  aliases: [en, zh, ...aliases],
  required,
});

export const PEOPLE_COLUMNS: readonly ColumnSpec[] = [
  col('name', 'name', '姓名', ['名字'], true),
  col('id', 'id', '编号'),
  col('title', 'title', '职位', ['职务']),
  col('department', 'department', '部门'),
  col('reports_to', 'reports_to', '汇报对象', ['reports to', 'manager', '上级']),
  col('roles', 'roles', '角色', ['role']),
  col('attitude', 'attitude', '态度'),
  col('influence', 'influence', '影响力'),
  col('favours', 'favours', '倾向', ['favors', 'favours competitor']),
  col('relationship', 'relationship', '关系'),
  col('owner', 'owner', '负责人', ['owners']),
  col('notes', 'notes', '备注', ['note']),
  col('level', 'level', '层级'),
  col('function', 'function', '职能'),
  col('last_contact', 'last_contact', '最近联系', ['last contact', '最近联系日期']),
  // How we know (issue 20), optional: one source and date for the row's facts.
  col('evidence', 'evidence', '信息来源', ['how we know', 'source of facts']),
  col('verified_on', 'verified_on', '核实日期', ['verified on', 'verified']),
];

export const RELATION_COLUMNS: readonly ColumnSpec[] = [
  col('from', 'from', '起点', ['source'], true),
  col('to', 'to', '终点', ['target'], true),
  col('type', 'type', '类型', ['kind'], true),
  col('strength', 'strength', '强度'),
  col('note', 'note', '备注', ['notes']),
  col('evidence', 'evidence', '信息来源', ['how we know', 'source of facts']),
  col('verified_on', 'verified_on', '核实日期', ['verified on', 'verified']),
];

/** A vocabulary: canonical value → the words (English and Chinese) that mean it. */
type Vocab<T extends string | number> = readonly (readonly [T, readonly string[]])[];

export const ATTITUDE_WORDS: Vocab<Attitude> = [
  ['champion', ['champion', '坚定支持']],
  ['supporter', ['supporter', '支持']],
  ['neutral', ['neutral', '中立']],
  ['opponent', ['opponent', '反对']],
  ['strong-opponent', ['strong opponent', '坚决反对']],
];
export const INFLUENCE_WORDS: Vocab<Influence> = [
  ['high', ['high', '高']],
  ['medium', ['medium', '中']],
  ['low', ['low', '低']],
];
export const RELATIONSHIP_WORDS: Vocab<Relationship> = [
  ['outsider', ['outsider', '局外人']],
  ['friend', ['friend', '朋友']],
  ['supplier', ['supplier', '供应商']],
  ['partner', ['partner', '伙伴']],
];
export const LEVEL_WORDS: Vocab<Level> = [
  ['decision', ['decision', '决策层']],
  ['management', ['management', '管理层']],
  ['operations', ['operations', '操作层']],
];
export const FUNCTION_WORDS: Vocab<PersonFunction> = [
  ['user', ['user', '使用']],
  ['technical', ['technical', '技术']],
  ['procurement', ['procurement', '采购']],
  ['other', ['other', '其他']],
];
export const RELATION_WORDS: Vocab<RelationKind> = [
  ['reports_to', ['reports_to', '汇报', 'reports to']],
  ['influence', ['influence', '影响']],
  ['alliance', ['alliance', '同盟']],
  ['conflict', ['conflict', '矛盾']],
];
export const STRENGTH_WORDS: Vocab<1 | 2 | 3> = [
  [1, ['1', 'weak', '弱']],
  [2, ['2', 'medium', '中']],
  [3, ['3', 'strong', '强']],
];
export const ROLE_WORDS: Vocab<BuiltinRole> = [
  ['decision-maker', ['decision maker', '决策者', 'economic buyer']],
  ['user', ['user', '使用者', 'user buyer']],
  ['technical', ['technical', '技术把关者', 'technical buyer']],
  ['procurement', ['procurement', '采购/财务', 'finance', 'procurement/finance', '采购', '财务']],
  ['coach', ['coach', '教练']],
];

/** Sources of a fact (issue 20); a word not listed is the user's own source, kept as written. */
export const SOURCE_WORDS: Vocab<'met' | 'coach' | 'colleague' | 'public' | 'guess'> = [
  ['met', ['met', '当面接触', 'met in person', '当面']],
  ['coach', ['coach', '教练透露', 'told by our coach', '教练']],
  ['colleague', ['colleague', '同事转述', 'told by a colleague', '同事']],
  ['public', ['public', '公开信息', 'public record', '公开']],
  ['guess', ['guess', '推测', 'our guess', '猜测']],
];

/** Looks a cell up in a vocabulary; undefined when the word is unknown. */
const indexes = new WeakMap<Vocab<string | number>, Map<string, string | number>>();
export function lookup<T extends string | number>(vocab: Vocab<T>, value: string): T | undefined {
  let index = indexes.get(vocab) as Map<string, T> | undefined;
  if (!index) {
    index = new Map(vocab.flatMap(([v, words]) => words.map((w) => [normalizeWord(w), v] as const)));
    indexes.set(vocab, index);
  }
  const hit = index.get(value);
  return hit !== undefined ? hit : index.get(normalizeWord(value));
}

/** The words a user may write, for error messages: "champion, supporter, …" or "坚定支持、支持、…". */
export function wordsOf<T extends string | number>(vocab: Vocab<T>, lang: Lang): string {
  return lang === 'zh-CN'
    ? vocab.map(([, w]) => w[1] ?? w[0]).join('、')
    : vocab.map(([, w]) => w[0]).join(', ');
}

/** The English word of a value (CSV export writes English values). */
export function wordOf<T extends string | number>(vocab: Vocab<T>, value: T): string {
  return vocab.find(([v]) => v === value)?.[1][0] ?? String(value);
}

/** Separators between several roles or owners in one cell: ; ； 、 */
const LIST_SEPARATORS = /[;；、]/;
export const splitList = (cell: string): string[] =>
  cell
    .split(LIST_SEPARATORS)
    .map((s) => s.trim())
    .filter(Boolean);
