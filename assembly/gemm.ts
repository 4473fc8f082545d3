// WebAssembly SIMD kernel for the float32 matrix products (AssemblyScript, compiled at build time).
// One kernel, C (M, N) += A (M, K) · B (K, N), covers the products of src/nn/gemm.ts (gemmTs there
// is the same loop in TypeScript):
// - A is read one scalar at a time (a broadcast load), so it may have any row and column stride
//   (A or Aᵀ). When A is read down its columns (Aᵀ, the weight gradients) its rows are k·acs
//   apart and a tile would touch a new page every step or two; with a `pack` buffer the kernel
//   first copies each block of A into 4-row panels, contiguous in k.
// - B(k, j) is at (j >> 3)·bps + k·ldb + (j & 7): row-major with bps = 8, or panel-major (each 8
//   columns contiguous in k: ldb = 8, bps = 8·K), the layout the layers keep their transposed
//   weights in, so a tile's panel of B is one contiguous run.
// SIMD runs along N: a 4-row × 8-column tile keeps 8 f32x4 sums in registers (with the 2 vectors
// of B and 1 broadcast, 11 of the 16 registers x64 gives V8). Blocks: K in KC rows so a panel of
// B (KC × 8) stays in L1, M in MC rows so the block of A (MC × KC) stays in cache while the panels
// of B go by. Pointers are byte addresses in the shared memory; strides are in elements.

import { madd } from './simd';

const KC: i32 = 256; // rows of B (columns of A) per block
const MC: i32 = 64; // rows of A and C per block

/** Floats a `pack` buffer must hold: one block of A. */
export function packFloats(): i32 {
  return MC * KC;
}

export function gemm(
  c: usize, ldc: i32,
  a: usize, ars: i32, acs: i32,
  b: usize, ldb: i32, bps: i32,
  M: i32, N: i32, K: i32,
  pack: usize,
): void {
  const M4 = M & ~3;
  const N8 = N & ~7;
  const N4 = N & ~3;
  const aRow = <usize>ars << 2, aCol = <usize>acs << 2, cRow = <usize>ldc << 2;
  const bRow = <usize>ldb << 2, bPanel = <usize>bps << 2;
  for (let k0: i32 = 0; k0 < K; k0 += KC) {
    const kn = min(K - k0, KC);
    const aK = a + <usize>k0 * aCol;
    const bK = b + <usize>k0 * bRow;
    for (let i0: i32 = 0; i0 < M4; i0 += MC) {
      const iEnd = min(M4, i0 + MC);
      // Where the tiles read A: in place, or from 4-row panels of the block (4 floats per k).
      let tileRow = aRow, tileK = aCol, tilePanel: usize = 4 * aRow, block = aK + <usize>i0 * aRow;
      if (pack != 0) {
        packBlock(pack, block, aRow, aCol, iEnd - i0, kn);
        tileRow = 4; tileK = 16; tilePanel = <usize>kn << 4; block = pack;
      }
      for (let j: i32 = 0; j < N8; j += 8) {
        for (let i: i32 = i0; i < iEnd; i += 4) {
          let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
          let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
          let pa = block + <usize>((i - i0) >> 2) * tilePanel;
          let pb = bK + <usize>(j >> 3) * bPanel;
          for (let k: i32 = 0; k < kn; k++) {
            const b0 = v128.load(pb), b1 = v128.load(pb, 16);
            const x0 = v128.load32_splat(pa);
            c00 = madd(x0, b0, c00); c01 = madd(x0, b1, c01);
            const x1 = v128.load32_splat(pa + tileRow);
            c10 = madd(x1, b0, c10); c11 = madd(x1, b1, c11);
            const x2 = v128.load32_splat(pa + 2 * tileRow);
            c20 = madd(x2, b0, c20); c21 = madd(x2, b1, c21);
            const x3 = v128.load32_splat(pa + 3 * tileRow);
            c30 = madd(x3, b0, c30); c31 = madd(x3, b1, c31);
            pa += tileK;
            pb += bRow;
          }
          let pc = c + <usize>i * cRow + (<usize>j << 2);
          v128.store(pc, f32x4.add(v128.load(pc), c00)); v128.store(pc, f32x4.add(v128.load(pc, 16), c01), 16);
          pc += cRow;
          v128.store(pc, f32x4.add(v128.load(pc), c10)); v128.store(pc, f32x4.add(v128.load(pc, 16), c11), 16);
          pc += cRow;
          v128.store(pc, f32x4.add(v128.load(pc), c20)); v128.store(pc, f32x4.add(v128.load(pc, 16), c21), 16);
          pc += cRow;
          v128.store(pc, f32x4.add(v128.load(pc), c30)); v128.store(pc, f32x4.add(v128.load(pc, 16), c31), 16);
        }
      }
    }
    // Leftover rows (and batch-1 inference): one row against 8 columns at a time.
    for (let i: i32 = M4; i < M; i++) {
      for (let j: i32 = 0; j < N8; j += 8) {
        let c0 = f32x4.splat(0), c1 = f32x4.splat(0);
        let pa = aK + <usize>i * aRow;
        let pb = bK + <usize>(j >> 3) * bPanel;
        for (let k: i32 = 0; k < kn; k++) {
          const x = v128.load32_splat(pa);
          c0 = madd(x, v128.load(pb), c0);
          c1 = madd(x, v128.load(pb, 16), c1);
          pa += aCol;
          pb += bRow;
        }
        const pc = c + <usize>i * cRow + (<usize>j << 2);
        v128.store(pc, f32x4.add(v128.load(pc), c0)); v128.store(pc, f32x4.add(v128.load(pc, 16), c1), 16);
      }
    }
    // Leftover columns: one vector of 4 (the first half of the last panel), then one at a time.
    if (N8 < N4) {
      const j = N8;
      for (let i: i32 = 0; i < M; i++) {
        let c0 = f32x4.splat(0);
        let pa = aK + <usize>i * aRow;
        let pb = bK + <usize>(j >> 3) * bPanel;
        for (let k: i32 = 0; k < kn; k++) {
          c0 = madd(v128.load32_splat(pa), v128.load(pb), c0);
          pa += aCol;
          pb += bRow;
        }
        const pc = c + <usize>i * cRow + (<usize>j << 2);
        v128.store(pc, f32x4.add(v128.load(pc), c0));
      }
    }
    for (let j: i32 = N4; j < N; j++) {
      for (let i: i32 = 0; i < M; i++) {
        let s: f32 = 0;
        let pa = aK + <usize>i * aRow;
        let pb = bK + (<usize>((j >> 3) * bps + (j & 7)) << 2);
        for (let k: i32 = 0; k < kn; k++) {
          s += load<f32>(pa) * load<f32>(pb);
          pa += aCol;
          pb += bRow;
        }
        const pc = c + <usize>i * cRow + (<usize>j << 2);
        store<f32>(pc, load<f32>(pc) + s);
      }
    }
  }
}

/** pack ← rows × kn of A at `a` as 4-row panels: panel p holds A(4p..4p+3, k) at 16·(p·kn + k) bytes. */
// @ts-ignore: decorator
@inline function packBlock(pack: usize, a: usize, aRow: usize, aCol: usize, rows: i32, kn: i32): void {
  for (let i: i32 = 0; i < rows; i += 4) {
    let dst = pack + (<usize>(i >> 2) * <usize>kn << 4);
    let src = a + <usize>i * aRow;
    if (aRow == 4) { // Aᵀ: the 4 values of a column are contiguous
      for (let k: i32 = 0; k < kn; k++) {
        v128.store(dst, v128.load(src));
        dst += 16;
        src += aCol;
      }
    } else {
      for (let k: i32 = 0; k < kn; k++) {
        let v = v128.load32_splat(src);
        v = f32x4.replace_lane(v, 1, load<f32>(src + aRow));
        v = f32x4.replace_lane(v, 2, load<f32>(src + 2 * aRow));
        v = f32x4.replace_lane(v, 3, load<f32>(src + 3 * aRow));
        v128.store(dst, v);
        dst += 16;
        src += aCol;
      }
    }
  }
}

/** y (M) += A (M, K) · x (K): rows of A and x contiguous, y with stride incy. SIMD along K. */
export function gemv(y: usize, incy: i32, a: usize, lda: i32, x: usize, M: i32, K: i32): void {
  const K4 = K & ~3;
  const aRow = <usize>lda << 2, yStep = <usize>incy << 2;
  for (let i: i32 = 0; i < M; i++) {
    const pa = a + <usize>i * aRow;
    let acc = f32x4.splat(0);
    for (let k: i32 = 0; k < K4; k += 4) acc = madd(v128.load(pa + (<usize>k << 2)), v128.load(x + (<usize>k << 2)), acc);
    let s: f32 = (f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1)) + (f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3));
    for (let k: i32 = K4; k < K; k++) s += load<f32>(pa + (<usize>k << 2)) * load<f32>(x + (<usize>k << 2));
    const py = y + <usize>i * yStep;
    store<f32>(py, load<f32>(py) + s);
  }
}

/** Every row of C (M, N) = v (N): the bias a product then adds to. */
export function setRows(c: usize, ldc: i32, v: usize, M: i32, N: i32): void {
  const cRow = <usize>ldc << 2, bytes = <usize>N << 2;
  for (let i: i32 = 0; i < M; i++) memory.copy(c + <usize>i * cRow, v, bytes);
}

/** out (N) += the column sums of A (M, N), row by row (the same order as the TypeScript loop). */
export function addColumnSums(out: usize, a: usize, lda: i32, M: i32, N: i32): void {
  const N4 = N & ~3;
  const aRow = <usize>lda << 2;
  for (let i: i32 = 0; i < M; i++) {
    const pa = a + <usize>i * aRow;
    for (let j: i32 = 0; j < N4; j += 4) {
      const o = out + (<usize>j << 2);
      v128.store(o, f32x4.add(v128.load(o), v128.load(pa + (<usize>j << 2))));
    }
    for (let j: i32 = N4; j < N; j++) {
      const o = out + (<usize>j << 2);
      store<f32>(o, load<f32>(o) + load<f32>(pa + (<usize>j << 2)));
    }
  }
}
