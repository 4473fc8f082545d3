// The warning a run prints when its model barely trained (kept round 0, or the best round was the first).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { trainingWarnings } from '../../src/cli/commands/shared.js';
import type { ModelFile, ModelTraining } from '../../src/io/model-file.js';
import { fitModel } from '../../src/train/fit.js';
import { makeDataset } from '../helpers/dataset.js';
import { defaults } from '../helpers/training.js';

const pattern = [5, 9, 14, 11, 7, 3, 2, 4, 8, 12, 10, 6];
const values = Array.from({ length: 96 }, (_, t) => pattern[t % 12]! + 0.3 * Math.sin(t * 1.7));

async function fitted(transform: 'seasonal-diff' | 'none'): Promise<ModelFile> {
  const dataset = makeDataset([{ values }], { grid: 'M' });
  const fit = await fitModel(dataset, defaults({ transform, steps: 4, epochs: 3, fallback: 'none', horizon: 6, ensemble: 2 }), { toolVersion: 'test' });
  return fit.model;
}

/** The model with its training record rewritten: best round `best` of `rounds` for every member. */
function trained(model: ModelFile, best: number, rounds: number, stoppedBy: ModelTraining['stoppedBy'] = 'early-stopping'): ModelFile {
  const members = model.training.members.map((member) => ({ ...member, bestEpoch: best, rounds, stoppedBy }));
  return { ...model, training: { ...model.training, bestEpoch: best, epochs: rounds, stoppedBy, members } };
}

test('kept round 0 with a baseline: the forecasts are the baseline, named, with what to try', async () => {
  const model = await fitted('seasonal-diff');
  const [warning, ...rest] = trainingWarnings(trained(model, 0, 12));
  assert.equal(rest.length, 0);
  assert.match(warning!, /never beat its baseline on validation \(kept round 0\): forecasts are the seasonal naive \(12\) baseline; try a larger --lr/);
});

test('kept round 0 without a baseline: validation never improved, and a baseline is suggested', async () => {
  const model = await fitted('none');
  assert.deepEqual(trainingWarnings(trained(model, 0, 12)), [
    'validation never improved on the untrained network: try a larger --lr (e.g. 0.01) or a --transform with a baseline (auto)',
  ]);
});

test('the best round the first of many: overfitting, with what to try; later rounds or one member trained: no warning', async () => {
  const model = await fitted('seasonal-diff');
  assert.match(trainingWarnings(trained(model, 1, 21))[0]!, /the best round was the first of 21: the network overfits quickly; try a smaller --lr/);
  assert.deepEqual(trainingWarnings(trained(model, 7, 21)), []);
  // One member of two trained: the ensemble is not its baseline, so no "kept round 0" warning.
  const mixed = trained(model, 0, 12);
  const members = mixed.training.members.map((member, index) => (index === 0 ? member : { ...member, bestEpoch: 5 }));
  assert.equal(members.length, 2);
  assert.deepEqual(trainingWarnings({ ...mixed, training: { ...mixed.training, members } }), []);
});

test('an interrupted run says nothing about how well it trained', async () => {
  const model = await fitted('seasonal-diff');
  assert.deepEqual(trainingWarnings(trained(model, 0, 3, 'interrupted')), []);
});
