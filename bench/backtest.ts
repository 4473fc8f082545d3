// Suite "backtest": the speed-up of training the folds in worker threads. A 3-fold backtest of
// AirPassengers with the default model flags (epochs capped so the bench stays short), spawned
// as the binary at --jobs 1 and --jobs 2; the outputs must be byte-identical, else the bench fails.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(import.meta.url), '../../..');
const bin = join(root, 'bin', 'rnncast');

export interface BacktestBenchResult {
  suite: 'backtest';
  name: string;
  seconds: number;
  jobs: number;
  /** seconds at --jobs 1 / seconds at this --jobs. */
  speedup: number;
}

const EPOCHS = 50;

function timeBacktest(jobs: number, out: string): number {
  const args = [bin, 'backtest', 'datasets/air-passengers.csv', '--folds', '3', '--epochs', String(EPOCHS), '--jobs', String(jobs), '--quiet', '-o', `${out}.csv`, '--metrics-out', `${out}.json`];
  const started = performance.now();
  const result = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  const seconds = (performance.now() - started) / 1000;
  if (result.status !== 0) throw new Error(`rnncast backtest --jobs ${jobs} failed (exit ${result.status}): ${result.stderr}`);
  return seconds;
}

export async function runBacktestBench(options: { json: boolean }): Promise<BacktestBenchResult[]> {
  const temp = mkdtempSync(join(tmpdir(), 'rnncast-bench-'));
  const results: BacktestBenchResult[] = [];
  try {
    // Best of two, interleaved, so a busy moment on a shared machine does not decide the ratio.
    let one = Infinity;
    let two = Infinity;
    for (let run = 0; run < 2; run++) {
      one = Math.min(one, timeBacktest(1, join(temp, 'jobs1')));
      two = Math.min(two, timeBacktest(2, join(temp, 'jobs2')));
    }
    for (const ext of ['csv', 'json']) {
      if (readFileSync(join(temp, `jobs1.${ext}`), 'utf8') !== readFileSync(join(temp, `jobs2.${ext}`), 'utf8')) {
        throw new Error(`backtest bench: --jobs 1 and --jobs 2 wrote different ${ext} files`);
      }
    }
    const name = `air-passengers 3 folds, --epochs ${EPOCHS}`;
    results.push({ suite: 'backtest', name, seconds: one, jobs: 1, speedup: 1 });
    results.push({ suite: 'backtest', name, seconds: two, jobs: 2, speedup: one / two });
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
  if (options.json) {
    for (const result of results) console.log(JSON.stringify(result));
  } else {
    for (const result of results) {
      console.log(`backtest  ${result.name.padEnd(36)} --jobs ${result.jobs}  ${result.seconds.toFixed(2)} s  speed-up ${result.speedup.toFixed(2)}×`);
    }
  }
  return results;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  await runBacktestBench({ json: process.argv.includes('--json') });
}
