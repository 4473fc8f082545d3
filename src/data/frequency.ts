// Inferring the sampling frequency from the times, and placing every point on that grid. The
// grid position (steps from the series start) is what gap detection and filling work with.
import { DataError, where } from '../errors.js';
import { DAY, HOUR, MINUTE, SECOND, businessIndex, civilFromDays, daysInMonth, monthIndex, weekday } from './calendar.js';
import { addSteps, describeFrequency, fixedStepMs, formatTime, makeFrequency, stepsBetween } from './time.js';
import type { Frequency, TimeStyle } from './types.js';
import { clockOf } from './zone.js';

export interface SortedSeries {
  id: string;
  /** (N) strictly increasing epoch ms. */
  times: Float64Array;
  /** (N) input line of each point. */
  lines: Uint32Array;
}

export interface FrequencyContext {
  file: string;
  style: TimeStyle;
  idColumn: string | null;
}

/** A run of this many equal multi-step spacings means the sampling rate changed, not a gap. */
const MIXED_RUN = 5;

function mode(values: ArrayLike<number>): number {
  const counts = new Map<number, number>();
  let best = values[0]!;
  let bestCount = 0;
  // Counted by runs: regular data is one long run, so the map sees few updates.
  for (let i = 0; i < values.length; ) {
    const value = values[i]!;
    let j = i + 1;
    while (j < values.length && values[j] === value) j++;
    const count = (counts.get(value) ?? 0) + (j - i);
    counts.set(value, count);
    if (count > bestCount || (count === bestCount && value < best)) {
      best = value;
      bestCount = count;
    }
    i = j;
  }
  return best;
}

function humanDuration(ms: number): string {
  const parts: string[] = [];
  const units: [number, string][] = [[DAY, 'd'], [HOUR, 'h'], [MINUTE, 'min'], [SECOND, 's']];
  let rest = Math.abs(ms);
  for (const [size, name] of units) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${name}`);
      rest %= size;
    }
  }
  if (rest > 0 || parts.length === 0) parts.push(`${rest}ms`);
  return parts.join(' ');
}

function seriesName(context: FrequencyContext, id: string): string {
  return context.idColumn === null ? '' : ` in series '${id}'`;
}

/** Frequency of sorted, duplicate-free series; DataError when the times fit none. */
export function inferFrequency(series: SortedSeries[], context: FrequencyContext): Frequency {
  const usable = series.filter((s) => s.times.length >= 2);
  if (usable.length === 0) {
    const line = series[0]?.lines[0];
    throw new DataError(
      `${where(context.file, line)}: only one time${context.idColumn === null ? '' : ' per series'}: the frequency cannot be inferred; give --freq`,
    );
  }
  const clock = clockOf(context.style);
  let sameTimeOfDay = true;
  let allFirst = true;
  let allLast = true;
  let sameDay = true;
  let noWeekend = true;
  const firstLocal = clock.toLocal(usable[0]!.times[0]!);
  const timeOfDay = firstLocal - Math.floor(firstLocal / DAY) * DAY;
  const firstDay = civilFromDays(Math.floor(firstLocal / DAY)).day;
  for (const { times } of usable) {
    for (let i = 0; i < times.length && sameTimeOfDay; i++) {
      const local = clock.toLocal(times[i]!);
      const days = Math.floor(local / DAY);
      if (local - days * DAY !== timeOfDay) sameTimeOfDay = false;
      const civil = civilFromDays(days);
      if (civil.day !== 1) allFirst = false;
      if (civil.day !== daysInMonth(civil.year, civil.month)) allLast = false;
      if (civil.day !== firstDay || firstDay > 28) sameDay = false;
      if (weekday(days) >= 5) noWeekend = false;
    }
  }
  if (sameTimeOfDay && (allFirst || allLast || sameDay)) {
    const steps: number[] = [];
    for (const { times } of usable) {
      for (let i = 1; i < times.length; i++) {
        const a = civilFromDays(Math.floor(clock.toLocal(times[i - 1]!) / DAY));
        const b = civilFromDays(Math.floor(clock.toLocal(times[i]!) / DAY));
        steps.push(monthIndex(b.year, b.month) - monthIndex(a.year, a.month));
      }
    }
    const months = mode(steps);
    const anchor = allFirst ? 'start' : allLast ? 'end' : null;
    if (months >= 1) {
      if (months % 12 === 0) return makeFrequency('year', months / 12, anchor);
      if (months % 3 === 0) return makeFrequency('quarter', months / 3, anchor);
      return makeFrequency('month', months, anchor);
    }
  }
  // Times at one time of day step in days on the local calendar (a day is a day at daylight
  // saving too); anything finer steps on instants.
  const diffs = new Float64Array(usable.reduce((sum, { times }) => sum + times.length - 1, 0)); // (total diffs)
  let at = 0;
  for (const { times } of usable) {
    for (let i = 1; i < times.length; i++) {
      diffs[at++] = sameTimeOfDay ? clock.toLocal(times[i]!) - clock.toLocal(times[i - 1]!) : times[i]! - times[i - 1]!;
    }
  }
  const base = mode(diffs);
  if (sameTimeOfDay && noWeekend && base === DAY && diffs.some((diff) => diff === 3 * DAY)) {
    return makeFrequency('business-day', 1);
  }
  const units: [number, Frequency['unit']][] = [[7 * DAY, 'week'], [DAY, 'day'], [HOUR, 'hour'], [MINUTE, 'minute'], [SECOND, 'second']];
  for (const [size, unit] of units) if (base % size === 0) return makeFrequency(unit, base / size);
  const { times, lines } = usable[0]!;
  throw new DataError(
    `${where(context.file, lines[1])}: times ${humanDuration(times[1]! - times[0]!)} apart: rnncast needs a frequency of whole seconds or more; give --freq`,
  );
}

/** Month anchor for '--freq M' (no S/E): like the data's first time. */
export function resolveAnchor(freq: Frequency, firstTime: number, style: TimeStyle): Frequency {
  if (freq.anchor !== null || !['month', 'quarter', 'year'].includes(freq.unit)) return freq;
  const civil = civilFromDays(Math.floor(clockOf(style).toLocal(firstTime) / DAY));
  const anchor = civil.day === 1 ? 'start' : civil.day === daysInMonth(civil.year, civil.month) ? 'end' : null;
  return { ...freq, anchor };
}

/**
 * (N) grid position of every point: steps of `freq` from the series' first time. Throws DataError
 * naming the line when a time is off the grid (irregular spacing), and, for an inferred
 * frequency, when a long run of equal multi-step spacings shows the sampling rate changed.
 */
export function gridPositions(series: SortedSeries, freq: Frequency, inferred: boolean, context: FrequencyContext): Float64Array {
  const { times } = series;
  const n = times.length;
  const positions = new Float64Array(n); // (N)
  if (n === 0) return positions;
  const clock = clockOf(context.style);
  const first = times[0]!;
  const fixed = fixedStepMs(freq, clock);
  const firstBusiness = freq.unit === 'business-day' ? businessIndex(Math.floor(clock.toLocal(first) / DAY)) : 0;
  for (let i = 1; i < n; i++) {
    const t = times[i]!;
    let position: number;
    if (fixed !== undefined) {
      position = (t - first) / fixed;
      if (!Number.isInteger(position)) position = NaN;
    } else if (freq.unit === 'business-day') {
      const days = Math.floor(clock.toLocal(t) / DAY);
      position = (businessIndex(days) - firstBusiness) / freq.step;
      if (weekday(days) >= 5 || !Number.isInteger(position) || addSteps(first, freq, position, clock) !== t) position = NaN;
    } else {
      position = stepsBetween(first, t, freq, clock);
    }
    if (Number.isNaN(position)) throw offGrid(series, i, freq, inferred, context);
    positions[i] = position;
  }
  if (inferred) checkMixed(series, positions, freq, context);
  return positions;
}

function offGrid(series: SortedSeries, i: number, freq: Frequency, inferred: boolean, context: FrequencyContext): DataError {
  const { times, lines } = series;
  const time = formatTime(times[i]!, context.style);
  const previous = formatTime(times[i - 1]!, context.style);
  const gap = humanDuration(times[i]! - times[i - 1]!);
  const at = where(context.file, lines[i]);
  if (!inferred) {
    return new DataError(
      `${at}: time '${time}'${seriesName(context, series.id)} is not on the --freq ${freq.code} grid that starts at '${formatTime(times[0]!, context.style)}' (line ${lines[0]})`,
    );
  }
  const fixed = fixedStepMs(freq, clockOf(context.style));
  const diff = times[i]! - times[i - 1]!;
  const mixed = fixed !== undefined && diff < fixed && fixed % diff === 0;
  return new DataError(
    `${at}: ${mixed ? 'mixed frequencies' : 'irregular spacing'}${seriesName(context, series.id)}: '${time}' comes ${gap} after '${previous}' (line ${lines[i - 1]}), ` +
      `but most times are ${describeFrequency(freq)} (${freq.code}); this fits no frequency: give --freq, or resample the file`,
  );
}

function checkMixed(series: SortedSeries, positions: Float64Array, freq: Frequency, context: FrequencyContext): void {
  let runStart = 1;
  for (let i = 2; i <= positions.length; i++) {
    const step = positions[i - 1]! - positions[i - 2]!;
    const same = i < positions.length && positions[i]! - positions[i - 1]! === step;
    if (same) continue;
    const run = i - runStart;
    if (step >= 2 && run >= MIXED_RUN) {
      const { lines } = series;
      throw new DataError(
        `${where(context.file, lines[runStart - 1])}: mixed frequencies${seriesName(context, series.id)}: from line ${lines[runStart - 1]} to line ${lines[i - 1]} ` +
          `the times are ${step} steps apart, elsewhere ${describeFrequency(freq)} (${freq.code}); give --freq to fill the gaps instead`,
      );
    }
    runStart = i;
  }
}
