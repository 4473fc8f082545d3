// --config FILE.json: read once (so `--config <(…)` and `--config /dev/stdin` work), at most
// 1 MB, without blocking the main thread (so SIGINT/SIGTERM still end a run whose pipe never
// closes). A regular file, or a pipe named the way a shell names one (-, /dev/stdin, /dev/fd/N);
// a device or a named FIFO is refused before anything is opened.
import { fstatSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { Socket } from 'node:net';
import { InterruptedError, UsageError, where } from '../errors.js';
import type { ConfigValues } from './sources.js';

export const MAX_CONFIG_BYTES = 1024 * 1024;

/** -, /dev/stdin and its aliases: the same bytes as `<input>` given as `-`. */
export function isStandardInputPath(path: string): boolean {
  return namedDescriptor(path) === 0;
}

function errorCode(error: unknown): string {
  return error !== null && typeof error === 'object' && 'code' in error ? String((error as { code: unknown }).code) : '';
}

function cannotRead(path: string, error: unknown): UsageError {
  const code = errorCode(error);
  const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'ENOTDIR' ? 'a part of the path is not a folder' : code || 'unreadable';
  return new UsageError(`--config ${path}: cannot read the file (${why})`);
}

const tooLarge = (path: string): UsageError => new UsageError(`--config ${path}: larger than ${MAX_CONFIG_BYTES / 1024 / 1024} MB; a config file is a small JSON object of flags`);

async function readRegularFile(file: string, path: string): Promise<Buffer> {
  const handle = await open(file, 'r').catch((error: unknown) => {
    throw cannotRead(path, error);
  });
  try {
    const buffer = Buffer.alloc(MAX_CONFIG_BYTES + 1);
    let length = 0;
    while (length < buffer.length) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length > MAX_CONFIG_BYTES) throw tooLarge(path);
    return buffer.subarray(0, length);
  } finally {
    await handle.close();
  }
}

/**
 * A pipe or socket the shell handed us as an open descriptor, read through the event loop: an
 * abort closes it at once, whatever the writer does. (Opening /proc/self/fd/N again would fail
 * for a socket, and could block for a pipe.)
 */
function readPipe(fd: number, path: string, signal: AbortSignal): Promise<Buffer> {
  const pipe = new Socket({ fd, readable: true, writable: false });
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    const finish = (error?: Error): void => {
      signal.removeEventListener('abort', onAbort);
      pipe.destroy();
      if (error) reject(error);
      else resolve(Buffer.concat(chunks, length));
    };
    const onAbort = (): void => finish(new InterruptedError(`interrupted while reading --config ${path}`));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort);
    pipe.on('data', (chunk: Buffer) => {
      length += chunk.length;
      if (length > MAX_CONFIG_BYTES) finish(tooLarge(path));
      else chunks.push(chunk);
    });
    pipe.on('end', () => finish());
    pipe.on('error', (error: unknown) => finish(cannotRead(path, error)));
  });
}

function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return 'a folder';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isFIFO()) return 'a named pipe (FIFO)';
  if (stats.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** -, /dev/stdin, /dev/fd/N, /proc/self/fd/N: the descriptor they name, already open in this process. */
function namedDescriptor(path: string): number | undefined {
  if (path === '-' || path === '/dev/stdin') return 0;
  const match = /^\/(?:dev\/fd|proc\/self\/fd)\/(\d+)$/.exec(path);
  return match ? Number(match[1]) : undefined;
}

async function readBytes(path: string, signal: AbortSignal): Promise<Buffer> {
  const fd = namedDescriptor(path);
  if (fd !== undefined) {
    let stats: Stats;
    try {
      stats = fstatSync(fd);
    } catch (error: unknown) {
      throw cannotRead(path, error);
    }
    if (stats.isFIFO() || stats.isSocket()) return readPipe(fd, path, signal);
  }
  // Standard input redirected from a file: read it as that file.
  const named = fd === undefined ? path : `/dev/fd/${fd}`;
  const stats = await stat(named).catch((error: unknown) => {
    throw cannotRead(path, error);
  });
  if (!stats.isFile()) throw new UsageError(`--config ${path}: ${kindOf(stats)}, not a JSON file (a pipe is read when named /dev/stdin or /dev/fd/N)`);
  if (stats.size > MAX_CONFIG_BYTES) throw tooLarge(path);
  return readRegularFile(named, path);
}

function decode(bytes: Buffer, path: string): string {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new UsageError(`--config ${path}: the file is UTF-16; save it as UTF-8`);
  }
  try {
    // A byte order mark (saved by a Windows editor) is dropped, as for model files.
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new UsageError(`--config ${path}: not UTF-8 text`);
  }
}

/** A flat JSON object of flag names to values; a syntax error names the line and column. */
export function parseConfig(text: string, path: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error: unknown) {
    const message = (error instanceof Error ? error.message : String(error)).replace(/\s*\n\s*/g, ' ');
    const position = Number(/position (\d+)/.exec(message)?.[1] ?? NaN);
    const why = message.replace(/ in JSON at position \d+.*/, '');
    if (!Number.isFinite(position)) throw new UsageError(`--config ${path}: not valid JSON (${text.trim() === '' ? 'the file is empty' : why})`);
    const before = text.slice(0, position).split('\n');
    throw new UsageError(`--config ${where(path, before.length, before[before.length - 1]!.length + 1)}: not valid JSON (${why})`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new UsageError(`--config ${path}: expected a JSON object of flag names and values`);
  }
  return parsed as Record<string, unknown>;
}

export async function readConfigFile(path: string, signal: AbortSignal): Promise<ConfigValues> {
  const bytes = await readBytes(path, signal);
  return { path, values: parseConfig(decode(bytes, path), path) };
}
