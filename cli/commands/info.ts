import path from 'node:path';
import { parseArgs } from 'node:util';
import { MapStore } from '../../storage/sqlite/map-store';
import { UsageError, type Command } from '../command';

export const infoCommand: Command = {
  name: 'info',
  usage: 'powermap info <map.powermap> [--json]',
  summary: 'counts and file version of a map',
  run(args, ctx) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { json: { type: 'boolean' } } });
    if (positionals.length !== 1) throw new UsageError('give exactly one map file');
    const store = MapStore.open(path.resolve(positionals[0]!));
    try {
      const meta = store.meta();
      const info = { file: store.file, fileVersion: store.fileVersion, account: meta.account, deal: meta.deal, stage: meta.stage, ...store.counts() };
      if (values.json) ctx.out(JSON.stringify(info, null, 2));
      else {
        ctx.out(`${path.basename(store.file)}: ${meta.account || '(no account)'} — ${meta.deal || '(no deal)'}`);
        ctx.out(`  file version ${info.fileVersion}, stage ${meta.stage}`);
        ctx.out(`  ${info.people} people, ${info.relations} relations, ${info.team} team members, ${info.coverage} coverage links`);
      }
      return 0;
    } finally {
      store.close();
    }
  },
};
