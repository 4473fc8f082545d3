// Known-future covariates (--future-features) from the frame to the model file: what the head reads,
// its weights, the linear start, the correction weight, and a forecast that needs them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createBatch, fitFrame, gatherBatch, headInputNames, headInputSize, type PipelineSpec } from '../../src/data/prepare.js';
import { datasetBefore } from '../../src/backtest/slice.js';
import type { Dataset, Series } from '../../src/data/types.js';
import { DataError } from '../../src/errors.js';
import { predictSeries, weighOutputs } from '../../src/forecast/predict.js';
import { serializeModel, validateModel, type ModelFile } from '../../src/io/model-file.js';
import { fitModel } from '../../src/train/fit.js';
import { knownFutureStart, solveSpd } from '../../src/train/known-future.js';
import { pipelineSpec } from '../helpers/spec.js';
import { makeDataset, makeSeries } from '../helpers/dataset.js';
import { defaults } from '../helpers/training.js';

const hooks = { toolVersion: 'test' };
const close = (actual: number, expected: number, tolerance = 1e-6): void =>
  assert.ok(Math.abs(actual - expected) <= tolerance * (1 + Math.abs(expected)), `${actual} vs ${expected}`);

/** With `promo` as a known-future covariate. */
function spec(overrides: Partial<PipelineSpec> = {}): PipelineSpec {
  return pipelineSpec({ features: ['promo'], futureFeatures: ['promo'], ...overrides });
}

/** A series with `promo` as its one feature and, past its end, future rows giving `ahead`. */
function withFuture(values: number[], promo: number[], ahead: number[]): Series {
  const series = makeSeries({ values, features: [promo] });
  const n = values.length;
  return {
    ...series,
    future: {
      times: Float64Array.from(ahead, (_, k) => (n + k) * 86_400_000),
      values: [Float64Array.from(ahead)],
      lines: Uint32Array.from(ahead, (_, k) => n + k + 2),
    },
  };
}

test('the head reads each step\'s covariates, and their change since the point the baseline carries forward', () => {
  const promo = [0, 1, 0, 0, 1, 1, 0, 1, 0, 0];
  const values = promo.map((p, t) => 20 + t + 10 * p);
  const series = withFuture(values, promo, [1, 0]);
  const dataset = makeDataset([series], { features: ['promo'], futureFeatures: ['promo'] });
  const naive = spec();
  assert.deepEqual(headInputNames(naive), ['promo@1', 'promo:change@1', 'promo@2', 'promo:change@2']);
  assert.equal(headInputSize(naive), 4);
  assert.deepEqual(headInputNames(spec({ baseline: { kind: 'none', season: 1 } })), ['promo@1', 'promo@2'], 'no baseline, no change');
  assert.deepEqual(headInputNames(spec({ calendar: ['week'], headCalendar: true, horizon: 1 })), ['promo@1', 'promo:change@1', 'calendar:week:sin@1', 'calendar:week:cos@1']);

  const frame = fitFrame(dataset.series[0]!, false, naive, dataset, 0);
  const { center, scale } = frame.state.featureScalers[0]!;
  const scaled = (p: number): number => (p - center) / scale;
  const batch = createBatch(2, naive);
  // A window inside the data (origin 6: targets 6 and 7) reads the recorded promo; the forecast (origin 10) the future rows.
  gatherBatch([frame], naive, { count: 2, series: Uint32Array.of(0, 0), origin: Uint32Array.of(6, 10) }, null, 0, 2, batch);
  const expected = [
    scaled(promo[6]!), scaled(promo[6]!) - scaled(promo[5]!), scaled(promo[7]!), scaled(promo[7]!) - scaled(promo[5]!),
    scaled(1), scaled(1) - scaled(promo[9]!), scaled(0), scaled(0) - scaled(promo[9]!),
  ];
  [...batch.headInput].forEach((value, k) => close(value, expected[k]!));
  // Seasonal naive (season 2) carries T-2 forward to step 1 and T-1 to step 2.
  const seasonal = spec({ baseline: { kind: 'seasonal', season: 2 } });
  const seasonalFrame = fitFrame(dataset.series[0]!, false, seasonal, dataset, 0);
  const seasonalBatch = createBatch(1, seasonal);
  gatherBatch([seasonalFrame], seasonal, { count: 1, series: Uint32Array.of(0), origin: Uint32Array.of(10) }, null, 0, 1, seasonalBatch);
  close(seasonalBatch.headInput[1]!, scaled(1) - scaled(promo[8]!));
  close(seasonalBatch.headInput[3]!, scaled(0) - scaled(promo[9]!));
});

test('the linear start recovers an exact effect, and the correction weight leaves the known-future part whole', () => {
  assert.deepEqual([...solveSpd(Float64Array.of(4, 2, 2, 3), Float64Array.of(2, 5), 2)!].map((x) => Number(x.toFixed(12))), [-0.5, 2]);
  assert.equal(solveSpd(Float64Array.of(1, 2, 2, 1), Float64Array.of(1, 1), 2), null, 'not positive definite');
  // y = 100 + 10·promo exactly: the naive correction is 10·(promo(T+h) - promo(T-1)), the change input times 10/scale.
  const promo = Array.from({ length: 60 }, (_, t) => ((t * 7) % 5 === 0 ? 1 : 0));
  const values = promo.map((p) => 100 + 10 * p);
  const dataset = makeDataset([{ values, features: [promo] }], { features: ['promo'], futureFeatures: ['promo'] });
  const s = spec({ lookback: 4, horizon: 3 });
  const frame = fitFrame(dataset.series[0]!, false, s, dataset, 0);
  const refs = { count: 40, series: new Uint32Array(40), origin: Uint32Array.from({ length: 40 }, (_, k) => 10 + k) };
  const weights = knownFutureStart([frame], s, refs)!;
  const width = headInputSize(s);
  const perUnit = frame.state.featureScalers[0]!.scale * 10 / frame.state.scale;
  for (let h = 0; h < s.horizon; h++) {
    for (let e = 0; e < width; e++) {
      const own = e === h * 2 + 1; // step h's own change input
      if (e === h * 2) assert.ok(Math.abs(weights[h * width + e]!) < 0.01 * perUnit, `value weight ${weights[h * width + e]}`);
      else if (own) close(weights[h * width + e]!, perUnit, 0.01);
      else assert.equal(weights[h * width + e], 0, 'another step\'s inputs start at zero');
    }
  }
  assert.equal(knownFutureStart([frame], spec({ lookback: 4, horizon: 3, baseline: { kind: 'none', season: 1 } }), refs), null);
  assert.equal(knownFutureStart([frame], spec({ futureFeatures: [] }), refs), null);
  // The known-future part is kept whole, only the rest is weighed.
  assert.deepEqual([...weighOutputs(Float64Array.of(3, -1), 0.5, Float64Array.of(2, 1))], [2.5, 0]);
  assert.deepEqual([...weighOutputs(Float64Array.of(3, -1), 0.5)], [1.5, -0.5]);
});

/** Daily sales: a weekly pattern, 10 more on promotion days (about one day in four), a little noise. */
function promoSales(n: number): { values: number[]; promo: number[] } {
  let state = 7;
  const random = (): number => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648);
  const promo: number[] = [];
  const values: number[] = [];
  for (let t = 0; t < n; t++) {
    const p = random() < 0.25 ? 1 : 0;
    promo.push(p);
    values.push(50 + 5 * Math.sin((2 * Math.PI * t) / 7) + 10 * p + (random() - 0.5) * 2);
  }
  return { values, promo };
}

/** MAE of a model's forecasts from `origins`, each fed the data before it (and, with known-future covariates, the promotions of its horizon). */
function forecastError(fit: Awaited<ReturnType<typeof fitModel>>, full: Dataset, origins: number[], horizon: number): number {
  let sum = 0;
  let count = 0;
  for (const origin of origins) {
    const [forecast] = predictSeries(fit.model, fit.networks, datasetBefore(full, [origin], undefined, horizon), []).forecasts;
    for (let h = 0; h < horizon; h++) {
      sum += Math.abs(forecast!.forecast[h]! - full.series[0]!.values[origin + h]!);
      count++;
    }
  }
  return sum / count;
}

test('a series driven by a known-future covariate is forecast far better when the head reads it', async () => {
  const horizon = 7;
  const { values, promo } = promoSales(340);
  const train = 250;
  const options = defaults({ horizon, lookback: 14, seed: 3 });
  const origins = [250, 262, 274, 286, 298, 310, 322];
  const known = makeDataset([{ values, features: [promo] }], { features: ['promo'], futureFeatures: ['promo'] });
  const past = makeDataset([{ values, features: [promo] }], { features: ['promo'] });
  const withFutureFit = await fitModel(datasetBefore(known, [train], undefined, horizon), options, hooks);
  const pastFit = await fitModel(datasetBefore(past, [train]), options, hooks);
  const withError = forecastError(withFutureFit, known, origins, horizon);
  const pastError = forecastError(pastFit, past, origins, horizon);
  console.log(`# y = 50 + 5 sin(2πt/7) + 10·promo(t) + noise: MAE ${withError.toFixed(3)} with --future-features promo, ${pastError.toFixed(3)} with promo a past-only feature`);
  assert.ok(withError < 0.4 * pastError, `MAE ${withError} with the known future, ${pastError} without`);
  assert.ok(withError < 1.5, `MAE ${withError}: the effect of 10 is learnt (noise alone is about 0.5)`);

  // The model file names what the head reads, and its weight has one column per name.
  const { model } = withFutureFit;
  // Version 5: windows in their own unit (the default) next to the known-future covariates.
  assert.equal(model.version, 5);
  assert.deepEqual(model.data.futureFeatures, ['promo']);
  assert.deepEqual(model.config.headInputs, headInputNames({ ...spec({ horizon, baseline: { kind: model.data.baseline, season: model.data.baseSeason } }) }));
  assert.equal(model.config.headInputs.length, 2 * horizon);
  assert.deepEqual(model.weights['head.weight']!.shape, [horizon, model.config.hiddenSize + model.config.headInputs.length]);
  assert.equal(pastFit.model.version, 5);
  assert.deepEqual(pastFit.model.config.headInputs, []);

  // A forecast without the future rows is refused, naming the line the data ends on.
  assert.throws(() => predictSeries(model, withFutureFit.networks, datasetBefore(known, [300]), []), (error: unknown) =>
    error instanceof DataError && /^data\.csv:301: the model reads 'promo' at each of the 7 forecast steps \(1970-10-28 … 1970-11-03\), but no row after the last 'y' value gives them: add 7 rows with an empty 'y' and 'promo' filled$/.test(error.message));
  assert.throws(() => predictSeries(model, withFutureFit.networks, datasetBefore(known, [300], undefined, 3), []), /give them for 3 steps only \(through 1970-10-30\)/);
});

test('model files: the known-future covariates round-trip, and what the head reads must match them', async () => {
  const { values, promo } = promoSales(80);
  const dataset = makeDataset([{ values, features: [promo] }], { features: ['promo'], futureFeatures: ['promo'] });
  // --no-window-scale: the lowest version that holds known-future covariates.
  const { model } = await fitModel(dataset, defaults({ horizon: 3, lookback: 7, steps: 5, windowScale: false }), hooks);
  assert.equal(model.version, 3);
  const text = serializeModel(model);
  const back = validateModel(JSON.parse(text), 'm.json');
  assert.deepEqual(back.data.futureFeatures, ['promo']);
  assert.deepEqual(back.data, model.data);
  assert.deepEqual(back.config.headInputs, model.config.headInputs);
  assert.deepEqual(validateModel(JSON.parse(serializeModel(back)), 'm.json'), back, 'written again, the same document');
  const refused = (edit: (m: ModelFile) => void, message: RegExp): void => {
    const copy = JSON.parse(text) as ModelFile;
    edit(copy);
    assert.throws(() => validateModel(copy, 'm.json'), (error: unknown) => error instanceof DataError && message.test(error.message), String(message));
  };
  refused((m) => { m.data.futureFeatures = ['price']; }, /^m\.json: data\.futureFeatures \["price"\]: 'price' is not in data\.features$/);
  refused((m) => { m.data.futureFeatures = ['promo', 'promo']; }, /'promo' is listed twice/);
  refused((m) => { m.data.futureFeatures = []; }, /^m\.json: config\.headInputs lists 6 inputs, but data\.futureFeatures, data\.headCalendar and config\.horizon give 0$/);
  refused((m) => { m.config.headInputs = m.config.headInputs.slice().reverse(); }, /config\.headInputs lists 6 inputs, but .* give 6 \(promo@1, promo:change@1, promo@2, \.\.\.\)/);
  refused((m) => { (m as { version: number }).version = 2; }, /^m\.json: data\.futureFeatures needs model file version 3, the file says 2$/);
  refused((m) => { delete (m.data as Partial<ModelFile['data']>).futureFeatures; }, /model file has no data\.futureFeatures/);
  // A version 2 file written before the field existed reads as no known-future covariates.
  const older = await fitModel(makeDataset([{ values }]), defaults({ horizon: 3, lookback: 7, steps: 5, windowScale: false }), hooks);
  const olderJson = JSON.parse(serializeModel(older.model)) as ModelFile;
  assert.equal(olderJson.version, 2);
  delete (olderJson.data as Partial<ModelFile['data']>).futureFeatures;
  assert.deepEqual(validateModel(olderJson, 'old.json').data.futureFeatures, []);
});
