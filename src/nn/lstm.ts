// One direction of one LSTM layer over a whole window: forward and backward through time.
// PyTorch's equations and gate order (i, f, g, o):
//   i = σ(W_ii x + b_ii + W_hi h + b_hi)   f = σ(…)   g = tanh(…)   o = σ(…)
//   c = f ⊙ cPrev + i ⊙ g                  h = o ⊙ tanh(c)
// The input part of all gates for all steps is one product before the time loop (x is known);
// each step adds one (B, H) × (H, 4H) product, then the pointwise step (src/nn/pointwise.ts).
// Weight gradients are one product over all steps after the time loop.
//
// Size legend: B batch, T steps, I layer input size, H hidden size, ldo output row stride (D·H).
// Buffers are time-major: row (t, b) is at t·B + b.

import type { BackwardScratch, LstmActivations, TransposedWeights } from './cell-types.js';
import { addColumnSums, gemmAB, setRows, type FloatArray } from './gemm.js';
import type { CellOffsets } from './layout.js';
import { pointwiseFor } from './pointwise.js';
import { addWeightGradients, previousStep, stepAt, stepInputGradients } from './recurrence.js';

export function lstmForward(
  out: FloatArray, outCol: number, ldo: number, // (T, B, ldo): this direction writes H columns at outCol
  act: LstmActivations, wT: TransposedWeights,
  x: FloatArray, // (T, B, I)
  w: CellOffsets, reverse: boolean, B: number, T: number, H: number,
): void {
  const I = w.layerInput, G = 4 * H;
  const { gates, c, tanhC } = act;
  const step = pointwiseFor(gates, c, tanhC, out);
  for (let s = 0; s < T; s++) {
    const t = stepAt(s, T, reverse), prev = previousStep(t, reverse);
    // Step t's gates: both products into the same rows while they are in cache.
    setRows(gates, t * B * G, G, wT.bias, 0, B, G);
    gemmAB(gates, t * B * G, G, x, t * B * I, I, wT.wih, 0, 8, B, G, I, 8 * I);
    if (s > 0) gemmAB(gates, t * B * G, G, out, prev * B * ldo + outCol, ldo, wT.whh, 0, 8, B, G, H, 8 * H);
    step.lstmPointwise(gates, t * B * G, c, t * B * H, tanhC, t * B * H, s > 0 ? c : null, prev * B * H, out, t * B * ldo + outCol, ldo, B, H);
  }
}

/** Adds the gradients of this direction into grads and into dx (T, B, I); reads dOut (T, B, ldo) at outCol. */
export function lstmBackward(
  dx: FloatArray, grads: FloatArray,
  dOut: FloatArray, out: FloatArray, outCol: number, ldo: number,
  act: LstmActivations, x: FloatArray,
  params: FloatArray, w: CellOffsets, scratch: BackwardScratch,
  reverse: boolean, B: number, T: number, H: number,
): void {
  const G = 4 * H;
  const { gates, c, tanhC } = act;
  const { dGates, dhRec, dc, dBias } = scratch;
  dhRec.fill(0, 0, B * H);
  dc.fill(0, 0, B * H);
  const step = pointwiseFor(dGates, dc, dOut, dhRec, gates, tanhC, c);
  for (let s = T - 1; s >= 0; s--) {
    const t = stepAt(s, T, reverse), prev = previousStep(t, reverse);
    step.lstmBackwardPointwise(dGates, t * B * G, dc, 0, dOut, t * B * ldo + outCol, ldo, dhRec, 0, gates, t * B * G, tanhC, t * B * H,
      s > 0 ? c : null, prev * B * H, B, H);
    if (s > 0) dhRec.fill(0, 0, B * H);
    stepInputGradients(dx, dhRec, params, w, dGates, dGates, t, s > 0, B, H, G);
  }
  addWeightGradients(grads, w, dGates, dGates, x, out, outCol, ldo, scratch.pack, reverse, B, T, H, G);
  // Both biases enter every gate the same way: one column sum serves both.
  dBias.fill(0, 0, G);
  addColumnSums(dBias, 0, dGates, 0, G, T * B, G);
  for (let j = 0; j < G; j++) {
    grads[w.bih + j]! += dBias[j]!;
    grads[w.bhh + j]! += dBias[j]!;
  }
}
