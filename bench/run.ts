// npm run bench [-- --json] [--suite engine|ingest|cli|backtest|scale] [--quick] [SUITE ...]
// Runs the suites in turn (`npm run bench -- scale` runs one). The engine table sits side by side
// with PyTorch when Debian's python3-torch is installed (bench/torch_engine.py --serve, same
// configurations, same step), each configuration measured on both sides in turn, in several
// rounds, medians reported. The scale suite's own options are in bench/scale.ts.
import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
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
  singleThreadCpuSamplesPerSec: number;
  inferMs: number;
  threads: number;
}

/** Rounds of the engine suite: the machine is shared, so each side is measured several times, interleaved, and the medians reported. */
const ROUNDS = quick ? 1 : 3;

/** bench/torch_engine.py --serve: one PyTorch measurement per request, or null when torch is not installed. */
async function startTorch(): Promise<{ measure: (cell: string, name: string) => Promise<TorchRow | null>; stop: () => void } | null> {
  const probe = spawnSync('/usr/bin/python3', ['-c', 'import torch'], { encoding: 'utf8' });
  if (probe.status !== 0) return null;
  const child = spawn('/usr/bin/python3', [resolve(root, 'bench/torch_engine.py'), '--serve', ...(quick ? ['--quick'] : [])], { stdio: ['pipe', 'pipe', 'ignore'] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async (): Promise<string | null> => {
    const line = await lines.next();
    return line.done === true ? null : line.value;
  };
  if ((await next()) !== 'ready') {
    process.stderr.write('bench: the PyTorch side did not start\n');
    child.kill();
    return null;
  }
  return {
    measure: async (cell, name) => {
      child.stdin.write(`${cell} ${name}\n`);
      const line = await next();
      const row = line === null ? null : (JSON.parse(line) as TorchRow & { error?: string });
      if (row === null || row.error !== undefined) {
        process.stderr.write(`bench: PyTorch side failed: ${row?.error ?? 'no answer'}\n`);
        return null;
      }
      return row;
    },
    stop: () => {
      child.stdin.end();
    },
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? Number.NaN : sorted[Math.floor(sorted.length / 2)]!;
}

interface Rounds { ours: EngineResult[]; torch: TorchRow[] }

async function engineSuite(): Promise<void> {
  const torch = await startTorch();
  const { kernel } = await benchOne(ENGINE_CONFIGS[0]!, 'gru', 0.05, 0.01); // also warms up the engine
  if (!json) {
    console.log(`\nengine (training samples/s: forward + backward + MSE + clip-norm 1.0 + Adam, float32; kernels: ${kernel})${torch ? '' : ' — PyTorch not installed, no reference column'}`);
    console.log(`medians of ${ROUNDS} interleaved round${ROUNDS > 1 ? 's' : ''}; rnncast/s on 1 thread and on \`thr\` threads (the default, one per core); ratio = rnncast (thr threads) / torch (best of 1 and 2 threads)`);
  }
  const results = new Map<string, Rounds>();
  for (let round = 0; round < ROUNDS; round++) {
    for (const config of ENGINE_CONFIGS) {
      for (const cell of ['lstm', 'gru'] as const) {
        const key = `${config.name} ${cell}`;
        const entry = results.get(key) ?? { ours: [], torch: [] };
        results.set(key, entry);
        const reference = await torch?.measure(cell, config.name);
        if (reference) entry.torch.push(reference);
        entry.ours.push(await benchOne(config, cell, quick ? 0.5 : undefined, quick ? 0.1 : undefined));
        if (!json) process.stderr.write(`  round ${round + 1}/${ROUNDS} ${key}: rnncast ${entry.ours.at(-1)!.samplesPerSec.toFixed(0)}/s, torch ${reference?.samplesPerSec.toFixed(0) ?? '-'}/s\n`);
      }
    }
  }
  torch?.stop();
  if (!json) console.log('config  cell   1 thr/s  thr   rnncast/s   torch/s   ratio   infer ms  torch ms   GFLOP/s');
  const largeRatios: string[] = [], largeCpuRatios: string[] = [];
  for (const config of ENGINE_CONFIGS) {
    for (const cell of ['lstm', 'gru'] as const) {
      const { ours, torch: theirs } = results.get(`${config.name} ${cell}`)!;
      const one = median(ours.map((r) => r.singleThreadSamplesPerSec)), all = median(ours.map((r) => r.samplesPerSec));
      const torchRate = theirs.length > 0 ? median(theirs.map((r) => r.samplesPerSec)) : null;
      const ratio = torchRate === null ? null : all / torchRate;
      const inferMs = median(ours.map((r) => r.inferMs)), torchInfer = theirs.length > 0 ? median(theirs.map((r) => r.inferMs)) : null;
      const gflops = median(ours.map((r) => r.gflops));
      const perCpu = median(ours.map((r) => r.singleThreadCpuSamplesPerSec));
      const torchPerCpu = theirs.length > 0 ? median(theirs.map((r) => r.singleThreadCpuSamplesPerSec)) : null;
      if (config.name === 'large' && ratio !== null) largeRatios.push(`${cell} ${ratio.toFixed(2)}`);
      if (config.name === 'large' && torchPerCpu !== null) {
        largeCpuRatios.push(`${cell} ${perCpu.toFixed(0)} vs ${torchPerCpu.toFixed(0)} (${(perCpu / torchPerCpu).toFixed(2)})`);
      }
      if (json) {
        console.log(JSON.stringify({
          ...ours[0]!, singleThreadSamplesPerSec: one, singleThreadCpuSamplesPerSec: perCpu, samplesPerSec: all, inferMs, gflops, rounds: ours.length,
          torchSamplesPerSec: torchRate, torchSingleThreadCpuSamplesPerSec: torchPerCpu, torchInferMs: torchInfer, torchThreads: theirs.map((r) => r.threads), ratio,
        }));
      } else {
        console.log(
          `${config.name.padEnd(7)} ${cell.padEnd(5)} ${one.toFixed(0).padStart(8)} ${String(ours[0]!.threads).padStart(4)} ${all.toFixed(0).padStart(11)} ${(torchRate?.toFixed(0) ?? '-').padStart(9)} ${(ratio?.toFixed(2) ?? '-').padStart(7)} ${inferMs.toFixed(3).padStart(10)} ${(torchInfer?.toFixed(3) ?? '-').padStart(9)} ${gflops.toFixed(2).padStart(9)}`,
        );
      }
    }
  }
  if (!json && largeRatios.length > 0) {
    console.log(`large configuration, rnncast / PyTorch: ${largeRatios.join(', ')}`);
    console.log(`large, samples per CPU-second on one thread (a busy machine disturbs this least), rnncast vs PyTorch: ${largeCpuRatios.join(', ')}`);
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
