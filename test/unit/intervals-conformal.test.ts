import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyCalibration, conformalQuantiles, conformalRank, fitCalibration } from '../../src/forecast/intervals.js';

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

test('fitCalibration: per step and level, JSON-able, flags capped levels', () => {
  const step1 = SAMPLE;
  const step2 = SAMPLE.map((r) => -2 * r); // signs are dropped
  const calibration = fitCalibration([step1, step2, []], [95, 80]);
  assert.deepEqual(calibration.levels, [80, 95]);
  assert.deepEqual(calibration.residualCount, [9, 9, 0]);
  assert.deepEqual(calibration.quantiles['80'], [0.8, 1.6, null]);
  assert.deepEqual(calibration.quantiles['95'], [0.9, 1.8, null]);
  assert.deepEqual(calibration.capped['80'], [false, false, true]);
  assert.deepEqual(calibration.capped['95'], [true, true, true]);
  assert.equal(calibration.method, 'split-conformal');
  assert.deepEqual(JSON.parse(JSON.stringify(calibration)), calibration);
});

test('applyCalibration: forecast ± q per step, NaN where uncalibrated', () => {
  const calibration = fitCalibration([SAMPLE, SAMPLE.map((r) => 2 * r), []], [80]);
  const { lower, upper } = applyCalibration([10, 20, 30], calibration, 80);
  assert.ok(Math.abs(lower[0] - 9.2) < 1e-12 && Math.abs(upper[0] - 10.8) < 1e-12);
  assert.ok(Math.abs(lower[1] - 18.4) < 1e-12 && Math.abs(upper[1] - 21.6) < 1e-12);
  assert.ok(Number.isNaN(lower[2]) && Number.isNaN(upper[2]));
  assert.throws(() => applyCalibration([1], calibration, 95), RangeError);
  assert.throws(() => applyCalibration([1, 2, 3, 4], calibration, 80), RangeError);
});

test('intervals are monotone in level', () => {
  const residuals = Array.from({ length: 200 }, (_, i) => Math.abs(Math.sin(i * 12.9898) * 43758.5453) % 1);
  const levels = [10, 25, 50, 66, 80, 90, 95, 99];
  const calibration = fitCalibration([residuals, residuals.map((r) => r * 3)], levels);
  for (let h = 0; h < 2; h++) {
    for (let j = 1; j < levels.length; j++) {
      const narrower = calibration.quantiles[String(levels[j - 1])][h]!;
      const wider = calibration.quantiles[String(levels[j])][h]!;
      assert.ok(wider >= narrower, `step ${h + 1}: ${levels[j]} ${wider} < ${levels[j - 1]} ${narrower}`);
    }
  }
  const a = applyCalibration([0, 0], calibration, 80);
  const b = applyCalibration([0, 0], calibration, 95);
  assert.ok(b.lower[0] <= a.lower[0] && b.upper[1] >= a.upper[1]);
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

