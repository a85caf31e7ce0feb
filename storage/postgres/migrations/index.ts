/**
 * The team database's migrations, in order. One file per migration, NNNN-name.ts, exporting
 * `migrationNNNN`. Versions rise; gaps are allowed, so areas can set ranges aside while they are
 * built in parallel: 0001–0009 accounts (organizations, users, sessions, tokens, sign-in limits,
 * audit), 0010 on maps, shares and live changes, 0011 evidence, 0012 the buying process (function, ticked next steps, stage weights), 0013 publishing (origin of a map, publish operation ids), 0014 the redo tail's index. A migration added below a version a database
 * already has is refused (renumber it). Once released, a migration is never edited: a change is
 * a new file.
 */
import type { PgMigration } from '../migrate';
import { migration0001 } from './0001-accounts';
import { migration0010 } from './0010-maps';
import { migration0011 } from './0011-evidence';
import { migration0012 } from './0012-levels-steps';
import { migration0013 } from './0013-publish';
import { migration0014 } from './0014-redo-index';

export const MIGRATIONS: readonly PgMigration[] = [migration0001, migration0010, migration0011, migration0012, migration0013, migration0014];
