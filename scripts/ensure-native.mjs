// Makes sure better-sqlite3's native module is built for the runtime about to use it.
//   node scripts/ensure-native.mjs node      npm test, npm run web, npm run bench, bin/powermap.cjs
//   node scripts/ensure-native.mjs electron  npm start
//   node scripts/ensure-native.mjs package   npm run dist (before electron-builder rebuilds it)
// Node and Electron need different builds (different NODE_MODULE_VERSION), and whichever ran last
// left its own. The module is loaded in the target runtime; only when that fails is it rebuilt,
// after clearing @electron/rebuild's marker (scripts/native.mjs says why), and then loaded again:
// if it still does not load, this fails loudly instead of letting the app open a window whose
// every map fails.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { clearMarker, MODULE, moduleDir } from './native.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const require = createRequire(path.join(root, 'package.json'));
const target = process.argv[2] ?? 'node';
const PROBE = `const D=require(${JSON.stringify(MODULE)}); new D(':memory:').close();`;

const log = (msg) => console.log(`ensure-native: ${msg}`);

function fail(lines) {
  console.error(['', ...lines.map((l) => `ensure-native: ${l}`), ''].join('\n'));
  process.exit(1);
}

/** Loads the module in `bin`; { ok } or { ok: false, reason } with the loader's own words. */
function probe(bin, env = {}) {
  const r = spawnSync(bin, ['-e', PROBE], { cwd: root, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 60_000 });
  if (r.status === 0) return { ok: true };
  // The loader's error: from its "Error" line to the stack (Node splits the message over lines).
  const lines = `${r.stderr ?? ''}\n${r.stdout ?? ''}`.split('\n').map((l) => l.trim());
  const start = lines.findIndex((l) => /Error\b/.test(l));
  const block = [];
  for (let i = Math.max(start, 0); i < lines.length && start >= 0; i++) {
    if (/^(at |code:|\{|\}|Node\.js v)/.test(lines[i]) || (block.length && !lines[i])) break;
    if (lines[i]) block.push(lines[i]);
  }
  const text = block.join(' ').replace(/^.*?Error: /, '');
  const reason = (text.length > 400 ? `${text.slice(0, 400)}…` : text) || (r.error ? r.error.message : `exit ${r.status ?? r.signal}`);
  return { ok: false, reason };
}

function run(cmd, args) {
  log(`${path.basename(cmd)} ${args.map((a) => (a.includes(root) ? path.relative(root, a) : a)).join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' && cmd === 'npm' });
  return r.status === 0;
}

const dir = moduleDir(root);
const TOOLCHAIN =
  'Building it from source needs Python 3 and a C++ toolchain (Linux: build-essential; macOS: Xcode command line tools; ' +
  'Windows: Visual Studio Build Tools with "Desktop development with C++"). See README → Requirements.';

/** Clears the marker before a rebuild and says so: the next rebuild must not be skipped. */
function clearBeforeRebuild() {
  const was = clearMarker(dir);
  if (was !== null) log(`cleared @electron/rebuild's marker (${was}) so the rebuild is not skipped`);
}

if (target === 'node') {
  const first = probe(process.execPath);
  if (first.ok) {
    // A build that loads in Node is a Node build: a marker naming an Electron ABI is stale.
    const was = clearMarker(dir);
    if (was !== null) log(`removed a stale @electron/rebuild marker (${was}) from the Node build`);
  } else {
    log(`${MODULE} does not load under Node ${process.version} (${first.reason}); rebuilding it for Node…`);
    clearBeforeRebuild();
    const built = run('npm', ['rebuild', MODULE]);
    const again = probe(process.execPath);
    if (!again.ok) {
      fail([
        `${MODULE} still does not load under Node ${process.version} after ${built ? 'the rebuild' : 'a failed rebuild'}:`,
        `  ${again.reason}`,
        TOOLCHAIN,
      ]);
    }
    log(`${MODULE} rebuilt for Node ${process.version} and loads`);
  }
} else if (target === 'electron') {
  let electronBin = null;
  try {
    electronBin = require('electron'); // the npm package exports the binary's path
  } catch {
    electronBin = null;
  }
  if (typeof electronBin !== 'string' || spawnSync(electronBin, ['--version'], { timeout: 60_000 }).status !== 0) {
    fail([
      'the Electron binary is not installed (was ELECTRON_SKIP_BINARY_DOWNLOAD set?).',
      'Run `node node_modules/electron/install.js` with network access, or use the browser build: `npm run web`.',
    ]);
  }
  const env = { ELECTRON_RUN_AS_NODE: '1' };
  const first = probe(electronBin, env);
  if (!first.ok) {
    log(`${MODULE} does not load under Electron (${first.reason}); rebuilding it for Electron…`);
    clearBeforeRebuild();
    const built = run(process.execPath, [require.resolve('electron-builder/cli.js'), 'install-app-deps']);
    const again = probe(electronBin, env);
    if (!again.ok) {
      fail([
        `${MODULE} still does not load under Electron after ${built ? 'the rebuild' : 'a failed rebuild'}:`,
        `  ${again.reason}`,
        'Rebuilding for Electron downloads a prebuilt binary or Electron\'s headers (network access needed).',
        TOOLCHAIN,
      ]);
    }
    log(`${MODULE} rebuilt for Electron and loads`);
  }
} else if (target === 'package') {
  // electron-builder rebuilds for the Electron it packages (npmRebuild); without the marker it
  // cannot skip that. scripts/after-pack.mjs then checks what was packaged.
  clearBeforeRebuild();
} else {
  console.error(`ensure-native: unknown target ${target} (node, electron or package)`);
  process.exit(2);
}
