/**
 * tcpdump 4.99's TFTP text (print-tftp.c `tftp_print`), byte for byte: `TFTP, length N, OP ...`.
 *
 * A string runs to its NUL within the datagram; a string with no NUL before the datagram or the capture
 * ends is tcpdump's "truncated" (nd_printztn returns 0), printed as ` [|tftp]` after what was shown.
 */
import { u16At, u8At } from './context.js';
import { TRUNCATED, type Line } from './line.js';
import type { PrintOptions } from './options.js';
import { PRINTABLE } from './dns.js';
import {
  TFTP_ACK, TFTP_BLOCK, TFTP_DATA, TFTP_ERROR, TFTP_ERROR_NAMES, TFTP_OACK, TFTP_OPCODE, TFTP_OPCODE_NAMES, TFTP_RRQ,
  TFTP_WRQ,
} from '../wire/tftp.js';

/** Appends tcpdump's tftp_print text for the datagram at `off`; throws TRUNCATED (protocol 'tftp') at ` [|tftp]`. */
export function printTftp(line: Line, data: Buffer, off: number, length: number, capEnd: number, _opts: PrintOptions): void {
  line.protocol = 'tftp';
  line.text += `TFTP, length ${length}`;
  if (length < 2) throw TRUNCATED;
  const opcode = u16At(data, off + TFTP_OPCODE, capEnd);
  const name = TFTP_OPCODE_NAMES.get(opcode);
  if (name === undefined) {
    // tcpdump bails out after naming a bogus opcode.
    line.text += `, tftp-#${opcode}`;
    return;
  }
  line.text += `, ${name}`;
  let p = off + TFTP_BLOCK;
  let left = length - 2;
  switch (opcode) {
    case TFTP_RRQ:
    case TFTP_WRQ: {
      if (left === 0) throw TRUNCATED;
      line.text += ' "';
      const file = printZeroTerminated(line, data, p, left, capEnd);
      line.text += '"';
      if (file === 0) throw TRUNCATED;
      p += file;
      left -= file;
      if (left === 0) throw TRUNCATED; // no mode
      line.text += ' ';
      const mode = printZeroTerminated(line, data, p, left, capEnd);
      if (mode === 0) throw TRUNCATED;
      p += mode;
      left -= mode;
      printOptions(line, data, p, left, capEnd);
      break;
    }
    case TFTP_OACK:
      printOptions(line, data, p, left, capEnd);
      break;
    case TFTP_ACK:
    case TFTP_DATA:
      if (left < 2) throw TRUNCATED;
      line.text += ` block ${u16At(data, p, capEnd)}`;
      break;
    case TFTP_ERROR: {
      if (left < 2) throw TRUNCATED;
      const code = u16At(data, p, capEnd);
      // tcpdump's fallback format for unknown codes carries its own opening quote: ` tftp-err-#9 " "msg"`.
      line.text += ' ' + (TFTP_ERROR_NAMES.get(code) ?? `tftp-err-#${code} "`);
      p += 2;
      left -= 2;
      if (left === 0) throw TRUNCATED;
      line.text += ' "';
      const msg = printZeroTerminated(line, data, p, left, capEnd);
      line.text += '"';
      if (msg === 0) throw TRUNCATED;
      break;
    }
  }
}

/** Prints the option strings of a request or OACK: each non-empty one after a space. */
function printOptions(line: Line, data: Buffer, p: number, left: number, capEnd: number): void {
  while (left !== 0) {
    if (u8At(data, p, capEnd) !== 0) line.text += ' ';
    const n = printZeroTerminated(line, data, p, left, capEnd);
    if (n === 0) throw TRUNCATED;
    p += n;
    left -= n;
  }
}

/**
 * Prints the string at `p` up to its NUL as tcpdump's nd_printztn; returns the bytes used including the NUL,
 * or 0 when `max` bytes or the capture ran out first.
 */
export function printZeroTerminated(line: Line, data: Buffer, p: number, max: number, capEnd: number): number {
  let s = '';
  let used = 0;
  for (;;) {
    if (max === 0 || p >= capEnd) {
      line.text += s;
      return 0;
    }
    const c = data[p]!;
    p++;
    used++;
    max--;
    if (c === 0) break;
    s += PRINTABLE[c];
  }
  line.text += s;
  return used;
}
