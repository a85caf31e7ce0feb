import type { Command } from '../command';

/** CLI commands of the exchange area. */
export const exchangeCommands: Command[] = [];
