// Frequencies and written times: what forecast and backtest need to continue a series past its
// end and to print timestamps the way the input wrote them.
import { UsageError } from '../errors.js';
import type { Frequency, TimeStyle } from './types.js';
import {
  DAY, HOUR, MINUTE, SECOND, businessIndex, civilFromDays, daysFromBusinessIndex, daysFromCivil,
  daysInMonth, monthIndex,
} from './calendar.js';
import { formatCustom } from './time-format.js';
import { formatPattern } from './time-pattern.js';
import { clockOf, fixedClock, type Clock } from './zone.js';

const UTC = fixedClock(0);

const UNIT_CODES: Record<string, { unit: Frequency['unit']; anchor: Frequency['anchor'] }> = {
  s: { unit: 'second', anchor: null }, S: { unit: 'second', anchor: null }, sec: { unit: 'second', anchor: null },
  min: { unit: 'minute', anchor: null }, T: { unit: 'minute', anchor: null },
  H: { unit: 'hour', anchor: null }, h: { unit: 'hour', anchor: null },
  D: { unit: 'day', anchor: null }, d: { unit: 'day', anchor: null },
  B: { unit: 'business-day', anchor: null },
  W: { unit: 'week', anchor: null }, w: { unit: 'week', anchor: null },
  // 'M', 'Q', 'Y' without S/E: anchored like the data (resolved by loadDataset).
  M: { unit: 'month', anchor: null }, MS: { unit: 'month', anchor: 'start' }, ME: { unit: 'month', anchor: 'end' },
  Q: { unit: 'quarter', anchor: null }, QS: { unit: 'quarter', anchor: 'start' }, QE: { unit: 'quarter', anchor: 'end' },
  Y: { unit: 'year', anchor: null }, YS: { unit: 'year', anchor: 'start' }, YE: { unit: 'year', anchor: 'end' },
  A: { unit: 'year', anchor: null }, AS: { unit: 'year', anchor: 'start' }, AE: { unit: 'year', anchor: 'end' },
};

const CANONICAL: Record<Frequency['unit'], string> = {
  second: 's', minute: 'min', hour: 'H', day: 'D', 'business-day': 'B', week: 'W', month: 'M', quarter: 'Q', year: 'Y',
};

/** The code for a unit and step, e.g. ('minute', 15) → '15min', ('month', 1) → 'M'. */
export function frequencyCode(unit: Frequency['unit'], step: number): string {
  return step === 1 ? CANONICAL[unit] : `${step}${CANONICAL[unit]}`;
}

export function makeFrequency(unit: Frequency['unit'], step: number, anchor: Frequency['anchor'] = null): Frequency {
  return { code: frequencyCode(unit, step), unit, step, anchor };
}

/** '--freq' values: '15min', 'H', '2H', 'D', 'B', 'W', 'M', 'MS', 'ME', 'Q', 'Y' ... */
export function parseFrequency(code: string): Frequency {
  const match = /^\s*(\d+)?\s*([A-Za-z]+)\s*$/.exec(code);
  const entry = match ? UNIT_CODES[match[2]!] : undefined;
  const step = match?.[1] === undefined ? 1 : Number(match[1]);
  if (!match || !entry || !Number.isSafeInteger(step) || step < 1) {
    const hint = match?.[2] === 'm' ? " ('m' is ambiguous: 'min' for minutes, 'M' for months)" : '';
    throw new UsageError(
      `--freq: unknown frequency '${code}'${hint}; use e.g. 15min, H, 2H, D, B, W, M (MS/ME for month start/end), Q, Y`,
    );
  }
  return makeFrequency(entry.unit, step, entry.anchor);
}

const FIXED_MS: Partial<Record<Frequency['unit'], number>> = {
  second: SECOND, minute: MINUTE, hour: HOUR, day: DAY, week: 7 * DAY,
};

/**
 * Milliseconds per step where steps are a fixed length: seconds to hours always (counted on
 * instants), days and weeks on a fixed-offset clock; undefined for calendar units, business
 * days, and days on a zone's clock (23 or 25 hours at daylight saving).
 */
export function fixedStepMs(freq: Frequency, clock: Clock = UTC): number | undefined {
  if (clock.zone !== null && (freq.unit === 'day' || freq.unit === 'week')) return undefined;
  const unit = FIXED_MS[freq.unit];
  return unit === undefined ? undefined : unit * freq.step;
}

function monthsPerStep(freq: Frequency): number {
  const perUnit = freq.unit === 'month' ? 1 : freq.unit === 'quarter' ? 3 : 12;
  return perUnit * freq.step;
}

/**
 * The time `steps` steps after `time` (epoch ms; negative steps go back). Seconds to hours are
 * counted on instants; days and coarser on the local calendar of `clock` (the input's offset or
 * zone), keeping the wall-clock time of day. Calendar units land on the first day (anchor
 * 'start'), the last day ('end') or the same day of the month, clamped (null). Business days
 * skip Saturdays and Sundays.
 */
export function addSteps(time: number, freq: Frequency, steps: number, clock: Clock = UTC): number {
  const fixed = fixedStepMs(freq, clock);
  if (fixed !== undefined) return time + steps * fixed;
  const local = clock.toLocal(time);
  const days = Math.floor(local / DAY);
  const timeOfDay = local - days * DAY;
  if (freq.unit === 'day' || freq.unit === 'week') {
    return clock.fromLocal(local + steps * freq.step * (freq.unit === 'week' ? 7 : 1) * DAY);
  }
  if (freq.unit === 'business-day') {
    const target = daysFromBusinessIndex(businessIndex(days) + steps * freq.step);
    return clock.fromLocal(target * DAY + timeOfDay);
  }
  const { year, month, day } = civilFromDays(days);
  const months = monthIndex(year, month) + steps * monthsPerStep(freq);
  const newYear = Math.floor(months / 12);
  const newMonth = months - newYear * 12 + 1;
  const last = daysInMonth(newYear, newMonth);
  const newDay = freq.anchor === 'start' ? 1 : freq.anchor === 'end' ? last : Math.min(day, last);
  return clock.fromLocal(daysFromCivil(newYear, newMonth, newDay) * DAY + timeOfDay);
}

/**
 * How many steps of `freq` lead from `from` to `to`, or NaN when `to` is not on that grid.
 * The inverse of addSteps for times that the grid reaches.
 */
export function stepsBetween(from: number, to: number, freq: Frequency, clock: Clock = UTC): number {
  const fixed = fixedStepMs(freq, clock);
  if (fixed !== undefined) {
    const steps = (to - from) / fixed;
    return Number.isInteger(steps) ? steps : NaN;
  }
  const fromDays = Math.floor(clock.toLocal(from) / DAY);
  const toDays = Math.floor(clock.toLocal(to) / DAY);
  let steps: number;
  if (freq.unit === 'day' || freq.unit === 'week') {
    steps = (toDays - fromDays) / (freq.step * (freq.unit === 'week' ? 7 : 1));
  } else if (freq.unit === 'business-day') {
    steps = (businessIndex(toDays) - businessIndex(fromDays)) / freq.step;
  } else {
    const a = civilFromDays(fromDays);
    const b = civilFromDays(toDays);
    steps = (monthIndex(b.year, b.month) - monthIndex(a.year, a.month)) / monthsPerStep(freq);
  }
  if (!Number.isInteger(steps)) return NaN;
  return addSteps(from, freq, steps, clock) === to ? steps : NaN;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

function formatYear(year: number): string {
  return year < 0 ? `-${pad(-year, 6)}` : year > 9999 ? `+${pad(year, 6)}` : pad(year, 4);
}

/** A time written in the input's style: YYYY-MM stays YYYY-MM, dates stay dates, quarters quarters, offsets kept, epoch stays epoch. */
export function formatTime(time: number, style: TimeStyle): string {
  if (style.kind === 'epoch-millis') return String(time);
  if (style.kind === 'epoch-seconds') return String(time / 1000);
  const clock = clockOf(style);
  const offset = clock.offsetAt(time);
  const local = time + offset;
  const written = style.offsetMinutes === null ? null : offset;
  if (style.kind === 'pattern') return formatPattern(local, style.pattern!, style.letterCase, offset);
  if (style.kind === 'custom') return formatCustom(local, style.pattern!, written);
  const days = Math.floor(local / DAY);
  const { year, month, day } = civilFromDays(days);
  if (style.kind === 'month') return `${formatYear(year)}-${pad(month, 2)}`;
  const date = `${formatYear(year)}-${pad(month, 2)}-${pad(day, 2)}`;
  if (style.kind === 'date') return date;
  const ms = local - days * DAY;
  let text = `${date}${style.separator}${pad(Math.floor(ms / HOUR), 2)}:${pad(Math.floor(ms / MINUTE) % 60, 2)}`;
  if (style.seconds || style.fractionDigits > 0) text += `:${pad(Math.floor(ms / SECOND) % 60, 2)}`;
  if (style.fractionDigits > 0) {
    const fraction = pad(ms % SECOND, 3);
    text += `.${fraction.padEnd(style.fractionDigits, '0').slice(0, Math.max(style.fractionDigits, 1))}`;
  }
  if (written === null) return text;
  const minutes = Math.round(written / MINUTE);
  if (style.zulu && minutes === 0) return `${text}Z`;
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${text}${sign}${pad(Math.floor(abs / 60), 2)}:${pad(abs % 60, 2)}`;
}

/** Steps per season: 15min 96, H 24, D 7, B 5, W 52, M 12, Q 4, Y 1 (at least 1). */
export function seasonLength(freq: Frequency): number {
  const perCycle: Record<Frequency['unit'], number> = {
    second: 60, // a minute
    minute: freq.step >= 5 ? 1440 : 60, // a day, or an hour for very fine data
    hour: 24, day: 7, 'business-day': 5, week: 52, month: 12, quarter: 4, year: 1,
  };
  return Math.max(1, Math.round(perCycle[freq.unit] / freq.step));
}

/** PRODUCT.md: hourly 48, daily 14, weekly 13, monthly 18, quarterly 8, yearly 6, else 10 (by unit; B counts as daily). */
export function defaultHorizon(freq: Frequency): number {
  switch (freq.unit) {
    case 'hour': return 48;
    case 'day': case 'business-day': return 14;
    case 'week': return 13;
    case 'month': return 18;
    case 'quarter': return 8;
    case 'year': return 6;
    default: return 10;
  }
}

/** Words for people: 'monthly (month start)', 'every 15 minutes'. */
export function describeFrequency(freq: Frequency): string {
  const names: Record<Frequency['unit'], [string, string]> = {
    second: ['every second', 'seconds'], minute: ['every minute', 'minutes'], hour: ['hourly', 'hours'],
    day: ['daily', 'days'], 'business-day': ['business days', 'business days'], week: ['weekly', 'weeks'],
    month: ['monthly', 'months'], quarter: ['quarterly', 'quarters'], year: ['yearly', 'years'],
  };
  const [one, many] = names[freq.unit];
  const base = freq.step === 1 ? one : `every ${freq.step} ${many}`;
  const anchor = freq.anchor === 'start' ? ` (${freq.unit} start)` : freq.anchor === 'end' ? ` (${freq.unit} end)` : '';
  return base + anchor;
}
