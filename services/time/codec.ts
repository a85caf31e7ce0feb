/**
 * How a snapshot body is stored: the map in columns (one array per field), relations, coverage
 * and positions pointing at people and members by index instead of repeating their ids, the
 * relations' own ids left out (a relation is what it connects), positions rounded to whole
 * pixels; then Brotli. On a 2,000-person map with random ids this is about a third of the
 * size of Brotli over plain row JSON (bench/cases/time.ts measures it).
 *
 * Codec 'br-cols-1' (snapshot.codec); a newer codec is refused with a clear error.
 *
 * A stored body is not trusted: a few kilobytes of Brotli can unpack to gigabytes. Decoding stops
 * at an output limit derived from the map's size (`snapshotOutputLimit`), so a bomb is refused in
 * a fraction of a second with a bounded amount of memory. The decoded content is then checked
 * with the API's own schemas by ./validate.ts before anything shows, compares or restores it.
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
  type PersonFunction,
  type MapMeta,
  type Person,
  type Position,
  type Relation,
  type RelationKind,
  type TeamMember,
} from '../../shared/domain';
import type { SnapshotContent } from '../../shared/time/types';
import type { Evidence, PersonEvidence } from '../../shared/evidence';

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
    /** The function set by the user (issue 21); absent in snapshots taken before. */
    fn?: (PersonFunction | null)[];
    notes: string[];
    lastContact: (string | null)[];
    /** How we know each fact (issue 20); absent in snapshots taken before. */
    evidence?: (PersonEvidence | null)[];
  };
  team: { id: string[]; name: string[]; role: string[] };
  relations: { kind: RelationKind[]; source: number[]; target: number[]; strength: number[]; note: string[]; evidence?: (Evidence | null)[] };
  coverage: { member: number[]; person: number[]; strength: number[] };
  positions: Partial<Record<LayoutName, PositionCols>>;
}

/** The id a snapshot's relation gets when read back (relations are stored without their ids). */
const snapshotRelationId = (i: number): string => `snap_r${i}`;

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
      fn: c.people.map((p) => p.function ?? null),
      notes: col(c.people, 'notes'),
      lastContact: col(c.people, 'lastContact'),
      evidence: c.people.map((p) => p.evidence ?? null),
    },
    team: { id: col(c.team, 'id'), name: col(c.team, 'name'), role: col(c.team, 'role') },
    relations: {
      kind: col(rels, 'kind'),
      source: rels.map((r) => pIndex.get(r.source)!),
      target: rels.map((r) => pIndex.get(r.target)!),
      strength: col(rels, 'strength'),
      note: col(rels, 'note'),
      evidence: rels.map((r) => r.evidence ?? null),
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
    function: P.fn?.[i] ?? null,
    notes: P.notes[i]!,
    lastContact: P.lastContact[i] ?? null,
    ...(P.evidence?.[i] ? { evidence: P.evidence[i] } : {}),
  }));
  const team: TeamMember[] = T.id.map((id, i) => ({ id, name: T.name[i]!, role: T.role[i]! }));
  const pid = (i: number) => people[i]?.id;
  const mid = (i: number) => team[i]?.id;
  const relations: Relation[] = [];
  for (let i = 0; i < rn; i++) {
    const source = pid(R.source[i]!);
    const target = pid(R.target[i]!);
    if (!source || !target) return null;
    const ev = isArr(R.evidence, rn) ? R.evidence[i] : null;
    relations.push({
      id: snapshotRelationId(i),
      kind: R.kind[i]!,
      source,
      target,
      strength: R.strength[i] as Relation['strength'],
      note: R.note[i]!,
      ...(ev ? { evidence: ev } : {}),
    });
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

/**
 * How many bytes a snapshot of a map may unpack to. A snapshot's JSON is about 0.4 × the size of
 * the map it was taken of (SQLite stores the same rows uncompressed), so 16 × the map file leaves
 * room for a map that has shrunk a lot since; 32 MB covers any small map (a 10,000-person
 * snapshot is about 2 MB), and nothing is unpacked past 512 MB, the largest file an import reads.
 */
export const SNAPSHOT_LIMIT = { min: 32 * 1024 * 1024, perMapByte: 16, max: 512 * 1024 * 1024 } as const;

export function snapshotOutputLimit(mapBytes: number): number {
  const n = Number.isFinite(mapBytes) && mapBytes > 0 ? mapBytes * SNAPSHOT_LIMIT.perMapByte : 0;
  return Math.min(SNAPSHOT_LIMIT.max, Math.max(SNAPSHOT_LIMIT.min, Math.floor(n)));
}

/** A stored name as an error message may quote it: no control characters, at most 120 characters. */
export function displayName(name: unknown): string {
  // eslint-disable-next-line no-control-regex
  const s = String(name ?? '').replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, ' ').trim();
  return s.length > 120 ? `${s.slice(0, 119)}…` : s || 'snapshot';
}

/**
 * Unpacks a stored body into content, refusing (CORRUPT) a body that is not ours, is damaged, or
 * would unpack to more than `maxBytes`. The content's fields are NOT checked here: see ./validate.ts.
 */
export function decodeSnapshot(codec: string, body: Buffer, rawName = 'snapshot', maxBytes: number = SNAPSHOT_LIMIT.max): SnapshotContent {
  const name = displayName(rawName);
  if (codec !== CODEC)
    throw new ApiError('NEWER_VERSION', `The snapshot “${name}” was saved in a format this PowerMap does not read (${displayName(codec)}); update PowerMap`, {
      name,
      version: displayName(codec),
    });
  const damaged = () => new ApiError('CORRUPT', `The snapshot “${name}” is damaged and cannot be read`, { name });
  if (!Buffer.isBuffer(body)) throw damaged();
  let json: Buffer;
  try {
    json = zlib.brotliDecompressSync(body, { maxOutputLength: maxBytes });
  } catch (e) {
    if ((e as NodeJS.ErrnoException)?.code === 'ERR_BUFFER_TOO_LARGE' || e instanceof RangeError) {
      const mb = Math.round(maxBytes / (1024 * 1024));
      throw new ApiError(
        'CORRUPT',
        `The snapshot “${name}” would unpack to more than ${mb} MB, far more than this map could hold: it is damaged or was not made by PowerMap, and was not opened`,
        { name, reason: 'snapshot_too_large', limit: mb },
      );
    }
    throw damaged();
  }
  let data: Cols;
  try {
    data = JSON.parse(json.toString('utf8')) as Cols;
  } catch {
    throw damaged();
  }
  if (data?.format !== FORMAT || data.version !== 1 || typeof data.meta !== 'object' || data.meta === null) throw damaged();
  let content: SnapshotContent | null;
  try {
    content = fromCols(data);
  } catch {
    content = null; // a column of the wrong shape
  }
  if (!content) throw damaged();
  return content;
}
