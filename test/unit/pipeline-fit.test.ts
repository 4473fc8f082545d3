// Training, the safety net, ensembles and forecasting, end to end in process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { halfWidths, predictSeries } from '../../src/forecast/predict.js';
import { windowSpread } from '../../src/forecast/intervals.js';
import { baselineForecast } from '../../src/backtest/baselines.js';
import { readModelFile, serializeModel, validateModel } from '../../src/io/model-file.js';
import { fitModel } from '../../src/train/fit.js';
import { chooseMethod, FALLBACK_EVIDENCE, FALLBACK_THIN_SHARE, type SeriesScores } from '../../src/train/select.js';
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
  // --no-window-scale: the lowest version that holds the two baselines (4).
  const fit = await fitModel(dataset, { ...defaults({ steps: 3, fallback: 'none', horizon: 6, windowScale: false }), ensemble: undefined }, hooks);
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
  const single = await fitModel(dataset, defaults({ steps: 3, fallback: 'none', horizon: 6, ensemble: 1, windowScale: false }), hooks);
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
  const line = range(200, (t) => 3 + 2 * t);
  const dataset = makeDataset([{ values: line }]);
  const options = defaults({ transform: 'none', steps: 40, horizon: 5 });
  const auto = await fitModel(dataset, options, hooks);
  assert.equal(auto.model.data.series[0]!.method, 'drift');
  assert.equal(auto.model.data.series[0]!.validation!.drift, 0);
  const [forecast] = predictSeries(auto.model, auto.networks, dataset, [80, 95]).forecasts;
  assert.equal(forecast!.method, 'drift');
  assert.deepEqual([...forecast!.forecast], [403, 405, 407, 409, 411]);
  const none = await fitModel(dataset, { ...options, fallback: 'none' }, hooks);
  assert.equal(none.model.data.series[0]!.method, 'model');
  // Validation worth fewer than FALLBACK_EVIDENCE independent windows: drift switches only as it
  // is below FALLBACK_THIN_SHARE of the network's error (here it has none at all); the rule itself is pinned below.
  const short = await fitModel(makeDataset([{ values: line.slice(0, 80) }]), options, hooks);
  const stored = short.model.data.series[0]!;
  assert.equal(stored.validation!.drift, 0);
  assert.ok(stored.validation!.model > 0);
  assert.equal(stored.method, 'drift');
});

test('chooseMethod: the best method on validation, once the windows are worth FALLBACK_EVIDENCE independent forecasts; before, only one below FALLBACK_THIN_SHARE of the error', () => {
  const horizon = 4;
  const score = (windows: number, drift = 1.2): SeriesScores => ({ mae: { model: 2, naive: 3, seasonal_naive: 1.5, drift }, count: windows * horizon, windows });
  assert.equal(FALLBACK_THIN_SHARE, 0.4);
  assert.equal(chooseMethod(score(FALLBACK_EVIDENCE * horizon), 'auto', horizon), 'drift');
  assert.equal(chooseMethod(score(FALLBACK_EVIDENCE * horizon - 1), 'auto', horizon), 'model');
  // The network's error is 2: drift at 0.79 (below 0.4 of it) switches; at 0.8, or halving it, does not.
  assert.equal(chooseMethod(score(1, 0.79), 'auto', horizon), 'drift', 'below 0.4 of the network\'s error');
  assert.equal(chooseMethod(score(1, 0.8), 'auto', horizon), 'model', 'exactly 0.4 is not below it');
  assert.equal(chooseMethod(score(1, 0.99), 'auto', horizon), 'model', 'halving the error is not enough on thin evidence');
  assert.equal(chooseMethod(score(1000), 'none', horizon), 'model');
  const networkBest: SeriesScores = { mae: { model: 0.5, naive: 3, seasonal_naive: 1.5, drift: 1 }, count: 4000, windows: 1000 };
  assert.equal(chooseMethod(networkBest, 'auto', horizon), 'model');
  assert.equal(chooseMethod({ ...networkBest, count: 0, windows: 0 }, 'auto', horizon), 'model');
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

test('intervals: the wider of the conformal half-width and the spread-scaled one, which follows how much the last window moves', async () => {
  const values = seasonal(120);
  const dataset = makeDataset([{ values }], { grid: 'M' });
  const fit = await fitModel(dataset, defaults({ transform: 'seasonal-diff', steps: 3, fallback: 'none', horizon: 6 }), hooks);
  const calibration = fit.model.calibration!;
  const { lookback } = fit.model.config;
  const { scale, log } = fit.model.data.series[0]!;
  assert.equal(log, false);
  assert.equal(calibration.scaled!.residuals.length, 6, 'the file holds the scaled scores per step');
  const plain = halfWidths(calibration, 80).perStep;
  const scaled = halfWidths({ ...calibration, ...calibration.scaled! }, 80).perStep;
  const halfWidth = (model: typeof fit.model, values: number[]): number[] => {
    const [forecast] = predictSeries(model, fit.networks, makeDataset([{ values }], { grid: 'M' }), [80]).forecasts;
    return [...forecast!.intervals[0]!.upper].map((upper, h) => upper - forecast!.forecast[h]!);
  };
  const close = (actual: number[], expected: number[]): void =>
    actual.forEach((value, h) => assert.ok(Math.abs(value - expected[h]!) < 1e-9 * Math.max(1, expected[h]!), `step ${h}: ${value} against ${expected[h]}`));
  // A wilder last window (every other point 6 above the pattern; all positive, nothing clamped).
  // The last window's unit (--window-scale, on by default): the larger of the series' unit and
  // the window's own mean absolute seasonal change.
  const unitOf = (series: number[]): number => {
    let sum = 0;
    for (let t = 120 - lookback; t < 120; t++) sum += Math.abs(series[t]! - series[t - 12]!);
    return Math.max(scale, sum / lookback);
  };
  const wild = values.map((value, t) => (t >= 120 - lookback && t % 2 === 0 ? value + 6 : value));
  const spreadNow = windowSpread(wild, new Uint8Array(120).fill(1), 120, lookback);
  assert.ok(unitOf(wild) > scale, 'the wild window has a unit of its own');
  const expected = [...plain].map((q, h) => Math.max(q * unitOf(wild), scaled[h]! * spreadNow));
  assert.ok(expected.some((width, h) => width > 1.2 * plain[h]! * scale), 'the wild window widens some step');
  close(halfWidth(fit.model, wild), expected);
  // A calm last window (constant): the conformal half-width, never narrower.
  const calm = values.map((value, t) => (t >= 120 - lookback ? 8 : value));
  close(halfWidth(fit.model, calm), [...plain].map((q) => q * unitOf(calm)));
  // A file from before the scaled scores: the conformal half-width whatever the window.
  const { scaled: _dropped, ...older } = calibration;
  close(halfWidth({ ...fit.model, calibration: older }, wild), [...plain].map((q) => q * unitOf(wild)));
  // Without window scaling, the series' unit.
  const { windowScale: _on, ...seriesUnit } = fit.model.data;
  close(halfWidth({ ...fit.model, data: seriesUnit, calibration: older }, wild), [...plain].map((q) => q * scale));
  // The scores round-trip through the file.
  assert.deepEqual(validateModel(JSON.parse(serializeModel(fit.model)), 'model.json').calibration!.scaled, calibration.scaled);
});

test('a series the safety net gives to a baseline: its band takes the last window\'s σ where that is the larger', async () => {
  // A noisy line: drift beats the network on validation (see the safety-net test).
  // 200 points: validation worth more than FALLBACK_EVIDENCE independent windows.
  const line = range(200, (t) => 3 + 2 * t + (t % 2 === 0 ? 0.5 : -0.5));
  const fit = await fitModel(makeDataset([{ values: line }]), defaults({ transform: 'none', steps: 40, horizon: 5 }), hooks);
  assert.equal(fit.model.data.series[0]!.method, 'drift');
  const recent = Math.max(fit.model.config.lookback, 2 * fit.model.data.season);
  const lower = (values: number[]): number[] => [...predictSeries(fit.model, fit.networks, makeDataset([{ values }]), [95]).forecasts[0]!.intervals[0]!.lower];
  // The last window swings ±3 instead of ±0.5: the band is drift's with the recent σ.
  const swinging = line.map((value, t) => (t >= 200 - recent ? 3 + 2 * t + (t % 2 === 0 ? 3 : -3) : value));
  const textbook = baselineForecast('drift', Float64Array.from(swinging), 5, { season: 1, levels: [95] }).intervals[0]!.lower;
  const widened = baselineForecast('drift', Float64Array.from(swinging), 5, { season: 1, levels: [95], recent }).intervals[0]!.lower;
  assert.ok(widened.every((value, h) => value < textbook[h]! - 1), 'the recent σ is the larger');
  assert.deepEqual(lower(swinging), [...widened]);
  // The calm line: the textbook band.
  assert.deepEqual(lower(line), [...baselineForecast('drift', Float64Array.from(line), 5, { season: 1, levels: [95] }).intervals[0]!.lower]);
});
