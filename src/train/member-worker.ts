// A worker thread that trains ensemble members: the main thread stays free to answer signals at
// once, however long one step of a big network takes, and members train side by side.
import { parentPort } from 'node:worker_threads';
import { trainNetwork } from './loop.js';
import type { MemberReply, MemberTask } from './members.js';

if (!parentPort) throw new Error('src/train/member-worker.ts runs as a worker thread only');
const port = parentPort;
port.on('message', (task: MemberTask) => {
  const flag = new Int32Array(task.abort);
  // The loop asks `aborted` between steps and validation batches: a shared flag the main thread sets.
  const signal = { get aborted(): boolean { return Atomics.load(flag, 0) !== 0; } };
  const onRound = task.progress ? (event: unknown): void => port.postMessage({ type: 'round', member: task.member, event } satisfies MemberReply) : undefined;
  trainNetwork(task.data, task.config, task.options, { signal: signal as AbortSignal, onRound }, task.seed, task.from)
    .then((result) => {
      const { network, ...rest } = result;
      port.postMessage({ type: 'done', member: task.member, params: Float32Array.from(network.params), result: rest } satisfies MemberReply);
    })
    .catch((error: unknown) => {
      const failure = error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : { name: 'Error', message: String(error) };
      port.postMessage({ type: 'error', member: task.member, error: failure } satisfies MemberReply);
    });
});
