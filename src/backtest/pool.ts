// Runs training tasks in worker threads, at most `jobs` at a time. Results come back in task
// order whatever finishes first, so the schedule never shows in the output. An abort terminates
// every worker at once (training is synchronous inside a worker and cannot be asked to stop).
import { Worker } from 'node:worker_threads';
import { DataError, DivergedError, InterruptedError, OutputError, UsageError, InputError } from '../errors.js';
import type { RnncastError } from '../errors.js';
import type { TrainReply, TrainTask } from './protocol.js';

export type TrainDone = Extract<TrainReply, { ok: true }>;

export interface PoolOptions {
  jobs: number;
  signal?: AbortSignal;
  /** Called as each task finishes, in finishing order (for progress lines). */
  onDone?: (reply: TrainDone) => void;
  /** The compiled worker module; tests may point elsewhere. */
  workerUrl?: URL;
}

const KNOWN: Record<string, new (message: string) => RnncastError> = {
  UsageError,
  DataError,
  InputError,
  OutputError,
  DivergedError,
  InterruptedError,
};

/** A worker's error as the typed error it was, so main maps it to the right exit code. */
function revive(error: { name: string; message: string; stack?: string }): Error {
  const Known = KNOWN[error.name];
  const revived = Known ? new Known(error.message) : new Error(error.message);
  if (error.stack) revived.stack = error.stack;
  return revived;
}

export function defaultWorkerUrl(): URL {
  return new URL('./worker.js', import.meta.url);
}

export async function runInWorkers(tasks: TrainTask[], options: PoolOptions): Promise<TrainDone[]> {
  const { signal } = options;
  if (signal?.aborted) throw new InterruptedError('interrupted before training started');
  if (tasks.length === 0) return [];
  const results: (TrainDone | undefined)[] = new Array(tasks.length);
  const workerCount = Math.max(1, Math.min(options.jobs, tasks.length));
  const workers: Worker[] = [];
  let settled = false;

  return new Promise<TrainDone[]>((resolve, reject) => {
    let next = 0;
    let finished = 0;
    const stopAll = (): void => {
      for (const worker of workers) void worker.terminate();
      signal?.removeEventListener('abort', onAbort);
    };
    const fail = (error: Error): void => {
      if (settled) return;
      settled = true;
      stopAll();
      reject(error);
    };
    const onAbort = (): void => fail(new InterruptedError('interrupted while training the backtest folds; no output written'));
    signal?.addEventListener('abort', onAbort, { once: true });

    // Biggest training first (longest-processing-time order), so the last fold, which has the
    // most data, does not start alone at the end. Replies are still put back by index.
    const size = (task: TrainTask): number => task.train.series.reduce((sum, one) => sum + one.values.length, 0);
    const order = tasks.map((_, index) => index).sort((a, b) => size(tasks[b]!) - size(tasks[a]!) || a - b);
    const feed = (worker: Worker): void => {
      if (next >= tasks.length) return;
      worker.postMessage(tasks[order[next]!]!);
      next++;
    };
    for (let w = 0; w < workerCount; w++) {
      const worker = new Worker(options.workerUrl ?? defaultWorkerUrl());
      workers.push(worker);
      worker.on('message', (reply: TrainReply) => {
        if (settled) return;
        if (!reply.ok) {
          fail(revive(reply.error));
          return;
        }
        results[reply.index] = reply;
        finished++;
        options.onDone?.(reply);
        if (finished === tasks.length) {
          settled = true;
          stopAll();
          resolve(results as TrainDone[]);
          return;
        }
        feed(worker);
      });
      worker.on('error', (error: Error) => fail(error));
      worker.on('exit', (code) => {
        if (!settled) fail(new Error(`a backtest worker exited with code ${code} before finishing its task`));
      });
      feed(worker);
    }
  });
}
