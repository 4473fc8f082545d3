// The metric set of one forecast (one series, one fold, one method): the object that appears
// under "<method>" in the backtest metrics document (PRODUCT.md, "Output"). Values are
// `number | null`; null means "not defined here" (e.g. MAPE when every actual is 0, MASE on a
// constant history), so the document stays valid JSON where NaN would not.
import { coverage, meanWidth } from './interval.js';
import { mae, mape, mase, rmse, smape, type Values } from './point.js';

export type MetricValue = number | null;

export interface MetricSet {
  mae: MetricValue;
  rmse: MetricValue;
  /** Percent, over non-zero actuals only. */
  mape: MetricValue;
  /** 0–200 scale (M4). */
  smape: MetricValue;
  mase: MetricValue;
  /** coverage_<level>: share of actuals inside the interval, 0–1. */
  [key: `coverage_${string}`]: MetricValue;
  /** width_<level>: mean of upper - lower, in the units of the data. */
  [key: `width_${string}`]: MetricValue;
  /** Actuals equal to 0 that MAPE left out (a count, summed rather than averaged when aggregating). */
  mape_skipped: number;
}

export interface IntervalInput {
  /** Percent, e.g. 80. */
  level: number;
  /** (N) */
  lower: Values;
  /** (N) */
  upper: Values;
}

export interface MetricsInput {
  /** (N) the values that happened. */
  actual: Values;
  /** (N) the point forecast. */
  forecast: Values;
  /** The data before the forecast origin, for the MASE scale. */
  history: Values;
  /** Season length m for MASE (1 = non-seasonal). */
  season: number;
  intervals?: IntervalInput[];
  /** (N) optional: 1 = score this position, 0 = skip it. */
  mask?: Uint8Array;
}

/** "80" for 80, "97.5" for 97.5: the suffix of coverage_/width_ keys and lower_/upper_ columns. */
export function levelKey(level: number): string {
  return String(level);
}

export function coverageKey(level: number): `coverage_${string}` {
  return `coverage_${levelKey(level)}`;
}

export function widthKey(level: number): `width_${string}` {
  return `width_${levelKey(level)}`;
}

/** NaN and ±Infinity become null: JSON has no way to write them. */
export function finiteOrNull(value: number): MetricValue {
  return Number.isFinite(value) ? value : null;
}

/** Every metric for one forecast; keys in document order: point metrics, then coverage/width per level. */
export function computeMetrics(input: MetricsInput): MetricSet {
  const { actual, forecast, history, season, mask } = input;
  const percentage = mape(actual, forecast, mask);
  // Built as a record so the interval keys land between the point metrics and mape_skipped.
  const set: Record<string, MetricValue> = {
    mae: finiteOrNull(mae(actual, forecast, mask)),
    rmse: finiteOrNull(rmse(actual, forecast, mask)),
    mape: finiteOrNull(percentage.value),
    smape: finiteOrNull(smape(actual, forecast, mask)),
    mase: finiteOrNull(mase(actual, forecast, history, season, mask)),
  };
  for (const band of input.intervals ?? []) {
    set[coverageKey(band.level)] = finiteOrNull(coverage(actual, band.lower, band.upper, mask));
    set[widthKey(band.level)] = finiteOrNull(meanWidth(band.lower, band.upper, mask));
  }
  set.mape_skipped = percentage.skipped;
  return set as unknown as MetricSet;
}

/**
 * A lower-is-better score for comparing methods on one metric (best-per-metric marks, the
 * --fail-if-worse-than gate): error metrics and widths as they are, coverage_<L> as its distance
 * from the nominal L/100. null for null values and for keys that are not metrics (mape_skipped).
 */
export function metricLoss(key: string, value: MetricValue): number | null {
  if (value === null || key === 'mape_skipped') return null;
  if (key.startsWith('coverage_')) {
    const level = Number(key.slice('coverage_'.length));
    return Number.isFinite(level) ? Math.abs(value - level / 100) : null;
  }
  return value;
}
