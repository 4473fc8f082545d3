// Forecasting with a trained model: the last window of each series → horizon values in the data's
// units, by the ensemble's median (or, per series, by the baseline the safety net chose), with
// split-conformal intervals and the continued timestamps.
import { DataError, where } from '../errors.js';
import { addBaselineOffsets, createBatch, frameFor, gatherBatch, specReach, toDataUnits, windowUnit, type PipelineSpec, type SeriesFrame, type SeriesState, type WindowRefs } from '../data/prepare.js';
import { fitTargetScale } from '../data/prepare.js';
import { addSteps } from '../data/time.js';
import { checkFutureRows } from '../data/future.js';
import { allPositive, valueTransform } from '../data/transform.js';
import type { Dataset, Series } from '../data/types.js';
import type { ModelCalibration, ModelFile, ModelSeries } from '../io/model-file.js';
import { zForLevel } from '../metrics/normal.js';
import { clockOf } from '../data/zone.js';
import { createWorkspace, headExtraPart, networkForward } from '../nn/network.js';
import { releaseWorkspace } from '../nn/workspace.js';
import type { Network } from '../nn/network.js';
import { fitScaler } from '../data/scale.js';
import { conformalQuantiles, conformalRank, windowSpread } from './intervals.js';
import { baselineForecast } from '../backtest/baselines.js';
import type { ForecastMethod } from './methods.js';

/** Windows per forward pass when forecasting: big panels go through in slices of this many series. */
const PREDICT_BATCH = 512;

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
  method: ForecastMethod;
}

export interface Prediction {
  forecasts: SeriesForecast[];
  /** Series the model was not trained on, forecast with a state fitted on their own history. */
  unseen: string[];
  /** Series shorter than the model's lookback: forecast by seasonal naive instead of the network. */
  short: string[];
  /** Levels that read the same residual (too few validation windows): their widths come from the residuals' spread. */
  approximated: number[];
}

export function specOf(model: ModelFile): PipelineSpec {
  return {
    lookback: model.config.lookback,
    horizon: model.config.horizon,
    baseline: { kind: model.data.baseline, season: model.data.baseSeason },
    ...(model.data.memberBaselines === undefined ? {} : { memberBaselines: model.data.memberBaselines.map((one) => ({ kind: one.kind, season: one.season })) }),
    features: model.data.features,
    futureFeatures: model.data.futureFeatures,
    calendar: model.data.calendar,
    headCalendar: model.data.headCalendar,
    scale: model.config.scale,
    windowScale: model.data.windowScale === true,
  };
}

export function stateOf(stored: ModelSeries): SeriesState {
  return {
    id: stored.id,
    log: stored.log,
    center: stored.center,
    scale: stored.scale,
    featureScalers: stored.scaler.inputs.map((input) => ({ kind: stored.scaler.kind, center: input.center, scale: input.scale })),
    nonNegative: stored.nonNegative,
  };
}

/** Whether a series the model never saw takes the log: where the model's series do, and its values allow it. */
export function logForNewSeries(model: ModelFile, series: Series): boolean {
  return model.data.series.some((stored) => stored.log) && allPositive(series.values);
}

/** A state for a series the model never saw, fitted on its own history (the whole of it). */
function stateFromHistory(series: Series, spec: PipelineSpec, model: ModelFile): SeriesState {
  const log = logForNewSeries(model, series);
  const values = valueTransform(series.values, log);
  const { center, scale } = fitTargetScale(values, values.length, spec);
  return {
    id: series.id,
    log,
    center,
    scale,
    featureScalers: series.features.map((feature) => fitScaler(spec.scale, feature, feature.length)),
    nonNegative: series.values.every((value) => value >= 0),
  };
}

/** The half-width of a centred Laplace band at `level` (percent), in units of its mean absolute value. */
export function laplaceHalfWidth(level: number): number {
  return -Math.log(1 - level / 100);
}

/** The mean of a step's residuals; of a sketch (evenly spaced order statistics), close to it. */
function meanOf(values: ArrayLike<number>): number {
  let total = 0;
  for (let index = 0; index < values.length; index++) total += values[index]!;
  return total / values.length;
}

/** The conformal half-width per step for one level; the residuals' spread where they are too few. */
export function halfWidths(calibration: ModelCalibration, level: number): { perStep: Float64Array; approximated: boolean } {
  const horizon = calibration.residuals.length;
  const perStep = new Float64Array(horizon);
  let approximated = false;
  const z = zForLevel(level);
  for (let step = 0; step < horizon; step++) {
    const sorted = calibration.residuals[step]!;
    if (sorted.length === 0) {
      perStep[step] = Number.NaN;
      continue;
    }
    // A sketched step (401 kept of more) ranks among the true number of validation windows.
    const count = sorted.length >= 401 ? Math.max(sorted.length, calibration.windows) : sorted.length;
    const q = conformalQuantiles(sorted, level, count);
    // Early stopping chose the network on these residuals, so they understate its error out of
    // sample. The floor at every level is the wider of a normal band on their root mean square and
    // a Laplace band on their mean (forecast errors have heavier tails than a normal's: the
    // Laplace band is as wide as the normal one at 80 % and about a fifth wider at 95 %). On the
    // bench suite the 95 % band covered 88 % with the normal floor alone, 90 % with both.
    const floor = Math.max(z * (calibration.rms[step] ?? Number.NaN), laplaceHalfWidth(level) * meanOf(sorted));
    if (conformalRank(count, level).capped) {
      // Too few residuals to read this level: the largest one understates it. It is read as the
      // quantile at the highest level n residuals can give, n/(n+1), and stretched to this level
      // with a normal shape, so higher levels stay wider; a normal band with their root mean
      // square is the floor.
      approximated = true;
      const reachable = (100 * count) / (count + 1);
      perStep[step] = Math.max((q * z) / zForLevel(reachable), floor);
    } else {
      perStep[step] = Math.max(q, floor);
    }
  }
  return { perStep, approximated };
}

/**
 * The half-width of one step: the conformal one, or the spread-scaled one (the scores' quantile
 * times how much the series moved over its last window) where that is wider and known. Never
 * narrower than the conformal one: a calm stretch does not promise a calm future.
 */
export function widerHalfWidth(conformal: number, scaledScore: number | undefined, spreadNow: number): number {
  const scaled = scaledScore === undefined ? Number.NaN : scaledScore * spreadNow;
  return scaled > conformal ? scaled : conformal;
}

/** The times of the steps past the end: the future rows' own, then continued at the frequency. */
export function forecastTimes(series: Series, dataset: Pick<Dataset, 'freq' | 'timeStyle'>, horizon: number): Float64Array {
  const times = new Float64Array(horizon);
  const last = series.times[series.times.length - 1]!;
  const clock = clockOf(dataset.timeStyle);
  const given = series.future?.times;
  for (let step = 0; step < horizon; step++) times[step] = given !== undefined && step < given.length ? given[step]! : addSteps(last, dataset.freq, step + 1, clock);
  return times;
}

function clampBelow(values: Float64Array, nonNegative: boolean): Float64Array {
  if (nonNegative) for (let i = 0; i < values.length; i++) if (values[i]! < 0) values[i] = 0;
  return values;
}

/**
 * A baseline's forecast and normal intervals (backtest/baselines.ts), kept at zero or above for
 * series that never went below. Their σ is the larger of the whole history's and the last
 * window's (`lookback` points, at least two seasons): a series moving more now gets wider bands.
 */
function baselinePrediction(method: Exclude<ForecastMethod, 'model'>, series: Series, horizon: number, season: number, levels: number[], nonNegative: boolean, lookback: number): Omit<SeriesForecast, 'id' | 'times'> {
  const result = baselineForecast(method, series.values, horizon, { season, levels, recent: Math.max(lookback, 2 * season) });
  return {
    forecast: clampBelow(result.forecast, nonNegative),
    intervals: result.intervals.map((band) => ({ level: band.level, lower: clampBelow(band.lower, nonNegative), upper: clampBelow(band.upper, nonNegative) })),
    method,
  };
}

/**
 * Forecasts every series of `dataset` past its end. A series in the model uses the method stored
 * for it; a series it never saw uses the network with a state fitted on its own history (listed
 * in `unseen` so the command can warn). Series in Dataset order.
 */
export function predictSeries(model: ModelFile, networks: readonly Network[], dataset: Dataset, levels: number[]): Prediction {
  const spec = specOf(model);
  const { horizon, lookback } = spec;
  const byId = new Map(model.data.series.map((stored) => [stored.id, stored]));
  const unseen: string[] = [];
  const short: string[] = [];
  const methods: ForecastMethod[] = [];
  const frames: SeriesFrame[] = [];
  const framed: number[] = []; // dataset index of each frame
  const reach = specReach(spec);
  dataset.series.forEach((series, index) => {
    const stored = byId.get(series.id);
    let method: ForecastMethod = stored?.method ?? 'model';
    if (stored === undefined) unseen.push(series.id);
    if (series.values.length === 0) throw new DataError(`${where(dataset.source)}: a series has no points to forecast from`);
    // The network reads a whole window and its baseline's reach; a shorter series gets the seasonal naive forecast.
    if (method === 'model' && series.values.length < Math.max(reach, lookback)) {
      method = 'seasonal_naive';
      short.push(series.id);
    }
    methods.push(method);
    if (method !== 'model') return;
    checkFutureRows({ ...dataset, series: [series] }, spec.futureFeatures, horizon, 'the model reads');
    const state = stored === undefined ? stateFromHistory(series, spec, model) : stateOf(stored);
    // Only the tail is read, so an old value that cannot be transformed does not block a forecast.
    const from = Math.max(0, series.values.length - lookback - reach);
    frames.push(frameFor(series, state, spec, dataset, 0, from));
    framed.push(index);
  });

  if (short.length === dataset.series.length) {
    const longest = dataset.series.reduce((a, b) => (b.values.length > a.values.length ? b : a));
    throw new DataError(`${where(dataset.source)}: ${dataset.series.length === 1 ? 'the series' : 'the longest series'} has ${longest.values.length} points; the model's lookback needs at least ${Math.max(reach, lookback)}`);
  }
  // Forecast from just past the end of every framed series, a few hundred windows per forward pass.
  const outputs = new Float64Array(frames.length * horizon); // (S, H)
  const base = new Float64Array(frames.length * horizon); // (S, H) the baseline in the transformed space
  const chunk = Math.max(1, Math.min(PREDICT_BATCH, frames.length));
  const refs: WindowRefs = { count: frames.length, series: new Uint32Array(frames.length), origin: new Uint32Array(frames.length) };
  frames.forEach((frame, k) => {
    refs.series[k] = k;
    refs.origin[k] = frame.values.length;
  });
  const batch = createBatch(chunk, spec);
  const workspaces = networks.map((network) => createWorkspace(network, chunk, lookback));
  const perMember = networks.map(() => new Float64Array(chunk * horizon));
  const futureMember = networks.map(() => new Float64Array(chunk * horizon));
  const future = new Float64Array(frames.length * horizon); // (S, H) the part the head's known-future inputs give
  for (let start = 0; start < frames.length; start += chunk) {
    const count = Math.min(chunk, frames.length - start);
    gatherBatch(frames, spec, refs, null, start, count, batch);
    networks.forEach((network, k) => {
      // Every member reads the same inputs (the same season); each corrects its own baseline.
      const prediction = networkForward(network, workspaces[k]!, batch.inputs, count, { training: false, headInput: batch.headInput });
      for (let i = 0; i < count * horizon; i++) perMember[k]![i] = prediction[i]!;
      futureMember[k]!.set(headExtraPart(network, batch.headInput, count));
    });
    const median = Float64Array.from(medianOf(perMember.map((member) => member.subarray(0, count * horizon))));
    const known = Float64Array.from(medianOf(futureMember.map((member) => member.subarray(0, count * horizon))));
    // Members correcting different baselines: the mean of those baselines, kept whole like `future`.
    addBaselineOffsets(median, frames, spec, networks.length, refs, start, count);
    addBaselineOffsets(known, frames, spec, networks.length, refs, start, count);
    outputs.set(median, start * horizon);
    future.set(known, start * horizon);
    base.set(batch.base.subarray(0, count * horizon), start * horizon);
  }
  for (const workspace of workspaces) releaseWorkspace(workspace);
  weighOutputs(outputs, model.data.correctionWeight, future);

  const approximated = new Set<number>();
  const calibration = model.calibration;
  const widths = calibration === null ? null : levels.map((level) => {
    const { perStep, approximated: capped } = halfWidths(calibration, level);
    if (capped) approximated.add(level);
    // Scores relative to each window's spread: times the last window's spread, per series below.
    const scaled = calibration.scaled === undefined ? null : halfWidths({ ...calibration, ...calibration.scaled }, level).perStep;
    return { level, perStep, scaled };
  });
  const framePosition = new Map(framed.map((index, position) => [index, position]));
  const forecasts = dataset.series.map((series, index): SeriesForecast => {
    const times = forecastTimes(series, dataset, horizon);
    const method = methods[index]!;
    const stored = byId.get(series.id);
    if (method !== 'model') {
      const nonNegative = stored?.nonNegative ?? series.values.every((value) => value >= 0);
      return { id: series.id, times, ...baselinePrediction(method, series, horizon, model.data.season, levels, nonNegative, lookback) };
    }
    const position = framePosition.get(index)!;
    const frame = frames[position]!;
    // How much the series moved over its last window, in the residuals' units.
    const unit = windowUnit(frame, spec, frame.values.length);
    const spreadNow = windowSpread(frame.values, frame.real, frame.values.length, lookback) / unit;
    const forecast = new Float64Array(horizon);
    for (let h = 0; h < horizon; h++) forecast[h] = toDataUnits(outputs[position * horizon + h]!, base[position * horizon + h]!, frame.state, unit);
    const intervals = levels.map((level, l): IntervalBand => {
      const lower = new Float64Array(horizon);
      const upper = new Float64Array(horizon);
      for (let h = 0; h < horizon; h++) {
        const q = widths === null ? Number.NaN : widerHalfWidth(widths[l]!.perStep[h]!, widths[l]!.scaled?.[h], spreadNow);
        const output = outputs[position * horizon + h]!;
        const baseline = base[position * horizon + h]!;
        // g⁻¹ is increasing, so the band's ends map to the band's ends.
        lower[h] = toDataUnits(output - q, baseline, frame.state, unit);
        upper[h] = toDataUnits(output + q, baseline, frame.state, unit);
      }
      return { level, lower, upper };
    });
    return { id: series.id, times, forecast, intervals, method };
  });
  return { forecasts, unseen, short, approximated: [...approximated] };
}

/** Element-wise median of equally long arrays (the mean of the middle two for an even count). */
export function medianOf(arrays: readonly Float64Array[]): Float64Array {
  if (arrays.length === 1) return arrays[0]!;
  const length = arrays[0]!.length;
  const out = new Float64Array(length);
  const column = new Float64Array(arrays.length);
  for (let i = 0; i < length; i++) {
    for (let k = 0; k < arrays.length; k++) column[k] = arrays[k]![i]!;
    column.sort();
    const mid = column.length >> 1;
    out[i] = column.length % 2 === 1 ? column[mid]! : (column[mid - 1]! + column[mid]!) / 2;
  }
  return out;
}

/**
 * The correction kept, in place: the part the head's known-future inputs give (`future`, the same
 * shape; absent: none) whole, the rest times the model's correction weight.
 */
export function weighOutputs(outputs: Float64Array, weight: number, future?: Float64Array): Float64Array {
  if (weight === 1) return outputs;
  for (let i = 0; i < outputs.length; i++) {
    const known = future === undefined ? 0 : future[i]!;
    outputs[i] = known + (outputs[i]! - known) * weight;
  }
  return outputs;
}
