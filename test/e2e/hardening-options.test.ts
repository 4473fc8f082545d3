// Flags from the command line, RNNCAST_* and --config, end to end through the real binary:
// booleans read strictly, keys of other commands ignored, config files read once and safely,
// one set of limits for train and the model loader, English whatever the locale, help that wraps
// between words.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { binPath, dataset, repoRoot, runCli, runCliAsync, tempDir } from '../helpers/exec.js';
import type { CliResult } from '../helpers/exec.js';

const air = dataset('air-passengers.csv');
const quick = ['--epochs', '1', '--hidden', '4'];

function assertUsage(result: CliResult, message: RegExp): void {
  assert.equal(result.status, 2, `exit ${result.status}, stderr: ${result.stderr}`);
  assert.equal(result.stderr.trimEnd().split('\n').length, 1, `one line:\n${result.stderr}`);
  assert.match(result.stderr, message);
}

/** bash, for the shell's own ways of naming a pipe: `<(…)` and `/dev/stdin`. */
function bash(script: string, env: Record<string, string> = {}): CliResult {
  const result = spawnSync('bash', ['-c', script], { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', RNNCAST: `${process.execPath} ${binPath}`, ...env } });
  return { status: result.status ?? 1, stdout: result.stdout, stderr: result.stderr };
}

describe('hardening: options from the command line, the environment and --config', { concurrency: 2 }, () => {
  const temp = tempDir('rnncast-options-');
  const model = join(temp.path, 'model.json');
  const path = (name: string): string => join(temp.path, name);
  before(() => {
    const result = runCli(['train', air, '-o', model, ...quick, '--quiet']);
    assert.equal(result.status, 0, result.stderr);
  });
  after(() => temp.cleanup());

  test('RNNCAST_BIDIRECTIONAL=1, TRUE, yes all mean true; no means false', async () => {
    for (const [value, expected] of [['1', true], ['TRUE', true], ['yes', true], ['no', false]] as const) {
      const out = path(`bidirectional-${value}.json`);
      const result = await runCliAsync(['train', air, '-o', out, ...quick, '--quiet'], { env: { RNNCAST_BIDIRECTIONAL: value } });
      assert.equal(result.status, 0, result.stderr);
      assert.equal(JSON.parse(readFileSync(out, 'utf8')).config.bidirectional, expected, value);
    }
  });

  test('a boolean that is neither true nor false is refused, from any source', async () => {
    assertUsage(await runCliAsync(['train', air, '-o', path('x.json'), ...quick, '--bidirectional=maybe']), /^rnncast: --bidirectional maybe: expected true or false/);
    assertUsage(await runCliAsync(['train', air, '-o', path('x.json'), ...quick], { env: { RNNCAST_BIDIRECTIONAL: 'maybe' } }), /--bidirectional maybe: .*\(from RNNCAST_BIDIRECTIONAL\)/);
    assertUsage(await runCliAsync(['inspect', air], { env: { RNNCAST_QUIET: 'sometimes' } }), /--quiet sometimes: expected true or false .*\(from RNNCAST_QUIET\)/);
    const result = await runCliAsync(['train', air, '-o', path('eq.json'), ...quick, '--quiet', '--bidirectional=on']);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(JSON.parse(readFileSync(path('eq.json'), 'utf8')).config.bidirectional, true, '--flag=on');
  });

  test('RNNCAST_QUIET=1 is quiet; RNNCAST_CHART=1 draws charts and RNNCAST_CHART=0 does not', async () => {
    const quiet = await runCliAsync(['forecast', air, '-m', model], { env: { RNNCAST_QUIET: '1' } });
    assert.equal(quiet.status, 0, quiet.stderr);
    assert.match(quiet.stderr, /^rnncast forecast: done in [^\n]*\n$/, 'off a terminal, quiet leaves the summary line');
    const chart = await runCliAsync(['forecast', air, '-m', model], { env: { RNNCAST_CHART: '1' } });
    assert.match(chart.stderr, /┤/);
    const noChart = await runCliAsync(['forecast', air, '-m', model], { env: { RNNCAST_CHART: 'off' } });
    assert.equal(noChart.status, 0, noChart.stderr);
    assert.doesNotMatch(noChart.stderr, /┤/);
  });

  test('one environment serves every command: keys of other commands are ignored, --debug names them', async () => {
    const env = { RNNCAST_LEVEL: '90', RNNCAST_FOLDS: '2', RNNCAST_SAVE_MODEL: path('never.json'), RNNCAST_EPOCHS: '1', RNNCAST_HIDDEN: '4' };
    const trained = await runCliAsync(['train', air, '-o', path('env.json'), '--quiet'], { env });
    assert.equal(trained.status, 0, trained.stderr);
    const forecast = await runCliAsync(['forecast', air, '-m', model, '--quiet', '--debug'], { env: { RNNCAST_FOLDS: '2' } });
    assert.equal(forecast.status, 0, forecast.stderr);
    assert.match(forecast.stderr, /ignored RNNCAST_FOLDS: --folds is a flag of backtest, not of forecast/);
    const shared = await runCliAsync(['forecast', air, '-m', model, '--no-chart'], { env });
    assert.equal(shared.status, 0, shared.stderr);
    assert.doesNotMatch(shared.stderr, /ignored with -m/, 'training flags from a shared environment are meant for train');
    const given = await runCliAsync(['forecast', air, '-m', model, '--no-chart', '--hidden', '8']);
    assert.match(given.stderr, /warning: ignored with -m \(the model file fixes them\): --hidden/);
    const inspect = await runCliAsync(['inspect', air, '--json'], { env });
    assert.equal(inspect.status, 0, inspect.stderr);
    assert.equal(inspect.stderr, '', 'without --debug, nothing is said');
  });

  test('one config file serves every command; a key no command knows is refused with a hint and its source', async () => {
    writeFileSync(path('all.json'), JSON.stringify({ epochs: 1, hidden: 4, level: '90', folds: 1, saveModel: path('kept.json'), quiet: true }));
    const inspect = await runCliAsync(['inspect', air, '--json', '--config', path('all.json')]);
    assert.equal(inspect.status, 0, inspect.stderr);
    const forecast = await runCliAsync(['forecast', air, '--config', path('all.json')]);
    assert.equal(forecast.status, 0, forecast.stderr);
    assert.match(forecast.stdout, /lower_90/);
    assert.equal(JSON.parse(readFileSync(path('kept.json'), 'utf8')).config.hiddenSize, 4);
    writeFileSync(path('typo.json'), JSON.stringify({ hidden: 4, pateince: 3 }));
    assertUsage(await runCliAsync(['train', air, '-o', path('x.json'), '--config', path('typo.json')]), /^rnncast: unknown flag: pateince \(from "pateince" in --config .*typo\.json\) \(did you mean --patience\?/);
    assertUsage(await runCliAsync(['train', air, '-o', path('x.json')], { env: { RNNCAST_PATEINCE: '3' } }), /unknown flag: pateince \(from RNNCAST_PATEINCE\) \(did you mean --patience\?/);
  });

  test('messages name what was given: an empty variable, null, a list', async () => {
    assertUsage(await runCliAsync(['train', air, '-o', path('x.json'), '--epochs', '1'], { env: { RNNCAST_HIDDEN: '' } }), /^rnncast: --hidden is empty: expected an integer in \[1, 4096\] \(from RNNCAST_HIDDEN\)$/m);
    writeFileSync(path('null.json'), '{"hidden": null}');
    assertUsage(await runCliAsync(['train', air, '-o', path('x.json'), '--config', path('null.json')]), /--hidden is null: expected an integer in \[1, 4096\] \(from "hidden" in --config/);
    writeFileSync(path('list.json'), '{"epochs": [1, 2]}');
    assertUsage(await runCliAsync(['train', air, '-o', path('x.json'), '--config', path('list.json')]), /--epochs is a list \[1,2\]: expected an integer/);
    assertUsage(await runCliAsync(['train', air, '-o', path('x.json'), '--epochs', '1', '--epochs', '2']), /--epochs was given more than once \(1, 2\)/);
  });

  test('--config /dev/stdin and --config <(…) are read once', () => {
    const piped = bash(`echo '{"epochs": 1, "hidden": 4, "quiet": true}' | $RNNCAST train ${air} -o ${path('stdin.json')} --config /dev/stdin`);
    assert.equal(piped.status, 0, piped.stderr);
    assert.equal(JSON.parse(readFileSync(path('stdin.json'), 'utf8')).config.hiddenSize, 4);
    const substituted = bash(`$RNNCAST train ${air} -o ${path('subst.json')} --config <(echo '{"epochs": 1, "hidden": 5, "quiet": true}')`);
    assert.equal(substituted.status, 0, substituted.stderr);
    assert.equal(JSON.parse(readFileSync(path('subst.json'), 'utf8')).config.hiddenSize, 5);
    const dash = bash(`echo '{"epochs": 1, "hidden": 7, "quiet": true}' | $RNNCAST train ${air} -o ${path('dash.json')} --config -`);
    assert.equal(dash.status, 0, dash.stderr);
    assert.equal(JSON.parse(readFileSync(path('dash.json'), 'utf8')).config.hiddenSize, 7);
    writeFileSync(path('from-file.json'), '{"epochs": 1, "hidden": 3, "quiet": true}');
    const redirected = bash(`$RNNCAST train ${air} -o ${path('redirected.json')} --config - < ${path('from-file.json')}`);
    assert.equal(redirected.status, 0, redirected.stderr);
    assert.equal(JSON.parse(readFileSync(path('redirected.json'), 'utf8')).config.hiddenSize, 3, 'standard input redirected from a file');
    const both = bash(`cat ${air} | $RNNCAST forecast - -m ${model} --config /dev/stdin`);
    assertUsage(both, /--config \/dev\/stdin and <input> - would both read standard input/);
  });

  test('a config file with a byte order mark is accepted; UTF-16 is refused by name', async () => {
    writeFileSync(path('bom.json'), `\uFEFF${JSON.stringify({ epochs: 1, hidden: 6, quiet: true })}`);
    const result = await runCliAsync(['train', air, '-o', path('bom-model.json'), '--config', path('bom.json')]);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(JSON.parse(readFileSync(path('bom-model.json'), 'utf8')).config.hiddenSize, 6);
    writeFileSync(path('utf16.json'), Buffer.from(`\uFEFF{"epochs": 1}`, 'utf16le'));
    assertUsage(await runCliAsync(['train', air, '-o', path('x.json'), '--config', path('utf16.json')]), /utf16\.json: the file is UTF-16; save it as UTF-8/);
  });

  // A hang fails by the test's timeout, generous so a loaded machine cannot fail it (no wall-clock asserts).
  test('a config path that is a device, a named pipe or too big is refused at once', { timeout: 120_000 }, async () => {
    const fifo = path('fifo');
    assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
    assertUsage(await runCliAsync(['train', air, '-o', path('x.json'), '--config', '/dev/zero']), /--config \/dev\/zero: a character device, not a JSON file/);
    assertUsage(await runCliAsync(['train', air, '-o', path('x.json'), '--config', fifo]), /--config .*fifo: a named pipe \(FIFO\), not a JSON file/);
    assertUsage(await runCliAsync(['train', air, '-o', path('x.json'), '--config', temp.path]), /a folder, not a JSON file/);
    writeFileSync(path('big.json'), `{"hidden": 4, "pad": "${'x'.repeat(1_100_000)}"}`);
    assertUsage(await runCliAsync(['train', air, '-o', path('x.json'), '--config', path('big.json')]), /big\.json: larger than 1 MB/);
    const endless = bash(`yes '{' | $RNNCAST train ${air} -o ${path('x.json')} --config /dev/stdin`);
    assertUsage(endless, /--config \/dev\/stdin: larger than 1 MB/);
  });

  test('SIGTERM ends a run whose --config pipe never closes', { timeout: 120_000 }, async () => {
    const child = spawn(process.execPath, [binPath, 'train', air, '-o', path('x.json'), '--config', '/dev/stdin'], { env: { ...process.env, NO_COLOR: '1' } });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdin.write('{"hidden": ');
    // Signal only once the run waits on the pipe: its event loop watches descriptor 0 (Linux).
    const watchingStdin = (): boolean => {
      try {
        return readdirSync(`/proc/${child.pid}/fdinfo`).some((fd) => /^tfd:\s+0\s/m.test(readFileSync(`/proc/${child.pid}/fdinfo/${fd}`, 'utf8')));
      } catch {
        return false;
      }
    };
    for (let waited = 0; !watchingStdin() && waited < 15_000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    child.kill('SIGTERM');
    const status = await exited;
    child.stdin.destroy();
    assert.equal(status, 130, stderr);
    assert.match(stderr, /interrupted while reading --config \/dev\/stdin/);
  });

  test('one set of limits: what train accepts, forecast -m loads; what the loader refuses, train refuses', async () => {
    const edge = path('edge.json');
    const trained = await runCliAsync(['train', air, '-o', edge, ...quick, '--quiet', '--patience', '1000000', '--min-delta', '1e12', '--clip-norm', '1e12', '--clip-value', '1e12', '--weight-decay', '0']);
    assert.equal(trained.status, 0, trained.stderr);
    const used = await runCliAsync(['forecast', air, '-m', edge, '--quiet']);
    assert.equal(used.status, 0, used.stderr);
    assertUsage(await runCliAsync(['train', air, '-o', path('x.json'), ...quick, '--patience', '1000001']), /--patience 1000001: expected an integer in \[1, 1000000\]/);
    assertUsage(await runCliAsync(['train', air, '-o', path('x.json'), ...quick, '--weight-decay', '1e7']), /--weight-decay 10000000: expected a number in \[0, 1000000\]/);
    const copy = JSON.parse(readFileSync(edge, 'utf8'));
    copy.config.patience = 1000001;
    writeFileSync(path('over.json'), JSON.stringify(copy));
    const refused = await runCliAsync(['forecast', air, '-m', path('over.json'), '--quiet']);
    assert.equal(refused.status, 65, refused.stderr);
    assert.match(refused.stderr, /over\.json: config\.patience is 1000001, expected an integer in \[1, 1000000\]/);
  });

  test('a model is refused on data of another frequency, read once, from a file or standard input', async () => {
    const daily = `month,passengers\n${Array.from({ length: 80 }, (_, i) => `${new Date(Date.UTC(2020, 0, 1 + i)).toISOString().slice(0, 10)},${100 + (i % 7)}`).join('\n')}\n`;
    writeFileSync(path('daily.csv'), daily);
    const dailyModel = path('daily-model.json');
    const trained = await runCliAsync(['train', path('daily.csv'), '-o', dailyModel, ...quick, '--quiet']);
    assert.equal(trained.status, 0, trained.stderr);
    const fromFile = await runCliAsync(['forecast', air, '-m', dailyModel, '--quiet']);
    assert.equal(fromFile.status, 65, fromFile.stderr);
    assert.match(fromFile.stderr, /daily-model\.json: the model was trained with frequency D, but .*air-passengers\.csv has frequency M/);
    assert.equal(fromFile.stdout, '');
    const fromStdin = await runCliAsync(['forecast', '-', '-m', dailyModel, '--quiet'], { input: readFileSync(air, 'utf8') });
    assert.equal(fromStdin.status, 65, fromStdin.stderr);
    assert.match(fromStdin.stderr, /the model was trained with frequency D, but <stdin> has frequency M|but - has frequency M/);
  });

  test('--val-size 0 trains without validation: the intervals are empty, as the short-series hint promises', async () => {
    const out = path('noval.json');
    const result = await runCliAsync(['train', air, '-o', out, ...quick, '--quiet', '--val-size', '0']);
    assert.equal(result.status, 0, result.stderr);
    const forecast = await runCliAsync(['forecast', air, '-m', out, '--quiet']);
    assert.match(forecast.stdout.split('\n')[1]!, /^1961-01,[\d.]+,,,,$/);
  });

  test('rnncast speaks English under any locale, with its own hints', async () => {
    for (const env of [{ LANG: 'de_DE.UTF-8' }, { LC_ALL: 'fr_FR' }, { LC_ALL: 'zh_CN.UTF-8', LANG: 'zh_CN.UTF-8' }] as Record<string, string>[]) {
      assertUsage(await runCliAsync(['train', air, '--hiden', '3'], { env }), /^rnncast: unknown flag: hiden \(did you mean --hidden\? see --help\)$/m);
      assertUsage(await runCliAsync(['train'], { env }), /^rnncast: missing <input> for train: a CSV file, or - for standard input$/m);
      const help = await runCliAsync(['forecast', '--help'], { env });
      assert.match(help.stdout, /Show help/);
    }
  });

  test('--help wraps between words: every word of every description and example stays whole', async () => {
    const { COMMAND_HELP, yargsOption } = await import('../../src/cli/parser.js');
    const { COMMAND_FLAGS } = await import('../../src/options/flags.js');
    const escape = (word: string): string => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    for (const command of ['inspect', 'train', 'forecast', 'backtest'] as const) {
      const help = await runCliAsync([command, '--help']);
      assert.equal(help.status, 0, help.stderr);
      const texts = [...COMMAND_HELP[command].examples.flat(), ...COMMAND_FLAGS[command].flatMap((group) => Object.values(group).map((spec) => String(yargsOption(spec).describe)))];
      for (const word of texts.flatMap((text) => text.split(/\s+/))) {
        assert.match(help.stdout, new RegExp(`(^|\\s)${escape(word)}(\\s|\\[|$)`, 'm'), `${command} --help: '${word}' is cut`);
      }
      assert.doesNotMatch(help.stdout, /README says why|issue \d/i, 'no pointers the user cannot follow in --help');
    }
  });
});
