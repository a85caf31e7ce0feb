/** Every field of a client person, and the personal profile in its own sensitive section. */
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  ATTITUDES,
  BUILTIN_ROLES,
  FUNCTIONS,
  INFLUENCES,
  LEVELS,
  PIPL_SENSITIVE_FIELDS,
  PROFILE_FIELDS,
  relationshipOf,
  type Level,
  type Person,
  type PersonFunction,
  type Profile,
  type ProfileField,
} from '../../../shared/domain';
import {
  ATTITUDE_LABEL,
  FUNCTION_LABEL,
  INFLUENCE_LABEL,
  LEVEL_LABEL,
  PROFILE_FIELD_LABEL,
  RELATION_LABEL,
  RELATIONSHIP_LABEL,
  ROLE_LABEL,
} from '../../../shared/i18n/domain';
import { levelCells } from '../../../shared/visual/levels';
import { ATTITUDE_FILL, ROLE_BADGE } from '../../../shared/visual/style';
import { askErase } from '../privacy/EraseHost';
import { PRIVACY_STRINGS } from '../privacy/strings';
import { call, deletePerson, edit, setCoverage, setReportsTo, updatePerson } from '../store/actions';
import { useStore } from '../store';
import { ChipInput, Field, Segmented, Select, Switch, TextField } from './fields';
import { namesakes, personLabel, subordinatesOf } from './people';
import { PersonEvidenceBox } from './EvidenceBox';

export function PersonInspector({ person, onConnect }: { person: Person; onConnect(): void }) {
  const { t } = useTranslation();
  const lang = useStore((s) => s.lang);
  const doc = useStore((s) => s.doc)!;
  const p = person;
  const upd = (patch: Partial<Person>) => void updatePerson(p.id, patch);
  // Where the level × function grid would put them without the fields set (shown as "automatic").
  const inferred = useMemo(
    () => levelCells(doc.people.map((q) => (q.id === p.id ? { ...q, level: null, function: null } : q)), doc.relations).get(p.id)!,
    [doc.people, doc.relations, p.id],
  );
  const customRoles = p.roles.filter((r) => !(BUILTIN_ROLES as readonly string[]).includes(r));
  const boss = doc.relations.find((r) => r.kind === 'reports_to' && r.source === p.id)?.target ?? '';
  // Whom this person can report to: not themselves, and not anyone who reports to them (a loop).
  const below = subordinatesOf(doc, p.id);
  const bosses = doc.people.filter((q) => q.id !== p.id && !below.has(q.id)).sort((a, b) => a.name.localeCompare(b.name, lang));
  const sameName = namesakes(doc.people, p);
  const competitors = doc.meta.competitors.includes(p.favours) || !p.favours ? doc.meta.competitors : [...doc.meta.competitors, p.favours];
  const lines = doc.relations.filter((r) => r.source === p.id || r.target === p.id);
  const nameOf = (id: string) => doc.people.find((q) => q.id === id)?.name ?? '?';

  return (
    <div className="inspector" data-testid="person-inspector" data-person-id={p.id}>
      <h2 className="inspector-title">
        <span className="dot" style={{ background: ATTITUDE_FILL[p.attitude] }} />
        {p.name}
      </h2>
      <TextField label={t('person.name')} value={p.name} onCommit={(name) => name.trim() && upd({ name })} testId="person-name" />
      {sameName.length > 0 && (
        <div className="field-hint warning" data-testid="person-same-name">
          {t('person.sameName', { others: sameName.map(personLabel).join(lang === 'zh-CN' ? '、' : '; ') })}
        </div>
      )}
      <div className="row2">
        <TextField label={t('person.title')} value={p.title} onCommit={(title) => upd({ title })} testId="person-title" />
        <TextField label={t('person.department')} value={p.department} onCommit={(department) => upd({ department })} testId="person-department" />
      </div>

      <Field label={t('person.roles')}>
        <div className="role-toggles" data-testid="person-roles">
          {BUILTIN_ROLES.map((r) => {
            const on = p.roles.includes(r);
            return (
              <button
                key={r}
                type="button"
                className={`role-toggle ${on ? 'on' : ''} role-${r}`}
                aria-pressed={on}
                data-testid={`role-${r}`}
                onClick={() => upd({ roles: on ? p.roles.filter((x) => x !== r) : [...p.roles, r] })}
              >
                <b>{ROLE_BADGE[r]}</b> {ROLE_LABEL[r]![lang]}
              </button>
            );
          })}
        </div>
        <ChipInput
          values={customRoles}
          placeholder={t('person.addRole')}
          testId="person-custom-roles"
          onAdd={(r) => !p.roles.includes(r) && upd({ roles: [...p.roles, r] })}
          onRemove={(r) => upd({ roles: p.roles.filter((x) => x !== r) })}
        />
      </Field>

      <Field label={t('person.influence')}>
        <Segmented
          testId="person-influence"
          label={t('person.influence')}
          value={p.influence}
          options={INFLUENCES.map((i) => ({ value: i, label: INFLUENCE_LABEL[i][lang] }))}
          onChange={(influence) => upd({ influence })}
        />
      </Field>
      <Field label={t('person.attitude')}>
        <Segmented
          testId="person-attitude"
          label={t('person.attitude')}
          value={p.attitude}
          options={ATTITUDES.map((a) => ({ value: a, label: ATTITUDE_LABEL[a][lang], swatch: ATTITUDE_FILL[a] }))}
          onChange={(attitude) => upd({ attitude })}
        />
      </Field>

      <div className="row2">
        <Select
          label={t('person.favours')}
          testId="person-favours"
          value={p.favours}
          options={[{ value: '', label: t('person.noCompetitor') }, ...competitors.map((c) => ({ value: c, label: c }))]}
          onChange={(favours) => upd({ favours })}
        />
      </div>
      <div className="row2">
        <Select
          label={t('person.level')}
          testId="person-level"
          value={(p.level ?? '') as Level | ''}
          options={[
            { value: '' as const, label: t('person.inferred', { value: LEVEL_LABEL[inferred.level][lang] }) },
            ...LEVELS.map((l) => ({ value: l, label: LEVEL_LABEL[l][lang] })),
          ]}
          onChange={(v) => upd({ level: v === '' ? null : v })}
        />
        <Select
          label={t('person.function')}
          testId="person-function"
          value={(p.function ?? '') as PersonFunction | ''}
          options={[
            { value: '' as const, label: t('person.inferred', { value: FUNCTION_LABEL[inferred.fn][lang] }) },
            ...FUNCTIONS.map((f) => ({ value: f, label: FUNCTION_LABEL[f][lang] })),
          ]}
          onChange={(v) => upd({ function: v === '' ? null : v })}
        />
      </div>
      {!doc.meta.competitors.length && <div className="field-hint">{t('person.addCompetitorHint')}</div>}
      <PersonEvidenceBox person={p} />

      <Field
        label={
          <>
            {t('person.relationship')}:{' '}
            <span className={`rel-badge rel-${relationshipOf(p.servesOrg, p.personalBond)}`} data-testid="person-relationship">
              {RELATIONSHIP_LABEL[relationshipOf(p.servesOrg, p.personalBond)][lang]}
            </span>
          </>
        }
      >
        <Switch label={t('person.servesOrg')} checked={p.servesOrg} onChange={(servesOrg) => upd({ servesOrg })} testId="person-serves-org" />
        <Switch label={t('person.personalBond')} checked={p.personalBond} onChange={(personalBond) => upd({ personalBond })} testId="person-personal-bond" />
      </Field>

      <Select
        label={t('person.reportsTo')}
        testId="person-reports-to"
        value={boss}
        options={[{ value: '', label: t('app.none') }, ...bosses.map((q) => ({ value: q.id, label: personLabel(q) }))]}
        onChange={(v) => void setReportsTo(p.id, v || null)}
      />
      {below.size > 0 && (
        <div className="field-hint" data-testid="person-reports-to-hint">
          {t('person.reportsToHint', { count: below.size, name: p.name })}
        </div>
      )}

      <Field label={t('person.coverage')} hint={doc.team.length ? undefined : t('person.noTeam')}>
        <div className="coverage-list" data-testid="person-coverage">
          {doc.team.map((m) => {
            const c = doc.coverage.find((x) => x.memberId === m.id && x.personId === p.id);
            return (
              <div key={m.id} className="coverage-row">
                <span className="member-name">{m.name}</span>
                <Segmented
                  testId={`coverage-${m.id}`}
                  label={m.name}
                  value={c?.strength ?? 0}
                  options={[
                    { value: 0, label: '–', title: t('person.notCovered') },
                    { value: 1, label: t('strength.1') },
                    { value: 2, label: t('strength.2') },
                    { value: 3, label: t('strength.3') },
                  ]}
                  onChange={(s) => void setCoverage(m.id, p.id, s === 0 ? null : (s as 1 | 2 | 3))}
                />
              </div>
            );
          })}
        </div>
      </Field>

      <TextField label={t('person.lastContact')} type="date" value={p.lastContact ?? ''} onCommit={(v) => upd({ lastContact: v || null })} testId="person-last-contact" />
      <TextField label={t('person.notes')} multiline value={p.notes} onCommit={(notes) => upd({ notes })} testId="person-notes" />

      <Field label={t('person.connections')}>
        <ul className="lines" data-testid="person-lines">
          {lines.map((r) => (
            <li key={r.id}>
              <button type="button" className="link" onClick={() => useStore.getState().select({ type: 'relation', id: r.id })}>
                <span className={`line-swatch kind-${r.kind}`} /> {RELATION_LABEL[r.kind][lang]}:{' '}
                {r.source === p.id ? `→ ${nameOf(r.target)}` : `← ${nameOf(r.source)}`}
              </button>
            </li>
          ))}
        </ul>
        <button type="button" onClick={onConnect} data-testid="person-connect">
          {t('person.connectTo')} <kbd>E</kbd>
        </button>
      </Field>

      <ProfileSection personId={p.id} />

      <div className="person-remove">
        <button type="button" className="danger" data-testid="person-delete" onClick={() => void deletePerson(p.id)}>
          {t('person.delete')} <kbd>Del</kbd>
        </button>
        <button type="button" className="danger" data-testid="person-erase" onClick={() => askErase(p)}>
          {PRIVACY_STRINGS[lang].eraseButton}
        </button>
      </div>
    </div>
  );
}

function ProfileSection({ personId }: { personId: string }) {
  const { t } = useTranslation();
  const lang = useStore((s) => s.lang);
  const [open, setOpen] = useState(false);
  const [profile, setProfile] = useState<Profile | null>(null);
  useEffect(() => {
    setProfile(null);
  }, [personId]);
  useEffect(() => {
    if (!open || profile) return;
    let live = true;
    void call('profile.get', { personId }).then((p) => live && p && setProfile(p));
    return () => {
      live = false;
    };
  }, [open, profile, personId]);
  const save = async (field: ProfileField, value: string) => {
    const change = await edit('profile.update', { personId, patch: { [field]: value } });
    if (change) setProfile((p) => (p ? { ...p, [field]: value } : p));
  };
  return (
    <details className="profile sensitive" data-testid="profile-section" open={open} onToggle={(e) => setOpen((e.target as HTMLDetailsElement).open)}>
      <summary>
        <span className="lock" aria-hidden="true">🔒</span> {t('person.profile')} <span className="badge sensitive-badge">{t('person.sensitive')}</span>
      </summary>
      <p className="field-hint">{t('person.profileHint')}</p>
      {!profile ? (
        <p className="muted">{t('person.profileLoading')}</p>
      ) : (
        PROFILE_FIELDS.map((f) => {
          const pipl = PIPL_SENSITIVE_FIELDS.includes(f);
          return (
            <TextField
              key={`${personId}-${f}`}
              className={pipl ? 'pipl' : ''}
              label={
                <>
                  {PROFILE_FIELD_LABEL[f][lang]}
                  {pipl && (
                    <span className="badge pipl-badge" title={t('person.piplHint')} data-testid={`pipl-${f}`}>
                      {t('person.pipl')}
                    </span>
                  )}
                </>
              }
              multiline={f === 'family' || f === 'itinerary' || f === 'other' || f === 'colleagues'}
              value={profile[f]}
              testId={`profile-${f}`}
              onCommit={(v) => void save(f, v)}
            />
          );
        })
      )}
    </details>
  );
}
