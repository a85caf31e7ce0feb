/**
 * Helpers for the team server's tests: real HTTP against real instances on a real PostgreSQL.
 *
 *   const s = await startTeamInProcess(db.url);          // startTeamServer in this process
 *   const p = await startTeamProcess(db.url);            // `node bin/powermap.cjs server` (built CLI)
 *   const ann = await signIn(s.url, 'ann@example.com', PASSWORD);   // cookie + CSRF token
 *   await call(s.url, 'account.me', {}, ann);            // POST /api/<method> as the page would
 *   await call(s.url, 'tokens.list', {}, { bearer });    // as the command line would
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ApiResult } from '../../shared/api/errors';
import { startTeamServer, type TeamServer, type TeamServerOptions } from '../../server/team/start';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CLI = path.join(REPO, 'bin', 'powermap.cjs');

/** A stand-in for dist/renderer, for tests that do not need the built pages. */
export function fakeRenderer(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'powermap-fake-renderer-'));
  fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>PowerMap app</title><p>the app</p>');
  fs.writeFileSync(path.join(dir, 'signin.html'), '<!doctype html><title>Sign in</title><p>sign in</p>');
  fs.mkdirSync(path.join(dir, 'assets'));
  fs.writeFileSync(path.join(dir, 'assets', 'app.js'), 'console.log(1)');
  return dir;
}

export interface InProcessServer extends TeamServer {
  /** Operator lines the instance wrote. */
  lines: string[];
}

export async function startTeamInProcess(db: string, opts: Partial<TeamServerOptions> = {}): Promise<InProcessServer> {
  const lines: string[] = [];
  const s = await startTeamServer({ db, staticDir: opts.staticDir ?? fakeRenderer(), log: (l) => lines.push(l), ...opts });
  return Object.assign(s, { lines });
}

export interface Credentials {
  /** The Cookie header value (name=value). */
  cookie?: string;
  csrf?: string;
  bearer?: string;
  /** Origin header; defaults to the server's own for cookie calls. */
  origin?: string | null;
  headers?: Record<string, string>;
}

export interface Answer<T = unknown> {
  status: number;
  body: ApiResult<T>;
  headers: Headers;
}

const originOf = (base: string) => new URL(base).origin;

/** POST /api/<method> with JSON, as the page (cookie + CSRF + Origin) or a script (bearer). */
export async function call<T = unknown>(base: string, method: string, payload: unknown, who: Credentials = {}): Promise<Answer<T>> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...who.headers };
  if (who.cookie) {
    headers.cookie = who.cookie;
    const origin = who.origin === undefined ? originOf(base) : who.origin;
    if (origin !== null) headers.origin = origin;
  } else if (who.origin) headers.origin = who.origin;
  if (who.csrf) headers['x-powermap-csrf'] = who.csrf;
  if (who.bearer) headers.authorization = `Bearer ${who.bearer}`;
  const res = await fetch(new URL(`/api/${method}`, base), { method: 'POST', headers, body: JSON.stringify(payload) });
  return { status: res.status, body: (await res.json()) as ApiResult<T>, headers: res.headers };
}

export interface Session extends Credentials {
  cookie: string;
  csrf: string;
  userId: string;
}

/** POST /auth/signin; resolves with the answer (no throw on refusal). */
export async function trySignIn(base: string, email: string, password: string, origin: string | null = originOf(base)): Promise<Answer<{ csrf: string; user: { id: string } }> & { setCookie: string | null }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (origin) headers.origin = origin;
  const res = await fetch(new URL('/auth/signin', base), { method: 'POST', headers, body: JSON.stringify({ email, password }) });
  return { status: res.status, body: (await res.json()) as ApiResult<{ csrf: string; user: { id: string } }>, headers: res.headers, setCookie: res.headers.get('set-cookie') };
}

/** Signs in and returns the cookie and CSRF token; throws when refused. */
export async function signIn(base: string, email: string, password: string): Promise<Session> {
  const r = await trySignIn(base, email, password);
  if (!r.body.ok || !r.setCookie) throw new Error(`sign-in refused: ${r.status} ${JSON.stringify(r.body)}`);
  return { cookie: r.setCookie.split(';')[0]!, csrf: r.body.value.csrf, userId: r.body.value.user.id };
}

export interface TeamProcess {
  proc: ChildProcess;
  url: string;
  /** Everything it wrote to stdout. */
  stdout(): string;
  stderr(): string;
  alive(): boolean;
  /** SIGTERM and wait for the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL (a crash). */
  kill(): Promise<void>;
}

/** Runs `node bin/powermap.cjs <args>` to completion (for the user commands and failing starts). */
export function runCli(args: string[], opts: { env?: Record<string, string>; input?: string; timeoutMs?: number } = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [CLI, ...args], {
      cwd: REPO,
      env: { ...process.env, LANG: 'en_US.UTF-8', LC_ALL: '', POWERMAP_PASSWORD: '', POWERMAP_DB: '', ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    proc.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    proc.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`powermap ${args[0]} did not finish:\n${stdout}\n${stderr}`));
    }, opts.timeoutMs ?? 30_000);
    proc.on('error', reject);
    proc.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    proc.stdin.end(opts.input ?? '');
  });
}

/** Starts `node bin/powermap.cjs server --db <db> …` and waits for its one line. Needs the build. */
export async function startTeamProcess(db: string, args: string[] = [], env: Record<string, string> = {}): Promise<TeamProcess> {
  if (!fs.existsSync(path.join(REPO, 'dist', 'node', 'cli.cjs'))) throw new Error('dist/node/cli.cjs is missing: run npm run build first');
  const proc = spawn(process.execPath, [CLI, 'server', '--db', db, ...args], {
    cwd: REPO,
    env: { ...process.env, LANG: 'en_US.UTF-8', LC_ALL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  let exited = false;
  const exit = new Promise<number | null>((r) =>
    proc.on('exit', (code) => {
      exited = true;
      r(code);
    }),
  );
  proc.stdout!.setEncoding('utf8').on('data', (c: string) => (out += c));
  proc.stderr!.setEncoding('utf8').on('data', (c: string) => (err += c));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server printed no URL within 30 s:\n${out}\n${err}`)), 30_000);
    const check = () => {
      const m = /^(http:\/\/\S+\/)\n/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    proc.stdout!.on('data', check);
    void exit.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (${code}) before printing its URL:\n${out}\n${err}`));
    });
  });
  return {
    proc,
    url,
    stdout: () => out,
    stderr: () => err,
    alive: () => !exited,
    async stop() {
      if (exited) return proc.exitCode;
      proc.kill('SIGTERM');
      return exit;
    },
    async kill() {
      if (exited) return;
      proc.kill('SIGKILL');
      await exit;
    },
  };
}
