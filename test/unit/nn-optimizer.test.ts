// Adam, AdamW and SGD against values worked out by hand, and gradient clipping.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clipGradNorm, clipGradValue } from '../../src/nn/clip.js';
import type { Network } from '../../src/nn/network.js';
import { createOptimizer, optimizerStep, type OptimizerOptions } from '../../src/nn/optimizer.js';

/** Hand-computed values carry ~1e-8 terms from eps; compare to this. */
const HAND_TOLERANCE = 1e-12;

function flatNet(params: number[], grads: number[], split = params.length): Network {
  return {
    config: { cell: 'lstm', inputSize: 1, hiddenSize: 1, numLayers: 1, bidirectional: false, dropout: 0, horizon: 1 },
    dtype: 'float64',
    params: Float64Array.from(params),
    grads: Float64Array.from(grads),
    tensors: [
      { name: 'a', shape: [split], offset: 0, size: split },
      { name: 'b', shape: [params.length - split], offset: split, size: params.length - split },
    ],
    layout: { tensors: [], cells: [], headWeight: 0, headBias: 0, total: params.length },
  };
}

function run(options: OptimizerOptions, p0: number, grads: number[]): number[] {
  const net = flatNet([p0], [0]);
  const opt = createOptimizer(options, net);
  const seen: number[] = [];
  for (const g of grads) {
    net.grads[0] = g;
    optimizerStep(opt, net);
    seen.push(net.params[0]!);
  }
  return seen;
}

const close = (actual: number, expected: number, what: string): void =>
  assert.ok(Math.abs(actual - expected) <= HAND_TOLERANCE, `${what}: ${actual} vs ${expected}`);

test('Adam: bias-corrected steps of lr·m̂/(√v̂ + eps)', () => {
  const [p1, p2] = run({ kind: 'adam', lr: 0.1, weightDecay: 0 }, 1, [0.5, 0.5]);
  // step 1: m = 0.05, v = 0.00025, m̂ = 0.5, v̂ = 0.25: p = 1 − 0.1 · 0.5 / (0.5 + 1e-8)
  close(p1!, 1 - (0.1 * 0.5) / (0.5 + 1e-8), 'step 1');
  // step 2: m̂ = 0.095 / 0.19 = 0.5, v̂ = 0.00049975 / 0.001999 = 0.25
  close(p2!, p1! - (0.1 * 0.5) / (0.5 + 1e-8), 'step 2');
});

test('Adam: weight decay is added to the gradient', () => {
  const [p1] = run({ kind: 'adam', lr: 0.1, weightDecay: 0.5, beta1: 0.8, beta2: 0.9, eps: 0 }, 2, [-3]);
  // g = −3 + 0.5 · 2 = −2; m̂ = −2, v̂ = 4: p = 2 + 0.1
  close(p1!, 2.1, 'step 1');
});

test('AdamW: decoupled decay p ← p·(1 − lr·wd) before the Adam step', () => {
  const [p1, p2] = run({ kind: 'adamw', lr: 0.1, weightDecay: 0.5, eps: 0 }, 2, [-3, 1]);
  close(p1!, 2 * (1 - 0.05) + 0.1, 'step 1');
  // step 2: m = 0.9·(−0.3) + 0.1·1 = −0.17, v = 0.999·0.009 + 0.001·1 = 0.009991
  const m = -0.17 / (1 - 0.81), v = 0.009991 / (1 - 0.998001);
  close(p2!, p1! * 0.95 - (0.1 * m) / Math.sqrt(v), 'step 2');
});

test('SGD with momentum (dampening 0) and weight decay', () => {
  const [p1, p2] = run({ kind: 'sgd', lr: 0.1, weightDecay: 0.1, momentum: 0.9 }, 1, [0.5, 0.5]);
  close(p1!, 1 - 0.1 * 0.6, 'step 1'); // buf = g + wd·p = 0.6
  close(p2!, p1! - 0.1 * (0.9 * 0.6 + 0.5 + 0.1 * p1!), 'step 2');
  const [plain] = run({ kind: 'sgd', lr: 0.1, weightDecay: 0 }, 1, [0.5]);
  close(plain!, 0.95, 'plain');
});

test('clipGradNorm returns the norm before clipping and scales by maxNorm/(norm + 1e-6)', () => {
  const net = flatNet([0, 0, 0], [3, 0, 4], 2);
  assert.equal(clipGradNorm(net, 10), 5);
  assert.deepEqual([...net.grads], [3, 0, 4]);
  assert.equal(clipGradNorm(net, 1), 5);
  const coef = 1 / (5 + 1e-6);
  assert.deepEqual([...net.grads], [3 * coef, 0, 4 * coef]);
  const measured = flatNet([0, 0], [6, 8]);
  assert.equal(clipGradNorm(measured, 0), 10);
  assert.deepEqual([...measured.grads], [6, 8]);
});

test('clipGradValue clamps every gradient', () => {
  const net = flatNet([0, 0, 0, 0], [-3, 0.5, 2, -0.25]);
  clipGradValue(net, 1);
  assert.deepEqual([...net.grads], [-1, 0.5, 1, -0.25]);
});
