/**
 * `powermap review <map.powermap> [--json] [--days N] [--lang en-US|zh-CN]`: the stale and
 * unverified facts of a map, most important first (issue 20), for a script or a weekly mail. The
 * --json form is documented in docs/ANALYSIS.md ("review --json"); keys are only ever added.
 * Exit code 0 either way: a map with facts to review is not an error.
 */
import { parseArgs } from 'node:util';
import { factsOf, thresholdDays, type Fact } from '../../shared/evidence';
import type { MapDocument } from '../../shared/domain';
import { ATTITUDE_LABEL, INFLUENCE_LABEL, RELATION_LABEL, roleName } from '../../shared/i18n/domain';
import { FACT_LABEL, FRESHNESS_LABEL, ageWords, sourceName, verifiedShareLine } from '../../shared/i18n/evidence';
import type { Lang } from '../../shared/i18n/errors';
import { call, withMap } from '../session';
import { UsageError, type Command } from '../command';

const REVIEW_JSON_VERSION = 1;
const T = {
  'en-US': { title: 'Facts to review', none: 'Nothing to review: every fact was verified within the threshold.', by: 'by', none2: '(none)' },
  'zh-CN': { title: '待核实的信息', none: '无需核实：所有信息都在期限内核实过。', by: '核实人', none2: '（无）' },
};

/** The value a fact asserts, in words. */
export function factValue(doc: MapDocument, f: Fact, lang: Lang): string {
  if (f.kind === 'relation') {
    const r = doc.relations.find((x) => x.id === f.id)!;
    const name = (id: string) => doc.people.find((p) => p.id === id)?.name ?? id;
    return `${name(r.source)} — ${RELATION_LABEL[r.kind][lang]} — ${name(r.target)}`;
  }
  const p = doc.people.find((x) => x.id === f.id)!;
  switch (f.kind) {
    case 'attitude':
      return ATTITUDE_LABEL[p.attitude][lang];
    case 'influence':
      return INFLUENCE_LABEL[p.influence][lang];
    case 'roles':
      return p.roles.map((r) => roleName(r, lang)).join(lang === 'zh-CN' ? '、' : ', ') || T[lang].none2;
    case 'favours':
      return p.favours || T[lang].none2;
  }
}

export function reviewJson(doc: MapDocument, now: number, days: number, lang: Lang) {
  const all = factsOf(doc, now, days);
  const list = all.filter((f) => f.status !== 'fresh');
  const name = (id: string) => doc.people.find((p) => p.id === id)?.name ?? id;
  return {
    version: REVIEW_JSON_VERSION,
    map: doc.path,
    days,
    asOf: new Date(now).toISOString(),
    facts: all.length,
    verified: all.length - list.length,
    toReview: list.map((f) => ({
      kind: f.kind,
      id: f.id,
      person: { id: f.personId, name: name(f.personId) },
      value: factValue(doc, f, lang),
      status: f.status,
      source: f.evidence.source,
      verifiedAt: f.evidence.verifiedAt,
      verifiedBy: f.evidence.verifiedBy,
      changedAt: f.evidence.changedAt,
      ageDays: f.age,
    })),
  };
}

const reviewCommand: Command = {
  name: 'review',
  usage: 'powermap review <map.powermap> [--json] [--days N] [--lang en-US|zh-CN]',
  summary: 'the stale and unverified facts of a map, most important first',
  async run(args, ctx) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { json: { type: 'boolean' }, days: { type: 'string' }, lang: { type: 'string' } },
    });
    if (positionals.length !== 1) throw new UsageError('give exactly one map file');
    if (values.lang !== undefined && values.lang !== 'en-US' && values.lang !== 'zh-CN') throw new UsageError('--lang is en-US or zh-CN');
    if (values.days !== undefined && !/^[1-9][0-9]{0,2}$/.test(values.days)) throw new UsageError('--days is a whole number of days, 1 to 999');
    const lang: Lang = (values.lang as Lang | undefined) ?? ctx.lang;
    return withMap(positionals[0]!, lang, async (session) => {
      const doc = await call(session, 'map.get', {});
      const days = values.days !== undefined ? Number(values.days) : thresholdDays(doc.meta);
      const j = reviewJson(doc, Date.now(), days, lang);
      if (values.json) {
        ctx.out(JSON.stringify(j, null, 2));
        return 0;
      }
      const t = T[lang];
      ctx.out(`${t.title} — ${verifiedShareLine(j.verified, j.facts, days, lang)}`);
      if (!j.toReview.length) ctx.out(t.none);
      for (const f of j.toReview)
        ctx.out(
          `  ${f.person.name} · ${FACT_LABEL[f.kind][lang]}: ${f.value} — ${FRESHNESS_LABEL[f.status][lang]}, ${ageWords(f.verifiedAt !== null, f.ageDays, lang)}, ${sourceName(f.source, lang)}${f.verifiedBy ? ` (${t.by} ${f.verifiedBy})` : ''}`,
        );
      return 0;
    });
  },
};

export const reviewCommands: Command[] = [reviewCommand];
