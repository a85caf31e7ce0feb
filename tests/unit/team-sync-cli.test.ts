/**
 * The team from a terminal (issue 19 item 5) and the manager's portfolio (item 4), running the
 * built CLI (`node bin/powermap.cjs`, needs `npm run build:node`) against a real team server on
 * a real PostgreSQL: login keeps a 0600 token, publish, fetch, sync with conflicts printed and
 * chosen by flag, logout revokes; the portfolio of maps built to trip each review flag, each row
 * checked against `powermap analyze --json` on the same map file; the faults said in one line.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PortfolioRow } from '../../shared/api/team-sync';
import { addUser } from '../../server/team/accounts';
import { createMapFile, openMapFile } from '../../services/map/files';
import * as rules from '../../services/map/rules';
import { PgMapStore } from '../../storage/postgres/map-store';
import { build, type MapBuilder } from '../helpers/analysis-maps';
import { useTestDatabase } from '../helpers/pg';
import { runCli, startTeamInProcess, type InProcessServer } from '../helpers/team';
import { sha256, useTmpDir } from '../helpers/tmp';

const db = useTestDatabase();
const tmp = useTmpDir();
let srv: InProcessServer;
const PW = 'correct horse battery staple 42';
let config = '';
let work = '';
const ids: Record<string, string> = {};

const cli = (args: string[], opts: { password?: string; input?: string; configDir?: string } = {}) =>
  runCli(args, { env: { POWERMAP_CONFIG_DIR: opts.configDir ?? config, POWERMAP_PASSWORD: opts.password ?? '' }, input: opts.input, timeoutMs: 60_000 });

beforeAll(async () => {
  if (!fs.existsSync(path.join(__dirname, '..', '..', 'dist', 'node', 'cli.cjs'))) throw new Error('run npm run build:node first');
  srv = await startTeamInProcess(db.url);
  for (const [k, name] of [['ann', 'Ann Rep'], ['bob', 'Bob Engineer']] as const)
    ids[k] = (await addUser(srv.pool, { email: `${k}@example.invalid`, name, password: PW })).userId;
}, 120_000);
afterAll(async () => {
  await srv?.close();
});

async function mapFile(name: string, meta: { account: string; deal: string; stage?: 'tender' | 'need' }, b: MapBuilder): Promise<string> {
  work = tmp();
  const file = path.join(work, `${name}.powermap`);
  const s = await createMapFile(file, { account: meta.account, deal: meta.deal, stage: meta.stage ?? 'tender', posture: 'preferred' });
  const m = b.map();
  await rules.loadMap(s, { people: [...m.people], relations: [...m.relations], team: [...m.team], coverage: [...m.coverage] });
  await s.close();
  return file;
}

/** A healthy deal: a supporting coach, a champion decision maker covered by two of ours, high influence covered. */
const healthy = () =>
  build()
    .member('m1', 'Rep Chen')
    .member('m2', 'Rep Du')
    .person('dm', { name: 'Hu Wenjie', roles: ['decision-maker'], influence: 'high', attitude: 'champion' })
    .person('co', { name: 'Lan Qiuyue', roles: ['coach'], influence: 'medium', attitude: 'supporter' })
    .rel('reports_to', 'co', 'dm')
    .rel('influence', 'co', 'dm', 3)
    .cover('m1', 'dm', 3)
    .cover('m2', 'dm', 3)
    .cover('m1', 'co', 3)
    .cover('m2', 'co', 2);

describe('login and the maps from a terminal', () => {
  it('login keeps a token only the user can read; publish, fetch, sync with a conflict chosen by flag; logout revokes it', async () => {
    config = path.join(tmp(), 'config');
    // A wrong password: one line, nothing kept.
    const bad = await cli(['login', '--server', srv.url, '--email', 'ann@example.invalid'], { password: 'wrong password 123' });
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(fs.existsSync(path.join(config, 'team.json'))).toBe(false);
    // The password from standard input.
    const ok = await cli(['login', '--server', srv.url, '--email', 'ann@example.invalid'], { input: `${PW}\n` });
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    const tokenFile = path.join(config, 'team.json');
    expect(fs.statSync(tokenFile).mode & 0o777).toBe(0o600);
    const login = JSON.parse(fs.readFileSync(tokenFile, 'utf8')) as { token: string; tokenId: string };
    expect(login.token).toMatch(/^pmat_/);
    expect(ok.stdout).not.toContain(login.token);

    const file = await mapFile('cli-deal', { account: 'Fictional Port Authority', deal: 'Harbour data platform' }, healthy());
    const pub = await cli(['publish', file]);
    expect(pub.stderr).toBe('');
    const mapId = /\(([0-9a-f-]{36})\)/.exec(pub.stdout)![1]!;
    expect(pub.stdout).toMatch(/You own it/);
    const twice = await cli(['publish', file]);
    expect(twice.code).toBe(3);
    expect(twice.stderr).toMatch(/published before/);
    expect(twice.stderr).toContain(mapId);

    const offline = path.join(tmp(), 'offline.powermap');
    const f = await cli(['fetch', 'cli-deal', '-o', offline]);
    expect(f.stderr).toBe('');
    expect(f.code).toBe(0);
    // Offline: the coach's title; online (Bob, an editor), the same field.
    let s = await openMapFile(offline);
    await rules.updatePerson(s, 'co', { title: 'CIO (acting)' });
    await s.close();
    const orgId = (await srv.pool.query<{ org_id: string }>('SELECT org_id FROM maps WHERE map_id = $1', [mapId])).rows[0]!.org_id;
    await srv.pool.query("INSERT INTO map_shares (org_id, map_id, user_id, role, granted_by) VALUES ($1, $2, $3, 'editor', $4)", [orgId, mapId, ids.bob, ids.ann]);
    const bob = new PgMapStore({ pool: srv.pool, orgId, mapId, userId: ids.bob!, name: 'x' });
    await rules.updatePerson(bob, 'co', { title: 'Chief information officer' });

    const before = sha256(offline);
    const c = await cli(['sync', offline]);
    expect(c.code).toBe(3);
    expect(c.stderr).toMatch(/1 conflicting change/);
    expect(c.stderr).toContain('"CIO (acting)"');
    expect(c.stderr).toContain('"Chief information officer"');
    expect(c.stderr).toContain('Bob Engineer');
    expect(sha256(offline)).toBe(before); // nothing local touched
    const m = await cli(['sync', offline, '--mine']);
    expect(m.stderr).toBe('');
    expect(m.code).toBe(0);
    expect((await bob.row('person', { id: 'co' }))!.title).toBe('CIO (acting)');
    s = await openMapFile(offline);
    expect((await s.origin!()).team!.rev).toBe(await bob.rev());
    await s.close();

    const out = await cli(['logout']);
    expect(out.code).toBe(0);
    expect(fs.existsSync(tokenFile)).toBe(false);
    const res = await fetch(new URL('/api/maps.list', srv.url), { method: 'POST', headers: { authorization: `Bearer ${login.token}`, 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(401); // revoked on the server
    const after = await cli(['portfolio']);
    expect(after.code).toBe(1);
    expect(after.stderr).toMatch(/run powermap login --server URL --email E first/);
  }, 180_000);

  it('a server that is down, one that is not PowerMap, an expired token: one clear line, nothing local touched', async () => {
    const dir = path.join(tmp(), 'cfg');
    fs.mkdirSync(dir);
    const file = await mapFile('faults', { account: 'Fictional Mill', deal: 'Line 3' }, healthy());
    const hash = sha256(file);
    // Down: a port nobody listens on.
    fs.writeFileSync(path.join(dir, 'team.json'), JSON.stringify({ server: 'http://127.0.0.1:9', email: 'x', token: 'pmat_x', tokenId: '00000000-0000-0000-0000-000000000000' }));
    const down = await cli(['publish', file], { configDir: dir });
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/^powermap publish: The team server at http:\/\/127\.0\.0\.1:9 did not answer/);
    expect(sha256(file)).toBe(hash);
    // Not PowerMap: the team server's static page server answers, but not /api as an ApiResult… use the health URL's host with a wrong path.
    const other = await import('node:http');
    const s = other.createServer((_q, r) => r.writeHead(502, { 'content-type': 'text/html' }).end('<h1>Bad gateway</h1>'));
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
    fs.writeFileSync(path.join(dir, 'team.json'), JSON.stringify({ server: `http://127.0.0.1:${(s.address() as { port: number }).port}`, email: 'x', token: 'pmat_x', tokenId: 'x' }));
    const notOurs = await cli(['portfolio'], { configDir: dir });
    expect(notOurs.code).toBe(1);
    expect(notOurs.stderr).toMatch(/answered \(HTTP 502\), but not as a PowerMap team server/);
    await new Promise((r) => s.close(r));
    // Expired (here: revoked) token.
    fs.writeFileSync(path.join(dir, 'team.json'), JSON.stringify({ server: srv.url, email: 'x', token: 'pmat_00000000000000000000000000000000_gone', tokenId: 'x' }));
    const expired = await cli(['portfolio'], { configDir: dir });
    expect(expired.code).toBe(1);
    expect(expired.stderr).toMatch(/run powermap login again/);
  }, 120_000);
});

describe('the portfolio', () => {
  it('each map built to trip a review flag shows that flag, and the numbers equal powermap analyze --json on the same map', async () => {
    const dir = path.join(tmp(), 'pf');
    const login = await cli(['login', '--server', srv.url, '--email', 'bob@example.invalid'], { password: PW, configDir: dir });
    expect(login.stderr).toBe('');
    const maps: Record<string, string> = {
      healthy: await mapFile('pf-healthy', { account: 'Fictional Glassworks', deal: 'ERP' }, healthy()),
      nocoach: await mapFile('pf-nocoach', { account: 'Fictional Dairy', deal: 'CRM' }, healthy().update('co', { roles: [] })),
      neutral: await mapFile('pf-neutral', { account: 'Fictional Rail', deal: 'Signalling' }, healthy().update('dm', { attitude: 'neutral' })),
      against: await mapFile('pf-against', { account: 'Fictional Port', deal: 'Cranes' }, healthy().update('dm', { attitude: 'opponent' })),
      uncovered: await mapFile(
        'pf-uncovered',
        { account: 'Fictional Mint', deal: 'Vaults' },
        healthy().person('cfo', { name: 'Mo Xiaodong', influence: 'high', attitude: 'neutral' }).rel('reports_to', 'cfo', 'dm'),
      ),
      single: await mapFile(
        'pf-single',
        { account: 'Fictional Airline', deal: 'Crew app' },
        build()
          .member('m1', 'Rep Chen')
          .member('m2', 'Rep Du')
          .person('dm', { name: 'Hu Wenjie', roles: ['decision-maker'], influence: 'high', attitude: 'champion' })
          .person('co', { name: 'Lan Qiuyue', roles: ['coach'], attitude: 'supporter' })
          .rel('influence', 'co', 'dm', 3)
          .cover('m1', 'dm', 3)
          .cover('m2', 'co', 3)
          .cover('m1', 'co', 2),
      ),
    };
    for (const [k, f] of Object.entries(maps)) {
      const r = await cli(['publish', f, '--name', k], { configDir: dir });
      expect(r.stderr, k).toBe('');
    }
    const pf = await cli(['portfolio', '--json'], { configDir: dir });
    expect(pf.stderr).toBe('');
    const rows = (JSON.parse(pf.stdout) as { maps: PortfolioRow[] }).maps;
    const row = (k: string) => rows.find((r) => r.name === k)!;
    expect(rows.map((r) => r.name).filter((n) => n in maps).sort()).toEqual(Object.keys(maps).sort());

    expect(row('healthy').flagCount).toBe(0);
    expect(row('nocoach').flags.noCoach).toBe(true);
    expect(row('neutral').flags.dmNotFor).toEqual([{ id: 'dm', name: 'Hu Wenjie', attitude: 'neutral' }]);
    expect(row('against').flags.dmNotFor).toEqual([{ id: 'dm', name: 'Hu Wenjie', attitude: 'opponent' }]);
    expect(row('uncovered').flags.highUncovered).toEqual([{ id: 'cfo', name: 'Mo Xiaodong' }]);
    expect(row('single').flags.oneColleague).toEqual([{ member: { id: 'm1', name: 'Rep Chen' }, people: [{ id: 'dm', name: 'Hu Wenjie' }] }]);
    for (const k of ['nocoach', 'neutral', 'against', 'uncovered', 'single']) expect(row(k).flagCount, k).toBe(1);
    expect(row('single')).toMatchObject({ client: 'Fictional Airline', deal: 'Crew app', stage: 'tender', posture: 'preferred', people: 2, owner: { name: 'Bob Engineer' } });

    // The same numbers as the map's own analysis, from the map file.
    for (const [k, f] of Object.entries(maps)) {
      const a = await cli(['analyze', f, '--json', '--lang', 'en-US'], { configDir: dir });
      const j = JSON.parse(a.stdout) as {
        map: { account: string; deal: string; stage: string; posture: string };
        redFlags: { kind: string; peopleIds: string[] }[];
        coverageGaps: { id: string; influence: string; coveredWeakly: boolean; decisionMaker: boolean }[];
        influenceRanking: unknown[];
      };
      const r = row(k);
      expect(r.redFlags, k).toBe(j.redFlags.length);
      expect(r.people, k).toBe(j.influenceRanking.length);
      expect(r.flags.noCoach, k).toBe(j.redFlags.some((x) => x.kind === 'no-coach'));
      expect(r.flags.dmNotFor.map((d) => d.id).sort(), k).toEqual(j.redFlags.filter((x) => x.kind === 'dm-neutral' || x.kind === 'dm-against').flatMap((x) => x.peopleIds).sort());
      expect(r.flags.highUncovered.map((d) => d.id).sort(), k).toEqual(j.coverageGaps.filter((g) => g.influence === 'high' && !g.coveredWeakly).map((g) => g.id).sort());
      expect(r.flags.oneColleague.flatMap((c) => c.people.map((p) => p.id)).sort(), k).toEqual(j.redFlags.filter((x) => x.kind === 'member-leaves').flatMap((x) => x.peopleIds).sort());
      expect([r.client, r.deal, r.stage, r.posture], k).toEqual([j.map.account, j.map.deal, j.map.stage, j.map.posture]);
    }

    // The human list and the CSV.
    const human = await cli(['portfolio'], { configDir: dir });
    expect(human.stdout).toMatch(/^single \| Fictional Airline \| Crew app \| .* \| hangs on one colleague \(Rep Chen\)/m);
    const csvFile = path.join(dir, 'portfolio.csv');
    const csv = await cli(['portfolio', '--csv', csvFile], { configDir: dir });
    expect(csv.stderr).toBe('');
    const lines = fs.readFileSync(csvFile, 'utf8').replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines).toHaveLength(1 + rows.length);
    expect(lines.find((l) => l.startsWith('nocoach,'))).toMatch(/,yes,/);
    // The one-page PDF for the forecast meeting, read back.
    const pdfFile = path.join(dir, 'portfolio.pdf');
    const pdf = await cli(['portfolio', '--pdf', pdfFile], { configDir: dir });
    expect(pdf.stderr).toBe('');
    expect(execFileSync('pdfinfo', [pdfFile], { encoding: 'utf8' })).toMatch(/^Pages:\s+1$/m);
    if (process.env.POWERMAP_KEEP_PDF) fs.copyFileSync(pdfFile, process.env.POWERMAP_KEEP_PDF);
    const text = execFileSync('pdftotext', ['-layout', pdfFile, '-'], { encoding: 'utf8' });
    // The same one-page print as the Portfolio page's button (the report view's portfolio mode).
    expect(text).toMatch(/Fictional Airline[^\n]*Hangs on Rep Chen alone/);
    expect(text).toMatch(/Fictional Dairy[^\n]*No coach/);
    expect(text).toMatch(/Fictional Port[^\n]*Decision maker not for us: Hu Wenjie/);
    expect(text).toMatch(/Fictional Glassworks[^\n]*—/);
    expect(text).toContain(`${rows.length} deals`);
    const zh = await cli(['portfolio', '--lang', 'zh-CN'], { configDir: dir });
    expect(zh.stdout).toMatch(/只靠一位同事 \(Rep Chen\)/);
  }, 300_000);
});
