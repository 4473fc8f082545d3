// Messages between the backtest and its training workers. Everything here is structured-cloneable
// (plain objects and typed arrays), so a Dataset crosses the thread boundary as it is.
import type { Dataset } from '../data/types.js';
import type { SeriesForecast } from '../forecast/predict.js';
import type { StoppedBy } from '../io/model-file.js';
import type { TrainingOptions } from '../train/options.js';

/** One training: fit on `train`, then forecast past the end of each dataset in `predict`. */
export interface TrainTask {
  /** Position in the task list; replies are put back in this order. */
  index: number;
  train: Dataset;
  /** null: forecast past the end of `train` itself (refit every), saving a copy. */
  predict: Dataset[] | null;
  options: TrainingOptions;
  /** The season of the metrics and the seasonal-naive baseline (--season, else the frequency's). */
  season: number;
  /** --season as given: undefined lets auto choose the baseline among the frequency's seasons, as train and forecast do. */
  seasonGiven: number | undefined;
  levels: number[];
  toolVersion: string;
}

/** What the report says about a training; no wall-clock time, so documents stay reproducible. */
export interface TrainingSummary {
  epochs: number;
  bestEpoch: number;
  steps: number;
  stoppedBy: StoppedBy;
  /** The transform applied, with what auto chose and why. */
  transform: string;
  lookback: number;
  horizon: number;
}

export type TrainReply =
  | {
      index: number;
      ok: true;
      /** One list per predict dataset (one for refit every), series in Dataset order. */
      forecasts: SeriesForecast[][];
      summary: TrainingSummary;
      seconds: number;
    }
  | { index: number; ok: false; error: { name: string; message: string; stack?: string } };
