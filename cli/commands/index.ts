/** Every CLI command; each area keeps its commands in its own file beside this one. */
import type { Command } from '../command';
import { analysisCommands } from './analysis';
import { exchangeCommands } from './exchange';
import { infoCommand } from './info';
import { privacyCommands } from './privacy';
import { reviewCommands } from './review';
import { teamCommands } from './team';
import { teamSyncCommands } from './team-sync';
import { mapCommand } from './team-maps';
import { timeCommands } from './time';

export const COMMANDS: Command[] = [infoCommand, ...analysisCommands, ...reviewCommands, ...exchangeCommands, ...timeCommands, ...privacyCommands, ...teamCommands, mapCommand, ...teamSyncCommands];
