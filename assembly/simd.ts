// What both kernel files share: the multiply-add, fused where the build has relaxed SIMD.
// assembly/build.mjs compiles the kernels twice: kernels.wasm with SIMD only (every runtime with
// SIMD runs it; a·b + c rounds twice) and kernels-relaxed.wasm with relaxed SIMD, where
// relaxed_madd becomes one fused multiply-add on CPUs that have one (rounding once).

// @ts-ignore: decorator
@inline export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}
