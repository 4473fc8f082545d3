// rnncast update in process: the same bits in this thread and in member workers, for any --jobs;
// what counts as new; series that were too short to train on get scales of their own; the
// lineage is validated when a model file is read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DataError } from '../../src/errors.js';
import { serializeModel, validateModel } from '../../src/io/model-file.js';
import { fitModel } from '../../src/train/fit.js';
import { newData, updateModel, type UpdateOptions } from '../../src/train/update.js';
import { makeDataset } from '../helpers/dataset.js';
import { defaults } from '../helpers/training.js';

const range = (n: number, f: (t: number) => number): number[] => Array.from({ length: n }, (_, t) => f(t));
const pattern = [5, 9, 14, 11, 7, 3, 2, 4, 8, 12, 10, 6];
// The level moves up by 6 at `shiftAt`: something for the fine-tune to learn.
const seasonal = (n: number, shiftAt = Infinity): number[] => range(n, (t) => pattern[t % 12]! + 0.3 * Math.sin(t * 1.7) + (t >= shiftAt ? 6 : 0));
const hooks = { toolVersion: 'test' };
const budget = (overrides: Partial<UpdateOptions> = {}): UpdateOptions => ({ steps: 30, maxTime: null, lr: undefined, patience: 5, seed: 42, jobs: 1, ...overrides });

async function trained(ensemble = 1) {
  const old = makeDataset([{ id: 'a', values: seasonal(96) }, { id: 'b', values: seasonal(96).map((v) => 2 * v + 3) }], { grid: 'M' });
  const fit = await fitModel(old, defaults({ transform: 'none', hiddenSize: 8, steps: 40, horizon: 6, ensemble }), hooks);
  const now = makeDataset([{ id: 'a', values: seasonal(120, 96) }, { id: 'b', values: seasonal(120, 96).map((v) => 2 * v + 3) }], { grid: 'M' });
  return { fit, now };
}

test('new rows: counted per series; data that no longer holds a series\' last training time is refused', async () => {
  const { fit, now } = await trained();
  assert.deepEqual(newData(fit.model, now, 'm.json'), { rows: 48, series: [] });
  const withNew = makeDataset([...now.series.map((series) => ({ id: series.id, values: series.values })), { id: 'c', values: seasonal(50) }], { grid: 'M' });
  assert.deepEqual(newData(fit.model, withNew, 'm.json'), { rows: 98, series: ['c'] });
  const cut = makeDataset([{ id: 'a', values: seasonal(90) }], { grid: 'M' });
  assert.throws(() => newData(fit.model, cut, 'm.json'), (error: unknown) => error instanceof DataError && /m\.json: the model's last training time of series 'a', 2007-12, is not among the times of /.test(error.message));
});

test('an update: every member from its saved weights, the same bits in member workers and for any --jobs', async () => {
  const { fit, now } = await trained(2);
  const added = newData(fit.model, now, 'm.json');
  const inThread = await updateModel(fit.model, fit.networks, now, added, budget(), hooks);
  const oneJob = await updateModel(fit.model, fit.networks, now, added, budget(), { ...hooks, workers: true });
  const twoJobs = await updateModel(fit.model, fit.networks, now, added, budget({ jobs: 2 }), { ...hooks, workers: true });
  assert.ok(!inThread.interrupted && !oneJob.interrupted && !twoJobs.interrupted);
  for (const other of [oneJob, twoJobs]) {
    assert.deepEqual(other.model.weights, inThread.model.weights);
    assert.deepEqual(other.model.ensembleWeights, inThread.model.ensembleWeights);
    assert.deepEqual(other.model.calibration, inThread.model.calibration);
    assert.equal(other.model.data.correctionWeight, inThread.model.data.correctionWeight);
  }
  const [entry] = inThread.model.updates!;
  assert.equal(entry!.rowsAdded, 48);
  assert.ok(entry!.valLossAfter! < entry!.valLossBefore!, `the newest windows: ${entry!.valLossBefore} → ${entry!.valLossAfter}`);
  assert.notDeepEqual(inThread.model.weights, fit.model.weights, 'the first member moved');
  assert.deepEqual(inThread.model.config, fit.model.config);
  assert.equal(inThread.model.data.series[0]!.scale, fit.model.data.series[0]!.scale, 'a known series keeps its scale');
  assert.equal(inThread.model.data.series[0]!.rows, 120);
  // The lineage survives the file.
  assert.deepEqual(validateModel(JSON.parse(serializeModel(inThread.model)), 'm.json').updates, inThread.model.updates);
});

test('a series too short to train on when the model was trained gets scales of its own once it is long enough', async () => {
  const old = makeDataset([{ id: 'a', values: seasonal(96) }, { id: 'short', values: seasonal(10).map((v) => 100 * v) }], { grid: 'M' });
  const fit = await fitModel(old, defaults({ hiddenSize: 8, steps: 20, horizon: 6 }), hooks);
  const stored = fit.model.data.series[1]!;
  assert.deepEqual([stored.method, stored.scale], ['seasonal_naive', 1], 'not trained on: no scale of its own');
  const now = makeDataset([{ id: 'a', values: seasonal(100) }, { id: 'short', values: seasonal(100).map((v) => 100 * v) }], { grid: 'M' });
  const updated = await updateModel(fit.model, fit.networks, now, newData(fit.model, now, 'm.json'), budget(), hooks);
  assert.ok(!updated.interrupted);
  const record = updated.model.data.series[1]!;
  assert.ok(record.scale > 10, `its scale is fitted on its own values (about 100 times a's): ${record.scale}`);
  assert.notEqual(record.validation, null);
});

test('a malformed lineage is refused on load, naming the field', async () => {
  const { fit } = await trained();
  const document = JSON.parse(serializeModel(fit.model));
  const refused = (updates: unknown, message: RegExp): void => {
    assert.throws(() => validateModel({ ...document, updates }, 'm.json'), (error: unknown) => error instanceof DataError && message.test(error.message));
  };
  refused({}, /^m\.json: updates must be a list$/);
  refused([null], /^m\.json: updates\[0\] must be an object$/);
  refused([{ time: 't', rowsAdded: -1, seriesAdded: 0, steps: 1, valLossBefore: 1, valLossAfter: 1, seconds: 1 }], /updates\[0\]\.rowsAdded/);
  assert.equal(validateModel(document, 'm.json').updates, undefined, 'a model never updated has no lineage');
});
