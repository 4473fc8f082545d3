// The metrics document (PRODUCT.md, "Output"): overall, per series, per fold, for the model and
// each baseline, plus the M4-style pooled means and OWA, the settings and each training's
// outcome. Nothing in it depends on timing or scheduling, so it is byte-identical for any --jobs.
import { formatTime } from '../data/time.js';
import { m4Summary, meanMetricSets, owa } from '../metrics/index.js';
import type { MetricSet, MetricValue } from '../metrics/index.js';
import type { StoppedBy } from '../io/model-file.js';
import { FORECAST_METHODS, type ForecastMethod } from '../forecast/methods.js';
import type { GateBaseline, GateMetric } from '../options/choices.js';
import { decideGate } from './gate.js';
import type { GateDecision } from './gate.js';
import { METHODS } from './rolling-origin.js';
import type { BacktestResult, FoldCell, Method } from './rolling-origin.js';

export type MethodMetrics = Record<Method, MetricSet>;

export interface FoldEntry extends Partial<MethodMetrics> {
  fold: number;
  /** Time of the last point before the fold's forecast (the forecast origin); null when series differ. */
  origin: string | null;
  /** Only when the series' origins differ (series of different lengths). */
  origins?: { id: string; origin: string }[];
}

export interface SeriesEntry extends Partial<MethodMetrics> {
  id: string;
  folds: FoldEntry[];
}

export interface M4Entry {
  smape: MetricValue;
  mase: MetricValue;
  /** ½ (sMAPE/sMAPE_snaive + MASE/MASE_snaive): below 1 beats seasonal naive. */
  owa: MetricValue;
}

export interface MetricsDocument {
  overall: MethodMetrics;
  series: SeriesEntry[];
  folds: FoldEntry[];
  m4: Record<Method, M4Entry>;
  settings: {
    folds: number;
    stride: number;
    horizon: number;
    lookback: number;
    season: number;
    window: number | null;
    refit: 'every' | 'once';
    levels: number[];
    seed: number;
    series: number;
  };
  training: { fold: number; epochs: number; bestEpoch: number; steps: number; stoppedBy: StoppedBy; transform: string }[];
  /** How often each method forecast a series at a fold (the safety net's choices). */
  chosen: Record<ForecastMethod, number>;
  gate?: GateDecision;
}

/** 10 significant digits, like the backtest file: stable text, far below any forecast's error. */
function round(value: MetricValue): MetricValue {
  return value === null ? null : Number(value.toPrecision(10));
}

function roundSet(set: MetricSet): MetricSet {
  const out: Record<string, MetricValue> = {};
  for (const [key, value] of Object.entries(set) as [string, MetricValue][]) out[key] = key === 'mape_skipped' ? value : round(value);
  return out as unknown as MetricSet;
}

function byMethod(pick: (method: Method) => MetricSet): MethodMetrics {
  const out = {} as MethodMetrics;
  for (const method of METHODS) out[method] = roundSet(pick(method));
  return out;
}

/** The forecast origin: the last point the fold's model could see. */
export function originTime(result: BacktestResult, seriesIndex: number, cell: FoldCell): string {
  const series = result.dataset.series[seriesIndex]!;
  return formatTime(series.times[cell.origin - 1]!, result.dataset.timeStyle);
}

/** Each series' mean over its folds: the per-series entries, and the step before "overall" (every series weighs the same). */
export function seriesMeans(result: BacktestResult): MethodMetrics[] {
  return result.cells.map((folds) => {
    const out = {} as MethodMetrics;
    for (const method of METHODS) out[method] = meanMetricSets(folds.map((cell) => cell.methods[method].metrics));
    return out;
  });
}

/** The metrics document; with a gate, its decision on the document's own (rounded) overall values. */
export function buildDocument(result: BacktestResult, seed: number, gate?: { baseline: GateBaseline; metric: GateMetric }): MetricsDocument {
  const { cells, dataset, layout } = result;
  const perSeries = seriesMeans(result);
  const overall = byMethod((method) => meanMetricSets(perSeries.map((entry) => entry[method])));
  const series: SeriesEntry[] = dataset.series.map((one, seriesIndex) => ({
    id: one.id,
    ...byMethod((method) => perSeries[seriesIndex]![method]),
    folds: cells[seriesIndex]!.map((cell) => ({
      fold: cell.fold,
      origin: originTime(result, seriesIndex, cell),
      ...byMethod((method) => cell.methods[method].metrics),
    })),
  }));
  const folds: FoldEntry[] = [];
  for (let fold = 0; fold < layout.folds; fold++) {
    const atFold = cells.map((perFold) => perFold[fold]!);
    const times = atFold.map((cell, seriesIndex) => originTime(result, seriesIndex, cell));
    const common = times.every((time) => time === times[0]);
    const entry: FoldEntry = { fold: fold + 1, origin: common ? times[0]! : null };
    if (!common) entry.origins = times.map((origin, seriesIndex) => ({ id: dataset.series[seriesIndex]!.id, origin }));
    Object.assign(entry, byMethod((method) => meanMetricSets(atFold.map((cell) => cell.methods[method].metrics))));
    folds.push(entry);
  }
  const pooled = (method: Method) => m4Summary(cells.flat().map((cell) => cell.methods[method].metrics));
  const reference = pooled('seasonal_naive');
  const m4 = {} as Record<Method, M4Entry>;
  for (const method of METHODS) {
    const summary = pooled(method);
    m4[method] = { smape: round(summary.smape), mase: round(summary.mase), owa: round(owa(summary, reference)) };
  }
  const document: MetricsDocument = {
    overall,
    series,
    folds,
    m4,
    settings: {
      folds: layout.folds,
      stride: layout.stride,
      horizon: layout.horizon,
      lookback: result.lookback,
      season: result.season,
      window: result.window,
      refit: result.refit,
      levels: result.levels,
      seed,
      series: dataset.series.length,
    },
    training: result.trainings.map((record) => ({
      fold: record.fold,
      epochs: record.summary.epochs,
      bestEpoch: record.summary.bestEpoch,
      steps: record.summary.steps,
      stoppedBy: record.summary.stoppedBy,
      transform: record.summary.transform,
    })),
    chosen: chosenCounts(result),
  };
  if (gate) document.gate = decideGate(overall, gate.baseline, gate.metric);
  return document;
}

/** How often each method forecast a series at a fold. */
export function chosenCounts(result: BacktestResult): Record<ForecastMethod, number> {
  const counts = Object.fromEntries(FORECAST_METHODS.map((method) => [method, 0])) as Record<ForecastMethod, number>;
  for (const folds of result.cells) for (const cell of folds) counts[cell.chosen] += 1;
  return counts;
}

export function renderDocument(document: MetricsDocument): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}
