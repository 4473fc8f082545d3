// The target transform (--transform): what the network is asked to predict. Two independent
// parts: a value transform (the log, or nothing) applied to the target before anything else, and
// a baseline the network corrects:
//
//   none, log                      no baseline: the network predicts the scaled level
//   diff, log-diff                 naive: step h is a correction to the last value
//   seasonal-diff, log-seasonal-diff   seasonal naive: step h corrects y[T - m + (h mod m)]
//
// With a baseline, the target of step h of a window whose first target is at T is
// (g(y[T+h]) - base_h) / scale: the cumulated (seasonal) difference, predicted directly for every
// step, so errors do not pile up the way a cumulative sum of predicted one-step differences does.
// The head starts at zero, so an untrained network forecasts the baseline exactly.
// `auto` (the default) picks the log per series (Guerrero's test, positive series only) and the
// baseline per dataset among naive, drift, seasonal naive and seasonal naive with drift, for each
// season the calendar suggests (baseline.ts: the smallest in-sample error over the horizon).
import { DataError, where } from '../errors.js';
import type { BaselineKind } from './baseline.js';
import type { Series } from './types.js';

import type { TransformKind } from '../options/choices.js';

export type { TransformKind };
export { TRANSFORMS as TRANSFORM_KINDS } from '../options/choices.js';
/** A transform as applied: auto resolved. */
export type AppliedTransform = Exclude<TransformKind, 'auto'>;

export interface TransformParts {
  log: boolean;
  /** The baseline family: none, naive (auto may pick drift), seasonal (auto may pick seasonal-drift). */
  baseline: 'none' | 'naive' | 'seasonal';
}

export function transformParts(kind: AppliedTransform): TransformParts {
  switch (kind) {
    case 'none': return { log: false, baseline: 'none' };
    case 'log': return { log: true, baseline: 'none' };
    case 'diff': return { log: false, baseline: 'naive' };
    case 'log-diff': return { log: true, baseline: 'naive' };
    case 'seasonal-diff': return { log: false, baseline: 'seasonal' };
    case 'log-seasonal-diff': return { log: true, baseline: 'seasonal' };
  }
}

/** The transform's name for a log choice and a baseline (drift counts as a difference). */
export function transformName(log: boolean, baseline: BaselineKind): AppliedTransform {
  const base = baseline === 'none' ? '' : baseline === 'naive' || baseline === 'drift' ? 'diff' : 'seasonal-diff';
  if (log) return (base === '' ? 'log' : `log-${base}`) as AppliedTransform;
  return (base === '' ? 'none' : base) as AppliedTransform;
}

/** 'series 'A'' or 'the series' for a single-series file (id ''). */
export function seriesName(id: string): string {
  return id === '' ? 'the series' : `series '${id}'`;
}

/** Where a point came from, for messages: "file:line" for a real row, else the series and time. */
export function pointPlace(series: Series, index: number, source: string): string {
  const line = series.lines[index] ?? 0;
  if (line > 0) return where(source, line);
  const time = new Date(series.times[index] ?? NaN);
  const when = Number.isFinite(time.getTime()) ? time.toISOString() : `point ${index + 1}`;
  return `${where(source)}: ${seriesName(series.id)} at ${when} (a timestamp invented by --fill)`;
}

/** Refuses non-finite targets, and values <= 0 under a log, naming the input line. */
export function checkTarget(series: Series, log: boolean, source: string, from = 0): void {
  const values = series.values;
  for (let t = from; t < values.length; t++) {
    const value = values[t]!;
    if (!Number.isFinite(value)) throw new DataError(`${pointPlace(series, t, source)}: target value ${value} is not a finite number`);
    if (log && value <= 0) {
      throw new DataError(`${pointPlace(series, t, source)}: value ${value} cannot be log-transformed (a log transform needs positive values; try --transform diff or seasonal-diff)`);
    }
  }
}

/** g(y): the log or a copy, (N). */
export function valueTransform(values: Float64Array, log: boolean): Float64Array {
  const out = new Float64Array(values.length);
  if (log) for (let t = 0; t < values.length; t++) out[t] = Math.log(values[t]!);
  else out.set(values);
  return out;
}

/** g⁻¹. */
export function inverseValue(value: number, log: boolean): number {
  return log ? Math.exp(value) : value;
}

export function allPositive(values: ArrayLike<number>, end = values.length): boolean {
  for (let t = 0; t < end; t++) if (!(values[t]! > 0)) return false;
  return true;
}

/**
 * Guerrero's method (as forecast::BoxCox.lambda uses it), for the two transforms we offer: the
 * log (lambda 0) or none (lambda 1). Cut the series into blocks of one season (at least 2 points),
 * and pick the lambda for which sd_i / mean_i^(1 - lambda) varies least across blocks: a spread
 * that grows with the level (multiplicative season) asks for the log. Positive series only.
 * Returns the two coefficients of variation too, for the run summary.
 */
export function guerreroLog(values: ArrayLike<number>, end: number, season: number): { log: boolean; cvNone: number; cvLog: number } {
  const block = Math.max(2, season);
  const blocks = Math.floor(end / block);
  if (blocks < 3 || !allPositive(values, end)) return { log: false, cvNone: NaN, cvLog: NaN };
  const ratiosNone: number[] = [];
  const ratiosLog: number[] = [];
  const start = end - blocks * block; // the most recent whole blocks
  for (let b = 0; b < blocks; b++) {
    let sum = 0;
    for (let t = 0; t < block; t++) sum += values[start + b * block + t]!;
    const mean = sum / block;
    let squares = 0;
    for (let t = 0; t < block; t++) {
      const d = values[start + b * block + t]! - mean;
      squares += d * d;
    }
    const sd = Math.sqrt(squares / (block - 1));
    ratiosNone.push(sd); // lambda 1: sd / mean^0
    ratiosLog.push(sd / mean); // lambda 0: sd / mean^1
  }
  const cv = (xs: number[]): number => {
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    if (!(mean > 0)) return Infinity;
    const sd = Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / Math.max(1, xs.length - 1));
    return sd / mean;
  };
  const cvNone = cv(ratiosNone);
  const cvLog = cv(ratiosLog);
  // The log must clearly win: on series with a steady spread the two are close, and none is safer.
  return { log: cvLog < 0.8 * cvNone, cvNone, cvLog };
}
