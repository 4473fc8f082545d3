// Training the ensemble's members: in this thread (a backtest fold, already in a worker), or in
// worker threads (train, forecast), so that a signal is answered within a bounded time whatever
// the network's size: the main thread sets a shared flag that the members read between steps,
// and terminates them if they do not answer in time. Members get the same seeds either way, and
// data-parallel chunking does not depend on threads, so the models are the same bits.
import { Worker } from 'node:worker_threads';
import { DataError, DivergedError, InputError, InterruptedError, OutputError, UsageError } from '../errors.js';
import type { RnncastError } from '../errors.js';
import { allocateNetwork, type Network, type NetworkConfig } from '../nn/network.js';
import { memberSpec } from '../data/prepare.js';
import { trainNetwork, type RoundEvent, type TrainData, type TrainHooks, type TrainResult } from './loop.js';
import type { ResolvedTrainingOptions } from './options.js';

/** How long members may take to stop after an abort before they are terminated, unsaved. */
export const STOP_GRACE_MS = 1500;

export interface MemberTask {
  member: number;
  seed: number;
  data: TrainData;
  config: NetworkConfig;
  options: ResolvedTrainingOptions;
  /** SharedArrayBuffer of one Int32: non-zero = stop, keeping the best weights. */
  abort: SharedArrayBuffer;
  progress: boolean;
  /** The member's starting weights (`rnncast update`); undefined: a fresh network. */
  from?: Float32Array;
}

export type MemberReply =
  | { type: 'round'; member: number; event: unknown }
  | { type: 'done'; member: number; params: Float32Array; result: Omit<TrainResult, 'network'> }
  | { type: 'error'; member: number; error: { name: string; message: string; stack?: string } };

/** What member k trains on: the data, with the baseline it corrects (memberSpec). */
function memberData(data: TrainData, member: number): TrainData {
  return data.spec.memberBaselines === undefined ? data : { ...data, spec: memberSpec(data.spec, member) };
}

/** The seed of member k: the first member uses --seed itself. */
export function memberSeed(seed: number, member: number): number {
  return (seed + member * 0x9e3779b1) >>> 0;
}

const KNOWN: Record<string, new (message: string) => RnncastError> = { UsageError, DataError, InputError, OutputError, DivergedError, InterruptedError };

function revive(error: { name: string; message: string; stack?: string }): Error {
  const Known = KNOWN[error.name];
  const revived = Known ? new Known(error.message) : new Error(error.message);
  if (error.stack) revived.stack = error.stack;
  return revived;
}

export interface MemberHooks extends TrainHooks {
  /** Train in worker threads (the main thread keeps answering signals). */
  workers: boolean;
}

/**
 * Trains options.ensemble members; results in member order. `from`: each member's starting
 * weights (`rnncast update`: one per member), else every member starts from a fresh network.
 */
export async function trainMembers(data: TrainData, config: NetworkConfig, options: ResolvedTrainingOptions, hooks: MemberHooks, from?: readonly Float32Array[]): Promise<TrainResult[]> {
  const count = options.ensemble;
  if (from !== undefined && from.length !== count) throw new Error(`trainMembers: ${from.length} starting weights for ${count} members`);
  if (!hooks.workers) {
    const results: TrainResult[] = [];
    for (let member = 0; member < count; member++) {
      const result = await trainNetwork(memberData(data, member), config, options, { signal: hooks.signal, onRound: member === 0 ? hooks.onRound : undefined }, memberSeed(options.seed, member), from?.[member]);
      results.push(result);
      if (result.stoppedBy === 'interrupted') break;
    }
    return results;
  }
  // Members side by side, the threads shared among them: each member's batches use what is left.
  const parallel = Math.max(1, Math.min(count, options.jobs));
  const memberOptions = { ...options, jobs: Math.max(1, Math.floor(options.jobs / parallel)) };
  return runInWorkers(data, config, memberOptions, count, parallel, hooks, from);
}

function runInWorkers(data: TrainData, config: NetworkConfig, options: ResolvedTrainingOptions, count: number, parallel: number, hooks: TrainHooks, from: readonly Float32Array[] | undefined): Promise<TrainResult[]> {
  const abort = new SharedArrayBuffer(4);
  const flag = new Int32Array(abort);
  const results: (TrainResult | undefined)[] = new Array(count);
  const workers: Worker[] = [];
  let next = 0; // the next member to hand out
  let started = 0;
  let finished = 0;
  let settled = false;
  let graceTimer: NodeJS.Timeout | undefined;
  return new Promise<TrainResult[]>((resolve, reject) => {
    const cleanUp = (): void => {
      if (graceTimer !== undefined) clearTimeout(graceTimer);
      hooks.signal?.removeEventListener('abort', onAbort);
      for (const worker of workers) void worker.terminate();
    };
    const fail = (error: Error): void => {
      if (settled) return;
      settled = true;
      cleanUp();
      reject(error);
    };
    const succeed = (): void => {
      if (settled) return;
      settled = true;
      cleanUp();
      resolve(results.filter((result): result is TrainResult => result !== undefined));
    };
    const onAbort = (): void => {
      Atomics.store(flag, 0, 1);
      next = count; // no new members
      // Members answer between steps with their best weights; one stuck in a long step is cut off.
      graceTimer = setTimeout(() => fail(new InterruptedError('interrupted; training did not stop in time, nothing saved')), STOP_GRACE_MS);
    };
    if (hooks.signal?.aborted) onAbort();
    else hooks.signal?.addEventListener('abort', onAbort, { once: true });
    const feed = (worker: Worker): void => {
      if (next >= count) return;
      const member = next++;
      started++;
      const task: MemberTask = { member, seed: memberSeed(options.seed, member), data: memberData(data, member), config, options, abort, progress: member === 0 && hooks.onRound !== undefined, from: from?.[member] };
      worker.postMessage(task);
    };
    for (let w = 0; w < parallel; w++) {
      const worker = new Worker(new URL('./member-worker.js', import.meta.url));
      workers.push(worker);
      worker.on('message', (reply: MemberReply) => {
        if (settled) return;
        if (reply.type === 'round') {
          hooks.onRound?.(reply.event as RoundEvent);
          return;
        }
        if (reply.type === 'error') {
          fail(revive(reply.error));
          return;
        }
        const network: Network = allocateNetwork(config, 'float32');
        network.params.set(reply.params);
        results[reply.member] = { network, ...reply.result };
        finished++;
        feed(worker);
        if (finished === started) succeed();
      });
      worker.on('error', (error: Error) => fail(error));
      worker.on('exit', (code) => {
        if (!settled) fail(new Error(`a training worker exited with code ${code} before finishing`));
      });
      feed(worker);
    }
  });
}
