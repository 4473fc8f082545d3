// The optional WebAssembly SIMD kernels (assembly/, compiled at build time to
// dist/assembly/kernels.wasm) and the one shared WebAssembly.Memory they work on.
//
// The kernels can only read their own linear memory, so float32 parameters, gradients and
// workspaces are allocated inside it (src/nn/arena.ts). The memory is shared: growing an ordinary
// wasm memory detaches every ArrayBuffer view made before, growing a shared one does not.
// When the .wasm file is missing or cannot be compiled, everything stays in plain typed arrays
// and the TypeScript reference kernels run (src/nn/gemm.ts, src/nn/pointwise.ts).

import { readFileSync } from 'node:fs';
import { MAX_PAGES } from './wasm-limits.js';

export interface WasmKernels {
  /** C (M, N) += A (M, K) · B (K, N); byte addresses, strides in elements; B has contiguous columns. */
  gemm(c: number, ldc: number, a: number, ars: number, acs: number, b: number, ldb: number, M: number, N: number, K: number): void;
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

let kernels: WasmKernels | null = null;
let memory: WasmMemory | null = null;
let enabled = true;
let loaded = false;
let borrowed = false; // a worker thread running on the main thread's memory: it allocates nothing there
/** Every SharedArrayBuffer object the memory has had (one per growth): the test of membership. */
const memoryBuffers = new Set<ArrayBufferLike>();

function instantiate(mem: WasmMemory): void {
  try {
    const bytes = readFileSync(new URL('../../assembly/kernels.wasm', import.meta.url));
    const instance = new WA.Instance(new WA.Module(bytes), { env: { memory: mem } });
    kernels = instance.exports as unknown as WasmKernels;
    memory = mem;
    memoryBuffers.add(mem.buffer);
  } catch {
    kernels = null; // not built, or this runtime lacks SIMD or shared memory: the TypeScript kernels run
  }
}

function load(): void {
  loaded = true;
  try {
    instantiate(new WA.Memory({ initial: 1, maximum: MAX_PAGES, shared: true }));
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

/** The memory the arena may allocate in: null when the kernels are off or this thread only borrows it. */
export function ownMemory(): WasmMemory | null {
  return wasmKernels() === null || borrowed ? null : memory;
}

/** The shared memory (for worker threads to attach to), or null when the kernels are off. */
export function sharedMemory(): object | null {
  return wasmKernels() === null ? null : memory;
}

/**
 * In a worker thread: runs the kernels on the main thread's shared memory (from sharedMemory).
 * The worker only makes views of blocks the main thread allocated (memoryView); it never allocates.
 */
export function attachMemory(shared: object): boolean {
  loaded = true;
  borrowed = true;
  instantiate(shared as WasmMemory);
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
