// Electronegativity gate for the Electron shell (CI runs it after lint).
//
//   node scripts/electronegativity.mjs [--input <dir>] [--report <file.csv>]
//
// Electronegativity exits 0 whatever it finds, so this script runs it, writes its findings as a
// CSV report (dist/electronegativity/report.csv, the tool's columns), reads that back and exits 1 on any finding above INFORMATIONAL that is not an accepted exception below. By
// default it scans a copy of electron/ (the main and preload sources) with the renderer's HTML
// pages (renderer/*.html and, when built, dist/renderer/*.html, whose CSP meta tags it checks).
// The built dist/electron bundles are not scanned: esbuild drops comments, so the line-level
// suppressions below would be lost, and every Electron API call is in the scanned sources.
//
// Offline: the check that downloads Electron's release list (AvailableSecurityFixesGlobalCheck) is
// left out and the Electron version is read from node_modules; the tool's attempt to fetch
// translations times out after 1 s and falls back to its bundled English.
//
// Suppressions, each narrow and explained:
// - Line-level `// eng-disable <CHECK_ID>` comments in the sources (listed on every run, each must
//   sit on the flagged line with its reason in the comment above). File-wide ones (first line) fail.
// - CSP_GLOBAL_CHECK "maybe weak" is accepted only when re-evaluating the policy finds nothing but
//   Google's csp-evaluator note that script-src 'self' is risky for sites hosting JSONP, Angular
//   or user uploads. app://powermap serves only our own build, none of those.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import Papa from 'papaparse';

const require = createRequire(import.meta.url);
const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

const { values } = parseArgs({
  options: {
    input: { type: 'string' },
    report: { type: 'string' },
  },
});

const reportFile = path.resolve(values.report ?? path.join(root, 'dist', 'electronegativity', 'report.csv'));
const electronVersion = JSON.parse(fs.readFileSync(require.resolve('electron/package.json'), 'utf8')).version;

function copyTree(from, to) {
  fs.cpSync(from, to, { recursive: true, filter: (src) => !src.includes(`${path.sep}node_modules`) });
}

/** The folder to scan: --input as is, or a staged copy of electron/ and the HTML pages. */
function stage() {
  if (values.input) return { dir: path.resolve(values.input), cleanup: () => undefined };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'powermap-electronegativity-'));
  copyTree(path.join(root, 'electron'), path.join(dir, 'electron'));
  for (const htmlDir of ['renderer', path.join('dist', 'renderer')]) {
    const abs = path.join(root, htmlDir);
    if (!fs.existsSync(abs)) continue;
    for (const f of fs.readdirSync(abs).filter((n) => n.endsWith('.html'))) {
      fs.mkdirSync(path.join(dir, htmlDir), { recursive: true });
      fs.copyFileSync(path.join(abs, f), path.join(dir, htmlDir, f));
    }
  }
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Every eng-disable comment in the scanned sources; file-wide ones are refused. */
function suppressions(dir) {
  const found = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(m?[jt]sx?|html?)$/.test(e.name)) {
        const lines = fs.readFileSync(p, 'utf8').split('\n');
        lines.forEach((line, i) => {
          const m = /eng-disable[ \t]+([\w \t,]+)/.exec(line);
          if (m) found.push({ file: path.relative(dir, p), line: i + 1, checks: m[1].trim(), fileWide: i === 0 });
        });
      }
    }
  };
  walk(dir);
  return found;
}

/** The CSV report as rows keyed by its (trimmed) header names. */
function parseCsv(text) {
  const parsed = Papa.parse(text, { header: true, skipEmptyLines: 'greedy', transformHeader: (h) => h.trim() });
  return parsed.data.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, String(v ?? '').trim()])));
}

/** The accepted CSP exception: the only thing csp-evaluator says is its generic note on script-src 'self'. */
function onlySelfScriptNote(policy) {
  const csp = require('@doyensec/csp-evaluator');
  let findings;
  try {
    findings = new csp.CspEvaluator(new csp.CspParser(policy).csp, csp.Version.CSP3).evaluate();
  } catch {
    return false;
  }
  const scriptSrc = /(?:^|;)\s*script-src\s+([^;]*)/i.exec(policy)?.[1] ?? '';
  if (/'unsafe-(eval|inline)'|\*|data:|blob:/i.test(scriptSrc)) return false;
  return (
    findings.length > 0 &&
    findings.every((f) => f.directive === 'script-src' && f.value === "'self'" && f.severity === csp.severities.MEDIUM_MAYBE)
  );
}

/**
 * Writes the report in Electronegativity's own CSV columns. (Its writer is not used: it writes
 * the header and the rows with two unawaited fs.writeFile calls that race; here that garbled
 * the first row about one run in four.)
 */
function writeReport(issues) {
  const rows = issues.map((i) => ({
    issue: i.id,
    severity: i.severity.name,
    confidence: i.confidence.name,
    filename: i.file,
    location: `${i.location.line}:${i.location.column}`,
    sample: i.sample ?? 'N/A',
    description: i.description,
    url: `https://github.com/doyensec/electronegativity/wiki/${i.id}`,
  }));
  const columns = ['issue', 'severity', 'confidence', 'filename', 'location', 'sample', 'description', 'url'];
  fs.writeFileSync(reportFile, `${Papa.unparse(rows, { columns, quotes: true, newline: '\n' })}\n`);
}

async function main() {
  const started = Date.now();
  const { dir, cleanup } = stage();
  try {
    fs.mkdirSync(path.dirname(reportFile), { recursive: true });
    fs.rmSync(reportFile, { force: true });
    const run = require('@doyensec/electronegativity');
    const result = await (run.default ?? run)(
      {
        input: dir,
        customScan: [],
        excludeFromScan: ['availablesecurityfixesglobalcheck'],
        electronVersionOverride: electronVersion,
        isRelative: true,
        isVerbose: false,
        parserPlugins: [],
      },
      false,
    );
    writeReport(result.issues);
    // The gate reads the report back, as CI tools would.
    const rows = parseCsv(fs.readFileSync(reportFile, 'utf8'));
    if (rows.length !== result.issues.length || rows.some((r) => !r.issue || !r.severity)) {
      console.error(`electronegativity: the report ${reportFile} does not hold the ${result.issues.length} findings`);
      process.exit(2);
    }
    const problems = [];
    for (const e of result.errors.filter((x) => !x.tolerable))
      problems.push(`could not parse ${path.relative(dir, e.file)}: ${e.message}`);

    const supp = suppressions(dir);
    for (const s of supp.filter((x) => x.fileWide))
      problems.push(`${s.file}:${s.line}: file-wide eng-disable (${s.checks}) is not allowed; suppress on the flagged line`);

    const accepted = [];
    for (const r of rows) {
      const where = `${r.filename}:${r.location}`;
      if (r.severity === 'INFORMATIONAL') continue;
      if (r.issue === 'CSP_GLOBAL_CHECK' && onlySelfScriptNote(r.sample)) {
        accepted.push(`${r.issue} ${r.severity} ${where}: only csp-evaluator's generic note on script-src 'self' (we serve no JSONP, Angular or uploads)`);
        continue;
      }
      problems.push(`${r.issue} ${r.severity}/${r.confidence} ${where}: ${r.description}${r.sample && r.sample !== 'N/A' ? ` — ${r.sample.slice(0, 160)}` : ''}`);
    }

    const digest = crypto.createHash('sha256').update(fs.readFileSync(reportFile)).digest('hex').slice(0, 12);
    console.log(
      `electronegativity ${require('@doyensec/electronegativity/package.json').version}: ${result.atomicChecks} atomic + ${result.globalChecks} global checks ` +
        `(Electron ${electronVersion}) on ${values.input ? dir : 'electron/ + renderer HTML'}; ${rows.length} findings, report ${path.relative(root, reportFile)} (${digest}), ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    for (const s of supp.filter((x) => !x.fileWide)) console.log(`  suppressed on the line: ${s.file}:${s.line} ${s.checks}`);
    for (const a of accepted) console.log(`  accepted: ${a}`);
    if (problems.length) {
      console.error(`electronegativity: ${problems.length} finding(s) above informational:`);
      for (const p of problems) console.error(`  ${p}`);
      process.exitCode = 1;
    } else console.log('electronegativity: no findings above informational');
  } finally {
    cleanup();
  }
}

await main();
