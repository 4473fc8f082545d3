// The buffers networkForward and networkBackward work in, each declared once with its size
// (llm.c's act_sizes): floats per batch row for the batch-sized ones, a fixed count for the
// others. Allocation and the data-parallel chunks' views are both derived from that declaration.
//
// A batch-sized buffer of width w holds w floats per row: B rows take B·w, the time-major
// (T, B, ·) buffers too (w = T·(row width)), since forward packs them to the rows in use. So rows
// [r0, r1) of a batch can run as a batch of their own in [r0·w, r1·w) of every such buffer
// (carveWorkspace); the fixed buffers (transposed weights, dBias) are each thread's own.
//
// Size legend: B batch, T steps, I input size, H hidden size, D directions, L layers,
// G gates (4 LSTM, 3 GRU), F horizon, E head inputs.

import { allocate, freeArrays } from './arena.js';
import type { BackwardScratch, CellBuffers } from './cell-types.js';
import { packFloats, panelFloats, type FloatArray } from './gemm.js';
import { directions, gateCount, headInputCount, type NetworkConfig } from './layout.js';
import type { Network } from './network.js';

/** A buffer's size: `perRow` floats per batch row (in plain memory when handed to callers as views), or `fixed` floats. */
export type BufferSize = { perRow: number; plain?: boolean } | { fixed: number };

export interface LayerBuffers<A = FloatArray> {
  out: A; // (T, B, D·H) the layer's output, directions side by side
  dropped: A; // (T, B, D·H) this layer's input after dropout (layers ≥ 1, with dropout)
  mask: A; // (T, B, D·H) dropout mask of this layer's output, 0 or 1/(1 − p) (all layers but the last, with dropout)
  cells: Array<CellBuffers<A>>; // [D]
}

export interface WorkspaceBuffers<A = FloatArray> {
  x0: A; // (T, B, I) the input, time-major
  dx0: A; // (T, B, I)
  dInput: A; // (B, T, I) gradient w.r.t. the input, filled by networkBackward
  layers: Array<LayerBuffers<A>>; // [L]
  scratch: BackwardScratch<A>;
  dOutA: A; // (T, B, D·H) gradient w.r.t. a layer's output (ping)
  dOutB: A; // (T, B, D·H) (pong)
  hFinal: A; // (B, D·H) forward final ‖ backward final
  dhFinal: A; // (B, D·H)
  headWT: A; // (D·H + E, F) head.weightᵀ, refreshed each forward
  headX: A; // (B, E) the head inputs of the last forward, or (T, B, E) time-major with everyStep
  headOut: A; // (T, B, F) every-step head output, time-major; its gradient in backward. Unidirectional only
  output: A; // (B, F) handed out as views: plain memory
  stepOutput: A; // (B, T, F) every-step output, handed out as views. Unidirectional only
}

export interface Workspace extends WorkspaceBuffers {
  batchSize: number; // capacity in samples
  lookback: number; // T
  sizes: WorkspaceBuffers<BufferSize>; // the declaration the buffers were made from
  usedBatch: number; // rows of the last forward
  dropoutActive: boolean; // whether the last forward applied dropout
  everyStep: boolean; // whether the last forward applied the head at every step
  outputViews: Map<number, FloatArray>; // cached views of output per used length
  stepOutputViews: Map<number, FloatArray>; // cached views of stepOutput per used length
}

/** Every buffer's size for this network over T steps. */
export function declareWorkspace(config: NetworkConfig, T: number): WorkspaceBuffers<BufferSize> {
  const I = config.inputSize, H = config.hiddenSize, D = directions(config), L = config.numLayers;
  const GH = gateCount(config.cell) * H, DH = D * H, F = config.horizon, E = headInputCount(config);
  const lstm = config.cell === 'lstm', dropout = config.dropout > 0 && L > 1;
  const steps = D === 1 ? T : 0; // every-step head outputs: unidirectional networks only
  const row = (perRow: number): BufferSize => ({ perRow });
  const fixed = (count: number): BufferSize => ({ fixed: count });
  const layers = Array.from({ length: L }, (_, l): LayerBuffers<BufferSize> => ({
    out: row(T * DH),
    dropped: row(dropout && l > 0 ? T * DH : 0),
    mask: row(dropout && l < L - 1 ? T * DH : 0),
    cells: Array.from({ length: D }, (): CellBuffers<BufferSize> => ({
      gates: row(T * GH),
      c: row(lstm ? T * H : 0),
      tanhC: row(lstm ? T * H : 0),
      hn: row(lstm ? 0 : T * H),
      hGates: row(lstm ? 0 : GH),
      weightsT: { wih: fixed(panelFloats(l === 0 ? I : DH, GH)), whh: fixed(panelFloats(H, GH)), bias: fixed(GH) },
    })),
  }));
  return {
    x0: row(T * I),
    dx0: row(T * I),
    dInput: row(T * I),
    layers,
    scratch: {
      dBias: fixed(GH),
      dGates: row(T * GH),
      dHGates: row(lstm ? 0 : T * GH),
      dh: row(H),
      dhRec: row(H),
      dc: row(lstm ? H : 0),
      pack: fixed(packFloats(Math.max(GH, F))), // the weight gradients' products have G·H rows, the head's F
    },
    dOutA: row(T * DH),
    dOutB: row(T * DH),
    hFinal: row(DH),
    dhFinal: row(DH),
    headWT: fixed((DH + E) * F),
    headX: row(Math.max(1, steps) * E),
    headOut: row(steps * F),
    output: { perRow: F, plain: true },
    stepOutput: { perRow: steps * F, plain: true },
  };
}

function isSize(node: unknown): node is BufferSize {
  return typeof node === 'object' && node !== null && ('perRow' in node || 'fixed' in node);
}

/** The declaration with each size replaced by leaf(size, path); path leads to the same place in any WorkspaceBuffers. */
function mapSizes(node: unknown, leaf: (size: BufferSize, path: Array<string | number>) => FloatArray, path: Array<string | number> = []): unknown {
  if (isSize(node)) return leaf(node, path);
  if (Array.isArray(node)) return node.map((child, k) => mapSizes(child, leaf, [...path, k]));
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(node as Record<string, unknown>)) out[key] = mapSizes(child, leaf, [...path, key]);
  return out;
}

function follow(tree: unknown, path: Array<string | number>): FloatArray {
  let node = tree;
  for (const key of path) node = (node as Record<string | number, unknown>)[key];
  return node as FloatArray;
}

function assemble(buffers: unknown, batchSize: number, lookback: number, sizes: WorkspaceBuffers<BufferSize>): Workspace {
  return {
    ...(buffers as WorkspaceBuffers),
    batchSize, lookback, sizes,
    usedBatch: 0, dropoutActive: false, everyStep: false,
    outputViews: new Map(), stepOutputViews: new Map(),
  };
}

/** Buffers for batches of up to batchSize rows over `lookback` steps (batchSize 0: only the fixed ones). */
export function allocateWorkspace(net: Network, batchSize: number, lookback: number): Workspace {
  const sizes = declareWorkspace(net.config, lookback);
  const buffers = mapSizes(sizes, (size) => ('fixed' in size
    ? allocate(net.dtype, size.fixed)
    : allocate(net.dtype, batchSize * size.perRow, size.plain !== true)));
  return assemble(buffers, batchSize, lookback, sizes);
}

export function createWorkspace(net: Network, batchSize: number, lookback: number): Workspace {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batch size must be a positive integer, got ${batchSize}`);
  if (!Number.isInteger(lookback) || lookback < 1) throw new RangeError(`lookback must be a positive integer, got ${lookback}`);
  return allocateWorkspace(net, batchSize, lookback);
}

/**
 * A workspace for rows [r0, r1) of a batch, in place inside the whole batch's workspace: each
 * batch-sized buffer's flat range [r0·w, r1·w), the fixed buffers from `own` (a workspace of
 * batch size 0). The chunks of one batch never overlap.
 */
export function carveWorkspace(whole: Workspace, own: Workspace, r0: number, r1: number): Workspace {
  const buffers = mapSizes(whole.sizes, (size, path) => ('fixed' in size
    ? follow(own, path)
    : follow(whole, path).subarray(r0 * size.perRow, r1 * size.perRow)));
  return assemble(buffers, r1 - r0, whole.lookback, whole.sizes);
}

/** Returns the workspace's arena memory now (see freeArrays); it must not be used afterwards. Carved workspaces own nothing. */
export function releaseWorkspace(ws: Workspace): void {
  const arrays: FloatArray[] = [];
  mapSizes(ws.sizes, (_size, path) => {
    const array = follow(ws, path);
    arrays.push(array);
    return array;
  });
  freeArrays(...arrays);
}

/** A cached view of the first `length` elements (made once per distinct length, so forward allocates nothing). */
export function viewOf(cache: Map<number, FloatArray>, array: FloatArray, length: number): FloatArray {
  let v = cache.get(length);
  if (v === undefined) {
    v = array.subarray(0, length);
    cache.set(length, v);
  }
  return v;
}
