// Matrix-product kernels the cells call. All matrices are row-major inside flat typed arrays,
// addressed by (array, offset, leading dimension) so callers pass views without allocating.
// Each kernel ADDS into C. The exported gemmABt/gemmAB/gemmAtB run the WebAssembly SIMD kernel
// (assembly/gemm.ts via src/nn/wasm.ts) when all arrays are float32 inside its memory, else the
// TypeScript kernels (…Ts), which stay the reference the tests compare the WebAssembly kernel with.
// The TypeScript work is split into 4×4 register tiles (16 running sums in locals, 8 loads per k),
// and the columns into panels that stay in L1 while the rows stream.
//
// Size legend: C is (M, N); the shared dimension is K.
//   gemmABt: C += A · Bᵀ   A (M, K), B (N, K)
//   gemmAB:  C += A · B    A (M, K), B (K, N)
//   gemmAtB: C += Aᵀ · B   A (K, M), B (K, N)

import { arenaFloat32, inArena, wasmKernels, type WasmKernels } from './wasm.js';

export type FloatArray = Float32Array | Float64Array;

/** Elements of B kept hot per column panel (16 KiB in float32). */
const PANEL_ELEMENTS = 4096;
/** Rows of the shared dimension per block in gemmAtB, where K is T·B and large. */
const K_BLOCK = 128;

/** C (M, N) += A (M, K) · B (N, K)ᵀ — dot products along contiguous rows of A and B. */
export function gemmABtTs(
  c: FloatArray, cOff: number, ldc: number,
  a: FloatArray, aOff: number, lda: number,
  b: FloatArray, bOff: number, ldb: number,
  M: number, N: number, K: number,
): void {
  const M4 = M - (M % 4);
  const panel = Math.max(4, (Math.floor(PANEL_ELEMENTS / Math.max(K, 1)) >> 2) << 2);
  for (let j0 = 0; j0 < N; j0 += panel) {
    const jEnd = Math.min(N, j0 + panel);
    const jEnd4 = j0 + (jEnd - j0) - ((jEnd - j0) % 4);
    for (let i = 0; i < M4; i += 4) {
      const pa0 = aOff + i * lda, pa1 = pa0 + lda, pa2 = pa1 + lda, pa3 = pa2 + lda;
      const pc0 = cOff + i * ldc, pc1 = pc0 + ldc, pc2 = pc1 + ldc, pc3 = pc2 + ldc;
      for (let j = j0; j < jEnd4; j += 4) {
        const pb0 = bOff + j * ldb, pb1 = pb0 + ldb, pb2 = pb1 + ldb, pb3 = pb2 + ldb;
        let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
        let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
        let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
        let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
        for (let k = 0; k < K; k++) {
          const x0 = a[pa0 + k]!, x1 = a[pa1 + k]!, x2 = a[pa2 + k]!, x3 = a[pa3 + k]!;
          const y0 = b[pb0 + k]!, y1 = b[pb1 + k]!, y2 = b[pb2 + k]!, y3 = b[pb3 + k]!;
          c00 += x0 * y0; c01 += x0 * y1; c02 += x0 * y2; c03 += x0 * y3;
          c10 += x1 * y0; c11 += x1 * y1; c12 += x1 * y2; c13 += x1 * y3;
          c20 += x2 * y0; c21 += x2 * y1; c22 += x2 * y2; c23 += x2 * y3;
          c30 += x3 * y0; c31 += x3 * y1; c32 += x3 * y2; c33 += x3 * y3;
        }
        c[pc0 + j] += c00; c[pc0 + j + 1] += c01; c[pc0 + j + 2] += c02; c[pc0 + j + 3] += c03;
        c[pc1 + j] += c10; c[pc1 + j + 1] += c11; c[pc1 + j + 2] += c12; c[pc1 + j + 3] += c13;
        c[pc2 + j] += c20; c[pc2 + j + 1] += c21; c[pc2 + j + 2] += c22; c[pc2 + j + 3] += c23;
        c[pc3 + j] += c30; c[pc3 + j + 1] += c31; c[pc3 + j + 2] += c32; c[pc3 + j + 3] += c33;
      }
      for (let j = jEnd4; j < jEnd; j++) {
        const pb = bOff + j * ldb;
        let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (let k = 0; k < K; k++) {
          const y = b[pb + k]!;
          s0 += a[pa0 + k]! * y; s1 += a[pa1 + k]! * y; s2 += a[pa2 + k]! * y; s3 += a[pa3 + k]! * y;
        }
        c[pc0 + j] += s0; c[pc1 + j] += s1; c[pc2 + j] += s2; c[pc3 + j] += s3;
      }
    }
    // Leftover rows (and batch-1 inference): one row against four columns at a time.
    for (let i = M4; i < M; i++) {
      const pa = aOff + i * lda, pc = cOff + i * ldc;
      for (let j = j0; j < jEnd4; j += 4) {
        const pb0 = bOff + j * ldb, pb1 = pb0 + ldb, pb2 = pb1 + ldb, pb3 = pb2 + ldb;
        let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (let k = 0; k < K; k++) {
          const x = a[pa + k]!;
          s0 += x * b[pb0 + k]!; s1 += x * b[pb1 + k]!; s2 += x * b[pb2 + k]!; s3 += x * b[pb3 + k]!;
        }
        c[pc + j] += s0; c[pc + j + 1] += s1; c[pc + j + 2] += s2; c[pc + j + 3] += s3;
      }
      for (let j = jEnd4; j < jEnd; j++) {
        const pb = bOff + j * ldb;
        let s = 0;
        for (let k = 0; k < K; k++) s += a[pa + k]! * b[pb + k]!;
        c[pc + j] += s;
      }
    }
  }
}

/** C (M, N) += A (M, K) · B (K, N) — rows of B and C are contiguous, A is read by column. */
export function gemmABTs(
  c: FloatArray, cOff: number, ldc: number,
  a: FloatArray, aOff: number, lda: number,
  b: FloatArray, bOff: number, ldb: number,
  M: number, N: number, K: number,
): void {
  const M4 = M - (M % 4);
  const panel = Math.max(4, (Math.floor(PANEL_ELEMENTS / Math.max(K, 1)) >> 2) << 2);
  for (let j0 = 0; j0 < N; j0 += panel) {
    const jEnd = Math.min(N, j0 + panel);
    const jEnd4 = j0 + (jEnd - j0) - ((jEnd - j0) % 4);
    for (let i = 0; i < M4; i += 4) {
      const pa0 = aOff + i * lda, pa1 = pa0 + lda, pa2 = pa1 + lda, pa3 = pa2 + lda;
      const pc0 = cOff + i * ldc, pc1 = pc0 + ldc, pc2 = pc1 + ldc, pc3 = pc2 + ldc;
      for (let j = j0; j < jEnd4; j += 4) {
        let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
        let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
        let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
        let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
        let pb = bOff + j;
        for (let k = 0; k < K; k++, pb += ldb) {
          const x0 = a[pa0 + k]!, x1 = a[pa1 + k]!, x2 = a[pa2 + k]!, x3 = a[pa3 + k]!;
          const y0 = b[pb]!, y1 = b[pb + 1]!, y2 = b[pb + 2]!, y3 = b[pb + 3]!;
          c00 += x0 * y0; c01 += x0 * y1; c02 += x0 * y2; c03 += x0 * y3;
          c10 += x1 * y0; c11 += x1 * y1; c12 += x1 * y2; c13 += x1 * y3;
          c20 += x2 * y0; c21 += x2 * y1; c22 += x2 * y2; c23 += x2 * y3;
          c30 += x3 * y0; c31 += x3 * y1; c32 += x3 * y2; c33 += x3 * y3;
        }
        c[pc0 + j] += c00; c[pc0 + j + 1] += c01; c[pc0 + j + 2] += c02; c[pc0 + j + 3] += c03;
        c[pc1 + j] += c10; c[pc1 + j + 1] += c11; c[pc1 + j + 2] += c12; c[pc1 + j + 3] += c13;
        c[pc2 + j] += c20; c[pc2 + j + 1] += c21; c[pc2 + j + 2] += c22; c[pc2 + j + 3] += c23;
        c[pc3 + j] += c30; c[pc3 + j + 1] += c31; c[pc3 + j + 2] += c32; c[pc3 + j + 3] += c33;
      }
      for (let j = jEnd4; j < jEnd; j++) {
        let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        let pb = bOff + j;
        for (let k = 0; k < K; k++, pb += ldb) {
          const y = b[pb]!;
          s0 += a[pa0 + k]! * y; s1 += a[pa1 + k]! * y; s2 += a[pa2 + k]! * y; s3 += a[pa3 + k]! * y;
        }
        c[pc0 + j] += s0; c[pc1 + j] += s1; c[pc2 + j] += s2; c[pc3 + j] += s3;
      }
    }
    for (let i = M4; i < M; i++) {
      const pa = aOff + i * lda, pc = cOff + i * ldc;
      for (let j = j0; j < jEnd4; j += 4) {
        let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        let pb = bOff + j;
        for (let k = 0; k < K; k++, pb += ldb) {
          const x = a[pa + k]!;
          s0 += x * b[pb]!; s1 += x * b[pb + 1]!; s2 += x * b[pb + 2]!; s3 += x * b[pb + 3]!;
        }
        c[pc + j] += s0; c[pc + j + 1] += s1; c[pc + j + 2] += s2; c[pc + j + 3] += s3;
      }
      for (let j = jEnd4; j < jEnd; j++) {
        let s = 0;
        let pb = bOff + j;
        for (let k = 0; k < K; k++, pb += ldb) s += a[pa + k]! * b[pb]!;
        c[pc + j] += s;
      }
    }
  }
}

/** C (M, N) += A (K, M)ᵀ · B (K, N) — the weight-gradient product, K = all (step, sample) rows. */
export function gemmAtBTs(
  c: FloatArray, cOff: number, ldc: number,
  a: FloatArray, aOff: number, lda: number,
  b: FloatArray, bOff: number, ldb: number,
  M: number, N: number, K: number,
): void {
  const M4 = M - (M % 4);
  const N4 = N - (N % 4);
  // Blocking K keeps the strips of A and B that one row of tiles reads inside the caches.
  for (let k0 = 0; k0 < K; k0 += K_BLOCK) {
    const kEnd = Math.min(K, k0 + K_BLOCK);
    for (let i = 0; i < M4; i += 4) {
      const pc0 = cOff + i * ldc, pc1 = pc0 + ldc, pc2 = pc1 + ldc, pc3 = pc2 + ldc;
      for (let j = 0; j < N4; j += 4) {
        let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
        let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
        let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
        let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
        let pa = aOff + k0 * lda + i;
        let pb = bOff + k0 * ldb + j;
        for (let k = k0; k < kEnd; k++, pa += lda, pb += ldb) {
          const x0 = a[pa]!, x1 = a[pa + 1]!, x2 = a[pa + 2]!, x3 = a[pa + 3]!;
          const y0 = b[pb]!, y1 = b[pb + 1]!, y2 = b[pb + 2]!, y3 = b[pb + 3]!;
          c00 += x0 * y0; c01 += x0 * y1; c02 += x0 * y2; c03 += x0 * y3;
          c10 += x1 * y0; c11 += x1 * y1; c12 += x1 * y2; c13 += x1 * y3;
          c20 += x2 * y0; c21 += x2 * y1; c22 += x2 * y2; c23 += x2 * y3;
          c30 += x3 * y0; c31 += x3 * y1; c32 += x3 * y2; c33 += x3 * y3;
        }
        c[pc0 + j] += c00; c[pc0 + j + 1] += c01; c[pc0 + j + 2] += c02; c[pc0 + j + 3] += c03;
        c[pc1 + j] += c10; c[pc1 + j + 1] += c11; c[pc1 + j + 2] += c12; c[pc1 + j + 3] += c13;
        c[pc2 + j] += c20; c[pc2 + j + 1] += c21; c[pc2 + j + 2] += c22; c[pc2 + j + 3] += c23;
        c[pc3 + j] += c30; c[pc3 + j + 1] += c31; c[pc3 + j + 2] += c32; c[pc3 + j + 3] += c33;
      }
      for (let j = N4; j < N; j++) {
        let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        let pa = aOff + k0 * lda + i;
        let pb = bOff + k0 * ldb + j;
        for (let k = k0; k < kEnd; k++, pa += lda, pb += ldb) {
          const y = b[pb]!;
          s0 += a[pa]! * y; s1 += a[pa + 1]! * y; s2 += a[pa + 2]! * y; s3 += a[pa + 3]! * y;
        }
        c[pc0 + j] += s0; c[pc1 + j] += s1; c[pc2 + j] += s2; c[pc3 + j] += s3;
      }
    }
    for (let i = M4; i < M; i++) {
      const pc = cOff + i * ldc;
      for (let j = 0; j < N; j++) {
        let s = 0;
        let pa = aOff + k0 * lda + i;
        let pb = bOff + k0 * ldb + j;
        for (let k = k0; k < kEnd; k++, pa += lda, pb += ldb) s += a[pa]! * b[pb]!;
        c[pc + j] += s;
      }
    }
  }
}

/** C (M, N) += 1 · bias (N) broadcast over rows. */
export function addRowVector(
  c: FloatArray, cOff: number, ldc: number, bias: FloatArray, biasOff: number, M: number, N: number,
): void {
  for (let i = 0; i < M; i++) {
    const pc = cOff + i * ldc;
    for (let j = 0; j < N; j++) c[pc + j] += bias[biasOff + j]!;
  }
}

/** out (N) += column sums of A (M, N): the bias gradient. */
export function addColumnSumsTs(
  out: FloatArray, outOff: number, a: FloatArray, aOff: number, lda: number, M: number, N: number,
): void {
  for (let i = 0; i < M; i++) {
    const pa = aOff + i * lda;
    for (let j = 0; j < N; j++) out[outOff + j] += a[pa + j]!;
  }
}

/** The kernel, when it is loaded and can address all three float32 arrays. */
function kernelFor(c: FloatArray, a: FloatArray, b: FloatArray): WasmKernels | null {
  const k = wasmKernels();
  if (k === null || !(c instanceof Float32Array) || !(a instanceof Float32Array) || !(b instanceof Float32Array)) return null;
  return inArena(c) && inArena(a) && inArena(b) ? k : null;
}

/** C (M, N) += A (M, K) · B (K, N). */
export function gemmAB(
  c: FloatArray, cOff: number, ldc: number,
  a: FloatArray, aOff: number, lda: number,
  b: FloatArray, bOff: number, ldb: number,
  M: number, N: number, K: number,
): void {
  const k = kernelFor(c, a, b);
  if (k === null) gemmABTs(c, cOff, ldc, a, aOff, lda, b, bOff, ldb, M, N, K);
  // One output column (the input gradient of a 1-feature window): a matrix-vector product.
  else if (N === 1 && ldb === 1) k.gemv(c.byteOffset + 4 * cOff, ldc, a.byteOffset + 4 * aOff, lda, b.byteOffset + 4 * bOff, M, K);
  else k.gemm(c.byteOffset + 4 * cOff, ldc, a.byteOffset + 4 * aOff, lda, 1, b.byteOffset + 4 * bOff, ldb, M, N, K);
}

/** C (M, N) += A (K, M)ᵀ · B (K, N). */
export function gemmAtB(
  c: FloatArray, cOff: number, ldc: number,
  a: FloatArray, aOff: number, lda: number,
  b: FloatArray, bOff: number, ldb: number,
  M: number, N: number, K: number,
): void {
  const k = kernelFor(c, a, b);
  if (k === null) gemmAtBTs(c, cOff, ldc, a, aOff, lda, b, bOff, ldb, M, N, K);
  // One output column with contiguous C (the weights of a 1-feature input): as the row Cᵀ (1, M) += bᵀ · A, SIMD along M.
  else if (N === 1 && ldc === 1) k.gemm(c.byteOffset + 4 * cOff, M, b.byteOffset + 4 * bOff, 0, ldb, a.byteOffset + 4 * aOff, lda, 1, M, K);
  else k.gemm(c.byteOffset + 4 * cOff, ldc, a.byteOffset + 4 * aOff, 1, lda, b.byteOffset + 4 * bOff, ldb, M, N, K);
}

let transposed: Float32Array | null = null; // (K, N) scratch for gemmABt on the kernel

/** C (M, N) += A (M, K) · B (N, K)ᵀ. The kernel needs B with contiguous columns, so it gets a transposed copy. */
export function gemmABt(
  c: FloatArray, cOff: number, ldc: number,
  a: FloatArray, aOff: number, lda: number,
  b: FloatArray, bOff: number, ldb: number,
  M: number, N: number, K: number,
): void {
  const k = kernelFor(c, a, b);
  if (k !== null && (transposed === null || transposed.length < N * K)) transposed = arenaFloat32(Math.max(N * K, 4096));
  if (k === null || transposed === null) {
    gemmABtTs(c, cOff, ldc, a, aOff, lda, b, bOff, ldb, M, N, K);
    return;
  }
  transposeInto(transposed, 0, b, bOff, ldb, N, K);
  k.gemm(c.byteOffset + 4 * cOff, ldc, a.byteOffset + 4 * aOff, lda, 1, transposed.byteOffset, N, M, N, K);
}

/** out (cols, rows) = x (rows, cols)ᵀ, x with row stride ldx; out packed. */
export function transposeInto(out: FloatArray, outOff: number, x: FloatArray, xOff: number, ldx: number, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) {
    const px = xOff + r * ldx;
    for (let q = 0; q < cols; q++) out[outOff + q * rows + r] = x[px + q]!;
  }
}

/** out (N) += column sums of A (M, N), row by row: the bias gradient. */
export function addColumnSums(
  out: FloatArray, outOff: number, a: FloatArray, aOff: number, lda: number, M: number, N: number,
): void {
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
