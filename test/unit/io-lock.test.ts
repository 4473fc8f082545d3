import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LockHeldError } from '../../src/errors.js';
import { acquireLock, breakStale, holderAlive, inspectLock, lockPathFor } from '../../src/io/lock.js';
import type { LockHolder } from '../../src/io/lock.js';
import { repoRoot, tempDir } from '../helpers/exec.js';

/** A pid that surely belongs to no process: a child that has already exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  return child.pid!;
}

const temp = tempDir();
after(() => temp.cleanup());
let folders = 0;
/** A fresh folder for one test. */
function folder(): string {
  const path = join(temp.path, `t${++folders}`);
  mkdirSync(path);
  return path;
}

function holder(fields: Partial<LockHolder>): string {
  return JSON.stringify({ pid: process.pid, host: hostname(), started: '2024-01-01T00:00:00.000Z', command: 'forecast', processStart: null, ...fields });
}

test('a lock is a file next to the output naming its holder, removed at release', async () => {
  const dir = folder();
  const output = join(dir, 'forecast.csv');
  const lock = await acquireLock(output, { command: 'forecast', timeoutSeconds: 0 });
  assert.equal(lock.path, join(dir, 'forecast.csv.lock'));
  const written = JSON.parse(readFileSync(lock.path, 'utf8')) as LockHolder;
  assert.equal(written.pid, process.pid);
  assert.equal(written.command, 'forecast');
  lock.release();
  assert.equal(existsSync(lock.path), false);
});

test('a live holder: exit at once with its pid named, or wait until it lets go', async () => {
  const dir = folder();
  const output = join(dir, 'model.json');
  // This test's own process is alive: a lock naming it is held.
  writeFileSync(lockPathFor(output), holder({ command: 'train' }));
  await assert.rejects(acquireLock(output, { command: 'forecast', timeoutSeconds: 0 }), (error: unknown) => {
    assert.ok(error instanceof LockHeldError);
    assert.equal(error.exitCode, 5);
    assert.match(error.message, new RegExp(`^.*model\\.json is locked by pid ${process.pid} \\(rnncast train since 2024-01-01T00:00:00\\.000Z\\)`));
    return true;
  });
  const started = Date.now();
  await assert.rejects(acquireLock(output, { command: 'forecast', timeoutSeconds: 0.3 }), /after waiting 0\.3 s/);
  assert.ok(Date.now() - started >= 280, 'waited for the timeout');

  let waitedFor: number | undefined;
  setTimeout(() => spawnSync('rm', [lockPathFor(output)]), 200);
  const lock = await acquireLock(output, { command: 'forecast', timeoutSeconds: 10, onWait: (found) => (waitedFor = found.pid) });
  assert.equal(waitedFor, process.pid, 'said whom it waits for');
  lock.release();
});

test('stale locks: a dead holder, or a pid reused since, is broken; another host is never guessed at', async () => {
  const dir = folder();
  const output = join(dir, 'out.csv');
  writeFileSync(lockPathFor(output), holder({ pid: deadPid() }));
  const lock = await acquireLock(output, { command: 'forecast', timeoutSeconds: 0 });
  assert.equal((JSON.parse(readFileSync(lock.path, 'utf8')) as LockHolder).pid, process.pid, 'the lock is ours now');
  lock.release();

  // Our pid, but a different start time: the process that took the lock is gone and the pid was reused.
  const reused = { pid: process.pid, host: hostname(), started: '', command: '', processStart: -1 };
  assert.equal(holderAlive(reused), !existsSync('/proc/self/stat'), 'on Linux, /proc tells a reused pid');

  writeFileSync(lockPathFor(output), holder({ pid: deadPid(), host: 'elsewhere.example' }));
  await assert.rejects(acquireLock(output, { command: 'forecast', timeoutSeconds: 0 }), /on host elsewhere\.example .*remove .*out\.csv\.lock if it is gone/);
  assert.deepEqual(readdirSync(dir), ['out.csv.lock'], 'nothing else left behind');
});

test('breaking a stale lock removes that very file: a fresh lock taken meanwhile by another run stays', () => {
  const dir = folder();
  const path = join(dir, 'out.csv.lock');
  writeFileSync(path, holder({ pid: deadPid() }));
  const stale = inspectLock(path)!;
  // Another run broke it and took the lock between our look and our break.
  writeFileSync(`${path}.new`, holder({ command: 'train' }));
  renameSync(`${path}.new`, path);
  assert.notEqual(statSync(path).ino, stale.inode);
  assert.equal(breakStale(path, stale, holder({})), true);
  assert.equal((JSON.parse(readFileSync(path, 'utf8')) as LockHolder).command, 'train', 'the live lock is still there');
  assert.equal(breakStale(path, inspectLock(path)!, holder({})), true);
  assert.equal(existsSync(path), true, 'a live holder is never broken');
});

test('a breaker that died holding the guard: its guard is cleared and the stale lock broken', async () => {
  const dir = folder();
  const output = join(dir, 'out.csv');
  const path = lockPathFor(output);
  writeFileSync(path, holder({ pid: deadPid() }));
  writeFileSync(`${path}.break`, holder({ pid: deadPid() }));
  const lock = await acquireLock(output, { command: 'forecast', timeoutSeconds: 5 });
  lock.release();
  // A guard with a live holder but very old is cleared too: nobody holds it more than a moment.
  writeFileSync(path, holder({ pid: deadPid() }));
  writeFileSync(`${path}.break`, holder({}));
  const old = (Date.now() - 60_000) / 1000;
  utimesSync(`${path}.break`, old, old);
  (await acquireLock(output, { command: 'forecast', timeoutSeconds: 5 })).release();
  assert.deepEqual(readdirSync(dir), [], 'no lock, guard or aside file left');
});

test('a lock file still being written (no holder yet) counts as held', async () => {
  const dir = folder();
  const output = join(dir, 'out.csv');
  writeFileSync(lockPathFor(output), '');
  await assert.rejects(acquireLock(output, { command: 'forecast', timeoutSeconds: 0 }), /locked by a run whose lock file is still being written/);
});

test('many runs racing for one stale lock: one at a time holds it, every one gets it in turn', async () => {
  const dir = folder();
  const output = join(dir, 'out.csv');
  const journal = join(dir, 'journal');
  writeFileSync(journal, '');
  writeFileSync(lockPathFor(output), holder({ pid: deadPid() }));
  const lockModule = pathToFileURL(join(repoRoot, 'dist', 'src', 'io', 'lock.js')).href;
  // Each worker holds the lock for a moment and writes when it enters and leaves.
  const worker = `
    import { appendFileSync } from 'node:fs';
    const { acquireLock } = await import(${JSON.stringify(lockModule)});
    const lock = await acquireLock(${JSON.stringify(output)}, { command: 'test', timeoutSeconds: 60 });
    appendFileSync(${JSON.stringify(journal)}, 'enter ' + process.pid + '\\n');
    await new Promise((resolve) => setTimeout(resolve, 30));
    appendFileSync(${JSON.stringify(journal)}, 'leave ' + process.pid + '\\n');
    lock.release();`;
  const workers = 6;
  const exits = await Promise.all(
    Array.from({ length: workers }, () => new Promise<number | null>((resolve) => spawn(process.execPath, ['--input-type=module', '-e', worker], { stdio: 'inherit' }).on('close', resolve))),
  );
  assert.deepEqual(exits, Array(workers).fill(0));
  const lines = readFileSync(journal, 'utf8').trimEnd().split('\n');
  assert.equal(lines.length, 2 * workers);
  for (let index = 0; index < lines.length; index += 2) {
    const pid = lines[index]!.slice('enter '.length);
    assert.deepEqual([lines[index], lines[index + 1]], [`enter ${pid}`, `leave ${pid}`], `no one entered while ${pid} held the lock:\n${lines.join('\n')}`);
  }
  assert.equal(existsSync(lockPathFor(output)), false, 'the last one released it');
  assert.deepEqual(readdirSync(dir).sort(), ['journal'], 'no guard or aside files left');
});
