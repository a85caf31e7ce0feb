import path from 'node:path';
import { parseArgs } from 'node:util';
import type { PurgeResult } from '../../shared/api/privacy';
import type { ErasablePerson } from '../../shared/api/privacy';
import { backupLine, mentionLine, purgeSummary, stripSummary } from '../../shared/i18n/privacy';
import { call, withMap } from '../session';
import { UsageError, type CliContext, type Command } from '../command';

/**
 * Finds the one person `who` names — on the map, or deleted from it but still in its history or
 * snapshots: an id, else an exact name, else a name ignoring case and spaces.
 */
function findPerson(people: ErasablePerson[], file: string, who: string, zh: boolean): ErasablePerson {
  const byId = people.find((p) => p.id === who);
  if (byId) return byId;
  const fold = (s: string) => s.normalize('NFC').replace(/\s+/g, ' ').trim().toLowerCase();
  let hits = people.filter((p) => p.name === who);
  if (!hits.length) hits = people.filter((p) => fold(p.name) === fold(who));
  if (hits.length === 1) return hits[0]!;
  if (hits.length > 1)
    throw new UsageError(
      zh
        ? `${file} 中有 ${hits.length} 人名为“${who}”，请用编号：${hits.map((h) => h.id).join('、')}`
        : `${file} has ${hits.length} people named “${who}”: give an id (${hits.map((h) => h.id).join(', ')})`,
    );
  throw new UsageError(zh ? `${file} 中没有“${who}”这个人` : `${file} has nobody named or numbered “${who}”`);
}

function report(r: PurgeResult, ctx: CliContext): void {
  const who = ctx.lang === 'zh-CN' ? `${r.person.name}（${r.person.id}）` : `${r.person.name} (${r.person.id})`;
  ctx.out(purgeSummary(r, ctx.lang, who));
  const note = ctx.lang === 'zh-CN' ? '  注意：' : '  note: ';
  for (const m of r.mentions) ctx.err(note + mentionLine(m, ctx.lang));
  for (const b of r.backups) ctx.err(note + backupLine(path.basename(b), ctx.lang, 'person'));
}

const purgeCommand: Command = {
  name: 'purge',
  usage: 'powermap purge <map.powermap> --person <name|id> [--yes] [--json]',
  summary: 'erase a person completely (rows, undo history, snapshots, -wal); cannot be undone',
  run(args, ctx) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { person: { type: 'string' }, yes: { type: 'boolean' }, json: { type: 'boolean' } },
    });
    if (positionals.length !== 1) throw new UsageError('give exactly one map file');
    const person = values.person;
    if (!person) throw new UsageError('say whom to erase: --person <name or id>');
    const zh = ctx.lang === 'zh-CN';
    return withMap(positionals[0]!, ctx.lang, async (session) => {
      const who = findPerson(await call(session, 'privacy.erasable', {}), path.basename(positionals[0]!), person, zh);
      if (!values.yes) {
        ctx.out(
          zh
            ? `将彻底删除 ${who.name}（${who.id}）及其全部痕迹，且无法撤销。确认请加 --yes 再运行。`
            : `This erases ${who.name} (${who.id}) and every trace of them, and cannot be undone. Run again with --yes to do it.`,
        );
        return 2;
      }
      const r = await call(session, 'person.purge', { id: who.id });
      if (values.json) ctx.out(JSON.stringify({ ...r, change: undefined }, null, 2));
      else report(r, ctx);
      return 0;
    });
  },
};

const stripCommand: Command = {
  name: 'strip-personal',
  usage: 'powermap strip-personal <map.powermap> [--out <copy.powermap>] [--keep-itineraries]',
  summary: 'remove every personal profile and trip (in place, or into a copy to share)',
  run(args, ctx) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { out: { type: 'string' }, 'keep-itineraries': { type: 'boolean' } },
    });
    if (positionals.length !== 1) throw new UsageError('give exactly one map file');
    const zh = ctx.lang === 'zh-CN';
    return withMap(positionals[0]!, ctx.lang, async (session) => {
      const r = await call(session, 'map.stripPersonal', {
        keepItineraries: values['keep-itineraries'],
        copyTo: values.out ? path.resolve(values.out) : undefined,
      });
      ctx.out(stripSummary(r, ctx.lang, path.basename(r.path)));
      for (const b of r.backups) ctx.err((zh ? '  注意：' : '  note: ') + backupLine(path.basename(b), ctx.lang, 'details'));
      return 0;
    });
  },
};

/** CLI commands of the privacy area. */
export const privacyCommands: Command[] = [purgeCommand, stripCommand];
