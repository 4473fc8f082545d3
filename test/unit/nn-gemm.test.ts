// The strided TypeScript gemm (gemmTs) and the products built on it against a naive triple loop,
// over odd sizes, offsets and strides, K beyond one block included.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gemmAB, gemmAtB, gemmTs } from '../../src/nn/gemm.js';
import { createRng } from '../../src/nn/rng.js';

const GEMM_TOLERANCE = 1e-12;

function random(n: number, seed: number): Float64Array {
  const r = createRng(seed);
  return Float64Array.from({ length: n }, () => 2 * r.nextFloat() - 1);
}

const sizes: Array<[number, number, number]> = [[1, 1, 1], [3, 5, 2], [4, 4, 4], [7, 9, 13], [8, 12, 300], [13, 6, 129], [5, 130, 40], [9, 7, 600]];

for (const [M, N, K] of sizes) {
  test(`gemm kernels M ${M} N ${N} K ${K}`, () => {
    const pad = 3; // offsets and leading dimensions larger than the rows
    const lda = K + 2, ldc = N + 4;
    const ldaT = M + 1, ldbN = N + 2;
    // A read down its columns with both strides ≠ 1: gemmTs's general case.
    const gemmStrided = (c: Float64Array, cOff: number, ldcC: number, a: Float64Array, aOff: number, _lda: number, b: Float64Array, bOff: number, ldbB: number, m: number, n: number, k: number): void =>
      gemmTs(c, cOff, ldcC, a, aOff, 2, 2 * M + 1, b, bOff, ldbB, m, n, k);
    const cases = [
      { name: 'strided', fn: gemmStrided, a: random(pad + K * (2 * M + 1) + 2 * M, 8), lda: 0, b: random(pad + K * ldbN, 9), ldb: ldbN,
        A: (i: number, k: number, a: Float64Array) => a[pad + 2 * i + k * (2 * M + 1)]!, Bv: (k: number, j: number, b: Float64Array) => b[pad + k * ldbN + j]! },
      { name: 'AB', fn: gemmAB, a: random(pad + M * lda, 3), lda, b: random(pad + K * ldbN, 4), ldb: ldbN,
        A: (i: number, k: number, a: Float64Array) => a[pad + i * lda + k]!, Bv: (k: number, j: number, b: Float64Array) => b[pad + k * ldbN + j]! },
      { name: 'AtB', fn: gemmAtB, a: random(pad + K * ldaT, 5), lda: ldaT, b: random(pad + K * ldbN, 6), ldb: ldbN,
        A: (i: number, k: number, a: Float64Array) => a[pad + k * ldaT + i]!, Bv: (k: number, j: number, b: Float64Array) => b[pad + k * ldbN + j]! },
    ];
    for (const c of cases) {
      const C = random(pad + M * ldc, 7);
      const expected = Float64Array.from(C);
      for (let i = 0; i < M; i++) {
        for (let j = 0; j < N; j++) {
          let s = 0;
          for (let k = 0; k < K; k++) s += c.A(i, k, c.a) * c.Bv(k, j, c.b);
          expected[pad + i * ldc + j] += s;
        }
      }
      c.fn(C, pad, ldc, c.a, pad, c.lda, c.b, pad, c.ldb, M, N, K);
      let worst = 0;
      for (let k = 0; k < C.length; k++) worst = Math.max(worst, Math.abs(C[k]! - expected[k]!));
      assert.ok(worst <= GEMM_TOLERANCE, `${c.name}: ${worst}`);
    }
  });
}
