// Network-level properties: init, determinism, dropout, batch independence, dtype agreement.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clipGradNorm } from '../../src/nn/clip.js';
import { lossForwardBackward } from '../../src/nn/loss.js';
import {
  createNetwork, createWorkspace, networkBackward, networkForward, zeroGrads,
  type Network, type NetworkConfig,
} from '../../src/nn/network.js';
import { createOptimizer, optimizerStep } from '../../src/nn/optimizer.js';
import { createRng } from '../../src/nn/rng.js';
import { uniform as data } from '../helpers/uniform.js';
import { exportWeights, importWeights } from '../../src/nn/serialize.js';

/** float32 against float64 on the same weights: relative agreement of outputs. */
const DTYPE_TOLERANCE = 1e-5;

const base: NetworkConfig = { cell: 'lstm', inputSize: 2, hiddenSize: 6, numLayers: 2, bidirectional: true, dropout: 0.25, horizon: 3 };
const B = 5, T = 7;

/** The raw bits of a float32 array (its own elements only: arena arrays share one buffer). */
const bits = (x: Float32Array | Float64Array): Uint32Array => new Uint32Array(x.buffer, x.byteOffset, x.byteLength / 4);

test('init: PyTorch bounds, same seed same weights', () => {
  for (const cell of ['lstm', 'gru'] as const) {
    const net = createNetwork({ ...base, cell }, { seed: 11 });
    for (const t of net.tensors) {
      const bound = t.name.startsWith('head.') ? 1 / Math.sqrt(12) : 1 / Math.sqrt(6);
      const values = net.params.subarray(t.offset, t.offset + t.size);
      assert.ok(values.every((v) => Math.abs(v) <= bound), t.name);
      assert.ok(values.some((v) => Math.abs(v) > bound / 2), t.name);
    }
    assert.deepEqual(createNetwork({ ...base, cell }, { seed: 11 }).params, net.params);
    assert.notDeepEqual(createNetwork({ ...base, cell }, { seed: 12 }).params, net.params);
  }
});

test('dropout: deterministic for a seeded rng, off in inference', () => {
  const net = createNetwork(base, { seed: 1, dtype: 'float64' });
  const ws = createWorkspace(net, B, T);
  const x = data(2, B * T * 2);
  const a = Float64Array.from(networkForward(net, ws, x, B, { training: true, rng: createRng(5) }));
  const b = Float64Array.from(networkForward(net, ws, x, B, { training: true, rng: createRng(5) }));
  const c = Float64Array.from(networkForward(net, ws, x, B, { training: true, rng: createRng(6) }));
  const inference = Float64Array.from(networkForward(net, ws, x, B, { training: false }));
  const noDropout = createNetwork({ ...base, dropout: 0 }, { seed: 1, dtype: 'float64' });
  const plain = networkForward(noDropout, createWorkspace(noDropout, B, T), x, B, { training: true });
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
  assert.notDeepEqual(a, inference);
  assert.deepEqual(inference, Float64Array.from(plain));
  // About p of the mask is zero, the rest 1/(1 − p).
  networkForward(net, ws, x, B, { training: true, rng: createRng(5) });
  const mask = ws.layers[0]!.mask.subarray(0, T * B * 12);
  const zeros = mask.filter((m) => m === 0).length / mask.length;
  assert.ok(zeros > 0.15 && zeros < 0.35, `dropped share ${zeros}`);
  assert.ok(mask.every((m) => m === 0 || m === 1 / 0.75));
  assert.throws(() => networkForward(net, ws, x, B, { training: true }), /needs an rng/);
});

test('a sample gives the same output alone or in a batch, in a larger workspace', () => {
  for (const cell of ['lstm', 'gru'] as const) {
    const net = createNetwork({ ...base, cell, dropout: 0 }, { seed: 3, dtype: 'float64' });
    const x = data(4, B * T * 2) as Float64Array;
    const batched = Float64Array.from(networkForward(net, createWorkspace(net, 8, T), x, B, { training: false }));
    const ws1 = createWorkspace(net, 3, T);
    for (let b = 0; b < B; b++) {
      const one = networkForward(net, ws1, x.subarray(b * T * 2, (b + 1) * T * 2), 1, { training: false });
      for (let f = 0; f < 3; f++) assert.ok(Math.abs(one[f]! - batched[b * 3 + f]!) < 1e-14);
    }
  }
});

test('the head reads the forward direction\'s state at the last step and the backward one\'s at step 0', () => {
  const net = createNetwork({ ...base, dropout: 0 }, { seed: 3, dtype: 'float64' });
  const ws = createWorkspace(net, B, T);
  networkForward(net, ws, data(4, B * T * 2), B, { training: false });
  const seq = ws.layers[1]!.out; // (T, B, D·H)
  for (let b = 0; b < B; b++) {
    for (let j = 0; j < 6; j++) {
      assert.equal(ws.hFinal[b * 12 + j], seq[((T - 1) * B + b) * 12 + j]);
      assert.equal(ws.hFinal[b * 12 + 6 + j], seq[b * 12 + 6 + j]);
    }
  }
});

test('backward adds into grads', () => {
  const net = createNetwork({ ...base, cell: 'gru', dropout: 0 }, { seed: 3, dtype: 'float64' });
  const ws = createWorkspace(net, B, T);
  const x = data(4, B * T * 2), y = data(8, B * 3);
  const d = new Float64Array(B * 3);
  zeroGrads(net);
  lossForwardBackward('mse', networkForward(net, ws, x, B, { training: false }), y, null, B * 3, d);
  networkBackward(net, ws, d, B);
  const once = Float64Array.from(net.grads);
  networkBackward(net, ws, d, B);
  assert.ok(net.grads.every((g, k) => Math.abs(g - 2 * once[k]!) <= 1e-15 * Math.max(1, Math.abs(g))));
  zeroGrads(net);
  assert.ok(net.grads.every((g) => g === 0));
});

function train(net: Network, steps: number): { params: Float32Array | Float64Array; norms: number[] } {
  const ws = createWorkspace(net, B, T);
  const x = data(4, B * T * 2, net.dtype), y = data(8, B * 3, net.dtype);
  const d = net.dtype === 'float32' ? new Float32Array(B * 3) : new Float64Array(B * 3);
  const opt = createOptimizer({ kind: 'adam', lr: 0.01, weightDecay: 0 }, net);
  const rng = createRng(77);
  const norms: number[] = [];
  for (let s = 0; s < steps; s++) {
    zeroGrads(net);
    lossForwardBackward('mse', networkForward(net, ws, x, B, { training: true, rng }), y, null, B * 3, d);
    networkBackward(net, ws, d, B);
    norms.push(clipGradNorm(net, 1));
    optimizerStep(opt, net);
  }
  return { params: net.params, norms };
}

test('same seed, same training, bit for bit (float32)', () => {
  for (const cell of ['lstm', 'gru'] as const) {
    const a = train(createNetwork({ ...base, cell }, { seed: 9 }), 4);
    const b = train(createNetwork({ ...base, cell }, { seed: 9 }), 4);
    assert.deepEqual(bits(a.params), bits(b.params));
    assert.deepEqual(a.norms, b.norms);
  }
});

test('float32 and float64 agree on the same weights', () => {
  for (const cell of ['lstm', 'gru'] as const) {
    const net64 = createNetwork({ ...base, cell }, { seed: 9, dtype: 'float64' });
    const net32 = importWeights(net64.config, exportWeights(net64), 'float32');
    const x64 = data(4, B * T * 2, 'float64'), x32 = data(4, B * T * 2, 'float32');
    const y64 = networkForward(net64, createWorkspace(net64, B, T), x64, B, { training: false });
    const y32 = networkForward(net32, createWorkspace(net32, B, T), x32, B, { training: false });
    let worst = 0;
    for (let k = 0; k < y64.length; k++) worst = Math.max(worst, Math.abs(y64[k]! - y32[k]!) / Math.max(1, Math.abs(y64[k]!)));
    assert.ok(worst < DTYPE_TOLERANCE, `${cell}: ${worst}`);
  }
});

test('forward refuses a batch larger than the workspace or a short input', () => {
  const net = createNetwork(base, { seed: 1 });
  const ws = createWorkspace(net, 2, T);
  assert.throws(() => networkForward(net, ws, new Float32Array(3 * T * 2), 3, { training: false }), /outside 1\.\.2/);
  assert.throws(() => networkForward(net, ws, new Float32Array(5), 2, { training: false }), /expected 28/);
});
