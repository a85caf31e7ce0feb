/**
 * CSV out: a people file and a relations file, UTF-8 with a BOM and CRLF line ends so Excel opens
 * them as they are, in the same columns the import reads (so an export imports back). Cells that
 * a spreadsheet would run as a formula (FORMULA_START: = + - @ at the start, their full-width
 * look-alikes, a leading tab or CR) are prefixed with ' (the import strips it again). Reporting
 * lines are the people file's reports_to column; the relations file holds influence, alliance and
 * conflict. Documented in docs/CSV-FORMAT.md.
 */
import Papa from 'papaparse';
import { PROFILE_FIELDS } from '../domain';
import { referenceNames, relationshipWord, type MapData } from './map-data';
import { ATTITUDE_WORDS, INFLUENCE_WORDS, LEVEL_WORDS, FUNCTION_WORDS, RELATION_WORDS, ROLE_WORDS, SOURCE_WORDS, wordOf } from './vocab';
import { isBuiltinSource, type Evidence } from '../evidence';

export const BOM = '\uFEFF';

export const PEOPLE_HEADERS = [
  'id',
  'name',
  'title',
  'department',
  'reports_to',
  'roles',
  'attitude',
  'influence',
  'favours',
  'relationship',
  'owner',
  'notes',
  'level',
  'function',
  'last_contact',
  'evidence',
  'verified_on',
] as const;
export const RELATION_HEADERS = ['from', 'to', 'type', 'strength', 'note', 'evidence', 'verified_on'] as const;

/** How we know (issue 20): the source word and the date verified ('' when unverified). People: their attitude's. */
const evidenceCells = (e: Evidence | undefined): string[] =>
  e ? [e.source === null ? '' : isBuiltinSource(e.source) ? wordOf(SOURCE_WORDS, e.source) : e.source, e.verifiedAt ? e.verifiedAt.slice(0, 10) : ''] : ['', ''];

/**
 * A cell a spreadsheet could run as a formula (CSV injection): one that starts — after any white
 * space, which some programs trim — with = + - or @, or with their full-width or small forms
 * (＝ ＋ － ＠ ﹦ ﹢ ﹣ ﹫, what a Chinese or Japanese input method types; spreadsheets read them as
 * the ASCII signs) or the minus sign −, or that starts with a tab or carriage return. Such a cell
 * is written with a leading ' (shown as text), which the import takes off again.
 */
export const FORMULA_START = /^(?:\s*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20\uFE66\uFE62\uFE63\uFE6B\u2212]|[\t\r])/;

const unparse = (fields: string[], data: string[][]) =>
  BOM + Papa.unparse({ fields, data }, { newline: '\r\n', escapeFormulae: FORMULA_START, quotes: false }) + '\r\n';

const roleWord = (r: string): string => {
  const hit = ROLE_WORDS.find(([v]) => v === r);
  return hit ? hit[1][0]! : r;
};

export function peopleCsv(d: MapData): string {
  const ref = referenceNames(d.people);
  const boss = new Map(d.relations.filter((r) => r.kind === 'reports_to').map((r) => [r.source, r.target]));
  const memberName = new Map(d.team.map((m) => [m.id, m.name]));
  const owners = new Map<string, string[]>();
  for (const c of d.coverage) {
    const name = memberName.get(c.memberId);
    if (name !== undefined) owners.set(c.personId, [...(owners.get(c.personId) ?? []), name]);
  }
  const profileHeaders = d.profiles ? PROFILE_FIELDS.map((f) => `profile_${f}`) : [];
  const rows = d.people.map((p) => {
    const b = boss.get(p.id);
    const row = [
      p.id,
      p.name,
      p.title,
      p.department,
      b ? (ref.get(b) ?? b) : '',
      p.roles.map(roleWord).join('; '),
      wordOf(ATTITUDE_WORDS, p.attitude),
      wordOf(INFLUENCE_WORDS, p.influence),
      p.favours,
      relationshipWord(p),
      (owners.get(p.id) ?? []).join('; '),
      p.notes,
      p.level ? wordOf(LEVEL_WORDS, p.level) : '',
      p.function ? wordOf(FUNCTION_WORDS, p.function) : '',
      p.lastContact ?? '',
      ...evidenceCells(p.evidence?.attitude),
    ];
    if (d.profiles) {
      const prof = d.profiles[p.id];
      for (const f of PROFILE_FIELDS) row.push(prof?.[f] ?? '');
    }
    return row;
  });
  return unparse([...PEOPLE_HEADERS, ...profileHeaders], rows);
}

export function relationsCsv(d: MapData): string {
  const ref = referenceNames(d.people);
  const rows = d.relations
    .filter((r) => r.kind !== 'reports_to')
    .map((r) => [ref.get(r.source) ?? r.source, ref.get(r.target) ?? r.target, wordOf(RELATION_WORDS, r.kind), String(r.strength), r.note, ...evidenceCells(r.evidence)]);
  return unparse([...RELATION_HEADERS], rows);
}

/** The two files a CSV export writes, from the name the user gave: deal.csv → deal-people.csv, deal-relations.csv. */
export function csvFileNames(target: string): { people: string; relations: string } {
  const base = target.replace(/\.csv$/i, '').replace(/-(people|relations)$/i, '');
  return { people: `${base}-people.csv`, relations: `${base}-relations.csv` };
}
