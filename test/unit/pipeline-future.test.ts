// Known-future covariates (--future-features) from the frame to the model file: what the head reads
// and how the model file names it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createBatch, fitFrame, gatherBatch, headInputNames, headInputSize, type PipelineSpec } from '../../src/data/prepare.js';
import type { Series } from '../../src/data/types.js';
import { DataError } from '../../src/errors.js';
import { serializeModel, validateModel, type ModelFile } from '../../src/io/model-file.js';
import { fitModel } from '../../src/train/fit.js';
import { makeDataset, makeSeries } from '../helpers/dataset.js';
import { defaults } from '../helpers/training.js';

const hooks = { toolVersion: 'test' };
const close = (actual: number, expected: number, tolerance = 1e-6): void =>
  assert.ok(Math.abs(actual - expected) <= tolerance * (1 + Math.abs(expected)), `${actual} vs ${expected}`);

function spec(overrides: Partial<PipelineSpec> = {}): PipelineSpec {
  return {
    lookback: 3, horizon: 2, baseline: { kind: 'naive', season: 1 }, features: ['promo'], futureFeatures: ['promo'], calendar: [], headCalendar: false, scale: 'standard',
    ...overrides,
  };
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

test('model files: the known-future covariates round-trip, and what the head reads must match them', async () => {
  const { values, promo } = promoSales(80);
  const dataset = makeDataset([{ values, features: [promo] }], { features: ['promo'], futureFeatures: ['promo'] });
  const { model } = await fitModel(dataset, defaults({ horizon: 3, lookback: 7, steps: 5 }), hooks);
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
  const older = await fitModel(makeDataset([{ values }]), defaults({ horizon: 3, lookback: 7, steps: 5 }), hooks);
  const olderJson = JSON.parse(serializeModel(older.model)) as ModelFile;
  assert.equal(olderJson.version, 2);
  delete (olderJson.data as Partial<ModelFile['data']>).futureFeatures;
  assert.deepEqual(validateModel(olderJson, 'old.json').data.futureFeatures, []);
});
