// CSV → Dataset: read, tokenize, type the columns, pick time/target(s)/features/id, turn times
// into instants, split into series (one per id, or one per target column of a wide file), sort,
// check duplicates, infer the frequency, fill gaps. No frame library here: this is every
// command's start-up path (danfojs-node alone costs more to import than reading 1M rows).
import { DataError, UsageError, where } from '../errors.js';
import { fillSeries, type FillContext, type FillCounts, type RawSeries } from './clean.js';
import { ignoredRowsWarning, splitTail, type IgnoredRows } from './future.js';
import { tokenize } from './csv.js';
import { gridPositions, inferFrequency, resolveAnchor, type SortedSeries } from './frequency.js';
import { toInstants } from './instants.js';
import { unknownColumnMessage } from './names.js';
import { explainNonNumber } from './number-parse.js';
import { openText } from './read.js';
import { TableBuilder, type CellPlace, type NumberColumn } from './table.js';
import { describeFrequency, formatTime, parseFrequency } from './time.js';
import type { ColumnSummary, Dataset, LoadOptions, Series } from './types.js';
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

/** Holds true/false or yes/no only: a flag for --features, never a default target. */
function isFlag(column: NumberColumn): boolean {
  return column.booleans > 0 && column.booleans === column.numbers;
}

/** --target: one column, several ('a,b,c': a wide file), or every numeric column ('all-numeric'). */
export const ALL_NUMERIC = 'all-numeric';

function targetList(target: string | undefined): string[] | null {
  if (target === undefined) return null;
  if (target === ALL_NUMERIC) return [];
  const names = target.split(',').map((name) => name.trim());
  if (names.some((name) => name === '')) throw new UsageError(`--target ${target}: empty column name`);
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) throw new UsageError(`--target ${target}: column '${name}' listed twice`);
    seen.add(name);
  }
  return names;
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
  if (!isNumeric(column)) return 'string';
  return isFlag(column) ? 'boolean' : 'number';
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

/** The target columns: named by --target (one, a list, or all-numeric), or the only numeric column left. */
function pickTargets(table: TableBuilder, options: LoadOptions, columnOf: (name: string, flag: string) => NumberColumn, features: Set<string>): { columns: NumberColumn[]; wide: boolean; note?: string } {
  const file = options.input;
  const names = targetList(options.target);
  if (names !== null && names.length > 0) {
    for (const name of names) if (features.has(name)) throw new UsageError(`--target: '${name}' is also listed in --features`);
    if (names.length > 1 && options.id !== undefined) {
      throw new UsageError(`--target ${options.target} with --id: several target columns make one series per column; a long file with --id takes one --target`);
    }
    return { columns: names.map((name) => columnOf(name, '--target')), wide: names.length > 1 };
  }
  const candidates = table.numbers.filter((column): column is NumberColumn => column !== null && isNumeric(column) && !isFlag(column) && !features.has(column.name));
  if (names !== null) {
    if (options.id !== undefined) throw new UsageError(`--target ${ALL_NUMERIC} with --id: a long file with --id takes one --target`);
    if (candidates.length === 0) throw new DataError(`${where(file, table.headerLine)}: --target ${ALL_NUMERIC}: no numeric column besides the time${features.size ? ', id and features' : ' and id'}`);
    return { columns: candidates, wide: true };
  }
  if (candidates.length > 1 && options.ambiguousTarget === 'first') {
    return {
      columns: [candidates[0]!], wide: false,
      note: `several numeric columns could be the target (${candidates.map((c) => c.name).join(', ')}): describing '${candidates[0]!.name}'; choose another with --target (or --target ${ALL_NUMERIC})`,
    };
  }
  if (candidates.length > 1) {
    throw new UsageError(
      `several numeric columns could be the target: ${candidates.map((c) => c.name).join(', ')}; choose one with --target (and any others with --features), ` +
        `or forecast them all with --target ${candidates.map((c) => c.name).join(',')} (or --target ${ALL_NUMERIC})`,
    );
  }
  if (candidates.length === 0) {
    // One column of values that are not numbers: say which cell, as if it had been named.
    const valued = table.numbers.filter((column): column is NumberColumn => column !== null && column.invalid > 0 && !features.has(column.name));
    if (valued.length === 1) candidates.push(valued[0]!);
  }
  if (candidates.length === 0) {
    const header = table.header;
    const others = header.filter((_, i) => i !== table.timeIndex && i !== table.idIndex && !features.has(header[i]!));
    throw new DataError(
      `${where(file, table.headerLine)}: no numeric column to forecast${others.length ? ` (${others.join(', ')} hold no numbers)` : ''}; name one with --target`,
    );
  }
  return { columns: [candidates[0]!], wide: false };
}

export async function loadDataset(options: LoadOptions): Promise<Dataset> {
  const file = options.input;
  const policy = options.fill ?? 'interpolate';
  if (!(FILL_POLICIES as readonly string[]).includes(policy)) {
    throw new UsageError(`--fill: unknown policy '${String(policy)}'; use ${FILL_POLICIES.join(', ')}`);
  }
  const givenFreq = options.freq === undefined || options.freq === '' ? undefined : parseFrequency(options.freq);
  const delimiterOption = normalizeDelimiter(options.delimiter);
  const futureNames = options.futureFeatures ?? [];
  const seenFeatures = new Set<string>();
  for (const name of options.features ?? []) {
    if (seenFeatures.has(name)) throw new UsageError(`--features: '${name}' is listed twice`);
    seenFeatures.add(name);
  }
  if (new Set(futureNames).size !== futureNames.length) throw new UsageError(`--future-features: a column is listed twice`);
  // A known-future covariate is a feature too (the encoder reads its past values): implied, after --features.
  const featureNames = [...(options.features ?? []), ...futureNames.filter((name) => !seenFeatures.has(name))];
  for (const name of featureNames) seenFeatures.add(name);

  const source = openText(file, options.stdin);
  const table = new TableBuilder({ file, time: options.time, id: options.id, timeFormat: options.timeFormat });
  const { delimiter } = await tokenize(file, source.chunks, delimiterOption, table);
  table.finish();
  const header = table.header;
  const timeColumn = header[table.timeIndex]!;
  const idColumn = table.idIndex >= 0 ? header[table.idIndex]! : null;

  const columnOf = (name: string, flag: string): NumberColumn => {
    const index = header.indexOf(name);
    if (index < 0) throw new DataError(`${where(file, table.headerLine)}: ${unknownColumnMessage(name, flag, header)}`);
    if (index === table.timeIndex) throw new UsageError(`${flag}: '${name}' is the time column`);
    if (index === table.idIndex) throw new UsageError(`${flag}: '${name}' is the id column (--id)`);
    return table.numbers[index]!;
  };
  const featureColumns = featureNames.map((name) => columnOf(name, futureNames.includes(name) ? '--future-features' : '--features'));
  const { columns: targetColumns, wide, note: targetNote } = pickTargets(table, options, columnOf, seenFeatures);
  for (const column of [...targetColumns, ...featureColumns]) {
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

  // Instants (offsets, --tz), then series: gather, sort, refuse duplicates.
  const groups = groupRows(table);
  const allLines = table.lines.view();
  const timeData = table.time!.finish();
  const instants = toInstants(timeData, groups, {
    file, column: timeColumn, field: table.timeIndex + 1, lines: allLines, tz: options.tz,
  });
  const style = instants.style;
  const naiveLocal = timeData.timeOfDay && timeData.offsets === null && !style.zone && !timeData.absolute;
  const allTimes = instants.times;
  const warnings: string[] = [...instants.warnings, ...(targetNote === undefined ? [] : [targetNote])];
  let sortedSeries = 0;
  const raw: (SortedSeries & { values: Float64Array; features: Float64Array[] })[] = [];
  for (const { id, rows } of groups) {
    const times = gather(allTimes, rows);
    const lines = gatherU32(allLines, rows);
    const targets = targetColumns.map((column) => gather(column.values.view(), rows));
    const features = featureColumns.map((column) => gather(column.values.view(), rows));
    if (!isSorted(times)) {
      // gather() returns the table's own arrays for a single series: sorting them in place is fine.
      sortByTime({ times, lines, values: [...targets, ...features] });
      sortedSeries++;
    }
    for (let i = 1; i < times.length; i++) {
      if (times[i] === times[i - 1]) {
        const [a, b] = [lines[i - 1]!, lines[i]!].sort((x, y) => x - y);
        const hint = naiveLocal
          ? '; if these are local times with a daylight-saving change, give their zone with --tz (e.g. --tz Europe/Berlin)'
          : idColumn === null ? '; if the file holds several series, name their id column with --id' : '';
        throw new DataError(
          `${where(file, b)}: duplicate time '${formatTime(times[i]!, style)}'${idColumn === null ? '' : ` in series '${id}'`} (also on line ${a})${hint}`,
        );
      }
    }
    targets.forEach((values, k) => raw.push({ id: wide ? targetColumns[k]!.name : id, times, lines, values, features }));
  }
  if (sortedSeries > 0) {
    warnings.push(
      `rows were not in time order: sorted them by '${timeColumn}'${idColumn === null ? '' : ` (${sortedSeries} of ${groups.length} series)`}`,
    );
  }

  const freqContext = { file, style, idColumn: wide ? 'target' : idColumn };
  let freq = givenFreq === undefined ? inferFrequency(raw, freqContext) : resolveAnchor(givenFreq, raw[0]!.times[0]!, style);
  if (givenFreq === undefined) freq = resolveAnchor(freq, raw[0]!.times[0]!, style);
  const counts: FillCounts = { values: 0, timestamps: 0, droppedRows: 0, leftOut: 0 };
  const ignored: IgnoredRows[] = [];
  const future = futureNames.map((name) => featureNames.indexOf(name));
  const series: Series[] = raw.map((entry, k) => {
    const targetColumn = targetColumns[wide ? k % targetColumns.length : 0]!;
    const fillContext: FillContext = {
      file, freq, style, policy, idColumn: wide ? 'target' : idColumn, target: targetColumn.name, targetField: targetColumn.index + 1,
      features: featureNames, featureFields: featureColumns.map((column) => column.index + 1),
    };
    const positions = gridPositions(entry, freq, givenFreq === undefined, freqContext);
    const rawSeries: RawSeries = { ...entry, positions };
    // The data ends at the last target value: the rows after it are known-future inputs or left out, never filled.
    const tail = splitTail(rawSeries, { file, style, idColumn: fillContext.idColumn, target: targetColumn.name, features: featureNames, featureFields: fillContext.featureFields, future });
    if (tail.ignored !== null) ignored.push(tail.ignored);
    const filled = fillSeries(tail.observed, fillContext, counts);
    return tail.future === null ? filled : { ...filled, future: tail.future };
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

  const ignoredWarning = ignoredRowsWarning(ignored, { file, style, futureFeatures: futureNames });
  if (ignoredWarning !== null) warnings.push(ignoredWarning);

  const targets = targetColumns.map((column) => column.name);
  return {
    source: file, columns, rowCount: table.rows, timeColumn, target: targets.join(','), targets, wide, features: featureNames, futureFeatures: futureNames, idColumn,
    freq, timeStyle: style, series, warnings, notes: instants.notes, filled: { values: counts.values, timestamps: counts.timestamps }, sha256: source.digest(),
  };
}
