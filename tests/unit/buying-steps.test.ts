/**
 * Issue 21 stored in the map: next steps ticked off, a person's function set by hand and the map's
 * own stage weights — on a real map file (reopened from disk) and on a real PostgreSQL team map,
 * each an undoable edit whose undo and redo the analysis sees.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../shared/analysis';
import { documentOf, person } from '../../services/map/read';
import { createMapFile, openMapFile } from '../../services/map/files';
import * as rules from '../../services/map/rules';
import { defaultOrganization, insertUser } from '../../storage/postgres/accounts';
import { createTeamMap } from '../../storage/postgres/maps';
import { PgMapStore } from '../../storage/postgres/map-store';
import { migrate } from '../../storage/postgres/migrate';
import { createPool, type Pool } from '../../storage/postgres/pool';
import type { MapStore } from '../../storage/types';
import { useTestDatabase } from '../helpers/pg';
import { useTmpDir } from '../helpers/tmp';
import { webSession } from '../helpers/session';
import { dispatch } from '../../services/handlers';

const db = useTestDatabase();
const tmp = useTmpDir();
let pool: Pool;
let orgId = '';
const users: Record<string, string> = {};

beforeAll(async () => {
  pool = createPool({ url: db.url });
  await migrate(pool);
  orgId = (await defaultOrganization(pool)).orgId;
  for (const who of ['ava', 'ben']) {
    const u = await insertUser(pool, { orgId, email: `${who}@example.invalid`, name: who, passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA' });
    users[who] = u.userId;
  }
}, 60_000);
afterAll(async () => {
  await pool?.end();
});

/** A fictional client: a president nobody covers, a CIO in conflict with the head of procurement. */
async function fill(s: MapStore): Promise<void> {
  await rules.createPerson(s, { id: 'p_hu', name: 'Hu Wenjie', title: 'President', roles: ['decision-maker'], influence: 'high' });
  await rules.createPerson(s, { id: 'p_lan', name: 'Lan Qiuyue', title: 'CIO', roles: ['technical'], attitude: 'opponent', influence: 'high' });
  await rules.createPerson(s, { id: 'p_mo', name: 'Mo Xiaodong', title: 'Head of procurement', roles: ['procurement'], influence: 'high' });
  await rules.createRelation(s, { id: 'r1', kind: 'reports_to', source: 'p_lan', target: 'p_hu' });
  await rules.createRelation(s, { id: 'r2', kind: 'conflict', source: 'p_lan', target: 'p_mo', strength: 3 });
  await rules.updateMeta(s, { stage: 'specification' });
}

const steps = async (s: MapStore) => analyze(await documentOf(s), { lang: 'en-US' }).nextSteps;

async function ticksUndoRedo(s: MapStore, reopen: (s: MapStore) => Promise<MapStore>): Promise<MapStore> {
  await fill(s);
  const before = await steps(s);
  expect(before.length).toBeGreaterThan(1);
  const first = before[0]!;
  expect(first.done).toBe(false);
  await rules.tickStep(s, first.id, true);
  expect((await documentOf(s)).meta.doneSteps).toEqual([first.id]);
  const undoLabel = (await documentOf(s)).history.undoLabel;
  expect(undoLabel).toEqual({ key: 'step.done' });
  s = await reopen(s);
  let after = await steps(s);
  // Kept in the list, marked done, ranked after every open step.
  expect(after.find((x) => x.id === first.id)).toMatchObject({ done: true });
  expect(after[after.length - 1]!.id).toBe(first.id);
  expect(after.filter((x) => !x.done).map((x) => x.id)).toEqual(before.slice(1).map((x) => x.id));
  await s.undo();
  expect((await documentOf(s)).meta.doneSteps).toEqual([]);
  expect((await steps(s)).map((x) => [x.id, x.done])).toEqual(before.map((x) => [x.id, false]));
  await s.redo();
  after = await steps(s);
  expect(after.find((x) => x.id === first.id)!.done).toBe(true);
  // Opened again: one more undoable step.
  await rules.tickStep(s, first.id, false);
  expect((await documentOf(s)).meta.doneSteps).toEqual([]);
  await s.undo();
  expect((await documentOf(s)).meta.doneSteps).toEqual([first.id]);

  // The function, set by hand, and undone.
  await rules.updatePerson(s, 'p_hu', { function: 'procurement' });
  expect((await person(s, 'p_hu'))!.function).toBe('procurement');
  await s.undo();
  expect((await person(s, 'p_hu'))!.function).toBeNull();
  await s.redo();
  s = await reopen(s);
  expect((await person(s, 'p_hu'))!.function).toBe('procurement');

  // The map's stage weights: the analysis weighs with them, and undo brings the defaults back.
  const weightOf = async () => analyze(await documentOf(s)).stage.weights.technical;
  expect(await weightOf()).toBe(1);
  await rules.updateMeta(s, { stageWeights: { specification: { technical: 0.3 } } });
  expect(await weightOf()).toBe(0.3);
  s = await reopen(s);
  expect((await documentOf(s)).meta.stageWeights).toEqual({ specification: { technical: 0.3 } });
  await s.undo();
  expect(await weightOf()).toBe(1);
  expect((await documentOf(s)).meta.stageWeights).toBeNull();
  return s;
}

describe('ticked next steps, the function and the stage weights are stored and undoable', () => {
  it('in a map file, across reopening it', async () => {
    const file = path.join(tmp(), 'steps.powermap');
    const s = await ticksUndoRedo(await createMapFile(file, { account: 'Fictional City Bank' }), async (s) => {
      await (s as Awaited<ReturnType<typeof openMapFile>>).close();
      return openMapFile(file);
    });
    await (s as Awaited<ReturnType<typeof openMapFile>>).close();
  });

  it('in a team map on PostgreSQL, where two people ticking different steps both keep theirs', async () => {
    const mapId = await createTeamMap(pool, orgId, users.ava!, 'Fictional City Bank');
    const as = (who: string) => new PgMapStore({ pool, orgId, mapId, userId: users[who]!, name: 'Fictional City Bank' });
    await as('ava').load({ rows: [{ t: 'map_meta', row: rules.newMetaRow({ account: 'Fictional City Bank' }) }] });
    await ticksUndoRedo(as('ava'), async () => as('ava'));
    const open = (await steps(as('ben'))).filter((x) => !x.done);
    expect(open.length).toBeGreaterThanOrEqual(2);
    await Promise.all([rules.tickStep(as('ava'), open[0]!.id, true), rules.tickStep(as('ben'), open[1]!.id, true)]);
    const done = (await documentOf(as('ben'))).meta.doneSteps!;
    expect(done).toEqual(expect.arrayContaining([open[0]!.id, open[1]!.id]));
  });

  it('through the API: a tick is an edit; a malformed id or weight is refused and changes nothing', async () => {
    const session = webSession(tmp());
    const file = path.join(tmp(), 'api.powermap');
    expect((await dispatch(session, 'map.create', { path: file })).ok).toBe(true);
    const rev = await session.store!.rev();
    const bad = await dispatch(session, 'steps.tick', { id: 'meet:p 1; DROP', done: true });
    expect(bad).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    const badWeight = await dispatch(session, 'map.updateMeta', { stageWeights: { tender: { procurement: 3 } } });
    expect(badWeight).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(await session.store!.rev()).toBe(rev);
    const ok = await dispatch(session, 'steps.tick', { id: 'find-coach:p_1', done: true });
    expect(ok).toMatchObject({ ok: true, value: { meta: { doneSteps: ['find-coach:p_1'] } } });
    expect(await session.store!.rev()).toBeGreaterThan(rev);
    // What the analyze CLI and Insights call: the map's weights and ticks are in force.
    expect((await dispatch(session, 'map.updateMeta', { stage: 'tender', stageWeights: { tender: { procurement: 0.25 } } })).ok).toBe(true);
    const run = await dispatch(session, 'analysis.run', {});
    expect(run).toMatchObject({ ok: true, value: { stage: { stage: 'tender', weights: { procurement: 0.25, technical: 0.8 }, overrides: { tender: { procurement: 0.25 } } } } });
  });
});

describe('next steps do not depend on the language the names are written in', () => {
  it('the sample map in English and in Chinese (same ids, other names) gives the same steps, chains and introducers at every step', async () => {
    const fs = await import('node:fs');
    const { REPO } = await import('../helpers/session');
    const { STAGES } = await import('../../shared/domain');
    const read = (lang: string) => JSON.parse(fs.readFileSync(path.join(REPO, 'resources', 'samples', `bank-tender.${lang}.json`), 'utf8'));
    const en = read('en-US');
    const zh = read('zh-CN');
    // The two samples spell names differently, so name order differs: the test means something.
    const order = (m: { people: { id: string; name: string }[] }) => [...m.people].sort((a, b) => (a.name < b.name ? -1 : 1)).map((p) => p.id);
    expect(order(en)).not.toEqual(order(zh));
    for (const stage of STAGES) {
      const key = (m: unknown, lang: 'en-US' | 'zh-CN') =>
        analyze(m as Parameters<typeof analyze>[0], { lang, stage }).nextSteps.map((s) => `${s.id}|${s.path.map((p) => p.id).join('>')}|${s.people.map((p) => p.id).join(',')}`);
      expect(key(zh, 'zh-CN'), stage).toEqual(key(en, 'en-US'));
    }
  });
});
