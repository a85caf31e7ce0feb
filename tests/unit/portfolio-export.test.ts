/**
 * The portfolio's exports (issue 19 item 4), through the dispatcher as the desktop app and the
 * browser build call it: the CSV of the rows as shown (UTF-8 BOM, headings in the UI language,
 * formula cells made text) and the one-page landscape A4 PDF printed by the report view in the
 * system Chromium — read back with pdfinfo/pdftotext: one page, 842 × 595 pt, the deals and
 * their flags in it, in both languages; 120 deals still one page, the rest counted. Needs
 * `npm run build` (the report view).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PortfolioRow } from '../../shared/api/team-sync';
import { viewRows } from '../../shared/exchange/portfolio-sheet';
import { dispatch } from '../../services/handlers';
import { webSession } from '../helpers/session';
import { useTmpDir } from '../helpers/tmp';

const tmp = useTmpDir();

const person = (id: string, name: string) => ({ id, name });
function row(i: number, over: Partial<PortfolioRow> = {}): PortfolioRow {
  return {
    mapId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    name: `Map ${i}`,
    role: 'owner',
    owner: { id: 'u1', name: 'Ann Lindqvist', email: 'ann@example.invalid' },
    client: `Fictional Client ${i}`,
    deal: `Deal ${i}`,
    stage: 'tender',
    posture: 'comparator',
    people: 10 + i,
    flags: { noCoach: false, dmNotFor: [], highUncovered: [], oneColleague: [] },
    flagCount: 0,
    redFlags: 0,
    rev: 3,
    updatedAt: `2026-11-${String((i % 27) + 1).padStart(2, '0')}T10:00:00.000Z`,
    updatedBy: { id: 'u2', name: 'Bo Chen' },
    ...over,
  };
}

const ROWS: PortfolioRow[] = [
  row(1, { client: 'Harbour Logistics', stage: 'need', posture: 'preferred', flags: { noCoach: true, dmNotFor: [], highUncovered: [], oneColleague: [] }, flagCount: 1, redFlags: 2 }),
  row(2, {
    client: '=HYPERLINK("http://x.invalid")',
    deal: 'Core banking',
    flags: { noCoach: false, dmNotFor: [{ ...person('p1', 'Lena Fictus'), attitude: 'opponent' }], highUncovered: [person('p2', 'Marek Fictus')], oneColleague: [] },
    flagCount: 2,
    redFlags: 4,
  }),
  row(3, { client: '城市商业银行', deal: '网银服务器', owner: { id: 'u3', name: '柯拉', email: 'cara@example.invalid' }, flags: { noCoach: false, dmNotFor: [], highUncovered: [], oneColleague: [{ member: person('m1', 'Dana Rep'), people: [person('p3', '王芳')] }] }, flagCount: 1, redFlags: 1 }),
];

const pdfText = (file: string) => execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
const pdfInfo = (file: string) => execFileSync('pdfinfo', [file], { encoding: 'utf8' });

describe('the portfolio view', () => {
  it('sorts and filters as the page does', () => {
    const byPeople = viewRows(ROWS, { key: 'people', dir: 'desc' }, { text: '', stage: '', flaggedOnly: false }, 'en-US');
    expect(byPeople.map((r) => r.people)).toEqual([13, 12, 11]);
    const byStage = viewRows(ROWS, { key: 'stage', dir: 'asc' }, { text: '', stage: '', flaggedOnly: false }, 'en-US');
    expect(byStage[0]!.client).toBe('Harbour Logistics');
    expect(viewRows(ROWS, { key: 'flags', dir: 'desc' }, { text: '', stage: '', flaggedOnly: false }, 'en-US')[0]!.deal).toBe('Core banking');
    expect(viewRows(ROWS, { key: 'client', dir: 'asc' }, { text: 'harbour', stage: '', flaggedOnly: false }, 'en-US')).toHaveLength(1);
    expect(viewRows(ROWS, { key: 'client', dir: 'asc' }, { text: '柯拉', stage: '', flaggedOnly: false }, 'zh-CN')).toHaveLength(1);
    expect(viewRows(ROWS, { key: 'client', dir: 'asc' }, { text: '', stage: 'tender', flaggedOnly: false }, 'en-US')).toHaveLength(2);
    expect(viewRows([...ROWS, row(9)], { key: 'client', dir: 'asc' }, { text: '', stage: '', flaggedOnly: true }, 'en-US')).toHaveLength(3);
  });
});

describe('the portfolio exports', () => {
  it('writes the CSV of the rows shown: BOM, the UI language, formulas made text, flags in words', async () => {
    const dir = tmp();
    const s = webSession(dir);
    const out = path.join(dir, 'portfolio.csv');
    const r = await dispatch(s, 'exchange.exportPortfolio', { format: 'csv', path: out, lang: 'en-US', rows: ROWS });
    expect(r.ok).toBe(true);
    const text = fs.readFileSync(out, 'utf8');
    expect(text.startsWith('\uFEFFmap,client,deal,stage,posture,owner,people,no coach')).toBe(true);
    expect(text).toContain(`'=HYPERLINK`);
    expect(text).toContain('Lena Fictus (opponent)');
    expect(text).toContain('Marek Fictus');
    expect(text).toContain('Dana Rep: 王芳');
    expect(text).toContain('1 Need raised');
    expect(text.split('\r\n').filter(Boolean)).toHaveLength(4);
    // Refused without overwrite; a row that is not a portfolio row is refused before anything is written.
    expect((await dispatch(s, 'exchange.exportPortfolio', { format: 'csv', path: out, rows: ROWS })).ok).toBe(false);
    const bad = await dispatch(s, 'exchange.exportPortfolio', { format: 'csv', path: path.join(dir, 'b.csv'), rows: [{ ...ROWS[0], stage: 'nonsense' }] });
    expect(bad).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(fs.existsSync(path.join(dir, 'b.csv'))).toBe(false);
    const zh = path.join(dir, 'zh.csv');
    await dispatch(s, 'exchange.exportPortfolio', { format: 'csv', path: zh, lang: 'zh-CN', rows: ROWS });
    expect(fs.readFileSync(zh, 'utf8')).toContain('5 招标');
  });

  it('prints one landscape A4 page through the report view, in both languages, however many deals', async () => {
    const dir = tmp();
    const s = webSession(dir);
    const en = path.join(dir, 'portfolio.pdf');
    const r = await dispatch(s, 'exchange.exportPortfolio', { format: 'pdf', path: en, lang: 'en-US', rows: ROWS });
    expect(r.ok, JSON.stringify(r)).toBe(true);
    if (process.env.KEEP_PDF) fs.copyFileSync(en, '/tmp/pf/en.pdf');
    const info = pdfInfo(en);
    expect(info).toMatch(/Pages:\s+1\n/);
    expect(info).toMatch(/Page size:\s+841\.\d+ x 59[45]\.\d+ pts \(A4\)/);
    const text = pdfText(en);
    for (const w of ['Portfolio', 'Harbour Logistics', 'No coach', 'Lena Fictus', 'Dana Rep', '城市商业银行', 'Bo Chen', '1 Need raised']) expect(text).toContain(w);

    const zh = path.join(dir, 'zh.pdf');
    expect((await dispatch(s, 'exchange.exportPortfolio', { format: 'pdf', path: zh, lang: 'zh-CN', rows: ROWS })).ok).toBe(true);
    const zt = pdfText(zh);
    for (const w of ['商机总览', '没有教练', '5 招标', '客户']) expect(zt).toContain(w);

    const many = Array.from({ length: 120 }, (_, i) => row(i + 10, i % 3 === 0 ? { flags: { noCoach: true, dmNotFor: [], highUncovered: [person('p', 'Someone Fictus')], oneColleague: [] }, flagCount: 2 } : {}));
    const big = path.join(dir, 'big.pdf');
    expect((await dispatch(s, 'exchange.exportPortfolio', { format: 'pdf', path: big, lang: 'en-US', rows: many })).ok).toBe(true);
    if (process.env.KEEP_PDF) fs.copyFileSync(big, '/tmp/pf/big.pdf');
    expect(pdfInfo(big)).toMatch(/Pages:\s+1\n/);
    const bt = pdfText(big);
    expect(bt).toContain('Fictional Client 10');
    const more = /and (\d+) more deals/.exec(bt);
    expect(more).not.toBeNull();
    const listed = (bt.match(/Fictional Client \d+/g) ?? []).length;
    expect(listed + Number(more![1])).toBe(120);
    // The print's text is not below 6 pt: pdftotext -bbox gives each word's height.
    const bbox = execFileSync('pdftotext', ['-bbox', big, '-'], { encoding: 'utf8' });
    const heights = [...bbox.matchAll(/yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)"/g)].map((m) => Number(m[2]) - Number(m[1]));
    expect(Math.min(...heights)).toBeGreaterThanOrEqual(6);
  }, 120_000);
});
