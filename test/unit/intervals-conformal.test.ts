import { test } from 'node:test';
import assert from 'node:assert/strict';
import { conformalQuantiles, conformalRank } from '../../src/forecast/intervals.js';

// n = 9 absolute residuals, unsorted on purpose: sorted they are 0.1 … 0.9.
const SAMPLE = [0.5, 0.1, 0.3, 0.2, 0.4, 0.9, 0.7, 0.8, 0.6];

test('conformal rank is ceil((n+1)·level), capped at n', () => {
  assert.deepEqual(conformalRank(9, 80), { rank: 8, capped: false });
  assert.deepEqual(conformalRank(9, 90), { rank: 9, capped: false });
  assert.deepEqual(conformalRank(9, 95), { rank: 9, capped: true });
  assert.deepEqual(conformalRank(39, 97.5), { rank: 39, capped: false }); // 40·0.975 = 39 exactly
  assert.deepEqual(conformalRank(19, 95), { rank: 19, capped: false });
  assert.deepEqual(conformalRank(1, 10), { rank: 1, capped: false });
  assert.deepEqual(conformalRank(0, 80), { rank: 0, capped: true });
});

test('conformal quantile on a known sample', () => {
  const sorted = [...SAMPLE].sort((a, b) => a - b);
  assert.equal(conformalQuantiles(sorted, 50), 0.5); // ceil(10·0.5) = 5th
  assert.equal(conformalQuantiles(sorted, 80), 0.8); // 8th
  assert.equal(conformalQuantiles(sorted, 95), 0.9); // capped: the max
  assert.equal(conformalQuantiles(SAMPLE, 80), 0.8); // unsorted input is sorted first
  assert.ok(Number.isNaN(conformalQuantiles([], 80)));
});

test('conformal quantile from a sketch of many residuals never undershoots', () => {
  // 1000 residuals 1..1000 kept as 401 evenly spaced order statistics, as the model file does
  const n = 1000;
  const points = 401;
  const sketch: number[] = [];
  for (let j = 0; j < points; j++) sketch.push(Math.round((j * (n - 1)) / (points - 1)) + 1);
  for (const level of [50, 80, 90, 95, 99]) {
    const exact = conformalRank(n, level).rank; // the value equals its rank here
    const fromSketch = conformalQuantiles(sketch, level, n);
    assert.ok(fromSketch >= exact && fromSketch <= exact + n / (points - 1) + 1, `${level}: ${fromSketch} vs ${exact}`);
  }
});

test('conformal quantiles are monotone in level', () => {
  const residuals = Float64Array.from({ length: 200 }, (_, i) => Math.abs(Math.sin(i * 12.9898) * 43758.5453) % 1).sort();
  const levels = [10, 25, 50, 66, 80, 90, 95, 99];
  for (let j = 1; j < levels.length; j++) {
    const narrower = conformalQuantiles(residuals, levels[j - 1]!);
    const wider = conformalQuantiles(residuals, levels[j]!);
    assert.ok(wider >= narrower, `${levels[j]} ${wider} < ${levels[j - 1]} ${narrower}`);
  }
});

test('split-conformal covers at least the level on exchangeable data (marginally)', () => {
  // mulberry32: a deterministic stream, so the test never flakes
  let state = 12345;
  const uniform = (): number => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  // 4000 draws of 19 calibration residuals and 1 test residual: the guarantee is
  // P(test ≤ q) ≥ ceil(20·0.8)/20 = 0.80, averaged over calibration sets.
  const trials = 4000;
  let inside = 0;
  for (let trial = 0; trial < trials; trial++) {
    const calibrationSet = Float64Array.from({ length: 19 }, uniform).sort();
    if (uniform() <= conformalQuantiles(calibrationSet, 80)) inside++;
  }
  const share = inside / trials;
  console.log(`split-conformal 80% coverage over ${trials} trials: ${share}`);
  assert.ok(share >= 0.78 && share <= 0.83, `coverage ${share}`); // 0.80 ± 3 standard errors
});

