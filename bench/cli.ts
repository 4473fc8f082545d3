// Suite "cli": the main job end to end, Node's start-up included.
// `train` on AirPassengers with default flags; `forecast -m` on a 10,000-row CSV, against the time
// `python3 -c "import torch"` takes on the same machine (the goal: under half of it).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(import.meta.url), '../../..');
const bin = join(root, 'bin', 'rnncast');

function timeCommand(command: string, args: string[], runs: number): { seconds: number; status: number } {
  let best = Infinity;
  let status = 0;
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    const result = spawnSync(command, args, { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    best = Math.min(best, (performance.now() - started) / 1000);
    status = result.status ?? 1;
    if (status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr}`);
  }
  return { seconds: best, status };
}

/** A daily series of 10,000 rows with a weekly season and noise, deterministic. */
function writeLongCsv(path: string): void {
  const lines = ['date,value'];
  const start = Date.UTC(1990, 0, 1);
  let state = 12345;
  for (let day = 0; day < 10_000; day++) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    const noise = (state / 2 ** 32 - 0.5) * 4;
    const value = 100 + 10 * Math.sin((2 * Math.PI * day) / 7) + day * 0.01 + noise;
    lines.push(`${new Date(start + day * 86_400_000).toISOString().slice(0, 10)},${value.toFixed(3)}`);
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
}

export interface CliResult {
  suite: 'cli';
  name: string;
  seconds: number;
  reference: string | null;
  referenceSeconds: number | null;
}

export async function runCliBench(options: { json: boolean }): Promise<CliResult[]> {
  const temp = mkdtempSync(join(tmpdir(), 'rnncast-bench-'));
  const results: CliResult[] = [];
  try {
    const model = join(temp, 'air.model.json');
    const train = timeCommand(process.execPath, [bin, 'train', 'datasets/air-passengers.csv', '-o', model, '--quiet'], 1);
    results.push({ suite: 'cli', name: 'train air-passengers (defaults)', seconds: train.seconds, reference: null, referenceSeconds: null });

    const longCsv = join(temp, 'daily-10k.csv');
    writeLongCsv(longCsv);
    const dailyModel = join(temp, 'daily.model.json');
    timeCommand(process.execPath, [bin, 'train', longCsv, '-o', dailyModel, '--quiet', '--epochs', '1', '--hidden', '32'], 1);
    const forecast = timeCommand(process.execPath, [bin, 'forecast', longCsv, '-m', dailyModel, '--quiet', '-o', join(temp, 'next.csv')], 5);
    const torch = spawnSync('/usr/bin/python3', ['-c', 'import torch'], { encoding: 'utf8' });
    const torchSeconds = torch.status === 0 ? timeCommand('/usr/bin/python3', ['-c', 'import torch'], 3).seconds : null;
    results.push({ suite: 'cli', name: 'forecast -m on 10,000 rows', seconds: forecast.seconds, reference: 'python3 -c "import torch"', referenceSeconds: torchSeconds });
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
  if (options.json) {
    for (const result of results) console.log(JSON.stringify(result));
  } else {
    for (const result of results) {
      const reference = result.referenceSeconds === null ? '' : `   ${result.reference}: ${result.referenceSeconds.toFixed(3)} s (ratio ${(result.seconds / result.referenceSeconds).toFixed(2)})`;
      console.log(`cli  ${result.name.padEnd(34)} ${result.seconds.toFixed(3)} s${reference}`);
    }
  }
  return results;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  await runCliBench({ json: process.argv.includes('--json') });
}
