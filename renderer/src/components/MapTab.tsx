/** The deal's details (account, deal, stage, posture, competitors…) and our team. */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { POSTURES, STAGES, type MapMeta } from '../../../shared/domain';
import { POSTURE_LABEL, STAGE_LABEL } from '../../../shared/i18n/domain';
import { edit } from '../store/actions';
import { useStore } from '../store';
import { ChipInput, Field, Select, Switch, TextField } from './fields';
import { suggestedDays } from '../../../shared/evidence';

export function MapTab() {
  const { t } = useTranslation();
  const lang = useStore((s) => s.lang);
  const doc = useStore((s) => s.doc)!;
  const m = doc.meta;
  const upd = (patch: Partial<MapMeta>) => void edit('map.updateMeta', patch);
  const [name, setName] = useState('');
  const [role, setRole] = useState('');
  const addMember = async () => {
    if (!name.trim()) return;
    const change = await edit('team.create', { name: name.trim(), role: role.trim() });
    if (change) {
      setName('');
      setRole('');
    }
  };
  return (
    <div className="inspector" data-testid="map-tab">
      <h2 className="inspector-title">{t('mapTab.details')}</h2>
      <TextField label={t('mapTab.account')} value={m.account} onCommit={(account) => upd({ account })} testId="meta-account" />
      <TextField label={t('mapTab.deal')} value={m.deal} onCommit={(deal) => upd({ deal })} testId="meta-deal" />
      <Select
        label={t('mapTab.stage')}
        testId="meta-stage"
        value={m.stage}
        options={STAGES.map((s) => ({ value: s, label: STAGE_LABEL[s][lang] }))}
        onChange={(stage) => upd({ stage })}
      />
      <TextField
        label={t('evidence.threshold')}
        value={m.freshDays ? String(m.freshDays) : ''}
        onCommit={(v) => {
          const n = Number(v.trim());
          if (v.trim() === '') upd({ freshDays: null });
          else if (Number.isInteger(n) && n >= 1 && n <= 730) upd({ freshDays: n });
        }}
        testId="meta-fresh-days"
      />
      <div className="field-hint">{t('evidence.thresholdHint', { days: suggestedDays(m.stage) })}</div>
      <Select
        label={t('mapTab.posture')}
        testId="meta-posture"
        value={m.posture}
        options={POSTURES.map((p) => ({ value: p, label: POSTURE_LABEL[p][lang] }))}
        onChange={(posture) => upd({ posture })}
      />
      <Switch label={t('mapTab.incumbent')} checked={m.incumbent} onChange={(incumbent) => upd({ incumbent })} testId="meta-incumbent" />
      <Field label={t('mapTab.competitors')}>
        <ChipInput
          testId="meta-competitors"
          values={m.competitors}
          placeholder={t('mapTab.addCompetitor')}
          onAdd={(c) => !m.competitors.includes(c) && upd({ competitors: [...m.competitors, c] })}
          onRemove={(c) => upd({ competitors: m.competitors.filter((x) => x !== c) })}
        />
      </Field>
      <div className="row2">
        <TextField label={t('mapTab.budget')} value={m.budget} onCommit={(budget) => upd({ budget })} testId="meta-budget" />
        <TextField label={t('mapTab.timeline')} value={m.timeline} onCommit={(timeline) => upd({ timeline })} testId="meta-timeline" />
      </div>
      <TextField label={t('mapTab.notes')} multiline value={m.notes} onCommit={(notes) => upd({ notes })} testId="meta-notes" />

      <h2 className="inspector-title">{t('mapTab.team')}</h2>
      <ul className="team-list" data-testid="team-list">
        {doc.team.map((tm) => (
          <li key={tm.id}>
            <button type="button" className="link" onClick={() => useStore.getState().select({ type: 'member', id: tm.id })}>
              <span className="member-swatch" /> {tm.name}
            </button>
            <span className="muted"> {tm.role}</span>
            <span className="muted small"> · {doc.coverage.filter((c) => c.memberId === tm.id).length}</span>
          </li>
        ))}
      </ul>
      <div className="add-member">
        <input
          value={name}
          placeholder={t('member.namePlaceholder')}
          aria-label={t('member.name')}
          data-testid="member-new-name"
          onChange={(e) => setName(e.target.value)}
          onKeyDown={(e) => {
            e.stopPropagation();
            if (e.key === 'Enter') void addMember();
          }}
        />
        <input
          value={role}
          placeholder={t('member.rolePlaceholder')}
          aria-label={t('member.role')}
          data-testid="member-new-role"
          onChange={(e) => setRole(e.target.value)}
          onKeyDown={(e) => {
            e.stopPropagation();
            if (e.key === 'Enter') void addMember();
          }}
        />
        <button type="button" data-testid="member-add" onClick={() => void addMember()}>
          {t('member.add')}
        </button>
      </div>
      <p className="muted small file-path" data-testid="map-path">
        {t('mapTab.file')}: {doc.path}
      </p>
    </div>
  );
}
