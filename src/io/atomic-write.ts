import { randomBytes } from 'node:crypto';
import { closeSync, fchmodSync, fsyncSync, openSync, realpathSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { OutputError } from '../errors.js';

// Temp files that a signal handler must remove if the run dies between open and rename.
const pendingTempFiles = new Set<string>();
// Paths renamed into place, in order: a second signal must not claim nothing was saved.
const committedPaths: string[] = [];

/** How many files this process has written so far; `committedSince(n)` lists those after the n-th. */
export function committedCount(): number {
  return committedPaths.length;
}

export function committedSince(count: number): readonly string[] {
  return committedPaths.slice(count);
}

export function removePendingTempFiles(): void {
  for (const path of pendingTempFiles) {
    try {
      unlinkSync(path);
    } catch {
      // already gone
    }
  }
  pendingTempFiles.clear();
}

/** Why `path` could not be written or created, in words ('permission denied', 'the folder does not exist'). */
export function whyNotWritable(error: unknown, path: string): string {
  if (error && typeof error === 'object' && 'code' in error) {
    const code = String((error as { code: unknown }).code);
    // /proc and friends exist but refuse new files with ENOENT.
    if (code === 'ENOENT') return statOrNull(dirname(path)) !== null ? 'cannot create a file in that folder' : 'the folder does not exist';
    if (code === 'ENOTDIR') return 'a part of the path is a file, not a folder';
    if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
    if (code === 'ENOSPC') return 'no space left on the device';
    if (code === 'EISDIR') return 'it is a directory';
    if (code === 'EROFS') return 'read-only file system';
    return code;
  }
  return String(error);
}

function statOrNull(path: string): Stats | null {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}

/**
 * Fails fast, before minutes of training, when `path` certainly cannot be written: its folder is
 * missing or is a file, or the path is a folder. Writes nothing; '-' and undefined are stdout.
 */
export function checkOutputPath(path: string | undefined): void {
  if (path === undefined || path === '-') return;
  const folder = statOrNull(dirname(path));
  if (folder === null) throw new OutputError(`cannot write ${path}: the folder ${dirname(path)} does not exist`);
  if (!folder.isDirectory()) throw new OutputError(`cannot write ${path}: a part of the path is a file, not a folder`);
  if (statOrNull(path)?.isDirectory()) throw new OutputError(`cannot write ${path}: it is a directory`);
}

/** A symlink's final target, so the rename replaces the file and leaves the link alone. */
function realpathOr(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path; // gone since the stat: plain path, plain rename
  }
}

/** Devices, pipes and sockets (/dev/stdout, /dev/full, `-o >(gzip)`) cannot be renamed over: write into them. */
function writeSpecial(path: string, bytes: Uint8Array): void {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'w');
    let offset = 0;
    while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
    closeSync(fd);
  } catch (error: unknown) {
    if (fd !== undefined) {
      try {
        closeSync(fd);
      } catch {
        // the write error is the one to report
      }
    }
    throw new OutputError(`cannot write ${path}: ${whyNotWritable(error, path)}`);
  }
}

/**
 * Writes `content` to `path` so that readers only ever see the old file or the whole new one:
 * a temp file in the same folder (same file system, so rename is atomic), fsync, then rename.
 * A symlink keeps pointing where it did (its target is replaced), an existing file keeps its
 * mode, and a device or pipe is written into, never replaced by a regular file.
 */
export function writeFileAtomic(path: string, content: string | Uint8Array): void {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  const existing = statOrNull(path);
  if (existing !== null && !existing.isFile() && !existing.isDirectory()) {
    writeSpecial(path, bytes);
    return;
  }
  const target = existing?.isFile() ? realpathOr(path) : path;
  const temp = join(dirname(target), `.${basename(target)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  let fd: number | undefined;
  try {
    fd = openSync(temp, 'wx', 0o644);
    pendingTempFiles.add(temp);
    if (existing?.isFile()) fchmodSync(fd, existing.mode & 0o7777);
    let offset = 0;
    while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(temp, target);
    pendingTempFiles.delete(temp);
    committedPaths.push(path);
  } catch (error: unknown) {
    if (fd !== undefined) {
      try {
        closeSync(fd);
      } catch {
        // closing a broken descriptor can fail too; the unlink below is what matters
      }
    }
    if (pendingTempFiles.has(temp)) {
      try {
        unlinkSync(temp);
      } catch {
        // nothing to clean
      }
      pendingTempFiles.delete(temp);
    }
    throw new OutputError(`cannot write ${path}: ${whyNotWritable(error, temp)}`);
  }
}
