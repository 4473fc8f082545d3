// Suite "scale" (npm run bench -- scale): the speed goals of real use, each a spawned `rnncast`
// with default flags, timed (wall seconds) and measured (peak resident memory, worker threads
// included), side by side with the previous approach (full-epoch training):
// - forecast and backtest (3 folds) of every single-series dataset of ../shared/bench-suite, with
//   the row's --horizon, --target, --features (and --season, --folds 3 for backtest only);
// - forecast of a generated panel of 400 hourly series of about 1,000 points;
// - forecast of a generated panel of 10,000 monthly series of 100–300 points, whole and --shard 1/4.
// Every run is stopped at --cap-factor × its goal, so the bench ends even where a goal is missed.
// Options (after `npm run bench --`): --only REGEX (scenario names), --previous-flags "FLAGS"
// (default "--steps 100000000"), --no-previous, --cap-factor F (default 2), --suite-dir DIR,
// --keep (keep the generated data), --json (one JSON object per row).
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { writeHourlyPanel, writeMonthlyPanel } from './scale-data.js';

const root = resolve(fileURLToPath(import.meta.url), '../../..');
const bin = join(root, 'bin', 'rnncast');
const peakHook = pathToFileURL(resolve(fileURLToPath(import.meta.url), '../peak-rss.js')).href;

/** Full-epoch training, as before the step budget: a step budget no run reaches. */
export const DEFAULT_PREVIOUS_FLAGS = ['--steps', '100000000'];

export interface ScaleOptions {
  json: boolean;
  /** Only scenarios whose name matches. */
  only?: RegExp;
  /** Flags that turn the current build into the previous approach; null: no comparison. */
  previousFlags: string[] | null;
  /** Each run is stopped at this many times its goal. */
  capFactor: number;
  /** The shared benchmark suite (suite.tsv and data/). */
  suiteDir: string;
  keep: boolean;
}

type Command = 'forecast' | 'backtest';

interface Goal {
  seconds: number;
  memoryMiB?: number;
  /** --shard 1/4: at most this share of the named scenario's time ("about a quarter"). */
  shareOf?: { scenario: string; share: number };
}

interface Scenario {
  name: string;
  group: 'suite forecast' | 'suite backtest' | 'panel';
  command: Command;
  /** Input path, or a panel generated on first use. */
  input: string | (() => Promise<string>);
  args: string[];
  goal: Goal;
}

export interface Measured {
  status: 'ok' | 'timeout' | 'failed';
  exitCode: number | null;
  seconds: number;
  peakMiB: number | null;
  /** The run was killed before it could report: peakMiB is the high-water mark last seen in /proc. */
  peakSeenOnly?: boolean;
  /** Backtests: overall.model.mase of the metrics document. */
  mase: number | null;
  /** The last line rnncast wrote on standard error, when it failed. */
  why?: string;
}

export interface ScaleRow {
  suite: 'scale';
  name: string;
  goal: string;
  now: Measured;
  /** null: no comparison asked, or this build lacks the previous approach's flags. */
  previous: Measured | null;
  verdict: string;
}

const GOALS = {
  suiteForecast: { seconds: 30 },
  suiteBacktest: { seconds: 90 },
  hourlyPanel: { seconds: 180, memoryMiB: 1024 },
  monthlyPanel: { seconds: 600, memoryMiB: 2048 },
} satisfies Record<string, Goal>;

const MONTHLY = 'forecast panel 10k monthly';

function describeGoal(goal: Goal): string {
  if (goal.shareOf) return `≈ ${goal.shareOf.share} × whole`;
  const memory = goal.memoryMiB === undefined ? '' : `, ≤ ${goal.memoryMiB / 1024} GiB`;
  return `≤ ${goal.seconds} s${memory}`;
}

interface SuiteRow {
  name: string;
  file: string;
  horizon: string;
  season: string;
  flags: string[];
}

/** The rows of suite.tsv that hold one series (no --id). */
export function singleSeriesRows(suiteDir: string): SuiteRow[] {
  const text = readFileSync(join(suiteDir, 'suite.tsv'), 'utf8');
  return text
    .split('\n')
    .map((line) => line.split('\t'))
    .filter(([name]) => name !== undefined && name !== '' && name !== 'name' && !name.startsWith('#'))
    .map(([name, file, horizon, season, flags]) => ({ name: name!, file: join(suiteDir, file!), horizon: horizon!, season: season!, flags: (flags ?? '').split(/\s+/).filter(Boolean) }))
    .filter((row) => !row.flags.includes('--id'));
}

function scenarios(options: ScaleOptions, temp: string): Scenario[] {
  const list: Scenario[] = [];
  if (existsSync(join(options.suiteDir, 'suite.tsv'))) {
    for (const row of singleSeriesRows(options.suiteDir)) {
      list.push({ name: `forecast ${row.name}`, group: 'suite forecast', command: 'forecast', input: row.file, args: ['--horizon', row.horizon, ...row.flags], goal: GOALS.suiteForecast });
      list.push({
        name: `backtest ${row.name}`, group: 'suite backtest', command: 'backtest', input: row.file,
        args: ['--horizon', row.horizon, '--season', row.season, '--folds', '3', ...row.flags], goal: GOALS.suiteBacktest,
      });
    }
  } else if (!options.json) {
    console.log(`scale: no ${join(options.suiteDir, 'suite.tsv')}: the suite rows are left out (--suite-dir DIR)`);
  }
  let hourly: Promise<string> | undefined;
  let monthly: Promise<string> | undefined;
  const hourlyFile = () => (hourly ??= writeHourlyPanel(join(temp, 'hourly-400.csv')).then((panel) => panel.path));
  const monthlyFile = () => (monthly ??= writeMonthlyPanel(join(temp, 'monthly-10k.csv')).then((panel) => panel.path));
  list.push({ name: 'forecast panel 400 hourly', group: 'panel', command: 'forecast', input: hourlyFile, args: ['--id', 'sensor'], goal: GOALS.hourlyPanel });
  list.push({ name: MONTHLY, group: 'panel', command: 'forecast', input: monthlyFile, args: ['--id', 'sku'], goal: GOALS.monthlyPanel });
  list.push({
    name: `${MONTHLY} --shard 1/4`, group: 'panel', command: 'forecast', input: monthlyFile, args: ['--id', 'sku', '--shard', '1/4'],
    goal: { seconds: GOALS.monthlyPanel.seconds / 4, shareOf: { scenario: MONTHLY, share: 0.25 } },
  });
  return list.filter((scenario) => options.only === undefined || options.only.test(scenario.name));
}

/** The environment without the developer's own RNNCAST_* flags or a Job's shard. */
function benchEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ...extra };
  for (const key of Object.keys(env)) if (key.startsWith('RNNCAST_') || key.startsWith('JOB_COMPLETION')) delete env[key];
  return env;
}

let runCounter = 0;

/** One spawned run, stopped (SIGTERM, then SIGKILL) at `capSeconds`. */
export async function measure(command: Command, input: string, args: string[], capSeconds: number, temp: string): Promise<Measured> {
  const run = ++runCounter;
  const usageFile = join(temp, `rusage-${run}.json`);
  const stdoutFile = join(temp, `stdout-${run}`);
  const io = command === 'backtest' ? ['--json', '--quiet'] : ['--quiet', '--no-chart', '-o', join(temp, `forecast-${run}.csv`)];
  const stdout = openSync(stdoutFile, 'w');
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', peakHook, bin, command, input, ...args, ...io], {
    cwd: root, env: benchEnv({ BENCH_RUSAGE_FILE: usageFile }), stdio: ['ignore', stdout, 'pipe'],
  });
  closeSync(stdout);
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-4000)));
  let timedOut = false;
  let killer: NodeJS.Timeout | undefined;
  // A run killed at the cap cannot report its peak: watch the kernel's high-water mark too (Linux).
  let seenKB = 0;
  const watch = setInterval(() => {
    const status = child.pid === undefined ? null : readProcStatus(child.pid);
    const match = status === null ? null : /^VmHWM:\s+(\d+) kB/m.exec(status);
    if (match) seenKB = Math.max(seenKB, Number(match[1]));
  }, 1000);
  const cap = setTimeout(() => {
    timedOut = true;
    child.kill('SIGTERM');
    killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  }, capSeconds * 1000);
  const exitCode = await new Promise<number | null>((done) => child.on('close', (code) => done(code)));
  const seconds = (performance.now() - started) / 1000;
  clearTimeout(cap);
  clearTimeout(killer);
  clearInterval(watch);
  const usage = existsSync(usageFile) ? (JSON.parse(readFileSync(usageFile, 'utf8')) as { maxRssKB: number }) : null;
  const peakSeenOnly = usage === null && seenKB > 0;
  const peakMiB = usage !== null ? usage.maxRssKB / 1024 : peakSeenOnly ? seenKB / 1024 : null;
  let mase: number | null = null;
  if (command === 'backtest' && exitCode === 0) {
    const document = JSON.parse(readFileSync(stdoutFile, 'utf8')) as { overall?: { model?: { mase?: number | null } } };
    mase = document.overall?.model?.mase ?? null;
  }
  const status = timedOut ? 'timeout' : exitCode === 0 ? 'ok' : 'failed';
  const why = status === 'failed' ? stderr.trim().split('\n').pop() : undefined;
  return { status, exitCode, seconds: timedOut ? capSeconds : seconds, peakMiB, ...(peakSeenOnly ? { peakSeenOnly } : {}), mase, ...(why === undefined ? {} : { why }) };
}

function readProcStatus(pid: number): string | null {
  try {
    return readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return null; // not Linux, or the process has just ended
  }
}

/** Whether this build takes every --flag of `flags` for `command` (the previous approach needs --steps). */
const helpTexts = new Map<Command, string>();
function buildTakes(command: Command, flags: string[]): boolean {
  if (!helpTexts.has(command)) {
    const help = spawnSync(process.execPath, [bin, command, '--help'], { cwd: root, encoding: 'utf8', env: benchEnv({}) });
    helpTexts.set(command, help.stdout);
  }
  const help = helpTexts.get(command)!;
  return flags.filter((flag) => flag.startsWith('--')).every((flag) => new RegExp(`${flag.split('=')[0]}\\b`).test(help));
}

function verdict(goal: Goal, now: Measured, measured: Map<string, Measured>): string {
  if (now.status === 'timeout') return `TIMEOUT (stopped at ${now.seconds.toFixed(0)} s)`;
  if (now.status === 'failed') return `FAILED exit ${now.exitCode}: ${now.why ?? ''}`;
  const whole = goal.shareOf === undefined ? undefined : measured.get(goal.shareOf.scenario);
  if (goal.shareOf !== undefined && whole?.status === 'ok') {
    // "About a quarter": the hash split is uneven by a few percent, and every shard reads the whole file.
    const share = now.seconds / whole.seconds;
    return `${share <= goal.shareOf.share * 1.2 ? 'ok' : 'MISSED'} (${share.toFixed(2)} of the whole run)`;
  }
  // Without a whole run to compare with, a share is judged by the same share of the whole's goal.
  const missed: string[] = [];
  if (now.seconds > goal.seconds) missed.push('time');
  if (goal.memoryMiB !== undefined && now.peakMiB !== null && now.peakMiB > goal.memoryMiB) missed.push('memory');
  return missed.length === 0 ? 'ok' : `MISSED ${missed.join(', ')}`;
}

const number = (value: number | null, digits: number, width: number): string => (value === null ? '-' : value.toFixed(digits)).padStart(width);
const seconds = (run: Measured): string => (run.status === 'timeout' ? `>${run.seconds.toFixed(0)}` : run.seconds.toFixed(1));

function cells(run: Measured | null): string {
  if (run === null) return `${'-'.padStart(8)}${'-'.padStart(8)}${'-'.padStart(7)}`;
  const peak = run.peakSeenOnly === true ? `≥${run.peakMiB!.toFixed(0)}` : number(run.peakMiB, 0, 0);
  return `${seconds(run).padStart(8)}${peak.padStart(8)}${number(run.mase, 3, 7)}`;
}

function printHeader(previous: string): void {
  const load = loadavg().map((value) => value.toFixed(1)).join(' ');
  console.log(`scale: wall seconds, peak resident MiB (worker threads included), backtest MASE of the model; previous approach: ${previous}`);
  console.log(`(${availableParallelism()} cores, load average ${load} at the start: times grow with what else runs)`);
  console.log(`${'scenario'.padEnd(44)}${'goal'.padEnd(20)}${'now s'.padStart(8)}${'MiB'.padStart(8)}${'MASE'.padStart(7)}  │${'prev s'.padStart(8)}${'MiB'.padStart(8)}${'MASE'.padStart(7)}  │ verdict`);
}

function printRow(row: ScaleRow): void {
  console.log(`${row.name.padEnd(44)}${row.goal.padEnd(20)}${cells(row.now)}  │${cells(row.previous)}  │ ${row.verdict}`);
}

const geometricMean = (values: number[]): number => Math.exp(values.reduce((sum, value) => sum + Math.log(value), 0) / values.length);

function printSummary(rows: ScaleRow[], groups: Map<string, Scenario['group']>): void {
  console.log('');
  for (const [group, goal] of [['suite forecast', GOALS.suiteForecast], ['suite backtest', GOALS.suiteBacktest]] as const) {
    const mine = rows.filter((row) => groups.get(row.name) === group);
    if (mine.length === 0) continue;
    const within = mine.filter((row) => row.now.status === 'ok' && row.now.seconds <= goal.seconds).length;
    const slowest = mine.reduce((worst, row) => (row.now.seconds > worst.now.seconds ? row : worst));
    console.log(`${group}: ${within} of ${mine.length} within ${goal.seconds} s; slowest ${slowest.name.replace(/^\w+ /, '')} ${seconds(slowest.now)} s`);
  }
  const paired = rows.filter((row) => row.now.mase !== null && row.previous?.mase != null && row.now.mase > 0 && row.previous.mase > 0);
  if (paired.length > 0) {
    const ratio = geometricMean(paired.map((row) => row.now.mase! / row.previous!.mase!));
    const worse = paired.filter((row) => row.now.mase! > row.previous!.mase! * 1.05).map((row) => row.name.replace(/^backtest /, ''));
    console.log(`accuracy: MASE now / previous, geometric mean over ${paired.length} backtests: ${ratio.toFixed(3)} (below 1: better now)${worse.length ? `; worse by over 5% on ${worse.join(', ')}` : ''}`);
  }
}

export async function runScaleBench(options: ScaleOptions): Promise<ScaleRow[]> {
  const temp = mkdtempSync(join(tmpdir(), 'rnncast-scale-'));
  const rows: ScaleRow[] = [];
  try {
    const list = scenarios(options, temp);
    const previousFlags = options.previousFlags;
    const previousLabel = previousFlags === null ? 'not run (--no-previous)' : previousFlags.join(' ');
    if (!options.json) printHeader(previousLabel);
    const byName = new Map<string, Measured>();
    let warned = false;
    for (const scenario of list) {
      const input = typeof scenario.input === 'string' ? scenario.input : await scenario.input();
      const cap = options.capFactor * scenario.goal.seconds;
      const now = await measure(scenario.command, input, scenario.args, cap, temp);
      byName.set(scenario.name, now);
      let previous: Measured | null = null;
      if (previousFlags !== null) {
        if (buildTakes(scenario.command, previousFlags)) {
          previous = await measure(scenario.command, input, [...scenario.args, ...previousFlags], cap, temp);
        } else if (!warned && !options.json) {
          console.log(`(previous approach: this build does not take ${previousLabel}, so its defaults are the previous approach; "now" is all there is)`);
          warned = true;
        }
      }
      const row: ScaleRow = { suite: 'scale', name: scenario.name, goal: describeGoal(scenario.goal), now, previous, verdict: verdict(scenario.goal, now, byName) };
      rows.push(row);
      if (options.json) console.log(JSON.stringify(row));
      else printRow(row);
    }
    if (!options.json) printSummary(rows, new Map(list.map((scenario) => [scenario.name, scenario.group])));
  } finally {
    if (options.keep) console.error(`scale: data and outputs kept in ${temp}`);
    else rmSync(temp, { recursive: true, force: true });
  }
  return rows;
}

/** The scale options from the bench's command line (the words after `npm run bench --`). */
export function scaleOptionsFrom(args: string[]): ScaleOptions {
  const value = (flag: string): string | undefined => {
    const at = args.indexOf(flag);
    return at >= 0 ? args[at + 1] : undefined;
  };
  const only = value('--only');
  const previous = value('--previous-flags');
  const factor = Number(value('--cap-factor') ?? 2);
  if (!(factor > 0)) throw new Error(`--cap-factor ${value('--cap-factor')}: expected a number above 0`);
  return {
    json: args.includes('--json'),
    only: only === undefined ? undefined : new RegExp(only),
    previousFlags: args.includes('--no-previous') ? null : previous === undefined ? DEFAULT_PREVIOUS_FLAGS : previous.split(/\s+/).filter(Boolean),
    capFactor: factor,
    suiteDir: resolve(value('--suite-dir') ?? join(root, '..', 'shared', 'bench-suite')),
    keep: args.includes('--keep'),
  };
}

/** Flags of this suite that take a value (the bench's runner must not read that value as a suite name). */
export const SCALE_VALUE_FLAGS = ['--only', '--previous-flags', '--cap-factor', '--suite-dir'];

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  await runScaleBench(scaleOptionsFrom(process.argv.slice(2)));
}
