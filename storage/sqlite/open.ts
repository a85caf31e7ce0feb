/**
 * Opening and checking a map file. Before PowerMap writes anything to a file it must be whole
 * (quick_check), ours (application id, the tables of its version) and carry nothing but what
 * PowerMap's own migrations create: a map travels by mail, and a colleague's file with a trigger,
 * view or extra table of its own would otherwise run code on our edits or hide data from purge
 * (docs/TRUST.md). New files are built at a temporary name beside the target and renamed into
 * place, so a crash never leaves a half-made map. The connection settings every map uses live
 * here too (`configure`), and so does the mapping of SQLite's errors to typed ApiErrors.
 */
import Database, { type Database as Db } from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { ApiError } from '../../shared/api/errors';
import type { Row } from '../rows';
import { APPLICATION_ID, checkMapFile, fsError, isWritable, removeMapFiles } from './file-check';
import { LATEST_VERSION, migrate, migrateTo } from './migrations';

/** Sets the pragmas every connection to a map file uses. */
function configure(db: Db): void {
  // Schema code (triggers, views, defaults) may not call functions with side effects: checked
  // objects only run what PowerMap wrote, and this keeps it that way even if a check were missed.
  db.pragma('trusted_schema = OFF');
  // An exclusive lock held for the connection's life: a second PowerMap (window, app or CLI)
  // gets SQLITE_BUSY at once instead of two writers interleaving undo logs.
  db.pragma('locking_mode = EXCLUSIVE');
  db.pragma('busy_timeout = 0');
  db.pragma('journal_mode = WAL');
  // WAL defaults to NORMAL in better-sqlite3, which can drop the last commits on power loss.
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  // Deleted content is overwritten, so a purged person leaves no bytes behind.
  db.pragma('secure_delete = ON');
}

/** Maps a SQLite (or file-system) failure to a typed ApiError naming the file. */
export function sqliteError(e: unknown, file: string): ApiError {
  if (e instanceof ApiError) return e;
  const name = path.basename(file);
  const code = String((e as { code?: string })?.code ?? '');
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'))
    return new ApiError('LOCKED', `${name} is open in another PowerMap window or program`, { name });
  if (code.startsWith('SQLITE_READONLY') || code === 'SQLITE_CANTOPEN' || code.startsWith('SQLITE_PERM'))
    return new ApiError('READ_ONLY', `${name} cannot be written: it or its folder is read-only`, { name });
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB')
    return new ApiError('CORRUPT', `${name} is damaged and cannot be opened`, { name });
  if (code.startsWith('SQLITE_CONSTRAINT')) return new ApiError('INVALID_EDIT', `The edit breaks a rule of the map: ${(e as Error).message}`);
  if (code.startsWith('SQLITE_')) return new ApiError('IO', `${name}: ${(e as Error).message}`, { name });
  return fsError(e, file);
}

/** The tables of schema version 1: a file without them is not a whole PowerMap map. */
const REQUIRED_TABLES = ['map_meta', 'doc_state', 'person', 'profile', 'relation', 'member', 'coverage', 'position', 'undo_log'];

interface SchemaObject {
  type: string;
  name: string;
  sql: string | null;
}
const schemaOf = (db: Db): SchemaObject[] =>
  db.prepare('SELECT type, name, sql FROM sqlite_schema ORDER BY type, name').all() as SchemaObject[];
/**
 * SQLite's own tables: statistics (ANALYZE) and the AUTOINCREMENT counters (which VACUUM INTO
 * leaves out of a copy). Harmless, and not ours to refuse or require.
 */
const isSqlites = (o: { type: string; name: string }) => o.type === 'table' && /^sqlite_(stat\d|sequence)$/.test(o.name);
const normalSql = (sql: string | null) => (sql ?? '').replace(/\s+/g, ' ').trim();

const referenceSchemas = new Map<number, Map<string, string>>();
/** What PowerMap's migrations create at `version`, built once in memory. */
function referenceSchema(version: number): Map<string, string> {
  let ref = referenceSchemas.get(version);
  if (!ref) {
    const db = new Database(':memory:');
    try {
      migrateTo(db, version);
      ref = new Map(schemaOf(db).map((o) => [`${o.type} ${o.name}`, normalSql(o.sql)]));
    } finally {
      db.close();
    }
    referenceSchemas.set(version, ref);
  }
  return ref;
}

/**
 * Refuses a file whose schema holds anything PowerMap's migrations did not make at its version:
 * an extra trigger, view, table or index, or one of ours with different SQL.
 */
function checkSchema(db: Db, version: number, name: string): void {
  const ref = referenceSchema(version);
  const foreign: string[] = [];
  const seen = new Set<string>();
  for (const o of schemaOf(db)) {
    if (isSqlites(o)) continue;
    const k = `${o.type} ${o.name}`;
    seen.add(k);
    if (ref.get(k) !== normalSql(o.sql)) foreign.push(`${o.type} ${o.name}`);
  }
  if (foreign.length)
    throw new ApiError(
      'UNTRUSTED',
      `${name} holds database objects PowerMap did not make (${foreign.slice(0, 5).join(', ')}${foreign.length > 5 ? ', …' : ''}); it was not opened`,
      { name, what: foreign.slice(0, 5).join(', ') },
    );
  const missing = [...ref.keys()].filter((k) => !seen.has(k) && k !== 'table sqlite_sequence');
  if (missing.length)
    throw new ApiError('CORRUPT', `${name} is damaged: parts of the map are missing (${missing.join(', ')})`, { name });
}

/**
 * The checks a file must pass before PowerMap writes anything to it: whole (quick_check), ours
 * (application id, tables, nothing foreign in its schema), not from a newer version. Returns its
 * schema version.
 */
function verifyOpened(db: Db, name: string): number {
  const check = db.pragma('quick_check', { simple: true });
  if (check !== 'ok') throw new ApiError('CORRUPT', `${name} is damaged and cannot be opened`, { name });
  const appId = db.pragma('application_id', { simple: true }) as number;
  if (appId !== APPLICATION_ID)
    throw new ApiError('NOT_A_POWERMAP', `${name} is a database of another program, not a PowerMap map`, { name });
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > LATEST_VERSION)
    throw new ApiError('NEWER_VERSION', `${name} was made by a newer PowerMap (file version ${version}); update PowerMap to open it`, {
      name,
      version,
    });
  const tables = new Set(db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").pluck().all() as string[]);
  const missing = REQUIRED_TABLES.filter((t) => !tables.has(t));
  if (version < 1 || missing.length)
    throw new ApiError('CORRUPT', `${name} is damaged: parts of the map are missing (${missing.join(', ') || 'schema'})`, { name });
  checkSchema(db, version, name);
  return version;
}

/** The prefix of the private copies verifyCopy makes beside a map. */
const CHECK_PREFIX = '.powermap-check-';

/**
 * Removes private check copies a killed PowerMap left beside `file` (they may hold the whole map,
 * profiles included). Only copies whose process is gone are removed.
 */
function removeStaleCopies(file: string): void {
  const dir = path.dirname(file);
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  for (const n of names) {
    const m = n.match(/^\.powermap-check-(\d+)-/);
    if (!m) continue;
    const pid = Number(m[1]);
    let alive = pid === process.pid;
    if (!alive)
      try {
        process.kill(pid, 0);
        alive = true;
      } catch (e) {
        alive = (e as NodeJS.ErrnoException).code === 'EPERM';
      }
    if (!alive) fs.rmSync(path.join(dir, n), { recursive: true, force: true });
  }
}

/**
 * A -wal file left beside the map (PowerMap was killed, or the computer lost power) is replayed
 * by the first real open and written into the map when it closes. So that a file that is then
 * refused (damaged, newer, foreign) stays exactly as it was, the checks run on a private copy
 * first — made beside the map (same disk, same permissions), never in a shared temp folder, and
 * removed at once; one left by a killed process is removed on the next open.
 */
function verifyCopy(file: string, name: string): void {
  removeStaleCopies(file);
  const dir = fs.mkdtempSync(path.join(path.dirname(file), `${CHECK_PREFIX}${process.pid}-`));
  try {
    fs.chmodSync(dir, 0o700);
    const copy = path.join(dir, 'check.powermap');
    fs.copyFileSync(file, copy);
    fs.copyFileSync(`${file}-wal`, `${copy}-wal`);
    const db = new Database(copy, { fileMustExist: true });
    try {
      configure(db);
      verifyOpened(db, name);
    } finally {
      db.close();
    }
  } catch (e) {
    throw sqliteError(e, file);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const walSize = (file: string): number => {
  try {
    return fs.statSync(`${file}-wal`).size;
  } catch {
    return 0;
  }
};

/**
 * Refuses a map whose -wal, -shm or -journal beside it is not a plain file: a link (even a
 * dangling one) or a folder would point SQLite's reads and writes elsewhere.
 */
function checkCompanions(file: string, name: string): void {
  for (const suffix of ['-wal', '-shm', '-journal']) {
    let st: fs.Stats;
    try {
      st = fs.lstatSync(`${file}${suffix}`);
    } catch {
      continue;
    }
    if (!st.isFile())
      throw new ApiError(
        'UNTRUSTED',
        `${name}${suffix} beside the map is ${st.isSymbolicLink() ? 'a symbolic link' : 'not a regular file'}; PowerMap does not open a map whose journal points elsewhere`,
        { name, companion: `${name}${suffix}`, what: `${name}${suffix}`, reason: 'companion_link' },
      );
  }
}

export interface OpenOptions {
  /** Make a backup copy before migrating an older file (default true). */
  backupBeforeMigrate?: boolean;
}

/**
 * Opens an existing map. A file that is not a PowerMap map, is damaged, carries foreign schema
 * objects, is locked, read-only or from a newer version is refused with a typed error and left
 * byte-for-byte unchanged. Returns the open, locked, migrated connection.
 */
export function openMapFile(file: string, opts: OpenOptions = {}): Db {
  const header = checkMapFile(file);
  const name = path.basename(file);
  if (header.userVersion > LATEST_VERSION)
    throw new ApiError('NEWER_VERSION', `${name} was made by a newer PowerMap (file version ${header.userVersion}); update PowerMap to open it`, {
      name,
      version: header.userVersion,
    });
  checkCompanions(file, name);
  if (!isWritable(file)) throw new ApiError('READ_ONLY', `${name} cannot be written: it or its folder is read-only`, { name });
  if (walSize(file) > 0) verifyCopy(file, name);
  let db: Db | undefined;
  try {
    db = new Database(file, { fileMustExist: true });
    configure(db);
    // Take the exclusive lock now (a write lock that the connection keeps).
    db.exec('BEGIN EXCLUSIVE; COMMIT;');
    const version = verifyOpened(db, name);
    if (version < LATEST_VERSION) {
      if (opts.backupBeforeMigrate !== false) {
        db.pragma('wal_checkpoint(TRUNCATE)');
        fs.copyFileSync(file, `${file}.v${version}.bak`, fs.constants.COPYFILE_EXCL);
      }
      migrate(db);
    }
    if (!db.prepare('SELECT 1 FROM map_meta WHERE id = 1').get())
      throw new ApiError('CORRUPT', `${name} has no map record`, { name });
    return db;
  } catch (e) {
    try {
      db?.close();
    } catch {
      /* already failing */
    }
    throw sqliteError(e, file);
  }
}

/**
 * Creates a new map file with its map record, built aside and renamed into place; refuses to
 * overwrite an existing file. The caller opens it.
 */
export function createMapFile(file: string, metaRow: Row): void {
  const name = path.basename(file);
  if (fs.existsSync(file)) throw new ApiError('FILE_EXISTS', `${name} already exists`, { name, path: file });
  const dir = path.dirname(file);
  if (!fs.existsSync(dir)) throw fsError(Object.assign(new Error('no folder'), { code: 'ENOENT' }), file);
  const tmp = path.join(dir, `.${name}.${process.pid}.${Date.now()}.tmp`);
  try {
    const db = new Database(tmp);
    try {
      db.pragma(`application_id = ${APPLICATION_ID}`);
      migrate(db);
      const cols = Object.keys(metaRow);
      db.prepare(`INSERT INTO map_meta (${cols.join(', ')}) VALUES (${cols.map((c) => '@' + c).join(', ')})`).run(metaRow);
      db.pragma('journal_mode = WAL');
    } finally {
      db.close();
    }
    fs.renameSync(tmp, file);
  } catch (e) {
    removeMapFiles(tmp);
    throw sqliteError(e, file);
  }
}
