import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UsageError } from '../../src/errors.js';
import {
  addSteps, defaultHorizon, formatTime, parseFrequency, seasonLength, stepsBetween,
} from '../../src/data/time.js';
import { parseTimeAt, lastTime } from '../../src/data/time-parse.js';
import { businessIndex, civilFromDays, daysFromBusinessIndex, daysFromCivil } from '../../src/data/calendar.js';
import type { TimeStyle } from '../../src/data/types.js';
import { fixedClock } from '../../src/data/zone.js';

const utc = (text: string): number => Date.parse(text);
const style = (kind: TimeStyle['kind'], extra: Partial<TimeStyle> = {}): TimeStyle => ({
  kind, offsetMinutes: null, zulu: false, separator: 'T', seconds: false, fractionDigits: 0, ...extra,
});

test('calendar: days from civil agrees with Date.UTC over four centuries', () => {
  for (let days = -150000; days < 150000; days += 37) {
    const { year, month, day } = civilFromDays(days);
    assert.equal(Date.UTC(year, month - 1, day), days * 86_400_000);
    assert.equal(daysFromCivil(year, month, day), days);
  }
});

test('calendar: business index round-trips weekdays', () => {
  for (let days = -20; days < 400; days++) {
    const weekday = new Date(days * 86_400_000).getUTCDay();
    if (weekday === 0 || weekday === 6) continue;
    assert.equal(daysFromBusinessIndex(businessIndex(days)), days);
  }
});

test('parseTimeAt: dates, months, date-times with and without offsets', () => {
  const parse = (text: string): number => parseTimeAt(text, 0, text.length);
  assert.equal(parse('2020-02-29'), utc('2020-02-29T00:00:00Z'));
  assert.equal(lastTime.kind, 'date');
  assert.equal(parse('1949-01'), utc('1949-01-01T00:00:00Z'));
  assert.equal(lastTime.kind, 'month');
  assert.equal(parse('2020-01-31T12:30'), utc('2020-01-31T12:30:00Z'));
  assert.equal(lastTime.offsetMinutes, null);
  assert.equal(lastTime.seconds, false);
  assert.equal(parse('2020-01-31 12:30:15'), utc('2020-01-31T12:30:15Z'));
  assert.equal(lastTime.separator, ' ');
  assert.equal(parse('2020-01-31T12:30:15.250Z'), utc('2020-01-31T12:30:15.250Z'));
  assert.equal(lastTime.zulu, true);
  assert.equal(lastTime.fractionDigits, 3);
  assert.equal(parse('2020-01-31T12:30:00+01:00'), utc('2020-01-31T11:30:00Z'));
  assert.equal(lastTime.offsetMinutes, 60);
  assert.equal(parse('2020-01-31T12:30:00-0530'), utc('2020-01-31T18:00:00Z'));
  assert.equal(lastTime.offsetMinutes, -330);
  assert.equal(parse('  2020-01-31  '), utc('2020-01-31T00:00:00Z'));
  for (const bad of ['2020-02-30', '2020-13-01', '2020/01/31', '31.01.2020', '2020-01-31T25:00', '2020-01-31T12:00+1', 'abc', '', '2020-1-5', '2020-01-31X']) {
    assert.ok(Number.isNaN(parse(bad)), bad);
  }
});

test('parseFrequency: codes, multiples and anchors; bad codes are usage errors naming --freq', () => {
  assert.deepEqual(parseFrequency('15min'), { code: '15min', unit: 'minute', step: 15, anchor: null });
  assert.deepEqual(parseFrequency('H'), { code: 'H', unit: 'hour', step: 1, anchor: null });
  assert.deepEqual(parseFrequency('2H'), { code: '2H', unit: 'hour', step: 2, anchor: null });
  assert.deepEqual(parseFrequency('B'), { code: 'B', unit: 'business-day', step: 1, anchor: null });
  assert.deepEqual(parseFrequency('MS'), { code: 'M', unit: 'month', step: 1, anchor: 'start' });
  assert.deepEqual(parseFrequency('ME'), { code: 'M', unit: 'month', step: 1, anchor: 'end' });
  assert.equal(parseFrequency('M').anchor, null);
  assert.equal(parseFrequency('Q').unit, 'quarter');
  assert.equal(parseFrequency('Y').unit, 'year');
  assert.equal(parseFrequency('W').unit, 'week');
  for (const bad of ['', 'X', '0H', 'm', '15 minutes please', '-1D']) {
    assert.throws(() => parseFrequency(bad), (error: unknown) => error instanceof UsageError && error.message.startsWith('--freq'), bad);
  }
});

test('addSteps: fixed units, month start/end, same day clamped, business days, backwards', () => {
  assert.equal(addSteps(utc('2020-01-01T00:00:00Z'), parseFrequency('15min'), 4), utc('2020-01-01T01:00:00Z'));
  assert.equal(addSteps(utc('2020-01-31T00:00:00Z'), parseFrequency('D'), 1), utc('2020-02-01T00:00:00Z'));
  const monthEnd = parseFrequency('ME');
  assert.equal(addSteps(utc('2020-01-31T00:00:00Z'), monthEnd, 1), utc('2020-02-29T00:00:00Z'));
  assert.equal(addSteps(utc('2020-02-29T00:00:00Z'), monthEnd, 1), utc('2020-03-31T00:00:00Z'));
  assert.equal(addSteps(utc('2020-03-31T00:00:00Z'), monthEnd, -13), utc('2019-02-28T00:00:00Z'));
  assert.equal(addSteps(utc('1960-12-01T00:00:00Z'), parseFrequency('MS'), 1), utc('1961-01-01T00:00:00Z'));
  assert.equal(addSteps(utc('2020-01-31T00:00:00Z'), parseFrequency('M'), 1), utc('2020-02-29T00:00:00Z'), 'same day, clamped');
  assert.equal(addSteps(utc('2020-01-15T00:00:00Z'), parseFrequency('Q'), 2), utc('2020-07-15T00:00:00Z'));
  assert.equal(addSteps(utc('2020-12-31T00:00:00Z'), parseFrequency('YE'), 1), utc('2021-12-31T00:00:00Z'));
  const business = parseFrequency('B');
  assert.equal(addSteps(utc('2024-05-03T00:00:00Z'), business, 1), utc('2024-05-06T00:00:00Z'), 'Friday → Monday');
  assert.equal(addSteps(utc('2024-05-06T00:00:00Z'), business, -1), utc('2024-05-03T00:00:00Z'), 'Monday → Friday');
  assert.equal(addSteps(utc('2024-05-01T09:30:00Z'), business, 10), utc('2024-05-15T09:30:00Z'), 'keeps the time of day');
  // Calendar steps count in the input's local time: local midnight stays local midnight.
  const local = utc('2020-01-01T00:00:00+01:00');
  assert.equal(addSteps(local, parseFrequency('MS'), 1, fixedClock(60)), utc('2020-02-01T00:00:00+01:00'));
});

test('stepsBetween inverts addSteps and refuses off-grid times', () => {
  const freq = parseFrequency('ME');
  const start = utc('2019-01-31T00:00:00Z');
  for (let k = 0; k < 30; k++) assert.equal(stepsBetween(start, addSteps(start, freq, k), freq), k);
  assert.ok(Number.isNaN(stepsBetween(start, utc('2019-03-30T00:00:00Z'), freq)));
  assert.ok(Number.isNaN(stepsBetween(utc('2020-01-01T00:00:00Z'), utc('2020-01-01T00:30:00Z'), parseFrequency('H'))));
});

test('formatTime keeps the input style', () => {
  const t = utc('2020-03-04T05:06:07.089Z');
  assert.equal(formatTime(utc('1949-01-01T00:00:00Z'), style('month')), '1949-01');
  assert.equal(formatTime(t, style('date')), '2020-03-04');
  assert.equal(formatTime(t, style('datetime')), '2020-03-04T05:06');
  assert.equal(formatTime(t, style('datetime', { seconds: true, separator: ' ' })), '2020-03-04 05:06:07');
  assert.equal(formatTime(t, style('datetime', { seconds: true, fractionDigits: 3, offsetMinutes: 0, zulu: true })), '2020-03-04T05:06:07.089Z');
  assert.equal(formatTime(t, style('datetime', { seconds: true, offsetMinutes: 90 })), '2020-03-04T06:36:07+01:30');
  assert.equal(formatTime(t, style('datetime', { offsetMinutes: -300 })), '2020-03-04T00:06-05:00');
  assert.equal(formatTime(1_600_000_000_000, style('epoch-millis')), '1600000000000');
  assert.equal(formatTime(1_600_000_000_000, style('epoch-seconds')), '1600000000');
});

test('seasonLength and defaultHorizon follow PRODUCT.md', () => {
  const season = (code: string): number => seasonLength(parseFrequency(code));
  assert.deepEqual(['15min', '30min', 'H', '2H', 'D', 'B', 'W', 'M', 'Q', 'Y'].map(season), [96, 48, 24, 12, 7, 5, 52, 12, 4, 1]);
  const horizon = (code: string): number => defaultHorizon(parseFrequency(code));
  assert.deepEqual(['H', 'D', 'W', 'M', 'Q', 'Y', '15min', 'B'].map(horizon), [48, 14, 13, 18, 8, 6, 10, 14]);
});
