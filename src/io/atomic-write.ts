import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { OutputError } from '../errors.js';

// Temp files that a signal handler must remove if the run dies between open and rename.
const pendingTempFiles = new Set<string>();

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

function describe(error: unknown): string {
  if (error && typeof error === 'object' && 'code' in error) {
    const code = String((error as { code: unknown }).code);
    if (code === 'ENOENT') return 'the folder does not exist';
    if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
    if (code === 'ENOSPC') return 'no space left on the device';
    if (code === 'EISDIR') return 'it is a directory';
    if (code === 'EROFS') return 'read-only file system';
    return code;
  }
  return String(error);
}

/**
 * Writes `content` to `path` so that readers only ever see the old file or the whole new one:
 * a temp file in the same folder (same file system, so rename is atomic), fsync, then rename.
 */
export function writeFileAtomic(path: string, content: string | Uint8Array): void {
  const temp = join(dirname(path), `.${basename(path)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  let fd: number | undefined;
  try {
    fd = openSync(temp, 'wx', 0o644);
    pendingTempFiles.add(temp);
    const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    let offset = 0;
    while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(temp, path);
    pendingTempFiles.delete(temp);
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
    throw new OutputError(`cannot write ${path}: ${describe(error)}`);
  }
}
