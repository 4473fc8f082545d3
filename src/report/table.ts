// Text tables for standard error: the first column left-aligned, the others right-aligned (numbers).

/** 4 significant digits, no exponent for everyday sizes; '-' for a value that is not defined. */
export function formatMetric(value: number | null): string {
  if (value === null) return '-';
  if (Math.abs(value) >= 1e6 || (value !== 0 && Math.abs(value) < 1e-4)) return value.toExponential(3);
  return String(Number(value.toPrecision(4)));
}

export function textTable(rows: string[][], indent = ''): string {
  const widths = (rows[0] ?? []).map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
  return rows
    .map((row) => indent + row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ').trimEnd())
    .join('\n');
}
