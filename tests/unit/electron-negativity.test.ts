/**
 * The Electronegativity gate (scripts/electronegativity.mjs), run as CI runs it: the shell as it
 * is passes; an insecure window fails it; a file-wide suppression is refused. Offline.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTmpDir } from '../helpers/tmp';

const tmp = useTmpDir();
const REPO = path.resolve(__dirname, '..', '..');

function gate(args: string[]) {
  const r = spawnSync(process.execPath, [path.join(REPO, 'scripts', 'electronegativity.mjs'), ...args], {
    cwd: REPO,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: r.status, out: `${r.stdout}\n${r.stderr}` };
}

describe('the Electronegativity gate', () => {
  it('passes on the Electron shell as it is, and writes its CSV report', () => {
    const report = path.join(tmp(), 'report.csv');
    const r = gate(['--report', report]);
    expect(r.out).toContain('no findings above informational');
    expect(r.status).toBe(0);
    const csv = fs.readFileSync(report, 'utf8');
    expect(csv.split('\n')[0]).toBe('"issue","severity","confidence","filename","location","sample","description","url"');
    expect(csv).toMatch(/"CSP_GLOBAL_CHECK","LOW","FIRM","renderer\/index.html"/);
    // The accepted and suppressed findings are listed, not hidden.
    expect(r.out).toMatch(/suppressed on the line: electron\/main\/security\.ts:\d+ OPEN_EXTERNAL_JS_CHECK/);
  });

  it('fails on an insecure window and on file-wide suppressions', () => {
    const dir = tmp();
    fs.writeFileSync(
      path.join(dir, 'main.js'),
      "const { BrowserWindow } = require('electron');\n" +
        'module.exports = () => new BrowserWindow({ webPreferences: { contextIsolation: false, sandbox: false } });\n',
    );
    fs.writeFileSync(
      path.join(dir, 'quiet.js'),
      "// eng-disable CONTEXT_ISOLATION_JS_CHECK SANDBOX_JS_CHECK\nconst { BrowserWindow } = require('electron');\nnew BrowserWindow({ webPreferences: { contextIsolation: true, sandbox: true, disableBlinkFeatures: 'Auxclick' } });\n",
    );
    const r = gate(['--input', dir, '--report', path.join(dir, 'out.csv')]);
    expect(r.status).toBe(1);
    expect(r.out).toMatch(/CONTEXT_ISOLATION_JS_CHECK HIGH\/FIRM main\.js:2/);
    expect(r.out).toMatch(/SANDBOX_JS_CHECK MEDIUM\/FIRM main\.js:2/);
    expect(r.out).toMatch(/LIMIT_NAVIGATION_GLOBAL_CHECK/);
    expect(r.out).toMatch(/quiet\.js:1: file-wide eng-disable/);
  });
});
