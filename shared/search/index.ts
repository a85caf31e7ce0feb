/**
 * Finding people on the map: by name, title or department, and for Chinese names by full pinyin
 * ("zhangwei", "zhang wei") and by pinyin initials ("zw" finds 张伟). Pure: used by the renderer's
 * search box and people list, testable under Node.
 *
 * pinyin-pro converts Hanzi to pinyin; `surname: 'head'` reads the first character of a name as a
 * surname, so polyphonic surnames come out right (单 → shan, 曾 → zeng).
 */
import { pinyin } from 'pinyin-pro';

const HAN = /[\u3400-\u9fff\uf900-\ufaff]/;
const hasHan = (s: string): boolean => HAN.test(s);

/** Lower case, full-width to half-width, whitespace collapsed. */
const normalize = (s: string): string =>
  s
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();

const compact = (s: string) => s.replace(/[\s·•.\-_'’]/g, '');

export interface PinyinKeys {
  /** Full pinyin without tones or spaces: 张伟 → "zhangwei". */
  full: string;
  /** Initials of each syllable (other characters kept): 张伟 → "zw". */
  initials: string;
}

/** Pinyin keys of a text; empty strings when it has no Chinese characters. */
export function pinyinKeys(text: string, asName = false): PinyinKeys {
  if (!hasHan(text)) return { full: '', initials: '' };
  const opts = { toneType: 'none', type: 'array', nonZh: 'consecutive', surname: asName ? 'head' : 'off' } as const;
  const syllables = pinyin(text, opts).map((s) => normalize(s)).filter((s) => s && s !== ' ');
  const firsts = pinyin(text, { ...opts, pattern: 'first' }).map((s) => normalize(s)).filter((s) => s && s !== ' ');
  return { full: compact(syllables.join('')), initials: compact(firsts.join('')) };
}

export interface SearchEntry {
  id: string;
  name: string;
  /** Normalized name, title, department. */
  fields: { name: string; title: string; department: string };
  pinyin: { name: PinyinKeys; title: PinyinKeys; department: PinyinKeys };
}

export interface Searchable {
  id: string;
  name: string;
  title?: string;
  department?: string;
}

function indexEntry(p: Searchable): SearchEntry {
  return {
    id: p.id,
    name: p.name,
    fields: { name: normalize(p.name), title: normalize(p.title ?? ''), department: normalize(p.department ?? '') },
    pinyin: {
      name: pinyinKeys(p.name, true),
      title: pinyinKeys(p.title ?? ''),
      department: pinyinKeys(p.department ?? ''),
    },
  };
}

export const buildIndex = (people: readonly Searchable[]): SearchEntry[] => people.map(indexEntry);

/**
 * A score for how well the query matches (higher is better); 0 when it does not match.
 * Name beats title beats department; a prefix beats a substring; text beats pinyin.
 */
function score(entry: SearchEntry, query: string): number {
  const q = normalize(query);
  if (!q) return 0;
  const qc = compact(q);
  const f = entry.fields;
  const py = entry.pinyin;
  let best = 0;
  const consider = (s: number) => {
    if (s > best) best = s;
  };
  // Plain text.
  if (f.name === q) consider(100);
  else if (f.name.startsWith(q)) consider(90);
  else if (f.name.includes(q) || compact(f.name).includes(qc)) consider(80);
  if (f.title.includes(q)) consider(f.title.startsWith(q) ? 55 : 50);
  if (f.department.includes(q)) consider(f.department.startsWith(q) ? 45 : 40);
  // Pinyin (only ASCII queries).
  if (/^[a-z0-9 ]+$/.test(q)) {
    if (py.name.full) {
      if (py.name.full === qc) consider(85);
      else if (py.name.full.startsWith(qc)) consider(75);
      else if (qc.length >= 2 && py.name.full.includes(qc)) consider(60);
    }
    if (py.name.initials) {
      if (py.name.initials === qc) consider(78);
      else if (py.name.initials.startsWith(qc)) consider(70);
    }
    for (const k of [py.title, py.department]) {
      if (k.full && qc.length >= 2 && k.full.includes(qc)) consider(35);
      if (k.initials && qc.length >= 2 && k.initials.startsWith(qc)) consider(30);
    }
  }
  return best;
}

/** Ids of the entries matching the query, best first (ties keep the index order). */
export function search(index: readonly SearchEntry[], query: string): string[] {
  if (!normalize(query)) return [];
  return index
    .map((e, i) => ({ id: e.id, s: score(e, query), i }))
    .filter((r) => r.s > 0)
    .sort((a, b) => b.s - a.s || a.i - b.i)
    .map((r) => r.id);
}
