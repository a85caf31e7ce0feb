/**
 * The welcome screen: new map, open, recent maps, the sample. In Electron new/open use the native
 * dialogs; in the browser build (dialogs answer UNSUPPORTED) the user types a path.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, type RecentEntry } from '../../../shared/api';
import { api, hostKind } from '../api/client';
import { createMap, openMap, openSample, reportError } from '../store/actions';
import { useStore } from '../store';
import { TeamServerCard } from '../team/Connect';
import { LangThemeSwitch } from './Toolbar';

const join = (dir: string, name: string) => (dir ? `${dir.replace(/[\\/]+$/, '')}${dir.includes('\\') && !dir.includes('/') ? '\\' : '/'}${name}` : name);
const safeName = (s: string) => s.replace(/[\\/:*?"<>|]+/g, ' ').trim();

export function Welcome() {
  const { t } = useTranslation();
  const info = useStore((s) => s.info);
  const [recent, setRecent] = useState<RecentEntry[]>([]);
  const [account, setAccount] = useState('');
  const [deal, setDeal] = useState('');
  const [newPath, setNewPath] = useState('');
  const [openPath, setOpenPath] = useState('');
  const [touched, setTouched] = useState(false);
  const [noDialogs, setNoDialogs] = useState(info?.host === 'web');
  const docsDir = info?.documentsDir ?? '';
  const base = safeName([account, deal].filter(Boolean).join(' - ')) || 'New map';

  useEffect(() => {
    api.call('recent.list', {}).then(setRecent, () => setRecent([]));
  }, []);
  useEffect(() => setNoDialogs(info?.host === 'web'), [info?.host]);
  useEffect(() => {
    if (!touched) setNewPath(join(docsDir, `${base}.powermap`));
  }, [base, docsDir, touched]);

  const create = async () => {
    if (noDialogs) {
      if (newPath.trim()) await createMap(newPath.trim(), account.trim(), deal.trim());
      return;
    }
    try {
      const p = await api.call('host.pickSavePath', { suggestedName: `${base}.powermap` });
      if (p) await createMap(p, account.trim(), deal.trim());
    } catch (e) {
      if (e instanceof ApiError && e.code === 'UNSUPPORTED') setNoDialogs(true);
      else reportError(e);
    }
  };
  const open = async () => {
    if (noDialogs) {
      if (openPath.trim()) await openMap(openPath.trim());
      return;
    }
    try {
      const p = await api.call('host.pickOpenPath', {});
      if (p) await openMap(p);
    } catch (e) {
      if (e instanceof ApiError && e.code === 'UNSUPPORTED') setNoDialogs(true);
      else reportError(e);
    }
  };
  const enter = (f: () => void) => (e: React.KeyboardEvent) => {
    if (e.key === 'Enter') f();
  };

  return (
    <main className="welcome" data-testid="welcome">
      <header className="welcome-head">
        <h1>
          <span className="logo" aria-hidden="true">◆</span> {t('app.name')}
        </h1>
        <p className="muted">{t('app.tagline')}</p>
        <LangThemeSwitch />
      </header>
      <div className="welcome-grid">
        <section className="card" data-testid="welcome-new">
          <h2>{t('welcome.newMap')}</h2>
          <p className="muted small">{t('welcome.newMapHint')}</p>
          <label className="field">
            <span className="field-label">{t('welcome.account')}</span>
            <input data-testid="new-account" value={account} placeholder={t('welcome.accountPlaceholder')} onChange={(e) => setAccount(e.target.value)} onKeyDown={enter(create)} />
          </label>
          <label className="field">
            <span className="field-label">{t('welcome.deal')}</span>
            <input data-testid="new-deal" value={deal} placeholder={t('welcome.dealPlaceholder')} onChange={(e) => setDeal(e.target.value)} onKeyDown={enter(create)} />
          </label>
          {noDialogs && (
            <label className="field">
              <span className="field-label">{t('welcome.path')}</span>
              <input
                data-testid="new-path"
                value={newPath}
                onChange={(e) => {
                  setTouched(true);
                  setNewPath(e.target.value);
                }}
                onKeyDown={enter(create)}
              />
            </label>
          )}
          <button type="button" className="primary" data-testid="create-map" onClick={() => void create()}>
            {noDialogs ? t('welcome.create') : t('welcome.createChoose')}
          </button>
        </section>

        <section className="card" data-testid="welcome-open">
          <h2>{t('welcome.open')}</h2>
          <p className="muted small">{t('welcome.openHint')}</p>
          {noDialogs ? (
            <div className="inline-form">
              <input data-testid="open-path" value={openPath} placeholder={t('welcome.openPlaceholder')} onChange={(e) => setOpenPath(e.target.value)} onKeyDown={enter(open)} />
              <button type="button" data-testid="open-map" onClick={() => void open()}>
                {t('welcome.openPath')}
              </button>
            </div>
          ) : (
            <button type="button" data-testid="open-map" onClick={() => void open()}>
              {t('welcome.openChoose')}
            </button>
          )}
          <h3>{t('welcome.recent')}</h3>
          {recent.length === 0 ? (
            <p className="muted small">{t('welcome.noRecent')}</p>
          ) : (
            <ul className="recent" data-testid="recent-list">
              {recent.map((r) => (
                <li key={r.path}>
                  <button type="button" className="link" title={r.path} onClick={() => void openMap(r.path)}>
                    {r.name}
                  </button>
                  <span className="muted small"> {r.path}</span>
                </li>
              ))}
            </ul>
          )}
        </section>

        <section className="card" data-testid="welcome-sample">
          <h2>{t('welcome.sample')}</h2>
          <p className="muted small">{t('welcome.sampleHint')}</p>
          <button type="button" data-testid="open-sample" onClick={() => void openSample()}>
            {t('welcome.openSample')}
          </button>
        </section>
        {/* The desktop app only: the browser build cannot keep a team server's sign-in from its page (docs). */}
        {hostKind === 'electron' && <TeamServerCard />}
      </div>
    </main>
  );
}
