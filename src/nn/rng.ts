// Our own seeded generator: xoshiro128** (Blackman & Vigna) seeded through splitmix32, so the
// same seed gives the same weights, shuffles and dropout masks on every platform and Node version.

export interface Rng {
  /** The next 32 random bits as an unsigned integer. */
  nextUint32(): number;
  /** Uniform in [0, 1), a multiple of 2^-24 so it is exact in float32 too. */
  nextFloat(): number;
}

/** splitmix32 step: spreads a 32-bit seed over the four state words. */
function splitmix32(state: Uint32Array): number {
  state[0] = (state[0]! + 0x9e3779b9) >>> 0;
  let z = state[0]!;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

export function createRng(seed: number): Rng {
  // Seeds beyond 32 bits fold their high part in, so 2^32 + 1 and 1 differ.
  const low = seed >>> 0;
  const high = Math.floor(Math.abs(seed) / 4294967296) >>> 0;
  const mix = new Uint32Array([low ^ Math.imul(high, 0x9e3779b9)]);
  const s = new Uint32Array(4);
  for (let i = 0; i < 4; i++) s[i] = splitmix32(mix);
  if ((s[0]! | s[1]! | s[2]! | s[3]!) === 0) s[0] = 1; // the all-zero state is a fixed point

  function nextUint32(): number {
    const s0 = s[0]!, s1 = s[1]!, s2 = s[2]!, s3 = s[3]!;
    const t = Math.imul(s1, 5);
    const result = Math.imul((t << 7) | (t >>> 25), 9) >>> 0;
    const shifted = (s1 << 9) >>> 0;
    const n2 = (s2 ^ s0) >>> 0;
    const n3 = (s3 ^ s1) >>> 0;
    s[1] = s1 ^ n2;
    s[0] = s0 ^ n3;
    s[2] = n2 ^ shifted;
    s[3] = (n3 << 11) | (n3 >>> 21);
    return result;
  }
  return {
    nextUint32,
    nextFloat: () => (nextUint32() >>> 8) * 5.9604644775390625e-8, // 2^-24
  };
}

/** A uniform integer in [0, n) without modulo bias (n ≤ 2^32). */
export function nextBelow(rng: Rng, n: number): number {
  if (n <= 1) return 0;
  // Reject the top partial block of 2^32 so every residue is equally likely.
  const limit = 4294967296 - (4294967296 % n);
  for (;;) {
    const x = rng.nextUint32();
    if (x < limit) return x % n;
  }
}

/** Fisher–Yates shuffle, deterministic for a given generator state. */
export function shuffleInPlace(indices: Uint32Array, rng: Rng): void {
  for (let i = indices.length - 1; i > 0; i--) {
    const j = nextBelow(rng, i + 1);
    const tmp = indices[i]!;
    indices[i] = indices[j]!;
    indices[j] = tmp;
  }
}
