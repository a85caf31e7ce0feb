/**
 * zh-CN without English: every word the app, the report, the analysis and the error messages
 * can show in Chinese, walked and checked for Latin words. What may stay Latin: people's and
 * files' names (the user's own words), single letters (role badges, shortcut keys) and a short
 * allow-list of names of formats and products. The rendered screens are walked in Chromium by
 * tests/e2e/zh-ui.test.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../shared/analysis';
import { MESSAGES } from '../../shared/analysis/messages';
import { ERROR_CODES, ApiError } from '../../shared/api/errors';
import { PEOPLE_HEADERS, RELATION_HEADERS } from '../../shared/exchange/csv-export';
import { parseCsv, buildImport, problemLines } from '../../shared/exchange/csv-import';
import * as domain from '../../shared/i18n/domain';
import { ERROR_MESSAGES, ERROR_REASONS, describeError, errorMessage } from '../../shared/i18n/errors';
import { EDIT_LABELS, EDIT_LABEL_KEYS, decodeEditLabel, editLabelText } from '../../shared/i18n/history';
import { compareMaps } from '../../shared/time/compare';
import { describeDiff, SECTION_TITLES } from '../../shared/time/describe';
import { AXIS_TITLE, QUADRANT_TITLE } from '../../shared/visual/grid';
import { legend } from '../../shared/visual/legend';
import { buildMenuTemplate, flattenMenu } from '../../electron/main/menu';
import { readSample } from '../../services/sample';
import { zh } from '../../renderer/src/i18n/zh';
import { EXCHANGE_STRINGS } from '../../renderer/src/exchange/strings';
import { INSIGHTS_STRINGS } from '../../renderer/src/insights/strings';
import { stringsFor } from '../../renderer/src/time/strings';
import { PRIVACY_STRINGS } from '../../renderer/src/privacy/strings';
import { PRIVACY_WORDS, backupLine, mentionLine, purgeSummary, stripSummary } from '../../shared/i18n/privacy';
import { STRINGS as REPORT_STRINGS } from '../../renderer/report/strings';
import { latinWords } from '../helpers/latin';
import { REPO } from '../helpers/session';

const SAMPLE_NAME = '赵丽';
/**
 * A stand-in for any argument a message function takes: a name where text is wanted, 3 where a
 * number is, itself for any property or call (a list, a person, a count), so every branch that
 * builds words from parameters runs without knowing the parameters' shapes.
 */
const ANY: unknown = new Proxy(function () {}, {
  get(_t, prop) {
    if (prop === Symbol.toPrimitive) return (hint: string) => (hint === 'number' ? 3 : SAMPLE_NAME);
    if (prop === Symbol.iterator) return function* () {
      yield ANY;
    };
    if (prop === 'length') return 1;
    if (prop === 'toString') return () => SAMPLE_NAME;
    if (prop === 'valueOf') return () => 3;
    return ANY;
  },
  apply: () => ANY,
});

/** Words of the domain a message function may look up. */
const DOMAIN_VALUES: string[] = [
  ...['champion', 'supporter', 'neutral', 'opponent', 'strong-opponent', 'high', 'medium', 'low', 'decision', 'management', 'operations'],
  ...['outsider', 'friend', 'supplier', 'partner', 'reports_to', 'influence', 'alliance', 'conflict', 'decision-maker', 'technical', 'coach'],
];

/** Every text a bundle can produce: its strings (placeholders filled) and its functions' results. */
function texts(bundle: unknown, at = ''): { at: string; text: string }[] {
  const out: { at: string; text: string }[] = [];
  const fillSlots = (s: string) => s.replace(/\{\{\s*\w+\s*\}\}|\{\w+\}/g, SAMPLE_NAME);
  const walk = (v: unknown, p: string) => {
    if (typeof v === 'string') out.push({ at: p, text: fillSlots(v) });
    else if (typeof v === 'function') {
      // Names and counts everywhere; then each domain word after a name (functions that look a
      // word up: an attitude, a level). A call that needed another shape says "undefined": skipped.
      // (A domain word given where the function prints its argument as it is comes back
      // verbatim: that call said nothing about the function's own words, and is skipped.)
      const calls: [unknown[], string | null][] = [
        [[ANY, ANY, ANY, ANY], null],
        [[1, 1, 1, 1], null],
        ...DOMAIN_VALUES.flatMap((d): [unknown[], string][] => [
          [[ANY, d, d, d], d],
          [[ANY, ANY, d, d], d],
        ]),
      ];
      for (const [args, word] of calls) {
        let r: unknown;
        try {
          r = (v as (...a: unknown[]) => unknown)(...args);
        } catch {
          continue; // a function that needs a real shape: covered through real outputs below
        }
        if (typeof r !== 'string' || /undefined|NaN|\[object/.test(r) || (word && r.includes(word))) continue;
        out.push({ at: p, text: fillSlots(r) });
      }
    } else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, p ? `${p}.${k}` : k);
  };
  walk(bundle, at);
  return out;
}

const offenders = (list: { at: string; text: string }[], names: readonly string[] = []) =>
  list.map((x) => ({ ...x, latin: latinWords(x.text, names) })).filter((x) => x.latin.length > 0);

describe('zh-CN has no English', () => {
  it('in the UI bundles: app, import/export, insights, history panel, report', () => {
    const all = [
      ...texts(zh, 'app'),
      ...texts(EXCHANGE_STRINGS['zh-CN'], 'exchange'),
      ...texts(INSIGHTS_STRINGS['zh-CN'], 'insights'),
      ...texts(stringsFor('zh-CN'), 'time'),
      ...texts(REPORT_STRINGS['zh-CN'], 'report'),
      ...texts(PRIVACY_STRINGS['zh-CN'], 'privacy'),
    ];
    expect(all.length).toBeGreaterThan(400);
    expect(offenders(all)).toEqual([]);
  });

  it('in the domain words, the legend, the grid, the menu and the history section titles', () => {
    const zhOf = (v: unknown): unknown =>
      v && typeof v === 'object' ? ('zh-CN' in v ? (v as Record<string, unknown>)['zh-CN'] : Object.fromEntries(Object.entries(v).map(([k, x]) => [k, zhOf(x)]))) : undefined;
    const all = [
      ...texts(zhOf(domain), 'domain'),
      ...legend('light').flatMap((g) => [g.title['zh-CN'], ...g.items.map((i) => i.label['zh-CN'])]).map((text) => ({ at: 'legend', text })),
      ...texts(zhOf(QUADRANT_TITLE), 'grid.quadrants'),
      ...texts(zhOf(AXIS_TITLE), 'grid.axes'),
      ...texts(SECTION_TITLES['zh-CN'], 'time.sections'),
      ...flattenMenu(buildMenuTemplate({ platform: 'linux', lang: 'zh-CN', recent: [], dev: false, actions: { command: () => {}, open: () => {}, clearRecent: () => {} } as never }))
        .filter((m) => typeof m.label === 'string')
        .map((m) => ({ at: 'menu', text: m.label! })),
    ];
    expect(all.length).toBeGreaterThan(60);
    expect(offenders(all)).toEqual([]);
  });

  it('in error messages: every code and every rule, as the banner shows them', () => {
    const all = [
      ...texts(ERROR_REASONS, 'reasons').filter((x) => !x.at.endsWith('en-US')),
      ...ERROR_CODES.map((code) => ({
        at: `errors.${code}`,
        text: describeError(new ApiError(code, 'disk I/O error in /home/x/m.powermap', { name: '江海.powermap' }), 'zh-CN').message,
      })),
      ...Object.keys(ERROR_REASONS).map((reason) => ({
        at: `reason.${reason}`,
        text: errorMessage({ code: 'INVALID_EDIT', message: 'English detail', params: { reason, person: '赵丽', boss: '钱立明', kind: 'conflict', names: '赵丽', date: '2031-05-01', from: '2031-05-02', to: '2031-05-01', count: 3 } }, 'zh-CN'),
      })),
    ];
    expect(Object.keys(ERROR_MESSAGES['zh-CN'])).toHaveLength(ERROR_CODES.length);
    expect(offenders(all)).toEqual([]);
  });

  it('in what erasing a person and removing personal details say they did', () => {
    const removed = { relations: 2, coverage: 1, profile: true, owned: 3, positions: 3, undoSteps: 4, undoImages: 2, snapshots: 2 };
    const none = { relations: 0, coverage: 0, profile: false, owned: 0, positions: 0, undoSteps: 0, undoImages: 0, snapshots: 0 };
    const purge = (r: typeof removed) => ({ person: { id: 'p1', name: '赵丽' }, removed: r, mentions: [], backups: [], change: { rev: 1, history: {} as never } });
    const strip = { path: '/x/银行.powermap', profiles: 3, trips: 2, undoSteps: 1, undoImages: 4, backups: [] };
    const fields = Object.keys(PRIVACY_WORDS.FIELD['zh-CN']);
    const all = [
      ...[removed, none].map((r) => ({ at: 'purge', text: purgeSummary(purge(r), 'zh-CN') })),
      ...Object.keys(PRIVACY_WORDS.WHERE['zh-CN']).flatMap((where) =>
        fields.map((field) => ({ at: `mention.${where}.${field}`, text: mentionLine({ where: where as never, id: 'x1', field }, 'zh-CN', '赵丽') })),
      ),
      { at: 'backup.person', text: backupLine('银行.powermap.v1.bak', 'zh-CN', 'person') },
      { at: 'backup.details', text: backupLine('银行.powermap.v1.bak', 'zh-CN', 'details') },
      { at: 'strip.inPlace', text: stripSummary({ ...strip, change: { rev: 2, history: {} as never } }, 'zh-CN', '银行.powermap') },
      { at: 'strip.copy', text: stripSummary({ ...strip, change: null }, 'zh-CN') },
    ];
    expect(Object.keys(PRIVACY_WORDS.FIELD['zh-CN']).sort()).toEqual(Object.keys(PRIVACY_WORDS.FIELD['en-US']).sort());
    expect(offenders(all, ['x1', '银行.powermap.v1.bak'])).toEqual([]); // the file's name is the user's
  });

  it('in undo labels, including those read back from what earlier versions wrote', () => {
    const all = [
      ...EDIT_LABEL_KEYS.filter((k) => k !== 'text').map((key) => ({
        at: `history.${key}`,
        text: editLabelText({ key, params: { name: '赵丽', a: '赵丽', b: '钱立明', member: '林晓雯', person: '赵丽', place: '上海', kind: 'meeting', count: 3 } }, 'zh-CN'),
      })),
      ...['Edit map details', 'Connect 赵丽 and 钱立明', 'Delete relation', 'Log meeting with 赵丽', 'Restore snapshot “招标前”', 'Add 赵丽 to our team', '林晓雯 no longer covers 赵丽'].map((legacy) => ({
        at: `legacy: ${legacy}`,
        text: editLabelText(decodeEditLabel(legacy), 'zh-CN'),
      })),
    ];
    expect(Object.keys(EDIT_LABELS['zh-CN'])).toEqual([...EDIT_LABEL_KEYS]);
    expect(offenders(all)).toEqual([]);
  });

  it('in the analysis: its message functions, and everything it says about the Chinese sample', () => {
    const sample = readSample(path.join(REPO, 'resources'), 'zh-CN');
    const a = analyze(sample, { lang: 'zh-CN' });
    const said: { at: string; text: string }[] = [
      ...a.redFlags.map((f) => ({ at: `flag.${f.kind}`, text: f.message })),
      ...a.coachCandidates.flatMap((c) => c.reasons.map((text) => ({ at: `coach.${c.id}`, text }))),
    ];
    expect(said.length).toBeGreaterThan(10);
    expect(offenders([...texts(MESSAGES['zh-CN'], 'analysis'), ...said])).toEqual([]);
  });

  it('in CSV import problems and in the changes between two maps', () => {
    const dir = path.join(REPO, 'tests', 'fixtures', 'csv');
    const lines: { at: string; text: string }[] = [];
    for (const f of fs.readdirSync(dir).filter((x) => x.startsWith('bad-'))) {
      const people = parseCsv(fs.readFileSync(path.join(dir, f), 'utf8'), f, f.includes('relations') ? 'relations' : 'people', 'zh-CN');
      const r = buildImport(people, null, 'zh-CN');
      for (const l of problemLines([...people.problems, ...r.problems], 'zh-CN')) lines.push({ at: f, text: l });
    }
    expect(lines.length).toBeGreaterThan(5);
    // The user's words: the files' names and cells (English names, values the file got wrong),
    // and the English column headers a file may use (named beside the Chinese ones).
    const files = fs.readdirSync(dir).filter((x) => x.startsWith('bad-'));
    const cells = [
      ...files,
      ...files.flatMap((f) => fs.readFileSync(path.join(dir, f), 'utf8').split(/[\n,;"]/)),
      ...PEOPLE_HEADERS,
      ...RELATION_HEADERS,
    ]
      .map((c) => c.trim())
      .filter(Boolean);
    expect(offenders(lines, cells)).toEqual([]);

    const before = readSample(path.join(REPO, 'resources'), 'zh-CN');
    const after = structuredClone(before);
    after.people[0]!.attitude = 'supporter';
    after.people[1]!.title = '行长';
    after.people.pop();
    after.relations.push({ id: 'rx', kind: 'conflict', source: after.people[2]!.id, target: after.people[3]!.id, strength: 3, note: '预算之争' });
    after.team.pop();
    const diff = describeDiff(compareMaps(before as never, after as never), 'zh-CN');
    const said = diff.flatMap((g) => [g.title, ...g.lines]).map((text) => ({ at: 'diff', text }));
    expect(said.length).toBeGreaterThan(4);
    expect(offenders(said)).toEqual([]);
  });

  it('calls the org chart by one name, 组织架构, everywhere', () => {
    const all = [
      ...texts(zh),
      ...texts(EXCHANGE_STRINGS['zh-CN']),
      ...texts(INSIGHTS_STRINGS['zh-CN']),
      ...texts(stringsFor('zh-CN')),
      ...texts(REPORT_STRINGS['zh-CN']),
    ].map((x) => x.text);
    expect(all.filter((t) => /组织结构|组织图|组织架构图/.test(t))).toEqual([]);
    expect(zh.toolbar.org).toBe('组织架构');
    expect(EXCHANGE_STRINGS['zh-CN'].layouts.org).toBe('组织架构');
  });

  it('catches English when there is some (the check itself)', () => {
    expect(latinWords('撤销：Edit 赵丽')).toEqual(['Edit']);
    expect(latinWords('导出 PDF 到 Ava Lind 的文件夹', ['Ava Lind'])).toEqual([]);
    expect(latinWords('E 决策者 · 按 Esc 退出')).toEqual([]);
  });
});
