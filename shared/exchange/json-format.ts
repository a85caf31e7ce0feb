/**
 * The versioned JSON form of a whole map (export, import, the bundled sample). Documented in
 * docs/JSON-FORMAT.md. Version 1; readers refuse a newer version with a clear message.
 */
import { z } from 'zod';
import {
  CoverageSchema,
  LAYOUTS,
  MapMetaSchema,
  PersonSchema,
  PositionSchema,
  ProfileSchema,
  RelationSchema,
  TeamMemberSchema,
} from '../domain';

export const JSON_FORMAT = 'powermap-map';
export const JSON_VERSION = 1;

export const MapJsonSchema = z
  .object({
    format: z.literal(JSON_FORMAT),
    version: z.literal(JSON_VERSION),
    exportedAt: z.string().optional(),
    meta: MapMetaSchema,
    people: z.array(PersonSchema).max(200_000),
    relations: z.array(RelationSchema).max(1_000_000),
    team: z.array(TeamMemberSchema).max(10_000),
    coverage: z.array(CoverageSchema).max(1_000_000),
    /** Personal profiles by person id: present only when exported with personal details. */
    profiles: z.record(z.string(), ProfileSchema.partial()).optional(),
    positions: z.partialRecord(z.enum(LAYOUTS), z.array(PositionSchema)).optional(),
  })
  .strict();
export type MapJson = z.infer<typeof MapJsonSchema>;

/** What a JSON file holds besides the map: why it cannot be imported, one line per problem. */
export type MapJsonCheck =
  | { ok: true; data: MapJson }
  | { ok: false; newerVersion?: number; problems: string[] };

const MAX_JSON_PROBLEMS = 50;

/**
 * Validates parsed JSON as a PowerMap map: the schema first (a newer `version` is reported as
 * such, not as a schema error), then the references between entities, so an import never
 * reaches the database with a dangling id.
 */
export function checkMapJson(raw: unknown): MapJsonCheck {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return { ok: false, problems: ['the file is not a PowerMap map (expected a JSON object)'] };
  const r = raw as { format?: unknown; version?: unknown };
  if (r.format !== JSON_FORMAT) return { ok: false, problems: [`the file is not a PowerMap map ("format" is not "${JSON_FORMAT}")`] };
  if (typeof r.version === 'number' && Number.isInteger(r.version) && r.version > JSON_VERSION)
    return { ok: false, newerVersion: r.version, problems: [`made by a newer PowerMap (JSON version ${r.version}; this one reads ${JSON_VERSION})`] };
  const parsed = MapJsonSchema.safeParse(raw);
  if (!parsed.success)
    return {
      ok: false,
      problems: parsed.error.issues
        .slice(0, MAX_JSON_PROBLEMS)
        .map((i) => `${i.path.length ? i.path.join('.') : '(file)'}: ${i.message}`),
    };
  const d = parsed.data;
  const problems: string[] = [];
  const people = new Set<string>();
  d.people.forEach((p, i) => {
    if (people.has(p.id)) problems.push(`people.${i}.id: the id ${p.id} is used twice`);
    people.add(p.id);
  });
  const members = new Set<string>();
  d.team.forEach((m, i) => {
    if (members.has(m.id) || people.has(m.id)) problems.push(`team.${i}.id: the id ${m.id} is used twice`);
    members.add(m.id);
  });
  const relIds = new Set<string>();
  const bosses = new Map<string, string>();
  d.relations.forEach((rel, i) => {
    if (relIds.has(rel.id)) problems.push(`relations.${i}.id: the id ${rel.id} is used twice`);
    relIds.add(rel.id);
    if (!people.has(rel.source)) problems.push(`relations.${i}.source: no person with id ${rel.source}`);
    if (!people.has(rel.target)) problems.push(`relations.${i}.target: no person with id ${rel.target}`);
    if (rel.source === rel.target) problems.push(`relations.${i}: a relation needs two different people`);
    if (rel.kind === 'reports_to') {
      if (bosses.has(rel.source)) problems.push(`relations.${i}: ${rel.source} reports to two people`);
      bosses.set(rel.source, rel.target);
    }
  });
  for (const start of bosses.keys()) {
    const seen = new Set<string>();
    let cur: string | undefined = start;
    while (cur !== undefined && !seen.has(cur)) {
      seen.add(cur);
      cur = bosses.get(cur);
    }
    if (cur === start) {
      problems.push(`relations: the reporting lines from ${start} make a loop`);
      break;
    }
  }
  const cov = new Set<string>();
  d.coverage.forEach((c, i) => {
    if (!members.has(c.memberId)) problems.push(`coverage.${i}.memberId: no team member with id ${c.memberId}`);
    if (!people.has(c.personId)) problems.push(`coverage.${i}.personId: no person with id ${c.personId}`);
    const k = `${c.memberId}|${c.personId}`;
    if (cov.has(k)) problems.push(`coverage.${i}: ${c.memberId} covers ${c.personId} twice`);
    cov.add(k);
  });
  for (const pid of Object.keys(d.profiles ?? {}))
    if (!people.has(pid)) problems.push(`profiles.${pid}: no person with id ${pid}`);
  if (problems.length) return { ok: false, problems: problems.slice(0, MAX_JSON_PROBLEMS) };
  // Positions are cosmetic: those of nodes the map does not hold are dropped, not refused.
  if (d.positions)
    for (const layout of LAYOUTS) {
      const ps = d.positions[layout];
      if (ps) d.positions[layout] = ps.filter((p) => people.has(p.id) || members.has(p.id));
    }
  return { ok: true, data: d };
}
