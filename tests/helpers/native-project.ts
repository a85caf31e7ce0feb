/**
 * A throw-away copy of the project's native-module situation, for the tests of
 * scripts/ensure-native.mjs and bin/powermap.cjs: a project folder with the real scripts, the real
 * better-sqlite3 package (its Node build, or a stand-in Electron build), the real prebuild-install,
 * electron-builder and @electron/rebuild, and a stand-in Electron. Nothing here touches the
 * repository's own node_modules.
 *
 * No Electron binary and no Electron headers exist on these machines, so two parts are stand-ins:
 *  - the Electron build of better-sqlite3 is a tiny shared object (compiled here with cc) that
 *    registers itself as NODE_MODULE_VERSION 145 the way NODE_MODULE_INIT does: real Node refuses
 *    it with its own NODE_MODULE_VERSION message, as it refuses a real Electron build;
 *  - "Electron" is a script that answers --version and, run as Node, "loads" better-sqlite3 only
 *    when the binary registers ABI 145 (what Electron 41 needs), with Electron's error otherwise.
 * Prebuilt binaries come from a loopback server standing in for GitHub releases, which
 * prebuild-install reaches through npm_config_better_sqlite3_binary_host (its documented mirror
 * variable), so `npm rebuild` and @electron/rebuild run their real download paths.
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BS3 = path.join(REPO, 'node_modules', 'better-sqlite3');
export const BS3_VERSION: string = JSON.parse(fs.readFileSync(path.join(BS3, 'package.json'), 'utf8')).version;
export const ELECTRON_VERSION: string = JSON.parse(fs.readFileSync(path.join(REPO, 'node_modules', 'electron', 'package.json'), 'utf8')).version;
export const ELECTRON_ABI = 145; // Electron 41 (node-abi); asserted against node-abi in the tests
export const NODE_ABI = Number(process.versions.modules);
/** The repository's own Node build of better-sqlite3 (read, never written). */
export const NODE_BUILD = path.join(BS3, 'build', 'Release', 'better_sqlite3.node');

const STUB_C = `
#include <stddef.h>
struct node_module { int nm_version; unsigned int nm_flags; void *nm_dso_handle; const char *nm_filename;
  void *nm_register_func; void *nm_context_register_func; const char *nm_modname; void *nm_priv; struct node_module *nm_link; };
extern void node_module_register(void *);
static void init(void *e, void *m, void *c, void *p) { (void)e; (void)m; (void)c; (void)p; }
static struct node_module mod = { ${ELECTRON_ABI}, 0, NULL, __FILE__, NULL, (void *)init, "better_sqlite3", NULL, NULL };
__attribute__((constructor)) static void reg(void) { node_module_register(&mod); }
__attribute__((visibility("default"))) void node_register_module_v${ELECTRON_ABI}(void) {}
`;

/** Compiles the stand-in Electron build of better-sqlite3 into `dir`; returns its path. */
export function compileElectronBuild(dir: string): string {
  const src = path.join(dir, 'electron-build.c');
  const out = path.join(dir, 'electron-build', 'better_sqlite3.node');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(src, STUB_C);
  execFileSync('cc', ['-shared', '-fPIC', '-o', out, src]);
  return out;
}

/** A prebuild-install tarball (build/Release/better_sqlite3.node) holding `binary`. */
export function prebuiltTarball(dir: string, name: string, binary: string): string {
  const stage = path.join(dir, `stage-${name}`);
  fs.mkdirSync(path.join(stage, 'build', 'Release'), { recursive: true });
  fs.copyFileSync(binary, path.join(stage, 'build', 'Release', 'better_sqlite3.node'));
  const tgz = path.join(dir, `${name}.tar.gz`);
  execFileSync('tar', ['-czf', tgz, '-C', stage, 'build']);
  return tgz;
}

export const prebuiltName = (runtime: 'node' | 'electron', abi: number) =>
  `better-sqlite3-v${BS3_VERSION}-${runtime}-v${abi}-${process.platform}-${process.arch}.tar.gz`;

export interface PrebuiltServer {
  url: string;
  /** URL path → tarball served there (anything else: 404). */
  files: Map<string, string>;
  requests: string[];
  close(): Promise<void>;
}

/** The loopback stand-in for better-sqlite3's GitHub releases. */
export async function startPrebuiltServer(): Promise<PrebuiltServer> {
  const files = new Map<string, string>();
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    const p = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    requests.push(p);
    const file = files.get(p);
    if (!file) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/gzip' });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    files,
    requests,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

/** `/v<version>/<name>` as prebuild-install asks for it (tag prefix v). */
export const prebuiltPath = (runtime: 'node' | 'electron', abi: number) => `/v${BS3_VERSION}/${prebuiltName(runtime, abi)}`;

const STAND_IN_ELECTRON = (node: string) => `#!${node}
// Stand-in Electron ${ELECTRON_VERSION} (tests/helpers/native-project.ts).
const fs = require('node:fs');
const path = require('node:path');
if (process.argv[2] === '--version') { console.log('v${ELECTRON_VERSION}'); process.exit(0); }
if (process.env.ELECTRON_RUN_AS_NODE !== '1') { console.error('the stand-in Electron only runs as Node'); process.exit(3); }
const file = path.join(process.cwd(), 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
const m = /node_register_module_v(\\d+)/.exec(fs.readFileSync(file, 'latin1'));
const abi = m ? Number(m[1]) : null;
if (abi === ${ELECTRON_ABI}) process.exit(0);
console.error("Error: The module '" + file + "'\\nwas compiled against a different Node.js version using\\nNODE_MODULE_VERSION " + abi + ". This version of Node.js requires\\nNODE_MODULE_VERSION ${ELECTRON_ABI}.");
process.exit(1);
`;

export interface Project {
  root: string;
  moduleDir: string;
  binary: string;
  marker: string;
}

/**
 * A project folder: package.json, the real scripts/ and bin/, a CLI stub in dist/node, and
 * node_modules with better-sqlite3 (a copy, holding `binary` and, if given, a .forge-meta
 * `marker`), links to the real bindings, file-uri-to-path, prebuild-install and electron-builder,
 * and the stand-in electron package.
 */
export function makeProject(root: string, binary: string, marker?: string): Project {
  const nm = path.join(root, 'node_modules');
  fs.mkdirSync(nm, { recursive: true });
  fs.writeFileSync(
    path.join(root, 'package.json'),
    JSON.stringify({
      name: 'powermap-native-test',
      version: '0.0.0',
      private: true,
      dependencies: { 'better-sqlite3': BS3_VERSION },
      devDependencies: { electron: ELECTRON_VERSION },
    }),
  );
  for (const dir of ['scripts', 'bin']) {
    fs.mkdirSync(path.join(root, dir));
    for (const f of fs.readdirSync(path.join(REPO, dir))) fs.copyFileSync(path.join(REPO, dir, f), path.join(root, dir, f));
  }
  // The CLI stand-in opens an in-memory database and prints its arguments.
  fs.mkdirSync(path.join(root, 'dist', 'node'), { recursive: true });
  fs.writeFileSync(
    path.join(root, 'dist', 'node', 'cli.cjs'),
    "const D = require('better-sqlite3'); const db = new D(':memory:'); const v = db.prepare('select sqlite_version() v').get().v; db.close();\n" +
      'console.log(JSON.stringify({ args: process.argv.slice(2), sqlite: v }));\n',
  );
  // better-sqlite3: its package.json, JS and binding.gyp (what @electron/rebuild looks for), no sources.
  const mod = path.join(nm, 'better-sqlite3');
  fs.mkdirSync(path.join(mod, 'build', 'Release'), { recursive: true });
  fs.copyFileSync(path.join(BS3, 'package.json'), path.join(mod, 'package.json'));
  fs.copyFileSync(path.join(BS3, 'binding.gyp'), path.join(mod, 'binding.gyp'));
  fs.cpSync(path.join(BS3, 'lib'), path.join(mod, 'lib'), { recursive: true });
  fs.copyFileSync(binary, path.join(mod, 'build', 'Release', 'better_sqlite3.node'));
  if (marker !== undefined) fs.writeFileSync(path.join(mod, 'build', 'Release', '.forge-meta'), marker);
  for (const name of ['bindings', 'file-uri-to-path', 'prebuild-install', 'electron-builder']) {
    fs.symlinkSync(path.join(REPO, 'node_modules', name), path.join(nm, name), 'dir');
  }
  fs.mkdirSync(path.join(nm, '.bin'));
  fs.symlinkSync('../prebuild-install/bin.js', path.join(nm, '.bin', 'prebuild-install'));
  // The stand-in electron package: its main exports the binary's path, like the real one.
  const electron = path.join(nm, 'electron');
  fs.mkdirSync(path.join(electron, 'dist'), { recursive: true });
  const bin = path.join(electron, 'dist', 'electron');
  fs.writeFileSync(bin, STAND_IN_ELECTRON(process.execPath), { mode: 0o755 });
  fs.writeFileSync(path.join(electron, 'package.json'), JSON.stringify({ name: 'electron', version: ELECTRON_VERSION, main: 'index.js' }));
  fs.writeFileSync(path.join(electron, 'index.js'), `module.exports = ${JSON.stringify(bin)};\n`);
  return {
    root,
    moduleDir: mod,
    binary: path.join(mod, 'build', 'Release', 'better_sqlite3.node'),
    marker: path.join(mod, 'build', 'Release', '.forge-meta'),
  };
}

/** The environment a project's commands run in: prebuilt binaries from `server`, a private npm cache. */
export function projectEnv(project: Project, server: PrebuiltServer): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(env)) if (/^(npm_|VITEST|http_proxy|https_proxy|HTTP_PROXY|HTTPS_PROXY|ELECTRON_)/.test(k)) delete env[k]; // VITEST silences electron-builder's log
  return {
    ...env,
    npm_config_better_sqlite3_binary_host: server.url,
    npm_config_cache: path.join(project.root, '.npm-cache'),
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
  };
}

export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `node file args` in the project. Asynchronous on purpose: the prebuilt server lives in
 * this process, and a synchronous spawn would block it (downloads would time out).
 */
export function runIn(project: Project, server: PrebuiltServer, file: string, args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [file, ...args], { cwd: project.root, env: { ...projectEnv(project, server), ...extraEnv } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}
