// One direction of one LSTM layer over a whole window: forward and backward through time.
// PyTorch's equations and gate order (i, f, g, o):
//   i = σ(W_ii x + b_ii + W_hi h + b_hi)   f = σ(…)   g = tanh(…)   o = σ(…)
//   c = f ⊙ cPrev + i ⊙ g                  h = o ⊙ tanh(c)
// The input part of all gates for all steps is one product before the time loop (x is known);
// each step adds one (B, H) × (4H, H)ᵀ product. Weight gradients are one product over all steps
// after the time loop.
//
// Size legend: B batch, T steps, I layer input size, H hidden size, ldo output row stride (D·H).
// Buffers are time-major: row (t, b) is at t·B + b.

import { addColumnSums, gemmAB, gemmAtB, setRows, type FloatArray } from './gemm.js';
import type { CellOffsets } from './layout.js';
import { addressOf, kernelsFor } from './wasm.js';

export interface LstmActivations {
  gates: FloatArray; // (T, B, 4H) after the nonlinearities: i, f, g, o
  c: FloatArray; // (T, B, H) cell state
  tanhC: FloatArray; // (T, B, H) tanh of the cell state
}

/** The weights of one direction rearranged for the forward products, refreshed every forward. */
export interface TransposedWeights {
  wih: FloatArray; // (I, G·H) W_ihᵀ
  whh: FloatArray; // (H, G·H) W_hhᵀ
  bias: FloatArray; // (G·H) b_ih + b_hh (LSTM)
}

export interface BackwardScratch {
  dBias: FloatArray; // (G·H) column sums of dGates
  dGates: FloatArray; // (T, B, G·H) gradient of the gate pre-activations
  dHGates: FloatArray; // (T, B, G·H) GRU only: gradient of the hidden-side pre-activations
  dh: FloatArray; // (B, H) gradient reaching h at the current step
  dhRec: FloatArray; // (B, H) gradient flowing to hPrev through the recurrence
  dc: FloatArray; // (B, H) LSTM only: gradient flowing to cPrev
}

export function lstmForward(
  out: FloatArray, outCol: number, ldo: number, // (T, B, ldo): this direction writes H columns at outCol
  act: LstmActivations,
  x: FloatArray, // (T, B, I)
  params: FloatArray, w: CellOffsets,
  wT: TransposedWeights, // so every forward product is A·B
  reverse: boolean, B: number, T: number, H: number,
): void {
  const I = w.layerInput;
  const G = 4 * H;
  const { gates, c, tanhC } = act;
  const rows = T * B;
  setRows(gates, 0, G, wT.bias, 0, rows, G);
  gemmAB(gates, 0, G, x, 0, I, wT.wih, 0, G, rows, G, I);
  const kernels = kernelsFor(gates, c, tanhC, out); // the SIMD pointwise step, when available
  for (let s = 0; s < T; s++) {
    const t = reverse ? T - 1 - s : s;
    const tp = reverse ? t + 1 : t - 1; // the step whose state is hPrev, cPrev
    if (s > 0) gemmAB(gates, t * B * G, G, out, tp * B * ldo + outCol, ldo, wT.whh, 0, G, B, G, H);
    if (kernels !== null) {
      const cPrev = s > 0 ? addressOf(c, tp * B * H) : 0;
      kernels.lstmPointwise(addressOf(gates, t * B * G), addressOf(c, t * B * H), addressOf(tanhC, t * B * H), cPrev, addressOf(out, t * B * ldo + outCol), ldo, B, H);
      continue;
    }
    for (let b = 0; b < B; b++) {
      const pg = (t * B + b) * G;
      const pc = (t * B + b) * H;
      const pcPrev = (tp * B + b) * H;
      const po = (t * B + b) * ldo + outCol;
      for (let j = 0; j < H; j++) {
        const ig = 1 / (1 + Math.exp(-gates[pg + j]!));
        const fg = 1 / (1 + Math.exp(-gates[pg + H + j]!));
        const gg = Math.tanh(gates[pg + 2 * H + j]!);
        const og = 1 / (1 + Math.exp(-gates[pg + 3 * H + j]!));
        gates[pg + j] = ig;
        gates[pg + H + j] = fg;
        gates[pg + 2 * H + j] = gg;
        gates[pg + 3 * H + j] = og;
        const cPrev = s > 0 ? c[pcPrev + j]! : 0;
        const cNew = fg * cPrev + ig * gg;
        c[pc + j] = cNew;
        const tc = Math.tanh(c[pc + j]!); // from the stored value, so float32 and float64 agree with their own state
        tanhC[pc + j] = tc;
        out[po + j] = og * tc;
      }
    }
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
  const I = w.layerInput;
  const G = 4 * H;
  const { gates, c, tanhC } = act;
  const { dGates, dhRec, dc } = scratch;
  const rows = T * B;
  dhRec.fill(0, 0, B * H);
  dc.fill(0, 0, B * H);
  const kernels = kernelsFor(dGates, dc, dOut, dhRec, gates, tanhC, c);
  for (let s = T - 1; s >= 0; s--) {
    const t = reverse ? T - 1 - s : s;
    const tp = reverse ? t + 1 : t - 1;
    if (kernels !== null) { // the SIMD step; the loop below is the same arithmetic in TypeScript
      kernels.lstmBackwardPointwise(addressOf(dGates, t * B * G), addressOf(dc, 0), addressOf(dOut, t * B * ldo + outCol), ldo,
        addressOf(dhRec, 0), addressOf(gates, t * B * G), addressOf(tanhC, t * B * H), s > 0 ? addressOf(c, tp * B * H) : 0, B, H);
    } else for (let b = 0; b < B; b++) {
      const pg = (t * B + b) * G;
      const pc = (t * B + b) * H;
      const pcPrev = (tp * B + b) * H;
      const po = (t * B + b) * ldo + outCol;
      const ph = b * H;
      for (let j = 0; j < H; j++) {
        const dhj = dOut[po + j]! + dhRec[ph + j]!;
        const ig = gates[pg + j]!, fg = gates[pg + H + j]!, gg = gates[pg + 2 * H + j]!, og = gates[pg + 3 * H + j]!;
        const tc = tanhC[pc + j]!;
        const dcj = dc[ph + j]! + dhj * og * (1 - tc * tc);
        const cPrev = s > 0 ? c[pcPrev + j]! : 0;
        dc[ph + j] = dcj * fg;
        dGates[pg + j] = dcj * gg * ig * (1 - ig);
        dGates[pg + H + j] = dcj * cPrev * fg * (1 - fg);
        dGates[pg + 2 * H + j] = dcj * ig * (1 - gg * gg);
        dGates[pg + 3 * H + j] = dhj * tc * og * (1 - og);
      }
    }
    if (s > 0) {
      dhRec.fill(0, 0, B * H);
      gemmAB(dhRec, 0, H, dGates, t * B * G, G, params, w.whh, H, B, H, G);
    }
  }
  // hPrev of step t is the output at t - 1 (forward) or t + 1 (reverse); the first step's is zero.
  const firstWithPrev = reverse ? 0 : 1;
  const firstPrev = reverse ? 1 : 0;
  gemmAtB(grads, w.wih, I, dGates, 0, G, x, 0, I, G, I, rows);
  if (T > 1) {
    gemmAtB(grads, w.whh, H, dGates, firstWithPrev * B * G, G, out, firstPrev * B * ldo + outCol, ldo, G, H, (T - 1) * B);
  }
  // Both biases enter every gate the same way: one column sum serves both.
  const dBias = scratch.dBias;
  dBias.fill(0, 0, G);
  addColumnSums(dBias, 0, dGates, 0, G, rows, G);
  for (let j = 0; j < G; j++) {
    grads[w.bih + j] += dBias[j]!;
    grads[w.bhh + j] += dBias[j]!;
  }
  gemmAB(dx, 0, I, dGates, 0, G, params, w.wih, I, rows, I, G);
}
