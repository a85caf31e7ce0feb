/** Every CLI command; each lives in its own file beside this one. */
import type { Command } from '../command';
import { infoCommand } from './info';

export const COMMANDS: Command[] = [infoCommand];
