// Which seasons the calendar suggests (hourly data: a day of 24 and a week of 168 steps; daily: a
// week and a year; monthly: a year of 12). The data decides among them (baseline.ts).
import type { Frequency } from './types.js';

/** Seasons the calendar suggests for a frequency, shortest first, 1 (none) excluded. */
export function candidateSeasons(freq: Frequency): number[] {
  const perDay: Partial<Record<Frequency['unit'], number>> = { second: 86_400, minute: 1440, hour: 24 };
  const steps = (period: number): number | null => (period % freq.step === 0 && period / freq.step >= 2 ? period / freq.step : null);
  const found: (number | null)[] = [];
  const day = perDay[freq.unit];
  if (day !== undefined) {
    if (freq.unit === 'minute' && freq.step < 5) found.push(steps(60)); // an hour, for very fine data
    found.push(steps(day), steps(7 * day));
  } else if (freq.unit === 'day') {
    found.push(steps(7), steps(365));
  } else if (freq.unit === 'business-day') {
    found.push(steps(5));
  } else if (freq.unit === 'week') {
    found.push(steps(52));
  } else if (freq.unit === 'month') {
    found.push(steps(12));
  } else if (freq.unit === 'quarter') {
    found.push(steps(4));
  }
  return [...new Set(found.filter((m): m is number => m !== null))].sort((a, b) => a - b);
}

