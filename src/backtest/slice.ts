// Cutting a dataset at the backtest origins. Every array of every series is copied up to the
// origin, so nothing after it (values, features, fill marks, times) can reach training: scaling,
// the validation split, early stopping and the interval calibration all run on the copy.
import type { Dataset, Series } from '../data/types.js';

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
 * The dataset as it was known at the origins: series s keeps the points before ends[s], or only
 * the last `window` of them. Row counts and warnings describe the cut, not the file.
 */
export function datasetBefore(dataset: Dataset, ends: readonly number[], window?: number): Dataset {
  const series = dataset.series.map((one, index) => {
    const end = ends[index]!;
    const start = window === undefined ? 0 : Math.max(0, end - window);
    return sliceSeries(one, start, end);
  });
  return {
    ...dataset,
    rowCount: series.reduce((sum, one) => sum + one.values.length, 0),
    series,
    warnings: [],
  };
}
