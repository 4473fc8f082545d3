// Reading the input: a file or standard input, chunk by chunk, as UTF-8 text, hashing the raw
// bytes on the way (the model file's training-data fingerprint). Nothing holds the whole file.
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { DataError, InputError, where } from '../errors.js';

const CHUNK_BYTES = 1 << 18;

export interface TextSource {
  /** Decoded text chunks in order (the BOM removed). */
  chunks: AsyncIterable<string>;
  /** sha256 hex of every byte read; valid once `chunks` is exhausted. */
  digest(): string;
}

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : undefined;
}

function inputError(input: string, error: unknown): InputError {
  const code = errorCode(error);
  const reason = code === 'ENOENT' ? 'no such file'
    : code === 'EACCES' || code === 'EPERM' ? 'permission denied'
    : code === 'EISDIR' ? 'is a directory, not a CSV file'
    : error instanceof Error ? error.message : String(error);
  return new InputError(`${where(input)}: cannot read input: ${reason}`);
}

async function* fileBytes(path: string): AsyncGenerator<Uint8Array> {
  let handle;
  try {
    handle = await open(path, 'r'); // missing or unreadable: fail here, before any parsing
  } catch (error: unknown) {
    throw inputError(path, error);
  }
  // A read stream reads ahead while the previous chunk is parsed.
  const stream = handle.createReadStream({ highWaterMark: CHUNK_BYTES });
  try {
    for await (const chunk of stream) yield chunk as Uint8Array;
  } catch (error: unknown) {
    throw inputError(path, error);
  } finally {
    stream.destroy();
  }
}

async function* streamBytes(stream: NodeJS.ReadableStream): AsyncGenerator<Uint8Array> {
  try {
    for await (const chunk of stream) {
      yield typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : (chunk as Uint8Array);
    }
  } catch (error: unknown) {
    throw inputError('-', error);
  }
}

/** Line (1-based) and byte offset of the first invalid UTF-8 sequence, for the error message. */
function findInvalidUtf8(bytes: Uint8Array, linesBefore: number): { line: number; byte: number } {
  let line = linesBefore;
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i]!;
    const need = b < 0x80 ? 0 : b >= 0xc2 && b < 0xe0 ? 1 : b >= 0xe0 && b < 0xf0 ? 2 : b >= 0xf0 && b < 0xf5 ? 3 : -1;
    if (need < 0) return { line, byte: b };
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined) return { line, byte: b }; // cut at the chunk end: close enough for a message
      if ((c & 0xc0) !== 0x80) return { line, byte: b };
    }
    if (b === 10) line++;
    i += need + 1;
  }
  return { line, byte: bytes[bytes.length - 1] ?? 0 };
}

function countNewlines(bytes: Uint8Array): number {
  let count = 0;
  let at = bytes.indexOf(10);
  while (at !== -1) {
    count++;
    at = bytes.indexOf(10, at + 1);
  }
  return count;
}

/** The input as decoded text chunks; missing or unreadable input → InputError, bad UTF-8 → DataError. */
export function openText(input: string, stdin?: NodeJS.ReadableStream): TextSource {
  const hash = createHash('sha256');
  let digest = '';
  const bytes = input === '-' ? streamBytes(stdin ?? process.stdin) : fileBytes(input);
  async function* chunks(): AsyncGenerator<string> {
    const decoder = new TextDecoder('utf-8', { fatal: true });
    let lines = 1;
    for await (const chunk of bytes) {
      hash.update(chunk);
      let text: string;
      try {
        text = decoder.decode(chunk, { stream: true });
      } catch {
        const bad = findInvalidUtf8(chunk, lines);
        throw new DataError(
          `${where(input, bad.line)}: not UTF-8 text (byte 0x${bad.byte.toString(16).padStart(2, '0')}); save the file as UTF-8`,
        );
      }
      lines += countNewlines(chunk);
      if (text.length > 0) yield text;
    }
    let rest: string;
    try {
      rest = decoder.decode();
    } catch {
      throw new DataError(`${where(input, lines)}: not UTF-8 text (the file ends inside a character); save the file as UTF-8`);
    }
    digest = hash.digest('hex');
    if (rest.length > 0) yield rest;
  }
  return { chunks: chunks(), digest: () => digest };
}
