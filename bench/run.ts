// npm run bench [-- --json] [--suite engine|ingest|cli|backtest|scale] [--quick] [SUITE ...]
// Runs the suites in turn (`npm run bench -- scale` runs one). The engine table sits side by side
// with PyTorch when Debian's python3-torch is installed (bench/torch_engine.py, same
// configurations, same step). The scale suite's own options are in bench/scale.ts.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ENGINE_CONFIGS, benchOne } from './engine.js';
import type { EngineResult } from './engine.js';
import { SCALE_VALUE_FLAGS } from './scale.js';

const root = resolve(fileURLToPath(import.meta.url), '../../..');
const args = process.argv.slice(2);
const json = args.includes('--json');
const quick = args.includes('--quick');
const SUITES = ['ingest', 'engine', 'cli', 'backtest', 'scale'];
const valueFlags = new Set(['--suite', ...SCALE_VALUE_FLAGS]);
const suiteAt = args.indexOf('--suite');
const only = [
  ...(suiteAt >= 0 ? args[suiteAt + 1]?.split(',') ?? [] : []),
  ...args.filter((arg, index) => SUITES.includes(arg) && !valueFlags.has(args[index - 1] ?? '')),
];
const wanted = (suite: string): boolean => only.length === 0 || only.includes(suite);

interface TorchRow {
  name: string;
  cell: string;
  samplesPerSec: number;
  inferMs: number;
  threads: number;
}

function torchEngine(): TorchRow[] | null {
  const probe = spawnSync('/usr/bin/python3', ['-c', 'import torch'], { encoding: 'utf8' });
  if (probe.status !== 0) return null;
  const run = spawnSync('/usr/bin/python3', [resolve(root, 'bench/torch_engine.py'), ...(quick ? ['--quick'] : [])], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (run.status !== 0) {
    process.stderr.write(`bench: PyTorch side failed: ${run.stderr.split('\n').slice(-3).join(' ')}\n`);
    return null;
  }
  return run.stdout.trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as TorchRow);
}

async function engineSuite(): Promise<void> {
  const torch = torchEngine();
  if (!json) {
    console.log(`\nengine (training samples/s: forward + backward + MSE + clip-norm 1.0 + Adam, float32)${torch ? '' : ' — PyTorch not installed, no reference column'}`);
    console.log('rnncast/s on 1 thread and on `thr` threads (the default, one per core); ratio = rnncast (thr threads) / torch (best of 1 and 2 threads)');
    console.log('config  cell   1 thr/s  thr   rnncast/s   torch/s   ratio   infer ms  torch ms   GFLOP/s');
  }
  for (const config of ENGINE_CONFIGS) {
    for (const cell of ['lstm', 'gru'] as const) {
      const result: EngineResult = await benchOne(config, cell, quick ? 0.5 : undefined, quick ? 0.1 : undefined);
      const reference = torch?.find((row) => row.name === config.name && row.cell === cell);
      result.torchSamplesPerSec = reference?.samplesPerSec ?? null;
      if (json) {
        console.log(JSON.stringify({ ...result, torchInferMs: reference?.inferMs ?? null, torchThreads: reference?.threads ?? null }));
      } else {
        const ratio = reference ? (result.samplesPerSec / reference.samplesPerSec).toFixed(2) : '-';
        console.log(
          `${config.name.padEnd(7)} ${cell.padEnd(5)} ${result.singleThreadSamplesPerSec.toFixed(0).padStart(8)} ${String(result.threads).padStart(4)} ${result.samplesPerSec.toFixed(0).padStart(11)} ${(reference?.samplesPerSec.toFixed(0) ?? '-').padStart(9)} ${ratio.padStart(7)} ${result.inferMs.toFixed(3).padStart(10)} ${(reference?.inferMs.toFixed(3) ?? '-').padStart(9)} ${result.gflops.toFixed(2).padStart(9)}`,
        );
      }
    }
  }
}

if (wanted('ingest')) {
  if (!json) console.log('\ningest');
  const { runIngestBench } = await import('./ingest.js');
  await runIngestBench({ json });
}
if (wanted('engine')) {
  await engineSuite();
  const { shutdownWorkers } = await import('../src/nn/parallel/pool.js');
  await shutdownWorkers();
}
if (wanted('cli')) {
  if (!json) console.log('\ncli');
  const { runCliBench } = await import('./cli.js');
  await runCliBench({ json });
}
if (wanted('backtest')) {
  if (!json) console.log('\nbacktest');
  const { runBacktestBench } = await import('./backtest.js');
  await runBacktestBench({ json });
}
if (wanted('scale')) {
  if (!json) console.log('\nscale (long: every run with default flags, and again with the previous approach; `npm run bench -- --suite engine,cli` leaves it out)');
  const { runScaleBench, scaleOptionsFrom } = await import('./scale.js');
  await runScaleBench(scaleOptionsFrom(args));
}
