// The chunk workers of this process (worker.ts): started on first need, kept for
// later trainers, unref'd so they never keep the process alive. Commands go through each
// worker's control block (chunk.ts) with Atomics: a round trip costs some
// microseconds, where a postMessage per batch would cost far more than a small batch's work.
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { CONTROL, COMMAND } from './chunk.js';

export interface ChunkWorker {
  worker: Worker;
  control: Int32Array; // (CONTROL.LENGTH) on a SharedArrayBuffer
  port: MessagePort; // setup messages out, error reports back; read synchronously
  seq: number; // commands issued
}

const pool: ChunkWorker[] = [];
let starting: Promise<void> | null = null;

function startWorker(): Promise<ChunkWorker> {
  const control = new Int32Array(new SharedArrayBuffer(CONTROL.LENGTH * 4));
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(new URL('./worker.js', import.meta.url), { workerData: { control, port: port2 }, transferList: [port2] });
  return new Promise((resolve, reject) => {
    const failed = (error: Error): void => {
      void worker.terminate();
      reject(error);
    };
    worker.once('error', failed);
    worker.once('exit', (code) => failed(new Error(`chunk worker exited with code ${code} while starting`)));
    worker.once('message', () => {
      worker.removeAllListeners('error');
      worker.removeAllListeners('exit');
      worker.on('error', () => { /* reported through the control block, or the worker is gone */ });
      worker.unref();
      resolve({ worker, control, port: port1, seq: 0 });
    });
  });
}

/** At least `count` workers, or fewer when they cannot start (the caller then runs more chunks itself). */
export async function ensureWorkers(count: number): Promise<ChunkWorker[]> {
  while (starting !== null) await starting;
  if (pool.length < count) {
    starting = (async () => {
      const started = await Promise.allSettled(Array.from({ length: count - pool.length }, startWorker));
      for (const result of started) if (result.status === 'fulfilled') pool.push(result.value);
    })();
    await starting;
    starting = null;
  }
  return pool.slice(0, count);
}

/** Issues a command; the arguments are already in the control block. */
export function issue(w: ChunkWorker, command: number): void {
  w.control[CONTROL.COMMAND] = command;
  w.seq++;
  Atomics.store(w.control, CONTROL.SEQ, w.seq);
  Atomics.notify(w.control, CONTROL.SEQ);
}

/** Polls before sleeping (about 0.1 ms), as the worker does: the chunks usually finish together. */
const SPIN = 20_000;

/** Blocks until the worker has finished its last command; throws the worker's error. */
export function awaitWorker(w: ChunkWorker): void {
  for (let spin = 0; spin < SPIN && Atomics.load(w.control, CONTROL.DONE) !== w.seq; spin++);
  for (let done = Atomics.load(w.control, CONTROL.DONE); done !== w.seq; done = Atomics.load(w.control, CONTROL.DONE)) {
    Atomics.wait(w.control, CONTROL.DONE, done);
  }
  if (w.control[CONTROL.STATUS] !== 0) {
    const report = receiveMessageOnPort(w.port) as { message: { name: string; message: string; stack?: string } } | undefined;
    const error = new Error(`chunk worker: ${report?.message.message ?? 'failed'}`);
    if (report?.message.stack !== undefined) error.stack = report.message.stack;
    throw error;
  }
}

/** Sends a setup message and waits until the worker has read it. */
export function setupWorker(w: ChunkWorker, message: unknown): void {
  w.port.postMessage(message);
  issue(w, COMMAND.SETUP);
  awaitWorker(w);
}

/** Stops every worker (tests; the process exits without it). */
export async function shutdownWorkers(): Promise<void> {
  while (starting !== null) await starting;
  const all = pool.splice(0, pool.length);
  for (const w of all) issue(w, COMMAND.QUIT);
  await Promise.all(all.map(async (w) => {
    await w.worker.terminate();
    w.port.close();
  }));
}
