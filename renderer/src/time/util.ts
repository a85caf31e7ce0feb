/** Small helpers of the Time panel: error text, dates, the page's theme. */
import { messageOf, type Lang } from '../../../shared/i18n/errors';
import { localTimeZone, todayIn } from '../../../shared/time/dates';

/**
 * A message of the panel as how to say it: kept so, it is said again in the language shown after
 * a switch (a stored sentence would stay in the old one). Plain text stays as it is.
 */
export type Say = string | ((lang: Lang) => string);
export const said = (m: Say, lang: Lang): string => (typeof m === 'string' ? m : m(lang));
/** A failed call's message, said in whatever language is shown. */
export const errorSay = (e: unknown): Say => (lang) => messageOf(e, lang);

/** Today where the user is, and their zone (passed to the main side: it never reads a clock for this). */
export const userToday = (): { today: string; zone: string } => {
  const zone = localTimeZone();
  return { today: todayIn(zone), zone };
};

/** A timestamp as a short local date and time. */
export const formatWhen = (iso: string, lang: Lang): string => {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(lang, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
};

/** A calendar date (YYYY-MM-DD) as a short local date, without any time-zone shift. */
export const formatDate = (date: string, lang: Lang): string => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return date;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toLocaleDateString(lang, { timeZone: 'UTC', year: 'numeric', month: 'short', day: 'numeric', weekday: 'short' });
};

export const formatSpan = (from: string, to: string, lang: Lang): string =>
  from === to ? formatDate(from, lang) : `${formatDate(from, lang)} – ${formatDate(to, lang)}`;

/** 'dark' when the page behind the panel is dark (the window's theme), else 'light'. */
export function pageTheme(el: Element | null): 'light' | 'dark' {
  let node: Element | null = el;
  while (node) {
    const bg = getComputedStyle(node).backgroundColor;
    const m = /rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)/.exec(bg);
    if (m && (m[4] === undefined || Number(m[4]) > 0.5)) {
      const lum = (0.2126 * Number(m[1]) + 0.7152 * Number(m[2]) + 0.0722 * Number(m[3])) / 255;
      return lum < 0.5 ? 'dark' : 'light';
    }
    node = node.parentElement;
  }
  return typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}
