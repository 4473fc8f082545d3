// The WebAssembly SIMD matrix kernel against its TypeScript reference (gemmTs), in each build the
// runtime loads (relaxed SIMD with fused multiply-add, and SIMD only); the whole float32 network
// with each build, without the kernels, and the two builds against each other; the arena's reuse
// of blocks. Skipped when dist/assembly/kernels.wasm has not been built. (The pointwise steps:
// nn-pointwise.test.ts.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { arenaFloat32, arenaUsage } from '../../src/nn/arena.js';
import { gemmAB, gemmAtB, gemmTs, packFloats, packPanels, panelFloats } from '../../src/nn/gemm.js';
import {
  createNetwork, createWorkspace, networkForward, networkBackward, releaseNetwork, releaseWorkspace, zeroGrads,
} from '../../src/nn/network.js';
import { createDataParallel, dataParallelBackward, dataParallelForward, releaseDataParallel } from '../../src/nn/parallel/data-parallel.js';
import { lossForwardBackward } from '../../src/nn/loss.js';
import { createRng } from '../../src/nn/rng.js';
import { kernelVariant, kernelVariants, setKernelVariant, setWasmEnabled, wasmKernels, type KernelVariant } from '../../src/nn/wasm.js';

/** float32 sums in a different order (and fused or not): relative to the scale of the products. */
const KERNEL_TOLERANCE = 1e-5;
/** The float32 network's outputs and gradients (O(1)) between the builds, and against the TypeScript kernels. */
const NETWORK_TOLERANCE = 1e-6;
const skip = wasmKernels() === null ? 'dist/assembly/kernels.wasm is not built' : false;
const variants: KernelVariant[] = wasmKernels() === null ? [] : kernelVariants();

function withVariant<T>(which: KernelVariant, body: () => T): T {
  const before = kernelVariant();
  assert.ok(setKernelVariant(which));
  try {
    return body();
  } finally {
    setKernelVariant(before);
  }
}

test('the runtime loads the SIMD build, and prefers the relaxed-SIMD one when it has it', { skip }, () => {
  assert.ok(variants.includes('simd'));
  assert.equal(kernelVariant(), variants.includes('relaxed-simd') ? 'relaxed-simd' : 'simd');
  console.log(`kernel builds loaded: ${variants.join(', ')}`);
});

function filled(n: number, seed: number): Float32Array {
  const a = arenaFloat32(n)!;
  const r = createRng(seed);
  for (let k = 0; k < n; k++) a[k] = 2 * r.nextFloat() - 1;
  return a;
}

const sizes: Array<[number, number, number]> = [
  [1, 1, 1], [3, 5, 2], [4, 8, 4], [7, 9, 13], [8, 12, 300], [13, 6, 129], [5, 130, 40], [64, 256, 600], [37, 1, 21], [256, 1, 300],
  [150, 20, 530], [68, 37, 7],
];

for (const [M, N, K] of sizes) for (const which of variants) {
  test(`${which} kernel = TypeScript kernel, M ${M} N ${N} K ${K}`, () => withVariant(which, () => {
    // N = 1 with packed strides takes the matrix-vector paths.
    const vector = N === 1;
    const pad = 3, lda = K + 2, ldbN = vector ? 1 : N + 2, ldaT = M + 1, ldc = vector ? 1 : N + 4;
    const aRows = filled(pad + M * lda, 3), aCols = filled(pad + K * ldaT, 5), b = filled(pad + K * ldbN, 4);
    const w = filled(N * K, 6), panels = arenaFloat32(panelFloats(K, N))!, pack = arenaFloat32(packFloats(M))!;
    packPanels(panels, w, 0, N, K);
    const cases: Array<{ name: string; wasm: (C: Float32Array) => void; ts: (C: Float32Array) => void }> = [
      { name: 'AB', wasm: (C) => gemmAB(C, pad, ldc, aRows, pad, lda, b, pad, ldbN, M, N, K), ts: (C) => gemmTs(C, pad, ldc, aRows, pad, lda, 1, b, pad, ldbN, 8, M, N, K) },
      { name: 'AB, B in panels', wasm: (C) => gemmAB(C, pad, ldc, aRows, pad, lda, panels, 0, 8, M, N, K, 8 * K), ts: (C) => gemmTs(C, pad, ldc, aRows, pad, lda, 1, panels, 0, 8, 8 * K, M, N, K) },
      { name: 'AtB', wasm: (C) => gemmAtB(C, pad, ldc, aCols, pad, ldaT, b, pad, ldbN, M, N, K), ts: (C) => gemmTs(C, pad, ldc, aCols, pad, 1, ldaT, b, pad, ldbN, 8, M, N, K) },
      { name: 'AtB, A packed', wasm: (C) => gemmAtB(C, pad, ldc, aCols, pad, ldaT, b, pad, ldbN, M, N, K, pack), ts: (C) => gemmTs(C, pad, ldc, aCols, pad, 1, ldaT, b, pad, ldbN, 8, M, N, K) },
    ];
    for (const c of cases) {
      const viaWasm = filled(pad + M * ldc, 7);
      const viaTs = Float32Array.from(viaWasm);
      c.wasm(viaWasm);
      c.ts(viaTs);
      let worst = 0;
      for (let k = 0; k < viaTs.length; k++) worst = Math.max(worst, Math.abs(viaWasm[k]! - viaTs[k]!) / Math.sqrt(K));
      assert.ok(worst <= KERNEL_TOLERANCE, `${c.name}: ${worst}`);
      // Untouched padding around C stays bit-identical.
      for (let k = 0; k < pad; k++) assert.equal(viaWasm[k], viaTs[k]);
    }
  }));
}

for (const cell of ['lstm', 'gru'] as const) test(`float32 ${cell}: the same outputs and gradients with each build of the kernels and without`, { skip }, () => {
  const config = { cell, inputSize: 3, hiddenSize: 18, numLayers: 2, bidirectional: true, dropout: 0, horizon: 5 };
  const B = 9, T = 11;
  const x = Float32Array.from({ length: B * T * 3 }, (_, k) => Math.sin(k));
  const y = Float32Array.from({ length: B * 5 }, (_, k) => Math.cos(k));
  const run = (): { out: Float32Array; grads: Float32Array } => {
    const net = createNetwork(config, { seed: 3 });
    const ws = createWorkspace(net, B, T);
    const d = new Float32Array(B * 5);
    zeroGrads(net);
    const out = Float32Array.from(networkForward(net, ws, x, B, { training: false }));
    lossForwardBackward('mse', out, y, null, B * 5, d);
    networkBackward(net, ws, d, B);
    return { out, grads: Float32Array.from(net.grads) };
  };
  const diff = (p: Float32Array, q: Float32Array): number => p.reduce((m, v, k) => Math.max(m, Math.abs(v - q[k]!)), 0);
  const results = variants.map((which) => ({ which, ...withVariant(which, run) }));
  setWasmEnabled(false);
  let without: { out: Float32Array; grads: Float32Array };
  try {
    without = run();
  } finally {
    setWasmEnabled(true);
  }
  for (const r of [...results.slice(1).map((other) => ({ a: results[0]!, b: other })), ...results.map((a) => ({ a, b: { which: 'typescript', ...without } }))]) {
    const outs = diff(r.a.out, r.b.out), grads = diff(r.a.grads, r.b.grads);
    console.log(`${cell} ${r.a.which} vs ${r.b.which}: outputs ${outs.toExponential(1)}, gradients ${grads.toExponential(1)}`);
    assert.ok(outs <= NETWORK_TOLERANCE && grads <= NETWORK_TOLERANCE, `${r.a.which} vs ${r.b.which}: outputs ${outs}, gradients ${grads}`);
  }
});

test('released workspaces, networks and trainers give their arena memory back at once', { skip }, async () => {
  const config = { cell: 'lstm' as const, inputSize: 2, hiddenSize: 32, numLayers: 2, bidirectional: false, dropout: 0.1, horizon: 4 };
  const inUse = (): number => arenaUsage().top - arenaUsage().free;
  const cycle = async (): Promise<void> => {
    const net = createNetwork(config, { seed: 1 });
    const ws = createWorkspace(net, 64, 24);
    const dp = await createDataParallel(net, ws, { jobs: 1, minChunkFlops: 1 });
    zeroGrads(net);
    dataParallelBackward(dp, Float32Array.from(dataParallelForward(dp, new Float32Array(64 * 24 * 2).fill(0.5), 64, createRng(1))), 64);
    releaseDataParallel(dp);
    releaseWorkspace(ws);
    releaseNetwork(net);
  };
  await cycle();
  const before = inUse();
  for (let k = 0; k < 5; k++) await cycle();
  assert.ok(inUse() <= before, `${inUse() - before} more bytes in use after five more trainers`);
});

test('arena blocks are reused, zeroed, once their arrays are collected', { skip }, async () => {
  // Node can expose gc at run time; finalizers run on a later turn of the event loop.
  const { setFlagsFromString } = await import('node:v8');
  const { runInNewContext } = await import('node:vm');
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const collect = async (): Promise<void> => {
    for (let round = 0; round < 5; round++) {
      gc();
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  await collect();
  const before = arenaUsage().top;
  for (let cycle = 0; cycle < 5; cycle++) {
    const blocks = Array.from({ length: 20 }, () => arenaFloat32(50_000)!);
    for (const b of blocks) assert.ok(b.every((x: number) => x === 0), 'a reused block was not zeroed');
    for (const b of blocks) b.fill(7);
    blocks.length = 0;
    await collect();
  }
  // Five cycles of 4 MB each would need 20 MB without reuse.
  assert.ok(arenaUsage().top - before <= 4_100_000, `arena grew by ${arenaUsage().top - before} bytes`);
});
