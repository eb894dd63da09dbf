/**
 * tcpdump's raw dumps (print-ascii.c): hex_print (-x), hex_and_ascii_print (-X and the default printer for
 * undecodable payloads) and ascii_print (-A). Each reads at most up to `end`.
 */
import { HEX2 } from './context.js';

const HEX_PER_LINE = 40;

function isGraph(b: number): boolean {
  return b > 0x20 && b < 0x7f;
}

/** Returns hex_print_with_offset's text: lines `{indent}0xOOOO: ` of 8 space-prefixed 16-bit groups. */
export function hexText(data: Uint8Array, at: number, length: number, end: number, indent: string, offset = 0): string {
  if (at + length > end) length = Math.max(0, end - at);
  let s = '';
  let i = 0;
  let p = at;
  let nshorts = length >> 1;
  while (nshorts !== 0) {
    if (i++ % 8 === 0) {
      s += `${indent}0x${offset.toString(16).padStart(4, '0')}: `;
      offset += 16;
    }
    s += ` ${HEX2[data[p]!]}${HEX2[data[p + 1]!]}`;
    p += 2;
    nshorts--;
  }
  if (length & 1) {
    if (i % 8 === 0) s += `${indent}0x${offset.toString(16).padStart(4, '0')}: `;
    s += ` ${HEX2[data[p]!]}`;
  }
  return s;
}

/**
 * Returns hex_and_ascii_print_with_offset's text; `truncated` (the caller's length ran past the captured
 * bytes) is reported by the caller as tcpdump does, with its ` [|proto]`.
 */
export function hexAsciiText(data: Uint8Array, at: number, length: number, end: number, indent: string, offset = 0): string {
  if (at + length > end) length = Math.max(0, end - at);
  let s = '';
  let hex = '';
  let asc = '';
  let i = 0;
  let p = at;
  let nshorts = length >> 1;
  while (nshorts !== 0) {
    const a = data[p]!;
    const b = data[p + 1]!;
    p += 2;
    hex += ` ${HEX2[a]}${HEX2[b]}`;
    asc += (isGraph(a) ? String.fromCharCode(a) : '.') + (isGraph(b) ? String.fromCharCode(b) : '.');
    if (++i >= 8) {
      s += `${indent}0x${offset.toString(16).padStart(4, '0')}: ${hex.padEnd(HEX_PER_LINE)}  ${asc}`;
      i = 0;
      hex = '';
      asc = '';
      offset += 16;
    }
    nshorts--;
  }
  if (length & 1) {
    const a = data[p]!;
    hex += ` ${HEX2[a]}`;
    asc += isGraph(a) ? String.fromCharCode(a) : '.';
    i++;
  }
  if (i > 0) s += `${indent}0x${offset.toString(16).padStart(4, '0')}: ${hex.padEnd(HEX_PER_LINE)}  ${asc}`;
  return s;
}

/** Returns ascii_print's text (-A): a newline, then printable bytes, `.` for the rest, CRs before LF dropped. */
export function asciiText(data: Uint8Array, at: number, length: number, end: number): string {
  if (at + length > end) length = Math.max(0, end - at);
  let s = '\n';
  let p = at;
  while (length > 0) {
    const c = data[p++]!;
    length--;
    if (c === 0x0d) {
      if (length > 1 && data[p] !== 0x0a) s += '.';
    } else if (!isGraph(c) && c !== 0x09 && c !== 0x20 && c !== 0x0a) s += '.';
    else s += String.fromCharCode(c);
  }
  return s;
}
