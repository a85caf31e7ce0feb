/**
 * The welcome screen on the team server: the maps the user can see (name, owner, their role, last
 * edited and by whom), a new map, open by click, rename and delete for the owner, and the
 * signed-in user with "Sign out" and "Sign out everywhere".
 */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TeamMapInfo } from '../../../shared/api/team';
import { LangThemeSwitch } from '../components/Toolbar';
import { useStore } from '../store';
import { createTeamMap, deleteTeamMap, listMaps, openTeamMap, renameTeamMap, signOut } from './actions';
import { DbDownBanner } from './TeamBar';
import { useTeam } from './state';

export function when(iso: string, lang: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' }).format(d);
}

export function UserMenu() {
  const { t } = useTranslation();
  const user = useTeam((s) => s.user);
  if (!user) return null;
  return (
    <span className="team-user" data-testid="team-user">
      <span className="muted small" title={user.email}>
        {t('team.signedInAs', { name: user.name || user.email })}
      </span>
      <button type="button" className="link" data-testid="sign-out" onClick={() => void signOut(false)}>
        {t('team.signOut')}
      </button>
      <button type="button" className="link" data-testid="sign-out-everywhere" onClick={() => void signOut(true)}>
        {t('team.signOutEverywhere')}
      </button>
    </span>
  );
}

/**
 * The team maps the user can see: name (a click opens it), owner, their role, last edited and by
 * whom; rename and delete for the owner. On the team server's welcome and the desktop app's.
 */
export function TeamMapTable({ maps, refresh }: { maps: TeamMapInfo[] | null; refresh: () => Promise<void> }) {
  const { t } = useTranslation();
  const lang = useStore((s) => s.lang);
  const me = useTeam((s) => s.user);
  const [renaming, setRenaming] = useState<{ id: string; name: string } | null>(null);
  const rename = async () => {
    if (!renaming || !renaming.name.trim()) return;
    if (await renameTeamMap(renaming.id, renaming.name.trim())) {
      setRenaming(null);
      await refresh();
    }
  };
  const remove = async (m: TeamMapInfo) => {
    if (!window.confirm(t('team.deleteConfirm', { name: m.name }))) return;
    if (await deleteTeamMap(m.id)) await refresh();
  };
  return (
    <>
      {maps === null ? (
        <p className="muted small">{t('app.loading')}</p>
      ) : maps.length === 0 ? (
        <p className="muted small" data-testid="team-no-maps">
          {t('team.noMaps')}
        </p>
      ) : (
        <table className="team-maps" data-testid="team-map-list">
          <thead>
            <tr>
              <th>{t('team.colName')}</th>
              <th>{t('team.colOwner')}</th>
              <th>{t('team.colRole')}</th>
              <th>{t('team.colEdited')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {maps.map((m) => (
              <tr key={m.id} data-testid="team-map-row" data-map-id={m.id}>
                <td>
                  {renaming?.id === m.id ? (
                    <span className="inline-form">
                      <input
                        aria-label={t('team.renameTo')}
                        data-testid="rename-input"
                        value={renaming.name}
                        autoFocus
                        onChange={(e) => setRenaming({ id: m.id, name: e.target.value })}
                        onKeyDown={(e) => {
                          if (e.key === 'Enter') void rename();
                          if (e.key === 'Escape') setRenaming(null);
                        }}
                      />
                      <button type="button" data-testid="rename-save" onClick={() => void rename()}>
                        {t('app.save')}
                      </button>
                    </span>
                  ) : (
                    <button type="button" className="link map-name" data-testid="open-team-map" onClick={() => void openTeamMap(m.id)}>
                      {m.name}
                    </button>
                  )}
                </td>
                <td>{m.owner.id === me?.id ? t('team.you') : m.owner.name || m.owner.email}</td>
                <td>
                  <span className={`role-tag role-${m.role}`}>{t(`team.role.${m.role}`)}</span>
                </td>
                <td className="small">
                  {m.updatedBy
                    ? t('team.editedBy', { when: when(m.updatedAt, lang), name: m.updatedBy.id === me?.id ? t('team.you') : m.updatedBy.name })
                    : when(m.updatedAt, lang)}
                </td>
                <td className="row-actions">
                  {m.role === 'owner' && (
                    <>
                      <button type="button" className="link" data-testid="rename-map" onClick={() => setRenaming({ id: m.id, name: m.name })}>
                        {t('team.rename')}
                      </button>
                      <button type="button" className="link danger" data-testid="delete-map" onClick={() => void remove(m)}>
                        {t('app.delete')}
                      </button>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

/** A new, empty team map (by name), opened at once. */
export function NewTeamMapCard() {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const create = async () => {
    if (name.trim()) await createTeamMap(name.trim());
  };
  return (
    <section className="card" data-testid="welcome-new">
      <h2>{t('team.newMap')}</h2>
      <p className="muted small">{t('welcome.newMapHint')}</p>
      <label className="field">
        <span className="field-label">{t('team.newMapName')}</span>
        <input
          data-testid="new-team-map"
          value={name}
          placeholder={t('team.newMapPlaceholder')}
          onChange={(e) => setName(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') void create();
          }}
        />
      </label>
      <button type="button" className="primary" data-testid="create-team-map" disabled={!name.trim()} onClick={() => void create()}>
        {t('team.create')}
      </button>
    </section>
  );
}

export function TeamWelcome() {
  const { t } = useTranslation();
  const [maps, setMaps] = useState<TeamMapInfo[] | null>(null);

  const refresh = useCallback(async () => {
    const list = await listMaps();
    if (list) setMaps(list);
  }, []);
  useEffect(() => {
    void refresh();
  }, [refresh]);

  return (
    <main className="welcome team-welcome" data-testid="welcome">
      <header className="welcome-head">
        <h1>
          <span className="logo" aria-hidden="true">◆</span> {t('app.name')}
        </h1>
        <p className="muted">{t('app.tagline')}</p>
        <span className="team-head-end">
          <UserMenu />
          <LangThemeSwitch />
        </span>
      </header>
      <DbDownBanner />
      <div className="team-grid">
        <section className="card" data-testid="team-maps">
          <h2>{t('team.maps')}</h2>
          <p className="muted small">{t('team.mapsHint')}</p>
          <p className="team-actions">
            <button type="button" data-testid="open-portfolio" onClick={() => useTeam.getState().set({ portfolio: true })}>
              {t('desk.portfolio')}
            </button>
          </p>
          <TeamMapTable maps={maps} refresh={refresh} />
        </section>
        <NewTeamMapCard />
      </div>
    </main>
  );
}
