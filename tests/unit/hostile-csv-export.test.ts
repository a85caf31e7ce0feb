/**
 * CSV injection with look-alike signs (issue 15, item 13): a cell that starts with a full-width
 * ＝ ＋ － ＠ (what a Chinese input method types, and what spreadsheets read as = + - @), their
 * small forms, the minus sign, white space before a sign, or a tab or carriage return is written
 * with a leading ' like a plain "=" — and the import takes the guard off again, so the values
 * come back exactly.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Papa from 'papaparse';
import { beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../services/handlers';
import { importCsvFiles, readMapData } from '../../services/exchange/service';
import { createClient } from '../../shared/api';
import { FORMULA_START } from '../../shared/exchange/csv-export';
import { REPO, webSession } from '../helpers/session';
import { useTmpDir } from '../helpers/tmp';
import { bundle } from '../helpers/trust-process';

const tmp = useTmpDir();
let cli = '';
beforeAll(async () => {
  cli = await bundle('cli/main.ts');
}, 60_000);

/** Dangerous starts, each as a spreadsheet would run it. */
const SIGNS = [
  '＝HYPERLINK("http://example.invalid","click")', // full-width equals
  '＋1+cmd|\' /C calc\'!A0', // full-width plus
  '－2+3', // full-width minus
  '＠SUM(A1:A9)', // full-width at
  '﹦1+1', // small equals
  '﹢1', // small plus
  '﹣1', // small minus
  '﹫SUM(1)', // small at
  '−1+1', // minus sign
  '=1+1', // the ASCII ones still
  '+1',
  '-1',
  '@SUM(1)',
];
/** Only in free text (labels are trimmed and refuse tabs and line breaks). */
const TEXT_ONLY = [' =1+1', '\u3000＝1+1', '\t=1+1', '\r=1+1', '\u00a0＝1'];
const HARMLESS = ['Director', '1+1=2', 'e-mail: a@b.invalid', "'quoted already", '中＝文'];

describe('CSV export neutralises look-alike formula signs', () => {
  it('the guard pattern matches every dangerous start and nothing harmless', () => {
    for (const s of [...SIGNS, ...TEXT_ONLY]) expect(FORMULA_START.test(s), JSON.stringify(s)).toBe(true);
    for (const s of HARMLESS) expect(FORMULA_START.test(s), JSON.stringify(s)).toBe(false);
  });

  it('writes each with a leading apostrophe through the API and the CLI, and imports them back exactly', async () => {
    const dir = tmp();
    const session = webSession(dir);
    const api = createClient((m, p) => dispatch(session, m, p));
    const file = path.join(dir, 'injection.powermap');
    await api.call('map.create', { path: file, meta: { account: 'Harbour Power Bureau' } });
    const ids: string[] = [];
    for (const [i, s] of SIGNS.entries()) {
      const ch = await api.call('person.create', { name: `${s} ${i}`, title: s, department: s, notes: TEXT_ONLY[i % TEXT_ONLY.length]! + ` #${i}`, favours: s });
      ids.push(ch.people![0]!.id);
      await api.call('profile.update', { personId: ids[i]!, patch: { family: s, hometown: TEXT_ONLY[i % TEXT_ONLY.length]! } });
    }
    const member = (await api.call('team.create', { name: '＝Rep Lin', role: '＋lead' })).team![0]!.id;
    await api.call('coverage.set', { memberId: member, personId: ids[0]!, strength: 2 });
    await api.call('relation.create', { kind: 'influence', source: ids[0]!, target: ids[1]!, strength: 2, note: '＠note' });
    await api.call('person.create', { name: 'Plain Person', title: HARMLESS.join(' / '), notes: HARMLESS[3]! });

    const out = path.join(dir, 'api.csv');
    const res = await api.call('exchange.export', { format: 'csv', path: out, includePersonal: true });
    const cliOut = path.join(dir, 'cli.csv');
    await session.close();
    const r = spawnSync(process.execPath, [cli, 'export', file, '--format', 'csv', '--include-personal', '-o', cliOut], {
      encoding: 'utf8',
      env: { ...process.env, NODE_PATH: path.join(REPO, 'node_modules') },
    });
    expect(r.status, r.stderr).toBe(0);

    for (const files of [res.files, [path.join(dir, 'cli-people.csv'), path.join(dir, 'cli-relations.csv')]]) {
      let guarded = 0;
      for (const f of files) {
        const rows = Papa.parse<string[]>(fs.readFileSync(f, 'utf8').replace(/^\uFEFF/, ''), { skipEmptyLines: true }).data;
        for (const cell of rows.flat()) {
          // Every cell is either harmless as it stands or carries the guard.
          if (cell.startsWith("'")) guarded++;
          else expect(FORMULA_START.test(cell), `${path.basename(f)}: ${JSON.stringify(cell)} was written unguarded`).toBe(false);
        }
      }
      expect(guarded).toBeGreaterThanOrEqual(SIGNS.length * 5);
    }

    // Back in: every value exactly as it was.
    const { store } = await importCsvFiles(res.files[0]!, res.files[1]!, path.join(dir, 'back.powermap'), { lang: 'en-US' });
    const back = await readMapData(store, false);
    await store.close();
    for (const [i, s] of SIGNS.entries()) {
      const p = back.people.find((x) => x.name === `${s} ${i}`);
      // (The import trims every cell, so leading white space in notes does not survive CSV; the sign does.)
      expect(p, s).toMatchObject({ title: s, department: s, favours: s, notes: (TEXT_ONLY[i % TEXT_ONLY.length]! + ` #${i}`).trim() });
    }
    expect(back.team.map((m) => m.name)).toContain('＝Rep Lin');
    expect(back.relations.find((x) => x.kind === 'influence')!.note).toBe('＠note');
    expect(back.people.find((x) => x.name === 'Plain Person')).toMatchObject({ title: HARMLESS.join(' / '), notes: HARMLESS[3] });
  });
});
