// CSV text written to a temporary folder (removed after the test file) and loaded, for data tests.
import { after } from 'node:test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDataset } from '../../src/data/load.js';
import type { Dataset, LoadOptions } from '../../src/data/types.js';

export function csvFiles(prefix: string, defaults: Partial<LoadOptions> = {}): {
  write: (text: string) => string;
  load: (text: string, options?: Partial<LoadOptions>) => Promise<Dataset>;
} {
  const folder = mkdtempSync(join(tmpdir(), prefix));
  after(() => rmSync(folder, { recursive: true, force: true }));
  let counter = 0;
  const write = (text: string): string => {
    const path = join(folder, `f${++counter}.csv`);
    writeFileSync(path, text);
    return path;
  };
  const load = (text: string, options: Partial<LoadOptions> = {}): Promise<Dataset> =>
    loadDataset({ input: write(text), fill: 'error', ...defaults, ...options });
  return { write, load };
}
