// The time forms rnncast recognises besides ISO 8601 and epoch numbers: bare years, quarters,
// ISO weeks, year codes ('1-01'), numeric dates year-first, day-first or month-first, and dates
// with English month names, each with an optional time of day. A form is chosen for the whole
// column from a sample and every cell must then be in it; whether '1/2/2000' is day-first is
// decided from the whole column at the end (a day above 12 somewhere decides), never per row.
// Each form also yields the pattern (Luxon's token syntax) that writes times the same way.
import { DAY, HOUR, MINUTE, daysFromCivil, daysInMonth } from './calendar.js';
import { MONTH_NAMES, isoWeekOneMonday, literal, monthFromName, type LetterCase } from './time-pattern.js';

const TIME_OF_DAY = String.raw`(?:(?:T|\s+|,\s*)(?<H>\d{1,2}):(?<m>\d{2})(?::(?<s>\d{2})(?:[.,](?<S>\d{1,3}))?)?(?:\s*(?<a>[AaPp]\.?[Mm]\.?))?(?:\s*(?<Z>[+-]\d{2}:?\d{2}))?)?`;

export interface FormSpec {
  name: string;
  regex: RegExp;
  /** Bare years are numbers too: only in a column named like a time (year, date...) or given by --time. */
  restricted?: boolean;
}

const form = (name: string, source: string, restricted = false): FormSpec => ({ name, regex: new RegExp(`^${source}$`, 'd'), restricted });

/** In the order they are tried; a value matches at most one (bare years aside). */
export const FORMS: FormSpec[] = [
  form('year', String.raw`(?<y>\d{4})`, true),
  form('year-quarter', String.raw`(?<y>\d{4})\s*-?\s*(?<Q>[Qq])(?<q>[1-4])`),
  form('quarter-year', String.raw`(?<Q>[Qq])(?<q>[1-4])[\s/-]*(?<y>\d{4})`),
  form('iso-week', String.raw`(?<y>\d{4})-?(?<W>[Ww])(?<w>\d{2})(?:-?(?<c>[1-7]))?`),
  form('year-code', String.raw`(?<Y>\d{1,3})-(?<M>\d{2})`),
  form('year-month-day', String.raw`(?<y>\d{4})(?<p>[/.-])(?<M>\d{1,2})\k<p>(?<d>\d{1,2})${TIME_OF_DAY}`),
  form('day-month-year', String.raw`(?<A>\d{1,2})(?<p>[/.-])(?<B>\d{1,2})\k<p>(?<y>\d{4})${TIME_OF_DAY}`),
  form('name-year', String.raw`(?<N>[A-Za-z]{3,9})\.?[\s,/-]*(?<y>\d{4})`),
  form('year-name', String.raw`(?<y>\d{4})[\s/-]*(?<N>[A-Za-z]{3,9})\.?`),
  form('name-day-year', String.raw`(?<N>[A-Za-z]{3,9})\.?\s*(?<d>\d{1,2}),?\s*(?<y>\d{4})${TIME_OF_DAY}`),
  form('day-name-year', String.raw`(?<d>\d{1,2})[\s/-]*(?<N>[A-Za-z]{3,9})\.?,?[\s/-]*(?<y>\d{4})${TIME_OF_DAY}`),
  form('year-name-day', String.raw`(?<y>\d{4})[\s/-]*(?<N>[A-Za-z]{3,9})\.?[\s/-]*(?<d>\d{1,2})${TIME_OF_DAY}`),
];

/** The form of a column from its sampled values: the first that every value fits, else the first the first value fits when most do. */
export function recogniseForm(texts: string[], allowYears: boolean): FormSpec | null {
  const candidates = FORMS.filter((spec) => (allowYears || !spec.restricted) && fits(spec, texts[0] ?? ''));
  const all = candidates.find((spec) => texts.every((text) => fits(spec, text)));
  if (all !== undefined) return all;
  const most = candidates.find((spec) => texts.filter((text) => fits(spec, text)).length * 2 >= texts.length);
  return most ?? null;
}

function fits(spec: FormSpec, text: string): boolean {
  const match = spec.regex.exec(text);
  return match !== null && (match.groups?.N === undefined || monthFromName(match.groups.N) > 0);
}

/** Which of the two leading numbers of 'a/b/yyyy' is the day: decided from the column, fixed by dots. */
export type DayOrder = 'day-first' | 'month-first';

/** Where a value first showed something, for messages. */
export interface Sighting {
  text: string;
  line: number;
}

/** Per numeric field: were values written with one digit, or padded with a zero? */
interface Padding {
  single: boolean;
  padded: boolean;
}

const GROUP_NAMES = ['y', 'Y', 'M', 'N', 'd', 'A', 'B', 'q', 'Q', 'w', 'W', 'c', 'H', 'm', 's', 'S', 'a', 'Z'] as const;

/**
 * Reads cells of one form into wall-clock ms (local: as if the clock were UTC). A day-month pair
 * of unknown order is kept as raw fields until `resolveOrder`, when the whole column is in.
 */
export class FormReader {
  /** Offset written with the last cell read (ms), NaN when none. */
  offset = NaN;
  /** Why the last cell that read NaN is not a time, when it was close ('31/02/2000'). */
  problem = '';
  /** A day-month pair whose order is not known yet: the last read returned NaN with `deferred` set. */
  deferred = false;
  readonly first: Sighting;
  private readonly firstMatch: RegExpExecArray;
  private readonly padding = new Map<string, Padding>();
  private names = { upper: true, lower: true, full: false };
  private order: DayOrder | null;
  /** Deferred cells: the two numbers, the year and the time of day, per row. */
  private readonly pending: { row: number; a: number; b: number; year: number; time: number; line: number }[] = [];
  dayAbove12: Sighting | null = null;
  monthAbove12: Sighting | null = null;
  /** The first value whose two readings differ ('2/1/2000'), for the ambiguity message. */
  differing: Sighting | null = null;

  constructor(readonly spec: FormSpec, firstText: string, firstLine: number) {
    this.first = { text: firstText, line: firstLine };
    this.firstMatch = spec.regex.exec(firstText)!;
    this.order = spec.name === 'day-month-year' ? (this.firstMatch.groups!.p === '.' ? 'day-first' : null) : null;
  }

  private note(field: string, text: string): void {
    let padding = this.padding.get(field);
    if (padding === undefined) {
      padding = { single: false, padded: false };
      this.padding.set(field, padding);
    }
    if (text.length === 1) padding.single = true;
    else if (text[0] === '0') padding.padded = true;
  }

  /** Wall-clock ms of `text`, or NaN (see `deferred` and `problem`). */
  read(text: string, row: number, line: number): number {
    this.offset = NaN;
    this.problem = '';
    this.deferred = false;
    const match = this.spec.regex.exec(text);
    if (match === null) return NaN;
    const g = match.groups!;
    let time = 0;
    if (g.H !== undefined) {
      let hour = Number(g.H);
      if (g.a !== undefined) {
        if (hour < 1 || hour > 12) return this.fail(`hour ${g.H} with ${g.a}`);
        hour = (hour % 12) + (/^[Pp]/.test(g.a) ? 12 : 0);
      }
      const minute = Number(g.m);
      const second = Number(g.s ?? 0);
      if (hour > 23 || minute > 59 || second > 59) return this.fail('no such time of day');
      time = hour * HOUR + minute * MINUTE + second * 1000 + (g.S === undefined ? 0 : Number(g.S.padEnd(3, '0')));
      this.note('H', g.H);
      if (g.Z !== undefined) {
        const sign = g.Z[0] === '-' ? -1 : 1;
        const digits = g.Z.replace(':', '');
        this.offset = sign * (Number(digits.slice(1, 3)) * HOUR + Number(digits.slice(3, 5)) * MINUTE);
      }
    }
    if (g.N !== undefined) {
      if (g.N !== g.N.toUpperCase()) this.names.upper = false;
      if (g.N !== g.N.toLowerCase()) this.names.lower = false;
      if (g.N.length > 3 && MONTH_NAMES.some((name) => name.toLowerCase() === g.N!.toLowerCase())) this.names.full = true;
    }
    if (g.a !== undefined) {
      if (g.a !== g.a.toUpperCase()) this.names.upper = false;
      if (g.a !== g.a.toLowerCase()) this.names.lower = false;
    }
    const year = Number(g.y ?? g.Y);
    if (g.q !== undefined) return daysFromCivil(year, (Number(g.q) - 1) * 3 + 1, 1) * DAY;
    if (g.w !== undefined) {
      const week = Number(g.w);
      const weeks = (isoWeekOneMonday(year + 1) - isoWeekOneMonday(year)) / 7;
      if (week < 1 || week > weeks) return this.fail(`${year} has ${weeks} ISO weeks`);
      return (isoWeekOneMonday(year) + (week - 1) * 7 + Number(g.c ?? 1) - 1) * DAY;
    }
    if (g.A !== undefined) {
      const a = Number(g.A);
      const b = Number(g.B);
      this.note('A', g.A);
      this.note('B', g.B!); // the one form with (?<A>), day-month-year, always has (?<B>) too
      if (a > 12 && this.dayAbove12 === null) this.dayAbove12 = { text, line };
      if (b > 12 && this.monthAbove12 === null) this.monthAbove12 = { text, line };
      if (a !== b && this.differing === null) this.differing = { text, line };
      if (this.order === null) {
        this.pending.push({ row, a, b, year, time, line });
        this.deferred = true;
        return NaN;
      }
      return this.dateOf(year, this.order === 'day-first' ? b : a, this.order === 'day-first' ? a : b, time);
    }
    let month: number;
    if (g.N !== undefined) {
      month = monthFromName(g.N);
      if (month === 0) return NaN;
    } else {
      month = g.M === undefined ? 1 : Number(g.M);
      if (g.M !== undefined) this.note('M', g.M);
    }
    if (g.d !== undefined) this.note('d', g.d);
    return this.dateOf(year, month, g.d === undefined ? 1 : Number(g.d), time);
  }

  private fail(problem: string): number {
    this.problem = problem;
    return NaN;
  }

  private dateOf(year: number, month: number, day: number, time: number): number {
    if (month < 1 || month > 12) return this.fail(`no month ${month}`);
    if (day < 1 || day > daysInMonth(year, month)) return this.fail(`no day ${day} in ${year}-${String(month).padStart(2, '0')}`);
    return daysFromCivil(year, month, day) * DAY + time;
  }

  /** Cells read before the order was known; empty when none waits. */
  get waiting(): number {
    return this.pending.length;
  }

  /**
   * Fixes the day order (from the column, or given) and fills the waiting rows into `locals`;
   * returns the first cell that is then no date, or null.
   */
  resolveOrder(order: DayOrder, locals: Float64Array): { line: number; text: string; problem: string } | null {
    this.order = order;
    for (const cell of this.pending) {
      const [day, month] = order === 'day-first' ? [cell.a, cell.b] : [cell.b, cell.a];
      const local = this.dateOf(cell.year, month, day, cell.time);
      if (Number.isNaN(local)) {
        const [p, q] = [cell.a, cell.b].map((n) => String(n).padStart(this.padded('A') ? 2 : 1, '0'));
        return { line: cell.line, text: `${p}${this.firstMatch.groups!.p}${q}${this.firstMatch.groups!.p}${cell.year}`, problem: this.problem };
      }
      locals[cell.row] = local;
    }
    this.pending.length = 0;
    return null;
  }

  /** The order the column shows: a day above 12 in front, or a month... above 12 behind; null when both or neither. */
  orderFromColumn(): DayOrder | 'mixed' | 'same' | null {
    if (this.order !== null) return this.order;
    if (this.dayAbove12 !== null && this.monthAbove12 !== null) return 'mixed';
    if (this.dayAbove12 !== null) return 'day-first';
    if (this.monthAbove12 !== null) return 'month-first';
    return this.differing === null ? 'same' : null;
  }

  /** Padded with a zero? A field only ever seen with two digits follows the other fields ('1/31/2020': d too). */
  private padded(field: string): boolean {
    const padding = this.padding.get(field);
    if (padding !== undefined && (padding.padded || padding.single)) return padding.padded;
    const known = [...this.padding.values()].filter((other) => other.padded || other.single);
    return known.length === 0 || known.some((other) => other.padded);
  }

  get letterCase(): LetterCase {
    return this.names.upper && !this.names.lower ? 'upper' : this.names.lower && !this.names.upper ? 'lower' : 'title';
  }

  /** The pattern that writes the column's times as they were read: literals from the first value, padding from the whole column. */
  pattern(order: DayOrder = this.order ?? 'month-first'): string {
    const match = this.firstMatch;
    const groups = match.groups!;
    const spans: { start: number; end: number; token: string }[] = [];
    for (const name of GROUP_NAMES) {
      const span = match.indices?.groups?.[name];
      if (span === undefined || groups[name] === undefined) continue;
      spans.push({ start: span[0], end: span[1], token: this.token(name, groups[name]!, groups, order) });
    }
    spans.sort((x, y) => x.start - y.start);
    let pattern = '';
    let at = 0;
    for (const span of spans) {
      pattern += literal(match[0].slice(at, span.start)) + span.token;
      at = span.end;
    }
    return pattern + literal(match[0].slice(at));
  }

  private token(name: (typeof GROUP_NAMES)[number], text: string, groups: Record<string, string | undefined>, order: DayOrder): string {
    const two = (field: string, one: string): string => (this.padded(field) ? one + one : one);
    switch (name) {
      case 'y': return groups.w !== undefined ? 'kkkk' : 'yyyy';
      case 'Y': return 'y';
      case 'M': return this.spec.name === 'year-code' ? 'MM' : two('M', 'M');
      case 'N': return this.names.full ? 'MMMM' : 'MMM';
      case 'd': return two('d', 'd');
      case 'A': return order === 'day-first' ? two('A', 'd') : two('A', 'M');
      case 'B': return order === 'day-first' ? two('B', 'M') : two('B', 'd');
      case 'q': return 'q';
      case 'w': return 'WW';
      case 'c': return 'c';
      case 'H': return groups.a !== undefined ? two('H', 'h') : two('H', 'H');
      case 'm': return 'mm';
      case 's': return 'ss';
      case 'S': return 'S'.repeat(text.length);
      case 'a': return 'a';
      case 'Z': return text.includes(':') ? 'ZZ' : 'ZZZ';
      case 'Q': case 'W': return literal(text);
    }
  }
}
