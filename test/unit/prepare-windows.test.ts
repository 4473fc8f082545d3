// Windows, the time-ordered split, scalers fitted on the training part, masks and input order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { prepareTraining, type PrepareOptions, type WindowSet } from '../../src/data/prepare.js';
import { splitWindows, windowCount } from '../../src/data/window.js';
import { DataError, UsageError } from '../../src/errors.js';
import type { Dataset, Series } from '../../src/data/types.js';

const DAY = 86_400_000;

interface SeriesSpec {
  id?: string;
  values: number[];
  features?: number[][];
  imputed?: number[]; // indices invented by --fill
}

function makeDataset(specs: SeriesSpec[], features: string[] = []): Dataset {
  const series: Series[] = specs.map((spec) => {
    const n = spec.values.length;
    const imputed = new Uint8Array(n);
    for (const index of spec.imputed ?? []) imputed[index] = 1;
    return {
      id: spec.id ?? '',
      times: Float64Array.from({ length: n }, (_, t) => t * DAY),
      values: Float64Array.from(spec.values),
      features: (spec.features ?? []).map((column) => Float64Array.from(column)),
      imputed,
      lines: Uint32Array.from({ length: n }, (_, t) => t + 2),
    };
  });
  return {
    source: 'data.csv',
    columns: [],
    rowCount: specs.reduce((sum, spec) => sum + spec.values.length, 0),
    timeColumn: 'date',
    target: 'y',
    features,
    idColumn: specs.length > 1 ? 'id' : null,
    freq: { code: 'D', unit: 'day', step: 1, anchor: null },
    timeStyle: { kind: 'date', offsetMinutes: null, zulu: false, separator: 'T', seconds: false, fractionDigits: 0 },
    series,
    warnings: [],
    filled: { values: 0, timestamps: 0 },
    sha256: '',
  };
}

const range = (from: number, n: number): number[] => Array.from({ length: n }, (_, t) => from + t);
const plain: PrepareOptions = { lookback: 3, horizon: 2, valSize: 0, scale: 'none', transform: 'none' };

function windowInputs(set: WindowSet, n: number, lookback: number): number[] {
  const size = lookback * set.inputSize;
  return Array.from(set.inputs.subarray(n * size, (n + 1) * size));
}
function windowTargets(set: WindowSet, n: number, horizon: number): number[] {
  return Array.from(set.targets.subarray(n * horizon, (n + 1) * horizon));
}
function windowMask(set: WindowSet, n: number, horizon: number): number[] {
  return Array.from(set.mask.subarray(n * horizon, (n + 1) * horizon));
}

test('a tiny series: every stride-1 window by hand', () => {
  // 10 points, lookback 3, horizon 2: W = 10 - 3 - 2 + 1 = 6 windows.
  const prepared = prepareTraining(makeDataset([{ values: range(10, 10) }]), plain);
  const { train, val } = prepared;
  assert.equal(train.count, 6);
  assert.equal(val.count, 0);
  assert.equal(train.inputSize, 1);
  assert.equal(train.inputs.length, 6 * 3);
  assert.equal(train.targets.length, 6 * 2);
  for (let s = 0; s < 6; s++) {
    assert.deepEqual(windowInputs(train, s, 3), [10 + s, 11 + s, 12 + s]);
    assert.deepEqual(windowTargets(train, s, 2), [13 + s, 14 + s]);
    assert.deepEqual(windowMask(train, s, 2), [1, 1]);
    assert.equal(train.targetStart[s], s + 3);
    assert.equal(train.seriesIndex[s], 0);
  }
  assert.deepEqual(prepared.series, [
    { id: '', scalers: [{ kind: 'none', center: 0, scale: 1 }], transform: 'none', lastValue: 19, lastTime: 9 * DAY, length: 10 },
  ]);
});

test('the split by hand: train, a gap of horizon - 1 windows, then validation', () => {
  // W = 6, val = round(0.2 * 6) = 1, gap = horizon - 1 = 1, train = 4.
  assert.deepEqual(splitWindows(6, 2, 0.2), { windows: 6, train: 4, gap: 1, val: 1 });
  const { train, val } = prepareTraining(makeDataset([{ values: range(10, 10) }]), { ...plain, valSize: 0.2 });
  assert.equal(train.count, 4);
  assert.deepEqual(Array.from(train.targetStart), [3, 4, 5, 6]);
  assert.equal(val.count, 1);
  assert.deepEqual(Array.from(val.targetStart), [8]);
  assert.deepEqual(windowInputs(val, 0, 3), [15, 16, 17]);
  assert.deepEqual(windowTargets(val, 0, 2), [18, 19]);
  // The last training window's targets are points 6 and 7; validation starts at 8.
  assert.deepEqual(windowTargets(train, 3, 2), [16, 17]);
});

test('no training window reaches the first validation target, for many shapes', () => {
  for (const length of [12, 20, 37, 64]) {
    for (const lookback of [1, 3, 7]) {
      for (const horizon of [1, 2, 5]) {
        for (const valSize of [0.1, 0.2, 0.5]) {
          const options: PrepareOptions = { lookback, horizon, valSize, scale: 'standard', transform: 'none' };
          const windows = windowCount(length, lookback, horizon);
          const split = splitWindows(windows, horizon, valSize);
          if (split.train < 1) continue;
          const dataset = makeDataset([
            { id: 'A', values: range(0, length).map((t) => Math.sin(t)) },
            { id: 'B', values: range(0, length + 5).map((t) => t * t) },
          ]);
          const { train, val } = prepareTraining(dataset, options);
          assert.ok(val.count > 0, 'validation windows exist');
          for (let series = 0; series < 2; series++) {
            let lastTrainTarget = -1;
            let firstValTarget = Infinity;
            for (let n = 0; n < train.count; n++) {
              if (train.seriesIndex[n] !== series) continue;
              lastTrainTarget = Math.max(lastTrainTarget, train.targetStart[n]! + horizon - 1);
            }
            for (let n = 0; n < val.count; n++) {
              if (val.seriesIndex[n] !== series) continue;
              firstValTarget = Math.min(firstValTarget, val.targetStart[n]!);
            }
            assert.ok(lastTrainTarget >= 0);
            assert.ok(lastTrainTarget < firstValTarget, `L=${length} B=${lookback} H=${horizon} v=${valSize}`);
          }
        }
      }
    }
  }
});

test('scalers are fitted on the points up to the last training target only', () => {
  const values = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3];
  const options: PrepareOptions = { ...plain, valSize: 0.2, scale: 'standard' };
  const base = prepareTraining(makeDataset([{ values }]), options).series[0]!.scalers[0]!;
  // Training targets end at index 7 (see the split test): the fit sees values[0..8).
  const seen = values.slice(0, 8);
  const mean = seen.reduce((a, b) => a + b, 0) / seen.length;
  const std = Math.sqrt(seen.reduce((a, b) => a + (b - mean) ** 2, 0) / seen.length);
  assert.equal(base.kind, 'standard');
  assert.ok(Math.abs(base.center - mean) < 1e-12);
  assert.ok(Math.abs(base.scale - std) < 1e-12);
  // Changing the validation targets (8, 9) leaves the scaler alone...
  const changed = prepareTraining(makeDataset([{ values: [...values.slice(0, 8), 1000, -1000] }]), options);
  assert.deepEqual(changed.series[0]!.scalers[0], base);
  // ...changing a training target does not.
  const trained = prepareTraining(makeDataset([{ values: [...values.slice(0, 7), 1000, 5, 3] }]), options);
  assert.notDeepEqual(trained.series[0]!.scalers[0], base);
  // And the scaled training inputs use it.
  const { train } = prepareTraining(makeDataset([{ values }]), options);
  assert.ok(Math.abs(train.inputs[0]! - (3 - mean) / std) < 1e-6);
});

test('masks: invented targets are masked, all-invented windows dropped, invented inputs kept', () => {
  // Points 5, 7 and 8 invented. Windows s = 0..5 with targets (s+3, s+4).
  const dataset = makeDataset([{ values: range(10, 10), imputed: [5, 7, 8] }]);
  const { train } = prepareTraining(dataset, plain);
  // s = 4 has targets 7 and 8, both invented: dropped.
  assert.deepEqual(Array.from(train.targetStart), [3, 4, 5, 6, 8]);
  assert.deepEqual(Array.from(train.mask), [1, 1, /**/ 1, 0, /**/ 0, 1, /**/ 1, 0, /**/ 0, 1]);
  // s = 3 reads point 5 (invented) as an input: kept.
  assert.deepEqual(windowInputs(train, 3, 3), [13, 14, 15]);
});

test('masks with diff: a difference touching an invented point is invented', () => {
  // Raw point 4 invented: diffs 3 (4 - 3) and 4 (5 - 4) are invented (transformed index k = raw k+1 - raw k).
  const dataset = makeDataset([{ values: range(0, 8).map((t) => t * t), imputed: [4] }]);
  const { train } = prepareTraining(dataset, { lookback: 2, horizon: 1, valSize: 0, scale: 'none', transform: 'diff' });
  // 7 diffs: 1 3 5 7 9 11 13; windows s = 0..4 with target s + 2; targets 3 and 4 invented.
  assert.deepEqual(Array.from(train.targetStart), [2, 5, 6]);
  assert.deepEqual(Array.from(train.targets), [5, 11, 13]);
  assert.deepEqual(windowInputs(train, 1, 2), [7, 9]);
});

test('inputs are [target, ...features] in Dataset.features order, each scaled on its own', () => {
  const dataset = makeDataset(
    [{ values: range(0, 8), features: [range(100, 8), range(0, 8).map((t) => t % 2)] }],
    ['price', 'promo'],
  );
  const { train, series } = prepareTraining(dataset, { ...plain, scale: 'minmax' });
  assert.equal(train.inputSize, 3);
  assert.equal(train.inputs.length, train.count * 3 * 3);
  assert.deepEqual(
    series[0]!.scalers.map((s) => [s.center, s.scale]),
    [
      [0, 7],
      [100, 7],
      [0, 1],
    ],
  );
  // Window 1 reads points 1, 2, 3: target (t/7), price ((100+t-100)/7), promo (t % 2).
  const expected = [1, 2, 3].flatMap((t) => [t / 7, t / 7, t % 2]);
  windowInputs(train, 1, 3).forEach((value, i) => assert.ok(Math.abs(value - expected[i]!) < 1e-6));
  windowTargets(train, 1, 2).forEach((value, i) => assert.ok(Math.abs(value - (4 + i) / 7) < 1e-6));
});

test('long format: windows of every series, in Dataset order, with per-series scalers', () => {
  const dataset = makeDataset([
    { id: 'A', values: range(0, 7) },
    { id: 'B', values: range(100, 9).map((v) => v * 2) },
  ]);
  const { train, series } = prepareTraining(dataset, { ...plain, scale: 'standard' });
  assert.equal(train.count, 3 + 5);
  assert.deepEqual(Array.from(train.seriesIndex), [0, 0, 0, 1, 1, 1, 1, 1]);
  assert.deepEqual(
    series.map((s) => s.id),
    ['A', 'B'],
  );
  assert.equal(series[0]!.scalers[0]!.center, 3);
  assert.equal(series[1]!.scalers[0]!.center, 208);
  assert.equal(series[1]!.lastValue, 216);
});

test('deterministic: the same input gives identical arrays', () => {
  const dataset = makeDataset([{ values: range(0, 50).map((t) => Math.cos(t / 3) * 10 + t) }]);
  const options: PrepareOptions = { lookback: 6, horizon: 4, valSize: 0.25, scale: 'standard', transform: 'diff' };
  const a = prepareTraining(dataset, options);
  const b = prepareTraining(dataset, options);
  assert.deepEqual(a, b);
});

test('bad options are usage errors; all-invented targets a data error', () => {
  const dataset = makeDataset([{ values: range(0, 10) }]);
  assert.throws(() => prepareTraining(dataset, { ...plain, lookback: 0 }), UsageError);
  assert.throws(() => prepareTraining(dataset, { ...plain, horizon: 1.5 }), UsageError);
  assert.throws(() => prepareTraining(dataset, { ...plain, valSize: 1 }), UsageError);
  const invented = makeDataset([{ values: range(0, 6), imputed: [3, 4, 5] }]);
  assert.throws(() => prepareTraining(invented, plain), DataError);
});
