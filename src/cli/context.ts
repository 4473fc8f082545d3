// What a command needs from the outside world, passed in so tests can run commands in-process.
import type { Readable, Writable } from 'node:stream';
import type { Dataset } from '../data/types.js';
import type { Staleness } from '../forecast/staleness.js';
import type { ModelFile } from '../io/model-file.js';
import type { GivenFlags } from '../options/read.js';

/** What a run tells about itself, for --log-json, --if-changed and the summary line (src/cli/run-guard.ts). */
export interface RunReport {
  /** The data was read. Under --if-changed this ends the run (nothing to do) when nothing changed since the last successful one. */
  loaded(dataset: Dataset): void;
  /** The model used or trained; path null when it is not kept in a file. */
  model(model: ModelFile, path: string | null): void;
  /** Metrics known for the run (backtest: the metrics document's overall block). */
  metrics(metrics: Record<string, unknown>): void;
  /** forecast -m: how far the data has run past the model. */
  age(staleness: Staleness): void;
  /** Ends the run as done with nothing to do (update with no new rows); the summary line gives `reason`. */
  nothingToDo(reason: string): never;
}

/** The files a run touches: the lock and the --if-changed state sit next to the first output. */
export interface RunFiles {
  /** Files written, in order (standard output is not a file). */
  outputs: string[];
  /** The model file read (-m), if any. */
  model?: string;
}

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
  /** The commands that write files report here what they read, used and measured. */
  run?: RunReport;
}

/** A command: its flags → typed options (checked at the boundary), then the run. */
export interface Command<O> {
  options(input: string, given: GivenFlags): O;
  run(options: O, context: CommandContext): Promise<void>;
  /** The commands that write files: which (the lock, the state of --if-changed and the run record need them). */
  files?(options: O): RunFiles;
}

/** Warnings and notes: stderr unless quiet. */
export function note(context: CommandContext, line: string): void {
  if (!context.quiet) context.stderr.write(`${line}\n`);
}

export function warn(context: CommandContext, line: string): void {
  if (!context.quiet) context.stderr.write(`warning: ${line}\n`);
}
