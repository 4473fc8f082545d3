// What the main thread and the chunk workers of data-parallel.ts both need: how a batch is cut
// into chunks, the dropout stream each chunk replays, and how buffers cross to another thread.
//
// Float arrays cross as descriptors: an array in the WebAssembly arena (src/nn/arena.ts) as its
// byte address, which the worker views in the same shared memory; any other array as its
// SharedArrayBuffer. shareFloatArrays first moves the arrays that are neither into a
// SharedArrayBuffer, so both threads run the very same kernels on the very same bytes (arena →
// WebAssembly, elsewhere → TypeScript) and a chunk gives the same bits on either thread.
//
// Size legend: B rows of the batch, T steps, D·H width of a layer's output, L layers.

import type { FloatArray } from '../gemm.js';
import type { Rng } from '../rng.js';
import { inArena, memoryView, wasmKernels } from '../wasm.js';

/** Rows per chunk are rounded to this, so the matrix products keep whole 4-row register tiles. */
const ROW_ALIGN = 4;

/**
 * Where each chunk starts, and B at the end: chunks + 1 numbers. A function of (B, chunks) only,
 * never of the thread count. Chunks are multiples of 4 rows but the last; none is empty.
 */
export function chunkBounds(batchSize: number, chunks: number): number[] {
  let n = Math.max(1, Math.min(chunks, batchSize));
  let step = Math.ceil(batchSize / n / ROW_ALIGN) * ROW_ALIGN;
  while (n > 1 && (n - 1) * step >= batchSize) {
    n--;
    step = Math.ceil(batchSize / n / ROW_ALIGN) * ROW_ALIGN;
  }
  const bounds: number[] = [];
  for (let c = 0; c < n; c++) bounds.push(Math.min(batchSize, c * step));
  bounds.push(batchSize);
  return bounds;
}

/**
 * The dropout uniforms one chunk draws, replayed from the batch's stream. networkForward draws
 * in (layer, sample, step, unit) order, so the rows [r0, r1) of layer l are one contiguous run
 * of the whole batch's draws: a chunk sees exactly the masks the whole batch would give its rows.
 */
export function replayRng(uniforms: Float32Array, batchSize: number, r0: number, r1: number, rowWidth: number, droppedLayers: number): Rng {
  // rowWidth = T·D·H draws per sample and layer.
  let layer = 0;
  let at = r0 * rowWidth;
  let end = r1 * rowWidth;
  const nextFloat = (): number => {
    if (at === end) {
      layer++;
      if (layer >= droppedLayers) throw new RangeError('dropout stream exhausted');
      at = layer * batchSize * rowWidth + r0 * rowWidth;
      end = layer * batchSize * rowWidth + r1 * rowWidth;
    }
    return uniforms[at++]!;
  };
  return {
    nextFloat,
    nextUint32: () => (nextFloat() * 16777216) * 256, // the 24 bits the uniform was made of, back in place
  };
}

/** A zeroed float32 array another thread can see. */
export function sharedFloat32(length: number): Float32Array {
  return new Float32Array(new SharedArrayBuffer(Math.max(4, length * 4)), 0, length);
}

function isFloatArray(x: unknown): x is FloatArray {
  return x instanceof Float32Array || x instanceof Float64Array;
}

/** Whether another thread can address this array as it is (the arena's memory is a SharedArrayBuffer too). */
export function isShareable(x: FloatArray): boolean {
  return x.buffer instanceof SharedArrayBuffer;
}

/** Whether this array crosses as an arena address, which the worker runs the WebAssembly kernels on. */
function viaArena(x: FloatArray): boolean {
  return x instanceof Float32Array && inArena(x) && wasmKernels() !== null;
}

/** The same array, or a SharedArrayBuffer copy when another thread could not see it. */
export function shareable<A extends FloatArray>(x: A): A {
  if (isShareable(x)) return x;
  const bytes = new SharedArrayBuffer(Math.max(8, x.byteLength));
  const copy = (x instanceof Float32Array ? new Float32Array(bytes, 0, x.length) : new Float64Array(bytes, 0, x.length)) as A;
  copy.set(x as never);
  return copy;
}

/** Every float array inside `value` (objects and arrays, walked in place) made shareable. */
export function shareFloatArrays<T>(value: T): T {
  const walk = (v: unknown): unknown => {
    if (isFloatArray(v)) return shareable(v);
    if (Array.isArray(v)) {
      for (let k = 0; k < v.length; k++) v[k] = walk(v[k]);
      return v;
    }
    if (v !== null && typeof v === 'object' && !(v instanceof Map)) {
      const record = v as Record<string, unknown>;
      for (const key of Object.keys(record)) record[key] = walk(record[key]);
    }
    return v;
  };
  return walk(value) as T;
}

/** A shareable float array as it crosses to a worker. */
export type ArrayDescriptor =
  | { float: 'arena'; ptr: number; length: number }
  | { float: 'shared'; bytes: SharedArrayBuffer; byteOffset: number; length: number; f64: boolean };

/** `value` with every float array replaced by its descriptor and every Map by an empty marker (structured-clone safe). */
export function describeShared(value: unknown): unknown {
  if (value instanceof Int32Array) return value; // counters on a SharedArrayBuffer cross as they are
  if (isFloatArray(value)) {
    if (viaArena(value)) return { float: 'arena', ptr: value.byteOffset, length: value.length };
    if (!(value.buffer instanceof SharedArrayBuffer)) throw new Error('describeShared: a float array outside shared memory');
    return { float: 'shared', bytes: value.buffer, byteOffset: value.byteOffset, length: value.length, f64: value instanceof Float64Array };
  }
  if (value instanceof Map) return { map: true };
  if (Array.isArray(value)) return value.map(describeShared);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) out[key] = describeShared(v);
    return out;
  }
  return value;
}

/** The inverse of describeShared, in the worker: views of the same bytes, fresh Maps. */
export function rebuildShared(value: unknown): unknown {
  if (value instanceof Int32Array) return value;
  if (Array.isArray(value)) return value.map(rebuildShared);
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (record.float === 'arena') return memoryView(record.ptr as number, record.length as number);
    if (record.float === 'shared') {
      const d = record as Extract<ArrayDescriptor, { float: 'shared' }>;
      return d.f64 ? new Float64Array(d.bytes, d.byteOffset, d.length) : new Float32Array(d.bytes, d.byteOffset, d.length);
    }
    if (record.map === true && Object.keys(record).length === 1) return new Map();
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(record)) out[key] = rebuildShared(v);
    return out;
  }
  return value;
}
