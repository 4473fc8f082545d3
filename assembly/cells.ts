// WebAssembly SIMD kernels for the pointwise part of one LSTM or GRU time step (float32):
// the gate nonlinearities and the state update, four units at a time. exp is a Cephes-style
// polynomial (about 2 ulp), so results differ from the TypeScript reference (src/nn/pointwise.ts,
// Math.exp) in the last bits; the relaxed-SIMD build fuses its multiply-adds.
// Pointers are byte addresses; a zero pointer for the previous state means "zeros" (first step).

import { madd } from './simd';

// The constants, one float32 each in a static table, read with a broadcast load: V8 builds a
// v128 constant with three instructions at every use, which made them most of the work. The
// table sits below the arena (src/nn/wasm-limits.ts ARENA_START, checked against dataEnd()).
const CONSTANTS = memory.data<f32>([
  -87.3, 88.0, // 0, 1: the range of x for which 2^n stays a normal float32
  1.44269504088896341, // 2: 1/ln 2
  12582912.0, // 3: 1.5·2^23: added to a float below 2^22, it leaves the nearest integer in the low mantissa bits
  -0.693359375, 2.12194440e-4, // 4, 5: −ln 2 in two parts (Cody–Waite)
  1.9875691500e-4, 1.3981999507e-3, 8.3334519073e-3, 4.1665795894e-2, 1.6666665459e-1, 5.0000001201e-1, // 6–11: exp's polynomial
  1.0, 2.0, // 12, 13
  12582785.0, // 14: 12582912 − 127, whose bits subtracted from a rounded value's give n + 127
  0.390625, // 15: 0.625², where tanh switches form
  -5.70498872745e-3, 2.06390887954e-2, -5.37397155531e-2, 1.33314422036e-1, -3.33332819422e-1, // 16–20: tanh's polynomial
]);
const EXP_LO = 0, EXP_HI = 1, LOG2E = 2, ROUNDER = 3, LN2_HI = 4, LN2_LO = 5, EXP_P = 6, ONE = 12, TWO = 13, EXPONENT_BIAS = 14;
const TANH_SWITCH = 15, TANH_P = 16;

/** Where the kernels' static data ends: the arena must start above it. */
export function dataEnd(): usize {
  return __data_end;
}

// @ts-ignore: decorator
@inline function k(index: i32): v128 {
  return v128.load32_splat(CONSTANTS + (<usize>index << 2));
}

// @ts-ignore: decorator
@inline function exp4(x: v128): v128 {
  // Keep 2^n a normal float32: n in [−126, 127]. pmin/pmax are one instruction each (NaN aside).
  const xc = f32x4.pmin(f32x4.pmax(x, k(EXP_LO)), k(EXP_HI));
  // n = round(x / ln2), by the rounder rather than nearest + trunc_sat (several instructions each in V8).
  const t = madd(xc, k(LOG2E), k(ROUNDER));
  const n = f32x4.sub(t, k(ROUNDER));
  // r = x − n·ln2 in two parts (Cody–Waite), so r is exact enough.
  let r = madd(n, k(LN2_HI), xc);
  r = madd(n, k(LN2_LO), r);
  let p = k(EXP_P);
  p = madd(p, r, k(EXP_P + 1));
  p = madd(p, r, k(EXP_P + 2));
  p = madd(p, r, k(EXP_P + 3));
  p = madd(p, r, k(EXP_P + 4));
  p = madd(p, r, k(EXP_P + 5));
  p = f32x4.add(madd(f32x4.mul(p, r), r, r), k(ONE));
  // 2^n: n + 127 in the exponent field, from t's low bits.
  const scale = i32x4.shl(i32x4.sub(t, k(EXPONENT_BIAS)), 23);
  return f32x4.mul(p, scale);
}

// @ts-ignore: decorator
@inline function sigmoid4(x: v128): v128 {
  return f32x4.div(k(ONE), f32x4.add(k(ONE), exp4(f32x4.sub(f32x4.splat(0), x))));
}

// @ts-ignore: decorator
@inline function tanh4(x: v128): v128 {
  // Cephes' tanhf: 1 − 2/(e^{2x} + 1) above |x| = 0.625, an odd minimax polynomial below it,
  // where that form would cancel. About 2 ulp everywhere.
  const big = f32x4.sub(k(ONE), f32x4.div(k(TWO), f32x4.add(exp4(f32x4.add(x, x)), k(ONE))));
  const z = f32x4.mul(x, x);
  let p = madd(k(TANH_P), z, k(TANH_P + 1));
  p = madd(p, z, k(TANH_P + 2));
  p = madd(p, z, k(TANH_P + 3));
  p = madd(p, z, k(TANH_P + 4));
  const small = madd(f32x4.mul(p, z), x, x);
  return v128.bitselect(small, big, f32x4.lt(z, k(TANH_SWITCH)));
}

// @ts-ignore: decorator
@inline function load4(p: usize, j: i32, tail: bool): v128 {
  return tail ? f32x4.splat(load<f32>(p + (<usize>j << 2))) : v128.load(p + (<usize>j << 2));
}

// @ts-ignore: decorator
@inline function store4(p: usize, j: i32, v: v128, tail: bool): void {
  if (tail) store<f32>(p + (<usize>j << 2), f32x4.extract_lane(v, 0));
  else v128.store(p + (<usize>j << 2), v);
}

// The forward steps run in two passes over each row's units: first the gates (four independent
// chains per vector, which the CPU overlaps), then tanh of the new cell state, which waits on them.
// In one pass the chain gates → c → tanh(c) of one vector was longer than the out-of-order window
// could hide, and the step ran at the latency of that chain. Same operations, same bits.

// @ts-ignore: decorator
@inline function lstmGates(pi: usize, pf: usize, pg: usize, po: usize, pc: usize, pp: usize, j: i32, tail: bool): void {
  const ig = sigmoid4(load4(pi, j, tail));
  const fg = sigmoid4(load4(pf, j, tail));
  const gg = tanh4(load4(pg, j, tail));
  const og = sigmoid4(load4(po, j, tail));
  store4(pi, j, ig, tail); store4(pf, j, fg, tail); store4(pg, j, gg, tail); store4(po, j, og, tail);
  const prev = pp == 0 ? f32x4.splat(0) : load4(pp, j, tail);
  store4(pc, j, madd(fg, prev, f32x4.mul(ig, gg)), tail);
}

// @ts-ignore: decorator
@inline function lstmOutput(po: usize, pc: usize, pt: usize, pout: usize, j: i32, tail: bool): void {
  const tc = tanh4(load4(pc, j, tail));
  store4(pt, j, tc, tail); store4(pout, j, f32x4.mul(load4(po, j, tail), tc), tail);
}

/**
 * LSTM step for B rows: gates (B, 4H) pre-activations → i, f, g, o in place;
 * c = f·cPrev + i·g; tanhC = tanh(c); out (row stride ldo) = o·tanhC.
 */
export function lstmPointwise(gates: usize, c: usize, tanhC: usize, cPrev: usize, out: usize, ldo: i32, B: i32, H: i32): void {
  const H4 = H & ~3;
  const rowG = <usize>(4 * H) << 2, rowH = <usize>H << 2, rowO = <usize>ldo << 2, gate = <usize>H << 2;
  for (let b: i32 = 0; b < B; b++) {
    const pi = gates + <usize>b * rowG, pf = pi + gate, pg = pf + gate, po = pg + gate;
    const pc = c + <usize>b * rowH, pt = tanhC + <usize>b * rowH, pout = out + <usize>b * rowO;
    const pp: usize = cPrev == 0 ? <usize>0 : cPrev + <usize>b * rowH;
    for (let j: i32 = 0; j < H4; j += 4) lstmGates(pi, pf, pg, po, pc, pp, j, false);
    for (let j: i32 = H4; j < H; j++) lstmGates(pi, pf, pg, po, pc, pp, j, true);
    for (let j: i32 = 0; j < H4; j += 4) lstmOutput(po, pc, pt, pout, j, false);
    for (let j: i32 = H4; j < H; j++) lstmOutput(po, pc, pt, pout, j, true);
  }
}

// @ts-ignore: decorator
@inline function gruGates(pr: usize, pz: usize, qr: usize, qz: usize, qn: usize, phn: usize, j: i32, tail: bool): void {
  store4(pr, j, sigmoid4(f32x4.add(load4(pr, j, tail), load4(qr, j, tail))), tail);
  store4(pz, j, sigmoid4(f32x4.add(load4(pz, j, tail), load4(qz, j, tail))), tail);
  store4(phn, j, load4(qn, j, tail), tail);
}

// @ts-ignore: decorator
@inline function gruOutput(pr: usize, pz: usize, pn: usize, phn: usize, pout: usize, pp: usize, j: i32, tail: bool): void {
  const n = tanh4(f32x4.add(load4(pn, j, tail), f32x4.mul(load4(pr, j, tail), load4(phn, j, tail))));
  store4(pn, j, n, tail);
  const prev = pp == 0 ? f32x4.splat(0) : load4(pp, j, tail);
  store4(pout, j, f32x4.add(f32x4.mul(f32x4.sub(prev, n), load4(pz, j, tail)), n), tail);
}

/**
 * GRU step for B rows: gates (B, 3H) input-side pre-activations (with b_ih) → r, z, n in place;
 * hGates (B, 3H) hidden-side pre-activations (with b_hh); hn (B, H) ← the hidden-side n part;
 * out (row stride ldo) = (hPrev − n)·z + n, hPrev with row stride ldo (0: zeros).
 */
export function gruPointwise(gates: usize, hGates: usize, hn: usize, hPrev: usize, out: usize, ldo: i32, B: i32, H: i32): void {
  const H4 = H & ~3;
  const rowG = <usize>(3 * H) << 2, rowH = <usize>H << 2, rowO = <usize>ldo << 2, gate = <usize>H << 2;
  for (let b: i32 = 0; b < B; b++) {
    const pr = gates + <usize>b * rowG, pz = pr + gate, pn = pz + gate;
    const qr = hGates + <usize>b * rowG, qz = qr + gate, qn = qz + gate;
    const phn = hn + <usize>b * rowH, pout = out + <usize>b * rowO;
    const pp: usize = hPrev == 0 ? <usize>0 : hPrev + <usize>b * rowO;
    for (let j: i32 = 0; j < H4; j += 4) gruGates(pr, pz, qr, qz, qn, phn, j, false);
    for (let j: i32 = H4; j < H; j++) gruGates(pr, pz, qr, qz, qn, phn, j, true);
    for (let j: i32 = 0; j < H4; j += 4) gruOutput(pr, pz, pn, phn, pout, pp, j, false);
    for (let j: i32 = H4; j < H; j++) gruOutput(pr, pz, pn, phn, pout, pp, j, true);
  }
}

// @ts-ignore: decorator
@inline function lstmBackUnits(pdo: usize, prec: usize, pi: usize, pf: usize, pg: usize, po: usize, pt: usize, pp: usize, pdc: usize,
  di: usize, df: usize, dg: usize, dout: usize, j: i32, tail: bool): void {
  const one = k(ONE);
  const dh = f32x4.add(load4(pdo, j, tail), load4(prec, j, tail));
  const ig = load4(pi, j, tail), fg = load4(pf, j, tail), gg = load4(pg, j, tail), og = load4(po, j, tail);
  const tc = load4(pt, j, tail);
  const dc = f32x4.add(load4(pdc, j, tail), f32x4.mul(f32x4.mul(dh, og), f32x4.sub(one, f32x4.mul(tc, tc))));
  const prev = pp == 0 ? f32x4.splat(0) : load4(pp, j, tail);
  store4(pdc, j, f32x4.mul(dc, fg), tail);
  store4(di, j, f32x4.mul(f32x4.mul(f32x4.mul(dc, gg), ig), f32x4.sub(one, ig)), tail);
  store4(df, j, f32x4.mul(f32x4.mul(f32x4.mul(dc, prev), fg), f32x4.sub(one, fg)), tail);
  store4(dg, j, f32x4.mul(f32x4.mul(dc, ig), f32x4.sub(one, f32x4.mul(gg, gg))), tail);
  store4(dout, j, f32x4.mul(f32x4.mul(f32x4.mul(dh, tc), og), f32x4.sub(one, og)), tail);
}

/**
 * LSTM backward step for B rows: dh = dOut (row stride ldo) + dhRec (B, H); writes the gate
 * pre-activation gradients dGates (B, 4H) and updates dc (B, H) to the gradient reaching cPrev.
 */
export function lstmBackwardPointwise(dGates: usize, dc: usize, dOut: usize, ldo: i32, dhRec: usize,
  gates: usize, tanhC: usize, cPrev: usize, B: i32, H: i32): void {
  const H4 = H & ~3;
  const rowG = <usize>(4 * H) << 2, rowH = <usize>H << 2, rowO = <usize>ldo << 2, gate = <usize>H << 2;
  for (let b: i32 = 0; b < B; b++) {
    const pi = gates + <usize>b * rowG, pf = pi + gate, pg = pf + gate, po = pg + gate;
    const di = dGates + <usize>b * rowG, df = di + gate, dg = df + gate, dout = dg + gate;
    const pdo = dOut + <usize>b * rowO, prec = dhRec + <usize>b * rowH, pt = tanhC + <usize>b * rowH, pdc = dc + <usize>b * rowH;
    const pp: usize = cPrev == 0 ? <usize>0 : cPrev + <usize>b * rowH;
    for (let j: i32 = 0; j < H4; j += 4) lstmBackUnits(pdo, prec, pi, pf, pg, po, pt, pp, pdc, di, df, dg, dout, j, false);
    for (let j: i32 = H4; j < H; j++) lstmBackUnits(pdo, prec, pi, pf, pg, po, pt, pp, pdc, di, df, dg, dout, j, true);
  }
}

// @ts-ignore: decorator
@inline function gruBackUnits(pdo: usize, prec: usize, pr: usize, pz: usize, pn: usize, phn: usize, pp: usize,
  xr: usize, xz: usize, xn: usize, hr: usize, hz: usize, hnn: usize, pdh: usize, j: i32, tail: bool): void {
  const one = k(ONE);
  const dh = f32x4.add(load4(pdo, j, tail), load4(prec, j, tail));
  const r = load4(pr, j, tail), z = load4(pz, j, tail), n = load4(pn, j, tail);
  const prev = pp == 0 ? f32x4.splat(0) : load4(pp, j, tail);
  const dan = f32x4.mul(f32x4.mul(dh, f32x4.sub(one, z)), f32x4.sub(one, f32x4.mul(n, n)));
  const dar = f32x4.mul(f32x4.mul(f32x4.mul(dan, load4(phn, j, tail)), r), f32x4.sub(one, r));
  const daz = f32x4.mul(f32x4.mul(f32x4.mul(dh, f32x4.sub(prev, n)), z), f32x4.sub(one, z));
  store4(xr, j, dar, tail); store4(xz, j, daz, tail); store4(xn, j, dan, tail);
  store4(hr, j, dar, tail); store4(hz, j, daz, tail); store4(hnn, j, f32x4.mul(dan, r), tail);
  store4(pdh, j, f32x4.mul(dh, z), tail);
}

/**
 * GRU backward step for B rows: dh = dOut (row stride ldo) + dhRec (B, H); writes the input-side
 * and hidden-side pre-activation gradients dGates, dHGates (B, 3H) and dhDirect (B, H) = dh·z.
 */
export function gruBackwardPointwise(dGates: usize, dHGates: usize, dhDirect: usize, dOut: usize, ldo: i32, dhRec: usize,
  gates: usize, hn: usize, hPrev: usize, B: i32, H: i32): void {
  const H4 = H & ~3;
  const rowG = <usize>(3 * H) << 2, rowH = <usize>H << 2, rowO = <usize>ldo << 2, gate = <usize>H << 2;
  for (let b: i32 = 0; b < B; b++) {
    const pr = gates + <usize>b * rowG, pz = pr + gate, pn = pz + gate;
    const xr = dGates + <usize>b * rowG, xz = xr + gate, xn = xz + gate;
    const hr = dHGates + <usize>b * rowG, hz = hr + gate, hnn = hz + gate;
    const pdo = dOut + <usize>b * rowO, prec = dhRec + <usize>b * rowH, phn = hn + <usize>b * rowH, pdh = dhDirect + <usize>b * rowH;
    const pp: usize = hPrev == 0 ? <usize>0 : hPrev + <usize>b * rowO;
    for (let j: i32 = 0; j < H4; j += 4) gruBackUnits(pdo, prec, pr, pz, pn, phn, pp, xr, xz, xn, hr, hz, hnn, pdh, j, false);
    for (let j: i32 = H4; j < H; j++) gruBackUnits(pdo, prec, pr, pz, pn, phn, pp, xr, xz, xn, hr, hz, hnn, pdh, j, true);
  }
}
