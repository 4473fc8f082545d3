// A linear start for the head's known-future columns (--future-features).
//
// The head starts at zero, so the untrained network forecasts its baseline. With known-future
// covariates it starts instead from the baseline plus their linear effect: before training, the
// scaled corrections of the training windows are fitted by least squares (a little ridge) on the
// covariates' head inputs of the same step — their value and their change since the point the
// baseline carries forward — one set of coefficients for every step (an effect such as
// "a promotion adds 10" is the same at any distance ahead). Those coefficients are the head's
// weights for each step's own covariate inputs; everything else starts as before. Training then
// refines them like any weight, and early stopping measures round 0 with them.
//
// Why not leave it to training: Adam moves a weight by about --lr per step, and an effect worth
// one unit of the series' scale needs a weight near 1, so at the default --lr the recurrent
// layers overfit and early stopping ends training before the head has learnt it (measured: a
// promotion worth 10 was forecast as about 6).
//
// Sizes: P = 2·Ff regressors (value and change of each covariate), H horizon, E head inputs per window.
import { createBatch, futureColumns, gatherBatch, headInputSize, type PipelineSpec, type SeriesFrame, type WindowRefs } from '../data/prepare.js';

/** Windows the fit needs at most (the caller spreads them evenly): plenty for a handful of coefficients. */
export const KNOWN_FUTURE_WINDOWS = 20_000;
/** Covariates beyond this are left to training: the normal equations grow as P². */
const MAX_REGRESSORS = 256;
/** Ridge, relative to the mean diagonal: enough to settle collinear inputs (a constant covariate). */
const RIDGE = 1e-3;

/** Solves A x = b for a symmetric positive definite A (P, P) by Cholesky, in place; null when not definite. */
export function solveSpd(a: Float64Array, b: Float64Array, p: number): Float64Array | null {
  for (let j = 0; j < p; j++) {
    let diagonal = a[j * p + j]!;
    for (let k = 0; k < j; k++) diagonal -= a[j * p + k]! * a[j * p + k]!;
    if (!(diagonal > 0)) return null;
    const root = Math.sqrt(diagonal);
    a[j * p + j] = root;
    for (let i = j + 1; i < p; i++) {
      let sum = a[i * p + j]!;
      for (let k = 0; k < j; k++) sum -= a[i * p + k]! * a[j * p + k]!;
      a[i * p + j] = sum / root;
    }
  }
  const x = Float64Array.from(b);
  for (let i = 0; i < p; i++) {
    let sum = x[i]!;
    for (let k = 0; k < i; k++) sum -= a[i * p + k]! * x[k]!;
    x[i] = sum / a[i * p + i]!;
  }
  for (let i = p - 1; i >= 0; i--) {
    let sum = x[i]!;
    for (let k = i + 1; k < p; k++) sum -= a[k * p + i]! * x[k]!;
    x[i] = sum / a[i * p + i]!;
  }
  return x;
}

/**
 * (H, E) the head's starting weights for its known-future inputs (0 for the calendar columns), or
 * null when there is nothing to fit (no known-future covariates, no baseline, no training target).
 * `refs`: the training windows, or at most KNOWN_FUTURE_WINDOWS of them evenly spread.
 */
export function knownFutureStart(frames: readonly SeriesFrame[], spec: PipelineSpec, refs: WindowRefs): Float32Array | null {
  const covariates = futureColumns(spec).length;
  const p = 2 * covariates;
  // Without a baseline there is no change input, and the head's zero start is not a forecast to keep.
  if (covariates === 0 || spec.baseline.kind === 'none' || p > MAX_REGRESSORS || refs.count === 0) return null;
  const { horizon } = spec;
  const width = headInputSize(spec);
  const stepWidth = width / horizon; // value ×Ff, change ×Ff, then calendar pairs
  const capacity = Math.min(256, refs.count);
  const batch = createBatch(capacity, spec);
  const gram = new Float64Array(p * p); // (P, P) Σ x xᵀ
  const moment = new Float64Array(p); // (P) Σ x y
  let rows = 0;
  for (let start = 0; start < refs.count; start += capacity) {
    const count = Math.min(capacity, refs.count - start);
    gatherBatch(frames, spec, refs, null, start, count, batch);
    for (let row = 0; row < count; row++) {
      for (let h = 0; h < horizon; h++) {
        if (!batch.mask[row * horizon + h]) continue;
        const at = row * width + h * stepWidth;
        const y = batch.targets[row * horizon + h]!;
        for (let i = 0; i < p; i++) {
          const xi = batch.headInput[at + i]!;
          moment[i] = moment[i]! + xi * y;
          for (let j = 0; j <= i; j++) gram[i * p + j] = gram[i * p + j]! + xi * batch.headInput[at + j]!;
        }
        rows++;
      }
    }
  }
  if (rows === 0) return null;
  let trace = 0;
  for (let i = 0; i < p; i++) trace += gram[i * p + i]!;
  const ridge = RIDGE * (trace / p) + 1e-12;
  for (let i = 0; i < p; i++) {
    gram[i * p + i] = gram[i * p + i]! + ridge;
    for (let j = 0; j < i; j++) gram[j * p + i] = gram[i * p + j]!;
  }
  const coefficients = solveSpd(gram, moment, p);
  if (coefficients === null || coefficients.some((value) => !Number.isFinite(value))) return null;
  const weights = new Float32Array(horizon * width); // (H, E)
  for (let h = 0; h < horizon; h++) for (let i = 0; i < p; i++) weights[h * width + h * stepWidth + i] = coefficients[i]!;
  return weights;
}
