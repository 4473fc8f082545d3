// From a cleaned dataset to a complete model file: settings from the data, frames and windows,
// the ensemble's training, the safety net per series, and the split-conformal calibration behind
// the prediction intervals.
import { UsageError } from '../errors.js';
import { fitFrame, headInputNames, headInputSize, inputNames, inputSize, windowRefs, type PipelineSpec, type SeriesFrame, type WindowRefs } from '../data/prepare.js';
import type { ScaleKind } from '../data/scale.js';
import type { FallbackPolicy } from '../forecast/methods.js';
import { formatTime } from '../data/time.js';
import type { Dataset } from '../data/types.js';
import { MAX_FILE_PARAMS, MODEL_FORMAT, modelVersionFor } from '../io/model-file.js';
import type { MemberTraining, ModelCalibration, ModelFile, ModelSeries } from '../io/model-file.js';
import { configProblem } from '../nn/network.js';
import { countParams } from '../nn/layout.js';
import type { Network, NetworkConfig } from '../nn/network.js';
import { exportWeights } from '../nn/serialize.js';
import type { TrainHooks, TrainResult } from './loop.js';
import { memberSeed, trainMembers } from './members.js';
import type { ResolvedTrainingOptions, TrainingOptions } from './options.js';
import { KNOWN_FUTURE_WINDOWS, knownFutureStart } from './known-future.js';
import { correctionWeight, ensembleOutputs, selectMethods, weighOutputs, type Selection } from './select.js';
import { defaultSteps, resolveSettings, type FitSettings } from './settings.js';

export type { FitSettings } from './settings.js';
export { resolveSettings } from './settings.js';

export function networkConfigFor(options: TrainingOptions, inputs: number, horizon: number, headInputs: number): NetworkConfig {
  return {
    cell: options.cell,
    inputSize: inputs,
    headInputs,
    hiddenSize: options.hiddenSize,
    numLayers: options.numLayers,
    bidirectional: options.bidirectional,
    dropout: options.dropout,
    horizon,
  };
}


// Enough points per step to read any interval level to about half a percent.
const CALIBRATION_SKETCH = 401;
// Early stopping reads at most this many validation windows (spread evenly over the series);
// the safety net and the calibration read them all.
export const MAX_STOPPING_WINDOWS = 2048;

/** Evenly spaced order statistics of a sorted list, so big validation sets stay small on disk. */
function sketch(sorted: ArrayLike<number>, points: number): number[] {
  if (sorted.length <= points) return Array.from(sorted, roundResidual);
  const kept: number[] = [];
  for (let index = 0; index < points; index++) kept.push(roundResidual(sorted[Math.round((index * (sorted.length - 1)) / (points - 1))]!));
  return kept;
}

const roundResidual = (value: number): number => Number(value.toPrecision(7));

/** Per step: the sketch of sorted residuals and their root mean square. */
function residualSummary(steps: readonly Float64Array[]): { residuals: number[][]; rms: number[] } {
  const rms = steps.map((step) => (step.length === 0 ? Number.NaN : roundResidual(Math.sqrt(step.reduce((sum, r) => sum + r * r, 0) / step.length))));
  return { residuals: steps.map((step) => sketch(step, CALIBRATION_SKETCH)), rms };
}

export function calibrationFrom(selection: Selection): ModelCalibration {
  return { method: 'split-conformal', space: 'normalized', windows: selection.windows, ...residualSummary(selection.residuals), scaled: residualSummary(selection.scaledResiduals) };
}

/** At most `limit` of the windows, evenly spread, in order (early stopping on big panels stays cheap). */
export function thinWindows(refs: WindowRefs, limit: number): WindowRefs {
  if (refs.count <= limit) return refs;
  const thinned: WindowRefs = { count: limit, series: new Uint32Array(limit), origin: new Uint32Array(limit) };
  for (let k = 0; k < limit; k++) {
    const from = Math.floor(((k + 0.5) * refs.count) / limit);
    thinned.series[k] = refs.series[from]!;
    thinned.origin[k] = refs.origin[from]!;
  }
  return thinned;
}

export interface FitResult {
  model: ModelFile;
  /** The ensemble, first member first. */
  networks: Network[];
  /** The first member's training (progress, charts). */
  result: TrainResult;
  settings: FitSettings;
  /** Series of a panel too short to train on, forecast by a baseline. */
  skipped: string[];
}

export interface FitHooks extends TrainHooks {
  toolVersion: string;
  seasonOverride?: number;
  /** Train the members in worker threads (the CLI: signals answered at once); in this thread otherwise. */
  workers?: boolean;
}

function memberRecord(result: TrainResult, seed: number): MemberTraining {
  return {
    seed,
    rounds: result.history.length,
    bestEpoch: result.bestRound,
    steps: result.steps,
    stoppedBy: result.stoppedBy,
    initialLoss: Number.isFinite(result.initialLoss) ? result.initialLoss : null,
    bestLoss: Number.isFinite(result.bestLoss) ? result.bestLoss : null,
  };
}

/** The series that train: their frames (trainIndices[i] is frame i's position in Dataset.series) and validation windows. */
export interface TrainedFrames {
  dataset: Dataset;
  trainIndices: readonly number[];
  frames: readonly SeriesFrame[];
  spec: PipelineSpec;
  val: WindowRefs;
}

/**
 * After training: the ensemble's validation forecasts, the share of its correction kept, and per
 * series the method that forecasts it (the safety net) with the residuals behind the intervals.
 * Nothing without validation windows, or when interrupted.
 */
export async function assessEnsemble(networks: readonly Network[], trained: TrainedFrames, season: number, fallback: FallbackPolicy, signal?: AbortSignal): Promise<{ selection: Selection | null; weight: number }> {
  const { dataset, trainIndices, frames, spec, val } = trained;
  if (val.count === 0) return { selection: null, weight: 1 };
  const ensemble = await ensembleOutputs(networks, frames, spec, val, signal);
  if (ensemble === null) return { selection: null, weight: 1 };
  const { outputs, future } = ensemble;
  const weight = spec.baseline.kind === 'none' ? 1 : correctionWeight(ensemble, frames, spec, val);
  weighOutputs(outputs, weight, future);
  const raw = trainIndices.map((index) => dataset.series[index]!.values);
  return { selection: selectMethods(outputs, frames, raw, spec, val, season, fallback), weight };
}

/** The model file's record of every series of the data, in Dataset order; `logs` per series of the data. */
export function seriesRecords(trained: TrainedFrames, logs: readonly boolean[], selection: Selection | null, scale: ScaleKind): ModelSeries[] {
  const { dataset, trainIndices, frames } = trained;
  const frameOf = new Map(trainIndices.map((index, position) => [index, position]));
  return dataset.series.map((one, index) => {
    const last = one.values.length - 1;
    const position = frameOf.get(index);
    const frame = position === undefined ? undefined : frames[position]!;
    const scores = position === undefined || selection === null ? null : selection.scores[position]!;
    return {
      id: one.id,
      lastTime: formatTime(one.times[last]!, dataset.timeStyle),
      lastValue: one.values[last]!,
      rows: one.values.length,
      log: logs[index]!,
      center: frame?.state.center ?? 0,
      scale: frame?.state.scale ?? 1,
      nonNegative: frame?.state.nonNegative ?? one.values.every((value) => value >= 0),
      // Too short to train on: the seasonal naive forecast (naive where the season does not fit).
      method: position === undefined ? 'seasonal_naive' : (selection?.methods[position] ?? 'model'),
      validation: scores !== null && scores.count > 0 ? scores.mae : null,
      scaler: {
        kind: scale,
        inputs: (frame?.state.featureScalers ?? dataset.features.map(() => ({ kind: scale, center: 0, scale: 1 }))).map((scaler, f) => ({ name: dataset.features[f]!, center: scaler.center, scale: scaler.scale })),
      },
    };
  });
}

export async function fitModel(dataset: Dataset, given: TrainingOptions, hooks: FitHooks): Promise<FitResult> {
  const started = performance.now();
  const settings = resolveSettings(dataset, given, hooks.seasonOverride);
  const { spec } = settings;
  // The step budget depends on the lookback, which depends on the data; the model records the number.
  const options: ResolvedTrainingOptions = {
    ...given,
    steps: given.steps ?? defaultSteps(spec.lookback, dataset.shard?.count),
    // One member per baseline auto chose (two where two-season helps), unless --ensemble says.
    ensemble: given.ensemble ?? spec.memberBaselines?.length ?? 1,
  };
  const trainIndices = dataset.series.map((_, index) => index).filter((index) => settings.trainable[index]);
  const frames: SeriesFrame[] = trainIndices.map((index) => fitFrame(dataset.series[index]!, settings.logs[index]!, spec, dataset, options.valSize));
  const names = inputNames(spec, dataset.target);
  const config = networkConfigFor(options, inputSize(spec), spec.horizon, headInputSize(spec));
  const shape = `--hidden ${options.hiddenSize} --layers ${options.numLayers}${options.bidirectional ? ' --bidirectional' : ''} with ${names.length} input${names.length === 1 ? '' : 's'} and horizon ${spec.horizon}`;
  const problem = configProblem(config);
  if (problem !== null) throw new UsageError(`${shape}: ${problem}`);
  // The model file is one JSON text, and V8's strings stop near 512 MB: refuse before training, not after.
  const total = countParams(config) * options.ensemble;
  if (total > MAX_FILE_PARAMS) {
    throw new UsageError(`${shape} × --ensemble ${options.ensemble}: ${total} parameters, more than the ${MAX_FILE_PARAMS} a model file holds; use a smaller --hidden, --layers or --ensemble`);
  }
  const train = windowRefs(frames, 'train', spec.horizon);
  const val = windowRefs(frames, 'val', spec.horizon);
  // Known-future covariates: the head starts from their linear effect (known-future.ts).
  const headStart = knownFutureStart(frames, spec, thinWindows(train, KNOWN_FUTURE_WINDOWS));
  const data = { frames, spec, train, val: thinWindows(val, MAX_STOPPING_WINDOWS), headStart };

  const results = await trainMembers(data, config, options, { signal: hooks.signal, onRound: hooks.onRound, workers: hooks.workers === true });
  const networks = results.map((result) => result.network);
  const first = results[0]!;
  const interrupted = results.some((result) => result.stoppedBy === 'interrupted');

  const trained: TrainedFrames = { dataset, trainIndices, frames, spec, val };
  const { selection, weight } = interrupted ? { selection: null, weight: 1 } : await assessEnsemble(networks, trained, settings.season, options.fallback, hooks.signal);
  const series = seriesRecords(trained, settings.logs, selection, options.scale);

  const model: ModelFile = {
    format: MODEL_FORMAT,
    version: modelVersionFor(spec.futureFeatures, spec.memberBaselines, spec.windowScale),
    created: new Date().toISOString(),
    rnncast: hooks.toolVersion,
    config: {
      cell: options.cell,
      hiddenSize: options.hiddenSize,
      numLayers: options.numLayers,
      bidirectional: options.bidirectional,
      dropout: options.dropout,
      lookback: spec.lookback,
      horizon: spec.horizon,
      inputs: names,
      headInputs: headInputNames(spec),
      loss: options.loss,
      optimizer: options.optimizer,
      lr: options.lr,
      weightDecay: options.weightDecay,
      batchSize: options.batchSize,
      epochs: options.epochs,
      steps: options.steps,
      maxTime: options.maxTime,
      patience: options.patience,
      minDelta: options.minDelta,
      clipNorm: options.clipNorm,
      clipValue: options.clipValue,
      valSize: options.valSize,
      scale: options.scale,
      ensemble: networks.length,
      fallback: options.fallback,
      forking: options.forking,
      calendar: options.calendar,
    },
    data: {
      timeColumn: dataset.timeColumn,
      target: dataset.target,
      ...(dataset.wide ? { wide: true } : {}),
      features: dataset.features,
      futureFeatures: spec.futureFeatures,
      idColumn: dataset.idColumn,
      freq: dataset.freq.code,
      season: settings.season,
      transform: options.transform,
      baseline: spec.baseline.kind,
      baseSeason: spec.baseline.season,
      ...(spec.memberBaselines === undefined ? {} : { memberBaselines: spec.memberBaselines.map((one) => ({ kind: one.kind, season: one.season })) }),
      calendar: spec.calendar,
      headCalendar: spec.headCalendar,
      ...(spec.windowScale ? { windowScale: true as const } : {}),
      correctionWeight: Number(weight.toPrecision(6)),
      why: settings.why,
      timeStyle: dataset.timeStyle,
      series,
      fingerprint: { sha256: dataset.sha256, rows: dataset.rowCount },
    },
    weights: exportWeights(networks[0]!),
    ensembleWeights: networks.slice(1).map((network) => exportWeights(network)),
    training: {
      epochs: first.history.length,
      bestEpoch: first.bestRound,
      steps: first.steps,
      stoppedBy: interrupted ? 'interrupted' : first.stoppedBy,
      history: first.history,
      seed: options.seed,
      seconds: Number(((performance.now() - started) / 1000).toFixed(3)),
      members: results.map((result, member) => memberRecord(result, memberSeed(options.seed, member))),
    },
    calibration: selection === null ? null : calibrationFrom(selection),
  };
  const skipped = dataset.series.filter((_, index) => !settings.trainable[index]).map((one) => one.id);
  return { model, networks, result: first, settings, skipped };
}
