// Gradient clipping over the flat gradient block.

import type { Network } from './network.js';

/**
 * torch.nn.utils.clip_grad_norm_: the global L2 norm (the norm of the per-tensor norms),
 * scaled by maxNorm / (norm + 1e-6) when that is below 1. Returns the norm BEFORE clipping.
 * maxNorm 0 only measures.
 */
export function clipGradNorm(net: Network, maxNorm: number): number {
  const g = net.grads;
  let total = 0;
  for (const tensor of net.tensors) {
    let sq = 0;
    const end = tensor.offset + tensor.size;
    for (let k = tensor.offset; k < end; k++) sq += g[k]! * g[k]!;
    const norm = Math.sqrt(sq);
    total += norm * norm;
  }
  const norm = Math.sqrt(total);
  if (maxNorm > 0) {
    const coef = maxNorm / (norm + 1e-6);
    if (coef < 1) for (let k = 0; k < g.length; k++) g[k] = g[k]! * coef;
  }
  return norm;
}

/** torch.nn.utils.clip_grad_value_: every gradient into [−limit, limit]. */
export function clipGradValue(net: Network, limit: number): void {
  const g = net.grads;
  for (let k = 0; k < g.length; k++) {
    const x = g[k]!;
    if (x > limit) g[k] = limit;
    else if (x < -limit) g[k] = -limit;
  }
}
