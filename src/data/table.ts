// From records to typed columns as they stream in. The first records are kept as text until the
// time column is known (named by --time or detected), then every column is parsed straight into a
// growing Float64Array: the time column by time-column.ts, the id column as small integer codes,
// every other column as numbers (NaN when missing; true/false and yes/no as 1/0). Which number
// column is the target is decided after the whole file is read, so non-numeric cells are
// remembered (first place), not thrown at once.
import { DataError, UsageError, where } from '../errors.js';
import type { RecordSink } from './csv.js';
import { GrowingF64, GrowingU32 } from './growing.js';
import { unknownColumnMessage } from './names.js';
import { NUMBER_BOOLEAN, NUMBER_INVALID, NUMBER_MISSING, NUMBER_OK, numberStatus, parseNumberAt } from './number-parse.js';
import { chooseTimeColumn, type SampleRecord, type TimeColumn } from './time-column.js';

/** Records kept as text to detect the time column. */
const SAMPLE_RECORDS = 100;
/** After this many non-numbers (and more than numbers), a column is text: stop parsing it as numbers. */
const GIVE_UP_INVALID = 100;

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
  /** Cells that were true/false or yes/no (read as 1/0, counted in `numbers` too). */
  booleans: number;
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
  timeFormat?: string;
}

function isBlank(text: string, start: number, end: number): boolean {
  for (let at = start; at < end; at++) {
    const code = text.charCodeAt(at);
    if (code !== 32 && code !== 9) return false;
  }
  return true;
}

export class TableBuilder implements RecordSink {
  header: string[] = [];
  headerLine = 0;
  rows = 0;
  timeIndex = -1;
  idIndex = -1;
  /** The time column's reader, once the sample has shown which column it is. */
  time: TimeColumn | null = null;
  readonly lines = new GrowingU32();
  /** Per column; null for the time and id columns. */
  numbers: (NumberColumn | null)[] = [];
  /** (rows) id code per row, index into idNames. */
  readonly idCodes = new GrowingU32();
  readonly idNames: string[] = [];
  private readonly idLookup = new Map<string, number>();
  private sample: SampleRecord[] | null = [];

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

  /** The time column and its form from the sample, then replays the sample through the typed path. */
  private decide(): void {
    const sample = this.sample ?? [];
    this.sample = null;
    const { index, column } = chooseTimeColumn(sample, this.header, this.idIndex, this.headerLine, this.options);
    this.timeIndex = index;
    this.time = column;
    this.numbers = this.header.map((name, index) => index === this.timeIndex || index === this.idIndex ? null : {
      name, index, values: new GrowingF64(), missing: 0, numbers: 0, booleans: 0, invalid: 0, firstInvalid: null, firstInfinite: null, text: false,
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

  private take(text: string, starts: Int32Array, ends: Int32Array, line: number): void {
    this.rows++;
    this.lines.push(line);
    const timeIndex = this.timeIndex;
    this.time!.read(text, starts[timeIndex]!, ends[timeIndex]!, line);
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
      } else if (numberStatus === NUMBER_BOOLEAN) {
        column.numbers++;
        column.booleans++;
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
}
