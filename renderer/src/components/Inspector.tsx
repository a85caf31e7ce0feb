/** The inspector: whatever is selected — a person, a line, one of our team, a coverage link. */
import { RelationEvidenceBox } from './EvidenceBox';
import { useTranslation } from 'react-i18next';
import { DIRECTED_KINDS, RELATION_KINDS, type Relation, type TeamMember } from '../../../shared/domain';
import { RELATION_LABEL } from '../../../shared/i18n/domain';
import { edit, setCoverage } from '../store/actions';
import { useStore } from '../store';
import { Field, Segmented, Select, TextField } from './fields';
import { personLabel } from './people';
import { PersonInspector } from './PersonInspector';

export function Inspector({ onConnect }: { onConnect(personId: string): void }) {
  const { t } = useTranslation();
  const sel = useStore((s) => s.selection);
  const doc = useStore((s) => s.doc);
  if (!doc || !sel) return <p className="muted empty-hint" data-testid="inspector-empty">{t('side.nothingSelected')}</p>;
  if (sel.type === 'person') {
    const p = doc.people.find((x) => x.id === sel.id);
    return p ? <PersonInspector key={p.id} person={p} onConnect={() => onConnect(p.id)} /> : null;
  }
  if (sel.type === 'relation') {
    const r = doc.relations.find((x) => x.id === sel.id);
    return r ? <RelationInspector key={r.id} relation={r} /> : null;
  }
  if (sel.type === 'member') {
    const m = doc.team.find((x) => x.id === sel.id);
    return m ? <MemberInspector key={m.id} member={m} /> : null;
  }
  const [memberId = '', personId = ''] = sel.id.split(':');
  const c = doc.coverage.find((x) => x.memberId === memberId && x.personId === personId);
  if (!c) return null;
  const m = doc.team.find((x) => x.id === memberId);
  const p = doc.people.find((x) => x.id === personId);
  return (
    <div className="inspector" data-testid="coverage-inspector">
      <h2 className="inspector-title">{t('edge.coverageHeading')}</h2>
      <p>{t('edge.coverageOf', { member: m?.name ?? '?', person: p?.name ?? '?' })}</p>
      <Field label={t('strength.label')}>
        <Segmented
          testId="coverage-strength"
          value={c.strength}
          options={([1, 2, 3] as const).map((s) => ({ value: s, label: t(`strength.${s}`) }))}
          onChange={(s) => void setCoverage(memberId, personId, s)}
        />
      </Field>
      <button type="button" className="danger" onClick={() => void setCoverage(memberId, personId, null)}>
        {t('edge.removeCoverage')} <kbd>Del</kbd>
      </button>
    </div>
  );
}

function RelationInspector({ relation: r }: { relation: Relation }) {
  const { t } = useTranslation();
  const lang = useStore((s) => s.lang);
  const doc = useStore((s) => s.doc)!;
  const name = (id: string) => doc.people.find((p) => p.id === id)?.name ?? '?';
  const upd = (patch: Partial<Relation>) => {
    const source = useStore.getState().lastSource;
    void edit('relation.update', source === null ? { id: r.id, patch } : { id: r.id, patch, evidenceSource: source });
  };
  const directed = DIRECTED_KINDS.includes(r.kind);
  return (
    <div className="inspector" data-testid="relation-inspector" data-relation-id={r.id}>
      <h2 className="inspector-title">
        <span className={`line-swatch kind-${r.kind}`} /> {RELATION_LABEL[r.kind][lang]}
      </h2>
      <p className="between">
        <button type="button" className="link" onClick={() => useStore.getState().select({ type: 'person', id: r.source })}>
          {name(r.source)}
        </button>{' '}
        {directed ? '→' : '—'}{' '}
        <button type="button" className="link" onClick={() => useStore.getState().select({ type: 'person', id: r.target })}>
          {name(r.target)}
        </button>
      </p>
      <Select
        label={t('edge.type')}
        testId="relation-kind"
        value={r.kind}
        options={RELATION_KINDS.map((k) => ({ value: k, label: RELATION_LABEL[k][lang] }))}
        onChange={(kind) => upd({ kind })}
      />
      <Field label={t('edge.direction')}>
        <button type="button" data-testid="relation-swap" onClick={() => upd({ source: r.target, target: r.source })}>
          ⇄ {t('edge.swap')}
        </button>
      </Field>
      <Field label={t('strength.label')}>
        <Segmented
          testId="relation-strength"
          value={r.strength}
          options={([1, 2, 3] as const).map((s) => ({ value: s, label: t(`strength.${s}`) }))}
          onChange={(strength) => upd({ strength })}
        />
      </Field>
      <RelationEvidenceBox relation={r} />
      <TextField label={t('edge.note')} multiline value={r.note} onCommit={(note) => upd({ note })} testId="relation-note" />
      <button type="button" className="danger" data-testid="relation-delete" onClick={() => void edit('relation.delete', { id: r.id })}>
        {t('edge.delete')} <kbd>Del</kbd>
      </button>
    </div>
  );
}

function MemberInspector({ member: m }: { member: TeamMember }) {
  const { t } = useTranslation();
  const doc = useStore((s) => s.doc)!;
  const covered = doc.coverage.filter((c) => c.memberId === m.id);
  const uncovered = doc.people.filter((p) => !covered.some((c) => c.personId === p.id));
  return (
    <div className="inspector" data-testid="member-inspector">
      <h2 className="inspector-title">
        <span className="member-swatch" /> {t('member.heading')}
      </h2>
      <TextField label={t('member.name')} value={m.name} onCommit={(name) => name.trim() && void edit('team.update', { id: m.id, patch: { name } })} testId="member-name" />
      <TextField
        label={t('member.role')}
        value={m.role}
        placeholder={t('member.rolePlaceholder')}
        onCommit={(role) => void edit('team.update', { id: m.id, patch: { role } })}
        testId="member-role"
      />
      <Field label={t('member.covers')}>
        <div className="coverage-list">
          {covered.map((c) => (
            <div key={c.personId} className="coverage-row">
              <span className="member-name">{doc.people.find((p) => p.id === c.personId)?.name}</span>
              <Segmented
                value={c.strength as number}
                options={[
                  { value: 0, label: '–' },
                  { value: 1, label: t('strength.1') },
                  { value: 2, label: t('strength.2') },
                  { value: 3, label: t('strength.3') },
                ]}
                onChange={(s) => void setCoverage(m.id, c.personId, s === 0 ? null : (s as 1 | 2 | 3))}
              />
            </div>
          ))}
        </div>
        {uncovered.length > 0 && (
          <Select
            testId="member-add-cover"
            value=""
            options={[{ value: '', label: t('member.addCover') }, ...uncovered.map((p) => ({ value: p.id, label: personLabel(p) }))]}
            onChange={(pid) => pid && void setCoverage(m.id, pid, 2)}
          />
        )}
      </Field>
      <button type="button" className="danger" onClick={() => void edit('team.delete', { id: m.id })}>
        {t('member.delete')} <kbd>Del</kbd>
      </button>
    </div>
  );
}
