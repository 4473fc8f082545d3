// Compares the engine with PyTorch fixtures (test/fixtures/torch/*.json, written by
// make_fixtures.py in float64): forward output, sequence output, every loss value and gradient,
// the input gradient, the clip norms and the parameters after 3 optimizer steps. Some cases give
// the head known-future inputs (headInputs) or apply it at every step (everyStep).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { clipGradNorm } from '../../src/nn/clip.js';
import { lossForwardBackward, type LossKind } from '../../src/nn/loss.js';
import {
  createWorkspace, networkBackward, networkForward, zeroGrads,
  type Network, type NetworkConfig,
} from '../../src/nn/network.js';
import { createOptimizer, optimizerStep } from '../../src/nn/optimizer.js';
import { importWeights } from '../../src/nn/serialize.js';

/** Max |ours − torch| allowed for any float64 quantity (values here are O(1)). */
const TORCH_TOLERANCE = 1e-9;

interface TensorJson { shape: number[]; values: number[] }
interface LossCase { value: number; delta?: number; quantile?: number; grads: Record<string, TensorJson>; inputGrad: TensorJson }
interface OptimizerCase {
  kind: 'adam' | 'adamw' | 'sgd'; lr: number; betas?: [number, number]; eps?: number; weightDecay: number;
  momentum: number; clipNorm: number; loss: LossKind; steps: number; gradNormsBeforeClip: number[];
  params: Record<string, TensorJson>;
}
interface Fixture {
  name: string; cell: 'lstm' | 'gru'; inputSize: number; hiddenSize: number; numLayers: number;
  bidirectional: boolean; horizon: number; batch: number; steps: number;
  headInputs?: number; everyStep?: boolean; headInput?: TensorJson;
  weights: Record<string, TensorJson>; input: TensorJson; target: TensorJson; output: TensorJson;
  sequenceOutput: TensorJson; losses: Record<LossKind, LossCase>; optimizers: OptimizerCase[];
}

const folder = fileURLToPath(new URL('../../../test/fixtures/torch/', import.meta.url));
const files = readdirSync(folder).filter((f) => f.endsWith('.json')).sort();

function maxAbsDiff(ours: ArrayLike<number>, theirs: ArrayLike<number>, what: string): number {
  assert.equal(ours.length, theirs.length, `${what}: length`);
  let max = 0;
  for (let k = 0; k < theirs.length; k++) max = Math.max(max, Math.abs(ours[k]! - theirs[k]!));
  if (Number.isNaN(max)) assert.fail(`${what}: NaN`);
  return max;
}

function configOf(f: Fixture): NetworkConfig {
  return {
    cell: f.cell, inputSize: f.inputSize, hiddenSize: f.hiddenSize, numLayers: f.numLayers,
    bidirectional: f.bidirectional, dropout: 0, horizon: f.horizon, headInputs: f.headInputs ?? 0,
  };
}

function tensorSlice(net: Network, name: string, source: 'params' | 'grads'): Float64Array {
  const t = net.tensors.find((v) => v.name === name);
  assert.ok(t, `tensor ${name}`);
  return (net[source] as Float64Array).subarray(t.offset, t.offset + t.size);
}

test('the PyTorch fixtures are present', () => {
  assert.ok(files.length > 0, `no *.json fixtures in ${folder}`);
});

for (const file of files) {
  test(`matches PyTorch: ${file}`, () => {
    const f = JSON.parse(readFileSync(folder + file, 'utf8')) as Fixture;
    const config = configOf(f);
    const B = f.batch, T = f.steps;
    const F = f.horizon * (f.everyStep === true ? T : 1); // outputs per sample
    const head = { everyStep: f.everyStep === true, ...(f.headInput ? { headInput: Float64Array.from(f.headInput.values) } : {}) };
    const input = Float64Array.from(f.input.values);
    const target = Float64Array.from(f.target.values);
    const report: Record<string, number> = {};
    const note = (what: string, diff: number): void => {
      report[what] = Math.max(report[what] ?? 0, diff);
      assert.ok(diff <= TORCH_TOLERANCE, `${file} ${what}: max abs difference ${diff} > ${TORCH_TOLERANCE}`);
    };

    const net = importWeights(config, f.weights, 'float64');
    const ws = createWorkspace(net, B, T);
    note('output', maxAbsDiff(networkForward(net, ws, input, B, { training: false, ...head }), f.output.values, 'output'));
    // The last layer's outputs (T, B, D·H) inside the workspace against PyTorch's sequence (B, T, D·H).
    const DH = (f.bidirectional ? 2 : 1) * f.hiddenSize, last = ws.layers[f.numLayers - 1]!.out;
    const sequence = new Float64Array(B * T * DH);
    for (let b = 0; b < B; b++) for (let t = 0; t < T; t++) sequence.set(last.subarray((t * B + b) * DH, (t * B + b + 1) * DH), (b * T + t) * DH);
    note('sequenceOutput', maxAbsDiff(sequence, f.sequenceOutput.values, 'sequenceOutput'));

    const dPred = new Float64Array(B * F);
    for (const kind of ['mse', 'mae', 'huber', 'quantile'] as const) {
      const expected = f.losses[kind];
      zeroGrads(net);
      const out = networkForward(net, ws, input, B, { training: false, ...head });
      const options = { ...(expected.delta !== undefined ? { delta: expected.delta } : {}), ...(expected.quantile !== undefined ? { quantile: expected.quantile } : {}) };
      const value = lossForwardBackward(kind, out, target, null, B * F, dPred, options);
      networkBackward(net, ws, dPred, B);
      note(`${kind} value`, Math.abs(value - expected.value));
      for (const [name, grad] of Object.entries(expected.grads)) {
        note(`${kind} grads`, maxAbsDiff(tensorSlice(net, name, 'grads'), grad.values, `${kind} grad ${name}`));
      }
      note(`${kind} inputGrad`, maxAbsDiff(ws.dInput.subarray(0, B * T * f.inputSize), expected.inputGrad.values, `${kind} inputGrad`));
    }

    for (const c of f.optimizers) {
      const trained = importWeights(config, f.weights, 'float64');
      const opt = createOptimizer({
        kind: c.kind, lr: c.lr, weightDecay: c.weightDecay, momentum: c.momentum,
        ...(c.betas ? { beta1: c.betas[0], beta2: c.betas[1] } : {}), ...(c.eps !== undefined ? { eps: c.eps } : {}),
      }, trained);
      const norms: number[] = [];
      for (let step = 0; step < c.steps; step++) {
        zeroGrads(trained);
        const out = networkForward(trained, ws, input, B, { training: true, ...head });
        lossForwardBackward(c.loss, out, target, null, B * F, dPred);
        networkBackward(trained, ws, dPred, B);
        norms.push(clipGradNorm(trained, c.clipNorm));
        optimizerStep(opt, trained);
      }
      note(`${c.kind} grad norms`, maxAbsDiff(norms, c.gradNormsBeforeClip, `${c.kind} norms`));
      for (const [name, p] of Object.entries(c.params)) {
        note(`${c.kind} params`, maxAbsDiff(tensorSlice(trained, name, 'params'), p.values, `${c.kind} ${name}`));
      }
    }
    const summary = Object.entries(report).map(([k, v]) => `${k} ${v.toExponential(1)}`).join(', ');
    console.log(`${file}: max |ours − torch|: ${summary}`);
  });
}
