// Parsing one numeric cell straight from the decoded text. Plain decimals take an exact fast
// path (Clinger: an integer mantissa below 2^53 scaled by a power of ten up to 10^22 is one
// correctly rounded operation, so the result equals Number(text)); anything else valid goes to
// Number() on the substring. true/false and yes/no (any case) read as 1 and 0: flag columns.

export const NUMBER_OK = 0;
export const NUMBER_MISSING = 1;
export const NUMBER_INVALID = 2;
export const NUMBER_INFINITE = 3;
export const NUMBER_BOOLEAN = 4;

/** Status of the last parseNumberAt call: NUMBER_OK, _MISSING, _INVALID, _INFINITE or _BOOLEAN (a 1 or 0). */
export let numberStatus = NUMBER_OK;

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18,
  1e19, 1e20, 1e21, 1e22];
const MAX_EXACT = 2 ** 53;

function isMissingWord(text: string, start: number, end: number): boolean {
  const word = text.slice(start, end).toLowerCase();
  return word === 'na' || word === 'nan' || word === 'null' || word === 'n/a';
}

/** 1 for true/yes, 0 for false/no (any case), else NaN. */
function booleanWord(text: string, start: number, end: number): number {
  const word = text.slice(start, end).toLowerCase();
  return word === 'true' || word === 'yes' ? 1 : word === 'false' || word === 'no' ? 0 : NaN;
}

function isInfinityWord(text: string, start: number, end: number): boolean {
  const word = text.slice(start, end).toLowerCase().replace(/^[+-]/, '');
  return word === 'inf' || word === 'infinity';
}

/** The number in text[start, end); NaN with numberStatus telling missing from invalid. */
export function parseNumberAt(text: string, start: number, end: number): number {
  while (start < end && (text.charCodeAt(start) === 32 || text.charCodeAt(start) === 9)) start++;
  while (end > start && (text.charCodeAt(end - 1) === 32 || text.charCodeAt(end - 1) === 9)) end--;
  if (start === end) {
    numberStatus = NUMBER_MISSING;
    return NaN;
  }
  let at = start;
  let negative = false;
  let code = text.charCodeAt(at);
  if (code === 45 || code === 43) {
    negative = code === 45;
    at++;
  }
  let mantissa = 0;
  let digitCount = 0;
  let fraction = 0;
  let sawDot = false;
  for (; at < end; at++) {
    code = text.charCodeAt(at);
    if (code >= 48 && code <= 57) {
      mantissa = mantissa * 10 + (code - 48);
      digitCount++;
      if (sawDot) fraction++;
    } else if (code === 46 && !sawDot) {
      sawDot = true;
    } else {
      break;
    }
  }
  if (at === end && digitCount > 0 && mantissa <= MAX_EXACT && fraction <= 22) {
    numberStatus = NUMBER_OK;
    const value = mantissa / POW10[fraction]!;
    return negative ? -value : value;
  }
  return parseNumberSlow(text, start, end, digitCount);
}

const NUMBER_PATTERN = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function parseNumberSlow(text: string, start: number, end: number, digitCount: number): number {
  const word = text.slice(start, end);
  if (digitCount === 0 || !NUMBER_PATTERN.test(word)) {
    const flag = digitCount === 0 ? booleanWord(text, start, end) : NaN;
    if (!Number.isNaN(flag)) {
      numberStatus = NUMBER_BOOLEAN;
      return flag;
    }
    if (isMissingWord(text, start, end)) numberStatus = NUMBER_MISSING;
    else if (isInfinityWord(text, start, end)) numberStatus = NUMBER_INFINITE;
    else numberStatus = NUMBER_INVALID;
    return NaN;
  }
  const value = Number(word);
  numberStatus = Number.isFinite(value) ? NUMBER_OK : NUMBER_INFINITE;
  return Number.isFinite(value) ? value : NaN;
}

/** Why a cell is not a number, when we can tell: thousands separators or a decimal comma. */
export function explainNonNumber(cell: string, delimiter: string): string {
  const text = cell.trim();
  if (/^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$/.test(text)) {
    return `it looks like a number with ',' thousands separators; write it without them (${text.replace(/,/g, '')})`;
  }
  if (/^[+-]?\d{1,3}(\.\d{3})+,\d+$/.test(text)) {
    return `it looks like a number with '.' thousands separators and a decimal comma; rnncast reads '.' as the decimal point (${text.replace(/\./g, '').replace(',', '.')})`;
  }
  if (/^[+-]?\d*,\d+$/.test(text)) {
    const hint = delimiter === ',' ? '' : ` (e.g. with a ';' delimiter: sed 's/,/./g')`;
    return `it looks like a decimal comma; rnncast reads '.' as the decimal point: convert the file${hint}`;
  }
  if (/^[+-]?\d{1,3}( \d{3})+([.,]\d+)?$/.test(text)) {
    return 'it looks like a number with spaces as thousands separators; write it without them';
  }
  return '';
}
