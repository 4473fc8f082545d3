// Optimizers as flat loops over the parameter block, reproducing torch.optim step by step:
//   Adam:  g += wd·p; m = lerp(m, g, 1−β1); v = β2·v + (1−β2)·g²;
//          p −= (lr / (1−β1^t)) · m / (√v / √(1−β2^t) + eps)
//   AdamW: p *= 1 − lr·wd (decoupled), then Adam without wd in the gradient
//   SGD:   g += wd·p; buf = g on the first step, else momentum·buf + g; p −= lr·buf
// The moment buffers use the network's dtype, as PyTorch keeps them in the parameter dtype.

import { allocate } from './arena.js';
import type { Network } from './network.js';
import type { FloatArray } from './gemm.js';

export interface OptimizerOptions {
  kind: 'adam' | 'adamw' | 'sgd';
  lr: number;
  weightDecay: number; // 0 = none
  beta1?: number; // 0.9
  beta2?: number; // 0.999
  eps?: number; // 1e-8
  momentum?: number; // SGD only, 0
}

export interface Optimizer {
  options: Required<OptimizerOptions>;
  step: number; // steps taken so far
  m: FloatArray; // Adam first moment, or the SGD momentum buffer
  v: FloatArray; // Adam second moment (empty for SGD)
}

export function createOptimizer(options: OptimizerOptions, net: Network): Optimizer {
  const full: Required<OptimizerOptions> = {
    kind: options.kind,
    lr: options.lr,
    weightDecay: options.weightDecay,
    beta1: options.beta1 ?? 0.9,
    beta2: options.beta2 ?? 0.999,
    eps: options.eps ?? 1e-8,
    momentum: options.momentum ?? 0,
  };
  const n = net.params.length;
  return {
    options: full,
    step: 0,
    m: allocate(net.dtype, full.kind === 'sgd' && full.momentum === 0 ? 0 : n),
    v: allocate(net.dtype, full.kind === 'sgd' ? 0 : n),
  };
}

export function optimizerStep(opt: Optimizer, net: Network): void {
  opt.step++;
  const { kind, lr, weightDecay: wd } = opt.options;
  if (kind === 'sgd') sgdStep(opt, net.params, net.grads, lr, wd);
  else adamStep(opt, net.params, net.grads, lr, wd, kind === 'adamw');
}

function adamStep(opt: Optimizer, p: FloatArray, g: FloatArray, lr: number, wd: number, decoupled: boolean): void {
  const { beta1, beta2, eps } = opt.options;
  const { m, v } = opt;
  const t = opt.step;
  const stepSize = lr / (1 - Math.pow(beta1, t));
  const bc2Sqrt = Math.sqrt(1 - Math.pow(beta2, t));
  const w1 = 1 - beta1; // lerp weight
  const w2 = 1 - beta2;
  const decay = 1 - lr * wd;
  const n = p.length;
  for (let k = 0; k < n; k++) {
    let pk = p[k]!;
    let gk = g[k]!;
    if (wd !== 0) {
      if (decoupled) {
        pk *= decay;
        p[k] = pk;
        pk = p[k]!; // keep the rounding of a float32 parameter
      } else gk += wd * pk;
    }
    // torch.lerp: for weight < 0.5 it computes start + weight·(end − start).
    const mk = w1 < 0.5 ? m[k]! + w1 * (gk - m[k]!) : gk - (gk - m[k]!) * (1 - w1);
    m[k] = mk;
    v[k] = v[k]! * beta2 + w2 * gk * gk;
    const denom = Math.sqrt(v[k]!) / bc2Sqrt + eps;
    p[k] = pk - (stepSize * m[k]!) / denom; // addcdiv order: (value · m) / denom
  }
}

function sgdStep(opt: Optimizer, p: FloatArray, g: FloatArray, lr: number, wd: number): void {
  const { momentum } = opt.options;
  const buf = opt.m;
  const first = opt.step === 1;
  const n = p.length;
  for (let k = 0; k < n; k++) {
    let gk = g[k]!;
    if (wd !== 0) gk += wd * p[k]!;
    if (momentum !== 0) {
      buf[k] = first ? gk : buf[k]! * momentum + gk;
      gk = buf[k]!;
    }
    p[k] = p[k]! - lr * gk;
  }
}
