// Arrow IPC file output (-o FILE.arrow, .feather): the table with typed columns — Float64 for
// numbers, Utf8 for text, nulls for empty cells — as pandas.read_feather, polars, pyarrow and R's
// arrow read it. apache-arrow is pure JavaScript; it is loaded only on this path (about 0.2 s).
import type { Table } from './predictions.js';

export async function renderArrow(table: Table): Promise<Uint8Array> {
  const arrow = await import('apache-arrow');
  const vectors: Record<string, import('apache-arrow').Vector> = {};
  table.columns.forEach((name, index) => {
    const cells = table.rows.map((row) => row[index] ?? null);
    const numeric = cells.every((cell) => cell === null || typeof cell === 'number');
    vectors[name] = numeric
      ? arrow.vectorFromArray(cells as (number | null)[], new arrow.Float64())
      : arrow.vectorFromArray(cells.map((cell) => (cell === null ? null : String(cell))), new arrow.Utf8());
  });
  return arrow.tableToIPC(new arrow.Table(vectors), 'file');
}
