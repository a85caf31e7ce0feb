/**
 * `npm run bench [-- --only <substring>] [--runs N] [--write] [--strict]`
 *
 * Loads every bench/cases/*.ts (each default-exports a BenchCase or an array of them), runs them
 * one after another in this process and prints ONE table of every figure: median of N runs, the
 * side-by-side baseline measured in the same run, the ratio, the target and pass/fail, then the
 * machine it ran on. A case that throws becomes an error row; the others still run.
 * --write puts the table into docs/PERFORMANCE.md between the bench markers.
 * Exit code: 1 if a case failed with an error (or, with --strict, if a target was missed).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { BenchCase, BenchContext, BenchRow } from './lib/types';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.dirname(BENCH_DIR);
const PERF_DOC = path.join(ROOT, 'docs', 'PERFORMANCE.md');
const BEGIN = '<!-- bench:begin (written by `npm run bench -- --write`; do not edit by hand) -->';
const END = '<!-- bench:end -->';

type Status = 'pass' | 'FAIL' | '—' | 'ERROR';
interface Result extends BenchRow {
  area: string;
  ratio?: number;
  status: Status;
}

const fmtMs = (ms: number | undefined): string => {
  if (ms === undefined || !Number.isFinite(ms)) return '';
  if (ms < 1) return ms.toFixed(3);
  if (ms < 10) return ms.toFixed(2);
  if (ms < 100) return ms.toFixed(1);
  return Math.round(ms).toLocaleString('en-US');
};

function judge(area: string, r: BenchRow): Result {
  const ratio = r.baselineMs && r.baselineMs > 0 ? r.ms / r.baselineMs : undefined;
  const checks: boolean[] = [];
  if (r.targetMs !== undefined) checks.push(r.ms <= r.targetMs);
  if (r.targetRatio !== undefined) checks.push(ratio !== undefined && ratio <= r.targetRatio);
  const status: Status = checks.length === 0 ? '—' : checks.every(Boolean) ? 'pass' : 'FAIL';
  return { ...r, area, ratio, status };
}

const targetText = (r: BenchRow) =>
  [r.targetRatio !== undefined ? `≤ ${r.targetRatio}×` : '', r.targetMs !== undefined ? `≤ ${fmtMs(r.targetMs)} ms` : '']
    .filter(Boolean)
    .join(', ');

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

const HEAD = ['area', 'figure', 'median ms', 'runs', 'baseline', 'baseline ms', 'ratio', 'target', 'result'];
const HEADER = [`| ${HEAD.join(' | ')} |`, `|${HEAD.map((_h, i) => ([2, 3, 5, 6].includes(i) ? '---:' : '---')).join('|')}|`];

function renderRow(r: Result): string {
  return `| ${[
    r.area,
    r.name,
    r.status === 'ERROR' ? '' : fmtMs(r.ms),
    r.status === 'ERROR' ? '' : String(r.runs ?? ''),
    r.baselineName ?? '',
    fmtMs(r.baselineMs),
    r.ratio !== undefined ? `${r.ratio.toFixed(2)}×` : '',
    targetText(r),
    r.status,
  ]
    .map(cell)
    .join(' | ')} |`;
}
const renderNote = (r: Result) => `- ${cell(r.name)}: ${cell(r.note!)}`;

/** The table (and the notes under it) from table rows and note lines. */
function assemble(rows: string[], notes: string[]): string {
  return [...HEADER, ...rows, ...(notes.length ? ['', 'Notes:', ...notes] : [])].join('\n');
}

function renderTable(results: Result[]): string {
  return assemble(results.map(renderRow), results.filter((r) => r.note).map(renderNote));
}

function osName(): string {
  try {
    const rel = fs.readFileSync('/etc/os-release', 'utf8');
    const m = /^PRETTY_NAME="?([^"\n]+)"?/m.exec(rel);
    if (m) return `${m[1]} (${os.type()} ${os.release()})`;
  } catch {
    /* not Linux */
  }
  return `${os.type()} ${os.release()}`;
}

function diskOf(dir: string): string {
  try {
    const out = execFileSync('df', ['-T', dir], { encoding: 'utf8' }).trim().split('\n')[1]?.split(/\s+/);
    if (out) return `${out[0]} (${out[1]})`;
  } catch {
    /* no df */
  }
  return 'unknown';
}

function machine(tmpRoot: string): string {
  const cpus = os.cpus();
  return [
    `- CPU: ${cpus[0]?.model.trim() ?? 'unknown'}, ${cpus.length} cores`,
    `- memory: ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    `- OS: ${osName()}`,
    `- Node ${process.version}, ${process.arch}`,
    `- temp files on: ${diskOf(tmpRoot)}`,
    `- date: ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`,
  ].join('\n');
}

async function loadCases(): Promise<{ file: string; cases: BenchCase[]; error?: unknown }[]> {
  const dir = path.join(BENCH_DIR, 'cases');
  const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.ts')).sort() : [];
  const out: { file: string; cases: BenchCase[]; error?: unknown }[] = [];
  for (const f of files) {
    try {
      const mod = (await import(pathToFileURL(path.join(dir, f)).href)) as { default?: BenchCase | BenchCase[] };
      const d = mod.default;
      const cases = Array.isArray(d) ? d : d ? [d] : [];
      if (cases.length === 0) throw new Error('exports no default BenchCase');
      out.push({ file: f, cases });
    } catch (e) {
      out.push({ file: f, cases: [], error: e });
    }
  }
  return out;
}

/** The area and figure of a table line. */
const rowKey = (line: string): { area: string; name: string } => {
  const [area = '', name = ''] = line.slice(2, -2).split(' | ');
  return { area, name };
};

/**
 * Replaces the marked block of the doc. With --only, the rows (and their notes) of the earlier
 * run that this run did not measure are kept: those of the other cases when --only named a case,
 * else those whose figure does not match.
 */
function writeDoc(results: Result[], machineText: string, only: string | undefined, ran: Set<string>, caseMatch: boolean): void {
  let doc = fs.existsSync(PERF_DOC)
    ? fs.readFileSync(PERF_DOC, 'utf8')
    : `# Performance\n\n\`npm run bench\` measures every figure below on this machine; \`npm run bench -- --write\` refreshes this table.\n\n${BEGIN}\n${END}\n`;
  if (!doc.includes(BEGIN) || !doc.includes(END)) doc = `${doc.trimEnd()}\n\n${BEGIN}\n${END}\n`;
  const start = doc.indexOf(BEGIN);
  const end = doc.indexOf(END);
  let rows = results.map(renderRow);
  let notes = results.filter((r) => r.note).map(renderNote);
  if (only) {
    const old = doc.slice(start + BEGIN.length, end).split('\n');
    const replaced = ({ area, name }: { area: string; name: string }) =>
      caseMatch ? ran.has(area) : name.toLowerCase().includes(only.toLowerCase()) || results.some((r) => cell(r.name) === name);
    const keptRows = old.filter((l) => l.startsWith('| ') && !l.startsWith('| area |') && !replaced(rowKey(l)));
    const keptNames = keptRows.map((l) => rowKey(l).name);
    const keptNotes = old.filter((l) => l.startsWith('- ') && keptNames.some((n) => l.startsWith(`- ${n}: `)));
    // Rows grouped by area in the order the cases run (file names, alphabetical).
    const order = (l: string) => rowKey(l).area;
    rows = [...keptRows, ...rows].map((l, i) => ({ l, i })).sort((a, b) => order(a.l).localeCompare(order(b.l)) || a.i - b.i).map((x) => x.l);
    notes = [...keptNotes, ...notes];
  }
  const block = `${BEGIN}\n${assemble(rows, notes)}\n\nMachine:\n${machineText}\n${END}`;
  doc = doc.slice(0, start) + block + doc.slice(end + END.length);
  fs.mkdirSync(path.dirname(PERF_DOC), { recursive: true });
  fs.writeFileSync(PERF_DOC, doc);
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      only: { type: 'string' },
      runs: { type: 'string' },
      write: { type: 'boolean' },
      strict: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log('usage: npm run bench -- [--only <substring>] [--runs N] [--write] [--strict]');
    return 0;
  }
  const runs = values.runs ? Number(values.runs) : 7;
  if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs wants a whole number ≥ 1');
  const only = values.only?.toLowerCase();

  const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'powermap-bench-'));
  let n = 0;
  let caseMatch = false;
  const ctx: BenchContext = {
    runs,
    tmpDir: () => {
      const d = path.join(tmpRoot, String(n++));
      fs.mkdirSync(d);
      return d;
    },
    log: (l) => process.stderr.write(`  ${l}\n`),
    wants: (figure) => !only || caseMatch || figure.toLowerCase().includes(only),
  };

  const results: Result[] = [];
  try {
    const loaded = await loadCases();
    // --only naming a case (e.g. "store") runs just that case; otherwise every case runs and only
    // the matching figures are kept (cases may skip the others early with ctx.wants).
    caseMatch = !!only && loaded.some((l) => l.cases.some((c) => c.name.toLowerCase().includes(only)));
    for (const { file, cases, error } of loaded) {
      if (error) {
        results.push({ area: file, name: `${file}: could not load`, ms: NaN, status: 'ERROR', note: String((error as Error)?.message ?? error) });
        continue;
      }
      for (const c of cases) {
        if (caseMatch && !c.name.toLowerCase().includes(only!)) continue;
        process.stderr.write(`bench: ${c.name} (${file})\n`);
        try {
          let rows = await c.run(ctx);
          if (only && !caseMatch) rows = rows.filter((r) => r.name.toLowerCase().includes(only));
          results.push(...rows.map((r) => judge(c.name, { runs, ...r })));
        } catch (e) {
          results.push({ area: c.name, name: `${c.name}: error`, ms: NaN, status: 'ERROR', note: String((e as Error)?.stack?.split('\n').slice(0, 2).join(' ') ?? e) });
        }
      }
    }
  } finally {
    fs.rmSync(tmpRoot, { recursive: true, force: true });
  }

  const table = renderTable(results);
  const machineText = machine(os.tmpdir());
  process.stdout.write(`${table}\n\nMachine:\n${machineText}\n`);
  if (values.write) {
    writeDoc(results, machineText, values.only, new Set(results.map((r) => r.area)), caseMatch);
    process.stderr.write(`bench: wrote ${path.relative(process.cwd(), PERF_DOC)}\n`);
  }
  const errors = results.some((r) => r.status === 'ERROR');
  const misses = results.some((r) => r.status === 'FAIL');
  return errors || (values.strict && misses) ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    process.stderr.write(`bench: ${(e as Error)?.message ?? String(e)}\n`);
    process.exit(2);
  },
);
