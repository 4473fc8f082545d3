// The training loop: a budget of optimizer steps on mini-batches sampled from the training
// windows, validation every round, early stopping, clipping, a divergence guard, a time budget
// and clean interruption. It never prints: it reports rounds through `onRound`.
//
// A round is one pass over the training windows, or ROUND_STEPS steps when a pass is longer (long
// series and big panels), so the cost of training does not grow with the history. Windows are
// drawn without replacement from a seeded permutation, reshuffled after every pass. Round 0 is
// the untrained network: with a baseline transform its head is zero, so it forecasts the baseline,
// and training must beat that on validation to be kept.
import { DivergedError } from '../errors.js';
import { createBatch, gatherBatch, type Batch, type PipelineSpec, type SeriesFrame, type WindowRefs } from '../data/prepare.js';
import { clipGradNorm, clipGradValue } from '../nn/clip.js';
import { lossForwardBackward } from '../nn/loss.js';
import type { Network, NetworkConfig, Workspace } from '../nn/network.js';
import { createNetwork, createWorkspace, networkForward, zeroGrads } from '../nn/network.js';
import { releaseWorkspace } from '../nn/workspace.js';
import { createOptimizer, optimizerStep } from '../nn/optimizer.js';
import { createDataParallel, dataParallelBackward, dataParallelForward, releaseDataParallel } from '../nn/parallel/data-parallel.js';
import { createRng, shuffleInPlace } from '../nn/rng.js';
import type { Rng } from '../nn/rng.js';
import type { EpochRecord, StoppedBy } from '../io/model-file.js';
import { createEarlyStopping, observeEpoch, patienceExhausted } from './early-stopping.js';
import type { ResolvedTrainingOptions } from './options.js';

/** Steps per round at most: how often long trainings are validated. */
export const ROUND_STEPS = 100;
/** Steps per round at least: tiny datasets pass over their windows several times per round. */
export const MIN_ROUND_STEPS = 10;
/** Validation batches: forward only, so bigger than training batches. */
const EVAL_BATCH = 256;

export interface TrainData {
  frames: readonly SeriesFrame[];
  spec: PipelineSpec;
  train: WindowRefs;
  val: WindowRefs;
  /** (H, E) the head's starting weights for its known-future inputs (known-future.ts); absent: zero. */
  headStart?: Float32Array | null;
}

export interface RoundEvent {
  round: number;
  /** Upper bound on rounds (from --epochs and --steps). */
  rounds: number;
  step: number;
  steps: number;
  trainLoss: number;
  valLoss: number | null;
  bestRound: number;
  bestLoss: number;
  /** Mean global gradient norm before clipping over the round's steps. */
  gradNorm: number;
  seconds: number;
}

export interface TrainHooks {
  onRound?: (event: RoundEvent) => void;
  /** Aborted → stop within the current step, keep the best weights, stop with 'interrupted'. */
  signal?: AbortSignal;
}

export interface TrainResult {
  network: Network; // holding the best weights
  history: EpochRecord[];
  bestRound: number;
  bestLoss: number;
  /** Validation loss of round 0 (the untrained network), or NaN without validation windows. */
  initialLoss: number;
  steps: number;
  stoppedBy: StoppedBy;
  seconds: number;
}

/** How many rounds and steps the options allow for this many training windows. */
export function trainingBudget(trainCount: number, options: Pick<ResolvedTrainingOptions, 'batchSize' | 'epochs' | 'steps'>): { batchSize: number; roundSteps: number; maxSteps: number; maxRounds: number } {
  const batchSize = Math.min(options.batchSize, Math.max(1, trainCount));
  const stepsPerPass = Math.max(1, Math.ceil(trainCount / batchSize));
  const maxSteps = Math.max(1, Math.min(options.steps, options.epochs * stepsPerPass));
  const roundSteps = Math.min(Math.max(stepsPerPass, MIN_ROUND_STEPS), ROUND_STEPS, maxSteps);
  return { batchSize, roundSteps, maxSteps, maxRounds: Math.ceil(maxSteps / roundSteps) };
}

function identityOrder(count: number): Uint32Array {
  const order = new Uint32Array(count);
  for (let index = 0; index < count; index++) order[index] = index;
  return order;
}

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Lets signal handlers run every ~50 ms of synchronous work; true when aborted. */
function createYielder(signal: AbortSignal | undefined): () => Promise<boolean> {
  let last = performance.now();
  return async () => {
    if (signal?.aborted) return true;
    if (performance.now() - last > 50) {
      await yieldToEventLoop();
      last = performance.now();
    }
    return signal?.aborted === true;
  };
}

/**
 * Forward-only pass over windows in batches of the workspace's size: calls `each` with the batch
 * and its predictions. Yields to the event loop between batches; returns false when aborted.
 */
export async function forEachPrediction(
  network: Network, workspace: Workspace, data: Pick<TrainData, 'frames' | 'spec'>, refs: WindowRefs, batch: Batch,
  each: (batch: Batch, prediction: Float32Array | Float64Array, start: number) => void, signal?: AbortSignal,
): Promise<boolean> {
  const pause = createYielder(signal);
  for (let start = 0; start < refs.count; start += workspace.batchSize) {
    const count = Math.min(workspace.batchSize, refs.count - start);
    gatherBatch(data.frames, data.spec, refs, null, start, count, batch);
    const prediction = networkForward(network, workspace, batch.inputs, count, { training: false, headInput: batch.headInput });
    each(batch, prediction, start);
    if (await pause()) return false;
  }
  return true;
}

/** Mean loss over all counted validation targets; NaN when nothing counts; null when aborted. */
async function validationLoss(network: Network, workspace: Workspace, data: TrainData, batch: Batch, options: ResolvedTrainingOptions, scratch: Float32Array, signal?: AbortSignal): Promise<number | null> {
  let total = 0;
  let counted = 0;
  const { horizon } = data.spec;
  const finished = await forEachPrediction(network, workspace, data, data.val, batch, (filled, prediction) => {
    let used = 0;
    for (let k = 0; k < filled.count * horizon; k++) used += filled.mask[k]!;
    if (used === 0) return;
    const loss = lossForwardBackward(options.loss, prediction, filled.targets, filled.mask, filled.count * horizon, scratch);
    total += loss * used;
    counted += used;
  }, signal);
  if (!finished) return null;
  return counted === 0 ? Number.NaN : total / counted;
}

/**
 * A new network for this training: PyTorch's init, with the head at zero when there is a baseline,
 * then `headStart` (H, E) in the head's columns for its extra inputs (after the D·H hidden ones).
 */
export function initialNetwork(config: NetworkConfig, seed: number, zeroHead: boolean, headStart: Float32Array | null = null): Network {
  const network = createNetwork(config, { seed, dtype: 'float32' });
  const { headWeight, headBias } = network.layout;
  if (zeroHead) network.params.fill(0, headWeight, headBias + config.horizon);
  const extra = config.headInputs ?? 0;
  if (headStart !== null && extra > 0) {
    const columns = (headBias - headWeight) / config.horizon; // D·H + E
    const hidden = columns - extra;
    for (let h = 0; h < config.horizon; h++) network.params.set(headStart.subarray(h * extra, (h + 1) * extra), headWeight + h * columns + hidden);
  }
  return network;
}

/**
 * Trains one network. `from`: start from these weights instead of a fresh network (`rnncast
 * update`); round 0 then scores them, so weights that training cannot improve are kept as they were.
 */
export async function trainNetwork(data: TrainData, config: NetworkConfig, options: ResolvedTrainingOptions, hooks: TrainHooks = {}, seed = options.seed, from?: Float32Array): Promise<TrainResult> {
  const started = performance.now();
  const { spec, train } = data;
  const network = initialNetwork(config, seed, spec.baseline.kind !== 'none', data.headStart ?? null);
  if (from !== undefined) network.params.set(from);
  // A separate stream for sampling and dropout, so the weights do not depend on them.
  const rng: Rng = createRng((seed ^ 0x5bd1e995) >>> 0);
  const { batchSize, roundSteps, maxSteps, maxRounds } = trainingBudget(train.count, options);
  const workspace = createWorkspace(network, batchSize, spec.lookback);
  const evalWorkspace = createWorkspace(network, Math.max(1, Math.min(EVAL_BATCH, data.val.count)), spec.lookback);
  // Big enough batches are cut into chunks on up to `jobs` threads; the same model for any jobs.
  const parallel = await createDataParallel(network, workspace, { jobs: options.jobs });
  // Forking sequences: the head at every step of the window, each step's own targets.
  const everyStep = options.forking && !config.bidirectional;
  const outputsPerRow = (everyStep ? spec.lookback : 1) * spec.horizon;
  const batch = createBatch(batchSize, spec, everyStep);
  const evalBatch = createBatch(evalWorkspace.batchSize, spec);
  const dPrediction = new Float32Array(batchSize * outputsPerRow);
  const evalScratch = new Float32Array(evalWorkspace.batchSize * spec.horizon);
  const optimizer = createOptimizer({ kind: options.optimizer, lr: options.lr, weightDecay: options.weightDecay }, network);
  const stopping = createEarlyStopping(options.patience, options.minDelta);
  const bestParams = Float32Array.from(network.params);
  const order = identityOrder(train.count);
  const hasValidation = data.val.count > 0;
  const history: EpochRecord[] = [];
  const deadline = options.maxTime === null ? Infinity : started + options.maxTime * 1000;
  const pause = createYielder(hooks.signal);
  let stoppedBy: StoppedBy = 'max-epochs';
  let step = 0;
  let cursor = train.count; // forces a shuffle before the first batch
  let initialLoss = Number.NaN;

  // Round 0: what the untrained network (the baseline) scores; training has to beat it.
  if (hasValidation) {
    const loss = await validationLoss(network, evalWorkspace, data, evalBatch, options, evalScratch, hooks.signal);
    if (loss === null) stoppedBy = 'interrupted';
    else {
      initialLoss = loss;
      observeEpoch(stopping, 0, loss);
    }
  }

  // The worker threads hold views of this network's buffers: let go of them however the loop ends.
  try {
    rounds: for (let round = 1; round <= maxRounds && stoppedBy !== 'interrupted'; round++) {
      let lossSum = 0;
      let lossCount = 0;
      let normSum = 0;
      let steps = 0;
      while (steps < roundSteps && step < maxSteps) {
        if (cursor + batchSize > train.count) {
          shuffleInPlace(order, rng);
          cursor = 0;
        }
        const count = Math.min(batchSize, train.count - cursor);
        const used = gatherBatch(data.frames, spec, train, order, cursor, count, batch);
        cursor += count;
        steps++;
        step++;
        if (used === 0) continue;
        zeroGrads(network);
        const prediction = dataParallelForward(parallel, batch.inputs, count, rng, { headInput: batch.headInput, everyStep });
        const loss = lossForwardBackward(options.loss, prediction, batch.targets, batch.mask, count * outputsPerRow, dPrediction);
        if (!Number.isFinite(loss)) {
          stoppedBy = 'diverged';
          break rounds;
        }
        dataParallelBackward(parallel, dPrediction, count);
        const norm = clipGradNorm(network, options.clipNorm);
        if (options.clipValue !== null) clipGradValue(network, options.clipValue);
        if (!Number.isFinite(norm)) {
          stoppedBy = 'diverged';
          break rounds;
        }
        optimizerStep(optimizer, network);
        lossSum += loss * used;
        lossCount += used;
        normSum += norm;
        if (await pause()) {
          stoppedBy = 'interrupted';
          break rounds;
        }
        if (performance.now() > deadline) break;
      }
      const trainLoss = lossCount === 0 ? Number.NaN : lossSum / lossCount;
      let valLoss: number | null = null;
      if (hasValidation) {
        valLoss = await validationLoss(network, evalWorkspace, data, evalBatch, options, evalScratch, hooks.signal);
        if (valLoss === null) {
          stoppedBy = 'interrupted';
          break;
        }
      }
      // Without validation windows, early stopping watches the training loss.
      const monitored = valLoss ?? trainLoss;
      history.push({ epoch: round, step, trainLoss, valLoss });
      if (!Number.isFinite(trainLoss) || (valLoss !== null && !Number.isFinite(valLoss))) {
        stoppedBy = 'diverged';
        break;
      }
      if (observeEpoch(stopping, round, monitored)) bestParams.set(network.params);
      hooks.onRound?.({
        round,
        rounds: maxRounds,
        step,
        steps: maxSteps,
        trainLoss,
        valLoss,
        bestRound: stopping.bestEpoch,
        bestLoss: stopping.bestLoss,
        gradNorm: steps === 0 ? 0 : normSum / steps,
        seconds: (performance.now() - started) / 1000,
      });
      if (patienceExhausted(stopping)) {
        stoppedBy = 'early-stopping';
        break;
      }
      if (performance.now() > deadline) {
        stoppedBy = 'time-limit';
        break;
      }
    }
  } finally {
    releaseDataParallel(parallel);
    // Arena memory comes back now, not when the collector happens to run: later trainings need it.
    releaseWorkspace(workspace);
    releaseWorkspace(evalWorkspace);
  }
  if (!stopping.hasBest && stoppedBy !== 'interrupted') {
    throw new DivergedError(`training diverged: the loss was not finite before any usable epoch (try a smaller --lr, --clip-norm, or --scale standard)`);
  }
  network.params.set(bestParams);
  return {
    network,
    history,
    bestRound: stopping.bestEpoch,
    bestLoss: stopping.bestLoss,
    initialLoss,
    steps: step,
    stoppedBy,
    seconds: (performance.now() - started) / 1000,
  };
}
