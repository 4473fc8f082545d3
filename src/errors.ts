// The error family. Commands and the core throw these; only src/cli/main.ts turns them into
// exit codes (PRODUCT.md, "Exit codes"). Anything else that reaches main is a bug (exit 1).

export type ExitCode = 0 | 1 | 2 | 3 | 4 | 5 | 65 | 66 | 73 | 75 | 130;

export abstract class RnncastError extends Error {
  abstract readonly exitCode: ExitCode;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Unknown flag, bad flag value, conflicting flags, ambiguous column (exit 2). */
export class UsageError extends RnncastError {
  readonly exitCode = 2 as const;
}

/** Bad input data or model file (exit 65); the message names file, line and column where known. */
export class DataError extends RnncastError {
  readonly exitCode = 65 as const;
}

/** Input file missing or unreadable (exit 66). */
export class InputError extends RnncastError {
  readonly exitCode = 66 as const;
}

/** Output cannot be written (exit 73). */
export class OutputError extends RnncastError {
  readonly exitCode = 73 as const;
}

/** Training diverged before any usable epoch (exit 75). */
export class DivergedError extends RnncastError {
  readonly exitCode = 75 as const;
}

/** A quality gate failed (exit 3); outputs were still written. */
export class GateError extends RnncastError {
  readonly exitCode = 3 as const;
}

/** forecast -m --strict: the data has run past the model by more than --max-age periods (exit 4); nothing written. */
export class StaleModelError extends RnncastError {
  readonly exitCode = 4 as const;
}

/** --lock: another live run holds the lock on the first output (exit 5); nothing done. */
export class LockHeldError extends RnncastError {
  readonly exitCode = 5 as const;
}

/** SIGINT or SIGTERM (exit 130). */
export class InterruptedError extends RnncastError {
  readonly exitCode = 130 as const;
}

/** "file:line:column: message" — the shape every data error takes when the place is known. */
export function where(file: string, line?: number, column?: number): string {
  const name = file === '-' ? '<stdin>' : file;
  if (line === undefined) return name;
  return column === undefined ? `${name}:${line}` : `${name}:${line}:${column}`;
}
