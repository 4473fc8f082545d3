// Forecasting with a trained network: the last lookback window of each series → horizon values,
// back in the data's units, with split-conformal intervals and the continued timestamps.
import { currentStates, forecastInput } from '../data/prepare.js';
import type { SeriesState } from '../data/prepare.js';
import { addSteps } from '../data/time.js';
import { clockOf } from '../data/zone.js';
import type { Dataset } from '../data/types.js';
import type { ModelCalibration, ModelFile } from '../io/model-file.js';
import { createWorkspace, networkForward } from '../nn/network.js';
import type { Network } from '../nn/network.js';
import { conformalQuantiles } from './intervals.js';

export interface IntervalBand {
  level: number;
  lower: Float64Array; // (H)
  upper: Float64Array; // (H)
}

export interface SeriesForecast {
  id: string;
  times: Float64Array; // (H) epoch ms
  forecast: Float64Array; // (H)
  intervals: IntervalBand[];
}

/** The model's per-series states as stored (scalers, and what training saw last). */
export function storedStates(model: ModelFile): SeriesState[] {
  return model.data.series.map((stored) => ({
    id: stored.id,
    scalers: stored.scaler.inputs.map((input) => ({ kind: stored.scaler.kind, center: input.center, scale: input.scale })),
    transform: model.data.transform,
    lastValue: stored.lastValue,
    lastTime: Number.NaN,
    length: stored.rows,
  }));
}

/**
 * Maps a value of the network's space back to the data's units at step `step` (0-based).
 * For diff the value is the cumulated sum of scaled differences up to that step.
 */
function toDataUnits(value: number, step: number, state: SeriesState): number {
  const { center, scale } = state.scalers[0]!;
  switch (state.transform) {
    case 'none':
      return value * scale + center;
    case 'log':
      return Math.exp(value * scale + center);
    case 'diff':
      return state.lastValue + value * scale + center * (step + 1);
  }
}

export function predictSeries(model: ModelFile, network: Network, dataset: Dataset, levels: number[], freqTimes = true): SeriesForecast[] {
  const { lookback, horizon } = model.config;
  const stored = storedStates(model);
  // The stored scalers, with the last values and times of the data being forecast.
  const states = currentStates(dataset, stored);
  const inputs = forecastInput(dataset, stored, lookback); // (S, lookback, I)
  const seriesCount = states.length;
  const workspace = createWorkspace(network, seriesCount, lookback);
  const prediction = networkForward(network, workspace, inputs, seriesCount, { training: false }); // (S, H)
  const quantiles = intervalQuantiles(model.calibration, levels, horizon);
  const cumulate = model.data.transform === 'diff';
  return states.map((state, seriesIndex) => {
    const space = new Float64Array(horizon); // (H) in the network's space, cumulated for diff
    let running = 0;
    for (let step = 0; step < horizon; step++) {
      const value = prediction[seriesIndex * horizon + step]!;
      running = cumulate ? running + value : value;
      space[step] = running;
    }
    const forecast = space.map((value, step) => toDataUnits(value, step, state));
    const intervals = quantiles.map(({ level, perStep }) => {
      const lower = new Float64Array(horizon);
      const upper = new Float64Array(horizon);
      for (let step = 0; step < horizon; step++) {
        // Every map to data units is increasing, so the band's ends map to the band's ends.
        lower[step] = toDataUnits(space[step]! - perStep[step]!, step, state);
        upper[step] = toDataUnits(space[step]! + perStep[step]!, step, state);
      }
      return { level, lower, upper };
    });
    const times = new Float64Array(horizon);
    if (freqTimes) for (let step = 0; step < horizon; step++) times[step] = addSteps(state.lastTime, dataset.freq, step + 1, clockOf(dataset.timeStyle));
    return { id: state.id, times, forecast, intervals };
  });
}

function intervalQuantiles(calibration: ModelCalibration | null, levels: number[], horizon: number): { level: number; perStep: number[] }[] {
  if (levels.length === 0) return [];
  if (!calibration || calibration.residuals.every((step) => step.length === 0)) {
    // No validation windows: no honest interval. NaN bounds are written as empty cells.
    return levels.map((level) => ({ level, perStep: new Array<number>(horizon).fill(Number.NaN) }));
  }
  // A sketched step (401 kept of more) ranks among the true number of validation windows.
  const countOf = (sorted: number[]): number => (sorted.length >= 401 ? Math.max(sorted.length, calibration.windows) : sorted.length);
  return levels.map((level) => ({ level, perStep: calibration.residuals.map((sorted) => conformalQuantiles(sorted, level, countOf(sorted))) }));
}
