/**
 * The one source of the UI language on the main side: the language the user picked in the app
 * (kept in Settings, written by the renderer through `app.setLanguage`), else the system's. CSV
 * preview errors, analysis messages, the PDF and the CLI's session all ask here.
 */
import { langFromLocale, type Lang } from '../shared/i18n/errors';
import type { Session } from './session';

export const sessionLang = (s: Session): Lang => s.settings.get().language ?? langFromLocale(s.host.locale);
