// The training loop: seeded mini-batch epochs, validation, early stopping, clipping, a divergence
// guard and clean interruption. It never prints: it reports epochs through `onEpoch`.
import { DivergedError } from '../errors.js';
import type { WindowSet } from '../data/prepare.js';
import { clipGradNorm, clipGradValue } from '../nn/clip.js';
import { lossForwardBackward } from '../nn/loss.js';
import type { Network, NetworkConfig, Workspace } from '../nn/network.js';
import { createNetwork, createWorkspace, networkForward, zeroGrads } from '../nn/network.js';
import { createOptimizer, optimizerStep } from '../nn/optimizer.js';
import { createDataParallel, dataParallelBackward, dataParallelForward, releaseDataParallel } from '../nn/parallel/data-parallel.js';
import { createRng, shuffleInPlace } from '../nn/rng.js';
import type { Rng } from '../nn/rng.js';
import type { EpochRecord, StoppedBy } from '../io/model-file.js';
import { createEarlyStopping, observeEpoch, patienceExhausted } from './early-stopping.js';
import type { TrainingOptions } from './options.js';

export interface EpochEvent {
  epoch: number;
  epochs: number; // the upper bound
  trainLoss: number;
  valLoss: number | null;
  bestEpoch: number;
  bestLoss: number;
  /** Mean global gradient norm before clipping over the epoch's batches. */
  gradNorm: number;
  seconds: number;
}

export interface TrainHooks {
  onEpoch?: (event: EpochEvent) => void;
  /** Aborted → finish the current batch, keep the best weights, stop with 'interrupted'. */
  signal?: AbortSignal;
}

export interface TrainResult {
  network: Network; // holding the best weights
  history: EpochRecord[];
  bestEpoch: number;
  stoppedBy: StoppedBy;
  seconds: number;
}

/** Preallocated batch buffers, reused for every batch of one shape. */
interface BatchBuffers {
  inputs: Float32Array; // (B, T, I)
  targets: Float32Array; // (B, horizon)
  mask: Uint8Array; // (B, horizon)
  dPrediction: Float32Array; // (B, horizon)
}

function createBatchBuffers(batchSize: number, lookback: number, inputSize: number, horizon: number): BatchBuffers {
  return {
    inputs: new Float32Array(batchSize * lookback * inputSize),
    targets: new Float32Array(batchSize * horizon),
    mask: new Uint8Array(batchSize * horizon),
    dPrediction: new Float32Array(batchSize * horizon),
  };
}

/** Copies windows `order[start..start+count)` into the batch buffers. */
function gatherBatch(windows: WindowSet, order: Uint32Array, start: number, count: number, lookback: number, horizon: number, buffers: BatchBuffers): number {
  const inputStride = lookback * windows.inputSize;
  let masked = 0;
  for (let row = 0; row < count; row++) {
    const window = order[start + row]!;
    buffers.inputs.set(windows.inputs.subarray(window * inputStride, (window + 1) * inputStride), row * inputStride);
    buffers.targets.set(windows.targets.subarray(window * horizon, (window + 1) * horizon), row * horizon);
    const mask = windows.mask.subarray(window * horizon, (window + 1) * horizon);
    buffers.mask.set(mask, row * horizon);
    for (let step = 0; step < horizon; step++) masked += mask[step]!;
  }
  return masked;
}

/** Mean loss over all unmasked validation targets, in batches, evaluation mode. */
export function evaluateLoss(network: Network, workspace: Workspace, windows: WindowSet, options: TrainingOptions, buffers: BatchBuffers, order: Uint32Array): number {
  const { lookback } = workspace;
  const { horizon } = network.config;
  let total = 0;
  let counted = 0;
  for (let start = 0; start < windows.count; start += workspace.batchSize) {
    const count = Math.min(workspace.batchSize, windows.count - start);
    const used = gatherBatch(windows, order, start, count, lookback, horizon, buffers);
    if (used === 0) continue;
    const prediction = networkForward(network, workspace, buffers.inputs, count, { training: false });
    const loss = lossForwardBackward(options.loss, prediction, buffers.targets, buffers.mask, count * horizon, buffers.dPrediction);
    total += loss * used;
    counted += used;
  }
  return counted === 0 ? Number.NaN : total / counted;
}

function identityOrder(count: number): Uint32Array {
  const order = new Uint32Array(count);
  for (let index = 0; index < count; index++) order[index] = index;
  return order;
}

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export async function trainNetwork(
  train: WindowSet,
  validation: WindowSet,
  config: NetworkConfig,
  lookback: number,
  options: TrainingOptions,
  hooks: TrainHooks = {},
): Promise<TrainResult> {
  const started = performance.now();
  const network = createNetwork(config, { seed: options.seed, dtype: 'float32' });
  // A separate stream for shuffling and dropout, so the weights do not depend on them.
  const rng: Rng = createRng((options.seed ^ 0x5bd1e995) >>> 0);
  const batchSize = Math.min(options.batchSize, Math.max(1, train.count));
  const workspace = createWorkspace(network, batchSize, lookback);
  // Big enough batches are cut into chunks on up to `jobs` threads; the same model for any jobs.
  const parallel = await createDataParallel(network, workspace, { jobs: options.jobs });
  const buffers = createBatchBuffers(batchSize, lookback, config.inputSize, config.horizon);
  const optimizer = createOptimizer({ kind: options.optimizer, lr: options.lr, weightDecay: options.weightDecay }, network);
  const stopping = createEarlyStopping(options.patience, options.minDelta);
  const bestParams = new Float32Array(network.params.length);
  const order = identityOrder(train.count);
  const validationOrder = identityOrder(validation.count);
  const hasValidation = validation.count > 0;
  const history: EpochRecord[] = [];
  let stoppedBy: StoppedBy = 'max-epochs';
  let lastYield = performance.now();

  // The worker threads hold views of this network's buffers: let go of them however the loop ends.
  try {
    epochs: for (let epoch = 1; epoch <= options.epochs; epoch++) {
      shuffleInPlace(order, rng);
      let lossSum = 0;
      let lossCount = 0;
      let normSum = 0;
      let batches = 0;
      for (let start = 0; start < train.count; start += batchSize) {
        const count = Math.min(batchSize, train.count - start);
        const used = gatherBatch(train, order, start, count, lookback, config.horizon, buffers);
        if (used === 0) continue;
        zeroGrads(network);
        const prediction = dataParallelForward(parallel, buffers.inputs, count, rng);
        const loss = lossForwardBackward(options.loss, prediction, buffers.targets, buffers.mask, count * config.horizon, buffers.dPrediction);
        if (!Number.isFinite(loss)) {
          stoppedBy = 'diverged';
          break epochs;
        }
        dataParallelBackward(parallel, buffers.dPrediction, count);
        const norm = clipGradNorm(network, options.clipNorm);
        if (options.clipValue !== null) clipGradValue(network, options.clipValue);
        if (!Number.isFinite(norm)) {
          stoppedBy = 'diverged';
          break epochs;
        }
        optimizerStep(optimizer, network);
        lossSum += loss * used;
        lossCount += used;
        normSum += norm;
        batches += 1;
        if (hooks.signal?.aborted) {
          stoppedBy = 'interrupted';
          break epochs;
        }
        // Let signal handlers run: training is synchronous work in one thread.
        if (performance.now() - lastYield > 50) {
          await yieldToEventLoop();
          lastYield = performance.now();
          if (hooks.signal?.aborted) {
            stoppedBy = 'interrupted';
            break epochs;
          }
        }
      }
      const trainLoss = lossCount === 0 ? Number.NaN : lossSum / lossCount;
      const valLoss = hasValidation ? evaluateLoss(network, workspace, validation, options, buffers, validationOrder) : null;
      // Without validation windows, early stopping watches the training loss.
      const monitored = valLoss ?? trainLoss;
      history.push({ epoch, trainLoss, valLoss });
      if (!Number.isFinite(trainLoss) || (valLoss !== null && !Number.isFinite(valLoss))) {
        stoppedBy = 'diverged';
        break;
      }
      if (observeEpoch(stopping, epoch, monitored)) bestParams.set(network.params);
      hooks.onEpoch?.({
        epoch,
        epochs: options.epochs,
        trainLoss,
        valLoss,
        bestEpoch: stopping.bestEpoch,
        bestLoss: stopping.bestLoss,
        gradNorm: batches === 0 ? 0 : normSum / batches,
        seconds: (performance.now() - started) / 1000,
      });
      if (patienceExhausted(stopping)) {
        stoppedBy = 'early-stopping';
        break;
      }
    }
  } finally {
    releaseDataParallel(parallel);
  }
  if (stopping.bestEpoch > 0) {
    network.params.set(bestParams);
  } else if (stoppedBy === 'diverged' || stoppedBy === 'max-epochs') {
    throw new DivergedError(
      `training diverged: the loss was not finite before any usable epoch (try a smaller --lr, --clip-norm, or --scale standard)`,
    );
  }
  // Interrupted before the first epoch ended: the weights so far are all there is.
  return { network, history, bestEpoch: stopping.bestEpoch, stoppedBy, seconds: (performance.now() - started) / 1000 };
}
