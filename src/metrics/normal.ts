// The standard normal distribution: CDF and inverse CDF (quantile), for the baselines'
// prediction intervals. No dependency: Acklam's rational approximation (relative error
// 1.15e-9) polished by one Halley step against an accurate CDF, which brings it to ~1e-15.

const SQRT2 = Math.SQRT2;
const SQRT_2PI = Math.sqrt(2 * Math.PI);
const INV_SQRT_PI = 1 / Math.sqrt(Math.PI);

/**
 * erfc(z) for z >= 0. Below 2.5 the all-positive series
 * erf(z) = 2/√π · e^{-z²} · Σ 2ⁿ z^{2n+1} / (1·3·…·(2n+1)) has no cancellation; above it the
 * continued fraction erfc(z) = e^{-z²}/√π · 1/(z + ½/(z + 1/(z + 3/2/(z + …)))) converges fast
 * and keeps full relative precision in the far tail.
 */
function erfcNonNegative(z: number): number {
  if (z < 2.5) {
    let term = z;
    let sum = z;
    for (let n = 1; n < 200; n++) {
      term *= (2 * z * z) / (2 * n + 1);
      sum += term;
      if (term < sum * 1e-17) break;
    }
    return 1 - 2 * INV_SQRT_PI * Math.exp(-z * z) * sum;
  }
  // Evaluated bottom-up with a fixed depth; 80 levels are plenty for z >= 2.5.
  let t = z;
  for (let k = 80; k >= 1; k--) t = z + k / 2 / t;
  return (Math.exp(-z * z) * INV_SQRT_PI) / t;
}

/** Φ(x), the standard normal CDF, accurate to about 1e-15 (relative in the lower tail). */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x === Infinity) return 1;
  if (x === -Infinity) return 0;
  // Φ(x) = ½ erfc(-x/√2); computing the smaller tail directly keeps its relative precision.
  return x < 0 ? 0.5 * erfcNonNegative(-x / SQRT2) : 1 - 0.5 * erfcNonNegative(x / SQRT2);
}

// Coefficients of P. J. Acklam's "algorithm for computing the inverse normal cumulative
// distribution function" (2003): rational functions in a central region and two tails.
// Readonly tuples, so every index below is checked against the table's length.
const A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239] as const;
const B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1] as const;
const C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783] as const;
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416] as const;
const P_LOW = 0.02425;

function acklam(p: number): number {
  if (p < P_LOW) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
  }
  if (p > 1 - P_LOW) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    return -(((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
  }
  const q = p - 0.5;
  const r = q * q;
  return ((((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q) / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1);
}

/**
 * Φ⁻¹(p), the standard normal quantile: normalQuantile(0.975) = 1.959963984540054.
 * p = 0 → -Infinity, p = 1 → Infinity, p outside [0, 1] or NaN → NaN.
 */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) return NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  const x = acklam(p);
  // One Halley step on Φ(x) - p = 0: u = (Φ(x) - p)/φ(x), x ← x - u/(1 + x·u/2).
  // Above the median the error is taken on the upper tail, (1 - p) - Φ(-x), so p near 1 keeps
  // its digits (1 - p is exact there).
  const e = p > 0.5 ? 1 - p - normalCdf(-x) : normalCdf(x) - p;
  const u = e * SQRT_2PI * Math.exp((x * x) / 2);
  return x - u / (1 + (x * u) / 2);
}

/** The two-sided z for a central interval at `level` percent: zForLevel(95) = 1.959963984540054. */
export function zForLevel(level: number): number {
  return normalQuantile(0.5 + level / 200);
}
