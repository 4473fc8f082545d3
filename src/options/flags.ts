// Every flag of PRODUCT.md, declared once: kind, limits, default and help. yargs' options and
// --help (src/cli/parser.ts), the typed options (OptionsOf), the checks at the boundary
// (readGroup) and the model loader's limits (src/io/model-file.ts) are all derived from here.
//
// A group's keys are the fields of the options object it gives; the flag is the kebab-case of
// the key unless `flag` says otherwise. Adding a flag: one entry here, in the group of the
// commands that take it, then its use. Defaults that depend on the data stay undefined here and
// are chosen by the core (horizon by frequency, lookback from season and horizon).
import { availableParallelism } from 'node:os';
import {
  CELLS, FALLBACK_POLICIES, FILL_POLICIES, GATE_BASELINES, GATE_METRICS, LOSSES, OPTIMIZERS, OUTPUT_FORMATS, REFITS, SCALES, TRANSFORMS,
} from './choices.js';
import type { CommandName } from './choices.js';
import { choice, integer, names, parsed, real, text, toggle } from './spec.js';
import type { FlagGroup } from './spec.js';
import { parseDelimiter, parseDuration, parseLevels, parseShard, parseWait, parseZone } from './values.js';

const DATA = 'Data:';
const MODEL = 'Model:';
const TRAINING = 'Training:';
const OUTPUT = 'Output:';
const BACKTEST = 'Backtest:';
const GENERAL = 'Options:';
const RUNS = 'Unattended runs:';

/** A model's inputs are the target and at most this many features. */
export const MAX_FEATURES = 999;

const column = (describe: string, defaultText?: string) => text({ describe, defaultText, group: DATA, expected: 'a column name' });
const path = (describe: string, alias?: string, group = OUTPUT) => text({ describe, alias, group, expected: 'a file path, or - for standard input/output' });

/** Every command. */
export const generalFlags = {
  quiet: toggle({ alias: 'q', default: false, describe: 'nothing on standard error except errors', group: GENERAL }),
  debug: toggle({ default: false, describe: 'show stack traces and which RNNCAST_*/--config keys were ignored', group: GENERAL }),
  config: text({ describe: 'read flags from a JSON file (an object of flag names and values)', group: GENERAL, expected: 'a JSON file' }),
};

/** Every command (PRODUCT.md, "Data options"). */
export const dataFlags = {
  time: column('time column', 'the first column whose values parse as times'),
  target: column('column to forecast; a,b,c or all-numeric: several columns of a wide file, one series each', 'the only numeric column left'),
  features: names({ describe: 'covariate columns, comma-separated', group: DATA, maxItems: MAX_FEATURES }),
  futureFeatures: names({
    describe: 'covariates known ahead, e.g. promo,holiday: rows after the last target value with these filled (target empty) are the forecast steps\' inputs; implies --features',
    group: DATA,
    maxItems: MAX_FEATURES,
  }),
  id: column('series id column of a long-format file'),
  freq: text({ describe: 'frequency: 15min, H, D, B, W, M, Q, Y', defaultText: 'inferred', group: DATA, expected: 'a frequency such as 15min, H, D, W, M, Q, Y' }),
  fill: choice(FILL_POLICIES, { default: 'interpolate', describe: 'missing values and timestamps', group: DATA }),
  delimiter: text({ describe: 'field delimiter', defaultText: 'detected', group: DATA, expected: 'one character', parse: parseDelimiter }),
  timeFormat: text({ describe: "form of the time column in Luxon tokens, e.g. 'dd/MM/yyyy HH:mm'", defaultText: 'the forms rnncast recognises', group: DATA, expected: 'a Luxon format' }),
  tz: text({ describe: 'IANA time zone of naive local times, e.g. Europe/Berlin', defaultText: 'times as written', group: DATA, expected: 'an IANA time zone name', parse: parseZone }),
  // Also from JOB_COMPLETION_INDEX and JOB_COMPLETIONS (src/options/job-shard.ts), below every other source.
  shard: text({
    describe: "this run's part of a panel, i of n (from 1): series split by a hash of the id",
    defaultText: 'every series, or JOB_COMPLETION_INDEX+1 / JOB_COMPLETIONS when set',
    group: DATA,
    expected: 'i/n such as 1/4',
    parse: parseShard,
  }),
};

/** train, forecast, backtest (PRODUCT.md, "Model and training options"). */
export const trainingFlags = {
  cell: choice(CELLS, { default: 'lstm', describe: 'recurrent cell', group: MODEL }),
  hiddenSize: integer({ flag: 'hidden', min: 1, max: 4096, default: 64, describe: 'hidden units per layer and direction', group: MODEL }),
  numLayers: integer({ flag: 'layers', min: 1, max: 16, default: 1, describe: 'stacked recurrent layers', group: MODEL }),
  bidirectional: toggle({ default: false, describe: 'read windows forwards and backwards', group: MODEL }),
  dropout: real({ min: 0, below: 1, default: 0, describe: 'dropout between recurrent layers (training only)', group: MODEL }),
  horizon: integer({ min: 1, max: 100_000, describe: 'steps forecast at once', defaultText: 'by frequency', group: MODEL }),
  lookback: integer({ min: 1, max: 100_000, describe: 'window length', defaultText: 'from season and horizon', group: MODEL }),
  epochs: integer({ min: 1, max: 1_000_000, default: 200, describe: 'passes over the training windows at most', group: TRAINING }),
  steps: integer({ min: 1, max: 100_000_000, describe: 'optimizer steps at most (windows are sampled, so long series stay fast)', defaultText: '2000, up to 96000 / lookback for short lookbacks', group: TRAINING }),
  maxTime: parsed({ default: null as number | null, defaultText: 'none', describe: 'training time budget, e.g. 90s, 10m, 1h30m; the best model so far is kept', group: TRAINING, expected: 'a duration such as 90s, 10m or 1h30m', parse: parseDuration }),
  ensemble: integer({ min: 1, max: 64, describe: 'networks from different seeds, combined by the median per step', defaultText: '1, or 2 where auto gives a second network two-season naive', group: TRAINING }),
  fallback: choice(FALLBACK_POLICIES, { default: 'auto', describe: 'per series, a baseline that clearly beats the network on validation forecasts it', group: TRAINING }),
  forking: toggle({ default: false, describe: 'train the head at every step of the window (forking sequences), not only the last', group: TRAINING }),
  calendar: toggle({ default: true, describe: 'calendar inputs (hour of day, day of week, day of year) as sine/cosine pairs', group: TRAINING }),
  windowScale: toggle({ default: true, describe: 'measure a window that moves more than its series usually does in its own unit (per-window scaling); --no-window-scale: every window in the series\' unit', group: TRAINING }),
  batchSize: integer({ min: 1, max: 1_000_000, default: 32, describe: 'windows per mini-batch', group: TRAINING }),
  lr: real({ above: 0, max: 10, default: 0.001, describe: 'learning rate', group: TRAINING }),
  optimizer: choice(OPTIMIZERS, { default: 'adam', describe: 'optimizer', group: TRAINING }),
  weightDecay: real({ min: 0, max: 1e6, default: 0, describe: 'L2 weight decay (decoupled for adamw)', group: TRAINING }),
  loss: choice(LOSSES, { default: 'mse', describe: 'training loss', group: TRAINING }),
  patience: integer({ min: 1, max: 1_000_000, default: 20, describe: 'validation rounds without improvement before stopping', group: TRAINING }),
  minDelta: real({ min: 0, max: 1e12, default: 0, describe: 'smallest improvement that resets patience', group: TRAINING }),
  clipNorm: real({ min: 0, max: 1e12, default: 1.0, describe: 'global L2 gradient norm limit; 0 = off', group: TRAINING }),
  clipValue: real({ above: 0, max: 1e12, default: null, describe: 'element-wise gradient limit', group: TRAINING }),
  valSize: real({ min: 0, below: 1, default: 0.2, describe: 'share of the most recent windows held out for validation', group: TRAINING }),
  scale: choice(SCALES, { default: 'standard', describe: 'per-series scaling, fit on the training part', group: TRAINING }),
  transform: choice(TRANSFORMS, { default: 'auto', describe: 'target transform: the log and the baseline the network corrects', group: TRAINING }),
  seed: integer({ min: 0, max: 2 ** 32 - 1, default: 42, describe: 'random seed: same data + flags + seed, same model', group: TRAINING }),
  jobs: integer({ min: 1, max: 256, default: () => Math.max(1, availableParallelism()), defaultText: 'number of cores', describe: 'worker threads', group: TRAINING }),
};

const chart = toggle({ default: true, describe: 'draw charts on standard error (--no-chart turns them off)', group: OUTPUT });
const output = path('output file; - is standard output', 'o');
const format = choice(OUTPUT_FORMATS, { describe: 'output format', defaultText: 'from the extension, else csv', group: OUTPUT });
const levels = parsed({ flag: 'level', default: [80, 95], defaultText: '80,95', describe: 'prediction interval levels in percent (a share below 1 counts as percent: 0.9 = 90), or none', group: OUTPUT, expected: 'levels such as 80,95, or none', parse: parseLevels });

export const inspectFlags = {
  json: toggle({ default: false, describe: 'print the summary as JSON on standard output', group: OUTPUT }),
  chart,
};

export const trainFlags = {
  output: path('model file to write (required)', 'o'),
  chart,
};

export const forecastFlags = {
  output,
  format,
  chart,
  levels,
  model: path('model file', 'm', MODEL),
  saveModel: path('keep the model trained on the fly', undefined, MODEL),
  long: toggle({ default: false, describe: 'a wide input (--target a,b): write the forecast long (series, time, forecast, ...) instead of wide', group: OUTPUT }),
  maxAge: integer({ min: 0, max: 1_000_000_000, describe: 'with -m: periods the data may run past the model before a warning', defaultText: 'one season', group: MODEL }),
  strict: toggle({ default: false, describe: 'with -m: a model older than --max-age is an error (exit 4), nothing is written', group: MODEL }),
};

export const backtestFlags = {
  output,
  format,
  chart,
  levels,
  folds: integer({ min: 1, max: 10_000, describe: 'forecast origins at the end of the data', defaultText: '3, fewer on short data', group: BACKTEST }),
  stride: integer({ min: 1, max: 1_000_000, describe: 'steps between origins', defaultText: 'horizon', group: BACKTEST }),
  window: integer({ min: 2, max: 100_000_000, describe: 'sliding training window of N points', defaultText: 'expanding', group: BACKTEST }),
  refit: choice(REFITS, { default: 'every', describe: 'retrain at every origin, or once before the first', group: BACKTEST }),
  season: integer({ min: 1, max: 100_000, describe: 'season length for seasonal naive and MASE', defaultText: 'inferred', group: BACKTEST }),
  failIfWorseThan: choice(GATE_BASELINES, { describe: 'exit 3 when the model loses to this baseline', group: BACKTEST }),
  gateMetric: choice(GATE_METRICS, { default: 'mase', describe: 'metric for --fail-if-worse-than', group: BACKTEST }),
  metricsOut: path('write the metrics document here (JSON; an Excel workbook for .xlsx)', undefined, BACKTEST),
  json: toggle({ default: false, describe: 'print the metrics document on standard output', group: OUTPUT }),
};

/** update: the model to fine-tune, and the fine-tune's budget; the model file fixes everything else. */
export const updateFlags = {
  model: path('the model file to update (required)', 'm', MODEL),
  output: path('where to write the updated model (required; may be the -m file)', 'o'),
  steps: integer({ min: 1, max: 100_000_000, default: 300, describe: 'optimizer steps at most, per ensemble member', group: TRAINING }),
  maxTime: trainingFlags.maxTime,
  lr: real({ above: 0, max: 10, describe: 'learning rate of the fine-tune (the optimizer starts afresh)', defaultText: "the model's", group: TRAINING }),
  patience: trainingFlags.patience,
  seed: trainingFlags.seed,
  jobs: trainingFlags.jobs,
};

/** The commands that write files: no overlapping runs, a record of every run, skipping unchanged input. */
export const runFlags = {
  lock: toggle({ default: true, describe: 'lock the first output file (FILE.lock) so two runs never write it at once; --no-lock turns it off', group: RUNS }),
  lockTimeout: parsed({ default: 0, defaultText: '0: exit 5 at once', describe: 'how long to wait for a lock another run holds, e.g. 30s, 10m', group: RUNS, expected: 'a duration such as 0, 30s, 10m or 1h', parse: parseWait }),
  logJson: text({ describe: 'append one JSON line about the run to this file, also when it fails', group: RUNS, expected: 'a file path' }),
  ifChanged: toggle({ default: false, describe: 'do nothing (exit 0) when the input, the model and the flags are those of the last successful run', group: RUNS }),
};

/** The groups each command reads, in --help order. A flag of another command is ignored, not refused. */
export const COMMAND_FLAGS: Record<CommandName, readonly FlagGroup[]> = {
  inspect: [dataFlags, inspectFlags, generalFlags],
  train: [dataFlags, trainingFlags, trainFlags, runFlags, generalFlags],
  forecast: [dataFlags, trainingFlags, forecastFlags, runFlags, generalFlags],
  backtest: [dataFlags, trainingFlags, backtestFlags, runFlags, generalFlags],
  update: [dataFlags, updateFlags, runFlags, generalFlags],
};
