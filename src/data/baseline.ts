// The baselines a network corrects (transform.ts): each forecasts step h from origin T (the first
// forecast index) using only v[0, T), in the transformed space. The head starts at zero, so an
// untrained network forecasts its baseline exactly.
//
//   naive            v[T-1]
//   drift            v[T-1] + (h+1) · (v[T-1] - v[0]) / (T-1)           the line through the first and last points
//   seasonal         v[T - m + (h mod m)]                                 the last season repeated
//   two-season       (v[T-m+j] + v[T-2m+j]) / 2 + (M1 - M2) / 2,          j = h mod m: the last two
//                    M1, M2 the means of v[T-m, T) and v[T-2m, T-m)       seasons' pattern averaged, at
//                                                                         the last season's level
//
// `auto` scores them on the training part (the mean absolute error over the horizon, in units of
// the series' mean one-step change, averaged over series): seasonal naive with the best season
// when it beats naive (the season is really there), else the better of naive and drift. Seasonal
// naive is the better starting point even where drift scores better in-sample: measured on the
// bench suite, a network correcting it wins on seasonal data far more often.
//
// Two-season is never the first network's baseline: auto gives it to a second ensemble member
// when it beats the chosen seasonal naive in-sample (settings.ts). Alone it did no better than
// seasonal naive on the bench suite (and worse on hourly data); two networks, one on each, did
// better than either (README: How it forecasts).

export const BASELINE_KINDS = ['none', 'naive', 'drift', 'seasonal', 'two-season'] as const;
export type BaselineKind = (typeof BASELINE_KINDS)[number];

export interface Baseline {
  kind: BaselineKind;
  /** m for the seasonal kinds; 1 otherwise. */
  season: number;
}

export function isSeasonal(kind: BaselineKind): boolean {
  return kind === 'seasonal' || kind === 'two-season';
}

/** How many points before the origin the baseline needs. */
export function baselineReach(baseline: Baseline): number {
  switch (baseline.kind) {
    case 'none': return 0;
    case 'naive': return 1;
    case 'drift': return 2;
    case 'seasonal': return baseline.season;
    case 'two-season': return 2 * baseline.season;
  }
}

/** The baseline's forecast of step h (0-based) from origin T; `center` is what 'none' forecasts. */
export function baseForecast(baseline: Baseline, values: ArrayLike<number>, origin: number, step: number, center: number): number {
  const last = values[origin - 1]!;
  switch (baseline.kind) {
    case 'none':
      return center;
    case 'naive':
      return last;
    case 'drift':
      return origin > 1 ? last + ((step + 1) * (last - values[0]!)) / (origin - 1) : last;
    case 'seasonal': {
      const m = baseline.season;
      return values[origin - m + (step % m)]!;
    }
    case 'two-season': {
      const m = baseline.season;
      const phase = step % m;
      let levelChange = 0;
      for (let k = 1; k <= m; k++) levelChange += values[origin - k]! - values[origin - m - k]!;
      return 0.5 * (values[origin - m + phase]! + values[origin - 2 * m + phase]!) + (0.5 * levelChange) / m;
    }
  }
}

/**
 * The point whose value the baseline's forecast of step h (0-based) from origin T carries forward:
 * T-1 for naive and drift, T - m + (h mod m) for seasonal naive; null for 'none'.
 */
export function baselineSource(baseline: Baseline, origin: number, step: number): number | null {
  switch (baseline.kind) {
    case 'none': return null;
    case 'naive': case 'drift': return origin - 1;
    // two-season: the last season's point, whose level the forecast keeps.
    case 'seasonal': case 'two-season': return origin - baseline.season + (step % baseline.season);
  }
}

/** Baselines worth scoring for these candidate seasons (each > 1). */
export function candidateBaselines(seasons: readonly number[]): Baseline[] {
  return [{ kind: 'naive', season: 1 }, { kind: 'drift', season: 1 }, ...seasons.map((season) => ({ kind: 'seasonal' as const, season }))];
}

export function describeBaseline(baseline: Baseline): string {
  switch (baseline.kind) {
    case 'none': return 'none';
    case 'naive': return 'naive';
    case 'drift': return 'drift';
    case 'seasonal': return `seasonal naive (${baseline.season})`;
    case 'two-season': return `two-season naive (${baseline.season})`;
  }
}

export interface BaselineScore {
  baseline: Baseline;
  /** Mean absolute error over the horizon, in units of the series' mean |one-step change|, averaged over series. */
  error: number;
}

/** Origins sampled per series: enough for a stable mean, few enough to stay cheap on long series. */
const MAX_ORIGINS = 64;

/**
 * Scores each baseline on the given (transformed) series over origins in their training part
 * ([0, ends[s])). All baselines are scored on the same origins (those the longest reach allows)
 * and the same steps (at most the horizon, and no more than the data leaves); baselines that no
 * series can score are left out.
 */
export function scoreBaselines(series: readonly ArrayLike<number>[], ends: readonly number[], horizon: number, candidates: readonly Baseline[]): BaselineScore[] {
  const totals = candidates.map(() => 0);
  const counts = candidates.map(() => 0);
  series.forEach((values, index) => {
    const end = Math.min(ends[index]!, values.length);
    let scale = 0;
    for (let t = 1; t < end; t++) scale += Math.abs(values[t]! - values[t - 1]!);
    scale = end > 1 ? scale / (end - 1) : 0;
    if (!(scale > 0)) return;
    // The longest reach that still leaves a few origins with at least one step each.
    const fits = candidates.map((baseline) => baselineReach(baseline) + 4 <= end);
    const reach = Math.max(...candidates.filter((_, k) => fits[k]).map(baselineReach));
    if (!Number.isFinite(reach)) return;
    const steps = Math.max(1, Math.min(horizon, end - reach - 3));
    const first = reach;
    const last = end - steps;
    const span = last - first + 1;
    const origins = Math.min(MAX_ORIGINS, span);
    candidates.forEach((baseline, k) => {
      if (!fits[k]) return;
      let error = 0;
      for (let o = 0; o < origins; o++) {
        const origin = first + Math.floor(((o + 0.5) * span) / origins);
        for (let h = 0; h < steps; h++) error += Math.abs(values[origin + h]! - baseForecast(baseline, values, origin, h, 0));
      }
      totals[k]! += error / (origins * steps * scale);
      counts[k]! += 1;
    });
  });
  const scored: BaselineScore[] = [];
  candidates.forEach((baseline, k) => {
    if (counts[k]! > 0) scored.push({ baseline, error: totals[k]! / counts[k]! });
  });
  return scored;
}

/** The best-scoring baseline; ties go to the earlier (simpler) candidate. */
export function bestBaseline(scores: readonly BaselineScore[]): Baseline {
  let best: BaselineScore | undefined;
  for (const score of scores) if (best === undefined || score.error < best.error) best = score;
  return best?.baseline ?? { kind: 'naive', season: 1 };
}

/**
 * auto's rule: among the seasons the data really has, the one whose seasonal naive scores best;
 * with none, the better of naive and drift. A season is there when it passes the seasonality test
 * (`tested`), or when its seasonal naive beats naive in-sample: on short series the test lacks
 * power, on trending ones the in-sample comparison, and the bench suite needs both.
 */
export function chooseBaseline(scores: readonly BaselineScore[], tested: readonly number[]): Baseline {
  const naive = scores.find((score) => score.baseline.kind === 'naive');
  const present = (score: BaselineScore): boolean => tested.includes(score.baseline.season) || (naive !== undefined && score.error < naive.error);
  const seasonal = scores.filter((score) => isSeasonal(score.baseline.kind) && present(score));
  if (seasonal.length > 0) return bestBaseline(seasonal);
  return bestBaseline(scores.filter((score) => !isSeasonal(score.baseline.kind)));
}

/** Autocorrelation of x[0, n) at `lag`. */
function autocorrelation(x: Float64Array, mean: number, variance: number, lag: number): number {
  let sum = 0;
  for (let t = lag; t < x.length; t++) sum += (x[t]! - mean) * (x[t - lag]! - mean);
  return sum / variance;
}

/**
 * Is the season really there? The test of the M4 competition's benchmarks (a 90% test on the
 * autocorrelation at lag m, with Bartlett's variance from the lags below it), run on the first
 * differences of values[0, end) so that a trend alone does not pass. Needs three seasons.
 */
export function seasonalityTest(values: ArrayLike<number>, end: number, season: number): { passed: boolean; acf: number; limit: number } {
  const n = end - 1;
  if (season < 2 || n < 3 * season) return { passed: false, acf: 0, limit: Infinity };
  const diffs = new Float64Array(n);
  for (let t = 1; t < end; t++) diffs[t - 1] = values[t]! - values[t - 1]!;
  const mean = diffs.reduce((a, b) => a + b, 0) / n;
  let variance = 0;
  for (const d of diffs) variance += (d - mean) * (d - mean);
  if (!(variance > 0)) return { passed: false, acf: 0, limit: Infinity };
  let sumSquares = 0;
  for (let lag = 1; lag < season; lag++) sumSquares += autocorrelation(diffs, mean, variance, lag) ** 2;
  const acf = autocorrelation(diffs, mean, variance, season);
  const limit = 1.645 * Math.sqrt((1 + 2 * sumSquares) / n);
  return { passed: acf > limit, acf, limit };
}
