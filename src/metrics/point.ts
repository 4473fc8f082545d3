// Point-forecast error metrics. Pure functions over (N) actual and (N) forecast values.
// `mask` (N), optional: 1 = count this position, 0 = skip it (e.g. a value invented by --fill).
// A metric over zero counted positions is NaN; computeMetrics turns NaN into null for JSON.

export type Values = ArrayLike<number>;

function counted(mask: Uint8Array | undefined, i: number): boolean {
  return mask === undefined || mask[i] !== 0;
}

/** Throws when the arrays do not line up: that is a bug in the caller, never a user error. */
export function checkLengths(name: string, n: number, ...others: (ArrayLike<unknown> | undefined)[]): void {
  for (const other of others) {
    if (other !== undefined && other.length !== n) {
      throw new RangeError(`${name}: arrays of different lengths (${n} and ${other.length})`);
    }
  }
}

/** Mean absolute error: 1/n Σ |y - ŷ|. */
export function mae(actual: Values, forecast: Values, mask?: Uint8Array): number {
  checkLengths('mae', actual.length, forecast, mask);
  let sum = 0;
  let n = 0;
  for (let i = 0; i < actual.length; i++) {
    if (!counted(mask, i)) continue;
    sum += Math.abs(actual[i]! - forecast[i]!);
    n++;
  }
  return n === 0 ? NaN : sum / n;
}

/** Root mean squared error: √(1/n Σ (y - ŷ)²). */
export function rmse(actual: Values, forecast: Values, mask?: Uint8Array): number {
  checkLengths('rmse', actual.length, forecast, mask);
  let sum = 0;
  let n = 0;
  for (let i = 0; i < actual.length; i++) {
    if (!counted(mask, i)) continue;
    const e = actual[i]! - forecast[i]!;
    sum += e * e;
    n++;
  }
  return n === 0 ? NaN : Math.sqrt(sum / n);
}

export interface MapeResult {
  /** Percent: 100/n Σ |y - ŷ| / |y| over counted positions with y ≠ 0; NaN when there are none. */
  value: number;
  /** Counted positions left out because the actual was exactly 0 (the user is told how many). */
  skipped: number;
}

/** Mean absolute percentage error, skipping zero actuals and reporting how many it skipped. */
export function mape(actual: Values, forecast: Values, mask?: Uint8Array): MapeResult {
  checkLengths('mape', actual.length, forecast, mask);
  let sum = 0;
  let n = 0;
  let skipped = 0;
  for (let i = 0; i < actual.length; i++) {
    if (!counted(mask, i)) continue;
    const y = actual[i]!;
    if (y === 0) {
      skipped++;
      continue;
    }
    sum += Math.abs((y - forecast[i]!) / y);
    n++;
  }
  return { value: n === 0 ? NaN : (100 * sum) / n, skipped };
}

/**
 * Symmetric MAPE on the 0–200 scale of the M4 competition: 200/n Σ |y - ŷ| / (|y| + |ŷ|).
 * A term with y = ŷ = 0 is a perfect forecast and counts as 0 (M4 leaves it undefined).
 */
export function smape(actual: Values, forecast: Values, mask?: Uint8Array): number {
  checkLengths('smape', actual.length, forecast, mask);
  let sum = 0;
  let n = 0;
  for (let i = 0; i < actual.length; i++) {
    if (!counted(mask, i)) continue;
    const y = actual[i]!;
    const f = forecast[i]!;
    const denominator = Math.abs(y) + Math.abs(f);
    if (denominator !== 0) sum += Math.abs(y - f) / denominator;
    n++;
  }
  return n === 0 ? NaN : (200 * sum) / n;
}

export interface MaseScale {
  /** In-sample MAE of the seasonal naive forecast on the history; 0 for a constant history, NaN with < 2 points. */
  scale: number;
  /** The season actually used: `season`, or 1 when the history has fewer than season + 1 points. */
  season: number;
}

/**
 * The MASE denominator: 1/(n-m) Σ_{t=m}^{n-1} |h_t - h_{t-m}|. Falls back to m = 1 (naive) when
 * the history is too short for one seasonal difference, so that short folds still get a score.
 * A season below 1 means non-seasonal (1). Pairs with a non-finite value are left out.
 */
export function maseScale(history: Values, season: number): MaseScale {
  if (!Number.isInteger(season)) throw new RangeError(`maseScale: season must be an integer, got ${season}`);
  let m = Math.max(season, 1);
  if (history.length < m + 1) m = 1;
  let sum = 0;
  let n = 0;
  for (let t = m; t < history.length; t++) {
    const d = history[t]! - history[t - m]!;
    if (!Number.isFinite(d)) continue;
    sum += Math.abs(d);
    n++;
  }
  return { scale: n === 0 ? NaN : sum / n, season: m };
}

/**
 * Mean absolute scaled error: MAE(actual, forecast) / maseScale(history, season).scale.
 * A constant history has scale 0: the result is then NaN (not ±Infinity), so the metrics
 * document shows null — "not defined for this series" — and means over series skip it rather
 * than being swamped by an infinity. (darts raises an error here; M4 had no constant series.)
 */
export function mase(actual: Values, forecast: Values, history: Values, season: number, mask?: Uint8Array): number {
  const { scale } = maseScale(history, season);
  if (!(scale > 0)) return NaN;
  return mae(actual, forecast, mask) / scale;
}
