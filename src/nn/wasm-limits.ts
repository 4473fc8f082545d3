// Numbers the TypeScript side and the WebAssembly kernels must agree on, in one place: the
// memory's maximum (src/nn/wasm.ts creates the memory with it, assembly/build.mjs compiles the
// kernels' memory import with it) and the matrix kernel's blocks (assembly/gemm.ts MC and KC,
// which src/nn/wasm.ts checks at load through the kernel's packFloats()), and the bytes below the
// arena that the kernels' own constants occupy.

/** Bytes per WebAssembly page. */
export const PAGE_BYTES = 65536;
/** 1 GiB of float32 memory at most; beyond it allocations fall back to plain arrays. */
export const MAX_PAGES = 16384;
/** Where the arena starts: below it, address 0 (the kernels' "no previous state") and the kernels' static data (their constants, from asc's memory base 1024; checked at load against dataEnd()). */
export const ARENA_START = 4096;
/** The matrix kernel's blocks, MC rows of A by KC of the shared dimension (assembly/gemm.ts; packFloats() = MC·KC checked at load). */
export const GEMM_BLOCK_ROWS = 64;
export const GEMM_BLOCK_DEPTH = 256;
