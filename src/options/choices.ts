// Every closed list of values a flag or a model file may hold, declared once. The flag table,
// yargs' choices, --help, the model loader and the core's union types all come from these.

/** The commands that read flags. A flag belongs to the commands whose groups list it (flags.ts). */
export const COMMANDS = ['inspect', 'train', 'forecast', 'backtest', 'update'] as const;
export type CommandName = (typeof COMMANDS)[number];

export const CELLS = ['lstm', 'gru'] as const;
export type CellKind = (typeof CELLS)[number];

export const OPTIMIZERS = ['adam', 'adamw', 'sgd'] as const;
export type OptimizerKind = (typeof OPTIMIZERS)[number];

export const LOSSES = ['mse', 'mae', 'huber'] as const;
export type TrainingLoss = (typeof LOSSES)[number];

export const SCALES = ['standard', 'minmax', 'none'] as const;
export type ScaleKind = (typeof SCALES)[number];

export const TRANSFORMS = ['auto', 'none', 'log', 'diff', 'log-diff', 'seasonal-diff', 'log-seasonal-diff'] as const;
export type TransformKind = (typeof TRANSFORMS)[number];

/** What can forecast a series: the network, or a baseline the safety net picks instead. */
export const FORECAST_METHODS = ['model', 'naive', 'seasonal_naive', 'drift'] as const;
export type ForecastMethod = (typeof FORECAST_METHODS)[number];

export const FALLBACK_POLICIES = ['auto', 'none'] as const;
export type FallbackPolicy = (typeof FALLBACK_POLICIES)[number];

export const FILL_POLICIES = ['interpolate', 'ffill', 'zero', 'drop', 'error'] as const;
export type FillPolicy = (typeof FILL_POLICIES)[number];

/** Text formats first; xlsx (an Excel workbook) and arrow (Arrow IPC) are binary. */
export const OUTPUT_FORMATS = ['csv', 'json', 'ndjson', 'xlsx', 'arrow'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];
export type TextFormat = Exclude<OutputFormat, 'xlsx' | 'arrow'>;

export const REFITS = ['every', 'once'] as const;
export type RefitKind = (typeof REFITS)[number];

export const GATE_BASELINES = ['naive', 'seasonal-naive', 'drift'] as const;
export type GateBaseline = (typeof GATE_BASELINES)[number];

export const GATE_METRICS = ['mae', 'rmse', 'mape', 'smape', 'mase'] as const;
export type GateMetric = (typeof GATE_METRICS)[number];
