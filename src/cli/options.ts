// Parsed flags → typed, validated options. Every message names the flag and the value.
import { availableParallelism } from 'node:os';
import { UsageError } from '../errors.js';
import type { DataFlags } from '../data/options.js';
import type { FillPolicy } from '../data/types.js';
import type { TrainingOptions } from '../train/options.js';

export type Argv = Record<string, unknown>;

/** yargs mistakes a bare `-` for a flag; main swaps it for this token, and it reads back as '-'. */
export const STDIO_ARGUMENT = '\u0000stdio';

function flagValue(argv: Argv, flag: string): unknown {
  return argv[flag];
}

function optionalString(argv: Argv, flag: string): string | undefined {
  const value = flagValue(argv, flag);
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) throw new UsageError(`--${flag} was given more than once`);
  const text = String(value);
  if (text === STDIO_ARGUMENT) return '-';
  if (typeof value === 'boolean' || text.trim() === '') throw new UsageError(`--${flag} needs a value`);
  return text;
}

function stringChoice<T extends string>(argv: Argv, flag: string, choices: readonly T[], fallback: T): T {
  const value = optionalString(argv, flag) ?? fallback;
  if (!(choices as readonly string[]).includes(value)) {
    throw new UsageError(`--${flag} ${value}: expected one of ${choices.join(', ')}`);
  }
  return value as T;
}

interface NumberRule {
  integer?: boolean;
  min?: number; // inclusive
  max?: number; // inclusive
  above?: number; // exclusive lower bound
  below?: number; // exclusive upper bound
}

function describeRule(rule: NumberRule): string {
  const parts: string[] = [];
  if (rule.integer) parts.push('an integer');
  else parts.push('a number');
  if (rule.min !== undefined) parts.push(`>= ${rule.min}`);
  if (rule.above !== undefined) parts.push(`> ${rule.above}`);
  if (rule.max !== undefined) parts.push(`<= ${rule.max}`);
  if (rule.below !== undefined) parts.push(`< ${rule.below}`);
  return parts.join(' ');
}

export function optionalNumber(argv: Argv, flag: string, rule: NumberRule): number | undefined {
  const raw = flagValue(argv, flag);
  if (raw === undefined || raw === null) return undefined;
  if (Array.isArray(raw)) throw new UsageError(`--${flag} was given more than once`);
  const value = typeof raw === 'number' ? raw : Number(String(raw).trim());
  const ok =
    Number.isFinite(value) &&
    (!rule.integer || Number.isInteger(value)) &&
    (rule.min === undefined || value >= rule.min) &&
    (rule.max === undefined || value <= rule.max) &&
    (rule.above === undefined || value > rule.above) &&
    (rule.below === undefined || value < rule.below);
  // yargs turns a number flag's text into NaN and keeps no trace of it.
  if (typeof raw === 'number' && Number.isNaN(raw)) throw new UsageError(`--${flag}: not a number; expected ${describeRule(rule)}`);
  if (!ok) throw new UsageError(`--${flag} ${String(raw)}: expected ${describeRule(rule)}`);
  return value;
}

export function requiredNumber(argv: Argv, flag: string, rule: NumberRule, fallback: number): number {
  return optionalNumber(argv, flag, rule) ?? fallback;
}

function booleanFlag(argv: Argv, flag: string, fallback: boolean): boolean {
  const value = flagValue(argv, flag);
  if (value === undefined) return fallback;
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  throw new UsageError(`--${flag} ${String(value)}: expected true or false`);
}

function columnList(argv: Argv, flag: string): string[] | undefined {
  const text = optionalString(argv, flag);
  if (text === undefined) return undefined;
  const names = text.split(',').map((name) => name.trim());
  if (names.some((name) => name === '')) throw new UsageError(`--${flag} ${text}: empty column name`);
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) throw new UsageError(`--${flag} ${text}: column '${name}' listed twice`);
    seen.add(name);
  }
  return names;
}

export function inputArgument(argv: Argv): string {
  const input = argv.input === STDIO_ARGUMENT ? '-' : argv.input;
  if (typeof input !== 'string' || input === '') throw new UsageError('missing <input>: a CSV file, or - for standard input');
  return input;
}

export function toDataFlags(argv: Argv): DataFlags {
  const fill = stringChoice<FillPolicy>(argv, 'fill', ['interpolate', 'ffill', 'zero', 'drop', 'error'], 'interpolate');
  const delimiter = optionalString(argv, 'delimiter');
  const normalized = delimiter === '\\t' || delimiter?.toLowerCase() === 'tab' ? '\t' : delimiter;
  if (normalized !== undefined && normalized.length !== 1) {
    throw new UsageError(`--delimiter ${JSON.stringify(delimiter)}: expected one character (or tab)`);
  }
  const flags: DataFlags = {
    time: optionalString(argv, 'time'),
    target: optionalString(argv, 'target'),
    features: columnList(argv, 'features'),
    id: optionalString(argv, 'id'),
    freq: optionalString(argv, 'freq'),
    fill,
    delimiter: normalized,
    timeFormat: optionalString(argv, 'time-format'),
    tz: optionalString(argv, 'tz'),
  };
  const roles: [string, string | undefined][] = [
    ['--time', flags.time],
    ['--target', flags.target],
    ['--id', flags.id],
  ];
  for (const feature of flags.features ?? []) roles.push(['--features', feature]);
  for (let first = 0; first < roles.length; first++) {
    for (let second = first + 1; second < roles.length; second++) {
      const [flagA, nameA] = roles[first]!;
      const [flagB, nameB] = roles[second]!;
      if (nameA !== undefined && nameA === nameB) {
        throw new UsageError(`${flagA} and ${flagB} both name column '${nameA}'`);
      }
    }
  }
  return flags;
}

export function defaultJobs(): number {
  return Math.max(1, availableParallelism());
}

export function toTrainingOptions(argv: Argv): TrainingOptions {
  const epochs = requiredNumber(argv, 'epochs', { integer: true, min: 1, max: 1_000_000 }, 200);
  const clipValue = optionalNumber(argv, 'clip-value', { above: 0 });
  return {
    cell: stringChoice(argv, 'cell', ['lstm', 'gru'] as const, 'lstm'),
    hiddenSize: requiredNumber(argv, 'hidden', { integer: true, min: 1, max: 4096 }, 64),
    numLayers: requiredNumber(argv, 'layers', { integer: true, min: 1, max: 16 }, 1),
    bidirectional: booleanFlag(argv, 'bidirectional', false),
    dropout: requiredNumber(argv, 'dropout', { min: 0, below: 1 }, 0),
    horizon: optionalNumber(argv, 'horizon', { integer: true, min: 1, max: 100_000 }),
    lookback: optionalNumber(argv, 'lookback', { integer: true, min: 1, max: 100_000 }),
    epochs,
    batchSize: requiredNumber(argv, 'batch-size', { integer: true, min: 1, max: 1_000_000 }, 32),
    lr: requiredNumber(argv, 'lr', { above: 0, max: 10 }, 0.001),
    optimizer: stringChoice(argv, 'optimizer', ['adam', 'adamw', 'sgd'] as const, 'adam'),
    weightDecay: requiredNumber(argv, 'weight-decay', { min: 0 }, 0),
    loss: stringChoice(argv, 'loss', ['mse', 'mae', 'huber'] as const, 'mse'),
    patience: requiredNumber(argv, 'patience', { integer: true, min: 1 }, 20),
    minDelta: requiredNumber(argv, 'min-delta', { min: 0 }, 0),
    clipNorm: requiredNumber(argv, 'clip-norm', { min: 0 }, 1.0),
    clipValue: clipValue ?? null,
    valSize: requiredNumber(argv, 'val-size', { above: 0, below: 1 }, 0.2),
    scale: stringChoice(argv, 'scale', ['standard', 'minmax', 'none'] as const, 'standard'),
    transform: stringChoice(argv, 'transform', ['none', 'log', 'diff'] as const, 'diff'),
    seed: requiredNumber(argv, 'seed', { integer: true, min: 0, max: 2 ** 32 - 1 }, 42),
    jobs: requiredNumber(argv, 'jobs', { integer: true, min: 1, max: 256 }, defaultJobs()),
  };
}

export interface OutputOptions {
  /** undefined or '-' → standard output. */
  path: string | undefined;
  format: 'csv' | 'json' | 'ndjson' | 'xlsx' | 'arrow';
}

export function toOutputOptions(argv: Argv, flag = 'output'): OutputOptions {
  const path = optionalString(argv, flag);
  const explicit = optionalString(argv, 'format');
  if (explicit !== undefined) {
    return { path, format: stringChoice(argv, 'format', ['csv', 'json', 'ndjson', 'xlsx', 'arrow'] as const, 'csv') };
  }
  const extension = path?.toLowerCase().match(/\.(csv|json|ndjson|jsonl|xlsx|arrow|feather|ipc)$/)?.[1];
  const format = extension === 'json' ? 'json' : extension === 'ndjson' || extension === 'jsonl' ? 'ndjson' : extension === 'xlsx' ? 'xlsx'
    : extension === 'arrow' || extension === 'feather' || extension === 'ipc' ? 'arrow' : 'csv';
  return { path, format };
}

export { booleanFlag, optionalString, stringChoice };
