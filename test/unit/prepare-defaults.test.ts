// The default lookback and the too-short-series message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkSeriesLength, chooseLookback } from '../../src/data/defaults.js';
import { splitWindows, windowCount } from '../../src/data/window.js';
import type { Dataset } from '../../src/data/types.js';
import { makeDataset } from '../helpers/dataset.js';

/** One monthly series per entry, values 1..n; idColumn 'id' always (the message names the series). */
const seriesOfLengths = (lengths: Record<string, number>): Dataset =>
  makeDataset(Object.entries(lengths).map(([id, n]) => ({ id, values: Array.from({ length: n }, (_, t) => t + 1) })), { grid: 'M', idColumn: 'id' });

const trainWindows = (length: number, lookback: number, horizon: number, valSize: number): number =>
  splitWindows(windowCount(length, lookback, horizon), horizon, valSize).train;

test('chooseLookback, monthly (season 12, horizon 18)', () => {
  // AirPassengers: 144 points → two seasons, 65 training windows.
  assert.equal(chooseLookback({ season: 12, horizon: 18, shortestSeries: 144, valSize: 0.2 }), 24);
  assert.equal(trainWindows(144, 24, 18, 0.2), 65);
  // 60 points: 24 leaves no training window; shrinking stops at one season (8 windows).
  assert.equal(chooseLookback({ season: 12, horizon: 18, shortestSeries: 60, valSize: 0.2 }), 12);
  assert.equal(trainWindows(60, 12, 18, 0.2), 8);
  // 80 points: the longest lookback with at least 16 training windows.
  const lookback = chooseLookback({ season: 12, horizon: 18, shortestSeries: 80, valSize: 0.2 });
  assert.equal(lookback, 22);
  assert.ok(trainWindows(80, 22, 18, 0.2) >= 16 && trainWindows(80, 23, 18, 0.2) < 16);
  // 36 points cannot hold a validation window at horizon 18: the desired value, for the check to explain.
  assert.equal(chooseLookback({ season: 12, horizon: 18, shortestSeries: 36, valSize: 0.2 }), 24);
  // Without validation it fits with one season.
  assert.equal(chooseLookback({ season: 12, horizon: 18, shortestSeries: 36, valSize: 0 }), 12);
});

test('chooseLookback, daily (season 7, horizon 14) and other cases', () => {
  assert.equal(chooseLookback({ season: 7, horizon: 14, shortestSeries: 365, valSize: 0.2 }), 14);
  assert.equal(chooseLookback({ season: 7, horizon: 14, shortestSeries: 60, valSize: 0.2 }), 11);
  // Hourly: two days; no season: the horizon; a long season: one season.
  assert.equal(chooseLookback({ season: 24, horizon: 48, shortestSeries: 5000, valSize: 0.2 }), 48);
  assert.equal(chooseLookback({ season: 1, horizon: 6, shortestSeries: 50, valSize: 0.2 }), 6);
  assert.equal(chooseLookback({ season: 168, horizon: 48, shortestSeries: 5000, valSize: 0.2 }), 168);
  // diff costs one point.
  assert.equal(chooseLookback({ season: 12, horizon: 18, shortestSeries: 81, valSize: 0.2, transform: 'diff' }), 22);
});

test('checkSeriesLength names the series and the minimum length', () => {
  checkSeriesLength(seriesOfLengths({ A: 42 }), 24, 18, 0, 'data.csv');
  assert.throws(() => checkSeriesLength(seriesOfLengths({ A: 40 }), 24, 18, 0, 'data.csv'), {
    name: 'DataError',
    message: "data.csv: series 'A' has 40 points; lookback 24 + horizon 18 needs at least 42; try --lookback 22 or a shorter --horizon",
  });
  // diff needs one point more.
  assert.throws(() => checkSeriesLength(seriesOfLengths({ A: 42 }), 24, 18, 0, 'data.csv', 'diff'), {
    message: "data.csv: series 'A' has 42 points; lookback 24 + horizon 18 + 1 for --transform diff needs at least 43; try --lookback 23 or a shorter --horizon",
  });
  // Validation: 22 windows (4 validation, a gap of 17, 1 training) → 22 + 24 + 18 - 1 = 63 points.
  checkSeriesLength(seriesOfLengths({ A: 63 }), 24, 18, 0.2, 'data.csv');
  assert.throws(() => checkSeriesLength(seriesOfLengths({ B: 100, A: 50, C: 10 }), 24, 18, 0.2, 'data.csv'), {
    message:
      "data.csv: series 'A' has 50 points; lookback 24 + horizon 18 needs at least 42, and 63 to also hold out --val-size 0.2 for validation; try --lookback 11, a shorter --horizon or --val-size 0 (1 more series is too short)",
  });
  // A single series file has no id.
  assert.throws(() => checkSeriesLength(seriesOfLengths({ '': 36 }), 24, 18, 0.2, '-'), {
    message:
      '<stdin>: the series has 36 points; lookback 24 + horizon 18 needs at least 42, and 63 to also hold out --val-size 0.2 for validation; try a shorter --horizon',
  });
});
