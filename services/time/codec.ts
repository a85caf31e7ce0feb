/**
 * How a snapshot body is stored: the map in columns (one array per field), relations, coverage
 * and positions pointing at people and members by index instead of repeating their ids, the
 * relations' own ids left out (a relation is what it connects), positions rounded to whole
 * pixels; then Brotli. On a 2,000-person map with random ids this is about a third of the
 * size of Brotli over plain row JSON (bench/cases/time.ts measures it).
 *
 * Codec 'br-cols-1' (snapshot.codec); a newer codec is refused with a clear error.
 */
import zlib from 'node:zlib';
import { ApiError } from '../../shared/api/errors';
import {
  LAYOUTS,
  type Attitude,
  type Coverage,
  type Influence,
  type LayoutName,
  type Level,
  type MapMeta,
  type Person,
  type Position,
  type Relation,
  type RelationKind,
  type TeamMember,
} from '../../shared/domain';
import type { SnapshotContent } from '../../shared/time/types';

export const CODEC = 'br-cols-1';
const FORMAT = 'powermap-snapshot';

interface PositionCols {
  /** person index ≥ 0; our team member m as −1 − m */
  node: number[];
  x: number[];
  y: number[];
  pinned: number[];
}
interface Cols {
  format: typeof FORMAT;
  version: 1;
  meta: MapMeta;
  people: {
    id: string[];
    name: string[];
    title: string[];
    department: string[];
    roles: string[][];
    influence: Influence[];
    attitude: Attitude[];
    favours: string[];
    servesOrg: number[];
    personalBond: number[];
    level: (Level | null)[];
    notes: string[];
    lastContact: (string | null)[];
  };
  team: { id: string[]; name: string[]; role: string[] };
  relations: { kind: RelationKind[]; source: number[]; target: number[]; strength: number[]; note: string[] };
  coverage: { member: number[]; person: number[]; strength: number[] };
  positions: Partial<Record<LayoutName, PositionCols>>;
}

/** The id a snapshot's relation gets when read back (relations are stored without their ids). */
export const snapshotRelationId = (i: number): string => `snap_r${i}`;

function toCols(c: SnapshotContent): Cols {
  const pIndex = new Map(c.people.map((p, i) => [p.id, i]));
  const mIndex = new Map(c.team.map((m, i) => [m.id, i]));
  const col = <T, K extends keyof T>(xs: readonly T[], k: K): T[K][] => xs.map((x) => x[k]);
  const rels = c.relations.filter((r) => pIndex.has(r.source) && pIndex.has(r.target));
  const cov = c.coverage.filter((x) => mIndex.has(x.memberId) && pIndex.has(x.personId));
  const positions: Cols['positions'] = {};
  for (const l of LAYOUTS) {
    const ps = (c.positions[l] ?? []).filter((p) => pIndex.has(p.id) || mIndex.has(p.id));
    if (!ps.length) continue;
    positions[l] = {
      node: ps.map((p) => (pIndex.has(p.id) ? pIndex.get(p.id)! : -1 - mIndex.get(p.id)!)),
      x: ps.map((p) => Math.round(p.x)),
      y: ps.map((p) => Math.round(p.y)),
      pinned: ps.map((p) => (p.pinned ? 1 : 0)),
    };
  }
  return {
    format: FORMAT,
    version: 1,
    meta: c.meta,
    people: {
      id: col(c.people, 'id'),
      name: col(c.people, 'name'),
      title: col(c.people, 'title'),
      department: col(c.people, 'department'),
      roles: col(c.people, 'roles'),
      influence: col(c.people, 'influence'),
      attitude: col(c.people, 'attitude'),
      favours: col(c.people, 'favours'),
      servesOrg: c.people.map((p) => (p.servesOrg ? 1 : 0)),
      personalBond: c.people.map((p) => (p.personalBond ? 1 : 0)),
      level: col(c.people, 'level'),
      notes: col(c.people, 'notes'),
      lastContact: col(c.people, 'lastContact'),
    },
    team: { id: col(c.team, 'id'), name: col(c.team, 'name'), role: col(c.team, 'role') },
    relations: {
      kind: col(rels, 'kind'),
      source: rels.map((r) => pIndex.get(r.source)!),
      target: rels.map((r) => pIndex.get(r.target)!),
      strength: col(rels, 'strength'),
      note: col(rels, 'note'),
    },
    coverage: { member: cov.map((x) => mIndex.get(x.memberId)!), person: cov.map((x) => pIndex.get(x.personId)!), strength: col(cov, 'strength') },
    positions,
  };
}

const isArr = (v: unknown, n?: number): v is unknown[] => Array.isArray(v) && (n === undefined || v.length === n);

function fromCols(d: Cols): SnapshotContent | null {
  const P = d.people;
  const n = P?.id?.length;
  if (typeof n !== 'number' || !isArr(P.id)) return null;
  for (const k of Object.keys(P) as (keyof Cols['people'])[]) if (!isArr(P[k], n)) return null;
  const T = d.team;
  const tn = T?.id?.length;
  if (typeof tn !== 'number' || !isArr(T.name, tn) || !isArr(T.role, tn)) return null;
  const R = d.relations;
  const rn = R?.kind?.length;
  if (typeof rn !== 'number' || !isArr(R.source, rn) || !isArr(R.target, rn) || !isArr(R.strength, rn) || !isArr(R.note, rn)) return null;
  const C = d.coverage;
  const cn = C?.member?.length;
  if (typeof cn !== 'number' || !isArr(C.person, cn) || !isArr(C.strength, cn)) return null;

  const people: Person[] = P.id.map((id, i) => ({
    id,
    name: P.name[i]!,
    title: P.title[i]!,
    department: P.department[i]!,
    roles: P.roles[i]!,
    influence: P.influence[i]!,
    attitude: P.attitude[i]!,
    favours: P.favours[i]!,
    servesOrg: P.servesOrg[i] === 1,
    personalBond: P.personalBond[i] === 1,
    level: P.level[i] ?? null,
    notes: P.notes[i]!,
    lastContact: P.lastContact[i] ?? null,
  }));
  const team: TeamMember[] = T.id.map((id, i) => ({ id, name: T.name[i]!, role: T.role[i]! }));
  const pid = (i: number) => people[i]?.id;
  const mid = (i: number) => team[i]?.id;
  const relations: Relation[] = [];
  for (let i = 0; i < rn; i++) {
    const source = pid(R.source[i]!);
    const target = pid(R.target[i]!);
    if (!source || !target) return null;
    relations.push({ id: snapshotRelationId(i), kind: R.kind[i]!, source, target, strength: R.strength[i] as Relation['strength'], note: R.note[i]! });
  }
  const coverage: Coverage[] = [];
  for (let i = 0; i < cn; i++) {
    const memberId = mid(C.member[i]!);
    const personId = pid(C.person[i]!);
    if (!memberId || !personId) return null;
    coverage.push({ memberId, personId, strength: C.strength[i] as Coverage['strength'] });
  }
  const positions: SnapshotContent['positions'] = {};
  for (const l of LAYOUTS) {
    const p = d.positions?.[l];
    if (!p) continue;
    const out: Position[] = [];
    for (let i = 0; i < p.node.length; i++) {
      const k = p.node[i]!;
      const id = k >= 0 ? pid(k) : mid(-1 - k);
      if (id) out.push({ id, x: p.x[i]!, y: p.y[i]!, pinned: p.pinned[i] === 1 });
    }
    positions[l] = out;
  }
  return { meta: d.meta, people, relations, team, coverage, positions };
}

export function encodeSnapshot(content: SnapshotContent): { body: Buffer; rawBytes: number } {
  const json = Buffer.from(JSON.stringify(toCols(content)), 'utf8');
  const body = zlib.brotliCompressSync(json, {
    params: {
      [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
      [zlib.constants.BROTLI_PARAM_QUALITY]: 9,
      [zlib.constants.BROTLI_PARAM_LGWIN]: 22,
      [zlib.constants.BROTLI_PARAM_SIZE_HINT]: json.length,
    },
  });
  return { body, rawBytes: json.length };
}

export function decodeSnapshot(codec: string, body: Buffer, name = 'snapshot'): SnapshotContent {
  if (codec !== CODEC)
    throw new ApiError('NEWER_VERSION', `The snapshot “${name}” was saved in a format this PowerMap does not read (${codec}); update PowerMap`, {
      name,
      version: codec,
    });
  const damaged = () => new ApiError('CORRUPT', `The snapshot “${name}” is damaged and cannot be read`, { name });
  let data: Cols;
  try {
    data = JSON.parse(zlib.brotliDecompressSync(body).toString('utf8')) as Cols;
  } catch {
    throw damaged();
  }
  if (data?.format !== FORMAT || data.version !== 1 || typeof data.meta !== 'object' || data.meta === null) throw damaged();
  const content = fromCols(data);
  if (!content) throw damaged();
  return content;
}
