// Calendar arithmetic on epoch milliseconds without Date objects: the hot path parses a million
// timestamps, and these integer formulas (days from civil, H. Hinnant) are several times faster.

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** Days since 1970-01-01 of a proleptic Gregorian date (month 1..12). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400; // [0, 399]
  const mp = (month + 9) % 12; // March = 0
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1; // [0, 365]
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy; // [0, 146096]
  return era * 146097 + doe - 719468;
}

export interface Civil {
  year: number;
  month: number; // 1..12
  day: number; // 1..31
}

/** The date of a day number (days since 1970-01-01). */
export function civilFromDays(days: number): Civil {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: era * 400 + yoe + (month <= 2 ? 1 : 0), month, day };
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** 0 = Monday ... 6 = Sunday (1970-01-01 was a Thursday). */
export function weekday(days: number): number {
  return (((days + 3) % 7) + 7) % 7;
}

/** Business-day number of a weekday (Mon..Fri); a weekend day maps to the Friday before. */
export function businessIndex(days: number): number {
  const monday = days - weekday(days); // Monday of that week
  const week = Math.floor((monday + 3) / 7); // 1969-12-29 (a Monday, day -3) starts week 0
  return week * 5 + Math.min(weekday(days), 4);
}

export function daysFromBusinessIndex(index: number): number {
  const week = Math.floor(index / 5);
  return week * 7 - 3 + (index - week * 5);
}

/** Month number since year 0 (year * 12 + month - 1), for counting calendar steps. */
export function monthIndex(year: number, month: number): number {
  return year * 12 + month - 1;
}
