// Loss values and gradients of the mean reductions, with and without a mask.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lossForwardBackward } from '../../src/nn/loss.js';

const pred = Float64Array.from([1, -2, 0.5, 3]);
const target = Float64Array.from([0, 0, 0, 0]);

test('mse, mae, huber and quantile by hand', () => {
  const d = new Float64Array(4);
  assert.equal(lossForwardBackward('mse', pred, target, null, 4, d), (1 + 4 + 0.25 + 9) / 4);
  assert.deepEqual([...d], [0.5, -1, 0.25, 1.5]);
  assert.equal(lossForwardBackward('mae', pred, target, null, 4, d), 6.5 / 4);
  assert.deepEqual([...d], [0.25, -0.25, 0.25, 0.25]);
  // delta 1: |1| → 0.5 (not < 1), |−2| → 1.5, 0.5 → 0.125, 3 → 2.5
  assert.equal(lossForwardBackward('huber', pred, target, null, 4, d, { delta: 1 }), (0.5 + 1.5 + 0.125 + 2.5) / 4);
  assert.deepEqual([...d], [0.25, -0.25, 0.125, 0.25]);
  // q 0.9, e = −pred: over-predictions cost 0.1 per unit, the under-prediction 0.9
  const q = lossForwardBackward('quantile', pred, target, null, 4, d, { quantile: 0.9 });
  assert.ok(Math.abs(q - (0.1 * 1 + 0.9 * 2 + 0.1 * 0.5 + 0.1 * 3) / 4) < 1e-15);
  assert.deepEqual([...d].map((x) => Math.round(x * 1e12) / 1e12), [0.025, -0.225, 0.025, 0.025]);
});

test('a mask drops elements from the mean and zeroes their gradient', () => {
  const d = new Float64Array(4).fill(9);
  const mask = Uint8Array.from([1, 0, 0, 1]);
  assert.equal(lossForwardBackward('mse', pred, target, mask, 4, d), (1 + 9) / 2);
  assert.deepEqual([...d], [1, 0, 0, 3]);
  assert.equal(lossForwardBackward('mae', pred, target, Uint8Array.from([0, 0, 0, 0]), 4, d), 0);
  assert.deepEqual([...d], [0, 0, 0, 0]);
});

test('only the first count elements are used', () => {
  const d = new Float64Array(4).fill(7);
  assert.equal(lossForwardBackward('mse', pred, target, null, 2, d), 2.5);
  assert.deepEqual([...d], [1, -2, 7, 7]);
});
