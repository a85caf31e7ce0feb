/**
 * Switching better-sqlite3 between Node and Electron (scripts/ensure-native.mjs, bin/powermap.cjs,
 * scripts/after-pack.mjs), run for real in a throw-away project (tests/helpers/native-project.ts):
 * the real npm rebuild, prebuild-install, electron-builder install-app-deps and @electron/rebuild,
 * with a stand-in Electron and stand-in prebuilt downloads (no Electron or GitHub here).
 *
 * The trap: @electron/rebuild skips a module whose build/Release/.forge-meta already names the
 * target ("linux--x64--145"), and `npm rebuild` leaves that file behind when it puts a Node build
 * in place. So `npm start`, `npm test`, `npm start` again opened the app with the Node build.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtAbi, checkPackagedNative, clearMarker, electronAbi, readMarker } from '../../scripts/native.mjs';
import {
  compileElectronBuild,
  ELECTRON_ABI,
  ELECTRON_VERSION,
  makeProject,
  NODE_ABI,
  NODE_BUILD,
  prebuiltPath,
  prebuiltTarball,
  REPO,
  projectEnv,
  runIn,
  startPrebuiltServer,
  type PrebuiltServer,
  type Project,
} from '../helpers/native-project';
import { sha256, useTmpDir } from '../helpers/tmp';

const tmp = useTmpDir();
const ELECTRON_MARKER = `${process.platform}--${process.arch}--${ELECTRON_ABI}`;

let fixtures: string;
let electronBuild: string;
let server: PrebuiltServer;
let tarballs: { node: string; electron: string };

beforeAll(async () => {
  fixtures = fs.mkdtempSync(path.join(fs.realpathSync(os.tmpdir()), 'powermap-native-'));
  electronBuild = compileElectronBuild(fixtures);
  tarballs = { node: prebuiltTarball(fixtures, 'node', NODE_BUILD), electron: prebuiltTarball(fixtures, 'electron', electronBuild) };
  server = await startPrebuiltServer();
});
afterAll(async () => {
  await server?.close();
  fs.rmSync(fixtures, { recursive: true, force: true });
});

/** The downloads as they are on GitHub: each runtime's own build. */
function serveHonestPrebuilts() {
  server.files.clear();
  server.files.set(prebuiltPath('node', NODE_ABI), tarballs.node);
  server.files.set(prebuiltPath('electron', ELECTRON_ABI), tarballs.electron);
  server.requests.length = 0;
}

const ensure = (p: Project, target: string) => runIn(p, server, path.join(p.root, 'scripts', 'ensure-native.mjs'), [target]);
const out = (r: { stdout: string; stderr: string }) => `${r.stdout}\n${r.stderr}`;
/** Does real Node load the project's better-sqlite3? */
const nodeLoads = (p: Project) =>
  spawnSync(process.execPath, ['-e', "const D=require('better-sqlite3'); new D(':memory:').close()"], { cwd: p.root, encoding: 'utf8' });

describe('the stand-ins', () => {
  it('have the ABIs of the real thing: Node refuses the Electron build with its own message; node-abi agrees on 145', async () => {
    expect(await electronAbi(ELECTRON_VERSION)).toBe(ELECTRON_ABI);
    expect(builtAbi(NODE_BUILD)).toBe(NODE_ABI);
    expect(builtAbi(electronBuild)).toBe(ELECTRON_ABI);
    const p = makeProject(tmp(), electronBuild);
    const r = nodeLoads(p);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(new RegExp(`NODE_MODULE_VERSION ${ELECTRON_ABI}\\. This version of Node\\.js requires\\s+NODE_MODULE_VERSION ${NODE_ABI}`));
  });
});

describe('@electron/rebuild’s marker, reproduced', () => {
  it('a Node build with the marker `npm start` left is skipped by electron-builder install-app-deps: the app would get the Node build', async () => {
    serveHonestPrebuilts();
    // npm start (marker written), then npm test put a Node build back and left the marker.
    const p = makeProject(tmp(), NODE_BUILD, ELECTRON_MARKER);
    const before = sha256(p.binary);
    const r = await runIn(p, server, path.join(REPO, 'node_modules', 'electron-builder', 'cli.js'), ['install-app-deps']);
    expect(r.status, out(r)).toBe(0);
    expect(out(r)).toContain('completed installing native dependencies'); // it says it is done…
    expect(sha256(p.binary)).toBe(before); // …and did nothing: still the Node build
    expect(builtAbi(p.binary)).toBe(NODE_ABI);
    expect(server.requests).toEqual([]);
  });
});

describe('scripts/ensure-native.mjs', () => {
  it('npm start → npm test → npm start: each switch rebuilds for its runtime, and the module loads there', async () => {
    serveHonestPrebuilts();
    const p = makeProject(tmp(), NODE_BUILD);

    // npm start: the Node build does not load in Electron → rebuilt for Electron.
    let r = await ensure(p, 'electron');
    expect(r.status, out(r)).toBe(0);
    expect(out(r)).toMatch(/does not load under Electron \(.*NODE_MODULE_VERSION/);
    expect(out(r)).toContain('rebuilt for Electron and loads');
    expect(builtAbi(p.binary)).toBe(ELECTRON_ABI);
    expect(readMarker(p.moduleDir)).toBe(ELECTRON_MARKER); // @electron/rebuild wrote it
    expect(server.requests).toEqual([prebuiltPath('electron', ELECTRON_ABI)]);

    // npm test: rebuilt for Node, the marker cleared with it.
    r = await ensure(p, 'node');
    expect(r.status, out(r)).toBe(0);
    expect(out(r)).toMatch(new RegExp(`does not load under Node v[\\d.]+ \\(.*NODE_MODULE_VERSION ${ELECTRON_ABI}`));
    expect(out(r)).toContain(`cleared @electron/rebuild's marker (${ELECTRON_MARKER})`);
    expect(builtAbi(p.binary)).toBe(NODE_ABI);
    expect(nodeLoads(p).status).toBe(0);
    expect(readMarker(p.moduleDir)).toBeNull();

    // npm start again: not skipped.
    r = await ensure(p, 'electron');
    expect(r.status, out(r)).toBe(0);
    expect(out(r)).toContain('rebuilt for Electron and loads');
    expect(builtAbi(p.binary)).toBe(ELECTRON_ABI); // (from prebuild-install's cache this time)

    // Nothing to do when the build already fits: no rebuild, no download.
    const n = server.requests.length;
    r = await ensure(p, 'electron');
    expect(r.status, out(r)).toBe(0);
    expect(out(r).trim()).toBe('');
    expect(server.requests).toHaveLength(n);
  });

  it('npm start after a rebuild that left the marker: clears it and rebuilds instead of skipping', async () => {
    serveHonestPrebuilts();
    const p = makeProject(tmp(), NODE_BUILD, ELECTRON_MARKER);
    const r = await ensure(p, 'electron');
    expect(r.status, out(r)).toBe(0);
    expect(out(r)).toContain(`cleared @electron/rebuild's marker (${ELECTRON_MARKER}) so the rebuild is not skipped`);
    expect(builtAbi(p.binary)).toBe(ELECTRON_ABI);
  });

  it('removes a stale marker from a Node build that loads (nothing to rebuild, but the next Electron rebuild must not skip)', async () => {
    serveHonestPrebuilts();
    const p = makeProject(tmp(), NODE_BUILD, ELECTRON_MARKER);
    const r = await ensure(p, 'node');
    expect(r.status, out(r)).toBe(0);
    expect(out(r)).toContain('removed a stale @electron/rebuild marker');
    expect(readMarker(p.moduleDir)).toBeNull();
    expect(server.requests).toEqual([]);
  });

  it('fails loudly when the module still does not load in Node after the rebuild', async () => {
    serveHonestPrebuilts();
    // A download that is not what it claims: the rebuild "succeeds", the load does not.
    server.files.set(prebuiltPath('node', NODE_ABI), tarballs.electron);
    const p = makeProject(tmp(), electronBuild, ELECTRON_MARKER);
    const r = await ensure(p, 'node');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('better-sqlite3 still does not load under Node');
    expect(r.stderr).toContain('NODE_MODULE_VERSION 145');
    expect(r.stderr).toContain('C++ toolchain');
  });

  it('fails loudly when the module still does not load in Electron after the rebuild', async () => {
    serveHonestPrebuilts();
    server.files.set(prebuiltPath('electron', ELECTRON_ABI), tarballs.node);
    const p = makeProject(tmp(), NODE_BUILD);
    const r = await ensure(p, 'electron');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('better-sqlite3 still does not load under Electron');
    expect(r.stderr).toContain(`NODE_MODULE_VERSION ${NODE_ABI}`);
  });

  it('fails loudly, with what to do, when there is no Electron binary', async () => {
    serveHonestPrebuilts();
    const p = makeProject(tmp(), NODE_BUILD);
    fs.rmSync(path.join(p.root, 'node_modules', 'electron', 'dist', 'electron'));
    const r = await ensure(p, 'electron');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('the Electron binary is not installed');
    expect(r.stderr).toContain('npm run web');
  });

  it('before packaging (npm run dist): clears the marker so electron-builder rebuilds for the Electron it ships', async () => {
    const p = makeProject(tmp(), electronBuild, ELECTRON_MARKER);
    const r = await ensure(p, 'package');
    expect(r.status, out(r)).toBe(0);
    expect(readMarker(p.moduleDir)).toBeNull();
    expect(clearMarker(p.moduleDir)).toBeNull();
  });

  it('is what the package.json scripts run before each runtime', async () => {
    const { scripts } = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
    expect(scripts.start).toMatch(/^node scripts\/ensure-native\.mjs electron && /);
    expect(scripts.dist).toMatch(/^node scripts\/ensure-native\.mjs package && /);
    for (const s of ['test', 'web', 'bench']) expect(scripts[s]).toMatch(/^node scripts\/ensure-native\.mjs node && /);
  });
});

describe('bin/powermap.cjs', () => {
  it('after npm start: rebuilds for Node (its talk on stderr), then runs the command with stdout untouched', async () => {
    serveHonestPrebuilts();
    const p = makeProject(tmp(), electronBuild, ELECTRON_MARKER);
    const bin = path.join(p.root, 'bin', 'powermap.cjs');
    let r = await runIn(p, server, bin, ['info', 'x.powermap', '--json']);
    expect(r.status, out(r)).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ args: ['info', 'x.powermap', '--json'], sqlite: expect.stringMatching(/^3\./) });
    expect(r.stderr).toContain('powermap: better-sqlite3 is not built for Node');
    expect(builtAbi(p.binary)).toBe(NODE_ABI);
    expect(readMarker(p.moduleDir)).toBeNull();
    // Next time: straight to the command.
    r = await runIn(p, server, bin, ['info']);
    expect(r.status, out(r)).toBe(0);
    expect(r.stderr).toBe('');
  });

  it('stops with one clear line when the rebuild does not help', async () => {
    serveHonestPrebuilts();
    server.files.set(prebuiltPath('node', NODE_ABI), tarballs.electron);
    const p = makeProject(tmp(), electronBuild);
    const r = await runIn(p, server, path.join(p.root, 'bin', 'powermap.cjs'), ['info']);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('still does not load under Node');
  });

  it('without the scripts (an installed copy): says what is wrong and how to fix it', async () => {
    const p = makeProject(tmp(), electronBuild);
    fs.rmSync(path.join(p.root, 'scripts'), { recursive: true });
    const r = spawnSync(process.execPath, [path.join(p.root, 'bin', 'powermap.cjs'), 'info'], { cwd: p.root, encoding: 'utf8', env: projectEnv(p, server) });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^powermap: better-sqlite3 does not load under Node v[\d.]+: .*NODE_MODULE_VERSION 145/);
    expect(r.stderr).toContain('npm rebuild better-sqlite3');
  });
});

describe('scripts/after-pack.mjs (the packaged module must match the packaged Electron)', () => {
  it('refuses a package holding the Node build and accepts the Electron build', async () => {
    const nodeApp = makeProject(tmp(), NODE_BUILD);
    await expect(checkPackagedNative({ appOutDir: nodeApp.moduleDir, electronVersion: ELECTRON_VERSION })).rejects.toThrow(
      new RegExp(`built for NODE_MODULE_VERSION ${NODE_ABI}, but Electron ${ELECTRON_VERSION.replace(/\./g, '\\.')} needs ${ELECTRON_ABI}`),
    );
    const electronApp = makeProject(tmp(), electronBuild);
    await expect(checkPackagedNative({ appOutDir: electronApp.moduleDir, electronVersion: ELECTRON_VERSION })).resolves.toHaveLength(1);
    await expect(checkPackagedNative({ appOutDir: path.join(electronApp.root, 'bin'), electronVersion: ELECTRON_VERSION })).rejects.toThrow(/no better_sqlite3\.node/);
  });
});
