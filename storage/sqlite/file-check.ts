/**
 * Classifies a file before SQLite touches it, from its first 100 bytes: an empty file, random
 * bytes or a foreign SQLite database is refused without ever being opened for writing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { ApiError } from '../../shared/api/errors';

/** PRAGMA application_id of every PowerMap file: 'PMAP'. */
export const APPLICATION_ID = 0x504d4150;
const MAGIC = Buffer.from('SQLite format 3\u0000', 'latin1');

export interface FileHeader {
  applicationId: number;
  userVersion: number;
}

/** Reads and checks the header; throws a typed ApiError describing what is wrong. */
export function checkMapFile(file: string): FileHeader {
  const name = path.basename(file);
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch (e) {
    throw fsError(e, file);
  }
  if (st.isDirectory()) throw new ApiError('NOT_A_POWERMAP', `${name} is a folder, not a PowerMap map`, { name });
  if (st.size === 0) throw new ApiError('NOT_A_POWERMAP', `${name} is empty: it is not a PowerMap map`, { name, reason: 'empty' });
  const header = Buffer.alloc(100);
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    const n = fs.readSync(fd, header, 0, 100, 0);
    if (n < 100 || !header.subarray(0, 16).equals(MAGIC)) {
      throw new ApiError('NOT_A_POWERMAP', `${name} is not a PowerMap map (not a database file)`, { name, reason: 'bytes' });
    }
  } catch (e) {
    if (e instanceof ApiError) throw e;
    throw fsError(e, file);
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
  const applicationId = header.readUInt32BE(68);
  const userVersion = header.readUInt32BE(60);
  if (applicationId !== APPLICATION_ID) {
    throw new ApiError('NOT_A_POWERMAP', `${name} is a database of another program, not a PowerMap map`, {
      name,
      reason: 'foreign',
    });
  }
  // SQLite writes whole pages: a file that ends part-way through one was cut short (or padded).
  const raw = header.readUInt16BE(16);
  const pageSize = raw === 1 ? 65536 : raw;
  if (pageSize < 512 || (pageSize & (pageSize - 1)) !== 0 || st.size % pageSize !== 0)
    throw new ApiError('CORRUPT', `${name} is damaged and cannot be opened (it ends part-way through a page)`, { name });
  return { applicationId, userVersion };
}

/** Maps a Node file-system error to a typed ApiError. */
export function fsError(e: unknown, file: string): ApiError {
  const name = path.basename(file);
  const code = (e as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR')
    return new ApiError('FILE_NOT_FOUND', `${name} was not found (${file})`, { name, path: file });
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS')
    return new ApiError('READ_ONLY', `${name} cannot be written: it or its folder is read-only`, { name });
  if (code === 'EEXIST') return new ApiError('FILE_EXISTS', `${name} already exists`, { name, path: file });
  return new ApiError('IO', `${name}: ${(e as Error)?.message ?? String(e)}`, { name });
}

/**
 * True when the file and its folder can be written (SQLite needs the folder for -wal). A file or
 * folder whose permission bits allow nobody to write counts as read-only even for a user the OS
 * would let write it anyway (root, an administrator): the user marked it read-only.
 */
export function isWritable(file: string): boolean {
  try {
    const dir = path.dirname(file);
    if ((fs.statSync(file).mode & 0o222) === 0 || (fs.statSync(dir).mode & 0o222) === 0) return false;
    fs.accessSync(file, fs.constants.W_OK);
    fs.accessSync(dir, fs.constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** The longest an edit goes without checking that the map's path still names the opened file. */
const IDENTITY_CHECK_MS = 1000;

/**
 * Notices when an open map's file is moved, renamed, deleted or replaced: SQLite would go on
 * writing to the vanished file, and every change would be lost when the map is closed. That the
 * path still exists is checked on every write (an access() call, half the cost of a stat). That it
 * is still the same file (not replaced by another at the same path, as sync tools do) is checked
 * when the file watch reported something, at least every IDENTITY_CHECK_MS (file systems that
 * report nothing), and on every write where no watch could be set up.
 */
export class FileGuard {
  private readonly identity: { dev: number; ino: number };
  /** Set by the file watch on any event on the file: the next write checks its identity. */
  private fileEvent = true;
  private identityCheckedAt = 0;
  /** Null once the watch failed: every write then checks the identity. */
  private watcher: fs.FSWatcher | null = null;
  /**
   * The watch, kept to be closed only after the database: on macOS a file watch holds a file
   * descriptor of the map, and closing any descriptor of a file drops every POSIX lock the
   * process holds on it — SQLite's exclusive lock included.
   */
  private watchHandle: fs.FSWatcher | null = null;

  constructor(readonly file: string) {
    const st = fs.statSync(file);
    this.identity = { dev: st.dev, ino: st.ino };
    try {
      const w = fs.watch(file, { persistent: false }, () => (this.fileEvent = true));
      w.on('error', () => {
        this.fileEvent = true;
        this.watcher = null; // closed with the database, not now (see watchHandle)
      });
      this.watcher = w;
      this.watchHandle = w;
    } catch {
      this.watcher = null;
    }
  }

  /** Throws FILE_NOT_FOUND when the path no longer names the file that was opened. */
  check(): void {
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

  /** Stops watching; call after the database is closed (see watchHandle). */
  close(): void {
    this.watcher = null;
    this.watchHandle?.close();
    this.watchHandle = null;
  }
}

/** Removes a map file given up half-built, with the -wal and -shm files SQLite keeps beside it. */
export function removeMapFiles(file: string): void {
  for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
}
