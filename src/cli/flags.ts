// yargs definitions of the flags in PRODUCT.md, grouped as the contract groups them.
// Defaults that depend on the data (horizon, lookback, season) stay undefined here.
import type { Options } from 'yargs';

type FlagTable = Record<string, Options>;

/** A number flag given without a value (`--hidden --quiet`) is a usage error, not its default. */
export function valued(table: FlagTable): FlagTable {
  for (const option of Object.values(table)) if (option.type === 'number') option.requiresArg = true;
  return table;
}

/**
 * Model and training flags carry no yargs default: options.ts applies the defaults, so a flag in
 * argv was really given (command line, RNNCAST_*, --config), and `forecast -m` can say which it ignores.
 * The default still shows in --help, in the description.
 */
function defaultsInHelpOnly(table: FlagTable): FlagTable {
  for (const option of Object.values(table)) {
    if (option.default === undefined) continue;
    const shown = String(option.default);
    option.describe = option.describe ? `${option.describe} (default: ${shown})` : `(default: ${shown})`;
    delete option.default;
  }
  return table;
}

export const dataFlags: FlagTable = {
  time: { type: 'string', describe: 'time column (default: the first column whose values parse as times)', group: 'Data:' },
  target: { type: 'string', describe: 'column to forecast (default: the only numeric column left); a,b,c or all-numeric: several columns of a wide file', group: 'Data:' },
  features: { type: 'string', describe: 'covariate columns, comma-separated', group: 'Data:' },
  id: { type: 'string', describe: 'series id column of a long-format file', group: 'Data:' },
  freq: { type: 'string', describe: 'frequency: 15min, H, D, B, W, M, Q, Y (default: inferred)', group: 'Data:' },
  fill: {
    type: 'string',
    choices: ['interpolate', 'ffill', 'zero', 'drop', 'error'],
    default: 'interpolate',
    describe: 'missing values and timestamps',
    group: 'Data:',
  },
  delimiter: { type: 'string', describe: 'field delimiter (default: detected)', group: 'Data:' },
  'time-format': { type: 'string', describe: "form of the time column in Luxon tokens, e.g. 'dd/MM/yyyy HH:mm' (default: recognised)", group: 'Data:' },
  tz: { type: 'string', describe: 'IANA time zone of naive local times, e.g. Europe/Berlin (default: times as written)', group: 'Data:' },
};

export const modelFlags: FlagTable = defaultsInHelpOnly(valued({
  cell: { type: 'string', choices: ['lstm', 'gru'], default: 'lstm', describe: 'recurrent cell', group: 'Model:' },
  hidden: { type: 'number', default: 64, describe: 'hidden units per layer and direction', group: 'Model:' },
  layers: { type: 'number', default: 1, describe: 'stacked recurrent layers', group: 'Model:' },
  bidirectional: { type: 'boolean', default: false, describe: 'read windows forwards and backwards', group: 'Model:' },
  dropout: { type: 'number', default: 0, describe: 'dropout between recurrent layers (training only)', group: 'Model:' },
  horizon: { type: 'number', describe: 'steps forecast at once (default: by frequency)', group: 'Model:' },
  lookback: { type: 'number', describe: 'window length (default: from season and horizon)', group: 'Model:' },
  epochs: { type: 'number', default: 200, describe: 'upper bound on epochs', group: 'Training:' },
  'batch-size': { type: 'number', default: 32, describe: 'windows per mini-batch', group: 'Training:' },
  lr: { type: 'number', default: 0.001, describe: 'learning rate', group: 'Training:' },
  optimizer: { type: 'string', choices: ['adam', 'adamw', 'sgd'], default: 'adam', group: 'Training:' },
  'weight-decay': { type: 'number', default: 0, group: 'Training:' },
  loss: { type: 'string', choices: ['mse', 'mae', 'huber'], default: 'mse', group: 'Training:' },
  patience: { type: 'number', default: 20, describe: 'epochs without validation improvement before stopping', group: 'Training:' },
  'min-delta': { type: 'number', default: 0, describe: 'smallest improvement that resets patience', group: 'Training:' },
  'clip-norm': { type: 'number', default: 1.0, describe: 'global L2 gradient norm limit; 0 = off', group: 'Training:' },
  'clip-value': { type: 'number', describe: 'element-wise gradient limit (default: off)', group: 'Training:' },
  'val-size': { type: 'number', default: 0.2, describe: 'share of the most recent windows held out for validation', group: 'Training:' },
  scale: { type: 'string', choices: ['standard', 'minmax', 'none'], default: 'standard', group: 'Training:' },
  transform: { type: 'string', choices: ['none', 'log', 'diff'], default: 'diff', describe: 'target transform, inverted on output; README says why diff', group: 'Training:' },
  seed: { type: 'number', default: 42, describe: 'random seed: same data + flags + seed, same model', group: 'Training:' },
  jobs: { type: 'number', describe: 'worker threads (default: number of cores)', group: 'Training:' },
}));

export const outputFlags: FlagTable = {
  output: { alias: 'o', type: 'string', describe: 'output file; - is standard output', group: 'Output:' },
  format: { type: 'string', choices: ['csv', 'json', 'ndjson', 'xlsx', 'arrow'], describe: 'output format (default: from the extension, else csv)', group: 'Output:' },
  chart: { type: 'boolean', default: true, describe: 'draw charts on standard error (--no-chart to turn off)', group: 'Output:' },
};

export const levelFlag: FlagTable = {
  level: { type: 'string', default: '80,95', describe: 'prediction interval levels, or none', group: 'Output:' },
};

export const longFlag: FlagTable = {
  long: { type: 'boolean', describe: 'a wide input (--target a,b): write the forecast long (series, time, forecast, ...) instead of wide', group: 'Output:' },
};
