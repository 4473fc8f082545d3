// The model file (PRODUCT.md, "Model file"): one versioned JSON document, validated on load so a
// bad file is refused with one line naming what is wrong, before anything big is allocated.
import { readFileSync } from 'node:fs';
import { DataError, InputError, where } from '../errors.js';
import type { TimeStyle } from '../data/types.js';
import type { CalendarCycle } from '../data/calendar-inputs.js';
import type { Scaler } from '../data/scale.js';
import { BASELINE_KINDS, type BaselineKind } from '../data/baseline.js';
import { TRANSFORM_KINDS, type TransformKind } from '../data/transform.js';
import { FORECAST_METHODS, type ForecastMethod } from '../forecast/methods.js';
import { CALENDAR_CYCLES } from '../data/calendar-inputs.js';
import { headInputNames } from '../data/prepare.js';
import { paramLayout } from '../nn/layout.js';
import { configProblem, type NetworkConfig } from '../nn/network.js';
import type { WeightsJson } from '../nn/serialize.js';
import { backtestFlags, MAX_FEATURES, trainingFlags } from '../options/flags.js';
import { checkStored, ValueProblem } from '../options/spec.js';
import type { FlagSpec } from '../options/spec.js';
import type { TrainingOptions } from '../train/options.js';

export const MODEL_FORMAT = 'rnncast-model';
/**
 * The newest layout this rnncast reads and writes. Version 3 added data.futureFeatures: the head
 * reads known-future covariates, which an older rnncast would silently leave out. Version 4 added
 * data.memberBaselines: ensemble members correcting different baselines, which an older rnncast
 * would combine wrongly. Version 5 added data.windowScale: windows measured in their own unit,
 * which an older rnncast would read in the series' unit. A model without any of these is written
 * as version 2, the layout older releases read the same way.
 */
export const MODEL_VERSION = 5;
/** The oldest layout whose models forecast as they do now. */
export const OLDEST_MODEL_VERSION = 2;
export type ModelVersion = 2 | 3 | 4 | 5;

/** The lowest version that holds what the model needs. */
export function modelVersionFor(futureFeatures: readonly string[], memberBaselines?: readonly unknown[], windowScale = false): ModelVersion {
  if (windowScale) return 5;
  if (memberBaselines !== undefined) return 4;
  return futureFeatures.length > 0 ? 3 : 2;
}
/** Parameters a model file holds at most, every ensemble member counted: about 12 bytes each as JSON, well below V8's ~512 MB string limit. */
export const MAX_FILE_PARAMS = 25_000_000;

/**
 * The model's config, in the order it is written: the network's inputs and the training options it
 * was trained with, each checked on load with its flag's own limits (what train accepts, a load accepts).
 */
const CONFIG_KEYS = [
  'cell', 'hiddenSize', 'numLayers', 'bidirectional', 'dropout', 'lookback', 'horizon', 'inputs', 'loss', 'optimizer', 'lr',
  'weightDecay', 'batchSize', 'epochs', 'steps', 'maxTime', 'patience', 'minDelta', 'clipNorm', 'clipValue', 'valSize', 'scale',
  'ensemble', 'fallback', 'forking', 'calendar',
] as const satisfies readonly (keyof TrainingOptions | 'inputs')[];

type StoredOption = Exclude<(typeof CONFIG_KEYS)[number], 'inputs'>;

export type ModelConfig = { [K in StoredOption]-?: Exclude<TrainingOptions[K], undefined> } & {
  /** The network's inputs per step, in order: the target's level and changes, features, calendar (PRODUCT.md). */
  inputs: string[];
  /** The head's known-future inputs next to the final hidden state, in order (empty: none). */
  headInputs: string[];
};

/** The network a model's config describes. */
export function networkConfigOf(config: ModelConfig): NetworkConfig {
  return {
    cell: config.cell,
    inputSize: config.inputs.length,
    headInputs: config.headInputs.length,
    hiddenSize: config.hiddenSize,
    numLayers: config.numLayers,
    bidirectional: config.bidirectional,
    dropout: config.dropout,
    horizon: config.horizon,
  };
}

export interface ModelSeries {
  id: string;
  /** Last time seen in training, written in the input's style. */
  lastTime: string;
  /** Last raw target value seen in training. */
  lastValue: number;
  rows: number;
  /** The log applies to this series (auto decides per series). */
  log: boolean;
  /** Target normalization: (g(y) - level) / scale (prepare.ts). */
  center: number;
  scale: number;
  nonNegative: boolean;
  /** What forecasts this series: the network, or a baseline that beat it on validation. */
  method: ForecastMethod;
  /** Validation MAE per method, in data units (null: no validation target; the series was too short to train). */
  validation: Record<ForecastMethod, number> | null;
  /** One scaler per feature. */
  scaler: { kind: Scaler['kind']; inputs: { name: string; center: number; scale: number }[] };
}

export interface ModelData {
  timeColumn: string;
  /** The target column; for a wide file its target columns joined with ','. */
  target: string;
  /** Trained on a wide file (several target columns): forecasts are written wide too. */
  wide?: boolean;
  features: string[];
  /** The known-future covariates (--future-features), a subset of `features`: the head reads them at every horizon step (version 3; absent in version 2: none). */
  futureFeatures: string[];
  idColumn: string | null;
  freq: string;
  /** Season of the metrics and of the seasonal-naive fallback. */
  season: number;
  /** The transform asked for (auto, or one applied to every series). */
  transform: TransformKind;
  /** The baseline the network corrects (data/baseline.ts), and its season (1 for the kinds without one). */
  baseline: BaselineKind;
  baseSeason: number;
  /** Version 4: the baseline each ensemble member corrects (member k: entry k mod n; the first is baseline/baseSeason); absent: all that one. */
  memberBaselines?: { kind: BaselineKind; season: number }[];
  calendar: CalendarCycle[];
  /** The head reads the calendar of every horizon step (config.headInputs of them). */
  headCalendar: boolean;
  /** Version 5: each window is measured in the larger of the series' unit and its own (prepare.ts windowUnit); absent: the series' unit. */
  windowScale?: true;
  /** The share of the network's correction kept (fitted on validation, in [0, 1]): forecast = baseline + weight · output · unit (the window's: prepare.ts windowUnit). */
  correctionWeight: number;
  /** What auto chose and why; null when the transform was given. */
  why: string | null;
  timeStyle: TimeStyle;
  series: ModelSeries[];
  /** What the model saw: sha256 of the training input bytes and its row count. */
  fingerprint: { sha256: string; rows: number };
}

export interface EpochRecord {
  /** The validation round (a pass over the training windows, or ROUND_STEPS steps when that is shorter). */
  epoch: number;
  /** Optimizer steps taken by the end of the round. */
  step?: number;
  trainLoss: number;
  valLoss: number | null;
}

export const STOPPED_BY = ['early-stopping', 'max-epochs', 'time-limit', 'interrupted', 'diverged'] as const;
export type StoppedBy = (typeof STOPPED_BY)[number];

export interface MemberTraining {
  seed: number;
  rounds: number;
  bestEpoch: number;
  steps: number;
  stoppedBy: StoppedBy;
  /** Validation loss of the untrained network (the baseline), and of the kept weights. */
  initialLoss: number | null;
  bestLoss: number | null;
}

export interface ModelTraining {
  /** Rounds of the first member (the history's length). */
  epochs: number;
  bestEpoch: number;
  steps: number;
  stoppedBy: StoppedBy;
  history: EpochRecord[];
  seed: number;
  seconds: number;
  /** One per ensemble member, the first included. */
  members: MemberTraining[];
}

/** Split-conformal calibration: per step ahead, sorted absolute residuals (a quantile sketch). */
export interface ModelCalibration {
  method: 'split-conformal';
  /** Residuals of the ensemble median in the network's normalized space ((g(y) - base) / scale). */
  space: 'normalized';
  windows: number;
  residuals: number[][];
  /** (H) root mean square residual per step, for levels the residuals are too few to read. */
  rms: number[];
  /**
   * The same residuals, each divided by how much its series moved over that window (lookback and
   * horizon: intervals.ts windowSpread, in the same normalized units). At forecast time these
   * scores times the last window's spread are a second half-width, used where it is the wider:
   * a series moving more now than its validation windows did gets wider bands. Absent in files
   * before it (bands as the residuals alone give).
   */
  scaled?: { residuals: number[][]; rms: number[] };
}

/** One `rnncast update`: when, what it saw that was new, and the validation loss on the newest windows before and after. */
export interface ModelUpdate {
  time: string;
  rowsAdded: number;
  /** Series of a panel the model had not seen, admitted by this update. */
  seriesAdded: number;
  /** Optimizer steps of the fine-tune (the first ensemble member's). */
  steps: number;
  /** Mean over the ensemble of the validation loss (scaled, as in training) before and after. */
  valLossBefore: number | null;
  valLossAfter: number | null;
  seconds: number;
}

export interface ModelFile {
  format: typeof MODEL_FORMAT;
  version: ModelVersion;
  created: string;
  rnncast: string;
  config: ModelConfig;
  data: ModelData;
  /** The first ensemble member, in PyTorch's state_dict layout. */
  weights: WeightsJson;
  /** The other members (--ensemble K: K - 1 of them), same layout. */
  ensembleWeights: WeightsJson[];
  training: ModelTraining;
  calibration: ModelCalibration | null;
  /** The lineage: every update since training, oldest first (absent: never updated). */
  updates?: ModelUpdate[];
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
  const network = networkConfigOf(config);
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

function booleanField(object: Json, key: string, path: string, context: string): boolean {
  const value = field(object, key, path, context);
  if (typeof value !== 'boolean') throw new DataError(`${path}: ${context}${key} is ${JSON.stringify(value)}, expected true or false`);
  return value;
}

function nullableNumber(object: Json, key: string, path: string, context: string, min: number, max: number): number | null {
  return object[key] === null || object[key] === undefined ? null : numberField(object, key, path, context, min, max);
}

const FLOAT32_MAX = 3.4028234663852886e38;

function checkedWeights(config: ModelConfig, value: unknown, path: string, context: string): WeightsJson {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new DataError(`${path}: ${context} must be an object`);
  checkWeightsCover(config, value as Json, path);
  return value as WeightsJson;
}

function checkedConfig(config: Json, path: string): ModelConfig {
  const c = 'config.';
  const inputs = stringList(config, 'inputs', path, c);
  if (inputs.length < 1 || inputs.length > MAX_FEATURES + 1 + 16) throw new DataError(`${path}: config.inputs must name 1 to ${MAX_FEATURES + 17} inputs`);
  const checked: Record<string, unknown> = {};
  for (const key of CONFIG_KEYS) checked[key] = key === 'inputs' ? inputs : flagField<unknown>(config, key, path, c, trainingFlags[key]);
  const headInputs = stringList(config, 'headInputs', path, c);
  if (headInputs.length > 100_000) throw new DataError(`${path}: config.headInputs names ${headInputs.length} inputs, more than 100000`);
  return { ...(checked as Omit<ModelConfig, 'headInputs'>), headInputs };
}

function checkedSeries(item: unknown, index: number, features: string[], path: string): ModelSeries {
  const s = `data.series[${index}].`;
  if (item === null || typeof item !== 'object' || Array.isArray(item)) throw new DataError(`${path}: ${s.slice(0, -1)} must be an object`);
  const entry = item as Json;
  const scaler = objectField(entry, 'scaler', path, s);
  const scalerInputs = field(scaler, 'inputs', path, `${s}scaler.`);
  if (!Array.isArray(scalerInputs) || scalerInputs.length !== features.length) {
    throw new DataError(`${path}: ${s}scaler.inputs must have one entry per feature (${features.length})`);
  }
  const validation = entry.validation;
  let scores: Record<ForecastMethod, number> | null = null;
  if (validation !== null && validation !== undefined) {
    const v = objectField(entry, 'validation', path, s);
    scores = Object.fromEntries(FORECAST_METHODS.map((method) => [method, v[method] === null ? Number.NaN : numberField(v, method, path, `${s}validation.`, 0, Number.MAX_VALUE)])) as Record<ForecastMethod, number>;
  }
  const scale = numberField(entry, 'scale', path, s, Number.MIN_VALUE, FLOAT32_MAX);
  return {
    id: stringField(entry, 'id', path, s),
    lastTime: stringField(entry, 'lastTime', path, s),
    lastValue: numberField(entry, 'lastValue', path, s, -Number.MAX_VALUE, Number.MAX_VALUE),
    rows: numberField(entry, 'rows', path, s, 0, 1e12, true),
    log: booleanField(entry, 'log', path, s),
    center: numberField(entry, 'center', path, s, -FLOAT32_MAX, FLOAT32_MAX),
    scale,
    nonNegative: booleanField(entry, 'nonNegative', path, s),
    method: stringField(entry, 'method', path, s, FORECAST_METHODS) as ForecastMethod,
    validation: scores,
    scaler: {
      kind: stringField(scaler, 'kind', path, `${s}scaler.`, ['standard', 'minmax', 'none']) as Scaler['kind'],
      inputs: scalerInputs.map((input: unknown, inputIndex: number) => {
        const p = `${s}scaler.inputs[${inputIndex}].`;
        if (input === null || typeof input !== 'object') throw new DataError(`${path}: ${p.slice(0, -1)} must be an object`);
        const inputJson = input as Json;
        return {
          name: stringField(inputJson, 'name', path, p),
          center: numberField(inputJson, 'center', path, p, -FLOAT32_MAX, FLOAT32_MAX),
          scale: numberField(inputJson, 'scale', path, p, Number.MIN_VALUE, FLOAT32_MAX),
        };
      }),
    },
  };
}

function checkedTraining(training: Json, path: string): ModelTraining {
  const t = 'training.';
  const history = field(training, 'history', path, t);
  if (!Array.isArray(history)) throw new DataError(`${path}: training.history must be a list`);
  const members = field(training, 'members', path, t);
  if (!Array.isArray(members) || members.length === 0) throw new DataError(`${path}: training.members must be a non-empty list`);
  return {
    epochs: numberField(training, 'epochs', path, t, 0, 1e9, true),
    bestEpoch: numberField(training, 'bestEpoch', path, t, 0, 1e9, true),
    steps: numberField(training, 'steps', path, t, 0, 1e12, true),
    stoppedBy: stringField(training, 'stoppedBy', path, t, STOPPED_BY) as StoppedBy,
    history: history as EpochRecord[],
    seed: flagField(training, 'seed', path, t, trainingFlags.seed),
    seconds: numberField(training, 'seconds', path, t, 0, 1e12),
    members: members.map((item: unknown, index: number): MemberTraining => {
      const m = `training.members[${index}].`;
      if (item === null || typeof item !== 'object' || Array.isArray(item)) throw new DataError(`${path}: ${m.slice(0, -1)} must be an object`);
      const member = item as Json;
      return {
        seed: numberField(member, 'seed', path, m, 0, 2 ** 32 - 1, true),
        rounds: numberField(member, 'rounds', path, m, 0, 1e9, true),
        bestEpoch: numberField(member, 'bestEpoch', path, m, 0, 1e9, true),
        steps: numberField(member, 'steps', path, m, 0, 1e12, true),
        stoppedBy: stringField(member, 'stoppedBy', path, m, STOPPED_BY) as StoppedBy,
        initialLoss: nullableNumber(member, 'initialLoss', path, m, 0, Number.MAX_VALUE),
        bestLoss: nullableNumber(member, 'bestLoss', path, m, 0, Number.MAX_VALUE),
      };
    }),
  };
}

/** data.windowScale (version 5): true, false or absent (false). */
function checkedWindowScale(data: Record<string, unknown>, version: unknown, path: string): boolean {
  if (data.windowScale === undefined || data.windowScale === false) return false;
  if (data.windowScale !== true) throw new DataError(`${path}: data.windowScale is ${JSON.stringify(data.windowScale)}, expected true or false`);
  if (typeof version !== 'number' || version < 5) throw new DataError(`${path}: data.windowScale needs model file version 5, the file says ${String(version)}`);
  return true;
}

/** data.memberBaselines (version 4): a list of at least two baselines, the first the model's own. */
function checkedMemberBaselines(data: Record<string, unknown>, version: unknown, path: string): { kind: BaselineKind; season: number }[] {
  if (typeof version !== 'number' || version < 4) throw new DataError(`${path}: data.memberBaselines needs model file version 4, the file says ${String(version)}`);
  const list = data.memberBaselines;
  if (!Array.isArray(list) || list.length < 2) throw new DataError(`${path}: data.memberBaselines must list two or more baselines`);
  const checked = list.map((item: unknown, index: number) => {
    const entry = item !== null && typeof item === 'object' ? (item as Record<string, unknown>) : {};
    return {
      kind: stringField(entry, 'kind', path, `data.memberBaselines[${index}].`, BASELINE_KINDS) as BaselineKind,
      season: numberField(entry, 'season', path, `data.memberBaselines[${index}].`, 1, 1e6, true),
    };
  });
  if (checked[0]!.kind !== data.baseline || checked[0]!.season !== data.baseSeason) throw new DataError(`${path}: data.memberBaselines[0] must be data.baseline and data.baseSeason`);
  // Members read the same inputs, whose seasonal channel is the model's season.
  if (checked.some((one) => one.season !== data.baseSeason)) throw new DataError(`${path}: data.memberBaselines must all have the season data.baseSeason`);
  return checked;
}

/** Per step an ascending list of residuals and their root mean square, as `context` names them. */
function checkedResiduals(cal: Json, horizon: number, path: string, context: string): { residuals: number[][]; rms: number[] } {
  const residuals = field(cal, 'residuals', path, context);
  const sortedSteps = (value: unknown): value is number[][] =>
    Array.isArray(value) &&
    value.length === horizon &&
    value.every((step) => Array.isArray(step) && step.every((r, i) => typeof r === 'number' && r >= 0 && r <= FLOAT32_MAX && (i === 0 || r >= (step[i - 1] as number))));
  if (!sortedSteps(residuals)) {
    throw new DataError(`${path}: ${context}residuals must hold one ascending list of non-negative numbers per step (${horizon})`);
  }
  const rms = field(cal, 'rms', path, context);
  if (!Array.isArray(rms) || rms.length !== horizon || rms.some((r) => r !== null && (typeof r !== 'number' || !(r >= 0 && r <= FLOAT32_MAX)))) {
    throw new DataError(`${path}: ${context}rms must hold one non-negative number per step (${horizon})`);
  }
  return { residuals, rms: rms.map((r) => (r === null ? Number.NaN : (r as number))) };
}

function checkedCalibration(cal: Json, horizon: number, path: string): ModelCalibration {
  const { residuals, rms } = checkedResiduals(cal, horizon, path, 'calibration.');
  return {
    method: 'split-conformal',
    space: 'normalized',
    windows: numberField(cal, 'windows', path, 'calibration.', 0, 1e12, true),
    residuals,
    rms,
    ...(cal.scaled === undefined ? {} : { scaled: checkedResiduals(objectField(cal, 'scaled', path, 'calibration.'), horizon, path, 'calibration.scaled.') }),
  };
}

/** Checks everything the tool relies on; the weights' shapes are checked by importWeights. */
export function validateModel(value: unknown, path: string): ModelFile {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new DataError(`${path}: not an rnncast model file (expected a JSON object)`);
  const root = value as Json;
  if (root.format !== MODEL_FORMAT) throw new DataError(`${path}: not an rnncast model file (format is ${JSON.stringify(root.format ?? null)}, expected "${MODEL_FORMAT}")`);
  if (typeof root.version !== 'number' || !Number.isInteger(root.version)) throw new DataError(`${path}: model file has no valid version`);
  if (root.version > MODEL_VERSION) throw new DataError(`${path}: model file version ${root.version} is newer than this rnncast reads (${MODEL_VERSION}); upgrade rnncast`);
  if (root.version < OLDEST_MODEL_VERSION) {
    throw new DataError(`${path}: model file version ${root.version} was written by an older rnncast (${typeof root.rnncast === 'string' ? root.rnncast : 'unknown'}) whose models forecast differently; train it again with this version`);
  }

  const config = checkedConfig(objectField(root, 'config', path), path);
  const data = objectField(root, 'data', path);
  const d = 'data.';
  const features = stringList(data, 'features', path, d);
  const target = stringField(data, 'target', path, d);
  if (config.inputs[0] !== `${target}:level` || features.some((name) => !config.inputs.includes(name))) {
    throw new DataError(`${path}: config.inputs ${JSON.stringify(config.inputs)} does not match data.target and data.features`);
  }
  // Version 2 files written before the field existed have none.
  const futureFeatures = root.version < 3 && data.futureFeatures === undefined ? [] : stringList(data, 'futureFeatures', path, d);
  if (root.version < 3 && futureFeatures.length > 0) throw new DataError(`${path}: data.futureFeatures needs model file version 3, the file says ${root.version}`);
  const strayFuture = futureFeatures.find((name, index) => !features.includes(name) || futureFeatures.indexOf(name) !== index);
  if (strayFuture !== undefined) throw new DataError(`${path}: data.futureFeatures ${JSON.stringify(futureFeatures)}: '${strayFuture}' is ${features.includes(strayFuture) ? 'listed twice' : 'not in data.features'}`);
  const idColumn = data.idColumn;
  if (idColumn !== null && typeof idColumn !== 'string') throw new DataError(`${path}: data.idColumn must be a name or null`);
  const seriesValue = field(data, 'series', path, d);
  if (!Array.isArray(seriesValue) || seriesValue.length === 0) throw new DataError(`${path}: data.series must be a non-empty list`);
  const series = seriesValue.map((item: unknown, index: number) => checkedSeries(item, index, features, path));
  const calendar = stringList(data, 'calendar', path, d);
  if (calendar.some((cycle) => !(CALENDAR_CYCLES as readonly string[]).includes(cycle))) {
    throw new DataError(`${path}: data.calendar ${JSON.stringify(calendar)}: expected cycles among ${CALENDAR_CYCLES.join(', ')}`);
  }
  const timeStyle = objectField(data, 'timeStyle', path, d) as unknown as TimeStyle;
  const fingerprint = objectField(data, 'fingerprint', path, d);
  const why = data.why;
  const checkedData: ModelData = {
    timeColumn: stringField(data, 'timeColumn', path, d),
    target,
    ...(data.wide === true ? { wide: true } : {}),
    features,
    futureFeatures,
    idColumn: idColumn as string | null,
    freq: stringField(data, 'freq', path, d),
    season: flagField(data, 'season', path, d, backtestFlags.season),
    transform: stringField(data, 'transform', path, d, TRANSFORM_KINDS) as TransformKind,
    baseline: stringField(data, 'baseline', path, d, BASELINE_KINDS) as BaselineKind,
    baseSeason: numberField(data, 'baseSeason', path, d, 1, 1e6, true),
    ...(data.memberBaselines === undefined ? {} : { memberBaselines: checkedMemberBaselines(data, root.version, path) }),
    calendar: calendar as CalendarCycle[],
    headCalendar: booleanField(data, 'headCalendar', path, d),
    ...(checkedWindowScale(data, root.version, path) ? { windowScale: true as const } : {}),
    correctionWeight: numberField(data, 'correctionWeight', path, d, 0, 1),
    why: typeof why === 'string' ? why : null,
    timeStyle,
    series,
    fingerprint: { sha256: stringField(fingerprint, 'sha256', path, 'data.fingerprint.'), rows: numberField(fingerprint, 'rows', path, 'data.fingerprint.', 0, 1e12, true) },
  };

  // The head's inputs are named by what the data says it reads: a file cannot claim one and hold the other.
  const headNames = headInputNames({ futureFeatures, headCalendar: checkedData.headCalendar, calendar: checkedData.calendar, horizon: config.horizon, baseline: { kind: checkedData.baseline, season: checkedData.baseSeason } });
  if (headNames.length !== config.headInputs.length || headNames.some((name, index) => name !== config.headInputs[index])) {
    throw new DataError(`${path}: config.headInputs lists ${config.headInputs.length} input${config.headInputs.length === 1 ? '' : 's'}, but data.futureFeatures, data.headCalendar and config.horizon give ${headNames.length}${headNames.length > 0 ? ` (${headNames.slice(0, 3).join(', ')}${headNames.length > 3 ? ', ...' : ''})` : ''}`);
  }
  const weights = checkedWeights(config, root.weights, path, 'weights');
  const extra = root.ensembleWeights ?? [];
  if (!Array.isArray(extra) || extra.length !== config.ensemble - 1) {
    throw new DataError(`${path}: ensembleWeights must list ${config.ensemble - 1} more member${config.ensemble === 2 ? '' : 's'} (config.ensemble ${config.ensemble})`);
  }
  const ensembleWeights = extra.map((member: unknown, index: number) => checkedWeights(config, member, path, `ensembleWeights[${index}]`));
  const training = checkedTraining(objectField(root, 'training', path), path);

  let calibration: ModelCalibration | null = null;
  if (root.calibration !== null && root.calibration !== undefined) calibration = checkedCalibration(objectField(root, 'calibration', path), config.horizon, path);

  const updates = root.updates === undefined ? undefined : checkedUpdates(root.updates, path);
  return {
    format: MODEL_FORMAT,
    version: root.version as ModelVersion,
    created: typeof root.created === 'string' ? root.created : '',
    rnncast: typeof root.rnncast === 'string' ? root.rnncast : '',
    config,
    data: checkedData,
    weights,
    ensembleWeights,
    training,
    calibration,
    ...(updates === undefined ? {} : { updates }),
  };
}

function checkedUpdates(value: unknown, path: string): ModelUpdate[] {
  if (!Array.isArray(value)) throw new DataError(`${path}: updates must be a list`);
  return value.map((item: unknown, index: number): ModelUpdate => {
    const u = `updates[${index}].`;
    if (item === null || typeof item !== 'object' || Array.isArray(item)) throw new DataError(`${path}: ${u.slice(0, -1)} must be an object`);
    const entry = item as Json;
    const loss = (key: string): number | null => (entry[key] === null ? null : numberField(entry, key, path, u, 0, Number.MAX_VALUE));
    return {
      time: stringField(entry, 'time', path, u),
      rowsAdded: numberField(entry, 'rowsAdded', path, u, 0, 1e12, true),
      seriesAdded: numberField(entry, 'seriesAdded', path, u, 0, 1e12, true),
      steps: numberField(entry, 'steps', path, u, 0, 1e12, true),
      valLossBefore: loss('valLossBefore'),
      valLossAfter: loss('valLossAfter'),
      seconds: numberField(entry, 'seconds', path, u, 0, 1e12),
    };
  });
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
