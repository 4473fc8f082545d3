// Given values → typed options, checked once at the boundary. A bad value is one usage error that
// names the flag, what was really given, what was expected, and where it came from.
import { UsageError } from '../errors.js';
import { defaultValue, flagName, ValueProblem } from './spec.js';
import type { FlagGroup, FlagSpec, OptionsOf } from './spec.js';

export type Source =
  | { kind: 'command line' }
  | { kind: 'environment'; variable: string }
  | { kind: 'config'; path: string; key: string };

/** One flag's value as it was given, before it is checked. */
export interface Given {
  raw: unknown;
  source: Source;
}

/** By flag name: every flag given for this run, from the command line, RNNCAST_* or --config. */
export type GivenFlags = ReadonlyMap<string, Given>;

export function describeSource(source: Source): string {
  if (source.kind === 'environment') return `from ${source.variable}`;
  if (source.kind === 'config') return `from "${source.key}" in --config ${source.path}`;
  return 'on the command line';
}

/** What the raw value is, when that is not just its text: the message must not invent a value. */
function oddShape(raw: unknown, spec: FlagSpec): string | undefined {
  if (raw === null) return 'is null';
  if (Array.isArray(raw) && !spec.list) return `is a list ${JSON.stringify(raw)}`;
  if (typeof raw === 'object') return `is ${Array.isArray(raw) ? 'a list of non-names' : 'an object'} ${JSON.stringify(raw)}`;
  if (typeof raw === 'string' && raw.trim() === '') return 'is empty';
  return undefined;
}

export function readFlag<T>(flag: string, spec: FlagSpec<T>, given: Given): T {
  const { raw, source } = given;
  const from = source.kind === 'command line' ? '' : ` (${describeSource(source)})`;
  if (Array.isArray(raw) && source.kind === 'command line') {
    throw new UsageError(`--${flag} was given more than once (${raw.map(String).join(', ')})`);
  }
  const listed = Array.isArray(raw) && spec.list && raw.every((item) => typeof item === 'string' || typeof item === 'number') ? raw.join(',') : raw;
  const odd = oddShape(listed, spec);
  if (odd !== undefined) throw new UsageError(`--${flag} ${odd}: expected ${spec.expected}${from}`);
  try {
    return spec.read(listed as string | number | boolean);
  } catch (error: unknown) {
    if (!(error instanceof ValueProblem)) throw error;
    throw new UsageError(`--${flag} ${String(listed)}: ${error.message}${from}`);
  }
}

/** The group's typed options: each given flag read and checked, the others at their default. */
export function readGroup<G extends FlagGroup>(group: G, given: GivenFlags): OptionsOf<G> {
  const options: Record<string, unknown> = {};
  for (const [field, spec] of Object.entries(group)) {
    const flag = flagName(field, spec);
    const value = given.get(flag);
    const read = value === undefined ? defaultValue(spec) : readFlag(flag, spec, value);
    if (read !== undefined) options[field] = read;
  }
  return options as OptionsOf<G>;
}

/** Given values from plain data (tests, in-process callers): every value counts as command line. */
export function givenFrom(values: Record<string, unknown>): GivenFlags {
  const source: Source = { kind: 'command line' };
  return new Map(Object.entries(values).filter(([, raw]) => raw !== undefined).map(([flag, raw]) => [flag, { raw, source }]));
}

/** The flags of a group that were given (from any source), in declaration order. */
export function flagsGiven(group: FlagGroup, given: GivenFlags): string[] {
  return Object.entries(group).map(([field, spec]) => flagName(field, spec)).filter((flag) => given.has(flag));
}
