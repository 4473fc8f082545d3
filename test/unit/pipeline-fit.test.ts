// Training, the safety net, ensembles and forecasting, end to end in process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { predictSeries } from '../../src/forecast/predict.js';
import { windowSpread } from '../../src/forecast/intervals.js';
import { baselineForecast } from '../../src/backtest/baselines.js';
import { maseScale } from '../../src/metrics/point.js';
import { readModelFile, serializeModel, validateModel } from '../../src/io/model-file.js';
import { fitModel } from '../../src/train/fit.js';
import { defaultSteps } from '../../src/train/settings.js';
import { makeDataset } from '../helpers/dataset.js';
import { defaults } from '../helpers/training.js';

const range = (n: number, f: (t: number) => number): number[] => Array.from({ length: n }, (_, t) => f(t));
const hooks = { toolVersion: 'test' };
const bits = (values: ArrayLike<number>): string => Buffer.from(Float64Array.from(values).buffer).toString('hex');

const pattern = [5, 9, 14, 11, 7, 3, 2, 4, 8, 12, 10, 6];
const seasonal = (n: number): number[] => range(n, (t) => pattern[t % 12]! + 0.3 * Math.sin(t * 1.7));

test('an untrained network (zero head) forecasts its baseline exactly', async () => {
  const values = seasonal(96);
  const dataset = makeDataset([{ values }], { grid: 'M' });
  const fit = await fitModel(dataset, defaults({ transform: 'seasonal-diff', steps: 3, fallback: 'none', horizon: 6 }), hooks);
  for (const network of fit.networks) {
    const { headWeight, headBias } = network.layout;
    network.params.fill(0, headWeight, headBias + network.config.horizon);
  }
  const [forecast] = predictSeries(fit.model, fit.networks, dataset, []).forecasts;
  // Seasonal naive: the last season repeated.
  assert.deepEqual([...forecast!.forecast], values.slice(96 - 12, 96 - 12 + 6));
  assert.equal(forecast!.method, 'model');
});

test('without --steps the budget comes from the lookback, and the model records the number', async () => {
  const dataset = makeDataset([{ values: seasonal(96) }], { grid: 'M' });
  // epochs bounds the passes, so the test stays short whatever the budget.
  const fit = await fitModel(dataset, { ...defaults({ epochs: 2, horizon: 6 }), steps: undefined }, hooks);
  assert.equal(fit.model.config.steps, defaultSteps(fit.model.config.lookback));
  assert.ok(fit.model.config.steps > 2000);
});

test('two members on two baselines: untrained, the forecast is the mean of seasonal naive and two-season naive', async () => {
  const values = range(120, (t) => pattern[t % 12]! * (1 + 0.2 * Math.sin(t * 2.9)));
  const dataset = makeDataset([{ values }], { grid: 'M' });
  const fit = await fitModel(dataset, { ...defaults({ steps: 3, fallback: 'none', horizon: 6 }), ensemble: undefined }, hooks);
  assert.deepEqual(fit.model.data.memberBaselines, [{ kind: 'seasonal', season: 12 }, { kind: 'two-season', season: 12 }]);
  assert.equal(fit.model.version, 4);
  assert.equal(fit.networks.length, 2);
  for (const network of fit.networks) {
    const { headWeight, headBias } = network.layout;
    network.params.fill(0, headWeight, headBias + network.config.horizon);
  }
  const [forecast] = predictSeries(fit.model, fit.networks, dataset, []).forecasts;
  const n = values.length;
  const levelChange = range(12, (k) => values[n - 1 - k]! - values[n - 13 - k]!).reduce((a, b) => a + b, 0) / 12;
  // Logs or not, the file says; this series is not logged (its spread does not grow with the level).
  assert.equal(fit.model.data.series[0]!.log, false);
  const expected = range(6, (h) => (values[n - 12 + h]! + (0.5 * (values[n - 12 + h]! + values[n - 24 + h]!) + 0.5 * levelChange)) / 2);
  forecast!.forecast.forEach((value, h) => assert.ok(Math.abs(value - expected[h]!) < 1e-9, `step ${h}: ${value} against ${expected[h]}`));
  // The file reads back the same, and --ensemble 1 trains the first member only.
  const again = validateModel(JSON.parse(serializeModel(fit.model)), 'model.json');
  assert.deepEqual(again.data.memberBaselines, fit.model.data.memberBaselines);
  const single = await fitModel(dataset, defaults({ steps: 3, fallback: 'none', horizon: 6, ensemble: 1 }), hooks);
  assert.equal(single.networks.length, 1);
  assert.equal(single.model.version, 2);
  assert.equal(single.model.data.memberBaselines, undefined);
  assert.doesNotMatch(single.model.data.why!, /second network/);
});

test('a network that cannot beat its baseline keeps round 0 and forecasts the baseline', async () => {
  // An exactly periodic series: seasonal naive is perfect, so no trained round can beat it.
  const values = range(120, (t) => pattern[t % 12]!);
  const dataset = makeDataset([{ values }], { grid: 'M' });
  const fit = await fitModel(dataset, defaults({ transform: 'seasonal-diff', steps: 60, patience: 3, horizon: 12 }), hooks);
  assert.equal(fit.model.training.bestEpoch, 0);
  assert.ok(fit.model.training.members[0]!.initialLoss === 0);
  const [forecast] = predictSeries(fit.model, fit.networks, dataset, [80]).forecasts;
  assert.deepEqual([...forecast!.forecast], pattern);
});

test('the safety net: a baseline that clearly beats the network forecasts that series; --fallback none keeps the network', async () => {
  // A straight line is drift's exactly; a network predicting levels (--transform none) only gets close.
  const line = range(80, (t) => 3 + 2 * t);
  const dataset = makeDataset([{ values: line }]);
  const options = defaults({ transform: 'none', steps: 40, horizon: 5 });
  const auto = await fitModel(dataset, options, hooks);
  assert.equal(auto.model.data.series[0]!.method, 'drift');
  assert.equal(auto.model.data.series[0]!.validation!.drift, 0);
  const [forecast] = predictSeries(auto.model, auto.networks, dataset, [80, 95]).forecasts;
  assert.equal(forecast!.method, 'drift');
  assert.deepEqual([...forecast!.forecast], [163, 165, 167, 169, 171]);
  const none = await fitModel(dataset, { ...options, fallback: 'none' }, hooks);
  assert.equal(none.model.data.series[0]!.method, 'model');
});

test('the same model for --jobs 1 and --jobs 2, batches cut into chunks', async () => {
  const dataset = makeDataset([{ id: 'a', values: seasonal(200) }, { id: 'b', values: seasonal(200).map((v) => v * 3 + 1) }], { grid: 'M' });
  const options = defaults({ hiddenSize: 32, batchSize: 64, steps: 12, ensemble: 2 });
  const one = await fitModel(dataset, { ...options, jobs: 1 }, hooks);
  const two = await fitModel(dataset, { ...options, jobs: 2 }, hooks);
  assert.deepEqual(one.model.weights, two.model.weights);
  assert.deepEqual(one.model.ensembleWeights, two.model.ensembleWeights);
  const a = predictSeries(one.model, one.networks, dataset, [80]).forecasts;
  const b = predictSeries(two.model, two.networks, dataset, [80]).forecasts;
  assert.equal(bits(a.flatMap((f) => [...f.forecast])), bits(b.flatMap((f) => [...f.forecast])));
});

test('budgets: --steps caps the optimizer steps; --max-time stops at the time and keeps the best', async () => {
  const dataset = makeDataset([{ values: seasonal(300) }], { grid: 'M' });
  const steps = await fitModel(dataset, defaults({ steps: 7, patience: 1000 }), hooks);
  assert.equal(steps.model.training.steps, 7);
  assert.equal(steps.model.training.stoppedBy, 'max-epochs');
  const timed = await fitModel(dataset, defaults({ maxTime: 1e-6, patience: 1000 }), hooks);
  assert.equal(timed.model.training.stoppedBy, 'time-limit');
  assert.equal(timed.model.training.epochs, 1, 'one round, cut short after its first step');
});

test('ensembles: K networks in the file; the forecast is the median of theirs', async () => {
  const dataset = makeDataset([{ values: seasonal(100) }], { grid: 'M' });
  // One baseline for every member (an explicit transform), so each member alone is a forecast of its own.
  const fit = await fitModel(dataset, defaults({ ensemble: 3, steps: 20, fallback: 'none', transform: 'seasonal-diff' }), hooks);
  assert.equal(fit.networks.length, 3);
  assert.equal(fit.model.ensembleWeights.length, 2);
  assert.notDeepEqual(fit.model.ensembleWeights[0], fit.model.weights, 'different seeds');
  const members = fit.networks.map((network) => predictSeries(fit.model, [network], dataset, []).forecasts[0]!.forecast);
  const median = predictSeries(fit.model, fit.networks, dataset, []).forecasts[0]!.forecast;
  median.forEach((value, step) => {
    const sorted = members.map((member) => member[step]!).sort((x, y) => x - y);
    assert.ok(Math.abs(value - sorted[1]!) <= 1e-9 * Math.abs(value), `step ${step}`);
  });
  // The model file round-trips with its members.
  const reread = validateModel(JSON.parse(serializeModel(fit.model)), 'model.json');
  assert.deepEqual(reread.ensembleWeights, fit.model.ensembleWeights);
});

test('intervals: wider for higher levels, never below zero for a series that never was', async () => {
  const values = range(60, (t) => Math.max(0, pattern[t % 12]! - 4 + Math.sin(t * 3.1) * 2));
  const dataset = makeDataset([{ values }], { grid: 'M' });
  const fit = await fitModel(dataset, defaults({ steps: 30 }), hooks);
  const prediction = predictSeries(fit.model, fit.networks, dataset, [50, 80, 95]);
  const [forecast] = prediction.forecasts;
  const [b50, b80, b95] = forecast!.intervals;
  for (let h = 0; h < forecast!.forecast.length; h++) {
    assert.ok(forecast!.forecast[h]! >= 0);
    assert.ok(b95!.lower[h]! >= 0 && b80!.lower[h]! >= 0);
    assert.ok(b95!.upper[h]! - b95!.lower[h]! >= b80!.upper[h]! - b80!.lower[h]!);
    assert.ok(b80!.upper[h]! - b80!.lower[h]! >= b50!.upper[h]! - b50!.lower[h]!);
  }
  const width = (band: typeof b80) => band!.upper.reduce((sum, upper, h) => sum + upper - band!.lower[h]!, 0);
  assert.ok(width(b95) > width(b80), 'the 95% band is wider than the 80% band');
});

test('panels: a series the model never saw is forecast from its own history, and listed', async () => {
  const a = seasonal(100);
  const dataset = makeDataset([{ id: 'a', values: a }, { id: 'b', values: a.map((v) => v * 2) }], { grid: 'M' });
  const fit = await fitModel(dataset, defaults({ steps: 10 }), hooks);
  const later = makeDataset([{ id: 'a', values: a }, { id: 'new', values: a.map((v) => v * 10 + 5) }], { grid: 'M' });
  const prediction = predictSeries(fit.model, fit.networks, later, [80]);
  assert.deepEqual(prediction.unseen, ['new']);
  assert.equal(prediction.forecasts.length, 2);
  // On the new series' own level: its forecast's mean is near the mean of its last season.
  const mean = (values: ArrayLike<number>): number => Array.from(values).reduce((sum, v) => sum + v, 0) / values.length;
  const lastSeason = later.series[1]!.values.subarray(-12);
  const forecastMean = mean(prediction.forecasts[1]!.forecast.subarray(0, 12));
  assert.ok(Math.abs(forecastMean - mean(lastSeason)) < 0.2 * mean(lastSeason), `forecast mean ${forecastMean} vs ${mean(lastSeason)}`);
});

test('the model file states the transform chosen and the method per series', async () => {
  const dataset = makeDataset([{ values: seasonal(100) }], { grid: 'M' });
  const fit = await fitModel(dataset, defaults({ steps: 5 }), hooks);
  const { data, config } = fit.model;
  assert.equal(data.transform, 'auto');
  assert.equal(data.baseline, 'seasonal');
  assert.equal(data.baseSeason, 12);
  assert.deepEqual(config.inputs, ['y:level', 'y:change', 'y:seasonal-change', 'calendar:year:sin', 'calendar:year:cos']);
  assert.ok(['model', 'naive', 'seasonal_naive', 'drift'].includes(data.series[0]!.method));
  assert.match(data.why!, /^transform auto: the network corrects seasonal naive \(12\)/);
  assert.equal(typeof readModelFile, 'function');
});

test('intervals widen by how much more the series moves now than in its validation windows, never narrow', async () => {
  const values = seasonal(120);
  const dataset = makeDataset([{ values }], { grid: 'M' });
  const fit = await fitModel(dataset, defaults({ transform: 'seasonal-diff', steps: 3, fallback: 'none', horizon: 6 }), hooks);
  const stored = fit.model.data.series[0]!;
  const { lookback } = fit.model.config;
  assert.equal(stored.log, false);
  assert.ok(stored.validationSpread! > 0, 'the file records the validation windows\' spread');
  // The same model without the record (an older file): bands as calibrated.
  const unrecorded = { ...fit.model, data: { ...fit.model.data, series: [{ ...stored, validationSpread: null }] } };
  const halfWidth = (model: typeof fit.model, data: typeof dataset): number[] => {
    const [forecast] = predictSeries(model, fit.networks, data, [80]).forecasts;
    return [...forecast!.intervals[0]!.upper].map((upper, h) => upper - forecast!.forecast[h]!);
  };
  // A wilder last window: every other point 6 above the pattern (all positive, so nothing is clamped at 0).
  const wild = values.map((value, t) => (t >= 120 - lookback && t % 2 === 0 ? value + 6 : value));
  const wildData = makeDataset([{ values: wild }], { grid: 'M' });
  const expected = windowSpread(Float64Array.from(wild), new Uint8Array(120).fill(1), 120, lookback) / stored.validationSpread!;
  assert.ok(expected > 1.5);
  const widened = halfWidth(fit.model, wildData);
  halfWidth(unrecorded, wildData).forEach((plain, h) => assert.ok(Math.abs(widened[h]! / plain - expected) < 1e-9 * expected, `step ${h}: ${widened[h]} / ${plain} against ${expected}`));
  // A calm last window (constant): not narrower than calibrated.
  const calm = values.map((value, t) => (t >= 120 - lookback ? 8 : value));
  const calmData = makeDataset([{ values: calm }], { grid: 'M' });
  assert.deepEqual(halfWidth(fit.model, calmData), halfWidth(unrecorded, calmData));
  // The record round-trips through the file.
  assert.equal(validateModel(JSON.parse(serializeModel(fit.model)), 'model.json').data.series[0]!.validationSpread, stored.validationSpread);
});

test('a series the safety net gives to a baseline: its bands widen where its last window moves more than its history did', async () => {
  // A straight line is drift's exactly (see the safety-net test); a noisy line keeps drift ahead.
  const line = range(80, (t) => 3 + 2 * t + (t % 2 === 0 ? 0.5 : -0.5));
  const fit = await fitModel(makeDataset([{ values: line }]), defaults({ transform: 'none', steps: 40, horizon: 5 }), hooks);
  assert.equal(fit.model.data.series[0]!.method, 'drift');
  const { lookback } = fit.model.config;
  const bands = (values: number[]): { forecast: number[]; lower: number[] } => {
    const [forecast] = predictSeries(fit.model, fit.networks, makeDataset([{ values }]), [95]).forecasts;
    return { forecast: [...forecast!.forecast], lower: [...forecast!.intervals[0]!.lower] };
  };
  // Same history, same drift, but the last window swings ±3 instead of ±0.5.
  const swinging = line.map((value, t) => (t >= 80 - lookback ? 3 + 2 * t + (t % 2 === 0 ? 3 : -3) : value));
  const plain = baselineForecast('drift', Float64Array.from(swinging), 5, { season: 1, levels: [95] });
  const factor = maseScale(Float64Array.from(swinging.slice(80 - lookback)), 1).scale / maseScale(Float64Array.from(swinging), 1).scale;
  assert.ok(factor > 1.5);
  const widened = bands(swinging);
  widened.lower.forEach((lower, h) => {
    const expected = plain.forecast[h]! - (plain.forecast[h]! - plain.intervals[0]!.lower[h]!) * factor;
    assert.ok(Math.abs(lower - expected) < 1e-9 * Math.abs(expected), `step ${h}: ${lower} against ${expected}`);
  });
  // The calm original: the textbook drift band as it is.
  const calm = baselineForecast('drift', Float64Array.from(line), 5, { season: 1, levels: [95] });
  assert.deepEqual(bands(line).lower, [...calm.intervals[0]!.lower]);
});
