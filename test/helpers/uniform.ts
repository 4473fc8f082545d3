// Seeded uniform test data for the engine tests.
import type { DType } from '../../src/nn/network.js';
import { createRng } from '../../src/nn/rng.js';

/** n values uniform in [−bound, bound) from seed, as float64 (default) or float32. */
export function uniform(seed: number, n: number, dtype: DType = 'float64', bound = 1): Float32Array | Float64Array {
  const r = createRng(seed);
  const a = dtype === 'float32' ? new Float32Array(n) : new Float64Array(n);
  for (let k = 0; k < n; k++) a[k] = bound * (2 * r.nextFloat() - 1);
  return a;
}
