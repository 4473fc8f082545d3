// The linear head, PyTorch's nn.Linear(D·H + E, F) on cat([h, extra], dim=-1):
//   out = h · W[:, :D·H]ᵀ + extra · W[:, D·H:]ᵀ + b,   W = head.weight (F, D·H + E)
// as two products on the two row blocks of Wᵀ (refreshed every forward, so every product is A·B),
// and the concatenation is never copied.
// R rows: B (the final hidden state) or T·B (every step, forking sequences).
//
// Size legend: R rows, DH hidden width D·H (h's row stride ldh), E extra inputs, F outputs.

import { addColumnSums, addRowVector, gemmAB, gemmAtB, transposeInto, type FloatArray } from './gemm.js';
import type { ParamLayout } from './layout.js';

export interface HeadShape {
  R: number;
  DH: number;
  E: number;
  F: number;
}

/** wT (DH + E, F) = head.weightᵀ: once per forward, before headForward. */
export function transposeHeadWeight(wT: FloatArray, params: FloatArray, layout: ParamLayout, { DH, E, F }: HeadShape): void {
  transposeInto(wT, 0, params, layout.headWeight, DH + E, F, DH + E);
}

/** out (R, F) = h (R, DH; row stride ldh) · W₁ᵀ + extra (R, E) · W₂ᵀ + b. Overwrites out. */
export function headForward(
  out: FloatArray, // (R, F)
  h: FloatArray, hOff: number, ldh: number, // (R, DH)
  extra: FloatArray | null, // (R, E), packed
  wT: FloatArray, // (DH + E, F) from transposeHeadWeight
  params: FloatArray, layout: ParamLayout, { R, DH, E, F }: HeadShape,
): void {
  out.fill(0, 0, R * F);
  addRowVector(out, 0, F, params, layout.headBias, R, F);
  gemmAB(out, 0, F, h, hOff, ldh, wT, 0, F, R, F, DH);
  if (E > 0) gemmAB(out, 0, F, extra!, 0, E, wT, DH * F, F, R, F, E);
}

/**
 * Given dOut (R, F): ADDS the head's weight and bias gradients into grads and dh (R, DH; row
 * stride ldh) += dOut · W₁. The extra inputs get no gradient (they are data).
 */
export function headBackward(
  dh: FloatArray, dhOff: number, ldh: number, // (R, DH)
  grads: FloatArray,
  dOut: FloatArray, // (R, F)
  h: FloatArray, hOff: number, // (R, DH) as in forward, row stride ldh
  extra: FloatArray | null, // (R, E)
  params: FloatArray, layout: ParamLayout, { R, DH, E, F }: HeadShape,
  pack: FloatArray | null = null, // gemmAtB's packing buffer
): void {
  const ldw = DH + E;
  gemmAtB(grads, layout.headWeight, ldw, dOut, 0, F, h, hOff, ldh, F, DH, R, pack);
  if (E > 0) gemmAtB(grads, layout.headWeight + DH, ldw, dOut, 0, F, extra!, 0, E, F, E, R, pack);
  addColumnSums(grads, layout.headBias, dOut, 0, F, R, F);
  gemmAB(dh, dhOff, ldh, dOut, 0, F, params, layout.headWeight, ldw, R, DH, F);
}
