// Prediction-interval metrics. (N) actual, (N) lower, (N) upper; `mask` (N) as in point.ts.
import { checkLengths, type Values } from './point.js';

function counted(mask: Uint8Array | undefined, i: number): boolean {
  return mask === undefined || mask[i] !== 0;
}

/**
 * Share of counted actuals inside [lower, upper], bounds included, in [0, 1].
 * NaN when nothing is counted or a counted bound is NaN (an interval that could not be made).
 */
export function coverage(actual: Values, lower: Values, upper: Values, mask?: Uint8Array): number {
  checkLengths('coverage', actual.length, lower, upper, mask);
  let inside = 0;
  let n = 0;
  for (let i = 0; i < actual.length; i++) {
    if (!counted(mask, i)) continue;
    const y = actual[i]!, lo = lower[i]!, hi = upper[i]!;
    if (Number.isNaN(lo) || Number.isNaN(hi)) return NaN;
    if (y >= lo && y <= hi) inside++;
    n++;
  }
  return n === 0 ? NaN : inside / n;
}

/** Mean of upper - lower over counted positions, in the units of the data; NaN when nothing is counted. */
export function meanWidth(lower: Values, upper: Values, mask?: Uint8Array): number {
  checkLengths('meanWidth', lower.length, upper, mask);
  let sum = 0;
  let n = 0;
  for (let i = 0; i < lower.length; i++) {
    if (!counted(mask, i)) continue;
    sum += upper[i]! - lower[i]!;
    n++;
  }
  return n === 0 ? NaN : sum / n;
}
