// Calendar inputs known in advance: position in the day, the week, the year, as sine/cosine
// pairs (so 23:00 sits next to 00:00 and December next to January). Which ones depend on the
// frequency: a cycle shorter than two steps carries nothing (monthly data has no hour of day).
// Computed on the input's wall clock (its offset or time zone, daylight saving included).
import { DAY, civilFromDays, daysFromCivil, isLeapYear, weekday } from './calendar.js';
import type { Clock } from './zone.js';
import type { Frequency } from './types.js';

export const CALENDAR_CYCLES = ['day', 'week', 'year'] as const;
export type CalendarCycle = (typeof CALENDAR_CYCLES)[number];

const CYCLES_BY_UNIT: Record<Frequency['unit'], CalendarCycle[]> = {
  second: ['day', 'week'],
  minute: ['day', 'week'],
  hour: ['day', 'week'],
  day: ['week', 'year'],
  'business-day': ['week', 'year'],
  week: ['year'],
  month: ['year'],
  quarter: ['year'],
  year: [],
};

/** The cycles the network sees for data at this frequency. */
export function calendarCycles(freq: Frequency): CalendarCycle[] {
  return [...CYCLES_BY_UNIT[freq.unit]];
}

/** Input names, two per cycle, as the model file lists them. */
export function calendarInputNames(cycles: readonly CalendarCycle[]): string[] {
  return cycles.flatMap((cycle) => [`calendar:${cycle}:sin`, `calendar:${cycle}:cos`]);
}

/** Where `time` falls in a cycle, in [0, 1), on the wall clock. */
export function cyclePhase(time: number, cycle: CalendarCycle, clock: Clock): number {
  const local = clock.toLocal(time);
  const days = Math.floor(local / DAY);
  if (cycle === 'day') return (local - days * DAY) / DAY;
  if (cycle === 'week') return (weekday(days) + (local - days * DAY) / DAY) / 7;
  const { year } = civilFromDays(days);
  const dayOfYear = days - daysFromCivil(year, 1, 1);
  return dayOfYear / (isLeapYear(year) ? 366 : 365);
}

/** Writes the 2·cycles calendar inputs of `time` into out[at ...]. */
export function writeCalendar(out: Float32Array | Float64Array, at: number, time: number, cycles: readonly CalendarCycle[], clock: Clock): void {
  for (let c = 0; c < cycles.length; c++) {
    const angle = 2 * Math.PI * cyclePhase(time, cycles[c]!, clock);
    out[at + 2 * c] = Math.sin(angle);
    out[at + 2 * c + 1] = Math.cos(angle);
  }
}
