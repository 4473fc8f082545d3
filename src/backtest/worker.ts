// The backtest's worker thread: takes training tasks one at a time and answers each.
import { parentPort } from 'node:worker_threads';
import type { TrainTask } from './protocol.js';
import { runTrainTask } from './train-task.js';

if (!parentPort) throw new Error('src/backtest/worker.ts runs as a worker thread only');
const port = parentPort;
port.on('message', (task: TrainTask) => {
  void runTrainTask(task).then((reply) => port.postMessage(reply));
});
