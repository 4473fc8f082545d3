// Everything a training decides from the data before it starts: the horizon, the transform (auto
// resolved: the baseline per dataset, the log per series), the baseline's season, the lookback,
// the calendar inputs, and which series of a panel are too short to train on.
import { DataError, UsageError } from '../errors.js';
import { calendarCycles } from '../data/calendar-inputs.js';
import { baselineReach, bestBaseline, candidateBaselines, chooseBaseline, seasonalityTest, describeBaseline, isSeasonal, scoreBaselines, type Baseline, type BaselineScore } from '../data/baseline.js';
import type { PipelineSpec } from '../data/prepare.js';
import { candidateSeasons } from '../data/season.js';
import { defaultHorizonFor } from '../data/future.js';
import { seasonLength } from '../data/time.js';
import { checkTarget, guerreroLog, seriesName, transformParts, valueTransform, type TransformKind } from '../data/transform.js';
import type { Dataset, Frequency } from '../data/types.js';
import { firstOrigin, minimumLength, splitWindows, windowCount } from '../data/window.js';
import type { TrainingOptions } from './options.js';

// Fewer training windows than this in the shortest series, and the default lookback shrinks.
const MIN_TRAIN_WINDOWS = 16;
// Past this, long lookbacks are slow to train for little gain.
const MAX_LOOKBACK = 256;
const SUB_DAILY: readonly Frequency['unit'][] = ['second', 'minute', 'hour'];
/** The default step budget's floor. */
export const DEFAULT_STEPS = 2000;
/**
 * Steps × lookback the default budget may spend: a step costs about its lookback, so short windows
 * (daily data: lookback 14) get more steps for the same time as 2000 steps at lookback 48. Measured:
 * mta-subway-ridership (1706 days) was still improving at 2000 steps (MASE 1.044; 4000: 0.870;
 * 6857: 0.834, the same as training for full epochs).
 */
const STEP_WORK = 96_000;

/** A shard's default budget never goes below this, however many shards there are. */
export const MIN_SHARD_STEPS = 250;

/**
 * `--steps` when not given: DEFAULT_STEPS, or STEP_WORK / lookback when that is more. Shard i of n
 * of a panel takes 1/n of it (at least MIN_SHARD_STEPS): the n shards together spend what one run
 * of the whole panel would, and each network sees as many windows per series as the whole one.
 */
export function defaultSteps(lookback: number, shards = 1): number {
  const whole = Math.max(DEFAULT_STEPS, Math.floor(STEP_WORK / Math.max(1, lookback)));
  return shards > 1 ? Math.max(MIN_SHARD_STEPS, Math.round(whole / shards)) : whole;
}

export interface FitSettings {
  spec: PipelineSpec;
  /** The season of the metrics and the seasonal-naive fallback (--season, else the frequency's). */
  season: number;
  /** Per series (Dataset order): the log applies. */
  logs: boolean[];
  /** Per series: long enough to train on (panels skip the others; they are forecast by a baseline). */
  trainable: boolean[];
  /** What auto chose and why, one line, for the run summary; null when the transform was given. */
  why: string | null;
  /** The baselines scored (auto). */
  baselineScores: BaselineScore[];
}

/**
 * The default lookback: the horizon, or two seasons of the baseline's season when that is longer
 * (capped at MAX_LOOKBACK); shrunk while the shortest series gives fewer than MIN_TRAIN_WINDOWS
 * training windows, but not below max(season, 2); then to the longest that still trains at all.
 */
export function chooseLookback(options: { season: number; horizon: number; shortestSeries: number; valSize: number; baselineReach: number }): number {
  const { season, horizon, valSize, shortestSeries, baselineReach: reach } = options;
  const seasonal = season > 1 ? Math.min(2 * season, MAX_LOOKBACK) : 0;
  const desired = Math.max(Math.min(seasonal, MAX_LOOKBACK), Math.min(horizon, MAX_LOOKBACK), 2);
  const floor = Math.min(desired, Math.max(season, 2));
  const split = (lookback: number) => splitWindows(windowCount(shortestSeries, firstOrigin(lookback, reach), horizon), horizon, valSize);
  for (let lookback = desired; lookback >= floor; lookback--) {
    if (split(lookback).train >= MIN_TRAIN_WINDOWS) return lookback;
  }
  for (let lookback = floor; lookback >= 1; lookback--) {
    const s = split(lookback);
    if (s.train >= 1 && (valSize <= 0 || s.val >= 1)) return lookback;
  }
  return desired;
}

/** Where each series' training part ends, roughly (before the validation targets): what auto may look at. */
function roughTrainingEnds(dataset: Dataset, valSize: number, horizon: number): number[] {
  return dataset.series.map((series) => {
    const length = series.values.length;
    return Math.max(2, length - Math.round(valSize * Math.max(0, length - horizon)) - horizon + 1);
  });
}

interface ResolvedBaseline {
  baseline: Baseline;
  second?: Baseline;
  scores: BaselineScore[];
  /** auto: the seasons that pass the seasonality test. */
  present?: number[];
  /** auto: seasonal naive's score on the origins two-season naive reaches too. */
  secondAgainst?: number;
  /** auto: seasons no series is long enough to train a network on (left out of the candidates). */
  tooShortFor?: number[];
}

function resolveBaseline(dataset: Dataset, kind: TransformKind, logs: boolean[], horizon: number, valSize: number, seasonOverride: number | undefined): ResolvedBaseline {
  const seasons = seasonOverride !== undefined && seasonOverride > 1 ? [seasonOverride] : candidateSeasons(dataset.freq);
  const ends = roughTrainingEnds(dataset, valSize, horizon);
  const values = dataset.series.map((series, index) => valueTransform(series.values, logs[index]!));
  if (kind === 'auto') {
    // A baseline that reaches so far back that the shorter series keep few training windows is no candidate.
    const lengths = dataset.series.map((series) => series.values.length);
    // The lookback is at least a season (chooseLookback), so reaching one season back costs nothing.
    const floor = Math.max(seasonOverride ?? seasonLength(dataset.freq), 2);
    const trainsAt = (reach: number): number => minimumLength(firstOrigin(floor, reach), horizon, valSize);
    const usable = lengths.filter((length) => length >= trainsAt(1));
    const reference = usable.length > 0 ? Math.min(...usable) : Math.max(...lengths);
    // Nor one no series is long enough to train on at all (36 monthly points, horizon 12: seasonal
    // naive needs 38), where naive or drift still can: auto chooses among those rather than refuse.
    const longest = Math.max(...lengths);
    const trainable = (reach: number): boolean => longest >= minimumLength(firstOrigin(1, reach), horizon, valSize);
    const feasibleOf = (candidates: Baseline[]): Baseline[] =>
      candidates.filter((baseline) => {
        const reach = baselineReach(baseline);
        return trainable(reach) && (reach <= floor || reference >= trainsAt(reach) + MIN_TRAIN_WINDOWS / 2);
      });
    const tooShortFor = seasons.filter((season) => !trainable(season));
    const scores = scoreBaselines(values, ends, horizon, feasibleOf(candidateBaselines(seasons)));
    // A season is there when it passes the test on more than half of the series long enough to tell.
    const present = seasons.filter((season) => {
      const tested = values.map((series, index) => seasonalityTest(series, ends[index]!, season)).filter((result) => Number.isFinite(result.limit));
      return tested.length > 0 && tested.filter((result) => result.passed).length * 2 > tested.length;
    });
    const baseline = chooseBaseline(scores, present);
    if (!isSeasonal(baseline.kind)) return { baseline, scores, present, tooShortFor };
    // A second member corrects two-season naive of the same season (the same inputs) where it
    // scores better in-sample than seasonal naive, the two scored on the same origins.
    const pair = scoreBaselines(values, ends, horizon, feasibleOf([baseline, { kind: 'two-season', season: baseline.season }]));
    const [own, two] = [pair.find((score) => score.baseline.kind === 'seasonal'), pair.find((score) => score.baseline.kind === 'two-season')];
    if (own === undefined || two === undefined || !(two.error < own.error)) return { baseline, scores, present };
    // secondAgainst: seasonal naive on the pair's origins, the number two-season naive beat (its
    // score in `scores` is on more origins, those seasonal naive alone reaches).
    return { baseline, second: two.baseline, scores: [...scores, two], present, secondAgainst: own.error };
  }
  const family = transformParts(kind).baseline;
  if (family === 'none') return { baseline: { kind: 'none', season: 1 }, scores: [] };
  if (family === 'naive') return { baseline: { kind: 'naive', season: 1 }, scores: [] };
  if (seasons.length === 0) throw new UsageError(`--transform ${kind} needs a season, and ${dataset.freq.code} data has none; use diff or log-diff (or give --season)`);
  // Of the seasons the calendar suggests, the one whose seasonal naive does best in-sample.
  const scores = scoreBaselines(values, ends, horizon, seasons.map((season) => ({ kind: 'seasonal' as const, season })));
  return { baseline: scores.length > 0 ? bestBaseline(scores) : { kind: 'seasonal', season: seasons[0]! }, scores };
}

export function resolveSettings(dataset: Dataset, options: TrainingOptions, seasonOverride?: number): FitSettings {
  const season = seasonOverride ?? seasonLength(dataset.freq);
  const horizon = options.horizon ?? defaultHorizonFor(dataset);
  const kind = options.transform;
  const ends = roughTrainingEnds(dataset, options.valSize, horizon);
  let logs: boolean[];
  let logWhy = '';
  if (kind === 'auto') {
    const blockSeason = Math.max(season, 2);
    logs = dataset.series.map((series, index) => guerreroLog(series.values, ends[index]!, blockSeason).log);
    const logged = logs.filter(Boolean).length;
    logWhy = logged === 0 ? 'no log (spread does not grow with the level, or values not all positive)' : dataset.series.length === 1 ? 'log (spread grows with the level)' : `log on ${logged} of ${logs.length} series (spread grows with the level)`;
  } else {
    const { log } = transformParts(kind);
    logs = dataset.series.map(() => log);
    // A value the log cannot take is named by its line.
    if (log) for (const series of dataset.series) checkTarget(series, true, dataset.source);
  }
  const resolved = resolveBaseline(dataset, kind, logs, horizon, options.valSize, seasonOverride);
  const { baseline, scores, present } = resolved;
  const reach = baselineReach(baseline);
  const lengths = dataset.series.map((series) => series.values.length);
  // The lookback is chosen for the shortest series that can train at all at the smallest lookback.
  const floorLength = minimumLength(firstOrigin(1, reach), horizon, options.valSize);
  const usable = lengths.filter((length) => length >= floorLength);
  const shortestSeries = usable.length > 0 ? Math.min(...usable) : Math.max(...lengths);
  // Two of the shorter season, also when the baseline is the longer one (30-minute data: 48 and
  // 336): on taylor-30min lookback 96 beat 192 (MASE 0.315 against 0.348) in half the time.
  const lookbackSeason = isSeasonal(baseline.kind) && season > 1 ? Math.min(baseline.season, season) : isSeasonal(baseline.kind) ? baseline.season : season;
  const lookback = options.lookback ?? chooseLookback({ season: lookbackSeason, horizon, shortestSeries, valSize: options.valSize, baselineReach: reach });
  const needed = minimumLength(firstOrigin(lookback, reach), horizon, options.valSize);
  const trainable = lengths.map((length) => length >= needed);
  if (!trainable.some(Boolean)) throw tooShort(dataset, lookback, horizon, options.valSize, reach, needed);
  // A second member only where every series that trains reaches its baseline's start too; not
  // with --ensemble 1; not with known-future covariates (their head start and model file version 3
  // assume one baseline); and not for sub-daily data, where it doubles the longest trainings
  // (taylor-30min's forecast: 19.6 → 38.2 s) and measured no gain (as the only baseline: vic-elec
  // 0.697 → 1.076).
  const secondNeeds = resolved.second === undefined ? 0 : minimumLength(firstOrigin(lookback, baselineReach(resolved.second)), horizon, options.valSize);
  const subDaily = SUB_DAILY.includes(dataset.freq.unit);
  const second = resolved.second !== undefined && options.ensemble !== 1 && !subDaily && dataset.futureFeatures.length === 0 && lengths.every((length, index) => !trainable[index] || length >= secondNeeds) ? resolved.second : undefined;
  const spec: PipelineSpec = {
    lookback,
    horizon,
    baseline,
    ...(second === undefined ? {} : { memberBaselines: [baseline, second] }),
    features: [...dataset.features],
    futureFeatures: [...dataset.futureFeatures],
    calendar: options.calendar ? calendarCycles(dataset.freq) : [],
    // Calendar inputs to the head measured no better than none on the bench suite (README: accuracy).
    headCalendar: false,
    scale: options.scale,
    windowScale: options.windowScale && baseline.kind !== 'none',
  };
  let why: string | null = null;
  if (kind === 'auto') {
    const scored = scores.map((score) => {
      const text = `${describeBaseline(score.baseline)} ${score.error.toFixed(2)}`;
      const against = score.baseline.kind === 'two-season' ? resolved.secondAgainst : undefined;
      return against === undefined ? text : `${text} against ${against.toFixed(2)} for seasonal naive where both reach`;
    }).join(', ');
    const seasonsFound = seasonReason(baseline, present ?? [], resolved.tooShortFor ?? []);
    const also = second === undefined ? '' : `, a second network ${describeBaseline(second)}`;
    why = `transform auto: the network corrects ${describeBaseline(baseline)}${also} (${seasonsFound}; in-sample error ${scored}); ${logWhy}`;
  }
  return { spec, season, logs, trainable, why, baselineScores: scores };
}

/** Why the chosen baseline has (or has no) season, in the words of chooseBaseline's rule. */
function seasonReason(baseline: Baseline, present: readonly number[], tooShortFor: readonly number[]): string {
  const tested = present.length === 0 ? 'no season passes the seasonality test' : `season${present.length > 1 ? 's' : ''} ${present.join(' and ')} pass${present.length > 1 ? '' : 'es'} the seasonality test`;
  if (isSeasonal(baseline.kind) && !present.includes(baseline.season)) return `${tested}; season ${baseline.season} beats naive in-sample`;
  if (tooShortFor.length > 0) return `${tested}; too few points to train on seasonal naive (${tooShortFor.join(', ')})`;
  return tested;
}

function tooShort(dataset: Dataset, lookback: number, horizon: number, valSize: number, reach: number, needed: number): DataError {
  const longest = dataset.series.reduce((a, b) => (b.values.length > a.values.length ? b : a));
  const points = longest.values.length;
  const first = firstOrigin(lookback, reach);
  const reachNote = reach > lookback ? ` (the baseline reaches ${reach} points back)` : '';
  let message = `${dataset.source}: ${seriesName(longest.id)} has ${points} point${points === 1 ? '' : 's'}; lookback ${lookback}${reachNote} + horizon ${horizon} needs at least ${first + horizon}`;
  if (valSize > 0) message += `, and ${needed} to also hold out --val-size ${valSize} for validation`;
  const hints: string[] = [];
  const spare = points - (needed - first);
  if (spare >= 1 && spare < lookback) hints.push(`--lookback ${spare}`);
  hints.push('a shorter --horizon');
  if (reach > 1) hints.push('--transform diff');
  return new DataError(`${message}; try ${hints.length > 1 ? `${hints.slice(0, -1).join(', ')} or ${hints.at(-1)}` : hints[0]}`);
}
