// The time column: which column it is and in which form its times are written (from the first
// records, or named by --time and --time-format), then every cell read into wall-clock ms as the
// rows stream in. Turning wall-clock times into instants (offsets, --tz) is instants.ts's job.
import { DataError, where } from '../errors.js';
import { GrowingF64 } from './growing.js';
import { NUMBER_OK, numberStatus, parseNumberAt } from './number-parse.js';
import { CustomFormatReader, formatHasTimeOfDay } from './time-format.js';
import { FormReader, recogniseForm, type Sighting } from './time-forms.js';
import { lastTime, parseTimeAt } from './time-parse.js';
import type { TimeStyle } from './types.js';
import { describeOffset } from './zone.js';

export interface SampleRecord {
  fields: string[];
  line: number;
}

export interface TimeColumnOptions {
  file: string;
  /** --time: the column's name. */
  time?: string;
  /** --time-format: Luxon tokens. */
  timeFormat?: string;
}

/** Names under which numbers are epoch times. */
const TIMEISH_NAME = /^(time|timestamp|ts|epoch|date|datetime|unix.*|.*_time|time_.*|.*_ts)$/i;
/** Names under which 4-digit integers are years rather than values. */
const YEARISH_NAME = /^(year|years|yr|yyyy|jahr|annee|année|año|ano|anno|date|time|period)$/i;

export interface TimeColumnData {
  /** (rows) wall-clock ms (the time as if the clock were UTC); instants for epoch numbers. */
  values: Float64Array;
  /** (rows) the UTC offset written with each time (ms); null when the column writes none. */
  offsets: Float64Array | null;
  style: TimeStyle;
  /** Epoch numbers: `values` are instants already. */
  absolute: boolean;
  /** The times have a time of day, so a time zone (--tz) applies to them. */
  timeOfDay: boolean;
}

type Mode =
  | { kind: 'iso' }
  | { kind: 'epoch' }
  | { kind: 'form'; reader: FormReader }
  | { kind: 'custom'; reader: CustomFormatReader };

const ISO_FORMS = 'ISO 8601 dates 2020-01-31, date-times 2020-01-31T12:00[:00][Z|+01:00], months 2020-01';

function plausibleEpoch(value: number): 'epoch-seconds' | 'epoch-millis' | null {
  const magnitude = Math.abs(value);
  if (magnitude >= 1e8 && magnitude < 1e10) return 'epoch-seconds';
  if (magnitude >= 1e11 && magnitude < 1e13) return 'epoch-millis';
  return null;
}

function isIso(text: string): boolean {
  return !Number.isNaN(parseTimeAt(text, 0, text.length));
}

function isNumber(text: string): boolean {
  parseNumberAt(text, 0, text.length);
  return numberStatus === NUMBER_OK;
}

function describeKind(kind: TimeStyle['kind']): string {
  switch (kind) {
    case 'date': return 'a date';
    case 'datetime': return 'a date-time';
    case 'month': return 'a month (YYYY-MM)';
    case 'epoch-seconds': return 'epoch seconds';
    case 'epoch-millis': return 'epoch milliseconds';
    default: return 'a time';
  }
}

function describeOffsetOrNone(offset: number): string {
  return Number.isNaN(offset) ? 'no UTC offset' : `offset ${describeOffset(offset)}`;
}

/** The non-empty values of one column in the sample, in order. */
function columnValues(sample: SampleRecord[], index: number): Sighting[] {
  const values: Sighting[] = [];
  for (const record of sample) {
    const text = record.fields[index]!.trim();
    if (text !== '') values.push({ text, line: record.line });
  }
  return values;
}

/** How a column's sampled values are times, or null. Epoch numbers and bare years only where allowed. */
function modeOf(values: Sighting[], allowEpoch: boolean, allowYears: boolean): Mode | null {
  if (values.length === 0) return null;
  const texts = values.map((value) => value.text);
  if (texts.every(isIso)) return { kind: 'iso' };
  const spec = recogniseForm(texts, allowYears);
  const formFitsAll = spec !== null && texts.every((text) => spec.regex.test(text));
  if (spec !== null && formFitsAll) return { kind: 'form', reader: new FormReader(spec, values[0]!.text, values[0]!.line) };
  if (isIso(texts[0]!) && texts.filter(isIso).length * 2 >= texts.length) return { kind: 'iso' };
  if (spec !== null) return { kind: 'form', reader: new FormReader(spec, values[0]!.text, values[0]!.line) };
  if (allowEpoch) {
    let kind: string | null | undefined;
    const epoch = texts.every((text) => {
      const value = Number(text);
      const k = isNumber(text) && Number.isInteger(value) ? plausibleEpoch(value) : null;
      if (kind === undefined) kind = k;
      return k !== null && k === kind;
    });
    if (epoch) return { kind: 'epoch' };
  }
  return null;
}

/** The time column of the sampled records and how to read it; DataError naming --time and --time-format when there is none. */
export function chooseTimeColumn(
  sample: SampleRecord[], header: string[], idIndex: number, headerLine: number, options: TimeColumnOptions,
): { index: number; column: TimeColumn } {
  const { file, time, timeFormat } = options;
  const named = time === undefined ? -1 : header.indexOf(time);
  if (timeFormat !== undefined) {
    const reader = new CustomFormatReader(timeFormat);
    const indexes = named >= 0 ? [named] : header.map((_, i) => i).filter((i) => i !== idIndex);
    for (const index of indexes) {
      const values = columnValues(sample, index);
      if (values.length === 0 || Number.isNaN(reader.read(values[0]!.text))) continue;
      if (values.filter((value) => !Number.isNaN(reader.read(value.text))).length * 2 >= values.length) {
        return { index, column: new TimeColumn({ kind: 'custom', reader }, header[index]!, index, file, timeFormat) };
      }
    }
    const index = named >= 0 ? named : 0;
    const first = columnValues(sample, index)[0];
    if (first === undefined) throw new DataError(`${where(file, headerLine)}: column '${header[index]}' holds no times (--time-format '${timeFormat}')`);
    reader.read(first.text);
    throw new DataError(
      `${where(file, first.line, index + 1)}: '${first.text}' in column '${header[index]}' does not fit --time-format '${timeFormat}'` +
        `${reader.problem ? ` (${reader.problem})` : ''}${named >= 0 ? '' : ', nor does any other column'}; fix --time-format (Luxon tokens, e.g. dd/MM/yyyy HH:mm)`,
    );
  }
  if (named >= 0) {
    const values = columnValues(sample, named);
    const mode = modeOf(values, true, true);
    if (mode === null) {
      const first = values[0];
      if (first === undefined) throw new DataError(`${where(file, headerLine)}: column '${time}' (--time) holds no times in the first rows`);
      throw new DataError(
        `${where(file, first.line, named + 1)}: '${first.text}' in column '${time}' (--time) is not a time rnncast recognises; ` +
          (isStepColumn(values) ? stepNumbersHint(time!) : `give its form with --time-format (Luxon tokens, e.g. --time-format 'dd/MM/yy')`),
      );
    }
    return { index: named, column: new TimeColumn(mode, time!, named, file) };
  }
  for (let i = 0; i < header.length; i++) {
    if (i === idIndex) continue;
    const name = header[i]!;
    const mode = modeOf(columnValues(sample, i), i === 0 || TIMEISH_NAME.test(name), YEARISH_NAME.test(name));
    if (mode !== null) return { index: i, column: new TimeColumn(mode, name, i, file) };
  }
  throw noTimeColumn(sample, header, headerLine, file);
}

/** Whole numbers rising by one (1, 2, 3, …): a row or step count, which no --time-format reads as a time. */
function isStepColumn(values: readonly Sighting[]): boolean {
  if (values.length < 3 || !values.every((value) => /^-?\d{1,9}$/.test(value.text))) return false;
  return values.every((value, i) => i === 0 || Number(value.text) - Number(values[i - 1]!.text) === 1);
}

function stepNumbersHint(column: string): string {
  return `column '${column}' holds step numbers (1, 2, 3, …), not times: rnncast puts forecasts on a calendar, so write each row's date or time in '${column}' (e.g. 2000-01-01, 2000-01-02, … for daily steps)`;
}

function noTimeColumn(sample: SampleRecord[], header: string[], headerLine: number, file: string): DataError {
  let hint = '';
  // What to do: name and describe the time column, unless a column of step numbers says there is none to name.
  let advice = '; name it with --time, and give its form with --time-format';
  if (header.length === 1) {
    const name = header[0]!;
    const other = [';', '\t', ','].find((d) => name.includes(d));
    hint = other === undefined ? '' : `; only one column '${name}': is the delimiter '${other === '\t' ? '\\t' : other}'? use --delimiter`;
  } else {
    for (let i = 0; i < header.length && hint === ''; i++) {
      const value = sample[0]?.fields[i]?.trim() ?? '';
      if (/^\d{4}$/.test(value)) {
        hint = `; column '${header[i]}' has '${value}': if it holds years, name it with --time ${header[i]}`;
      } else if (/^\d{1,2}[/.-]\d{1,2}[/.-]\d{2}$/.test(value)) {
        hint = `; column '${header[i]}' has '${value}' (a two-digit year): give its form, e.g. --time-format ${value.includes('.') ? 'dd.MM.yy' : 'M/d/yy'}`;
      } else if (isStepColumn(columnValues(sample, i))) {
        advice = '';
        hint = `; ${stepNumbersHint(header[i]!)}`;
      }
    }
  }
  return new DataError(
    `${where(file, headerLine)}: no time column found: no column holds times rnncast recognises (${ISO_FORMS}, 1/31/2020, 31.01.2020, ` +
      `Jan 2020, 2020-Q1, 2020-W05, ...) or epoch seconds/milliseconds${advice}${hint}`,
  );
}

export class TimeColumn {
  private readonly values = new GrowingF64();
  private offsets: GrowingF64 | null = null;
  private rows = 0;
  /** First row: its line, text and offset (NaN: none), which the others must match in kind. */
  private first: { line: number; text: string; offset: number } | null = null;
  private style: TimeStyle | null = null;

  constructor(private readonly mode: Mode, readonly name: string, readonly index: number, private readonly file: string, private readonly timeFormat?: string) {}

  private place(line: number): string {
    return where(this.file, line, this.index + 1);
  }

  private notATime(cell: string, line: number, problem = ''): DataError {
    const first = this.first;
    const why = problem === '' ? '' : ` (${problem})`;
    switch (this.mode.kind) {
      case 'iso':
        return new DataError(`${this.place(line)}: '${cell}' in column '${this.name}' is not a time${why} (${ISO_FORMS}, or epoch seconds/milliseconds); give its form with --time-format`);
      case 'epoch':
        return new DataError(`${this.place(line)}: '${cell}' in column '${this.name}' is not an epoch time (a number)`);
      case 'form':
        return new DataError(
          `${this.place(line)}: '${cell}' in column '${this.name}' is not a time like line ${this.mode.reader.first.line}'s '${this.mode.reader.first.text}'${why}; ` +
            'give the form of the column with --time-format',
        );
      case 'custom':
        return new DataError(`${this.place(line)}: '${cell}' in column '${this.name}' does not fit --time-format '${this.timeFormat}'${why}${first ? ` (line ${first.line} has '${first.text}')` : ''}`);
    }
  }

  read(text: string, start: number, end: number, line: number): void {
    const row = this.rows++;
    const cell = (): string => text.slice(start, end).trim();
    let value: number;
    let offset = NaN;
    switch (this.mode.kind) {
      case 'iso':
        value = parseTimeAt(text, start, end);
        if (Number.isNaN(value)) throw this.blankOr(text, start, end, line);
        if (lastTime.offsetMinutes !== null) {
          offset = lastTime.offsetMinutes * 60_000;
          value += offset; // parseTimeAt gives the instant; keep the wall clock here
        }
        this.isoStyle(cell, line);
        break;
      case 'epoch': {
        value = parseNumberAt(text, start, end);
        if (numberStatus !== NUMBER_OK) throw this.blankOr(text, start, end, line);
        const kind = Math.abs(value) >= 1e11 ? 'epoch-millis' : 'epoch-seconds';
        if (kind === 'epoch-seconds') value = Math.round(value * 1000);
        this.kindStyle(kind, cell, line);
        break;
      }
      case 'form':
      case 'custom': {
        const reader = this.mode.reader;
        const trimmed = cell();
        value = reader instanceof FormReader ? reader.read(trimmed, row, line) : reader.read(trimmed);
        if (Number.isNaN(value) && !(reader instanceof FormReader && reader.deferred)) {
          if (trimmed === '') throw this.blankOr(text, start, end, line);
          throw this.notATime(trimmed, line, reader.problem);
        }
        offset = reader.offset;
        break;
      }
    }
    this.values.push(value);
    if (this.first === null) {
      this.first = { line, text: cell(), offset };
      if (!Number.isNaN(offset)) this.offsets = new GrowingF64();
    } else if (Number.isNaN(offset) !== Number.isNaN(this.first.offset)) {
      throw new DataError(
        `${this.place(line)}: '${cell()}' in column '${this.name}' has ${describeOffsetOrNone(offset)}, but line ${this.first.line} has ${describeOffsetOrNone(this.first.offset)}: ` +
          'write every time with its UTC offset, or none (and give their zone with --tz)',
      );
    }
    this.offsets?.push(offset);
  }

  private blankOr(text: string, start: number, end: number, line: number): DataError {
    const cell = text.slice(start, end).trim();
    if (cell === '') return new DataError(`${this.place(line)}: empty time in column '${this.name}'`);
    return this.notATime(cell, line);
  }

  private kindStyle(kind: TimeStyle['kind'], cell: () => string, line: number): void {
    if (this.style === null) {
      this.style = { kind, offsetMinutes: null, zulu: false, separator: 'T', seconds: false, fractionDigits: 0 };
    } else if (this.style.kind !== kind) {
      throw new DataError(
        `${this.place(line)}: '${cell()}' in column '${this.name}' is ${describeKind(kind)}, but line ${this.first!.line} has ${describeKind(this.style.kind)}: mixed time formats`,
      );
    }
  }

  private isoStyle(cell: () => string, line: number): void {
    this.kindStyle(lastTime.kind, cell, line);
    const style = this.style!;
    if (lastTime.kind !== 'datetime') return;
    if (this.rows === 1) {
      style.offsetMinutes = lastTime.offsetMinutes;
      style.zulu = lastTime.zulu;
      style.separator = lastTime.separator;
    }
    if (lastTime.seconds) style.seconds = true;
    if (lastTime.fractionDigits > style.fractionDigits) style.fractionDigits = lastTime.fractionDigits;
  }

  /** Every row is in: settles a day-first or month-first column and returns the column. */
  finish(): TimeColumnData {
    const values = this.values.view();
    const offsets = this.offsets?.view() ?? null;
    const mode = this.mode;
    switch (mode.kind) {
      case 'iso':
      case 'epoch':
        return { values, offsets, style: this.style!, absolute: mode.kind === 'epoch', timeOfDay: this.style!.kind === 'datetime' };
      case 'custom': {
        const style: TimeStyle = { ...baseStyle('custom'), pattern: mode.reader.format, offsetMinutes: offsets === null ? null : offsets[0]! / 60_000 };
        return { values, offsets, style, absolute: false, timeOfDay: formatHasTimeOfDay(mode.reader.format) };
      }
      case 'form': {
        const reader = mode.reader;
        const order = reader.orderFromColumn();
        const settled = order === 'same' || order === null || order === 'mixed' ? 'month-first' : order;
        if (reader.waiting > 0) {
          if (order === 'mixed') {
            const day = reader.dayAbove12!;
            const month = reader.monthAbove12!;
            throw new DataError(
              `${this.place(Math.max(day.line, month.line))}: column '${this.name}' mixes day-first '${day.text}' (line ${day.line}) and month-first '${month.text}' (line ${month.line}) dates; ` +
                `give the column's form with --time-format (${reader.pattern('day-first')} or ${reader.pattern('month-first')})`,
            );
          }
          if (order === null) {
            const differing = reader.differing!;
            throw new DataError(
              `${this.place(differing.line)}: '${differing.text}' in column '${this.name}' could be month-first or day-first, and no day in the column is above 12 to tell; ` +
                `give --time-format ${reader.pattern('month-first')} (month first) or --time-format ${reader.pattern('day-first')} (day first)`,
            );
          }
          const bad = reader.resolveOrder(settled, values);
          if (bad !== null) throw this.notATime(bad.text, bad.line, bad.problem);
        }
        const style: TimeStyle = {
          ...baseStyle('pattern'), pattern: reader.pattern(settled), letterCase: reader.letterCase,
          offsetMinutes: offsets === null ? null : offsets[0]! / 60_000,
        };
        return { values, offsets, style, absolute: false, timeOfDay: /[Hh]/.test(style.pattern!.replace(/'[^']*'/g, '')) };
      }
    }
  }
}

function baseStyle(kind: TimeStyle['kind']): TimeStyle {
  return { kind, offsetMinutes: null, zulu: false, separator: 'T', seconds: false, fractionDigits: 0 };
}
