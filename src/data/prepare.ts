// From a Dataset to training/validation windows for the network, and from network outputs back
// to the data's units. Per series: transform the target, split its windows in time order, fit
// one scaler per input on the training part only, scale, and copy the windows into flat arrays.
//
// Sizes: S series, N raw points of a series, L = N - offset transformed points, B lookback,
// H horizon, I = 1 + features inputs per step, W windows of a series.
import { DataError, UsageError, where } from '../errors.js';
import { checkSeriesLength } from './defaults.js';
import { applyScaler, fitScaler, SCALE_KINDS, unscaleInPlace, type ScaleKind, type Scaler } from './scale.js';
import {
  invertTransform,
  pointPlace,
  seriesName,
  transformOffset,
  transformTarget,
  TRANSFORM_KINDS,
  type TransformKind,
} from './transform.js';
import type { Dataset, Series } from './types.js';
import { allocWindowSet, splitWindows, windowCount, type WindowSet, type WindowSplit } from './window.js';

export type { WindowSet } from './window.js';

export interface PrepareOptions {
  lookback: number; // B, >= 1
  horizon: number; // H, >= 1
  /** Share in [0, 1) of each series' most recent windows held out for validation; 0 = none. */
  valSize: number; // default 0.2
  scale: ScaleKind; // default 'standard'
  transform: TransformKind; // default 'none'
}

/** What a model keeps per series to scale new inputs and turn outputs back into data units. */
export interface SeriesState {
  id: string;
  /** One per input: [target, ...features]; the target's is fitted on the transformed target. */
  scalers: Scaler[];
  transform: TransformKind;
  /** The last raw target value, where a diff forecast starts its cumulative sum. */
  lastValue: number;
  /** Epoch ms of the last point. */
  lastTime: number;
  /** N raw points. */
  length: number;
}

export interface Prepared {
  train: WindowSet;
  val: WindowSet;
  /** (S) in Dataset.series order; WindowSet.seriesIndex points here. */
  series: SeriesState[];
}

function checkOptions(options: PrepareOptions): void {
  const { lookback, horizon, valSize, scale, transform } = options;
  if (!Number.isInteger(lookback) || lookback < 1) throw new UsageError(`--lookback must be a whole number >= 1 (got ${lookback})`);
  if (!Number.isInteger(horizon) || horizon < 1) throw new UsageError(`--horizon must be a whole number >= 1 (got ${horizon})`);
  if (!(valSize >= 0 && valSize < 1)) throw new UsageError(`--val-size must be at least 0 and below 1 (got ${valSize})`);
  if (!SCALE_KINDS.includes(scale)) throw new UsageError(`--scale must be one of ${SCALE_KINDS.join(', ')} (got ${scale})`);
  if (!TRANSFORM_KINDS.includes(transform)) {
    throw new UsageError(`--transform must be one of ${TRANSFORM_KINDS.join(', ')} (got ${transform})`);
  }
}

function checkFeatures(series: Series, names: string[], source: string, from: number): void {
  if (series.features.length !== names.length) {
    throw new Error(`${seriesName(series.id)} has ${series.features.length} feature arrays for ${names.length} features`);
  }
  for (let f = 0; f < names.length; f++) {
    const column = series.features[f]!;
    for (let t = from; t < column.length; t++) {
      const value = column[t]!;
      if (!Number.isFinite(value)) {
        throw new DataError(`${pointPlace(series, t, source)}: feature '${names[f]}' value ${value} is not a finite number`);
      }
    }
  }
}

/**
 * Scales a transformed series into (L, I) rows [target, ...features], the layout of one window's
 * inputs, so each window is one contiguous copy.
 */
function scaleRows(target: Float64Array, series: Series, offset: number, scalers: Scaler[]): Float32Array {
  const length = target.length;
  const inputSize = scalers.length;
  const rows = new Float32Array(length * inputSize); // (L, I)
  const column = new Float64Array(length); // (L) scratch
  for (let i = 0; i < inputSize; i++) {
    const src = i === 0 ? target : series.features[i - 1]!.subarray(offset, offset + length);
    applyScaler(scalers[i]!, src, column);
    for (let t = 0; t < length; t++) rows[t * inputSize + i] = column[t]!;
  }
  return rows;
}

interface SeriesPlan {
  rows: Float32Array; // (L, I)
  real: Uint8Array; // (L)
  realBefore: Uint32Array; // (L + 1) real points in [0, t), to test a window's targets in O(1)
  split: WindowSplit;
}

function hasRealTarget(plan: SeriesPlan, start: number, horizon: number): boolean {
  return plan.realBefore[start + horizon]! > plan.realBefore[start]!;
}

function keptWindows(plan: SeriesPlan, first: number, end: number, lookback: number, horizon: number): number {
  let kept = 0;
  for (let s = first; s < end; s++) if (hasRealTarget(plan, s + lookback, horizon)) kept++;
  return kept;
}

function copyWindows(
  set: WindowSet,
  n: number,
  plan: SeriesPlan,
  seriesIndex: number,
  first: number,
  end: number,
  lookback: number,
  horizon: number,
): number {
  const inputSize = set.inputSize;
  const { rows, real } = plan;
  for (let s = first; s < end; s++) {
    const targetStart = s + lookback;
    if (!hasRealTarget(plan, targetStart, horizon)) continue;
    set.inputs.set(rows.subarray(s * inputSize, targetStart * inputSize), n * lookback * inputSize);
    const targets = set.targets;
    const targetsAt = n * horizon;
    for (let h = 0; h < horizon; h++) targets[targetsAt + h] = rows[(targetStart + h) * inputSize]!;
    set.mask.set(real.subarray(targetStart, targetStart + horizon), targetsAt);
    set.seriesIndex[n] = seriesIndex;
    set.targetStart[n] = targetStart;
    n++;
  }
  return n;
}

/**
 * Windows for training and validation. Per series, stride-1 windows are split in time order
 * (splitWindows): training windows first, then H - 1 dropped windows, then validation windows,
 * so every training target lies before the first validation target. Scalers are fitted on the
 * points up to the last training target. Windows whose targets were all invented by --fill are
 * dropped; invented points may still be inputs. Series follow Dataset order, windows time order.
 */
export function prepareTraining(dataset: Dataset, options: PrepareOptions): Prepared {
  checkOptions(options);
  const { lookback, horizon, valSize, scale, transform } = options;
  const source = dataset.source;
  if (dataset.series.length === 0) throw new DataError(`${where(source)}: no data rows to train on`);
  checkSeriesLength(dataset, lookback, horizon, valSize, source, transform);
  const inputSize = 1 + dataset.features.length;
  const offset = transformOffset(transform);

  const plans: SeriesPlan[] = [];
  const states: SeriesState[] = [];
  let trainCount = 0;
  let valCount = 0;
  for (const series of dataset.series) {
    const transformed = transformTarget(series, transform, source);
    checkFeatures(series, dataset.features, source, 0);
    const length = transformed.values.length;
    const split = splitWindows(windowCount(length, lookback, horizon), horizon, valSize);
    // Up to and including the last training target: nothing the validation windows predict.
    const fitEnd = split.train - 1 + lookback + horizon;
    const scalers = [fitScaler(scale, transformed.values, fitEnd)];
    for (const feature of series.features) scalers.push(fitScaler(scale, feature.subarray(offset), fitEnd));
    const realBefore = new Uint32Array(length + 1);
    for (let t = 0; t < length; t++) realBefore[t + 1] = realBefore[t]! + transformed.real[t]!;
    const plan: SeriesPlan = {
      rows: scaleRows(transformed.values, series, offset, scalers),
      real: transformed.real,
      realBefore,
      split,
    };
    plans.push(plan);
    trainCount += keptWindows(plan, 0, split.train, lookback, horizon);
    valCount += keptWindows(plan, split.windows - split.val, split.windows, lookback, horizon);
    const last = series.values.length - 1;
    states.push({
      id: series.id,
      scalers,
      transform,
      lastValue: series.values[last]!,
      lastTime: series.times[last]!,
      length: series.values.length,
    });
  }
  if (trainCount === 0) {
    throw new DataError(`${where(source)}: every training window's targets were invented by --fill; no real values to learn from`);
  }

  const train = allocWindowSet(trainCount, lookback, horizon, inputSize);
  const val = allocWindowSet(valCount, lookback, horizon, inputSize);
  let nTrain = 0;
  let nVal = 0;
  for (let i = 0; i < plans.length; i++) {
    const plan = plans[i]!;
    const { windows, train: trainWindows, val: valWindows } = plan.split;
    nTrain = copyWindows(train, nTrain, plan, i, 0, trainWindows, lookback, horizon);
    nVal = copyWindows(val, nVal, plan, i, windows - valWindows, windows, lookback, horizon);
  }
  return { train, val, series: states };
}

/**
 * The model's states for the series of `dataset`, in Dataset.series order, matched by id, with
 * lastValue, lastTime and length taken from the data (it may have grown since training) and the
 * scalers from the model. A series the model has no state for is a DataError naming it.
 */
export function currentStates(dataset: Dataset, series: SeriesState[]): SeriesState[] {
  const byId = new Map(series.map((state) => [state.id, state]));
  const inputSize = 1 + dataset.features.length;
  return dataset.series.map((data) => {
    const state = byId.get(data.id);
    if (state === undefined) {
      const known = series.length <= 5 ? series.map((s) => `'${s.id}'`).join(', ') : `${series.length} series`;
      const what = data.id === '' ? 'a single series without an id column' : `series '${data.id}'`;
      throw new DataError(`${where(dataset.source)}: ${what} is not in the model (it was trained on ${known || 'no series'})`);
    }
    if (state.scalers.length !== inputSize) {
      throw new DataError(
        `${where(dataset.source)}: the model has ${state.scalers.length} inputs per step but the data gives ${inputSize} (target + ${dataset.features.length} features)`,
      );
    }
    const last = data.values.length - 1;
    return { ...state, lastValue: data.values[last]!, lastTime: data.times[last]!, length: data.values.length };
  });
}

/**
 * (S, B, I) network inputs to forecast past the end of each series of `dataset`: its last
 * `lookback` (transformed) points, scaled with the stored states. Series in Dataset order.
 */
export function forecastInput(dataset: Dataset, series: SeriesState[], lookback: number): Float32Array {
  const states = currentStates(dataset, series);
  const inputSize = 1 + dataset.features.length;
  const out = new Float32Array(dataset.series.length * lookback * inputSize); // (S, B, I)
  for (let i = 0; i < dataset.series.length; i++) {
    const data = dataset.series[i]!;
    const state = states[i]!;
    const offset = transformOffset(state.transform);
    const needed = lookback + offset;
    const length = data.values.length;
    if (length < needed) {
      const diffNote = offset > 0 ? ' + 1 for --transform diff' : '';
      throw new DataError(
        `${where(dataset.source)}: ${seriesName(data.id)} has ${length} point${length === 1 ? '' : 's'}; the model's lookback ${lookback}${diffNote} needs at least ${needed}`,
      );
    }
    // Only the tail is read, so an old value that cannot be transformed does not block a forecast.
    const from = length - needed;
    const tail: Series = {
      id: data.id,
      times: data.times.subarray(from),
      values: data.values.subarray(from),
      features: data.features.map((feature) => feature.subarray(from)),
      imputed: data.imputed.subarray(from),
      lines: data.lines.subarray(from),
    };
    const transformed = transformTarget(tail, state.transform, dataset.source);
    checkFeatures(tail, dataset.features, dataset.source, offset);
    out.set(scaleRows(transformed.values, tail, offset, state.scalers), i * lookback * inputSize);
  }
  return out;
}

/**
 * (H) network outputs back in data units: unscale, then undo the transform. For diff the
 * cumulative sum starts at `base`, the raw value just before the first step: state.lastValue
 * for a forecast past the end, windowBase(...) for a validation window.
 */
export function invertTarget(scaled: ArrayLike<number>, state: SeriesState, base: number = state.lastValue): Float64Array {
  const values = Float64Array.from(scaled as ArrayLike<number>);
  unscaleInPlace(state.scalers[0]!, values);
  return invertTransform(values, state.transform, base);
}

/** The raw target value just before a window's first target step (targetStart is transformed). */
export function windowBase(series: Series, transform: TransformKind, targetStart: number): number {
  return series.values[targetStart + transformOffset(transform) - 1]!;
}

/** (H) the raw actual values of a window's targets, a view into the series. */
export function windowActuals(series: Series, transform: TransformKind, targetStart: number, horizon: number): Float64Array {
  const start = targetStart + transformOffset(transform);
  return series.values.subarray(start, start + horizon);
}
