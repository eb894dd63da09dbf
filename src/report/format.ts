/**
 * Output shared by every analysis command: a table shaped like `uniq -c` output (the count right-aligned
 * in seven columns, then the key), aligned column tables with a header, JSON, and CSV (RFC 4180 quoting).
 */

export type OutputFormat = 'table' | 'json' | 'csv';

export const OUTPUT_FORMATS: readonly OutputFormat[] = ['table', 'json', 'csv'];

/** A column of a table or CSV: its header, how to read a cell from a row, and its alignment. */
export interface Column<T> {
  header: string;
  value: (row: T) => string | number | boolean | null;
  /** Right-align (numbers) or left-align (default: right for numbers, left otherwise). */
  align?: 'left' | 'right';
}

/** Formats one `uniq -c` line: the count right-aligned in 7 columns (wider when it needs), a space, the key. */
export function uniqLine(count: number, key: string): string {
  return `${String(count).padStart(7)} ${key}`;
}

/** Formats rows as `uniq -c` output, one line each. */
export function uniqTable<T>(rows: readonly T[], count: (r: T) => number, key: (r: T) => string): string {
  let out = '';
  for (const r of rows) out += uniqLine(count(r), key(r)) + '\n';
  return out;
}

function cellText(v: string | number | boolean | null): string {
  if (v === null) return '-';
  return String(v);
}

/** Formats rows as an aligned table with a header line; columns are separated by two spaces. */
export function alignedTable<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
  const cells = rows.map((r) => columns.map((c) => c.value(r)));
  const widths = columns.map((c, i) => Math.max(c.header.length, ...cells.map((row) => cellText(row[i]!).length)));
  const right = columns.map((c, i) => c.align === 'right' || (c.align === undefined && cells.length > 0 && typeof cells[0]![i] === 'number'));
  const line = (texts: string[]): string =>
    texts
      .map((t, i) => (right[i] ? t.padStart(widths[i]!) : i === texts.length - 1 ? t : t.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  let out = line(columns.map((c) => c.header)) + '\n';
  for (const row of cells) out += line(row.map(cellText)) + '\n';
  return out;
}

/** Quotes a CSV field when it holds a comma, quote, or line break. */
export function csvField(v: string | number | boolean | null): string {
  if (v === null) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Formats rows as CSV with a header line. */
export function csvTable<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
  let out = columns.map((c) => csvField(c.header)).join(',') + '\n';
  for (const r of rows) out += columns.map((c) => csvField(c.value(r))).join(',') + '\n';
  return out;
}

/** Formats a value as JSON, two-space indented, ending with a newline. */
export function jsonText(value: unknown): string {
  return JSON.stringify(value, null, 2) + '\n';
}

/** Formats a duration in seconds for a table: `0.000123`, `12.5`, `3m04s`, `2h03m`. */
export function durationText(seconds: number): string {
  if (seconds < 60) return seconds < 1 ? seconds.toFixed(6) : seconds.toFixed(3);
  const s = Math.round(seconds);
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** Formats seconds since the epoch as UTC ISO 8601 with microseconds: `2026-12-03T16:46:12.123456Z`. */
export function timeText(seconds: number | null): string {
  if (seconds === null) return '-';
  let whole = Math.floor(seconds);
  let micros = Math.round((seconds - whole) * 1e6);
  if (micros === 1e6) {
    whole++;
    micros = 0;
  }
  // Rows come in time order: the date and time of day change rarely, so keep the last second's text.
  if (whole !== lastWholeSecond) {
    lastWholeSecond = whole;
    lastSecondText = new Date(whole * 1000).toISOString().slice(0, 19);
  }
  return `${lastSecondText}.${String(micros).padStart(6, '0')}Z`;
}

let lastWholeSecond = NaN;
let lastSecondText = '';
