// Frames, windows and batches: what the network reads and predicts (src/data/prepare.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  baseValue, createBatch, fitFrame, gatherBatch, headInputSize, inputNames, inputSize, toDataUnits, trainingEnd, windowRefs,
  type SeriesFrame,
} from '../../src/data/prepare.js';
import { fitScaler } from '../../src/data/scale.js';
import { checkTarget } from '../../src/data/transform.js';
import { splitWindows } from '../../src/data/window.js';
import { DataError } from '../../src/errors.js';
import { pipelineSpec } from '../helpers/spec.js';
import { makeDataset, makeSeries } from '../helpers/dataset.js';

const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, t) => from + t);
const close = (actual: number, expected: number, tolerance = 1e-9): void =>
  assert.ok(Math.abs(actual - expected) <= tolerance * (1 + Math.abs(expected)), `${actual} vs ${expected}`);

const spec = pipelineSpec;

test('fitScaler: standard, minmax, none, zero spread, and only [0, end)', () => {
  const values = [2, 4, 4, 4, 5, 5, 7, 9, 1000];
  assert.deepEqual(fitScaler('standard', values, 8), { kind: 'standard', center: 5, scale: 2 });
  assert.deepEqual(fitScaler('minmax', values, 8), { kind: 'minmax', center: 2, scale: 7 });
  assert.deepEqual(fitScaler('none', values, 8), { kind: 'none', center: 0, scale: 1 });
  assert.deepEqual(fitScaler('standard', [3, 3, 3], 3), { kind: 'standard', center: 3, scale: 1 });
});

test('windows: train first, a gap of horizon - 1, then validation, in time order', () => {
  const dataset = makeDataset([{ values: range(0, 20).map((t) => t * t) }]);
  const s = spec();
  const frame = fitFrame(dataset.series[0]!, false, s, dataset, 0.2);
  // Origins 3..18 (the lookback fits, two targets fit): 16 windows; 3 for validation, 1 dropped.
  assert.equal(frame.first, 3);
  assert.deepEqual(frame.split, splitWindows(16, 2, 0.2));
  assert.deepEqual(frame.split, { windows: 16, train: 12, gap: 1, val: 3 });
  const train = windowRefs([frame], 'train', s.horizon);
  const val = windowRefs([frame], 'val', s.horizon);
  assert.deepEqual([...train.origin], range(3, 15));
  assert.deepEqual([...val.origin], [16, 17, 18]);
  // Every training target comes before the first validation target.
  assert.ok(train.origin[train.count - 1]! + s.horizon - 1 < val.origin[0]!);
  assert.equal(trainingEnd(frame, s.horizon), 16);
});

test('the target scale is fitted on the training part only: later values change nothing', () => {
  const values = range(0, 30).map((t) => 10 + Math.sin(t) * 3 + t);
  const s = spec({ lookback: 4, horizon: 3 });
  const dataset = makeDataset([{ values }]);
  const frame = fitFrame(dataset.series[0]!, false, s, dataset, 0.2);
  const end = trainingEnd(frame, s.horizon);
  const changed = [...values.slice(0, end), ...values.slice(end).map((v) => v * 100)];
  const other = makeDataset([{ values: changed }]);
  assert.deepEqual(fitFrame(other.series[0]!, false, s, other, 0.2).state, frame.state);
  // The naive baseline's unit: the mean absolute one-step change of the training part.
  let sum = 0;
  for (let t = 1; t < end; t++) sum += Math.abs(values[t]! - values[t - 1]!);
  close(frame.state.scale, sum / (end - 1));
});

test('a batch by hand: causal inputs (level from the window start, change, seasonal change) and corrections to the baseline', () => {
  const values = [5, 7, 6, 9, 12, 10, 14, 13, 17, 20, 18, 22];
  const dataset = makeDataset([{ values }]);
  const s = spec({ lookback: 3, horizon: 2, baseline: { kind: 'seasonal', season: 2 } });
  assert.deepEqual(inputNames(s, 'y'), ['y:level', 'y:change', 'y:seasonal-change']);
  const frame = fitFrame(dataset.series[0]!, false, s, dataset, 0);
  const scale = frame.state.scale;
  const refs = { count: 1, series: Uint32Array.of(0), origin: Uint32Array.of(6) };
  const batch = createBatch(1, s);
  assert.equal(gatherBatch([frame], s, refs, null, 0, 1, batch), 2);
  // Window [3, 6): values 9, 12, 10; level is the window's first point.
  const expected = [0, (9 - 6) / scale, (9 - 7) / scale, (12 - 9) / scale, (12 - 9) / scale, (12 - 6) / scale, (10 - 9) / scale, (10 - 12) / scale, (10 - 9) / scale];
  [...batch.inputs].forEach((value, k) => close(value, expected[k]!, 1e-6));
  // Seasonal naive from origin 6 with season 2: v[4], v[5].
  assert.deepEqual([...batch.base], [12, 10]);
  close(batch.targets[0]!, (14 - 12) / scale, 1e-6);
  close(batch.targets[1]!, (13 - 10) / scale, 1e-6);
});

test('every-step batches: step t of a window has the targets of a forecast from just after t', () => {
  const values = range(0, 16).map((t) => t * 1.5 + (t % 3));
  const dataset = makeDataset([{ values }]);
  const s = spec({ lookback: 4, horizon: 3 });
  const frame = fitFrame(dataset.series[0]!, false, s, dataset, 0);
  const refs = { count: 1, series: Uint32Array.of(0), origin: Uint32Array.of(8) };
  const every = createBatch(1, s, true);
  const last = createBatch(1, s);
  gatherBatch([frame], s, refs, null, 0, 1, every);
  gatherBatch([frame], s, refs, null, 0, 1, last);
  assert.deepEqual(every.inputs, last.inputs, 'the inputs do not depend on where the head reads');
  for (let t = 0; t < s.lookback; t++) {
    const origin = 8 - s.lookback + t + 1;
    for (let h = 0; h < s.horizon; h++) {
      close(every.targets[t * s.horizon + h]!, (values[origin + h]! - values[origin - 1]!) / frame.state.scale, 1e-6);
    }
  }
  assert.deepEqual(every.targets.subarray((s.lookback - 1) * s.horizon), last.targets);
  assert.deepEqual(every.base, last.base);
});

test('invented targets are masked out, and windows whose targets are all invented are dropped', () => {
  const dataset = makeDataset([{ values: range(0, 14), imputed: [6, 9, 10] }]);
  const s = spec({ lookback: 2, horizon: 2 });
  const frame = fitFrame(dataset.series[0]!, false, s, dataset, 0);
  const refs = windowRefs([frame], 'train', s.horizon);
  assert.ok(![...refs.origin].includes(9), 'origin 9 has targets 9 and 10, both invented');
  const batch = createBatch(refs.count, s);
  const counted = gatherBatch([frame], s, refs, null, 0, refs.count, batch);
  const at = [...refs.origin].indexOf(5); // targets 5 (real) and 6 (invented)
  assert.deepEqual([...batch.mask.subarray(at * 2, at * 2 + 2)], [1, 0]);
  assert.equal(counted, [...batch.mask].filter((m) => m === 1).length);
});

test('panels: windows of every series in Dataset order, each with its own scale', () => {
  const dataset = makeDataset([{ id: 'A', values: range(0, 12) }, { id: 'B', values: range(0, 12).map((t) => 100 * t) }]);
  const s = spec();
  const frames = dataset.series.map((series) => fitFrame(series, false, s, dataset, 0.2));
  close(frames[1]!.state.scale / frames[0]!.state.scale, 100);
  const refs = windowRefs(frames, 'train', s.horizon);
  const bySeries = [...refs.series];
  assert.deepEqual(bySeries, [...bySeries].sort((a, b) => a - b));
  assert.ok(bySeries.includes(0) && bySeries.includes(1));
  // The same shape, scaled per series: the batches of the two series are equal.
  const batch = createBatch(refs.count, s);
  gatherBatch(frames, s, refs, null, 0, refs.count, batch);
  const perSeries = refs.count / 2;
  const width = s.lookback * inputSize(s);
  for (let k = 0; k < perSeries * width; k++) close(batch.inputs[k]!, batch.inputs[perSeries * width + k]!, 1e-6);
});

test('a correction of 0 is the baseline, and the target maps back to the actual value exactly', () => {
  const values = [3, 4, 6, 5, 7, 9, 8, 10, 12, 11, 13, 15];
  const dataset = makeDataset([{ values }]);
  for (const baseline of [{ kind: 'none', season: 1 }, { kind: 'naive', season: 1 }, { kind: 'drift', season: 1 }, { kind: 'seasonal', season: 3 }, { kind: 'two-season', season: 3 }] as const) {
    for (const log of [false, true]) {
      const s = spec({ baseline, lookback: 3, horizon: 3 });
      const frame: SeriesFrame = fitFrame(dataset.series[0]!, log, s, dataset, 0);
      const refs = { count: 1, series: Uint32Array.of(0), origin: Uint32Array.of(8) };
      const batch = createBatch(1, s);
      gatherBatch([frame], s, refs, null, 0, 1, batch);
      for (let h = 0; h < 3; h++) {
        const base = baseValue(frame, s, 8, h);
        close(toDataUnits(0, base, frame.state), log ? Math.exp(base) : base);
        close(toDataUnits(batch.targets[h]!, base, frame.state), values[8 + h]!, 1e-6);
      }
    }
  }
});

test('non-negative series: forecasts below zero are kept at zero', () => {
  const dataset = makeDataset([{ values: [0, 1, 0, 2, 0, 1, 3, 0, 1, 0] }]);
  const frame = fitFrame(dataset.series[0]!, false, spec(), dataset, 0);
  assert.equal(frame.state.nonNegative, true);
  assert.equal(toDataUnits(-50, 1, frame.state), 0);
});

test('head inputs: the calendar of every horizon step', () => {
  const dataset = makeDataset([{ values: range(0, 30) }]);
  const s = spec({ calendar: ['week'], headCalendar: true, horizon: 2 });
  assert.equal(headInputSize(s), 4);
  const frame = fitFrame(dataset.series[0]!, false, s, dataset, 0);
  const batch = createBatch(1, s);
  gatherBatch([frame], s, { count: 1, series: Uint32Array.of(0), origin: Uint32Array.of(10) }, null, 0, 1, batch);
  // The head reads the calendar rows of the targets 10 and 11, the same numbers the RNN reads at those steps.
  assert.deepEqual([...batch.headInput], [...frame.calendar.subarray(20, 24)]);
});

test('a log of a value <= 0 names the file and line', () => {
  const series = makeSeries({ values: [1, 2, -3, 4] });
  assert.throws(() => checkTarget(series, true, 'sales.csv'), (error: unknown) => {
    assert.ok(error instanceof DataError);
    assert.match(error.message, /^sales\.csv:4: value -3 cannot be log-transformed/);
    return true;
  });
});
