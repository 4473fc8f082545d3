// A CommandContext in memory, for running commands and main() in-process.
import { PassThrough, Readable } from 'node:stream';
import type { CommandContext } from '../../src/cli/context.js';

export interface MemoryContext {
  context: CommandContext;
  out: () => string;
  err: () => string;
}

export function memoryContext(options: { input?: string; quiet?: boolean; env?: Record<string, string>; signal?: AbortSignal; columns?: number } = {}): MemoryContext {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  return {
    context: {
      stdin: Readable.from([Buffer.from(options.input ?? '')]),
      stdout,
      stderr,
      quiet: options.quiet ?? false,
      color: false,
      interactive: false,
      columns: options.columns ?? 60,
      signal: options.signal ?? new AbortController().signal,
      env: options.env ?? {},
    },
    out: () => out,
    err: () => err,
  };
}
