// CSV → Dataset: read, tokenize, type the columns, pick time/target/features/id, split into
// series, sort, check duplicates, infer the frequency, fill gaps. No frame library here: this is
// every command's start-up path (danfojs-node alone costs more to import than reading 1M rows).
import { DataError, UsageError, where } from '../errors.js';
import { fillSeries, type FillContext, type FillCounts, type RawSeries } from './clean.js';
import { tokenize } from './csv.js';
import { gridPositions, inferFrequency, resolveAnchor, type SortedSeries } from './frequency.js';
import { unknownColumnMessage } from './names.js';
import { explainNonNumber } from './number-parse.js';
import { openText } from './read.js';
import { TableBuilder, type CellPlace, type NumberColumn } from './table.js';
import { describeFrequency, formatTime, parseFrequency } from './time.js';
import type { ColumnSummary, Dataset, LoadOptions, Series, TimeStyle } from './types.js';
import { FILL_POLICIES } from '../options/choices.js';
import { dataFlags } from '../options/flags.js';
import { readFlag } from '../options/read.js';

/** '--delimiter' value, by the flag's own rule (src/options): one character; 'tab' and '\t' mean a tab. */
export function normalizeDelimiter(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  return readFlag('delimiter', dataFlags.delimiter, { raw: value, source: { kind: 'command line' } });
}

function isNumeric(column: NumberColumn): boolean {
  return !column.text && column.numbers > 0 && column.numbers >= column.invalid;
}

function badCell(file: string, column: NumberColumn, delimiter: string): DataError | null {
  const invalid = column.firstInvalid;
  const infinite = column.firstInfinite;
  const first: CellPlace | null = invalid && infinite ? (invalid.line <= infinite.line ? invalid : infinite) : invalid ?? infinite;
  if (first === null) return null;
  const at = where(file, first.line, first.column);
  if (first === infinite) return new DataError(`${at}: '${first.text}' in column '${column.name}' is not a finite number`);
  const why = explainNonNumber(first.text, delimiter);
  return new DataError(`${at}: '${first.text}' in column '${column.name}' is not a number${why ? `: ${why}` : ''}`);
}

function columnType(column: NumberColumn | null, role: 'time' | 'id' | 'other'): ColumnSummary['type'] {
  if (role === 'time') return 'time';
  if (role === 'id' || column === null) return 'string';
  if (column.numbers === 0 && column.invalid === 0) return 'empty';
  return isNumeric(column) ? 'number' : 'string';
}

/** Rows of each series in input order; series in order of first appearance. */
function groupRows(table: TableBuilder): { id: string; rows: Uint32Array | null }[] {
  if (table.idIndex < 0) return [{ id: '', rows: null }];
  const codes = table.idCodes.view();
  const counts = new Uint32Array(table.idNames.length);
  for (let r = 0; r < codes.length; r++) counts[codes[r]!]!++;
  const groups = table.idNames.map((id, code) => ({ id, rows: new Uint32Array(counts[code]!) }));
  const filled = new Uint32Array(table.idNames.length);
  for (let r = 0; r < codes.length; r++) {
    const code = codes[r]!;
    groups[code]!.rows[filled[code]!++] = r;
  }
  return groups;
}

function gather(source: Float64Array, rows: Uint32Array | null): Float64Array {
  if (rows === null) return source;
  const out = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = source[rows[i]!]!;
  return out;
}

function gatherU32(source: Uint32Array, rows: Uint32Array | null): Uint32Array {
  if (rows === null) return source;
  const out = new Uint32Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = source[rows[i]!]!;
  return out;
}

function isSorted(times: Float64Array): boolean {
  for (let i = 1; i < times.length; i++) if (times[i]! < times[i - 1]!) return false;
  return true;
}

/** Stable sort of parallel arrays by time. */
function sortByTime(arrays: { times: Float64Array; lines: Uint32Array; values: Float64Array[] }): void {
  const { times } = arrays;
  const order = Uint32Array.from({ length: times.length }, (_, i) => i);
  order.sort((a, b) => times[a]! - times[b]! || a - b);
  const permute = <T extends Float64Array | Uint32Array>(array: T): void => {
    const copy = array.slice() as T;
    for (let i = 0; i < order.length; i++) array[i] = copy[order[i]!]!;
  };
  permute(times);
  permute(arrays.lines);
  arrays.values.forEach(permute);
}

export async function loadDataset(options: LoadOptions): Promise<Dataset> {
  const file = options.input;
  const policy = options.fill ?? 'interpolate';
  if (!(FILL_POLICIES as readonly string[]).includes(policy)) {
    throw new UsageError(`--fill: unknown policy '${String(policy)}'; use ${FILL_POLICIES.join(', ')}`);
  }
  const givenFreq = options.freq === undefined || options.freq === '' ? undefined : parseFrequency(options.freq);
  const delimiterOption = normalizeDelimiter(options.delimiter);
  const featureNames = options.features ?? [];
  const seenFeatures = new Set<string>();
  for (const name of featureNames) {
    if (seenFeatures.has(name)) throw new UsageError(`--features: '${name}' is listed twice`);
    seenFeatures.add(name);
  }

  const source = openText(file, options.stdin);
  const table = new TableBuilder({ file, time: options.time, id: options.id });
  const { delimiter } = await tokenize(file, source.chunks, delimiterOption, table);
  table.finish();
  const header = table.header;
  const style = table.timeStyle as TimeStyle;
  const timeColumn = header[table.timeIndex]!;
  const idColumn = table.idIndex >= 0 ? header[table.idIndex]! : null;

  const columnOf = (name: string, flag: string): NumberColumn => {
    const index = header.indexOf(name);
    if (index < 0) throw new DataError(`${where(file, table.headerLine)}: ${unknownColumnMessage(name, flag, header)}`);
    if (index === table.timeIndex) throw new UsageError(`${flag}: '${name}' is the time column`);
    if (index === table.idIndex) throw new UsageError(`${flag}: '${name}' is the id column (--id)`);
    return table.numbers[index]!;
  };
  const featureColumns = featureNames.map((name) => columnOf(name, '--features'));
  let targetColumn: NumberColumn;
  let targetNote: string | undefined;
  if (options.target !== undefined) {
    targetColumn = columnOf(options.target, '--target');
    if (seenFeatures.has(options.target)) throw new UsageError(`--target: '${options.target}' is also listed in --features`);
  } else {
    const candidates = table.numbers.filter((column): column is NumberColumn => column !== null && isNumeric(column) && !seenFeatures.has(column.name));
    if (candidates.length > 1 && options.ambiguousTarget === 'first') {
      targetNote = `several numeric columns could be the target (${candidates.map((c) => c.name).join(', ')}): describing '${candidates[0]!.name}'; choose another with --target`;
    } else if (candidates.length > 1) {
      throw new UsageError(
        `several numeric columns could be the target: ${candidates.map((c) => c.name).join(', ')}; choose one with --target (and any others with --features)`,
      );
    }
    if (candidates.length === 0) {
      // One column of values that are not numbers: say which cell, as if it had been named.
      const valued = table.numbers.filter((column): column is NumberColumn => column !== null && column.invalid > 0 && !seenFeatures.has(column.name));
      if (valued.length === 1) candidates.push(valued[0]!);
    }
    if (candidates.length === 0) {
      const others = header.filter((_, i) => i !== table.timeIndex && i !== table.idIndex && !seenFeatures.has(header[i]!));
      throw new DataError(
        `${where(file, table.headerLine)}: no numeric column to forecast${others.length ? ` (${others.join(', ')} hold no numbers)` : ''}; name one with --target`,
      );
    }
    targetColumn = candidates[0]!;
  }
  for (const column of [targetColumn, ...featureColumns]) {
    const bad = badCell(file, column, delimiter);
    if (bad) throw bad;
    if (column.numbers === 0) {
      throw new DataError(`${where(file)}: column '${column.name}' has no values: all ${table.rows} are missing`);
    }
  }

  const columns: ColumnSummary[] = header.map((name, index) => {
    const column = table.numbers[index] ?? null;
    const role = index === table.timeIndex ? 'time' : index === table.idIndex ? 'id' : 'other';
    return { name, type: columnType(column, role), missing: column?.missing ?? 0 };
  });

  // Series: gather, sort, refuse duplicates.
  const allTimes = table.times.view();
  const allLines = table.lines.view();
  const warnings: string[] = targetNote === undefined ? [] : [targetNote];
  let sortedSeries = 0;
  const raw: (SortedSeries & { values: Float64Array; features: Float64Array[] })[] = [];
  for (const { id, rows } of groupRows(table)) {
    const times = gather(allTimes, rows);
    const lines = gatherU32(allLines, rows);
    const values = gather(targetColumn.values.view(), rows);
    const features = featureColumns.map((column) => gather(column.values.view(), rows));
    if (!isSorted(times)) {
      // gather() returns the table's own arrays for a single series: sorting them in place is fine.
      sortByTime({ times, lines, values: [values, ...features] });
      sortedSeries++;
    }
    for (let i = 1; i < times.length; i++) {
      if (times[i] === times[i - 1]) {
        const [a, b] = [lines[i - 1]!, lines[i]!].sort((x, y) => x - y);
        const hint = idColumn === null ? '; if the file holds several series, name their id column with --id' : '';
        throw new DataError(
          `${where(file, b)}: duplicate time '${formatTime(times[i]!, style)}'${idColumn === null ? '' : ` in series '${id}'`} (also on line ${a})${hint}`,
        );
      }
    }
    raw.push({ id, times, lines, values, features });
  }
  if (sortedSeries > 0) {
    warnings.push(
      `rows were not in time order: sorted them by '${timeColumn}'${idColumn === null ? '' : ` (${sortedSeries} of ${raw.length} series)`}`,
    );
  }

  const freqContext = { file, style, idColumn };
  let freq = givenFreq === undefined ? inferFrequency(raw, freqContext) : resolveAnchor(givenFreq, raw[0]!.times[0]!, style);
  if (givenFreq === undefined) freq = resolveAnchor(freq, raw[0]!.times[0]!, style);
  const fillContext: FillContext = {
    file, freq, style, policy, idColumn, target: targetColumn.name, targetField: targetColumn.index + 1,
    features: featureNames, featureFields: featureColumns.map((column) => column.index + 1),
  };
  const counts: FillCounts = { values: 0, timestamps: 0, droppedRows: 0, leftOut: 0 };
  const series: Series[] = raw.map((entry) => {
    const positions = gridPositions(entry, freq, givenFreq === undefined, freqContext);
    const rawSeries: RawSeries = { ...entry, positions };
    return fillSeries(rawSeries, fillContext, counts);
  });
  if (policy === 'drop') {
    if (counts.droppedRows > 0) warnings.push(`dropped ${counts.droppedRows} row${counts.droppedRows === 1 ? '' : 's'} with missing values (--fill drop)`);
    if (counts.leftOut > 0) {
      warnings.push(`${counts.leftOut} missing timestamp${counts.leftOut === 1 ? ' was' : 's were'} left out (--fill drop): the remaining rows are read as consecutive steps`);
    }
  } else if (counts.values + counts.timestamps > 0) {
    const how = { interpolate: 'by linear interpolation', ffill: 'with the previous value', zero: 'with zero', error: '', drop: '' }[policy];
    const parts = [
      counts.values > 0 ? `${counts.values} missing value${counts.values === 1 ? '' : 's'}` : '',
      counts.timestamps > 0 ? `${counts.timestamps} missing timestamp${counts.timestamps === 1 ? '' : 's'} (gaps at ${describeFrequency(freq)})` : '',
    ].filter(Boolean);
    warnings.push(`filled ${parts.join(' and ')} ${how} (--fill ${policy})`);
  }

  return {
    source: file, columns, rowCount: table.rows, timeColumn, target: targetColumn.name, features: featureNames, idColumn,
    freq, timeStyle: style, series, warnings, filled: { values: counts.values, timestamps: counts.timestamps }, sha256: source.digest(),
  };
}
