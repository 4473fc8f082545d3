// An advisory lock next to a run's first output, so two cron runs never write the same files at
// once. The lock is a small JSON file created with O_EXCL (only one creator wins); it names its
// holder (pid, host, start) so a second run can say who holds it, and so a lock left behind by a
// run that died can be recognised and broken.
//
// Breaking a stale lock must not break a live one. Two runs that both find the same stale lock
// would otherwise race: the first removes it and takes a fresh lock, the second removes that fresh
// lock. So a breaker first takes a short-lived guard file (`<lock>.break`, also O_EXCL), checks
// under it that the lock is still the very file (inode) it found stale, and only then removes it.
// A guard left by a breaker that died between those few system calls is moved aside by an atomic
// rename and checked to be the file found (a live guard moved by mistake is linked back at once).
import { randomBytes } from 'node:crypto';
import { closeSync, fstatSync, linkSync, lstatSync, openSync, readFileSync, realpathSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { InterruptedError, LockHeldError, OutputError } from '../errors.js';
import { whyNotWritable } from './atomic-write.js';

export interface LockHolder {
  pid: number;
  host: string;
  /** ISO time the holder took the lock. */
  started: string;
  /** What the holder runs, for the message: e.g. 'forecast'. */
  command: string;
  /** The holder's start time in clock ticks since boot (Linux /proc), to tell a reused pid; null elsewhere. */
  processStart: number | null;
}

export interface HeldLock {
  path: string;
  release(): void;
}

export interface LockOptions {
  /** What this run is, recorded for whoever finds the lock. */
  command: string;
  /** Seconds to wait for a held lock; 0: give up at once. */
  timeoutSeconds: number;
  signal?: AbortSignal;
  /** Called once when the lock is held by another live run and we start waiting. */
  onWait?: (holder: LockHolder) => void;
}

/** The lock file for an output: `forecast.csv` → `forecast.csv.lock`, in the same folder. */
export function lockPathFor(output: string): string {
  return join(dirname(output), `${basename(output)}.lock`);
}

/**
 * The file to lock for an output: itself, or the file a symlink points to (two links to one file
 * are one output); null for a device, pipe or socket (`-o /dev/stdout`, `-o >(gzip)`), which is
 * written into, not replaced, and beside which nothing may be created.
 */
export function lockableOutput(output: string): string | null {
  let stat;
  try {
    stat = statSync(output);
  } catch {
    return output; // not there yet: a new file
  }
  if (!stat.isFile()) return null;
  try {
    return realpathSync(output);
  } catch {
    return output;
  }
}

// Locks this process holds, so a second Ctrl-C (which exits at once) can still remove them.
const heldLocks = new Map<string, number>();

export function releaseHeldLocks(): void {
  for (const [path, inode] of heldLocks) removeIfOurs(path, inode);
  heldLocks.clear();
}

/** Field 22 of /proc/<pid>/stat: when the process started, in clock ticks since boot. */
function processStartOf(pid: number | 'self'): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: count from the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const start = Number(fields[19]);
    return Number.isFinite(start) ? start : null;
  } catch {
    return null;
  }
}

function errorCode(error: unknown): string {
  return error !== null && typeof error === 'object' && 'code' in error ? String((error as { code: unknown }).code) : '';
}

/** Whether the holder may still be running. Another host's process cannot be checked: assumed alive. */
export function holderAlive(holder: LockHolder): boolean {
  if (holder.host !== hostname()) return true;
  try {
    process.kill(holder.pid, 0);
  } catch (error: unknown) {
    if (errorCode(error) === 'ESRCH') return false;
    // EPERM: alive, owned by another user.
  }
  // The pid was reused by a process that started after the holder.
  if (holder.processStart !== null) {
    const start = processStartOf(holder.pid);
    if (start !== null && start !== holder.processStart) return false;
  }
  return true;
}

export interface Found {
  inode: number;
  /** null: the file exists but does not hold a readable holder (being written, or damaged). */
  holder: LockHolder | null;
  /** ms since the file was last modified. */
  ageMs: number;
}

function parseHolder(text: string): LockHolder | null {
  try {
    const value = JSON.parse(text) as Partial<LockHolder>;
    if (typeof value.pid !== 'number' || !Number.isInteger(value.pid) || value.pid <= 0 || typeof value.host !== 'string') return null;
    return {
      pid: value.pid,
      host: value.host,
      started: typeof value.started === 'string' ? value.started : '',
      command: typeof value.command === 'string' ? value.command : '',
      processStart: typeof value.processStart === 'number' ? value.processStart : null,
    };
  } catch {
    return null;
  }
}

/** The lock file as it is now, read through one descriptor so inode and content belong together; null when absent. */
export function inspectLock(path: string): Found | null {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error: unknown) {
    if (errorCode(error) === 'ENOENT') return null;
    throw new OutputError(`cannot read the lock ${path}: ${errorCode(error) || String(error)}`);
  }
  try {
    const stat = fstatSync(fd);
    return { inode: stat.ino, holder: parseHolder(readFileSync(fd, 'utf8')), ageMs: Date.now() - stat.mtimeMs };
  } finally {
    closeSync(fd);
  }
}

/** Creates `path` holding `content` if it does not exist; its inode, or null when someone else has it. */
function createExclusive(path: string, content: string, output: string): number | null {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o644);
  } catch (error: unknown) {
    if (errorCode(error) === 'EEXIST') return null;
    // The output's folder refuses new files: the output could not be written either; say so before any work.
    throw new OutputError(`cannot write ${output}: ${whyNotWritable(error, path)} (its lock ${basename(path)})`);
  }
  try {
    const bytes = Buffer.from(content, 'utf8');
    let offset = 0;
    while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
    return fstatSync(fd).ino;
  } finally {
    closeSync(fd);
  }
}

/** Removes `path` only if it is still the file with this inode (our own lock, at release). */
function removeIfOurs(path: string, inode: number): void {
  try {
    if (lstatSync(path).ino === inode) unlinkSync(path);
  } catch {
    // already gone: nothing to release
  }
}

/**
 * Removes `path` only if it is the file with `inode`, without a window in which another file at
 * `path` could be removed instead: move it aside atomically, check the moved file, and put back
 * (link) a file that turns out to be another one.
 */
function removeIfSame(path: string, inode: number): void {
  const aside = `${path}.${process.pid}-${randomBytes(4).toString('hex')}.stale`;
  try {
    renameSync(path, aside);
  } catch {
    return; // gone already: someone else removed it
  }
  try {
    if (lstatSync(aside).ino !== inode) {
      try {
        linkSync(aside, path);
      } catch {
        // a newer file took the place meanwhile; the one moved aside is older than it
      }
    }
  } finally {
    try {
      unlinkSync(aside);
    } catch {
      // nothing left to clean
    }
  }
}

// A guard file is held for a few system calls; one older than this was left by a breaker that died.
const GUARD_STALE_MS = 10_000;
// A lock file without a readable holder is being written (microseconds) or damaged: after this long, damaged.
const UNREADABLE_STALE_MS = 10_000;

function isStale(found: Found): boolean {
  return found.holder === null ? found.ageMs > UNREADABLE_STALE_MS : !holderAlive(found.holder);
}

/** Breaks the stale lock found (that inode, no other), under the guard; false when the guard is busy (try again soon). */
export function breakStale(path: string, stale: Found, me: string): boolean {
  const guardPath = `${path}.break`;
  const guard = createExclusive(guardPath, me, path);
  if (guard === null) {
    const other = inspectLock(guardPath);
    if (other !== null && (other.ageMs > GUARD_STALE_MS || (other.holder !== null && !holderAlive(other.holder)))) removeIfSame(guardPath, other.inode);
    return false;
  }
  try {
    const now = inspectLock(path);
    if (now !== null && now.inode === stale.inode && isStale(now)) unlinkSync(path);
  } finally {
    removeIfOurs(guardPath, guard);
  }
  return true;
}

function describeHolder(holder: LockHolder | null): string {
  if (holder === null) return 'a run whose lock file is still being written';
  const what = holder.command === '' ? 'rnncast' : `rnncast ${holder.command}`;
  const since = holder.started === '' ? '' : ` since ${holder.started}`;
  const host = holder.host === hostname() ? '' : ` on host ${holder.host}`;
  return `pid ${holder.pid}${host} (${what}${since})`;
}

function heldMessage(path: string, output: string, holder: LockHolder | null, waited: number): string {
  const remote = holder !== null && holder.host !== hostname() ? `; a run on another host cannot be checked: remove ${path} if it is gone` : '';
  const wait = waited > 0 ? `after waiting ${waited} s` : 'not waiting (--lock-timeout 0)';
  return `${output} is locked by ${describeHolder(holder)}: another run is writing it; ${wait}${remote}`;
}

const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });

/**
 * Takes the lock for `output`. A live holder: wait up to the timeout, then LockHeldError (exit 5)
 * naming it. A dead holder's lock is broken and taken.
 */
export async function acquireLock(output: string, options: LockOptions): Promise<HeldLock> {
  const path = lockPathFor(output);
  const me: LockHolder = { pid: process.pid, host: hostname(), started: new Date().toISOString(), command: options.command, processStart: processStartOf('self') };
  const content = `${JSON.stringify(me)}\n`;
  const deadline = Date.now() + options.timeoutSeconds * 1000;
  let pause = 50;
  let announced = false;
  for (;;) {
    if (options.signal?.aborted) throw new InterruptedError(`interrupted while waiting for the lock on ${output}`);
    const inode = createExclusive(path, content, output);
    if (inode !== null) {
      heldLocks.set(path, inode);
      return {
        path,
        release() {
          removeIfOurs(path, inode);
          heldLocks.delete(path);
        },
      };
    }
    const found = inspectLock(path);
    if (found === null) continue; // released between our attempt and our look: try again at once
    if (isStale(found)) {
      if (breakStale(path, found, content)) continue;
    } else if (Date.now() >= deadline) {
      throw new LockHeldError(heldMessage(path, output, found.holder, options.timeoutSeconds));
    } else if (!announced && found.holder !== null) {
      announced = true;
      options.onWait?.(found.holder);
    }
    await sleep(Math.min(pause, Math.max(1, deadline - Date.now())), options.signal);
    pause = Math.min(pause * 2, 1000);
  }
}
