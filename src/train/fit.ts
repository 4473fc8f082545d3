// From a cleaned dataset to a complete model file: defaults from the data, windows, training,
// and the split-conformal calibration behind the prediction intervals.
import { DataError, UsageError, where } from '../errors.js';
import { checkSeriesLength, chooseLookback } from '../data/defaults.js';
import { prepareTraining } from '../data/prepare.js';
import type { Prepared, WindowSet } from '../data/prepare.js';
import { defaultHorizon, formatTime, seasonLength } from '../data/time.js';
import type { Dataset } from '../data/types.js';
import { MODEL_FORMAT, MODEL_VERSION } from '../io/model-file.js';
import type { ModelCalibration, ModelFile } from '../io/model-file.js';
import { configProblem, createWorkspace, networkForward } from '../nn/network.js';
import type { Network, NetworkConfig } from '../nn/network.js';
import { exportWeights } from '../nn/serialize.js';
import { trainNetwork } from './loop.js';
import type { TrainHooks, TrainResult } from './loop.js';
import type { TrainingOptions } from './options.js';

export interface FitSettings {
  lookback: number;
  horizon: number;
  season: number;
}

/** Horizon by frequency, lookback from season and horizon, both checked against the data. */
export function resolveSettings(dataset: Dataset, options: TrainingOptions, seasonOverride?: number): FitSettings {
  const season = seasonOverride ?? seasonLength(dataset.freq);
  const horizon = options.horizon ?? defaultHorizon(dataset.freq);
  const shortestSeries = Math.min(...dataset.series.map((series) => series.values.length));
  const lookback =
    options.lookback ?? chooseLookback({ season, horizon, shortestSeries, valSize: options.valSize, transform: options.transform });
  if (lookback < 1) {
    throw new UsageError(`--horizon ${horizon} leaves no room for a lookback window in a series of ${shortestSeries} points; use a smaller --horizon`);
  }
  checkSeriesLength(dataset, lookback, horizon, options.valSize, dataset.source, options.transform);
  return { lookback, horizon, season };
}

export function networkConfigFor(options: TrainingOptions, inputSize: number, horizon: number): NetworkConfig {
  return {
    cell: options.cell,
    inputSize,
    hiddenSize: options.hiddenSize,
    numLayers: options.numLayers,
    bidirectional: options.bidirectional,
    dropout: options.dropout,
    horizon,
  };
}

// Enough points per step to read any interval level to about half a percent.
const CALIBRATION_SKETCH = 401;

/**
 * Absolute validation residuals per step ahead, in the scaled, transformed space. For diff the
 * steps are cumulated first, so a residual is the error of the level, not of one difference.
 */
export function validationResiduals(network: Network, windows: WindowSet, lookback: number, cumulate: boolean): ModelCalibration {
  const { horizon } = network.config;
  const perStep: number[][] = Array.from({ length: horizon }, () => []);
  if (windows.count > 0) {
    const batchSize = Math.min(256, windows.count);
    const workspace = createWorkspace(network, batchSize, lookback);
    const inputStride = lookback * windows.inputSize;
    for (let start = 0; start < windows.count; start += batchSize) {
      const count = Math.min(batchSize, windows.count - start);
      const inputs = windows.inputs.subarray(start * inputStride, (start + count) * inputStride);
      const prediction = networkForward(network, workspace, inputs, count, { training: false });
      for (let row = 0; row < count; row++) {
        const window = start + row;
        let predicted = 0;
        let actual = 0;
        for (let step = 0; step < horizon; step++) {
          const p = prediction[row * horizon + step]!;
          const y = windows.targets[window * horizon + step]!;
          predicted = cumulate ? predicted + p : p;
          actual = cumulate ? actual + y : y;
          if (windows.mask[window * horizon + step]) perStep[step]!.push(Math.abs(predicted - actual));
        }
      }
    }
  }
  const residuals = perStep.map((values) => sketch(values.sort((a, b) => a - b), CALIBRATION_SKETCH));
  return { method: 'split-conformal', space: 'scaled', windows: windows.count, residuals };
}

/** Evenly spaced order statistics of a sorted list, so big validation sets stay small on disk. */
function sketch(sorted: number[], points: number): number[] {
  if (sorted.length <= points) return sorted.map(roundResidual);
  const kept: number[] = [];
  for (let index = 0; index < points; index++) kept.push(roundResidual(sorted[Math.round((index * (sorted.length - 1)) / (points - 1))]!));
  return kept;
}

const roundResidual = (value: number): number => Number(value.toPrecision(7));

/**
 * Values beyond about 1e154 overflow the scaler's sum of squares (or max - min): the network would
 * see zeros and the forecast would be empty cells with exit 0. Refuse with the column instead.
 */
function checkScalers(prepared: Prepared, inputs: string[], source: string, scale: TrainingOptions['scale']): void {
  for (const series of prepared.series) {
    series.scalers.forEach((scaler, index) => {
      if (Number.isFinite(scaler.center) && Number.isFinite(scaler.scale)) return;
      const which = series.id === '' ? '' : ` of series '${series.id}'`;
      throw new DataError(`${where(source)}: column '${inputs[index]}'${which} holds values too large to scale (--scale ${scale}); rescale the column (e.g. to thousands)`);
    });
  }
}

export interface FitResult {
  model: ModelFile;
  prepared: Prepared;
  result: TrainResult;
  settings: FitSettings;
}

export async function fitModel(dataset: Dataset, options: TrainingOptions, hooks: TrainHooks & { toolVersion: string; seasonOverride?: number }): Promise<FitResult> {
  const settings = resolveSettings(dataset, options, hooks.seasonOverride);
  const prepared = prepareTraining(dataset, {
    lookback: settings.lookback,
    horizon: settings.horizon,
    valSize: options.valSize,
    scale: options.scale,
    transform: options.transform,
  });
  const inputs = [dataset.target, ...dataset.features];
  checkScalers(prepared, inputs, dataset.source, options.scale);
  const config = networkConfigFor(options, inputs.length, settings.horizon);
  const problem = configProblem(config);
  if (problem !== null) {
    throw new UsageError(`--hidden ${options.hiddenSize} --layers ${options.numLayers}${options.bidirectional ? ' --bidirectional' : ''} with ${inputs.length} input${inputs.length === 1 ? '' : 's'} and horizon ${settings.horizon}: ${problem}`);
  }
  const result = await trainNetwork(prepared.train, prepared.val, config, settings.lookback, options, hooks);
  const calibration = validationResiduals(result.network, prepared.val, settings.lookback, options.transform === 'diff');
  const model: ModelFile = {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    created: new Date().toISOString(),
    rnncast: hooks.toolVersion,
    config: {
      cell: options.cell,
      hiddenSize: options.hiddenSize,
      numLayers: options.numLayers,
      bidirectional: options.bidirectional,
      dropout: options.dropout,
      lookback: settings.lookback,
      horizon: settings.horizon,
      inputs,
      loss: options.loss,
      optimizer: options.optimizer,
      lr: options.lr,
      weightDecay: options.weightDecay,
      batchSize: options.batchSize,
      epochs: options.epochs,
      patience: options.patience,
      minDelta: options.minDelta,
      clipNorm: options.clipNorm,
      clipValue: options.clipValue,
      valSize: options.valSize,
      scale: options.scale,
    },
    data: {
      timeColumn: dataset.timeColumn,
      target: dataset.target,
      ...(dataset.wide ? { wide: true } : {}),
      features: dataset.features,
      idColumn: dataset.idColumn,
      freq: dataset.freq.code,
      season: settings.season,
      transform: options.transform,
      timeStyle: dataset.timeStyle,
      series: dataset.series.map((series, index) => {
        const state = prepared.series[index]!;
        const last = series.values.length - 1;
        return {
          id: series.id,
          lastTime: formatTime(series.times[last]!, dataset.timeStyle),
          lastValue: series.values[last]!,
          rows: series.values.length,
          scaler: {
            kind: options.scale,
            inputs: state.scalers.map((scaler, inputIndex) => ({ name: inputs[inputIndex]!, center: scaler.center, scale: scaler.scale })),
          },
        };
      }),
      fingerprint: { sha256: dataset.sha256, rows: dataset.rowCount },
    },
    weights: exportWeights(result.network),
    training: {
      epochs: result.history.length,
      bestEpoch: result.bestEpoch,
      stoppedBy: result.stoppedBy,
      history: result.history,
      seed: options.seed,
      seconds: Number(result.seconds.toFixed(3)),
    },
    calibration,
  };
  return { model, prepared, result, settings };
}
