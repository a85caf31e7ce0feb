#!/usr/bin/env node
// The `powermap` command (package.json "bin"): runs the bundled CLI built by `npm run build:node`.
// better-sqlite3 must be the Node build; after `npm start` it is Electron's. Then this rebuilds it
// for Node (scripts/ensure-native.mjs, its output on stderr so stdout stays the command's) and
// runs the command again in a fresh process; if it still does not load, it says so and stops.
const { spawnSync } = require('node:child_process');
const path = require('node:path');
const fs = require('node:fs');

const root = path.join(__dirname, '..');
const cli = path.join(root, 'dist', 'node', 'cli.cjs');
const ensure = path.join(root, 'scripts', 'ensure-native.mjs');
const say = (line) => process.stderr.write(`powermap: ${line}\n`);

if (!fs.existsSync(cli)) {
  say('the CLI is not built yet; run `npm run build:node` first');
  process.exit(1);
}

/** null when better-sqlite3 loads in this Node, else the loader's message. */
function nativeProblem() {
  try {
    const Database = require('better-sqlite3');
    new Database(':memory:').close();
    return null;
  } catch (e) {
    return String((e && e.message) || e).split('\n').filter(Boolean).join(' ');
  }
}

const problem = nativeProblem();
if (problem) {
  if (process.env.POWERMAP_NATIVE_REBUILT || !fs.existsSync(ensure)) {
    say(`better-sqlite3 does not load under Node ${process.version}: ${problem}`);
    say('run `npm rebuild better-sqlite3` (README → Troubleshooting)');
    process.exit(1);
  }
  say(`better-sqlite3 is not built for Node ${process.version} (after \`npm start\` it is Electron's); rebuilding it…`);
  const rebuilt = spawnSync(process.execPath, [ensure, 'node'], { cwd: root, stdio: ['ignore', 2, 2] });
  if (rebuilt.status !== 0) process.exit(rebuilt.status || 1);
  const again = spawnSync(process.execPath, [__filename, ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, POWERMAP_NATIVE_REBUILT: '1' },
  });
  process.exit(again.status === null ? 1 : again.status);
}
require(cli);
