/**
 * The owner's Share dialog: who has the map (owner, editors, viewers), adding a teammate by email
 * as editor or viewer, changing a role, taking a share back. The server checks every step.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TeamMember } from '../../../shared/api/team';
import { ErrorBanner } from '../components/ErrorBanner';
import { mapMembers, shareTeamMap, unshareTeamMap } from './actions';
import { useTeam } from './state';

export function ShareDialog() {
  const { t } = useTranslation();
  const open = useTeam((s) => s.shareOpen);
  const map = useTeam((s) => s.map);
  const [members, setMembers] = useState<TeamMember[]>([]);
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<'editor' | 'viewer'>('editor');

  useEffect(() => {
    if (open && map) void mapMembers(map.id).then((m) => m && setMembers(m));
  }, [open, map]);
  if (!open || !map) return null;
  const close = () => useTeam.getState().set({ shareOpen: false });
  const add = async () => {
    if (!email.trim()) return;
    const m = await shareTeamMap(map.id, email.trim(), role);
    if (m) {
      setMembers(m);
      setEmail('');
    }
  };

  return (
    <div className="overlay" role="presentation" onClick={(e) => e.target === e.currentTarget && close()}>
      <div className="overlay-box share-dialog" role="dialog" aria-modal="true" aria-labelledby="share-title" data-testid="share-dialog" onKeyDown={(e) => e.key === 'Escape' && close()}>
        <header>
          <h2 id="share-title">{t('team.shareTitle', { name: map.name })}</h2>
          <button type="button" className="link" aria-label={t('app.close')} data-testid="share-close" onClick={close}>
            ✕
          </button>
        </header>
        <ErrorBanner />
        <p className="muted small">{t('team.shareHint')}</p>
        <h3>{t('team.members')}</h3>
        <ul className="share-members" data-testid="share-members">
          {members.map((m) => (
            <li key={m.userId} data-testid="share-member" data-email={m.email}>
              <span className="share-who">
                <b>{m.name || m.email}</b> <span className="muted small">{m.email}</span>
              </span>
              {m.role === 'owner' ? (
                <span className="role-tag role-owner">{t('team.role.owner')}</span>
              ) : (
                <>
                  <select
                    aria-label={t('team.roleOf', { name: m.name || m.email })}
                    data-testid="share-role"
                    value={m.role}
                    onChange={async (e) => {
                      const next = await shareTeamMap(map.id, m.email, e.target.value as 'editor' | 'viewer');
                      if (next) setMembers(next);
                    }}
                  >
                    <option value="editor">{t('team.role.editor')}</option>
                    <option value="viewer">{t('team.role.viewer')}</option>
                  </select>
                  <button
                    type="button"
                    className="link danger"
                    data-testid="share-remove"
                    onClick={async () => {
                      const next = await unshareTeamMap(map.id, m.userId);
                      if (next) setMembers(next);
                    }}
                  >
                    {t('team.remove')}
                  </button>
                </>
              )}
            </li>
          ))}
        </ul>
        <div className="inline-form share-add">
          <input
            type="email"
            aria-label={t('team.addByEmail')}
            placeholder={t('team.addByEmail')}
            data-testid="share-email"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            onKeyDown={(e) => e.key === 'Enter' && void add()}
          />
          <select aria-label={t('team.colRole')} data-testid="share-new-role" value={role} onChange={(e) => setRole(e.target.value as 'editor' | 'viewer')}>
            <option value="editor">{t('team.role.editor')}</option>
            <option value="viewer">{t('team.role.viewer')}</option>
          </select>
          <button type="button" className="primary" data-testid="share-add" disabled={!email.trim()} onClick={() => void add()}>
            {t('app.add')}
          </button>
        </div>
      </div>
    </div>
  );
}
