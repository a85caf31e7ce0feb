/**
 * A large generated map (bench/lib/generate.ts, fictional people) whose departments follow its
 * reporting tree, as a real organisation's do: the top person and their direct reports are the
 * head office, and everyone under a direct report works in that report's department.
 */
import { generateMap } from '../../bench/lib/generate';
import type { MapJson } from '../../shared/exchange/json-format';

const DEPARTMENTS = ['Planning office', 'IT centre', 'Materials company', 'Power-use department', 'Finance', 'Safety supervision', 'Grid operations', 'Audit'];

export function departmentalMap(people: number, seed = 7): MapJson {
  const map = generateMap(people, { seed });
  const boss = new Map(map.relations.filter((r) => r.kind === 'reports_to').map((r) => [r.source, r.target]));
  const root = map.people[0]!.id;
  const head = new Map<string, string>();
  let d = 0;
  for (const p of map.people) {
    // The ancestor just under the top person decides the department.
    let id = p.id;
    while (boss.has(id) && boss.get(id) !== root) id = boss.get(id)!;
    if (p.id === root || id === p.id) p.department = 'Head office';
    else {
      if (!head.has(id)) head.set(id, DEPARTMENTS[d++ % DEPARTMENTS.length]!);
      p.department = head.get(id)!;
    }
  }
  return map;
}
