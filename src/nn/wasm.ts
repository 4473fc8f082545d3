// The optional WebAssembly SIMD kernels (assembly/, compiled at build time to
// dist/assembly/kernels.wasm) and the float32 memory it works on.
//
// The kernel can only read its own linear memory, so float32 parameters, gradients and
// workspaces are allocated inside one shared WebAssembly.Memory. Shared memory matters: growing
// an ordinary wasm memory detaches every ArrayBuffer view made before, growing a shared one does
// not (views keep pointing at the same bytes). Blocks are returned to a free list when their
// typed array is garbage-collected, so refitting many networks does not leak.
// When the .wasm file is missing or cannot be compiled, everything stays in plain typed arrays
// and src/nn/gemm.ts runs its TypeScript kernels.

import { readFileSync } from 'node:fs';

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
interface WasmMemory { readonly buffer: ArrayBufferLike; grow(pages: number): number }
interface WasmApi {
  Memory: new (descriptor: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: object };
}
const WA = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

const PAGE = 65536;
const MAX_PAGES = 16384; // 1 GiB of float32 memory at most; beyond it we fall back to plain arrays
const ALIGN = 64;
const ARENA_START = 64; // keep address 0 unused

let kernels: WasmKernels | null = null;
let memory: WasmMemory | null = null;
let enabled = true;
let loaded = false;
let borrowed = false; // a worker thread running on the main thread's memory: it allocates nothing there
/** Every SharedArrayBuffer object the memory has had (one per growth): arena membership test. */
const arenaBuffers = new Set<ArrayBufferLike>();
let top = ARENA_START;
let highWater = ARENA_START; // bytes at and above this were never handed out: still zero
const freeBlocks: Array<{ ptr: number; size: number }> = []; // sorted by ptr
const registry = new FinalizationRegistry<{ ptr: number; size: number }>((block) => release(block));

function load(): void {
  loaded = true;
  try {
    const bytes = readFileSync(new URL('../../assembly/kernels.wasm', import.meta.url));
    const mem = new WA.Memory({ initial: 1, maximum: MAX_PAGES, shared: true });
    const instance = new WA.Instance(new WA.Module(bytes), { env: { memory: mem } });
    kernels = instance.exports as unknown as WasmKernels;
    memory = mem;
    arenaBuffers.add(mem.buffer);
  } catch {
    kernels = null; // not built, or this runtime lacks SIMD or shared memory: the TypeScript kernels run
  }
}

/** The shared memory the arena lives in (for worker threads to attach to), or null when the kernels are off. */
export function arenaMemory(): object | null {
  return wasmKernels() === null ? null : memory;
}

/**
 * In a worker thread: runs the kernels on the main thread's shared memory (from arenaMemory).
 * The worker only makes views of blocks the main thread allocated (arenaView); it never allocates.
 */
export function attachArena(shared: object): boolean {
  loaded = true;
  borrowed = true;
  try {
    const bytes = readFileSync(new URL('../../assembly/kernels.wasm', import.meta.url));
    const mem = shared as WasmMemory;
    const instance = new WA.Instance(new WA.Module(bytes), { env: { memory: mem } });
    kernels = instance.exports as unknown as WasmKernels;
    memory = mem;
    arenaBuffers.add(mem.buffer);
  } catch {
    kernels = null;
  }
  return kernels !== null;
}

/** A float32 view of `length` elements at byte address `ptr` of the attached memory (seen at its current size). */
export function arenaView(ptr: number, length: number): Float32Array {
  if (memory === null) throw new Error('no WebAssembly memory attached');
  const buffer = memory.buffer; // a memory grown by another thread shows its new size here
  arenaBuffers.add(buffer);
  return new Float32Array(buffer, ptr, length);
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

/** Whether this array lives in the kernel's memory (so the kernel can address it). */
export function inArena(x: Float32Array | Float64Array): boolean {
  return arenaBuffers.has(x.buffer);
}

/** The kernels, when they are on and every array is float32 in their memory; else null. */
export function kernelsFor(...arrays: Array<Float32Array | Float64Array>): WasmKernels | null {
  const k = wasmKernels();
  if (k === null) return null;
  for (const x of arrays) if (!(x instanceof Float32Array) || !arenaBuffers.has(x.buffer)) return null;
  return k;
}

/** The byte address of element `offset` of an arena array. */
export function addressOf(x: Float32Array | Float64Array, offset: number): number {
  return x.byteOffset + 4 * offset;
}

function release(block: { ptr: number; size: number }): void {
  let at = 0;
  while (at < freeBlocks.length && freeBlocks[at]!.ptr < block.ptr) at++;
  freeBlocks.splice(at, 0, { ...block });
  // Merge with the neighbours so large blocks can be reused.
  if (at + 1 < freeBlocks.length && freeBlocks[at]!.ptr + freeBlocks[at]!.size === freeBlocks[at + 1]!.ptr) {
    freeBlocks[at]!.size += freeBlocks[at + 1]!.size;
    freeBlocks.splice(at + 1, 1);
  }
  if (at > 0 && freeBlocks[at - 1]!.ptr + freeBlocks[at - 1]!.size === freeBlocks[at]!.ptr) {
    freeBlocks[at - 1]!.size += freeBlocks[at]!.size;
    freeBlocks.splice(at, 1);
    at--;
  }
  const last = freeBlocks[freeBlocks.length - 1];
  if (last !== undefined && last.ptr + last.size === top) {
    top = last.ptr;
    freeBlocks.pop();
  }
}

/** Bytes of the arena in use or on the free list (its top), and bytes on the free list. */
export function arenaUsage(): { top: number; free: number } {
  return { top, free: freeBlocks.reduce((sum, b) => sum + b.size, 0) };
}

/**
 * A zeroed Float32Array of `length` inside the kernel's memory, or null (kernels off, or memory
 * exhausted). Views of it must not outlive it: the block is reused once it is collected.
 */
export function arenaFloat32(length: number): Float32Array | null {
  if (wasmKernels() === null || memory === null || borrowed) return null;
  const size = Math.max(ALIGN, Math.ceil((length * 4) / ALIGN) * ALIGN);
  let ptr = -1;
  let reused = false;
  for (let k = 0; k < freeBlocks.length; k++) {
    const block = freeBlocks[k]!;
    if (block.size >= size) {
      ptr = block.ptr;
      reused = true;
      if (block.size === size) freeBlocks.splice(k, 1);
      else {
        block.ptr += size;
        block.size -= size;
      }
      break;
    }
  }
  if (ptr < 0) {
    const needed = top + size - memory.buffer.byteLength;
    if (needed > 0) {
      try {
        memory.grow(Math.ceil(needed / PAGE));
      } catch {
        return null;
      }
      arenaBuffers.add(memory.buffer);
    }
    ptr = top;
    top += size;
    reused = ptr < highWater; // below the high-water mark the bytes may be dirty (top shrank after a release)
    highWater = Math.max(highWater, top);
  }
  const array = new Float32Array(memory.buffer, ptr, length);
  if (reused) array.fill(0); // fresh memory is zero already; reused blocks hold old values
  registry.register(array, { ptr, size });
  return array;
}
