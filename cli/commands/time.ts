import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { compareMaps } from '../../shared/time/compare';
import { describeDiff } from '../../shared/time/describe';
import type { MapContent } from '../../shared/time/types';
import { openMapFile } from '../../services/map/files';
import type { MapStore } from '../../storage/types';
import { currentContent, listSnapshots, matchSnapshots, readSnapshot } from '../../services/time/snapshots';
import { UsageError, type Command } from '../command';

/** One side of `powermap diff`: a file, and a snapshot in it (by id or name) or the map as it is. */
export interface DiffArg {
  file: string;
  snapshot: string | null;
}

/**
 * Splits `map.powermap#snapshot`. A file name may itself hold '#': the first prefix that names
 * an existing file wins; with none, the part before the first '#' is the file.
 */
function parseDiffArg(arg: string, cwd = process.cwd()): DiffArg {
  const whole = path.resolve(cwd, arg);
  if (!arg.includes('#') || fs.existsSync(whole)) return { file: whole, snapshot: null };
  for (let i = arg.indexOf('#'); i >= 0; i = arg.indexOf('#', i + 1)) {
    const file = path.resolve(cwd, arg.slice(0, i));
    if (i > 0 && fs.existsSync(file) && fs.statSync(file).isFile()) return { file, snapshot: arg.slice(i + 1) || null };
  }
  const i = arg.indexOf('#');
  if (i === 0) throw new UsageError(`"${arg}" names no map file before the #`);
  return { file: path.resolve(cwd, arg.slice(0, i)), snapshot: arg.slice(i + 1) || null };
}

/** A snapshot name that names none: one plain line (exit 1), in the user's language. */
class SnapshotNotFound extends Error {}

const diffCommand: Command = {
  name: 'diff',
  usage: 'powermap diff <a.powermap[#snap]> [<b.powermap[#snap]>] [--json]',
  summary: 'what changed between two maps or snapshots (a snapshot alone: since then)',
  async run(args, ctx) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { json: { type: 'boolean' } } });
    const zh = ctx.lang === 'zh-CN';
    if (positionals.length < 1 || positionals.length > 2) throw new UsageError('give two maps or snapshots to compare (file.powermap or file.powermap#snapshot)');
    const a = parseDiffArg(positionals[0]!);
    const b = positionals[1] !== undefined ? parseDiffArg(positionals[1]) : { file: a.file, snapshot: null };
    if (positionals.length === 1 && a.snapshot === null)
      throw new UsageError('with one argument, name a snapshot in it: file.powermap#snapshot (compared with the map as it is now)');

    // A map file is held with an exclusive lock: each file is opened once, even if both sides name it.
    const stores = new Map<string, MapStore>();
    try {
      const open = async (file: string) => {
        let s = stores.get(file);
        if (!s) {
          s = await openMapFile(file);
          stores.set(file, s);
        }
        return s;
      };
      const load = async (d: DiffArg): Promise<{ content: MapContent; label: string; snapshot: { id: string; name: string; takenAt: string } | null }> => {
        const store = await open(d.file);
        if (d.snapshot === null) return { content: await currentContent(store), label: path.basename(d.file), snapshot: null };
        const hits = await matchSnapshots(store, d.snapshot);
        const name = path.basename(d.file);
        if (hits.length > 1)
          throw new UsageError(
            zh
              ? `${name} 中有 ${hits.length} 个名为“${d.snapshot}”的快照，请改用编号：${hits.map((h) => h.id).join('、')}`
              : `${name} has ${hits.length} snapshots named “${d.snapshot}”: use an id (${hits.map((h) => h.id).join(', ')})`,
          );
        const info = hits[0];
        if (!info) {
          const names = (await listSnapshots(store)).map((s) => `“${s.name}”`);
          throw new SnapshotNotFound(
            zh
              ? `${name} 中没有名为“${d.snapshot}”的快照${names.length ? `（现有：${names.join('、')}）` : '（该地图还没有快照）'}`
              : `${name} has no snapshot “${d.snapshot}”${names.length ? ` (it has ${names.join(', ')})` : ' (it has none)'}`,
          );
        }
        return {
          content: await readSnapshot(store, info.id),
          label: `${path.basename(d.file)}#${info.name}`,
          snapshot: { id: info.id, name: info.name, takenAt: info.takenAt },
        };
      };
      const x = await load(a);
      const y = await load(b);
      const diff = compareMaps(x.content, y.content);
      if (values.json) {
        ctx.out(
          JSON.stringify(
            { from: { file: a.file, snapshot: x.snapshot }, to: { file: b.file, snapshot: y.snapshot }, ...diff },
            null,
            2,
          ),
        );
        return 0;
      }
      const when = (s: typeof x.snapshot) => (s ? ` (${s.takenAt.slice(0, 16).replace('T', ' ')} UTC)` : zh ? '（当前）' : ' (now)');
      ctx.out(zh ? `比较：${x.label}${when(x.snapshot)} → ${y.label}${when(y.snapshot)}` : `Changes from ${x.label}${when(x.snapshot)} to ${y.label}${when(y.snapshot)}`);
      if (diff.differences.length === 0) {
        ctx.out(zh ? '没有变化。' : 'No differences.');
        return 0;
      }
      for (const g of describeDiff(diff, ctx.lang)) {
        ctx.out('');
        ctx.out(`${g.title}${zh ? '：' : ':'}`);
        for (const l of g.lines) ctx.out(`  ${l}`);
      }
      ctx.out('');
      ctx.out(zh ? `共 ${diff.differences.length} 项变化。` : `${diff.differences.length} difference${diff.differences.length === 1 ? '' : 's'}.`);
      return 0;
    } finally {
      for (const s of stores.values()) await s.close();
    }
  },
};

/** CLI commands of the time area. */
export const timeCommands: Command[] = [diffCommand];
