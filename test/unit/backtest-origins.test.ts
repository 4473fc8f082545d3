// Where the folds sit, and how the data is cut at their origins.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DataError, UsageError } from '../../src/errors.js';
import type { Dataset, Series } from '../../src/data/types.js';
import { foldOrigins, heldOutPoints, planOrigins } from '../../src/backtest/origins.js';
import { datasetBefore, sliceSeries } from '../../src/backtest/slice.js';
import { makeDataset, makeSeries } from '../helpers/dataset.js';

/** Monthly, with one feature x = 2y. */
const monthly = (id: string, values: number[]): Series => makeSeries({ id, values, features: [values.map((v) => v * 2)] }, 'M');
const dataset = (series: Series[]): Dataset => makeDataset(series, { grid: 'M', source: 'test.csv', features: ['x'], warnings: ['a warning about the whole file'] });

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

describe('fold origins', () => {
  test('the last fold ends on the last point; folds are a stride apart (default stride = horizon)', () => {
    assert.deepEqual(foldOrigins(144, { folds: 3, stride: 18, horizon: 18 }), [90, 108, 126]);
    const origins = foldOrigins(144, { folds: 3, stride: 18, horizon: 18 });
    assert.equal(origins.at(-1)! + 18, 144);
  });

  test('a stride shorter than the horizon overlaps the folds; longer leaves gaps', () => {
    assert.deepEqual(foldOrigins(100, { folds: 4, stride: 1, horizon: 5 }), [92, 93, 94, 95]);
    assert.deepEqual(foldOrigins(100, { folds: 2, stride: 10, horizon: 3 }), [87, 97]);
    assert.equal(heldOutPoints({ folds: 3, stride: 18, horizon: 18 }), 54);
  });

  test('one fold is the classic hold-out of the last horizon points', () => {
    assert.deepEqual(foldOrigins(50, { folds: 1, stride: 7, horizon: 10 }), [40]);
  });

  test('series of different lengths get origins from their own ends', () => {
    const data = dataset([monthly('a', range(60)), monthly('b', range(80))]);
    assert.deepEqual(planOrigins(data, { folds: 2, stride: 5, horizon: 5 }, 20), [
      [50, 55],
      [70, 75],
    ]);
  });

  test('a series too short for the folds is named with the length it needs', () => {
    const data = dataset([monthly('long', range(100)), monthly('short', range(40)), monthly('tiny', range(10))]);
    assert.throws(
      () => planOrigins(data, { folds: 3, stride: 6, horizon: 6 }, 30),
      (error: unknown) => {
        assert.ok(error instanceof DataError);
        assert.match(error.message, /series 'short' has 40 points/);
        assert.match(error.message, /at least 48 points/);
        assert.match(error.message, /1 more series is too short/);
        return true;
      },
    );
  });

  test('bad layouts are usage errors', () => {
    const data = dataset([monthly('', range(100))]);
    assert.throws(() => planOrigins(data, { folds: 0, stride: 6, horizon: 6 }, 10), UsageError);
    assert.throws(() => planOrigins(data, { folds: 2, stride: 0, horizon: 6 }, 10), UsageError);
  });
});

describe('cutting the data at an origin', () => {
  test('every array is copied up to the origin, nothing after it', () => {
    const series = monthly('a', range(30));
    series.imputed[5] = 1;
    const cut = sliceSeries(series, 0, 20);
    assert.equal(cut.values.length, 20);
    assert.equal(cut.times.length, 20);
    assert.equal(cut.features[0]!.length, 20);
    assert.equal(cut.imputed.length, 20);
    assert.equal(cut.lines.length, 20);
    assert.equal(cut.imputed[5], 1);
    // Copies, not views: the buffer behind them holds nothing past the origin.
    assert.equal(cut.values.buffer.byteLength, 20 * 8);
    assert.equal(cut.features[0]!.buffer.byteLength, 20 * 8);
    series.values[3] = 999;
    assert.equal(cut.values[3], 3);
  });

  test('datasetBefore cuts each series at its own end, or keeps a sliding window', () => {
    const data = dataset([monthly('a', range(60)), monthly('b', range(80))]);
    const expanding = datasetBefore(data, [50, 70]);
    assert.deepEqual(expanding.series.map((s) => s.values.length), [50, 70]);
    assert.equal(expanding.rowCount, 120);
    assert.deepEqual(expanding.warnings, []);
    assert.equal(data.series[0]!.values.length, 60, 'the original is untouched');
    const sliding = datasetBefore(data, [50, 70], 24);
    assert.deepEqual(sliding.series.map((s) => s.values.length), [24, 24]);
    assert.equal(sliding.series[0]!.values[0], 26);
    assert.equal(sliding.series[1]!.values.at(-1), 69);
    assert.equal(sliding.series[1]!.times.at(-1), Date.UTC(2000, 69, 1));
  });
});
