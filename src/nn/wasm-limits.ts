// The WebAssembly memory's limits, in one place: src/nn/wasm.ts creates the memory with them and
// assembly/build.mjs compiles the kernels' memory import with the same maximum (the two must agree).

/** Bytes per WebAssembly page. */
export const PAGE_BYTES = 65536;
/** 1 GiB of float32 memory at most; beyond it allocations fall back to plain arrays. */
export const MAX_PAGES = 16384;
