// The buffers one direction of one recurrent layer works in, shared by lstm.ts and gru.ts and
// declared in the workspace (src/nn/workspace.ts). Generic in A so the workspace can declare each
// buffer's size with the same shape it later fills with arrays.
//
// Size legend: T steps, B batch, H hidden size, G gates (4 LSTM, 3 GRU), I layer input size.

import type { FloatArray } from './gemm.js';

export interface LstmActivations<A = FloatArray> {
  gates: A; // (T, B, 4H) after the nonlinearities: i, f, g, o
  c: A; // (T, B, H) cell state
  tanhC: A; // (T, B, H) tanh of the cell state
}

export interface GruActivations<A = FloatArray> {
  gates: A; // (T, B, 3H) after the nonlinearities: r, z, n
  hn: A; // (T, B, H) W_hn hPrev + b_hn, the part the reset gate scales
  hGates: A; // (B, 3H) the hidden-side pre-activations of the current step
}

/** The weights of one direction rearranged for the forward products, refreshed every forward. */
export interface TransposedWeights<A = FloatArray> {
  wih: A; // (I, G·H) W_ihᵀ in panels of 8 columns (packPanels: read with ldb 8, bps 8·I)
  whh: A; // (H, G·H) W_hhᵀ in panels of 8 columns (bps 8·H)
  bias: A; // (G·H) b_ih + b_hh (LSTM)
}

/** One direction of one layer: the activations of either cell (the other cell's are empty) and its transposed weights. */
export interface CellBuffers<A = FloatArray> extends LstmActivations<A>, GruActivations<A> {
  weightsT: TransposedWeights<A>;
}

export interface BackwardScratch<A = FloatArray> {
  dBias: A; // (G·H) column sums of dGates
  dGates: A; // (T, B, G·H) gradient of the gate pre-activations
  dHGates: A; // (T, B, G·H) GRU only: gradient of the hidden-side pre-activations
  dh: A; // (B, H) gradient reaching h at the current step
  dhRec: A; // (B, H) gradient flowing to hPrev through the recurrence
  dc: A; // (B, H) LSTM only: gradient flowing to cPrev
  pack: A; // where the matrix kernel packs blocks of A for the weight gradients (gemmAtB)
}
