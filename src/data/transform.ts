// The target transform (--transform): applied to the target only, before scaling, and inverted
// exactly on output. Features are never transformed; with `diff` they are re-aligned to the
// shorter target (transformed index k is raw index k + offset).
//
// Sizes: N raw points of a series, L = N - offset transformed points, H forecast steps.
import { DataError, where } from '../errors.js';
import type { Series } from './types.js';

import type { TransformKind } from '../options/choices.js';

export type { TransformKind };
export { TRANSFORMS as TRANSFORM_KINDS } from '../options/choices.js';

export interface TransformedTarget {
  /** (L) the transformed target. */
  values: Float64Array;
  /** (L) 1 where the transformed value rests only on real points; 0 = invented by --fill. */
  real: Uint8Array;
  /** Raw index of transformed index 0: 1 for diff (y'_t = y_t - y_{t-1} starts at t = 1), else 0. */
  offset: number;
}

/** How many raw points the transform consumes at the start of a series. */
export function transformOffset(kind: TransformKind): number {
  return kind === 'diff' ? 1 : 0;
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

/**
 * Transforms the target of one series. Non-finite values and, for log, values <= 0 are data
 * errors naming the input line. A diff is invented when either of its two points was invented:
 * the difference between a real value and an interpolated one is itself made up.
 */
export function transformTarget(series: Series, kind: TransformKind, source: string): TransformedTarget {
  const raw = series.values;
  const n = raw.length;
  for (let t = 0; t < n; t++) {
    const value = raw[t]!;
    if (!Number.isFinite(value)) {
      throw new DataError(`${pointPlace(series, t, source)}: target value ${value} is not a finite number`);
    }
  }
  const offset = transformOffset(kind);
  const length = Math.max(0, n - offset);
  const values = new Float64Array(length); // (L)
  const real = new Uint8Array(length); // (L)
  if (kind === 'none') {
    values.set(raw);
    for (let t = 0; t < n; t++) real[t] = series.imputed[t] ? 0 : 1;
  } else if (kind === 'log') {
    for (let t = 0; t < n; t++) {
      const value = raw[t]!;
      if (value <= 0) {
        throw new DataError(
          `${pointPlace(series, t, source)}: value ${value} cannot be log-transformed (--transform log needs positive values)`,
        );
      }
      values[t] = Math.log(value);
      real[t] = series.imputed[t] ? 0 : 1;
    }
  } else {
    for (let k = 0; k < length; k++) {
      values[k] = raw[k + 1]! - raw[k]!;
      real[k] = series.imputed[k + 1] || series.imputed[k] ? 0 : 1;
    }
  }
  return { values, real, offset };
}

/**
 * Undoes the transform in place on forecast values (already unscaled). `base` is the last raw
 * target value before the first forecast step; only diff needs it (a cumulative sum from there).
 */
export function invertTransform(values: Float64Array, kind: TransformKind, base: number): Float64Array {
  if (kind === 'log') {
    for (let h = 0; h < values.length; h++) values[h] = Math.exp(values[h]!);
  } else if (kind === 'diff') {
    let level = base;
    for (let h = 0; h < values.length; h++) {
      level += values[h]!;
      values[h] = level;
    }
  }
  return values;
}
