/** Finding English in Chinese text (tests/unit/zh-no-english.test.ts, tests/e2e/zh-ui.test.ts). */

/** Latin words that may stand in Chinese text: formats, products, key names, units. */
export const ALLOWED_LATIN = new Set([
  'PowerMap', 'powermap', 'PDF', 'PNG', 'SVG', 'JSON', 'CSV', 'GraphML', 'Gephi', 'yEd', 'Cytoscape', 'UTF', 'GBK', 'GB18030',
  'Excel', 'PIPL', 'A4', 'A3', 'Ctrl', 'Shift', 'Esc', 'Del', 'Enter', 'Tab', 'Chromium', 'Chrome', 'CHROME_PATH', 'KB', 'MB',
  // Time zones as the system names them.
  'UTC', 'GMT',
  // File name extensions.
  'csv', 'json', 'pdf', 'png', 'svg', 'graphml',
  // The language switch names each language in itself.
  'English',
  // Web addresses' protocol, as typed (a team server's address).
  'HTTP',
]);

/** The Latin words of `text` outside `names` and the allow-list (single letters pass: role badges, keys). */
export function latinWords(text: string, names: readonly string[] = []): string[] {
  let t = text;
  for (const n of [...names].sort((a, b) => b.length - a.length)) if (n) t = t.split(n).join(' ');
  // Web addresses are typed as they are (https://powermap.example.com, http://).
  t = t.replace(/\bhttps?:\/\/[A-Za-z0-9.:[\]/_-]*/g, ' ');
  // Time-zone names are identifiers a user types as they are (Asia/Shanghai).
  t = t.replace(/\b[A-Z][a-z]+\/[A-Z][A-Za-z_]+\b/g, ' ');
  return (t.match(/[A-Za-z][A-Za-z0-9_]*/g) ?? []).filter((w) => w.length > 1 && !ALLOWED_LATIN.has(w));
}
