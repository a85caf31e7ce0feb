// Lint with zero warnings. The process boundaries are enforced here, not by memory:
// renderer/ never imports electron/ or Node; shared/ imports neither side.
import js from '@eslint/js';
import importPlugin from 'eslint-plugin-import';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const NODE_ONLY = ['node:*', 'fs', 'path', 'os', 'child_process', 'crypto', 'http', 'electron', 'better-sqlite3'];

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'coverage/**', 'docs/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { import: importPlugin },
    settings: {
      'import/resolver': { node: { extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs'] } },
      // So import/no-cycle follows TypeScript files (it reads only these extensions, with this parser).
      'import/extensions': ['.ts', '.tsx', '.js', '.mjs', '.cjs'],
      'import/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
    },
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // No import circle anywhere in the app's code (issue 16: handlers → render → server → handlers was one).
      'import/no-cycle': ['error', { ignoreExternal: true }],
      'import/no-restricted-paths': [
        'error',
        {
          zones: [
            ...['./electron', './services', './storage', './server', './cli'].flatMap((from) => [
              { target: './renderer', from, message: 'The renderer talks to the main side only through the API client.' },
              { target: './shared', from, message: 'shared/ is used by both sides and imports neither.' },
            ]),
            { target: './shared', from: './renderer', message: 'shared/ is used by both sides and imports neither.' },
            ...['./electron', './services', './storage', './server', './cli'].map((target) => ({
              target,
              from: './renderer',
              message: 'The main side does not import the renderer.',
            })),
            // Only the desktop shell knows Electron: services, storage, servers and the CLI run under plain Node.
            ...['./services', './storage', './server', './cli'].map((target) => ({
              target,
              from: './electron',
              message: 'services/, storage/, server/ and cli/ run without Electron and never import the desktop shell.',
            })),
            // Storage is reached through the services; it never calls up into them, the servers or the CLI.
            ...['./services', './server', './cli'].map((from) => ({
              target: './storage',
              from,
              message: 'storage/ is the bottom layer: it imports shared/ only.',
            })),
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}', 'shared/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: NODE_ONLY, message: 'renderer/ and shared/ run in the browser: no Node or Electron imports.' }] },
      ],
    },
  },
  {
    // One door to a map's storage (storage/types.ts): SQL and database handles live in storage/ only.
    files: ['services/**/*.ts', 'server/**/*.ts', 'cli/**/*.ts', 'electron/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'better-sqlite3', message: 'Reach a map through the store interface (storage/types.ts); SQL lives in storage/.' }],
          patterns: [{ group: ['pg', 'pg/*'], message: 'Reach a map through the store interface (storage/types.ts); SQL lives in storage/.' }],
        },
      ],
    },
  },
  {
    // Every line the CLI prints goes through ctx.out/ctx.err, which cli/run.ts escapes for the terminal.
    files: ['cli/**/*.ts'],
    ignores: ['cli/run.ts', 'cli/main.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        ...['stdout', 'stderr'].map((property) => ({
          object: 'process',
          property,
          message: 'Print through ctx.out / ctx.err: cli/run.ts escapes control characters from map data (cli/terminal.ts).',
        })),
        { object: 'console', message: 'Print through ctx.out / ctx.err: cli/run.ts escapes control characters from map data (cli/terminal.ts).' },
      ],
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
