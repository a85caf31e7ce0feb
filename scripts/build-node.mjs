// Bundles the Node-side entry points with esbuild: the CLI and the browser build's server
// (dist/node), and the Electron main process and preload (dist/electron). better-sqlite3 and
// electron stay external (native module / provided by the runtime), and so does playwright-core (loaded at run time by the CLI's PDF export).
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
  // @node-rs/argon2 loads a native binary per platform; pg-native is pg's optional libpq binding (unused).
  external: ['electron', 'better-sqlite3', 'playwright-core', '@node-rs/argon2', 'pg-native'],
  define: { __APP_VERSION__: JSON.stringify(pkg.version) },
};

const entries = [
  ['cli/main.ts', 'dist/node/cli.cjs'],
  ['server/web/main.ts', 'dist/node/web.cjs'],
  ['electron/main/main.ts', 'dist/electron/main.cjs'],
  ['electron/preload/preload.ts', 'dist/electron/preload.cjs'],
];

await Promise.all(
  entries.map(([src, out]) => build({ ...common, entryPoints: [path.join(root, src)], outfile: path.join(root, out) })),
);
