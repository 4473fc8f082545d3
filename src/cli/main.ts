// The entry point: the command line → typed options → the command's run(options, context), and
// the only place that maps errors to exit codes. Commands are imported lazily so `rnncast
// forecast` does not pay for `inspect`'s modules.
import { RnncastError, UsageError } from '../errors.js';
import { closestName } from '../data/names.js';
import { committedCount, committedSince, removePendingTempFiles } from '../io/atomic-write.js';
import { releaseHeldLocks } from '../io/lock.js';
import { COMMANDS } from '../options/choices.js';
import type { CommandName } from '../options/choices.js';
import { isStandardInputPath, readConfigFile } from '../options/config-file.js';
import { generalFlags, runFlags } from '../options/flags.js';
import { readBoolean, ValueProblem } from '../options/spec.js';
import { readFlag, readGroup } from '../options/read.js';
import type { Given, GivenFlags } from '../options/read.js';
import { commandFlags, ENV_PREFIX, gatherFlags } from '../options/sources.js';
import type { Command, CommandContext } from './context.js';
import { buildParser, ParseError, STDIO_ARGUMENT } from './parser.js';
import { RunGuard } from './run-guard.js';

export interface MainOptions {
  argv: string[];
  context: CommandContext;
}

const commands: Record<CommandName, () => Promise<Command<unknown>>> = {
  inspect: async () => (await import('./commands/inspect.js')).inspect,
  train: async () => (await import('./commands/train.js')).train,
  forecast: async () => (await import('./commands/forecast.js')).forecast,
  backtest: async () => (await import('./commands/backtest.js')).backtest,
  update: async () => (await import('./commands/update.js')).update,
};

/** Every boolean flag, by its name and its alias, for reading `--flag=value` ourselves: yargs reads `=maybe` as false. */
function booleanFlags(): Map<string, string> {
  const names = new Map<string, string>();
  for (const command of COMMANDS) {
    for (const [flag, spec] of commandFlags(command)) {
      if (spec.type !== 'boolean') continue;
      names.set(flag, flag);
      if (spec.alias !== undefined) names.set(spec.alias, flag);
    }
  }
  return names;
}

/** `-` → a token yargs keeps as a value; `--flag=value` or `-f=value` on a boolean → `--flag` or `--no-flag`, or a usage error. */
function prepareArgs(argv: string[]): string[] {
  const booleans = booleanFlags();
  let optionsEnded = false;
  return argv.map((arg) => {
    if (arg === '-') return STDIO_ARGUMENT;
    if (arg === '--') optionsEnded = true;
    const match = optionsEnded ? null : /^(?:--(no-)?([^=]+)|-([^-=]))=(.*)$/s.exec(arg);
    const flag = match ? booleans.get(match[2] ?? match[3]!) : undefined;
    if (!match || flag === undefined) return arg;
    const negated = match[1] !== undefined;
    let value: boolean;
    try {
      value = readBoolean(match[4]!);
    } catch (error: unknown) {
      if (error instanceof ValueProblem) throw new UsageError(`${arg.slice(0, arg.indexOf('='))} ${match[4]}: ${error.message}`);
      throw error;
    }
    return value !== negated ? `--${flag}` : `--no-${flag}`;
  });
}

/** The text given after a flag, for messages: yargs keeps only NaN for `--hidden abc`. */
function textAfter(args: string[], flag: string, alias: string | undefined): string | undefined {
  let found: string | undefined;
  args.forEach((arg, index) => {
    const spellings = [`--${flag}`, ...(alias === undefined ? [] : [`-${alias}`])];
    for (const spelling of spellings) {
      if (arg === spelling) found = args[index + 1];
      else if (arg.startsWith(`${spelling}=`)) found = arg.slice(spelling.length + 1);
    }
  });
  return found;
}

/** The flags of this command as given on the command line, by flag name. */
function commandLineFlags(command: CommandName, parsed: Record<string, unknown>, args: string[]): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  const unstdio = (value: unknown): unknown => (value === STDIO_ARGUMENT ? '-' : Array.isArray(value) ? value.map(unstdio) : value);
  for (const [flag, spec] of commandFlags(command)) {
    const value = parsed[flag];
    if (value === undefined) continue;
    values[flag] = typeof value === 'number' && Number.isNaN(value) ? textAfter(args, flag, spec.alias) ?? '' : unstdio(value);
  }
  return values;
}

function inputArgument(parsed: Record<string, unknown>): string {
  const input = parsed.input === STDIO_ARGUMENT ? '-' : parsed.input;
  if (typeof input !== 'string' || input === '') throw new UsageError('missing <input>: a CSV file, or - for standard input');
  return input;
}

/** The command line, RNNCAST_* and --config, merged (command line first) and checked. */
async function gather(command: CommandName, parsed: Record<string, unknown>, args: string[], context: CommandContext): Promise<{ given: GivenFlags; ignored: string[] }> {
  const commandLine = commandLineFlags(command, parsed, args);
  const configGiven: Given | undefined =
    commandLine.config !== undefined
      ? { raw: commandLine.config, source: { kind: 'command line' } }
      : context.env[`${ENV_PREFIX}CONFIG`] !== undefined
        ? { raw: context.env[`${ENV_PREFIX}CONFIG`], source: { kind: 'environment', variable: `${ENV_PREFIX}CONFIG` } }
        : undefined;
  const configPath = configGiven === undefined ? undefined : readFlag('config', generalFlags.config, configGiven);
  if (configPath !== undefined && isStandardInputPath(configPath) && parsed.input === STDIO_ARGUMENT) {
    throw new UsageError(`--config ${configPath} and <input> - would both read standard input; give one of them a file`);
  }
  const config = configPath === undefined ? undefined : await readConfigFile(configPath, context.signal);
  return gatherFlags({ command, commandLine, env: context.env, config });
}

/** Runs one command line; returns the exit code. Tests call this in-process with their own context. */
export async function main({ argv, context }: MainOptions): Promise<number> {
  let debug = argv.includes('--debug');
  try {
    const args = prepareArgs(argv);
    let printed = '';
    const parser = buildParser(Math.min(110, context.columns));
    const parsed = (await parser.parseAsync(args, {}, (_error: unknown, _argv: unknown, output: string) => {
      printed = output ?? '';
    })) as Record<string, unknown> & { _: (string | number)[] };
    // --help, --version and `completion` print, and there is nothing to run.
    if (printed !== '') {
      context.stdout.write(printed.endsWith('\n') ? printed : `${printed}\n`);
      return 0;
    }
    const name = parsed._[0];
    if (!COMMANDS.includes(name as CommandName)) return 0;
    const command = name as CommandName;
    const { given, ignored } = await gather(command, parsed, args, context);
    const general = readGroup(generalFlags, given);
    debug = general.debug;
    if (debug) for (const line of ignored) context.stderr.write(`rnncast: ${line}\n`);
    const module = await commands[command]();
    const input = inputArgument(parsed);
    const commandContext = { ...context, quiet: general.quiet };
    if (module.files === undefined) {
      await module.run(module.options(input, given), commandContext);
      return 0;
    }
    // A command that writes files runs under the guard: lock, --if-changed, --log-json, the summary line.
    const guard = new RunGuard(command, input, given, readGroup(runFlags, given), commandContext);
    let failure: Reported | null = null;
    try {
      const options = module.options(input, given);
      const files = module.files(options);
      await guard.run(files, (run) => module.run(options, { ...commandContext, run }));
    } catch (error: unknown) {
      failure = report(error, context, debug, argv);
    }
    return guard.finish(failure?.code ?? 0, failure?.line ?? null);
  } catch (error: unknown) {
    return report(error, context, debug, argv).code;
  }
}

/** yargs' messages, said the way the rest of rnncast says things: the flag, the value, what fits. */
function usageMessage(message: string, args: string[]): string {
  const choice = /^Invalid values:;? Argument: ([\w-]+), Given: (.+), Choices: (.+)$/.exec(message);
  if (choice) return `--${choice[1]} ${choice[2]!.replace(/^"|"$/g, '')}: expected one of ${choice[3]!.replace(/"/g, '')}`;
  const commandNames = [...COMMANDS, 'completion'];
  if (/^Not enough non-option arguments/.test(message)) {
    return COMMANDS.includes(args[0] as CommandName) ? `missing <input> for ${args[0]}: a CSV file, or - for standard input` : `name a command: ${COMMANDS.join(', ')}`;
  }
  const recommended = /^Did you mean (\w+)\?$/.exec(message);
  if (recommended) return `unknown command '${args.find((arg) => !arg.startsWith('-'))}' (did you mean ${recommended[1]}? commands: ${commandNames.join(', ')})`;
  const unknown = /^Unknown arguments?: (.+)$/.exec(message);
  if (unknown) {
    const first = args.find((arg) => !arg.startsWith('-'));
    // yargs also lists the camelCase twin of a hyphenated unknown flag: name each flag once.
    const listed = unknown[1]!.split(', ');
    const names = listed.filter((name) => !(/[A-Z]/.test(name) && listed.includes(name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`))));
    if (first !== undefined && !commandNames.includes(first) && names.includes(first)) {
      return `unknown command '${first}' (commands: ${commandNames.join(', ')})`;
    }
    const command = args.find((arg) => COMMANDS.includes(arg as CommandName));
    const takers = COMMANDS.filter((other) => commandFlags(other).has(names[0]!));
    if (names.length === 1 && command !== undefined && takers.length > 0) {
      return `--${names[0]} is not a flag of ${command} (it is one of ${takers.join(', ')}; see --help)`;
    }
    const known = command === undefined ? COMMANDS.flatMap((other) => [...commandFlags(other).keys()]) : [...commandFlags(command as CommandName).keys()];
    const suggestion = names.length === 1 ? closestName(names[0]!, known) : undefined;
    const hint = suggestion === undefined ? '' : `did you mean --${suggestion}? `;
    return `unknown flag${names.length === 1 ? '' : 's'}: ${names.join(', ')} (${hint}see --help)`;
  }
  const missingValue = /^Not enough arguments following: ([\w-]+)$/.exec(message);
  if (missingValue) return `--${missingValue[1]} needs a value`;
  return message;
}

function oneLine(message: string): string {
  return message.replace(/\s*\n\s*/g, '; ').trim();
}

interface Reported {
  code: number;
  /** The line printed, without the 'rnncast: ' prefix. */
  line: string;
}

/** Prints the error as one line (the stack only with --debug) and gives its exit code. */
function report(error: unknown, context: CommandContext, debug: boolean, args: string[]): Reported {
  let reported: Reported;
  if (error instanceof RnncastError) {
    // One line, always: a cron mail or a log grep must not see half a message.
    reported = { code: error.exitCode, line: oneLine(error.message) };
  } else if (error instanceof ParseError || (error instanceof Error && error.name === 'YError')) {
    // yargs' own validation errors (unknown argument, invalid choice, missing argument) are usage errors.
    reported = { code: 2, line: usageMessage(oneLine(error.message), args) };
  } else {
    const message = oneLine(error instanceof Error ? error.message : String(error));
    reported = { code: 1, line: `internal error: ${message} — this is a bug, please report it (run again with --debug for the stack)` };
  }
  context.stderr.write(`rnncast: ${reported.line}\n`);
  if (debug && error instanceof Error && error.stack) context.stderr.write(`${error.stack}\n`);
  return reported;
}

function processContext(signal: AbortSignal): CommandContext {
  const interactive = process.stderr.isTTY === true;
  return {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    quiet: false,
    color: interactive && !process.env.NO_COLOR,
    interactive,
    columns: process.stderr.columns ?? 80,
    env: process.env,
    signal,
  };
}

/**
 * The line a second signal leaves. It stops at once, but the first signal's clean stop may
 * already have written its files (the two can arrive a scheduler slice apart): say which.
 */
export function secondSignalLine(writtenSinceFirst: readonly string[]): string {
  if (writtenSinceFirst.length === 0) return 'rnncast: interrupted twice: stopped at once, without saving anything';
  return `rnncast: interrupted twice: stopped at once, after saving ${writtenSinceFirst.join(', ')}`;
}

/** Runs as the binary: signals abort the work; a second signal exits at once. */
export async function runAsBinary(): Promise<void> {
  const controller = new AbortController();
  let writtenBeforeSignal: number | undefined;
  const onSignal = (): void => {
    if (writtenBeforeSignal !== undefined) {
      removePendingTempFiles();
      releaseHeldLocks();
      // The cron mail should still say why the run ended, in one line.
      process.stderr.write(`${secondSignalLine(committedSince(writtenBeforeSignal))}\n`);
      process.exit(130);
    }
    writtenBeforeSignal = committedCount();
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // A closed pipe downstream (`rnncast forecast x.csv | head`) is not an error worth a stack.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  });
  const code = await main({ argv: process.argv.slice(2), context: processContext(controller.signal) });
  removePendingTempFiles();
  process.exitCode = writtenBeforeSignal !== undefined && code === 0 ? 130 : code;
}
