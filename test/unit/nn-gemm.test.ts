// The strided TypeScript gemm (gemmTs) and the products built on it against a naive triple loop,
// over odd sizes, offsets and strides, K and M beyond one block, B row-major and in panels.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gemmAB, gemmAtB, gemmTs, packPanels, panelFloats } from '../../src/nn/gemm.js';
import { createRng } from '../../src/nn/rng.js';

const GEMM_TOLERANCE = 1e-12;

function random(n: number, seed: number): Float64Array {
  const r = createRng(seed);
  return Float64Array.from({ length: n }, () => 2 * r.nextFloat() - 1);
}

const sizes: Array<[number, number, number]> = [[1, 1, 1], [3, 5, 2], [4, 4, 4], [7, 9, 13], [8, 12, 300], [13, 6, 129], [5, 130, 40], [9, 7, 600], [70, 21, 5]];

for (const [M, N, K] of sizes) {
  test(`gemm kernels M ${M} N ${N} K ${K}`, () => {
    const pad = 3; // offsets and leading dimensions larger than the rows
    const lda = K + 2, ldc = N + 4;
    const ldaT = M + 1, ldbN = N + 2, ldaS = 2 * M + 1;
    const aRows = random(pad + M * lda, 3), aCols = random(pad + K * ldaT, 5), aStrided = random(pad + K * ldaS + 2 * M, 8);
    const b = random(pad + K * ldbN, 4), w = random(N * K, 6); // w (N, K): B = wᵀ in panels
    const panels = new Float64Array(panelFloats(K, N));
    packPanels(panels, w, 0, N, K);
    const rowA = (i: number, k: number): number => aRows[pad + i * lda + k]!;
    const rowB = (k: number, j: number): number => b[pad + k * ldbN + j]!;
    const cases: Array<{ name: string; run: (C: Float64Array) => void; A: (i: number, k: number) => number; B: (k: number, j: number) => number }> = [
      // A read down its columns with both strides ≠ 1: gemmTs's general case.
      { name: 'strided', run: (C) => gemmTs(C, pad, ldc, aStrided, pad, 2, ldaS, b, pad, ldbN, 8, M, N, K), A: (i, k) => aStrided[pad + 2 * i + k * ldaS]!, B: rowB },
      { name: 'AB', run: (C) => gemmAB(C, pad, ldc, aRows, pad, lda, b, pad, ldbN, M, N, K), A: rowA, B: rowB },
      { name: 'AB, B in panels', run: (C) => gemmAB(C, pad, ldc, aRows, pad, lda, panels, 0, 8, M, N, K, 8 * K), A: rowA, B: (k, j) => w[j * K + k]! },
      { name: 'AtB', run: (C) => gemmAtB(C, pad, ldc, aCols, pad, ldaT, b, pad, ldbN, M, N, K), A: (i, k) => aCols[pad + k * ldaT + i]!, B: rowB },
    ];
    for (const c of cases) {
      const C = random(pad + M * ldc, 7);
      const expected = Float64Array.from(C);
      for (let i = 0; i < M; i++) {
        for (let j = 0; j < N; j++) {
          let sum = 0;
          for (let k = 0; k < K; k++) sum += c.A(i, k) * c.B(k, j);
          expected[pad + i * ldc + j]! += sum;
        }
      }
      c.run(C);
      let worst = 0;
      for (let k = 0; k < C.length; k++) worst = Math.max(worst, Math.abs(C[k]! - expected[k]!));
      assert.ok(worst <= GEMM_TOLERANCE, `${c.name}: ${worst}`);
    }
  });
}
