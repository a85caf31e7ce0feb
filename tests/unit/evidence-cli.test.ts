/**
 * `powermap review <map> [--json] [--days N]` (issue 20) on the sample bank map: the stale and
 * unverified facts, most important first, as JSON for a script and as lines for a mail.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../cli/run';
import { createFromJson, readSample } from '../../services/sample';
import { REPO } from '../helpers/session';
import { useTmpDir } from '../helpers/tmp';

const tmp = useTmpDir();

async function run(args: string[], lang: 'en-US' | 'zh-CN' = 'en-US') {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { lang, out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

async function sampleFile(lang: 'en-US' | 'zh-CN' = 'en-US') {
  const file = path.join(tmp(), 'bank.powermap');
  await (await createFromJson(file, readSample(path.join(REPO, 'resources'), lang))).close();
  return file;
}

describe('powermap review', () => {
  it('--json lists the stale and unverified facts of the sample, decision makers first', async () => {
    const file = await sampleFile();
    const r = await run(['review', file, '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j).toMatchObject({ version: 1, days: 60, facts: 96 });
    expect(j.verified + j.toReview.length).toBe(96);
    expect(j.toReview.every((f: { status: string }) => f.status === 'stale' || f.status === 'unverified')).toBe(true);
    // The president's attitude (told by the coach 75 days ago) is stale and comes first.
    expect(j.toReview[0]).toMatchObject({ kind: 'attitude', person: { id: 'p_president', name: 'Zhao Guodong' }, value: 'Neutral', status: 'stale', source: 'coach', ageDays: 75, verifiedBy: 'Lin Xiaowen' });
    // The guessed conflict between the risk director and the IT centre director is there.
    expect(j.toReview.find((f: { id: string }) => f.id === 'r32')).toMatchObject({ kind: 'relation', status: 'unverified', source: 'guess' });
    // A tighter threshold makes more facts stale.
    const tight = JSON.parse((await run(['review', file, '--json', '--days', '10'])).out);
    expect(tight.days).toBe(10);
    expect(tight.toReview.length).toBeGreaterThan(j.toReview.length);
  });

  it('prints one line per fact, in Chinese too, and refuses a bad --days', async () => {
    const file = await sampleFile('zh-CN');
    const r = await run(['review', file], 'zh-CN');
    expect(r.code).toBe(0);
    expect(r.out.split('\n')[0]).toMatch(/^待核实的信息 — 96 条信息中有 \d+ 条在最近 60 天内核实$/);
    expect(r.out).toContain('态度: 中立 — 过时, 75 天前核实, 教练透露');
    expect(r.out).not.toMatch(/[A-Za-z]{3,}/);
    expect((await run(['review', file, '--days', 'soon'])).code).toBe(2);
  });
});
