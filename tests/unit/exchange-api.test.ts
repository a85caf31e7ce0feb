import fs from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import { defaultDocumentsDir } from '../../services/session';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../shared/api/errors';
import { requireChromium } from '../../services/exchange/chromium';
import { decodeCsv } from '../../services/exchange/decode';
import { writeFilesAtomic } from '../../services/exchange/files';
import { dispatch } from '../../services/handlers';
import { buildMapAtomic, openMapFile } from '../../services/map/files';
import { counts, meta } from '../../services/map/read';
import { loadMap } from '../../services/map/rules';
import { REPO, webSession } from '../helpers/session';
import { sha256, useTmpDir } from '../helpers/tmp';
import { richMap } from './exchange-helpers';

const tmp = useTmpDir();
const FIX = path.join(REPO, 'tests', 'fixtures', 'csv');

describe('writing aside, then moving into place', () => {
  it('never replaces an existing file without overwrite, and leaves no temp file behind', () => {
    const dir = tmp();
    const a = path.join(dir, 'a.txt');
    fs.writeFileSync(a, 'old');
    expect(() => writeFilesAtomic([{ target: a, data: 'new' }], false)).toThrow(/already exists/);
    expect(fs.readFileSync(a, 'utf8')).toBe('old');
    writeFilesAtomic([{ target: a, data: 'new' }], true);
    expect(fs.readFileSync(a, 'utf8')).toBe('new');
    // The second file's folder is missing: neither file is written.
    const b = path.join(dir, 'b.txt');
    expect(() => writeFilesAtomic([{ target: b, data: 'x' }, { target: path.join(dir, 'missing', 'c.txt'), data: 'y' }], false)).toThrow(ApiError);
    expect(fs.existsSync(b)).toBe(false);
    expect(fs.readdirSync(dir)).toEqual(['a.txt']);
  });

  it('builds a map aside: a failure while filling leaves neither map nor temp file', async () => {
    const dir = tmp();
    const target = path.join(dir, 'm.powermap');
    await expect(
      buildMapAtomic(target, async (s) => {
        await loadMap(s, { people: [], relations: [], team: [], coverage: [] });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(fs.readdirSync(dir)).toEqual([]);
    const store = await buildMapAtomic(target, (s) => loadMap(s, { meta: { account: 'Eastbrook' }, people: [], relations: [], team: [], coverage: [] }));
    expect((await meta(store)).account).toBe('Eastbrook');
    await store.close();
    expect(fs.readdirSync(dir)).toEqual(['m.powermap']);
  });
});

describe('finding Chromium', () => {
  it('says what it tried when there is none', () => {
    try {
      requireChromium({ CHROME_PATH: '/nonexistent/chrome' }, ['/nonexistent/chromium']);
      expect.unreachable();
    } catch (e) {
      expect((e as ApiError).code).toBe('UNSUPPORTED');
      expect((e as ApiError).message).toMatch(/none was found \(CHROME_PATH \(\/nonexistent\/chrome\) does not exist; looked in \/nonexistent\/chromium\)/);
      expect((e as ApiError).message).toMatch(/set CHROME_PATH/);
    }
    const real = process.execPath; // any existing file stands in for an executable here
    expect(requireChromium({ CHROME_PATH: real }, [])).toBe(real);
  });
});

describe('decoding', () => {
  it('reads UTF-16 with a BOM (Excel "Unicode text") too', () => {
    const buf = Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode('姓名\t职位\n陈雅琳\t局长\n', 'utf-16le')]);
    expect(decodeCsv(buf)).toMatchObject({ text: '姓名\t职位\n陈雅琳\t局长\n', encoding: 'UTF-16LE', guessed: [], invalid: [] });
  });
});

describe('the exchange API', () => {
  it('previews CSV without writing anything, then imports into a new map and opens it', async () => {
    const dir = tmp();
    const s = webSession(dir);
    const target = path.join(dir, 'docs', 'new.powermap');
    const bad = await dispatch(s, 'exchange.previewCsv', { peoplePath: path.join(FIX, 'people-en.csv'), relationsPath: path.join(FIX, 'bad-relations.csv') });
    expect(bad.ok).toBe(true);
    const pv = (bad as { value: { problems: string[]; problemCount: number; preview: unknown[]; counts: { people: number } } }).value;
    expect(pv.problemCount).toBe(4);
    expect(pv.problems[0]).toMatch(/bad-relations\.csv row 2, column to/);
    expect(pv.preview).toHaveLength(6);
    expect(fs.existsSync(path.join(dir, 'docs'))).toBe(false);

    const refused = await dispatch(s, 'exchange.importCsv', { peoplePath: path.join(FIX, 'people-en.csv'), relationsPath: path.join(FIX, 'bad-relations.csv'), path: target });
    expect(refused).toMatchObject({ ok: false, error: { code: 'IMPORT_FAILED' } });
    expect((refused as { error: { details: string[] } }).error.details).toHaveLength(4);
    expect(fs.existsSync(target)).toBe(false);

    const ok = await dispatch(s, 'exchange.importCsv', { peoplePath: path.join(FIX, 'people-en.csv'), relationsPath: path.join(FIX, 'relations-en.csv'), path: target.replace(/\.powermap$/, ''), meta: { account: 'Eastbrook' } });
    expect(ok.ok).toBe(true);
    expect((ok as { value: { path: string; people: unknown[]; meta: { account: string } } }).value).toMatchObject({ path: target, meta: { account: 'Eastbrook' } });
    expect(s.store?.location.path).toBe(target);
    await s.close();
  });

  it('exports the open map, refuses relative paths and images that are not what they claim', async () => {
    const dir = tmp();
    const s = webSession(dir);
    const rich = await richMap(dir);
    const file = rich.location.path;
    await rich.close();
    await (await openMapFile(file)).close(); // settle the WAL into the file, so its bytes can be compared
    fs.rmSync(`${file}.v1.bak`, { force: true });
    const hash = sha256(file);
    s.store = await openMapFile(file);
    const rel = await dispatch(s, 'exchange.export', { format: 'json', path: 'relative/x.json' });
    expect(rel).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    const out = path.join(dir, 'export');
    const res = await dispatch(s, 'exchange.export', { format: 'graphml', path: out });
    expect(res).toMatchObject({ ok: true, value: { files: [`${out}.graphml`] } });
    const again = await dispatch(s, 'exchange.export', { format: 'graphml', path: out });
    expect(again).toMatchObject({ ok: false, error: { code: 'FILE_EXISTS' } });
    // A bare name goes to the PowerMap documents folder: made on first use (here dir/docs, as
    // ~/PowerMap is where ~/Documents does not exist); any other missing folder is an error.
    const docs = s.paths.documentsDir;
    expect(fs.existsSync(docs)).toBe(false);
    expect(await dispatch(s, 'exchange.export', { format: 'json', path: path.join(docs, 'bare') })).toMatchObject({ ok: true, value: { files: [path.join(docs, 'bare.json')] } });
    expect(await dispatch(s, 'exchange.export', { format: 'json', path: path.join(dir, 'nowhere', 'x') })).toMatchObject({ ok: false, error: { code: 'FILE_NOT_FOUND' } });
    const notPng = await dispatch(s, 'exchange.writeImage', { format: 'png', path: path.join(dir, 'x.png'), data: Buffer.from('GIF89a').toString('base64') });
    expect(notPng).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    const scripted = await dispatch(s, 'exchange.writeImage', { format: 'svg', path: path.join(dir, 'x.svg'), data: '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>' });
    expect(scripted).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    const svg = await dispatch(s, 'exchange.writeImage', { format: 'svg', path: path.join(dir, 'y'), data: '<svg xmlns="http://www.w3.org/2000/svg"><text>周明远</text></svg>' });
    expect(svg).toMatchObject({ ok: true, value: { files: [path.join(dir, 'y.svg')] } });
    expect(fs.readFileSync(path.join(dir, 'y.svg'), 'utf8')).toMatch(/^<\?xml[^>]+>\n<svg/);
    const data = await dispatch(s, 'exchange.reportData', {});
    expect((data as { value: { profiles?: unknown; people: unknown[] } }).value.profiles).toBeUndefined();
    const personal = await dispatch(s, 'exchange.reportData', { includePersonal: true });
    expect(Object.keys((personal as { value: { profiles: object } }).value.profiles)).toEqual(expect.arrayContaining(['p1', 'p3']));
    await s.close();
    expect(sha256(file)).toBe(hash); // exports read the map and leave its bytes as they were
    const back = await openMapFile(file);
    expect((await counts(back)).people).toBe(4);
    await back.close();
  });

  it('puts the PowerMap documents folder in ~/Documents, or in the home folder where there is none', () => {
    const home = tmp();
    expect(defaultDocumentsDir(home)).toBe(path.join(home, 'PowerMap'));
    fs.mkdirSync(path.join(home, 'Documents'));
    expect(defaultDocumentsDir(home)).toBe(path.join(home, 'Documents', 'PowerMap'));
  });
});
