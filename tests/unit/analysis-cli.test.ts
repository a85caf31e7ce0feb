/**
 * `powermap analyze` end to end: the built CLI (dist/node/cli.cjs, made by `npm run build:node`)
 * run as a child process on real map files.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createFromJson } from '../../services/sample';
import { defaultMeta, defaultPersonFields } from '../../shared/domain';
import { JSON_FORMAT, JSON_VERSION, MapJsonSchema, type MapJson } from '../../shared/exchange/json-format';
import { REPO } from '../helpers/session';
import { sha256, useTmpDir } from '../helpers/tmp';

const CLI = path.join(REPO, 'dist', 'node', 'cli.cjs');
const tmp = useTmpDir();

beforeAll(() => {
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build:node first`);
});

function cli(args: string[], lang = 'en_US.UTF-8') {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, LANG: lang, LC_ALL: lang } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const sampleJson = (): MapJson =>
  MapJsonSchema.parse(JSON.parse(fs.readFileSync(path.join(REPO, 'resources', 'samples', 'bank-tender.zh-CN.json'), 'utf8')));

async function mapFile(data: MapJson, name = 'map.powermap'): Promise<string> {
  const file = path.join(tmp(), name);
  await (await createFromJson(file, data)).close();
  return file;
}

const ATTITUDES = ['champion', 'supporter', 'neutral', 'opponent', 'strong-opponent'];
const INFLUENCES = ['high', 'medium', 'low'];

describe('powermap analyze', () => {
  it('--json prints the documented schema for the sample bank map', async () => {
    const file = await mapFile(sampleJson());
    const r = cli(['analyze', file, '--json']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    for (const key of [
      'coaches',
      'decisionMakers',
      'conflicts',
      'influenceRanking',
      'pathsToDecisionMakers',
      'coverage',
      'coverageGaps',
      'ifTeamMemberLeaves',
      'redFlags',
      'coachCandidates',
    ])
      expect(Array.isArray(j[key]), key).toBe(true);
    expect(j).toMatchObject({ schema: 'powermap-analysis', version: 2, lang: 'en-US' });
    expect(j.meetingConflicts).toBeUndefined();

    expect(j.coaches).toEqual([{ name: '吴志强', id: 'p_it_dir', attitude: 'champion', coveredBy: ['林晓雯'] }]);
    for (const d of j.decisionMakers) {
      expect(ATTITUDES).toContain(d.attitude);
      expect(INFLUENCES).toContain(d.influence);
      expect(typeof d.id).toBe('string');
    }
    expect(j.conflicts).toContainEqual(expect.objectContaining({ a: '卫东升', b: '蒋文涛', aId: 'p_ebank_dir', bId: 'p_ebank_deputy' }));
    // Every client person ranked, highest first; our team is not ranked.
    expect(j.influenceRanking).toHaveLength(16);
    const scores = j.influenceRanking.map((x: { score: number }) => x.score);
    expect(scores).toEqual([...scores].sort((a: number, b: number) => b - a));
    expect(j.influenceRanking.map((x: { name: string }) => x.name)).not.toContain('林晓雯');
    for (const p of j.pathsToDecisionMakers) {
      expect(p.path[0]).toBe(p.from);
      expect(p.path[p.path.length - 1]).toBe(p.to);
      expect(p.pathIds).toHaveLength(p.path.length);
    }
    expect(j.coverage.find((c: { id: string }) => c.id === 'p_vp_biz').coveredBy).toEqual([]);
    expect(j.coverageGaps).toContainEqual(expect.objectContaining({ name: '孙海燕', influence: 'high' }));
    expect(j.ifTeamMemberLeaves).toContainEqual(expect.objectContaining({ member: '郭振邦', uncovered: ['赵国栋'] }));
    for (const f of j.redFlags) {
      expect(['high', 'medium', 'low']).toContain(f.severity);
      expect(f.peopleIds).toHaveLength(f.people.length);
    }
    expect(j.redFlags).toContainEqual(expect.objectContaining({ kind: 'dm-uncovered', people: ['孙海燕'], peopleIds: ['p_vp_biz'] }));
    expect(j.coachCandidates[0]).toEqual({ name: expect.any(String), id: expect.any(String), score: expect.any(Number), reasons: expect.any(Array) });
  });

  it('--json carries the buying step, chokepoints, coverage by role and next steps; --stage is a what-if', async () => {
    const file = await mapFile(sampleJson());
    const j = JSON.parse(cli(['analyze', file, '--json']).out);
    // The sample sits at the specification: the technical side weighs most.
    expect(j.stage).toMatchObject({ step: 'specification', whatIf: false, weights: { technical: 1, 'decision-maker': 0.5 } });
    expect(j.stage.people).toHaveLength(16);
    expect(j.stage.people.slice(0, 2).map((p: { id: string; role: string }) => [p.id, p.role]).sort()).toEqual([
      ['p_chief_eng', 'technical'],
      ['p_it_dir', 'technical'],
    ]);
    expect(j.chokepoints[0]).toMatchObject({ name: '赵国栋', id: 'p_president', attitude: 'neutral', rank: 1 });
    for (const c of j.chokepoints)
      for (const x of c.cuts) {
        expect(x.path[x.path.length - 1]).toBe(x.to);
        expect(x.path).toContain(c.name);
        expect(x.through).toBeLessThanOrEqual(x.total);
      }
    expect(j.roleCoverage.map((r: { role: string }) => r.role)).toEqual(['decision-maker', 'user', 'technical', 'procurement', 'coach']);
    expect(j.roleCoverage[0].cells.neutral.cover).toBe('weak');
    expect([...j.roleCoverage[0].cells.neutral.peopleIds].sort()).toEqual(['p_planning', 'p_president', 'p_vp_biz']);
    expect(j.nextSteps.length).toBeGreaterThan(3);
    for (const s of j.nextSteps) {
      expect(s.text).toContain(s.people[0]);
      expect(s.done).toBe(false);
    }
    // What-if: at the contract review procurement weighs most.
    const what = JSON.parse(cli(['analyze', file, '--json', '--stage', 'contract']).out);
    expect(what.stage).toMatchObject({ step: 'contract', whatIf: true, weights: { procurement: 1 } });
    // The head of planning (decision maker and procurement) climbs: procurement weighs 1 at the contract.
    const planning = (x: { stage: { people: { id: string; rank: number; role: string }[] } }) => x.stage.people.find((p) => p.id === 'p_planning')!;
    expect(planning(what)).toMatchObject({ role: 'procurement', weight: 1 });
    expect(planning(what).rank).toBeLessThan(planning(j).rank);
    expect(what.nextSteps.map((s: { id: string }) => s.id)).not.toEqual(j.nextSteps.map((s: { id: string }) => s.id));
    const bad = cli(['analyze', file, '--stage', 'decision']);
    expect(bad.code).not.toBe(0);
    expect(bad.err).toContain('--stage is one of need, feasibility');
  });

  it('--attendees by name adds the meeting check; our own names are ignored', async () => {
    const file = await mapFile(sampleJson());
    const r = cli(['analyze', file, '--json', '--attendees', '卫东升，蒋文涛, 林晓雯']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.meetingConflicts).toEqual([{ a: '卫东升', aId: 'p_ebank_dir', b: '蒋文涛', bId: 'p_ebank_deputy', note: expect.any(String) }]);
    expect(j.attendees.map((p: { id: string }) => p.id).sort()).toEqual(['p_ebank_deputy', 'p_ebank_dir']);
    expect(j.redFlags[0]).toMatchObject({ kind: 'meeting-conflict', severity: 'high', people: ['卫东升', '蒋文涛'] });
    const calm = JSON.parse(cli(['analyze', file, '--json', '--attendees', '卫东升,孙海燕']).out);
    expect(calm.meetingConflicts).toEqual([]);
    expect(calm.meetingAlliances).toHaveLength(1);
  });

  it('prints a readable report by default, in Chinese under a Chinese locale, and leaves the file unchanged', async () => {
    const file = await mapFile(sampleJson());
    const before = sha256(file);
    const en = cli(['analyze', file, '--attendees', '卫东升,蒋文涛']);
    expect(en.code).toBe(0);
    expect(en.out).toMatch(/^Red flags \(\d+\)$/m);
    expect(en.out).toContain('!!! 卫东升 and 蒋文涛 are in conflict');
    expect(en.out).toMatch(/^Coaches\n {2}吴志强 — champion$/m);
    expect(en.out).toContain('Influence ranking');
    const zh = cli(['analyze', file], 'zh_CN.UTF-8');
    expect(zh.code).toBe(0);
    expect(zh.out).toContain('风险提示');
    expect(zh.out).toContain('决策者 孙海燕 没有我方人员覆盖。');
    expect(sha256(file)).toBe(before);
  });

  it('names that match nobody, or several people, are one clear error line and a non-zero exit', async () => {
    const data: MapJson = {
      format: JSON_FORMAT,
      version: JSON_VERSION,
      meta: defaultMeta(),
      people: [
        { ...defaultPersonFields(), id: 'w1', name: '王伟', department: '信息中心' },
        { ...defaultPersonFields(), id: 'w2', name: '王伟', department: '计划处' },
        { ...defaultPersonFields(), id: 'z', name: '赵敏' },
      ],
      relations: [{ id: 'c1', kind: 'conflict', source: 'w1', target: 'z', strength: 2, note: '' }],
      team: [],
      coverage: [],
    };
    const file = await mapFile(data);
    const none = cli(['analyze', file, '--attendees', '赵敏,Nobody Here']);
    expect(none.code).not.toBe(0);
    expect(none.out).toBe('');
    expect(none.err.trim().split('\n')).toEqual(['powermap analyze: no client person is called "Nobody Here" in this map']);
    const two = cli(['analyze', file, '--attendees', '王伟,赵敏']);
    expect(two.code).not.toBe(0);
    const line = two.err.trim();
    expect(line.split('\n')).toHaveLength(1);
    expect(line).toContain('[w1]');
    expect(line).toContain('[w2]');
    expect(line).toContain('give the id instead');
    // The id, or the name with its department, picks one.
    const byId = JSON.parse(cli(['analyze', file, '--json', '--attendees', 'w1,赵敏']).out);
    expect(byId.meetingConflicts).toEqual([{ a: '王伟', aId: 'w1', b: '赵敏', bId: 'z', note: '' }]);
    const byLabel = JSON.parse(cli(['analyze', file, '--json', '--attendees', '王伟 (计划处),赵敏']).out);
    expect(byLabel.attendees.map((p: { id: string }) => p.id).sort()).toEqual(['w2', 'z']);
    expect(byLabel.meetingConflicts).toEqual([]);
  });

  it('bad arguments and missing files fail cleanly', () => {
    const usage = cli(['analyze']);
    expect(usage.code).toBe(2);
    expect(usage.err).toContain('usage: powermap analyze');
    const missing = cli(['analyze', path.join(tmp(), 'nope.powermap')]);
    expect(missing.code).toBe(1);
    expect(missing.err.trim().split('\n')).toHaveLength(1);
    expect(missing.err).not.toMatch(/\n\s+at /);
  });
});
