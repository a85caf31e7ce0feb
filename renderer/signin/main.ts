/**
 * The team server's sign-in page (served at /signin). Posts the email and password as JSON to
 * /auth/signin — same origin, so the browser sends its Origin header, which the server checks —
 * and on success goes to the app at /. The session lives in an httpOnly cookie this script never
 * sees. The language follows the one chosen in the app (localStorage 'powermap.lang'), else the
 * browser's; the button in the corner switches and remembers it.
 */
import '../zod-csp'; // first: before any zod schema exists
import type { SessionInfo } from '../../shared/api/account';
import { isApiErrorShape, type ApiResult } from '../../shared/api/errors';
import { errorMessage, langFromLocale, type Lang } from '../../shared/i18n/errors';
import { STRINGS } from './strings';
import './signin.css';

const LANG_KEY = 'powermap.lang';

function initialLang(): Lang {
  try {
    const saved = localStorage.getItem(LANG_KEY);
    if (saved === 'en-US' || saved === 'zh-CN') return saved;
  } catch {
    /* storage blocked: follow the browser */
  }
  return langFromLocale(navigator.languages?.[0] ?? navigator.language);
}

let lang = initialLang();
const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const form = $<HTMLFormElement>('form');
const email = $<HTMLInputElement>('email');
const password = $<HTMLInputElement>('password');
const submit = $<HTMLButtonElement>('submit');
const error = $<HTMLParagraphElement>('error');
let busy = false;
let lastError: (() => string) | null = null;

function render(): void {
  const s = STRINGS[lang];
  document.documentElement.lang = lang;
  document.title = s.title;
  $('heading').textContent = s.heading;
  $('sub').textContent = s.sub;
  $('email-label').textContent = s.email;
  $('password-label').textContent = s.password;
  $('hint').textContent = s.hint;
  const other = $<HTMLButtonElement>('lang');
  other.textContent = s.other;
  other.lang = lang === 'zh-CN' ? 'en' : 'zh-CN';
  submit.textContent = busy ? s.busy : s.submit;
  error.textContent = lastError ? lastError() : '';
  error.hidden = !lastError;
}

function showError(message: (() => string) | null): void {
  lastError = message;
  render();
}

$<HTMLButtonElement>('lang').addEventListener('click', () => {
  lang = lang === 'zh-CN' ? 'en-US' : 'zh-CN';
  try {
    localStorage.setItem(LANG_KEY, lang);
  } catch {
    /* the choice lasts this page */
  }
  render();
});

form.addEventListener('submit', (ev) => {
  ev.preventDefault();
  if (busy) return;
  if (!email.value.trim() || !password.value) {
    showError(() => STRINGS[lang].missing);
    (email.value.trim() ? password : email).focus();
    return;
  }
  busy = true;
  submit.disabled = true;
  showError(null);
  void signIn(email.value.trim(), password.value).finally(() => {
    busy = false;
    submit.disabled = false;
    render();
  });
});

async function signIn(address: string, secret: string): Promise<void> {
  let result: ApiResult<SessionInfo> | null = null;
  try {
    const res = await fetch('/auth/signin', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      credentials: 'same-origin',
      body: JSON.stringify({ email: address, password: secret }),
    });
    result = (await res.json()) as ApiResult<SessionInfo>;
  } catch {
    showError(() => STRINGS[lang].offline);
    return;
  }
  if (result.ok) {
    password.value = '';
    window.location.replace('/');
    return;
  }
  const err = isApiErrorShape(result.error) ? result.error : { code: 'INTERNAL' as const, message: 'unexpected answer' };
  showError(() => errorMessage(err, lang));
  password.value = '';
  password.focus();
}

render();
(email.value ? password : email).focus();
