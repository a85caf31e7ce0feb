/**
 * What a team map adds to the workspace: who else has it open (initials in the toolbar), the
 * owner's Share button, the viewer's "You can view this map" line, and the line that says the
 * server cannot reach its database (edits refused until it is back) or that the live connection
 * is being made again.
 */
import { useTranslation } from 'react-i18next';
import { initials, useTeam } from './state';

/** In the toolbar: the people here now, and Share for the owner. */
export function TeamPresence() {
  const { t } = useTranslation();
  const on = useTeam((s) => s.on && s.map !== null);
  const presence = useTeam((s) => s.presence);
  const me = useTeam((s) => s.user);
  const role = useTeam((s) => s.role);
  if (!on) return null;
  const names = presence.map((u) => (u.id === me?.id ? t('team.you') : u.name)).join(', ');
  return (
    <span className="team-presence" data-testid="presence" aria-label={t('team.presence', { names })} title={t('team.presence', { names })}>
      {presence.map((u) => (
        <span key={u.id} className={`avatar${u.id === me?.id ? ' me' : ''}`} data-testid="presence-user" data-name={u.name} style={{ background: colourOf(u.id) }}>
          {initials(u.name)}
        </span>
      ))}
      {role === 'owner' && (
        <button type="button" data-testid="share-button" onClick={() => useTeam.getState().set({ shareOpen: true })}>
          {t('team.share')}
        </button>
      )}
    </span>
  );
}

/** A steady colour per user (Okabe–Ito, dark enough for white initials). */
const COLOURS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#56661a', '#8a5a00', '#5a4fcf', '#b03060'];
function colourOf(id: string): string {
  let h = 0;
  for (const ch of id) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return COLOURS[h % COLOURS.length]!;
}

/** The server cannot reach its database: said until it is back. */
export function DbDownBanner() {
  const { t } = useTranslation();
  const down = useTeam((s) => s.on && s.dbDown);
  if (!down) return null;
  return (
    <div className="team-line team-down" role="alert" data-testid="db-down">
      {t('team.dbDown')}
    </div>
  );
}

/** Under the toolbar on a team map: read-only, database away, reconnecting. */
export function TeamLines() {
  const { t } = useTranslation();
  const on = useTeam((s) => s.on && s.map !== null);
  const role = useTeam((s) => s.role);
  const live = useTeam((s) => s.live);
  const down = useTeam((s) => s.dbDown);
  if (!on) return null;
  return (
    <>
      <DbDownBanner />
      {!down && live === 'reconnecting' && (
        <div className="team-line" role="status" data-testid="reconnecting">
          {t('team.reconnecting')}
        </div>
      )}
      {role === 'viewer' && (
        <div className="team-line team-viewer" role="status" data-testid="view-only">
          {t('team.viewOnly')}
        </div>
      )}
    </>
  );
}
