// The default lookback, chosen from the data, and the up-front length check, so a
// series that is too short fails with one clear message before any training starts.
import { DataError, where } from '../errors.js';
import { seriesName, transformOffset, type TransformKind } from './transform.js';
import type { Dataset } from './types.js';
import { minimumTransformedLength, splitWindows, windowCount } from './window.js';

// Fewer training windows than this in the shortest series, and the default lookback shrinks.
const MIN_TRAIN_WINDOWS = 16;
// Past this, two seasons make windows long and slow to train for little gain: use one season.
const MAX_TWO_SEASONS = 256;

/**
 * The default --lookback. Rule:
 * 1. desired = max(2 * season, horizon): two seasons show the seasonal pattern twice, and the
 *    network should see at least as far back as it forecasts ahead (one season when two would
 *    exceed 256 steps; season <= 1 means none).
 * 2. If the shortest series then gives fewer than 16 training windows (after validation and the
 *    gap, see splitWindows), shrink the lookback, but not below max(season, 2), until it does.
 * 3. If even that floor leaves fewer than 16, keep the longest lookback from the floor down that
 *    still gives one training (and one validation) window; if none does, return `desired` and let
 *    checkSeriesLength explain what is missing.
 */
export function chooseLookback(options: {
  season: number;
  horizon: number;
  shortestSeries: number;
  valSize: number;
  transform?: TransformKind; // default 'none'; diff costs one point
}): number {
  const { season, horizon, valSize } = options;
  const length = options.shortestSeries - transformOffset(options.transform ?? 'none');
  const seasonal = season > 1 ? (2 * season <= MAX_TWO_SEASONS ? 2 * season : season) : 0;
  const desired = Math.max(seasonal, horizon, 2);
  const floor = Math.min(desired, Math.max(season, 2));
  const split = (lookback: number) => splitWindows(windowCount(length, lookback, horizon), horizon, valSize);
  for (let lookback = desired; lookback >= floor; lookback--) {
    if (split(lookback).train >= MIN_TRAIN_WINDOWS) return lookback;
  }
  for (let lookback = floor; lookback >= 1; lookback--) {
    const s = split(lookback);
    if (s.train >= 1 && (valSize <= 0 || s.val >= 1)) return lookback;
  }
  return desired;
}

/**
 * Throws a DataError naming the first series too short to give one training window (and one
 * validation window when valSize > 0), with the minimum length and what would make it fit.
 */
export function checkSeriesLength(
  dataset: Dataset,
  lookback: number,
  horizon: number,
  valSize: number,
  source: string,
  transform: TransformKind = 'none',
): void {
  const offset = transformOffset(transform);
  const needed = minimumTransformedLength(lookback, horizon, valSize) + offset;
  const short = dataset.series.filter((series) => series.values.length < needed);
  if (short.length === 0) return;
  const first = short[0]!;
  const points = first.values.length;
  const diffNote = offset > 0 ? ' + 1 for --transform diff' : '';
  const bare = lookback + horizon + offset;
  let message = `${where(source)}: ${seriesName(first.id)} has ${points} point${points === 1 ? '' : 's'}; lookback ${lookback} + horizon ${horizon}${diffNote} needs at least ${bare}`;
  if (valSize > 0) message += `, and ${needed} to also hold out --val-size ${valSize} for validation`;
  // The windows needed do not depend on the lookback, so the longest lookback that fits is direct.
  const maxLookback = points - offset - (needed - offset - lookback);
  const hints: string[] = [];
  if (maxLookback >= 1) hints.push(`--lookback ${maxLookback}`);
  hints.push('a shorter --horizon');
  if (valSize > 0 && points >= bare) hints.push('--val-size 0');
  message += `; try ${hints.length > 2 ? `${hints.slice(0, -1).join(', ')} or ${hints.at(-1)}` : hints.join(' or ')}`;
  if (short.length > 1) message += ` (${short.length - 1} more series ${short.length === 2 ? 'is' : 'are'} too short)`;
  throw new DataError(message);
}
