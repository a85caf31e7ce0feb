/**
 * Map files for tests: reading what is really on disk. A map's database handle stays inside
 * storage/ (and an open map holds an exclusive lock), so a test that checks the bytes closes the
 * map and opens the file with a connection of its own.
 */
import Database from 'better-sqlite3';
import { vi } from 'vitest';

/** Runs `sql` on a closed map file through a plain read-only connection: what is on disk. */
export function peek<T = Record<string, unknown>>(file: string, sql: string, ...params: unknown[]): T[] {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

/** The first row `sql` returns on a closed map file (undefined when none). */
export const peekOne = <T = Record<string, unknown>>(file: string, sql: string, ...params: unknown[]): T | undefined =>
  peek<T>(file, sql, ...params)[0];

/** Writes to a closed map file with a plain connection, behind PowerMap's back (checkpointed, so the file holds it). */
export function writeMapFile(file: string, fn: (db: Database.Database) => void): void {
  const db = new Database(file, { fileMustExist: true });
  try {
    fn(db);
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
}

/**
 * The SQLite connections `fn` set pragmas on while it ran (a map store configures its connection
 * when it opens): lets a test ask the store's own live connection how it is set, which nothing
 * outside storage/ can otherwise reach.
 */
export async function connectionsOf(fn: () => Promise<unknown>): Promise<Database.Database[]> {
  const spy = vi.spyOn(Database.prototype, 'pragma');
  try {
    await fn();
    return [...new Set(spy.mock.contexts as Database.Database[])];
  } finally {
    spy.mockRestore();
  }
}
