// End to end: the time forms, zones, flags and shapes of real-world files, and Excel output,
// through the real binary. Training is tiny: the point is what is read and what is written.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fixture, repoRoot, runCli, tempDir } from '../helpers/exec.js';

const quick = ['--epochs', '2', '--hidden', '4', '--quiet', '--no-chart', '--horizon', '4'];
const formats = (name: string): string => fixture(join('formats', name));

/** Forecast rows (after the header) of a successful run. */
function forecastRows(args: string[]): string[] {
  const result = runCli(['forecast', ...args, ...quick]);
  assert.equal(result.status, 0, result.stderr);
  return result.stdout.trim().split('\n');
}

describe('recognised time forms: read, and forecast times written the same way', () => {
  const cases: [file: string, header: string, first: string, last: string][] = [
    ['us-dates.csv', 'date', '3/11/1948', '3/14/1948'],
    ['european-dots.csv', 'datum', '12.03.1959', '15.03.1959'],
    ['day-first-slashes.csv', 'date', '10/01/2000', '13/01/2000'],
    ['month-names.csv', 'quarter', 'Jan 2008', 'Oct 2008'],
    ['month-name-dates.csv', 'date', '"Feb 9, 2000"', '"Feb 12, 2000"'],
    ['years.csv', 'year', '1920', '1923'],
    ['quarters.csv', 'quarter', '1966 Q1', '1966 Q4'],
    ['iso-weeks.csv', 'week', '2020-W19', '2020-W22'],
    ['year-codes.csv', 'month', '4-01', '4-04'],
    ['slash-datetime.csv', 'time', '2015/01/05 00:00:00', '2015/01/05 03:00:00'],
  ];
  for (const [file, header, first, last] of cases) {
    test(file, () => {
      const lines = forecastRows([formats(file)]);
      assert.equal(lines[0], `${header},forecast,lower_80,upper_80,lower_95,upper_95`);
      assert.equal(lines.length, 5);
      assert.ok(lines[1]!.startsWith(`${first},`), lines[1]);
      assert.ok(lines[4]!.startsWith(`${last},`), lines[4]);
    });
  }

  test('a column where no day is above 12 is refused, naming the column, value, line and --time-format', () => {
    const result = runCli(['forecast', formats('ambiguous-dates.csv'), ...quick]);
    assert.equal(result.status, 65);
    assert.match(result.stderr, /ambiguous-dates\.csv:3:1: '2\/1\/1948' in column 'date' could be month-first or day-first.*--time-format M\/d\/yyyy \(month first\) or --time-format d\/M\/yyyy \(day first\)/);
    const given = forecastRows([formats('ambiguous-dates.csv'), '--time-format', 'M/d/yyyy']);
    assert.ok(given[1]!.startsWith('7/1/1950,'), given[1]);
  });

  test('--time-format reads and writes any Luxon pattern; without it the refusal names the flag', () => {
    const lines = forecastRows([formats('custom-format.csv'), '--time-format', "yyyyMMdd 'h'HH"]);
    assert.equal(lines[0]!.split(',')[0], 'stamp');
    assert.deepEqual(lines.slice(1).map((line) => line.split(',')[0]), ['20200202 h22', '20200202 h23', '20200203 h00', '20200203 h01']);
    const temp = tempDir();
    const model = join(temp.path, 'custom.model.json');
    assert.equal(runCli(['train', formats('custom-format.csv'), '--time-format', "yyyyMMdd 'h'HH", '-o', model, ...quick]).status, 0);
    const withModel = runCli(['forecast', formats('custom-format.csv'), '-m', model, '--quiet']);
    temp.cleanup();
    assert.equal(withModel.status, 0, withModel.stderr);
    assert.equal(withModel.stdout.split('\n')[1]!.split(',')[0], '20200202 h22', 'the model remembers --time-format');
    const missing = runCli(['forecast', formats('custom-format.csv'), ...quick]);
    assert.equal(missing.status, 65);
    assert.match(missing.stderr, /no time column found.*--time-format/);
    const wrong = runCli(['forecast', formats('custom-format.csv'), '--time-format', 'dd.MM.yyyy', ...quick]);
    assert.equal(wrong.status, 65);
    assert.match(wrong.stderr, /custom-format\.csv:2:1: '20200131 h00' in column 'stamp' does not fit --time-format 'dd\.MM\.yyyy'.*fix --time-format/);
  });

  test('inspect --json names the pattern a column was read by, and the zone', () => {
    const result = runCli(['inspect', formats('us-dates.csv'), '--json']);
    assert.equal(result.status, 0, result.stderr);
    const summary = JSON.parse(result.stdout);
    assert.equal(summary.timeFormat, 'pattern');
    assert.equal(summary.timePattern, 'M/d/yyyy');
    assert.deepEqual(summary.timeRange, { start: '1/1/1948', end: '3/10/1948' });
    const zoned = JSON.parse(runCli(['inspect', formats('dst-offsets.csv'), '--json', '--quiet']).stdout);
    assert.equal(zoned.zone, 'America/Los_Angeles');
  });

  test('true/false flags are features', () => {
    const result = runCli(['forecast', formats('booleans.csv'), '--features', 'holiday', ...quick]);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout.split('\n').length, 6);
  });
});

describe('time zones', () => {
  test('offsets that change at daylight saving are one series on the zone found from them', () => {
    const result = runCli(['forecast', formats('dst-offsets.csv'), ...quick.filter((flag) => flag !== '--quiet')]);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stderr, /times in 'time' have offsets -08:00 and -07:00: read as instants on America\/Los_Angeles's clock/);
    assert.deepEqual(result.stdout.trim().split('\n').slice(1, 3).map((line) => line.split(',')[0]), ['2021-03-16T01:00:00-07:00', '2021-03-16T02:00:00-07:00']);
  });

  test('an hourly forecast crossing the autumn change writes the new offset (--tz)', () => {
    const lines = forecastRows([formats('dst-autumn.csv'), '--tz', 'America/Los_Angeles']);
    assert.deepEqual(lines.slice(1).map((line) => line.split(',')[0]), ['2021-11-07T00:00:00-07:00', '2021-11-07T01:00:00-07:00', '2021-11-07T01:00:00-08:00', '2021-11-07T02:00:00-08:00']);
  });

  test('naive local times: the repeated hour needs --tz, and the refusal says so', () => {
    const refused = runCli(['forecast', formats('dst-naive.csv'), ...quick]);
    assert.equal(refused.status, 65);
    assert.match(refused.stderr, /dst-naive\.csv:29: duplicate time '2021-10-31 02:00' \(also on line 28\); if these are local times with a daylight-saving change, give their zone with --tz/);
    const lines = forecastRows([formats('dst-naive.csv'), '--tz', 'Europe/Berlin']);
    assert.deepEqual(lines.slice(1, 3).map((line) => line.split(',')[0]), ['2021-11-02 23:00', '2021-11-03 00:00']);
    const unknown = runCli(['forecast', formats('dst-naive.csv'), '--tz', 'Europe/Atlantis', ...quick]);
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /--tz Europe\/Atlantis: expected an IANA time zone/);
  });
});

describe('wide files', () => {
  const temp = tempDir();
  after(() => temp.cleanup());

  test('--target all-numeric: one series per column, written wide; --long writes a series column', () => {
    const wide = forecastRows([formats('wide.csv'), '--target', 'all-numeric', '--level', '80']);
    assert.equal(wide[0], 'month,north,north_lower_80,north_upper_80,south,south_lower_80,south_upper_80,east,east_lower_80,east_upper_80');
    assert.equal(wide.length, 5);
    assert.ok(wide[1]!.startsWith('1995-01,'));
    const long = forecastRows([formats('wide.csv'), '--target', 'north,east', '--level', 'none', '--long']);
    assert.equal(long[0], 'series,month,forecast');
    assert.deepEqual(long.slice(1).map((line) => line.split(',')[0]), ['north', 'north', 'north', 'north', 'east', 'east', 'east', 'east']);
  });

  test('a model trained on a wide file forecasts wide with -m; backtest names the series', () => {
    const model = join(temp.path, 'wide.model.json');
    const train = runCli(['train', formats('wide.csv'), '--target', 'north,south', '-o', model, ...quick]);
    assert.equal(train.status, 0, train.stderr);
    const saved = JSON.parse(readFileSync(model, 'utf8'));
    assert.equal(saved.data.target, 'north,south');
    assert.equal(saved.data.wide, true);
    assert.deepEqual(saved.data.series.map((series: { id: string }) => series.id), ['north', 'south']);
    const result = runCli(['forecast', formats('wide.csv'), '-m', model, '--quiet', '--level', 'none']);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout.split('\n')[0], 'month,north,south');
    const backtest = runCli(['backtest', formats('wide.csv'), '--target', 'north,south', '--folds', '1', '--level', 'none', ...quick]);
    assert.equal(backtest.status, 0, backtest.stderr);
    assert.equal(backtest.stdout.split('\n')[0], 'series,fold,origin,month,step,actual,forecast');
  });

  test('several targets with --id, or a target listed twice, are usage errors', () => {
    const withId = runCli(['forecast', formats('wide.csv'), '--target', 'north,south', '--id', 'east', ...quick]);
    assert.equal(withId.status, 2);
    assert.match(withId.stderr, /--target north,south with --id/);
    const twice = runCli(['forecast', formats('wide.csv'), '--target', 'north,north', ...quick]);
    assert.equal(twice.status, 2);
    assert.match(twice.stderr, /column 'north' listed twice/);
  });
});

/** The sheets of a workbook as rows, read with the SheetJS copy danfojs-node writes with (tests only read our own files). */
function readWorkbook(path: string): Record<string, unknown[][]> {
  const fromDanfo = createRequire(createRequire(join(repoRoot, 'package.json')).resolve('danfojs-node'));
  const xlsx = fromDanfo('xlsx') as {
    readFile(path: string): { SheetNames: string[]; Sheets: Record<string, unknown> };
    utils: { sheet_to_json(sheet: unknown, options: { header: 1; blankrows: boolean; defval: null }): unknown[][] };
  };
  const book = xlsx.readFile(path);
  const trimmed = (row: unknown[]): unknown[] => {
    let end = row.length;
    while (end > 0 && row[end - 1] === null) end--;
    return row.slice(0, end);
  };
  return Object.fromEntries(book.SheetNames.map((name) => [name, xlsx.utils.sheet_to_json(book.Sheets[name], { header: 1, blankrows: true, defval: null }).map(trimmed)]));
}

describe('Excel output', () => {
  const temp = tempDir();
  after(() => temp.cleanup());

  test('forecast -o FILE.xlsx: the forecast sheet holds the CSV table, the run sheet the settings and series', () => {
    const path = join(temp.path, 'forecast.xlsx');
    const args = [formats('quarters.csv'), '--seed', '7', ...quick];
    const csv = runCli(['forecast', ...args]);
    assert.equal(csv.status, 0, csv.stderr);
    const result = runCli(['forecast', ...args, '-o', path]);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout, '');
    assert.equal(readFileSync(path).subarray(0, 2).toString(), 'PK', 'a zip container');
    const sheets = readWorkbook(path);
    assert.deepEqual(Object.keys(sheets), ['forecast', 'run']);
    const expected = csv.stdout.trim().split('\n').map((line, index) => line.split(',').map((cell, column) => (index === 0 || column === 0 ? cell : Number(cell))));
    assert.deepEqual(sheets.forecast, expected);
    const run = sheets.run!;
    assert.deepEqual(run[0], ['setting', 'value']);
    assert.ok(run.some((row) => row[0] === 'time form' && row[1] === "yyyy 'Q'q"), JSON.stringify(run));
    assert.ok(run.some((row) => row[0] === 'horizon' && row[1] === 4));
    const seriesHeader = run.findIndex((row) => row[0] === 'series');
    assert.deepEqual(run[seriesHeader], ['series', 'points', 'filled', 'last time', 'last value', 'forecast from', 'forecast to', 'first forecast', 'last forecast']);
    assert.deepEqual(run[seriesHeader + 1]!.slice(0, 4), ['megalitres', 40, 0, '1965 Q4']);
    assert.deepEqual(readdirSync(temp.path), ['forecast.xlsx'], 'no temp file left');
  });

  test('backtest -o and --metrics-out write workbooks; a failed run leaves an earlier workbook as it was', () => {
    const table = join(temp.path, 'backtest.xlsx');
    const metrics = join(temp.path, 'metrics.xlsx');
    const result = runCli(['backtest', formats('quarters.csv'), '--folds', '1', ...quick, '-o', table, '--metrics-out', metrics]);
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(Object.keys(readWorkbook(table)), ['backtest', 'run']);
    const sheets = readWorkbook(metrics);
    assert.deepEqual(Object.keys(sheets), ['overall', 'series', 'folds', 'run']);
    assert.deepEqual(sheets.overall!.map((row) => row[0]), ['method', 'model', 'naive', 'seasonal_naive', 'drift']);
    const before = statSync(table).mtimeMs;
    const bytes = readFileSync(table);
    writeFileSync(join(temp.path, 'bad.csv'), 'quarter,megalitres\n1956 Q1,1\n1956 Q9,2\n');
    const failed = runCli(['backtest', join(temp.path, 'bad.csv'), ...quick, '-o', table]);
    assert.equal(failed.status, 65);
    assert.deepEqual(readFileSync(table), bytes);
    assert.equal(statSync(table).mtimeMs, before);
  });

  test('--format xlsx on a terminal-less standard output writes the workbook bytes', () => {
    const result = runCli(['forecast', formats('years.csv'), '--format', 'xlsx', ...quick]);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout.slice(0, 2), 'PK');
  });
});

describe('Arrow output', () => {
  const temp = tempDir();
  after(() => temp.cleanup());

  test('-o FILE.arrow writes an Arrow IPC file with the CSV table: text columns as strings, numbers as Float64, empty cells as nulls', async () => {
    const path = join(temp.path, 'forecast.arrow');
    const args = [formats('wide.csv'), '--target', 'north,south', '--seed', '3', ...quick];
    const csv = runCli(['forecast', ...args]);
    assert.equal(csv.status, 0, csv.stderr);
    const result = runCli(['forecast', ...args, '-o', path]);
    assert.equal(result.status, 0, result.stderr);
    const arrow = await import('apache-arrow');
    const table = arrow.tableFromIPC(readFileSync(path));
    const lines = csv.stdout.trim().split('\n');
    assert.deepEqual(table.schema.fields.map((field) => field.name), lines[0]!.split(','));
    assert.deepEqual(table.schema.fields.map((field) => String(field.type)), ['Utf8', ...new Array<string>(10).fill('Float64')]);
    const rows = table.toArray().map((row) => Object.values(row.toJSON()));
    assert.deepEqual(rows, lines.slice(1).map((line) => line.split(',').map((cell, column) => (column === 0 ? cell : Number(cell)))));
    const empty = runCli(['forecast', formats('quarters.csv'), ...quick, '--epochs', '1', '--val-size', '0.01', '-o', join(temp.path, 'f.feather')]);
    assert.equal(empty.status, 0, empty.stderr);
    assert.equal(readFileSync(join(temp.path, 'f.feather')).subarray(0, 6).toString(), 'ARROW1');
  });
});

describe('cold start: heavy libraries load only where they are used', () => {
  const temp = tempDir();
  after(() => temp.cleanup());
  const traced = (args: string[]): string[] => {
    const out = join(temp.path, 'trace.txt');
    rmSync(out, { force: true });
    const result = runCli(args, { env: { NODE_OPTIONS: `--import ${join(repoRoot, 'test', 'helpers', 'trace-modules.mjs')}`, TRACE_OUT: out } });
    assert.equal(result.status, 0, result.stderr);
    return existsSync(out) ? [...new Set(readFileSync(out, 'utf8').split('\n').filter(Boolean))].sort() : [];
  };

  test('forecast -m on recognised forms loads neither luxon nor danfojs; --time-format loads luxon, .xlsx danfojs', () => {
    const model = join(temp.path, 'us.model.json');
    assert.deepEqual(traced(['train', formats('us-dates.csv'), '-o', model, ...quick]), []);
    assert.deepEqual(traced(['forecast', formats('us-dates.csv'), '-m', model, '--quiet']), []);
    assert.deepEqual(traced(['inspect', formats('dst-offsets.csv'), '--quiet', '--no-chart']), []);
    assert.deepEqual(traced(['forecast', formats('custom-format.csv'), '--time-format', "yyyyMMdd 'h'HH", ...quick]), ['luxon']);
    assert.deepEqual(traced(['forecast', formats('us-dates.csv'), '-m', model, '--quiet', '-o', join(temp.path, 'f.xlsx')]), ['danfojs-node', 'xlsx']);
    assert.deepEqual(traced(['forecast', formats('us-dates.csv'), '-m', model, '--quiet', '-o', join(temp.path, 'f.arrow')]), ['apache-arrow']);
  });
});
