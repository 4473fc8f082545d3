// The pointwise part of one LSTM or GRU time step, forward and backward, for B rows: the
// TypeScript reference of the WebAssembly kernels (assembly/cells.ts), with their arguments in
// their order — each byte address there is an (array, offset) pair here, a previous state of
// null (address 0 there) means zeros. pointwiseFor picks the kernels or this reference once per
// layer, so the time loops in lstm.ts and gru.ts read the same either way.
//
// Size legend: B rows, H hidden size; ldo the row stride of the layer output (D·H).

import type { FloatArray } from './gemm.js';
import { addressOf, kernelsFor, type WasmKernels } from './wasm.js';

export interface PointwiseSteps {
  /** gates (B, 4H) pre-activations → i, f, g, o in place; c = f·cPrev + i·g; tanhC = tanh(c); out = o·tanhC. */
  lstmPointwise(
    gates: FloatArray, gOff: number, c: FloatArray, cOff: number, tanhC: FloatArray, tOff: number,
    cPrev: FloatArray | null, pOff: number, out: FloatArray, oOff: number, ldo: number, B: number, H: number,
  ): void;
  /**
   * gates (B, 3H) input-side pre-activations → r, z, n in place; hGates (B, 3H) hidden-side ones;
   * hn ← their n part; out = (hPrev − n)·z + n, hPrev with row stride ldo.
   */
  gruPointwise(
    gates: FloatArray, gOff: number, hGates: FloatArray, qOff: number, hn: FloatArray, nOff: number,
    hPrev: FloatArray | null, pOff: number, out: FloatArray, oOff: number, ldo: number, B: number, H: number,
  ): void;
  /** dh = dOut + dhRec; dGates (B, 4H) the pre-activation gradients; dc (B, H) updated to the gradient reaching cPrev. */
  lstmBackwardPointwise(
    dGates: FloatArray, dgOff: number, dc: FloatArray, dcOff: number, dOut: FloatArray, doOff: number, ldo: number,
    dhRec: FloatArray, rOff: number, gates: FloatArray, gOff: number, tanhC: FloatArray, tOff: number,
    cPrev: FloatArray | null, pOff: number, B: number, H: number,
  ): void;
  /** dh = dOut + dhRec; dGates, dHGates (B, 3H) the input- and hidden-side pre-activation gradients; dhDirect = dh·z. */
  gruBackwardPointwise(
    dGates: FloatArray, dgOff: number, dHGates: FloatArray, dqOff: number, dhDirect: FloatArray, ddOff: number,
    dOut: FloatArray, doOff: number, ldo: number, dhRec: FloatArray, rOff: number,
    gates: FloatArray, gOff: number, hn: FloatArray, nOff: number, hPrev: FloatArray | null, pOff: number, B: number, H: number,
  ): void;
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

export const pointwiseTs: PointwiseSteps = {
  lstmPointwise(gates, gOff, c, cOff, tanhC, tOff, cPrev, pOff, out, oOff, ldo, B, H) {
    for (let b = 0; b < B; b++) {
      const pg = gOff + b * 4 * H, pc = cOff + b * H, pt = tOff + b * H, pp = pOff + b * H, po = oOff + b * ldo;
      for (let j = 0; j < H; j++) {
        const ig = sigmoid(gates[pg + j]!);
        const fg = sigmoid(gates[pg + H + j]!);
        const gg = Math.tanh(gates[pg + 2 * H + j]!);
        const og = sigmoid(gates[pg + 3 * H + j]!);
        gates[pg + j] = ig;
        gates[pg + H + j] = fg;
        gates[pg + 2 * H + j] = gg;
        gates[pg + 3 * H + j] = og;
        c[pc + j] = fg * (cPrev === null ? 0 : cPrev[pp + j]!) + ig * gg;
        const tc = Math.tanh(c[pc + j]!); // from the stored value, so float32 and float64 agree with their own state
        tanhC[pt + j] = tc;
        out[po + j] = og * tc;
      }
    }
  },

  gruPointwise(gates, gOff, hGates, qOff, hn, nOff, hPrev, pOff, out, oOff, ldo, B, H) {
    for (let b = 0; b < B; b++) {
      const pg = gOff + b * 3 * H, pq = qOff + b * 3 * H, pn = nOff + b * H, pp = pOff + b * ldo, po = oOff + b * ldo;
      for (let j = 0; j < H; j++) {
        const r = sigmoid(gates[pg + j]! + hGates[pq + j]!);
        const z = sigmoid(gates[pg + H + j]! + hGates[pq + H + j]!);
        const hnj = hGates[pq + 2 * H + j]!;
        gates[pg + j] = r;
        gates[pg + H + j] = z;
        gates[pg + 2 * H + j] = Math.tanh(gates[pg + 2 * H + j]! + r * hnj);
        hn[pn + j] = hnj;
        const n = gates[pg + 2 * H + j]!; // the stored n (and z), so backward sees what forward used
        out[po + j] = ((hPrev === null ? 0 : hPrev[pp + j]!) - n) * gates[pg + H + j]! + n;
      }
    }
  },

  lstmBackwardPointwise(dGates, dgOff, dc, dcOff, dOut, doOff, ldo, dhRec, rOff, gates, gOff, tanhC, tOff, cPrev, pOff, B, H) {
    for (let b = 0; b < B; b++) {
      const pg = gOff + b * 4 * H, pd = dgOff + b * 4 * H, pt = tOff + b * H, pp = pOff + b * H;
      const po = doOff + b * ldo, pr = rOff + b * H, pc = dcOff + b * H;
      for (let j = 0; j < H; j++) {
        const dh = dOut[po + j]! + dhRec[pr + j]!;
        const ig = gates[pg + j]!, fg = gates[pg + H + j]!, gg = gates[pg + 2 * H + j]!, og = gates[pg + 3 * H + j]!;
        const tc = tanhC[pt + j]!;
        const dcj = dc[pc + j]! + dh * og * (1 - tc * tc);
        const prev = cPrev === null ? 0 : cPrev[pp + j]!;
        dc[pc + j] = dcj * fg;
        dGates[pd + j] = dcj * gg * ig * (1 - ig);
        dGates[pd + H + j] = dcj * prev * fg * (1 - fg);
        dGates[pd + 2 * H + j] = dcj * ig * (1 - gg * gg);
        dGates[pd + 3 * H + j] = dh * tc * og * (1 - og);
      }
    }
  },

  gruBackwardPointwise(dGates, dgOff, dHGates, dqOff, dhDirect, ddOff, dOut, doOff, ldo, dhRec, rOff, gates, gOff, hn, nOff, hPrev, pOff, B, H) {
    for (let b = 0; b < B; b++) {
      const pg = gOff + b * 3 * H, pd = dgOff + b * 3 * H, pq = dqOff + b * 3 * H, pn = nOff + b * H;
      const po = doOff + b * ldo, pr = rOff + b * H, pp = pOff + b * ldo, ph = ddOff + b * H;
      for (let j = 0; j < H; j++) {
        const dh = dOut[po + j]! + dhRec[pr + j]!;
        const r = gates[pg + j]!, z = gates[pg + H + j]!, n = gates[pg + 2 * H + j]!;
        const prev = hPrev === null ? 0 : hPrev[pp + j]!;
        const dan = dh * (1 - z) * (1 - n * n);
        const dar = dan * hn[pn + j]! * r * (1 - r);
        const daz = dh * (prev - n) * z * (1 - z);
        dGates[pd + j] = dar;
        dGates[pd + H + j] = daz;
        dGates[pd + 2 * H + j] = dan;
        dHGates[pq + j] = dar;
        dHGates[pq + H + j] = daz;
        dHGates[pq + 2 * H + j] = dan * r;
        dhDirect[ph + j] = dh * z;
      }
    }
  },
};

/** The kernels behind the same signatures: each (array, offset) becomes a byte address, null becomes 0. */
function pointwiseWasm(k: WasmKernels): PointwiseSteps {
  const at = (x: FloatArray, offset: number): number => addressOf(x, offset);
  const maybe = (x: FloatArray | null, offset: number): number => (x === null ? 0 : addressOf(x, offset));
  return {
    lstmPointwise: (gates, gOff, c, cOff, tanhC, tOff, cPrev, pOff, out, oOff, ldo, B, H) =>
      k.lstmPointwise(at(gates, gOff), at(c, cOff), at(tanhC, tOff), maybe(cPrev, pOff), at(out, oOff), ldo, B, H),
    gruPointwise: (gates, gOff, hGates, qOff, hn, nOff, hPrev, pOff, out, oOff, ldo, B, H) =>
      k.gruPointwise(at(gates, gOff), at(hGates, qOff), at(hn, nOff), maybe(hPrev, pOff), at(out, oOff), ldo, B, H),
    lstmBackwardPointwise: (dGates, dgOff, dc, dcOff, dOut, doOff, ldo, dhRec, rOff, gates, gOff, tanhC, tOff, cPrev, pOff, B, H) =>
      k.lstmBackwardPointwise(at(dGates, dgOff), at(dc, dcOff), at(dOut, doOff), ldo, at(dhRec, rOff), at(gates, gOff), at(tanhC, tOff), maybe(cPrev, pOff), B, H),
    gruBackwardPointwise: (dGates, dgOff, dHGates, dqOff, dhDirect, ddOff, dOut, doOff, ldo, dhRec, rOff, gates, gOff, hn, nOff, hPrev, pOff, B, H) =>
      k.gruBackwardPointwise(at(dGates, dgOff), at(dHGates, dqOff), at(dhDirect, ddOff), at(dOut, doOff), ldo, at(dhRec, rOff),
        at(gates, gOff), at(hn, nOff), maybe(hPrev, pOff), B, H),
  };
}

const adapters = new WeakMap<WasmKernels, PointwiseSteps>();

/** The WebAssembly steps when every array is float32 in the kernels' memory, else the TypeScript reference. */
export function pointwiseFor(...arrays: FloatArray[]): PointwiseSteps {
  const k = kernelsFor(...arrays);
  if (k === null) return pointwiseTs;
  let steps = adapters.get(k);
  if (steps === undefined) adapters.set(k, (steps = pointwiseWasm(k)));
  return steps;
}
