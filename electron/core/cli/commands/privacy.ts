import type { Command } from '../command';

/** CLI commands of the privacy area. */
export const privacyCommands: Command[] = [];
