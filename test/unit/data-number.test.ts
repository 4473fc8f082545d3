import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  NUMBER_INFINITE, NUMBER_INVALID, NUMBER_MISSING, NUMBER_OK, explainNonNumber, numberStatus, parseNumberAt,
} from '../../src/data/number-parse.js';

const parse = (text: string): [number, number] => {
  const value = parseNumberAt(text, 0, text.length);
  return [value, numberStatus];
};

test('parseNumberAt equals Number() on valid numbers, fast path and slow path alike', () => {
  const cases = ['0', '-0', '1', '+1', '12.5', '-12.5', '.5', '5.', '0.1', '0.3', '112', '1e3', '1.5E-7', '-2.5e+10',
    '9007199254740993', '123456789012345678901234567890', '0.000000000000000000000001', '3.14159265358979323846', '  42 ', '\t7'];
  for (const text of cases) {
    const [value, status] = parse(text);
    assert.equal(status, NUMBER_OK, text);
    assert.ok(Object.is(value, Number(text)), `${text}: ${value} vs ${Number(text)}`);
  }
  // A sweep of three-decimal values: the fast path must round exactly like Number().
  for (let i = -20000; i <= 20000; i += 7) {
    const text = (i / 1000).toFixed(3);
    assert.ok(Object.is(parse(text)[0], Number(text)), text);
  }
});

test('parseNumberAt: missing markers, junk and infinities', () => {
  for (const text of ['', '  ', 'NA', 'na', 'NaN', 'nan', 'null', 'NULL', 'N/A', 'n/a']) assert.equal(parse(text)[1], NUMBER_MISSING, text);
  for (const text of ['abc', '1,5', '1.234,5', '0x1A', '1_000', '-', '.', '1e', '12a', '1 000', '$5']) assert.equal(parse(text)[1], NUMBER_INVALID, text);
  for (const text of ['Infinity', '-Infinity', 'inf', '+INF', '1e400']) assert.equal(parse(text)[1], NUMBER_INFINITE, text);
});

test('explainNonNumber recognises thousands separators and decimal commas', () => {
  assert.match(explainNonNumber('1,234', ','), /thousands separators.*1234/);
  assert.match(explainNonNumber('1,234,567.5', ','), /1234567\.5/);
  assert.match(explainNonNumber('1.234,5', ';'), /decimal comma.*1234\.5/);
  assert.match(explainNonNumber('12,5', ';'), /decimal comma/);
  assert.equal(explainNonNumber('abc', ','), '');
});
