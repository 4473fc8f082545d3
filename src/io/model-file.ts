// The model file (PRODUCT.md, "Model file"): one versioned JSON document, validated on load so a
// bad file is refused with one line naming what is wrong, before anything big is allocated.
import { readFileSync } from 'node:fs';
import { DataError, InputError, where } from '../errors.js';
import type { TimeStyle } from '../data/types.js';
import type { Scaler } from '../data/scale.js';
import type { TransformKind } from '../data/transform.js';
import { paramLayout } from '../nn/layout.js';
import { configProblem } from '../nn/network.js';
import type { WeightsJson } from '../nn/serialize.js';
import { SCALES, TRANSFORMS } from '../options/choices.js';
import { backtestFlags, MAX_FEATURES, trainingFlags } from '../options/flags.js';
import { checkStored, ValueProblem } from '../options/spec.js';
import type { FlagSpec } from '../options/spec.js';
import type { TrainingOptions } from '../train/options.js';

export const MODEL_FORMAT = 'rnncast-model';
export const MODEL_VERSION = 1;

/**
 * The model's config, in the order it is written: the network's inputs and the training options it
 * was trained with, each checked on load with its flag's own limits (what train accepts, a load accepts).
 */
const CONFIG_KEYS = [
  'cell', 'hiddenSize', 'numLayers', 'bidirectional', 'dropout', 'lookback', 'horizon', 'inputs', 'loss', 'optimizer', 'lr',
  'weightDecay', 'batchSize', 'epochs', 'patience', 'minDelta', 'clipNorm', 'clipValue', 'valSize', 'scale',
] as const satisfies readonly (keyof TrainingOptions | 'inputs')[];

type StoredOption = Exclude<(typeof CONFIG_KEYS)[number], 'inputs'>;

export type ModelConfig = { [K in StoredOption]-?: Exclude<TrainingOptions[K], undefined> } & {
  /** [target, ...features]: the network's input order. */
  inputs: string[];
};

export interface ModelSeries {
  id: string;
  /** Last time seen in training, written in the input's style. */
  lastTime: string;
  /** Last raw target value seen in training. */
  lastValue: number;
  rows: number;
  scaler: { kind: Scaler['kind']; inputs: { name: string; center: number; scale: number }[] };
}

export interface ModelData {
  timeColumn: string;
  /** The target column; for a wide file its target columns joined with ','. */
  target: string;
  /** Trained on a wide file (several target columns): forecasts are written wide too. */
  wide?: boolean;
  features: string[];
  idColumn: string | null;
  freq: string;
  season: number;
  transform: TransformKind;
  timeStyle: TimeStyle;
  series: ModelSeries[];
  /** What the model saw: sha256 of the training input bytes and its row count. */
  fingerprint: { sha256: string; rows: number };
}

export interface EpochRecord {
  epoch: number;
  trainLoss: number;
  valLoss: number | null;
}

export type StoppedBy = 'early-stopping' | 'max-epochs' | 'interrupted' | 'diverged';

export interface ModelTraining {
  epochs: number;
  bestEpoch: number;
  stoppedBy: StoppedBy;
  history: EpochRecord[];
  seed: number;
  seconds: number;
}

/** Split-conformal calibration: per step ahead, sorted absolute residuals (a quantile sketch). */
export interface ModelCalibration {
  method: 'split-conformal';
  /** Residuals are measured in the scaled, transformed space; for diff, on the cumulated steps. */
  space: 'scaled';
  windows: number;
  residuals: number[][];
}

export interface ModelFile {
  format: typeof MODEL_FORMAT;
  version: typeof MODEL_VERSION;
  created: string;
  rnncast: string;
  config: ModelConfig;
  data: ModelData;
  weights: WeightsJson;
  training: ModelTraining;
  calibration: ModelCalibration | null;
}

/** JSON without NaN: non-finite numbers become null (history may hold a diverged loss). */
export function serializeModel(model: ModelFile): string {
  return `${JSON.stringify(model, (_key, value: unknown) => (typeof value === 'number' && !Number.isFinite(value) ? null : value))}\n`;
}

const forbiddenKeys = new Set(['__proto__', 'constructor', 'prototype']);

function parseJson(text: string, path: string): unknown {
  try {
    return JSON.parse(text, (key, value: unknown) => {
      if (forbiddenKeys.has(key)) throw new DataError(`${path}: model file has a forbidden key '${key}'`);
      return value;
    });
  } catch (error: unknown) {
    if (error instanceof DataError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    const position = Number(/position (\d+)/.exec(message)?.[1] ?? NaN);
    const truncated = /Unexpected end of JSON input/.test(message) || position >= text.trimEnd().length - 1;
    let place = path;
    if (Number.isFinite(position)) {
      const before = text.slice(0, position).split('\n');
      place = where(path, before.length, before[before.length - 1]!.length + 1);
    }
    // V8 quotes the start of the text, newlines and all: the message must stay one line.
    const why = message.replace(/ in JSON at position \d+.*/s, '').replace(/\s*\n\s*/g, ' ');
    throw new DataError(`${place}: not a valid model file (${truncated ? 'the JSON is truncated' : why})`);
  }
}

type Json = Record<string, unknown>;

function field(object: Json, key: string, path: string, context: string): unknown {
  if (!Object.prototype.hasOwnProperty.call(object, key)) throw new DataError(`${path}: model file has no ${context}${key}`);
  return object[key];
}

function objectField(object: Json, key: string, path: string, context = ''): Json {
  const value = field(object, key, path, context);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new DataError(`${path}: ${context}${key} must be an object`);
  return value as Json;
}

function numberField(object: Json, key: string, path: string, context: string, min: number, max: number, integer = false): number {
  const value = field(object, key, path, context);
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
    throw new DataError(`${path}: ${context}${key} is ${JSON.stringify(value)}, expected ${integer ? 'an integer' : 'a number'} in [${min}, ${max}]`);
  }
  return value;
}

function stringField(object: Json, key: string, path: string, context: string, choices?: readonly string[]): string {
  const value = field(object, key, path, context);
  if (typeof value !== 'string' || (choices && !choices.includes(value))) {
    throw new DataError(`${path}: ${context}${key} is ${JSON.stringify(value)}, expected ${choices ? choices.join(' or ') : 'a string'}`);
  }
  return value;
}

/** A value that came from a flag, checked with the flag's limits: the file cannot hold what train refuses. */
function flagField<T>(object: Json, key: string, path: string, context: string, spec: FlagSpec<T>): T {
  const value = field(object, key, path, context);
  try {
    return checkStored(spec, value) as T;
  } catch (error: unknown) {
    if (error instanceof ValueProblem) throw new DataError(`${path}: ${context}${key} is ${JSON.stringify(value)}, ${error.message}`);
    throw error;
  }
}

function stringList(object: Json, key: string, path: string, context: string): string[] {
  const value = field(object, key, path, context);
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) throw new DataError(`${path}: ${context}${key} must be a list of names`);
  return value as string[];
}

/**
 * A small file must not make us allocate a big network: before importWeights allocates what the
 * config declares, the file has to hold at least that many numbers. Names the first short tensor.
 */
function checkWeightsCover(config: ModelConfig, weights: Json, path: string): void {
  const network = { ...config, inputSize: config.inputs.length };
  const problem = configProblem(network);
  if (problem !== null) throw new DataError(`${path}: model config: ${problem}`);
  const layout = paramLayout(network);
  const countOf = (entry: unknown): number => {
    const values = entry !== null && typeof entry === 'object' ? (entry as Json).values : undefined;
    return Array.isArray(values) ? values.length : 0;
  };
  let present = 0;
  for (const entry of Object.values(weights)) present += countOf(entry);
  if (present >= layout.total) return;
  for (const tensor of layout.tensors) {
    const shape = `[${tensor.shape.join(', ')}]`;
    if (!Object.prototype.hasOwnProperty.call(weights, tensor.name)) throw new DataError(`${path}: weights: tensor '${tensor.name}' is missing (expected shape ${shape})`);
    const count = countOf(weights[tensor.name]);
    if (count < tensor.size) throw new DataError(`${path}: weights: tensor '${tensor.name}' has ${count} values, expected ${tensor.size} for shape ${shape}`);
  }
}

/** Checks everything the tool relies on; the weights' shapes are checked by importWeights. */
export function validateModel(value: unknown, path: string): ModelFile {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new DataError(`${path}: not an rnncast model file (expected a JSON object)`);
  const root = value as Json;
  if (root.format !== MODEL_FORMAT) throw new DataError(`${path}: not an rnncast model file (format is ${JSON.stringify(root.format ?? null)}, expected "${MODEL_FORMAT}")`);
  if (typeof root.version !== 'number' || !Number.isInteger(root.version)) throw new DataError(`${path}: model file has no valid version`);
  if (root.version > MODEL_VERSION) throw new DataError(`${path}: model file version ${root.version} is newer than this rnncast reads (${MODEL_VERSION}); upgrade rnncast`);
  if (root.version < 1) throw new DataError(`${path}: model file version ${root.version} is not supported`);

  const config = objectField(root, 'config', path);
  const c = 'config.';
  const inputs = stringList(config, 'inputs', path, c);
  if (inputs.length < 1 || inputs.length > MAX_FEATURES + 1) throw new DataError(`${path}: config.inputs must name 1 to ${MAX_FEATURES + 1} columns`);
  const checked: Record<string, unknown> = {};
  for (const key of CONFIG_KEYS) checked[key] = key === 'inputs' ? inputs : flagField<unknown>(config, key, path, c, trainingFlags[key]);
  const checkedConfig = checked as ModelConfig;

  const data = objectField(root, 'data', path);
  const d = 'data.';
  const features = stringList(data, 'features', path, d);
  const target = stringField(data, 'target', path, d);
  if (inputs[0] !== target || inputs.length !== features.length + 1 || features.some((name, index) => inputs[index + 1] !== name)) {
    throw new DataError(`${path}: config.inputs ${JSON.stringify(inputs)} does not match data.target and data.features`);
  }
  const idColumn = data.idColumn;
  if (idColumn !== null && typeof idColumn !== 'string') throw new DataError(`${path}: data.idColumn must be a name or null`);
  const seriesValue = field(data, 'series', path, d);
  if (!Array.isArray(seriesValue) || seriesValue.length === 0) throw new DataError(`${path}: data.series must be a non-empty list`);
  const series = seriesValue.map((item: unknown, index: number): ModelSeries => {
    const s = `data.series[${index}].`;
    if (item === null || typeof item !== 'object') throw new DataError(`${path}: ${s.slice(0, -1)} must be an object`);
    const entry = item as Json;
    const scaler = objectField(entry, 'scaler', path, s);
    const scalerInputs = field(scaler, 'inputs', path, `${s}scaler.`);
    if (!Array.isArray(scalerInputs) || scalerInputs.length !== inputs.length) {
      throw new DataError(`${path}: ${s}scaler.inputs must have one entry per input (${inputs.length})`);
    }
    return {
      id: stringField(entry, 'id', path, s),
      lastTime: stringField(entry, 'lastTime', path, s),
      lastValue: numberField(entry, 'lastValue', path, s, -Number.MAX_VALUE, Number.MAX_VALUE),
      rows: numberField(entry, 'rows', path, s, 0, 1e12, true),
      scaler: {
        kind: stringField(scaler, 'kind', path, `${s}scaler.`, SCALES) as Scaler['kind'],
        inputs: scalerInputs.map((input: unknown, inputIndex: number) => {
          const p = `${s}scaler.inputs[${inputIndex}].`;
          if (input === null || typeof input !== 'object') throw new DataError(`${path}: ${p.slice(0, -1)} must be an object`);
          const inputJson = input as Json;
          const scale = numberField(inputJson, 'scale', path, p, -Number.MAX_VALUE, Number.MAX_VALUE);
          if (scale === 0) throw new DataError(`${path}: ${p}scale is 0`);
          return { name: stringField(inputJson, 'name', path, p), center: numberField(inputJson, 'center', path, p, -Number.MAX_VALUE, Number.MAX_VALUE), scale };
        }),
      },
    };
  });
  const timeStyle = objectField(data, 'timeStyle', path, d) as unknown as TimeStyle;
  const fingerprint = objectField(data, 'fingerprint', path, d);
  const checkedData: ModelData = {
    timeColumn: stringField(data, 'timeColumn', path, d),
    target,
    ...(data.wide === true ? { wide: true } : {}),
    features,
    idColumn: idColumn as string | null,
    freq: stringField(data, 'freq', path, d),
    season: flagField(data, 'season', path, d, backtestFlags.season),
    transform: stringField(data, 'transform', path, d, TRANSFORMS) as TransformKind,
    timeStyle,
    series,
    fingerprint: { sha256: stringField(fingerprint, 'sha256', path, 'data.fingerprint.'), rows: numberField(fingerprint, 'rows', path, 'data.fingerprint.', 0, 1e12, true) },
  };

  const weights = objectField(root, 'weights', path);
  checkWeightsCover(checkedConfig, weights, path);
  const training = objectField(root, 'training', path);
  const t = 'training.';
  const history = field(training, 'history', path, t);
  if (!Array.isArray(history)) throw new DataError(`${path}: training.history must be a list`);
  const checkedTraining: ModelTraining = {
    epochs: numberField(training, 'epochs', path, t, 0, 1e9, true),
    bestEpoch: numberField(training, 'bestEpoch', path, t, 0, 1e9, true),
    stoppedBy: stringField(training, 'stoppedBy', path, t, ['early-stopping', 'max-epochs', 'interrupted', 'diverged']) as StoppedBy,
    history: history as EpochRecord[],
    seed: flagField(training, 'seed', path, t, trainingFlags.seed),
    seconds: numberField(training, 'seconds', path, t, 0, 1e12),
  };

  let calibration: ModelCalibration | null = null;
  if (root.calibration !== null && root.calibration !== undefined) {
    const cal = objectField(root, 'calibration', path);
    const residuals = field(cal, 'residuals', path, 'calibration.');
    if (
      !Array.isArray(residuals) ||
      residuals.length !== checkedConfig.horizon ||
      residuals.some((step) => !Array.isArray(step) || step.some((r) => typeof r !== 'number' || !(r >= 0)))
    ) {
      throw new DataError(`${path}: calibration.residuals must hold one list of non-negative numbers per step (${checkedConfig.horizon})`);
    }
    calibration = { method: 'split-conformal', space: 'scaled', windows: numberField(cal, 'windows', path, 'calibration.', 0, 1e12, true), residuals: residuals as number[][] };
  }

  return {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    created: typeof root.created === 'string' ? root.created : '',
    rnncast: typeof root.rnncast === 'string' ? root.rnncast : '',
    config: checkedConfig,
    data: checkedData,
    weights: weights as WeightsJson,
    training: checkedTraining,
    calibration,
  };
}

/** Reads and validates a model file: missing → 66, anything malformed → 65. */
export function readModelFile(path: string): ModelFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error: unknown) {
    const code = error && typeof error === 'object' && 'code' in error ? String((error as { code: unknown }).code) : '';
    throw new InputError(`${path}: cannot read the model file (${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code || 'unreadable'})`);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // saved by a Windows editor: still JSON
  if (text.trim() === '') throw new DataError(`${path}: the model file is empty`);
  return validateModel(parseJson(text, path), path);
}
