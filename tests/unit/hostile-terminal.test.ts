/**
 * Escape sequences from map data never reach the terminal raw (issue 15, item 8). A colleague's
 * map file can hold anything in its rows; this test plants names, titles, an account and a
 * team member carrying terminal escapes (retitle the window, write the clipboard with OSC 52,
 * clear the screen, move the cursor up, a carriage return that overwrites the line, the 8-bit CSI)
 * with better-sqlite3, then runs the CLI as a process over it: info, analyze, diff, purge,
 * import warnings, error lines. Every byte written must be free of control characters but line
 * feed and tab; the escapes show as visible \uXXXX text; --json stays valid JSON meaning the same.
 */
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { forTerminal } from '../../cli/terminal';
import { dispatch } from '../../services/handlers';
import { createClient } from '../../shared/api';
import { REPO, webSession } from '../helpers/session';
import { useTmpDir } from '../helpers/tmp';
import { bundle } from '../helpers/trust-process';

const tmp = useTmpDir();
let cli = '';
beforeAll(async () => {
  cli = await bundle('cli/main.ts');
}, 60_000);

const TITLE = '\u001b]0;pwned\u0007';
const CLIPBOARD = '\u001b]52;c;cHduZWQ=\u0007';
const NAME = `Lin ${TITLE}Qiao${CLIPBOARD}`;
const JOB = '\u001b[2J\u001b[1Aoverwritten\rDirector\u009b31m';
const ACCOUNT = `Harbour${TITLE} Power\u007f`;
const MEMBER = 'Rep \u001b[5mChen';

/** Any control character but line feed and tab, as bytes on the wire (C1 as UTF-8: C2 80–C2 9F). */
function controls(b: Buffer): string[] {
  const found: string[] = [];
  for (let i = 0; i < b.length; i++) {
    const c = b[i]!;
    if ((c < 0x20 && c !== 0x0a && c !== 0x09) || c === 0x7f) found.push(`0x${c.toString(16)} at ${i}`);
    if (c === 0xc2 && b[i + 1]! >= 0x80 && b[i + 1]! <= 0x9f) found.push(`U+00${b[i + 1]!.toString(16)} at ${i}`);
  }
  return found;
}

function run(args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], {
    env: { ...process.env, LANG: 'en_US.UTF-8', NODE_PATH: path.join(REPO, 'node_modules') },
    timeout: 60_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

async function hostileMap(dir: string): Promise<{ file: string; lin: string }> {
  const session = webSession(dir);
  const api = createClient((m, p) => dispatch(session, m, p));
  const file = path.join(dir, 'hostile.powermap');
  await api.call('map.create', { path: file, meta: { account: 'Harbour Power Bureau' } });
  const id = async (p: Promise<{ people?: { id: string }[] }>) => (await p).people![0]!.id;
  const boss = await id(api.call('person.create', { name: 'Gao Ming', title: 'Director general', influence: 'high', roles: ['decision-maker'], attitude: 'opponent' }));
  const lin = await id(api.call('person.create', { name: 'Lin Qiao', title: 'Deputy', influence: 'high', attitude: 'champion', roles: ['coach'] }));
  await api.call('relation.create', { kind: 'reports_to', source: lin, target: boss });
  await api.call('relation.create', { kind: 'conflict', source: lin, target: boss, strength: 3 });
  const m = (await api.call('team.create', { name: 'Rep Chen', role: 'account manager' })).team![0]!.id;
  await api.call('coverage.set', { memberId: m, personId: lin, strength: 3 });
  await session.close();
  // What a hostile file carries: written around PowerMap's own checks.
  const db = new Database(file);
  db.prepare('UPDATE person SET name = ?, title = ? WHERE id = ?').run(NAME, JOB, lin);
  db.prepare('UPDATE map_meta SET account = ?').run(ACCOUNT);
  db.prepare('UPDATE member SET name = ?').run(MEMBER);
  db.close();
  return { file, lin };
}

describe('CLI output is safe for a terminal', () => {
  it('forTerminal shows control characters as \\uXXXX and leaves text, line feeds and tabs alone', () => {
    expect(forTerminal(`a${TITLE}b\r\u009bc\u007f`)).toBe('a\\u001b]0;pwned\\u0007b\\u000d\\u009bc\\u007f');
    const ok = '张伟 — Zhāng\tWěi\n👩🏽‍💼 עברית العربية\u200f';
    expect(forTerminal(ok)).toBe(ok);
    // Inside JSON strings the escape means the same character.
    expect(JSON.parse(forTerminal(JSON.stringify({ n: `x\u009by\u007f` })))).toEqual({ n: 'x\u009by\u007f' });
  });

  it('escapes names, titles, accounts and team members from a hostile map in every command', async () => {
    const dir = tmp();
    const { file, lin } = await hostileMap(dir);
    const other = path.join(dir, 'other.powermap');
    fs.copyFileSync(file, other);
    const db = new Database(other);
    db.prepare('UPDATE person SET attitude = ? WHERE id = ?').run('neutral', lin);
    db.close();
    const csv = path.join(dir, 'people.csv');
    fs.writeFileSync(csv, `name,${TITLE}notes${CLIPBOARD}\nXu Feng,x\n`);
    const badName = path.join(dir, `missing${TITLE}.powermap`);

    const runs: [string, string[]][] = [
      ['info', ['info', file]],
      ['info --json', ['info', file, '--json']],
      ['analyze', ['analyze', file]],
      ['analyze --json', ['analyze', file, '--json']],
      ['diff', ['diff', file, other]],
      ['diff --json', ['diff', file, other, '--json']],
      ['import (warning for a column)', ['import', csv, '-o', path.join(dir, 'imported.powermap')]],
      ['info of a file whose name holds an escape', ['info', badName]],
      ['purge', ['purge', other, '--person', lin, '--yes']],
    ];
    let visible = 0;
    for (const [what, args] of runs) {
      const r = run(args);
      expect(r.code === 0 || r.code === 1, `${what}: exit ${r.code}: ${r.err.toString()}`).toBe(true);
      expect(controls(r.out), `${what} stdout`).toEqual([]);
      expect(controls(r.err), `${what} stderr`).toEqual([]);
      const text = r.out.toString('utf8') + r.err.toString('utf8');
      if (text.includes('\\u001b]0;pwned\\u0007')) visible++;
      if (what.endsWith('--json')) expect(() => JSON.parse(r.out.toString('utf8')), what).not.toThrow();
    }
    // The escapes are shown, not dropped: the user can see that something is odd about the name.
    expect(visible).toBeGreaterThanOrEqual(6);
    const analyze = run(['analyze', file]).out.toString('utf8');
    expect(analyze).toContain('Lin \\u001b]0;pwned\\u0007Qiao\\u001b]52;c;cHduZWQ=\\u0007');
    const info = JSON.parse(run(['info', file, '--json']).out.toString('utf8'));
    expect(JSON.stringify(info)).toContain('Harbour');
  });
});
