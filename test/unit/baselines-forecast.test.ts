import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BASELINE_METHODS,
  baselineForecast,
  driftForecast,
  driftIntervals,
  naiveForecast,
  naiveIntervals,
  seasonalNaiveForecast,
  seasonalNaiveIntervals,
} from '../../src/backtest/baselines.js';

const Z80 = 1.2815515655446004;
const Z95 = 1.959963984540054;

const closeArrays = (actual: ArrayLike<number>, expected: number[], tolerance = 1e-9): void => {
  assert.equal(actual.length, expected.length, 'length');
  for (let i = 0; i < expected.length; i++) {
    assert.ok(Math.abs(actual[i]! - expected[i]!) <= tolerance, `[${i}] ${actual[i]} vs ${expected[i]}`);
  }
};

test('naive repeats the last value', () => {
  const forecast = naiveForecast([1, 3, 2, 5], 3);
  assert.ok(forecast instanceof Float64Array);
  assert.deepEqual([...forecast], [5, 5, 5]);
  assert.deepEqual([...naiveForecast([7], 2)], [7, 7]);
  assert.equal(naiveForecast([7], 0).length, 0);
});

test('naive intervals: sigma from one-step residuals, widening with sqrt(h)', () => {
  // residuals 2, -1, 3 → sigma² = 14/3
  const sigma = Math.sqrt(14 / 3);
  const bands = naiveIntervals([1, 3, 2, 5], 3, [80, 95]);
  const band80 = bands[0]!, band95 = bands[1]!;
  assert.equal(band80.level, 80);
  closeArrays(band80.lower, [1, 2, 3].map((h) => 5 - Z80 * sigma * Math.sqrt(h)));
  closeArrays(band80.upper, [1, 2, 3].map((h) => 5 + Z80 * sigma * Math.sqrt(h)));
  closeArrays(band95.upper, [1, 2, 3].map((h) => 5 + Z95 * sigma * Math.sqrt(h)));
});

test('seasonal naive repeats the last season', () => {
  const result = seasonalNaiveForecast([1, 3, 2, 5, 4, 6], 5, 2);
  assert.deepEqual([...result.forecast], [4, 6, 4, 6, 4]);
  assert.equal(result.season, 2);
  assert.equal(result.fellBackToNaive, false);
  // a history of exactly one season is enough for the point forecast
  assert.deepEqual([...seasonalNaiveForecast([1, 3, 2], 4, 3).forecast], [1, 3, 2, 1]);
});

test('seasonal naive with a season longer than the history falls back to naive and says so', () => {
  const result = seasonalNaiveForecast([1, 3, 2], 2, 4);
  assert.deepEqual([...result.forecast], [2, 2]);
  assert.equal(result.season, 1);
  assert.equal(result.fellBackToNaive, true);
  // season 1 and season 0 are plain naive, not a fallback
  assert.equal(seasonalNaiveForecast([1, 3, 2], 2, 1).fellBackToNaive, false);
  assert.deepEqual([...seasonalNaiveForecast([1, 3, 2], 2, 0).forecast], [2, 2]);
});

test('seasonal naive intervals: sigma from seasonal residuals, sqrt(k+1) per whole season', () => {
  // lag-2 residuals 1, 2, 2, 1 → sigma² = 10/4
  const sigma = Math.sqrt(2.5);
  const band = seasonalNaiveIntervals([1, 3, 2, 5, 4, 6], 5, 2, [80])[0]!;
  const k = [0, 0, 1, 1, 2];
  closeArrays(band.lower, [4, 6, 4, 6, 4].map((f, h) => f - Z80 * sigma * Math.sqrt(k[h]! + 1)));
  closeArrays(band.upper, [4, 6, 4, 6, 4].map((f, h) => f + Z80 * sigma * Math.sqrt(k[h]! + 1)));
});

test('seasonal naive intervals after a fallback are the naive ones', () => {
  const fallback = seasonalNaiveIntervals([1, 3, 2, 5], 3, 12, [80, 95]);
  const naive = naiveIntervals([1, 3, 2, 5], 3, [80, 95]);
  assert.deepEqual(fallback, naive);
});

test('seasonal naive intervals with exactly one season of history are NaN (no residuals)', () => {
  const band = seasonalNaiveIntervals([1, 3, 2], 2, 3, [80])[0]!;
  assert.ok(Number.isNaN(band.lower[0]) && Number.isNaN(band.upper[1]));
});

test('drift extends the line through the first and last points', () => {
  assert.deepEqual([...driftForecast([1, 2, 4, 7], 3)], [9, 11, 13]);
  assert.deepEqual([...driftForecast([10, 8], 2)], [6, 4]);
  assert.deepEqual([...driftForecast([5], 2)], [5, 5]); // one point → naive
});

test('drift intervals: sigma with one parameter spent, sqrt(h(1 + h/(N-1)))', () => {
  // differences 1, 2, 3 minus slope 2 → residuals -1, 0, 1; sigma² = 2 / (3 - 1) = 1
  const band = driftIntervals([1, 2, 4, 7], 3, [95])[0]!;
  const spread = [1, 2, 3].map((h) => Math.sqrt(h * (1 + h / 3)));
  closeArrays(band.lower, [9, 11, 13].map((f, i) => f - Z95 * spread[i]!));
  closeArrays(band.upper, [9, 11, 13].map((f, i) => f + Z95 * spread[i]!));
});

test('drift intervals on 1 or 2 points are NaN', () => {
  assert.ok(Number.isNaN(driftIntervals([5], 1, [80])[0]!.lower[0]));
  assert.ok(Number.isNaN(driftIntervals([1, 3], 1, [80])[0]!.upper[0]));
});

test('a constant history gives zero-width intervals', () => {
  const band = naiveIntervals([4, 4, 4, 4], 2, [95])[0]!;
  assert.deepEqual([...band.lower], [4, 4]);
  assert.deepEqual([...band.upper], [4, 4]);
});

test('intervals are wider at higher levels and contain the forecast, for every baseline', () => {
  const history = [3, 5, 4, 8, 6, 9, 7, 12, 10, 11];
  for (const method of BASELINE_METHODS) {
    const { forecast, intervals } = baselineForecast(method, history, 6, { season: 4, levels: [50, 80, 95, 99] });
    assert.equal(intervals.length, 4);
    for (let h = 0; h < 6; h++) {
      for (let j = 0; j < intervals.length; j++) {
        const band = intervals[j]!, f = forecast[h]!;
        assert.ok(band.lower[h]! < f && f < band.upper[h]!, `${method} contains`);
        if (j > 0) {
          const narrower = intervals[j - 1]!;
          assert.ok(band.lower[h]! < narrower.lower[h]!, `${method} monotone lower`);
          assert.ok(band.upper[h]! > narrower.upper[h]!, `${method} monotone upper`);
        }
      }
    }
  }
});

test('baselineForecast dispatches by name and reports the fallback', () => {
  const history = [1, 3, 2, 5];
  assert.deepEqual(baselineForecast('naive', history, 2, { season: 2, levels: [] }).forecast, naiveForecast(history, 2));
  assert.deepEqual(baselineForecast('drift', history, 2, { season: 2, levels: [] }).forecast, driftForecast(history, 2));
  const seasonal = baselineForecast('seasonal_naive', history, 2, { season: 7, levels: [80] });
  assert.equal(seasonal.fellBackToNaive, true);
  assert.equal(seasonal.intervals.length, 1);
  assert.deepEqual(baselineForecast('seasonal_naive', history, 2, { season: 2, levels: [] }).intervals, []);
});

test('bad arguments are bugs and throw', () => {
  assert.throws(() => naiveForecast([], 2), RangeError);
  assert.throws(() => driftForecast([1], -1), RangeError);
  assert.throws(() => seasonalNaiveForecast([1, 2], 2, 1.5), RangeError);
  assert.throws(() => naiveIntervals([1, 2], 2, [100]), RangeError);
});
