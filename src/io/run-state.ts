// --if-changed: what the last successful run read, kept in a small file next to its first output,
// so a run whose data, model and flags are all the same as then can stop before doing any work.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { writeFileAtomic } from './atomic-write.js';

const STATE_FORMAT = 'rnncast-run-state';

export interface RunState {
  format: typeof STATE_FORMAT;
  version: 1;
  /** When that run ended (ISO, UTC). */
  time: string;
  command: string;
  /** A new rnncast may forecast differently: a run after an upgrade is never skipped. */
  rnncast: string;
  /** sha256 of the input data. */
  input: string;
  /** sha256 of the -m model file as the run left it (an update rewrites it); null without -m. */
  model: string | null;
  /** sha256 of the flags that shape the outputs. */
  settings: string;
  /** Files the run wrote; one that has gone since means the run is not skipped. */
  outputs: string[];
}

export type RunKey = Pick<RunState, 'command' | 'rnncast' | 'input' | 'model' | 'settings'>;

/** The state file for an output: `forecast.csv` → `forecast.csv.rnncast-state.json`, in the same folder. */
export function statePathFor(output: string): string {
  return join(dirname(output), `${basename(output)}.rnncast-state.json`);
}

export function sha256Hex(bytes: string | Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** sha256 of a file's bytes; null when it cannot be read (then nothing matches it). */
export function sha256OfFile(path: string): string | null {
  try {
    return sha256Hex(readFileSync(path));
  } catch {
    return null;
  }
}

/** A fingerprint of flag values: the same flags with the same values, in any order and from any source, give the same one. */
export function settingsFingerprint(settings: Record<string, unknown>): string {
  const canonical = Object.keys(settings)
    .sort()
    .map((flag) => [flag, settings[flag]]);
  return sha256Hex(JSON.stringify(canonical));
}

/** The last successful run's state; null when there is none or it cannot be read (the run then goes ahead). */
export function readRunState(path: string): RunState | null {
  try {
    const value = JSON.parse(readFileSync(path, 'utf8')) as Partial<RunState>;
    if (value.format !== STATE_FORMAT || value.version !== 1 || !Array.isArray(value.outputs)) return null;
    return value as RunState;
  } catch {
    return null;
  }
}

export function writeRunState(path: string, key: RunKey, outputs: string[]): void {
  const state: RunState = { format: STATE_FORMAT, version: 1, time: new Date().toISOString(), ...key, outputs };
  writeFileAtomic(path, `${JSON.stringify(state, null, 1)}\n`);
}

/** Whether this run would redo the last one: same key, and every output it wrote still there. */
export function unchangedSince(previous: RunState | null, key: RunKey): previous is RunState {
  if (previous === null) return false;
  const same = (Object.keys(key) as (keyof RunKey)[]).every((field) => previous[field] === key[field]);
  return same && previous.outputs.every((output) => existsSync(output));
}
