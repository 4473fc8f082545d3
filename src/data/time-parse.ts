// Parsing one time cell straight from the decoded text (no substring), the way the hot path needs:
// ISO 8601 dates 'YYYY-MM-DD', months 'YYYY-MM', date-times 'YYYY-MM-DD[T ]HH:MM[:SS[.fff]]'
// with an optional 'Z', '+HH:MM', '+HHMM' or '+HH'. Epoch numbers are parsed as numbers elsewhere.
import { DAY, HOUR, MINUTE, SECOND, daysFromCivil, daysInMonth } from './calendar.js';

/** What the last successful parseTimeAt saw; read right after the call (no allocation per cell). */
export const lastTime = {
  kind: 'date' as 'date' | 'datetime' | 'month',
  /** null when no offset was written. */
  offsetMinutes: null as number | null,
  zulu: false,
  separator: 'T' as 'T' | ' ',
  seconds: false,
  fractionDigits: 0,
};

let cachedYear = -1;
let cachedMonth = -1;
let cachedDay = -1;
let cachedDate = 0;

function digits(text: string, at: number, count: number): number {
  let value = 0;
  for (let i = 0; i < count; i++) {
    const code = text.charCodeAt(at + i) - 48;
    if (code < 0 || code > 9) return -1;
    value = value * 10 + code;
  }
  return value;
}

/** Epoch ms of the time written in text[start, end), or NaN when it is not one we read. */
export function parseTimeAt(text: string, start: number, end: number): number {
  while (start < end && (text.charCodeAt(start) === 32 || text.charCodeAt(start) === 9)) start++;
  while (end > start && (text.charCodeAt(end - 1) === 32 || text.charCodeAt(end - 1) === 9)) end--;
  const length = end - start;
  if (length < 7 || text.charCodeAt(start + 4) !== 45) return NaN; // 'YYYY-'
  const year = digits(text, start, 4);
  const month = digits(text, start + 5, 2);
  if (year < 0 || month < 1 || month > 12) return NaN;
  if (length === 7) {
    lastTime.kind = 'month';
    lastTime.offsetMinutes = null;
    return daysFromCivil(year, month, 1) * DAY;
  }
  if (length < 10 || text.charCodeAt(start + 7) !== 45) return NaN;
  const day = digits(text, start + 8, 2);
  let date: number;
  if (year === cachedYear && month === cachedMonth && day === cachedDay) {
    date = cachedDate; // sub-daily data repeats its date for many rows
  } else {
    if (day < 1 || day > daysInMonth(year, month)) return NaN;
    date = daysFromCivil(year, month, day) * DAY;
    cachedYear = year;
    cachedMonth = month;
    cachedDay = day;
    cachedDate = date;
  }
  if (length === 10) {
    lastTime.kind = 'date';
    lastTime.offsetMinutes = null;
    return date;
  }
  // Date-time: separator, HH:MM, then optional :SS, .fraction, offset.
  const separator = text.charCodeAt(start + 10);
  if (separator !== 84 && separator !== 116 && separator !== 32) return NaN; // 'T' 't' ' '
  if (length < 16 || text.charCodeAt(start + 13) !== 58) return NaN;
  const hour = digits(text, start + 11, 2);
  const minute = digits(text, start + 14, 2);
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59) return NaN;
  let at = start + 16;
  let second = 0;
  let millis = 0;
  let fractionDigits = 0;
  let hasSeconds = false;
  if (at < end && text.charCodeAt(at) === 58) {
    second = digits(text, at + 1, 2);
    if (at + 3 > end || second < 0 || second > 59) return NaN;
    hasSeconds = true;
    at += 3;
    if (at < end && (text.charCodeAt(at) === 46 || text.charCodeAt(at) === 44)) {
      at++;
      let scale = 100;
      while (at < end) {
        const code = text.charCodeAt(at) - 48;
        if (code < 0 || code > 9) break;
        millis += code * scale; // digits past milliseconds are dropped: times are whole ms
        scale /= 10;
        fractionDigits++;
        at++;
      }
      if (fractionDigits === 0) return NaN;
      millis = Math.floor(millis + 1e-9);
    }
  }
  let offsetMinutes: number | null = null;
  let zulu = false;
  if (at < end) {
    const sign = text.charCodeAt(at);
    if ((sign === 90 || sign === 122) && at + 1 === end) {
      offsetMinutes = 0; // 'Z'
      zulu = true;
    } else if (sign === 43 || sign === 45) {
      const rest = end - at - 1;
      const hours = digits(text, at + 1, 2);
      let minutes = 0;
      if (rest === 5 && text.charCodeAt(at + 3) === 58) minutes = digits(text, at + 4, 2);
      else if (rest === 4) minutes = digits(text, at + 3, 2);
      else if (rest !== 2) return NaN;
      if (hours < 0 || hours > 18 || minutes < 0 || minutes > 59) return NaN;
      offsetMinutes = (sign === 45 ? -1 : 1) * (hours * 60 + minutes);
    } else {
      return NaN;
    }
  }
  lastTime.kind = 'datetime';
  lastTime.offsetMinutes = offsetMinutes;
  lastTime.zulu = zulu;
  lastTime.separator = separator === 32 ? ' ' : 'T';
  lastTime.seconds = hasSeconds;
  lastTime.fractionDigits = fractionDigits;
  const local = date + hour * HOUR + minute * MINUTE + second * SECOND + millis;
  return offsetMinutes === null ? local : local - offsetMinutes * MINUTE;
}
