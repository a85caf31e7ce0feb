/**
 * Team maps from the command line (the admin's tools; --db or POWERMAP_DB as for `powermap user`):
 *   powermap map import <file.powermap|file.json> --owner <email> [--name N] [--include-personal] --db URL
 *   powermap map share <map name or id> --with <email> --role editor|viewer --db URL
 *   powermap map list --db URL [--json]
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { APP_VERSION } from '../../services/version';
import { UsageError, type Command } from '../command';

const USAGE = [
  'powermap map import <file.powermap|file.json> --owner <email> [--name "<name>"] [--include-personal] --db URL',
  '       powermap map share <map name or id> --with <email> --role editor|viewer --db URL',
  '       powermap map list --db URL [--json]',
].join('\n');

export const mapCommand: Command = {
  name: 'map',
  usage: USAGE,
  summary: 'team maps: import a map file for a teammate, share a map, list every map',
  async run(args, ctx) {
    const [sub, ...rest] = args;
    const { values, positionals } = parseArgs({
      args: rest,
      allowPositionals: true,
      options: {
        db: { type: 'string' },
        owner: { type: 'string' },
        name: { type: 'string' },
        with: { type: 'string' },
        role: { type: 'string' },
        json: { type: 'boolean' },
        'include-personal': { type: 'boolean' },
      },
    });
    if (!sub || !['import', 'share', 'list'].includes(sub)) throw new UsageError(sub ? `unknown map command "${sub}"` : 'say what to do: import, share or list');
    const url = values.db ?? process.env.POWERMAP_DB;
    if (!url) throw new UsageError('say which database: --db postgres://… (or set POWERMAP_DB)');
    const zh = ctx.lang === 'zh-CN';
    if (sub === 'import') {
      if (positionals.length !== 1) throw new UsageError('give exactly one map file to import');
      if (!values.owner) throw new UsageError('say whose map it is: --owner <email>');
    }
    if (sub === 'share') {
      if (positionals.length !== 1) throw new UsageError('name exactly one map (its name or id)');
      if (!values.with) throw new UsageError('say with whom: --with <email>');
      if (values.role !== 'editor' && values.role !== 'viewer') throw new UsageError('--role must be editor or viewer');
    }
    if (sub === 'list' && positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);

    const { openTeamDatabase, StartupError, startupMessage } = await import('../../server/team/start');
    const admin = await import('../../server/team/maps-admin');
    let pool;
    try {
      pool = await openTeamDatabase(url, { appVersion: APP_VERSION });
    } catch (e) {
      if (e instanceof StartupError) {
        ctx.err(`powermap map: ${startupMessage(e, ctx.lang)}`);
        return 1;
      }
      throw e;
    }
    try {
      if (sub === 'import') {
        const file = path.resolve(positionals[0]!);
        const r = await admin.importTeamMap(pool, file, { ownerEmail: values.owner!, name: values.name, includePersonal: values['include-personal'] });
        const c = r.counts;
        ctx.out(
          zh
            ? `已导入“${r.map.name}”（${r.map.id}），所有者 ${values.owner}${c ? `：${c.people} 人、${c.relations} 条关系、${c.snapshots} 个快照` : ''}`
            : `Imported “${r.map.name}” (${r.map.id}) for ${values.owner}${c ? `: ${c.people} people, ${c.relations} relations, ${c.snapshots} snapshots` : ''}`,
        );
        if (!values['include-personal']) ctx.err(zh ? '  个人资料和行程未导入（需要时加 --include-personal）' : '  personal profiles and trips were left out (--include-personal brings them)');
        return 0;
      }
      if (sub === 'share') {
        const r = await admin.shareTeamMap(pool, positionals[0]!, values.with!, values.role as 'editor' | 'viewer');
        ctx.out(zh ? `已将“${r.map}”共享给 ${r.with}（${r.role === 'editor' ? '编辑者' : '查看者'}）` : `Shared “${r.map}” with ${r.with} as ${r.role}`);
        return 0;
      }
      const maps = await admin.listTeamMaps(pool);
      if (values.json) ctx.out(JSON.stringify(maps.map((m) => ({ id: m.mapId, name: m.name, owner: m.ownerEmail, rev: m.rev, updatedAt: m.updatedAt })), null, 2));
      else {
        if (!maps.length) ctx.out(zh ? '还没有团队地图。' : 'No team maps yet.');
        for (const m of maps) ctx.out(`${m.mapId}  ${m.name}  (${m.ownerEmail}, ${m.updatedAt.slice(0, 16).replace('T', ' ')})`);
      }
      return 0;
    } finally {
      await pool.end().catch(() => undefined);
    }
  },
};
