// Per-series, per-input scaling (--scale): x' = (x - center) / scale. Fitted on the training part
// of a series only, so validation data never leaks into the numbers the network sees.

import type { ScaleKind } from '../options/choices.js';

export type { ScaleKind };
export { SCALES as SCALE_KINDS } from '../options/choices.js';

/** JSON-able: the model file stores it as is. */
export interface Scaler {
  kind: ScaleKind;
  center: number;
  scale: number;
}

// A spread this small next to the level is rounding noise of a constant series; dividing by it
// would blow that noise up to O(1) values, so it is treated as no spread (scale 1).
const RELATIVE_SPREAD_FLOOR = 1e-12;

/**
 * Fits a scaler on values[0, end).
 * standard: mean and population standard deviation; minmax: min and max - min; none: 0 and 1.
 * A zero spread gives scale 1, so a constant series maps to 0 instead of NaN.
 */
export function fitScaler(kind: ScaleKind, values: ArrayLike<number>, end: number): Scaler {
  if (kind === 'none') return { kind, center: 0, scale: 1 };
  if (!(end >= 1 && end <= values.length)) {
    throw new RangeError(`fitScaler: end ${end} outside [1, ${values.length}]`);
  }
  if (kind === 'standard') {
    let sum = 0;
    for (let t = 0; t < end; t++) sum += values[t]!;
    const mean = sum / end;
    // Two passes: the one-pass formula loses digits when the mean is large next to the spread.
    let squares = 0;
    for (let t = 0; t < end; t++) {
      const d = values[t]! - mean;
      squares += d * d;
    }
    const std = Math.sqrt(squares / end);
    return { kind, center: mean, scale: spreadOrOne(std, mean) };
  }
  let min = Infinity;
  let max = -Infinity;
  for (let t = 0; t < end; t++) {
    const value = values[t]!;
    if (value < min) min = value;
    if (value > max) max = value;
  }
  return { kind, center: min, scale: spreadOrOne(max - min, min) };
}

function spreadOrOne(spread: number, level: number): number {
  return spread > RELATIVE_SPREAD_FLOOR * (Math.abs(level) + 1) ? spread : 1;
}

/** Scales src into dst (same length, may be the same array). */
export function applyScaler(scaler: Scaler, src: ArrayLike<number>, dst: { [i: number]: number; length: number }): void {
  const { center, scale } = scaler;
  for (let t = 0; t < dst.length; t++) dst[t] = (src[t]! - center) / scale;
}

/** Undoes the scaling in place. */
export function unscaleInPlace(scaler: Scaler, values: Float64Array): Float64Array {
  const { center, scale } = scaler;
  for (let t = 0; t < values.length; t++) values[t] = values[t]! * scale + center;
  return values;
}
