// The backtest of an empty shard (--shard i/n that no series falls to): no folds and no trainings,
// but the same outputs as any run — the backtest file with its header, a metrics document with no
// series — so the pod or cron job that got no series still succeeds and writes what it should.
import { defaultHorizon, seasonLength } from '../data/time.js';
import type { Dataset } from '../data/types.js';
import type { BacktestOptions } from './options.js';
import type { BacktestResult } from './rolling-origin.js';

export function emptyBacktest(dataset: Dataset, options: BacktestOptions): BacktestResult {
  const horizon = options.training.horizon ?? defaultHorizon(dataset.freq);
  return {
    dataset,
    layout: { folds: 0, stride: options.stride ?? horizon, horizon },
    // No series to choose a lookback from: 0 unless --lookback was given.
    lookback: options.training.lookback ?? 0,
    season: options.season ?? seasonLength(dataset.freq),
    window: options.window ?? null,
    refit: options.refit,
    levels: options.levels,
    cells: [],
    trainings: [],
  };
}
