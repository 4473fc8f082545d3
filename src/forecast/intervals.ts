// Split-conformal prediction intervals: per step ahead, the interval is forecast ± q where q is
// the conformal quantile of the absolute validation residuals at that step. With n exchangeable
// residuals, q = the ceil((n+1)·level)-th smallest gives coverage ≥ level (Vovk et al.; Lei et al.
// 2018). Also the --level flag parser. Levels are percents (80, 95).

export interface ConformalRank {
  /** 1-based order statistic: ceil((n + 1)·level/100), at most n. */
  rank: number;
  /** true when n is too small for the level ((n+1)·level/100 > n): the max residual is used and the interval may cover less than promised. */
  capped: boolean;
}

function checkLevel(level: number): void {
  if (!(level > 0 && level < 100)) throw new RangeError(`interval level must be in (0, 100), got ${level}`);
}

/** Which order statistic of n residuals is the conformal quantile at `level`. n = 0 gives rank 0. */
export function conformalRank(n: number, level: number): ConformalRank {
  checkLevel(level);
  if (n <= 0) return { rank: 0, capped: true };
  // (n + 1)·level is exact for integer levels; the epsilon keeps 97.5-style levels from rounding up a whole rank.
  const wanted = Math.ceil(((n + 1) * level) / 100 - 1e-9);
  return wanted > n ? { rank: n, capped: true } : { rank: Math.max(wanted, 1), capped: false };
}

function isSorted(values: ArrayLike<number>): boolean {
  for (let i = 1; i < values.length; i++) if (!(values[i - 1] <= values[i])) return false;
  return true;
}

/**
 * The conformal quantile at `level` of absolute residuals `sorted` (ascending; sorted here if not).
 * `count` is how many residuals there were when `sorted` is an evenly spaced sketch of them (the
 * model file keeps at most a few hundred order statistics per step): the rank is taken among
 * `count` and mapped to the sketch, rounding up so the interval never gets narrower. NaN when
 * there are no residuals. When the level needs more residuals than there are, the max is used.
 */
export function conformalQuantiles(sorted: ArrayLike<number>, level: number, count: number = sorted.length): number {
  checkLevel(level);
  const points = sorted.length;
  if (points === 0) return NaN;
  const values = isSorted(sorted) ? sorted : Float64Array.from(sorted).sort();
  const n = Math.max(count, points);
  const { rank } = conformalRank(n, level);
  if (n === points) return values[rank - 1];
  // The sketch keeps original order statistic round(j·(n-1)/(points-1)) at position j.
  const position = Math.ceil(((rank - 1) * (points - 1)) / (n - 1) - 1e-9);
  return values[Math.min(points - 1, position)];
}

/** Per-step conformal quantiles, as a plain JSON-able object (the backtest's per-origin calibration). */
export interface Calibration {
  method: 'split-conformal';
  /** Percents, ascending. */
  levels: number[];
  /** (Hz) residuals behind each step's quantiles. */
  residualCount: number[];
  /** levelKey → (Hz) quantile per step; null where a step had no residuals. */
  quantiles: Record<string, (number | null)[]>;
  /** levelKey → (Hz) true where too few residuals for the level, so the max was used. */
  capped: Record<string, boolean[]>;
}

/**
 * Fits split-conformal quantiles. residuals[h] holds the absolute errors |actual - forecast| at
 * step h+1 over the validation windows (in whatever units the forecast will be in when applied;
 * signs are dropped, non-finite values left out).
 */
export function fitCalibration(residuals: readonly ArrayLike<number>[], levels: readonly number[]): Calibration {
  const sortedLevels = [...new Set(levels)].sort((a, b) => a - b);
  for (const level of sortedLevels) checkLevel(level);
  const perStep = residuals.map((step) => {
    const kept: number[] = [];
    for (let i = 0; i < step.length; i++) if (Number.isFinite(step[i])) kept.push(Math.abs(step[i]));
    return Float64Array.from(kept).sort();
  });
  const calibration: Calibration = { method: 'split-conformal', levels: sortedLevels, residualCount: perStep.map((step) => step.length), quantiles: {}, capped: {} };
  for (const level of sortedLevels) {
    const key = String(level);
    calibration.quantiles[key] = perStep.map((step) => (step.length === 0 ? null : conformalQuantiles(step, level)));
    calibration.capped[key] = perStep.map((step) => conformalRank(step.length, level).capped);
  }
  return calibration;
}

/**
 * forecast ± q per step. NaN bounds where the step had no residuals. Throws when the calibration
 * has no such level (it is fixed at fit time) or covers fewer steps than the forecast.
 */
export function applyCalibration(forecast: ArrayLike<number>, calibration: Calibration, level: number): { lower: Float64Array; upper: Float64Array } {
  const quantiles = calibration.quantiles[String(level)];
  if (quantiles === undefined) throw new RangeError(`no calibration for level ${level} (have ${calibration.levels.join(', ')})`);
  if (quantiles.length < forecast.length) throw new RangeError(`calibration covers ${quantiles.length} steps, the forecast has ${forecast.length}`);
  const lower = new Float64Array(forecast.length); // (Hz)
  const upper = new Float64Array(forecast.length); // (Hz)
  for (let h = 0; h < forecast.length; h++) {
    const q = quantiles[h] ?? NaN;
    lower[h] = forecast[h] - q;
    upper[h] = forecast[h] + q;
  }
  return { lower, upper };
}
