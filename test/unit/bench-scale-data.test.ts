// The scale bench's inputs (never its timings): the generated panels have the shape the goals
// name, and the suite rows it runs are the single-series ones.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { writeHourlyPanel, writeMonthlyPanel } from '../../bench/scale-data.js';
import { singleSeriesRows } from '../../bench/scale.js';
import { loadDataset } from '../../src/data/load.js';

const folder = mkdtempSync(join(tmpdir(), 'rnncast-bench-data-'));
after(() => rmSync(folder, { recursive: true, force: true }));

test('the hourly panel: series of about 1,000 hourly points with a daily season, ending on the same hour', async () => {
  const panel = await writeHourlyPanel(join(folder, 'hourly.csv'), 4);
  const dataset = await loadDataset({ input: panel.path, id: 'sensor', fill: 'error' });
  assert.equal(dataset.freq.code, 'H');
  assert.equal(dataset.series.length, 4);
  assert.equal(panel.rows, dataset.rowCount);
  const ends = new Set(dataset.series.map((series) => series.times[series.times.length - 1]));
  assert.equal(ends.size, 1);
  for (const series of dataset.series) {
    assert.ok(series.values.length >= 960 && series.values.length <= 1040, `${series.id}: ${series.values.length} points`);
    // A day apart is closer than half a day apart: the daily pattern is there.
    const gap = (lag: number) => series.values.slice(lag).reduce((sum, value, t) => sum + Math.abs(value - series.values[t]!), 0);
    assert.ok(gap(24) < gap(12), series.id);
  }
});

test('the monthly panel: series of 100-300 monthly points, all ending in December 2024, none negative', async () => {
  const panel = await writeMonthlyPanel(join(folder, 'monthly.csv'), 50);
  const dataset = await loadDataset({ input: panel.path, id: 'sku', fill: 'error' });
  assert.equal(dataset.freq.code, 'M');
  assert.equal(dataset.series.length, 50);
  for (const series of dataset.series) {
    assert.ok(series.values.length >= 100 && series.values.length <= 300, `${series.id}: ${series.values.length} points`);
    assert.equal(new Date(series.times[series.times.length - 1]!).toISOString().slice(0, 7), '2024-12');
    assert.ok(series.values.every((value) => value >= 0), series.id);
  }
  const again = await writeMonthlyPanel(join(folder, 'monthly-again.csv'), 50);
  assert.equal(again.rows, panel.rows, 'deterministic');
});

test("the suite rows the scale bench runs: every row without --id, with the row's own flags", () => {
  writeFileSync(join(folder, 'suite.tsv'), 'name\tfile\th\tm\tflags\none\tdata/one.csv\t18\t12\t\npanel\tdata/p.csv\t8\t4\t--id region\nthree\tdata/t.csv\t48\t24\t--target demand --features temperature\n');
  const rows = singleSeriesRows(folder);
  assert.deepEqual(rows.map((row) => [row.name, row.horizon, row.season, row.flags]), [
    ['one', '18', '12', []],
    ['three', '48', '24', ['--target', 'demand', '--features', 'temperature']],
  ]);
  assert.equal(rows[0]!.file, join(folder, 'data/one.csv'));
});
