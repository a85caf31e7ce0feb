/**
 * Deterministic generated maps of any size (fictional people only), for the benchmark and the
 * trust tests: a reporting tree, influence / alliance / conflict edges, our team, coverage and
 * some personal profiles. Same seed, same map.
 */
import {
  ATTITUDES,
  BUILTIN_ROLES,
  INFLUENCES,
  LEVELS,
  type Coverage,
  type Person,
  type Profile,
  type Relation,
  type RelationKind,
  type TeamMember,
} from '../../shared/domain';
import { JSON_FORMAT, JSON_VERSION, type MapJson } from '../../shared/exchange/json-format';

/** mulberry32: a tiny seeded PRNG, so every failure and every figure can be reproduced. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SURNAMES = ['Zhao', 'Qian', 'Sun', 'Li', 'Zhou', 'Wu', 'Zheng', 'Wang', 'Feng', 'Chen', 'Chu', 'Wei', 'Jiang', 'Shen', 'Han', 'Yang'];
const GIVEN = ['Wenbo', 'Xiaoyu', 'Jianguo', 'Lihua', 'Mingyu', 'Haoran', 'Yiting', 'Zihan', 'Ruoxi', 'Junjie', 'Shufen', 'Guolin'];
const ZH_SURNAMES = ['赵', '钱', '孙', '李', '周', '吴', '郑', '王'];
const ZH_GIVEN = ['文博', '晓雨', '建国', '丽华', '明宇', '浩然', '一婷', '子涵'];
const TITLES = ['Director', 'Deputy director', 'Chief engineer', 'Head of planning', 'Engineer', 'Procurement officer', 'Vice-president'];
const DEPTS = ['IT centre', 'Planning office', 'Materials company', 'Power-use department', 'Finance', 'Head office'];

export interface GenerateOptions {
  seed?: number;
  /** Share of people with a personal profile (default 0.25). */
  profileShare?: number;
}

export function generateMap(people: number, opts: GenerateOptions = {}): MapJson {
  const rnd = prng(opts.seed ?? 42);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const pad = (i: number) => String(i).padStart(6, '0');

  const ps: Person[] = [];
  for (let i = 0; i < people; i++) {
    const zh = rnd() < 0.4;
    ps.push({
      id: `p_${pad(i)}`,
      name: zh ? `${pick(ZH_SURNAMES)}${pick(ZH_GIVEN)}${i}` : `${pick(GIVEN)} ${pick(SURNAMES)} ${i}`,
      title: pick(TITLES),
      department: pick(DEPTS),
      roles: rnd() < 0.5 ? [pick(BUILTIN_ROLES)] : [],
      influence: pick(INFLUENCES),
      attitude: pick(ATTITUDES),
      favours: rnd() < 0.2 ? 'Rival Systems' : '',
      servesOrg: rnd() < 0.5,
      personalBond: rnd() < 0.3,
      level: rnd() < 0.8 ? pick(LEVELS) : null,
      notes: rnd() < 0.3 ? `Met at the spring review; prefers short written briefs (${i}).` : '',
      lastContact: rnd() < 0.5 ? `2026-0${1 + Math.floor(rnd() * 9)}-1${Math.floor(rnd() * 10)}` : null,
    });
  }

  const rels: Relation[] = [];
  const seen = new Set<string>();
  const add = (kind: RelationKind, s: number, t: number) => {
    if (s === t) return;
    const symmetric = kind === 'alliance' || kind === 'conflict';
    const k = symmetric ? `${kind}:${Math.min(s, t)}:${Math.max(s, t)}` : `${kind}:${s}:${t}`;
    if (seen.has(k)) return;
    seen.add(k);
    rels.push({
      id: `r_${pad(rels.length)}`,
      kind,
      source: ps[s]!.id,
      target: ps[t]!.id,
      strength: (1 + Math.floor(rnd() * 3)) as 1 | 2 | 3,
      note: '',
    });
  };
  // A reporting tree (each person's boss has a lower index: no loops), fan-out about 5.
  for (let i = 1; i < people; i++) add('reports_to', i, Math.floor((i - 1) / 5));
  const n = people;
  if (n > 1) {
    for (let i = 0; i < n; i++) add('influence', Math.floor(rnd() * n), Math.floor(rnd() * n));
    for (let i = 0; i < Math.ceil(n / 10); i++) add('alliance', Math.floor(rnd() * n), Math.floor(rnd() * n));
    for (let i = 0; i < Math.ceil(n / 20); i++) add('conflict', Math.floor(rnd() * n), Math.floor(rnd() * n));
  }

  const team: TeamMember[] = [];
  const members = Math.max(3, Math.ceil(n / 50));
  for (let i = 0; i < members; i++) team.push({ id: `m_${pad(i)}`, name: `Rep ${pick(SURNAMES)} ${i}`, role: pick(['account manager', 'engineer', 'executive sponsor']) });
  const coverage: Coverage[] = [];
  const covSeen = new Set<string>();
  for (let i = 0; i < Math.ceil(n / 3); i++) {
    const m = team[Math.floor(rnd() * team.length)]!.id;
    const p = ps[Math.floor(rnd() * n)]?.id;
    if (!p || covSeen.has(`${m}:${p}`)) continue;
    covSeen.add(`${m}:${p}`);
    coverage.push({ memberId: m, personId: p, strength: (1 + Math.floor(rnd() * 3)) as 1 | 2 | 3 });
  }

  const profiles: Record<string, Partial<Profile>> = {};
  const share = opts.profileShare ?? 0.25;
  for (const p of ps)
    if (rnd() < share)
      profiles[p.id] = { hometown: `Riverside county ${Math.floor(rnd() * 90)}`, sports: pick(['tennis', 'badminton', 'hiking', 'go']), children: rnd() < 0.3 ? 'a son in middle school' : '' };

  return {
    format: JSON_FORMAT,
    version: JSON_VERSION,
    meta: {
      account: 'Generated provincial bureau',
      deal: `Generated tender, ${n} people`,
      stage: 'tender',
      posture: 'comparator',
      incumbent: false,
      competitors: ['Rival Systems'],
      budget: '',
      timeline: '',
      notes: '',
    },
    people: ps,
    relations: rels,
    team,
    coverage,
    profiles,
  };
}
