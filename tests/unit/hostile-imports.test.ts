/**
 * Hostile import files (issue 15, items 6, 10 and 11), on real files, through the API
 * (dispatch, as both transports call it) and the CLI as a process:
 *
 * - mixed or wrong encodings are never substituted silently: a BOM wins, bytes valid in no
 *   encoding tried refuse the import with the line named, and lines read in a guessed encoding
 *   are listed in the preview with the text read;
 * - a named pipe is refused at once (regular files only), without blocking the process;
 * - a CSV with a million columns is refused quickly with one clear line, not a million.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import { beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../services/handlers';
import { createClient, type ApiClient } from '../../shared/api';
import type { ApiErrorShape } from '../../shared/api/errors';
import { MAX_COLUMNS, MAX_IGNORED_LISTED } from '../../shared/exchange/csv-import';
import { errorMessage } from '../../shared/i18n/errors';
import { REPO, webSession } from '../helpers/session';
import { useTmpDir } from '../helpers/tmp';
import { bundle, run } from '../helpers/trust-process';

const tmp = useTmpDir();
let cli = '';
const CLI_ENV = { ...process.env, LANG: 'en_US.UTF-8', NODE_PATH: path.join(REPO, 'node_modules') };
beforeAll(async () => {
  cli = await bundle('cli/main.ts');
}, 60_000);

const utf8 = (s: string) => Buffer.from(s, 'utf8');
const gbk = (s: string) => iconv.encode(s, 'gbk');
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

function api(dir: string): ApiClient {
  const session = webSession(dir);
  return createClient((m, p) => dispatch(session, m, p));
}

const refusal = async (p: Promise<unknown>): Promise<ApiErrorShape> => {
  try {
    await p;
  } catch (e) {
    return e as ApiErrorShape;
  }
  throw new Error('expected a refusal');
};

const runCli = (args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env: CLI_ENV, timeout: 30_000 });

describe('encodings are never guessed silently (item 6)', () => {
  it('refuses a UTF-8 file with a stray byte valid in no encoding, naming the line, instead of reading it all as GB18030', async () => {
    const dir = tmp();
    const file = path.join(dir, 'people.csv');
    fs.writeFileSync(file, Buffer.concat([utf8('name,title\n张伟,Director\n王芳,Eng'), Buffer.from([0xff]), utf8('ineer\n李娜,Buyer\n')]));
    const a = api(dir);
    const preview = await a.call('exchange.previewCsv', { peoplePath: file });
    expect(preview.problems).toHaveLength(1);
    expect(preview.problems[0]).toMatch(/^people\.csv: line 3 holds bytes that are not valid UTF-8 \(0xFF 0x69 0x6E 0x65 at byte 11 of the line\)/);
    // The good lines read as UTF-8: no mojibake anywhere in the preview.
    expect(preview.preview.map((p) => p.name)).toEqual(['张伟', '王芳', '李娜']);
    expect(preview.files[0]!.encoding).toBe('UTF-8');
    const target = path.join(dir, 'new.powermap');
    const e = await refusal(a.call('exchange.importCsv', { peoplePath: file, path: target }));
    expect(e.code).toBe('IMPORT_FAILED');
    expect(fs.existsSync(target)).toBe(false);

    const r = runCli(['import', file, '-o', path.join(dir, 'cli.powermap')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/line 3 holds bytes that are not valid UTF-8/);
    expect(fs.existsSync(path.join(dir, 'cli.powermap'))).toBe(false);
  });

  it('reads a UTF-8 file with one line pasted from a GBK file, and lists that line with what was read', async () => {
    const dir = tmp();
    const file = path.join(dir, 'people.csv');
    fs.writeFileSync(file, Buffer.concat([utf8('name,title\n张伟,Director\n'), gbk('李娜,采购经理\n'), utf8('王芳,Engineer\n')]));
    const a = api(dir);
    const preview = await a.call('exchange.previewCsv', { peoplePath: file });
    expect(preview.problems).toEqual([]);
    expect(preview.files[0]!.encoding).toBe('UTF-8 (1 line GB18030)');
    expect(preview.warnings[0]).toBe('people.csv: line 3 is not valid UTF-8; it was read as GB18030, check it: “李娜,采购经理”');
    const doc = await a.call('exchange.importCsv', { peoplePath: file, path: path.join(dir, 'new.powermap') });
    expect(doc.people.map((p) => [p.name, p.title])).toEqual([
      ['张伟', 'Director'],
      ['李娜', '采购经理'],
      ['王芳', 'Engineer'],
    ]);
    const r = runCli(['import', file, '-o', path.join(dir, 'cli.powermap')]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/UTF-8 \(1 line GB18030\)/);
    expect(r.stderr).toMatch(/line 3 is not valid UTF-8; it was read as GB18030, check it: “李娜,采购经理”/);
  });

  it('lets a UTF-8 BOM win: a GBK file behind one is refused line by line, never stored as replacement characters', async () => {
    const dir = tmp();
    const file = path.join(dir, 'people.csv');
    fs.writeFileSync(file, Buffer.concat([BOM, gbk('姓名,职位\n张伟,处长\n王芳,工程师\n')]));
    const a = api(dir);
    const preview = await a.call('exchange.previewCsv', { peoplePath: file });
    expect(preview.files[0]!.encoding).toBe('UTF-8 (BOM)');
    for (const line of [1, 2, 3]) expect(preview.problems).toContainEqual(expect.stringMatching(new RegExp(`^people\\.csv: line ${line} holds bytes that are not valid UTF-8`)));
    const target = path.join(dir, 'new.powermap');
    expect((await refusal(a.call('exchange.importCsv', { peoplePath: file, path: target }))).code).toBe('IMPORT_FAILED');
    expect(fs.existsSync(target)).toBe(false);
    const r = runCli(['import', file, '-o', path.join(dir, 'c.powermap')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/line 1 holds bytes that are not valid UTF-8/);
    expect(r.stderr).not.toContain('\uFFFD');
  });

  it('reads a GBK file as GB18030 and lists a line that would read as UTF-8 too', async () => {
    const dir = tmp();
    const file = path.join(dir, 'people.csv');
    // 谢伟 and 卢强 in GBK happen to be valid UTF-8 ("лΰ", "¬ǿ"): such lines are flagged, not trusted.
    const bytes = gbk('姓名,职位\n王芳,工程师\n谢伟,卢强\n张伟,处长\n');
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(gbk('谢伟,卢强\n'))).not.toThrow();
    fs.writeFileSync(file, bytes);
    const preview = await api(dir).call('exchange.previewCsv', { peoplePath: file });
    expect(preview.files[0]!.encoding).toBe('GB18030');
    expect(preview.problems).toEqual([]);
    expect(preview.preview.map((p) => p.name)).toEqual(['王芳', '谢伟', '张伟']);
    expect(preview.warnings).toContain('people.csv: line 3 reads as UTF-8 too; it was read as GB18030, check it: “谢伟,卢强”');
  });

  it('refuses a JSON file with invalid bytes in a name instead of storing U+FFFD', async () => {
    const dir = tmp();
    const file = path.join(dir, 'map.json');
    const json = JSON.stringify(
      {
        format: 'powermap-map',
        version: 1,
        meta: { account: 'Harbour Power Bureau', deal: '', stage: 'need', posture: 'unknown', incumbent: false, competitors: [], budget: '', timeline: '', notes: '' },
        people: [{ id: 'p1', name: 'ZHANGWEI', title: '', department: '', roles: [], influence: 'medium', attitude: 'neutral', favours: '', servesOrg: false, personalBond: false, level: null, notes: '', lastContact: null }],
        relations: [],
        team: [],
        coverage: [],
      },
      null,
      1,
    );
    const at = json.indexOf('ZHANGWEI');
    fs.writeFileSync(file, Buffer.concat([utf8(json.slice(0, at)), Buffer.from([0xd5, 0xc5, 0xce, 0xb0]), utf8(json.slice(at + 'ZHANGWEI'.length))]));
    const target = path.join(dir, 'new.powermap');
    const e = await refusal(api(dir).call('exchange.importJson', { jsonPath: file, path: target }));
    expect(e.code).toBe('IMPORT_FAILED');
    expect(e.message).toMatch(/map\.json is not UTF-8 text: line \d+ holds bytes that are not valid UTF-8 \(0xC5/);
    expect(fs.existsSync(target)).toBe(false);
    const r = runCli(['import', file, '-o', path.join(dir, 'cli.powermap')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/not valid UTF-8/);
  });
});

describe('imports read regular files only (item 10)', () => {
  /** The browser build's server as a process, so a blocked read would show as a server that stops answering. */
  async function server(dir: string) {
    const script = await bundle('server/web/main.ts');
    const child = run(script, [], { POWERMAP_CONFIG_DIR: path.join(dir, 'config'), POWERMAP_DOCUMENTS: path.join(dir, 'docs'), LANG: 'en-US' });
    const line = await child.waitFor(/^http:\/\/127\.0\.0\.1:\d+\/#token=/);
    const [, port, token] = /:(\d+)\/#token=(.+)$/.exec(line)!;
    const call = async (method: string, payload: unknown) => {
      const r = await fetch(`http://127.0.0.1:${port}/api/${method}`, {
        method: 'POST',
        headers: { 'x-powermap-token': token!, 'content-type': 'application/json' },
        body: JSON.stringify(payload),
        signal: AbortSignal.timeout(10_000),
      });
      return (await r.json()) as { ok: boolean; value?: unknown; error?: ApiErrorShape };
    };
    return { child, call };
  }

  it('refuses a named pipe and a device at once, and the server goes on answering', async () => {
    const dir = tmp();
    const fifo = path.join(dir, 'people.csv');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const jsonFifo = path.join(dir, 'map.json');
    expect(spawnSync('mkfifo', [jsonFifo]).status).toBe(0);
    const { child, call } = await server(dir);
    try {
      for (const [method, payload] of [
        ['exchange.previewCsv', { peoplePath: fifo }],
        ['exchange.importCsv', { peoplePath: fifo, path: path.join(dir, 'a.powermap') }],
        ['exchange.previewCsv', { peoplePath: path.join(dir, 'ok.csv'), relationsPath: fifo }],
        ['exchange.importJson', { jsonPath: jsonFifo, path: path.join(dir, 'b.powermap') }],
        ['exchange.previewCsv', { peoplePath: '/dev/zero' }],
      ] as const) {
        if (method === 'exchange.previewCsv' && 'relationsPath' in payload) fs.writeFileSync(payload.peoplePath, 'name\nLin Qiao\n');
        const r = await call(method, payload);
        expect(r.ok, method).toBe(false);
        expect(r.error, method).toMatchObject({ code: 'IMPORT_FAILED', params: { reason: 'not_a_file' } });
        expect(errorMessage(r.error!, 'en-US')).toMatch(/is not a regular file \(it is a named pipe, a device or a socket\): PowerMap imports only files/);
        expect((await call('app.info', {})).ok).toBe(true);
      }
      expect(fs.existsSync(path.join(dir, 'a.powermap'))).toBe(false);
    } finally {
      // SIGKILL: a server blocked in a read (as it was before this fix) never runs its SIGTERM handler.
      child.proc.kill('SIGKILL');
      await child.exited;
    }
  });

  it('the CLI refuses a named pipe with one line instead of waiting for a writer', () => {
    const dir = tmp();
    const fifo = path.join(dir, 'people.csv');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const r = runCli(['import', fifo, '-o', path.join(dir, 'x.powermap')]);
    expect(r.signal).toBeNull(); // not killed by the timeout
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('powermap import: people.csv is not a regular file (it is a named pipe, a device or a socket): PowerMap imports only files. Save the data to a file and import that.\n');
  });
});

describe('wide files and long lists are capped with a clear message (item 11)', () => {
  it('refuses a CSV with a million columns with one line, without a warning per column', async () => {
    const dir = tmp();
    const file = path.join(dir, 'wide.csv');
    const header = ['name', 'title', ...Array.from({ length: 1_000_000 }, (_, i) => `c${i}`)].join(',');
    fs.writeFileSync(file, `${header}\nLin Qiao,Director\n`);
    const a = api(dir);
    const t0 = Date.now();
    const preview = await a.call('exchange.previewCsv', { peoplePath: file });
    const ms = Date.now() - t0;
    expect(preview.problems).toEqual([
      `wide.csv row 1: the header has 1,000,002 columns; PowerMap reads at most ${MAX_COLUMNS.toLocaleString('en-US')}: delete the columns you do not need and import again`,
    ]);
    expect(preview.warnings).toEqual([]);
    expect(preview.columns).toEqual([]);
    const target = path.join(dir, 'wide.powermap');
    expect((await refusal(a.call('exchange.importCsv', { peoplePath: file, path: target }))).code).toBe('IMPORT_FAILED');
    expect(fs.existsSync(target)).toBe(false);
    const r = runCli(['import', file, '-o', target]);
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n').length).toBeLessThanOrEqual(2);
    expect(r.stderr).toMatch(/the header has 1,000,002 columns/);
    console.log(`[trust] a 1,000,002-column CSV (${(fs.statSync(file).size / 1e6).toFixed(1)} MB) refused in ${ms} ms with one problem line`);
  });

  it('imports a file with many unknown columns, listing 20 of them and counting the rest', async () => {
    const dir = tmp();
    const file = path.join(dir, 'crm.csv');
    const extra = Array.from({ length: 5000 }, (_, i) => `crm_field_${i}`);
    fs.writeFileSync(file, `${['name', 'title', ...extra].join(',')}\n${['Lin Qiao', 'Director', ...extra.map(() => 'x')].join(',')}\n`);
    const preview = await api(dir).call('exchange.previewCsv', { peoplePath: file });
    expect(preview.problems).toEqual([]);
    expect(preview.warnings).toHaveLength(MAX_IGNORED_LISTED + 1);
    expect(preview.warnings[0]).toBe('crm.csv: column crm_field_0 is not a PowerMap column and was ignored');
    expect(preview.warnings.at(-1)).toBe('crm.csv: 4,980 more columns are not PowerMap columns and were ignored');
    const r = runCli(['import', file, '-o', path.join(dir, 'crm.powermap')]);
    expect(r.status).toBe(0);
    expect(r.stderr.trim().split('\n')).toHaveLength(MAX_IGNORED_LISTED + 1);
  });

  it('lists 50 guessed lines and counts the rest', async () => {
    const dir = tmp();
    const file = path.join(dir, 'people.csv');
    const parts: Buffer[] = [utf8('name,title\n')];
    for (let i = 0; i < 300; i++) parts.push(utf8(`张伟${i},Director\n`));
    for (let i = 0; i < 120; i++) parts.push(gbk(`李娜${i},采购经理\n`));
    fs.writeFileSync(file, Buffer.concat(parts));
    const preview = await api(dir).call('exchange.previewCsv', { peoplePath: file });
    expect(preview.files[0]!.encoding).toBe('UTF-8 (120 lines GB18030)');
    expect(preview.warnings.filter((w) => w.includes('was read as GB18030'))).toHaveLength(50);
    expect(preview.warnings).toContain('people.csv: 70 more lines were read in a guessed encoding');
    expect(preview.counts.people).toBe(420);
  });
});
