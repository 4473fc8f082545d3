// A chunk worker of data-parallel.ts. It sleeps in Atomics.wait on its control block, runs the
// chunks the main thread hands it (forward or backward) on views of the main thread's memory, and
// reports back through the same block. Setup arrives as a message read synchronously from its
// port, so the worker never needs its event loop while a trainer is alive.
import { receiveMessageOnPort, workerData, parentPort, type MessagePort } from 'node:worker_threads';
import { attachMemory, type KernelVariant } from '../wasm.js';
import { CONTROL, COMMAND, takeChunks, type ChunkSet } from './chunk.js';
import { chunkBounds, rebuildShared } from './share.js';

interface SetupMessage {
  trainer: number;
  memory: object | null; // the main thread's WebAssembly.Memory when its kernels run
  variant: KernelVariant; // the build of the kernels the main thread runs
  set: unknown; // a described ChunkSet
}

/** Polls before sleeping (about 0.1 ms): wakes from Atomics.wait cost tens of microseconds. */
const SPIN = 20_000;
const { control, port } = workerData as { control: Int32Array; port: MessagePort };
const sets = new Map<number, ChunkSet>();
let attached: KernelVariant | null = null;

function setup(): void {
  let message: { message: SetupMessage } | undefined;
  // postMessage queues before the main thread bumps SEQ, so the message is already there.
  for (let tries = 0; (message = receiveMessageOnPort(port) as { message: SetupMessage } | undefined) === undefined; tries++) {
    if (tries > 1000) throw new Error('chunk worker: setup message missing');
    Atomics.wait(control, CONTROL.LENGTH - 1, 0, 1);
  }
  const { trainer, memory, variant, set } = message.message;
  if (memory !== null && attached !== variant) {
    if (!attachMemory(memory, variant)) throw new Error(`chunk worker: the WebAssembly kernels (${variant}) failed to load`);
    attached = variant;
  }
  sets.set(trainer, rebuildShared(set) as ChunkSet);
}

function run(command: number): void {
  if (command === COMMAND.SETUP) return setup();
  const trainer = control[CONTROL.TRAINER]!;
  if (command === COMMAND.RELEASE) {
    sets.delete(trainer);
    return;
  }
  const set = sets.get(trainer);
  if (set === undefined) throw new Error(`chunk worker: no trainer ${trainer}`);
  const count = control[CONTROL.COUNT]!, chunks = control[CONTROL.CHUNKS]!;
  takeChunks(set, command, chunkBounds(count, chunks), count, control[CONTROL.DROPOUT] === 1, control[CONTROL.EVERY_STEP] === 1);
}

parentPort!.postMessage('ready');
let seen = 0;
for (;;) {
  // A short spin first: the next command often follows within microseconds (backward after
  // forward, the next batch after the optimizer step), sooner than a sleeping thread wakes.
  for (let spin = 0; spin < SPIN && Atomics.load(control, CONTROL.SEQ) === seen; spin++);
  Atomics.wait(control, CONTROL.SEQ, seen);
  const seq = Atomics.load(control, CONTROL.SEQ);
  if (seq === seen) continue;
  seen = seq;
  const command = control[CONTROL.COMMAND]!;
  if (command === COMMAND.QUIT) break;
  try {
    run(command);
    control[CONTROL.STATUS] = 0;
  } catch (error: unknown) {
    const failure = error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : { name: 'Error', message: String(error) };
    port.postMessage(failure);
    control[CONTROL.STATUS] = 1;
  }
  Atomics.store(control, CONTROL.DONE, seq);
  Atomics.notify(control, CONTROL.DONE);
}
Atomics.store(control, CONTROL.DONE, seen);
Atomics.notify(control, CONTROL.DONE);
port.close();
