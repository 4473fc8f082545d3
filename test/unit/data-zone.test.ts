import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DataError, UsageError } from '../../src/errors.js';
import { addSteps, formatTime } from '../../src/data/time.js';
import type { Dataset } from '../../src/data/types.js';
import { csvFiles } from '../helpers/csv-files.js';
import { clockOf, inferZone, zoneClock } from '../../src/data/zone.js';

const { load } = csvFiles('rnncast-zone-');

const HOUR = 3_600_000;
const csv = (values: string[]): string => `time,value\n${values.map((v, i) => `${v},${i + 1}`).join('\n')}\n`;
const continued = (dataset: Dataset, steps: number): string[] => {
  const { times } = dataset.series[0]!;
  const last = times[times.length - 1]!;
  return Array.from({ length: steps }, (_, k) => formatTime(addSteps(last, dataset.freq, k + 1, clockOf(dataset.timeStyle)), dataset.timeStyle));
};

test('zone clock: offsets, a gap moved forward, a repeated hour both ways', () => {
  const clock = zoneClock('America/Los_Angeles');
  assert.equal(clock.offsetAt(Date.parse('2021-03-14T09:59:59Z')), -8 * HOUR);
  assert.equal(clock.offsetAt(Date.parse('2021-03-14T10:00:00Z')), -7 * HOUR);
  assert.equal(clock.fromLocal(Date.parse('2021-03-14T02:30:00Z')), Date.parse('2021-03-14T03:30:00-07:00'));
  assert.equal(clock.lastFold, 'gap');
  assert.equal(clock.fromLocal(Date.parse('2021-11-07T01:30:00Z')), Date.parse('2021-11-07T01:30:00-07:00'));
  assert.equal(clock.lastFold, 'repeat');
  assert.equal(clock.fromLocal(Date.parse('2021-11-07T01:30:00Z'), true), Date.parse('2021-11-07T01:30:00-08:00'));
  assert.equal(clock.fromLocal(Date.parse('2021-07-01T12:00:00Z')), Date.parse('2021-07-01T12:00:00-07:00'));
  assert.equal(clock.lastFold, 'none');
  const match = inferZone([
    { instant: Date.parse('2021-03-14T01:00:00-08:00'), offset: -8 * HOUR },
    { instant: Date.parse('2021-03-14T03:00:00-07:00'), offset: -7 * HOUR },
  ]);
  assert.equal(match?.zone, 'America/Los_Angeles');
  assert.ok(match!.others > 0, 'Vancouver and Tijuana fit too');
  assert.equal(inferZone([{ instant: 0, offset: 13 * HOUR + 17 * 60_000 }]), null);
});

test('hourly times whose offset changes at daylight saving are one series, and forecasts write the new offset', async () => {
  const dataset = await load(csv(['2021-03-13T23:00:00-08:00', '2021-03-14T00:00:00-08:00', '2021-03-14T01:00:00-08:00', '2021-03-14T03:00:00-07:00', '2021-03-14T04:00:00-07:00']));
  assert.equal(dataset.freq.code, 'H');
  assert.equal(dataset.series[0]!.times.length, 5, 'no hour filled: 01:00-08:00 to 03:00-07:00 is one hour');
  assert.equal(dataset.timeStyle.zone, 'America/Los_Angeles');
  assert.match(dataset.notes![0]!, /offsets -08:00 and -07:00: read as instants on America\/Los_Angeles's clock \(\d+ other zones? fits? too\); --tz names the zone/);
  // Going the other way in autumn: the forecast crosses the change and writes -08:00.
  const autumn = await load(csv(['2021-11-06T23:00:00-07:00', '2021-11-07T00:00:00-07:00']), { tz: 'America/Los_Angeles' });
  assert.deepEqual(continued(autumn, 3), ['2021-11-07T01:00:00-07:00', '2021-11-07T01:00:00-08:00', '2021-11-07T02:00:00-08:00']);
  assert.equal(autumn.notes!.length, 0, 'no note when --tz names the zone');
});

test('daily times with changing offsets step in local days (a day of 23 hours is a day)', async () => {
  const dataset = await load(csv(['2021-03-13T00:00:00+01:00', '2021-03-27T00:00:00+01:00', '2021-03-28T00:00:00+01:00', '2021-03-29T00:00:00+02:00'].slice(1)));
  assert.equal(dataset.freq.code, 'D');
  assert.equal(dataset.timeStyle.zone, 'Europe/Paris');
  assert.deepEqual(continued(dataset, 2), ['2021-03-30T00:00:00+02:00', '2021-03-31T00:00:00+02:00']);
});

test('--tz: naive local times through a gap and a repeated hour, read in file order', async () => {
  const spring = await load(csv(['2021-03-28 00:00', '2021-03-28 01:00', '2021-03-28 03:00', '2021-03-28 04:00']), { tz: 'Europe/Berlin' });
  assert.equal(spring.freq.code, 'H');
  assert.equal(spring.series[0]!.times.length, 4);
  assert.deepEqual(continued(spring, 1), ['2021-03-28 05:00']);
  const autumn = await load(csv(['2021-10-31 01:00', '2021-10-31 02:00', '2021-10-31 02:00', '2021-10-31 03:00']), { tz: 'Europe/Berlin' });
  assert.deepEqual(Array.from(autumn.series[0]!.times, (t) => new Date(t).toISOString().slice(11, 16)), ['23:00', '00:00', '01:00', '02:00']);
  assert.match(autumn.notes![0]!, /1 time in 'time' repeated an hour when Europe\/Berlin's clocks went back: read in file order, the second as the later/);
  // Newest first: the first 02:00 met is the later one.
  const backwards = await load(csv(['2021-10-31 03:00', '2021-10-31 02:00', '2021-10-31 02:00', '2021-10-31 01:00']), { tz: 'Europe/Berlin' });
  assert.deepEqual(Array.from(backwards.series[0]!.times, (t) => new Date(t).toISOString().slice(11, 16)), ['23:00', '00:00', '01:00', '02:00']);
  const gap = await load(csv(['2021-03-28 01:30', '2021-03-28 02:30', '2021-03-28 04:30']), { tz: 'Europe/Berlin', fill: 'interpolate' });
  assert.match(gap.notes![0]!, /1 time in 'time' fell in a daylight-saving gap of Europe\/Berlin \(first on line 3\): moved forward by the gap/);
  assert.deepEqual(Array.from(gap.series[0]!.times, (t) => formatTime(t, gap.timeStyle)), ['2021-03-28 01:30', '2021-03-28 03:30', '2021-03-28 04:30']);
});

test('--tz: unknown zones and offsets that disagree with the zone are refused', async () => {
  await assert.rejects(load(csv(['2021-01-01 00:00', '2021-01-01 01:00']), { tz: 'Mars/Olympus' }), (error: unknown) =>
    error instanceof UsageError && /^--tz Mars\/Olympus: not an IANA time zone/.test(error.message));
  await assert.rejects(load(csv(['2021-07-01T00:00:00+01:00', '2021-07-01T01:00:00+01:00']), { tz: 'Europe/Berlin' }), (error: unknown) =>
    error instanceof DataError && /:2:1: the time in column 'time' has offset \+01:00, but Europe\/Berlin is at \+02:00 then \(--tz\)/.test(error.message));
  const dates = await load(csv(['2021-01-01', '2021-01-02']), { tz: 'Europe/Berlin' });
  assert.deepEqual(dates.warnings, ["--tz Europe/Berlin has no effect: column 'time' holds dates without a time of day"]);
});
