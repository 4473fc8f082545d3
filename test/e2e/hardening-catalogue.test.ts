// The catalogue of bad inputs, end to end through the real binary. Every row must give the
// exit code of PRODUCT.md, exactly one line on standard error naming the file, line, column, flag
// or field, no stack trace, nothing on standard output, and leave the -o file byte-identical with
// no temp file next to it. Rows run two at a time: each is a fresh process and a folder of its own.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { lstatSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { binPath, dataset, repoRoot, runCli, tempDir, runCliAsync } from '../helpers/exec.js';
import type { CliResult } from '../helpers/exec.js';

const bad = (name: string): string => join(repoRoot, 'test', 'fixtures', 'bad', name);
const air = dataset('air-passengers.csv');
const quick = ['--epochs', '1', '--hidden', '4', '--quiet'];
const EARLIER = 'earlier output: must survive every failed run\n';

/** runCli without blocking the event loop, so two rows can run at once. */
const runAsync = (args: string[], env: Record<string, string> = {}): Promise<CliResult> => runCliAsync(args, { env });

/** Exit code, one line naming the place, no stack, nothing on stdout. */
function assertOneLine(result: CliResult, status: number, message: RegExp): void {
  assert.equal(result.status, status, `exit ${result.status}, stderr: ${result.stderr}`);
  const lines = result.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, `one line on stderr, got:\n${result.stderr}`);
  assert.match(lines[0]!, /^rnncast: /);
  assert.match(lines[0]!, message);
  assert.doesNotMatch(result.stderr, /^\s+at /m, 'no stack trace without --debug');
  assert.equal(result.stdout, '', 'nothing on stdout');
}

interface Paths {
  /** A valid tiny model trained on AirPassengers (lookback 24, horizon 18, hidden 4). */
  model: string;
  /** Folder shared by the rows, holding derived model files and CSVs. */
  shared: string;
  /** The row's own folder. */
  folder: string;
}

interface Row {
  name: string;
  args: (paths: Paths) => string[];
  status: number;
  message: RegExp;
  env?: Record<string, string>;
  /** -o is added pointing at a file holding EARLIER; false: the row writes to stdout, if anything. */
  output?: boolean;
}

const forecast = (input: string, ...rest: string[]): ((paths: Paths) => string[]) => () => ['forecast', input, ...quick, ...rest];
const train = (...rest: string[]): ((paths: Paths) => string[]) => () => ['train', air, ...quick, ...rest];
const withModel = (file: string, input = air): ((paths: Paths) => string[]) => (paths) => ['forecast', input, '--quiet', '-m', join(paths.shared, file)];

const csvRows: Row[] = [
  { name: 'CSV empty', args: forecast(bad('empty.csv')), status: 65, message: /empty\.csv: empty input: expected a header line and data rows/ },
  { name: 'CSV header only', args: forecast(bad('header-only.csv')), status: 65, message: /header-only\.csv:1: only a header line, no data rows/ },
  { name: 'CSV a single data row', args: forecast(bad('one-row.csv')), status: 65, message: /one-row\.csv:2: only one time: the frequency cannot be inferred; give --freq/ },
  { name: 'CSV a single data row with --freq', args: forecast(bad('one-row.csv'), '--freq', 'M'), status: 65, message: /one-row\.csv: the series has 1 point; .*needs at least \d+/ },
  { name: 'CSV ragged row', args: forecast(bad('ragged.csv')), status: 65, message: /ragged\.csv:3: 3 fields, but the header has 2/ },
  { name: 'CSV unclosed quote', args: forecast(bad('unclosed-quote.csv')), status: 65, message: /unclosed-quote\.csv:2: a quote opened in this record is never closed/ },
  { name: 'CSV binary garbage', args: forecast(bad('binary.csv')), status: 65, message: /binary\.csv:1: not UTF-8 text \(byte 0x89\)/ },
  { name: 'CSV NUL byte', args: forecast(bad('nul-byte.csv')), status: 65, message: /nul-byte\.csv:3: binary data \(a NUL byte\): not a CSV text file/ },
  { name: 'CSV non-UTF-8 bytes', args: forecast(bad('latin1.csv')), status: 65, message: /latin1\.csv:2: not UTF-8 text \(byte 0xfc\); save the file as UTF-8/ },
  { name: 'CSV Infinity literal', args: forecast(bad('infinity.csv')), status: 65, message: /infinity\.csv:42:2: 'Infinity' in column 'sales' is not a finite number/ },
  { name: 'CSV thousands separator', args: forecast(bad('thousands.csv')), status: 65, message: /thousands\.csv:9:2: '1,234' in column 'sales' is not a number: .*thousands separators/ },
  { name: 'CSV decimal comma', args: forecast(bad('decimal-comma.csv')), status: 65, message: /decimal-comma\.csv:2:2: '100,5' in column 'sales' is not a number: it looks like a decimal comma/ },
  { name: 'CSV column name twice', args: forecast(bad('duplicate-column.csv')), status: 65, message: /duplicate-column\.csv:1:3: column name 'sales' given twice/ },
  { name: 'CSV all values missing', args: forecast(bad('all-missing.csv')), status: 65, message: /all-missing\.csv:1: no numeric column to forecast/ },
  { name: 'CSV all values missing, --target', args: forecast(bad('all-missing.csv'), '--target', 'sales'), status: 65, message: /all-missing\.csv: column 'sales' has no values: all 60 are missing/ },
  { name: 'CSV negative values with --transform log', args: forecast(bad('negative.csv'), '--transform', 'log'), status: 65, message: /negative\.csv:5: value -5 cannot be log-transformed/ },
  { name: 'input missing', args: forecast(bad('no-such-file.csv')), status: 66, message: /no-such-file\.csv: cannot read input: no such file/ },
  { name: 'input is a directory', args: forecast(bad('')), status: 66, message: /is a directory, not a CSV file/ },
];

const timeRows: Row[] = [
  { name: 'time unparseable', args: forecast(bad('unparseable-time.csv')), status: 65, message: /unparseable-time\.csv:14:1: '2001-1x' in column 'month' is not a time/ },
  { name: 'time mixed formats', args: forecast(bad('mixed-formats.csv')), status: 65, message: /mixed-formats\.csv:14:1: '2001-01-01' .*mixed time formats/ },
  { name: 'time zones mixed', args: forecast(bad('mixed-zones.csv')), status: 65, message: /mixed-zones\.csv:32:1: .*to \+02:00, which no time zone's daylight-saving rules do: the times mix zones/ },
  { name: 'time duplicate', args: forecast(bad('duplicate-time.csv')), status: 65, message: /duplicate-time\.csv:21: duplicate time '2001-06' \(also on line 19\)/ },
  { name: 'time series too short', args: forecast(bad('too-short.csv')), status: 65, message: /too-short\.csv: the series has 20 points; lookback \d+ \+ horizon 18 .*needs at least \d+/ },
  { name: 'time irregular spacing', args: forecast(bad('irregular.csv')), status: 65, message: /irregular\.csv:4: irregular spacing: .*fits no frequency: give --freq/ },
];

// Every numeric flag out of range names the flag and the value and says what is allowed.
const outOfRange: [string, string][] = [
  ['hidden', '0'], ['hidden', '-3'], ['hidden', '1.5'], ['hidden', '5000'], ['layers', '0'], ['dropout', '1'], ['dropout', '-0.1'],
  ['horizon', '0'], ['horizon', '-1'], ['lookback', '0'], ['epochs', '0'], ['batch-size', '0'], ['lr', '0'], ['lr', '-0.01'],
  ['patience', '0'], ['val-size', '1'], ['val-size', '1.5'], ['min-delta', '-1'], ['clip-norm', '-1'],
  ['clip-value', '0'], ['weight-decay', '-1'], ['seed', '-1'], ['jobs', '0'],
];

const flagRows: Row[] = [
  ...outOfRange.map(([flag, value]): Row => ({
    name: `flag --${flag} ${value}`,
    // --epochs and --hidden are in `quick`: give the row's value alone.
    args: () => ['train', air, '--quiet', ...(flag === 'epochs' ? [] : ['--epochs', '1']), ...(flag === 'hidden' ? [] : ['--hidden', '4']), `--${flag}`, value],
    status: 2,
    message: new RegExp(`--${flag} ${value.replace('.', '\\.')}: expected (an integer|a number)`),
  })),
  { name: 'flag --hidden without a value', args: () => ['train', air, '--epochs', '1', '--hidden', '--quiet'], status: 2, message: /--hidden needs a value/ },
  { name: 'flag --hidden not a number', args: () => ['train', air, '--epochs', '1', '--hidden', 'abc', '--quiet'], status: 2, message: /--hidden abc: expected an integer/ },
  { name: 'flag from the environment', args: () => ['train', air, '--epochs', '1', '--quiet'], env: { RNNCAST_HIDDEN: '0' }, status: 2, message: /--hidden 0: expected an integer/ },
  { name: 'flag given twice', args: train('--hidden', '5'), status: 2, message: /--hidden was given more than once/ },
  { name: 'flag --horizon longer than the data', args: train('--horizon', '200'), status: 65, message: /the series has 144 points; .*horizon 200 .*needs at least \d+/ },
  { name: 'flag --lookback longer than the data', args: train('--lookback', '500'), status: 65, message: /the series has 144 points; lookback 500 .*try --lookback \d+/ },
  { name: 'flags that make a network over the parameter limit', args: () => ['train', air, '--quiet', '--epochs', '1', '--hidden', '2048', '--layers', '4'], status: 2, message: /--hidden 2048 --layers 4 with \d+ inputs and horizon 18: the network would have \d+ parameters, more than the limit/ },
  { name: 'flag --level out of range', args: forecast(air, '--level', '120'), status: 2, message: /--level 120: '120' is not a level/ },
  { name: 'flag --delimiter of two characters', args: train('--delimiter', 'ab'), status: 2, message: /--delimiter ab: expected one character/ },
  { name: 'flag --fill unknown', args: train('--fill', 'nope'), status: 2, message: /fill.*nope/ },
  { name: 'backtest --season 0', args: () => ['backtest', air, ...quick, '--season', '0'], status: 2, message: /--season 0: expected an integer/ },
  { name: 'backtest --folds without a value', args: () => ['backtest', air, ...quick, '--folds'], status: 2, message: /--folds needs a value/ },
  { name: 'conflict --time and --target', args: train('--time', 'month', '--target', 'month'), status: 2, message: /--time and --target both name column 'month'/ },
  { name: 'conflict --target and --features', args: train('--target', 'passengers', '--features', 'passengers'), status: 2, message: /--target and --features both name column 'passengers'/ },
  { name: 'conflict -m and --save-model', args: (paths) => ['forecast', air, '--quiet', '-m', paths.model, '--save-model', join(paths.shared, 'kept.json')], status: 2, message: /--save-model keeps a model trained on the fly; with -m .* nothing is trained/ },
  { name: 'conflict --save-model - and the forecast on stdout', args: forecast(air, '--save-model', '-'), output: false, status: 2, message: /--save-model - and the forecast would both write to standard output/ },
  { name: 'conflict --save-model and -o on one path', args: (paths) => ['forecast', air, ...quick, '--save-model', join(paths.folder, 'same.csv'), '-o', `${paths.folder}/./same.csv`], output: false, status: 2, message: /--save-model and -o both name .*same\.csv; the forecast would overwrite the model/ },
  { name: 'conflict backtest -o and --metrics-out on one path', args: (paths) => ['backtest', air, ...quick, '-o', join(paths.folder, 'same.json'), '--metrics-out', `${paths.folder}/./same.json`], output: false, status: 2, message: /-o and --metrics-out both name .*\/\.\/same\.json/ },
  { name: 'config not valid JSON', args: train('--config', bad('config-trailing-comma.json')), status: 2, message: /--config .*config-trailing-comma\.json:4:1: not valid JSON/ },
  { name: 'config missing', args: train('--config', bad('no-such-config.json')), status: 2, message: /--config .*no-such-config\.json: cannot read the file/ },
  { name: 'config not an object', args: (paths) => ['train', air, ...quick, '--config', join(paths.shared, 'list.json')], status: 2, message: /list\.json: expected a JSON object of flag names and values/ },
  { name: 'config value out of range', args: (paths) => ['train', air, '--quiet', '--epochs', '1', '--config', join(paths.shared, 'hidden0.json')], status: 2, message: /--hidden 0: expected an integer/ },
  { name: 'config unknown key', args: (paths) => ['train', air, ...quick, '--config', join(paths.shared, 'typo.json')], status: 2, message: /unknown flag: hiden .*did you mean --hidden/ },
];

const modelRows: Row[] = [
  { name: 'model missing', args: withModel('no-such.model.json'), status: 66, message: /no-such\.model\.json: cannot read the model file \(no such file\)/ },
  { name: 'model is a directory', args: withModel('.'), status: 66, message: /cannot read the model file \(it is a directory\)/ },
  { name: 'model empty', args: withModel('empty.json'), status: 65, message: /empty\.json: the model file is empty/ },
  { name: 'model not JSON', args: () => ['forecast', air, '--quiet', '-m', bad('model-not-json.json')], status: 65, message: /model-not-json\.json: not a valid model file/ },
  { name: 'model truncated', args: withModel('truncated.json'), status: 65, message: /truncated\.json(:\d+:\d+)?: not a valid model file \(the JSON is truncated\)/ },
  { name: 'model of another format', args: () => ['forecast', air, '--quiet', '-m', bad('model-other-format.json')], status: 65, message: /format is "keras", expected "rnncast-model"/ },
  { name: 'model of a newer version', args: withModel('newer.json'), status: 65, message: /newer\.json: model file version 6 is newer than this rnncast reads \(5\); upgrade rnncast/ },
  { name: 'model weights of the wrong shape', args: withModel('shape.json'), status: 65, message: /shape\.json: weights: tensor 'rnn\.weight_hh_l0' has shape \[16, 5\], expected \[16, 4\]/ },
  { name: 'model weights one value short', args: withModel('short.json'), status: 65, message: /short\.json: weights: tensor 'head\.bias' has 17 values, expected 18/ },
  { name: 'model weights with an extra tensor', args: withModel('extra.json'), status: 65, message: /extra\.json: weights: unexpected tensor 'rnn\.weight_ih_l1'/ },
  { name: 'model weight not a number', args: withModel('null-weight.json'), status: 65, message: /null-weight\.json: weights: tensor 'head\.bias' value 3 is not a finite number/ },
  { name: 'model hiddenSize 1e9', args: withModel('hidden1e9.json'), status: 65, message: /hidden1e9\.json: config\.hiddenSize is 1000000000, expected an integer in \[1, 4096\]/ },
  { name: 'model within each limit but too many parameters', args: withModel('huge.json'), status: 65, message: /huge\.json: model config: the network would have \d+ parameters, more than the limit/ },
  { name: 'model declaring a big network with few weights', args: withModel('big-claim.json'), status: 65, message: /big-claim\.json: weights: tensor 'rnn\.weight_ih_l0' has \d+ values, expected \d+ for shape \[14000, \d+\]/ },
  { name: 'model with __proto__', args: withModel('proto.json'), status: 65, message: /proto\.json: model file has a forbidden key '__proto__'/ },
  { name: 'model with constructor', args: withModel('constructor.json'), status: 65, message: /constructor\.json: model file has a forbidden key 'constructor'/ },
  { name: 'model on data with other columns', args: withModel('good.json', dataset('nile.csv')), status: 65, message: /nile\.csv:1: no column 'passengers' \(--target\).*\(model .*good\.json needs target 'passengers'/ },
  { name: 'model on data with an extra feature', args: (paths) => [...withModel('good.json', join(paths.shared, 'with-feature.csv'))(paths), '--features', 'promo'], status: 65, message: /good\.json: the model was trained with features \(none\), but .*with-feature\.csv has features promo/ },
  { name: 'model on data of another frequency', args: (paths) => withModel('good.json', join(paths.shared, 'daily.csv'))(paths), status: 65, message: /good\.json: the model was trained with frequency M, but .*daily\.csv has frequency D/ },
  { name: 'model lookback longer than the data', args: (paths) => withModel('network.json', join(paths.shared, 'short.csv'))(paths), status: 65, message: /short\.csv: the series has 20 points; the model's lookback needs at least \d+/ },
];

/** Derived model files and CSVs for the rows above, from one freshly trained tiny model. */
function writeDerivedFiles(shared: string, modelPath: string): void {
  const text = readFileSync(modelPath, 'utf8');
  const model = JSON.parse(text);
  const write = (name: string, value: unknown): void => writeFileSync(join(shared, name), typeof value === 'string' ? value : JSON.stringify(value));
  const variant = (name: string, change: (copy: typeof model) => void): void => {
    const copy = structuredClone(model);
    change(copy);
    write(name, copy);
  };
  write('good.json', text);
  write('empty.json', '\n');
  write('truncated.json', text.slice(0, Math.floor(text.length / 2)));
  variant('newer.json', (m) => (m.version = 6));
  // Whatever the safety net chose for the tiny model, this copy forecasts by the network.
  variant('network.json', (m) => (m.data.series[0].method = 'model'));
  variant('shape.json', (m) => (m.weights['rnn.weight_hh_l0'].shape = [16, 5]));
  variant('short.json', (m) => m.weights['head.bias'].values.pop());
  variant('extra.json', (m) => (m.weights['rnn.weight_ih_l1'] = { shape: [16, 4], values: new Array(64).fill(0) }));
  variant('null-weight.json', (m) => (m.weights['head.bias'].values[3] = null));
  variant('hidden1e9.json', (m) => (m.config.hiddenSize = 1e9));
  variant('huge.json', (m) => Object.assign(m.config, { hiddenSize: 4096, numLayers: 16, bidirectional: true }));
  variant('big-claim.json', (m) => (m.config.hiddenSize = 3500));
  write('proto.json', text.replace('{"format"', '{"__proto__":{"polluted":true},"format"'));
  write('constructor.json', text.replace('"config":{', '"config":{"constructor":{"polluted":true},'));
  const monthly = (rows: number, header: string, cell: (i: number) => string): string =>
    `${header}\n${Array.from({ length: rows }, (_, i) => `${1990 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')},${cell(i)}`).join('\n')}\n`;
  write('with-feature.csv', monthly(60, 'month,passengers,promo', (i) => `${100 + i},${i % 2}`));
  write('short.csv', monthly(20, 'month,passengers', (i) => String(100 + i)));
  write('daily.csv', `month,passengers\n${Array.from({ length: 60 }, (_, i) => `2020-${String(1 + Math.floor(i / 28)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')},${100 + i}`).join('\n')}\n`);
  write('list.json', '[1, 2]');
  write('hidden0.json', '{"hidden": 0}');
  write('typo.json', '{"hiden": 8}');
}

describe('hardening: the catalogue of bad inputs', { concurrency: 2 }, () => {
  const temp = tempDir('rnncast-hardening-');
  const paths: Omit<Paths, 'folder'> = { model: join(temp.path, 'shared', 'good.json'), shared: join(temp.path, 'shared') };
  before(() => {
    mkdirSync(paths.shared);
    const trained = join(temp.path, 'trained.json');
    const result = runCli(['train', air, '-o', trained, ...quick]);
    assert.equal(result.status, 0, result.stderr);
    writeDerivedFiles(paths.shared, trained);
  });
  after(() => temp.cleanup());

  let count = 0;
  for (const row of [...csvRows, ...timeRows, ...flagRows, ...modelRows]) {
    const folder = join(temp.path, `row-${count++}`);
    test(row.name, async () => {
      mkdirSync(folder);
      const args = row.args({ ...paths, folder });
      // train's -o is the model; the others' the forecast or backtest file.
      const output = join(folder, args[0] === 'train' ? 'keep.model.json' : 'keep.csv');
      writeFileSync(output, EARLIER);
      const result = await runAsync(row.output === false ? args : [...args, '-o', output], row.env);
      assertOneLine(result, row.status, row.message);
      assert.equal(readFileSync(output, 'utf8'), EARLIER, 'the earlier output is byte-identical');
      assert.deepEqual(readdirSync(folder), [output.slice(folder.length + 1)], 'no temp file left behind');
    });
  }
});

describe('hardening: outputs that cannot be written exit 73 before any work', { concurrency: 2 }, () => {
  const temp = tempDir('rnncast-hardening-out-');
  after(() => temp.cleanup());

  const cases: [string, (dir: string) => string[], RegExp][] = [
    ['forecast -o into a missing folder', (dir) => ['forecast', air, '--epochs', '1', '--hidden', '4', '-o', join(dir, 'no', 'such', 'out.csv')], /cannot write .*no\/such\/out\.csv: the folder .*no\/such does not exist/],
    ['train -o under a regular file (ENOTDIR, which root cannot bypass)', (dir) => ['train', air, '--epochs', '1', '--hidden', '4', '-o', join(dir, 'plain-file', 'model.json')], /cannot write .*plain-file\/model\.json: a part of the path is a file, not a folder/],
    ['forecast --save-model into a missing folder', (dir) => ['forecast', air, '--epochs', '1', '--hidden', '4', '--save-model', join(dir, 'nope', 'm.json'), '-o', join(dir, 'out.csv')], /nope\/m\.json: the folder .* does not exist/],
    ['backtest --metrics-out onto a folder', (dir) => ['backtest', air, '--epochs', '1', '--hidden', '4', '-o', join(dir, 'bt.csv'), '--metrics-out', dir], /cannot write .*: it is a directory/],
  ];
  for (const [name, args, message] of cases) {
    test(name, async () => {
      const dir = join(temp.path, name.replace(/\W+/g, '-'));
      mkdirSync(dir);
      writeFileSync(join(dir, 'plain-file'), EARLIER);
      // Not --quiet: no epoch line may appear, the check comes before training.
      const result = await runAsync(args(dir));
      assertOneLine(result, 73, message);
      assert.deepEqual(readdirSync(dir), ['plain-file'], 'nothing written, no temp file');
      assert.equal(readFileSync(join(dir, 'plain-file'), 'utf8'), EARLIER);
    });
  }

  test('a folder that exists but refuses new files (/proc): 73 before training (its lock cannot be created either)', async () => {
    const result = await runAsync(['forecast', air, ...quick, '--horizon', '3', '--lookback', '6', '-o', '/proc/rnncast-hardening.csv']);
    assertOneLine(result, 73, /cannot write \/proc\/rnncast-hardening\.csv: cannot create a file in that folder/);
  });

  test('disk full: a full device exits 73, stays a device, and no temp file is left', async () => {
    // A private node for /dev/full (1,7) in our own folder, so temp files would show up here and a
    // regression cannot replace the machine's /dev/full; the real one only if mknod is not allowed.
    const dir = join(temp.path, 'full');
    mkdirSync(dir);
    let device = join(dir, 'full');
    if (spawnSync('mknod', [device, 'c', '1', '7']).status !== 0) {
      assert.ok(statSafe('/dev/full')?.isCharacterDevice(), 'disk-full test needs mknod or /dev/full (Linux)');
      device = '/dev/full';
    }
    const before = readdirSync(dir);
    for (const args of [['forecast', air, ...quick, '-o', device], ['train', air, ...quick, '-o', device]]) {
      const result = await runAsync(args);
      assertOneLine(result, 73, /cannot write .*full: no space left on the device/);
      assert.ok(statSync(device).isCharacterDevice(), `${device} is still a character device`);
      assert.deepEqual(readdirSync(dir), before, 'no temp file left behind');
    }
  });

  test('a symlinked output keeps its link; the file it points to gets the new content', async () => {
    const dir = join(temp.path, 'link');
    mkdirSync(dir);
    writeFileSync(join(dir, 'real.csv'), EARLIER);
    symlinkSync('real.csv', join(dir, 'latest.csv'));
    const result = await runAsync(['forecast', air, ...quick, '--horizon', '3', '--lookback', '6', '-o', join(dir, 'latest.csv')]);
    assert.equal(result.status, 0, result.stderr);
    assert.ok(statSafe(join(dir, 'latest.csv'), true)?.isSymbolicLink(), 'still a symlink');
    assert.equal(readFileSync(join(dir, 'real.csv'), 'utf8').trim().split('\n').length, 4, 'header + 3 forecast rows');
    assert.deepEqual(readdirSync(dir).sort(), ['latest.csv', 'real.csv']);
  });
});

/** Resolves on 'drain', or after a short wait in case the reader has gone. */
function drainedOrExited(stream: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      stream.removeListener('drain', done);
      resolve();
    };
    const timer = setTimeout(done, 50);
    stream.once('drain', done);
  });
}

function statSafe(path: string, link = false): Stats | undefined {
  try {
    return link ? lstatSync(path) : statSync(path);
  } catch {
    return undefined;
  }
}

describe('hardening: odd inputs that must still work, and a line that never ends', () => {
  test('a constant series still forecasts, with finite values', async () => {
    const result = await runAsync(['forecast', bad('constant.csv'), ...quick, '--horizon', '3', '--lookback', '6', '--level', 'none']);
    assert.equal(result.status, 0, result.stderr);
    const rows = result.stdout.trim().split('\n').slice(1).map((line) => Number(line.split(',')[1]));
    assert.equal(rows.length, 3);
    // One epoch does not learn 'no change'; the point is that a zero spread breaks nothing.
    for (const value of rows) assert.ok(Number.isFinite(value) && Math.abs(value - 7) < 7, String(value));
  });

  test('a NaN literal is a missing value: filled, and counted in a warning', async () => {
    const result = await runAsync(['forecast', bad('nan-literal.csv'), '--epochs', '1', '--hidden', '4', '--no-chart', '--horizon', '3', '--lookback', '6']);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stderr, /^warning: filled 1 missing value by linear interpolation \(--fill interpolate\)$/m);
    assert.equal(result.stdout.trim().split('\n').length, 4);
  });

  test('a line that never ends (2 GB on a pipe) is given up early with one line, in bounded memory', async () => {
    const child = spawn(process.execPath, [binPath, 'inspect', '-'], { env: { ...process.env, NO_COLOR: '1' }, cwd: repoRoot });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdout.resume();
    child.stdin.on('error', () => undefined); // EPIPE once it gives up
    const closed = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? 128)));
    let exited = false;
    void closed.then(() => (exited = true));
    const chunk = Buffer.alloc(1 << 20, '1');
    const limit = 2 * 1024; // MB: what the issue asks for, if it never gave up
    let written = 0;
    child.stdin.write('month,value\n2020-01,');
    while (!exited && written < limit) {
      const ok = child.stdin.write(chunk);
      written++;
      if (!ok) await drainedOrExited(child.stdin);
    }
    child.stdin.destroy();
    const status = await closed;
    assert.equal(status, 65, stderr);
    assert.match(stderr, /^rnncast: <stdin>:2: a record longer than 1 MB: is this a CSV file\?\n$/);
    assert.ok(written < 64, `gave up after ${written} MB, not after reading it all`);
  });
});
