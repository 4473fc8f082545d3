// Backtest options (PRODUCT.md, "Command-specific options"), defaults next to each field.
import type { TrainingOptions } from '../train/options.js';

import type { RefitKind } from '../options/choices.js';

export type { RefitKind };

export interface BacktestOptions {
  /**
   * K forecast origins at the end of each series. undefined: 3, or as many as the shortest series
   * allows (at least 1) with a warning, so the default backtest runs on short data too.
   */
  folds: number | undefined; // 3
  /** Steps between origins. */
  stride: number | undefined; // the horizon
  /** Sliding training window of N points before each origin. */
  window: number | undefined; // expanding: all data before the origin
  refit: RefitKind; // 'every'
  /** Season m for seasonal naive, MASE and the default lookback. */
  season: number | undefined; // from the frequency (seasonLength)
  /** Interval levels in percent; [] for none. */
  levels: number[]; // [80, 95]
  training: TrainingOptions;
}
