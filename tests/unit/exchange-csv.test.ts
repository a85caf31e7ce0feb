import fs from 'node:fs';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../shared/api/errors';
import { BOM } from '../../shared/exchange/csv-export';
import { exportData, importCsvFiles, readCsv, readMapData } from '../../services/exchange/service';
import { REPO } from '../helpers/session';
import { useTmpDir } from '../helpers/tmp';
import { person } from '../../services/map/read';
import { updatePerson } from '../../services/map/rules';
import { richMap } from './exchange-helpers';

const tmp = useTmpDir();
const FIX = path.join(REPO, 'tests', 'fixtures', 'csv');
const fx = (f: string) => path.join(FIX, f);

/** Imports into a fresh folder; returns the store's data or the error. */
async function importInto(dir: string, people: string, relations: string | null, lang: 'en-US' | 'zh-CN' = 'en-US') {
  const target = path.join(dir, 'imported.powermap');
  try {
    const { store } = await importCsvFiles(fx(people), relations ? fx(relations) : null, target, { lang });
    const data = await readMapData(store, false);
    await store.close();
    return { data, error: null, target };
  } catch (e) {
    return { data: null, error: e as ApiError, target };
  }
}

describe('CSV import', () => {
  it('reads English headers in any order and case, values in English or Chinese, and resolves names and ids', async () => {
    const dir = tmp();
    const { data, error } = await importInto(dir, 'people-en.csv', 'relations-en.csv');
    expect(error).toBeNull();
    const byName = new Map(data!.people.map((p) => [p.name, p]));
    expect([...byName.keys()].sort()).toEqual(['Avery Quill', 'Casey Brook', 'Jordan Pike', 'Morgan Vale', 'Riley Shaw', '周明远'].sort());
    const morgan = byName.get('Morgan Vale')!;
    expect(morgan.id).toBe('p-morgan');
    expect(morgan.roles).toEqual(['decision-maker', 'technical']);
    expect(morgan).toMatchObject({ attitude: 'champion', influence: 'high', servesOrg: true, personalBond: true });
    expect(byName.get('Riley Shaw')!.roles).toEqual(['technical', 'Evaluation panel']); // unknown role → user-defined
    expect(byName.get('Riley Shaw')!.attitude).toBe('strong-opponent');
    expect(byName.get('周明远')).toMatchObject({ roles: ['coach', 'technical'], attitude: 'champion', influence: 'high', servesOrg: true, personalBond: true });
    expect(byName.get('Casey Brook')).toMatchObject({ roles: ['procurement'], attitude: 'neutral', influence: 'low', servesOrg: false, personalBond: true });
    expect(byName.get('Avery Quill')!.notes).toBe('Chairs the decision group; "final say"');
    const id = (n: string) => byName.get(n)!.id;
    const rel = (kind: string, a: string, b: string) => data!.relations.find((r) => r.kind === kind && r.source === id(a) && r.target === id(b));
    expect(rel('reports_to', 'Morgan Vale', 'Avery Quill')).toBeTruthy(); // by id (p-avery)
    expect(rel('reports_to', 'Jordan Pike', 'Avery Quill')).toBeTruthy(); // by name
    expect(rel('reports_to', '周明远', 'Morgan Vale')).toBeTruthy(); // in both files: one line
    expect(data!.relations.filter((r) => r.kind === 'reports_to')).toHaveLength(5);
    expect(rel('influence', 'Morgan Vale', 'Avery Quill')!.strength).toBe(3);
    expect(rel('alliance', 'Jordan Pike', 'Riley Shaw')!.strength).toBe(2);
    expect(rel('conflict', 'Morgan Vale', 'Jordan Pike')!.note).toBe('Competed for the same post, <b>never</b> forgiven');
    expect(rel('influence', 'Casey Brook', 'Avery Quill')!.strength).toBe(1);
    // Owners become team members with coverage.
    expect(data!.team.map((m) => m.name).sort()).toEqual(['Dana Reyes', 'Lee Okafor']);
    const dana = data!.team.find((m) => m.name === 'Dana Reyes')!;
    expect(data!.coverage.filter((c) => c.memberId === dana.id).map((c) => c.personId).sort()).toEqual(
      [id('Avery Quill'), id('Morgan Vale'), id('Casey Brook')].sort(),
    );
  });

  it('reads UTF-8 with BOM, Chinese headers, semicolons and tabs', async () => {
    const dir = tmp();
    const read = readCsv(fx('people-zh-bom.csv'), fx('relations-zh-bom.csv'), 'zh-CN');
    expect(read.files.map((f) => [f.encoding, f.delimiter])).toEqual([
      ['UTF-8 (BOM)', ';'],
      ['UTF-8 (BOM)', '\t'],
    ]);
    const { data, error } = await importInto(dir, 'people-zh-bom.csv', 'relations-zh-bom.csv', 'zh-CN');
    expect(error).toBeNull();
    const p = new Map(data!.people.map((x) => [x.name, x]));
    expect(p.get('陈雅琳')).toMatchObject({ id: 'z1', roles: ['decision-maker'], attitude: 'neutral', influence: 'high' });
    expect(p.get('刘思源')).toMatchObject({ roles: ['user', 'coach'], attitude: 'supporter', personalBond: true, servesOrg: false });
    expect(p.get('孙海波')).toMatchObject({ attitude: 'opponent', influence: 'medium', favours: '现有供应商', servesOrg: true });
    expect(data!.relations.find((r) => r.kind === 'reports_to' && r.source === 'z4')!.target).toBe('z1');
    expect(data!.relations.find((r) => r.kind === 'conflict')).toMatchObject({ source: 'z3', target: 'z2', strength: 2 });
    expect(data!.relations.find((r) => r.kind === 'alliance')).toMatchObject({ source: 'z1', target: 'z5', strength: 3 });
    expect(data!.team.map((m) => m.name).sort()).toEqual(['赵一凡', '钱小雨'].sort());
    expect(data!.coverage.filter((c) => c.personId === 'z5')).toHaveLength(2);
  });

  it('detects GB18030 as Chinese Excel writes it, including characters beyond GBK and quoted commas', async () => {
    const dir = tmp();
    const raw = fs.readFileSync(fx('people-zh-gb18030.csv'));
    expect(raw.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(false);
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(raw)).toThrow(); // really not UTF-8
    const read = readCsv(fx('people-zh-gb18030.csv'), fx('relations-zh-gb18030.csv'), 'zh-CN');
    expect(read.files.map((f) => f.encoding)).toEqual(['GB18030', 'GB18030']);
    const { data, error } = await importInto(dir, 'people-zh-gb18030.csv', 'relations-zh-gb18030.csv', 'zh-CN');
    expect(error).toBeNull();
    const names = data!.people.map((p) => p.name);
    expect(names).toEqual(['黄振宇', '何丽娟', '刘䶮', '罗, 建平']);
    expect(data!.people[3]!.notes).toBe('姓名含逗号，用引号括起');
    const luo = data!.people[3]!.id;
    expect(data!.relations.find((r) => r.kind === 'conflict')!.source).toBe(luo);
    expect(data!.team.map((m) => m.name).sort()).toEqual(['林晓', '马骏'].sort());
  });

  it('decodes a short GBK file that byte-guessers mistake for something else', async () => {
    const dir = tmp();
    const f = path.join(dir, 'short.csv');
    fs.writeFileSync(f, iconv.encode('姓名\n张晓\n', 'gbk'));
    const read = readCsv(f, null, 'zh-CN');
    expect(read.result.problems).toEqual([]);
    expect(read.result.data!.people.map((p) => p.name)).toEqual(['张晓']);
  });

  const refused: [string, string | null, RegExp[]][] = [
    [
      'bad-unknown-values.csv',
      null,
      [
        /row 2, column attitude: unknown value "maybe"/,
        /row 3, column influence: unknown value "huge"/,
        /row 4, column relationship: unknown value "enemy"/,
        /row 4, column level: unknown value "boardroom"/,
      ],
    ],
    ['bad-unclosed-quote.csv', null, [/row 3: a quote \(".*never closed/]],
    ['bad-reports-to-nobody.csv', null, [/row 4, column reports_to: "Sage Nobody" names nobody/]],
    ['bad-duplicate-names.csv', null, [/row 4, column name: "Harper Lane" is also the name on row 2/]],
    ['bad-no-name-column.csv', null, [/row 1: there is no name \(姓名\) column/]],
    ['bad-reporting-loop.csv', null, [/row 2: these reporting lines make a loop: Harper Lane → Rowan Frost → Quinn Ellis → Harper Lane/]],
    [
      'people-en.csv',
      'bad-relations.csv',
      [
        /bad-relations\.csv row 2, column to: "Sage Nobody" names nobody/,
        /bad-relations\.csv row 3, column type: unknown value "friendship"/,
        /bad-relations\.csv row 4, column to: a relation needs two different people/,
        /bad-relations\.csv row 5, column strength: unknown value "7"/,
      ],
    ],
  ];
  for (const [people, relations, expected] of refused)
    it(`refuses ${relations ?? people} whole, one line per problem, and creates no map`, async () => {
      const dir = tmp();
      const { error, target } = await importInto(dir, people, relations);
      expect(error).toBeInstanceOf(ApiError);
      expect(error!.code).toBe('IMPORT_FAILED');
      const lines = error!.details!;
      expect(lines).toHaveLength(expected.length);
      for (const re of expected) expect(lines.some((l) => re.test(l))).toBe(true);
      expect(fs.existsSync(target)).toBe(false);
      expect(fs.readdirSync(dir)).toEqual([]); // nothing written, not even a temp file
    });

  it('names rows and columns in Chinese for a Chinese user, with the header as the file writes it', async () => {
    const read = readCsv(fx('bad-unknown-values.csv'), null, 'zh-CN');
    const dir = tmp();
    await expect(importCsvFiles(fx('bad-unknown-values.csv'), null, path.join(dir, 'x.powermap'), { lang: 'zh-CN' })).rejects.toThrow(ApiError);
    expect(read.result.problems.map((p) => p.message)).toContain('未知的值“maybe”（可用：坚定支持、支持、中立、反对、坚决反对）');
  });

  it('detects the delimiter from the header even when the data is full of commas', async () => {
    const dir = tmp();
    const f = path.join(dir, 'semi.csv');
    fs.writeFileSync(f, 'notes;NAME;title\n"a, b, c, d";Harper Lane;Director, IT\n');
    const read = readCsv(f, null, 'en-US');
    expect(read.files[0]!.delimiter).toBe(';');
    expect(read.result.data!.people[0]).toMatchObject({ name: 'Harper Lane', title: 'Director, IT', notes: 'a, b, c, d' });
    expect(read.result.warnings).toEqual([]);
  });
});

describe('CSV export', () => {
  it('writes UTF-8 with BOM, people and relations, and imports back to the same map', async () => {
    const dir = tmp();
    const a = await richMap(dir);
    const res = await exportData(a, { format: 'csv', target: path.join(dir, 'deal.csv'), includePersonal: false, layout: 'org', overwrite: false, lang: 'en-US' });
    expect(res.files).toEqual([path.join(dir, 'deal-people.csv'), path.join(dir, 'deal-relations.csv')]);
    for (const f of res.files) {
      const buf = fs.readFileSync(f);
      expect(buf.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
      expect(buf.toString('utf8').startsWith(BOM)).toBe(true);
    }
    const peopleText = fs.readFileSync(res.files[0]!, 'utf8');
    expect(peopleText).toContain('周明远');
    expect(peopleText).not.toContain('Zhou hometown'); // no profile without the option
    const { store } = await importCsvFiles(res.files[0]!, res.files[1]!, path.join(dir, 'back.powermap'), { lang: 'en-US' });
    const before = await readMapData(a, false);
    const after = await readMapData(store, false);
    // Evidence travels as one source and date per row (the attitude's; docs/CSV-FORMAT.md): the rest is exact.
    const bare = (ps: typeof before.people) => ps.map(({ evidence: _e, ...p }) => p);
    expect(bare(after.people)).toEqual(bare(before.people));
    for (const p of before.people) {
      const q = after.people.find((x) => x.id === p.id)!;
      expect(q.evidence!.attitude.source).toBe(p.evidence!.attitude.source);
      expect(q.evidence!.roles.verifiedAt?.slice(0, 10) ?? null).toBe(p.evidence!.attitude.verifiedAt?.slice(0, 10) ?? null);
    }
    const key = (r: { kind: string; source: string; target: string; strength: number; note: string }) => `${r.kind}|${r.source}|${r.target}|${r.strength}|${r.note}`;
    // Reporting lines travel in the people file (reports_to column) with the default strength.
    expect(after.relations.map(key).sort()).toEqual(before.relations.map(key).sort());
    expect(after.team.map((m) => m.name).sort()).toEqual(before.team.map((m) => m.name).sort());
    expect(after.coverage.length).toBe(before.coverage.length);
    await store.close();
    await a.close();
  });

  it('adds profile columns only with personal details', async () => {
    const dir = tmp();
    const a = await richMap(dir);
    const res = await exportData(a, { format: 'csv', target: path.join(dir, 'p.csv'), includePersonal: true, layout: 'org', overwrite: false, lang: 'en-US' });
    const text = fs.readFileSync(res.files[0]!, 'utf8');
    expect(text.split('\r\n')[0]).toContain('profile_children');
    expect(text).toContain('Daughter, 9');
    await a.close();
  });

  it('protects cells a spreadsheet would run as a formula, and the import strips the guard', async () => {
    const dir = tmp();
    const a = await richMap(dir);
    await updatePerson(a, 'p4', { title: '=HYPERLINK("http://example.invalid","x")', notes: '-5 minus' });
    const res = await exportData(a, { format: 'csv', target: path.join(dir, 'f.csv'), includePersonal: false, layout: 'org', overwrite: false, lang: 'en-US' });
    const text = fs.readFileSync(res.files[0]!, 'utf8');
    expect(text).toContain(`"'=HYPERLINK(""http://example.invalid"",""x"")"`);
    const { store } = await importCsvFiles(res.files[0]!, res.files[1]!, path.join(dir, 'f.powermap'), { lang: 'en-US' });
    expect((await person(store, 'p4'))!.title).toBe('=HYPERLINK("http://example.invalid","x")');
    expect((await person(store, 'p4'))!.notes).toBe('-5 minus');
    await store.close();
    await a.close();
  });
});

describe('GraphML export', () => {
  it('declares every attribute and holds every node and edge, as an XML parser reads it back', async () => {
    const dir = tmp();
    const a = await richMap(dir);
    const target = path.join(dir, 'map.graphml');
    await exportData(a, { format: 'graphml', target, includePersonal: false, layout: 'org', overwrite: false, lang: 'en-US' });
    const xml = fs.readFileSync(target, 'utf8');
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', isArray: (n) => ['key', 'node', 'edge', 'data'].includes(n) }).parse(xml);
    const g = doc.graphml;
    const keys = new Map<string, { for: string; name: string; type: string }>(
      g.key.map((k: Record<string, string>) => [k['@id'], { for: k['@for'], name: k['@attr.name'], type: k['@attr.type'] }]),
    );
    const graph = g.graph[0] ?? g.graph;
    expect(graph['@edgedefault']).toBe('directed');
    const attrs = (el: { data?: { '@key': string; '#text'?: string | number | boolean }[] }) =>
      Object.fromEntries((el.data ?? []).map((d) => [keys.get(d['@key'])!.name, String(d['#text'] ?? '')]));
    for (const el of [...graph.node, ...graph.edge]) for (const d of el.data ?? []) expect(keys.has(d['@key'])).toBe(true);
    const data = await readMapData(a, false);
    const nodes = new Map<string, Record<string, string>>(graph.node.map((n: { '@id': string }) => [n['@id'], attrs(n as never)]));
    expect(nodes.size).toBe(data.people.length + data.team.length);
    for (const p of data.people) {
      const n = nodes.get(p.id)!;
      expect(n).toMatchObject({ kind: 'person', name: p.name, label: p.name, attitude: p.attitude, influence: p.influence });
      expect(n.roles ?? '').toBe(p.roles.join('; '));
    }
    expect(nodes.get('p3')!.name).toBe('<script>alert(1)</script>'); // escaped on the way out, intact on the way back
    expect(nodes.get('p1')!.notes).toBe(data.people[0]!.notes);
    expect(nodes.get('p1')).toMatchObject({ x: '10.5', y: '-20.25', level: 'management', last_contact: '2024-05-17' });
    expect(nodes.get('m1')).toMatchObject({ kind: 'member', name: 'Dana Reyes', member_role: 'Account manager' });
    const edges = graph.edge.map((e: Record<string, string>) => ({ id: e['@id'], source: e['@source'], target: e['@target'], directed: e['@directed'], ...attrs(e as never) }));
    expect(edges).toHaveLength(data.relations.length + data.coverage.length);
    for (const r of data.relations)
      expect(edges.find((e: { id: string }) => e.id === r.id)).toMatchObject({ source: r.source, target: r.target, kind: r.kind, strength: String(r.strength) });
    // Every edge directed (NetworkX refuses a mixed graph); alliance and conflict say they have no direction.
    expect(edges.filter((e: { directed?: string }) => e.directed !== undefined)).toEqual([]);
    for (const e of edges) expect(e.symmetric).toBe(String(e.kind === 'alliance' || e.kind === 'conflict'));
    expect(edges.find((e: { id: string }) => e.id === 'r4').symmetric).toBe('true');
    expect(edges.filter((e: { kind: string }) => e.kind === 'covers')).toHaveLength(data.coverage.length);
    expect([...keys.values()].some((k) => k.name.startsWith('profile_'))).toBe(false);
    await a.close();
  });

  it('includes profile attributes only with personal details', async () => {
    const dir = tmp();
    const a = await richMap(dir);
    const target = path.join(dir, 'p.graphml');
    await exportData(a, { format: 'graphml', target, includePersonal: true, layout: 'org', overwrite: false, lang: 'en-US' });
    const xml = fs.readFileSync(target, 'utf8');
    expect(xml).toContain('attr.name="profile_children"');
    expect(xml).toContain('Daughter, 9');
    await a.close();
  });
});
