// The optional WebAssembly SIMD kernels (assembly/, compiled at build time to
// dist/assembly/kernels.wasm and kernels-relaxed.wasm) and the one shared WebAssembly.Memory they
// work on. The relaxed-SIMD build (fused multiply-add) runs where the runtime has relaxed SIMD —
// Node 20's V8 behind a flag this module sets before compiling — else the SIMD build; both are
// instantiated on the same memory, so tests can compare them on the same arrays.
//
// The kernels can only read their own linear memory, so float32 parameters, gradients and
// workspaces are allocated inside it (src/nn/arena.ts). The memory is shared: growing an ordinary
// wasm memory detaches every ArrayBuffer view made before, growing a shared one does not.
// When the .wasm file is missing or cannot be compiled, everything stays in plain typed arrays
// and the TypeScript reference kernels run (src/nn/gemm.ts, src/nn/pointwise.ts).

import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { ARENA_START, GEMM_BLOCK_DEPTH, GEMM_BLOCK_ROWS, MAX_PAGES } from './wasm-limits.js';

/** Which build of the kernels runs: fused multiply-add (relaxed SIMD) or SIMD only. */
export type KernelVariant = 'relaxed-simd' | 'simd';
const FILES: Record<KernelVariant, string> = { 'relaxed-simd': 'kernels-relaxed.wasm', simd: 'kernels.wasm' };

export interface WasmKernels {
  /**
   * C (M, N) += A (M, K) · B (K, N); byte addresses, strides in elements; B(k, j) at (j >> 3)·bps +
   * k·ldb + (j & 7); pack: a buffer of packFloats() floats to copy blocks of A into, or 0.
   */
  gemm(c: number, ldc: number, a: number, ars: number, acs: number, b: number, ldb: number, bps: number, M: number, N: number, K: number, pack: number): void;
  /** Floats a gemm `pack` buffer holds. */
  packFloats(): number;
  /** The byte address where the kernels' static data ends. */
  dataEnd(): number;
  /** y (M) += A (M, K) · x (K); rows of A and x contiguous, y with stride incy. */
  gemv(y: number, incy: number, a: number, lda: number, x: number, M: number, K: number): void;
  /** Every row of C (M, N) = v (N). */
  setRows(c: number, ldc: number, v: number, M: number, N: number): void;
  /** out (N) += column sums of A (M, N). */
  addColumnSums(out: number, a: number, lda: number, M: number, N: number): void;
  /** One LSTM step's gates, cell state and output for B rows (assembly/cells.ts); cPrev 0 = zeros. */
  lstmPointwise(gates: number, c: number, tanhC: number, cPrev: number, out: number, ldo: number, B: number, H: number): void;
  /** One GRU step's gates and output for B rows (assembly/cells.ts); hPrev 0 = zeros. */
  gruPointwise(gates: number, hGates: number, hn: number, hPrev: number, out: number, ldo: number, B: number, H: number): void;
  /** One LSTM backward step: dGates (B, 4H) and dc (B, H) from dOut + dhRec; cPrev 0 = zeros. */
  lstmBackwardPointwise(dGates: number, dc: number, dOut: number, ldo: number, dhRec: number, gates: number, tanhC: number, cPrev: number, B: number, H: number): void;
  /** One GRU backward step: dGates, dHGates (B, 3H) and dhDirect (B, H); hPrev 0 = zeros. */
  gruBackwardPointwise(dGates: number, dHGates: number, dhDirect: number, dOut: number, ldo: number, dhRec: number, gates: number, hn: number, hPrev: number, B: number, H: number): void;
}

// The WebAssembly global is not in this project's TypeScript libs (ES2022, no DOM): the little we use, typed here.
export interface WasmMemory { readonly buffer: ArrayBufferLike; grow(pages: number): number }
interface WasmApi {
  Memory: new (descriptor: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: object };
}
const WA = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

const instances: Partial<Record<KernelVariant, WasmKernels>> = {};
let variant: KernelVariant = 'simd';
let kernels: WasmKernels | null = null; // instances[variant] once loaded
let memory: WasmMemory | null = null;
let enabled = true;
let loaded = false;
let borrowed = false; // a worker thread running on the main thread's memory: it allocates nothing there
/** Every SharedArrayBuffer object the memory has had (one per growth): the test of membership. */
const memoryBuffers = new Set<ArrayBufferLike>();

/** The build's kernels on `mem`, or null when it is missing or this runtime cannot compile it. */
function instantiate(which: KernelVariant, mem: WasmMemory): WasmKernels | null {
  try {
    if (which === 'relaxed-simd') setFlagsFromString('--experimental-wasm-relaxed-simd'); // on by default from Node 22
    const bytes = readFileSync(new URL(`../../assembly/${FILES[which]}`, import.meta.url));
    const k = new WA.Instance(new WA.Module(bytes), { env: { memory: mem } }).exports as unknown as WasmKernels;
    // A build whose blocks or static data do not fit what this side assumes is not used.
    return k.packFloats() === GEMM_BLOCK_ROWS * GEMM_BLOCK_DEPTH && k.dataEnd() <= ARENA_START ? k : null;
  } catch {
    return null; // not built, or this runtime lacks (relaxed) SIMD or shared memory
  }
}

/** The build on `mem`, instantiated once. */
function instanceOf(which: KernelVariant, mem: WasmMemory): WasmKernels | null {
  const k = instances[which] ?? instantiate(which, mem);
  if (k !== null) instances[which] = k;
  return k;
}

/** Runs `only`, or the preferred build this runtime can compile (relaxed SIMD, else SIMD; neither: the TypeScript kernels). */
function attach(mem: WasmMemory, only?: KernelVariant): void {
  variant = only ?? (instanceOf('relaxed-simd', mem) !== null ? 'relaxed-simd' : 'simd');
  kernels = instanceOf(variant, mem);
  if (kernels !== null) {
    memory = mem;
    memoryBuffers.add(mem.buffer);
  }
}

function load(): void {
  loaded = true;
  try {
    attach(new WA.Memory({ initial: 1, maximum: MAX_PAGES, shared: true }));
  } catch {
    kernels = null;
  }
}

/** The kernels when they are built and enabled, else null. */
export function wasmKernels(): WasmKernels | null {
  if (!enabled) return null;
  if (!loaded) load();
  return kernels;
}

/** Turns the WebAssembly kernels off (or back on) for arrays allocated from now on and for every product. */
export function setWasmEnabled(on: boolean): void {
  enabled = on;
}

/** The build that runs (meaningful while wasmKernels() is not null). */
export function kernelVariant(): KernelVariant {
  wasmKernels();
  return variant;
}

/** The builds this runtime runs: 'simd', and 'relaxed-simd' where it has relaxed SIMD (none when the kernels are off). */
export function kernelVariants(): KernelVariant[] {
  if (wasmKernels() === null || memory === null) return [];
  const mem = memory;
  return (['relaxed-simd', 'simd'] as const).filter((which) => instanceOf(which, mem) !== null);
}

/** Runs the given build from now on (tests and the bench compare them); false when this runtime cannot. */
export function setKernelVariant(which: KernelVariant): boolean {
  if (wasmKernels() === null || memory === null) return false;
  const k = instanceOf(which, memory);
  if (k === null) return false;
  variant = which;
  kernels = k;
  return true;
}

/** The memory the arena may allocate in: null when the kernels are off or this thread only borrows it. */
export function ownMemory(): WasmMemory | null {
  return wasmKernels() === null || borrowed ? null : memory;
}

/** The shared memory (for worker threads to attach to), or null when the kernels are off. */
export function sharedMemory(): object | null {
  return wasmKernels() === null ? null : memory;
}

/**
 * In a worker thread: runs the main thread's build of the kernels (kernelVariant) on its shared
 * memory (from sharedMemory), so a chunk gives the same bits on either thread. The worker only
 * makes views of blocks the main thread allocated (memoryView); it never allocates.
 */
export function attachMemory(shared: object, which: KernelVariant): boolean {
  loaded = true;
  borrowed = true;
  attach(shared as WasmMemory, which);
  return kernels !== null;
}

/** Records the memory's buffer after a growth, so arrays made on it count as inside. */
export function noteMemoryBuffer(): void {
  if (memory !== null) memoryBuffers.add(memory.buffer);
}

/** A float32 view of `length` elements at byte address `ptr` of the attached memory (seen at its current size). */
export function memoryView(ptr: number, length: number): Float32Array {
  if (memory === null) throw new Error('no WebAssembly memory attached');
  noteMemoryBuffer(); // a memory grown by another thread shows its new size here
  return new Float32Array(memory.buffer, ptr, length);
}

/** Whether this array lives in the kernels' memory (so they can address it). */
export function inArena(x: Float32Array | Float64Array): boolean {
  return memoryBuffers.has(x.buffer);
}

/** The kernels, when they are on and every array is float32 in their memory; else null. */
export function kernelsFor(...arrays: Array<Float32Array | Float64Array>): WasmKernels | null {
  const k = wasmKernels();
  if (k === null) return null;
  for (const x of arrays) if (!(x instanceof Float32Array) || !memoryBuffers.has(x.buffer)) return null;
  return k;
}

/** The byte address of element `offset` of an arena array. */
export function addressOf(x: Float32Array | Float64Array, offset: number): number {
  return x.byteOffset + 4 * offset;
}
