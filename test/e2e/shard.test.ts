// End to end: --shard i/n as n cron jobs or pods run it — three shards side by side, each training
// its own model on its part of a panel; their outputs together cover every series exactly once.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { dataset, runCli, runCliAsync, tempDir } from '../helpers/exec.js';
import type { CliResult } from '../helpers/exec.js';
import { defaultSteps } from '../../src/train/settings.js';

const quick = ['--epochs', '2', '--hidden', '4', '--no-chart'];
const SHARDS = 3;

/** 12 daily series of 60 points, long format; rows of all series interleaved by date. */
function panelRows(): string[] {
  const rows: string[] = [];
  for (let day = 0; day < 60; day++) {
    const date = new Date(Date.UTC(2023, 0, 1 + day)).toISOString().slice(0, 10);
    for (let s = 0; s < 12; s++) rows.push(`store-${s},${date},${(50 + 7 * s + 10 * Math.sin((2 * Math.PI * day) / 7) + ((day * 13 + s * 5) % 7)).toFixed(2)}`);
  }
  return rows;
}

/** A fixed shuffle (no Math.random: the test must be the same every run). */
function shuffled<T>(items: T[]): T[] {
  const out = [...items];
  let state = 7;
  for (let i = out.length - 1; i > 0; i--) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const lines = (result: CliResult): string[] => result.stdout.trim().split('\n');
const idsOf = (result: CliResult): Set<string> => new Set(lines(result).slice(1).map((line) => line.split(',')[0]!));
/** "id,time" of every row: the rows a forecast writes, whatever the model. */
const keysOf = (result: CliResult): string[] => lines(result).slice(1).map((line) => line.split(',').slice(0, 2).join(','));

function runShards(args: string[], env: (index: number) => Record<string, string> = () => ({})): Promise<CliResult[]> {
  // Side by side, as `xargs -P 3` or three pods would run them.
  return Promise.all(Array.from({ length: SHARDS }, (_, k) => runCliAsync([...args], { env: env(k) })));
}

describe('three shards of a panel', () => {
  const temp = tempDir();
  const panel = join(temp.path, 'panel.csv');
  const reordered = join(temp.path, 'reordered.csv');
  let whole: CliResult;
  let shards: CliResult[];
  before(async () => {
    const rows = panelRows();
    writeFileSync(panel, `store,date,sales\n${rows.join('\n')}\n`);
    writeFileSync(reordered, `store,date,sales\n${shuffled(rows).join('\n')}\n`);
    const flagged = (k: number) => runCliAsync(['forecast', panel, '--id', 'store', '--shard', `${k + 1}/${SHARDS}`, ...quick]);
    [whole, ...shards] = await Promise.all([runCliAsync(['forecast', panel, '--id', 'store', ...quick]), ...Array.from({ length: SHARDS }, (_, k) => flagged(k))]);
  });
  after(() => temp.cleanup());

  test('each shard trains on its part and writes the usual header', () => {
    assert.equal(whole.status, 0, whole.stderr);
    shards.forEach((result, k) => {
      assert.equal(result.status, 0, result.stderr);
      assert.equal(lines(result)[0], lines(whole)[0]);
      assert.match(result.stderr, new RegExp(`^shard ${k + 1}/3: ${idsOf(result).size} of 12 series \\(by a hash of the 'store' value\\)$`, 'm'));
    });
  });

  test('the union of the shards covers every series exactly once, with the rows a whole run writes', () => {
    const seen = new Map<string, number>();
    shards.forEach((result, k) => {
      for (const id of idsOf(result)) {
        assert.equal(seen.get(id), undefined, `${id} in shards ${seen.get(id)! + 1} and ${k + 1}`);
        seen.set(id, k);
      }
    });
    assert.deepEqual([...seen.keys()].sort(), [...idsOf(whole)].sort());
    assert.equal(seen.size, 12);
    assert.deepEqual(shards.flatMap(keysOf).sort(), keysOf(whole).sort());
  });

  test('the split is the same on every run, from JOB_COMPLETION_INDEX too, and whatever the row order', async () => {
    const again = await runShards(['forecast', reordered, '--id', 'store', ...quick], (k) => ({ JOB_COMPLETION_INDEX: String(k), JOB_COMPLETIONS: String(SHARDS) }));
    again.forEach((result, k) => {
      assert.equal(result.status, 0, result.stderr);
      assert.deepEqual(idsOf(result), idsOf(shards[k]!), `shard ${k + 1}`);
    });
  });

  test('with one saved model, the shards write exactly the rows of the whole run', async () => {
    const model = join(temp.path, 'panel.model.json');
    const trained = runCli(['train', panel, '--id', 'store', '-o', model, '--quiet', ...quick]);
    assert.equal(trained.status, 0, trained.stderr);
    const [all, ...parts] = await Promise.all([
      runCliAsync(['forecast', panel, '-m', model, '--quiet']),
      ...Array.from({ length: SHARDS }, (_, k) => runCliAsync(['forecast', reordered, '-m', model, '--quiet', '--shard', `${k + 1}/${SHARDS}`])),
    ]);
    assert.equal(all!.status, 0, all!.stderr);
    assert.deepEqual(parts.flatMap((result) => lines(result).slice(1)).sort(), lines(all!).slice(1).sort());
  });

  test('a shard trains on its share of the default step budget; --steps given is taken as it is', () => {
    const stepsOf = (args: string[], name: string): { steps: number; lookback: number } => {
      const file = join(temp.path, name);
      const trained = runCli(['train', panel, '--id', 'store', '-o', file, '--quiet', '--epochs', '1', '--hidden', '4', ...args]);
      assert.equal(trained.status, 0, trained.stderr);
      const { config } = JSON.parse(readFileSync(file, 'utf8')) as { config: { steps: number; lookback: number } };
      return config;
    };
    const whole = stepsOf([], 'whole-budget.json');
    assert.equal(whole.steps, defaultSteps(whole.lookback));
    const part = stepsOf(['--shard', '2/3'], 'shard-budget.json');
    assert.equal(part.steps, Math.round(defaultSteps(part.lookback) / 3));
    assert.equal(stepsOf(['--shard', '2/3', '--steps', '700'], 'given-budget.json').steps, 700);
  });
});

describe('an empty shard succeeds with an empty output', () => {
  const temp = tempDir();
  after(() => temp.cleanup());

  test('a panel none of whose series falls to the shard: the header, a warning, exit 0', () => {
    // store-s1 and store-s4 both hash to shard 1 of 3 ("s1", "s4" in the unit tests' Python values).
    const panel = join(temp.path, 'two.csv');
    const rows = panelRows().filter((row) => row.startsWith('store-1,') || row.startsWith('store-4,')).map((row) => row.replace(/^store-/, 's'));
    writeFileSync(panel, `store,date,sales\n${rows.join('\n')}\n`);
    const result = runCli(['forecast', panel, '--id', 'store', '--shard', '2/3', ...quick]);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout, 'store,date,forecast,lower_80,upper_80,lower_95,upper_95\n');
    assert.match(result.stderr, /^warning: shard 2\/3: none of the 2 series falls to this shard; nothing to do here$/m);
  });

  test('a file without --id is one series, taken by shard 1: other shards forecast, backtest and train nothing, and exit 0', () => {
    const input = dataset('air-passengers.csv');
    const forecast = runCli(['forecast', input, '--shard', '2/2', ...quick], { env: { JOB_COMPLETION_INDEX: '0', JOB_COMPLETIONS: '9' } });
    assert.equal(forecast.status, 0, forecast.stderr);
    assert.equal(forecast.stdout, 'month,forecast,lower_80,upper_80,lower_95,upper_95\n');
    assert.match(forecast.stderr, /warning: shard 2\/2: the file is one series \(no --id\), taken by shard 1; nothing to do here/);

    const backtest = runCli(['backtest', input, '--json', '--fail-if-worse-than', 'naive', ...quick], { env: { RNNCAST_SHARD: '2/2' } });
    assert.equal(backtest.status, 0, backtest.stderr);
    const metrics = JSON.parse(backtest.stdout);
    assert.deepEqual(metrics.series, []);
    assert.equal(metrics.settings.series, 0);
    assert.equal(metrics.gate, undefined);

    const model = join(temp.path, 'none.model.json');
    const train = runCli(['train', input, '-o', model, ...quick], { env: { JOB_COMPLETION_INDEX: '1', JOB_COMPLETIONS: '2' } });
    assert.equal(train.status, 0, train.stderr);
    assert.match(train.stderr, /warning: no series to train on: .*none\.model\.json not written/);
    assert.equal(existsSync(model), false);

    const first = runCli(['forecast', input, '--shard', '1/2', ...quick, '--quiet']);
    assert.equal(first.status, 0, first.stderr);
    assert.equal(lines(first).length, 1 + 18, 'shard 1 takes the one series');
  });
});
