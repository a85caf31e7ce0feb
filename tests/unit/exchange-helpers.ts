/** Maps and helpers the exchange tests share (not a test file itself). */
import fs from 'node:fs';
import path from 'node:path';
import { PROFILE_FIELDS, type Person, type Profile } from '../../shared/domain';
import { createMapFile } from '../../services/map/files';
import { loadMap } from '../../services/map/rules';
import type { SqliteMapStore } from '../../storage/sqlite/store';

/** A map that uses every field the JSON form carries, with text that tends to break things. */
export async function richMap(dir: string, name = 'rich.powermap'): Promise<SqliteMapStore> {
  const store = await createMapFile(path.join(dir, name));
  const person = (id: string, over: Partial<Person>): Person => ({
    id,
    name: id,
    title: '',
    department: '',
    roles: [],
    influence: 'medium',
    attitude: 'neutral',
    favours: '',
    servesOrg: false,
    personalBond: false,
    level: null,
    notes: '',
    lastContact: null,
    ...over,
  });
  const profile = (seed: string): Profile =>
    Object.fromEntries(PROFILE_FIELDS.map((f) => [f, `${seed} ${f} — 细节\nline 2`])) as Profile;
  await loadMap(store, {
    meta: {
      account: 'Eastbrook Savings Bank 东溪储蓄银行',
      deal: 'Online banking servers',
      stage: 'evaluation',
      posture: 'comparator',
      incumbent: true,
      competitors: ['Northwind Systems', '远航科技'],
      budget: 'CNY 12 M',
      timeline: 'Q3',
      notes: 'Tender opens\tsoon.\nSecond line.',
    },
    people: [
      person('p1', {
        name: '周明远',
        title: 'IT centre director',
        department: '信息中心',
        roles: ['coach', 'technical', 'Evaluation panel'],
        influence: 'high',
        attitude: 'champion',
        servesOrg: true,
        personalBond: true,
        level: 'management',
        notes: 'Trusts our rep "like family" <b>not bold</b> & more 🎯',
        lastContact: '2024-05-17',
      }),
      person('p2', { name: 'Avery Quill', roles: ['decision-maker'], influence: 'high', attitude: 'strong-opponent', favours: 'Northwind Systems', level: 'decision' }),
      person('p3', { name: '<script>alert(1)</script>', attitude: 'opponent', influence: 'low', personalBond: true, level: 'operations' }),
      person('p4', { name: 'Casey Brook', attitude: 'supporter', servesOrg: true }),
    ],
    relations: [
      { id: 'r1', kind: 'reports_to', source: 'p1', target: 'p2', strength: 2, note: '' },
      { id: 'r2', kind: 'influence', source: 'p1', target: 'p2', strength: 3, note: 'old classmates' },
      { id: 'r3', kind: 'alliance', source: 'p3', target: 'p4', strength: 1, note: '同乡' },
      { id: 'r4', kind: 'conflict', source: 'p2', target: 'p3', strength: 2, note: 'passed over for the post' },
    ],
    team: [
      { id: 'm1', name: 'Dana Reyes', role: 'Account manager' },
      { id: 'm2', name: '林晓', role: '' },
    ],
    coverage: [
      { memberId: 'm1', personId: 'p1', strength: 3 },
      { memberId: 'm1', personId: 'p2', strength: 1 },
      { memberId: 'm2', personId: 'p4', strength: 2 },
    ],
    profiles: { p1: profile('Zhou'), p3: { hometown: 'Harbour town', children: 'Daughter, 9' } },
    positions: {
      org: [
        { id: 'p1', x: 10.5, y: -20.25, pinned: true },
        { id: 'p2', x: 0, y: 0, pinned: false },
        { id: 'm1', x: 300, y: 400, pinned: false },
      ],
      force: [{ id: 'p3', x: -1234.5, y: 99, pinned: false }],
    },
  });
  return store;
}


/**
 * Writes a people file and a relations file: `n` people (each reporting to one of the first fifth,
 * 20 of our team as owners) and 2n relationships in all — n − 1 reporting lines in the people file,
 * n + 1 influence/alliance/conflict lines in the relations file.
 */
export function bigCsv(dir: string, n: number): { people: string; relations: string } {
  const att = ['champion', 'supporter', 'neutral', 'opponent', 'strong opponent'];
  const people = ['id,name,title,department,reports_to,roles,attitude,influence,owner'];
  for (let i = 0; i < n; i++)
    people.push(
      `p${i},Person ${i},Title ${i % 50},Dept ${i % 40},${i ? `p${Math.floor((i - 1) / 5)}` : ''},` +
        `${i % 7 ? 'user' : 'technical;coach'},${att[i % 5]},${['high', 'medium', 'low'][i % 3]},Member ${i % 20}`,
    );
  const kinds = ['influence', 'alliance', 'conflict'];
  const rel = ['from,to,type,strength,note'];
  for (let k = 0; k < n + 1; k++) {
    const a = k % n;
    const b = (a + 1 + Math.floor(k / n)) % n;
    rel.push(`p${a},p${b},${kinds[k % 3]},${(k % 3) + 1},`);
  }
  const f = { people: path.join(dir, 'people.csv'), relations: path.join(dir, 'relations.csv') };
  fs.writeFileSync(f.people, people.join('\n') + '\n');
  fs.writeFileSync(f.relations, rel.join('\n') + '\n');
  return f;
}
