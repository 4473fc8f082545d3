// Excel output (-o FILE.xlsx) through danfojs-node, the owner's frame library: every table
// becomes a danfo DataFrame, and the frames are laid on sheets by the SheetJS engine danfo
// itself writes Excel with (resolved from danfo's own dependencies, so it is the same copy).
// danfo's own toExcel writes one sheet to a path it names; we need several sheets and the
// atomic write every output gets, so the workbook is rendered to bytes here and written by
// writeOutput. Importing danfo costs 1-2 s (it loads TensorFlow.js): only this path pays it.
import { createRequire } from 'node:module';
import type { Cell, Table } from './predictions.js';

/** One sheet: tables one under another, an empty row between them. */
export interface Sheet {
  name: string;
  tables: Table[];
}

/** The part of SheetJS that is used here. */
interface SheetJs {
  utils: {
    book_new(): unknown;
    aoa_to_sheet(rows: Cell[][]): unknown;
    book_append_sheet(book: unknown, sheet: unknown, name: string): void;
  };
  write(book: unknown, options: { type: 'buffer'; bookType: 'xlsx'; compression: boolean }): Uint8Array;
}

interface Frame {
  columns: string[];
  values: Cell[][];
}

type FrameConstructor = new (data: Cell[][], options: { columns: string[] }) => Frame;

/** A table through a danfo DataFrame and back to rows (header first), as danfo's toExcel lays it out. */
function frameRows(DataFrame: FrameConstructor, table: Table): Cell[][] {
  if (table.rows.length === 0) return [table.columns];
  const frame = new DataFrame(table.rows, { columns: table.columns });
  return [frame.columns, ...frame.values.map((row) => row.map((cell) => (typeof cell === 'number' && Number.isNaN(cell) ? null : cell)))];
}

/** The workbook as .xlsx bytes. */
export async function renderWorkbook(sheets: Sheet[]): Promise<Uint8Array> {
  const danfo = (await import('danfojs-node')) as unknown as { DataFrame?: FrameConstructor; default?: { DataFrame: FrameConstructor } };
  const DataFrame = danfo.DataFrame ?? danfo.default!.DataFrame;
  const fromDanfo = createRequire(createRequire(import.meta.url).resolve('danfojs-node'));
  const xlsx = fromDanfo('xlsx') as SheetJs;
  const book = xlsx.utils.book_new();
  for (const sheet of sheets) {
    const rows: Cell[][] = [];
    sheet.tables.forEach((table, index) => {
      if (index > 0) rows.push([]);
      rows.push(...frameRows(DataFrame, table));
    });
    xlsx.utils.book_append_sheet(book, xlsx.utils.aoa_to_sheet(rows), sheet.name);
  }
  return xlsx.write(book, { type: 'buffer', bookType: 'xlsx', compression: true });
}

/** Settings as a two-column table (setting, value); undefined values are left out. */
export function settingsTable(settings: Record<string, Cell | undefined>): Table {
  const rows: Cell[][] = [];
  for (const [key, value] of Object.entries(settings)) if (value !== undefined) rows.push([key, value]);
  return { columns: ['setting', 'value'], rows };
}
