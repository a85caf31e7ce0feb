/**
 * Hostile snapshots (issue 15, items 4 and 5). A colleague's map file can carry snapshot rows
 * PowerMap never wrote; these tests plant them in a real map file with better-sqlite3 directly:
 *
 * - a Brotli bomb (1,270 bytes that unpack to 1.5 GiB, tests/fixtures/snapshot/make-bomb.cjs) is
 *   refused at the output limit derived from the map's size, and blocks neither a purge nor the
 *   other snapshots;
 * - snapshots whose content the API itself would refuse (a 1,000,000-character name, control
 *   characters, a malformed id, a reporting loop) are refused with a clear error before they are
 *   shown, compared, exported or restored, and the map is left as it was.
 */
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../services/handlers';
import type { Session } from '../../services/session';
import { CODEC, SNAPSHOT_LIMIT, encodeSnapshot, snapshotOutputLimit } from '../../services/time/codec';
import { createClient, type ApiClient } from '../../shared/api';
import type { ApiErrorShape } from '../../shared/api/errors';
import { defaultMeta, defaultPersonFields, type Person } from '../../shared/domain';
import { errorMessage } from '../../shared/i18n/errors';
import type { SnapshotContent } from '../../shared/time';
import { webSession, REPO } from '../helpers/session';
import { useTmpDir } from '../helpers/tmp';
import { bundle } from '../helpers/trust-process';

const tmp = useTmpDir();
const BOMB = fs.readFileSync(path.join(REPO, 'tests', 'fixtures', 'snapshot', 'snapshot-bomb.br'));

let cli = '';
const CLI_ENV = { ...process.env, LANG: 'en_US.UTF-8', NODE_PATH: path.join(REPO, 'node_modules') };
beforeAll(async () => {
  cli = await bundle('cli/main.ts');
}, 60_000);

/** A real map: three people, a reporting line, one good snapshot. Closed afterwards. */
async function realMap(): Promise<{ file: string; dir: string; ids: { boss: string; her: string; him: string }; good: string }> {
  const dir = tmp();
  const session = webSession(dir);
  const api = createClient((m, p) => dispatch(session, m, p));
  const file = path.join(dir, 'Harbour Power.powermap');
  await api.call('map.create', { path: file, meta: { account: 'Harbour Power Bureau' } });
  const id = async (p: Promise<{ people?: { id: string }[] }>) => (await p).people![0]!.id;
  const boss = await id(api.call('person.create', { name: 'Gao Ming', title: 'Director', influence: 'high' }));
  const her = await id(api.call('person.create', { name: 'Lin Qiao', title: 'Deputy director' }));
  const him = await id(api.call('person.create', { name: 'Xu Feng', title: 'Engineer' }));
  await api.call('relation.create', { kind: 'reports_to', source: her, target: boss });
  const good = (await api.call('snapshot.create', { name: 'Before the tender' })).id;
  await api.call('map.close', {});
  return { file, dir, ids: { boss, her, him }, good };
}

/** Writes a snapshot row as a hostile file would carry it (what PowerMap's own code never writes). */
function plant(file: string, id: string, name: string, body: Buffer, rawBytes = body.length * 10): void {
  const db = new Database(file);
  try {
    db.prepare(
      `INSERT INTO snapshot (id, name, taken_at, rev, codec, people, relations, team, coverage, raw_bytes, body)
       VALUES (?, ?, ?, 1, ?, 3, 1, 0, 0, ?, ?)`,
    ).run(id, name, '2025-06-01T08:00:00.000Z', CODEC, rawBytes, body);
  } finally {
    db.close();
  }
}

async function open(file: string, dir: string): Promise<{ api: ApiClient; session: Session }> {
  const session = webSession(dir);
  const api = createClient((m, p) => dispatch(session, m, p));
  await api.call('map.open', { path: file });
  return { api, session };
}

const refusal = async (p: Promise<unknown>): Promise<ApiErrorShape> => {
  try {
    await p;
  } catch (e) {
    return e as ApiErrorShape;
  }
  throw new Error('expected a refusal');
};

const person = (id: string, name: string, extra: Partial<Person> = {}): Person => ({ ...defaultPersonFields(), id, name, ...extra });

function content(people: Person[], extra: Partial<SnapshotContent> = {}): SnapshotContent {
  return { meta: { ...defaultMeta(), account: 'Harbour Power Bureau' }, people, relations: [], team: [], coverage: [], positions: {}, ...extra };
}

describe('a snapshot that unpacks to gigabytes (a Brotli bomb)', () => {
  it('the limit follows the map size', () => {
    expect(snapshotOutputLimit(150 * 1024)).toBe(SNAPSHOT_LIMIT.min);
    expect(snapshotOutputLimit(10 * 1024 * 1024)).toBe(160 * 1024 * 1024);
    expect(snapshotOutputLimit(1e12)).toBe(SNAPSHOT_LIMIT.max);
  });

  it('is refused at the limit, and blocks neither the other snapshots nor a purge', async () => {
    const { file, dir, ids, good } = await realMap();
    expect(BOMB.length).toBeLessThan(5000);
    plant(file, 's_bomb', 'Q3 board review', BOMB, 4_000);
    const { api, session } = await open(file, dir);
    const memBefore = process.memoryUsage().rss;

    const t0 = Date.now();
    const e = await refusal(api.call('snapshot.get', { id: 's_bomb' }));
    const ms = Date.now() - t0;
    expect(e).toMatchObject({ code: 'CORRUPT', params: { name: 'Q3 board review', reason: 'snapshot_too_large', limit: SNAPSHOT_LIMIT.min / 1024 / 1024 } });
    expect(errorMessage(e, 'en-US')).toMatch(/Q3 board review.*more than 32 MB/);
    expect(errorMessage(e, 'zh-CN')).toMatch(/Q3 board review.*32 MB/);
    // Unpacking stopped at the limit: the process never held the 1.5 GiB.
    expect(process.memoryUsage().rss - memBefore).toBeLessThan(400 * 1024 * 1024);
    for (const call of [
      api.call('snapshot.compare', { a: 's_bomb', b: 'now' }),
      api.call('snapshot.compare', { a: good, b: 's_bomb' }),
      api.call('snapshot.restore', { id: 's_bomb' }),
    ])
      expect(await refusal(call)).toMatchObject({ code: 'CORRUPT', params: { reason: 'snapshot_too_large' } });

    // The other snapshot is unaffected.
    expect((await api.call('snapshot.get', { id: good })).people.map((p) => p.name).sort()).toEqual(['Gao Ming', 'Lin Qiao', 'Xu Feng']);
    expect((await api.call('snapshot.compare', { a: good, b: 'now' })).differences).toEqual([]);
    expect((await api.call('snapshot.list', {})).map((s) => s.id).sort()).toEqual([good, 's_bomb'].sort());

    // A purge goes through: the unreadable snapshot cannot be checked for her, so it goes with her.
    const purged = await api.call('person.purge', { id: ids.her });
    expect(purged.removed.snapshots).toBe(2);
    expect((await api.call('snapshot.list', {})).map((s) => s.id)).toEqual([good]);
    expect((await api.call('snapshot.get', { id: good })).people.map((p) => p.name).sort()).toEqual(['Gao Ming', 'Xu Feng']);
    await session.close();
    console.log(`[trust] a ${BOMB.length}-byte snapshot that unpacks to 1.5 GiB refused in ${ms} ms at the ${SNAPSHOT_LIMIT.min / 1024 / 1024} MB limit; purge went through`);
  });

  it('is refused by the CLI with one clear line', async () => {
    const { file } = await realMap();
    plant(file, 's_bomb', 'Q3 board review', BOMB);
    const r = spawnSync(process.execPath, [cli, 'diff', `${file}#Q3 board review`], { encoding: 'utf8', env: CLI_ENV });
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^powermap diff: The snapshot Q3 board review would unpack to more than 32 MB/);
    const ok = spawnSync(process.execPath, [cli, 'diff', `${file}#Before the tender`], { encoding: 'utf8', env: CLI_ENV });
    expect(ok.status).toBe(0);
  });
});

describe('a snapshot holding what the API refuses', () => {
  const LONG = 'x'.repeat(1_000_000);
  const cases: [string, (ids: { boss: string; her: string; him: string }) => SnapshotContent, RegExp][] = [
    ['a 1,000,000-character name', (i) => content([person(i.boss, 'Gao Ming'), person(i.her, LONG)]), /people\.1\.name/],
    ['control characters that retitle a terminal', (i) => content([person(i.boss, 'Gao \u001b]0;pwned\u0007Ming')]), /people\.0\.name: must not contain control characters/],
    ['a malformed id', (i) => content([person(i.boss, 'Gao Ming'), person('../../etc passwd', 'Lin Qiao')]), /people\.1\.id: ids are letters/],
    ['one id used twice', (i) => content([person(i.boss, 'Gao Ming'), person(i.boss, 'Lin Qiao')]), /used twice/],
    [
      'a reporting loop',
      (i) =>
        content([person(i.boss, 'Gao Ming'), person(i.her, 'Lin Qiao')], {
          relations: [
            { id: 'r1', kind: 'reports_to', source: i.boss, target: i.her, strength: 2, note: '' },
            { id: 'r2', kind: 'reports_to', source: i.her, target: i.boss, strength: 2, note: '' },
          ],
        }),
      /loop/,
    ],
    ['an unknown attitude', (i) => content([person(i.boss, 'Gao Ming', { attitude: 'hostile' as Person['attitude'] })]), /people\.0\.attitude/],
    ['a position far off the map', (i) => content([person(i.boss, 'Gao Ming')], { positions: { org: [{ id: i.boss, x: 1e300, y: 0, pinned: false }] } }), /positions\.org\.0\.x/],
  ];

  it.each(cases)('refuses %s when it is shown, compared, exported or restored, and leaves the map alone', async (what, make, detail) => {
    const { file, dir, ids, good } = await realMap();
    plant(file, 's_bad', 'Planted', encodeSnapshot(make(ids)).body);
    const { api, session } = await open(file, dir);
    const before = await api.call('map.get', {});

    const e = await refusal(api.call('snapshot.get', { id: 's_bad' }));
    expect(e, what).toMatchObject({ code: 'CORRUPT', params: { name: 'Planted', reason: 'snapshot_invalid' } });
    expect(e.details!.some((d) => detail.test(d)), `${what}: ${e.details?.join(' | ')}`).toBe(true);
    expect(e.message.length).toBeLessThan(400);
    expect(e.message).not.toContain('\u001b');
    expect(errorMessage(e, 'en-US')).toMatch(/^The snapshot Planted holds data PowerMap does not accept/);
    for (const call of [
      api.call('snapshot.compare', { a: 's_bad', b: 'now' }),
      api.call('snapshot.compare', { a: good, b: 's_bad' }),
      api.call('snapshot.restore', { id: 's_bad' }),
      api.call('exchange.export', { format: 'pdf', path: path.join(dir, 'review.pdf'), since: 's_bad' }),
    ])
      expect(await refusal(call), what).toMatchObject({ code: 'CORRUPT', params: { reason: 'snapshot_invalid' } });
    expect(fs.existsSync(path.join(dir, 'review.pdf'))).toBe(false);

    // Nothing was written: same revision, same people, same history; the good snapshot still opens.
    const after = await api.call('map.get', {});
    expect(after.rev).toBe(before.rev);
    expect(after.people).toEqual(before.people);
    expect(after.history).toEqual(before.history);
    expect((await api.call('snapshot.get', { id: good })).people).toHaveLength(3);
    await session.close();
  });

  it('the CLI prints the refusal and its reasons without the planted text', async () => {
    const { file, ids } = await realMap();
    plant(file, 's_bad', 'Planted', encodeSnapshot(content([person(ids.boss, 'Gao \u001b]0;pwned\u0007Ming'), person(ids.her, LONG)])).body);
    const r = spawnSync(process.execPath, [cli, 'diff', `${file}#Planted`], { encoding: 'utf8', env: CLI_ENV });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^powermap diff: The snapshot Planted holds data PowerMap does not accept/);
    expect(r.stderr).toMatch(/people\.1\.name/);
    expect(r.stderr.length).toBeLessThan(4000);
    expect(r.stderr).not.toContain('\u001b');
  });
});
