/** Small helpers for showing and picking people. */
import type { MapDocument, Person } from '../../../shared/domain';

/** A person as every picker shows them: the name, and the title that tells namesakes apart. */
export const personLabel = (p: Pick<Person, 'name' | 'title'>): string => (p.title ? `${p.name} · ${p.title}` : p.name);

/** Everyone who reports to `id`, directly or through others (never `id` itself). */
export function subordinatesOf(doc: Pick<MapDocument, 'relations'>, id: string): Set<string> {
  const reports = new Map<string, string[]>();
  for (const r of doc.relations)
    if (r.kind === 'reports_to') reports.set(r.target, [...(reports.get(r.target) ?? []), r.source]);
  const out = new Set<string>();
  const stack = [...(reports.get(id) ?? [])];
  while (stack.length) {
    const x = stack.pop()!;
    if (x === id || out.has(x)) continue;
    out.add(x);
    stack.push(...(reports.get(x) ?? []));
  }
  return out;
}

const nameKey = (s: string) => s.trim().normalize('NFKC').toLowerCase();

/** The other people with the same name (case and width aside). */
export const namesakes = (people: readonly Person[], p: Pick<Person, 'id' | 'name'>): Person[] =>
  people.filter((q) => q.id !== p.id && nameKey(q.name) === nameKey(p.name));
