/**
 * The deal-review PDF, read back: every name (Chinese included) and every red flag in the text,
 * a CJK font embedded, personal details only on request, names holding markup printed as text,
 * and the pages rendered to PNG for a look. Needs dist/ built (npm test builds first).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../shared/analysis';
import { emptyProfile, type Person } from '../../shared/domain';
import { readMapData } from '../../services/exchange/service';
import { createMapFile, openMapFile } from '../../services/map/files';
import { person } from '../../services/map/read';
import { createRelation, loadMap, updatePerson } from '../../services/map/rules';
import { createSnapshot, currentContent, readSnapshot } from '../../services/time/snapshots';
import { compareMaps } from '../../shared/time/compare';
import { describeDiff } from '../../shared/time/describe';
import { startWebServer } from '../../server/web/server';
import { REPO, webSession } from '../helpers/session';
import { makeTmpDir, removeTmpDirs } from '../helpers/browser';

const CLI = path.join(REPO, 'bin', 'powermap.cjs');
const HOSTILE = '<img src=x onerror="document.title=\'pwned\'">';

function cli(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, LANG: 'en_US.UTF-8', LC_ALL: '', ...env } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
const SHOTS = process.env.POWERMAP_SHOTS; // set to a folder to keep the plan page as PNG
const pdftotext = (file: string) => execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
/**
 * The text in the order the PDF draws it (-raw): a wrapped line's pieces follow each other there,
 * while the layout analysis may read a badge column and wrapped lines in another order.
 */
const pdftextRaw = (file: string) => execFileSync('pdftotext', ['-raw', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
const squash = (s: string) => s.replace(/\s+/g, '');

const EN = ['Avery Quill', 'Morgan Vale', 'Jordan Pike', 'Riley Shaw', 'Casey Brook', 'Harper Lane', 'Quinn Ellis', 'Rowan Frost', 'Sage Whitlock', 'Emery Dunn'];
const ZH = ['周明远', '陈雅琳', '刘思源', '孙海波', '吴静怡', '郑国华', '黄振宇', '何丽娟', '林晓峰', '罗建平'];

/** A 21-person map: English and Chinese names, a name that is markup, conflicts, a coach, profiles. */
async function buildMap(dir: string): Promise<string> {
  const file = path.join(dir, 'review.powermap');
  const store = await createMapFile(file, {
    account: 'Eastbrook Savings Bank 东溪储蓄银行',
    deal: 'Online banking servers',
    stage: 'evaluation',
    posture: 'comparator',
    competitors: ['Northwind Systems', '远航科技'],
  });
  const names = [...EN, ...ZH, HOSTILE];
  const people: Person[] = names.map((name, i) => ({
    id: `p${i}`,
    name,
    title: i === 0 ? 'President' : i % 3 === 0 ? '处长' : 'Engineer',
    department: i < 10 ? 'Head office' : '信息中心',
    roles: i === 0 || i === 10 ? ['decision-maker'] : i === 11 ? ['coach'] : i % 4 === 0 ? ['technical'] : [],
    influence: i % 3 === 0 ? 'high' : i % 3 === 1 ? 'medium' : 'low',
    attitude: (['champion', 'supporter', 'neutral', 'opponent', 'strong-opponent'] as const)[i % 5]!,
    favours: i === 0 ? 'Northwind Systems' : '',
    servesOrg: i % 2 === 0,
    personalBond: i % 3 === 0,
    level: null,
    notes: i === 20 ? '<script>document.title="pwned"</script>' : '',
    lastContact: i % 2 ? '2024-05-17' : null,
  }));
  const relations = [
    ...people.slice(1).map((p, i) => ({ id: `rt${i}`, kind: 'reports_to' as const, source: p.id, target: i < 10 ? 'p0' : 'p10', strength: 2 as const, note: '' })),
    { id: 'c1', kind: 'conflict' as const, source: 'p3', target: 'p4', strength: 3 as const, note: 'passed over for the post' },
    { id: 'c2', kind: 'conflict' as const, source: 'p12', target: 'p10', strength: 2 as const, note: '争夺同一职位' },
    { id: 'i1', kind: 'influence' as const, source: 'p11', target: 'p10', strength: 3 as const, note: '' },
    { id: 'a1', kind: 'alliance' as const, source: 'p5', target: 'p6', strength: 2 as const, note: '' },
  ];
  const p1 = emptyProfile();
  p1.hometown = 'Harbourtown 海港镇';
  p1.children = 'Daughter studying in the capital';
  await loadMap(store, {
    people,
    relations,
    team: [
      { id: 'm1', name: 'Dana Reyes', role: 'Account manager' },
      { id: 'm2', name: 'Lee Okafor', role: 'Engineer' },
    ],
    coverage: [
      { memberId: 'm1', personId: 'p1', strength: 3 },
      { memberId: 'm2', personId: 'p11', strength: 2 },
      { memberId: 'm1', personId: 'p10', strength: 1 },
    ],
    profiles: { p11: p1 },
  });
  await store.close();
  return file;
}

let dir = '';
let mapFile = '';
beforeAll(async () => {
  dir = makeTmpDir('powermap-pdf-');
  mapFile = await buildMap(dir);
});
afterAll(() => removeTmpDirs());

describe('deal-review PDF from the CLI', () => {
  it('holds every name, the red flags and conflicts, an embedded CJK font and page numbers; no personal details by default', async () => {
    const pdf = path.join(dir, 'review.pdf');
    const r = cli(['export', mapFile, '--format', 'pdf', '-o', pdf]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Exported PDF to .*review\.pdf \(\d+ kB\) — Chromium: \//);
    expect(fs.readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-');
    const text = pdftotext(pdf);
    const flat = squash(text);
    for (const n of [...EN, ...ZH, HOSTILE]) expect(flat).toContain(squash(n));
    // The red flags the analysis finds, word for word, and the conflict notes.
    const store = await openMapFile(mapFile);
    const data = await readMapData(store, false);
    await store.close();
    const flags = analyze(data, { lang: 'en-US' }).redFlags;
    expect(flags.length).toBeGreaterThan(2);
    // What the PDF says, whatever the order in which a wrapped line is read back.
    const drawn = squash(pdftextRaw(pdf));
    for (const f of flags) expect(drawn).toContain(squash(f.message));
    expect(flat).toContain(squash('passed over for the post'));
    expect(flat).toContain('争夺同一职位');
    // Cover facts and page numbers.
    expect(flat).toContain(squash('Eastbrook Savings Bank 东溪储蓄银行'));
    expect(flat).toContain(squash('6 Bid evaluation'));
    expect(flat).toContain('NorthwindSystems,远航科技');
    const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }))![1]);
    expect(pages).toBeGreaterThanOrEqual(4);
    expect(flat).toContain(`1/${pages}`);
    expect(flat).toContain(`${pages}/${pages}`);
    // Personal details are absent.
    expect(flat).not.toContain('Harbourtown');
    expect(flat).not.toContain(squash('Daughter studying'));
    expect(text).toContain('Personal details are not included.');
    // The bundled font (Noto Sans SC, TrueType outlines) is embedded as CID TrueType, with a
    // Unicode map: no Type 3 glyphs (tests/e2e/pdf-fonts.test.ts tries other system fonts).
    const fonts = execFileSync('pdffonts', [pdf], { encoding: 'utf8' }).split('\n').slice(2).filter(Boolean);
    expect(fonts.some((l) => /NotoSansSC/.test(l))).toBe(true);
    for (const l of fonts) expect(l).toMatch(/CID TrueType\s+Identity-H\s+yes\s+yes\s+yes\b/);
    // Markup in names ran nowhere: the document title is the report's own.
    expect(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' })).toMatch(/Title:\s+Deal review — Eastbrook/);
    // Pages rendered for a look (kept in the temp folder while debugging).
    execFileSync('pdftoppm', ['-r', '50', '-png', pdf, path.join(dir, 'page')]);
    expect(fs.readdirSync(dir).filter((f) => f.startsWith('page')).length).toBe(pages);
  });

  it('ends with the plan — the next steps, word for word — after coverage by role and the chokepoints', async () => {
    for (const lang of ['en-US', 'zh-CN'] as const) {
      const pdf = path.join(dir, `plan-${lang}.pdf`);
      const r = cli(['export', mapFile, '--format', 'pdf', '-o', pdf, '--lang', lang]);
      expect(r.code, r.err).toBe(0);
      const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }))![1]);
      const last = squash(execFileSync('pdftotext', ['-raw', '-enc', 'UTF-8', '-f', String(pages), '-l', String(pages), pdf, '-'], { encoding: 'utf8' }));
      const store = await openMapFile(mapFile);
      const data = await readMapData(store, false);
      await store.close();
      const a = analyze(data, { lang });
      expect(a.nextSteps.length).toBeGreaterThan(2);
      expect(last).toContain(squash(lang === 'en-US' ? 'The plan: next steps' : '行动计划：下一步'));
      for (const step of a.nextSteps) expect(last).toContain(squash(step.text));
      const all = squash(pdftextRaw(pdf));
      expect(all).toContain(squash(lang === 'en-US' ? 'Coverage by role' : '按角色的覆盖'));
      expect(all.indexOf(squash(lang === 'en-US' ? 'Coverage by role' : '按角色的覆盖'))).toBeLessThan(all.lastIndexOf(squash(a.nextSteps[0]!.text)));
      if (SHOTS) execFileSync('pdftoppm', ['-r', '70', '-png', '-f', String(pages), '-l', String(pages), '-singlefile', pdf, path.join(SHOTS, `pdf-plan-${lang}`)]);
    }
  });

  it('lists the top coach candidates when the map has no confirmed coach, and not when it has one', async () => {
    const sample = JSON.parse(fs.readFileSync(path.join(REPO, 'resources', 'samples', 'bank-tender.en-US.json'), 'utf8'));
    const coach = sample.people.find((p: Person) => p.roles.includes('coach')) as Person;
    const withCoach = path.join(dir, 'with-coach.json');
    fs.writeFileSync(withCoach, JSON.stringify(sample));
    for (const p of sample.people as Person[]) p.roles = p.roles.filter((r) => r !== 'coach');
    const noCoach = path.join(dir, 'no-coach.json');
    fs.writeFileSync(noCoach, JSON.stringify(sample));
    const text = async (json: string, name: string) => {
      const map = path.join(dir, `${name}.powermap`);
      expect(cli(['import', json, '-o', map]).code).toBe(0);
      const pdf = path.join(dir, `${name}.pdf`);
      expect(cli(['export', map, '--format', 'pdf', '-o', pdf]).code).toBe(0);
      const store = await openMapFile(map);
      const analysis = analyze(await readMapData(store, false), { lang: 'en-US' });
      await store.close();
      return { flat: squash(pdftotext(pdf)), analysis };
    };
    const none = await text(noCoach, 'no-coach');
    expect(none.analysis.coachCandidates[0]?.id).toBe(coach.id);
    expect(none.flat).toContain(squash('No coach yet: who could become our coach'));
    for (const c of none.analysis.coachCandidates.slice(0, 5)) {
      expect(none.flat).toContain(squash(c.name));
      expect(none.flat).toContain(squash(c.reasons[0]!));
    }
    const some = await text(withCoach, 'with-coach');
    expect(some.flat).not.toContain(squash('who could become our coach'));
  });

  it('adds the changes since a snapshot on request (--since), and refuses a snapshot that is not there', async () => {
    const file = path.join(dir, 'since.powermap');
    fs.copyFileSync(mapFile, file);
    let store = await openMapFile(file);
    const snap = await createSnapshot(store, 'before tender');
    await updatePerson(store, 'p0', { attitude: 'supporter', title: 'Chairman' });
    await createRelation(store, { kind: 'conflict', source: 'p5', target: 'p7', note: 'budget fight' });
    const comparison = compareMaps(await readSnapshot(store, snap.id), await currentContent(store));
    await store.close();
    const expected = describeDiff(comparison, 'en-US').flatMap((g) => g.lines);
    expect(expected.length).toBeGreaterThanOrEqual(3);

    const pdf = path.join(dir, 'since.pdf');
    const r = cli(['export', file, '--format', 'pdf', '-o', pdf, '--since', 'before tender']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const flat = squash(pdftotext(pdf));
    expect(flat).toContain(squash('Changes since “before tender”'));
    for (const line of expected) expect(flat).toContain(squash(line));

    const plain = path.join(dir, 'plain.pdf');
    expect(cli(['export', file, '--format', 'pdf', '-o', plain]).code).toBe(0);
    expect(squash(pdftotext(plain))).not.toContain(squash('Changes since'));

    const missing = cli(['export', file, '--format', 'pdf', '-o', path.join(dir, 'x.pdf'), '--since', 'no such snapshot']);
    expect(missing.code).toBe(2);
    expect(missing.err.split('\n')[0]).toMatch(/no snapshot is called "no such snapshot"/);
    expect(fs.existsSync(path.join(dir, 'x.pdf'))).toBe(false);
    store = await openMapFile(file); // the export left the map openable and unchanged in shape
    expect((await person(store, 'p0'))?.title).toBe('Chairman');
    await store.close();
  });

  it('includes personal details only with --include-personal, marking PIPL-sensitive fields, in Chinese on request', () => {
    const pdf = path.join(dir, 'personal.pdf');
    const r = cli(['export', mapFile, '--format', 'pdf', '-o', pdf, '--include-personal', '--lang', 'zh-CN', '--page', 'A3']);
    expect(r.code).toBe(0);
    const flat = squash(pdftotext(pdf));
    expect(flat).toContain(squash('Harbourtown 海港镇'));
    expect(flat).toContain(squash('Daughter studying in the capital'));
    expect(flat).toContain('敏感（个人信息保护法）');
    expect(flat).toContain('个人信息');
    expect(flat).toContain('风险提示');
    expect(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' })).toMatch(/Page size:\s+119\d\.\d+ x 841\.\d+/); // A3 landscape
  });

  it('refuses to overwrite without --force, and says so in one line', () => {
    const pdf = path.join(dir, 'exists.pdf');
    fs.writeFileSync(pdf, 'keep');
    const r = cli(['export', mapFile, '--format', 'pdf', '-o', pdf]);
    expect(r.code).not.toBe(0);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/exists\.pdf already exists/);
    expect(fs.readFileSync(pdf, 'utf8')).toBe('keep');
  });

  it('writes PNG at the chosen scale and SVG with names as text', () => {
    const png1 = path.join(dir, 'map1.png');
    const png2 = path.join(dir, 'map2.png');
    expect(cli(['export', mapFile, '--format', 'png', '-o', png1, '--scale', '1', '--layout', 'grid']).code).toBe(0);
    expect(cli(['export', mapFile, '--format', 'png', '-o', png2, '--scale', '2', '--layout', 'grid']).code).toBe(0);
    const size = (f: string) => {
      const b = fs.readFileSync(f);
      expect(b.subarray(1, 4).toString()).toBe('PNG');
      return { w: b.readUInt32BE(16), h: b.readUInt32BE(20) };
    };
    const a = size(png1);
    const b = size(png2);
    expect(Math.abs(b.w / a.w - 2)).toBeLessThan(0.05);
    expect(Math.abs(b.h / a.h - 2)).toBeLessThan(0.05);
    const svgFile = path.join(dir, 'map.svg');
    expect(cli(['export', mapFile, '--format', 'svg', '-o', svgFile, '--layout', 'force']).code).toBe(0);
    const svg = fs.readFileSync(svgFile, 'utf8');
    const parsed = new XMLParser({ ignoreAttributes: false }).parse(svg);
    expect(parsed.svg).toBeTruthy();
    for (const n of [...EN, ...ZH]) expect(svg).toContain(n);
    expect(svg).not.toContain('<img');
    expect(svg).toContain('&lt;img src=x');
  });
});

describe('PDF from the browser build', () => {
  it('prints the open map through the API with the system Chromium', async () => {
    const session = webSession(makeTmpDir('powermap-web-'));
    session.store = await openMapFile(mapFile);
    const web = await startWebServer({ session, staticDir: path.join(REPO, 'dist', 'renderer') });
    try {
      const out = path.join(dir, 'web.pdf');
      const body = JSON.stringify({ format: 'pdf', path: out, includePersonal: false });
      const res = await new Promise<string>((resolve, reject) => {
        const req = http.request(
          {
            host: '127.0.0.1',
            port: web.port,
            method: 'POST',
            path: '/api/exchange.export',
            headers: { host: `127.0.0.1:${web.port}`, 'x-powermap-token': web.token, 'content-type': 'application/json' },
          },
          (r) => {
            let s = '';
            r.setEncoding('utf8');
            r.on('data', (c) => (s += c));
            r.on('end', () => resolve(s));
          },
        );
        req.on('error', reject);
        req.end(body);
      });
      const result = JSON.parse(res);
      expect(result).toMatchObject({ ok: true, value: { files: [out] } });
      expect(squash(pdftotext(out))).toContain('周明远');
    } finally {
      await web.close();
      await session.close();
    }
  });
});
