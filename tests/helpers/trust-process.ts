/**
 * Child processes for the trust tests: bundles a helper script with esbuild once (so each of the
 * hundreds of spawns costs a plain `node` start, not a TypeScript compile) and runs it with the
 * same Node binary, reading its stdout line by line.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { build } from 'esbuild';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const REPO = path.resolve(__dirname, '..', '..');

/** Bundles `entry` (relative to the repo) to a .cjs in a temp folder; better-sqlite3 stays external. */
export async function bundle(entry: string): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'powermap-bundle-'));
  const out = path.join(dir, `${path.basename(entry, '.ts')}.cjs`);
  await build({
    entryPoints: [path.join(REPO, entry)],
    outfile: out,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    minify: true, // a smaller bundle parses faster: each of hundreds of spawns loads it
    logLevel: 'warning',
    // As scripts/build-node.mjs: native modules and what is loaded at run time stay outside.
    external: ['better-sqlite3', 'electron', 'playwright-core', '@node-rs/argon2', 'pg-native'],
  });
  return out;
}

export interface Child {
  proc: ChildProcessWithoutNullStreams;
  /** Every complete stdout line so far. */
  lines: string[];
  /** Resolves when a line matching `re` has arrived (or rejects when the child exits first). */
  waitFor(re: RegExp, timeoutMs?: number): Promise<string>;
  /** Resolves with the exit code/signal once the process is gone and its stdout is drained. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr(): string;
}

export function run(script: string, args: string[], env: NodeJS.ProcessEnv = {}): Child {
  const proc = spawn(process.execPath, [script, ...args], {
    env: { ...process.env, NODE_PATH: path.join(REPO, 'node_modules'), ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let partial = '';
  let err = '';
  const waiters: { re: RegExp; resolve: (l: string) => void; reject: (e: Error) => void }[] = [];
  proc.stdout.setEncoding('utf8');
  proc.stdout.on('data', (chunk: string) => {
    partial += chunk;
    let i: number;
    while ((i = partial.indexOf('\n')) >= 0) {
      const line = partial.slice(0, i);
      partial = partial.slice(i + 1);
      lines.push(line);
      for (const w of waiters.splice(0)) {
        if (w.re.test(line)) w.resolve(line);
        else waiters.push(w);
      }
    }
  });
  proc.stderr.setEncoding('utf8');
  proc.stderr.on('data', (c: string) => (err += c));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    // 'close' fires after the stdio streams are drained: every line written before death is in.
    proc.on('close', (code, signal) => {
      for (const w of waiters.splice(0)) w.reject(new Error(`child exited (${code ?? signal}) before ${w.re}: ${err.slice(-500)}`));
      resolve({ code, signal });
    });
  });
  return {
    proc,
    lines,
    exited,
    stderr: () => err,
    waitFor(re, timeoutMs = 30_000) {
      const hit = lines.find((l) => re.test(l));
      if (hit) return Promise.resolve(hit);
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`timed out waiting for ${re}; stderr: ${err.slice(-500)}`)), timeoutMs);
        waiters.push({
          re,
          resolve: (l) => {
            clearTimeout(t);
            resolve(l);
          },
          reject: (e) => {
            clearTimeout(t);
            reject(e);
          },
        });
      });
    },
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
