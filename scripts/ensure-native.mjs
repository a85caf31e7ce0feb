// Makes sure better-sqlite3's native module is built for the runtime about to use it.
//   node scripts/ensure-native.mjs node      (npm test, npm run web, the CLI)
//   node scripts/ensure-native.mjs electron  (npm start)
// Tests run under Node, the app under Electron's Node: the two ABIs differ, so whichever ran
// last may have left the other's build. We load the module in the target runtime and rebuild
// only when that fails.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const runtime = process.argv[2] ?? 'node';
const probe = "const D=require('better-sqlite3'); new D(':memory:').close();";

function loads(bin, env = {}) {
  const r = spawnSync(bin, ['-e', probe], { env: { ...process.env, ...env }, encoding: 'utf8' });
  return r.status === 0;
}

function run(cmd, args) {
  console.log(`ensure-native: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', shell: process.platform === 'win32' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

if (runtime === 'node') {
  if (!loads(process.execPath)) {
    console.log('ensure-native: better-sqlite3 is not built for this Node; rebuilding (about a minute)…');
    run('npm', ['rebuild', 'better-sqlite3']);
    if (!loads(process.execPath)) {
      console.error('ensure-native: better-sqlite3 still does not load under Node');
      process.exit(1);
    }
  }
} else if (runtime === 'electron') {
  let electronBin;
  try {
    electronBin = require('electron'); // the path to the binary
  } catch {
    electronBin = null;
  }
  if (!electronBin || typeof electronBin !== 'string' || spawnSync(electronBin, ['--version']).status !== 0) {
    console.error(
      'ensure-native: the Electron binary is not installed (was ELECTRON_SKIP_BINARY_DOWNLOAD set?).\n' +
        'Run `node node_modules/electron/install.js` with network access, or use the browser build: `npm run web`.',
    );
    process.exit(1);
  }
  if (!loads(electronBin, { ELECTRON_RUN_AS_NODE: '1' })) {
    console.log('ensure-native: rebuilding better-sqlite3 for Electron…');
    run('npx', ['electron-builder', 'install-app-deps']);
  }
} else {
  console.error(`ensure-native: unknown runtime ${runtime}`);
  process.exit(2);
}
