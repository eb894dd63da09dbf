/**
 * tcpdump 4.99's ZigBee Encapsulation Protocol text (print-zep.c `zep_print`), for UDP port 17754.
 *
 * Header (v1): "EX", version (1), channel (1), device id (2), CRC/LQI mode (1), LQI (1), reserved (7),
 * length (1). v2 adds a type byte after the version; type 2 is an ack with a 32-bit sequence number; data
 * frames carry channel (1), device id (2), CRC/LQI mode (1), LQI (1), NTP timestamp (8), sequence (4),
 * reserved (10), length (1). The IEEE 802.15.4 frame that follows is not decoded here (tcpdump's
 * ieee802_15_4_print output is a known gap): it is hex-dumped with the rest of the payload.
 */
import { u16At, u32At, u8At } from './context.js';
import { TRUNCATED, type Line } from './line.js';
import type { PrintOptions } from './options.js';
import { PRINTABLE } from './dns.js';
import { hexAsciiText } from './hexdump.js';

export const ZEP_PREAMBLE = 0;
export const ZEP_VERSION = 2;
export const ZEP_V2_TYPE = 3;
export const ZEP_V2_TYPE_ACK = 2;
/** Seconds from 1900-01-01 (NTP era 0) to 1970-01-01. */
const JAN_1970 = 2208988800;

/** Appends tcpdump's zep_print text for the ZEP message at `off`; throws TRUNCATED (line.protocol = 'zep'). */
export function printZep(line: Line, data: Buffer, off: number, length: number, capEnd: number, opts: PrintOptions): void {
  line.protocol = 'zep';
  line.text += 'ZEP';
  const p0 = u8At(data, off + ZEP_PREAMBLE, capEnd);
  if (p0 !== 0x45 || u8At(data, off + 1, capEnd) !== 0x58) { // "EX"
    line.text += ' [Preamble Code: ' + PRINTABLE[p0];
    line.text += PRINTABLE[u8At(data, off + 1, capEnd)] + '] (invalid)';
    return;
  }
  const version = u8At(data, off + ZEP_VERSION, capEnd);
  line.text += `v${version} `;
  let innerLen: number;
  let headerLen: number;
  if (version === 1) {
    headerLen = 16;
    if (length < headerLen) return invalidLength(line, length, headerLen);
    line.text += `Channel ID ${u8At(data, off + 3, capEnd)}, Device ID 0x${hex4(u16At(data, off + 4, capEnd))}, `;
    line.text += u8At(data, off + 6, capEnd) ? 'CRC, ' : `LQI ${u8At(data, off + 7, capEnd)}, `;
    innerLen = u8At(data, off + 15, capEnd);
    line.text += `inner len = ${innerLen}`;
  } else if (u8At(data, off + ZEP_V2_TYPE, capEnd) === ZEP_V2_TYPE_ACK) {
    headerLen = 8;
    if (length < headerLen) return invalidLength(line, length, headerLen);
    line.text += `ACK, seq# = ${u32At(data, off + 4, capEnd)}`;
    innerLen = 0;
  } else {
    headerLen = 32;
    if (length < headerLen) return invalidLength(line, length, headerLen);
    line.text += `Type ${u8At(data, off + 3, capEnd)}, Channel ID ${u8At(data, off + 4, capEnd)}, Device ID 0x${hex4(u16At(data, off + 5, capEnd))}, `;
    line.text += u8At(data, off + 7, capEnd) ? 'CRC, ' : `LQI ${u8At(data, off + 8, capEnd)}, `;
    line.text += zepTime(u32At(data, off + 9, capEnd), u32At(data, off + 13, capEnd));
    const seq = u32At(data, off + 17, capEnd);
    innerLen = u8At(data, off + 31, capEnd);
    line.text += `, seq# = ${seq}, inner len = ${innerLen}`;
  }
  if (innerLen !== 0) line.text += '\n\t';
  // What follows the header is dumped as tcpdump's default printer does, unless -x/-X/-A dump the packet.
  const rest = length - headerLen;
  if (rest > 0 && !opts.hex && !opts.hexAscii && !opts.ascii) {
    const at = off + headerLen;
    line.text += hexAsciiText(data, at, rest, capEnd, '\n\t');
    if (at + rest > capEnd) throw TRUNCATED;
  }
}

function invalidLength(line: Line, length: number, min: number): void {
  line.text += ` [len ${length} < ${min}] (invalid)`;
}

/** tcpdump's zep_print_ts: the fraction computed in single precision, then a local-time date `YYYY/MM/DD HH:MM:SS`. */
function zepTime(secs: number, fraction: number): string {
  const f = Math.fround(Math.fround(fraction) / 4294967296);
  const nanos = Math.trunc(f * 1000000000) >>> 0;
  let s = `${secs}.${String(nanos).padStart(9, '0')}`;
  if (secs) {
    // tcpdump subtracts in 32-bit unsigned arithmetic, so dates before 1970 wrap forward.
    const d = new Date(((secs - JAN_1970) >>> 0) * 1000);
    const p2 = (n: number) => String(n).padStart(2, '0');
    s += ` (${d.getFullYear()}/${p2(d.getMonth() + 1)}/${p2(d.getDate())} ${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())})`;
  }
  return s;
}

function hex4(v: number): string {
  return v.toString(16).padStart(4, '0');
}
