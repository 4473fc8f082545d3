// Prediction and backtest files: one table, written as csv, json (an array of objects) or ndjson
// (an Excel workbook is workbook.ts's job).
import type { Writable } from 'node:stream';
import { writeFileAtomic } from './atomic-write.js';

export type Cell = string | number | null;
import type { TextFormat } from '../options/choices.js';

export type { TextFormat };

export interface Table {
  columns: string[];
  rows: Cell[][];
}

/** Numbers at 10 significant digits: stable text, far below any forecast's error. Non-finite → empty. */
export function formatNumber(value: number): number | null {
  return Number.isFinite(value) ? Number(value.toPrecision(10)) : null;
}

function csvField(cell: Cell): string {
  if (cell === null) return '';
  const text = String(cell);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function rowObject(columns: string[], row: Cell[]): Record<string, Cell> {
  const object: Record<string, Cell> = {};
  columns.forEach((column, index) => {
    object[column] = row[index] ?? null;
  });
  return object;
}

export function renderTable(table: Table, format: TextFormat): string {
  if (format === 'json') return `${JSON.stringify(table.rows.map((row) => rowObject(table.columns, row)), null, 1)}\n`;
  if (format === 'ndjson') return table.rows.map((row) => `${JSON.stringify(rowObject(table.columns, row))}\n`).join('');
  const lines = [table.columns.map(csvField).join(',')];
  for (const row of table.rows) lines.push(row.map(csvField).join(','));
  return `${lines.join('\n')}\n`;
}

/** Standard output for undefined or '-', else an atomic file write. */
export async function writeOutput(path: string | undefined, content: string | Uint8Array, stdout: Writable): Promise<void> {
  if (path === undefined || path === '-') {
    await new Promise<void>((resolve, reject) => {
      stdout.write(content, (error) => (error ? reject(error) : resolve()));
    });
    return;
  }
  writeFileAtomic(path, content);
}
