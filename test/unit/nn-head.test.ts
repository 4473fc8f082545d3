// The head's options: known-future head inputs (NetworkConfig.headInputs), a zero head
// (createNetwork headInit 'zero'), and the head at every step (forking sequences).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { countParams, paramLayout } from '../../src/nn/layout.js';
import {
  configProblem, createNetwork, createWorkspace, networkBackward, networkForward, zeroGrads,
  type DType, type NetworkConfig,
} from '../../src/nn/network.js';
import { createRng } from '../../src/nn/rng.js';
import { uniform } from '../helpers/uniform.js';

const data = (seed: number, n: number, dtype: DType = 'float64'): Float32Array | Float64Array => uniform(seed, n, dtype, 2);
import { exportWeights, importWeights } from '../../src/nn/serialize.js';

const base: NetworkConfig = { cell: 'gru', inputSize: 2, hiddenSize: 5, numLayers: 2, bidirectional: false, dropout: 0.2, horizon: 3 };
const B = 4, T = 6;

test('head inputs widen head.weight to (F, D·H + E) and count in the parameters', () => {
  for (const bidirectional of [false, true]) {
    const config = { ...base, bidirectional, headInputs: 4 };
    const layout = paramLayout(config);
    const weight = layout.tensors.find((t) => t.name === 'head.weight')!;
    const DH = (bidirectional ? 2 : 1) * 5;
    assert.deepEqual(weight.shape, [3, DH + 4]);
    assert.equal(countParams(config), countParams({ ...base, bidirectional }) + 3 * 4);
    assert.equal(layout.total, countParams(config));
  }
  assert.equal(configProblem({ ...base, headInputs: 0 }), null);
  assert.match(configProblem({ ...base, headInputs: -1 }) ?? '', /headInputs must be a non-negative integer/);
  assert.match(configProblem({ ...base, headInputs: 1.5 }) ?? '', /headInputs/);
});

test('head inputs: the init bound is nn.Linear\'s for fan_in D·H + E; export and import round-trip', () => {
  const config = { ...base, headInputs: 20 };
  const net = createNetwork(config, { seed: 3, dtype: 'float64' });
  const weight = net.tensors.find((t) => t.name === 'head.weight')!;
  const bound = 1 / Math.sqrt(5 + 20);
  const values = net.params.subarray(weight.offset, weight.offset + weight.size);
  assert.ok(values.every((v) => Math.abs(v) <= bound));
  assert.ok(values.some((v) => Math.abs(v) > 0.8 * bound));
  const back = importWeights(config, exportWeights(net), 'float64');
  assert.deepEqual(back.params, net.params);
  assert.throws(() => importWeights({ ...base, headInputs: 2 }, exportWeights(net), 'float64'), /head.weight' has shape \[3, 25\], expected \[3, 7\]/);
});

test('head inputs change the output through the extra columns only', () => {
  const config = { ...base, dropout: 0, headInputs: 2 };
  const net = createNetwork(config, { seed: 4, dtype: 'float64' });
  const ws = createWorkspace(net, B, T);
  const x = data(1, B * T * 2), extra = data(2, B * 2);
  const out = Float64Array.from(networkForward(net, ws, x, B, { training: false, headInput: extra }));
  // The same network with the extra columns folded in by hand: out = hFinal·W₁ᵀ + extra·W₂ᵀ + b.
  const w = net.tensors.find((t) => t.name === 'head.weight')!.offset;
  const bias = net.tensors.find((t) => t.name === 'head.bias')!.offset;
  for (let b = 0; b < B; b++) {
    for (let f = 0; f < 3; f++) {
      let s = net.params[bias + f]!;
      for (let j = 0; j < 5; j++) s += ws.hFinal[b * 5 + j]! * net.params[w + f * 7 + j]!;
      for (let e = 0; e < 2; e++) s += extra[b * 2 + e]! * net.params[w + f * 7 + 5 + e]!;
      assert.ok(Math.abs(s - out[b * 3 + f]!) < 1e-14);
    }
  }
  assert.throws(() => networkForward(net, ws, x, B, { training: false }), /head reads 2 inputs per sample: pass headInput/);
  assert.throws(() => networkForward(net, ws, x, B, { training: false, headInput: extra.subarray(0, 7) }), /headInput holds 7 values, expected 8/);
});

test('a zero head outputs exactly 0 for any input, and leaves the recurrent weights as the default init draws them', () => {
  for (const cell of ['lstm', 'gru'] as const) {
    for (const dtype of ['float32', 'float64'] as const) {
      for (const headInputs of [0, 3]) {
        const config = { ...base, cell, headInputs };
        const zero = createNetwork(config, { seed: 8, dtype, headInit: 'zero' });
        const usual = createNetwork(config, { seed: 8, dtype });
        for (const t of zero.tensors) {
          const mine = zero.params.subarray(t.offset, t.offset + t.size);
          if (t.name.startsWith('head.')) assert.ok(mine.every((v) => Object.is(v, 0)), t.name);
          else assert.deepEqual(mine, usual.params.subarray(t.offset, t.offset + t.size), t.name);
        }
        const ws = createWorkspace(zero, B, T);
        for (let trial = 0; trial < 3; trial++) {
          const x = data(10 + trial, B * T * 2, dtype);
          const last = networkForward(zero, ws, x, B, { training: true, rng: createRng(trial), headInput: data(20 + trial, B * headInputs, dtype) });
          assert.ok(last.every((v) => v === 0), `${cell} ${dtype}: last-step output`);
          const every = networkForward(zero, ws, x, B, { training: false, everyStep: true, headInput: data(30 + trial, B * T * headInputs, dtype) });
          assert.equal(every.length, B * T * 3);
          assert.ok(every.every((v) => v === 0), `${cell} ${dtype}: every-step output`);
        }
      }
    }
  }
});

test('every step: (B, T, F) whose last step is the last-step output, with step t reading its own head inputs', () => {
  for (const cell of ['lstm', 'gru'] as const) {
    const config = { ...base, cell, dropout: 0, headInputs: 2 };
    const net = createNetwork(config, { seed: 5, dtype: 'float64' });
    const ws = createWorkspace(net, B, T);
    const x = data(1, B * T * 2), extra = data(2, B * T * 2) as Float64Array;
    const every = Float64Array.from(networkForward(net, ws, x, B, { training: false, everyStep: true, headInput: extra }));
    assert.equal(every.length, B * T * 3);
    for (const t of [0, 2, T - 1]) {
      // The network over the first t + 1 steps, head inputs of step t: the every-step output at t.
      const prefix = new Float64Array(B * (t + 1) * 2), stepExtra = new Float64Array(B * 2);
      for (let b = 0; b < B; b++) {
        prefix.set(x.subarray(b * T * 2, (b * T + t + 1) * 2), b * (t + 1) * 2);
        stepExtra.set(extra.subarray((b * T + t) * 2, (b * T + t + 1) * 2), b * 2);
      }
      const last = networkForward(net, createWorkspace(net, B, t + 1), prefix, B, { training: false, headInput: stepExtra });
      for (let b = 0; b < B; b++) {
        for (let f = 0; f < 3; f++) assert.ok(Math.abs(last[b * 3 + f]! - every[(b * T + t) * 3 + f]!) < 1e-14, `${cell} step ${t}`);
      }
    }
  }
});

test('every step: refused for bidirectional networks; backward wants (B, T, F)', () => {
  const bi = createNetwork({ ...base, bidirectional: true }, { seed: 1 });
  assert.throws(() => networkForward(bi, createWorkspace(bi, B, T), data(1, B * T * 2, 'float32'), B, { training: false, everyStep: true }),
    /every-step outputs need a unidirectional network/);
  const net = createNetwork({ ...base, dropout: 0 }, { seed: 1, dtype: 'float64' });
  const ws = createWorkspace(net, B, T);
  networkForward(net, ws, data(1, B * T * 2), B, { training: false, everyStep: true });
  assert.throws(() => networkBackward(net, ws, new Float64Array(B * 3), B), /dOutput holds 12 values, expected 72/);
  // Gradients only from the head's rows at every step: dOutput at step t = 0 alone reaches the weights.
  zeroGrads(net);
  const d = new Float64Array(B * T * 3);
  for (let b = 0; b < B; b++) d[b * T * 3] = 1;
  networkBackward(net, ws, d, B);
  assert.ok(net.grads.some((g) => g !== 0));
  // …and none of it reaches the input after step 0.
  for (let b = 0; b < B; b++) for (let t = 1; t < T; t++) for (let i = 0; i < 2; i++) assert.equal(ws.dInput[(b * T + t) * 2 + i], 0);
});
