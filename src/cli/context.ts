// What a command needs from the outside world, passed in so tests can run commands in-process.
import type { Readable, Writable } from 'node:stream';
import type { GivenFlags } from '../options/read.js';

export interface CommandContext {
  stdin: Readable;
  /** Data only. */
  stdout: Writable;
  /** Charts, progress, warnings. Errors are printed by main, not by commands. */
  stderr: Writable;
  /** --quiet: nothing on stderr except errors. */
  quiet: boolean;
  /** false when NO_COLOR is set or stderr is not a terminal. */
  color: boolean;
  /** stderr is a terminal: progress bars instead of plain lines. */
  interactive: boolean;
  /** Terminal width for charts (80 when unknown). */
  columns: number;
  /** Aborted on SIGINT/SIGTERM; long work checks it and stops cleanly. */
  signal: AbortSignal;
  /** The environment RNNCAST_* flags are read from. */
  env: Readonly<Record<string, string | undefined>>;
}

/** A command: its flags → typed options (checked at the boundary), then the run. */
export interface Command<O> {
  options(input: string, given: GivenFlags): O;
  run(options: O, context: CommandContext): Promise<void>;
}

/** Warnings and notes: stderr unless quiet. */
export function note(context: CommandContext, line: string): void {
  if (!context.quiet) context.stderr.write(`${line}\n`);
}

export function warn(context: CommandContext, line: string): void {
  if (!context.quiet) context.stderr.write(`warning: ${line}\n`);
}
