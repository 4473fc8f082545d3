// What a training decides from the data: baselines, the log, the lookback, short series of a panel.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { baseForecast, baselineReach, candidateBaselines, chooseBaseline, scoreBaselines, seasonalityTest } from '../../src/data/baseline.js';
import { candidateSeasons } from '../../src/data/season.js';
import { makeFrequency } from '../../src/data/time.js';
import { guerreroLog } from '../../src/data/transform.js';
import { DataError } from '../../src/errors.js';
import { createRng } from '../../src/nn/rng.js';
import { chooseLookback, DEFAULT_STEPS, defaultSteps, MIN_SHARD_STEPS, resolveSettings } from '../../src/train/settings.js';
import { makeDataset } from '../helpers/dataset.js';
import { defaults } from '../helpers/training.js';

const range = (n: number, f: (t: number) => number): number[] => Array.from({ length: n }, (_, t) => f(t));

test('the baselines by hand: naive, drift, seasonal naive', () => {
  const v = [1, 3, 2, 4, 3, 5];
  assert.equal(baseForecast({ kind: 'naive', season: 1 }, v, 6, 2, 0), 5);
  assert.equal(baseForecast({ kind: 'drift', season: 1 }, v, 6, 0, 0), 5 + (5 - 1) / 5);
  assert.equal(baseForecast({ kind: 'drift', season: 1 }, v, 6, 2, 0), 5 + (3 * (5 - 1)) / 5);
  // Season 2: the last season (4th and 5th... indices 4, 5) repeated.
  assert.deepEqual([0, 1, 2, 3].map((h) => baseForecast({ kind: 'seasonal', season: 2 }, v, 6, h, 0)), [3, 5, 3, 5]);
  assert.equal(baseForecast({ kind: 'none', season: 1 }, v, 6, 0, 42), 42);
  // Two-season: the last two seasons' pattern averaged ([2, 6] and [3, 5]: [2.5, 5.5]), at the last season's level (means 4 and 4).
  const w = [1, 3, 2, 6, 3, 5];
  assert.deepEqual([0, 1, 2].map((h) => baseForecast({ kind: 'two-season', season: 2 }, w, 6, h, 0)), [2.5, 5.5, 2.5]);
  // A level shift between the seasons moves the forecast to the last season's level: [1, 5] then [3, 7] (means 3 and 5).
  assert.deepEqual([0, 1].map((h) => baseForecast({ kind: 'two-season', season: 2 }, [1, 5, 3, 7], 4, h, 0)), [3, 7]);
  assert.equal(baselineReach({ kind: 'two-season', season: 12 }), 24);
});

test('candidate seasons come from the calendar', () => {
  assert.deepEqual(candidateSeasons(makeFrequency('hour', 1)), [24, 168]);
  assert.deepEqual(candidateSeasons(makeFrequency('minute', 30)), [48, 336]);
  assert.deepEqual(candidateSeasons(makeFrequency('day', 1)), [7, 365]);
  assert.deepEqual(candidateSeasons(makeFrequency('month', 1)), [12]);
  assert.deepEqual(candidateSeasons(makeFrequency('quarter', 1)), [4]);
  assert.deepEqual(candidateSeasons(makeFrequency('year', 1)), []);
});

test('auto: seasonal naive where the season is there, drift on a trend, naive on a random walk', () => {
  const seasonal = range(120, (t) => 100 + 30 * Math.sin((2 * Math.PI * t) / 12) + Math.sin(t * 7.3));
  const trend = range(60, (t) => 10 + 2 * t + Math.sin(t * 2.1));
  const rng = createRng(3);
  let level = 0;
  const walk = range(600, () => (level += rng.nextFloat() - 0.5));
  const pick = (values: number[], seasons: number[]) =>
    chooseBaseline(scoreBaselines([values], [values.length], 12, candidateBaselines(seasons)), seasons.filter((season) => seasonalityTest(values, values.length, season).passed));
  assert.deepEqual(pick(seasonal, [12]), { kind: 'seasonal', season: 12 });
  assert.deepEqual(pick(trend, []), { kind: 'drift', season: 1 });
  assert.equal(pick(walk, [12]).kind === 'seasonal', false);
  // Hourly data with a weekly pattern on top of the daily one: the week wins.
  const hourly = range(24 * 7 * 8, (t) => 10 * Math.sin((2 * Math.PI * t) / 24) + (Math.floor(t / 24) % 7 >= 5 ? 8 : 0));
  assert.deepEqual(pick(hourly, [24, 168]), { kind: 'seasonal', season: 168 });
});

test("Guerrero's test: the log for a spread that grows with the level, none for a steady one", () => {
  const multiplicative = range(144, (t) => (100 + 3 * t) * (1 + 0.3 * Math.sin((2 * Math.PI * t) / 12)));
  const additive = range(144, (t) => 100 + 3 * t + 30 * Math.sin((2 * Math.PI * t) / 12));
  assert.equal(guerreroLog(multiplicative, 144, 12).log, true);
  assert.equal(guerreroLog(additive, 144, 12).log, false);
  assert.equal(guerreroLog(additive.map((v) => v - 200), 144, 12).log, false, 'never for values <= 0');
});

test('chooseLookback: two seasons, shrunk on short data, never below the season while it trains', () => {
  const reach = 12;
  assert.equal(chooseLookback({ season: 12, horizon: 18, shortestSeries: 144, valSize: 0.2, baselineReach: reach }), 24);
  const short = chooseLookback({ season: 12, horizon: 18, shortestSeries: 80, valSize: 0.2, baselineReach: reach });
  assert.ok(short < 24 && short >= 12, `lookback ${short}`);
  assert.equal(chooseLookback({ season: 1, horizon: 6, shortestSeries: 40, valSize: 0.2, baselineReach: 2 }), 6);
});

test('the lookback is two of the shorter season, also when the baseline corrects the longer one', () => {
  // Three years of days with a strong yearly wave and a weak weekly one: the baseline is the yearly season.
  const values = range(3 * 365, (t) => 100 + 40 * Math.sin((2 * Math.PI * t) / 365) + 2 * Math.sin((2 * Math.PI * t) / 7));
  const settings = resolveSettings(makeDataset([{ values }], { grid: 'D' }), defaults({ horizon: 14 }));
  assert.deepEqual(settings.spec.baseline, { kind: 'seasonal', season: 365 });
  assert.equal(settings.spec.lookback, 14);
});

test('defaultSteps: the floor for long lookbacks, more steps where each is cheap', () => {
  assert.equal(defaultSteps(96), DEFAULT_STEPS);
  assert.equal(defaultSteps(48), DEFAULT_STEPS);
  assert.equal(defaultSteps(24), 4000);
  assert.equal(defaultSteps(14), 6857);
  assert.ok(defaultSteps(1) > defaultSteps(2));
  // Shards share the budget, down to a floor.
  assert.equal(defaultSteps(24, 4), 1000);
  assert.equal(defaultSteps(96, 100), MIN_SHARD_STEPS);
  assert.equal(defaultSteps(24, 1), 4000);
});

test('auto: a second member corrects two-season naive where it scores better in-sample; one network otherwise', () => {
  // --ensemble not given (the test helper's default is 1, which keeps one network).
  const unset = (overrides: Parameters<typeof defaults>[0] = {}) => ({ ...defaults(overrides), ensemble: undefined });
  // Noisy seasons: averaging two halves the noise, so two-season scores better.
  const rng = createRng(5);
  const noisy = range(144, (t) => 100 + 20 * Math.sin((2 * Math.PI * t) / 12) + 6 * (rng.nextFloat() - 0.5));
  const settings = resolveSettings(makeDataset([{ values: noisy }], { grid: 'M' }), unset());
  assert.deepEqual(settings.spec.baseline, { kind: 'seasonal', season: 12 });
  assert.deepEqual(settings.spec.memberBaselines, [{ kind: 'seasonal', season: 12 }, { kind: 'two-season', season: 12 }]);
  assert.match(settings.why!, /corrects seasonal naive \(12\), a second network two-season naive \(12\)/);
  // Two-season naive is compared with seasonal naive on the origins both reach: the why says so.
  const pair = /two-season naive \(12\) ([\d.]+) against ([\d.]+) for seasonal naive where both reach/.exec(settings.why!);
  assert.ok(pair !== null, settings.why!);
  assert.ok(Number(pair[1]) < Number(pair[2]));
  // A season that changes every year: the last season alone is the better guess.
  const drifting = range(144, (t) => 100 + (10 + t) * Math.sin((2 * Math.PI * t) / 12) + 0.2 * Math.sin(t * 1.3));
  assert.equal(resolveSettings(makeDataset([{ values: drifting }], { grid: 'M' }), unset()).spec.memberBaselines, undefined);
  // No season, and explicit transforms: one network.
  assert.equal(resolveSettings(makeDataset([{ values: range(80, (t) => 3 + 2 * t + Math.sin(t)) }]), unset({ horizon: 5 })).spec.memberBaselines, undefined);
  assert.equal(resolveSettings(makeDataset([{ values: noisy }], { grid: 'M' }), unset({ transform: 'seasonal-diff' })).spec.memberBaselines, undefined);
  assert.equal(resolveSettings(makeDataset([{ values: noisy }], { grid: 'M' }), defaults({ ensemble: 1 })).spec.memberBaselines, undefined, '--ensemble 1');
  // Sub-daily data: one network (the second would double the longest trainings for no measured gain).
  const hourlyNoisy = range(24 * 60, (t) => 100 + 20 * Math.sin((2 * Math.PI * t) / 24) + 6 * (rng.nextFloat() - 0.5));
  const hourly = { ...makeDataset([{ values: hourlyNoisy }], { grid: 'D' }), freq: makeFrequency('hour', 1) };
  const hourlySettings = resolveSettings(hourly, unset({ horizon: 48 }), 24);
  assert.equal(hourlySettings.spec.baseline.kind, 'seasonal');
  assert.equal(hourlySettings.spec.memberBaselines, undefined);
  // The same values as days (season 7 has no part here; give the season): two networks.
  assert.notEqual(resolveSettings(makeDataset([{ values: hourlyNoisy }], { grid: 'D' }), unset({ horizon: 48 }), 24).spec.memberBaselines, undefined);
});

test('resolveSettings: auto on a monthly series says what it chose and why', () => {
  const values = range(144, (t) => (100 + 3 * t) * (1 + 0.3 * Math.sin((2 * Math.PI * t) / 12)));
  const settings = resolveSettings(makeDataset([{ values }], { grid: 'M' }), defaults());
  assert.deepEqual(settings.spec.baseline, { kind: 'seasonal', season: 12 });
  assert.deepEqual(settings.logs, [true]);
  assert.equal(settings.spec.horizon, 18);
  assert.deepEqual(settings.spec.calendar, ['year']);
  assert.match(settings.why!, /seasonal naive \(12\).*log/);
});

test('auto on seasonal data too short to train on its season: naive or drift, and the why says so; a little longer, seasonal naive', () => {
  const values = range(40, (t) => 100 + 30 * Math.sin((2 * Math.PI * t) / 12) + Math.sin(t * 7.3));
  const dataset = (length: number) => makeDataset([{ values: values.slice(0, length) }], { grid: 'M' });
  // Horizon 12 and a fifth for validation: seasonal naive (12) needs 38 points to train one window.
  const short = resolveSettings(dataset(37), defaults({ horizon: 12 }));
  assert.equal(short.spec.baseline.kind === 'naive' || short.spec.baseline.kind === 'drift', true);
  assert.deepEqual(short.trainable, [true]);
  assert.match(short.why!, /too few points to train on seasonal naive \(12\)/);
  const enough = resolveSettings(dataset(38), defaults({ horizon: 12 }));
  assert.deepEqual(enough.spec.baseline, { kind: 'seasonal', season: 12 });
  assert.doesNotMatch(enough.why!, /too few points/);
  // A transform that names the season still needs the points.
  assert.throws(() => resolveSettings(dataset(37), defaults({ horizon: 12, transform: 'seasonal-diff' })), DataError);
});

test('panels: series too short to train are marked, not fatal; a single short series is a data error', () => {
  const long = range(100, (t) => 50 + 10 * Math.sin(t));
  const dataset = makeDataset([{ id: 'long', values: long }, { id: 'short', values: long.slice(0, 8) }]);
  const settings = resolveSettings(dataset, defaults({ horizon: 6 }));
  assert.deepEqual(settings.trainable, [true, false]);
  assert.throws(() => resolveSettings(makeDataset([{ values: long.slice(0, 8) }]), defaults({ horizon: 6 })), (error: unknown) => {
    assert.ok(error instanceof DataError);
    assert.match(error.message, /the series has 8 points; lookback \d+ .*needs at least \d+.*; try/);
    return true;
  });
});
