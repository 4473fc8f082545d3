// The matrix products the layers call. All matrices are row-major inside flat typed arrays,
// addressed by (array, offset, strides) so callers pass views without allocating. Every product
// ADDS into C.
//
// gemmTs is the TypeScript reference of the one WebAssembly kernel (assembly/gemm.ts), with the
// same arguments and the same loop structure: C (M, N) += A (M, K) · B (K, N), A read through a
// row and a column stride (so A or Aᵀ), B(k, j) at (j >> 3)·bps + k·ldb + (j & 7) — row-major with
// bps = 8, or in panels of 8 columns contiguous in k (packPanels) — K and M in blocks, C in
// register tiles (4×4 scalars here, 4×8 floats in two SIMD vectors there). gemmAB and gemmAtB run
// the kernel when every array is float32 inside its memory (src/nn/wasm.ts), else gemmTs. The
// kernel's packing of A for gemmAtB (a `pack` buffer) changes where it reads, not what it sums.
//
// Size legend: C is (M, N); the shared dimension is K.
//   gemmAB:  C += A · B    A (M, K), B (K, N)
//   gemmAtB: C += Aᵀ · B   A (K, M), B (K, N)

import { GEMM_BLOCK_DEPTH as K_BLOCK, GEMM_BLOCK_ROWS as M_BLOCK } from './wasm-limits.js';
import { wasmKernels, inArena, type WasmKernels } from './wasm.js';

export type FloatArray = Float32Array | Float64Array;

/** Floats of the buffer gemmAtB packs A (K, M)ᵀ into, for any K: one block of up to M_BLOCK rows and K_BLOCK columns. */
export function packFloats(M: number): number {
  return Math.min(M_BLOCK, Math.ceil(M / 4) * 4) * K_BLOCK;
}

/** Floats of K rows × N columns in panels of 8 columns (the last panel padded). */
export function panelFloats(K: number, N: number): number {
  return Math.ceil(N / 8) * 8 * K;
}

/** out (K, N) in panels of 8 columns, contiguous in k: Wᵀ of w (N, K) row-major at wOff. Read it with ldb 8, bps 8·K. */
export function packPanels(out: FloatArray, w: FloatArray, wOff: number, N: number, K: number): void {
  for (let j = 0; j < N; j++) {
    const panel = (j >> 3) * 8 * K + (j & 7), pw = wOff + j * K;
    for (let k = 0; k < K; k++) out[panel + 8 * k] = w[pw + k]!;
  }
}

/** C (M, N) += A · B with A(i, k) = a[aOff + i·ars + k·acs] and B(k, j) = b[bOff + (j >> 3)·bps + k·ldb + (j & 7)]. */
export function gemmTs(
  c: FloatArray, cOff: number, ldc: number,
  a: FloatArray, aOff: number, ars: number, acs: number,
  b: FloatArray, bOff: number, ldb: number, bps: number,
  M: number, N: number, K: number,
): void {
  const M4 = M - (M % 4), N4 = N - (N % 4);
  const column = (j: number): number => (j >> 3) * bps + (j & 7); // 4 columns from a multiple of 4 stay in one panel
  for (let k0 = 0; k0 < K; k0 += K_BLOCK) {
    const kn = Math.min(K - k0, K_BLOCK);
    const aK = aOff + k0 * acs, bK = bOff + k0 * ldb;
    for (let i0 = 0; i0 < M4; i0 += M_BLOCK) {
      const iEnd = Math.min(M4, i0 + M_BLOCK);
      for (let j = 0; j < N4; j += 4) {
        for (let i = i0; i < iEnd; i += 4) {
          let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
          let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
          let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
          let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
          let pa = aK + i * ars, pb = bK + column(j);
          for (let k = 0; k < kn; k++, pa += acs, pb += ldb) {
            const x0 = a[pa]!, x1 = a[pa + ars]!, x2 = a[pa + 2 * ars]!, x3 = a[pa + 3 * ars]!;
            const y0 = b[pb]!, y1 = b[pb + 1]!, y2 = b[pb + 2]!, y3 = b[pb + 3]!;
            c00 += x0 * y0; c01 += x0 * y1; c02 += x0 * y2; c03 += x0 * y3;
            c10 += x1 * y0; c11 += x1 * y1; c12 += x1 * y2; c13 += x1 * y3;
            c20 += x2 * y0; c21 += x2 * y1; c22 += x2 * y2; c23 += x2 * y3;
            c30 += x3 * y0; c31 += x3 * y1; c32 += x3 * y2; c33 += x3 * y3;
          }
          let pc = cOff + i * ldc + j;
          c[pc]! += c00; c[pc + 1]! += c01; c[pc + 2]! += c02; c[pc + 3]! += c03;
          pc += ldc;
          c[pc]! += c10; c[pc + 1]! += c11; c[pc + 2]! += c12; c[pc + 3]! += c13;
          pc += ldc;
          c[pc]! += c20; c[pc + 1]! += c21; c[pc + 2]! += c22; c[pc + 3]! += c23;
          pc += ldc;
          c[pc]! += c30; c[pc + 1]! += c31; c[pc + 2]! += c32; c[pc + 3]! += c33;
        }
      }
    }
    // Leftover rows: one row against 4 columns at a time.
    for (let i = M4; i < M; i++) {
      for (let j = 0; j < N4; j += 4) {
        let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        let pa = aK + i * ars, pb = bK + column(j);
        for (let k = 0; k < kn; k++, pa += acs, pb += ldb) {
          const x = a[pa]!;
          s0 += x * b[pb]!; s1 += x * b[pb + 1]!; s2 += x * b[pb + 2]!; s3 += x * b[pb + 3]!;
        }
        const pc = cOff + i * ldc + j;
        c[pc]! += s0; c[pc + 1]! += s1; c[pc + 2]! += s2; c[pc + 3]! += s3;
      }
    }
    // Leftover columns, one at a time.
    for (let j = N4; j < N; j++) {
      for (let i = 0; i < M; i++) {
        let s = 0;
        let pa = aK + i * ars, pb = bK + column(j);
        for (let k = 0; k < kn; k++, pa += acs, pb += ldb) s += a[pa]! * b[pb]!;
        c[cOff + i * ldc + j]! += s;
      }
    }
  }
}

/** The kernels, when they are loaded and can address all three float32 arrays. */
function kernelFor(c: FloatArray, a: FloatArray, b: FloatArray): WasmKernels | null {
  const k = wasmKernels();
  if (k === null || !(c instanceof Float32Array) || !(a instanceof Float32Array) || !(b instanceof Float32Array)) return null;
  return inArena(c) && inArena(a) && inArena(b) ? k : null;
}

/** C (M, N) += A (M, K) · B (K, N); B row-major (bps 8, the default) or in panels from packPanels (ldb 8, bps 8·K). */
export function gemmAB(
  c: FloatArray, cOff: number, ldc: number,
  a: FloatArray, aOff: number, lda: number,
  b: FloatArray, bOff: number, ldb: number,
  M: number, N: number, K: number, bps = 8,
): void {
  const k = kernelFor(c, a, b);
  if (k === null) gemmTs(c, cOff, ldc, a, aOff, lda, 1, b, bOff, ldb, bps, M, N, K);
  // One output column (the input gradient of a 1-feature window): a matrix-vector product.
  else if (N === 1 && ldb === 1) k.gemv(c.byteOffset + 4 * cOff, ldc, a.byteOffset + 4 * aOff, lda, b.byteOffset + 4 * bOff, M, K);
  else k.gemm(c.byteOffset + 4 * cOff, ldc, a.byteOffset + 4 * aOff, lda, 1, b.byteOffset + 4 * bOff, ldb, bps, M, N, K, 0);
}

/**
 * C (M, N) += A (K, M)ᵀ · B (K, N). `pack` (packFloats(M) or more, in the kernels' memory) lets the
 * kernel copy blocks of A into panels first: A's rows are far apart, and the copy is much
 * cheaper than a new page at every step of the sum.
 */
export function gemmAtB(
  c: FloatArray, cOff: number, ldc: number,
  a: FloatArray, aOff: number, lda: number,
  b: FloatArray, bOff: number, ldb: number,
  M: number, N: number, K: number, pack: FloatArray | null = null,
): void {
  const k = kernelFor(c, a, b);
  if (k === null) gemmTs(c, cOff, ldc, a, aOff, 1, lda, b, bOff, ldb, 8, M, N, K);
  // One output column with contiguous C (the weights of a 1-feature input): as the row Cᵀ (1, M) += bᵀ · A, SIMD along M.
  else if (N === 1 && ldc === 1) k.gemm(c.byteOffset + 4 * cOff, M, b.byteOffset + 4 * bOff, 0, ldb, a.byteOffset + 4 * aOff, lda, 8, 1, M, K, 0);
  else {
    const packAt = pack !== null && pack.length >= packFloats(M) && kernelFor(pack, pack, pack) !== null ? pack.byteOffset : 0;
    k.gemm(c.byteOffset + 4 * cOff, ldc, a.byteOffset + 4 * aOff, 1, lda, b.byteOffset + 4 * bOff, ldb, 8, M, N, K, packAt);
  }
}

/** out (cols, rows) = x (rows, cols)ᵀ, x with row stride ldx; out packed. */
export function transposeInto(out: FloatArray, outOff: number, x: FloatArray, xOff: number, ldx: number, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) {
    const px = xOff + r * ldx;
    for (let q = 0; q < cols; q++) out[outOff + q * rows + r] = x[px + q]!;
  }
}

/** C (M, N) += 1 · bias (N) broadcast over rows. */
export function addRowVector(c: FloatArray, cOff: number, ldc: number, bias: FloatArray, biasOff: number, M: number, N: number): void {
  for (let i = 0; i < M; i++) {
    const pc = cOff + i * ldc;
    for (let j = 0; j < N; j++) c[pc + j]! += bias[biasOff + j]!;
  }
}

/** out (N) += column sums of A (M, N), row by row: the bias gradient (the reference of the kernel's addColumnSums). */
export function addColumnSumsTs(out: FloatArray, outOff: number, a: FloatArray, aOff: number, lda: number, M: number, N: number): void {
  for (let i = 0; i < M; i++) {
    const pa = aOff + i * lda;
    for (let j = 0; j < N; j++) out[outOff + j]! += a[pa + j]!;
  }
}

/** out (N) += column sums of A (M, N), row by row: the bias gradient. */
export function addColumnSums(out: FloatArray, outOff: number, a: FloatArray, aOff: number, lda: number, M: number, N: number): void {
  const k = kernelFor(out, a, a);
  if (k === null) addColumnSumsTs(out, outOff, a, aOff, lda, M, N);
  else k.addColumnSums(out.byteOffset + 4 * outOff, a.byteOffset + 4 * aOff, lda, M, N);
}

/** Every row of C (M, N) = v (N): the bias that the products then add to. */
export function setRows(c: FloatArray, cOff: number, ldc: number, v: FloatArray, vOff: number, M: number, N: number): void {
  const k = kernelFor(c, v, v);
  if (k !== null) {
    k.setRows(c.byteOffset + 4 * cOff, ldc, v.byteOffset + 4 * vOff, M, N);
    return;
  }
  for (let i = 0; i < M; i++) {
    const pc = cOff + i * ldc;
    for (let j = 0; j < N; j++) c[pc + j] = v[vOff + j]!;
  }
}
