import assert from 'node:assert/strict';
import { test } from 'node:test';
import { selectShard, shardOfId } from '../../src/data/shard.js';
import type { Shard } from '../../src/data/shard.js';
import { COMMANDS } from '../../src/options/choices.js';
import { readDataFlags } from '../../src/options/data.js';
import { gatherFlags } from '../../src/options/sources.js';
import { parseShard } from '../../src/options/values.js';
import { makeDataset } from '../helpers/dataset.js';

const ids = (count: number): string[] => Array.from({ length: count }, (_, k) => `store-${k}`);
const flat = [1, 2, 3, 4, 5];

test('the shard of an id is 1 + sha256(UTF-8 id)[0..8] as a big-endian integer mod n (values from Python hashlib)', () => {
  // python3 -c "import hashlib; print(int.from_bytes(hashlib.sha256(id.encode()).digest()[:8], 'big') % n + 1)"
  const expected: [string, number, number][] = [
    ['s0', 3, 3], ['s0', 4, 4], ['s0', 1000, 580], ['s1', 3, 1], ['s4', 1000, 920],
    ['', 3, 2], ['', 1000, 653], ['Zürich', 4, 2], ['Zürich', 1000, 654], ['store-42', 1000, 51],
  ];
  for (const [id, count, shard] of expected) assert.equal(shardOfId(id, count), shard, `${JSON.stringify(id)} of ${count}`);
  for (const id of ids(50)) assert.equal(shardOfId(id, 1), 1);
});

test('the shards of a panel hold every series exactly once, in file order, and roughly evenly', () => {
  const dataset = makeDataset(ids(400).map((id) => ({ id, values: flat })));
  const count = 4;
  const seen = new Map<string, number>();
  for (let index = 1; index <= count; index++) {
    const { dataset: part, note, emptyWarning } = selectShard(dataset, { index, count });
    assert.equal(emptyWarning, undefined);
    assert.match(note, new RegExp(`^shard ${index}/4: ${part.series.length} of 400 series \\(by a hash of the 'id' value\\)$`));
    const order = part.series.map((series) => dataset.series.indexOf(series));
    assert.deepEqual(order, [...order].sort((a, b) => a - b), 'file order kept');
    // 400 ids over 4 shards: 100 expected each; a fair hash stays well inside 60..140.
    assert.ok(part.series.length > 60 && part.series.length < 140, `shard ${index}: ${part.series.length} series`);
    for (const series of part.series) {
      assert.equal(seen.has(series.id), false, `${series.id} in two shards`);
      seen.set(series.id, index);
    }
  }
  assert.equal(seen.size, 400);
});

test('a series keeps its shard whatever the other series and their order', () => {
  const all = ids(30);
  const shard: Shard = { index: 2, count: 3 };
  const mine = (list: string[]) => new Set(selectShard(makeDataset(list.map((id) => ({ id, values: flat }))), shard).dataset.series.map((s) => s.id));
  const whole = mine(all);
  assert.deepEqual(mine([...all].reverse()), whole);
  const half = all.filter((_, k) => k % 2 === 0);
  assert.deepEqual(mine(half), new Set([...whole].filter((id) => half.includes(id))));
});

test('a file without --id is one series: shard 1 takes it, every other shard is empty with a warning', () => {
  const single = makeDataset([{ values: flat }]);
  assert.equal(selectShard(single, { index: 1, count: 3 }).dataset.series.length, 1);
  assert.equal(selectShard(single, { index: 1, count: 3 }).emptyWarning, undefined);
  const other = selectShard(single, { index: 3, count: 3 });
  assert.equal(other.dataset.series.length, 0);
  assert.equal(other.emptyWarning, 'shard 3/3: the file is one series (no --id), taken by shard 1; nothing to do here');
});

test('a wide file (one series per target column) is split by a hash of the column name', () => {
  const wide = { ...makeDataset(['a', 'b', 'c', 'd', 'e', 'f'].map((id) => ({ id, values: flat })), { idColumn: null }), wide: true };
  const parts = [1, 2].map((index) => selectShard(wide, { index, count: 2 }));
  assert.deepEqual(parts.flatMap((part) => part.dataset.series.map((s) => s.id)).sort(), ['a', 'b', 'c', 'd', 'e', 'f']);
  assert.match(parts[0]!.note, /by a hash of the column name/);
});

test('an empty shard of a panel says so and keeps the rest of the dataset', () => {
  const dataset = makeDataset([{ id: 's1', values: flat }, { id: 's4', values: flat }]);
  // Both hash to shard 1 of 3 (see the Python values above).
  const empty = selectShard(dataset, { index: 2, count: 3 });
  assert.equal(empty.dataset.series.length, 0);
  assert.equal(empty.dataset.freq, dataset.freq);
  assert.equal(empty.emptyWarning, 'shard 2/3: none of the 2 series falls to this shard; nothing to do here');
});

test('--shard i/n: whole numbers, 1 ≤ i ≤ n; anything else is refused naming the numbering', () => {
  assert.deepEqual(parseShard('1/4'), { index: 1, count: 4 });
  assert.deepEqual(parseShard(' 4 / 4 '), { index: 4, count: 4 });
  assert.deepEqual(parseShard('1/1'), { index: 1, count: 1 });
  for (const bad of ['0/4', '5/4', '1/0', '1', '1/4/2', 'a/b', '-1/4', '1.5/4', '', '1/100001']) {
    assert.throws(() => parseShard(bad), /expected i\/n with 1 ≤ i ≤ n ≤ 100000, e\.g\. 1\/4 \(shards are numbered from 1\)/, bad);
  }
});

const shardOf = (command: (typeof COMMANDS)[number], commandLine: Record<string, unknown>, env: Record<string, string>, config?: Record<string, unknown>) => {
  const { given, ignored } = gatherFlags({ command, commandLine, env, config: config === undefined ? undefined : { path: 'c.json', values: config } });
  return { shard: readDataFlags(given).shard, ignored };
};

test('every command takes --shard, also from RNNCAST_SHARD and --config', () => {
  for (const command of COMMANDS) assert.deepEqual(shardOf(command, { shard: '2/5' }, {}).shard, { index: 2, count: 5 }, command);
  assert.deepEqual(shardOf('forecast', {}, { RNNCAST_SHARD: '3/5' }).shard, { index: 3, count: 5 });
  assert.deepEqual(shardOf('forecast', {}, {}, { shard: '4/5' }).shard, { index: 4, count: 5 });
  assert.equal(shardOf('forecast', {}, {}).shard, undefined);
});

test('a Kubernetes Indexed Job: JOB_COMPLETION_INDEX (from 0) and JOB_COMPLETIONS give shard index+1 of completions', () => {
  assert.deepEqual(shardOf('forecast', {}, { JOB_COMPLETION_INDEX: '0', JOB_COMPLETIONS: '4' }).shard, { index: 1, count: 4 });
  assert.deepEqual(shardOf('backtest', {}, { JOB_COMPLETION_INDEX: '3', JOB_COMPLETIONS: '4' }).shard, { index: 4, count: 4 });
  assert.equal(shardOf('forecast', {}, { JOB_COMPLETIONS: '4' }).shard, undefined, 'JOB_COMPLETIONS alone is no shard');
});

test('--shard from any source wins over the Job variables, which --debug then lists as ignored', () => {
  const job = { JOB_COMPLETION_INDEX: '0', JOB_COMPLETIONS: '4' };
  const flag = shardOf('forecast', { shard: '1/1' }, job);
  assert.deepEqual(flag.shard, { index: 1, count: 1 });
  assert.deepEqual(flag.ignored, ['ignored JOB_COMPLETION_INDEX: --shard was given on the command line']);
  assert.deepEqual(shardOf('forecast', {}, { ...job, RNNCAST_SHARD: '2/2' }).shard, { index: 2, count: 2 });
  assert.deepEqual(shardOf('forecast', {}, job, { shard: '2/3' }).shard, { index: 2, count: 3 });
});

test('bad Job variables are usage errors naming them, and the way out', () => {
  const refused = (env: Record<string, string>, message: RegExp) => assert.throws(() => shardOf('forecast', {}, env), message);
  refused({ JOB_COMPLETION_INDEX: '2' }, /^UsageError: JOB_COMPLETION_INDEX=2 is set but JOB_COMPLETIONS is not: set JOB_COMPLETIONS to the Job's spec\.completions \(the number of shards\), or give --shard i\/n \(--shard 1\/1 for every series\)$/);
  refused({ JOB_COMPLETION_INDEX: '4', JOB_COMPLETIONS: '4' }, /^UsageError: JOB_COMPLETION_INDEX=4 and JOB_COMPLETIONS=4: expected JOB_COMPLETION_INDEX from 0 to JOB_COMPLETIONS - 1 \(it counts from 0\)$/);
  refused({ JOB_COMPLETION_INDEX: 'one', JOB_COMPLETIONS: '4' }, /JOB_COMPLETION_INDEX=one and JOB_COMPLETIONS=4: expected whole numbers/);
  refused({ JOB_COMPLETION_INDEX: '0', JOB_COMPLETIONS: '0' }, /expected JOB_COMPLETION_INDEX from 0 to JOB_COMPLETIONS - 1/);
  refused({ JOB_COMPLETION_INDEX: '0', JOB_COMPLETIONS: '100001' }, /--shard 1\/100001: expected i\/n with 1 ≤ i ≤ n ≤ 100000.*\(from JOB_COMPLETION_INDEX and JOB_COMPLETIONS\)/);
});
