// One direction of one GRU layer over a whole window: forward and backward through time.
// PyTorch's equations and gate order (r, z, n), with b_hn inside the reset product:
//   r = σ(W_ir x + b_ir + W_hr h + b_hr)    z = σ(W_iz x + b_iz + W_hz h + b_hz)
//   n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))
//   h = (1 − z) ⊙ n + z ⊙ hPrev  (computed as (hPrev − n) ⊙ z + n, as ATen does)
// Like the LSTM: one input product for all steps, one (B, H) × (3H, H)ᵀ product per step,
// weight gradients as one product over all steps after the loop.
//
// Size legend: B batch, T steps, I layer input size, H hidden size, ldo output row stride (D·H).
// Buffers are time-major: row (t, b) is at t·B + b.

import { addColumnSums, gemmAB, gemmAtB, setRows, type FloatArray } from './gemm.js';
import type { CellOffsets } from './layout.js';
import type { BackwardScratch, TransposedWeights } from './lstm.js';
import { addressOf, kernelsFor } from './wasm.js';

export interface GruActivations {
  gates: FloatArray; // (T, B, 3H) after the nonlinearities: r, z, n
  hn: FloatArray; // (T, B, H) W_hn hPrev + b_hn, the part the reset gate scales
  hGates: FloatArray; // (B, 3H) scratch: the hidden-side pre-activations of the current step
}

export function gruForward(
  out: FloatArray, outCol: number, ldo: number, // (T, B, ldo): this direction writes H columns at outCol
  act: GruActivations,
  x: FloatArray, // (T, B, I)
  params: FloatArray, w: CellOffsets,
  wT: TransposedWeights, // so every forward product is A·B (its bias is unused: b_hn must stay inside the reset product)
  reverse: boolean, B: number, T: number, H: number,
): void {
  const I = w.layerInput;
  const G = 3 * H;
  const { gates, hn, hGates } = act;
  const rows = T * B;
  setRows(gates, 0, G, params, w.bih, rows, G);
  gemmAB(gates, 0, G, x, 0, I, wT.wih, 0, G, rows, G, I);
  const kernels = kernelsFor(gates, hn, hGates, out); // the SIMD pointwise step, when available
  for (let s = 0; s < T; s++) {
    const t = reverse ? T - 1 - s : s;
    const tp = reverse ? t + 1 : t - 1;
    setRows(hGates, 0, G, params, w.bhh, B, G);
    if (s > 0) gemmAB(hGates, 0, G, out, tp * B * ldo + outCol, ldo, wT.whh, 0, G, B, G, H);
    if (kernels !== null) {
      const hPrev = s > 0 ? addressOf(out, tp * B * ldo + outCol) : 0;
      kernels.gruPointwise(addressOf(gates, t * B * G), addressOf(hGates, 0), addressOf(hn, t * B * H), hPrev, addressOf(out, t * B * ldo + outCol), ldo, B, H);
      continue;
    }
    for (let b = 0; b < B; b++) {
      const pg = (t * B + b) * G;
      const ph = b * G;
      const pn = (t * B + b) * H;
      const po = (t * B + b) * ldo + outCol;
      const pPrev = (tp * B + b) * ldo + outCol;
      for (let j = 0; j < H; j++) {
        const r = 1 / (1 + Math.exp(-(gates[pg + j]! + hGates[ph + j]!)));
        const z = 1 / (1 + Math.exp(-(gates[pg + H + j]! + hGates[ph + H + j]!)));
        const hnj = hGates[ph + 2 * H + j]!;
        const n = Math.tanh(gates[pg + 2 * H + j]! + r * hnj);
        gates[pg + j] = r;
        gates[pg + H + j] = z;
        gates[pg + 2 * H + j] = n;
        hn[pn + j] = hnj;
        const n32 = gates[pg + 2 * H + j]!; // the stored n, so backward sees what forward used
        const hPrev = s > 0 ? out[pPrev + j]! : 0;
        out[po + j] = (hPrev - n32) * gates[pg + H + j]! + n32;
      }
    }
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
  const I = w.layerInput;
  const G = 3 * H;
  const { gates, hn } = act;
  const { dGates, dHGates, dh, dhRec } = scratch;
  const rows = T * B;
  dhRec.fill(0, 0, B * H);
  const kernels = kernelsFor(dGates, dHGates, dh, dOut, dhRec, gates, hn, out);
  for (let s = T - 1; s >= 0; s--) {
    const t = reverse ? T - 1 - s : s;
    const tp = reverse ? t + 1 : t - 1;
    if (kernels !== null) { // the SIMD step; the loop below is the same arithmetic in TypeScript
      kernels.gruBackwardPointwise(addressOf(dGates, t * B * G), addressOf(dHGates, t * B * G), addressOf(dh, 0),
        addressOf(dOut, t * B * ldo + outCol), ldo, addressOf(dhRec, 0), addressOf(gates, t * B * G), addressOf(hn, t * B * H),
        s > 0 ? addressOf(out, tp * B * ldo + outCol) : 0, B, H);
    } else for (let b = 0; b < B; b++) {
      const pg = (t * B + b) * G;
      const pn = (t * B + b) * H;
      const po = (t * B + b) * ldo + outCol;
      const pPrev = (tp * B + b) * ldo + outCol;
      const ph = b * H;
      for (let j = 0; j < H; j++) {
        const dhj = dOut[po + j]! + dhRec[ph + j]!;
        const r = gates[pg + j]!, z = gates[pg + H + j]!, n = gates[pg + 2 * H + j]!;
        const hPrev = s > 0 ? out[pPrev + j]! : 0;
        const dan = dhj * (1 - z) * (1 - n * n);
        const dar = dan * hn[pn + j]! * r * (1 - r);
        const daz = dhj * (hPrev - n) * z * (1 - z);
        dGates[pg + j] = dar;
        dGates[pg + H + j] = daz;
        dGates[pg + 2 * H + j] = dan;
        dHGates[pg + j] = dar;
        dHGates[pg + H + j] = daz;
        dHGates[pg + 2 * H + j] = dan * r;
        dh[ph + j] = dhj * z;
      }
    }
    if (s > 0) {
      for (let k = 0; k < B * H; k++) dhRec[k] = dh[k]!;
      gemmAB(dhRec, 0, H, dHGates, t * B * G, G, params, w.whh, H, B, H, G);
    }
  }
  const firstWithPrev = reverse ? 0 : 1;
  const firstPrev = reverse ? 1 : 0;
  gemmAtB(grads, w.wih, I, dGates, 0, G, x, 0, I, G, I, rows);
  if (T > 1) {
    gemmAtB(grads, w.whh, H, dHGates, firstWithPrev * B * G, G, out, firstPrev * B * ldo + outCol, ldo, G, H, (T - 1) * B);
  }
  addColumnSums(grads, w.bih, dGates, 0, G, rows, G);
  addColumnSums(grads, w.bhh, dHGates, 0, G, rows, G);
  gemmAB(dx, 0, I, dGates, 0, G, params, w.wih, I, rows, I, G);
}
