// What the LSTM and GRU layers share around their cells: the order of the steps, and the weight
// products after the backward time loop.
//
// Size legend: B batch, T steps, I layer input size, H hidden size, G·H gate rows (G = 4 or 3),
// ldo the row stride of the layer output (D·H). Buffers are time-major: row (t, b) is at t·B + b.

import { gemmAB, gemmAtB, type FloatArray } from './gemm.js';
import type { CellOffsets } from './layout.js';

/** The step visited s-th: forward in time, or backward for the reverse direction. */
export function stepAt(s: number, T: number, reverse: boolean): number {
  return reverse ? T - 1 - s : s;
}

/** The step whose state is step t's hPrev (and cPrev): the one visited just before it. */
export function previousStep(t: number, reverse: boolean): number {
  return reverse ? t + 1 : t - 1;
}

/**
 * After the backward time loop: grads.W_ih += dGatesᵀ · x over all steps; grads.W_hh +=
 * dHiddenᵀ · hPrev over the steps that have a previous state (the first visited has none).
 * dHidden is the gradient of the hidden-side pre-activations (dGates for the LSTM, where both
 * sides are the same sum).
 */
export function addWeightGradients(
  grads: FloatArray, w: CellOffsets,
  dGates: FloatArray, dHidden: FloatArray, // (T, B, G·H)
  x: FloatArray, // (T, B, I)
  out: FloatArray, outCol: number, ldo: number, // (T, B, ldo): the states, H columns at outCol
  pack: FloatArray, // gemmAtB's packing buffer
  reverse: boolean, B: number, T: number, H: number, G: number,
): void {
  const I = w.layerInput;
  gemmAtB(grads, w.wih, I, dGates, 0, G, x, 0, I, G, I, T * B, pack);
  if (T > 1) {
    // Steps 1..T−1 take hPrev from steps 0..T−2 (forward); reverse: steps 0..T−2 from 1..T−1.
    const firstWithPrev = reverse ? 0 : 1, firstPrev = reverse ? 1 : 0;
    gemmAtB(grads, w.whh, H, dHidden, firstWithPrev * B * G, G, out, firstPrev * B * ldo + outCol, ldo, G, H, (T - 1) * B, pack);
  }
}

/**
 * Inside the backward time loop, once step t's gate gradients are known (and while they are in
 * cache): dx[t] += dGates[t] · W_ih, and when step t has a previous state, dhRec += dHidden[t] ·
 * W_hh, the gradient reaching hPrev (the caller sets dhRec's other part first).
 */
export function stepInputGradients(
  dx: FloatArray, dhRec: FloatArray, params: FloatArray, w: CellOffsets,
  dGates: FloatArray, dHidden: FloatArray, // (T, B, G·H)
  t: number, withPrev: boolean, B: number, H: number, G: number,
): void {
  const I = w.layerInput;
  gemmAB(dx, t * B * I, I, dGates, t * B * G, G, params, w.wih, I, B, I, G);
  if (withPrev) gemmAB(dhRec, 0, H, dHidden, t * B * G, G, params, w.whh, H, B, H, G);
}
