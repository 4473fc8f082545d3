// CSV text written to a temporary folder (removed after the test file) and loaded, for data tests.
import { after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDataset } from '../../src/data/load.js';
import type { Dataset, LoadOptions } from '../../src/data/types.js';

export function csvFiles(prefix: string, defaults: Partial<LoadOptions> = {}): {
  write: (text: string | Buffer) => string;
  load: (text: string | Buffer, options?: Partial<LoadOptions>) => Promise<Dataset>;
  /** Loading rejects with `kind` and a message matching `pattern`, where '@' stands for the file path. */
  rejects: (text: string | Buffer, options: Partial<LoadOptions>, kind: Function, pattern: string) => Promise<void>;
} {
  const folder = mkdtempSync(join(tmpdir(), prefix));
  after(() => rmSync(folder, { recursive: true, force: true }));
  let counter = 0;
  const write = (text: string | Buffer): string => {
    const path = join(folder, `f${++counter}.csv`);
    writeFileSync(path, text);
    return path;
  };
  const load = (text: string | Buffer, options: Partial<LoadOptions> = {}): Promise<Dataset> =>
    loadDataset({ input: write(text), fill: 'error', ...defaults, ...options });
  const rejects = async (text: string | Buffer, options: Partial<LoadOptions>, kind: Function, pattern: string): Promise<void> => {
    const path = write(text);
    const expected = new RegExp(pattern.replace('@', path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    await assert.rejects(loadDataset({ input: path, fill: 'error', ...defaults, ...options }), (error: unknown) => {
      assert.ok(error instanceof kind, `expected ${kind.name}, got ${String(error)}`);
      assert.match((error as Error).message, expected);
      return true;
    });
  };
  return { write, load, rejects };
}
