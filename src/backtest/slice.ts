// Cutting a dataset at the backtest origins. Every array of every series is copied up to the
// origin, so nothing after it (values, features, fill marks, times) can reach training: scaling,
// the validation split, early stopping and the interval calibration all run on the copy. Past the
// origin, only the known-future covariates (--future-features) of the fold's horizon go along, as
// the future rows of a forecast would give them: their recorded values, never a target.
import type { Dataset, FutureRows, Series } from '../data/types.js';

/** Points [start, end) of a series, copied (not views: a view would carry the whole buffer to a worker). */
export function sliceSeries(series: Series, start: number, end: number): Series {
  return {
    id: series.id,
    times: series.times.slice(start, end),
    values: series.values.slice(start, end),
    features: series.features.map((feature) => feature.slice(start, end)),
    imputed: series.imputed.slice(start, end),
    lines: series.lines.slice(start, end),
  };
}

/**
 * The known-future covariates (features `columns`) of the `steps` points from `end` on: the
 * series' recorded values, then its own future rows past its last point; fewer where neither goes on.
 */
export function futureFrom(series: Series, end: number, columns: readonly number[], steps: number): FutureRows | undefined {
  if (columns.length === 0 || steps <= 0) return undefined;
  const length = series.values.length;
  const beyond = series.future?.times.length ?? 0;
  const count = Math.max(0, Math.min(steps, length + beyond - end));
  if (count === 0) return undefined;
  const times = new Float64Array(count);
  const lines = new Uint32Array(count);
  const values = columns.map(() => new Float64Array(count));
  for (let k = 0; k < count; k++) {
    const t = end + k;
    const inside = t < length;
    times[k] = inside ? series.times[t]! : series.future!.times[t - length]!;
    lines[k] = inside ? series.lines[t]! : series.future!.lines[t - length]!;
    columns.forEach((column, f) => {
      values[f]![k] = inside ? series.features[column]![t]! : series.future!.values[f]![t - length]!;
    });
  }
  return { times, values, lines };
}

/**
 * The dataset as it was known at the origins: series s keeps the points before ends[s], or only
 * the last `window` of them, and the known-future covariates of the `horizon` points from ends[s]
 * on. Row counts and warnings describe the cut, not the file.
 */
export function datasetBefore(dataset: Dataset, ends: readonly number[], window?: number, horizon = 0): Dataset {
  const columns = dataset.futureFeatures.map((name) => dataset.features.indexOf(name));
  const series = dataset.series.map((one, index) => {
    const end = ends[index]!;
    const start = window === undefined ? 0 : Math.max(0, end - window);
    const cut = sliceSeries(one, start, end);
    const future = futureFrom(one, end, columns, horizon);
    return future === undefined ? cut : { ...cut, future };
  });
  return {
    ...dataset,
    rowCount: series.reduce((sum, one) => sum + one.values.length, 0),
    series,
    warnings: [],
  };
}
