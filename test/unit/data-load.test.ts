import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { createHash } from 'node:crypto';
import { DataError, InputError, UsageError } from '../../src/errors.js';
import { loadDataset } from '../../src/data/load.js';
import { formatTime } from '../../src/data/time.js';
import type { Dataset, LoadOptions } from '../../src/data/types.js';
import { csvFiles } from '../helpers/csv-files.js';

const { write, load, rejects } = csvFiles('rnncast-load-', { fill: 'interpolate' });

const times = (dataset: Dataset, series = 0): string[] =>
  Array.from(dataset.series[series]!.times, (t) => formatTime(t, dataset.timeStyle));

test('a monthly file: time and target detected, style kept, sha256 of the raw bytes', async () => {
  const text = 'month,passengers\n1949-01,112\n1949-02,118\n1949-03,132\n';
  const dataset = await load(text);
  assert.equal(dataset.timeColumn, 'month');
  assert.equal(dataset.target, 'passengers');
  assert.equal(dataset.timeStyle.kind, 'month');
  assert.deepEqual({ ...dataset.freq }, { code: 'M', unit: 'month', step: 1, anchor: 'start' });
  assert.deepEqual(times(dataset), ['1949-01', '1949-02', '1949-03']);
  assert.deepEqual(Array.from(dataset.series[0]!.values), [112, 118, 132]);
  assert.deepEqual(Array.from(dataset.series[0]!.lines), [2, 3, 4]);
  assert.equal(dataset.rowCount, 3);
  assert.equal(dataset.sha256, createHash('sha256').update(text).digest('hex'));
  assert.deepEqual(dataset.columns, [{ name: 'month', type: 'time', missing: 0 }, { name: 'passengers', type: 'number', missing: 0 }]);
  assert.deepEqual(dataset.warnings, []);
});

test('semicolon and tab delimiters, BOM, CRLF, quoted fields, standard input', async () => {
  const expected = [1.5, 2, 3];
  const semicolon = await load('\ufeffdate;value\r\n2020-01-01;1.5\r\n2020-01-02;2\r\n2020-01-03;3\r\n');
  assert.equal(semicolon.timeColumn, 'date');
  assert.deepEqual(Array.from(semicolon.series[0]!.values), expected);
  const tab = await load('date\tvalue\n2020-01-01\t1.5\n2020-01-02\t2\n2020-01-03\t3\n');
  assert.deepEqual(Array.from(tab.series[0]!.values), expected);
  const quoted = await load('"date","value"\n"2020-01-01","1.5"\n"2020-01-02","2"\n"2020-01-03","3"\n');
  assert.deepEqual(Array.from(quoted.series[0]!.values), expected);
  const stdin = await loadDataset({ input: '-', fill: 'interpolate', stdin: Readable.from([Buffer.from('date,value\n2020-01-01,1.5\n2020-01-02,2\n2020-01-03,3\n')]) });
  assert.equal(stdin.source, '-');
  assert.deepEqual(Array.from(stdin.series[0]!.values), expected);
  const forced = await load('date|value\n2020-01-01|1.5\n2020-01-02|2\n2020-01-03|3\n', { delimiter: '|' });
  assert.deepEqual(Array.from(forced.series[0]!.values), expected);
});

test('the fast path and csv-parse give the same dataset (quoted copy of a file)', async () => {
  const rows = ['date,a,b'];
  for (let day = 0; day < 300; day++) {
    const date = new Date(Date.UTC(2020, 0, 1 + day)).toISOString().slice(0, 10);
    rows.push(`${date},${day % 7 === 3 ? '' : (day * 1.25).toFixed(2)},${(Math.sin(day) * 10).toFixed(4)}`);
  }
  const plain = rows.join('\n');
  const quoted = rows.map((row) => row.split(',').map((cell) => `"${cell}"`).join(',')).join('\n');
  const a = await load(plain, { target: 'a', features: ['b'] });
  const b = await load(quoted, { target: 'a', features: ['b'] });
  assert.notEqual(a.sha256, b.sha256);
  assert.deepEqual({ ...a, sha256: '', source: '' }, { ...b, sha256: '', source: '' });
});

test('date-times with offsets, epoch seconds and epoch milliseconds', async () => {
  const offset = await load('time,v\n2020-01-01T00:00:00+01:00,1\n2020-01-01T01:00:00+01:00,2\n2020-01-01T02:00:00+01:00,3\n');
  assert.equal(offset.freq.code, 'H');
  assert.equal(offset.timeStyle.offsetMinutes, 60);
  assert.deepEqual(times(offset), ['2020-01-01T00:00:00+01:00', '2020-01-01T01:00:00+01:00', '2020-01-01T02:00:00+01:00']);
  const seconds = await load('ts,v\n1600000000,1\n1600000060,2\n1600000120,3\n');
  assert.equal(seconds.timeStyle.kind, 'epoch-seconds');
  assert.equal(seconds.freq.code, 'min');
  assert.equal(seconds.series[0]!.times[0], 1_600_000_000_000);
  const millis = await load('v,epoch\n1,1600000000000\n2,1600000900000\n3,1600001800000\n');
  assert.equal(millis.timeStyle.kind, 'epoch-millis');
  assert.equal(millis.timeColumn, 'epoch');
  assert.equal(millis.freq.code, '15min');
  // A numeric column that is not plausibly epoch time is not taken for one.
  await rejects('id,v\n1,2\n2,3\n', {}, DataError, '^@:1: no time column found');
  // Named with --time, a numeric column is epoch time.
  assert.equal((await load('n,v\n1600000000,1\n1600086400,2\n', { time: 'n' })).freq.code, 'D');
});

test('frequency inference: minutes to years, month ends, business days, weekly', async () => {
  const csv = (stamps: string[]): string => `t,v\n${stamps.map((s, i) => `${s},${i}`).join('\n')}\n`;
  const infer = async (stamps: string[]): Promise<string> => {
    const { freq } = await load(csv(stamps));
    return `${freq.code}/${freq.anchor}`;
  };
  assert.equal(await infer(['2020-01-01T00:00', '2020-01-01T00:15', '2020-01-01T00:30', '2020-01-01T00:45']), '15min/null');
  assert.equal(await infer(['2020-01-01 00:00', '2020-01-01 02:00', '2020-01-01 04:00']), '2H/null');
  assert.equal(await infer(['2020-01-01', '2020-01-02', '2020-01-03']), 'D/null');
  assert.equal(await infer(['2020-01-05', '2020-01-12', '2020-01-19', '2020-01-26']), 'W/null');
  assert.equal(await infer(['2024-04-30', '2024-05-01', '2024-05-02', '2024-05-03', '2024-05-06', '2024-05-07']), 'B/null');
  assert.equal(await infer(['2020-01-31', '2020-02-29', '2020-03-31', '2020-04-30']), 'M/end');
  assert.equal(await infer(['2020-01-01', '2020-02-01', '2020-03-01']), 'M/start');
  assert.equal(await infer(['2020-01-15', '2020-02-15', '2020-03-15']), 'M/null');
  assert.equal(await infer(['2020-03-31', '2020-06-30', '2020-09-30', '2020-12-31']), 'Q/end');
  assert.equal(await infer(['1871-01-01', '1872-01-01', '1873-01-01']), 'Y/start');
  assert.equal(await infer(['2020-01', '2020-04', '2020-07']), 'Q/start');
  // --freq overrides; 'M' takes its anchor from the data.
  const given = await load(csv(['2020-01-31', '2020-03-31']), { freq: 'M' });
  assert.deepEqual({ ...given.freq }, { code: 'M', unit: 'month', step: 1, anchor: 'end' });
  assert.deepEqual(times(given), ['2020-01-31', '2020-02-29', '2020-03-31']);
  await rejects(csv(['2020-01-01', '2020-01-02T12:00']), { freq: 'D' }, DataError, '^@:3:1: .*mixed time formats');
  await rejects(csv(['2020-01-01', '2020-01-02', '2020-01-04']), { freq: 'W' }, DataError, "^@:3: time '2020-01-02' is not on the --freq W grid");
  await rejects(csv(['2020-01-01']), {}, DataError, '^@:2: only one time: the frequency cannot be inferred; give --freq');
});

test('irregular spacing and mixed frequencies are data errors with the line', async () => {
  const csv = (stamps: string[]): string => `t,v\n${stamps.map((s, i) => `${s},${i}`).join('\n')}\n`;
  await rejects(csv(['2020-01-01T00:00', '2020-01-01T01:00', '2020-01-01T02:00', '2020-01-01T02:17', '2020-01-01T04:00']), {}, DataError,
    "^@:5: irregular spacing: '2020-01-01T02:17' comes 17min after '2020-01-01T02:00' \\(line 4\\).*give --freq");
  const mixed = ['2020-01-01', '2020-01-02', '2020-01-03', '2020-01-04', '2020-01-05', '2020-01-06', '2020-01-07',
    '2020-01-14', '2020-01-21', '2020-01-28', '2020-02-04', '2020-02-11', '2020-02-18'];
  await rejects(csv(mixed), {}, DataError, '^@:8: mixed frequencies: from line 8 to line 14 the times are 7 steps apart');
  // With --freq the same file is filled instead.
  const filled = await load(csv(mixed), { freq: 'D' });
  assert.equal(filled.filled.timestamps, 36);
});

test('unsorted rows are sorted with a warning; duplicate timestamps name both lines', async () => {
  const dataset = await load('d,v\n2020-01-03,3\n2020-01-01,1\n2020-01-02,2\n');
  assert.deepEqual(Array.from(dataset.series[0]!.values), [1, 2, 3]);
  assert.deepEqual(Array.from(dataset.series[0]!.lines), [3, 4, 2]);
  assert.deepEqual(dataset.warnings, ["rows were not in time order: sorted them by 'd'"]);
  await rejects('d,v\n2020-01-01,1\n2020-01-02,2\n2020-01-01,3\n', {}, DataError, "^@:4: duplicate time '2020-01-01' \\(also on line 2\\); if the file holds several series, name their id column with --id");
});

test('column choice: ambiguous target, unknown names with the closest one, features, twice-named columns', async () => {
  const text = 'date,sales,price,store\n2020-01-01,1,2,a\n2020-01-02,3,4,a\n';
  await rejects(text, {}, UsageError, '^several numeric columns could be the target: sales, price; choose one with --target');
  assert.equal((await load(text, { features: ['price'] })).target, 'sales');
  await rejects(text, { target: 'slaes' }, DataError, "^@:1: no column 'slaes' \\(--target\\); did you mean 'sales'\\? columns: date, sales, price, store");
  await rejects(text, { time: 'dat' }, DataError, "^@:1: no column 'dat' \\(--time\\); did you mean 'date'\\?");
  await rejects(text, { target: 'sales', features: ['prize'] }, DataError, "no column 'prize' \\(--features\\); did you mean 'price'\\?");
  await rejects(text, { target: 'store' }, DataError, "^@:2:4: 'a' in column 'store' is not a number");
  await rejects(text, { target: 'date' }, UsageError, "^--target: 'date' is the time column");
  await rejects('date,v,v\n2020-01-01,1,2\n', {}, DataError, "^@:1:3: column name 'v' given twice \\(fields 2 and 3\\)");
});

test('bad numbers: file:line:column, thousands separators, decimal commas, infinities', async () => {
  await rejects('date,value\n2020-01-01,1\n2020-01-02,abc\n', {}, DataError, "^@:3:2: 'abc' in column 'value' is not a number$");
  await rejects('date,value\n2020-01-01,1\n2020-01-02,"1,234"\n', {}, DataError, "^@:3:2: '1,234' in column 'value' is not a number: it looks like a number with ',' thousands separators");
  await rejects('date;value\n2020-01-01;1,5\n2020-01-02;2,5\n', {}, DataError, "^@:2:2: '1,5' in column 'value' is not a number: it looks like a decimal comma");
  await rejects('date,value\n2020-01-01,1,5\n', {}, DataError, "^@:2: 3 fields, but the header has 2 \\(a ragged row\\).*--delimiter ';'");
  await rejects('date,value\n2020-01-01,1\n2020-01-02,Infinity\n', {}, DataError, "^@:3:2: 'Infinity' in column 'value' is not a finite number");
  await rejects('date,value\n2020-01-01,1\n2020-01-02\n', {}, DataError, '^@:3: 1 fields, but the header has 2');
});

test('bad times: unparseable, mixed formats, offsets no zone has, two-digit years', async () => {
  await rejects('date,value\n2020-01-01,1\n2020-13-01,2\n', {}, DataError, "^@:3:1: '2020-13-01' in column 'date' is not a time.*--time-format");
  await rejects('date,value\n2020-01-01,1\n2020-01-02T00:00,2\n', {}, DataError, "^@:3:1: '2020-01-02T00:00' in column 'date' is a date-time, but line 2 has a date: mixed time formats");
  await rejects('t,v\n2020-01-01T00:00+01:00,1\n2020-01-01T01:00+02:00,2\n', {}, DataError,
    "^@:3:1: column 't' changes from offset \\+01:00 \\(line 2\\) to \\+02:00, which no time zone's daylight-saving rules do");
  await rejects('date,value\n01/31/20,1\n', {}, DataError, "^@:1: no time column found.*column 'date' has '01/31/20' \\(a two-digit year\\): give its form, e.g. --time-format M/d/yy");
  await rejects('date;value\n2020-01-01;1\n', { delimiter: ',' }, DataError, "no time column found.*is the delimiter ';'\\? use --delimiter");
  await rejects('x,value\n1949,1\n1950,2\n', {}, DataError, "no time column found.*column 'x' has '1949': if it holds years, name it with --time x");
  // Step numbers are no time in any form: say so, rather than suggest a --time-format.
  const steps = 't,value\n1,5\n2,6\n3,7\n4,8\n';
  await rejects(steps, {}, DataError, "^@:1: no time column found.*milliseconds; column 't' holds step numbers \\(1, 2, 3, …\\), not times: rnncast puts forecasts on a calendar, so write each row's date or time in 't'");
  await rejects(steps, { time: 't' }, DataError, "^@:2:1: '1' in column 't' \\(--time\\) is not a time rnncast recognises; column 't' holds step numbers");
  await rejects('t,value\n1,5\n3,6\n4,7\n', { time: 't' }, DataError, "is not a time rnncast recognises; give its form with --time-format");
});

test('empty, header only, all missing, missing file, non-UTF-8', async () => {
  await rejects('', {}, DataError, '^@: empty input');
  await rejects('\n\n', {}, DataError, '^@: empty input');
  await rejects('date,value\n', {}, DataError, '^@:1: only a header line, no data rows');
  await rejects('date,value\n2020-01-01,\n2020-01-02,NA\n', { target: 'value' }, DataError, "^@: column 'value' has no values: all 2 are missing");
  const folder = dirname(write('date,value\n'));
  await assert.rejects(loadDataset({ input: join(folder, 'nope.csv'), fill: 'interpolate' }), (error: unknown) =>
    error instanceof InputError && /nope\.csv: cannot read input: no such file/.test(error.message));
  await assert.rejects(loadDataset({ input: folder, fill: 'interpolate' }), InputError);
  await rejects(Buffer.concat([Buffer.from('date,value\n2020-01-01,1\n2020-01-02,caf'), Buffer.from([0xe9]), Buffer.from('\n')]), {}, DataError,
    '^@:3: not UTF-8 text \\(byte 0xe9\\)');
});

test('fill policies on a missing value and a missing timestamp', async () => {
  const text = 'date,v\n2020-01-01,1\n2020-01-02,\n2020-01-03,3\n2020-01-05,7\n2020-01-06,NaN\n';
  const run = async (fill: LoadOptions['fill']): Promise<Dataset> => load(text, { fill });
  // The last row's empty target is past the data: left out with a warning, never filled (src/data/future.ts).
  const trailing = (path: string): string => `${path}: line 6: 1 row after the last 'v' value (line 5) has an empty target and nothing known ahead: ignored, not filled; the forecast starts after 2020-01-05`;
  const interpolated = await run('interpolate');
  assert.deepEqual(times(interpolated), ['2020-01-01', '2020-01-02', '2020-01-03', '2020-01-04', '2020-01-05']);
  assert.deepEqual(Array.from(interpolated.series[0]!.values), [1, 2, 3, 5, 7]);
  assert.deepEqual(Array.from(interpolated.series[0]!.imputed), [0, 1, 0, 1, 0]);
  assert.deepEqual(Array.from(interpolated.series[0]!.lines), [2, 3, 4, 0, 5]);
  assert.equal(interpolated.series[0]!.future, undefined);
  assert.deepEqual(interpolated.filled, { values: 1, timestamps: 1 });
  assert.deepEqual(interpolated.warnings, ['filled 1 missing value and 1 missing timestamp (gaps at daily) by linear interpolation (--fill interpolate)', trailing(interpolated.source)]);
  assert.deepEqual(interpolated.columns[1], { name: 'v', type: 'number', missing: 2 });
  assert.deepEqual(Array.from((await run('ffill')).series[0]!.values), [1, 1, 3, 3, 7]);
  assert.deepEqual(Array.from((await run('zero')).series[0]!.values), [1, 0, 3, 0, 7]);
  const dropped = await run('drop');
  assert.deepEqual(times(dropped), ['2020-01-01', '2020-01-03', '2020-01-05']);
  assert.deepEqual(Array.from(dropped.series[0]!.values), [1, 3, 7]);
  assert.deepEqual(dropped.warnings, ['dropped 1 row with missing values (--fill drop)',
    '1 missing timestamp was left out (--fill drop): the remaining rows are read as consecutive steps', trailing(dropped.source)]);
  await rejects(text, { fill: 'error' }, DataError, "^@:3:2: missing value in column 'v' \\(--fill error");
  await rejects('date,v\n2020-01-01,1\n2020-01-04,2\n2020-01-05,2\n', { fill: 'error' }, DataError,
    "^@:3: 2 missing timestamps between '2020-01-01' \\(line 2\\) and '2020-01-04' at frequency D \\(--fill error");
  // Linear in time: a month-end grid has unequal steps.
  const monthly = await load('m,v\n2020-01-31,0\n2020-02-29,\n2020-03-31,60\n');
  assert.equal(monthly.series[0]!.values[1], 60 * 29 / 60);
  // Leading missing values take the first value.
  assert.deepEqual(Array.from((await load('d,v\n2020-01-01,\n2020-01-02,\n2020-01-03,5\n')).series[0]!.values), [5, 5, 5]);
});

test('long format: series by id in order of first appearance, checked separately, with features', async () => {
  const text = [
    'date,store,sales,price',
    '2020-01-01,b,10,1', '2020-01-01,a,1,2', '2020-01-02,b,11,1', '2020-01-02,a,,2', '2020-01-03,a,3,',
    '2020-01-04,b,13,1', '2020-01-04,a,4,2',
  ].join('\n');
  const dataset = await load(text, { id: 'store', target: 'sales', features: ['price'] });
  assert.equal(dataset.idColumn, 'store');
  assert.deepEqual(dataset.series.map((s) => s.id), ['b', 'a']);
  assert.deepEqual(Array.from(dataset.series[0]!.values), [10, 11, 12, 13]);
  assert.deepEqual(Array.from(dataset.series[0]!.imputed), [0, 0, 1, 0]);
  assert.deepEqual(Array.from(dataset.series[1]!.values), [1, 2, 3, 4]);
  assert.deepEqual(Array.from(dataset.series[1]!.features[0]!), [2, 2, 2, 2]);
  assert.deepEqual(dataset.filled, { values: 2, timestamps: 1 });
  assert.deepEqual(dataset.columns.map((c) => c.type), ['time', 'string', 'number', 'number']);
  await rejects('date,store,sales\n2020-01-01,a,1\n2020-01-02,a,2\n2020-01-01,a,3\n', { id: 'store' }, DataError,
    "^@:4: duplicate time '2020-01-01' in series 'a' \\(also on line 2\\)$");
  await rejects('date,store,sales\n2020-01-01,a,1\n2020-01-02,a,2\n2020-01-01,b,\n2020-01-02,b,\n', { id: 'store' }, DataError,
    "column 'sales' in series 'b' has no values");
});
