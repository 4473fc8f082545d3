// The allocator for float32 arrays inside the kernels' WebAssembly memory (src/nn/wasm.ts), and
// `allocate`, which every engine buffer comes from.
//
// Blocks are 64-byte aligned and returned to a free list by freeArrays, or else when their typed
// array is garbage-collected. The collector alone is not enough: the arrays are small objects whose
// memory the JavaScript heap does not see, so it feels no pressure to collect them, and a process
// that builds many large networks would fill the arena (then every new buffer falls back to plain
// memory and the TypeScript kernels). Views of a block (subarrays) do not keep it alive: whoever
// hands out views keeps the array itself.

import type { FloatArray } from './gemm.js';
import { ARENA_START, PAGE_BYTES } from './wasm-limits.js';
import { noteMemoryBuffer, ownMemory } from './wasm.js';

export type DType = 'float32' | 'float64';

const ALIGN = 64;

let top = ARENA_START;
let highWater = ARENA_START; // bytes at and above this were never handed out: still zero
const freeBlocks: Array<{ ptr: number; size: number }> = []; // sorted by ptr
const registry = new FinalizationRegistry<{ ptr: number; size: number }>((block) => release(block));
const blocks = new WeakMap<Float32Array, { ptr: number; size: number }>(); // the arena's live arrays

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
 * A zeroed Float32Array of `length` inside the kernels' memory, or null (kernels off, a worker
 * thread, or memory exhausted). Views of it must not outlive it: the block is reused once it is collected.
 */
export function arenaFloat32(length: number): Float32Array | null {
  const memory = ownMemory();
  if (memory === null) return null;
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
        memory.grow(Math.ceil(needed / PAGE_BYTES));
      } catch {
        return null;
      }
      noteMemoryBuffer();
    }
    ptr = top;
    top += size;
    reused = ptr < highWater; // below the high-water mark the bytes may be dirty (top shrank after a release)
    highWater = Math.max(highWater, top);
  }
  const array = new Float32Array(memory.buffer, ptr, length);
  if (reused) array.fill(0); // fresh memory is zero already; reused blocks hold old values
  const block = { ptr, size };
  registry.register(array, block, array);
  blocks.set(array, block);
  return array;
}

/**
 * Returns the arena blocks of these arrays to the free list now (arrays from elsewhere, views and
 * arrays already freed are ignored). The arrays must not be used afterwards.
 */
export function freeArrays(...arrays: Array<Float32Array | Float64Array>): void {
  for (const array of arrays) {
    if (!(array instanceof Float32Array)) continue;
    const block = blocks.get(array);
    if (block === undefined) continue;
    blocks.delete(array);
    registry.unregister(array);
    release(block);
  }
}

/**
 * A zeroed array. float32 arrays go into the kernels' memory when it is available
 * (`kernel` false: a plain array, for buffers handed to callers as views).
 */
export function allocate(dtype: DType, length: number, kernel = true): FloatArray {
  if (dtype === 'float64') return new Float64Array(length);
  return (kernel ? arenaFloat32(length) : null) ?? new Float32Array(length);
}
