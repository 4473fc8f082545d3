// main() in-process: the command line, the environment and the streams all come from the context.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { main } from '../../src/cli/main.js';
import { toolVersion } from '../../src/version.js';
import { memoryContext } from '../helpers/context.js';
import { dataset } from '../helpers/exec.js';

const run = async (argv: string[], options: Parameters<typeof memoryContext>[0] = {}) => {
  const memory = memoryContext(options);
  const status = await main({ argv, context: memory.context });
  return { status, stdout: memory.out(), stderr: memory.err() };
};

test('--help and --version print on the context\'s standard output', async () => {
  const help = await run(['train', '--help'], { columns: 110 });
  assert.equal(help.status, 0);
  assert.match(help.stdout, /rnncast train <input>/);
  assert.match(help.stdout, /--hidden +hidden units per layer and direction \(default: 64\)/);
  assert.equal(help.stderr, '');
  assert.equal((await run(['--version'])).stdout, `${toolVersion()}\n`);
});

test('usage errors are one line on the context\'s standard error, exit 2', async () => {
  const typo = await run(['inspect', dataset('nile.csv'), '--jsn']);
  assert.equal(typo.status, 2);
  assert.equal(typo.stderr, 'rnncast: unknown flag: jsn (did you mean --json? see --help)\n');
  // A hyphenated unknown flag is named once (yargs also reports its camelCase twin).
  assert.equal((await run(['inspect', dataset('nile.csv'), '--some-flag'])).stderr, 'rnncast: unknown flag: some-flag (see --help)\n');
  assert.equal((await run([])).stderr, 'rnncast: name a command: inspect, train, forecast, backtest, update\n');
  assert.equal((await run(['inspect', dataset('nile.csv'), '--hidden', '3'])).stderr, 'rnncast: --hidden is not a flag of inspect (it is one of train, forecast, backtest; see --help)\n');
  assert.equal((await run(['inspect', dataset('nile.csv'), '-q=maybe'])).stderr, 'rnncast: -q maybe: expected true or false (or yes/no, on/off, 1/0)\n');
  assert.equal((await run(['forcast', 'x.csv'])).stderr, "rnncast: unknown command 'forcast' (did you mean forecast? commands: inspect, train, forecast, backtest, update, completion)\n");
});

test('RNNCAST_* come from the context\'s environment, not the process\'s', async () => {
  const env = { RNNCAST_JSON: 'yes', RNNCAST_FOLDS: '3' };
  const inspect = await run(['inspect', dataset('nile.csv'), '--debug'], { env });
  assert.equal(inspect.status, 0, inspect.stderr);
  assert.equal(JSON.parse(inspect.stdout).freq.code, 'Y');
  assert.match(inspect.stderr, /ignored RNNCAST_FOLDS: --folds is a flag of backtest, not of inspect/);
  const bad = await run(['inspect', dataset('nile.csv')], { env: { RNNCAST_JSON: 'maybe' } });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--json maybe: expected true or false .*\(from RNNCAST_JSON\)/);
});

test('booleans written --flag=value or -f=value', async () => {
  assert.equal((await run(['inspect', dataset('nile.csv'), '-q=yes'])).stderr, '');
  assert.equal((await run(['inspect', dataset('nile.csv'), '--json=off', '--quiet=on'])).stdout, '');
  assert.match((await run(['inspect', dataset('nile.csv'), '--no-json=no', '--no-quiet=TRUE'])).stdout, /^\{/);
});

test('- reads the context\'s standard input', async () => {
  const inspect = await run(['inspect', '-', '--json'], { input: 'd,v\n2020-01-01,1\n2020-01-02,2\n2020-01-03,3\n' });
  assert.equal(inspect.status, 0, inspect.stderr);
  assert.equal(JSON.parse(inspect.stdout).rows, 3);
});
