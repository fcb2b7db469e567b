// Aligned text columns for the CLI's tables (scan, ls).
import { printable } from './printable';

/**
 * Plain aligned columns; the last column is not padded. Cells are made printable (they hold file,
 * service and process names). Any number of rows: no spread into a call.
 */
export function formatTable(header: string[], cells: string[][]): string {
  const rows = cells.map((row) => row.map(printable));
  const widths = header.map((h) => h.length);
  for (const row of rows) {
    for (let i = 0; i < widths.length; i++) {
      widths[i] = Math.max(widths[i] ?? 0, row[i]?.length ?? 0);
    }
  }
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}
