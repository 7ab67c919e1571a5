// What the CLI shows: aligned tables and field lists for people, the raw JSON with --json.
export type Column<T> = [header: string, value: (row: T) => unknown];

/** Empty values print as "-" so columns never collapse. */
function cell(value: unknown): string {
  if (value === null || value === undefined || value === '') return '-';
  if (Array.isArray(value)) return value.length === 0 ? '-' : value.map(cell).join(',');
  if (typeof value === 'object')
    return (
      Object.entries(value)
        .map(([k, v]) => `${k}=${cell(v)}`)
        .join(',') || '-'
    );
  return String(value);
}

function aligned(lines: string[][]): string {
  const widths = lines[0].map((_, column) => Math.max(...lines.map((line) => line[column].length)));
  return (
    lines
      .map((line) =>
        line.map((text, column) => (column === line.length - 1 ? text : text.padEnd(widths[column]))).join('  '),
      )
      .join('\n') + '\n'
  );
}

/** With `empty`, a list with no rows says so instead of printing a lone header. */
export function formatTable<T>(rows: T[], columns: Column<T>[], empty?: string): string {
  if (rows.length === 0 && empty !== undefined) return `${empty}\n`;
  return aligned([
    columns.map(([header]) => header),
    ...rows.map((row) => columns.map(([, value]) => cell(value(row)))),
  ]);
}

export function formatFields(fields: [label: string, value: unknown][]): string {
  return aligned(fields.map(([label, value]) => [`${label}:`, cell(value)]));
}

export const formatJson = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
