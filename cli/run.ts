/**
 * The CLI: `npx powermap <command> …`, the same services as the app. Errors: one clear line on
 * stderr in the user's language (LANG), a non-zero exit, never a stack trace.
 */
import { ApiError } from '../shared/api/errors';
import { errorMessage, langFromLocale } from '../shared/i18n/errors';
import { systemLocale } from '../services/paths';
import { APP_VERSION } from '../services/version';
import { UsageError, type CliContext } from './command';
import { COMMANDS } from './commands';
import { forTerminal } from './terminal';

function usage(): string {
  return ['usage:', ...COMMANDS.map((c) => `  ${c.usage}\n      ${c.summary}`)].join('\n');
}

export async function runCli(argv: string[], ctx?: Partial<CliContext>): Promise<number> {
  // Every line the CLI writes passes here: control characters from map data never reach the terminal raw.
  const out = ctx?.out ?? ((l: string) => process.stdout.write(l + '\n'));
  const err = ctx?.err ?? ((l: string) => process.stderr.write(l + '\n'));
  const full: CliContext = {
    lang: ctx?.lang ?? langFromLocale(systemLocale()),
    out: (l) => out(forTerminal(l)),
    err: (l) => err(forTerminal(l)),
  };
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    full.out(usage());
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-v') {
    full.out(APP_VERSION);
    return 0;
  }
  const cmd = COMMANDS.find((c) => c.name === name);
  if (!cmd) {
    full.err(`powermap: unknown command "${name}"\n${usage()}`);
    return 2;
  }
  try {
    return await cmd.run(rest, full);
  } catch (e) {
    if (e instanceof UsageError || (e as { code?: string })?.code?.startsWith?.('ERR_PARSE_ARGS')) {
      full.err(`powermap ${name}: ${(e as Error).message}\nusage: ${cmd.usage}`);
      return 2;
    }
    if (e instanceof ApiError) {
      full.err(`powermap ${name}: ${errorMessage(e, full.lang)}`);
      for (const d of e.details ?? []) full.err(`  ${d}`);
      return 1;
    }
    full.err(`powermap ${name}: ${(e as Error)?.message ?? String(e)}`);
    return 1;
  }
}
