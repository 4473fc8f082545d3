// The entry point: yargs wiring, and the only place that maps errors to exit codes.
// Commands are imported lazily so `rnncast forecast` does not pay for `inspect`'s modules.
import { readFileSync } from 'node:fs';
import yargs from 'yargs';
import type { Argv as YargsArgv } from 'yargs';
import { RnncastError, UsageError, where } from '../errors.js';
import { closestName } from '../data/names.js';
import { removePendingTempFiles } from '../io/atomic-write.js';
import { toolVersion } from '../version.js';
import type { CommandContext } from './context.js';
import { dataFlags, levelFlag, longFlag, modelFlags, outputFlags } from './flags.js';
import type { Argv } from './options.js';
import { STDIO_ARGUMENT } from './options.js';

/** --config FILE.json: a flat object of flag names to values; a syntax error names the line and column. */
function readConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new UsageError(`--config ${path}: cannot read the file`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error: unknown) {
    const message = error instanceof Error ? error.message : String(error);
    const position = Number(/position (\d+)/.exec(message)?.[1] ?? NaN);
    if (Number.isFinite(position)) {
      const before = text.slice(0, position).split('\n');
      const line = before.length;
      const column = before[before.length - 1]!.length + 1;
      throw new UsageError(`--config ${where(path, line, column)}: not valid JSON (${message.replace(/ in JSON at position \d+.*/, '')})`);
    }
    throw new UsageError(`--config ${path}: not valid JSON (${message})`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new UsageError(`--config ${path}: expected a JSON object of flag names and values`);
  }
  return parsed as Record<string, unknown>;
}

export interface MainOptions {
  argv: string[];
  context: CommandContext;
}

type Handler = (argv: Argv, context: CommandContext) => Promise<void>;

const commands: Record<string, () => Promise<Handler>> = {
  inspect: async () => (await import('./commands/inspect-handler.js')).handleInspect,
  train: async () => (await import('./commands/train.js')).handleTrain,
  forecast: async () => (await import('./commands/forecast.js')).handleForecast,
  backtest: async () => (await import('./commands/backtest.js')).handleBacktest,
};

function buildParser(args: string[], context: CommandContext, run: (name: string, argv: Argv) => Promise<void>): YargsArgv {
  const withData = (y: YargsArgv): YargsArgv => y.positional('input', { type: 'string', describe: 'CSV file, or - for standard input' }).options(dataFlags);
  return yargs(args)
    .scriptName('rnncast')
    .usage('$0 <command> [options]\n\nForecast time series in CSV files with LSTM and GRU networks.')
    .env('RNNCAST')
    .config('config', 'read flags from a JSON file', readConfigFile)
    .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'nothing on standard error except errors', global: true })
    .option('debug', { type: 'boolean', default: false, describe: 'show stack traces', global: true })
    .command(
      'inspect <input>',
      'describe a CSV: columns, frequency, gaps, statistics',
      (y) =>
        withData(y)
          .option('json', { type: 'boolean', default: false, describe: 'print the summary as JSON on standard output' })
          .option('chart', outputFlags.chart!)
          .example('$0 inspect datasets/air-passengers.csv', 'monthly series: frequency M, season 12, a chart')
          .example('$0 inspect datasets/eu-stock-markets.csv --id index --json | jq .series', 'four series in one long file'),
      (argv) => run('inspect', argv),
    )
    .command(
      'train <input>',
      'fit an LSTM or GRU and save the model file',
      (y) =>
        withData(y)
          .options(modelFlags)
          .option('output', { ...outputFlags.output!, describe: 'model file to write (required)' })
          .option('chart', outputFlags.chart!)
          .example('$0 train datasets/air-passengers.csv -o air.model.json --transform log', 'then: rnncast forecast datasets/air-passengers.csv -m air.model.json'),
      (argv) => run('train', argv),
    )
    .command(
      'forecast <input>',
      'forecast horizon steps past the end of each series',
      (y) =>
        withData(y)
          .options(modelFlags)
          .options(outputFlags)
          .options(levelFlag)
          .options(longFlag)
          .option('model', { alias: 'm', type: 'string', describe: 'model file (default: train first)', group: 'Model:' })
          .option('save-model', { type: 'string', describe: 'keep the model trained on the fly', group: 'Model:' })
          .example('$0 forecast datasets/air-passengers.csv > next.csv', 'train on the fly, forecast 18 months, CSV on stdout')
          .example('$0 forecast sales.csv -m sales.model.json -o next.json', 'use a saved model, write JSON'),
      (argv) => run('forecast', argv),
    )
    .command(
      'backtest <input>',
      'rolling-origin evaluation against baselines',
      (y) =>
        withData(y)
          .options(modelFlags)
          .options(outputFlags)
          .options(levelFlag)
          .option('folds', { type: 'number', requiresArg: true, describe: 'forecast origins at the end of the data (default: 3, fewer on short data)', group: 'Backtest:' })
          .option('stride', { type: 'number', requiresArg: true, describe: 'steps between origins (default: horizon)', group: 'Backtest:' })
          .option('window', { type: 'number', requiresArg: true, describe: 'sliding training window of N points (default: expanding)', group: 'Backtest:' })
          .option('refit', { type: 'string', choices: ['every', 'once'], default: 'every', group: 'Backtest:' })
          .option('season', { type: 'number', requiresArg: true, describe: 'season length for seasonal naive and MASE (default: inferred)', group: 'Backtest:' })
          .option('fail-if-worse-than', { type: 'string', choices: ['naive', 'seasonal-naive', 'drift'], describe: 'exit 3 when the model loses to this baseline', group: 'Backtest:' })
          .option('gate-metric', { type: 'string', choices: ['mae', 'rmse', 'mape', 'smape', 'mase'], default: 'mase', group: 'Backtest:' })
          .option('metrics-out', { type: 'string', describe: 'write the metrics document (JSON) here', group: 'Backtest:' })
          .option('json', { type: 'boolean', default: false, describe: 'print the metrics document on standard output' })
          .example('$0 backtest datasets/air-passengers.csv --transform log', '3 folds of 18 months; a table of MASE against the baselines')
          .example('$0 backtest sales.csv --fail-if-worse-than seasonal-naive && publish', 'a cron gate'),
      (argv) => run('backtest', argv),
    )
    .completion('completion', 'print a shell completion script (bash/zsh)')
    .demandCommand(1, 'name a command: inspect, train, forecast or backtest')
    .recommendCommands()
    .strict()
    .version(toolVersion())
    .help()
    .alias('help', 'h')
    .wrap(Math.min(110, process.stdout.isTTY ? process.stdout.columns : 110))
    .exitProcess(false)
    .fail((message: string | undefined, error: Error | undefined) => {
      if (error) throw error;
      throw new UsageError(usageMessage(oneLine(message ?? 'invalid command line'), args));
    });
}

const COMMANDS = ['inspect', 'train', 'forecast', 'backtest', 'completion'];

/** yargs' messages, said the way the rest of rnncast says things: the flag, the value, what fits. */
function usageMessage(message: string, args: string[]): string {
  const choice = /^Invalid values:;? Argument: ([\w-]+), Given: (.+), Choices: (.+)$/.exec(message);
  if (choice) return `--${choice[1]} ${choice[2]!.replace(/^"|"$/g, '')}: expected one of ${choice[3]!.replace(/"/g, '')}`;
  if (/^Not enough non-option arguments/.test(message)) {
    return COMMANDS.includes(args[0] ?? '') ? `missing <input> for ${args[0]}: a CSV file, or - for standard input` : 'name a command: inspect, train, forecast or backtest';
  }
  const unknown = /^Unknown arguments?: (.+)$/.exec(message);
  if (unknown) {
    const first = args.find((arg) => !arg.startsWith('-'));
    if (first !== undefined && !COMMANDS.includes(first) && unknown[1]!.split(', ').includes(first)) {
      return `unknown command '${first}' (commands: inspect, train, forecast, backtest, completion)`;
    }
    const names = unknown[1]!.split(', ');
    const suggestion = names.length === 1 ? closestName(names[0]!, knownFlags) : undefined;
    const hint = suggestion === undefined ? '' : `did you mean --${suggestion}? `;
    return `${message} ${unknownArgumentSource(message)}(${hint}see --help)`.replace(/^Unknown argument/, 'unknown flag');
  }
  const missingValue = /^Not enough arguments following: ([\w-]+)$/.exec(message);
  if (missingValue) return `--${missingValue[1]} needs a value`;
  return message;
}

const knownFlags = [
  ...Object.keys(dataFlags),
  ...Object.keys(modelFlags),
  ...Object.keys(outputFlags),
  ...Object.keys(levelFlag),
  ...Object.keys(longFlag),
  ...['quiet', 'debug', 'config', 'json', 'model', 'save-model', 'folds', 'stride', 'window', 'refit', 'season', 'fail-if-worse-than', 'gate-metric', 'metrics-out'],
];


function oneLine(message: string): string {
  return message.replace(/\s*\n\s*/g, '; ').trim();
}

/** Runs one command line; returns the exit code. Tests call this in-process. */
export async function main({ argv, context }: MainOptions): Promise<number> {
  const debug = argv.includes('--debug');
  let exitCode = 0;
  const run = async (name: string, parsed: Argv): Promise<void> => {
    const load = commands[name];
    if (!load) throw new UsageError(`unknown command ${name}`);
    const handler = await load();
    const quiet = parsed.quiet === true;
    await handler(parsed, { ...context, quiet });
  };
  try {
    const parser = buildParser(argv.map((arg) => (arg === '-' ? STDIO_ARGUMENT : arg)), context, run);
    await parser.parseAsync();
  } catch (error: unknown) {
    exitCode = report(error, context, debug, argv);
  }
  return exitCode;
}

/** Unknown flags may come from RNNCAST_* variables or a --config file: say which, or the user looks in vain. */
function unknownArgumentSource(message: string): string {
  const names = /^Unknown arguments?: (.+)$/.exec(message)?.[1]?.split(', ') ?? [];
  const fromEnvironment = names
    .map((name) => `RNNCAST_${name.replace(/([a-z])([A-Z])/g, '$1_$2').replace(/-/g, '_').toUpperCase()}`)
    .filter((variable) => process.env[variable] !== undefined);
  if (fromEnvironment.length > 0) return `(from the environment: ${fromEnvironment.join(', ')}) `;
  return names.length > 0 && process.argv.includes('--config') ? '(on the command line or in the --config file) ' : '';
}

function report(error: unknown, context: CommandContext, debug: boolean, args: string[]): number {
  if (error instanceof RnncastError) {
    // One line, always: a cron mail or a log grep must not see half a message.
    context.stderr.write(`rnncast: ${usageMessage(oneLine(error.message), args)}\n`);
    if (debug && error.stack) context.stderr.write(`${error.stack}\n`);
    return error.exitCode;
  }
  // yargs' own validation errors (unknown argument, invalid choice, missing argument) are usage errors.
  if (error instanceof Error && error.name === 'YError') {
    context.stderr.write(`rnncast: ${usageMessage(oneLine(error.message), args)}\n`);
    if (debug && error.stack) context.stderr.write(`${error.stack}\n`);
    return 2;
  }
  const message = oneLine(error instanceof Error ? error.message : String(error));
  context.stderr.write(`rnncast: internal error: ${message} — this is a bug, please report it (run again with --debug for the stack)\n`);
  if (debug && error instanceof Error && error.stack) context.stderr.write(`${error.stack}\n`);
  return 1;
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
    signal,
  };
}

/** Runs as the binary: signals abort the work; a second signal exits at once. */
export async function runAsBinary(): Promise<void> {
  const controller = new AbortController();
  let signalled = false;
  const onSignal = (): void => {
    if (signalled) {
      removePendingTempFiles();
      // The cron mail should still say why the run ended, in one line.
      process.stderr.write('rnncast: interrupted twice: stopped at once, without saving anything\n');
      process.exit(130);
    }
    signalled = true;
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
  process.exitCode = signalled && code === 0 ? 130 : code;
}
