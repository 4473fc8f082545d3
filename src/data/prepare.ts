// From a Dataset to what the network reads, and from network outputs back to data units.
//
// Per series a frame holds the transformed target g(y) (the log or the values), the scaled
// features and the calendar inputs; windows are gathered from frames batch by batch, never
// copied one by one, so memory stays linear in the data. The network sees, at every step of a
// window with origin T (first target at T):
//
//   [ (g(y_t) - level) / scale,              level: the window's first value g(y[T-B]), or the
//                                            series' centre when there is no baseline
//     (g(y_t) - g(y[t-1])) / scale,          the change from the step before
//     (g(y_t) - g(y[t-m])) / scale,          seasonal baseline only (0 where t < m)
//     scaled features...,  calendar sin/cos pairs... ]
//
// and predicts, for step h, (g(y[T+h]) - base_h) / scale, where base_h is the baseline's forecast
// in the transformed space (transform.ts). The forecast is g⁻¹(base_h + scale · output_h). `scale`
// is the window's unit (windowUnit): the series' own, or a larger one where the window moves more.
//
// The head (one nn.Linear) reads the final hidden state and, for every horizon step h = 1..H in
// turn: the scaled known-future covariates x at T+h-1 (--future-features: the recorded values
// inside the data, the future rows past its end); with a baseline, their change x[T+h-1] - x[s_h]
// since the point s_h the baseline carries forward to that step (baselineSource); with
// headCalendar, that step's calendar pairs.
//
// Sizes: S series, N points of a series, B lookback, H horizon, I inputs per step, Fe features,
// Ff known-future covariates (a subset of the features), C calendar inputs (two per cycle),
// E head inputs per forecast = H · (Ff, twice with a baseline, + C with headCalendar).
import { DataError, where } from '../errors.js';
import { calendarInputNames, writeCalendar, type CalendarCycle } from './calendar-inputs.js';
import { applyScaler, fitScaler, type ScaleKind, type Scaler } from './scale.js';
import { addSteps } from './time.js';
import { clockOf } from './zone.js';
import { baseForecast, baselineReach, baselineSource, isSeasonal, type Baseline } from './baseline.js';
import { checkTarget, pointPlace, seriesName, valueTransform } from './transform.js';
import type { Dataset, Series } from './types.js';
import { firstOrigin, splitWindows, windowCount, type WindowSplit } from './window.js';

/** What the network reads and predicts, fixed for a model and stored in its file. */
export interface PipelineSpec {
  lookback: number; // B
  horizon: number; // H
  /** What the network corrects (baseline.ts); with memberBaselines, what the first member corrects. */
  baseline: Baseline;
  /**
   * The baseline each ensemble member corrects (member k: memberBaselines[k mod n]), the first
   * being `baseline`; absent: every member corrects `baseline`. The ensemble forecasts the mean
   * of the members' baselines plus the median of their corrections (addBaselineOffsets), and
   * everything after — the correction weight, the safety net, the intervals — reads that relative
   * to `baseline`.
   */
  memberBaselines?: Baseline[];
  /** Feature columns, in Dataset.features order. */
  features: string[];
  /** The known-future covariates (a subset of `features`, Dataset.futureFeatures order): the head reads them at every horizon step. */
  futureFeatures: string[];
  calendar: CalendarCycle[];
  /** The head also reads the calendar of every horizon step (known in advance). */
  headCalendar: boolean;
  /** Scaling of the features, and of the target when there is no baseline. */
  scale: ScaleKind;
  /** Each window is measured in the larger of the series' unit and its own (windowUnit); with a baseline only. */
  windowScale: boolean;
}

/** Per series: how its values are normalized. Stored in the model file. */
export interface SeriesState {
  id: string;
  log: boolean;
  /** The centre subtracted when there is no baseline (0 otherwise). */
  center: number;
  /** The unit of the target and of the seasonal channel, > 0. */
  scale: number;
  /** One per feature. */
  featureScalers: Scaler[];
  /** The training part never went below zero: forecasts and bounds are kept at zero or above. */
  nonNegative: boolean;
}

export interface SeriesFrame {
  state: SeriesState;
  /** (N) g(y). */
  values: Float64Array;
  /** (N) 1 = a real target, 0 = invented by --fill (never in the loss). */
  real: Uint8Array;
  /** (N, Fe) scaled features. */
  features: Float32Array;
  /** (N + H, C) calendar inputs, the horizon past the end included. */
  calendar: Float32Array;
  /** (H, Ff) the scaled known-future covariates of the H steps past the end (Series.future; 0 where not given). */
  ahead: Float32Array;
  /** The first origin with a full window and a baseline. */
  first: number;
  split: WindowSplit;
}

export function hasSeasonalChannel(spec: Pick<PipelineSpec, 'baseline'>): boolean {
  return isSeasonal(spec.baseline.kind) && spec.baseline.season > 1;
}

/** The network's input names in order, as the model file's config.inputs lists them. */
export function inputNames(spec: PipelineSpec, target: string): string[] {
  return [
    `${target}:level`,
    `${target}:change`,
    ...(hasSeasonalChannel(spec) ? [`${target}:seasonal-change`] : []),
    ...spec.features,
    ...calendarInputNames(spec.calendar),
  ];
}

export function inputSize(spec: PipelineSpec): number {
  return 2 + (hasSeasonalChannel(spec) ? 1 : 0) + spec.features.length + 2 * spec.calendar.length;
}

type HeadSpec = Pick<PipelineSpec, 'futureFeatures' | 'headCalendar' | 'calendar' | 'horizon' | 'baseline'>;

/** With a baseline, the head also reads each known-future covariate's change since the point the baseline carries forward. */
function hasFutureChange(spec: Pick<PipelineSpec, 'baseline'>): boolean {
  return spec.baseline.kind !== 'none';
}

/** The head's input names of one horizon step, without the step. */
function headStepNames(spec: HeadSpec): string[] {
  return [
    ...spec.futureFeatures,
    ...(hasFutureChange(spec) ? spec.futureFeatures.map((name) => `${name}:change`) : []),
    ...(spec.headCalendar ? calendarInputNames(spec.calendar) : []),
  ];
}

/** E: the head's known-future inputs per forecast, step by step (see the top of the file). */
export function headInputSize(spec: HeadSpec): number {
  return spec.horizon * headStepNames(spec).length;
}

/** The head's input names, as the model file lists them: `promo@3`, `promo:change@3` and `calendar:day:sin@3` are step 3's. */
export function headInputNames(spec: HeadSpec): string[] {
  const names = headStepNames(spec);
  return Array.from({ length: spec.horizon }, (_, h) => names.map((name) => `${name}@${h + 1}`)).flat();
}

/** (Ff) where each known-future covariate sits among the features. */
export function futureColumns(spec: Pick<PipelineSpec, 'features' | 'futureFeatures'>): number[] {
  return spec.futureFeatures.map((name) => {
    const index = spec.features.indexOf(name);
    if (index < 0) throw new Error(`known-future covariate '${name}' is not among the features`);
    return index;
  });
}

function checkFeatures(series: Series, names: string[], source: string, from: number): void {
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

/** Mean |v[t] - v[t - lag]| over t in [lag, end); 0 when there is nothing to measure. */
function meanAbsoluteChange(values: Float64Array, lag: number, end: number): number {
  let sum = 0;
  for (let t = lag; t < end; t++) sum += Math.abs(values[t]! - values[t - lag]!);
  return end > lag ? sum / (end - lag) : 0;
}

/**
 * The target's centre and unit, fitted on values[0, end). With a baseline the unit is the mean
 * absolute (seasonal) change — the scale of MASE, so the loss weighs every series of a panel alike;
 * without one, the scaler --scale asks for.
 */
export function fitTargetScale(values: Float64Array, end: number, spec: Pick<PipelineSpec, 'baseline' | 'scale'>): { center: number; scale: number } {
  if (spec.scale === 'none') return { center: 0, scale: 1 };
  if (spec.baseline.kind === 'none') {
    const scaler = fitScaler(spec.scale, values, end);
    return { center: scaler.center, scale: scaler.scale };
  }
  const lag = isSeasonal(spec.baseline.kind) ? spec.baseline.season : 1;
  const candidates = [meanAbsoluteChange(values, lag, end), meanAbsoluteChange(values, 1, end), fitScaler('standard', values, end).scale];
  const level = Math.abs(values[end - 1] ?? 0) + 1;
  const scale = candidates.find((value) => value > 1e-9 * level) ?? 1;
  return { center: 0, scale };
}

function scaleFeatures(series: Series, scalers: Scaler[]): Float32Array {
  const length = series.values.length;
  const width = scalers.length;
  const rows = new Float32Array(length * width); // (N, Fe)
  const column = new Float64Array(length);
  for (let f = 0; f < width; f++) {
    applyScaler(scalers[f]!, series.features[f]!, column);
    for (let t = 0; t < length; t++) rows[t * width + f] = column[t]!;
  }
  return rows;
}

function calendarRows(series: Series, spec: PipelineSpec, dataset: Dataset): Float32Array {
  const width = 2 * spec.calendar.length;
  const length = series.times.length;
  const rows = new Float32Array((length + spec.horizon) * width); // (N + H, C)
  if (width === 0) return rows;
  const clock = clockOf(dataset.timeStyle);
  for (let t = 0; t < length; t++) writeCalendar(rows, t * width, series.times[t]!, spec.calendar, clock);
  const last = series.times[length - 1]!;
  for (let h = 0; h < spec.horizon; h++) {
    const time = addSteps(last, dataset.freq, h + 1, clock);
    writeCalendar(rows, (length + h) * width, time, spec.calendar, clock);
  }
  return rows;
}

/** (H, Ff) the future rows' covariates, scaled like the features; 0 past the rows given. */
function aheadRows(series: Series, spec: PipelineSpec, scalers: readonly Scaler[]): Float32Array {
  const columns = futureColumns(spec);
  const width = columns.length;
  const rows = new Float32Array(spec.horizon * width); // (H, Ff)
  const future = series.future;
  if (width === 0 || future === undefined) return rows;
  const steps = Math.min(spec.horizon, future.times.length);
  columns.forEach((column, k) => {
    const { center, scale } = scalers[column]!;
    const values = future.values[k]!;
    for (let h = 0; h < steps; h++) rows[h * width + k] = (values[h]! - center) / scale;
  });
  return rows;
}

function realMask(series: Series): Uint8Array {
  const real = new Uint8Array(series.values.length);
  for (let t = 0; t < real.length; t++) real[t] = series.imputed[t] ? 0 : 1;
  return real;
}

/** A frame from a series and a state fitted elsewhere (training or the model file). */
export function frameFor(series: Series, state: SeriesState, spec: PipelineSpec, dataset: Dataset, valSize: number, from = 0): SeriesFrame {
  checkTarget(series, state.log, dataset.source, from);
  checkFeatures(series, spec.features, dataset.source, from);
  const first = firstOrigin(spec.lookback, baselineReach(spec.baseline));
  const values = valueTransform(series.values, state.log);
  return {
    state,
    values,
    real: realMask(series),
    features: scaleFeatures(series, state.featureScalers),
    calendar: calendarRows(series, spec, dataset),
    ahead: aheadRows(series, spec, state.featureScalers),
    first,
    split: splitWindows(windowCount(series.values.length, first, spec.horizon), spec.horizon, valSize),
  };
}

/** Where the training part of a series ends: one past the last training target. */
export function trainingEnd(frame: Pick<SeriesFrame, 'first' | 'split'>, horizon: number): number {
  return frame.first + frame.split.train - 1 + horizon;
}

/**
 * Fits the state of one series on its training part (everything the validation windows predict
 * stays out) and returns its frame. `log` is this series' value transform (auto decides per series).
 */
export function fitFrame(series: Series, log: boolean, spec: PipelineSpec, dataset: Dataset, valSize: number): SeriesFrame {
  checkTarget(series, log, dataset.source);
  const first = firstOrigin(spec.lookback, baselineReach(spec.baseline));
  const split = splitWindows(windowCount(series.values.length, first, spec.horizon), spec.horizon, valSize);
  const end = Math.min(series.values.length, first + Math.max(split.train, 1) - 1 + spec.horizon);
  const values = valueTransform(series.values, log);
  const { center, scale } = fitTargetScale(values, end, spec);
  let nonNegative = true;
  for (let t = 0; t < end; t++) if (series.values[t]! < 0) nonNegative = false;
  const featureScalers = series.features.map((feature) => fitScaler(spec.scale, feature, end));
  const state: SeriesState = { id: series.id, log, center, scale, featureScalers, nonNegative };
  checkScales(state, spec, dataset.source);
  return frameFor(series, state, spec, dataset, valSize);
}

/**
 * Values beyond about 1e154 overflow a scaler's sum of squares: the network would see zeros and
 * the forecast would be empty cells with exit 0. Refuse with the column instead.
 */
function checkScales(state: SeriesState, spec: PipelineSpec, source: string): void {
  const which = state.id === '' ? '' : ` of series '${state.id}'`;
  const fail = (column: string): never => {
    throw new DataError(`${where(source)}: column '${column}'${which} holds values too large to scale (--scale ${spec.scale}); rescale the column (e.g. to thousands)`);
  };
  if (!(Number.isFinite(state.center) && Number.isFinite(state.scale) && state.scale > 0)) fail('the target');
  state.featureScalers.forEach((scaler, index) => {
    if (!(Number.isFinite(scaler.center) && Number.isFinite(scaler.scale))) fail(spec.features[index]!);
  });
}

/** Window references: series index and origin, one pair per window. */
export interface WindowRefs {
  count: number;
  series: Uint32Array;
  origin: Uint32Array;
}

/**
 * The training or validation windows of every frame, in series order, then time order. Windows
 * whose targets were all invented by --fill are left out. `maxPerSeries` keeps only the most
 * recent ones of each series (validation of big panels).
 */
export function windowRefs(frames: readonly SeriesFrame[], part: 'train' | 'val', horizon: number, maxPerSeries = Infinity): WindowRefs {
  const range = (frame: SeriesFrame): [number, number] => {
    const { first, split } = frame;
    if (part === 'train') return [first, first + split.train];
    const end = first + split.windows;
    return [Math.max(end - Math.min(split.val, maxPerSeries), first), end];
  };
  let count = 0;
  for (const frame of frames) {
    const [from, to] = range(frame);
    for (let origin = from; origin < to; origin++) if (hasRealTarget(frame, origin, horizon)) count++;
  }
  const refs: WindowRefs = { count, series: new Uint32Array(count), origin: new Uint32Array(count) };
  let n = 0;
  frames.forEach((frame, index) => {
    const [from, to] = range(frame);
    for (let origin = from; origin < to; origin++) {
      if (!hasRealTarget(frame, origin, horizon)) continue;
      refs.series[n] = index;
      refs.origin[n] = origin;
      n++;
    }
  });
  return refs;
}

function hasRealTarget(frame: SeriesFrame, origin: number, horizon: number): boolean {
  for (let h = 0; h < horizon; h++) if (frame.real[origin + h]) return true;
  return false;
}

/**
 * The unit of the window with origin T (inputs, targets and outputs are measured in it). With
 * spec.windowScale, the larger of the series' unit and the same statistic measured on the
 * window's lookback alone (per-window scaling, as DeepAR and N-BEATS scale each window, but only
 * upwards): a window that moves more than the series usually does — a strike, a holiday week, a
 * crash — is measured in its own unit, so it does not dominate the loss, and the forecast's
 * correction and band grow with the moves of the last window. Never below the series' unit, so a
 * calm stretch is not blown up to noise. Measured on the bench suite (README: How it forecasts).
 */
export function windowUnit(frame: SeriesFrame, spec: Pick<PipelineSpec, 'baseline' | 'lookback' | 'windowScale'>, origin: number): number {
  const unit = frame.state.scale;
  if (!spec.windowScale || spec.baseline.kind === 'none') return unit;
  // The lag of the series' unit (fitTargetScale): the baseline's season, or 1.
  const lag = isSeasonal(spec.baseline.kind) ? spec.baseline.season : 1;
  const values = frame.values;
  let sum = 0;
  let count = 0;
  for (let t = Math.max(origin - spec.lookback, lag); t < origin; t++) {
    const change = Math.abs(values[t]! - values[t - lag]!);
    if (!Number.isFinite(change)) continue;
    sum += change;
    count++;
  }
  return count === 0 ? unit : Math.max(unit, sum / count);
}

/** The baseline's forecast of step h from origin T, in the transformed space. */
export function baseValue(frame: SeriesFrame, spec: PipelineSpec, origin: number, step: number): number {
  return baseForecast(spec.baseline, frame.values, origin, step, frame.state.center);
}

/** The spec member `member` trains and predicts with: its own baseline, and no member list. */
export function memberSpec(spec: PipelineSpec, member: number): PipelineSpec {
  const { memberBaselines, ...single } = spec;
  if (memberBaselines === undefined || memberBaselines.length === 0) return single;
  return { ...single, baseline: memberBaselines[member % memberBaselines.length]! };
}

/** The farthest any member's baseline reaches back. */
export function specReach(spec: PipelineSpec): number {
  return Math.max(baselineReach(spec.baseline), ...(spec.memberBaselines ?? []).map(baselineReach));
}

/**
 * Adds to an ensemble's combined outputs (network space, relative to `baseline`, count × H) the
 * mean of its members' baselines, as an offset: Σ_k (base_k − base) / (K · scale) for windows
 * refs[start, start + count). Members correct their own baselines; the ensemble forecasts the mean
 * of those baselines plus the median of the corrections. The caller adds the same offset to the
 * part the correction weight keeps whole (weighOutputs), so the weight only scales corrections.
 */
export function addBaselineOffsets(outputs: Float64Array, frames: readonly SeriesFrame[], spec: PipelineSpec, members: number, refs: WindowRefs, start: number, count: number): void {
  const others: Baseline[] = [];
  for (let member = 0; member < members; member++) {
    const own = memberSpec(spec, member).baseline;
    if (own.kind !== spec.baseline.kind || own.season !== spec.baseline.season) others.push(own);
  }
  if (others.length === 0) return;
  const { horizon } = spec;
  for (let k = 0; k < count; k++) {
    const frame = frames[refs.series[start + k]!]!;
    const origin = refs.origin[start + k]!;
    const unit = windowUnit(frame, spec, origin);
    for (let h = 0; h < horizon; h++) {
      const first = baseForecast(spec.baseline, frame.values, origin, h, frame.state.center);
      let sum = 0;
      for (const own of others) sum += baseForecast(own, frame.values, origin, h, frame.state.center) - first;
      outputs[k * horizon + h] = outputs[k * horizon + h]! + sum / (members * unit);
    }
  }
}

/** Batch buffers, allocated once per batch size and reused. */
export interface Batch {
  capacity: number;
  count: number;
  /** Targets and head inputs for every step of the window (forking sequences), or the last only. */
  everyStep: boolean;
  inputs: Float32Array; // (B, T, I)
  headInput: Float32Array; // (B, E), or (B, T, E) every step
  targets: Float32Array; // (B, H), or (B, T, H) every step: scaled corrections; 0 where there is no target
  mask: Uint8Array; // as targets: 1 = counted in the loss
  base: Float64Array; // (B, H) the last step's baseline in the transformed space
}

export function createBatch(capacity: number, spec: PipelineSpec, everyStep = false): Batch {
  const { lookback, horizon } = spec;
  const steps = everyStep ? lookback : 1;
  return {
    capacity,
    count: 0,
    everyStep,
    inputs: new Float32Array(capacity * lookback * inputSize(spec)),
    headInput: new Float32Array(capacity * steps * headInputSize(spec)),
    targets: new Float32Array(capacity * steps * horizon),
    mask: new Uint8Array(capacity * steps * horizon),
    base: new Float64Array(capacity * horizon),
  };
}

/**
 * Writes the targets of a forecast from origin `origin` into targets/mask at `at`; returns how many count.
 * A target counts when it is inside the series, real, and the baseline reaches back far enough.
 */
function writeTargets(frame: SeriesFrame, spec: PipelineSpec, origin: number, targets: Float32Array, mask: Uint8Array, at: number, base: Float64Array | null, baseAt: number, scale: number): number {
  const { horizon } = spec;
  const { values, real } = frame;
  const length = values.length;
  const usable = origin >= baselineReach(spec.baseline);
  let counted = 0;
  for (let h = 0; h < horizon; h++) {
    const b = usable ? baseValue(frame, spec, origin, h) : 0;
    if (base !== null) base[baseAt + h] = b;
    const target = origin + h;
    if (usable && target < length && real[target]) {
      targets[at + h] = (values[target]! - b) / scale;
      mask[at + h] = 1;
      counted++;
    } else {
      targets[at + h] = 0;
      mask[at + h] = 0;
    }
  }
  return counted;
}

/**
 * The head's known-future inputs for a forecast from `origin`, step by step: the known-future
 * covariates at origin + h (the series' own scaled values inside it, the future rows past its end),
 * then that step's calendar with headCalendar.
 */
function writeHeadInput(frame: SeriesFrame, spec: PipelineSpec, origin: number, columns: readonly number[], out: Float32Array, at: number): void {
  const width = spec.headCalendar ? 2 * spec.calendar.length : 0;
  if (width === 0 && columns.length === 0) return;
  const { calendar, features, ahead } = frame;
  const featureWidth = spec.features.length;
  const futureWidth = columns.length;
  const length = frame.values.length;
  const rows = calendar.length / Math.max(width, 1);
  const change = hasFutureChange(spec);
  for (let h = 0; h < spec.horizon; h++) {
    const t = origin + h;
    const step = t - length;
    const valuesAt = at;
    for (let k = 0; k < futureWidth; k++) {
      // Past the future rows given (only targets that are masked out reach there): 0, the scaled mean.
      out[at++] = t < length ? features[t * featureWidth + columns[k]!]! : step < spec.horizon ? ahead[step * futureWidth + k]! : 0;
    }
    if (change) {
      // The source is before the origin: inside the series (clamped for the masked windows that start too early).
      const source = Math.min(Math.max(baselineSource(spec.baseline, origin, h)!, 0), length - 1);
      for (let k = 0; k < futureWidth; k++) out[at++] = out[valuesAt + k]! - features[source * featureWidth + columns[k]!]!;
    }
    if (width === 0) continue;
    const row = Math.min(t, rows - 1);
    for (let c = 0; c < width; c++) out[at++] = calendar[row * width + c]!;
  }
}

/**
 * Fills rows [0, count) of the batch with the windows (frames[series[k]], origin[k]) for
 * k = order[start + row] (or start + row without an order). Every input of step t depends only on
 * points up to t, so the head may read any step (forking sequences): the level relative to the
 * window's first point, the change from the step before, the seasonal change, features and the
 * calendar. Targets past the end of a series (a forecast origin) are masked out. Returns how many
 * targets count.
 */
export function gatherBatch(frames: readonly SeriesFrame[], spec: PipelineSpec, refs: WindowRefs, order: Uint32Array | null, start: number, count: number, batch: Batch): number {
  const { lookback, horizon } = spec;
  const width = inputSize(spec);
  const headWidth = headInputSize(spec);
  const seasonal = hasSeasonalChannel(spec);
  const m = spec.baseline.season;
  const featureWidth = spec.features.length;
  const calendarWidth = 2 * spec.calendar.length;
  const { inputs, targets, mask, base, headInput, everyStep } = batch;
  const noBaseline = spec.baseline.kind === 'none';
  const columns = futureColumns(spec);
  let counted = 0;
  for (let row = 0; row < count; row++) {
    const k = order === null ? start + row : order[start + row]!;
    const frame = frames[refs.series[k]!]!;
    const origin = refs.origin[k]!;
    const { values, features, calendar } = frame;
    const scale = windowUnit(frame, spec, origin);
    const first = Math.max(origin - lookback, 0);
    const level = noBaseline ? frame.state.center : values[first]!;
    let at = row * lookback * width;
    for (let t = origin - lookback; t < origin; t++) {
      // Left-padded with the first value when the series is shorter than the lookback (forecasting only).
      const p = Math.max(t, 0);
      inputs[at++] = (values[p]! - level) / scale;
      inputs[at++] = p >= 1 && t >= 1 ? (values[p]! - values[p - 1]!) / scale : 0;
      if (seasonal) inputs[at++] = p >= m ? (values[p]! - values[p - m]!) / scale : 0;
      for (let f = 0; f < featureWidth; f++) inputs[at++] = features[p * featureWidth + f]!;
      for (let c = 0; c < calendarWidth; c++) inputs[at++] = calendar[p * calendarWidth + c]!;
    }
    if (everyStep) {
      for (let t = 0; t < lookback; t++) {
        const stepOrigin = origin - lookback + t + 1;
        const slot = row * lookback + t;
        counted += writeTargets(frame, spec, stepOrigin, targets, mask, slot * horizon, t === lookback - 1 ? base : null, row * horizon, scale);
        writeHeadInput(frame, spec, stepOrigin, columns, headInput, slot * headWidth);
      }
    } else {
      counted += writeTargets(frame, spec, origin, targets, mask, row * horizon, base, row * horizon, scale);
      writeHeadInput(frame, spec, origin, columns, headInput, row * headWidth);
    }
  }
  batch.count = count;
  return counted;
}

/** A network output (scaled correction) at step h of a batch row, in data units. */
export function toDataUnits(output: number, baseline: number, state: SeriesState, unit = state.scale): number {
  const value = baseline + output * unit;
  const data = state.log ? Math.exp(value) : value;
  return state.nonNegative && data < 0 ? 0 : data;
}

/** Series too short to give one training window, for a message or a warning. */
export function describeShort(dataset: Dataset, short: readonly Series[], needed: number): string {
  const first = short[0]!;
  const more = short.length > 1 ? ` (and ${short.length - 1} more)` : '';
  return `${seriesName(first.id)}${more} has ${first.values.length} points, fewer than the ${needed} needed to train in ${dataset.source === '-' ? 'standard input' : dataset.source}`;
}
