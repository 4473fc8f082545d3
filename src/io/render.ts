// A table in the format asked for: text (csv, json, ndjson) here, binary formats by modules that
// load their library only when used.
import type { OutputFormat } from '../options/choices.js';
import { renderTable, type Table } from './predictions.js';
import type { Sheet } from './workbook.js';

/** The file's content; an Excel workbook holds `sheets()` (the table and what goes with it). */
export async function renderFile(table: Table, format: OutputFormat, sheets: () => Sheet[]): Promise<string | Uint8Array> {
  if (format === 'xlsx') {
    const { renderWorkbook } = await import('./workbook.js');
    return renderWorkbook(sheets());
  }
  if (format === 'arrow') {
    const { renderArrow } = await import('./arrow.js');
    return renderArrow(table);
  }
  return renderTable(table, format);
}
