/**
 * Evidence and freshness (issue 20): how we know each fact about a client person, since when, and
 * who said so. Pure: every function takes "now" from its caller (the clock is read by services/
 * and the UI, as shared/time does). See docs/JSON-FORMAT.md ("Evidence") and docs/ANALYSIS.md.
 *
 * A fact is one assertion: a person's attitude, favoured competitor, buyer roles or influence, or
 * one relation between two people. Each carries a source (met in person … our guess, or a source
 * the user named), when it was last verified and by whom, and when its value last changed. A fact
 * nobody verified (`verifiedAt` null) is *unverified*; one verified longer ago than the map's
 * threshold is *stale*.
 */
import { z } from 'zod';
import type { MapMeta, Person, Relation, Stage } from './domain';

/** Built-in sources, strongest first; users may name their own (free text) beside these. */
export const BUILTIN_SOURCES = ['met', 'coach', 'colleague', 'public', 'guess'] as const;
export type BuiltinSource = (typeof BUILTIN_SOURCES)[number];
export const isBuiltinSource = (s: string): s is BuiltinSource => (BUILTIN_SOURCES as readonly string[]).includes(s);

/** The four assertions about a person that carry evidence (relations carry one each). */
export const PERSON_FACTS = ['attitude', 'favours', 'roles', 'influence'] as const;
export type PersonFact = (typeof PERSON_FACTS)[number];
export type FactKind = PersonFact | 'relation';

const SourceName = z
  .string()
  .max(160)
  .transform((s) => s.trim())
  .pipe(
    z
      .string()
      .min(1)
      .max(40)
      // eslint-disable-next-line no-control-regex
      .refine((s) => !/[\u0000-\u001F\u007F]/.test(s) && !/\p{Cs}/u.test(s), 'must be a single line of text'),
  );
export const SourceSchema = SourceName;
/** An instant, as ISO 8601 with a zone (what Date.toISOString writes). */
const Instant = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/, 'an ISO 8601 instant');

export const EvidenceSchema = z
  .object({
    /** How we know (a built-in source id or a user's own); null: nobody said. */
    source: SourceName.nullable(),
    /** When someone last confirmed it (null: unverified). */
    verifiedAt: Instant.nullable(),
    /** Who confirmed it ('' when unverified). */
    verifiedBy: z.string().max(200),
    /** When its value last changed. */
    changedAt: Instant,
  })
  .strict();
export type Evidence = z.infer<typeof EvidenceSchema>;

export const PersonEvidenceSchema = z
  .object({ attitude: EvidenceSchema, favours: EvidenceSchema, roles: EvidenceSchema, influence: EvidenceSchema })
  .strict();
export type PersonEvidence = z.infer<typeof PersonEvidenceSchema>;

export const unverified = (changedAt: string, source: string | null = null): Evidence => ({ source, verifiedAt: null, verifiedBy: '', changedAt });
export const verifiedNow = (now: string, by: string, source: string | null): Evidence => ({ source, verifiedAt: now, verifiedBy: by, changedAt: now });
export const unverifiedPerson = (changedAt: string): PersonEvidence => ({
  attitude: unverified(changedAt),
  favours: unverified(changedAt),
  roles: unverified(changedAt),
  influence: unverified(changedAt),
});

/** Reads a stored evidence column (JSON); anything unreadable is unverified since `fallback`. */
export function parseEvidence(raw: unknown, fallback: string): Evidence {
  if (typeof raw === 'string' && raw !== '' && raw !== '{}') {
    try {
      const r = EvidenceSchema.safeParse(JSON.parse(raw));
      if (r.success) return r.data;
    } catch {
      /* unreadable: unverified */
    }
  }
  return unverified(fallback);
}
export const evidenceJson = (e: Evidence): string => JSON.stringify(e);

// ---------------------------------------------------------------------------------------------
// Freshness
// ---------------------------------------------------------------------------------------------

export const DEFAULT_FRESH_DAYS = 60;
/** In the late buying steps (评标, 合同审核) even two weeks is long. */
export const LATE_FRESH_DAYS = 14;
const LATE_STAGES: readonly Stage[] = ['evaluation', 'contract'];
export const MIN_FRESH_DAYS = 1;
export const MAX_FRESH_DAYS = 730;

/** The threshold the deal's stage suggests: 14 days in bid evaluation and contract review, else 60. */
export const suggestedDays = (stage: Stage): number => (LATE_STAGES.includes(stage) ? LATE_FRESH_DAYS : DEFAULT_FRESH_DAYS);
/** The map's threshold: the one set on the map, else the stage's suggestion. */
export const thresholdDays = (meta: Pick<MapMeta, 'stage' | 'freshDays'> | undefined): number =>
  meta?.freshDays ?? (meta ? suggestedDays(meta.stage) : DEFAULT_FRESH_DAYS);

export type Freshness = 'fresh' | 'stale' | 'unverified';
const DAY_MS = 86_400_000;
/** Whole days from instant `from` to `now` (never negative). */
export const ageDays = (from: string, now: number): number => Math.max(0, Math.floor((now - Date.parse(from)) / DAY_MS));
/** Days since the fact was verified, or (unverified) since its value last changed. */
export const factAge = (e: Evidence, now: number): number => ageDays(e.verifiedAt ?? e.changedAt, now);
export function freshness(e: Evidence, now: number, days: number): Freshness {
  if (e.verifiedAt === null) return 'unverified';
  return ageDays(e.verifiedAt, now) > days ? 'stale' : 'fresh';
}

// ---------------------------------------------------------------------------------------------
// Facts of a map
// ---------------------------------------------------------------------------------------------

export interface Fact {
  kind: FactKind;
  /** The person (person facts) or the relation (relation facts). */
  id: string;
  /** The person to centre on: the person, or a relation's source. */
  personId: string;
  evidence: Evidence;
  status: Freshness;
  age: number;
  /** Higher first in a review (decision makers, the coach, high influence, conflicts). */
  weight: number;
}

const fallbackEvidence = (): Evidence => unverified(new Date(0).toISOString());
export const personEvidence = (p: Person): PersonEvidence =>
  p.evidence ?? { attitude: fallbackEvidence(), favours: fallbackEvidence(), roles: fallbackEvidence(), influence: fallbackEvidence() };
export const relationEvidence = (r: Relation): Evidence => r.evidence ?? fallbackEvidence();

const FACT_ORDER: Record<FactKind, number> = { attitude: 4, roles: 3, relation: 2, influence: 1, favours: 0 };

/** How much a person matters in a review: decision makers, the coach, then influence. */
export function personWeight(p: Person): number {
  let w = p.influence === 'high' ? 30 : p.influence === 'medium' ? 20 : 10;
  if (p.roles.includes('decision-maker')) w += 100;
  if (p.roles.includes('coach')) w += 80;
  return w;
}

/** Every fact of a map with its freshness, most important first. */
export function factsOf(doc: { people: readonly Person[]; relations: readonly Relation[]; meta?: MapMeta }, now: number, days = thresholdDays(doc.meta)): Fact[] {
  const out: Fact[] = [];
  const weightOf = new Map<string, number>();
  for (const p of doc.people) {
    const w = personWeight(p);
    weightOf.set(p.id, w);
    const ev = personEvidence(p);
    for (const k of PERSON_FACTS) {
      const e = ev[k];
      out.push({ kind: k, id: p.id, personId: p.id, evidence: e, status: freshness(e, now, days), age: factAge(e, now), weight: w * 10 + FACT_ORDER[k] });
    }
  }
  for (const r of doc.relations) {
    const e = relationEvidence(r);
    // A line ranks beside the more important of its two people: a conflict just after their facts, others just below.
    const w = Math.max(weightOf.get(r.source) ?? 0, weightOf.get(r.target) ?? 0) + (r.kind === 'conflict' ? 5 : -5);
    out.push({ kind: 'relation', id: r.id, personId: r.source, evidence: e, status: freshness(e, now, days), age: factAge(e, now), weight: w * 10 + FACT_ORDER.relation });
  }
  return out.sort((a, b) => b.weight - a.weight || b.age - a.age);
}

/** The facts a review walks: stale and unverified, most important first. */
export const reviewQueue = (doc: Parameters<typeof factsOf>[0], now: number, days?: number): Fact[] =>
  factsOf(doc, now, days).filter((f) => f.status !== 'fresh');

/** How much of the map was verified within the threshold. */
export function verifiedShare(doc: Parameters<typeof factsOf>[0], now: number, days = thresholdDays(doc.meta)): { fresh: number; total: number; days: number } {
  const facts = factsOf(doc, now, days);
  return { fresh: facts.filter((f) => f.status === 'fresh').length, total: facts.length, days };
}

/** Per person: does any of their facts (or a relation from/to them) need a look? */
export function personFreshness(p: Person, now: number, days: number): Freshness {
  const ev = personEvidence(p);
  let worst: Freshness = 'fresh';
  for (const k of PERSON_FACTS) {
    const s = freshness(ev[k], now, days);
    if (s === 'unverified') return 'unverified';
    if (s === 'stale') worst = 'stale';
  }
  return worst;
}
