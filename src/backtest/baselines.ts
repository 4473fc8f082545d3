// The baselines a model must beat: naive, seasonal naive and drift (Hyndman & Athanasopoulos,
// "Forecasting: Principles and Practice", 3rd ed., §5.2), each with normal prediction intervals
// from its in-sample one-step residuals, widened per step ahead as in §5.5.
// Sizes: N history points, Hz horizon steps. Levels are percents (80, 95).
import { zForLevel } from '../metrics/normal.js';
import type { Values } from '../metrics/point.js';

export type BaselineMethod = 'naive' | 'seasonal_naive' | 'drift';

/** In the order the metrics document and the table show them. */
export const BASELINE_METHODS: readonly BaselineMethod[] = ['naive', 'seasonal_naive', 'drift'];

export interface IntervalBand {
  /** Percent, e.g. 80. */
  level: number;
  /** (Hz) */
  lower: Float64Array;
  /** (Hz) */
  upper: Float64Array;
}

function checkArguments(name: string, history: Values, horizon: number): void {
  if (history.length === 0) throw new RangeError(`${name}: needs at least one point of history`);
  if (!Number.isInteger(horizon) || horizon < 0) throw new RangeError(`${name}: horizon must be a non-negative integer, got ${horizon}`);
}

/** Seasons below 1 mean non-seasonal; a fractional season is a bug upstream. */
function checkSeason(name: string, season: number): number {
  if (!Number.isInteger(season)) throw new RangeError(`${name}: season must be an integer, got ${season}`);
  return Math.max(season, 1);
}

/** (Hz) every step is the last observed value. */
export function naiveForecast(history: Values, horizon: number): Float64Array {
  checkArguments('naiveForecast', history, horizon);
  return new Float64Array(horizon).fill(history[history.length - 1]!);
}

export interface SeasonalNaiveForecast {
  /** (Hz) */
  forecast: Float64Array;
  /** The season used: the one asked for, or 1 after a fallback. */
  season: number;
  /** true when the history is shorter than one season, so the last value was repeated instead. */
  fellBackToNaive: boolean;
}

/** (Hz) step h is the value one season before it, repeating the last observed season: y[N - m + (h-1) mod m]. */
export function seasonalNaiveForecast(history: Values, horizon: number, season: number): SeasonalNaiveForecast {
  checkArguments('seasonalNaiveForecast', history, horizon);
  const asked = checkSeason('seasonalNaiveForecast', season);
  const fellBackToNaive = history.length < asked;
  const m = fellBackToNaive ? 1 : asked;
  const n = history.length;
  const forecast = new Float64Array(horizon); // (Hz)
  for (let h = 0; h < horizon; h++) forecast[h] = history[n - m + (h % m)]!;
  return { forecast, season: m, fellBackToNaive };
}

/** (Hz) the line through the first and last values, extended: y_N + h·(y_N - y_1)/(N - 1); one point → naive. */
export function driftForecast(history: Values, horizon: number): Float64Array {
  checkArguments('driftForecast', history, horizon);
  const n = history.length;
  const last = history[n - 1]!;
  const slope = n === 1 ? 0 : (last - history[0]!) / (n - 1);
  const forecast = new Float64Array(horizon); // (Hz)
  for (let h = 0; h < horizon; h++) forecast[h] = last + (h + 1) * slope;
  return forecast;
}

/**
 * Residual standard deviation of the lag-`lag` differences y_t - y_{t-lag}, minus `centre`, with
 * `parameters` degrees of freedom taken off: √(Σ e² / (count - parameters)). NaN when there are
 * no degrees of freedom left (too short a history to say anything about the spread).
 */
function residualSigma(history: Values, lag: number, centre: number, parameters: number, from = lag): number {
  let sum = 0;
  let count = 0;
  for (let t = Math.max(lag, from); t < history.length; t++) {
    const e = history[t]! - history[t - lag]! - centre;
    if (!Number.isFinite(e)) continue;
    sum += e * e;
    count++;
  }
  return count - parameters <= 0 ? NaN : Math.sqrt(sum / (count - parameters));
}

/**
 * σ of the residuals y_t - y_{t-lag} - centre over the whole history or, with `recent`, over its
 * last `recent` points where that is larger: a series moving more now gets the wider band.
 */
function historySigma(history: Values, lag: number, centre: number, parameters: number, recent: number | undefined): number {
  const whole = residualSigma(history, lag, centre, parameters);
  if (recent === undefined) return whole;
  const last = residualSigma(history, lag, centre, 0, history.length - recent + 1);
  return last > whole ? last : whole;
}

/** Normal bands forecast ± z·σ_h for each level; spread[h] is σ_h, the standard deviation at step h+1. */
function normalBands(forecast: Float64Array, spread: Float64Array, levels: readonly number[]): IntervalBand[] {
  return levels.map((level) => {
    if (!(level > 0 && level < 100)) throw new RangeError(`interval level must be in (0, 100), got ${level}`);
    const z = zForLevel(level);
    const lower = new Float64Array(forecast.length); // (Hz)
    const upper = new Float64Array(forecast.length); // (Hz)
    for (let h = 0; h < forecast.length; h++) {
      lower[h] = forecast[h]! - z * spread[h]!;
      upper[h] = forecast[h]! + z * spread[h]!;
    }
    return { level, lower, upper };
  });
}

/**
 * Naive intervals: σ from the one-step residuals y_t - y_{t-1} (mean square, no parameter
 * estimated), σ_h = σ√h. Bounds are NaN with a single point of history.
 */
export function naiveIntervals(history: Values, horizon: number, levels: readonly number[], recent?: number): IntervalBand[] {
  const forecast = naiveForecast(history, horizon);
  const sigma = historySigma(history, 1, 0, 0, recent);
  const spread = new Float64Array(horizon); // (Hz)
  for (let h = 0; h < horizon; h++) spread[h] = sigma * Math.sqrt(h + 1);
  return normalBands(forecast, spread, levels);
}

/**
 * Seasonal naive intervals: σ from the residuals y_t - y_{t-m}, σ_h = σ√(k + 1) with
 * k = floor((h - 1)/m), the number of whole seasons before step h. After a fallback to naive
 * (history shorter than m), the naive intervals. NaN bounds when the history is exactly m long.
 */
export function seasonalNaiveIntervals(history: Values, horizon: number, season: number, levels: readonly number[], recent?: number): IntervalBand[] {
  const { forecast, season: m } = seasonalNaiveForecast(history, horizon, season);
  const sigma = historySigma(history, m, 0, 0, recent);
  const spread = new Float64Array(horizon); // (Hz)
  for (let h = 0; h < horizon; h++) spread[h] = sigma * Math.sqrt(Math.floor(h / m) + 1);
  return normalBands(forecast, spread, levels);
}

/**
 * Drift intervals: σ from the one-step residuals y_t - y_{t-1} - slope, with one degree of
 * freedom spent on the slope, σ_h = σ√(h(1 + h/(N - 1))) — the second term is the slope's own
 * uncertainty. NaN bounds with fewer than 3 points (a line through 2 points has no residuals).
 */
export function driftIntervals(history: Values, horizon: number, levels: readonly number[], recent?: number): IntervalBand[] {
  const forecast = driftForecast(history, horizon);
  const n = history.length;
  const slope = n === 1 ? 0 : (history[n - 1]! - history[0]!) / (n - 1);
  const sigma = historySigma(history, 1, slope, 1, recent);
  const spread = new Float64Array(horizon); // (Hz)
  for (let h = 0; h < horizon; h++) {
    const steps = h + 1;
    spread[h] = sigma * Math.sqrt(steps * (1 + steps / (n - 1)));
  }
  return normalBands(forecast, spread, levels);
}

export interface BaselineOptions {
  /** Season length for seasonal naive; ignored by the others. */
  season: number;
  /** Interval levels in percent; [] for none. */
  levels: readonly number[];
  /** σ from the last this many points where that is larger than the whole history's (forecast's fallback); absent: the textbook σ. */
  recent?: number;
}

export interface BaselineResult {
  method: BaselineMethod;
  /** (Hz) */
  forecast: Float64Array;
  /** One band per level, in the order of options.levels. */
  intervals: IntervalBand[];
  /** Seasonal naive only: the history was shorter than the season and naive was used. */
  fellBackToNaive: boolean;
}

/** One baseline's forecast and intervals, by name: what the backtest runs at each origin. */
export function baselineForecast(method: BaselineMethod, history: Values, horizon: number, options: BaselineOptions): BaselineResult {
  switch (method) {
    case 'naive':
      return { method, forecast: naiveForecast(history, horizon), intervals: naiveIntervals(history, horizon, options.levels, options.recent), fellBackToNaive: false };
    case 'seasonal_naive': {
      const { forecast, fellBackToNaive } = seasonalNaiveForecast(history, horizon, options.season);
      return { method, forecast, intervals: seasonalNaiveIntervals(history, horizon, options.season, options.levels, options.recent), fellBackToNaive };
    }
    case 'drift':
      return { method, forecast: driftForecast(history, horizon), intervals: driftIntervals(history, horizon, options.levels, options.recent), fellBackToNaive: false };
  }
}
