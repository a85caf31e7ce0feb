import { defineConfig } from 'vitest/config';

// PostgreSQL for the team-server tests: POWERMAP_TEST_PG, or a private cluster started on first
// use and stopped at the end of the run (tests/setup/postgres.ts, tests/helpers/pg.ts).
const globalSetup = ['tests/setup/postgres.ts'];

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          environment: 'node',
          pool: 'forks',
          globalSetup,
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          pool: 'forks',
          globalSetup,
          // One browser at a time: the machines have two cores.
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
