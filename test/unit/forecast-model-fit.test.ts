import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DataError } from '../../src/errors.js';
import { checkModelFits, dataFlagsForModel, withModelNeeds } from '../../src/forecast/model-fit.js';
import type { ModelFile } from '../../src/io/model-file.js';
import { makeDataset } from '../helpers/dataset.js';

/** The parts of a model file the fit checks read. */
function model(data: Partial<ModelFile['data']> = {}, lookback = 3): ModelFile {
  return {
    config: { lookback },
    data: { target: 'y', features: [], futureFeatures: [], idColumn: null, freq: 'D', transform: 'none', ...data },
  } as unknown as ModelFile;
}

const series = (n: number) => ({ values: Array.from({ length: n }, (_, i) => i) });

test('data that fits the model passes', () => {
  checkModelFits(model(), makeDataset([series(5)]), 'm.json');
  checkModelFits(model({ features: ['x'], idColumn: 'id' }), makeDataset([{ id: 'a', ...series(5), features: [[1, 2, 3, 4, 5]] }, { id: 'b', ...series(4), features: [[1, 2, 3, 4]] }], { features: ['x'] }), 'm.json');
});

test('each mismatch is a data error naming the model, the data and both values', () => {
  const cases: [ModelFile, ReturnType<typeof makeDataset>, RegExp][] = [
    [model({ target: 'sales' }), makeDataset([series(5)]), /^m\.json: the model was trained with target 'sales', but data\.csv has target 'y'$/],
    [model({ features: ['x'] }), makeDataset([series(5)]), /features x, but data\.csv has features \(none\)$/],
    [model({ idColumn: 'shop' }), makeDataset([series(5)]), /id column shop, but data\.csv has id column \(none\)$/],
    [model({ freq: 'M' }), makeDataset([series(5)]), /^m\.json: the model was trained with frequency M, but data\.csv has frequency D$/],
    [model({ freq: 'D' }), makeDataset([series(5)], { grid: 'M' }), /frequency D, but data\.csv has frequency M$/],
    [model({ features: ['promo'], futureFeatures: ['promo'] }), makeDataset([{ ...series(5), features: [[0, 1, 0, 0, 1]] }], { features: ['promo'] }),
      /^m\.json: the model was trained with known-future features \(--future-features\) promo, but data\.csv has known-future features \(--future-features\) \(none\)$/],
  ];
  for (const [fitted, data, message] of cases) assert.throws(() => checkModelFits(fitted, data, 'm.json'), (error: unknown) => error instanceof DataError && message.test(error.message), String(message));
});

test('with -m the columns default to the model\'s, the frequency is the data\'s own', () => {
  const flags = dataFlagsForModel({ fill: 'interpolate' }, model({ target: 'sales', features: ['price'], idColumn: 'shop', freq: 'M' }));
  assert.deepEqual(flags, { fill: 'interpolate', target: 'sales', features: ['price'], id: 'shop' });
  assert.equal(dataFlagsForModel({ fill: 'zero', target: 'other' }, model()).target, 'other', 'a flag given wins');
  assert.match(withModelNeeds(new DataError("x.csv:1: no column 'y'"), model({ features: ['p'] }), 'm.json').message, /\(model m\.json needs target 'y', features p, frequency D\)$/);
  // Known-future covariates default to the model's too, with the features they imply.
  const future = model({ features: ['price', 'promo'], futureFeatures: ['promo'] });
  assert.deepEqual(dataFlagsForModel({ fill: 'interpolate' }, future), { fill: 'interpolate', target: 'y', features: ['price', 'promo'], futureFeatures: ['promo'], id: undefined });
  assert.match(withModelNeeds(new DataError("x.csv:1: no column 'promo'"), future, 'm.json').message, /needs target 'y', features price,promo \(known ahead: promo\), frequency D\)$/);
});
