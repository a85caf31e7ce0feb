/**
 * How we know each fact (issue 20), in the inspector: per fact its source, how old it is and who
 * verified it, a source picker (built-in sources, the map's own, or a new one) and "Still true".
 * Choosing a source confirms the fact from that source; the choice becomes the default source for
 * the next fact the user sets.
 */
import { useTranslation } from 'react-i18next';
import type { MapDocument } from '../../../shared/domain';
import { BUILTIN_SOURCES, factAge, freshness, personEvidence, relationEvidence, thresholdDays, type Evidence, type FactKind } from '../../../shared/evidence';
import { FACT_LABEL, FRESHNESS_LABEL, ageWords, sourceName } from '../../../shared/i18n/evidence';
import { confirmFacts } from '../store/actions';
import { useStore } from '../store';

const NEW = '\u0000new';
const NONE = '\u0000none';

/** Every source the map uses beside the built-in ones (a user's own). */
export function ownSources(doc: MapDocument): string[] {
  const out = new Set<string>();
  const add = (e: Evidence | undefined) => e?.source && !(BUILTIN_SOURCES as readonly string[]).includes(e.source) && out.add(e.source);
  for (const p of doc.people) if (p.evidence) Object.values(p.evidence).forEach(add);
  for (const r of doc.relations) add(r.evidence);
  return [...out].sort();
}

export function EvidenceRow({ kind, id, evidence, label }: { kind: FactKind; id: string; evidence: Evidence; label?: string }) {
  const { t } = useTranslation();
  const lang = useStore((s) => s.lang);
  const doc = useStore((s) => s.doc)!;
  const now = Date.now();
  const status = freshness(evidence, now, thresholdDays(doc.meta));
  const age = factAge(evidence, now);
  const sources = [...BUILTIN_SOURCES, ...ownSources(doc)];
  if (evidence.source && !sources.includes(evidence.source)) sources.push(evidence.source);
  const pick = (v: string) => {
    let source: string | null = v === NONE ? null : v;
    if (v === NEW) {
      const typed = window.prompt(t('evidence.ownSource'))?.trim();
      if (!typed) return;
      source = typed.slice(0, 40);
    }
    useStore.getState().setLastSource(source);
    void confirmFacts([{ kind, id }], source);
  };
  return (
    <div className={`evidence-row ev-${status}`} data-testid={`evidence-${kind}`} data-status={status}>
      <span className="evidence-fact">{label ?? FACT_LABEL[kind][lang]}</span>
      <select
        aria-label={`${t('evidence.source')}: ${label ?? FACT_LABEL[kind][lang]}`}
        value={evidence.source ?? NONE}
        data-testid={`evidence-source-${kind}`}
        onChange={(e) => pick(e.target.value)}
      >
        <option value={NONE}>{t('evidence.noSource')}</option>
        {sources.map((s) => (
          <option key={s} value={s}>
            {sourceName(s, lang)}
          </option>
        ))}
        <option value={NEW}>{t('evidence.ownSource')}</option>
      </select>
      <span className="evidence-age" title={evidence.verifiedBy ? t('evidence.verifiedBy', { name: evidence.verifiedBy }) : undefined}>
        <span className={`ev-badge ev-${status}`}>{FRESHNESS_LABEL[status][lang]}</span> {ageWords(evidence.verifiedAt !== null, age, lang)}
        {evidence.verifiedBy ? ` · ${t('evidence.verifiedBy', { name: evidence.verifiedBy })}` : ''}
      </span>
      <button type="button" className="small" title={t('evidence.stillTrueHint')} data-testid={`evidence-confirm-${kind}`} onClick={() => void confirmFacts([{ kind, id }])}>
        ✓ {t('evidence.stillTrue')}
      </button>
    </div>
  );
}

export function PersonEvidenceBox({ person }: { person: MapDocument['people'][number] }) {
  const { t } = useTranslation();
  const ev = personEvidence(person);
  return (
    <fieldset className="evidence-box" data-testid="evidence-box">
      <legend>{t('evidence.heading')}</legend>
      {(['attitude', 'favours', 'roles', 'influence'] as const).map((k) => (
        <EvidenceRow key={k} kind={k} id={person.id} evidence={ev[k]} />
      ))}
    </fieldset>
  );
}

export function RelationEvidenceBox({ relation }: { relation: MapDocument['relations'][number] }) {
  const { t } = useTranslation();
  return (
    <fieldset className="evidence-box" data-testid="evidence-box">
      <legend>{t('evidence.heading')}</legend>
      <EvidenceRow kind="relation" id={relation.id} evidence={relationEvidence(relation)} />
    </fieldset>
  );
}
