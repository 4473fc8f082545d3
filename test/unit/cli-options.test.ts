import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UsageError } from '../../src/errors.js';
import { toDataFlags, toOutputOptions, toTrainingOptions } from '../../src/cli/options.js';

test('training options take PRODUCT.md defaults', () => {
  const options = toTrainingOptions({});
  assert.equal(options.cell, 'lstm');
  assert.equal(options.hiddenSize, 64);
  assert.equal(options.numLayers, 1);
  assert.equal(options.epochs, 200);
  assert.equal(options.batchSize, 32);
  assert.equal(options.lr, 0.001);
  assert.equal(options.patience, 20);
  assert.equal(options.clipNorm, 1);
  assert.equal(options.clipValue, null);
  assert.equal(options.valSize, 0.2);
  assert.equal(options.seed, 42);
  assert.equal(options.horizon, undefined);
  assert.ok(options.jobs >= 1);
});

test('every numeric flag out of range is a usage error naming the flag and the value', () => {
  const cases: [string, unknown][] = [
    ['hidden', 0],
    ['hidden', -3],
    ['hidden', 2.5],
    ['layers', 0],
    ['lookback', 0],
    ['horizon', -1],
    ['epochs', 0],
    ['batch-size', 0],
    ['lr', 0],
    ['lr', -0.1],
    ['patience', 0],
    ['val-size', 0],
    ['val-size', 1],
    ['val-size', 1.5],
    ['dropout', 1],
    ['clip-norm', -1],
    ['hidden', Number.NaN],
    ['hidden', 'abc'],
  ];
  for (const [flag, value] of cases) {
    assert.throws(
      () => toTrainingOptions({ [flag]: value }),
      (error: unknown) => error instanceof UsageError && (error.message.startsWith(`--${flag} `) || error.message.startsWith(`--${flag}:`)),
      `--${flag} ${String(value)}`,
    );
  }
});

test('a flag given twice is a usage error', () => {
  assert.throws(() => toTrainingOptions({ hidden: [3, 4] }), /--hidden was given more than once/);
});

test('data flags: lists, tab delimiter, conflicting roles', () => {
  const flags = toDataFlags({ features: 'PetrolPrice, law', delimiter: 'tab' });
  assert.deepEqual(flags.features, ['PetrolPrice', 'law']);
  assert.equal(flags.delimiter, '\t');
  assert.equal(flags.fill, 'interpolate');
  assert.throws(() => toDataFlags({ target: 'a', features: 'a,b' }), /--target and --features both name column 'a'/);
  assert.throws(() => toDataFlags({ delimiter: ';;' }), /--delimiter/);
  assert.throws(() => toDataFlags({ fill: 'mean' }), /--fill mean: expected one of/);
});

test('output format from --format, else the extension, else csv', () => {
  assert.deepEqual(toOutputOptions({}), { path: undefined, format: 'csv' });
  assert.equal(toOutputOptions({ output: 'x.json' }).format, 'json');
  assert.equal(toOutputOptions({ output: 'x.ndjson' }).format, 'ndjson');
  assert.equal(toOutputOptions({ output: 'x.txt' }).format, 'csv');
  assert.equal(toOutputOptions({ output: 'x.json', format: 'csv' }).format, 'csv');
});
