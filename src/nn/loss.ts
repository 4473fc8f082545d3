// Losses with their gradients, as PyTorch's mean reductions: MSELoss, L1Loss, HuberLoss(delta),
// and the pinball (quantile) loss mean(max(q·e, (q−1)·e)) with e = target − prediction.
// A mask (1 = counts) drops elements from the mean; masked elements get gradient 0.

import type { FloatArray } from './gemm.js';

export type LossKind = 'mse' | 'mae' | 'huber' | 'quantile';

export interface LossOptions {
  delta?: number; // huber threshold, default 1.0
  quantile?: number; // pinball level in (0, 1), default 0.5
}

/**
 * Mean loss over the counted elements among the first `count`; writes ∂(mean loss)/∂prediction
 * into dPrediction (count elements). Returns 0 (and zero gradients) when nothing counts.
 */
export function lossForwardBackward(
  kind: LossKind,
  prediction: FloatArray, target: FloatArray, mask: Uint8Array | null, count: number,
  dPrediction: FloatArray, options: LossOptions = {},
): number {
  let n = 0;
  if (mask === null) n = count;
  else for (let k = 0; k < count; k++) if (mask[k] !== 0) n++;
  if (n === 0) {
    dPrediction.fill(0, 0, count);
    return 0;
  }
  const inv = 1 / n;
  const delta = options.delta ?? 1.0;
  const q = options.quantile ?? 0.5;
  let sum = 0;
  for (let k = 0; k < count; k++) {
    if (mask !== null && mask[k] === 0) {
      dPrediction[k] = 0;
      continue;
    }
    const diff = prediction[k]! - target[k]!;
    switch (kind) {
      case 'mse':
        sum += diff * diff;
        dPrediction[k] = 2 * diff * inv;
        break;
      case 'mae':
        sum += Math.abs(diff);
        dPrediction[k] = Math.sign(diff) * inv;
        break;
      case 'huber': {
        const abs = Math.abs(diff);
        if (abs < delta) {
          sum += 0.5 * diff * diff;
          dPrediction[k] = diff * inv;
        } else {
          sum += delta * (abs - 0.5 * delta);
          dPrediction[k] = delta * Math.sign(diff) * inv;
        }
        break;
      }
      case 'quantile': {
        const e = -diff; // target − prediction
        // Under-prediction (e > 0) costs q per unit, over-prediction 1 − q; at e = 0 the
        // subgradient is taken as torch.maximum's tie split, (q + (q − 1)) / 2 per unit of e.
        sum += e > 0 ? q * e : (q - 1) * e;
        const dLossDe = e > 0 ? q : e < 0 ? q - 1 : q - 0.5;
        dPrediction[k] = -dLossDe * inv;
        break;
      }
    }
  }
  return sum * inv;
}
