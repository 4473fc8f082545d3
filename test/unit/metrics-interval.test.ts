import { test } from 'node:test';
import assert from 'node:assert/strict';
import { coverage, meanWidth } from '../../src/metrics/interval.js';

test('coverage counts actuals inside [lower, upper], bounds included', () => {
  const actual = [1, 2, 3, 4, 5];
  const lower = [0, 2, 3.5, 0, 6];
  const upper = [2, 3, 4, 4, 7]; // inside, on lower bound, below, on upper bound, below
  assert.equal(coverage(actual, lower, upper), 3 / 5);
});

test('coverage with a mask, and NaN when nothing counts', () => {
  const mask = new Uint8Array([0, 1, 1, 0, 0]);
  assert.equal(coverage([1, 2, 3, 4, 5], [0, 2, 3.5, 0, 6], [2, 3, 4, 4, 7], mask), 1 / 2);
  assert.ok(Number.isNaN(coverage([1], [0], [2], new Uint8Array(1))));
});

test('coverage is NaN when a counted bound is NaN', () => {
  assert.ok(Number.isNaN(coverage([1, 2], [0, NaN], [2, 3])));
  assert.equal(coverage([1, 2], [0, NaN], [2, 3], new Uint8Array([1, 0])), 1);
});

test('meanWidth by hand, with a mask', () => {
  assert.equal(meanWidth([0, 1, 2], [2, 2, 6]), (2 + 1 + 4) / 3);
  assert.equal(meanWidth([0, 1, 2], [2, 2, 6], new Uint8Array([1, 0, 1])), 3);
  assert.ok(Number.isNaN(meanWidth([], [])));
});
