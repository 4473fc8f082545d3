// Writing times by a pattern in Luxon's token syntax, for the forms rnncast recognises itself
// ('M/d/yyyy', 'dd.MM.yyyy', "yyyy-'Q'q", "kkkk-'W'WW", 'MMM yyyy' ...): fast and with no
// library, so the recognised forms cost nothing at start-up. Only the tokens those forms use are
// known here; --time-format patterns are written by Luxon itself (time-format.ts).
import { DAY, HOUR, MINUTE, SECOND, civilFromDays, daysFromCivil, weekday } from './calendar.js';

export const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** 1..12 for an English month name or its abbreviation ('jan', 'Sept', 'SEPTEMBER'), else 0. */
export function monthFromName(name: string): number {
  const lower = name.toLowerCase();
  if (lower === 'sept') return 9;
  for (let i = 0; i < 12; i++) {
    const full = MONTH_NAMES[i]!.toLowerCase();
    if (lower === full || lower === full.slice(0, 3)) return i + 1;
  }
  return 0;
}

/** Monday (day number) of ISO week 1 of an ISO week-year: the week holding 4 January. */
export function isoWeekOneMonday(year: number): number {
  const january4 = daysFromCivil(year, 1, 4);
  return january4 - weekday(january4);
}

/** ISO week-year, week (1..53) and weekday (1 = Monday) of a day number. */
export function isoWeek(days: number): { year: number; week: number; day: number } {
  const thursday = days - weekday(days) + 3; // the week belongs to the year of its Thursday
  const year = civilFromDays(thursday).year;
  return { year, week: Math.floor((thursday - isoWeekOneMonday(year)) / 7) + 1, day: weekday(days) + 1 };
}

export type LetterCase = 'title' | 'upper' | 'lower';

type Part = { literal: string } | { token: string };

const compiled = new Map<string, Part[]>();

/** Tokens are runs of one letter; text in single quotes ('' is a quote) and anything else is literal. */
function compile(pattern: string): Part[] {
  let parts = compiled.get(pattern);
  if (parts !== undefined) return parts;
  parts = [];
  for (let at = 0; at < pattern.length; ) {
    const char = pattern[at]!;
    if (char === "'") {
      const close = pattern.indexOf("'", at + 1);
      const end = close < 0 ? pattern.length : close;
      parts.push({ literal: end === at + 1 ? "'" : pattern.slice(at + 1, end) });
      at = end + 1;
    } else if (/[A-Za-z]/.test(char)) {
      let end = at + 1;
      while (pattern[end] === char) end++;
      parts.push({ token: pattern.slice(at, end) });
      at = end;
    } else {
      parts.push({ literal: char });
      at++;
    }
  }
  compiled.set(pattern, parts);
  return parts;
}

function pad(value: number, width: number): string {
  const text = String(Math.abs(value)).padStart(width, '0');
  return value < 0 ? `-${text}` : text;
}

function cased(text: string, letterCase: LetterCase): string {
  return letterCase === 'upper' ? text.toUpperCase() : letterCase === 'lower' ? text.toLowerCase() : text;
}

/**
 * `local` (wall-clock ms) written by `pattern`; `offset` (ms) is written by ZZ/ZZZ tokens. Throws
 * on a token the recognised forms never produce: that would be a bug, not a user error.
 */
export function formatPattern(local: number, pattern: string, letterCase: LetterCase = 'title', offset = 0): string {
  const days = Math.floor(local / DAY);
  const ms = local - days * DAY;
  const { year, month, day } = civilFromDays(days);
  let out = '';
  for (const part of compile(pattern)) {
    if ('literal' in part) {
      out += part.literal;
      continue;
    }
    const token = part.token;
    switch (token) {
      case 'yyyy': out += pad(year, 4); break;
      case 'y': out += String(year); break;
      case 'M': case 'MM': out += pad(month, token.length); break;
      case 'MMM': out += cased(MONTH_NAMES[month - 1]!.slice(0, 3), letterCase); break;
      case 'MMMM': out += cased(MONTH_NAMES[month - 1]!, letterCase); break;
      case 'd': case 'dd': out += pad(day, token.length); break;
      case 'q': out += String(Math.floor((month - 1) / 3) + 1); break;
      case 'kkkk': out += pad(isoWeek(days).year, 4); break;
      case 'W': case 'WW': out += pad(isoWeek(days).week, token.length); break;
      case 'c': out += String(isoWeek(days).day); break;
      case 'H': case 'HH': out += pad(Math.floor(ms / HOUR), token.length); break;
      case 'h': case 'hh': out += pad(((Math.floor(ms / HOUR) + 11) % 12) + 1, token.length); break;
      case 'a': out += cased(ms < 12 * HOUR ? 'AM' : 'PM', letterCase === 'lower' ? 'lower' : 'upper'); break;
      case 'mm': out += pad(Math.floor(ms / MINUTE) % 60, 2); break;
      case 'ss': out += pad(Math.floor(ms / SECOND) % 60, 2); break;
      case 'S': case 'SS': case 'SSS': out += pad(ms % SECOND, 3).slice(0, token.length); break;
      case 'ZZ': case 'ZZZ': {
        const minutes = Math.round(offset / MINUTE);
        const abs = Math.abs(minutes);
        out += `${minutes < 0 ? '-' : '+'}${pad(Math.floor(abs / 60), 2)}${token === 'ZZ' ? ':' : ''}${pad(abs % 60, 2)}`;
        break;
      }
      default: throw new Error(`time pattern '${pattern}': token '${token}' is not one rnncast writes itself`);
    }
  }
  return out;
}

/** A literal for a pattern: letters quoted, so that "Q" stays a Q. */
export function literal(text: string): string {
  return text.replace(/'/g, "''").replace(/[A-Za-z]+/g, (letters) => `'${letters}'`);
}
