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
    settings: { 'import/resolver': { node: { extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs'] } } },
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'import/no-restricted-paths': [
        'error',
        {
          zones: [
            { target: './renderer', from: './electron', message: 'The renderer talks to the main side only through the API client.' },
            { target: './shared', from: './electron', message: 'shared/ is used by both sides and imports neither.' },
            { target: './shared', from: './renderer', message: 'shared/ is used by both sides and imports neither.' },
            { target: './electron', from: './renderer', message: 'The main side does not import the renderer.' },
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
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
