import path from 'node:path';
import { parseArgs } from 'node:util';
import { counts, meta as readMeta } from '../../services/map/read';
import { withMap } from '../session';
import { UsageError, type Command } from '../command';

export const infoCommand: Command = {
  name: 'info',
  usage: 'powermap info <map.powermap> [--json]',
  summary: 'counts and file version of a map',
  run(args, ctx) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { json: { type: 'boolean' } } });
    if (positionals.length !== 1) throw new UsageError('give exactly one map file');
    return withMap(positionals[0]!, ctx.lang, async (session) => {
      const store = session.requireStore();
      const meta = await readMeta(store);
      const file = store.location.path;
      const info = { file, fileVersion: store.location.version, account: meta.account, deal: meta.deal, stage: meta.stage, ...(await counts(store)) };
      if (values.json) ctx.out(JSON.stringify(info, null, 2));
      else {
        ctx.out(`${path.basename(file)}: ${meta.account || '(no account)'} — ${meta.deal || '(no deal)'}`);
        ctx.out(`  file version ${info.fileVersion}, stage ${meta.stage}`);
        ctx.out(`  ${info.people} people, ${info.relations} relations, ${info.team} team members, ${info.coverage} coverage links`);
      }
      return 0;
    });
  },
};
