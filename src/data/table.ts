// From records to typed columns as they stream in. The first records are kept as text until the
// time column is known (named by --time or detected), then every column is parsed straight into a
// growing Float64Array: the time column as epoch ms, the id column as small integer codes, every
// other column as numbers (NaN when missing). Which number column is the target is decided after
// the whole file is read, so non-numeric cells are remembered (first place), not thrown at once.
import { DataError, UsageError, where } from '../errors.js';
import type { RecordSink } from './csv.js';
import { unknownColumnMessage } from './names.js';
import { NUMBER_INVALID, NUMBER_MISSING, NUMBER_OK, numberStatus, parseNumberAt } from './number-parse.js';
import { lastTime, parseTimeAt } from './time-parse.js';
import type { TimeStyle } from './types.js';

/** Records kept as text to detect the time column. */
const SAMPLE_RECORDS = 100;
/** After this many non-numbers (and more than numbers), a column is text: stop parsing it as numbers. */
const GIVE_UP_INVALID = 100;

class GrowingF64 {
  data = new Float64Array(1024);
  length = 0;
  push(value: number): void {
    if (this.length === this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = value;
  }
  view(): Float64Array {
    return this.data.subarray(0, this.length);
  }
}

class GrowingU32 {
  data = new Uint32Array(1024);
  length = 0;
  push(value: number): void {
    if (this.length === this.data.length) {
      const next = new Uint32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = value;
  }
  view(): Uint32Array {
    return this.data.subarray(0, this.length);
  }
}

export interface CellPlace {
  line: number;
  /** 1-based field index. */
  column: number;
  text: string;
}

export interface NumberColumn {
  name: string;
  index: number;
  /** (rows) NaN where missing or not a number. */
  values: GrowingF64;
  missing: number;
  numbers: number;
  invalid: number;
  firstInvalid: CellPlace | null;
  firstInfinite: CellPlace | null;
  /** Gave up parsing: mostly text. */
  text: boolean;
}

export interface TableOptions {
  file: string;
  time?: string;
  id?: string;
}

const TIMEISH_NAME = /^(time|timestamp|ts|epoch|date|datetime|unix.*|.*_time|time_.*|.*_ts)$/i;

function isBlank(text: string, start: number, end: number): boolean {
  for (let at = start; at < end; at++) {
    const code = text.charCodeAt(at);
    if (code !== 32 && code !== 9) return false;
  }
  return true;
}

function plausibleEpoch(value: number): 'epoch-seconds' | 'epoch-millis' | null {
  const magnitude = Math.abs(value);
  if (magnitude >= 1e8 && magnitude < 1e10) return 'epoch-seconds';
  if (magnitude >= 1e11 && magnitude < 1e13) return 'epoch-millis';
  return null;
}

function describeKind(kind: TimeStyle['kind']): string {
  switch (kind) {
    case 'date': return 'a date';
    case 'datetime': return 'a date-time';
    case 'month': return 'a month (YYYY-MM)';
    case 'epoch-seconds': return 'epoch seconds';
    case 'epoch-millis': return 'epoch milliseconds';
  }
}

function describeOffset(offset: number | null): string {
  if (offset === null) return 'no UTC offset';
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `offset ${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

export class TableBuilder implements RecordSink {
  header: string[] = [];
  headerLine = 0;
  rows = 0;
  timeIndex = -1;
  idIndex = -1;
  readonly times = new GrowingF64();
  readonly lines = new GrowingU32();
  /** Per column; null for the time and id columns. */
  numbers: (NumberColumn | null)[] = [];
  /** (rows) id code per row, index into idNames. */
  readonly idCodes = new GrowingU32();
  readonly idNames: string[] = [];
  private readonly idLookup = new Map<string, number>();
  timeStyle: TimeStyle | null = null;
  private timeStyleLine = 0;
  private timeMode: 'iso' | 'epoch' = 'iso';
  private sample: { fields: string[]; line: number }[] | null = [];

  constructor(private readonly options: TableOptions) {}

  record(text: string, starts: Int32Array, ends: Int32Array, count: number, line: number): void {
    if (count === 1 && isBlank(text, starts[0]!, ends[0]!)) return; // a blank line
    if (this.headerLine === 0) {
      this.takeHeader(text, starts, ends, count, line);
      return;
    }
    if (count !== this.header.length) this.ragged(count, line);
    if (this.sample !== null) {
      const fields: string[] = [];
      for (let i = 0; i < count; i++) fields.push(text.slice(starts[i], ends[i]));
      this.sample.push({ fields, line });
      if (this.sample.length >= SAMPLE_RECORDS) this.decide();
      return;
    }
    this.take(text, starts, ends, line);
  }

  /** Call once every record is in. */
  finish(): void {
    if (this.headerLine === 0) {
      throw new DataError(`${where(this.options.file)}: empty input: expected a header line and data rows`);
    }
    if (this.sample !== null && this.sample.length === 0) {
      throw new DataError(`${where(this.options.file, this.headerLine)}: only a header line, no data rows`);
    }
    if (this.sample !== null) this.decide();
  }

  private takeHeader(text: string, starts: Int32Array, ends: Int32Array, count: number, line: number): void {
    this.headerLine = line;
    const seen = new Map<string, number>();
    for (let i = 0; i < count; i++) {
      let name = text.slice(starts[i], ends[i]).trim();
      if (name === '') name = `column${i + 1}`;
      const earlier = seen.get(name);
      if (earlier !== undefined) {
        throw new DataError(
          `${where(this.options.file, line, i + 1)}: column name '${name}' given twice (fields ${earlier + 1} and ${i + 1})`,
        );
      }
      seen.set(name, i);
      this.header.push(name);
    }
    const { time, id } = this.options;
    if (time !== undefined) this.timeIndex = this.columnIndex(time, '--time');
    if (id !== undefined) this.idIndex = this.columnIndex(id, '--id');
    if (this.timeIndex >= 0 && this.timeIndex === this.idIndex) {
      throw new UsageError(`--id: '${id}' is also the time column (--time)`);
    }
  }

  private columnIndex(name: string, flag: string): number {
    const index = this.header.indexOf(name);
    if (index < 0) {
      throw new DataError(`${where(this.options.file, this.headerLine)}: ${unknownColumnMessage(name, flag, this.header)}`);
    }
    return index;
  }

  private ragged(count: number, line: number): never {
    const expected = this.header.length;
    const hint = count > expected
      ? "; a value holding the delimiter must be quoted, and decimal commas need another delimiter (e.g. --delimiter ';')"
      : '';
    throw new DataError(`${where(this.options.file, line)}: ${count} fields, but the header has ${expected} (a ragged row)${hint}`);
  }

  /** The time column and its mode from the sample, then replays the sample through the typed path. */
  private decide(): void {
    const sample = this.sample ?? [];
    this.sample = null;
    const firstValue = (index: number): { text: string; line: number } | undefined => {
      for (const record of sample) {
        const text = record.fields[index]!.trim();
        if (text !== '') return { text, line: record.line };
      }
      return undefined;
    };
    const parsesAll = (index: number, parse: (text: string) => boolean): boolean => {
      let any = false;
      for (const record of sample) {
        const text = record.fields[index]!.trim();
        if (text === '') continue;
        if (!parse(text)) return false;
        any = true;
      }
      return any;
    };
    const isIso = (text: string): boolean => !Number.isNaN(parseTimeAt(text, 0, text.length));
    const isNumber = (text: string): boolean => {
      parseNumberAt(text, 0, text.length);
      return numberStatus === NUMBER_OK;
    };
    if (this.timeIndex >= 0) {
      const first = firstValue(this.timeIndex);
      this.timeMode = first !== undefined && !isIso(first.text) && isNumber(first.text) ? 'epoch' : 'iso';
      if (this.timeMode === 'epoch' && parsesAll(this.timeIndex, (text) => /^\d{4}$/.test(text))) {
        throw new DataError(
          `${where(this.options.file, first!.line, this.timeIndex + 1)}: '${first!.text}' in column '${this.header[this.timeIndex]}' looks like a year; ` +
            `rnncast reads ISO 8601 times: write years as dates (${first!.text}-01-01) or months (${first!.text}-01)`,
        );
      }
    } else {
      // The first column whose first value is a time and most sampled values too; a bad value
      // later in it is then reported with its line, not as "no time column".
      for (let i = 0; i < this.header.length && this.timeIndex < 0; i++) {
        const first = firstValue(i);
        if (i === this.idIndex || first === undefined || !isIso(first.text)) continue;
        let good = 0;
        let all = 0;
        for (const record of sample) {
          const text = record.fields[i]!.trim();
          if (text === '') continue;
          all++;
          if (isIso(text)) good++;
        }
        if (good * 2 >= all) this.timeIndex = i;
      }
      for (let i = 0; i < this.header.length && this.timeIndex < 0; i++) {
        if (i === this.idIndex || !(i === 0 || TIMEISH_NAME.test(this.header[i]!))) continue;
        let kind: string | null | undefined;
        const epoch = parsesAll(i, (text) => {
          const value = Number(text);
          const k = isNumber(text) && Number.isInteger(value) ? plausibleEpoch(value) : null;
          if (kind === undefined) kind = k;
          return k !== null && k === kind;
        });
        if (epoch) {
          this.timeIndex = i;
          this.timeMode = 'epoch';
        }
      }
      if (this.timeIndex < 0) this.noTimeColumn(sample);
    }
    this.numbers = this.header.map((name, index) => index === this.timeIndex || index === this.idIndex ? null : {
      name, index, values: new GrowingF64(), missing: 0, numbers: 0, invalid: 0, firstInvalid: null, firstInfinite: null, text: false,
    });
    for (const record of sample) {
      const text = record.fields.join('');
      const starts = new Int32Array(record.fields.length);
      const ends = new Int32Array(record.fields.length);
      let at = 0;
      record.fields.forEach((field, i) => {
        starts[i] = at;
        at += field.length;
        ends[i] = at;
      });
      this.take(text, starts, ends, record.line);
    }
  }

  private noTimeColumn(sample: { fields: string[]; line: number }[]): never {
    const file = this.options.file;
    let hint = '';
    if (this.header.length === 1) {
      const name = this.header[0]!;
      const other = [';', '\t', ','].find((d) => name.includes(d));
      hint = other === undefined ? '' : `; only one column '${name}': is the delimiter '${other === '\t' ? '\\t' : other}'? use --delimiter`;
    } else {
      for (let i = 0; i < this.header.length && hint === ''; i++) {
        const value = sample[0]?.fields[i]?.trim() ?? '';
        if (/^\d{1,2}[/.]\d{1,2}[/.]\d{2,4}/.test(value)) {
          hint = `; column '${this.header[i]}' has '${value}': write dates as YYYY-MM-DD`;
        }
      }
    }
    throw new DataError(
      `${where(file, this.headerLine)}: no time column found: no column holds ISO 8601 times (2020-01-31, 2020-01-31T12:00, 2020-01) ` +
        `or epoch seconds/milliseconds; name it with --time${hint}`,
    );
  }

  private take(text: string, starts: Int32Array, ends: Int32Array, line: number): void {
    this.rows++;
    this.lines.push(line);
    const timeIndex = this.timeIndex;
    this.times.push(this.parseTime(text, starts[timeIndex]!, ends[timeIndex]!, line));
    if (this.idIndex >= 0) {
      const id = text.slice(starts[this.idIndex], ends[this.idIndex]).trim();
      let code = this.idLookup.get(id);
      if (code === undefined) {
        code = this.idNames.length;
        this.idNames.push(id);
        this.idLookup.set(id, code);
      }
      this.idCodes.push(code);
    }
    const numbers = this.numbers;
    for (let i = 0; i < numbers.length; i++) {
      const column = numbers[i];
      if (column === null || column === undefined) continue;
      const start = starts[i]!;
      const end = ends[i]!;
      if (column.text) {
        if (isBlank(text, start, end)) column.missing++;
        column.values.push(NaN);
        continue;
      }
      const value = parseNumberAt(text, start, end);
      column.values.push(value);
      if (numberStatus === NUMBER_OK) {
        column.numbers++;
      } else if (numberStatus === NUMBER_MISSING) {
        column.missing++;
      } else {
        column.invalid++;
        const place = { line, column: i + 1, text: text.slice(start, end).trim() };
        if (numberStatus === NUMBER_INVALID && column.firstInvalid === null) column.firstInvalid = place;
        if (numberStatus !== NUMBER_INVALID && column.firstInfinite === null) column.firstInfinite = place;
        if (column.invalid >= GIVE_UP_INVALID && column.invalid > column.numbers) column.text = true;
      }
    }
  }

  private parseTime(text: string, start: number, end: number, line: number): number {
    const column = this.timeIndex + 1;
    const name = this.header[this.timeIndex];
    const cell = (): string => text.slice(start, end).trim();
    if (isBlank(text, start, end)) {
      throw new DataError(`${where(this.options.file, line, column)}: empty time in column '${name}'`);
    }
    let time: number;
    let kind: TimeStyle['kind'];
    let offset: number | null = null;
    if (this.timeMode === 'iso') {
      time = parseTimeAt(text, start, end);
      if (Number.isNaN(time)) {
        throw new DataError(
          `${where(this.options.file, line, column)}: '${cell()}' in column '${name}' is not a time ` +
            '(ISO 8601 dates 2020-01-31, date-times 2020-01-31T12:00[:00][Z|+01:00], months 2020-01, or epoch seconds/milliseconds)',
        );
      }
      kind = lastTime.kind;
      offset = lastTime.offsetMinutes;
    } else {
      const value = parseNumberAt(text, start, end);
      if (numberStatus !== NUMBER_OK) {
        throw new DataError(`${where(this.options.file, line, column)}: '${cell()}' in column '${name}' is not an epoch time (a number)`);
      }
      kind = Math.abs(value) >= 1e11 ? 'epoch-millis' : 'epoch-seconds';
      time = kind === 'epoch-millis' ? value : Math.round(value * 1000);
    }
    const style = this.timeStyle;
    if (style === null) {
      this.timeStyle = {
        kind, offsetMinutes: offset, zulu: kind === 'datetime' && lastTime.zulu,
        separator: kind === 'datetime' ? lastTime.separator : 'T',
        seconds: kind === 'datetime' && lastTime.seconds, fractionDigits: kind === 'datetime' ? lastTime.fractionDigits : 0,
      };
      this.timeStyleLine = line;
      return time;
    }
    if (style.kind !== kind) {
      throw new DataError(
        `${where(this.options.file, line, column)}: '${cell()}' in column '${name}' is ${describeKind(kind)}, ` +
          `but line ${this.timeStyleLine} has ${describeKind(style.kind)}: mixed time formats`,
      );
    }
    if (kind === 'datetime') {
      if (offset !== style.offsetMinutes) {
        throw new DataError(
          `${where(this.options.file, line, column)}: '${cell()}' in column '${name}' has ${describeOffset(offset)}, ` +
            `but line ${this.timeStyleLine} has ${describeOffset(style.offsetMinutes)}: time zones mixed within the column; write all times in one offset or in UTC`,
        );
      }
      if (lastTime.seconds) style.seconds = true;
      if (lastTime.fractionDigits > style.fractionDigits) style.fractionDigits = lastTime.fractionDigits;
    }
    return time;
  }
}
