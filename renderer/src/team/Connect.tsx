/**
 * The desktop app and a team server (issue 19): "Connect to a team server" (its address, then its
 * sign-in) on the welcome screen, beside the recent files; once signed in, the team maps shared
 * with the user (the same table as the team server's own page) and the portfolio. The main
 * process keeps the sign-in (shared/api/remote.ts); this page only ever sends the address, the
 * email and the password, once.
 *
 * SignInDialog: the session ended while the user worked (expired, revoked): sign in again and the
 * call that was on its way is sent once more, so the edit is not lost.
 */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TeamMapInfo } from '../../../shared/api/team';
import { messageOf } from '../../../shared/i18n/errors';
import { useStore } from '../store';
import { connectServer, forgetServer, listMaps, signInAnswered, signInRemote, signOut } from './actions';
import { useTeam } from './state';
import { TeamMapTable } from './TeamWelcome';

function SignInForm({ onDone, autoFocus }: { onDone: () => void; autoFocus?: boolean }) {
  const { t } = useTranslation();
  const lang = useStore((s) => s.lang);
  const [email, setEmail] = useState(useTeam.getState().user?.email ?? '');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!email.trim() || !password) return;
    setBusy(true);
    setError(null);
    try {
      await signInRemote(email.trim(), password);
      setPassword('');
      onDone();
    } catch (err) {
      setError(messageOf(err, lang));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="team-connect" onSubmit={(e) => void submit(e)} data-testid="remote-signin">
      <label className="field">
        <span className="field-label">{t('desk.email')}</span>
        <input type="email" autoComplete="username" data-testid="remote-email" value={email} autoFocus={autoFocus} onChange={(e) => setEmail(e.target.value)} />
      </label>
      <label className="field">
        <span className="field-label">{t('desk.password')}</span>
        <input type="password" autoComplete="current-password" data-testid="remote-password" value={password} onChange={(e) => setPassword(e.target.value)} />
      </label>
      {error && (
        <p className="form-error" role="alert" data-testid="remote-error">
          {error}
        </p>
      )}
      <button type="submit" className="primary" data-testid="remote-signin-button" disabled={busy || !email.trim() || !password}>
        {busy ? t('desk.signingIn') : t('desk.signIn')}
      </button>
    </form>
  );
}

/** The welcome screen's team card in the desktop app. */
export function TeamServerCard() {
  const { t } = useTranslation();
  const lang = useStore((s) => s.lang);
  const server = useTeam((s) => s.server);
  const user = useTeam((s) => s.user);
  const [url, setUrl] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [maps, setMaps] = useState<TeamMapInfo[] | null>(null);

  const refresh = useCallback(async () => {
    const list = await listMaps();
    if (list) setMaps(list);
  }, []);
  useEffect(() => {
    if (user) void refresh();
    else setMaps(null);
  }, [user, refresh]);

  const connect = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!url.trim()) return;
    setBusy(true);
    setError(null);
    try {
      await connectServer(url.trim());
    } catch (err) {
      setError(messageOf(err, lang));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card welcome-team" data-testid="welcome-team">
      <h2>{t('desk.teamTitle')}</h2>
      {!server ? (
        <>
          <p className="muted small">{t('desk.connectHint')}</p>
          <form className="team-connect" onSubmit={(e) => void connect(e)} data-testid="remote-connect">
            <label className="field">
              <span className="field-label">{t('desk.serverUrl')}</span>
              <input data-testid="remote-url" value={url} placeholder="https://powermap.example.com" spellCheck={false} onChange={(e) => setUrl(e.target.value)} />
            </label>
            {error && (
              <p className="form-error" role="alert" data-testid="remote-error">
                {error}
              </p>
            )}
            <button type="submit" className="primary" data-testid="remote-connect-button" disabled={busy || !url.trim()}>
              {t('desk.connect')}
            </button>
          </form>
        </>
      ) : !user ? (
        <>
          <p className="muted small" data-testid="remote-server">
            {t('desk.signInTo', { server })}{' '}
            <button type="button" className="link" data-testid="remote-forget" onClick={() => void forgetServer()}>
              {t('desk.otherServer')}
            </button>
          </p>
          <SignInForm onDone={() => undefined} />
        </>
      ) : (
        <>
          <p className="muted small" data-testid="remote-server">
            {t('desk.signedInOn', { name: user.name || user.email, server })}{' '}
            <button type="button" className="link" data-testid="sign-out" onClick={() => void signOut(false)}>
              {t('team.signOut')}
            </button>
          </p>
          <p className="team-actions">
            <button type="button" data-testid="open-portfolio" onClick={() => useTeam.getState().set({ portfolio: true })}>
              {t('desk.portfolio')}
            </button>
          </p>
          <TeamMapTable maps={maps} refresh={refresh} />
        </>
      )}
    </section>
  );
}

/** The session ended mid-work (desktop app): sign in again, and what was on its way is sent. */
export function SignInDialog() {
  const { t } = useTranslation();
  const open = useTeam((s) => s.signInNeeded);
  const server = useTeam((s) => s.server);
  if (!open) return null;
  return (
    <div className="overlay" role="presentation" data-testid="signin-dialog">
      <div className="overlay-box" role="dialog" aria-modal="true" aria-labelledby="signin-again-title">
        <h2 id="signin-again-title">{t('desk.sessionEnded')}</h2>
        <p className="muted small">{t('desk.sessionEndedHint', { server })}</p>
        <SignInForm autoFocus onDone={() => signInAnswered(true)} />
        <p>
          <button type="button" className="link" data-testid="signin-cancel" onClick={() => signInAnswered(false)}>
            {t('app.cancel')}
          </button>
        </p>
      </div>
    </div>
  );
}
