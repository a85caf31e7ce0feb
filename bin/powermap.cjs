#!/usr/bin/env node
// The `powermap` command (package.json "bin"): runs the bundled CLI built by `npm run build:node`.
const path = require('node:path');
const fs = require('node:fs');
const cli = path.join(__dirname, '..', 'dist', 'node', 'cli.cjs');
if (!fs.existsSync(cli)) {
  process.stderr.write('powermap: the CLI is not built yet; run `npm run build:node` first\n');
  process.exit(1);
}
require(cli);
