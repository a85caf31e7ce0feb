/**
 * CSV import, the part both sides share: parsing decoded text (papaparse; delimiter , ; or tab
 * detected from the header), mapping English or Chinese headers and values onto the domain, and
 * checking the whole file. All or nothing: `buildImport` returns the map data only when there is
 * no problem; otherwise one problem per bad cell, each naming its file, row and column.
 * Decoding bytes (UTF-8 with or without BOM, GB18030/GBK) happens on the Node side
 * (services/exchange/decode.ts). Documented in docs/CSV-FORMAT.md.
 */
import Papa from 'papaparse';
import {
  PersonSchema,
  defaultPersonFields,
  isSymmetricKind,
  switchesOf,
  type Coverage,
  type Person,
  type Relation,
  type TeamMember,
} from '../domain';
import type { Lang } from '../i18n/errors';
import { FORMULA_START } from './csv-export';
import type { Evidence } from '../evidence';
import { isCalendarDate } from '../time/dates';
import {
  ATTITUDE_WORDS,
  INFLUENCE_WORDS,
  LEVEL_WORDS,
  FUNCTION_WORDS,
  PEOPLE_COLUMNS,
  RELATIONSHIP_WORDS,
  RELATION_COLUMNS,
  RELATION_WORDS,
  ROLE_WORDS,
  SOURCE_WORDS,
  STRENGTH_WORDS,
  lookup,
  normalizeWord,
  splitList,
  wordsOf,
  type ColumnSpec,
} from './vocab';

/** One problem: which file, which row (1 = the header, as a spreadsheet numbers them), which column. */
export interface CsvProblem {
  file: string;
  row: number | null;
  column: string | null;
  message: string;
}

/** A file after parsing: its header cells and data records, with the row number of each. */
export interface CsvTable {
  file: string;
  delimiter: string;
  headers: string[];
  records: { row: number; cells: string[] }[];
  problems: CsvProblem[];
}

export interface ImportData {
  people: Person[];
  relations: Relation[];
  team: TeamMember[];
  coverage: Coverage[];
}

/** A person row as the preview shows it (values already mapped to the domain). */
export interface PreviewPerson {
  row: number;
  name: string;
  title: string;
  department: string;
  roles: string[];
  attitude: string;
  influence: string;
  reportsTo: string;
  owners: string[];
}

export interface ImportResult {
  /** Present only when there is no problem at all. */
  data: ImportData | null;
  problems: CsvProblem[];
  /** Not problems: columns ignored because their header means nothing to PowerMap. */
  warnings: string[];
  counts: { people: number; relations: number; team: number; coverage: number };
  preview: PreviewPerson[];
  /** Which file column fed which field: header as written → canonical key. */
  columns: { file: string; header: string; key: string | null }[];
}

const PREVIEW_ROWS = 100;
/** More problems than this are summarised in one last line. */
const MAX_PROBLEMS = 500;
/**
 * The widest file read: as many columns as a spreadsheet holds (Excel's limit). A wider header is
 * refused at once, before the rest of the file is parsed.
 */
export const MAX_COLUMNS = 16_384;
/** Ignored columns listed one by one per file; the rest are counted in one line. */
export const MAX_IGNORED_LISTED = 20;

const T = {
  'en-US': {
    row: (n: number) => `row ${n}`,
    column: (c: string) => `column ${c}`,
    noColumn: (names: string) => `there is no ${names} column`,
    dupColumn: (c: string) => `the column ${c} appears twice`,
    empty: 'the file has no rows',
    missingQuote: 'a quote (") is opened and never closed',
    badQuote: 'a quoted value is followed by more text before the next delimiter',
    tooMany: (n: number, m: number) => `the row has ${n} values but the header has ${m} columns`,
    required: 'a name is required',
    requiredCell: 'a value is required',
    tooLong: (n: number) => `too long (at most ${n} characters)`,
    unknown: (v: string, words: string) => `unknown value "${v}" (use ${words})`,
    badId: (v: string) => `"${v}" is not a valid id (letters, digits, _ and -)`,
    dupId: (v: string, r: number) => `the id "${v}" is already used on row ${r}`,
    dupName: (v: string, r: number) => `"${v}" is also the name on row ${r}; give both an id`,
    nobody: (v: string) => `"${v}" names nobody in the people file`,
    ambiguous: (v: string, n: number) => `"${v}" is the name of ${n} people; use the id`,
    self: 'a relation needs two different people',
    dupRelation: (r: string) => `the same relation is already given on ${r}`,
    twoBosses: (who: string, r: string) => `${who} already reports to someone else (${r})`,
    loop: (chain: string) => `these reporting lines make a loop: ${chain}`,
    badDate: (v: string) => `"${v}" is not a date as YYYY-MM-DD`,
    invalid: (m: string) => m,
    ignored: (file: string, c: string) => `${file}: column ${c} is not a PowerMap column and was ignored`,
    ignoredMore: (file: string, n: number) => `${file}: ${n.toLocaleString('en-US')} more columns are not PowerMap columns and were ignored`,
    tooWide: (n: number, max: number) =>
      `the header has ${n.toLocaleString('en-US')} columns; PowerMap reads at most ${max.toLocaleString('en-US')}: delete the columns you do not need and import again`,
    more: (n: number) => `… and ${n} more problems`,
    strengthWords: '1, 2, 3 or weak, medium, strong',
    badBytes: (line: number, enc: string, at: string) => `line ${line} holds bytes that are not valid ${enc} (${at}); save the file as UTF-8 and import it again`,
    at: (bytes: string, offset: number) => (bytes ? `${bytes} at byte ${offset + 1} of the line` : `near character ${offset / 2 + 1}`),
    guessed: (file: string, line: number, main: string, enc: string, text: string) =>
      main === enc
        ? `${file}: line ${line} reads as UTF-8 too; it was read as ${enc}, check it: “${text}”`
        : `${file}: line ${line} is not valid ${main}; it was read as ${enc}, check it: “${text}”`,
    moreInvalid: (n: number, enc: string) => `${n.toLocaleString('en-US')} more lines hold bytes that are not valid ${enc}`,
    moreGuessed: (n: number) => `${n.toLocaleString('en-US')} more lines were read in a guessed encoding`,
  },
  'zh-CN': {
    row: (n: number) => `第 ${n} 行`,
    column: (c: string) => `“${c}”列`,
    noColumn: (names: string) => `缺少 ${names} 列`,
    dupColumn: (c: string) => `列 ${c} 出现了两次`,
    empty: '文件没有任何行',
    missingQuote: '引号（"）未闭合',
    badQuote: '引号括起的值后面、下一个分隔符之前还有其他文字',
    tooMany: (n: number, m: number) => `该行有 ${n} 个值，但表头只有 ${m} 列`,
    required: '姓名不能为空',
    requiredCell: '不能为空',
    tooLong: (n: number) => `太长（最多 ${n} 个字符）`,
    unknown: (v: string, words: string) => `未知的值“${v}”（可用：${words}）`,
    badId: (v: string) => `“${v}”不是有效的编号（字母、数字、_ 和 -）`,
    dupId: (v: string, r: number) => `编号“${v}”已在第 ${r} 行使用`,
    dupName: (v: string, r: number) => `第 ${r} 行也叫“${v}”；请为两人填写编号`,
    nobody: (v: string) => `人员文件中没有“${v}”`,
    ambiguous: (v: string, n: number) => `有 ${n} 人叫“${v}”；请使用编号`,
    self: '关系的两端必须是不同的人',
    dupRelation: (r: string) => `同样的关系已在${r}给出`,
    twoBosses: (who: string, r: string) => `${who} 已经汇报给另一个人（${r}）`,
    loop: (chain: string) => `这些汇报关系构成了循环：${chain}`,
    badDate: (v: string) => `“${v}”不是 YYYY-MM-DD 格式的日期`,
    invalid: (m: string) => m,
    ignored: (file: string, c: string) => `${file}：列 ${c} 不是 PowerMap 的列，已忽略`,
    ignoredMore: (file: string, n: number) => `${file}：另有 ${n} 列不是 PowerMap 的列，已忽略`,
    tooWide: (n: number, max: number) => `表头有 ${n} 列，PowerMap 最多读取 ${max} 列：请删除不需要的列后重新导入`,
    more: (n: number) => `……另有 ${n} 个问题`,
    strengthWords: '1、2、3 或 弱、中、强',
    badBytes: (line: number, enc: string, at: string) => `第 ${line} 行含有不符合 ${enc} 编码的字节（${at}）；请将文件另存为 UTF-8 后重新导入`,
    at: (bytes: string, offset: number) => (bytes ? `该行第 ${offset + 1} 个字节：${bytes}` : `约第 ${offset / 2 + 1} 个字符处`),
    guessed: (file: string, line: number, main: string, enc: string, text: string) =>
      main === enc
        ? `${file}：第 ${line} 行也可按 UTF-8 读取；已按 ${enc} 读取，请核对：“${text}”`
        : `${file}：第 ${line} 行不是有效的 ${main}；已按 ${enc} 读取，请核对：“${text}”`,
    moreInvalid: (n: number, enc: string) => `另有 ${n} 行含有不符合 ${enc} 编码的字节`,
    moreGuessed: (n: number) => `另有 ${n} 行按推测的编码读取`,
  },
} as const;

/** One line for a problem: "people.csv row 5, column attitude: unknown value …". */
function formatProblem(p: CsvProblem, lang: Lang): string {
  const t = T[lang];
  const where = [p.row !== null ? t.row(p.row) : null, p.column !== null ? t.column(p.column) : null]
    .filter(Boolean)
    .join(lang === 'zh-CN' ? '，' : ', ');
  return lang === 'zh-CN' ? `${p.file} ${where}：${p.message}` : `${p.file}${where ? ' ' + where : ''}: ${p.message}`;
}

/** A line whose bytes are valid in no encoding tried (services/exchange/decode.ts): a problem. */
export function invalidBytesMessage(l: { line: number; offset: number; bytes: string }, encoding: string, lang: Lang): string {
  const t = T[lang];
  return t.badBytes(l.line, encoding, t.at(l.bytes, l.offset));
}

/** A line read in a guessed encoding: a warning that shows the line as read, so it can be checked. */
export function guessedLineMessage(file: string, g: { line: number; encoding: string; text: string }, main: string, lang: Lang): string {
  return T[lang].guessed(file, g.line, main, g.encoding, g.text);
}

/** The count of lines past the listed ones (services/exchange/decode.ts lists 50 of each). */
export function moreLinesMessage(kind: 'invalid' | 'guessed', n: number, encoding: string, lang: Lang): string {
  return kind === 'invalid' ? T[lang].moreInvalid(n, encoding) : T[lang].moreGuessed(n);
}

/** Formats a problem list for an error's details, summarising past MAX_PROBLEMS. */
export function problemLines(problems: CsvProblem[], lang: Lang, max = MAX_PROBLEMS): string[] {
  const lines = problems.slice(0, max).map((p) => formatProblem(p, lang));
  if (problems.length > max) lines.push(T[lang].more(problems.length - max));
  return lines;
}

const DELIMITERS = [',', ';', '\t'] as const;

/** Splits the first line on `d`, honouring quotes (enough to judge a header). */
function headerCells(firstLine: string, d: string): string[] {
  const r = Papa.parse<string[]>(firstLine, { delimiter: d, preview: 1 });
  return (r.data[0] ?? []).map((s) => s.trim());
}

/** The text up to the first line break. */
function firstLineOf(text: string): string {
  const m = /\r\n|\n|\r/.exec(text);
  return m ? text.slice(0, m.index) : text;
}

/**
 * Picks the delimiter under which the header names the most known columns (then the most cells),
 * and how many header cells it gives (only the first MAX_COLUMNS are looked up).
 */
function detectHeader(text: string, columns: readonly ColumnSpec[]): { delimiter: string; width: number } {
  const firstLine = firstLineOf(text);
  let best: string = ',';
  let bestScore = -1;
  let width = 0;
  for (const d of DELIMITERS) {
    const cells = headerCells(firstLine, d);
    const known = cells.slice(0, MAX_COLUMNS).filter((c) => columnFor(c, columns)).length;
    const score = known * 1000 + (cells.length > 1 ? cells.length : 0);
    if (score > bestScore) {
      best = d;
      bestScore = score;
      width = cells.length;
    }
  }
  return { delimiter: best, width };
}

/** Each column list's aliases, normalized once (a wide header looks up thousands of cells). */
const aliasIndexes = new WeakMap<readonly ColumnSpec[], Map<string, ColumnSpec>>();
const columnFor = (header: string, columns: readonly ColumnSpec[]): ColumnSpec | undefined => {
  let index = aliasIndexes.get(columns);
  if (!index) {
    index = new Map();
    for (const c of columns) for (const a of c.aliases) if (!index.has(normalizeWord(a))) index.set(normalizeWord(a), c);
    aliasIndexes.set(columns, index);
  }
  return index.get(normalizeWord(header));
};

/** Parses decoded CSV text. `file` is the name problems mention (e.g. "people.csv"). */
export function parseCsv(text: string, file: string, kind: 'people' | 'relations', lang: Lang = 'en-US'): CsvTable {
  const t = T[lang];
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const columns = kind === 'people' ? PEOPLE_COLUMNS : RELATION_COLUMNS;
  const { delimiter, width } = detectHeader(text, columns);
  if (width > MAX_COLUMNS)
    return { file, delimiter, headers: [], records: [], problems: [{ file, row: 1, column: null, message: t.tooWide(width, MAX_COLUMNS) }] };
  const parsed = Papa.parse<string[]>(text, { delimiter, skipEmptyLines: false });
  const problems: CsvProblem[] = [];
  const badRows = new Set<number>();
  for (const e of parsed.errors) {
    if (e.type !== 'Quotes' || e.row === undefined) continue;
    const row = e.row + 1;
    badRows.add(e.row);
    problems.push({ file, row, column: null, message: e.code === 'MissingQuotes' ? t.missingQuote : t.badQuote });
  }
  const [head, ...rest] = parsed.data;
  const headers = (head ?? []).map((h) => h.trim());
  const records: CsvTable['records'] = [];
  rest.forEach((cells, i) => {
    if (badRows.has(i + 1)) return;
    if (cells.every((c) => c.trim() === '')) return;
    // A cell our export (or Excel) protected from running as a formula: '=… → =… (also ＝, ＋, a leading tab…).
    records.push({ row: i + 2, cells: cells.map((c) => (c.startsWith("'") && FORMULA_START.test(c.slice(1)) ? c.slice(1) : c)) });
  });
  if (!head || headers.every((h) => h === '')) problems.push({ file, row: null, column: null, message: t.empty });
  return { file, delimiter, headers, records, problems };
}

interface Located {
  index: Map<string, number>;
  header: Map<string, string>;
  columns: ImportResult['columns'];
  warnings: string[];
}

function locate(table: CsvTable, specs: readonly ColumnSpec[], problems: CsvProblem[], lang: Lang): Located {
  const t = T[lang];
  const index = new Map<string, number>();
  const header = new Map<string, string>();
  const columns: ImportResult['columns'] = [];
  const warnings: string[] = [];
  let ignored = 0;
  table.headers.forEach((h, i) => {
    if (h === '') return;
    const spec = columnFor(h, specs);
    columns.push({ file: table.file, header: h, key: spec?.key ?? null });
    if (!spec) {
      if (++ignored <= MAX_IGNORED_LISTED) warnings.push(t.ignored(table.file, h));
      return;
    }
    if (index.has(spec.key)) {
      problems.push({ file: table.file, row: 1, column: h, message: t.dupColumn(h) });
      return;
    }
    index.set(spec.key, i);
    header.set(spec.key, h);
  });
  if (ignored > MAX_IGNORED_LISTED) warnings.push(t.ignoredMore(table.file, ignored - MAX_IGNORED_LISTED));
  if (table.headers.some((h) => h !== ''))
    for (const s of specs)
      if (s.required && !index.has(s.key))
        problems.push({ file: table.file, row: 1, column: null, message: t.noColumn(lang === 'zh-CN' ? `${s.zh}（${s.en}）` : `${s.en} (${s.zh})`) });
  return { index, header, columns, warnings };
}

/** A fresh id that no row uses: imported rows without an id get one. */
function idMaker(prefix: string, taken: Set<string>): () => string {
  const bytes = new Uint8Array(4);
  globalThis.crypto.getRandomValues(bytes);
  const run = Array.from(bytes, (b) => b.toString(36).padStart(2, '0')).join('');
  let n = 0;
  return () => {
    let id: string;
    do id = `${prefix}${run}_${(++n).toString(36)}`;
    while (taken.has(id));
    taken.add(id);
    return id;
  };
}

const ID_RE = /^[A-Za-z0-9_-]{1,64}$/;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const nameKey = (s: string) => s.normalize('NFKC').trim().toLowerCase();

/**
 * Maps and checks the parsed people file (and the relations file, if given). Returns the map
 * data only when nothing is wrong; every problem names its file, row and column.
 */
export function buildImport(people: CsvTable, relations: CsvTable | null, lang: Lang = 'en-US'): ImportResult {
  const t = T[lang];
  const problems: CsvProblem[] = [...people.problems, ...(relations?.problems ?? [])];
  const P = locate(people, PEOPLE_COLUMNS, problems, lang);
  const R = relations ? locate(relations, RELATION_COLUMNS, problems, lang) : null;
  const result = (data: ImportData | null, preview: PreviewPerson[], counts: ImportResult['counts']): ImportResult => ({
    data: problems.length ? null : data,
    problems,
    warnings: [...P.warnings, ...(R?.warnings ?? [])],
    counts,
    preview,
    columns: [...P.columns, ...(R?.columns ?? [])],
  });
  const noCounts = { people: 0, relations: 0, team: 0, coverage: 0 };
  if (!P.index.has('name')) return result(null, [], noCounts);

  const pf = people.file;
  // How we know (issue 20): an optional source and date for the row's facts.
  const importedAt = new Date().toISOString();
  const evidenceOf = (src: string, on: string, bad: (key: string, message: string) => void): Evidence | null => {
    if (!src && !on) return null;
    if (on && (!DATE_RE.test(on) || !isCalendarDate(on))) {
      bad('verified_on', t.badDate(on));
      return null;
    }
    const source = src ? (lookup(SOURCE_WORDS, src) ?? src.slice(0, 40)) : null;
    return { source, verifiedAt: on ? `${on}T00:00:00.000Z` : null, verifiedBy: '', changedAt: importedAt };
  };
  const cell = (rec: { cells: string[] }, key: string, L: Located = P): string => {
    const i = L.index.get(key);
    return i === undefined ? '' : (rec.cells[i] ?? '').trim();
  };
  const problem = (file: string, row: number, key: string | null, message: string, L: Located = P) =>
    problems.push({ file, row, column: key === null ? null : (L.header.get(key) ?? key), message });

  // Pass 1: ids and names.
  const givenIds = new Map<string, number>();
  const byName = new Map<string, { row: number; id: string | null; name: string }[]>();
  for (const rec of people.records) {
    if (rec.cells.length > people.headers.length && rec.cells.slice(people.headers.length).some((c) => c.trim() !== ''))
      problem(pf, rec.row, null, t.tooMany(rec.cells.length, people.headers.length));
    const id = cell(rec, 'id');
    if (id) {
      if (!ID_RE.test(id)) problem(pf, rec.row, 'id', t.badId(id));
      else if (givenIds.has(id)) problem(pf, rec.row, 'id', t.dupId(id, givenIds.get(id)!));
      else givenIds.set(id, rec.row);
    }
    const name = cell(rec, 'name');
    if (!name) {
      problem(pf, rec.row, 'name', t.required);
      continue;
    }
    const k = nameKey(name);
    const list = byName.get(k) ?? [];
    list.push({ row: rec.row, id: id || null, name });
    byName.set(k, list);
  }
  for (const list of byName.values()) {
    if (list.length < 2 || list.every((e) => e.id)) continue;
    for (const e of list.slice(1)) problem(pf, e.row, 'name', t.dupName(e.name, list[0]!.row));
  }

  const taken = new Set(givenIds.keys());
  const newPersonId = idMaker('p_', taken);
  const rowId = new Map<number, string>();
  for (const rec of people.records) rowId.set(rec.row, givenIds.has(cell(rec, 'id')) && givenIds.get(cell(rec, 'id')) === rec.row ? cell(rec, 'id') : newPersonId());
  const allIds = new Set(rowId.values());
  const nameOfId = new Map<string, string>();
  for (const rec of people.records) nameOfId.set(rowId.get(rec.row)!, cell(rec, 'name'));

  /** A reference by id or by unique name; pushes a problem and returns null when it fails. */
  const resolve = (ref: string, file: string, row: number, key: string, L: Located): string | null => {
    if (givenIds.has(ref) && allIds.has(ref)) return ref;
    const hits = byName.get(nameKey(ref)) ?? [];
    if (hits.length === 1) return rowId.get(hits[0]!.row) ?? null;
    problem(file, row, key, hits.length === 0 ? t.nobody(ref) : t.ambiguous(ref, hits.length), L);
    return null;
  };

  // Pass 2: fields.
  const out: Person[] = [];
  const preview: PreviewPerson[] = [];
  const team = new Map<string, TeamMember>();
  const newMemberId = idMaker('m_', new Set());
  const coverage = new Map<string, Coverage>();
  const relationsOut: Relation[] = [];
  const newRelationId = idMaker('r_', new Set());
  const boss = new Map<string, { target: string; where: string; row: number; file: string }>();
  const seenRelation = new Map<string, string>();
  const relationKey = (kind: string, a: string, b: string) =>
    isSymmetricKind(kind) ? `${kind}|${[a, b].sort().join('|')}` : `${kind}|${a}|${b}`;

  for (const rec of people.records) {
    const name = cell(rec, 'name');
    if (!name) continue;
    const id = rowId.get(rec.row)!;
    const fields = { ...defaultPersonFields(), name };
    const vocab = <V extends string | number>(key: string, words: Parameters<typeof lookup<V>>[0]): V | undefined => {
      const v = cell(rec, key);
      if (!v) return undefined;
      const hit = lookup(words, v);
      if (hit === undefined) problem(pf, rec.row, key, t.unknown(v, wordsOf(words, lang)));
      return hit;
    };
    fields.title = cell(rec, 'title');
    fields.department = cell(rec, 'department');
    fields.favours = cell(rec, 'favours');
    fields.notes = cell(rec, 'notes');
    fields.attitude = vocab('attitude', ATTITUDE_WORDS) ?? fields.attitude;
    fields.influence = vocab('influence', INFLUENCE_WORDS) ?? fields.influence;
    fields.level = vocab('level', LEVEL_WORDS) ?? null;
    fields.function = vocab('function', FUNCTION_WORDS) ?? null;
    const rel = vocab('relationship', RELATIONSHIP_WORDS);
    if (rel) Object.assign(fields, switchesOf(rel));
    const last = cell(rec, 'last_contact');
    if (last) {
      if (DATE_RE.test(last)) fields.lastContact = last;
      else problem(pf, rec.row, 'last_contact', t.badDate(last));
    }
    fields.roles = splitList(cell(rec, 'roles')).map((r) => lookup(ROLE_WORDS, r) ?? r);
    const ev = evidenceOf(cell(rec, 'evidence'), cell(rec, 'verified_on'), (k, m) => problem(pf, rec.row, k, m));
    const person = { id, ...fields, ...(ev ? { evidence: { attitude: ev, favours: ev, roles: ev, influence: ev } } : {}) };
    const checked = PersonSchema.safeParse(person);
    if (!checked.success) {
      for (const issue of checked.error.issues) {
        const k = String(issue.path[0] ?? 'name');
        const key = k === 'lastContact' ? 'last_contact' : k;
        problem(pf, rec.row, P.index.has(key) ? key : null, t.invalid(issue.message));
      }
    } else out.push(checked.data);

    const owners = splitList(cell(rec, 'owner'));
    for (const o of owners) {
      const k = nameKey(o);
      let m = team.get(k);
      if (!m) {
        m = { id: newMemberId(), name: o, role: '' };
        team.set(k, m);
      }
      coverage.set(`${m.id}|${id}`, { memberId: m.id, personId: id, strength: 2 });
    }
    for (const o of owners) if (o.length > 200) problem(pf, rec.row, 'owner', t.tooLong(200));

    const bossRef = cell(rec, 'reports_to');
    let bossId: string | null = null;
    if (bossRef) {
      bossId = resolve(bossRef, pf, rec.row, 'reports_to', P);
      if (bossId === id) {
        problem(pf, rec.row, 'reports_to', t.self);
        bossId = null;
      }
      if (bossId) {
        boss.set(id, { target: bossId, where: `${pf} ${t.row(rec.row)}`, row: rec.row, file: pf });
        seenRelation.set(relationKey('reports_to', id, bossId), `${pf} ${t.row(rec.row)}`);
        relationsOut.push({ id: newRelationId(), kind: 'reports_to', source: id, target: bossId, strength: 2, note: '' });
      }
    }
    if (preview.length < PREVIEW_ROWS)
      preview.push({
        row: rec.row,
        name,
        title: fields.title,
        department: fields.department,
        roles: fields.roles,
        attitude: fields.attitude,
        influence: fields.influence,
        reportsTo: bossId ? (nameOfId.get(bossId) ?? bossRef) : bossRef,
        owners,
      });
  }

  // The relations file.
  if (relations && R) {
    const rf = relations.file;
    const hasCols = ['from', 'to', 'type'].every((k) => R.index.has(k));
    for (const rec of hasCols ? relations.records : []) {
      const c = (k: string) => cell(rec, k, R);
      if (rec.cells.length > relations.headers.length && rec.cells.slice(relations.headers.length).some((x) => x.trim() !== ''))
        problem(rf, rec.row, null, t.tooMany(rec.cells.length, relations.headers.length), R);
      const from = c('from');
      const to = c('to');
      const type = c('type');
      const source = from ? resolve(from, rf, rec.row, 'from', R) : (problem(rf, rec.row, 'from', t.requiredCell, R), null);
      const target = to ? resolve(to, rf, rec.row, 'to', R) : (problem(rf, rec.row, 'to', t.requiredCell, R), null);
      const kind = lookup(RELATION_WORDS, type);
      if (kind === undefined) problem(rf, rec.row, 'type', t.unknown(type, wordsOf(RELATION_WORDS, lang)), R);
      const sw = c('strength');
      const strength = sw ? lookup(STRENGTH_WORDS, sw) : 2;
      if (strength === undefined) problem(rf, rec.row, 'strength', t.unknown(sw, t.strengthWords), R);
      const note = c('note');
      if (note.length > 5000) problem(rf, rec.row, 'note', t.tooLong(5000), R);
      if (!source || !target || kind === undefined || strength === undefined) continue;
      if (source === target) {
        problem(rf, rec.row, 'to', t.self, R);
        continue;
      }
      const where = `${rf} ${t.row(rec.row)}`;
      const key = relationKey(kind, source, target);
      if (seenRelation.has(key)) {
        // The same reporting line given in both files is the same fact, not a conflict.
        if (!(kind === 'reports_to' && boss.get(source)?.file === pf)) problem(rf, rec.row, null, t.dupRelation(seenRelation.get(key)!), R);
        continue;
      }
      if (kind === 'reports_to') {
        const b = boss.get(source);
        if (b) {
          problem(rf, rec.row, 'from', t.twoBosses(nameOfId.get(source) ?? source, b.where), R);
          continue;
        }
        boss.set(source, { target, where, row: rec.row, file: rf });
      }
      seenRelation.set(key, where);
      const ev = evidenceOf(c('evidence'), c('verified_on'), (k, m) => problem(rf, rec.row, k, m, R));
      relationsOut.push({ id: newRelationId(), kind, source, target, strength, note, ...(ev ? { evidence: ev } : {}) });
    }
  }

  // Reporting loops.
  const done = new Set<string>();
  for (const start of boss.keys()) {
    if (done.has(start)) continue;
    const path: string[] = [];
    const onPath = new Set<string>();
    let cur: string | undefined = start;
    while (cur && !done.has(cur) && !onPath.has(cur)) {
      path.push(cur);
      onPath.add(cur);
      cur = boss.get(cur)?.target;
    }
    if (cur && onPath.has(cur)) {
      const cycle = path.slice(path.indexOf(cur));
      const chain = [...cycle, cur].map((id) => nameOfId.get(id) ?? id).join(' → ');
      const b = boss.get(cycle[0]!)!;
      problems.push({ file: b.file, row: b.row, column: null, message: t.loop(chain) });
    }
    for (const p of path) done.add(p);
  }

  const fileOrder = (f: string) => (f === pf ? 0 : 1);
  problems.sort((a, b) => fileOrder(a.file) - fileOrder(b.file) || (a.row ?? 0) - (b.row ?? 0));
  const data: ImportData = { people: out, relations: relationsOut, team: [...team.values()], coverage: [...coverage.values()] };
  return result(data, preview, {
    people: out.length,
    relations: relationsOut.length,
    team: data.team.length,
    coverage: data.coverage.length,
  });
}
