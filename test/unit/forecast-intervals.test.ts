// Interval half-widths read from a model's calibration: levels the residuals cannot reach are
// stretched, never equal to a lower level's (issue: 80 % and 95 % bands came out identical).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { halfWidths, laplaceHalfWidth } from '../../src/forecast/predict.js';
import { windowSpread } from '../../src/forecast/intervals.js';
import type { ModelCalibration } from '../../src/io/model-file.js';

function calibration(residuals: number[][]): ModelCalibration {
  const sorted = residuals.map((step) => [...step].sort((a, b) => a - b));
  const rms = sorted.map((step) => Math.sqrt(step.reduce((sum, value) => sum + value * value, 0) / step.length));
  return { method: 'split-conformal', space: 'normalized', windows: residuals[0]!.length, residuals: sorted, rms } as ModelCalibration;
}

test('few residuals: every level gets its own width, higher levels wider, and the approximation is flagged', () => {
  const residuals = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]; // 6 residuals read levels up to 6/7 ≈ 85.7 %
  const model = calibration([residuals, residuals.map((value) => 2 * value)]);
  const levels = [50, 80, 90, 95, 99];
  const widths = levels.map((level) => halfWidths(model, level));
  for (let i = 1; i < levels.length; i++) {
    for (let step = 0; step < 2; step++) assert.ok(widths[i]!.perStep[step]! > widths[i - 1]!.perStep[step]!, `${levels[i]} % wider than ${levels[i - 1]} % at step ${step}`);
  }
  assert.deepEqual(widths.map((width) => width.approximated), [false, false, true, true, true]);
  // Within reach the conformal quantile is used as it is: rank ceil(7 · 0.8) = 6 of 6.
  assert.equal(widths[1]!.perStep[0], 0.6);
  // Beyond reach never below the largest residual.
  assert.ok(widths[2]!.perStep[0]! >= 0.6);
});

test('enough residuals: the conformal quantile, with normal (root mean square) and Laplace (mean) bands as the floor', () => {
  const residuals = Array.from({ length: 99 }, (_, k) => k + 1);
  const model = calibration([residuals]);
  const rms = model.rms[0]!;
  const mean = 50;
  // 80 %: rank ceil(100 · 0.8) = 80 is above the normal floor 1.2816 · rms ≈ 73.6 but just below
  // the Laplace one, ln 5 · 50 ≈ 80.47, which is used.
  assert.ok(1.2816 * rms < 80);
  assert.ok(Math.abs(halfWidths(model, 80).perStep[0]! - Math.log(5) * mean) < 1e-9);
  // 95 %: rank 95 and the normal 1.96 · rms ≈ 112.5 are both below ln 20 · 50 ≈ 149.8.
  assert.ok(Math.abs(halfWidths(model, 95).perStep[0]! - Math.log(20) * mean) < 1e-9);
  assert.ok(1.959964 * rms < Math.log(20) * mean);
  assert.equal(halfWidths(model, 95).approximated, false);
});

test('the conformal quantile is used as it is where it is above both floors', () => {
  // Mostly tiny residuals and a heavy tail: the 80 % rank reads the tail, above both floors.
  const residuals = [...Array.from({ length: 70 }, () => 0.01), ...Array.from({ length: 29 }, (_, k) => 10 + k)];
  const model = calibration([residuals]);
  const rank80 = [...residuals].sort((a, b) => a - b)[79]!;
  const mean = residuals.reduce((sum, value) => sum + value, 0) / residuals.length;
  assert.ok(rank80 > Math.log(5) * mean && rank80 > 1.2816 * model.rms[0]!);
  assert.equal(halfWidths(model, 80).perStep[0], rank80);
});

test('laplaceHalfWidth: -ln(1 - level) mean absolute values', () => {
  assert.ok(Math.abs(laplaceHalfWidth(80) - 1.6094379) < 1e-6);
  assert.ok(Math.abs(laplaceHalfWidth(95) - 2.9957323) < 1e-6);
});

test('windowSpread: the mean absolute step over the lookback before the origin, real steps only', () => {
  const values = [0, 10, 12, 9, 9, 13];
  const real = [1, 1, 1, 1, 1, 1];
  // Origin 6, lookback 4: points 2..5, steps 12→9, 9→9, 9→13.
  assert.equal(windowSpread(values, real, 6, 4), (3 + 0 + 4) / 3);
  // A filled point drops both steps that touch it.
  assert.equal(windowSpread(values, [1, 1, 1, 1, 0, 1], 6, 4), 3);
  assert.ok(Number.isNaN(windowSpread(values, real, 1, 4)));
});
