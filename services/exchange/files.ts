/**
 * Writing exports and imports so that a crash or a kill never leaves a partial file at the target:
 * everything is written aside in the target's folder, flushed to disk, and then moved into place
 * in one step (a hard link when the target must not be overwritten, so an existing file is never
 * replaced by mistake, or a rename when the user asked to overwrite).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ApiError } from '../../shared/api/errors';
import { fsError } from '../../storage/sqlite/file-check';

/** A hidden temporary name beside `target`. */
export const asideName = (target: string): string =>
  path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}-${crypto.randomBytes(4).toString('hex')}.part`);

/** Whether anything (a file, a folder, a dangling link) has this name. */
export const exists = (f: string): boolean => {
  try {
    fs.lstatSync(f);
    return true;
  } catch {
    return false;
  }
};

/** Refuses early (before any work) when a target exists and may not be overwritten, or its folder is missing. */
export function checkTargets(targets: string[], overwrite: boolean): void {
  for (const t of targets) {
    if (!fs.existsSync(path.dirname(t))) throw fsError(Object.assign(new Error('no folder'), { code: 'ENOENT' }), path.dirname(t));
    if (!overwrite && exists(t))
      throw new ApiError('FILE_EXISTS', `${path.basename(t)} already exists`, { name: path.basename(t), path: t });
    if (overwrite && exists(t) && fs.statSync(t).isDirectory())
      throw new ApiError('FILE_EXISTS', `${path.basename(t)} is a folder`, { name: path.basename(t), path: t });
  }
}

function fsyncDir(dir: string): void {
  try {
    const fd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    /* not supported on this platform (Windows): the rename is still atomic */
  }
}

/** Moves a finished temp file to its target: no-clobber unless `overwrite`. */
export function moveIntoPlace(tmp: string, target: string, overwrite: boolean): void {
  if (overwrite) fs.renameSync(tmp, target);
  else {
    try {
      fs.linkSync(tmp, target); // fails with EEXIST instead of replacing
      fs.rmSync(tmp, { force: true });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') throw fsError(e, target);
      // File systems without hard links (FAT, some network shares): check, then rename.
      if (exists(target)) throw new ApiError('FILE_EXISTS', `${path.basename(target)} already exists`, { name: path.basename(target), path: target });
      fs.renameSync(tmp, target);
    }
  }
  fsyncDir(path.dirname(target));
}

const writeSynced = (file: string, data: string | Uint8Array) => {
  const fd = fs.openSync(file, 'wx', 0o644);
  try {
    fs.writeFileSync(fd, data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
};

/**
 * Writes one or more files, each complete or not at all. All are written aside first; only then
 * are they moved into place, so a failure while writing leaves every target as it was.
 */
export function writeFilesAtomic(files: { target: string; data: string | Uint8Array }[], overwrite: boolean): void {
  const targets = files.map((f) => path.resolve(f.target));
  checkTargets(targets, overwrite);
  const temps: string[] = [];
  try {
    files.forEach((f, i) => {
      const tmp = asideName(targets[i]!);
      temps.push(tmp);
      writeSynced(tmp, f.data);
    });
    files.forEach((_f, i) => moveIntoPlace(temps[i]!, targets[i]!, overwrite));
  } catch (e) {
    throw e instanceof ApiError ? e : fsError(e, targets[0]!);
  } finally {
    for (const t of temps) fs.rmSync(t, { force: true });
  }
}
