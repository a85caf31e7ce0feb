/**
 * Schema migrations, one file each (NNNN-name.ts). PRAGMA user_version holds the number of the
 * last one applied. Each runs in its own transaction; a backup copy is made before migrating an
 * existing file (see ../open.ts).
 */
import type { Database } from 'better-sqlite3';
import { migration0001 } from './0001-initial';
import { migration0002 } from './0002-time';
import { migration0003 } from './0003-undo-rowid';
import { migration0004 } from './0004-evidence';
import { migration0005 } from './0005-levels-steps';
import { migration0006 } from './0006-origin';

export interface Migration {
  version: number;
  name: string;
  up(db: Database): void;
}

const MIGRATIONS: Migration[] = [migration0001, migration0002, migration0003, migration0004, migration0005, migration0006];
export const LATEST_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/** Applies every migration above the file's version, each in its own transaction. */
export function migrate(db: Database): number {
  return migrateTo(db, LATEST_VERSION);
}

/** Applies the migrations above the file's version up to `target`. */
export function migrateTo(db: Database, target: number): number {
  let version = db.pragma('user_version', { simple: true }) as number;
  for (const m of MIGRATIONS) {
    if (m.version <= version || m.version > target) continue;
    db.transaction(() => {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    })();
    version = m.version;
  }
  return version;
}
