import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeMetrics, coverageKey, finiteOrNull, metricLoss, widthKey } from '../../src/metrics/metric-set.js';
import type { MetricSet } from '../../src/metrics/metric-set.js';
import { m4Summary, meanMetricSets, owa } from '../../src/metrics/aggregate.js';

// undefined: a per-level key (coverage_80, …) that the set does not have.
const close = (actual: number | null | undefined, expected: number, tolerance = 1e-12): void => {
  assert.ok(typeof actual === 'number' && Math.abs(actual - expected) <= tolerance, `${actual} vs ${expected}`);
};

test('computeMetrics: every key, in document order, valid JSON', () => {
  const set = computeMetrics({
    actual: [10, 0, 4],
    forecast: [8, 3, 4],
    history: [1, 2, 3, 2, 6],
    season: 2,
    intervals: [
      { level: 80, lower: [9, -1, 4.5], upper: [11, 1, 5] },
      { level: 95, lower: [8, -2, 3], upper: [12, 2, 5] },
    ],
  });
  assert.deepEqual(Object.keys(set), ['mae', 'rmse', 'mape', 'smape', 'mase', 'coverage_80', 'width_80', 'coverage_95', 'width_95', 'mape_skipped']);
  close(set.mae, 5 / 3);
  close(set.rmse, Math.sqrt(13 / 3));
  close(set.mape, 10); // 20 % on the first, zero skipped, 0 % on the last
  close(set.smape, (200 / 3) * (1 / 9 + 1));
  close(set.mase, 5 / 3 / (5 / 3));
  close(set.coverage_80, 2 / 3);
  close(set.width_80, (2 + 2 + 0.5) / 3);
  close(set.coverage_95, 1);
  close(set.width_95, (4 + 4 + 2) / 3);
  assert.equal(set.mape_skipped, 1);
  assert.deepEqual(JSON.parse(JSON.stringify(set)), set);
});

test('computeMetrics: undefined metrics are null, never NaN', () => {
  const set = computeMetrics({ actual: [0, 0], forecast: [0, 0], history: [3, 3, 3], season: 1, intervals: [] });
  assert.equal(set.mape, null);
  assert.equal(set.mape_skipped, 2);
  assert.equal(set.mase, null); // constant history: scale 0
  assert.equal(set.mae, 0);
  assert.equal(set.smape, 0);
  assert.ok(!JSON.stringify(set).includes('NaN'));
});

test('computeMetrics honours the mask everywhere', () => {
  const set = computeMetrics({
    actual: [1, 50],
    forecast: [2, 0],
    history: [0, 1],
    season: 1,
    intervals: [{ level: 80, lower: [0, 60], upper: [3, 70] }],
    mask: new Uint8Array([1, 0]),
  });
  close(set.mae, 1);
  close(set.mase, 1);
  close(set.coverage_80, 1);
  close(set.width_80, 3);
});

test('level keys', () => {
  assert.equal(coverageKey(80), 'coverage_80');
  assert.equal(widthKey(97.5), 'width_97.5');
  assert.equal(finiteOrNull(Infinity), null);
  assert.equal(finiteOrNull(-0.5), -0.5);
});

test('metricLoss: lower is better, coverage by distance from nominal', () => {
  close(metricLoss('coverage_80', 0.7), 0.1);
  close(metricLoss('coverage_80', 0.9), 0.1);
  assert.equal(metricLoss('mase', 0.8), 0.8);
  assert.equal(metricLoss('mase', null), null);
  assert.equal(metricLoss('mape_skipped', 3), null);
});

const set = (mae: number | null, mase: number | null, smape: number | null, skipped = 0): MetricSet =>
  ({ mae, rmse: mae, mape: null, smape, mase, coverage_80: mae === null ? null : 0.5, mape_skipped: skipped }) as MetricSet;

test('meanMetricSets ignores nulls, sums mape_skipped, keeps key order', () => {
  const mean = meanMetricSets([set(1, 2, 10, 1), set(3, null, 20, 2), set(null, 4, null)]);
  assert.deepEqual(Object.keys(mean), ['mae', 'rmse', 'mape', 'smape', 'mase', 'coverage_80', 'mape_skipped']);
  assert.equal(mean.mae, 2);
  assert.equal(mean.mase, 3);
  assert.equal(mean.smape, 15);
  assert.equal(mean.mape, null);
  assert.equal(mean.coverage_80, 0.5);
  assert.equal(mean.mape_skipped, 3);
});

test('m4Summary pools every forecast; owa against a reference', () => {
  const model = m4Summary([set(1, 0.5, 10), set(1, 1.5, 30), set(1, null, 20)]);
  assert.deepEqual(model, { smape: 20, mase: 1, smapeCount: 3, maseCount: 2 });
  const reference = m4Summary([set(1, 2, 40), set(1, 2, 40), set(1, null, 40)]);
  close(owa(model, reference), 0.5 * (20 / 40 + 1 / 2));
  assert.equal(owa(model, m4Summary([])), null);
});
