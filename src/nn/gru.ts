// One direction of one GRU layer over a whole window: forward and backward through time.
// PyTorch's equations and gate order (r, z, n), with b_hn inside the reset product:
//   r = σ(W_ir x + b_ir + W_hr h + b_hr)    z = σ(W_iz x + b_iz + W_hz h + b_hz)
//   n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))
//   h = (1 − z) ⊙ n + z ⊙ hPrev  (computed as (hPrev − n) ⊙ z + n, as ATen does)
// Like the LSTM: one input product for all steps, one (B, H) × (H, 3H) product per step, then the
// pointwise step (src/nn/pointwise.ts); weight gradients as one product over all steps after the loop.
//
// Size legend: B batch, T steps, I layer input size, H hidden size, ldo output row stride (D·H).
// Buffers are time-major: row (t, b) is at t·B + b.

import type { BackwardScratch, GruActivations, TransposedWeights } from './cell-types.js';
import { addColumnSums, gemmAB, setRows, type FloatArray } from './gemm.js';
import type { CellOffsets } from './layout.js';
import { pointwiseFor } from './pointwise.js';
import { addWeightGradients, previousStep, stepAt, stepInputGradients } from './recurrence.js';

export function gruForward(
  out: FloatArray, outCol: number, ldo: number, // (T, B, ldo): this direction writes H columns at outCol
  act: GruActivations,
  wT: TransposedWeights, // its bias is unused: b_hn must stay inside the reset product
  x: FloatArray, // (T, B, I)
  params: FloatArray, w: CellOffsets, reverse: boolean, B: number, T: number, H: number,
): void {
  const I = w.layerInput, G = 3 * H;
  const { gates, hn, hGates } = act;
  const step = pointwiseFor(gates, hn, hGates, out);
  for (let s = 0; s < T; s++) {
    const t = stepAt(s, T, reverse), prev = previousStep(t, reverse);
    setRows(gates, t * B * G, G, params, w.bih, B, G);
    gemmAB(gates, t * B * G, G, x, t * B * I, I, wT.wih, 0, 8, B, G, I, 8 * I);
    setRows(hGates, 0, G, params, w.bhh, B, G);
    if (s > 0) gemmAB(hGates, 0, G, out, prev * B * ldo + outCol, ldo, wT.whh, 0, 8, B, G, H, 8 * H);
    step.gruPointwise(gates, t * B * G, hGates, 0, hn, t * B * H, s > 0 ? out : null, prev * B * ldo + outCol, out, t * B * ldo + outCol, ldo, B, H);
  }
}

/** Adds the gradients of this direction into grads and into dx (T, B, I); reads dOut (T, B, ldo) at outCol. */
export function gruBackward(
  dx: FloatArray, grads: FloatArray,
  dOut: FloatArray, out: FloatArray, outCol: number, ldo: number,
  act: GruActivations, x: FloatArray,
  params: FloatArray, w: CellOffsets, scratch: BackwardScratch,
  reverse: boolean, B: number, T: number, H: number,
): void {
  const G = 3 * H;
  const { gates, hn } = act;
  const { dGates, dHGates, dh, dhRec } = scratch;
  dhRec.fill(0, 0, B * H);
  const step = pointwiseFor(dGates, dHGates, dh, dOut, dhRec, gates, hn, out);
  for (let s = T - 1; s >= 0; s--) {
    const t = stepAt(s, T, reverse), prev = previousStep(t, reverse);
    step.gruBackwardPointwise(dGates, t * B * G, dHGates, t * B * G, dh, 0, dOut, t * B * ldo + outCol, ldo, dhRec, 0,
      gates, t * B * G, hn, t * B * H, s > 0 ? out : null, prev * B * ldo + outCol, B, H);
    if (s > 0) dhRec.set(dh.subarray(0, B * H)); // z·dh reaches hPrev directly
    stepInputGradients(dx, dhRec, params, w, dGates, dHGates, t, s > 0, B, H, G);
  }
  addWeightGradients(grads, w, dGates, dHGates, x, out, outCol, ldo, scratch.pack, reverse, B, T, H, G);
  addColumnSums(grads, w.bih, dGates, 0, G, T * B, G);
  addColumnSums(grads, w.bhh, dHGates, 0, G, T * B, G);
}
