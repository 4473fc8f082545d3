// Suite "ingest": a generated 1,000,000-row CSV (an hourly time + 3 numeric columns) loaded from a
// file and from standard input (a real pipe), each in its own child process so that its peak RSS
// is its own; and pandas.read_csv(path, parse_dates=[0]) on the same file when pandas is installed.
// Times are the load alone (no process start-up or imports), on both sides.
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadDataset } from '../src/data/load.js';

const ROWS = 1_000_000;
const self = fileURLToPath(import.meta.url);

export interface IngestResult {
  suite: 'ingest';
  name: string;
  rows: number;
  seconds: number;
  rowsPerSec: number;
  peakMB: number;
  pandasRowsPerSec: number | null;
  /** rnncast rows/s over pandas rows/s (> 1: faster than pandas). */
  ratioToPandas: number | null;
}

/** 'time,a,b,c' with hourly ISO times from 2000-01-01 and values with three decimals, deterministic. */
async function writeCsv(path: string, rows: number): Promise<void> {
  const out = createWriteStream(path);
  const start = Date.UTC(2000, 0, 1);
  let state = 2024;
  const random = (): number => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 2 ** 32;
  };
  let block: string[] = ['time,a,b,c'];
  for (let row = 0; row < rows; row++) {
    const time = new Date(start + row * 3_600_000).toISOString().slice(0, 19);
    const a = (100 + 10 * Math.sin(row / 24) + random()).toFixed(3);
    const b = (random() * 1000 - 500).toFixed(3);
    const c = (row % 1000 + random()).toFixed(2);
    block.push(`${time},${a},${b},${c}`);
    if (block.length === 10_000) {
      if (!out.write(`${block.join('\n')}\n`)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
      block = [];
    }
  }
  out.end(block.length > 0 ? `${block.join('\n')}\n` : '');
  await new Promise<void>((resolve) => out.on('finish', () => resolve()));
}

/** In the child: load, then print seconds and peak RSS as JSON. */
async function child(input: string): Promise<void> {
  const started = performance.now();
  // Every column typed and used: the target and two features.
  const dataset = await loadDataset({ input, fill: 'interpolate', target: 'a', features: ['b', 'c'] });
  const seconds = (performance.now() - started) / 1000;
  const rows = dataset.series.reduce((sum, series) => sum + series.values.length, 0);
  process.stdout.write(`${JSON.stringify({ seconds, rows, peakMB: process.resourceUsage().maxRSS / 1024 })}\n`);
}

function runChild(command: string, args: string[]): { seconds: number; rows: number; peakMB: number } {
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').pop()!) as { seconds: number; rows: number; peakMB: number };
}

const PANDAS = `
import json, resource, sys, time
import pandas
started = time.perf_counter()
frame = pandas.read_csv(sys.argv[1], parse_dates=[0])
seconds = time.perf_counter() - started
print(json.dumps({"seconds": seconds, "rows": len(frame), "peakMB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
`;

function hasPandas(): boolean {
  return spawnSync('/usr/bin/python3', ['-c', 'import pandas'], { stdio: 'ignore' }).status === 0;
}

export async function runIngestBench(options: { json: boolean }): Promise<IngestResult[]> {
  const folder = mkdtempSync(join(tmpdir(), 'rnncast-ingest-'));
  const path = join(folder, 'ingest.csv');
  const log = (line: string): void => {
    if (!options.json) process.stderr.write(`${line}\n`);
  };
  try {
    log(`ingest: writing ${ROWS.toLocaleString('en')} rows to ${path}`);
    await writeCsv(path, ROWS);
    const runs: { name: string; seconds: number; rows: number; peakMB: number }[] = [];
    runs.push({ name: 'file', ...runChild(process.execPath, [self, '--child', path]) });
    // A real pipe, as in `cat data.csv | rnncast inspect -`.
    const quote = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`;
    runs.push({ name: 'stdin', ...runChild('/bin/sh', ['-c', `cat ${quote(path)} | ${quote(process.execPath)} ${quote(self)} --child -`]) });
    let pandas: { seconds: number; rows: number; peakMB: number } | null = null;
    if (hasPandas()) {
      pandas = runChild('/usr/bin/python3', ['-c', PANDAS, path]);
      runs.push({ name: 'pandas read_csv parse_dates', ...pandas });
    } else {
      log('ingest: pandas is not installed (apt-get install python3-pandas): no comparison');
    }
    const pandasRowsPerSec = pandas === null ? null : pandas.rows / pandas.seconds;
    const results: IngestResult[] = runs.map((run) => {
      const rowsPerSec = run.rows / run.seconds;
      return {
        suite: 'ingest', name: run.name, rows: run.rows, seconds: Number(run.seconds.toFixed(3)),
        rowsPerSec: Math.round(rowsPerSec), peakMB: Math.round(run.peakMB), pandasRowsPerSec: pandasRowsPerSec === null ? null : Math.round(pandasRowsPerSec),
        ratioToPandas: pandasRowsPerSec === null ? null : Number((rowsPerSec / pandasRowsPerSec).toFixed(2)),
      };
    });
    for (const result of results) {
      if (options.json) {
        process.stdout.write(`${JSON.stringify(result)}\n`);
      } else {
        const ratio = result.ratioToPandas === null ? '' : `, ${result.ratioToPandas}× pandas`;
        process.stdout.write(
          `ingest ${result.name}: ${result.rows} rows in ${result.seconds} s = ${result.rowsPerSec.toLocaleString('en')} rows/s, peak ${result.peakMB} MB${ratio}\n`,
        );
      }
    }
    return results;
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const childAt = process.argv.indexOf('--child');
  if (childAt >= 0) await child(process.argv[childAt + 1]!);
  else await runIngestBench({ json: process.argv.includes('--json') });
}
