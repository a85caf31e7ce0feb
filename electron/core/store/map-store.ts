/**
 * One open map file. Every edit runs in its own transaction (synchronous=FULL, so it is on disk
 * when the call returns) and records the before/after images of the rows it touched in the
 * undo_log table, so undo and redo are themselves ordinary durable transactions.
 */
import Database, { type Database as Db, type Statement } from 'better-sqlite3';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { ApiError } from '../../../shared/api/errors';
import { decodeEditLabel, encodeEditLabel, type EditLabel } from '../../../shared/i18n/history';
import {
  LAYOUTS,
  PROFILE_FIELDS,
  defaultMeta,
  defaultPersonFields,
  emptyProfile,
  type Change,
  type Coverage,
  type HistoryState,
  type LayoutName,
  type MapDocument,
  type MapMeta,
  type Person,
  type PersonFields,
  type Position,
  type Profile,
  type Relation,
  type RelationFields,
  type TeamMember,
  type TeamMemberFields,
} from '../../../shared/domain';
import { APPLICATION_ID, checkMapFile, fsError, isWritable } from './file-check';
import { LATEST_VERSION, migrate } from './migrations';
import {
  PERSON_OWNED,
  TABLES,
  coverageToRow,
  memberToRow,
  metaToRow,
  personPatchToRow,
  personToRow,
  relationToRow,
  rowToCoverage,
  rowToMember,
  rowToMeta,
  rowToPerson,
  rowToPosition,
  rowToRelation,
  positionToRow,
  type Row,
  type TableName,
  type TableSpec,
} from './rows';

/** The longest an edit goes without checking that the map's path still names the opened file. */
const IDENTITY_CHECK_MS = 1000;

/** How many undo steps a map keeps at least. */
export const UNDO_LIMIT = 500;
/**
 * The log is trimmed back to UNDO_LIMIT once it holds this many more steps: one batched delete
 * every UNDO_TRIM_SLACK edits instead of a delete (and its page writes) in every edit.
 */
export const UNDO_TRIM_SLACK = 50;

/**
 * The document revision (+1 per edit, undo, redo and load): doc_state.rev counts undo, redo and
 * loads; every edit inserts one undo_log row with seq = max(seq) + 1, and a trigger (migration
 * 0003) adds to doc_state.rev whatever the largest seq loses when the newest steps are deleted.
 * Adding the two saves an edit a page write and a statement.
 */
export const REV_SQL = `SELECT (SELECT rev FROM doc_state WHERE id = 1)
  + coalesce((SELECT max(seq) FROM undo_log), 0) AS rev`;

/**
 * What the store remembers between edits so an edit needs no extra queries: the revision, the
 * undo-log size and the history state. Valid while SQLite's total_changes() is what it was when
 * it was taken: any write that did not go through edit() (undo, redo, purge, a snapshot restore
 * someone adds later) changes that count, and the next use reloads it from the file.
 */
interface EditState {
  changes: number;
  rev: number;
  undoRows: number;
  history: HistoryState;
}

/** A row read just before an edit, and the EditState it was read in (MapStore.rowToEdit). */
interface Known {
  t: TableName;
  row: Row;
  state?: EditState;
}

export interface RowChange {
  t: TableName;
  b: Row | null;
  a: Row | null;
}

/**
 * The images an edit stores in the undo log. An insert or delete keeps the whole row; an update
 * keeps only what it changed, plus the key and the table's refs (whom the row is about): a
 * one-field edit of a person stores a few dozen bytes instead of two whole rows, so the undo
 * record fits beside others in one page and the commit writes fewer bytes.
 */
export function undoImages(c: RowChange): RowChange {
  if (!c.b || !c.a) return c;
  const { b: before, a: after } = c;
  const spec: TableSpec = TABLES[c.t];
  const b: Row = {};
  const a: Row = {};
  const keep = (k: string) => {
    b[k] = before[k] ?? null;
    a[k] = after[k] ?? null;
  };
  spec.key.forEach(keep);
  spec.refs?.forEach(keep);
  for (const k in after) if (after[k] !== before[k]) keep(k);
  return { t: c.t, b, a };
}

export const newId = (prefix: string): string => `${prefix}${crypto.randomBytes(9).toString('base64url')}`;
const now = () => new Date().toISOString();

/** Sets the pragmas every connection to a map file uses. */
function configure(db: Db): void {
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

function sqliteError(e: unknown, file: string): ApiError {
  if (e instanceof ApiError) return e;
  const name = path.basename(file);
  const code = String((e as { code?: string })?.code ?? '');
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'))
    return new ApiError('LOCKED', `${name} is open in another PowerMap window or program`, { name });
  if (code.startsWith('SQLITE_READONLY') || code === 'SQLITE_CANTOPEN' || code.startsWith('SQLITE_PERM'))
    return new ApiError('READ_ONLY', `${name} cannot be written: it or its folder is read-only`, { name });
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB')
    return new ApiError('CORRUPT', `${name} is damaged and cannot be opened`, { name });
  if (code.startsWith('SQLITE_IOERR') || code === 'SQLITE_FULL')
    return new ApiError('IO', `${name}: ${(e as Error).message}`, { name });
  if (code.startsWith('SQLITE_')) return new ApiError('IO', `${name}: ${(e as Error).message}`, { name });
  return fsError(e, file);
}

/** The tables of schema version 1: a file without them is not a whole PowerMap map. */
const REQUIRED_TABLES = ['map_meta', 'doc_state', 'person', 'profile', 'relation', 'member', 'coverage', 'position', 'undo_log'];

/**
 * The checks a file must pass before PowerMap writes anything to it: whole (quick_check), ours
 * (application id and tables), not from a newer version. Returns its schema version.
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
  return version;
}

/**
 * A -wal file left beside the map (PowerMap was killed, or the computer lost power) is replayed
 * by the first real open and written into the map when it closes. So that a file that is then
 * refused (damaged, newer) stays exactly as it was, the checks run on a private copy first.
 */
function verifyCopy(file: string, name: string): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'powermap-check-'));
  try {
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

export interface OpenOptions {
  /** Make a backup copy before migrating an older file (default true). */
  backupBeforeMigrate?: boolean;
}

export class MapStore {
  readonly file: string;
  readonly db: Db;
  private readonly stmtCache = new Map<string, Statement>();
  private readonly columnCache = new Map<TableName, readonly string[]>();
  private readonly readStmts = new Map<TableName, Statement>();
  private cached: EditState | null = null;
  /**
   * Rows of the single-key tables as stored (null: no such row), each read by the first edit
   * that needs it, so editing the same person again costs no query for the before image. It
   * describes the same state as `cached` (the total_changes() rule): cleared whenever that state
   * is reloaded and when an edit fails, and kept up to date by the edits' own writes.
   */
  private readonly rowCache = new Map<TableName, Map<string | number | null, Row | null>>();
  private closed = false;
  /** One transaction wrapper for every edit (making one per call costs more than the UPDATE). */
  private readonly inTransaction: <T>(fn: () => T) => T;

  /** Identity of the file opened, to notice when it is moved, deleted or replaced while open. */
  private readonly identity: { dev: number; ino: number };
  /** Set by the file watch on any event on the file: the next edit checks its identity. */
  private fileEvent = true;
  private identityCheckedAt = 0;
  /** Null once the watch failed: every edit then checks the identity. */
  private watcher: fs.FSWatcher | null = null;
  /**
   * The watch, kept to be closed only after the database: on macOS a file watch holds a file
   * descriptor of the map, and closing any descriptor of a file drops every POSIX lock the
   * process holds on it — SQLite's exclusive lock included.
   */
  private watchHandle: fs.FSWatcher | null = null;

  private constructor(file: string, db: Db) {
    this.file = file;
    this.db = db;
    const st = fs.statSync(file);
    this.identity = { dev: st.dev, ino: st.ino };
    const tx = db.transaction((fn: () => unknown) => fn());
    this.inTransaction = <T>(fn: () => T): T => tx.immediate(fn) as T;
    try {
      const w = fs.watch(file, { persistent: false }, () => (this.fileEvent = true));
      w.on('error', () => {
        this.fileEvent = true;
        this.watcher = null; // closed with the database, not now (see watchHandle)
      });
      this.watcher = w;
      this.watchHandle = w;
    } catch {
      this.watcher = null; // every edit then checks the identity
    }
  }

  /** Creates a new map file; refuses to overwrite an existing file. */
  static create(file: string, meta: Partial<MapMeta> = {}): MapStore {
    file = path.resolve(file);
    if (fs.existsSync(file)) throw new ApiError('FILE_EXISTS', `${path.basename(file)} already exists`, { name: path.basename(file), path: file });
    const dir = path.dirname(file);
    if (!fs.existsSync(dir)) throw fsError(Object.assign(new Error('no folder'), { code: 'ENOENT' }), file);
    // Built aside and renamed into place: a crash never leaves a half-made map at the target.
    const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
    try {
      const db = new Database(tmp);
      try {
        db.pragma(`application_id = ${APPLICATION_ID}`);
        migrate(db);
        db.prepare(
          `INSERT INTO map_meta (id, account, deal, stage, posture, incumbent, competitors, budget, timeline, notes, created_at)
           VALUES (@id, @account, @deal, @stage, @posture, @incumbent, @competitors, @budget, @timeline, @notes, @created_at)`,
        ).run(metaToRow({ ...defaultMeta(), ...meta }, now()));
        db.pragma('journal_mode = WAL');
      } finally {
        db.close();
      }
      fs.renameSync(tmp, file);
    } catch (e) {
      fs.rmSync(tmp, { force: true });
      fs.rmSync(`${tmp}-wal`, { force: true });
      fs.rmSync(`${tmp}-shm`, { force: true });
      throw sqliteError(e, file);
    }
    return MapStore.open(file);
  }

  /**
   * Opens an existing map. A file that is not a PowerMap map, is damaged, is locked, read-only
   * or from a newer version is refused with a typed error and left byte-for-byte unchanged.
   */
  static open(file: string, opts: OpenOptions = {}): MapStore {
    file = path.resolve(file);
    const header = checkMapFile(file);
    const name = path.basename(file);
    if (header.userVersion > LATEST_VERSION)
      throw new ApiError('NEWER_VERSION', `${name} was made by a newer PowerMap (file version ${header.userVersion}); update PowerMap to open it`, {
        name,
        version: header.userVersion,
      });
    if (!isWritable(file))
      throw new ApiError('READ_ONLY', `${name} cannot be written: it or its folder is read-only`, { name });
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
      const store = new MapStore(file, db);
      try {
        store.getMetaRow(); // a map with no meta row is damaged
      } catch (e) {
        store.close();
        db = undefined;
        throw e;
      }
      return store;
    } catch (e) {
      try {
        db?.close();
      } catch {
        /* already failing */
      }
      const err = sqliteError(e, file);
      throw err;
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.watcher = null;
    try {
      this.db.close();
    } finally {
      this.watchHandle?.close();
      this.watchHandle = null;
    }
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  get fileVersion(): number {
    return this.db.pragma('user_version', { simple: true }) as number;
  }

  private stmt(sql: string): Statement {
    let s = this.stmtCache.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.stmtCache.set(sql, s);
    }
    return s;
  }

  // -------------------------------------------------------------------------------------------
  // Reading
  // -------------------------------------------------------------------------------------------

  private getMetaRow(): Row {
    const r = this.stmt('SELECT * FROM map_meta WHERE id = 1').get() as Row | undefined;
    if (!r) throw new ApiError('CORRUPT', `${path.basename(this.file)} has no map record`, { name: path.basename(this.file) });
    return r;
  }
  meta(): MapMeta {
    return rowToMeta(this.getMetaRow());
  }
  rev(): number {
    return this.editState().rev;
  }

  private totalChanges(): number {
    return (this.stmt('SELECT total_changes() AS n').get() as { n: number }).n;
  }
  /** The cached revision, undo-log size and history, reloaded when the file changed otherwise. */
  private editState(): EditState {
    // Inside someone's open transaction the count may still be rolled back: read, don't keep.
    const nested = this.db.inTransaction;
    const changes = this.totalChanges();
    if (!nested && this.cached && this.cached.changes === changes) return this.cached;
    this.rowCache.clear();
    const fresh: EditState = {
      changes,
      rev: (this.stmt(REV_SQL).get() as { rev: number }).rev,
      undoRows: (this.stmt('SELECT count(*) AS n FROM undo_log').get() as { n: number }).n,
      history: this.readHistory(),
    };
    if (!nested) this.cached = fresh;
    return fresh;
  }
  people(): Person[] {
    return (this.stmt('SELECT * FROM person ORDER BY rowid').all() as Row[]).map(rowToPerson);
  }
  person(id: string): Person | null {
    const r = this.stmt('SELECT * FROM person WHERE id = ?').get(id) as Row | undefined;
    return r ? rowToPerson(r) : null;
  }
  relations(): Relation[] {
    return (this.stmt('SELECT * FROM relation ORDER BY rowid').all() as Row[]).map(rowToRelation);
  }
  relation(id: string): Relation | null {
    const r = this.stmt('SELECT * FROM relation WHERE id = ?').get(id) as Row | undefined;
    return r ? rowToRelation(r) : null;
  }
  team(): TeamMember[] {
    return (this.stmt('SELECT * FROM member ORDER BY rowid').all() as Row[]).map(rowToMember);
  }
  member(id: string): TeamMember | null {
    const r = this.stmt('SELECT * FROM member WHERE id = ?').get(id) as Row | undefined;
    return r ? rowToMember(r) : null;
  }
  coverage(): Coverage[] {
    return (this.stmt('SELECT * FROM coverage ORDER BY rowid').all() as Row[]).map(rowToCoverage);
  }
  profile(personId: string): Profile {
    this.requirePerson(personId);
    const r = this.stmt('SELECT data FROM profile WHERE person_id = ?').get(personId) as { data: string } | undefined;
    const out = emptyProfile();
    if (r) {
      const data = JSON.parse(r.data) as Record<string, unknown>;
      for (const f of PROFILE_FIELDS) if (typeof data[f] === 'string') out[f] = data[f];
    }
    return out;
  }
  /** Every stored profile, keyed by person id (exports with personal details). */
  profiles(): Record<string, Profile> {
    const out: Record<string, Profile> = {};
    for (const r of this.stmt('SELECT person_id FROM profile').all() as { person_id: string }[])
      out[r.person_id] = this.profile(r.person_id);
    return out;
  }
  positions(layout: LayoutName): Position[] {
    return (
      this.stmt('SELECT node_id, x, y, pinned FROM position WHERE layout = ? ORDER BY rowid').all(layout) as {
        node_id: string;
        x: number;
        y: number;
        pinned: number;
      }[]
    ).map((r) => ({ id: r.node_id, x: r.x, y: r.y, pinned: r.pinned === 1 }));
  }

  history(): HistoryState {
    return { ...this.editState().history };
  }
  private readHistory(): HistoryState {
    const u = this.stmt('SELECT label FROM undo_log WHERE undone = 0 ORDER BY seq DESC LIMIT 1').get() as
      | { label: string }
      | undefined;
    const r = this.stmt('SELECT label FROM undo_log WHERE undone = 1 ORDER BY seq ASC LIMIT 1').get() as
      | { label: string }
      | undefined;
    return {
      canUndo: !!u,
      canRedo: !!r,
      undoLabel: u ? decodeEditLabel(u.label) : null,
      redoLabel: r ? decodeEditLabel(r.label) : null,
    };
  }

  document(): MapDocument {
    const read = this.db.transaction(() => ({
      path: this.file,
      fileVersion: this.fileVersion,
      rev: this.rev(),
      meta: this.meta(),
      people: this.people(),
      relations: this.relations(),
      team: this.team(),
      coverage: this.coverage(),
      positions: Object.fromEntries(LAYOUTS.map((l) => [l, this.positions(l)])) as Record<LayoutName, Position[]>,
      history: this.history(),
    }));
    return read();
  }

  counts(): { people: number; relations: number; team: number; coverage: number } {
    const c = (t: string) => (this.db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n;
    return { people: c('person'), relations: c('relation'), team: c('member'), coverage: c('coverage') };
  }

  private requirePerson(id: string): Person {
    const p = this.person(id);
    if (!p) throw new ApiError('NOT_FOUND', `No person with id ${id}`, { id });
    return p;
  }
  private requireMember(id: string): TeamMember {
    const m = this.member(id);
    if (!m) throw new ApiError('NOT_FOUND', `No team member with id ${id}`, { id });
    return m;
  }

  // -------------------------------------------------------------------------------------------
  // The edit machinery
  // -------------------------------------------------------------------------------------------

  private keyWhere(t: TableName): string {
    return TABLES[t].key.map((k) => `${k} = @${k}`).join(' AND ');
  }
  /** Whether the row cache describes the file now: `state` is the one kept, outside any transaction. */
  private rowCacheValid(state: EditState): boolean {
    return this.cached === state && !this.db.inTransaction;
  }
  /** The table's row cache; the caller checked that it is valid. */
  private cacheOf(t: TableName): Map<string | number | null, Row | null> {
    let rows = this.rowCache.get(t);
    if (!rows) this.rowCache.set(t, (rows = new Map()));
    return rows;
  }
  /** A row through the row cache (read and kept on a miss); the caller checked it is valid. */
  private cachedRow(t: TableName, key: Row): Row | null {
    const rows = this.cacheOf(t);
    const k = key[TABLES[t].key[0]] ?? null;
    let r = rows.get(k);
    if (r === undefined) rows.set(k, (r = this.readRow(t, key)));
    return r;
  }
  /**
   * A row an edit is about to change, read just before the edit (its before image), with the
   * state it was read in: passed on to edit() in the same synchronous call, it saves that edit
   * asking SQLite again.
   */
  private rowToEdit(t: TableName, key: Row): Known | null {
    const state = this.guard(() => this.editState());
    const row =
      TABLES[t].key.length === 1 && this.rowCacheValid(state) ? this.cachedRow(t, key) : this.guard(() => this.readRow(t, key));
    return row ? { t, row, state } : null;
  }
  private readRow(t: TableName, key: Row): Row | null {
    let s = this.readStmts.get(t);
    if (!s) {
      s = this.stmt(`SELECT * FROM ${t} WHERE ${this.keyWhere(t)}`);
      this.readStmts.set(t, s);
    }
    return (s.get(key) as Row | undefined) ?? null;
  }
  private writeRow(t: TableName, row: Row): number {
    const cols = Object.keys(row);
    const keys = TABLES[t].key as readonly string[];
    const updates = cols.filter((c) => !keys.includes(c));
    const sql =
      `INSERT INTO ${t} (${cols.join(', ')}) VALUES (${cols.map((c) => '@' + c).join(', ')}) ` +
      (updates.length
        ? `ON CONFLICT (${keys.join(', ')}) DO UPDATE SET ${updates.map((c) => `${c} = excluded.${c}`).join(', ')}`
        : 'ON CONFLICT DO NOTHING');
    return this.stmt(sql).run(row).changes;
  }
  /** Writes only the columns that differ from the stored row (one UPDATE, no upsert). */
  private updateRow(t: TableName, before: Row, row: Row): number {
    const keys = TABLES[t].key as readonly string[];
    const changed: string[] = [];
    for (const c in row) if (row[c] !== before[c] && !keys.includes(c)) changed.push(c);
    if (changed.length === 0) return 0;
    const sql = `UPDATE ${t} SET ${changed.map((c) => `${c} = ?`).join(', ')} WHERE ${keys.map((k) => `${k} = ?`).join(' AND ')}`;
    return this.stmt(sql).run(...changed.map((c) => row[c] ?? null), ...keys.map((k) => row[k] ?? null)).changes;
  }
  private deleteRow(t: TableName, key: Row): number {
    return this.stmt(`DELETE FROM ${t} WHERE ${this.keyWhere(t)}`).run(key).changes;
  }
  private keyOf(t: TableName, row: Row): Row {
    const keys = TABLES[t].key as readonly string[];
    if (keys.length === 1) return { [keys[0]!]: row[keys[0]!]! };
    return Object.fromEntries(keys.map((k) => [k, row[k]!]));
  }
  private columns(t: TableName): readonly string[] {
    let cols = this.columnCache.get(t);
    if (!cols) {
      cols = (this.db.pragma(`table_info(${t})`) as { name: string }[]).map((c) => c.name);
      this.columnCache.set(t, cols);
    }
    return cols;
  }
  /**
   * The row as stored after writeRow(t, row): the written values over the old row, or the row
   * itself when it names every column (STRICT tables store exactly what was bound). Only a
   * partial new row is read back, to pick up column defaults.
   */
  private afterImage(t: TableName, before: Row | null, row: Row): Row {
    if (before) return { ...before, ...row };
    const cols = this.columns(t);
    if (cols.every((c) => Object.hasOwn(row, c))) return Object.fromEntries(cols.map((c) => [c, row[c]!]));
    return this.readRow(t, this.keyOf(t, row))!;
  }

  /**
   * Runs one edit in one transaction: `fn` writes through the recorder, the row images go to the
   * undo log, the redo tail is dropped, and the Change for the renderer is returned. `label` names
   * the step as a message key and parameters, which the UI puts into its language
   * (shared/i18n/history.ts); plain text is kept as it is.
   */
  edit(label: EditLabel | string, fn: (w: Writer) => void, known?: Known): Change {
    const stored = encodeEditLabel(label);
    const changes: RowChange[] = [];
    // Rows this edit's own statements changed: with the count taken before, the EditState stays
    // valid without asking SQLite again. A statement `fn` runs itself is not counted, so the
    // next edit sees a different total_changes() and reloads (never the other way round).
    let counted = 0;
    let next: EditState | null = null;
    this.checkFile();
    // A state read in this same synchronous call (rowToEdit) is still the state: nothing ran since.
    const st = known?.state && known.state === this.cached ? known.state : this.guard(() => this.editState());
    // The row cache holds while this edit's own writes are all that changed the file since `st`
    // (checked before each use: a statement `fn` runs itself turns it off for the rest).
    let useCache = this.rowCacheValid(st);
    const cacheFor = (t: TableName): Map<string | number | null, Row | null> | null => {
      if (!useCache || TABLES[t].key.length !== 1) return null;
      if (this.totalChanges() !== st.changes + counted) {
        useCache = false;
        this.rowCache.clear();
        return null;
      }
      return this.cacheOf(t);
    };
    const w: Writer = {
      put: (t, row) => {
        const key = this.keyOf(t, row);
        // `known` is a row the caller read in this same synchronous call (nothing can have
        // written in between): it saves reading the before image twice.
        const k = known;
        known = undefined;
        const fromKnown = !!k && k.t === t && TABLES[t].key.every((c) => k.row[c] === key[c]);
        // A known row needs no check against total_changes(): it is the before image whatever
        // else ran, and a write not counted still makes the next edit reload (and clear) the cache.
        const cache = fromKnown ? (useCache && TABLES[t].key.length === 1 ? this.cacheOf(t) : null) : cacheFor(t);
        const keyValue = key[TABLES[t].key[0]] ?? null;
        const before = fromKnown ? k.row : cache ? this.cachedRow(t, key) : this.readRow(t, key);
        counted += before ? this.updateRow(t, before, row) : this.writeRow(t, row);
        const after = this.afterImage(t, before, row);
        cache?.set(keyValue, after);
        changes.push({ t, b: before, a: after });
      },
      del: (t, key) => {
        const cache = cacheFor(t);
        const keyValue = key[TABLES[t].key[0]] ?? null;
        const before = cache ? this.cachedRow(t, key) : this.readRow(t, key);
        if (!before) return;
        counted += this.deleteRow(t, key);
        cache?.set(keyValue, null);
        changes.push({ t, b: before, a: null });
      },
    };
    const run = () => {
      fn(w);
      if (changes.length === 0) return;
      let undoRows = st.undoRows;
      if (st.history.canRedo) {
        const n = this.stmt('DELETE FROM undo_log WHERE undone = 1').run().changes;
        undoRows -= n;
        counted += n;
      }
      counted += this.stmt('INSERT INTO undo_log (label, changes, undone, at) VALUES (?, ?, 0, ?)').run(
        stored,
        JSON.stringify(changes.length === 1 ? [undoImages(changes[0]!)] : changes.map(undoImages)),
        now(),
      ).changes;
      undoRows += 1;
      if (undoRows >= UNDO_LIMIT + UNDO_TRIM_SLACK) {
        const n = this.stmt(
          `DELETE FROM undo_log WHERE seq <= (SELECT seq FROM undo_log ORDER BY seq DESC LIMIT 1 OFFSET ${UNDO_LIMIT})`,
        ).run().changes;
        undoRows -= n;
        counted += n;
      }
      // No doc_state write: the undo_log insert raised max(seq) by one (REV_SQL).
      next = {
        changes: 0,
        rev: st.rev + 1,
        undoRows,
        history: { canUndo: true, canRedo: false, undoLabel: typeof label === 'string' ? decodeEditLabel(label) : label, redoLabel: null },
      };
    };
    try {
      this.guard(() => this.inTransaction(run));
    } catch (e) {
      this.cached = null;
      this.rowCache.clear();
      throw e;
    }
    this.cached = next && !this.db.inTransaction ? { ...(next as EditState), changes: st.changes + counted } : null;
    return this.changeOf(changes, this.cached ?? undefined);
  }

  /**
   * Refuses a write when the map's file was moved, renamed or deleted while open: SQLite would go
   * on writing to the vanished file, and every change would be lost when the map is closed.
   */
  private checkFile(): void {
    if (this.closed) return;
    // That the path still exists is checked on every edit (an access() call, half the cost of a
    // stat). That it is still the same file (not replaced by another at the same path, as sync
    // tools do) is checked when the file watch reported something, at least every
    // IDENTITY_CHECK_MS (file systems that report nothing), and on every edit without a watch.
    let st: fs.Stats | undefined;
    if (this.watcher && !this.fileEvent && performance.now() - this.identityCheckedAt < IDENTITY_CHECK_MS) {
      if (fs.existsSync(this.file)) return;
    } else {
      this.fileEvent = false;
      try {
        st = fs.statSync(this.file);
      } catch {
        st = undefined;
      }
      if (st) this.identityCheckedAt = performance.now();
    }
    if (!st || (this.identity.ino !== 0 && (st.ino !== this.identity.ino || st.dev !== this.identity.dev))) {
      this.fileEvent = true;
      const name = path.basename(this.file);
      throw new ApiError('FILE_NOT_FOUND', `${name} was moved, renamed or deleted while it was open; the change was not saved`, {
        name,
        path: this.file,
      });
    }
  }

  private guard<T>(fn: () => T): T {
    if (this.closed) throw new ApiError('NO_MAP_OPEN', 'The map is closed');
    try {
      return fn();
    } catch (e) {
      if (e instanceof ApiError) throw e;
      const code = String((e as { code?: string })?.code ?? '');
      if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code.startsWith('SQLITE_CONSTRAINT'))
        throw new ApiError('INVALID_EDIT', `The edit breaks a rule of the map: ${(e as Error).message}`);
      throw sqliteError(e, this.file);
    }
  }

  /** Applies one undo-log entry backwards (undo) or forwards (redo). */
  private step(direction: 'undo' | 'redo'): Change {
    let applied: RowChange[] = [];
    const run = this.db.transaction(() => {
      const entry = (
        direction === 'undo'
          ? this.stmt('SELECT seq, changes FROM undo_log WHERE undone = 0 ORDER BY seq DESC LIMIT 1').get()
          : this.stmt('SELECT seq, changes FROM undo_log WHERE undone = 1 ORDER BY seq ASC LIMIT 1').get()
      ) as { seq: number; changes: string } | undefined;
      if (!entry) return;
      const list = JSON.parse(entry.changes) as RowChange[];
      // Each change as this step applies it: from the image now stored to the one wanted.
      const steps =
        direction === 'undo'
          ? [...list].reverse().map((c) => ({ t: c.t, from: c.a, to: c.b }))
          : list.map((c) => ({ t: c.t, from: c.b, to: c.a }));
      for (const { t, from, to } of steps) {
        // An update's images hold only the columns it changed (undoImages): write those back.
        if (to && from) this.updateRow(t, from, to);
        else if (to) this.writeRow(t, to);
        else if (from) this.deleteRow(t, this.keyOf(t, from));
      }
      // The renderer gets whole rows: read back what the step wrote.
      applied = steps.map(({ t, from, to }) => ({ t, b: from, a: to ? this.readRow(t, this.keyOf(t, to)) : null }));
      this.stmt('UPDATE undo_log SET undone = ? WHERE seq = ?').run(direction === 'undo' ? 1 : 0, entry.seq);
      this.stmt('UPDATE doc_state SET rev = rev + 1 WHERE id = 1').run();
    });
    this.checkFile();
    this.guard(() => run.immediate());
    return this.changeOf(applied);
  }
  undo(): Change {
    return this.step('undo');
  }
  redo(): Change {
    return this.step('redo');
  }

  /** Turns recorded row changes into the entity-level Change the renderer applies. */
  private changeOf(changes: RowChange[], state: EditState = this.editState()): Change {
    let last: Iterable<RowChange>;
    if (changes.length === 1) last = changes;
    else {
      const byKey = new Map<string, RowChange>();
      for (const c of changes) {
        const row = c.a ?? c.b!;
        const k = `${c.t}:${JSON.stringify(this.keyOf(c.t, row))}`;
        byKey.set(k, c); // the last change of each entity, in the order they were first touched
      }
      last = byKey.values();
    }
    const out: Change = { rev: state.rev, history: { ...state.history } };
    const del: NonNullable<Change['deleted']> = {};
    for (const c of last) {
      switch (c.t) {
        case 'map_meta':
          if (c.a) out.meta = rowToMeta(c.a);
          break;
        case 'person':
          if (c.a) (out.people ??= []).push(rowToPerson(c.a));
          else (del.people ??= []).push(String(c.b!.id));
          break;
        case 'relation':
          if (c.a) (out.relations ??= []).push(rowToRelation(c.a));
          else (del.relations ??= []).push(String(c.b!.id));
          break;
        case 'member':
          if (c.a) (out.team ??= []).push(rowToMember(c.a));
          else (del.team ??= []).push(String(c.b!.id));
          break;
        case 'coverage':
          if (c.a) (out.coverage ??= []).push(rowToCoverage(c.a));
          else (del.coverage ??= []).push({ memberId: String(c.b!.member_id), personId: String(c.b!.person_id) });
          break;
        case 'position':
          if (c.a) (out.positions ??= []).push(rowToPosition(c.a));
          else (del.positions ??= []).push({ layout: c.b!.layout as LayoutName, id: String(c.b!.node_id) });
          break;
        case 'profile':
          break; // fetched on demand; never pushed to the renderer
      }
    }
    if (Object.keys(del).length) out.deleted = del;
    return out;
  }

  // -------------------------------------------------------------------------------------------
  // Edits
  // -------------------------------------------------------------------------------------------

  updateMeta(patch: Partial<MapMeta>): Change {
    const row = this.getMetaRow();
    const meta = { ...rowToMeta(row), ...patch };
    return this.edit({ key: 'map.edit' }, (w) => w.put('map_meta', metaToRow(meta, String(row.created_at))));
  }

  createPerson(fields: Partial<PersonFields> & { name: string; id?: string }): Change {
    const id = fields.id ?? newId('p_');
    if (this.person(id)) throw new ApiError('INVALID_EDIT', `A person with id ${id} already exists`, { id });
    const { id: _ignored, ...rest } = fields;
    void _ignored;
    const p: Person = { ...defaultPersonFields(), ...rest, id };
    const t = now();
    return this.edit({ key: 'person.add', params: { name: p.name } }, (w) => w.put('person', personToRow(p, t, t)));
  }

  updatePerson(id: string, patch: Partial<PersonFields>): Change {
    const known = this.rowToEdit('person', { id });
    if (!known) throw new ApiError('NOT_FOUND', `No person with id ${id}`, { id });
    // Only the patched columns change (plus updated_at); the row read is the undo's before image.
    const next: Row = { ...known.row, ...personPatchToRow(patch), id, updated_at: now() };
    return this.edit({ key: 'person.edit', params: { name: String(next.name) } }, (w) => w.put('person', next), known);
  }

  deletePerson(id: string): Change {
    const p = this.requirePerson(id);
    return this.edit({ key: 'person.delete', params: { name: p.name } }, (w) => {
      for (const r of this.stmt('SELECT id FROM relation WHERE source = ? OR target = ?').all(id, id) as { id: string }[])
        w.del('relation', { id: r.id });
      for (const c of this.stmt('SELECT member_id FROM coverage WHERE person_id = ?').all(id) as { member_id: string }[])
        w.del('coverage', { member_id: c.member_id, person_id: id });
      // The person's own rows in other tables (interaction log, trips: rows.ts PERSON_OWNED).
      for (const o of PERSON_OWNED)
        for (const r of this.stmt(`SELECT id FROM ${o.table} WHERE ${o.column} = ?`).all(id) as { id: string }[]) w.del(o.table, { id: r.id });
      w.del('profile', { person_id: id });
      w.del('person', { id });
      this.stmt('DELETE FROM position WHERE node_id = ?').run(id);
    });
  }

  updateProfile(personId: string, patch: Partial<Profile>): Change {
    const p = this.requirePerson(personId);
    const merged = { ...this.profile(personId), ...patch };
    const nonEmpty = Object.fromEntries(Object.entries(merged).filter(([, v]) => v !== ''));
    return this.edit({ key: 'profile.edit', params: { name: p.name } }, (w) => {
      if (Object.keys(nonEmpty).length) w.put('profile', { person_id: personId, data: JSON.stringify(nonEmpty) });
      else w.del('profile', { person_id: personId });
    });
  }

  private checkRelation(r: Relation, replacing?: string): void {
    this.requirePerson(r.source);
    this.requirePerson(r.target);
    if (r.source === r.target) throw new ApiError('INVALID_EDIT', 'A relation needs two different people', { reason: 'relation_self' });
    const symmetric = r.kind === 'alliance' || r.kind === 'conflict';
    const dup = this.relations().find(
      (o) =>
        o.id !== r.id &&
        o.id !== replacing &&
        o.kind === r.kind &&
        ((o.source === r.source && o.target === r.target) ||
          (symmetric && o.source === r.target && o.target === r.source)),
    );
    if (dup)
      throw new ApiError('INVALID_EDIT', `These two people already have a ${r.kind.replace('_', ' ')} relation`, {
        reason: 'relation_duplicate',
        kind: r.kind,
      });
    if (r.kind === 'reports_to') {
      // Walk up from the new boss: reaching the source would make a reporting loop.
      const boss = new Map(
        this.relations()
          .filter((o) => o.kind === 'reports_to' && o.source !== r.source)
          .map((o) => [o.source, o.target]),
      );
      let cur: string | undefined = r.target;
      const seen = new Set<string>();
      while (cur && !seen.has(cur)) {
        if (cur === r.source)
          throw new ApiError('INVALID_EDIT', 'That reporting line would make a loop', {
            reason: 'reporting_loop',
            person: this.person(r.source)?.name ?? r.source,
            boss: this.person(r.target)?.name ?? r.target,
          });
        seen.add(cur);
        cur = boss.get(cur);
      }
    }
  }

  createRelation(fields: Omit<RelationFields, 'strength' | 'note'> & Partial<RelationFields> & { id?: string }): Change {
    const id = fields.id ?? newId('r_');
    if (this.relation(id)) throw new ApiError('INVALID_EDIT', `A relation with id ${id} already exists`, { id });
    const r: Relation = { strength: 2, note: '', ...fields, id };
    // A person has one formal line: a new reports-to replaces the old one in the same edit.
    const old =
      r.kind === 'reports_to'
        ? (this.stmt("SELECT id FROM relation WHERE kind = 'reports_to' AND source = ?").get(r.source) as
            | { id: string }
            | undefined)
        : undefined;
    this.checkRelation(r, old?.id);
    const name = (pid: string) => this.person(pid)?.name ?? pid;
    return this.edit({ key: 'relation.add', params: { a: name(r.source), b: name(r.target) } }, (w) => {
      if (old) w.del('relation', { id: old.id });
      w.put('relation', relationToRow(r));
    });
  }

  updateRelation(id: string, patch: Partial<RelationFields>): Change {
    const before = this.relation(id);
    if (!before) throw new ApiError('NOT_FOUND', `No relation with id ${id}`, { id });
    const r: Relation = { ...before, ...patch, id };
    this.checkRelation(r);
    const name = (pid: string) => this.person(pid)?.name ?? pid;
    return this.edit({ key: 'relation.edit', params: { a: name(r.source), b: name(r.target) } }, (w) => w.put('relation', relationToRow(r)));
  }

  deleteRelation(id: string): Change {
    const r = this.relation(id);
    if (!r) throw new ApiError('NOT_FOUND', `No relation with id ${id}`, { id });
    const name = (pid: string) => this.person(pid)?.name ?? pid;
    return this.edit({ key: 'relation.delete', params: { a: name(r.source), b: name(r.target) } }, (w) => w.del('relation', { id }));
  }

  createMember(fields: Partial<TeamMemberFields> & { name: string; id?: string }): Change {
    const id = fields.id ?? newId('m_');
    if (this.member(id)) throw new ApiError('INVALID_EDIT', `A team member with id ${id} already exists`, { id });
    const m: TeamMember = { role: '', ...fields, id };
    return this.edit({ key: 'member.add', params: { name: m.name } }, (w) => w.put('member', memberToRow(m)));
  }

  updateMember(id: string, patch: Partial<TeamMemberFields>): Change {
    const m = { ...this.requireMember(id), ...patch, id };
    return this.edit({ key: 'member.edit', params: { name: m.name } }, (w) => w.put('member', memberToRow(m)));
  }

  deleteMember(id: string): Change {
    const m = this.requireMember(id);
    return this.edit({ key: 'member.delete', params: { name: m.name } }, (w) => {
      for (const c of this.stmt('SELECT person_id FROM coverage WHERE member_id = ?').all(id) as { person_id: string }[])
        w.del('coverage', { member_id: id, person_id: c.person_id });
      w.del('member', { id });
      this.stmt('DELETE FROM position WHERE node_id = ?').run(id);
    });
  }

  setCoverage(memberId: string, personId: string, strength: 1 | 2 | 3 | null): Change {
    const m = this.requireMember(memberId);
    const p = this.requirePerson(personId);
    const label: EditLabel = { key: strength === null ? 'coverage.remove' : 'coverage.set', params: { member: m.name, person: p.name } };
    return this.edit(label, (w) => {
      if (strength === null) w.del('coverage', { member_id: memberId, person_id: personId });
      else w.put('coverage', coverageToRow({ memberId, personId, strength }));
    });
  }

  // -------------------------------------------------------------------------------------------
  // Layout positions: computed ones are stored outside undo; moving people by hand is an edit
  // -------------------------------------------------------------------------------------------

  /**
   * People (or team members) moved by hand, pinned where they were dropped: one undoable step.
   * `from` is where a node was when the drag began: stored first (outside undo) when the layout
   * had no position for it yet, so undo puts it back there.
   */
  movePositions(layout: LayoutName, moves: (Position & { from?: { x: number; y: number } })[]): Change {
    if (!moves.length) throw new ApiError('BAD_REQUEST', 'Nothing was moved');
    const nameOf = (id: string) => this.person(id)?.name ?? this.member(id)?.name ?? null;
    const first = nameOf(moves[0]!.id);
    const label: EditLabel = {
      key: 'positions.move',
      params: moves.length === 1 && first !== null ? { name: first, layout } : { count: moves.length, layout },
    };
    const missing = moves.filter(
      (m) => m.from && !this.stmt('SELECT 1 FROM position WHERE layout = ? AND node_id = ?').get(layout, m.id),
    );
    if (missing.length) this.setPositions(layout, missing.map((m) => ({ id: m.id, x: m.from!.x, y: m.from!.y, pinned: false })));
    return this.edit(label, (w) => {
      for (const m of moves) w.put('position', positionToRow(layout, { id: m.id, x: m.x, y: m.y, pinned: m.pinned }));
    });
  }

  setPositions(layout: LayoutName, positions: Position[]): void {
    const put = this.stmt(
      `INSERT INTO position (layout, node_id, x, y, pinned) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (layout, node_id) DO UPDATE SET x = excluded.x, y = excluded.y, pinned = excluded.pinned`,
    );
    this.checkFile();
    this.guard(() =>
      this.db.transaction(() => {
        for (const p of positions) put.run(layout, p.id, p.x, p.y, p.pinned ? 1 : 0);
      }).immediate(),
    );
  }
  clearPositions(layout: LayoutName): void {
    this.checkFile();
    this.guard(() => this.stmt('DELETE FROM position WHERE layout = ?').run(layout));
  }

  /**
   * Loads a whole map in one transaction (imports, the sample). Not undoable: it is how a new
   * file is filled, so a crash leaves either nothing or everything.
   */
  load(data: {
    meta?: Partial<MapMeta>;
    people: Person[];
    relations: Relation[];
    team: TeamMember[];
    coverage: Coverage[];
    profiles?: Record<string, Partial<Profile>>;
    positions?: Partial<Record<LayoutName, Position[]>>;
  }): void {
    const t = now();
    this.checkFile();
    this.guard(() =>
      this.db.transaction(() => {
        const row = this.getMetaRow();
        if (data.meta) this.writeRow('map_meta', metaToRow({ ...rowToMeta(row), ...data.meta }, String(row.created_at)));
        for (const p of data.people) this.writeRow('person', personToRow(p, t, t));
        for (const [pid, prof] of Object.entries(data.profiles ?? {})) {
          const nonEmpty = Object.fromEntries(Object.entries(prof).filter(([, v]) => v));
          if (Object.keys(nonEmpty).length) this.writeRow('profile', { person_id: pid, data: JSON.stringify(nonEmpty) });
        }
        for (const r of data.relations) this.writeRow('relation', relationToRow(r));
        for (const m of data.team) this.writeRow('member', memberToRow(m));
        for (const c of data.coverage) this.writeRow('coverage', coverageToRow(c));
        for (const [layout, ps] of Object.entries(data.positions ?? {}))
          for (const p of ps ?? []) this.setPositionsRaw(layout as LayoutName, p);
        this.stmt('UPDATE doc_state SET rev = rev + 1 WHERE id = 1').run();
      }).immediate(),
    );
  }
  private setPositionsRaw(layout: LayoutName, p: Position): void {
    this.stmt(
      `INSERT INTO position (layout, node_id, x, y, pinned) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (layout, node_id) DO UPDATE SET x = excluded.x, y = excluded.y, pinned = excluded.pinned`,
    ).run(layout, p.id, p.x, p.y, p.pinned ? 1 : 0);
  }
}

/** The writer an edit uses: every row change goes through it, so it can be undone. */
export interface Writer {
  put(t: TableName, row: Row): void;
  del(t: TableName, key: Row): void;
}
