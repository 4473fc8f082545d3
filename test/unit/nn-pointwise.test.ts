// Each pointwise step of the WebAssembly kernels (assembly/cells.ts), in each build the runtime
// loads (relaxed SIMD and SIMD only), against its TypeScript reference (src/nn/pointwise.ts),
// through the same signature: random rows with a tail of units
// (H not a multiple of 4), an output row stride wider than H, with and without a previous state.
// The forward inputs span the ranges where the kernels' exp and tanh approximations change form:
// tiny |x| (tanh's odd series below 1/16), moderate, and saturated (|x| up to 40, the clamp).
// None when dist/assembly/kernels.wasm has not been built.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { arenaFloat32 } from '../../src/nn/arena.js';
import { pointwiseFor, pointwiseTs } from '../../src/nn/pointwise.js';
import { createRng, type Rng } from '../../src/nn/rng.js';
import { kernelVariant, kernelVariants, setKernelVariant, wasmKernels, type KernelVariant } from '../../src/nn/wasm.js';

/**
 * Forward values: |wasm − ts| ≤ FORWARD_ULPS float32 ulps — of the reference for the LSTM gates,
 * functions of one stored value each (the exp and tanh approximations are about 2 ulp), of 1 for
 * everything computed from a sum: c, tanh(c), the outputs and the GRU gates (the kernel rounds the
 * sum to float32 first, the reference does not, and near cancellation that difference is at the
 * scale of the terms, not of the result).
 */
const FORWARD_ULPS = 8;
/** Backward values, O(1) products of a few roundings each: |wasm − ts| ≤ BACKWARD_TOLERANCE · max(1, |ts|). */
const BACKWARD_TOLERANCE = 1e-6;

const variants: KernelVariant[] = wasmKernels() === null ? [] : kernelVariants();
const B = 5, H = 11, ldo = 2 * H + 3, outCol = H; // a bidirectional layer's reverse half, padded

/** float32 ulps between a and the reference r (ulp of max(|r|, floor)). */
function ulps(a: number, r: number, floor: number): number {
  const ulp = 2 ** (Math.floor(Math.log2(Math.max(Math.abs(r), floor))) - 23);
  return Math.abs(a - r) / ulp;
}

/** A pre-activation: a third tiny, a third moderate, a third large (both signs). */
function preActivation(r: Rng): number {
  const kind = r.nextFloat(), sign = r.nextFloat() < 0.5 ? -1 : 1;
  if (kind < 1 / 3) return sign * 0.07 * r.nextFloat() ** 3;
  if (kind < 2 / 3) return sign * 4 * r.nextFloat();
  return sign * 40 * r.nextFloat();
}

function arena(n: number, fill: (r: Rng) => number, seed: number): Float32Array {
  const a = arenaFloat32(n)!;
  const r = createRng(seed);
  for (let k = 0; k < n; k++) a[k] = fill(r);
  return a;
}

const unit = (r: Rng): number => 2 * r.nextFloat() - 1;
const gate = (r: Rng): number => r.nextFloat();

/** Runs `step` on arena arrays (the kernels) and on plain copies (the reference); returns both sets. */
function both(arrays: Float32Array[], step: (steps: ReturnType<typeof pointwiseFor>, xs: Float32Array[]) => void): [Float32Array[], Float32Array[]] {
  const copies = arrays.map((a) => Float32Array.from(a));
  const kernels = pointwiseFor(...arrays);
  assert.notEqual(kernels, pointwiseTs, 'the kernels were chosen for arena arrays');
  step(kernels, arrays);
  step(pointwiseTs, copies);
  return [arrays, copies];
}

function compareForward(name: string, wasm: Float32Array, ts: Float32Array, ofSums: boolean): number {
  const floor = ofSums ? 1 : 2 ** -126;
  let worst = 0;
  for (let k = 0; k < ts.length; k++) worst = Math.max(worst, ulps(wasm[k]!, ts[k]!, floor));
  assert.ok(worst <= FORWARD_ULPS, `${name}: ${worst} ulps`);
  console.log(`  ${name}: ${worst.toFixed(2)} ulps${ofSums ? ' of 1' : ''}`);
  return worst;
}

function compareBackward(name: string, wasm: Float32Array, ts: Float32Array): number {
  let worst = 0;
  for (let k = 0; k < ts.length; k++) worst = Math.max(worst, Math.abs(wasm[k]! - ts[k]!) / Math.max(1, Math.abs(ts[k]!)));
  assert.ok(worst <= BACKWARD_TOLERANCE, `${name}: ${worst}`);
  return worst;
}

for (const which of variants) for (const first of [true, false]) {
  const prevNote = `${which}, ${first ? 'first step (no previous state)' : 'with a previous state'}`;
  const withVariant = (body: () => void) => (): void => {
    const before = kernelVariant();
    setKernelVariant(which);
    try {
      body();
    } finally {
      setKernelVariant(before);
    }
  };

  test(`lstmPointwise: kernel = reference, ${prevNote}`, withVariant(() => {
    const gates = arena(B * 4 * H, preActivation, 1), c = arena(B * H, unit, 2), tanhC = arena(B * H, unit, 3);
    const cPrev = arena(B * H, (r) => 3 * unit(r), 4), out = arena(B * ldo, unit, 5);
    const [w, t] = both([gates, c, tanhC, cPrev, out], (s, [g, cc, tc, cp, o]) =>
      s.lstmPointwise(g!, 0, cc!, 0, tc!, 0, first ? null : cp!, 0, o!, outCol, ldo, B, H));
    const worst = ['gates', 'c', 'tanhC', 'cPrev', 'out'].map((name, k) => compareForward(name, w[k]!, t[k]!, name !== 'gates'));
    console.log(`lstmPointwise ${prevNote}: max ${Math.max(...worst).toFixed(2)} ulps`);
  }));

  test(`gruPointwise: kernel = reference, ${prevNote}`, withVariant(() => {
    const gates = arena(B * 3 * H, preActivation, 11), hGates = arena(B * 3 * H, preActivation, 12), hn = arena(B * H, unit, 13);
    const hPrev = arena(B * ldo, unit, 14), out = arena(B * ldo, unit, 15);
    const [w, t] = both([gates, hGates, hn, hPrev, out], (s, [g, q, n, p, o]) =>
      s.gruPointwise(g!, 0, q!, 0, n!, 0, first ? null : p!, outCol, o!, outCol, ldo, B, H));
    const worst = ['gates', 'hGates', 'hn', 'hPrev', 'out'].map((name, k) => compareForward(name, w[k]!, t[k]!, name === 'gates' || name === 'out'));
    console.log(`gruPointwise ${prevNote}: max ${Math.max(...worst).toFixed(2)} ulps`);
  }));

  test(`lstmBackwardPointwise: kernel = reference, ${prevNote}`, withVariant(() => {
    const dGates = arena(B * 4 * H, unit, 21), dc = arena(B * H, unit, 22), dOut = arena(B * ldo, unit, 23), dhRec = arena(B * H, unit, 24);
    const gates = arena(B * 4 * H, (r) => (Math.floor(r.nextFloat() * 4) === 2 ? unit(r) : gate(r)), 25);
    const tanhC = arena(B * H, unit, 26), cPrev = arena(B * H, (r) => 3 * unit(r), 27);
    const [w, t] = both([dGates, dc, dOut, dhRec, gates, tanhC, cPrev], (s, [dg, dcc, dO, dr, g, tc, cp]) =>
      s.lstmBackwardPointwise(dg!, 0, dcc!, 0, dO!, outCol, ldo, dr!, 0, g!, 0, tc!, 0, first ? null : cp!, 0, B, H));
    const worst = ['dGates', 'dc'].map((name, k) => compareBackward(name, w[k]!, t[k]!));
    console.log(`lstmBackwardPointwise ${prevNote}: max relative ${Math.max(...worst).toExponential(1)}`);
  }));

  test(`gruBackwardPointwise: kernel = reference, ${prevNote}`, withVariant(() => {
    const dGates = arena(B * 3 * H, unit, 31), dHGates = arena(B * 3 * H, unit, 32), dh = arena(B * H, unit, 33);
    const dOut = arena(B * ldo, unit, 34), dhRec = arena(B * H, unit, 35);
    const gates = arena(B * 3 * H, (r) => gate(r), 36), hn = arena(B * H, (r) => 3 * unit(r), 37), hPrev = arena(B * ldo, unit, 38);
    const [w, t] = both([dGates, dHGates, dh, dOut, dhRec, gates, hn, hPrev], (s, [dg, dq, d, dO, dr, g, n, p]) =>
      s.gruBackwardPointwise(dg!, 0, dq!, 0, d!, 0, dO!, outCol, ldo, dr!, 0, g!, 0, n!, 0, first ? null : p!, outCol, B, H));
    const worst = ['dGates', 'dHGates', 'dh'].map((name, k) => compareBackward(name, w[k]!, t[k]!));
    console.log(`gruBackwardPointwise ${prevNote}: max relative ${Math.max(...worst).toExponential(1)}`);
  }));
}
