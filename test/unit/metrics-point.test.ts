import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mae, mape, mase, maseScale, rmse, smape } from '../../src/metrics/point.js';

const close = (actual: number, expected: number, tolerance = 1e-12): void => {
  assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} vs ${expected} (diff ${Math.abs(actual - expected)})`);
};

test('mae and rmse by hand', () => {
  const actual = [1, 2, 3, 4];
  const forecast = [2, 2, 1, 4]; // errors -1, 0, 2, 0
  close(mae(actual, forecast), 3 / 4);
  close(rmse(actual, forecast), Math.sqrt(5 / 4));
});

test('mae and rmse skip masked positions; all masked gives NaN', () => {
  const actual = new Float64Array([1, 2, 3, 4]);
  const forecast = new Float64Array([2, 2, 1, 4]);
  const mask = new Uint8Array([1, 1, 0, 1]); // drops the error of 2
  close(mae(actual, forecast, mask), 1 / 3);
  close(rmse(actual, forecast, mask), Math.sqrt(1 / 3));
  assert.ok(Number.isNaN(mae(actual, forecast, new Uint8Array(4))));
  assert.ok(Number.isNaN(rmse([], [])));
});

test('arrays of different lengths are a bug and throw', () => {
  assert.throws(() => mae([1, 2], [1]), RangeError);
  assert.throws(() => smape([1, 2], [1, 2], new Uint8Array(3)), RangeError);
});

test('mape is in percent and skips zero actuals, counting them', () => {
  // |10-8|/10 = 0.2, actual 0 skipped, |-4-(-5)|/4 = 0.25 → mean 0.225 → 22.5 %
  const result = mape([10, 0, -4], [8, 3, -5]);
  close(result.value, 22.5);
  assert.equal(result.skipped, 1);
});

test('mape with every actual zero is NaN, with the count', () => {
  const result = mape([0, 0, 0], [1, 2, 3]);
  assert.ok(Number.isNaN(result.value));
  assert.equal(result.skipped, 3);
});

test('mape: a masked zero is neither counted nor reported as skipped', () => {
  const result = mape([0, 5], [1, 4], new Uint8Array([0, 1]));
  close(result.value, 20);
  assert.equal(result.skipped, 0);
});

test('smape on the 0-200 scale by hand', () => {
  // 200/3 · (|10-8|/18 + |0-3|/3 + |4-4|/8) = 200/3 · (1/9 + 1 + 0)
  close(smape([10, 0, 4], [8, 3, 4]), (200 / 3) * (1 / 9 + 1));
  // opposite signs reach the ceiling: |2-(-2)|/(2+2) = 1 → 200
  close(smape([2], [-2]), 200);
});

test('smape counts a both-zero term as a perfect 0, not undefined', () => {
  close(smape([0, 0], [0, 0]), 0);
  close(smape([0, 1], [0, 3]), (200 / 2) * (2 / 4));
});

test('smape with a mask', () => {
  close(smape([1, 100], [3, 100], new Uint8Array([0, 1])), 0);
});

test('maseScale: in-sample seasonal naive MAE', () => {
  // season 2: |3-1|, |2-2|, |6-3| over 3 pairs = 5/3
  const { scale, season } = maseScale([1, 2, 3, 2, 6], 2);
  close(scale, 5 / 3);
  assert.equal(season, 2);
});

test('maseScale falls back to m = 1 when the history is shorter than season + 1', () => {
  // 3 points, season 4: naive differences |3-1|, |2-3| → 1.5
  assert.deepEqual(maseScale([1, 3, 2], 4), { scale: 1.5, season: 1 });
  // exactly season + 1 points keeps the season: one difference |5-1|
  assert.deepEqual(maseScale([1, 9, 9, 5], 3), { scale: 4, season: 3 });
});

test('maseScale: constant history gives 0, one point gives NaN, season 0 acts as 1', () => {
  assert.equal(maseScale([7, 7, 7, 7], 2).scale, 0);
  assert.ok(Number.isNaN(maseScale([7], 1).scale));
  assert.deepEqual(maseScale([1, 2, 4], 0), { scale: 1.5, season: 1 });
  assert.throws(() => maseScale([1, 2, 4], 1.5), RangeError);
});

test('mase by hand', () => {
  const history = [1, 2, 3, 2, 6]; // season-2 scale 5/3
  const actual = [5, 7];
  const forecast = [4, 9]; // mae 1.5
  close(mase(actual, forecast, history, 2), 1.5 / (5 / 3));
  // non-seasonal: naive scale (1 + 1 + 1 + 4)/4 = 7/4
  close(mase(actual, forecast, history, 1), 1.5 / (7 / 4));
});

test('mase with a season longer than the history uses the naive scale', () => {
  close(mase([4], [2], [1, 3, 2], 12), 2 / 1.5);
});

test('mase on a constant history is NaN (reported as null), never Infinity', () => {
  assert.ok(Number.isNaN(mase([5, 6], [5, 5], [5, 5, 5, 5], 2)));
  assert.ok(Number.isNaN(mase([5], [5], [5, 5, 5], 1)));
});

test('mase with a mask', () => {
  close(mase([5, 100], [4, 0], [0, 1, 2], 1, new Uint8Array([1, 0])), 1);
});
