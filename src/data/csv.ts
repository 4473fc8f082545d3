// Splitting CSV text into records with their line numbers. Two paths give the same records:
// a hand-written one for plain files (no quotes, '\n' or '\r\n' line ends), which is most of
// the speed, and csv-parse for everything else. The fast path hands over to csv-parse at the
// first record that holds a quote or a lone '\r', so one quoted cell does not slow a whole file
// down before it, and the records before it are the same under both paths.
import { parse, CsvError } from 'csv-parse';
import { DataError, where } from '../errors.js';

/** Longest record we accept; a longer one is not a CSV line (bounded memory for absurd input). */
export const MAX_RECORD_CHARS = 1 << 20;

export interface RecordSink {
  /** One record: field i is text.slice(starts[i], ends[i]) for i < count; line: 1-based line where it starts. */
  record(text: string, starts: Int32Array, ends: Int32Array, count: number, line: number): void;
}

export interface TokenizeResult {
  delimiter: string;
  /** Which path read the records after the sniffed start: for tests and the bench. */
  path: 'fast' | 'csv-parse';
}

const CANDIDATES = [',', ';', '\t'];

function countOutsideQuotes(line: string, delimiter: string): number {
  let count = 0;
  let quoted = false;
  for (const char of line) {
    if (char === '"') quoted = !quoted;
    else if (char === delimiter && !quoted) count++;
  }
  return count;
}

/** Comma, semicolon or tab: the one that splits the header and the next lines into equal counts, most fields first. */
export function detectDelimiter(sample: string): string {
  const lines = sample.split(/\r\n|\n|\r/).filter((line) => line.trim() !== '').slice(0, 11);
  if (lines.length === 0) return ',';
  let best = ',';
  let bestScore = -1;
  for (const candidate of CANDIDATES) {
    const header = countOutsideQuotes(lines[0]!, candidate);
    if (header === 0) continue;
    // A complete last line only: the sample may end mid-line.
    const rest = lines.slice(1, Math.max(1, lines.length - 1));
    const consistent = rest.every((line) => countOutsideQuotes(line, candidate) === header);
    const score = (consistent ? 1_000_000 : 0) + header;
    if (score > bestScore) {
      best = candidate;
      bestScore = score;
    }
  }
  return best;
}

function tooLong(file: string, line: number): DataError {
  return new DataError(`${where(file, line)}: a record longer than ${MAX_RECORD_CHARS / (1 << 20)} MB: is this a CSV file?`);
}

function binaryData(file: string, text: string, lineBefore: number): DataError {
  const at = text.indexOf('\0');
  let line = lineBefore;
  for (let i = text.indexOf('\n'); i !== -1 && i < at; i = text.indexOf('\n', i + 1)) line++;
  return new DataError(`${where(file, line)}: binary data (a NUL byte): not a CSV text file`);
}

/** Fields buffers shared by both paths, grown when a record has more fields. */
class FieldBuffers {
  starts = new Int32Array(64);
  ends = new Int32Array(64);
  grow(): void {
    const starts = new Int32Array(this.starts.length * 2);
    const ends = new Int32Array(this.ends.length * 2);
    starts.set(this.starts);
    ends.set(this.ends);
    this.starts = starts;
    this.ends = ends;
  }
}

/**
 * Records of plain text: returns where the unfinished tail starts (the carry), or -1 - position of
 * the record where the fast path cannot go on (a quote or a lone '\r'). `state.line` advances.
 */
function scanPlain(
  file: string, text: string, final: boolean, delimiterCode: number, buffers: FieldBuffers, sink: RecordSink,
  state: { line: number },
): number {
  const length = text.length;
  let lineStart = 0;
  let fieldStart = 0;
  let count = 0;
  for (let at = 0; at < length; at++) {
    const code = text.charCodeAt(at);
    if (code === delimiterCode) {
      if (count + 1 >= buffers.starts.length) buffers.grow();
      buffers.starts[count] = fieldStart;
      buffers.ends[count] = at;
      count++;
      fieldStart = at + 1;
    } else if (code > 34) {
      continue; // neither quote nor line end: the common case
    } else if (code === 10 || code === 13) {
      let end = at;
      if (code === 13) {
        if (at + 1 >= length && !final) return lineStart; // '\r' at the chunk end: wait for '\n'
        if (text.charCodeAt(at + 1) !== 10) return -1 - lineStart; // lone '\r'
        at++;
      }
      if (count === 0 && end === lineStart) {
        // empty line: skipped, like csv-parse's skip_empty_lines
      } else {
        if (end - lineStart > MAX_RECORD_CHARS) throw tooLong(file, state.line);
        if (count + 1 >= buffers.starts.length) buffers.grow();
        buffers.starts[count] = fieldStart;
        buffers.ends[count] = end;
        sink.record(text, buffers.starts, buffers.ends, count + 1, state.line);
      }
      state.line++;
      lineStart = at + 1;
      fieldStart = lineStart;
      count = 0;
    } else if (code === 34) {
      return -1 - lineStart;
    } else if (code === 0) {
      throw binaryData(file, text.slice(lineStart), state.line);
    }
  }
  if (!final) return lineStart;
  if (lineStart < length) {
    if (length - lineStart > MAX_RECORD_CHARS) throw tooLong(file, state.line);
    if (count + 1 >= buffers.starts.length) buffers.grow();
    buffers.starts[count] = fieldStart;
    buffers.ends[count] = length;
    sink.record(text, buffers.starts, buffers.ends, count + 1, state.line);
  }
  return length;
}

/** Feeds text to csv-parse and turns its records and errors into ours. */
class GeneralParser {
  private parser;
  private failure: unknown = null;
  private endLine = 0;
  private emptyLines = 0;
  private readonly buffers = new FieldBuffers();
  private readonly done: Promise<void>;

  constructor(private readonly file: string, delimiter: string, private readonly lineOffset: number, private readonly sink: RecordSink) {
    this.parser = parse({
      delimiter,
      record_delimiter: ['\r\n', '\n', '\r'],
      relax_column_count: true, // ragged rows are reported by the sink, the same way on both paths
      skip_empty_lines: true,
      max_record_size: MAX_RECORD_CHARS,
      info: true,
      on_record: (entry: { record: string[]; info: { lines: number; empty_lines: number } }) => {
        if (this.failure !== null) return null;
        try {
          this.take(entry.record, entry.info.lines, entry.info.empty_lines);
        } catch (error: unknown) {
          this.failure = error;
        }
        return null;
      },
    });
    this.done = new Promise<void>((resolve) => {
      this.parser.on('error', (error: unknown) => {
        if (this.failure === null) this.failure = error;
        resolve();
      });
      this.parser.on('end', () => resolve());
    });
    this.parser.resume();
  }

  private take(fields: string[], endLine: number, emptyLines: number): void {
    const startLine = this.endLine + 1 + (emptyLines - this.emptyLines);
    this.endLine = endLine;
    this.emptyLines = emptyLines;
    const text = fields.length === 1 ? fields[0]! : fields.join('');
    while (fields.length >= this.buffers.starts.length) this.buffers.grow();
    let at = 0;
    for (let i = 0; i < fields.length; i++) {
      this.buffers.starts[i] = at;
      at += fields[i]!.length;
      this.buffers.ends[i] = at;
    }
    this.sink.record(text, this.buffers.starts, this.buffers.ends, fields.length, this.lineOffset + startLine);
  }

  write(text: string): void {
    this.check();
    this.parser.write(text);
    this.check();
  }

  async end(): Promise<void> {
    this.check();
    this.parser.end();
    await this.done;
    this.check();
  }

  private check(): void {
    if (this.failure === null) return;
    const failure = this.failure;
    if (!(failure instanceof CsvError)) throw failure;
    const info = failure as CsvError & { lines?: number; empty_lines?: number };
    const errorLine = this.lineOffset + (info.lines ?? this.endLine + 1);
    const recordLine = this.lineOffset + this.endLine + 1 + ((info.empty_lines ?? this.emptyLines) - this.emptyLines);
    switch (failure.code) {
      case 'CSV_QUOTE_NOT_CLOSED':
        throw new DataError(`${where(this.file, recordLine)}: a quote opened in this record is never closed`);
      case 'CSV_MAX_RECORD_SIZE':
        throw tooLong(this.file, recordLine);
      case 'CSV_INVALID_CLOSING_QUOTE': {
        // csv-parse's own words list its internals; what a user needs is the character and the likely cause.
        const found = /got "(.*?)"/.exec(failure.message)?.[1] ?? '?';
        throw new DataError(`${where(this.file, errorLine)}: a closing quote is followed by ${JSON.stringify(found)} instead of the delimiter (is --delimiter right?)`);
      }
      default:
        throw new DataError(`${where(this.file, errorLine)}: malformed CSV: ${failure.message.replace(/^[^:]*: /, '')}`);
    }
  }
}

/**
 * Splits the text into records for the sink. The delimiter is the given one or detected from the
 * first lines. Throws DataError for malformed CSV, NUL bytes and records longer than MAX_RECORD_CHARS.
 */
export async function tokenize(
  file: string, chunks: AsyncIterable<string>, delimiter: string | undefined, sink: RecordSink,
  options: { general?: boolean } = {}, // general: csv-parse only (tests compare the two paths)
): Promise<TokenizeResult> {
  const iterator = chunks[Symbol.asyncIterator]();
  try {
    return await tokenizeFrom(file, iterator, delimiter, sink, options.general ?? false);
  } finally {
    await iterator.return?.(); // closes the file when a record was refused midway
  }
}

async function tokenizeFrom(
  file: string, iterator: AsyncIterator<string>, delimiter: string | undefined, sink: RecordSink, forceGeneral: boolean,
): Promise<TokenizeResult> {
  // Sniff: enough text for a few complete lines.
  let pending = '';
  let ended = false;
  while (!ended && (pending.match(/\n/g)?.length ?? 0) < 12 && pending.length < 256 * 1024) {
    const next = await iterator.next();
    if (next.done) ended = true;
    else pending += next.value;
  }
  const chosen = delimiter ?? detectDelimiter(pending.slice(0, 256 * 1024));
  const state = { line: 1 };
  const buffers = new FieldBuffers();
  let general: GeneralParser | null = null;

  const feed = (text: string, final: boolean): string => {
    if (general !== null) {
      if (text.includes('\0')) throw binaryData(file, text, state.line); // the fast path checks as it scans
      general.write(text);
      return '';
    }
    const stop = scanPlain(file, text, final, chosen.charCodeAt(0), buffers, sink, state);
    if (stop < 0) {
      general = new GeneralParser(file, chosen, state.line - 1, sink);
      const rest = text.slice(-1 - stop);
      if (rest.includes('\0')) throw binaryData(file, rest, state.line);
      general.write(rest);
      return '';
    }
    const carry = stop === text.length ? '' : text.slice(stop);
    if (carry.length > MAX_RECORD_CHARS) throw tooLong(file, state.line);
    return carry;
  };

  // A multi-character delimiter or a quote as delimiter: csv-parse only.
  if (forceGeneral || chosen.length !== 1 || chosen === '"' || chosen === '\n' || chosen === '\r') {
    general = new GeneralParser(file, chosen, 0, sink);
  }
  let carry = feed(pending, ended);
  while (!ended) {
    const next = await iterator.next();
    if (next.done) {
      ended = true;
      carry = feed(carry, true);
    } else {
      carry = feed(carry + next.value, false);
    }
  }
  const finishing = general as GeneralParser | null;
  if (finishing !== null) await finishing.end();
  return { delimiter: chosen, path: finishing === null ? 'fast' : 'csv-parse' };
}
