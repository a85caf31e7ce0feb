/**
 * Which elements of the map look stale or unverified (issue 20): a person whose attitude,
 * favoured competitor, roles or influence is unverified or stale gets `ev-unverified` (the
 * stronger cue) or `ev-stale`; a relation likewise. Classes, keyed by element id, drawn by the
 * stylesheet (style.ts) on screen and in the exports.
 */
import type { Person, Relation } from '../domain';
import { freshness, personFreshness, relationEvidence } from '../evidence';
import { relationEdgeId } from './style';

export function evidenceMarks(doc: { people: readonly Person[]; relations: readonly Relation[] }, now: number, days: number): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const p of doc.people) {
    if (!p.evidence) continue;
    const f = personFreshness(p, now, days);
    if (f !== 'fresh') out[p.id] = [`ev-${f}`];
  }
  for (const r of doc.relations) {
    if (!r.evidence) continue;
    const f = freshness(relationEvidence(r), now, days);
    if (f !== 'fresh') out[relationEdgeId(r.id)] = [`ev-${f}`];
  }
  return out;
}
