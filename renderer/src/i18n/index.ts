/**
 * UI translation with i18next + react-i18next. Two languages, bundled (no network). Which one is
 * shown: the choice the main side keeps (app.info / app.setLanguage), else the OS locale; see
 * startLanguage and chooseLanguage in store/actions.ts. localStorage keeps a copy for the team
 * server's sign-in page.
 * Domain words (roles, attitudes, stages…) come from shared/i18n/domain.ts so the report and the
 * CLI read the same.
 */
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { Lang } from '../../../shared/i18n/errors';
import { en } from './en';
import { zh } from './zh';

const KEY = 'powermap.lang';

export function savedLang(): Lang | null {
  try {
    const v = localStorage.getItem(KEY);
    return v === 'en-US' || v === 'zh-CN' ? v : null;
  } catch {
    return null;
  }
}
export function saveLang(lang: Lang): void {
  try {
    localStorage.setItem(KEY, lang);
  } catch {
    /* private mode: the choice lasts this session */
  }
}

export const i18n = i18next.createInstance();
void i18n.use(initReactI18next).init({
  resources: { 'en-US': { translation: en }, 'zh-CN': { translation: zh } },
  lng: 'en-US',
  fallbackLng: 'en-US',
  interpolation: { escapeValue: false },
  returnNull: false,
  initAsync: false,
});

export function applyLang(lang: Lang): void {
  void i18n.changeLanguage(lang);
  document.documentElement.lang = lang;
}
