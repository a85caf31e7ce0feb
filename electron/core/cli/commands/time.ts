import type { Command } from '../command';

/** CLI commands of the time area. */
export const timeCommands: Command[] = [];
