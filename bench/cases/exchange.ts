/**
 * Exchange figures (issue 6):
 * - CSV import of 10,000 people + 20,000 relationships through the CLI (`node bin/powermap.cjs
 *   import`, a new process each run, wall clock) — target < 3 s and within 10× of Python's csv +
 *   sqlite3 storing the same rows (a new `python3` process each run, same disk, same pragmas:
 *   WAL, synchronous=FULL, one transaction), measured interleaved in the same run;
 * - the deal-review PDF of a 60-person map through the CLI, including Chromium's start — < 10 s;
 * - JSON export and import of the 10,000-person map (in process, file to file) — < 2 s each,
 *   beside plain JSON.stringify + write and read + JSON.parse of the same map.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { exportData, importJsonFile } from '../../services/exchange/service';
import { findChromium } from '../../services/exchange/chromium';
import { createMapFile } from '../../services/map/files';
import { loadMap } from '../../services/map/rules';
import { writeMapFile } from '../lib/maps';
import { bigCsv } from '../../tests/unit/exchange-helpers';
import { generateMap } from '../lib/generate';
import { median, timePair } from '../lib/measure';
import { ROOT } from '../lib/session';
import type { BenchCase, BenchRow } from '../lib/types';

const CLI = path.join(ROOT, 'bin', 'powermap.cjs');

/** Python's csv module reads both files; sqlite3 stores the same rows the import stores. */
const PYTHON = String.raw`
import csv, sqlite3, sys
people_csv, relations_csv, out = sys.argv[1:4]
db = sqlite3.connect(out, isolation_level=None)
db.execute('PRAGMA journal_mode=WAL'); db.execute('PRAGMA synchronous=FULL'); db.execute('PRAGMA foreign_keys=ON')
db.executescript('''
CREATE TABLE person (id TEXT PRIMARY KEY, name TEXT NOT NULL, title TEXT, department TEXT, roles TEXT, attitude TEXT, influence TEXT) STRICT;
CREATE TABLE member (id TEXT PRIMARY KEY, name TEXT NOT NULL) STRICT;
CREATE TABLE coverage (member_id TEXT NOT NULL REFERENCES member(id), person_id TEXT NOT NULL REFERENCES person(id), strength INTEGER NOT NULL, PRIMARY KEY (member_id, person_id)) STRICT;
CREATE TABLE relation (id TEXT PRIMARY KEY, kind TEXT NOT NULL, source TEXT NOT NULL REFERENCES person(id), target TEXT NOT NULL REFERENCES person(id), strength INTEGER NOT NULL, note TEXT NOT NULL) STRICT;
CREATE INDEX relation_source ON relation(source); CREATE INDEX relation_target ON relation(target);
''')
db.execute('BEGIN')
people, members, coverage, relations = [], {}, [], []
with open(people_csv, newline='', encoding='utf-8-sig') as f:
    for row in csv.DictReader(f):
        people.append((row['id'], row['name'], row['title'], row['department'], row['roles'], row['attitude'], row['influence']))
        m = members.setdefault(row['owner'], 'm%d' % len(members))
        coverage.append((m, row['id'], 2))
        if row['reports_to']:
            relations.append(('rt%d' % len(relations), 'reports_to', row['id'], row['reports_to'], 2, ''))
with open(relations_csv, newline='', encoding='utf-8-sig') as f:
    for row in csv.DictReader(f):
        relations.append(('r%d' % len(relations), row['type'], row['from'], row['to'], int(row['strength']), row['note']))
db.executemany('INSERT INTO person VALUES (?,?,?,?,?,?,?)', people)
db.executemany('INSERT INTO member VALUES (?,?)', [(i, n) for n, i in members.items()])
db.executemany('INSERT INTO coverage VALUES (?,?,?)', coverage)
db.executemany('INSERT INTO relation VALUES (?,?,?,?,?,?)', relations)
db.execute('COMMIT')
db.close()
`;

const rmMap = (f: string) => {
  for (const x of [f, `${f}-wal`, `${f}-shm`]) fs.rmSync(x, { force: true });
};

const exchangeCase: BenchCase = {
  name: 'exchange',
  async run(ctx) {
    const rows: BenchRow[] = [];
    const dir = ctx.tmpDir();

    // ---- CSV import through the CLI, beside Python csv + sqlite3 -------------------------------
    if (ctx.wants('CSV import')) {
      const f = bigCsv(dir, 10_000);
      const py = path.join(dir, 'import.py');
      fs.writeFileSync(py, PYTHON);
      const target = path.join(dir, 'imported.powermap');
      const pyOut = path.join(dir, 'python.sqlite');
      let counted = '';
      const ours = () => {
        rmMap(target);
        const r = spawnSync(process.execPath, [CLI, 'import', f.people, '--relations', f.relations, '-o', target], { encoding: 'utf8' });
        if (r.status !== 0) throw new Error(`powermap import failed: ${r.stderr}`);
        counted = r.stdout.trim();
      };
      const python = () => {
        rmMap(pyOut);
        execFileSync('python3', [py, f.people, f.relations, pyOut]);
      };
      const runs = Math.min(ctx.runs, 5);
      ctx.log(`exchange: CSV import 10,000 + 20,000 (${runs} runs each, interleaved with Python)`);
      const t = await timePair(ours, python, runs, 1);
      if (!/Imported 10000 people, 20000 relations/.test(counted)) throw new Error(`unexpected import result: ${counted}`);
      rows.push({
        name: 'CSV import, 10,000 people + 20,000 relationships (CLI, process start to exit)',
        ms: t.a,
        runs,
        baselineName: 'python3 csv + sqlite3, same rows (process start to exit)',
        baselineMs: t.b,
        targetMs: 3000,
        targetRatio: 10,
        note: 'CLI checks every row (vocabulary, ids, names, loops), builds the map aside and renames it; Python stores rows unchecked',
      });
    }

    // ---- JSON export and import of the 10,000-person map ---------------------------------------
    if (ctx.wants('JSON')) {
      const data = generateMap(10_000, { seed: 10 });
      const mapFile = path.join(dir, 'json-10000.powermap');
      const store = await createMapFile(mapFile, data.meta);
      await loadMap(store, data);
      const out = path.join(dir, 'export.json');
      const plain = path.join(dir, 'plain.json');
      const runs = Math.min(ctx.runs, 5);
      ctx.log(`exchange: JSON export/import of 10,000 people (${runs} runs)`);
      const exp = await timePair(
        async () => {
          fs.rmSync(out, { force: true });
          await exportData(store, { format: 'json', target: out, includePersonal: true, layout: 'org', overwrite: false, lang: 'en-US' });
        },
        () => fs.writeFileSync(plain, JSON.stringify(data, null, 1)),
        runs,
        1,
      );
      await store.close();
      rows.push({
        name: 'JSON export, 10,000 people (read map + write file aside + rename)',
        ms: exp.a,
        runs,
        baselineName: 'JSON.stringify + writeFileSync of the same map',
        baselineMs: exp.b,
        targetMs: 2000,
      });
      const imported = path.join(dir, 'json-import.powermap');
      const imp = await timePair(
        async () => {
          rmMap(imported);
          await (await importJsonFile(out, imported)).close();
        },
        () => JSON.parse(fs.readFileSync(out, 'utf8')),
        runs,
        1,
      );
      rows.push({
        name: 'JSON import, 10,000 people (parse + validate + new map built aside)',
        ms: imp.a,
        runs,
        baselineName: 'readFileSync + JSON.parse of the same file',
        baselineMs: imp.b,
        targetMs: 2000,
      });
    }

    // ---- The deal-review PDF of a 60-person map --------------------------------------------------
    if (ctx.wants('PDF')) {
      const chromium = findChromium();
      if (!chromium) throw new Error('no Chromium found for the PDF figure (set CHROME_PATH)');
      const data = generateMap(60, { seed: 60 });
      const mapFile = path.join(dir, 'pdf-60.powermap');
      await writeMapFile(mapFile, data);
      const pdf = path.join(dir, 'review.pdf');
      const runs = Math.min(ctx.runs, 5);
      ctx.log(`exchange: PDF of 60 people (${runs} runs, Chromium ${chromium})`);
      const times: number[] = [];
      for (let i = 0; i <= runs; i++) {
        fs.rmSync(pdf, { force: true });
        const t0 = performance.now();
        const r = spawnSync(process.execPath, [CLI, 'export', mapFile, '--format', 'pdf', '-o', pdf], { encoding: 'utf8' });
        if (r.status !== 0) throw new Error(`powermap export failed: ${r.stderr}`);
        if (i > 0) times.push(performance.now() - t0); // the first run warms the disk cache
      }
      rows.push({
        name: 'Deal-review PDF, 60 people (CLI, process start incl. Chromium start to file)',
        ms: median(times),
        runs,
        targetMs: 10_000,
        note: `system Chromium (${chromium}) via playwright-core`,
      });
    }
    return rows;
  },
};

export default exchangeCase;
