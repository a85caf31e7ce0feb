/**
 * package.json "engines" says which Node PowerMap supports, and says it honestly: every installed
 * package that states its own Node range accepts all of ours, except the few listed below, which
 * ask for Node 22 but run on 20.19+ (checked, not assumed). The Node running the tests is in it.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const REPO = path.resolve(__dirname, '..', '..');
const semver = createRequire(import.meta.url)('semver') as {
  subset(sub: string, sup: string): boolean;
  satisfies(version: string, range: string): boolean;
};
const ours: string = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')).engines.node;

/**
 * Declared Node >= 22.12 (ESM-only, loaded by electron-builder through require(), which Node
 * 22.12 and 20.19 both allow). They run on Node 20.20 in tests/unit/electron-native.test.ts:
 * `electron-builder install-app-deps` → @electron/rebuild → node-abi → prebuild-install, for real.
 * npm prints EBADENGINE warnings for them on Node 20; README → Requirements says so.
 */
const RUN_ON_20_BUT_ASK_FOR_22: Record<string, string> = {
  '@electron/rebuild': '>=22.12.0',
  'node-abi': '>=22.12.0',
  // The team server's cookie parsing (@fastify/cookie, fastify's light-my-request) and file
  // downloads (@fastify/static): plain CommonJS that runs on 20.20 in the team-server tests
  // (tests/unit/team-auth.test.ts signs in with cookies; tests/e2e/team-server.test.ts serves
  // the renderer's files).
  cookie: '>=22',
  'content-disposition': '>=22',
};

function installed(): { name: string; version: string; node: string; where: string }[] {
  const found: { name: string; version: string; node: string; where: string }[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir)) {
      if (entry.startsWith('.')) continue;
      const p = path.join(dir, entry);
      if (entry.startsWith('@')) {
        walk(p);
        continue;
      }
      const pj = path.join(p, 'package.json');
      if (fs.existsSync(pj)) {
        const j = JSON.parse(fs.readFileSync(pj, 'utf8'));
        if (typeof j.engines?.node === 'string') found.push({ name: j.name, version: j.version, node: j.engines.node, where: path.relative(REPO, p) });
      }
      if (fs.existsSync(path.join(p, 'node_modules'))) walk(path.join(p, 'node_modules'));
    }
  };
  walk(path.join(REPO, 'node_modules'));
  return found;
}

describe('the supported Node versions (package.json engines)', () => {
  it('include the Node running this', () => {
    expect(semver.satisfies(process.versions.node, ours), `${process.version} vs ${ours}`).toBe(true);
  });

  it('are accepted by every installed package that states a Node range, but the few that ask for 22 and run on 20', () => {
    const all = installed();
    expect(all.length).toBeGreaterThan(50);
    const refusing = all.filter((p) => !semver.subset(ours, p.node));
    expect(refusing.map((p) => `${p.where}@${p.version}: ${p.node}`).filter((p) => !Object.keys(RUN_ON_20_BUT_ASK_FOR_22).some((n) => p.startsWith(`node_modules/${n}@`)))).toEqual([]);
    // The exceptions are still needed and still ask for no more than 22.
    for (const [name, range] of Object.entries(RUN_ON_20_BUT_ASK_FOR_22)) {
      const p = all.find((x) => x.where === `node_modules/${name}`)!;
      expect(p.node, name).toBe(range);
      expect(semver.subset(ours, p.node), name).toBe(false);
      expect(semver.subset(ours.replace(/^\^20\.19\.0 \|\| /, ''), p.node), `${name} accepts the rest of our range`).toBe(true);
    }
  });
});
