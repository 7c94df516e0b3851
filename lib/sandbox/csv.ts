/** One `;`-separated CSV line as ASSIST's reports write them: a cell with `;`, `"` or a newline is quoted. */
export function csvLine(cells: readonly string[]): string {
  return cells.map((v) => (/[;"\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)).join(';');
}
