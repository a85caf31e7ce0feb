/**
 * vitest globalSetup: the PostgreSQL the tests use. With POWERMAP_TEST_PG set (a postgres:// URL
 * of a server where the tests may create and drop databases) that server is used as it is.
 * Otherwise a private cluster is started the first time a test file asks for a database
 * (tests/helpers/pg.ts), so test runs that need none pay nothing, and it is stopped and removed
 * here at the end of the run. Clusters left behind by killed runs are swept first.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { destroyClusterAt, sweepStaleClusters } from '../helpers/pg-cluster';

declare module 'vitest' {
  export interface ProvidedContext {
    /** POWERMAP_TEST_PG, or '' when the tests start their own cluster. */
    pgUrl: string;
    /** The folder where the lazily started shared cluster is announced (lock, cluster.json). */
    pgHome: string;
  }
}

// Both projects (unit, e2e) list this setup; the first one in this process makes the home.
let home: string | null = null;
let users = 0;

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const external = process.env.POWERMAP_TEST_PG ?? '';
  if (!external && home === null) {
    await sweepStaleClusters().catch(() => 0);
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'powermap-pghome-'));
    fs.writeFileSync(path.join(home, 'owner'), String(process.pid));
  }
  users++;
  project.provide('pgUrl', external);
  project.provide('pgHome', home ?? '');
  return async () => {
    if (--users > 0 || home === null) return;
    const h = home;
    home = null;
    try {
      const info = path.join(h, 'cluster.json');
      if (fs.existsSync(info)) await destroyClusterAt((JSON.parse(fs.readFileSync(info, 'utf8')) as { dir: string }).dir);
    } finally {
      fs.rmSync(h, { recursive: true, force: true });
    }
  };
}
