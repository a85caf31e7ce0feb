/**
 * Boot: read the host info (language, documents folder, a map given at start), then show the open
 * map or the welcome screen. Follows the OS theme unless the user picks one.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../shared/api';
import { api, hostKind } from './api/client';
import { ErrorBanner } from './components/ErrorBanner';
import { Welcome } from './components/Welcome';
import { Workspace } from './components/Workspace';
import { loadFonts, mapText } from './fonts';
import { closeMap, openMap, openSample, reportError, startLanguage } from './store/actions';
import { selectTheme, useStore, type ThemePref } from './store';
import { startDesktopTeam, startTeam } from './team/actions';
import { SignInDialog } from './team/Connect';
import { Portfolio } from './team/Portfolio';
import { useTeam } from './team/state';
import { TeamWelcome } from './team/TeamWelcome';

function useSystemTheme() {
  const theme = useStore(selectTheme);
  useEffect(() => {
    const mq = window.matchMedia('(prefers-color-scheme: dark)');
    const on = () => useStore.getState().setSystemDark(mq.matches);
    on();
    mq.addEventListener('change', on);
    try {
      const saved = localStorage.getItem('powermap.theme') as ThemePref | null;
      if (saved === 'light' || saved === 'dark' || saved === 'system') useStore.getState().setThemePref(saved);
    } catch {
      /* ignore */
    }
    return () => mq.removeEventListener('change', on);
  }, []);
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
}

export function App() {
  const { t } = useTranslation();
  const doc = useStore((s) => s.doc);
  const portfolio = useTeam((s) => s.portfolio);
  const [ready, setReady] = useState(false);
  useSystemTheme();

  useEffect(() => {
    let live = true;
    (async () => {
      if (hostKind === 'team') {
        // The team server: the session first (its CSRF token goes with every call), no map open yet.
        try {
          if (!(await startTeam())) return;
          const info = await api.call('app.info', {});
          useStore.getState().setInfo(info);
          await startLanguage(info);
        } catch (e) {
          reportError(e);
        }
        if (live) setReady(true);
        return;
      }
      try {
        const info = await api.call('app.info', {});
        useStore.getState().setInfo(info);
        await startLanguage(info);
      } catch (e) {
        reportError(e);
      }
      if (hostKind === 'electron') await startDesktopTeam();
      try {
        const d = await api.call('map.get', {});
        await loadFonts(mapText(d));
        if (live) useStore.getState().loadDoc(d);
      } catch (e) {
        if (!(e instanceof ApiError && e.code === 'NO_MAP_OPEN')) reportError(e);
      }
      if (live) setReady(true);
    })();
    // Files opened by the OS while running, and menu commands that need no open map.
    const bridge = window.powermap;
    const off = bridge?.onEvent((ev) => {
      if (ev.type === 'open-file') void openMap(ev.path);
      else if (ev.type === 'menu' && ev.command === 'open-sample') void openSample();
      else if (ev.type === 'menu' && ev.command === 'close-map') void closeMap();
      else if (ev.type === 'menu' && (ev.command === 'new-map' || ev.command === 'open-map')) {
        if (useStore.getState().doc) void closeMap();
      }
    });
    return () => {
      live = false;
      off?.();
    };
  }, []);

  if (!ready)
    return (
      <p className="loading" data-testid="loading">
        {t('app.loading')}
      </p>
    );
  if (doc)
    return (
      <>
        <Workspace />
        <SignInDialog />
      </>
    );
  return (
    <>
      <ErrorBanner />
      {portfolio ? <Portfolio /> : hostKind === 'team' ? <TeamWelcome /> : <Welcome />}
      <SignInDialog />
    </>
  );
}
