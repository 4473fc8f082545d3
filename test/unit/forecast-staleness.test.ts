import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeStaleness, staleness } from '../../src/forecast/staleness.js';
import type { ModelFile } from '../../src/io/model-file.js';
import { makeDataset } from '../helpers/dataset.js';

/** The parts of a model file staleness reads: each series' last training time, and the season. */
function model(series: { id?: string; lastTime: string }[], season = 7): ModelFile {
  return { data: { season, series: series.map((one) => ({ id: one.id ?? '', lastTime: one.lastTime })) } } as unknown as ModelFile;
}

const values = (n: number) => Array.from({ length: n }, (_, i) => i);

test('the age is the periods from the model\'s last training time to the end of the data', () => {
  // Daily grid from 1970-01-01: 20 points end on 1970-01-20.
  const data = makeDataset([{ values: values(20) }]);
  const fresh = staleness(model([{ lastTime: '1970-01-20' }]), data, undefined);
  assert.deepEqual(fresh, { age: { periods: 0, series: '', modelLastTime: '1970-01-20', dataLastTime: '1970-01-20' }, limit: 7, stale: false, unplaced: [] });
  const week = staleness(model([{ lastTime: '1970-01-13' }]), data, undefined);
  assert.equal(week.age?.periods, 7);
  assert.equal(week.stale, false, 'one season is still fresh');
  const older = staleness(model([{ lastTime: '1970-01-12' }]), data, undefined);
  assert.equal(older.stale, true, 'more than a season');
  assert.equal(
    describeStaleness(older, 'm.json', false),
    'm.json is 8 periods behind the data: trained up to 1970-01-12, the data ends 1970-01-20 (the limit is one season, 7 periods; --max-age N sets another)',
  );
  const limited = staleness(model([{ lastTime: '1970-01-17' }]), data, 2);
  assert.deepEqual([limited.age?.periods, limited.limit, limited.stale], [3, 2, true]);
  assert.match(describeStaleness(limited, 'm.json', true), /is 3 periods behind the data: .* \(--max-age 2\)$/);
  assert.equal(staleness(model([{ lastTime: '1970-01-20' }]), data, 0).stale, false, '--max-age 0: any new row is too many');
  assert.equal(staleness(model([{ lastTime: '1970-01-19' }]), data, 0).stale, true);
});

test('monthly data counts months; a panel\'s age is its oldest series; series new to the model do not count', () => {
  const monthly = makeDataset([{ values: values(30) }], { grid: 'M' }); // 2000-01 … 2002-06
  assert.equal(staleness(model([{ lastTime: '2001-06' }], 12), monthly, undefined).age?.periods, 12);
  const panel = makeDataset([{ id: 'a', values: values(20) }, { id: 'b', values: values(15) }, { id: 'new', values: values(20) }]);
  const result = staleness(model([{ id: 'a', lastTime: '1970-01-18' }, { id: 'b', lastTime: '1970-01-10' }, { id: 'gone', lastTime: '1970-01-01' }]), panel, undefined);
  assert.deepEqual(result.age, { periods: 5, series: 'b', modelLastTime: '1970-01-10', dataLastTime: '1970-01-15' });
  assert.match(describeStaleness({ ...result, stale: true }, 'm.json', false), /^m\.json is 5 periods behind the data \(series 'b'\)/);
});

test('a last training time that is not among the data\'s times cannot be shown fresh', () => {
  const data = makeDataset([{ values: values(5) }]);
  const result = staleness(model([{ lastTime: '1969-12-01' }]), data, 3);
  assert.deepEqual(result, { age: null, limit: 3, stale: true, unplaced: [''] });
  assert.equal(describeStaleness(result, 'm.json', true), "m.json: cannot tell how far the data has run past the model: the last training time of the series is not among the data's times (--max-age 3)");
});
