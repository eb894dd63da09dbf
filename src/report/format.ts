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
  // A loop, not Math.max(...spread): a spread of a few hundred thousand rows overflows the stack.
  const widths = columns.map((c) => c.header.length);
  for (const row of cells) for (let i = 0; i < columns.length; i++) widths[i] = Math.max(widths[i]!, cellText(row[i]!).length);
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
  let out = csvHeader(columns);
  for (const r of rows) out += csvLine(r, columns);
  return out;
}

/** Formats a value as JSON, two-space indented, ending with a newline. */
export function jsonText(value: unknown): string {
  return JSON.stringify(value, null, 2) + '\n';
}

/**
 * Writes an array as `JSON.stringify(array, null, 2)` formats it, one element at a time: the same text,
 * without an array of every element first. `indent` is the depth of the array in an enclosing object (the
 * text then has no newline after the closing bracket); at 0 a newline ends it, as `jsonText` does.
 */
export function writeJsonArray(elements: Iterable<unknown>, write: (text: string) => void, indent = 0): void {
  const pad = ' '.repeat(indent);
  let first = true;
  for (const e of elements) {
    write((first ? '[\n' : ',\n') + pad + '  ' + JSON.stringify(e, null, 2).replace(/\n/g, '\n' + pad + '  '));
    first = false;
  }
  write(first ? '[]' : '\n' + pad + ']');
  if (indent === 0) write('\n');
}

/** The header line of `csvTable`. */
export function csvHeader<T>(columns: readonly Column<T>[]): string {
  return columns.map((c) => csvField(c.header)).join(',') + '\n';
}

/** One row's line of `csvTable`. */
export function csvLine<T>(row: T, columns: readonly Column<T>[]): string {
  return columns.map((c) => csvField(c.value(row))).join(',') + '\n';
}

/** Formats a duration in seconds for a table: `0.000123`, `12.500`, `3m04s`, `2h03m`. */
export function durationText(seconds: number): string {
  return durationTextNs(Math.round(seconds * 1e9));
}

/** Formats a duration held exactly in nanoseconds as `durationText` does, rounding half up on the exact value. */
export function durationTextNs(ns: number): string {
  if (ns < 1e9) return fixedFraction(Math.round(ns / 1e3), 6);
  if (ns < 60e9) return fixedFraction(Math.round(ns / 1e6), 3);
  const s = Math.round(ns / 1e9);
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** Prints units / 10^digits with exactly `digits` decimals. */
function fixedFraction(units: number, digits: number): string {
  const scale = 10 ** digits;
  const whole = Math.floor(units / scale);
  return `${whole}.${String(units - whole * scale).padStart(digits, '0')}`;
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

/**
 * Formats a time or duration held exactly as whole seconds and nanoseconds, as Zeek and tshark print them:
 * six decimals (microseconds), or nine when the nanoseconds are not whole microseconds. No float rounding.
 */
export function decimalTime(sec: number, nsec: number): string {
  return nsec % 1000 === 0 ? `${sec}.${String(nsec / 1000).padStart(6, '0')}` : `${sec}.${String(nsec).padStart(9, '0')}`;
}

/** Splits nanoseconds into whole seconds and nanoseconds (for `decimalTime`). */
export function splitNs(ns: number): [number, number] {
  const sec = Math.floor(ns / 1e9);
  return [sec, ns - sec * 1e9];
}
let lastSecondText = '';

/**
 * Builds large ASCII outputs (hundreds of thousands of rows) straight into a byte buffer and hands it out in
 * big slices: integers become digits without an intermediate string, and short strings are copied byte by
 * byte, so a row costs no string concatenation, no cons-string flattening and no UTF-8 encoding pass (which
 * together cost more than the whole packet pass for `conversations --format csv`). Only ASCII may be
 * written: every character is stored as its low byte.
 */
export class AsciiWriter {
  /**
   * The buffer and the write position, for callers that write a whole row with the put* functions after
   * `reserve` (one room check per row instead of one per value): write at `pos`, then store the new `pos`.
   */
  buf: Buffer;
  pos = 0;

  constructor(
    /** Receives each full buffer (valid only during the call) and the rest at `flush()`. */
    private readonly sink: (bytes: Uint8Array) => void,
    size = 1 << 20,
  ) {
    this.buf = Buffer.allocUnsafe(size);
  }

  /** Makes room for `n` more bytes at `pos` (flushing what is buffered first when needed). */
  reserve(n: number): void {
    this.room(n);
  }

  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    this.flush();
    if (n > this.buf.length) this.buf = Buffer.allocUnsafe(n);
  }

  /** Appends an ASCII string. */
  text(s: string): void {
    const n = s.length;
    this.room(n);
    const b = this.buf;
    let p = this.pos;
    if (n > 64) p += b.write(s, p, 'latin1');
    else for (let i = 0; i < n; i++) b[p++] = s.charCodeAt(i);
    this.pos = p;
  }

  /** Appends one character code. */
  char(c: number): void {
    this.room(1);
    this.buf[this.pos++] = c;
  }

  /** Appends a non-negative integer below 2^53 in decimal (anything else as JavaScript prints it). */
  uint(v: number): void {
    if (!(v >= 0 && v <= Number.MAX_SAFE_INTEGER && Math.floor(v) === v)) {
      this.text(String(v));
      return;
    }
    this.room(16);
    this.pos = putUint(this.buf, this.pos, v);
  }

  /** Appends an unsigned 32-bit integer in decimal. */
  private uint32(v: number): void {
    this.room(10);
    this.pos = putU32(this.buf, this.pos, v);
  }

  /** Appends the last `n` decimal digits of a non-negative integer below 2^53, zero-padded. */
  private digits(v: number, n: number): void {
    this.room(n);
    this.pos = putDigits(this.buf, this.pos, v, n);
  }

  /**
   * Appends a number exactly as `String(x)` prints it. Epoch seconds with a fraction are the common case
   * (a flow's start): V8's shortest-digits conversion often falls back to its slow bignum path for them
   * (about 4 microseconds each), so for 2^30 <= x < 2^32 (2004 to 2106) the digits are found here with
   * exact integer arithmetic instead; see `epochFractionDigits`.
   */
  number(x: number): void {
    if (x >= 1073741824 && x < 4294967296) {
      const sec = Math.floor(x);
      if (sec === x) {
        this.uint(x);
        return;
      }
      const found = epochFractionDigits(x, sec);
      if (found >= 0) {
        const k = found % 16;
        if (k === 0) {
          // The nearest shortest decimal is the next whole second.
          this.uint32(sec + 1);
          return;
        }
        this.uint32(sec);
        this.char(46);
        this.digits((found - k) / 16, k);
        return;
      }
    }
    this.text(String(x));
  }

  /** Appends a time or duration as `decimalTime` formats it. */
  decimalTime(sec: number, nsec: number): void {
    this.room(26);
    this.pos = putDecimalTime(this.buf, this.pos, sec, nsec);
  }

  /** Appends a duration in nanoseconds as `decimalTime` formats it. */
  decimalNs(ns: number): void {
    const sec = Math.floor(ns / 1e9);
    this.decimalTime(sec, ns - sec * 1e9);
  }

  /** Appends an IPv4 address held in an unsigned 32-bit number, as a dotted quad. */
  ipv4(a: number): void {
    this.room(15);
    this.pos = putIpv4(this.buf, this.pos, a);
  }

  /** Hands out what is buffered. */
  flush(): void {
    if (this.pos === 0) return;
    this.sink(this.buf.subarray(0, this.pos));
    this.pos = 0;
  }
}

/**
 * Finds the fraction digits `String(x)` prints for 2^30 <= x < 2^32 with sec = floor(x) < x: returns
 * m * 16 + k for the k digits of value m (k = 0 means the next whole second), or -1 when it cannot tell
 * (the caller then asks String). ECMAScript prints the fewest digits whose decimal rounds back to x, the
 * closest to x among those, the even one on a tie. With x = sec + F / 2^S, S the bits of fraction x holds
 * (22 below 2^31, 21 above) and F an integer, a decimal sec + m / 10^k rounds to x when
 * |m / 10^k - F / 2^S| <= 1 / 2^(S+1), the bound itself only when x's last bit is 0 (ties round to
 * even); multiplied out, |2 m 2^S - 2 F 10^k| <= 10^k, every term an integer below 2^53, so exact.
 */
export function epochFractionDigits(x: number, sec: number): number {
  const scale = x < 2147483648 ? 4194304 : 2097152;
  const f = (x - sec) * scale;
  const lastBitEven = (f & 1) === 0;
  let p10 = 1;
  for (let k = 0; k <= 9; k++) {
    const q = (f * p10) / scale;
    let m = Math.floor(q);
    const rest = q - m;
    if (rest > 0.5 || (rest === 0.5 && m % 2 === 1)) m++;
    const diff = Math.abs(2 * m * scale - 2 * f * p10);
    if (diff < p10 || (diff === p10 && lastBitEven)) return k === 0 && m === 0 ? -1 : m * 16 + k;
    p10 *= 10;
  }
  return -1;
}

/**
 * Raw writers for rows built straight into an AsciiWriter's buffer after `reserve` (see AsciiWriter.buf):
 * each writes at `p` and returns the position after what it wrote. The caller reserved enough room.
 */

/** Writes an unsigned 32-bit integer in decimal. */
export function putU32(b: Uint8Array, p: number, v: number): number {
  const n = v < 10 ? 1 : v < 100 ? 2 : v < 1000 ? 3 : v < 10000 ? 4 : v < 100000 ? 5 : v < 1000000 ? 6 : v < 10000000 ? 7 : v < 100000000 ? 8 : v < 1000000000 ? 9 : 10;
  return putDigits(b, p, v, n);
}

/** Writes the last `n` decimal digits of a non-negative integer below 2^53, zero-padded. */
export function putDigits(b: Uint8Array, p: number, v: number, n: number): number {
  let q = p + n;
  let i = 0;
  for (; i < n && v >= 2147483648; i++) {
    const d = Math.floor(v / 10);
    b[--q] = 48 + (v - d * 10);
    v = d;
  }
  for (; i < n; i++) {
    const d = (v / 10) | 0;
    b[--q] = 48 + (v - d * 10);
    v = d;
  }
  return p + n;
}

/** Decimal digits of a non-negative integer (the width `putUint` writes). */
export function digitsOf(v: number): number {
  let d = 1;
  while (v >= 10) {
    v = Math.floor(v / 10);
    d++;
  }
  return d;
}

/** Writes a non-negative integer below 2^53 in decimal. */
export function putUint(b: Uint8Array, p: number, v: number): number {
  if (v < 4294967296) return putU32(b, p, v);
  const high = Math.floor(v / 1e9);
  return putDigits(b, putUint(b, p, high), v - high * 1e9, 9);
}

/** Writes an ASCII string (each character's low byte). */
export function putText(b: Uint8Array, p: number, s: string): number {
  for (let i = 0; i < s.length; i++) b[p++] = s.charCodeAt(i);
  return p;
}

/** Writes an IPv4 address held in an unsigned 32-bit number as a dotted quad. */
export function putIpv4(b: Uint8Array, p: number, a: number): number {
  p = putU32(b, p, a >>> 24);
  b[p++] = 46;
  p = putU32(b, p, (a >>> 16) & 255);
  b[p++] = 46;
  p = putU32(b, p, (a >>> 8) & 255);
  b[p++] = 46;
  return putU32(b, p, a & 255);
}

/** Writes seconds and nanoseconds as `decimalTime` formats them. */
export function putDecimalTime(b: Uint8Array, p: number, sec: number, nsec: number): number {
  p = putUint(b, p, sec);
  b[p++] = 46;
  return nsec % 1000 === 0 ? putDigits(b, p, nsec / 1000, 6) : putDigits(b, p, nsec, 9);
}
