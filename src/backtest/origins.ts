// Where the folds of a rolling-origin backtest sit. Fold k (0-based, K folds, stride S, horizon H)
// of a series of N points forecasts the points [o_k, o_k + H), with o_k = N - H - (K-1-k)·S, so
// the last fold ends on the last point and every forecast point lies inside the data. The model
// of fold k may see the points [0, o_k) only (or the last `window` of them).
import { DataError, UsageError, where } from '../errors.js';
import { seriesName } from '../data/transform.js';
import type { Dataset } from '../data/types.js';

export interface FoldLayout {
  folds: number; // K
  stride: number; // S
  horizon: number; // H
}

/** (K) index of the first forecast point of each fold, earliest first, for a series of `length` points. */
export function foldOrigins(length: number, layout: FoldLayout): number[] {
  const { folds, stride, horizon } = layout;
  const origins: number[] = [];
  for (let k = 0; k < folds; k++) origins.push(length - horizon - (folds - 1 - k) * stride);
  return origins;
}

/** Points at the end of a series that the first fold's model must not see: (K-1)·S + H. */
export function heldOutPoints(layout: FoldLayout): number {
  return (layout.folds - 1) * layout.stride + layout.horizon;
}

export function checkLayout(layout: FoldLayout): void {
  const { folds, stride, horizon } = layout;
  if (!Number.isInteger(folds) || folds < 1) throw new UsageError(`--folds ${folds}: expected an integer >= 1`);
  if (!Number.isInteger(stride) || stride < 1) throw new UsageError(`--stride ${stride}: expected an integer >= 1`);
  if (!Number.isInteger(horizon) || horizon < 1) throw new UsageError(`--horizon ${horizon}: expected an integer >= 1`);
}

/** What the folds ask of the data, for messages: "--folds 3 × horizon 18 with --stride 18". */
export function describeLayout(layout: FoldLayout): string {
  return `--folds ${layout.folds} of horizon ${layout.horizon} with --stride ${layout.stride}`;
}

/**
 * (S, K) origins per series. Every series needs `minTrain` points before its first origin; the
 * first one that does not have them is named with the length it would need.
 */
export function planOrigins(dataset: Dataset, layout: FoldLayout, minTrain: number): number[][] {
  checkLayout(layout);
  const held = heldOutPoints(layout);
  const needed = held + minTrain;
  const short = dataset.series.filter((series) => series.values.length < needed);
  if (short.length > 0) {
    const first = short[0]!;
    const points = first.values.length;
    const more = short.length > 1 ? ` (${short.length - 1} more series ${short.length === 2 ? 'is' : 'are'} too short)` : '';
    throw new DataError(
      `${where(dataset.source)}: ${seriesName(first.id)} has ${points} points; ${describeLayout(layout)} keep the last ${held} for testing and the first fold needs ${minTrain} before them to train, so at least ${needed} points; try fewer --folds, a smaller --stride or --horizon, or a shorter --lookback${more}`,
    );
  }
  return dataset.series.map((series) => foldOrigins(series.values.length, layout));
}
