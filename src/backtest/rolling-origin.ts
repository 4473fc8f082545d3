// The rolling-origin backtest: place the folds, cut the data at each origin, train in workers,
// forecast, run the baselines on the same history, and score every fold × series × method.
// It never prints; progress goes through hooks.
import { DataError, UsageError, where } from '../errors.js';
import { defaultHorizonFor } from '../data/future.js';
import { seasonLength } from '../data/time.js';
import type { Dataset } from '../data/types.js';
import { baselineReach } from '../data/baseline.js';
import { firstOrigin, minimumLength } from '../data/window.js';
import { resolveSettings, type FitSettings } from '../train/settings.js';
import { seriesName, transformParts } from '../data/transform.js';
import type { SeriesForecast } from '../forecast/predict.js';
import type { ForecastMethod } from '../forecast/methods.js';
import { computeMetrics } from '../metrics/index.js';
import type { MetricSet } from '../metrics/index.js';
import { BASELINE_METHODS, baselineForecast } from './baselines.js';
import type { BaselineMethod, IntervalBand } from './baselines.js';
import type { BacktestOptions, RefitKind } from './options.js';
import { describeLayout, heldOutPoints, planOrigins } from './origins.js';
import type { FoldLayout } from './origins.js';
import { runInWorkers } from './pool.js';
import type { TrainDone } from './pool.js';
import type { TrainTask, TrainingSummary } from './protocol.js';
import { datasetBefore } from './slice.js';

export type Method = 'model' | BaselineMethod;

/** In the order of the metrics document and the table. */
export const METHODS: readonly Method[] = ['model', ...BASELINE_METHODS];

/** One method's forecast of one series at one fold. */
export interface MethodForecast {
  /** (H) */
  forecast: Float64Array;
  intervals: IntervalBand[];
  metrics: MetricSet;
}

/** One series at one fold. */
export interface FoldCell {
  fold: number; // 1-based
  /** Index of the first forecast point; the model saw [0, origin) at most. */
  origin: number;
  /** (H) the values that happened. */
  actual: Float64Array;
  /** (H) 1 = scored; 0 = the point was invented by --fill. */
  mask: Uint8Array;
  /** (H) epoch ms of the forecast points. */
  times: Float64Array;
  methods: Record<Method, MethodForecast>;
  /** What forecast this series as 'model': the network, or the baseline the safety net chose. */
  chosen: ForecastMethod;
}

export interface TrainingRecord {
  /** 1-based fold the training served; with --refit once, fold 1 (it trains before the first origin). */
  fold: number;
  summary: TrainingSummary;
  seconds: number;
}

export interface BacktestResult {
  dataset: Dataset;
  layout: FoldLayout;
  lookback: number;
  season: number;
  window: number | null;
  refit: RefitKind;
  levels: number[];
  /** [series][fold], series in Dataset order, folds earliest first. */
  cells: FoldCell[][];
  trainings: TrainingRecord[];
}

export interface BacktestHooks {
  toolVersion: string;
  signal?: AbortSignal;
  /** A training finished (finishing order, for progress lines). */
  onTrained?: (record: TrainingRecord, total: number) => void;
  /** Called once the folds are placed, before any training. */
  onPlan?: (plan: { trainings: number; workers: number; layout: FoldLayout; lookback: number; season: number; warnings: string[] }) => void;
  workerUrl?: URL;
}

export interface BacktestPlan {
  layout: FoldLayout;
  lookback: number;
  season: number;
  /** (S, K) first forecast point of each fold. */
  origins: number[][];
  tasks: TrainTask[];
  /** e.g. fewer folds than the default because the data is short. */
  warnings: string[];
}

/** The default number of folds, used when --folds is not given and the data allows it. */
export const DEFAULT_FOLDS = 3;

/**
 * Settings fixed once for every fold: the horizon, the stride, the season, and the lookback,
 * chosen from the first (shortest) fold's training data so every fold trains the same network.
 */
export function planBacktest(dataset: Dataset, options: BacktestOptions, toolVersion: string): BacktestPlan {
  if (options.folds !== undefined) return planWithFolds(dataset, options, options.folds, toolVersion);
  // No --folds: the default 3, or fewer on short data rather than an error.
  let firstError: unknown;
  for (let folds = DEFAULT_FOLDS; folds >= 1; folds--) {
    try {
      const plan = planWithFolds(dataset, options, folds, toolVersion);
      if (folds < DEFAULT_FOLDS) {
        const shortest = Math.min(...dataset.series.map((series) => series.values.length));
        plan.warnings.push(`${folds} fold${folds === 1 ? '' : 's'} instead of ${DEFAULT_FOLDS}: the shortest series has ${shortest} points, too few to train before ${DEFAULT_FOLDS} origins ${plan.layout.stride} steps apart (set --folds to insist)`);
      }
      return plan;
    } catch (error: unknown) {
      if (!(error instanceof DataError)) throw error;
      firstError ??= error;
    }
  }
  throw firstError;
}

function planWithFolds(dataset: Dataset, options: BacktestOptions, folds: number, toolVersion: string): BacktestPlan {
  const { training } = options;
  const horizon = training.horizon ?? defaultHorizonFor(dataset);
  const stride = options.stride ?? horizon;
  const season = options.season ?? seasonLength(dataset.freq);
  const layout: FoldLayout = { folds, stride, horizon };
  const window = options.window;
  if (window !== undefined && (!Number.isInteger(window) || window < 2)) throw new UsageError(`--window ${window}: expected an integer >= 2`);
  // Every series needs a point before its first origin; series too short to train are forecast by a baseline.
  const origins = planOrigins(dataset, layout, 1);
  const at = (fold: number): number[] => origins.map((perSeries) => perSeries[fold]!);
  // The first fold's data fixes the lookback, so every fold trains the same network shape.
  let settings: FitSettings;
  try {
    settings = resolveSettings(datasetBefore(dataset, at(0), window), { ...training, horizon }, options.season);
  } catch (error: unknown) {
    if (!(error instanceof DataError)) throw error;
    const longest = dataset.series.reduce((a, b) => (b.values.length > a.values.length ? b : a));
    const held = heldOutPoints(layout);
    // The least the first fold could train on: the lookback shrinks to 1 unless given, and auto
    // falls back to naive; a transform given keeps its baseline's reach.
    const family = training.transform === 'auto' ? 'naive' : transformParts(training.transform).baseline;
    const reach = baselineReach({ kind: family, season });
    const needed = minimumLength(firstOrigin(training.lookback ?? 1, reach), horizon, training.valSize);
    // Long enough, so the fold's data failed for another reason: its own message names it.
    if (longest.values.length - held >= needed) throw error;
    // Say it in the backtest's terms: the whole series, and what the folds keep back.
    throw new DataError(
      `${where(dataset.source)}: ${seriesName(longest.id)} has ${longest.values.length} points; ${describeLayout(layout)} keep the last ${held} for testing, and the first fold needs at least ${needed} before them to train; try fewer --folds, a smaller --stride or --horizon, or a shorter --lookback`,
    );
  }
  const lookback = settings.spec.lookback;
  const minTrain = minimumLength(firstOrigin(lookback, baselineReach(settings.spec.baseline)), horizon, training.valSize);
  if (window !== undefined && window < minTrain) {
    throw new UsageError(`--window ${window} is too short: lookback ${lookback} + horizon ${horizon} with --val-size ${training.valSize} need at least ${minTrain} points to train`);
  }
  const foldOptions = { ...training, horizon, lookback };
  const levels = options.levels;
  const tasks: TrainTask[] = [];
  if (options.refit === 'every') {
    for (let fold = 0; fold < layout.folds; fold++) {
      // The fold's forecast reads the known-future covariates of its horizon (never its targets).
      tasks.push({ index: fold, train: datasetBefore(dataset, at(fold), window, horizon), predict: null, options: foldOptions, season, seasonGiven: options.season, levels, toolVersion });
    }
  } else {
    // One model, trained before the first origin; later folds only feed it newer inputs.
    const predict = Array.from({ length: layout.folds }, (_, fold) => datasetBefore(dataset, at(fold), undefined, horizon));
    tasks.push({ index: 0, train: datasetBefore(dataset, at(0), window), predict, options: foldOptions, season, seasonGiven: options.season, levels, toolVersion });
  }
  return { layout, lookback, season, origins, tasks, warnings: [] };
}

/** (K)(S) the model's forecasts by fold, whatever the refit mode. */
function modelForecasts(done: TrainDone[], folds: number): SeriesForecast[][] {
  if (done.length === folds) return done.map((reply) => reply.forecasts[0]!);
  return done[0]!.forecasts;
}

function scoreCell(dataset: Dataset, seriesIndex: number, fold: number, origin: number, model: SeriesForecast, options: { horizon: number; season: number; window: number | null; levels: number[] }): FoldCell {
  const series = dataset.series[seriesIndex]!;
  const { horizon, season, window, levels } = options;
  const actual = series.values.slice(origin, origin + horizon);
  const mask = series.imputed.slice(origin, origin + horizon).map((invented) => (invented ? 0 : 1));
  // MASE is scaled by everything known before the origin; the baselines see what the model saw.
  const history = series.values.subarray(0, origin);
  const seen = window === null ? history : series.values.subarray(Math.max(0, origin - window), origin);
  const score = (forecast: Float64Array, intervals: IntervalBand[]): MethodForecast => ({
    forecast,
    intervals,
    metrics: computeMetrics({ actual, forecast, history, season, intervals, mask }),
  });
  const methods = { model: score(model.forecast, model.intervals) } as Record<Method, MethodForecast>;
  for (const method of BASELINE_METHODS) {
    const baseline = baselineForecast(method, seen, horizon, { season, levels });
    methods[method] = score(baseline.forecast, baseline.intervals);
  }
  return { fold: fold + 1, origin, actual, mask, times: series.times.slice(origin, origin + horizon), methods, chosen: model.method };
}

export async function runBacktest(dataset: Dataset, options: BacktestOptions, hooks: BacktestHooks): Promise<BacktestResult> {
  const plan = planBacktest(dataset, options, hooks.toolVersion);
  const { layout, season, origins, tasks } = plan;
  const workers = Math.max(1, Math.min(options.training.jobs, tasks.length));
  hooks.onPlan?.({ trainings: tasks.length, workers, layout, lookback: plan.lookback, season, warnings: plan.warnings });
  const record = (reply: TrainDone): TrainingRecord => ({ fold: reply.index + 1, summary: reply.summary, seconds: reply.seconds });
  // Each fold worker trains on its share of the threads (data-parallel chunks), so folds and
  // chunks together use --jobs threads; the models are the same bits for any share.
  const share = Math.max(1, Math.floor(options.training.jobs / workers));
  const shared = tasks.map((task) => ({ ...task, options: { ...task.options, jobs: share } }));
  const done = await runInWorkers(shared, {
    jobs: options.training.jobs,
    signal: hooks.signal,
    workerUrl: hooks.workerUrl,
    onDone: (reply) => hooks.onTrained?.(record(reply), tasks.length),
  });
  const byFold = modelForecasts(done, layout.folds);
  const window = options.window ?? null;
  const scoring = { horizon: layout.horizon, season, window, levels: options.levels };
  const cells = dataset.series.map((_, seriesIndex) =>
    origins[seriesIndex]!.map((origin, fold) => scoreCell(dataset, seriesIndex, fold, origin, byFold[fold]![seriesIndex]!, scoring)),
  );
  return {
    dataset,
    layout,
    lookback: plan.lookback,
    season,
    window,
    refit: options.refit,
    levels: options.levels,
    cells,
    trainings: done.map(record),
  };
}
