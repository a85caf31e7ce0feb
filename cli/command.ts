import type { Lang } from '../shared/i18n/errors';

/** A CLI command: `powermap <name> …`. Errors are thrown (ApiError or UsageError), never printed here. */
export interface Command {
  name: string;
  usage: string;
  summary: string;
  /** Returns the exit code. Output goes through ctx so tests can capture it. */
  run(args: string[], ctx: CliContext): Promise<number> | number;
}

export interface CliContext {
  lang: Lang;
  out(line: string): void;
  err(line: string): void;
}

/** Wrong arguments: printed as one line with the command's usage, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
