import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { DataError } from '../../src/errors.js';
import { MAX_RECORD_CHARS, detectDelimiter, tokenize, type RecordSink } from '../../src/data/csv.js';
import { openText } from '../../src/data/read.js';

interface Collected { records: [number, string[]][]; path: string; delimiter: string }

/** Records of `text` cut into chunks of `chunk` characters, by the default (fast-first) path or by csv-parse only. */
async function records(text: string, options: { chunk?: number; general?: boolean; delimiter?: string } = {}): Promise<Collected> {
  const chunk = options.chunk ?? 1 << 16;
  async function* chunks(): AsyncGenerator<string> {
    for (let at = 0; at < text.length; at += chunk) yield text.slice(at, at + chunk);
  }
  const out: [number, string[]][] = [];
  const sink: RecordSink = {
    record(source, starts, ends, count, line) {
      const fields: string[] = [];
      for (let i = 0; i < count; i++) fields.push(source.slice(starts[i], ends[i]));
      out.push([line, fields]);
    },
  };
  const result = await tokenize('t.csv', chunks(), options.delimiter, sink, { general: options.general });
  return { records: out, path: result.path, delimiter: result.delimiter };
}

test('detectDelimiter: comma, semicolon, tab; decimal commas do not fool it', () => {
  assert.equal(detectDelimiter('a,b,c\n1,2,3\n'), ',');
  assert.equal(detectDelimiter('a;b\n2020-01-01;1,5\n2020-01-02;2,5\n'), ';');
  assert.equal(detectDelimiter('a\tb\n1\t2\n'), '\t');
  assert.equal(detectDelimiter('"x,y";b\n"1,2";3\n'), ';');
  assert.equal(detectDelimiter('single\n1\n'), ',');
});

test('fast path and csv-parse give the same records and lines, for every chunking', async () => {
  const text = 'time,a,b\r\n2020-01-01,1,2\r\n\r\n2020-01-02,,x\n2020-01-03,3,4\n\n2020-01-04,5,6';
  const reference = await records(text, { general: true });
  assert.equal(reference.path, 'csv-parse');
  assert.deepEqual(reference.records, [
    [1, ['time', 'a', 'b']], [2, ['2020-01-01', '1', '2']], [4, ['2020-01-02', '', 'x']], [5, ['2020-01-03', '3', '4']],
    [7, ['2020-01-04', '5', '6']],
  ]);
  for (const chunk of [1, 2, 3, 7, 1000]) {
    const fast = await records(text, { chunk });
    assert.equal(fast.path, 'fast');
    assert.deepEqual(fast.records, reference.records, `chunk ${chunk}`);
  }
});

test('a quote midway hands over to csv-parse with the same line numbers', async () => {
  const text = 'time,name,value\n2020-01-01,a,1\n2020-01-02,"b, with comma",2\n2020-01-03,"multi\nline",3\n2020-01-04,d,4\n';
  const expected = [
    [1, ['time', 'name', 'value']], [2, ['2020-01-01', 'a', '1']], [3, ['2020-01-02', 'b, with comma', '2']],
    [4, ['2020-01-03', 'multi\nline', '3']], [6, ['2020-01-04', 'd', '4']],
  ];
  for (const chunk of [1, 5, 1000]) {
    const result = await records(text, { chunk });
    assert.equal(result.path, 'csv-parse');
    assert.deepEqual(result.records, expected, `chunk ${chunk}`);
  }
  assert.deepEqual((await records(text, { general: true })).records, expected);
});

test('a lone \\r line end goes to csv-parse', async () => {
  const result = await records('a,b\r1,2\r3,4\r');
  assert.equal(result.path, 'csv-parse');
  assert.deepEqual(result.records.map(([, fields]) => fields), [['a', 'b'], ['1', '2'], ['3', '4']]);
});

test('malformed CSV: unclosed quote names the record line; absurd lines are refused with bounded memory', async () => {
  await assert.rejects(records('a,b\n1,2\n3,"open\n4,5\n'), (error: unknown) =>
    error instanceof DataError && /^t\.csv:3: a quote opened in this record is never closed/.test(error.message));
  const long = `a,b\n1,${'9'.repeat(MAX_RECORD_CHARS + 10)}\n`;
  await assert.rejects(records(long, { chunk: 1 << 16 }), (error: unknown) => error instanceof DataError && /t\.csv:2: a record longer than 1 MB/.test(error.message));
  await assert.rejects(records(`a,b\n1,"${'9'.repeat(MAX_RECORD_CHARS + 10)}"\n`), (error: unknown) => error instanceof DataError && /longer than 1 MB/.test(error.message));
  await assert.rejects(records('a,b\n1,2\n3,\0\0\n'), (error: unknown) => error instanceof DataError && /t\.csv:3: binary data/.test(error.message));
});

test('openText: BOM removed, bytes hashed, non-UTF-8 refused with the line', async () => {
  const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('a,b\n1,2\n')]);
  const source = openText('-', Readable.from([bytes]));
  let text = '';
  for await (const chunk of source.chunks) text += chunk;
  assert.equal(text, 'a,b\n1,2\n');
  const { createHash } = await import('node:crypto');
  assert.equal(source.digest(), createHash('sha256').update(bytes).digest('hex'));
  const bad = openText('-', Readable.from([Buffer.from('a,b\n1,2\n3,'), Buffer.from([0xff, 0x41, 0x0a])]));
  await assert.rejects(async () => { for await (const _ of bad.chunks) void _; }, (error: unknown) =>
    error instanceof DataError && /^<stdin>:3: not UTF-8 text \(byte 0xff\)/.test(error.message));
});
