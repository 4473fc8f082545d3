// Finite-difference gradient check of the whole network in float64: central differences of the
// mean loss w.r.t. every parameter and every input value, against networkBackward.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lossForwardBackward, type LossKind } from '../../src/nn/loss.js';
import {
  createNetwork, createWorkspace, networkBackward, networkForward, zeroGrads,
  type CellKind, type NetworkConfig,
} from '../../src/nn/network.js';
import { createRng } from '../../src/nn/rng.js';

/** Central-difference step. */
export const FD_STEP = 1e-5;
/** Allowed |analytic − numeric| / max(|analytic|, |numeric|, REL_FLOOR). */
export const GRADCHECK_TOLERANCE = 1e-6;
/** Below this magnitude a gradient is compared absolutely (both are ~0). */
export const REL_FLOOR = 1e-3;

export interface GradcheckCase {
  cell: CellKind;
  numLayers: number;
  bidirectional: boolean;
  loss: LossKind;
  dropout?: number;
  /** Known-future inputs the head reads (E). */
  headInputs?: number;
  /** The head at every step: outputs (B, T, F). */
  everyStep?: boolean;
}

export interface GradcheckResult {
  /** Max relative error per tensor name, plus 'input'. */
  errors: Record<string, number>;
  worst: number;
}

const B = 3, T = 5, I = 3, H = 4, F = 2;

export function gradcheck(c: GradcheckCase): GradcheckResult {
  const config: NetworkConfig = {
    cell: c.cell, inputSize: I, hiddenSize: H, numLayers: c.numLayers,
    bidirectional: c.bidirectional, dropout: c.dropout ?? 0, horizon: F, headInputs: c.headInputs ?? 0,
  };
  const everyStep = c.everyStep === true;
  const outputs = B * (everyStep ? T : 1) * F;
  const net = createNetwork(config, { seed: 7, dtype: 'float64' });
  const ws = createWorkspace(net, B + 1, T); // a larger workspace than used, on purpose
  const data = createRng(99);
  const input = Float64Array.from({ length: B * T * I }, () => 2 * data.nextFloat() - 1);
  const target = Float64Array.from({ length: outputs }, () => 2 * data.nextFloat() - 1);
  const headInput = Float64Array.from({ length: B * (everyStep ? T : 1) * (c.headInputs ?? 0) }, () => 2 * data.nextFloat() - 1);
  const dPred = new Float64Array(outputs);
  const training = (c.dropout ?? 0) > 0;
  const options = { delta: 0.3, quantile: 0.8 };
  // The same dropout masks at every evaluation: a fresh generator with the same seed.
  const lossAt = (x: Float64Array): number => {
    const out = networkForward(net, ws, x, B, { training, rng: createRng(5), headInput, everyStep });
    return lossForwardBackward(c.loss, out, target, null, outputs, dPred, options);
  };

  zeroGrads(net);
  lossAt(input);
  networkBackward(net, ws, dPred, B);
  const grads = Float64Array.from(net.grads);
  const dInput = Float64Array.from(ws.dInput.subarray(0, B * T * I));

  const rel = (a: number, n: number): number => Math.abs(a - n) / Math.max(Math.abs(a), Math.abs(n), REL_FLOOR);
  const errors: Record<string, number> = {};
  const params = net.params;
  for (const tensor of net.tensors) {
    let worst = 0;
    for (let k = tensor.offset; k < tensor.offset + tensor.size; k++) {
      const saved = params[k]!;
      params[k] = saved + FD_STEP;
      const up = lossAt(input);
      params[k] = saved - FD_STEP;
      const down = lossAt(input);
      params[k] = saved;
      worst = Math.max(worst, rel(grads[k]!, (up - down) / (2 * FD_STEP)));
    }
    errors[tensor.name] = worst;
  }
  let worstInput = 0;
  for (let k = 0; k < input.length; k++) {
    const saved = input[k]!;
    input[k] = saved + FD_STEP;
    const up = lossAt(input);
    input[k] = saved - FD_STEP;
    const down = lossAt(input);
    input[k] = saved;
    worstInput = Math.max(worstInput, rel(dInput[k]!, (up - down) / (2 * FD_STEP)));
  }
  errors['input'] = worstInput;
  return { errors, worst: Math.max(...Object.values(errors)) };
}

export function caseName(c: GradcheckCase): string {
  const head = `${c.headInputs ? ` head inputs ${c.headInputs}` : ''}${c.everyStep ? ' every step' : ''}`;
  return `${c.cell} ${c.numLayers}-layer ${c.bidirectional ? 'bi' : 'uni'} ${c.loss}${c.dropout ? ` dropout ${c.dropout}` : ''}${head}`;
}

/** One test per case: every tensor's and the input's relative error within GRADCHECK_TOLERANCE. */
export function testGradchecks(cases: GradcheckCase[]): void {
  for (const c of cases) {
    test(`gradcheck ${caseName(c)}`, () => {
      const { errors, worst } = gradcheck(c);
      console.log(`${caseName(c)}: max relative error ${worst.toExponential(2)}`);
      for (const [name, error] of Object.entries(errors)) {
        assert.ok(error <= GRADCHECK_TOLERANCE, `${name}: relative error ${error} > ${GRADCHECK_TOLERANCE}`);
      }
    });
  }
}
