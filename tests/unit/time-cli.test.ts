import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../cli/run';
import { createMapFile, openMapFile } from '../../services/map/files';
import { people } from '../../services/map/read';
import { createPerson, createRelation, deletePerson, updatePerson } from '../../services/map/rules';
import { createSnapshot } from '../../services/time/snapshots';
import type { Lang } from '../../shared/i18n/errors';
import { useTmpDir } from '../helpers/tmp';

const tmp = useTmpDir();

async function cli(args: string[], lang: Lang = 'en-US') {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { lang, out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** A map with two snapshots: "before tender" and "after site visit", then one more change (now). */
async function makeMap(file: string): Promise<{ dep: string; plan: string }> {
  const s = await createMapFile(file, { account: 'Riverside power bureau', deal: 'Rural grid upgrade' });
  try {
    const chief = (await createPerson(s, { name: 'Gao Wenbo', title: 'Bureau chief', influence: 'high' })).people![0]!.id;
    const dep = (await createPerson(s, { name: 'Lin Xiaoyu', title: 'Deputy head', department: 'Power-use department' })).people![0]!.id;
    const plan = (await createPerson(s, { name: 'Zheng Ruoxi', title: 'Head of planning', attitude: 'opponent' })).people![0]!.id;
    await createRelation(s, { kind: 'reports_to', source: dep, target: chief });
    await createSnapshot(s, 'before tender', new Date('2025-03-01T09:00:00Z'));
    await updatePerson(s, dep, { title: 'Head' });
    await updatePerson(s, plan, { attitude: 'supporter' });
    await createSnapshot(s, 'after site visit', new Date('2025-04-01T09:00:00Z'));
    await createRelation(s, { kind: 'conflict', source: dep, target: plan });
    return { dep, plan };
  } finally {
    await s.close();
  }
}

describe('powermap diff', () => {
  it('compares two snapshots of one file (opened once) in readable lines', async () => {
    const file = path.join(tmp(), 'bureau.powermap');
    await makeMap(file);
    const r = await cli(['diff', `${file}#before tender`, `${file}#after site visit`]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out.split('\n')).toEqual([
      'Changes from bureau.powermap#before tender (2025-03-01 09:00 UTC) to bureau.powermap#after site visit (2025-04-01 09:00 UTC)',
      '',
      'People: joined, left, moved:',
      '  Lin Xiaoyu: title “Deputy head” → “Head”',
      '',
      'Attitude, influence, relationship:',
      '  ↑ Zheng Ruoxi: attitude opponent → supporter (warmer)',
      '',
      '2 differences.',
    ]);
  });

  it('with one argument compares that snapshot with the map now; --json gives the list', async () => {
    const file = path.join(tmp(), 'bureau.powermap');
    const { dep, plan } = await makeMap(file);
    const r = await cli(['diff', `${file}#after site visit`, '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.from).toEqual({ file, snapshot: { id: expect.stringMatching(/^s_/), name: 'after site visit', takenAt: '2025-04-01T09:00:00.000Z' } });
    expect(j.to).toEqual({ file, snapshot: null });
    expect(j.differences).toEqual([
      { kind: 'relation-added', relation: 'conflict', source: { id: dep, name: 'Lin Xiaoyu' }, target: { id: plan, name: 'Zheng Ruoxi' }, strength: 2 },
    ]);
    expect(j.newConflicts).toBe(1);
    // By id works as well as by name.
    const byId = await cli(['diff', `${file}#${j.from.snapshot.id}`, file, '--json']);
    expect(JSON.parse(byId.out).differences).toEqual(j.differences);
  });

  it('compares two different files, and speaks Chinese', async () => {
    const dir = tmp();
    const a = path.join(dir, 'a.powermap');
    await makeMap(a);
    const b = path.join(dir, 'b.powermap');
    fs.copyFileSync(a, b);
    const s = await openMapFile(b);
    const lin = (await people(s)).find((p) => p.name === 'Lin Xiaoyu')!;
    await deletePerson(s, lin.id);
    await s.close();
    const r = await cli(['diff', a, b], 'zh-CN');
    expect(r.code).toBe(0);
    expect(r.out).toContain('比较：a.powermap（当前） → b.powermap（当前）');
    expect(r.out).toContain('已离开：Lin Xiaoyu（Head，Power-use department）');
    expect(r.out).toContain('共 1 项变化。');
  });

  it('finds a file whose name holds a #, and says so when nothing changed', async () => {
    const file = path.join(tmp(), 'bureau #2.powermap');
    await makeMap(file);
    const r = await cli(['diff', `${file}#after site visit`, `${file}#after site visit`]);
    expect(r.out.split('\n')).toEqual([
      'Changes from bureau #2.powermap#after site visit (2025-04-01 09:00 UTC) to bureau #2.powermap#after site visit (2025-04-01 09:00 UTC)',
      'No differences.',
    ]);
  });

  it('explains what is wrong in one line and exits non-zero', async () => {
    const file = path.join(tmp(), 'bureau.powermap');
    await makeMap(file);
    const none = await cli(['diff', `${file}#no such snapshot`, file]);
    expect(none.code).toBe(1);
    expect(none.err).toBe('powermap diff: bureau.powermap has no snapshot “no such snapshot” (it has “after site visit”, “before tender”)');
    const zhNone = await cli(['diff', `${file}#不存在`, file], 'zh-CN');
    expect(zhNone.err).toBe('powermap diff: bureau.powermap 中没有名为“不存在”的快照（现有：“after site visit”、“before tender”）');

    const s = await openMapFile(file);
    await createSnapshot(s, 'before tender');
    await s.close();
    const twice = await cli(['diff', `${file}#before tender`, file]);
    expect(twice.code).toBe(2);
    expect(twice.err.split('\n')[0]).toMatch(/^powermap diff: bureau.powermap has 2 snapshots named “before tender”: use an id \(s_\S+, s_\S+\)$/);

    const usage = await cli(['diff', file]);
    expect(usage.code).toBe(2);
    expect(usage.err).toContain('name a snapshot');
    const missing = await cli(['diff', path.join(tmp(), 'nope.powermap'), file]);
    expect(missing.code).toBe(1);
    expect(missing.err).toBe('powermap diff: nope.powermap was not found.');

    // A file another program holds open is refused, not waited for.
    const held = await openMapFile(file);
    try {
      const locked = await cli(['diff', `${file}#after site visit`, file]);
      expect(locked.code).toBe(1);
      expect(locked.err).toBe('powermap diff: bureau.powermap is already open in another PowerMap window or program.');
    } finally {
      await held.close();
    }
  });
});
