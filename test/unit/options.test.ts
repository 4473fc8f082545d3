import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UsageError } from '../../src/errors.js';
import { COMMANDS } from '../../src/options/choices.js';
import { parseConfig } from '../../src/options/config-file.js';
import { readDataFlags } from '../../src/options/data.js';
import { backtestFlags, COMMAND_FLAGS, dataFlags, forecastFlags, trainingFlags } from '../../src/options/flags.js';
import { givenFrom, readGroup } from '../../src/options/read.js';
import { gatherFlags } from '../../src/options/sources.js';
import { defaultShown, flagName, readBoolean } from '../../src/options/spec.js';
import { parseLevels } from '../../src/options/values.js';

const training = (values: Record<string, unknown>) => readGroup(trainingFlags, givenFrom(values));

test('training options take PRODUCT.md defaults', () => {
  const options = training({});
  assert.equal(options.cell, 'lstm');
  assert.equal(options.hiddenSize, 64);
  assert.equal(options.numLayers, 1);
  assert.equal(options.bidirectional, false);
  assert.equal(options.epochs, 200);
  assert.equal(options.batchSize, 32);
  assert.equal(options.lr, 0.001);
  assert.equal(options.optimizer, 'adam');
  assert.equal(options.loss, 'mse');
  assert.equal(options.patience, 20);
  assert.equal(options.clipNorm, 1);
  assert.equal(options.clipValue, null);
  assert.equal(options.valSize, 0.2);
  assert.equal(options.scale, 'standard');
  assert.equal(options.transform, 'auto');
  assert.equal(options.steps, undefined, 'resolved from the lookback when training: defaultSteps');
  assert.equal(options.maxTime, null);
  assert.equal(options.ensemble, undefined, 'resolved when training: one member per baseline auto chose');
  assert.equal(options.fallback, 'auto');
  assert.equal(options.seed, 42);
  assert.equal(options.horizon, undefined);
  assert.equal(options.lookback, undefined);
  assert.ok(options.jobs >= 1);
});

test('every numeric flag out of range is a usage error naming the flag and the value', () => {
  const cases: [string, unknown][] = [
    ['hidden', 0], ['hidden', -3], ['hidden', 2.5], ['hidden', 4097], ['layers', 0], ['layers', 17], ['lookback', 0],
    ['horizon', -1], ['epochs', 0], ['batch-size', 0], ['lr', 0], ['lr', -0.1], ['patience', 0], ['patience', 1e7],
    ['val-size', 1], ['val-size', 1.5], ['val-size', -0.1], ['dropout', 1], ['clip-norm', -1], ['weight-decay', 1e7],
    ['min-delta', -1], ['clip-value', 0], ['seed', -1], ['jobs', 0], ['hidden', 'abc'], ['hidden', '0x10'], ['lr', 'Infinity'],
  ];
  for (const [flag, value] of cases) {
    assert.throws(
      () => training({ [flag]: value }),
      (error: unknown) => error instanceof UsageError && error.message.startsWith(`--${flag} ${String(value)}: expected`),
      `--${flag} ${String(value)}`,
    );
  }
  assert.equal(training({ 'val-size': 0 }).valSize, 0, 'no validation: the hint for short series suggests it');
  assert.equal(training({ hidden: '32' }).hiddenSize, 32, 'text from RNNCAST_* or a config is read as a number');
  assert.equal(training({ lr: '1e-2' }).lr, 0.01);
});

test('limits are said the same way for every flag: an interval, open where the bound is excluded', () => {
  assert.equal(trainingFlags.hiddenSize.expected, 'an integer in [1, 4096]');
  assert.equal(trainingFlags.valSize.expected, 'a number in [0, 1)');
  assert.equal(trainingFlags.lr.expected, 'a number in (0, 10]');
  assert.equal(trainingFlags.clipValue.expected, 'a number in (0, 1000000000000]');
});

test('a flag given twice on the command line says so, with both values', () => {
  assert.throws(() => training({ hidden: [3, 4] }), /^UsageError: --hidden was given more than once \(3, 4\)$/);
});

test('booleans: the usual spellings of true and false in any case; anything else is refused', () => {
  for (const word of ['true', 'TRUE', '1', 'yes', 'Yes', 'on', 'ON', true]) assert.equal(readBoolean(word), true, String(word));
  for (const word of ['false', 'False', '0', 'no', 'NO', 'off', false]) assert.equal(readBoolean(word), false, String(word));
  for (const word of ['maybe', '2', 'y', 'tru', '']) assert.throws(() => readBoolean(word), /expected true or false/, word);
  assert.throws(() => training({ bidirectional: 'maybe' }), /^UsageError: --bidirectional maybe: expected true or false/);
});

test('data flags: lists, tab delimiter, conflicting roles, choices', () => {
  const data = (values: Record<string, unknown>) => readDataFlags(givenFrom(values));
  const flags = data({ features: 'PetrolPrice, law', delimiter: 'tab' });
  assert.deepEqual(flags.features, ['PetrolPrice', 'law']);
  assert.equal(flags.delimiter, '\t');
  assert.equal(flags.fill, 'interpolate');
  assert.throws(() => data({ target: 'a', features: 'a,b' }), /--target and --features both name column 'a'/);
  assert.throws(() => data({ time: 'a', id: 'a' }), /--time and --id both name column 'a'/);
  assert.throws(() => data({ features: 'a,,b' }), /--features a,,b: empty column name/);
  assert.throws(() => data({ features: 'a,b,a' }), /--features a,b,a: column 'a' listed twice/);
  assert.throws(() => data({ delimiter: ';;' }), /--delimiter ;;: expected one character/);
  assert.throws(() => data({ delimiter: '"' }), /--delimiter ": expected one character other than a quote/);
  assert.throws(() => data({ fill: 'mean' }), /--fill mean: expected one of interpolate, ffill, zero, drop, error/);
});

test('a model has at most 1000 inputs: --features refuses more, as the model loader does', () => {
  const many = Array.from({ length: 1000 }, (_, i) => `f${i}`).join(',');
  assert.throws(() => readGroup(dataFlags, givenFrom({ features: many })), /1000 columns; at most 999/);
});

test('--level: percents in (0, 100), sorted, duplicates dropped; none drops the intervals', () => {
  assert.deepEqual(parseLevels('80,95'), [80, 95]);
  assert.deepEqual(parseLevels(' 95 , 80,80 '), [80, 95]);
  assert.deepEqual(parseLevels('97.5'), [97.5]);
  assert.deepEqual(parseLevels('none'), []);
  assert.deepEqual(parseLevels('NONE'), []);
  // A share below 1 is read as percent (never a 0.9 % interval); '90%' is 90.
  assert.deepEqual(parseLevels('0.8,0.95'), [80, 95]);
  assert.deepEqual(parseLevels('0.9, 90%'), [90]);
  assert.deepEqual(parseLevels('0.5%'), [0.5]);
  assert.deepEqual(readGroup(forecastFlags, givenFrom({})).levels, [80, 95]);
  for (const bad of ['0', '100', '80,', 'abc', '-5', '80;95']) {
    assert.throws(() => readGroup(forecastFlags, givenFrom({ level: bad })), (error: unknown) => error instanceof UsageError && error.message.startsWith(`--level ${bad}:`), bad);
  }
});

test('backtest options: defaults and limits from the same table', () => {
  const options = readGroup(backtestFlags, givenFrom({}));
  assert.equal(options.refit, 'every');
  assert.equal(options.gateMetric, 'mase');
  assert.equal(options.folds, undefined);
  assert.equal(options.failIfWorseThan, undefined);
  assert.throws(() => readGroup(backtestFlags, givenFrom({ window: 1 })), /--window 1: expected an integer in \[2, 100000000\]/);
  assert.throws(() => readGroup(backtestFlags, givenFrom({ 'fail-if-worse-than': 'mean' })), /expected one of naive, seasonal-naive, drift/);
});

test('--help shows each default once, from the declaration', () => {
  assert.equal(defaultShown(trainingFlags.hiddenSize), '64');
  assert.equal(defaultShown(trainingFlags.clipValue), 'off');
  assert.equal(defaultShown(trainingFlags.jobs), 'number of cores');
  assert.equal(defaultShown(trainingFlags.horizon), 'by frequency');
  assert.equal(defaultShown(forecastFlags.levels), '80,95');
  assert.equal(defaultShown(dataFlags.target), 'the only numeric column left');
  assert.equal(flagName('hiddenSize', trainingFlags.hiddenSize), 'hidden');
  assert.equal(flagName('batchSize', trainingFlags.batchSize), 'batch-size');
});

test('one flag name means one kind of value in every command that takes it', () => {
  const seen = new Map<string, string>();
  for (const command of COMMANDS) {
    for (const group of COMMAND_FLAGS[command]) {
      for (const [field, spec] of Object.entries(group)) {
        const flag = flagName(field, spec);
        const kind = `${spec.type} ${spec.expected}`;
        assert.equal(seen.get(flag) ?? kind, kind, flag);
        seen.set(flag, kind);
      }
    }
  }
});

const gather = (command: (typeof COMMANDS)[number], sources: { commandLine?: Record<string, unknown>; env?: Record<string, string>; config?: Record<string, unknown> }) =>
  gatherFlags({
    command,
    commandLine: sources.commandLine ?? {},
    env: sources.env ?? {},
    config: sources.config === undefined ? undefined : { path: 'rnncast.json', values: sources.config },
  });

test('precedence: the command line, then RNNCAST_*, then --config, then the default', () => {
  const both = gather('train', { commandLine: { hidden: 8 }, env: { RNNCAST_HIDDEN: '16', RNNCAST_LAYERS: '2' }, config: { hidden: 32, layers: 3, epochs: 5 } });
  const options = readGroup(trainingFlags, both.given);
  assert.equal(options.hiddenSize, 8);
  assert.equal(options.numLayers, 2);
  assert.equal(options.epochs, 5);
  assert.equal(options.batchSize, 32);
});

test('config keys in camelCase, kebab-case or snake_case, and aliases, name the same flag', () => {
  const { given } = gather('forecast', { config: { batchSize: 8, 'clip-norm': 2, weight_decay: 0.5, o: 'out.csv' } });
  assert.equal(given.get('batch-size')?.raw, 8);
  assert.equal(given.get('clip-norm')?.raw, 2);
  assert.equal(given.get('weight-decay')?.raw, 0.5);
  assert.equal(given.get('output')?.raw, 'out.csv');
  assert.equal(gather('train', { env: { RNNCAST_BATCH_SIZE: '64' } }).given.get('batch-size')?.raw, '64');
});

test('a key of another command is ignored and said for --debug; a key no command knows is refused', () => {
  const ignored = gather('train', { env: { RNNCAST_LEVEL: '90', RNNCAST_FOLDS: '4' }, config: { saveModel: 'm.json', metricsOut: 'x.json' } });
  assert.equal(ignored.given.size, 0);
  assert.equal(ignored.ignored.length, 4);
  assert.match(ignored.ignored.join('\n'), /ignored RNNCAST_LEVEL: --level is a flag of forecast, backtest, not of train/);
  assert.match(ignored.ignored.join('\n'), /ignored "saveModel" in rnncast\.json: --save-model is a flag of forecast, not of train/);
  assert.equal(gather('inspect', { config: { saveModel: 'm.json', hidden: 3 } }).given.size, 0, 'inspect: model flags are another command\'s');
  assert.throws(() => gather('train', { env: { RNNCAST_HIDEN: '3' } }), /^UsageError: unknown flag: hiden \(from RNNCAST_HIDEN\) \(did you mean --hidden\? see --help\)$/);
  assert.throws(() => gather('forecast', { config: { levle: '90' } }), /^UsageError: unknown flag: levle \(from "levle" in --config rnncast\.json\) \(did you mean --level\?/);
  assert.throws(() => gather('train', { config: { config: 'other.json' } }), /a config file cannot name another/);
});

test('values from the environment or a config file: the message says what was really given, and where', () => {
  const read = (sources: Parameters<typeof gather>[1]) => readGroup(trainingFlags, gather('train', sources).given);
  assert.throws(() => read({ env: { RNNCAST_HIDDEN: '' } }), /^UsageError: --hidden is empty: expected an integer in \[1, 4096\] \(from RNNCAST_HIDDEN\)$/);
  assert.throws(() => read({ env: { RNNCAST_HIDDEN: '0' } }), /^UsageError: --hidden 0: expected an integer in \[1, 4096\] \(from RNNCAST_HIDDEN\)$/);
  assert.throws(() => read({ config: { hidden: null } }), /^UsageError: --hidden is null: expected an integer in \[1, 4096\] \(from "hidden" in --config rnncast\.json\)$/);
  assert.throws(() => read({ config: { hidden: [3, 4] } }), /^UsageError: --hidden is a list \[3,4\]: expected an integer/);
  assert.throws(() => read({ config: { hidden: { size: 3 } } }), /^UsageError: --hidden is an object \{"size":3\}/);
  assert.throws(() => read({ config: { cell: true } }), /^UsageError: --cell true: expected one of lstm, gru/);
  assert.throws(() => read({ env: { RNNCAST_BIDIRECTIONAL: 'maybe' } }), /--bidirectional maybe: expected true or false .*\(from RNNCAST_BIDIRECTIONAL\)/);
  assert.equal(read({ env: { RNNCAST_BIDIRECTIONAL: 'TRUE' } }).bidirectional, true);
  assert.equal(read({ config: { bidirectional: 'yes' } }).bidirectional, true);
  const features = readGroup(dataFlags, gather('train', { config: { features: ['a', 'b'] } }).given).features;
  assert.deepEqual(features, ['a', 'b'], 'a list flag takes a JSON list in a config file');
});

test('config files: a BOM-free object, a syntax error with its line and column', () => {
  assert.deepEqual(parseConfig('{"hidden": 3}', 'c.json'), { hidden: 3 });
  assert.throws(() => parseConfig('{\n  "hidden": 3,\n}', 'c.json'), /--config c\.json:3:1: not valid JSON/);
  assert.throws(() => parseConfig('[1]', 'c.json'), /expected a JSON object of flag names and values/);
  assert.throws(() => parseConfig('', 'c.json'), /--config c\.json: not valid JSON \(the file is empty\)/);
});
