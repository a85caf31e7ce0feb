import type { Command } from '../command';

/** CLI commands of the analysis area. */
export const analysisCommands: Command[] = [];
