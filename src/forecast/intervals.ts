// Split-conformal prediction intervals: per step ahead, the interval is forecast ± q where q is
// the conformal quantile of the absolute validation residuals at that step. With n exchangeable
// residuals, q = the ceil((n+1)·level)-th smallest gives coverage ≥ level (Vovk et al.; Lei et al.
// 2018). Levels are percents (80, 95).

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
  for (let i = 1; i < values.length; i++) if (!(values[i - 1]! <= values[i]!)) return false;
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
  if (n === points) return values[rank - 1]!;
  // The sketch keeps original order statistic round(j·(n-1)/(points-1)) at position j.
  const position = Math.ceil(((rank - 1) * (points - 1)) / (n - 1) - 1e-9);
  return values[Math.min(points - 1, position)]!;
}

/**
 * How much the series moved in the window before `origin`: the mean absolute step of `values`
 * (g(y), the network's space before scaling) over its last `lookback` points, counting only steps
 * between real values. NaN when there is none.
 */
export function windowSpread(values: ArrayLike<number>, real: ArrayLike<number>, origin: number, lookback: number): number {
  let total = 0;
  let steps = 0;
  for (let t = Math.max(1, origin - lookback + 1); t < origin; t++) {
    if (!real[t] || !real[t - 1]) continue;
    const step = Math.abs(values[t]! - values[t - 1]!);
    if (!Number.isFinite(step)) continue;
    total += step;
    steps++;
  }
  return steps === 0 ? Number.NaN : total / steps;
}
