// The command line as yargs sees it, derived from the flag table (src/options/flags.ts): each
// command's flags with their help, choices and defaults. yargs only parses the command line and
// writes help; RNNCAST_* and --config are merged after it (src/options/sources.ts), and every
// value is checked by the options module, so all three sources get the same messages.
import { createRequire } from 'node:module';
import type { Argv as YargsArgv, Options as YargsOptions } from 'yargs';
import { COMMANDS } from '../options/choices.js';
import type { CommandName } from '../options/choices.js';
import { COMMAND_FLAGS, generalFlags } from '../options/flags.js';
import { defaultShown, flagName } from '../options/spec.js';
import type { FlagGroup, FlagSpec } from '../options/spec.js';
import { toolVersion } from '../version.js';

// yargs' ESM build wraps help at the column, in the middle of words; its CommonJS build wraps
// between words (wrap-ansi).
const yargs = createRequire(import.meta.url)('yargs') as typeof import('yargs').default;

interface CommandHelp {
  describe: string;
  /** [command line, what it does]: shown under "Examples:" in the command's --help. */
  examples: [string, string][];
}

export const COMMAND_HELP: Record<CommandName, CommandHelp> = {
  inspect: {
    describe: 'describe a CSV: columns, frequency, gaps, statistics',
    examples: [
      ['rnncast inspect datasets/air-passengers.csv', 'monthly series: frequency M, season 12, a chart'],
      ['rnncast inspect datasets/eu-stock-markets.csv --id index --json | jq .series', 'four series in one long file'],
    ],
  },
  train: {
    describe: 'fit an LSTM or GRU and save the model file',
    examples: [['rnncast train datasets/air-passengers.csv -o air.model.json --transform log', 'then: rnncast forecast datasets/air-passengers.csv -m air.model.json']],
  },
  forecast: {
    describe: 'forecast horizon steps past the end of each series',
    examples: [
      ['rnncast forecast datasets/air-passengers.csv > next.csv', 'train on the fly, forecast 18 months, CSV on stdout'],
      ['rnncast forecast sales.csv -m sales.model.json -o next.json', 'use a saved model, write JSON'],
      ['rnncast forecast datasets/store-sales.csv --future-features promo,holiday', 'the rows after the last sale give the planned promotions and holidays: the forecast reads them'],
    ],
  },
  backtest: {
    describe: 'rolling-origin evaluation against baselines',
    examples: [
      ['rnncast backtest datasets/air-passengers.csv --transform log', '3 folds of 18 months; a table of MASE against the baselines'],
      ['rnncast backtest sales.csv --fail-if-worse-than seasonal-naive && publish', 'a cron gate'],
    ],
  },
  update: {
    describe: 'fine-tune a saved model on the data as it is now',
    examples: [
      ['rnncast update sales.csv -m sales.model.json -o sales.model.json', 'the week\'s new rows: a few hundred steps from the saved weights'],
      ['rnncast update sales.csv -m sales.model.json -o next.model.json --max-time 2m', 'at most two minutes per network, into a new file'],
    ],
  },
};

/** The flag as yargs declares it: no default (the options module applies them), shown in the help text. */
export function yargsOption(spec: FlagSpec): YargsOptions {
  const shown = defaultShown(spec);
  return {
    type: spec.type,
    alias: spec.alias,
    choices: spec.choices as string[] | undefined,
    describe: shown === undefined ? spec.describe : `${spec.describe} (default: ${shown})`,
    group: spec.group,
    // `--hidden --quiet` is a missing value, not --hidden set to its default.
    requiresArg: spec.type !== 'boolean',
  };
}

function declareGroup(y: YargsArgv, group: FlagGroup, global = false): YargsArgv {
  for (const [field, spec] of Object.entries(group)) y = y.option(flagName(field, spec), { ...yargsOption(spec), global });
  return y;
}

/** Words kept whole: continuation lines are indented, and only a word longer than a line is cut. */
function wrapWords(text: string, width: number, indent: string): string[] {
  const lines: string[] = [];
  let line = indent;
  for (const word of text.split(/\s+/).filter((part) => part !== '')) {
    if (line.trim() !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = `${indent}  `;
    }
    line += line.trim() === '' ? word : ` ${word}`;
  }
  if (line.trim() !== '') lines.push(line);
  return lines;
}

function examplesText(examples: [string, string][], width: number): string {
  const lines = ['Examples:'];
  for (const [command, meaning] of examples) lines.push(...wrapWords(command, width, '  '), ...wrapWords(meaning, width, '      '));
  return lines.join('\n');
}

/** yargs reads a bare `-` as a flag; main swaps it for this token, and options read it back as '-'. */
export const STDIO_ARGUMENT = '\u0000stdio';

export function buildParser(width: number): YargsArgv {
  let parser = yargs()
    .scriptName('rnncast')
    .usage('$0 <command> [options]\n\nForecast time series in CSV files with LSTM and GRU networks.')
    // rnncast speaks English whatever the locale, so its hints and yargs' messages agree.
    .locale('en')
    .detectLocale(false);
  parser = declareGroup(parser, generalFlags, true);
  for (const name of COMMANDS) {
    const help = COMMAND_HELP[name];
    parser = parser.command(`${name} <input>`, help.describe, (y: YargsArgv): YargsArgv => {
      let command: YargsArgv = y.positional('input', { type: 'string', describe: 'CSV file, or - for standard input' });
      for (const group of COMMAND_FLAGS[name]) if (group !== generalFlags) command = declareGroup(command, group);
      return command.epilogue(examplesText(help.examples, width));
    });
  }
  return parser
    .completion('completion', 'print a shell completion script (bash/zsh)')
    .demandCommand(1, `name a command: ${COMMANDS.join(', ')}`)
    .recommendCommands()
    .strict()
    .version(toolVersion())
    .help()
    .alias('help', 'h')
    .wrap(width)
    .exitProcess(false)
    .fail((message: string | undefined, error: Error | undefined) => {
      throw error ?? new ParseError(message ?? 'invalid command line');
    });
}

/** A command line yargs refused; main rephrases its message. */
export class ParseError extends Error {}
