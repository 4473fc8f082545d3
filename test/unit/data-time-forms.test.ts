import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DataError } from '../../src/errors.js';
import { loadDataset } from '../../src/data/load.js';
import { addSteps, formatTime } from '../../src/data/time.js';
import { formatPattern, isoWeek, monthFromName } from '../../src/data/time-pattern.js';
import type { Dataset, LoadOptions } from '../../src/data/types.js';
import { csvFiles } from '../helpers/csv-files.js';
import { clockOf } from '../../src/data/zone.js';

const { write, load } = csvFiles('rnncast-forms-');

async function rejects(text: string, options: Partial<LoadOptions>, pattern: string): Promise<void> {
  const path = write(text);
  const expected = new RegExp(pattern.replace('@', path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  await assert.rejects(loadDataset({ input: path, fill: 'error', ...options }), (error: unknown) => {
    assert.ok(error instanceof DataError, `expected DataError, got ${String(error)}`);
    assert.match(error.message, expected);
    return true;
  });
}

/** The column as read back, then `steps` more times continued at the inferred frequency. */
function written(dataset: Dataset, steps = 2): string[] {
  const { times } = dataset.series[0]!;
  const clock = clockOf(dataset.timeStyle);
  const all = Array.from(times);
  for (let k = 1; k <= steps; k++) all.push(addSteps(times[times.length - 1]!, dataset.freq, k, clock));
  return all.map((time) => formatTime(time, dataset.timeStyle));
}

const csv = (name: string, values: string[]): string => `${name},value\n${values.map((v, i) => `${v.includes(',') ? `"${v}"` : v},${i + 1}`).join('\n')}\n`;

const cases: { name: string; column: string; values: string[]; freq: string; next: string[]; pattern?: string }[] = [
  { name: 'bare years', column: 'year', values: ['1880', '1881', '1882'], freq: 'Y', next: ['1883', '1884'], pattern: 'yyyy' },
  { name: 'year-quarter', column: 'quarter', values: ['1956-Q1', '1956-Q2', '1956-Q3', '1956-Q4'], freq: 'Q', next: ['1957-Q1', '1957-Q2'], pattern: "yyyy-'Q'q" },
  { name: 'year quarter with a space', column: 'quarter', values: ['1956 Q3', '1956 Q4', '1957 Q1'], freq: 'Q', next: ['1957 Q2', '1957 Q3'] },
  { name: 'year quarter run together', column: 'quarter', values: ['1956Q3', '1956Q4', '1957Q1'], freq: 'Q', next: ['1957Q2', '1957Q3'] },
  { name: 'quarter before the year', column: 'period', values: ['Q3 1956', 'Q4 1956', 'Q1 1957'], freq: 'Q', next: ['Q2 1957', 'Q3 1957'] },
  { name: 'ISO weeks across a 53-week year', column: 'week', values: ['2020-W51', '2020-W52', '2020-W53'], freq: 'W', next: ['2021-W01', '2021-W02'], pattern: "kkkk-'W'WW" },
  { name: 'year codes (shampoo)', column: 'month', values: ['3-10', '3-11', '3-12'], freq: 'M', next: ['4-01', '4-02'], pattern: 'y-MM' },
  { name: 'US dates, month first', column: 'date', values: ['1/30/1948', '1/31/1948', '2/1/1948'], freq: 'D', next: ['2/2/1948', '2/3/1948'], pattern: 'M/d/yyyy' },
  { name: 'day-first with slashes', column: 'date', values: ['30/12/1999', '31/12/1999', '01/01/2000'], freq: 'D', next: ['02/01/2000', '03/01/2000'], pattern: 'dd/MM/yyyy' },
  { name: 'day-first with dashes', column: 'date', values: ['30-12-1999', '31-12-1999'], freq: 'D', next: ['01-01-2000', '02-01-2000'] },
  { name: 'dotted dates are day-first', column: 'date', values: ['01.01.1959', '02.01.1959', '03.01.1959'], freq: 'D', next: ['04.01.1959', '05.01.1959'], pattern: 'dd.MM.yyyy' },
  { name: 'year first with slashes and seconds', column: 'time', values: ['2015/01/01 01:00:00', '2015/01/01 02:00:00'], freq: 'H', next: ['2015/01/01 03:00:00', '2015/01/01 04:00:00'], pattern: 'yyyy/MM/dd HH:mm:ss' },
  { name: 'month name, day, year', column: 'date', values: ['Jan 30 2000', 'Jan 31 2000', 'Feb 1 2000'], freq: 'D', next: ['Feb 2 2000', 'Feb 3 2000'], pattern: 'MMM d yyyy' },
  { name: 'month name, day, comma, year', column: 'date', values: ['Dec 9, 1999', 'Dec 10, 1999'], freq: 'D', next: ['Dec 11, 1999', 'Dec 12, 1999'] },
  { name: 'full month names', column: 'month', values: ['November 2000', 'December 2000', 'January 2001'], freq: 'M', next: ['February 2001', 'March 2001'], pattern: 'MMMM yyyy' },
  { name: 'quarterly month names (nightvisitors)', column: 'quarter', values: ['Jan 1998', 'Apr 1998', 'Jul 1998'], freq: 'Q', next: ['Oct 1998', 'Jan 1999'] },
  { name: 'year, month name', column: 'month', values: ['2000-Nov', '2000-Dec'], freq: 'M', next: ['2001-Jan', '2001-Feb'] },
  { name: 'month name-year (onion markets)', column: 'month', values: ['January-2005', 'February-2005'], freq: 'M', next: ['March-2005', 'April-2005'] },
  { name: 'upper-case day-month name-year', column: 'date', values: ['30-DEC-1999', '31-DEC-1999'], freq: 'D', next: ['01-JAN-2000', '02-JAN-2000'] },
  { name: 'US date-times with AM/PM', column: 'time', values: ['1/31/2020 11:00 AM', '1/31/2020 12:00 PM'], freq: 'H', next: ['1/31/2020 1:00 PM', '1/31/2020 2:00 PM'], pattern: 'M/d/yyyy h:mm a' },
];

for (const { name, column, values, freq, next, pattern } of cases) {
  test(`time form: ${name}`, async () => {
    const dataset = await load(csv(column, values));
    assert.equal(dataset.timeColumn, column);
    assert.equal(dataset.freq.code, freq);
    assert.deepEqual(written(dataset), [...values, ...next]);
    if (pattern !== undefined) assert.equal(dataset.timeStyle.pattern, pattern);
  });
}

test('time forms: the values are the dates they name', async () => {
  const at = async (column: string, value: string, next: string): Promise<string> => {
    const dataset = await load(csv(column, [value, next]));
    return new Date(dataset.series[0]!.times[0]!).toISOString();
  };
  assert.equal(await at('date', '31/12/1999', '01/01/2000'), '1999-12-31T00:00:00.000Z');
  assert.equal(await at('date', '12/31/1999', '01/01/2000'), '1999-12-31T00:00:00.000Z');
  assert.equal(await at('week', '2020-W01', '2020-W02'), '2019-12-30T00:00:00.000Z'); // ISO week 1 of 2020 starts on Monday 30 December 2019
  assert.equal(await at('quarter', '1956-Q1', '1956-Q2'), '1956-01-01T00:00:00.000Z');
  assert.equal(await at('month', '1-01', '1-02'), '0001-01-01T00:00:00.000Z');
  assert.equal(await at('time', '1/31/2020 12:30 AM', '1/31/2020 1:30 AM'), '2020-01-31T00:30:00.000Z');
});

test('day order is decided from the whole column, not the first rows', async () => {
  // 120 rows: the sample (first 100) holds no day above 12; row 113 decides day-first.
  const values: string[] = [];
  for (let month = 1; month <= 12; month++) for (let day = 1; day <= 10; day++) values.push(`${String(day).padStart(2, '0')}/${String(month).padStart(2, '0')}/2001`);
  values.splice(112, 1, '13/12/2001');
  const text = `date,value\n${values.map((v, i) => `${v},${i}`).join('\n')}\n`;
  const dataset = await loadDataset({ input: write(text), fill: 'drop' });
  assert.equal(dataset.timeStyle.pattern, 'dd/MM/yyyy');
  assert.equal(formatTime(dataset.series[0]!.times[0]!, dataset.timeStyle), '01/01/2001');
  assert.equal(new Date(dataset.series[0]!.times[1]!).toISOString().slice(0, 10), '2001-01-02');
});

test('ambiguous and mixed day orders are refused, naming the value, its line and --time-format', async () => {
  await rejects(csv('date', ['1/1/1948', '2/1/1948', '3/1/1948']), {},
    "^@:3:1: '2/1/1948' in column 'date' could be month-first or day-first, and no day in the column is above 12 to tell; give --time-format M/d/yyyy \\(month first\\) or --time-format d/M/yyyy \\(day first\\)");
  await rejects(csv('date', ['12/01/2000', '13/01/2000', '01/14/2000']), {},
    "^@:4:1: column 'date' mixes day-first '13/01/2000' \\(line 3\\) and month-first '01/14/2000' \\(line 4\\) dates; give the column's form with --time-format \\(dd/MM/yyyy or MM/dd/yyyy\\)");
  await rejects(csv('date', ['30/01/2000', '31/02/2000']), {}, "^@:3:1: '31/02/2000' in column 'date' is not a time like line 2's '30/01/2000' \\(no day 31 in 2000-02\\); give the form of the column with --time-format");
  await rejects(csv('quarter', ['1956-Q1', '1956-Q5']), {}, "^@:3:1: '1956-Q5' in column 'quarter' is not a time like line 2's '1956-Q1'; give the form of the column with --time-format");
  // The same date read either way is not ambiguous.
  const same = await load(csv('date', ['1/1/1948', '1/1/1949', '1/1/1950']));
  assert.equal(same.freq.code, 'Y');
});

test('bare years need a year-like column name or --time; --time accepts them', async () => {
  const byName = await load(csv('year', ['1880', '1881', '1882']));
  assert.equal(byName.freq.code, 'Y');
  const named = await load('t_year,value\n1880,1\n1881,2\n1882,3\n', { time: 't_year' });
  assert.equal(formatTime(named.series[0]!.times[2]!, named.timeStyle), '1882');
  await rejects('x,value\n1880,1\n1881,2\n', {}, "no time column found.*if it holds years, name it with --time x");
});

test('booleans are 1/0 in features; a flag column is never the default target', async () => {
  const dataset = await load('date,sales,holiday,promo\n2020-01-01,10,TRUE,yes\n2020-01-02,11,false,No\n2020-01-03,12,True,YES\n', { features: ['holiday', 'promo'] });
  assert.deepEqual(Array.from(dataset.series[0]!.features[0]!), [1, 0, 1]);
  assert.deepEqual(Array.from(dataset.series[0]!.features[1]!), [1, 0, 1]);
  const flags = await load('date,sales,holiday\n2020-01-01,10,TRUE\n2020-01-02,11,false\n');
  assert.equal(flags.target, 'sales');
  assert.equal(flags.columns.find((c) => c.name === 'holiday')!.type, 'boolean');
});

test('formatPattern writes the tokens of the recognised forms', () => {
  const local = Date.UTC(2021, 0, 3, 13, 5, 9, 250); // Sunday 3 January 2021, ISO week 53 of 2020
  assert.equal(formatPattern(local, "yyyy-MM-dd'T'HH:mm:ss.SSS"), '2021-01-03T13:05:09.250');
  assert.equal(formatPattern(local, 'M/d/yy h:mm a'.replace('yy', 'yyyy')), '1/3/2021 1:05 PM');
  assert.equal(formatPattern(local, "kkkk-'W'WW-c"), '2020-W53-7');
  assert.equal(formatPattern(local, 'MMMM d, yyyy', 'upper'), 'JANUARY 3, 2021');
  assert.equal(formatPattern(local, "yyyy 'Q'q"), '2021 Q1');
  assert.equal(formatPattern(local, 'HH:mmZZ', 'title', -7 * 3600_000), '13:05-07:00');
  assert.deepEqual(isoWeek(Math.floor(Date.UTC(2024, 11, 30) / 86_400_000)), { year: 2025, week: 1, day: 1 });
  assert.equal(monthFromName('Sept'), 9);
  assert.equal(monthFromName('MAY'), 5);
  assert.equal(monthFromName('Mai'), 0);
});
