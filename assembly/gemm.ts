// WebAssembly SIMD kernel for the float32 matrix products (AssemblyScript, compiled at build time).
// One kernel, C (M, N) += A (M, K) · B (K, N), covers all three products of src/nn/gemm.ts:
// A is read one scalar at a time (splat), so it may have any row and column stride (A or Aᵀ);
// B must have contiguous columns, so C += A·Bᵀ is served with a transposed copy of B.
// SIMD runs along N: a 4-row × 8-column tile keeps 8 f32x4 sums in registers.
// Pointers are byte addresses in the shared memory; strides are in elements.

const K_BLOCK: i32 = 256; // rows of B (and columns of A) per pass, so the B panel stays in cache

// @ts-ignore: decorator
@inline function splatAt(p: usize): v128 {
  return f32x4.splat(load<f32>(p));
}

export function gemm(
  c: usize, ldc: i32,
  a: usize, ars: i32, acs: i32,
  b: usize, ldb: i32,
  M: i32, N: i32, K: i32,
): void {
  const M4 = M & ~3;
  const N8 = N & ~7;
  const N4 = N & ~3;
  const aRow = <usize>ars << 2, aCol = <usize>acs << 2, bRow = <usize>ldb << 2, cRow = <usize>ldc << 2;
  for (let k0: i32 = 0; k0 < K; k0 += K_BLOCK) {
    const kn = min(K - k0, K_BLOCK);
    const aK = a + <usize>k0 * aCol;
    const bK = b + <usize>k0 * bRow;
    for (let j: i32 = 0; j < N8; j += 8) {
      for (let i: i32 = 0; i < M4; i += 4) {
        let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
        let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
        let pa = aK + <usize>i * aRow;
        let pb = bK + (<usize>j << 2);
        for (let k: i32 = 0; k < kn; k++) {
          const b0 = v128.load(pb), b1 = v128.load(pb, 16);
          const x0 = splatAt(pa), x1 = splatAt(pa + aRow), x2 = splatAt(pa + 2 * aRow), x3 = splatAt(pa + 3 * aRow);
          c00 = f32x4.add(c00, f32x4.mul(x0, b0)); c01 = f32x4.add(c01, f32x4.mul(x0, b1));
          c10 = f32x4.add(c10, f32x4.mul(x1, b0)); c11 = f32x4.add(c11, f32x4.mul(x1, b1));
          c20 = f32x4.add(c20, f32x4.mul(x2, b0)); c21 = f32x4.add(c21, f32x4.mul(x2, b1));
          c30 = f32x4.add(c30, f32x4.mul(x3, b0)); c31 = f32x4.add(c31, f32x4.mul(x3, b1));
          pa += aCol;
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
      for (let i: i32 = M4; i < M; i++) {
        let c0 = f32x4.splat(0), c1 = f32x4.splat(0);
        let pa = aK + <usize>i * aRow;
        let pb = bK + (<usize>j << 2);
        for (let k: i32 = 0; k < kn; k++) {
          const x = splatAt(pa);
          c0 = f32x4.add(c0, f32x4.mul(x, v128.load(pb)));
          c1 = f32x4.add(c1, f32x4.mul(x, v128.load(pb, 16)));
          pa += aCol;
          pb += bRow;
        }
        const pc = c + <usize>i * cRow + (<usize>j << 2);
        v128.store(pc, f32x4.add(v128.load(pc), c0)); v128.store(pc, f32x4.add(v128.load(pc, 16), c1), 16);
      }
    }
    if (N8 < N4) {
      const j = N8;
      for (let i: i32 = 0; i < M; i++) {
        let c0 = f32x4.splat(0);
        let pa = aK + <usize>i * aRow;
        let pb = bK + (<usize>j << 2);
        for (let k: i32 = 0; k < kn; k++) {
          c0 = f32x4.add(c0, f32x4.mul(splatAt(pa), v128.load(pb)));
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
        let pb = bK + (<usize>j << 2);
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

/** y (M) += A (M, K) · x (K): rows of A and x contiguous, y with stride incy. SIMD along K. */
export function gemv(y: usize, incy: i32, a: usize, lda: i32, x: usize, M: i32, K: i32): void {
  const K4 = K & ~3;
  const aRow = <usize>lda << 2, yStep = <usize>incy << 2;
  for (let i: i32 = 0; i < M; i++) {
    const pa = a + <usize>i * aRow;
    let acc = f32x4.splat(0);
    for (let k: i32 = 0; k < K4; k += 4) acc = f32x4.add(acc, f32x4.mul(v128.load(pa + (<usize>k << 2)), v128.load(x + (<usize>k << 2))));
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
