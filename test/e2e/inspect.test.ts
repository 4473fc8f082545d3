// `rnncast inspect` as a user runs it: real datasets, standard input, and every bad input of
// ingestion as one line on standard error with the exit code of PRODUCT.md.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dataset, fixture, runCli } from '../helpers/exec.js';

const csv = (name: string): string => fixture(`bad/${name}`);

/** One line on stderr, no stack trace, nothing on stdout. */
function assertOneLineError(result: { status: number; stdout: string; stderr: string }, status: number, pattern: RegExp): void {
  assert.equal(result.status, status, result.stderr);
  assert.equal(result.stdout, '');
  const lines = result.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, result.stderr);
  assert.match(lines[0]!, pattern);
  assert.doesNotMatch(result.stderr, /\n\s+at /);
}

test('inspect air-passengers: summary and chart on stderr, nothing on stdout', () => {
  const result = runCli(['inspect', dataset('air-passengers.csv')]);
  assert.equal(result.status, 0, result.stderr);
  assert.equal(result.stdout, '');
  assert.match(result.stderr, /air-passengers\.csv: 144 rows, 2 columns/);
  assert.match(result.stderr, /time {7}1949-01 … 1960-12 \(month\)/);
  assert.match(result.stderr, /frequency {2}M: monthly \(month start\), season 12/);
  assert.match(result.stderr, /dominant autocorrelation lag 12/);
  assert.match(result.stderr, /transform {2}auto \(default flags\): the network corrects seasonal naive \(12\), a second network two-season naive \(12\) .*; log \(spread grows with the level\)/, 'what auto would choose, and why');
  assert.match(result.stderr, /┤/);
  assert.doesNotMatch(result.stderr, /\x1b\[/, 'NO_COLOR');
});

test('inspect --json: one JSON document on stdout', () => {
  const result = runCli(['inspect', dataset('air-passengers.csv'), '--json']);
  assert.equal(result.status, 0, result.stderr);
  const summary = JSON.parse(result.stdout);
  assert.equal(summary.rows, 144);
  assert.equal(summary.timeColumn, 'month');
  assert.equal(summary.target, 'passengers');
  assert.deepEqual(summary.timeRange, { start: '1949-01', end: '1960-12' });
  assert.equal(summary.freq.code, 'M');
  assert.match(summary.transform.why, /seasonal naive \(12\)/);
  assert.equal(summary.transform.error, null);
  assert.deepEqual(summary.seasonalityHint, { lag: 12, expected: 12 });
  assert.equal(summary.series[0].min, 104);
  assert.equal(summary.series[0].max, 622);
  assert.equal(result.stderr, '');
});

test('inspect long format: EuStockMarkets by index, business days', () => {
  const result = runCli(['inspect', dataset('eu-stock-markets.csv'), '--id', 'index', '--json']);
  assert.equal(result.status, 0, result.stderr);
  const summary = JSON.parse(result.stdout);
  assert.deepEqual(summary.series.map((s: { id: string }) => s.id), ['DAX', 'SMI', 'CAC', 'FTSE']);
  assert.equal(summary.freq.code, 'B');
});

test('inspect airquality: missing values filled with a counted warning; --quiet silences it', () => {
  const result = runCli(['inspect', dataset('airquality.csv'), '--target', 'ozone', '--no-chart']);
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stderr, /^warning: filled 37 missing values by linear interpolation \(--fill interpolate\)$/m);
  assert.doesNotMatch(result.stderr, /┤/);
  const quiet = runCli(['inspect', dataset('airquality.csv'), '--target', 'ozone', '--quiet']);
  assert.equal(quiet.status, 0);
  assert.equal(quiet.stderr, '');
});

test('inspect - reads standard input', () => {
  const result = runCli(['inspect', '-', '--json'], { input: readFileSync(dataset('air-passengers.csv'), 'utf8') });
  assert.equal(result.status, 0, result.stderr);
  const summary = JSON.parse(result.stdout);
  assert.equal(summary.source, '-');
  assert.equal(summary.rows, 144);
});

test('inspect with gaps and --fill error / --fill ffill', () => {
  assertOneLineError(runCli(['inspect', csv('gaps.csv'), '--fill', 'error']), 65, /gaps\.csv:3:2: missing value in column 'value' \(--fill error/);
  const filled = runCli(['inspect', csv('gaps.csv'), '--fill', 'ffill', '--json']);
  assert.equal(filled.status, 0, filled.stderr);
  assert.deepEqual(JSON.parse(filled.stdout).gaps, { missingTimestamps: 2, seriesWithGaps: 1 });
});

test('bad input: each one line on stderr with its exit code', () => {
  assertOneLineError(runCli(['inspect', csv('missing.csv')]), 66, /missing\.csv: cannot read input: no such file/);
  assertOneLineError(runCli(['inspect', csv('empty.csv')]), 65, /empty\.csv: empty input/);
  assertOneLineError(runCli(['inspect', csv('header-only.csv')]), 65, /header-only\.csv:1: only a header line, no data rows/);
  assertOneLineError(runCli(['inspect', dataset('air-passengers.csv'), '--target', 'pasengers']), 65,
    /air-passengers\.csv:1: no column 'pasengers' \(--target\); did you mean 'passengers'\?/);
  assertOneLineError(runCli(['inspect', dataset('air-passengers.csv'), '--time', 'mnth']), 65, /no column 'mnth' \(--time\); did you mean 'month'\?/);
  assertOneLineError(runCli(['inspect', csv('non-numeric.csv')]), 65, /non-numeric\.csv:4:2: 'abc' in column 'value' is not a number/);
  assertOneLineError(runCli(['inspect', csv('bad-time.csv')]), 65, /bad-time\.csv:3:1: '2020-01-0x' in column 'date' is not a time/);
  assertOneLineError(runCli(['inspect', csv('duplicate.csv')]), 65, /duplicate\.csv:4: duplicate time '2020-01-01' \(also on line 2\)/);
  assertOneLineError(runCli(['inspect', csv('mixed-frequency.csv')]), 65, /mixed-frequency\.csv:3: mixed frequencies: '2020-01-02' comes 1d after '2020-01-01' \(line 2\), but most times are weekly/);
  assertOneLineError(runCli(['inspect', csv('gaps.csv'), '--fill', 'error', '--target', 'value']), 65, /--fill error/);
  assertOneLineError(runCli(['inspect', csv('decimal-comma-semicolons.csv'), '--target', 'load']), 65,
    /decimal-comma-semicolons\.csv:2:2: '1,5' in column 'load' is not a number: it looks like a decimal comma/);
  // Training needs one target; inspect describes the first and says so (next test).
  assertOneLineError(runCli(['forecast', dataset('airquality.csv')]), 2, /several numeric columns could be the target: ozone, solar_r, wind, temp/);
  assertOneLineError(runCli(['inspect', dataset('air-passengers.csv'), '--freq', 'fortnightly']), 2, /--freq: unknown frequency 'fortnightly'/);
  assertOneLineError(runCli(['inspect', dataset('air-passengers.csv'), '--bogus-flag']), 2, /bogus-flag/);
});

test('duplicate timestamps in a long file without --id suggest --id', () => {
  assertOneLineError(runCli(['inspect', csv('long.csv')]), 65, /long\.csv:3: duplicate time '2020-01-01' \(also on line 2\); .*--id/);
  const result = runCli(['inspect', csv('long.csv'), '--id', 'store', '--json']);
  assert.equal(result.status, 0, result.stderr);
  assert.equal(JSON.parse(result.stdout).series.length, 2);
});

test('inspect on a file with several numeric columns describes the first and names the others', () => {
  const result = runCli(['inspect', dataset('airquality.csv'), '--json']);
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stderr, /several numeric columns could be the target \(ozone, solar_r, wind, temp\): describing 'ozone'/);
  assert.equal(JSON.parse(result.stdout).target, 'ozone');
});
