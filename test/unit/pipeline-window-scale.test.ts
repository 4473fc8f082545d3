// Per-window scaling (--window-scale, src/data/prepare.ts windowUnit): a window that moves more
// than its series usually does is measured in its own unit, never in a smaller one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  baseValue, createBatch, fitFrame, gatherBatch, toDataUnits, windowUnit,
  type PipelineSpec,
} from '../../src/data/prepare.js';
import { DataError } from '../../src/errors.js';
import { predictSeries } from '../../src/forecast/predict.js';
import { MODEL_VERSION, serializeModel, validateModel, type ModelFile } from '../../src/io/model-file.js';
import { fitModel } from '../../src/train/fit.js';
import { pipelineSpec } from '../helpers/spec.js';
import { makeDataset } from '../helpers/dataset.js';
import { defaults } from '../helpers/training.js';

const hooks = { toolVersion: 'test' };
const close = (actual: number, expected: number, tolerance = 1e-9): void =>
  assert.ok(Math.abs(actual - expected) <= tolerance * (1 + Math.abs(expected)), `${actual} vs ${expected}`);

function spec(overrides: Partial<PipelineSpec> = {}): PipelineSpec {
  return pipelineSpec({ lookback: 4, windowScale: true, ...overrides });
}

// Calm steps of 1 for 20 points, then a stretch that jumps by 10 each step, then calm again.
const calmThenWild = [
  ...Array.from({ length: 20 }, (_, t) => 100 + (t % 2)),
  110, 100, 110, 100, 110, 100,
  ...Array.from({ length: 14 }, (_, t) => 100 + (t % 2)),
];

test('windowUnit: the series unit for a calm window, the window\'s own mean absolute change for a wild one', () => {
  const dataset = makeDataset([{ values: calmThenWild }]);
  const s = spec();
  // Trained on everything (val-size 0): the series unit is the mean absolute step of the whole series.
  const frame = fitFrame(dataset.series[0]!, false, s, dataset, 0);
  let steps = 0;
  for (let t = 1; t < calmThenWild.length; t++) steps += Math.abs(calmThenWild[t]! - calmThenWild[t - 1]!);
  close(frame.state.scale, steps / (calmThenWild.length - 1));
  // Window [6, 10): steps of 1, below the series unit, so the series unit.
  assert.equal(windowUnit(frame, s, 10), frame.state.scale);
  // Window [21, 25): 100, 110, 100, 110 and the steps into each from 110, 100, 110, 100: all 10.
  close(windowUnit(frame, s, 25), 10);
  // Window [19, 23): 101 → 110 (9), 110 → 100, 100 → 110, 110 → 100 (10 each), from 100 → 101 (1).
  close(windowUnit(frame, s, 23), (1 + 9 + 10 + 10) / 4);
  // Off, or without a baseline: the series unit.
  assert.equal(windowUnit(frame, spec({ windowScale: false }), 25), frame.state.scale);
  const none = spec({ baseline: { kind: 'none', season: 1 } });
  const noneFrame = fitFrame(dataset.series[0]!, false, none, dataset, 0);
  assert.equal(windowUnit(noneFrame, none, 25), noneFrame.state.scale);
});

test('windowUnit: with a seasonal baseline it measures the seasonal change, as the series unit does', () => {
  const values = [1, 5, 2, 6, 3, 7, 4, 8, 30, 9, 50, 10, 70, 11];
  const dataset = makeDataset([{ values }]);
  const s = spec({ baseline: { kind: 'seasonal', season: 2 } });
  const frame = fitFrame(dataset.series[0]!, false, s, dataset, 0);
  // Window [9, 13): |v[t] - v[t-2]| = |9-8|, |50-30|, |10-9|, |70-50| = 1, 20, 1, 20.
  close(windowUnit(frame, s, 13), Math.max(frame.state.scale, (1 + 20 + 1 + 20) / 4));
  assert.ok(windowUnit(frame, s, 13) > frame.state.scale);
});

test('a batch with window scaling: inputs and targets in the window unit, and the target maps back exactly', () => {
  const dataset = makeDataset([{ values: calmThenWild }]);
  for (const log of [false, true]) {
    const s = spec();
    const frame = fitFrame(dataset.series[0]!, log, s, dataset, 0);
    const origin = 25;
    const unit = windowUnit(frame, s, origin);
    assert.ok(unit > frame.state.scale * 2, 'a wild window');
    const refs = { count: 1, series: Uint32Array.of(0), origin: Uint32Array.of(origin) };
    const batch = createBatch(1, s);
    gatherBatch([frame], s, refs, null, 0, 1, batch);
    const v = frame.values;
    // Step 1 of the window (t = 22): level v[22] - v[21], change v[22] - v[21], both in the window unit.
    close(batch.inputs[2]!, (v[22]! - v[21]!) / unit, 1e-6);
    close(batch.inputs[3]!, (v[22]! - v[21]!) / unit, 1e-6);
    for (let h = 0; h < 2; h++) {
      const base = baseValue(frame, s, origin, h);
      close(batch.targets[h]!, (v[origin + h]! - base) / unit, 1e-6);
      close(toDataUnits(batch.targets[h]!, base, frame.state, unit), calmThenWild[origin + h]!, 1e-6);
      // An untrained correction of 0 is the baseline, whatever the unit.
      close(toDataUnits(0, base, frame.state, unit), log ? Math.exp(base) : base);
    }
  }
});

test('a fitted model with window scaling: version 5, the flag round-trips, and the forecast uses the last window\'s unit', async () => {
  const values = Array.from({ length: 90 }, (_, t) => 50 + 5 * Math.sin(t / 3) + (t >= 80 ? 20 * (t % 2) : 0));
  const dataset = makeDataset([{ values }]);
  const { model, networks } = await fitModel(dataset, defaults({ horizon: 3, lookback: 8, steps: 20, transform: 'diff', fallback: 'none' }), hooks);
  assert.equal(model.data.windowScale, true);
  assert.equal(model.version, MODEL_VERSION);
  const text = serializeModel(model);
  const back = validateModel(JSON.parse(text), 'm.json');
  assert.deepEqual(back.data, model.data);
  const refused = (edit: (m: ModelFile) => void, message: RegExp): void => {
    const copy = JSON.parse(text) as ModelFile;
    edit(copy);
    assert.throws(() => validateModel(copy, 'm.json'), (error: unknown) => error instanceof DataError && message.test(error.message), String(message));
  };
  refused((m) => { (m as { version: number }).version = 4; }, /^m\.json: data\.windowScale needs model file version 5, the file says 4$/);
  refused((m) => { (m.data as { windowScale: unknown }).windowScale = 'yes'; }, /^m\.json: data\.windowScale is "yes", expected true or false$/);

  // The same networks read in the series' unit: the inputs are larger by unit / scale, so the
  // outputs differ; each correction is output · unit. Naive baseline: the last value. (A short
  // training may keep round 0, a zero head: set one, so the output depends on the inputs.)
  const setHead = (value: number): void => {
    for (const network of networks) {
      const { headWeight, headBias } = network.layout;
      network.params.fill(value, headWeight, headBias + network.config.horizon);
    }
  };
  setHead(0.05);
  const whole = { ...model, data: { ...model.data, correctionWeight: 1 } };
  const on = predictSeries(whole, networks, dataset, []).forecasts[0]!.forecast;
  const { windowScale: _dropped, ...data } = whole.data;
  const off = predictSeries({ ...whole, data }, networks, dataset, []).forecasts[0]!.forecast;
  const last = values.at(-1)!;
  const { scale } = model.data.series[0]!;
  let sum = 0;
  for (let t = values.length - 8; t < values.length; t++) sum += Math.abs(values[t]! - values[t - 1]!);
  const unit = sum / 8;
  assert.ok(unit > 2 * scale, `a wild last window: unit ${unit}, series ${scale}`);
  // The network itself, fed each window's inputs: on reads x / unit, off reads x / scale.
  const batch = (spec: PipelineSpec): Float32Array => {
    const frame = fitFrame(dataset.series[0]!, false, spec, dataset, 0);
    const refs = { count: 1, series: Uint32Array.of(0), origin: Uint32Array.of(values.length) };
    const filled = createBatch(1, spec);
    gatherBatch([{ ...frame, state: { ...frame.state, scale } }], spec, refs, null, 0, 1, filled);
    return filled.inputs;
  };
  const base: PipelineSpec = spec({ lookback: 8, horizon: 3, calendar: model.data.calendar });
  const ratio = batch({ ...base, windowScale: false })[1]! / batch(base)[1]!;
  close(ratio, unit / scale, 1e-6);
  assert.ok(on.some((value, h) => Math.abs(value - off[h]!) > 1e-9), 'the unit changes the forecast');
  // Untrained (head at zero), both are the naive forecast exactly.
  setHead(0);
  for (const forecast of [predictSeries(whole, networks, dataset, []), predictSeries({ ...whole, data }, networks, dataset, [])]) {
    forecast.forecasts[0]!.forecast.forEach((value) => close(value, last));
  }

  // --no-window-scale: written as before (no field, the lowest version that holds the model).
  const { model: plain } = await fitModel(dataset, defaults({ horizon: 3, lookback: 8, steps: 20, windowScale: false }), hooks);
  assert.equal(plain.data.windowScale, undefined);
  assert.ok(plain.version < 5);
  assert.equal(validateModel(JSON.parse(serializeModel(plain)), 'm.json').data.windowScale, undefined);
});
