// How a flag is declared (kind, limits, default, help) and how one given value is read. A group of
// flags is an object keyed by the options field it fills; its TypeScript type (OptionsOf) and
// its reader (readGroup) come from the declaration, so a new flag is one entry in flags.ts.

/** What a reader throws: what was expected, in words; the caller adds the flag and the source. */
export class ValueProblem extends Error {}

export interface FlagSpec<T = unknown, D = unknown> {
  /** How yargs parses it on the command line. */
  readonly type: 'number' | 'string' | 'boolean';
  /** The flag, when it is not the kebab-case of the field (hiddenSize → --hidden). */
  readonly flag?: string;
  readonly alias?: string;
  readonly choices?: readonly string[];
  readonly describe: string;
  /** The heading it is listed under in --help. */
  readonly group: string;
  /** A value, null (off), undefined (decided later, from the data), or a function of the machine. */
  readonly default: D;
  /** How --help shows a default that is not a plain value ("by frequency"). */
  readonly defaultText?: string;
  /** In words, for messages: "an integer in [1, 4096]". */
  readonly expected: string;
  /** A config file may give a JSON list (for comma-separated flags). */
  readonly list?: boolean;
  /** One given value → the option's value; throws ValueProblem. */
  read(raw: string | number | boolean): T;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a group holds specs of many value types
export type FlagGroup = Record<string, FlagSpec<any, any>>;

type ValueOf<S> = S extends FlagSpec<infer T, infer D> ? (D extends null ? T | null : T) : never;
type Decided<S> = S extends FlagSpec<unknown, infer D> ? (undefined extends D ? false : true) : never;
type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** The typed options a group gives: a field per flag; flags without a default are optional. */
export type OptionsOf<G extends FlagGroup> = Simplify<
  { [K in keyof G as Decided<G[K]> extends true ? K : never]: ValueOf<G[K]> } & {
    [K in keyof G as Decided<G[K]> extends true ? never : K]?: ValueOf<G[K]>;
  }
>;

interface Declared<D> {
  describe: string;
  group: string;
  flag?: string;
  alias?: string;
  default?: D;
  defaultText?: string;
}

export interface Limits {
  min?: number; // inclusive
  max?: number; // inclusive
  above?: number; // exclusive lower bound
  below?: number; // exclusive upper bound
}

function range(limits: Limits): string {
  const low = limits.above ?? limits.min;
  const high = limits.below ?? limits.max;
  if (low === undefined && high === undefined) return '';
  if (high === undefined) return ` ${limits.above !== undefined ? '>' : '>='} ${low}`;
  if (low === undefined) return ` ${limits.below !== undefined ? '<' : '<='} ${high}`;
  return ` in ${limits.above !== undefined ? '(' : '['}${low}, ${high}${limits.below !== undefined ? ')' : ']'}`;
}

function within(value: number, limits: Limits): boolean {
  return (
    (limits.min === undefined || value >= limits.min) &&
    (limits.max === undefined || value <= limits.max) &&
    (limits.above === undefined || value > limits.above) &&
    (limits.below === undefined || value < limits.below)
  );
}

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

function toNumber(raw: string | number | boolean, expected: string): number {
  const value = typeof raw === 'number' ? raw : typeof raw === 'string' && DECIMAL.test(raw.trim()) ? Number(raw.trim()) : NaN;
  if (!Number.isFinite(value)) throw new ValueProblem(`expected ${expected}`);
  return value;
}

function numberSpec<D>(integer: boolean, spec: Declared<D> & Limits): FlagSpec<number, D> {
  const expected = `${integer ? 'an integer' : 'a number'}${range(spec)}`;
  return {
    ...spec,
    type: 'number',
    default: spec.default as D,
    expected,
    read(raw) {
      const value = toNumber(raw, expected);
      if ((integer && !Number.isInteger(value)) || !within(value, spec)) throw new ValueProblem(`expected ${expected}`);
      return value;
    },
  };
}

export function integer<D extends number | null | undefined | (() => number) = undefined>(spec: Declared<D> & Limits): FlagSpec<number, D> {
  return numberSpec(true, spec);
}

export function real<D extends number | null | undefined = undefined>(spec: Declared<D> & Limits): FlagSpec<number, D> {
  return numberSpec(false, spec);
}

export function choice<const C extends readonly string[], D extends string | undefined = undefined>(
  choices: C,
  spec: Declared<D> & { default?: NoInfer<C[number]> },
): FlagSpec<C[number], D> {
  const expected = `one of ${choices.join(', ')}`;
  return {
    ...spec,
    type: 'string',
    choices,
    default: spec.default as D,
    expected,
    read(raw) {
      const text = String(raw).trim();
      if (typeof raw === 'boolean' || !choices.includes(text)) throw new ValueProblem(`expected ${expected}`);
      return text as C[number];
    },
  };
}

const TRUE_WORDS = ['true', '1', 'yes', 'on'];
const FALSE_WORDS = ['false', '0', 'no', 'off'];

/** The usual spellings of true and false, in any case; anything else is refused, never read as false. */
export function readBoolean(raw: string | number | boolean): boolean {
  if (typeof raw === 'boolean') return raw;
  const word = String(raw).trim().toLowerCase();
  if (TRUE_WORDS.includes(word)) return true;
  if (FALSE_WORDS.includes(word)) return false;
  throw new ValueProblem('expected true or false (or yes/no, on/off, 1/0)');
}

export function toggle<D extends boolean>(spec: Declared<D> & { default: D }): FlagSpec<boolean, D> {
  return { ...spec, type: 'boolean', expected: 'true or false', read: readBoolean };
}

interface Textual<T> extends Omit<Declared<never>, 'default'> {
  /** In words, for messages. */
  expected: string;
  /** Checks and converts the text; throws ValueProblem. */
  parse?: (text: string) => T;
  list?: boolean;
}

function textSpec<T, D>(spec: Textual<T>, fallback: D): FlagSpec<T, D> {
  const { parse, ...rest } = spec;
  return {
    ...rest,
    type: 'string',
    default: fallback,
    read(raw) {
      if (typeof raw === 'boolean') throw new ValueProblem(`expected ${spec.expected}`);
      const value = String(raw);
      return parse ? parse(value) : (value as T);
    },
  };
}

/** A string without a default (a column, a path); `parse` checks and converts it. */
export function text<T = string>(spec: Textual<T>): FlagSpec<T, undefined> {
  return textSpec(spec, undefined);
}

/** A string with a syntax of its own and a default, given as the parsed value. */
export function parsed<T>(spec: Textual<T> & { parse: (text: string) => T; default: T }): FlagSpec<T, T> {
  return textSpec(spec, spec.default);
}

/** Comma-separated column names: none empty, none twice, at most maxItems. */
export function names(spec: Omit<Declared<never>, 'default'> & { maxItems: number }): FlagSpec<string[], undefined> {
  const { maxItems, ...rest } = spec;
  return text<string[]>({
    ...rest,
    expected: `comma-separated column names (at most ${maxItems})`,
    list: true,
    parse(value) {
      const list = value.split(',').map((name) => name.trim());
      if (list.some((name) => name === '')) throw new ValueProblem('empty column name');
      const seen = new Set<string>();
      for (const name of list) {
        if (seen.has(name)) throw new ValueProblem(`column '${name}' listed twice`);
        seen.add(name);
      }
      if (list.length > maxItems) throw new ValueProblem(`${list.length} columns; at most ${maxItems}`);
      return list;
    },
  });
}

/** hiddenSize → --hidden (declared), batchSize → --batch-size (derived). */
export function flagName(field: string, spec: FlagSpec): string {
  return spec.flag ?? field.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}

/** The value a flag takes when nobody gives it. */
export function defaultValue(spec: FlagSpec): unknown {
  return typeof spec.default === 'function' ? (spec.default as () => unknown)() : spec.default;
}

/** How --help shows the default, or undefined when there is none to show. */
export function defaultShown(spec: FlagSpec): string | undefined {
  if (spec.defaultText !== undefined) return spec.defaultText;
  if (spec.default === null) return 'off';
  if (spec.default === undefined || typeof spec.default === 'function') return undefined;
  return Array.isArray(spec.default) ? spec.default.join(',') : String(spec.default);
}

/**
 * A value stored in a model file, checked with the flag's own limits: the file must hold the JSON
 * type the flag gives (a number, not "64"), and null only where the flag's default is null.
 */
export function checkStored<T>(spec: FlagSpec<T>, value: unknown): T | null {
  if (value === null && spec.default === null) return null;
  const type = spec.type === 'number' ? 'number' : spec.type === 'boolean' ? 'boolean' : 'string';
  if (typeof value !== type) throw new ValueProblem(`expected ${spec.expected}`);
  return spec.read(value as string | number | boolean);
}
