import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalCdf, normalQuantile, zForLevel } from '../../src/metrics/normal.js';

const TOLERANCE = 1e-9;

test('normalQuantile against known values to 1e-9', () => {
  const known: [number, number][] = [
    [0.9, 1.2815515655446004],
    [0.975, 1.959963984540054],
    [0.5, 0],
    [0.1, -1.2815515655446004],
    [0.025, -1.959963984540054],
    [0.995, 2.5758293035489004],
    [0.02, -2.053748910631823], // Acklam's tail region starts below 0.02425
    [1e-10, -6.361340902404056],
  ];
  let worst = 0;
  for (const [p, z] of known) {
    const diff = Math.abs(normalQuantile(p) - z);
    worst = Math.max(worst, diff);
    assert.ok(diff <= TOLERANCE, `p=${p}: ${normalQuantile(p)} vs ${z}`);
  }
  console.log(`normalQuantile max abs difference ${worst.toExponential(2)}`);
});

test('zForLevel gives the two-sided quantile', () => {
  assert.ok(Math.abs(zForLevel(80) - 1.2815515655446004) <= TOLERANCE);
  assert.ok(Math.abs(zForLevel(95) - 1.959963984540054) <= TOLERANCE);
});

test('normalQuantile edges', () => {
  assert.equal(normalQuantile(0), -Infinity);
  assert.equal(normalQuantile(1), Infinity);
  assert.ok(Number.isNaN(normalQuantile(-0.1)));
  assert.ok(Number.isNaN(normalQuantile(1.5)));
  assert.ok(Number.isNaN(normalQuantile(NaN)));
});

test('normalCdf against known values and as the inverse of normalQuantile', () => {
  assert.ok(Math.abs(normalCdf(0) - 0.5) < 1e-16);
  assert.ok(Math.abs(normalCdf(1.959963984540054) - 0.975) < 1e-15);
  assert.ok(Math.abs(normalCdf(-3) / 1.3498980316300946e-3 - 1) < 1e-12);
  assert.ok(Math.abs(normalCdf(-10) / 7.619853024160527e-24 - 1) < 1e-12);
  for (let p = 0.001; p < 1; p += 0.0173) {
    assert.ok(Math.abs(normalCdf(normalQuantile(p)) - p) < 1e-14, `round trip at ${p}`);
  }
  // monotone and symmetric
  for (let x = -6; x < 6; x += 0.37) {
    assert.ok(normalCdf(x) < normalCdf(x + 0.01));
    assert.ok(Math.abs(normalCdf(x) + normalCdf(-x) - 1) < 1e-15);
  }
});
